/**
 * `mix`: the 1×1 (pointwise) channel mix `y[o, t] = Σ_i W[o, i] x[i, t] + b[o]`, real and complex.
 * @module
 */
import type { Matrix } from '../linalg/ml-matrix.js';
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel, type MultichannelMeta, type SampleArray } from '../core/multichannel.js';
import { allocateEmpty } from '../linalg/prefault.js';
import { defaultWorkers, gemm, gemmOnThreads, splitsNewResult } from '../linalg/gemm.js';
import { sharedArray } from '../core/shared.js';
import { toBias, toDenseWeights, type DenseWeights, type WeightsLike } from './weights.js';
import { assertInteger } from '../core/validate.js';

export type { WeightsLike, DenseWeights } from './weights.js';
export type { Matrix };

// The spectral detectors import the Multichannel check from here.
export { assertMultichannel };

/** Metadata a 1×1 mix keeps: sampleRate and shape (labels and coords name input channels). */
export function mixedMeta(x: Multichannel): MultichannelMeta {
  const m: MultichannelMeta = {};
  if (x.sampleRate !== undefined) m.sampleRate = x.sampleRate;
  if (x.shape !== undefined) m.shape = x.shape;
  return m;
}

/**
 * Unchecked: `W·x (+b)` with dense validated weights, into `out` or a new array of x's dtype. A new
 * result large enough to be fresh memory ({@link splitsNewResult}) is allocated on shared memory and
 * computed by two threads (unless `workers` is 0), so each thread first-touches the pages it writes.
 * A smaller new result computed on two threads comes from the C allocator, not from the page-mapping
 * helper thread, which would compete with the worker for the second core.
 */
export function mixDense(x: Multichannel, w: DenseWeights, bias?: Float64Array, out?: SampleArray, workers?: number): Multichannel {
  let threads = workers ?? defaultWorkers(w.rows, w.cols, x.length, x.data);
  let result = out;
  if (result === undefined) {
    if (workers !== 0 && splitsNewResult(x.dtype, w.rows, x.length)) {
      result = sharedArray(x.dtype, w.rows * x.length);
      threads = Math.max(threads, 1);
    } else {
      result = allocateEmpty(x.dtype, w.rows * x.length, threads === 0);
    }
  }
  gemmOnThreads(w.data, w.rows, w.cols, x.data, x.length, result, bias, threads);
  return new Multichannel(result, w.rows, x.length, mixedMeta(x));
}

/**
 * The pointwise (1×1) channel mix `y[o, t] = Σ_i W[o, i] · x[i, t] + bias[o]`.
 *
 * Shapes: `x` is `[Cin, T]` (T time samples, or rows·cols pixels of an image or cube), `W` is
 * `Cout × Cin`, `bias` has `Cout` entries; the result is `[Cout, T]`. The result keeps `x`'s
 * `sampleRate` and `shape` but not its labels or coordinates (they named the input channels), and
 * has `x`'s element type (float32 in → float32 out; accumulation is float64 either way).
 *
 * Complexity: `Cout·Cin·T` multiply-adds through the blocked, register-tiled `gemm` kernel (src/linalg/gemm.ts).
 * Agreement: equals the direct triple loop to ~1e-15 relative and numpy `W @ x + b[:, None]`
 * (../shared/refs/mix.json) to 1e-12.
 *
 * @param x signal `[Cin, T]`.
 * @param W weights `Cout × Cin`: an ml-matrix Matrix, nested arrays `W[o][i]`, or `{ data, rows, cols }` row-major.
 * @param bias optional per-output offsets (length Cout).
 * @param options `out`: a Float64Array or Float32Array of exactly Cout·T elements to write the result
 *   into (it becomes the result's `data`, and its type sets the result's dtype). For loops over
 *   blocks of a stream: reusing one buffer saves the allocation and, for large blocks, the operating
 *   system's first-touch page faults on fresh memory (docs/PERFORMANCE.md, section prefault).
 *   Without it, a large result goes into memory whose pages a helper thread mapped ahead, or
 *   into unzeroed memory (src/linalg/prefault.ts).
 * @throws ArgumentTypeError when x is not a Multichannel or W/bias/out are of the wrong kind.
 * @throws ShapeError when W's columns ≠ x.channels, bias length ≠ Cout or out's length ≠ Cout·T.
 * @throws ValueError when out shares memory with x.
 * @throws ValueError when W or bias hold NaN or ±Infinity.
 * @example
 * const x = Multichannel.fromChannels([[1, 2, 3], [4, 5, 6]]);
 * mix(x, [[1, 1], [1, -1]]).data; // [5, 7, 9, -3, -3, -3]
 * @example
 * // a stream of blocks, one output buffer
 * const out = new Float64Array(W.length * blockLength);
 * for (const block of blocks) consume(mix(block, W, undefined, { out }));
 */
