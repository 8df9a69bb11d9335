/**
 * IIR/FIR filtering by a transfer function `b(z) / a(z)` with state: {@link lfilter},
 * {@link lfilterZi} and the streaming {@link LFilter}, as scipy.signal's `lfilter` / `lfilter_zi`.
 * For high orders prefer second-order sections (src/filter/sosfilt.ts): a single polynomial of
 * order ≳ 10 loses its poles to rounding.
 * @module
 */
import { NumericalError, message } from '../core/errors.js';
import { asMultichannel } from '../core/multichannel.js';
import type { SignalLike } from '../core/multichannel.js';
import { StreamFilter, filterChannels, readState, readTransferFunction, type ChannelKernel, type FilterResult, type StateLike, type TransferFunction } from './coefficients.js';

/** Options of {@link lfilter}. */
export interface LfilterOptions {
  /**
   * Initial state, K = max(len(a), len(b)) − 1 numbers per channel: nested `[channels][K]`, flat
   * channel-major `channels · K`, or one channel's K numbers used for every channel. Default zeros.
   */
  zi?: StateLike;
  /** Filter even when a root of `a` is on or outside the unit circle (default false: ValueError). */
  allowUnstable?: boolean;
}

/**
 * Direct form II transposed over samples `[start, end)` of one channel (b, a of length K + 1,
 * a[0] = 1), in scipy's order of operations: `y = z[0] + b0·x; z[i] = z[i+1] + b[i+1]·x − a[i+1]·y;
 * z[K−1] = b[K]·x − a[K]·y`.
 * @internal
 */
export function dfKernel(tf: TransferFunction): ChannelKernel {
  const { b, a, order } = tf;
  return (src, dst, start, end, state, stateOffset) => dfRun(b, a, order, src, dst, start, end, state, stateOffset);
}

/** The loop of {@link dfKernel}, with everything it reads passed in (locals, not closure slots). */
function dfRun(b: Float64Array, a: Float64Array, K: number, src: Float64Array, dst: Float64Array, start: number, end: number, state: Float64Array, stateOffset: number): void {
  const b0 = b[0];
  if (K === 0) {
    for (let t = start; t < end; t++) dst[t] = src[t] * b0;
    return;
  }
  if (K <= 2) {
    dfRunLow(b0, b[1], K === 2 ? b[2] : 0, a[1], K === 2 ? a[2] : 0, K, src, dst, start, end, state, stateOffset);
    return;
  }
  const z = state.subarray(stateOffset, stateOffset + K);
  const bt = b.subarray(1), at = a.subarray(1); // b[i + 1], a[i + 1] at index i
  const last = K - 1;
  const bK = b[K], aK = a[K];
  for (let t = start; t < end; t++) {
    const x = src[t];
    const y = z[0] + b0 * x;
    for (let i = 0; i < last; i++) z[i] = z[i + 1] + x * bt[i] - y * at[i];
    z[last] = x * bK - y * aK;
    dst[t] = y;
  }
}

/**
 * {@link dfRun} for K = 1 and 2 with the state in locals, written back at the last sample (as in
 * src/filter/sosfilt.ts). Same operations in the same order as the general loop.
 */
function dfRunLow(b0: number, b1: number, b2: number, a1: number, a2: number, K: number, src: Float64Array, dst: Float64Array, start: number, end: number, state: Float64Array, q: number): void {
  let z0 = state[q];
  if (K === 1) {
    for (let t = start; t < end; t++) {
      const x = src[t];
      const y = z0 + b0 * x;
      z0 = x * b1 - y * a1;
      dst[t] = y;
      if (t === end - 1) state[q] = z0;
    }
    return;
  }
  let z1 = state[q + 1];
  for (let t = start; t < end; t++) {
    const x = src[t];
    const y = z0 + b0 * x;
    z0 = z1 + x * b1 - y * a1;
    z1 = x * b2 - y * a2;
    dst[t] = y;
    if (t === end - 1) {
      state[q] = z0;
      state[q + 1] = z1;
    }
  }
}

/**
 * Filters every channel of `x` along time by `b(z) / a(z)` in direct form II transposed, as
 * `scipy.signal.lfilter(b, a, x, axis=-1, zi=zi)`. Always returns the final state too (scipy
 * returns it only when zi is given).
 *
 * Shapes: `b`, `a` any lengths ≥ 1 (the shorter is padded with zeros; both are divided by a[0]);
 * `x` `[C, N]` (or one channel as an array) → `y` `[C, N]`, `zf` flat `[C][K]` with
 * K = max(len(a), len(b)) − 1. float32 input gives float32 output computed in float64; metadata is
 * kept. O(C·N·K). Within 1e-10 relative of scipy 1.10 (test/fixtures/refs/sosfilt.json).
 *
 * @throws ArgumentTypeError / ShapeError for malformed b, a, x or zi.
 * @throws ValueError for non-finite coefficients, samples or zi; a[0] = 0; an unstable `a` (a
 *   root with |p| ≥ 1, e.g. the integrator a = [1, −1]) unless `allowUnstable`.
 * @example
 * lfilter([1], [1, -0.5], [1, 0, 0]).y.data; // Float64Array [1, 0.5, 0.25]
 */
