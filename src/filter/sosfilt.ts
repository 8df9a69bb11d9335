/**
 * IIR filtering with second-order sections and state: {@link sosfilt}, {@link sosfiltZi} and the
 * streaming {@link SosFilter}, as scipy.signal's `sosfilt` / `sosfilt_zi`.
 * @module
 */
import { asMultichannel } from '../core/multichannel.js';
import type { SignalLike } from '../core/multichannel.js';
import { StreamFilter, filterChannels, readSos, readState, type ChannelKernel, type FilterResult, type SosLike, type StateLike } from './coefficients.js';
import { lfilterZiOf } from './lfilter.js';

export type { FilterResult, SosLike, StateLike } from './coefficients.js';

/** Options of {@link sosfilt}. */
export interface SosfiltOptions {
  /**
   * Initial state, 2 numbers per section per channel (scipy's `zi` with the channel axis first):
   * nested `[channels][sections][2]`, or flat channel-major of `channels · sections · 2`, or one
   * channel's `[sections][2]` (flat `sections · 2`) used for every channel. Default: zeros (the
   * filter at rest). Steady state for a step of height v: `sosfiltZi(sos)` times v.
   */
  zi?: StateLike;
  /** Filter even when a section has a pole on or outside the unit circle (default false: ValueError). */
  allowUnstable?: boolean;
}

/**
 * Filters samples `[start, end)` of `src` through the cascade `coef` (`sections` rows of 6, a0 = 1)
 * in direct form II transposed, writing them to the same positions of `dst` (which may be `src`)
 * and updating the 2 state numbers per section at `state[stateOffset…]`. Per sample and section,
 * in this order (scipy's `_sosfilt`): `y = b0·x + z0; z0 = b1·x − a1·y + z1; z1 = b2·x − a2·y`.
 *
 * Sections run in passes of four (then two, then one) over the block: interleaved recurrences
 * keep the CPU busy where one waits on its own latency, and fewer passes move less memory. The
 * state is written back from inside the loop, at its last sample: V8 keeps loop values that are
 * still needed after a loop in stack slots, which slows the loop more than this branch does.
 * Every sample sees the same operations in the same order whatever the block, so the result does
 * not depend on how a signal is chunked.
 * @internal
 */
export function sosKernel(coef: Float64Array, sections: number, src: Float64Array, dst: Float64Array, start: number, end: number, state: Float64Array, stateOffset: number): void {
  let from = src;
  let s = 0;
  for (; s + 3 < sections; s += 4) {
    quadPass(coef, 6 * s, from, dst, start, end, state, stateOffset + 2 * s);
    from = dst;
  }
  if (s + 1 < sections) {
    pairPass(coef, 6 * s, from, dst, start, end, state, stateOffset + 2 * s);
    from = dst;
    s += 2;
  }
  if (s < sections) singlePass(coef, 6 * s, from, dst, start, end, state, stateOffset + 2 * s);
}

/** Sections at coef[p…p+23] and state[q…q+7], interleaved sample by sample (see {@link sosKernel}). */
function quadPass(coef: Float64Array, p: number, from: Float64Array, dst: Float64Array, start: number, end: number, state: Float64Array, q: number): void {
  const b0 = coef[p], b1 = coef[p + 1], b2 = coef[p + 2], a1 = coef[p + 4], a2 = coef[p + 5];
  const c0 = coef[p + 6], c1 = coef[p + 7], c2 = coef[p + 8], d1 = coef[p + 10], d2 = coef[p + 11];
  const e0 = coef[p + 12], e1 = coef[p + 13], e2 = coef[p + 14], f1 = coef[p + 16], f2 = coef[p + 17];
  const g0 = coef[p + 18], g1 = coef[p + 19], g2 = coef[p + 20], h1 = coef[p + 22], h2 = coef[p + 23];
  let z0 = state[q], z1 = state[q + 1], w0 = state[q + 2], w1 = state[q + 3];
  let r0 = state[q + 4], r1 = state[q + 5], v0 = state[q + 6], v1 = state[q + 7];
  for (let t = start; t < end; t++) {
    const x = from[t];
    const u = b0 * x + z0;
    z0 = b1 * x - a1 * u + z1;
    z1 = b2 * x - a2 * u;
    const v = c0 * u + w0;
    w0 = c1 * u - d1 * v + w1;
    w1 = c2 * u - d2 * v;
    const r = e0 * v + r0;
    r0 = e1 * v - f1 * r + r1;
    r1 = e2 * v - f2 * r;
    const y = g0 * r + v0;
    v0 = g1 * r - h1 * y + v1;
    v1 = g2 * r - h2 * y;
    dst[t] = y;
    if (t === end - 1) {
      state[q] = z0;
      state[q + 1] = z1;
      state[q + 2] = w0;
      state[q + 3] = w1;
      state[q + 4] = r0;
      state[q + 5] = r1;
      state[q + 6] = v0;
      state[q + 7] = v1;
    }
  }
}

