/**
 * What the IIR filtering functions (src/filter/sosfilt.ts, lfilter.ts, filtfilt.ts) share:
 * second-order sections and transfer-function coefficients are read, checked (finite, a0 ≠ 0,
 * stable) and normalised to a0 = 1; initial states are read in the layouts those functions accept;
 * signals are checked and run channel by channel through a float64 kernel. Internal except
 * {@link isStablePolynomial} and the types.
 * @module
 */
import { ArgumentTypeError, NumericalError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, asMultichannel } from '../core/multichannel.js';
import type { SignalLike } from '../core/multichannel.js';
import { allocateEmpty } from '../linalg/prefault.js';
import { assertInteger, firstNonFinite, isNumericArray, type SampleArray } from '../core/validate.js';

/**
 * Second-order sections: `n` rows `[b0, b1, b2, a0, a1, a2]`, either flat (a Float64Array or
 * number[] of 6·n numbers, the layout the IIR designers return) or as `n` rows of 6 numbers.
 */
export type SosLike = Float64Array | Float32Array | readonly number[] | readonly (readonly number[])[];

/** Numbers nested to any depth (`number[]`, `number[][]`, `number[][][]`), as JSON gives them. */
export type NestedNumbers = readonly (number | NestedNumbers)[];

/**
 * An initial or final filter state: a flat array-like (channel-major) or the nested arrays of
 * `NestedNumbers`. Which shapes each function accepts is stated where it is used.
 */
export type StateLike = Float64Array | Float32Array | NestedNumbers;

/** What `sosfilt` and `lfilter` return: the output and the final state. */
export interface FilterResult {
  /** The filtered signal, same shape, dtype and metadata as the input. */
  y: Multichannel;
  /**
   * The final state, flat and channel-major: `[channels][sections][2]` for sosfilt,
   * `[channels][K]` for lfilter (K = max(len(a), len(b)) − 1). Pass it as `zi` to continue.
   */
  zf: Float64Array;
}

/** Checked second-order sections: `coef` holds `sections` rows of 6 with a0 = 1. */
export interface Sections {
  readonly coef: Float64Array;
  readonly sections: number;
}

/** Checked transfer function: `b` and `a` padded to the same length `K + 1`, a[0] = 1. */
export interface TransferFunction {
  readonly b: Float64Array;
  readonly a: Float64Array;
  /** State length per channel: max(len(a), len(b)) − 1. */
  readonly order: number;
}

/**
 * Reads second-order sections, checks them and divides each row by its a0.
 * @throws ArgumentTypeError when `sos` is not one of the {@link SosLike} forms.
 * @throws ShapeError for no sections or a size that is not 6 per row.
 * @throws ValueError for a non-finite coefficient, a0 = 0, or (unless `allowUnstable`) a section
 *   with a pole on or outside the unit circle.
 */
export function readSos(fn: string, sos: unknown, allowUnstable = false): Sections {
  let flat: Float64Array;
  if (isNumericArray(sos)) {
    if (sos.length === 0) throw new ShapeError(message(fn, 'sos must hold at least one section of 6 coefficients', sos));
    if (sos.length % 6 !== 0) throw new ShapeError(message(fn, 'a flat sos must hold 6 coefficients per section [b0, b1, b2, a0, a1, a2]', { verbatim: `${sos.length} numbers` }));
    flat = Float64Array.from(sos);
  } else if (Array.isArray(sos) && sos.every((r) => isNumericArray(r))) {
    if (sos.length === 0) throw new ShapeError(message(fn, 'sos must hold at least one section of 6 coefficients', sos));
    const bad = sos.findIndex((r: ArrayLike<number>) => r.length !== 6);
    if (bad >= 0) throw new ShapeError(message(fn, 'every sos row must hold 6 coefficients [b0, b1, b2, a0, a1, a2]', { verbatim: `row ${bad} of length ${(sos[bad] as ArrayLike<number>).length}` }));
    flat = new Float64Array(6 * sos.length);
    sos.forEach((r: ArrayLike<number>, i: number) => flat.set(Array.from(r), 6 * i));
  } else {
    throw new ArgumentTypeError(message(fn, 'sos must be a flat Float64Array / number[] of 6·n coefficients or n rows of 6', sos));
  }
  const n = flat.length / 6;
  const nf = firstNonFinite(flat);
  if (nf >= 0) throw new ValueError(message(fn, 'sos coefficients must be finite', { verbatim: `${flat[nf]} in section ${Math.floor(nf / 6)}, column ${nf % 6}` }));
  for (let s = 0; s < n; s++) {
    const p = 6 * s;
    const a0 = flat[p + 3];
    if (a0 === 0) throw new ValueError(message(fn, 'every section needs a0 ≠ 0 (sos[s][3])', { verbatim: `a0 = 0 in section ${s}` }));
    if (a0 !== 1) for (let k = 0; k < 6; k++) flat[p + k] /= a0;
    const a1 = flat[p + 4], a2 = flat[p + 5];
    if (!allowUnstable && !(Math.abs(a2) < 1 && Math.abs(a1) < 1 + a2)) {
      throw new ValueError(message(fn, 'every section must be stable (poles inside the unit circle: |a2| < 1 and |a1| < 1 + a2, after dividing by a0); pass allowUnstable: true to filter anyway', { verbatim: `a1 = ${a1}, a2 = ${a2} in section ${s}` }));
    }
  }
  return { coef: flat, sections: n };
}