export function lfilter(b: ArrayLike<number>, a: ArrayLike<number>, x: SignalLike, options: LfilterOptions = {}): FilterResult {
  const fn = 'lfilter';
  const tf = readTransferFunction(fn, b, a, options.allowUnstable === true);
  const xm = asMultichannel(fn, 'x', x, true);
  const state = options.zi === undefined ? new Float64Array(xm.channels * tf.order) : readState(fn, options.zi, xm.channels, [tf.order]);
  const y = filterChannels(fn, 'x', xm, state, tf.order, dfKernel(tf));
  return { y, zf: state };
}

/**
 * The steady state of a unit step for normalised, equal-length b and a (a[0] = 1): the solution of
 * `zi = Aᵀ zi + B` of scipy's lfilter_zi, solved in closed form. Summing its rows gives
 * `zi[0] = Σ(b[1:] − a[1:]·b0) / Σa`, then `zi[i+1] = zi[i] + a[i+1]·zi[0] − (b[i+1] − a[i+1]·b0)`.
 * @throws NumericalError when Σa = 0 (a pole at z = 1: no steady state).
 * @internal
 */
export function lfilterZiOf(fn: string, b: ArrayLike<number>, a: ArrayLike<number>): Float64Array {
  const K = a.length - 1;
  const zi = new Float64Array(K);
  if (K === 0) return zi;
  const b0 = b[0];
  let sumA = 0, sumB = 0;
  for (let i = 0; i <= K; i++) sumA += a[i];
  for (let i = 1; i <= K; i++) sumB += b[i] - a[i] * b0;
  if (sumA === 0) throw new NumericalError(message(fn, 'the filter must not have a pole at z = 1 (Σa ≠ 0) to have a steady state', { verbatim: 'Σa = 0' }));
  zi[0] = sumB / sumA;
  for (let i = 0; i < K - 1; i++) zi[i + 1] = zi[i] + a[i + 1] * zi[0] - (b[i + 1] - a[i + 1] * b0);
  return zi;
}

/**
 * Initial state of {@link lfilter} for the steady state of a unit step, as
 * `scipy.signal.lfilter_zi(b, a)`: multiply by the signal's first value to start without a
 * transient. Length K = max(len(a), len(b)) − 1. Within 1e-10 relative of scipy 1.10.
 * @throws as {@link lfilter} for the coefficients (non-finite, a[0] = 0, unstable — which includes a
 *   pole at z = 1, where no steady state exists).
 * @example
 * lfilterZi([1], [1, -0.5]); // Float64Array [1]: y = z + x = 2 = 1 / (1 − 0.5)
 */
export function lfilterZi(b: ArrayLike<number>, a: ArrayLike<number>): Float64Array {
  const fn = 'lfilterZi';
  const tf = readTransferFunction(fn, b, a);
  return lfilterZiOf(fn, tf.b, tf.a);
}

/** Options of {@link LFilter}. */
export interface LFilterOptions {
  /** Channels of the stream (default 1). */
  channels?: number;
  /** Initial state, in the layouts of {@link LfilterOptions.zi} (default zeros). */
  zi?: StateLike;
  /** Filter even when `a` is unstable (default false: ValueError). */
  allowUnstable?: boolean;
}

/**
 * A transfer-function filter that keeps its state between chunks: chunked output is bit-identical
 * to one {@link lfilter} call, and {@link LFilter.state} equals its `zf`.
 * @example
 * const f = new LFilter([1], [1, -0.5]);
 * f.process([1, 0]); f.process([0]); // samples 1, 0.5, 0.25
 */
export class LFilter extends StreamFilter {
  /** State numbers per channel: max(len(a), len(b)) − 1. */
  readonly order: number;

  /** @throws as {@link lfilter} for b, a and zi; ValueError for `channels` not an integer ≥ 1. */
  constructor(b: ArrayLike<number>, a: ArrayLike<number>, options: LFilterOptions = {}) {
    const tf = readTransferFunction('LFilter', b, a, options.allowUnstable === true);
    super('LFilter', options.channels ?? 1, [tf.order], dfKernel(tf), options.zi);
    this.order = tf.order;
  }
}