/** Sections at coef[p…p+11] and state[q…q+3], interleaved sample by sample (see {@link sosKernel}). */
function pairPass(coef: Float64Array, p: number, from: Float64Array, dst: Float64Array, start: number, end: number, state: Float64Array, q: number): void {
  const b0 = coef[p], b1 = coef[p + 1], b2 = coef[p + 2], a1 = coef[p + 4], a2 = coef[p + 5];
  const c0 = coef[p + 6], c1 = coef[p + 7], c2 = coef[p + 8], d1 = coef[p + 10], d2 = coef[p + 11];
  let z0 = state[q], z1 = state[q + 1], w0 = state[q + 2], w1 = state[q + 3];
  for (let t = start; t < end; t++) {
    const x = from[t];
    const u = b0 * x + z0;
    z0 = b1 * x - a1 * u + z1;
    z1 = b2 * x - a2 * u;
    const v = c0 * u + w0;
    w0 = c1 * u - d1 * v + w1;
    w1 = c2 * u - d2 * v;
    dst[t] = v;
    if (t === end - 1) {
      state[q] = z0;
      state[q + 1] = z1;
      state[q + 2] = w0;
      state[q + 3] = w1;
    }
  }
}

/** The section at coef[p…p+5] and state[q…q+1] (see {@link sosKernel}). */
function singlePass(coef: Float64Array, p: number, from: Float64Array, dst: Float64Array, start: number, end: number, state: Float64Array, q: number): void {
  const b0 = coef[p], b1 = coef[p + 1], b2 = coef[p + 2], a1 = coef[p + 4], a2 = coef[p + 5];
  let z0 = state[q], z1 = state[q + 1];
  for (let t = start; t < end; t++) {
    const x = from[t];
    const u = b0 * x + z0;
    z0 = b1 * x - a1 * u + z1;
    z1 = b2 * x - a2 * u;
    dst[t] = u;
    if (t === end - 1) {
      state[q] = z0;
      state[q + 1] = z1;
    }
  }
}

/** The per-channel kernel of a checked cascade. @internal */
export function sosChannelKernel(coef: Float64Array, sections: number): ChannelKernel {
  return (src, dst, start, end, state, stateOffset) => sosKernel(coef, sections, src, dst, start, end, state, stateOffset);
}

/**
 * Filters every channel of `x` along time with a cascade of second-order sections, as
 * `scipy.signal.sosfilt(sos, x, axis=-1, zi=zi)`: each section in direct form II transposed, the
 * sections in order. Always returns the final state too (scipy returns it only when zi is given).
 *
 * Shapes: `sos` is `n` sections `[b0, b1, b2, a0, a1, a2]` (flat 6·n, as the IIR designers return
 * it, or n rows of 6); `x` is `[C, N]` (or one channel as an array) → `y` `[C, N]`, `zf` flat
 * `[C][n][2]`. Sections with a0 ≠ 1 are divided by a0 (scipy rejects them). float32 input gives
 * float32 output computed in float64; metadata (sampleRate, labels, …) is kept. O(C·N·n).
 *
 * Agreement: within 1e-10 relative of scipy 1.10 (test/fixtures/refs/sosfilt.json). Chunked
 * through {@link SosFilter}, the output is bit-identical to one call.
 *
 * @throws ArgumentTypeError / ShapeError for a malformed `sos`, `x` or `zi` (zi of the wrong shape
 *   names the shape expected).
 * @throws ValueError for non-finite coefficients, samples or zi; a0 = 0; an unstable section
 *   (a pole with |p| ≥ 1) unless `allowUnstable`.
 * @example
 * // 2nd-order lowpass section, one channel; continue from the final state:
 * const sos = [[0.0675, 0.135, 0.0675, 1, -1.143, 0.4128]];
 * const { y, zf } = sosfilt(sos, [1, 1, 1, 1]);
 * const next = sosfilt(sos, [1, 1], { zi: zf }).y;
 */