function readPolynomial(fn: string, name: string, v: unknown): Float64Array {
  if (!isNumericArray(v)) throw new ArgumentTypeError(message(fn, `${name} must be a number[], Float64Array or Float32Array`, v));
  if (v.length === 0) throw new ShapeError(message(fn, `${name} must hold at least one coefficient`, v));
  const p = Float64Array.from(v);
  const nf = firstNonFinite(p);
  if (nf >= 0) throw new ValueError(message(fn, `${name} must hold only finite coefficients`, { verbatim: `${p[nf]} at index ${nf}` }));
  return p;
}

/**
 * True when every root of the monic polynomial `1 + a[1] z⁻¹ + … + a[m] z⁻ᵐ` lies strictly inside
 * the unit circle: the Schur–Cohn step-down recursion, whose reflection coefficients k_m = a[m],
 * then those of `(A(z) − k_m z⁻ᵐ A(1/z)) / (1 − k_m²)`, must all satisfy |k| < 1. O(m²). This is
 * the stability test of `lfilter` and `filtfilt` (a root on the circle counts as unstable).
 * @example
 * isStablePolynomial([1, -0.5]);   // true: pole 0.5
 * isStablePolynomial([1, 0, 1.21]); // false: poles ±1.1i
 */
export function isStablePolynomial(a: ArrayLike<number>): boolean {
  let m = a.length - 1;
  while (m > 0 && a[m] === 0) m--; // trailing zeros are poles at z = 0
  let p = Array.from(a).slice(0, m + 1);
  for (let k = m; k >= 1; k--) {
    const r = p[k] / p[0];
    if (!(Math.abs(r) < 1)) return false;
    const q = new Array<number>(k);
    for (let i = 0; i < k; i++) q[i] = (p[i] - r * p[k - i]) / (1 - r * r);
    p = q;
  }
  return true;
}

/**
 * Reads a transfer function `b(z) / a(z)`, checks it, pads the shorter polynomial with zeros and
 * divides both by a[0].
 * @throws ArgumentTypeError / ShapeError for a missing or empty b or a.
 * @throws ValueError for a non-finite coefficient, a[0] = 0, or (unless `allowUnstable`) a pole on
 *   or outside the unit circle.
 */
export function readTransferFunction(fn: string, b: unknown, a: unknown, allowUnstable = false): TransferFunction {
  const bb = readPolynomial(fn, 'b', b);
  const aa = readPolynomial(fn, 'a', a);
  if (aa[0] === 0) throw new ValueError(message(fn, 'a[0] must be nonzero', 0));
  const n = Math.max(bb.length, aa.length);
  const B = new Float64Array(n), A = new Float64Array(n);
  B.set(bb);
  A.set(aa);
  const a0 = aa[0];
  if (a0 !== 1) {
    for (let i = 0; i < n; i++) {
      B[i] /= a0;
      A[i] /= a0;
    }
  }
  if (!allowUnstable && !isStablePolynomial(A)) {
    throw new ValueError(message(fn, 'the filter must be stable (every root of a inside the unit circle); pass allowUnstable: true to filter anyway', { verbatim: `a = [${Array.from(aa).join(', ')}]` }));
  }
  return { b: B, a: A, order: n - 1 };
}