export function mix(x: Multichannel, W: WeightsLike, bias?: ArrayLike<number>, options: MixOptions = {}): Multichannel {
  const fn = 'mix';
  assertMultichannel(fn, 'x', x);
  const w = toDenseWeights(fn, 'W', W);
  if (w.cols !== x.channels) {
    throw new ShapeError(message(fn, `W must have one column per input channel (x.channels = ${x.channels})`, { verbatim: `W of ${w.rows} × ${w.cols}` }));
  }
  const b = toBias(fn, 'bias', bias, w.rows);
  let workers: number | undefined;
  if (options.workers !== undefined) {
    workers = options.workers === false ? 0 : options.workers;
    assertInteger(fn, 'options.workers', workers, 0, 64);
  }
  return mixDense(x, w, b, options.out === undefined ? undefined : checkOut(fn, options.out, w.rows, x), workers);
}

/** Options of {@link mix}. */
export interface MixOptions {
  /** Destination of exactly Cout·T elements (see {@link mix}). */
  out?: Float64Array | Float32Array;
  /**
   * Worker threads besides the calling thread (0 or false: this thread only). Default, on a
   * machine with two or more cores: one for large products that are limited by arithmetic rather
   * than memory bandwidth (Cout·Cin ≥ 1024 and Cout·Cin·T ≥ 2²⁶ multiply-adds), and one when x's
   * samples lie on a SharedArrayBuffer of 32 MiB or more (the library allocates its large arrays
   * there, readWav's results among them), which the worker reads in place; none otherwise. The
   * samples are split between the threads and every thread runs the same kernel, so the result is
   * bit-for-bit identical whatever the number; the call stays synchronous. A new result (no
   * `out`) of 32 MiB or more is computed on two threads whatever the shape, into memory on a
   * SharedArrayBuffer (an ordinary typed array to its user, except that posting it to a worker
   * shares it instead of copying it): there each thread also takes its part of the operating
   * system's first-touch page faults, which cost more than the arithmetic of a memory-bound mix
   * (docs/PERFORMANCE.md, section prefault).
   */
  workers?: number | false;
}

/** Validates a caller-supplied output array: right type and length, no memory shared with x. */
function checkOut(fn: string, out: unknown, rows: number, x: Multichannel): SampleArray {
  if (!(out instanceof Float64Array || out instanceof Float32Array)) throw new ArgumentTypeError(message(fn, 'options.out must be a Float64Array or Float32Array', out));
  const n = rows * x.length;
  if (out.length !== n) throw new ShapeError(message(fn, `options.out must hold Cout × T = ${rows} × ${x.length} = ${n} elements`, out.length));
  const a = x.data;
  const overlaps = out.buffer === a.buffer && out.byteOffset < a.byteOffset + a.byteLength && a.byteOffset < out.byteOffset + out.byteLength;
  if (overlaps) throw new ValueError(message(fn, 'options.out must not share memory with x (the mix reads x while writing out)', { verbatim: 'an array overlapping x.data' }));
  return out;
}

/**
 * The real 2Cout × 2Cin matrix that performs a complex Cout × Cin mix on stacked real/imaginary
 * planes:
 * ```
 * [Yre]   [Wre  −Wim] [Xre]
 * [Yim] = [Wim   Wre] [Xim]
 * ```
 * i.e. row `o` (o < Cout) gives Re y_o, row `Cout + o` gives Im y_o; column `i` multiplies Re x_i and
 * column `Cin + i` multiplies Im x_i. `mix(stackedX, complexToRealWeights(Wre, Wim))` with
 * `stackedX = [Xre; Xim]` (2Cin channels: real planes first) equals {@link mixComplex}.
 * @throws ShapeError when Wre and Wim differ in shape; ValueError for non-finite entries.
 * @example complexToRealWeights([[0]], [[1]]).data // [0, -1, 1, 0]: multiplication by i
 */