export function sosfilt(sos: SosLike, x: SignalLike, options: SosfiltOptions = {}): FilterResult {
  const fn = 'sosfilt';
  const { coef, sections } = readSos(fn, sos, options.allowUnstable === true);
  const xm = asMultichannel(fn, 'x', x, true);
  const state = options.zi === undefined ? new Float64Array(xm.channels * sections * 2) : readState(fn, options.zi, xm.channels, [sections, 2]);
  const y = filterChannels(fn, 'x', xm, state, 2 * sections, sosChannelKernel(coef, sections));
  return { y, zf: state };
}

/**
 * Initial state of {@link sosfilt} for the steady state of a unit step, as
 * `scipy.signal.sosfilt_zi(sos)`: section s gets `lfilterZi` of its own coefficients times the DC
 * gain `Σb/Σa` of the sections before it. Multiply by the signal's first value to start a filter
 * without a transient: `sosfilt(sos, x, { zi: sosfiltZi(sos).map(v => v * x[0]) })`.
 *
 * Shape: flat `[sections][2]` (2·n numbers). Within 1e-10 relative of scipy 1.10.
 * @throws as {@link sosfilt} for the coefficients (non-finite, a0 = 0, unstable — which includes a
 *   pole at z = 1, where no steady state exists).
 * @example
 * sosfiltZi([[1, 0, 0, 1, -0.5, 0]]); // Float64Array [1, 0]: y = 1 + z0 = 2, the DC gain
 */
export function sosfiltZi(sos: SosLike): Float64Array {
  const fn = 'sosfiltZi';
  const { coef, sections } = readSos(fn, sos);
  return sosfiltZiOf(fn, coef, sections);
}

/** {@link sosfiltZi} of checked sections (a0 = 1). @internal */
export function sosfiltZiOf(fn: string, coef: Float64Array, sections: number): Float64Array {
  const zi = new Float64Array(2 * sections);
  let scale = 1;
  for (let s = 0; s < sections; s++) {
    const b = coef.subarray(6 * s, 6 * s + 3);
    const a = coef.subarray(6 * s + 3, 6 * s + 6);
    const z = lfilterZiOf(fn, b, a);
    zi[2 * s] = scale * z[0];
    zi[2 * s + 1] = scale * z[1];
    scale *= (b[0] + b[1] + b[2]) / (a[0] + a[1] + a[2]);
  }
  return zi;
}

/** Options of {@link SosFilter}. */
export interface SosFilterOptions {
  /** Channels of the stream (default 1). */
  channels?: number;
  /** Initial state, in the layouts of {@link SosfiltOptions.zi} (default zeros). */
  zi?: StateLike;
  /** Filter even when a section is unstable (default false: ValueError). */
  allowUnstable?: boolean;
}

/**
 * A second-order-section filter that keeps its state between chunks: feeding a signal in chunks of
 * any sizes gives output bit-identical to one {@link sosfilt} call on the whole signal (same
 * operations in the same order), and {@link SosFilter.state} equals its `zf`.
 * @example
 * const f = new SosFilter(sos, { channels: 2 });
 * for (const chunk of chunks) out.push(f.process(chunk)); // each chunk [2, L], any L ≥ 0
 */
export class SosFilter extends StreamFilter {
  /** Number of second-order sections. */
  readonly sections: number;

  /**
   * @throws as {@link sosfilt} for `sos` and `zi`; ValueError for `channels` not an integer ≥ 1.
   */
  constructor(sos: SosLike, options: SosFilterOptions = {}) {
    const { coef, sections } = readSos('SosFilter', sos, options.allowUnstable === true);
    super('SosFilter', options.channels ?? 1, [sections, 2], sosChannelKernel(coef, sections), options.zi);
    this.sections = sections;
  }
}