/** The dimensions of a rectangular nested array, or null when ragged or not numbers. */
function nestedShape(v: unknown): number[] | null {
  if (v instanceof Float64Array || v instanceof Float32Array) return [v.length];
  if (!Array.isArray(v)) return null;
  if (v.length === 0) return [0];
  if (v.every((e) => typeof e === 'number')) return [v.length];
  const inner = v.map(nestedShape);
  const first = inner[0];
  if (first === null || inner.some((s) => s === null || s.length !== first.length || s.some((d, i) => d !== first[i]))) return null;
  return [v.length, ...first];
}

function flatten(v: unknown, out: number[]): void {
  if (Array.isArray(v)) for (const e of v) flatten(e, out);
  else out.push(v as number);
}

/**
 * Reads an initial state for `channels` channels of `per` numbers each, laid out as `dims` per
 * channel (e.g. `[sections, 2]`). Accepted: flat of `channels · per` numbers (channel-major),
 * nested `[channels, ...dims]`, and — broadcast to every channel — flat of `per` numbers or nested
 * `dims`. Returns a fresh flat Float64Array of `channels · per`.
 * @throws ArgumentTypeError / ShapeError for other shapes; ValueError for non-finite values.
 */
export function readState(fn: string, zi: unknown, channels: number, dims: readonly number[]): Float64Array {
  const per = dims.reduce((p, d) => p * d, 1);
  const shape = nestedShape(zi);
  const want = `[${[channels, ...dims].join(', ')}]`;
  if (shape === null) throw new ArgumentTypeError(message(fn, `zi must be a Float64Array or (nested) number array of shape ${want}`, zi));
  const same = (s: readonly number[]) => s.length === shape.length && s.every((d, i) => d === shape[i]);
  const full = same([channels * per]) || same([channels, ...dims]);
  const broadcast = same([per]) || same(dims);
  if (!full && !broadcast) {
    const got = shape.length === 1 ? `${shape[0]} numbers` : `shape [${shape.join(', ')}]`;
    throw new ShapeError(message(fn, `zi must have shape ${want} (or flat ${channels * per} numbers, or one channel's [${dims.join(', ')}] for every channel)`, { verbatim: got }));
  }
  let values: ArrayLike<number>;
  if (zi instanceof Float64Array || zi instanceof Float32Array) values = zi;
  else {
    const out: number[] = [];
    flatten(zi, out);
    values = out;
  }
  const nf = firstNonFinite(values);
  if (nf >= 0) throw new ValueError(message(fn, 'zi must hold only finite values', { verbatim: `${values[nf]} at flat index ${nf}` }));
  const state = new Float64Array(channels * per);
  if (full) state.set(values);
  else for (let c = 0; c < channels; c++) state.set(values, c * per);
  return state;
}

/** Throws the ValueError of a non-finite sample of `m`, or returns when every sample is finite. */
function assertFiniteSamples(fn: string, name: string, m: Multichannel): void {
  const bad = firstNonFinite(m.data);
  if (bad >= 0) {
    throw new ValueError(message(fn, `${name} must hold only finite samples`, { verbatim: `${m.data[bad]} at channel ${Math.floor(bad / m.length)}, sample ${bad % m.length}` }));
  }
}

/**
 * Reads a signal (a Multichannel or one channel as an array; may be empty when `allowEmpty`) and
 * checks that every sample is finite.
 * @throws ArgumentTypeError / ShapeError as {@link asMultichannel}; ValueError for NaN or ±Infinity.
 */
export function readSignal(fn: string, name: string, x: unknown, allowEmpty = false): Multichannel {
  const m = asMultichannel(fn, name, x, allowEmpty);
  assertFiniteSamples(fn, name, m);
  return m;
}

/**
 * A filter kernel on one channel: filters samples `[start, end)` of `src` into the same positions
 * of `dst` (which may be `src`) and updates the channel's state, which starts at
 * `state[stateOffset]`. All arithmetic is float64.
 */
export type ChannelKernel = (src: Float64Array, dst: Float64Array, start: number, end: number, state: Float64Array, stateOffset: number) => void;