export function complexToRealWeights(Wre: WeightsLike, Wim: WeightsLike): DenseWeights {
  const fn = 'complexToRealWeights';
  const re = toDenseWeights(fn, 'Wre', Wre);
  const im = toDenseWeights(fn, 'Wim', Wim);
  return stackComplex(fn, re, im);
}

function stackComplex(fn: string, re: DenseWeights, im: DenseWeights): DenseWeights {
  if (re.rows !== im.rows || re.cols !== im.cols) {
    throw new ShapeError(message(fn, `Wim must have the shape of Wre (${re.rows} × ${re.cols})`, { verbatim: `${im.rows} × ${im.cols}` }));
  }
  const R = re.rows;
  const C = re.cols;
  const C2 = 2 * C;
  const d = new Float64Array(4 * R * C);
  for (let o = 0; o < R; o++) {
    for (let i = 0; i < C; i++) {
      const a = re.data[o * C + i];
      const b = im.data[o * C + i];
      d[o * C2 + i] = a;
      d[o * C2 + C + i] = -b;
      d[(R + o) * C2 + i] = b;
      d[(R + o) * C2 + C + i] = a;
    }
  }
  return { data: d, rows: 2 * R, cols: C2 };
}

/**
 * Complex 1×1 mix `y[o, t] = Σ_i W[o, i] · x[i, t]` with `W = Wre + i·Wim` and `x = xRe + i·xIm`,
 * computed on real/imaginary planes:
 * `yRe = Wre·xRe − Wim·xIm`, `yIm = Wre·xIm + Wim·xRe` (one real product with the stacked matrix of
 * {@link complexToRealWeights}). The points `t` may be time frames of one frequency bin, or bins —
 * any axis along which the same complex W applies (frequency-domain beamforming applies one W per
 * bin: call this once per bin, or use the stacked form).
 *
 * Shapes: `xRe`, `xIm` `[Cin, T]` (same dtype) → `{ re, im }` each `[Cout, T]`, float64 unless both
 * inputs are float32. Complexity `4·Cout·Cin·T` real multiply-adds.
 * @throws ShapeError when xRe and xIm differ in shape, Wre and Wim differ, or W's columns ≠ Cin.
 * @example
 * // multiply one channel by i: (1 + 2i) → (−2 + 1i)
 * mixComplex(Multichannel.fromChannels([[1]]), Multichannel.fromChannels([[2]]), [[0]], [[1]]);
 */
export function mixComplex(xRe: Multichannel, xIm: Multichannel, Wre: WeightsLike, Wim: WeightsLike): { re: Multichannel; im: Multichannel } {
  const fn = 'mixComplex';
  assertMultichannel(fn, 'xRe', xRe);
  assertMultichannel(fn, 'xIm', xIm);
  if (xRe.channels !== xIm.channels || xRe.length !== xIm.length) {
    throw new ShapeError(message(fn, `xIm must have the shape of xRe [${xRe.channels}, ${xRe.length}]`, xIm));
  }
  const re = toDenseWeights(fn, 'Wre', Wre);
  const im = toDenseWeights(fn, 'Wim', Wim);
  const w = stackComplex(fn, re, im);
  if (re.cols !== xRe.channels) {
    throw new ShapeError(message(fn, `Wre must have one column per input channel (xRe.channels = ${xRe.channels})`, { verbatim: `Wre of ${re.rows} × ${re.cols}` }));
  }
  const T = xRe.length;
  const Cin = xRe.channels;
  const dtype = xRe.dtype === 'float32' && xIm.dtype === 'float32' ? 'float32' : 'float64';
  const stacked = allocateEmpty(dtype, 2 * Cin * T);
  stacked.set(xRe.data, 0);
  stacked.set(xIm.data, Cin * T);
  const out = allocateEmpty(dtype, w.rows * T);
  gemm(w.data, w.rows, w.cols, stacked, T, out);
  const Cout = re.rows;
  const meta = mixedMeta(xRe);
  return {
    re: new Multichannel(out.subarray(0, Cout * T), Cout, T, meta),
    im: new Multichannel(out.subarray(Cout * T), Cout, T, meta),
  };
}

/**
 * Complex planes of a multichannel spectrum in the STFT layout of src/fft: value (c, f, k) —
 * channel c, frame f, bin k — at index `(c · frames + f) · bins + k`. An `Stft` is one of these.
 */