/**
 * Runs `kernel` over every channel of `x` with `per` state numbers per channel (channel-major in
 * `state`, updated in place). float64 in → float64 out; float32 in → each channel widened to
 * float64, filtered, and rounded to float32 once at the end. Keeps `x`'s metadata.
 *
 * Non-finite samples are found without a pass of their own: every state update of these filters
 * multiplies the current input and output by coefficients and adds, so once NaN or ±Infinity
 * enters (0 · ∞ is NaN) the state stays non-finite to the end. A finite final state therefore
 * proves finite input and output; otherwise the input is scanned for the message. With no state
 * (`per` = 0) the input is scanned first. On a throw, `state` holds garbage: callers that keep
 * state restore it.
 * @throws ValueError for a non-finite sample of `x` (named `name`).
 * @throws NumericalError when finite input overflowed to ±Infinity inside the filter.
 */
export function filterChannels(fn: string, name: string, x: Multichannel, state: Float64Array, per: number, kernel: ChannelKernel): Multichannel {
  const { channels: C, length: N, data } = x;
  if (per === 0) assertFiniteSamples(fn, name, x);
  let out: SampleArray;
  if (data instanceof Float64Array) {
    const y = allocateEmpty('float64', C * N) as Float64Array;
    for (let c = 0; c < C; c++) kernel(data, y, c * N, (c + 1) * N, state, c * per);
    out = y;
  } else {
    out = allocateEmpty('float32', C * N);
    const work = new Float64Array(N);
    for (let c = 0; c < C; c++) {
      work.set(data.subarray(c * N, (c + 1) * N));
      kernel(work, work, 0, N, state, c * per);
      out.set(work, c * N);
    }
  }
  if (firstNonFinite(state) >= 0) {
    assertFiniteSamples(fn, name, x);
    throw new NumericalError(message(fn, 'the filter overflowed: its output or state reached ±Infinity from finite input', { verbatim: `max |${name}| = ${maxAbs(data)}` }));
  }
  return new Multichannel(out, C, N, x.meta);
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * A filter that keeps its state between chunks, for {@link SosFilter} and {@link LFilter}: each
 * channel holds `dims` state numbers (`[sections, 2]` or `[K]`), the chunk is filtered by `kernel`
 * channel by channel, and a chunk that fails leaves the state as it was.
 */
export abstract class StreamFilter {
  /** Channels of the stream. */
  readonly channels: number;
  private readonly name: string;
  private readonly dims: readonly number[];
  private readonly perChannel: number;
  private readonly kernel: ChannelKernel;
  private readonly initial: Float64Array;
  private z: Float64Array;

  protected constructor(name: string, channels: number, dims: readonly number[], kernel: ChannelKernel, zi: StateLike | undefined) {
    assertInteger(name, 'channels', channels, 1);
    this.name = name;
    this.channels = channels;
    this.dims = dims;
    this.perChannel = dims.reduce((a, b) => a * b, 1);
    this.kernel = kernel;
    this.initial = zi === undefined ? new Float64Array(channels * this.perChannel) : readState(name, zi, channels, dims);
    this.z = this.initial.slice();
  }

  /**
   * Filters the next chunk `[channels, L]` (L ≥ 0; a plain array for a 1-channel stream) and
   * returns `[channels, L]` with the chunk's dtype and metadata.
   * @throws ShapeError for a channel count other than {@link StreamFilter.channels}; ValueError for
   *   non-finite samples (the state is then unchanged).
   */
  process(chunk: SignalLike): Multichannel {
    const fn = `${this.name}.process`;
    const x = asMultichannel(fn, 'chunk', chunk, true);
    if (x.channels !== this.channels) throw new ShapeError(message(fn, `chunk must have ${this.channels} channels`, x.channels));
    const before = this.z.slice();
    try {
      return filterChannels(fn, 'chunk', x, this.z, this.perChannel, this.kernel);
    } catch (e) {
      this.z = before;
      throw e;
    }
  }

  /** A copy of the current state, flat and channel-major (the one-call function's `zf`). */
  get state(): Float64Array {
    return this.z.slice();
  }

  /** Returns the filter to its initial state, or to `zi` when given (the one-call function's layouts). */
  reset(zi?: StateLike): void {
    this.z = zi === undefined ? this.initial.slice() : readState(`${this.name}.reset`, zi, this.channels, this.dims);
  }
}