export interface ComplexPlanes {
  re: Float64Array;
  im: Float64Array;
  channels: number;
  frames: number;
  bins: number;
}

/**
 * A different complex 1×1 mix in every frequency bin (frequency-domain beamforming, per-bin
 * unmixing): `y(o, f, k) = Σ_c W_k[o, c] · x(c, f, k)` with `W_k = Wre_k + i·Wim_k`.
 *
 * Layouts: `x` in the STFT layout of {@link ComplexPlanes}; the weights bin-major, each bin a
 * row-major `Cout × Cin` matrix: `W[(k · Cout + o) · Cin + c]` (length `bins · Cout · Cin`).
 * Returns `{ re, im, channels: Cout, frames, bins }` in the same layout (spread it over the input
 * `Stft` to invert: `istft({ ...s, ...y })`). Arithmetic per bin: `yRe = Wre·xRe − Wim·xIm`,
 * `yIm = Wre·xIm + Wim·xRe`. Complexity `4·Cout·Cin·frames·bins` real multiply-adds, contiguous
 * over bins in the inner loop.
 * @throws ShapeError when the planes or weights have the wrong length; ValueError for non-finite weights.
 * @example
 * const s = stft(x, { windowLength: 512, hop: 128 });
 * const y = mixPerBin(s, Wre, Wim, 1);       // e.g. per-bin beamformer weights, 1 output
 * const out = istft({ ...s, ...y });
 */
export function mixPerBin(x: ComplexPlanes, Wre: Float64Array, Wim: Float64Array, outChannels: number): ComplexPlanes {
  const fn = 'mixPerBin';
  if (typeof x !== 'object' || x === null || !(x.re instanceof Float64Array) || !(x.im instanceof Float64Array)) {
    throw new ArgumentTypeError(message(fn, 'x must have Float64Array re and im planes', x));
  }
  const { channels: C, frames: F, bins: K } = x;
  for (const [name, v] of [['x.channels', C], ['x.frames', F], ['x.bins', K], ['outChannels', outChannels]] as const) {
    if (!Number.isInteger(v) || v < (name === 'x.frames' ? 0 : 1)) throw new ShapeError(message(fn, `${name} must be a positive integer`, v));
  }
  const n = C * F * K;
  if (x.re.length !== n || x.im.length !== n) throw new ShapeError(message(fn, `x.re and x.im must hold channels × frames × bins = ${n} values`, x.re.length !== n ? x.re.length : x.im.length));
  const O = outChannels;
  const nw = K * O * C;
  for (const [name, w] of [['Wre', Wre], ['Wim', Wim]] as const) {
    if (!((w as unknown) instanceof Float64Array)) throw new ArgumentTypeError(message(fn, `${name} must be a Float64Array`, w));
    if (w.length !== nw) throw new ShapeError(message(fn, `${name} must hold bins × outChannels × channels = ${K} × ${O} × ${C} = ${nw} values`, w.length));
    for (let j = 0; j < nw; j++) {
      if (!Number.isFinite(w[j])) throw new ValueError(message(fn, `${name} must hold only finite values`, { verbatim: `${w[j]} at index ${j}` }));
    }
  }
  // Re-layout the weights as [o][c][k] so the inner loop runs over contiguous bins.
  const ar = new Float64Array(nw);
  const ai = new Float64Array(nw);
  for (let k = 0; k < K; k++) {
    for (let o = 0; o < O; o++) {
      for (let c = 0; c < C; c++) {
        ar[(o * C + c) * K + k] = Wre[(k * O + o) * C + c];
        ai[(o * C + c) * K + k] = Wim[(k * O + o) * C + c];
      }
    }
  }
  const yr = new Float64Array(O * F * K);
  const yi = new Float64Array(O * F * K);
  const xr = x.re;
  const xi = x.im;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const w0 = (o * C + c) * K;
      for (let f = 0; f < F; f++) {
        const xo = (c * F + f) * K;
        const yo = (o * F + f) * K;
        for (let k = 0; k < K; k++) {
          const p = ar[w0 + k];
          const q = ai[w0 + k];
          const u = xr[xo + k];
          const v = xi[xo + k];
          yr[yo + k] += p * u - q * v;
          yi[yo + k] += p * v + q * u;
        }
      }
    }
  }
  return { re: yr, im: yi, channels: O, frames: F, bins: K };
}
