/**
 * numpy-compatible one-shot transforms: {@link fft}, {@link ifft}, {@link rfft}, {@link irfft} for any
 * length, with numpy's `n` (crop or zero-pad) and `norm` options, and {@link nextFastLength}.
 * @module
 */
import { ArgumentTypeError, ShapeError, message } from '../core/errors.js';
import { assertAllFinite, assertInteger, assertOneOf } from '../core/validate.js';
import { complexPlan, nextPow2, realPlan } from './plan.js';

/**
 * Normalisation, exactly as numpy.fft: 'backward' (default) — forward unscaled, inverse × 1/n;
 * 'ortho' — both × 1/√n (unitary); 'forward' — forward × 1/n, inverse unscaled.
 */
export type FftNorm = 'backward' | 'ortho' | 'forward';

/** A complex array as two planes. */
export interface Complex {
  re: Float64Array;
  im: Float64Array;
}

/** Options of {@link fft}, {@link ifft}, {@link rfft}, {@link irfft}. */
export interface FftOptions {
  /** Transform length: the input is cropped or zero-padded to n (numpy's `n`). */
  n?: number;
  /** Normalisation (default 'backward'), see {@link FftNorm}. */
  norm?: FftNorm;
}

const NORMS: readonly FftNorm[] = ['backward', 'ortho', 'forward'];

function scaleFor(fn: string, norm: unknown, n: number, inverse: boolean): number {
  const nm = norm === undefined ? 'backward' : assertOneOf(fn, 'options.norm', norm, NORMS);
  if (nm === 'ortho') return 1 / Math.sqrt(n);
  if (nm === 'backward') return inverse ? 1 / n : 1;
  return inverse ? 1 : 1 / n;
}

function checkArray(fn: string, name: string, a: unknown, allowNull = false): ArrayLike<number> | null {
  if (a === undefined || a === null) {
    if (allowNull) return null;
    throw new ArgumentTypeError(message(fn, `${name} must be an array of numbers`, a));
  }
  if (!(a instanceof Float64Array || a instanceof Float32Array || Array.isArray(a) || ArrayBuffer.isView(a))) {
    throw new ArgumentTypeError(message(fn, `${name} must be an array of numbers`, a));
  }
  const arr = a as ArrayLike<number>;
  assertAllFinite(fn, name, arr);
  return arr;
}

function lengthOption(fn: string, options: FftOptions | undefined, fallback: number): number {
  const n = options?.n ?? fallback;
  assertInteger(fn, 'options.n', n, 1);
  return n;
}

function complexTransform(fn: string, re: unknown, im: unknown, options: FftOptions | undefined, inverse: boolean): Complex {
  const r = checkArray(fn, 're', re)!;
  const i = checkArray(fn, 'im', im, !inverse);
  if (i !== null && i.length !== r.length) throw new ShapeError(message(fn, `im must have the length of re (${r.length})`, i.length));
  if (options?.n === undefined && r.length === 0) throw new ShapeError(message(fn, 're must not be empty (or give options.n)', r));
  const n = lengthOption(fn, options, r.length);
  const scale = scaleFor(fn, options?.norm, n, inverse);
  const buf = new Float64Array(2 * n);
  const m = Math.min(n, r.length);
  for (let k = 0; k < m; k++) {
    buf[2 * k] = r[k];
    buf[2 * k + 1] = i === null ? 0 : i[k];
  }
  const plan = complexPlan(n);
  if (inverse) plan.inverse(buf, buf);
  else plan.forward(buf, buf);
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    outRe[k] = scale * buf[2 * k];
    outIm[k] = scale * buf[2 * k + 1];
  }
  return { re: outRe, im: outIm };
}

/**
 * Discrete Fourier transform of a complex sequence of any length, as `numpy.fft.fft`:
 * `X[k] = Σ_j x[j] e^{−2πi jk/n}` (times the norm factor). `im` may be omitted for real input.
 *
 * Shapes: `[N] → [n]` (n defaults to N). Complexity O(n log n) for every n (Bluestein for
 * non-powers of two: about 3 FFTs of the next power of two ≥ 2n−1). Agrees with numpy to ~1e-15·Σ|x|.
 * @throws ArgumentTypeError for non-arrays; ShapeError for empty input or mismatched re/im lengths;
 *   ValueError for non-finite values, a non-integer or < 1 `n`, or an unknown `norm`.
 * @example
 * fft([1, 2, 3]).re; // Float64Array [6, -1.5, -1.5]
 */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number> | null, options?: FftOptions): Complex {
  return complexTransform('fft', re, im, options, false);
}

/**
 * Inverse DFT, as `numpy.fft.ifft`: `x[j] = (1/n) Σ_k X[k] e^{+2πi jk/n}` with the default 'backward'
 * norm. Shapes `[N] → [n]`. Complexity and errors as {@link fft}.
 * @example
 * const X = fft([1, 2, 3]); ifft(X.re, X.im).re; // ≈ [1, 2, 3]
 */
export function ifft(re: ArrayLike<number>, im: ArrayLike<number>, options?: FftOptions): Complex {
  return complexTransform('ifft', re, im, options, true);
}

/**
 * DFT of a real sequence, as `numpy.fft.rfft`: the `floor(n/2) + 1` non-negative-frequency bins.
 * Shapes `[N] → [floor(n/2)+1]`. Complexity O(n log n); one complex FFT of n/2 for even n.
 * @throws as {@link fft}.
 * @example
 * rfft([1, 2, 3, 4]); // re [10, -2, -2], im [0, 2, 0]
 */
export function rfft(x: ArrayLike<number>, options?: FftOptions): Complex {
  const fn = 'rfft';
  const arr = checkArray(fn, 'x', x)!;
  if (options?.n === undefined && arr.length === 0) throw new ShapeError(message(fn, 'x must not be empty (or give options.n)', arr));
  const n = lengthOption(fn, options, arr.length);
  const scale = scaleFor(fn, options?.norm, n, false);
  const plan = realPlan(n);
  const spec = new Float64Array(2 * plan.bins);
  plan.forwardInterleaved(arr, 0, Math.min(n, arr.length), spec);
  const re = new Float64Array(plan.bins);
  const im = new Float64Array(plan.bins);
  for (let k = 0; k < plan.bins; k++) {
    re[k] = scale * spec[2 * k];
    im[k] = scale * spec[2 * k + 1];
  }
  return { re, im };
}

/**
 * Inverse of {@link rfft}, as `numpy.fft.irfft`: a real sequence of length n (default
 * `2·(bins − 1)`) from its half spectrum. Bins beyond `floor(n/2)+1` are ignored, missing ones are
 * zero; the imaginary parts of bin 0 and (even n) bin n/2 are ignored, as numpy does.
 * Shapes `[bins] → [n]`. Complexity O(n log n).
 * @throws ArgumentTypeError when `spec` is not `{ re, im }`; ShapeError for mismatched lengths or
 *   an empty spectrum; ValueError as {@link fft}.
 * @example
 * irfft(rfft([1, 2, 3, 4])); // ≈ [1, 2, 3, 4]
 * irfft(rfft([1, 2, 3]), { n: 3 }); // ≈ [1, 2, 3] (odd lengths need n)
 */
export function irfft(spec: Complex, options?: FftOptions): Float64Array {
  const fn = 'irfft';
  if (typeof spec !== 'object' || spec === null) throw new ArgumentTypeError(message(fn, 'spec must be { re, im }', spec));
  const re = checkArray(fn, 'spec.re', spec.re)!;
  const im = checkArray(fn, 'spec.im', spec.im)!;
  if (re.length !== im.length) throw new ShapeError(message(fn, `spec.im must have the length of spec.re (${re.length})`, im.length));
  if (re.length === 0) throw new ShapeError(message(fn, 'spec must not be empty', re));
  if (options?.n === undefined && re.length < 2) {
    throw new ShapeError(message(fn, 'spec needs at least 2 bins when options.n is not given (n = 2·(bins − 1))', re.length));
  }
  const n = lengthOption(fn, options, 2 * (re.length - 1));
  const scale = scaleFor(fn, options?.norm, n, true);
  const plan = realPlan(n);
  const buf = new Float64Array(2 * plan.bins);
  const m = Math.min(plan.bins, re.length);
  for (let k = 0; k < m; k++) {
    buf[2 * k] = re[k];
    buf[2 * k + 1] = im[k];
  }
  const out = new Float64Array(n);
  plan.inverseInterleaved(buf, out, scale);
  return out;
}

/**
 * The FFT length this package transforms fastest among lengths ≥ n: the smallest power of two,
 * 3·2^k or 5·2^k that is ≥ n.
 *
 * pointwise's FFT kernel is fft.js (radix-4, powers of two only). Lengths 3·2^k and 5·2^k add one
 * mixed-radix step (src/fft/plan.ts), and per point they cost about what a power of two does, so
 * they beat the next power of two (up to 8/5 larger); every other length goes through Bluestein's
 * algorithm, which costs about three power-of-two FFTs of size ≥ 2n−1. So unlike
 * scipy.fft.next_fast_len (5-smooth for real, 11-smooth for complex; see
 * ../shared/refs/next_fast_len.json), the fast sizes here are this thinner family, for real and
 * complex transforms alike (`real` is accepted for signature compatibility and does not change the
 * answer). bench/fft.ts times both choices through this package.
 *
 * Complexity O(log n).
 * @throws ValueError unless n is an integer ≥ 1 (and ≤ 2^30).
 * @example
 * nextFastLength(1001); // 1024
 * nextFastLength(160080); // 163840 = 5·2^15 (the next power of two is 262144)
 */
export function nextFastLength(n: number, real = true): number {
  assertInteger('nextFastLength', 'n', n, 1, 0x40000000);
  void real;
  const p2 = nextPow2(n);
  const p3 = 3 * nextPow2(Math.ceil(n / 3));
  const p5 = 5 * nextPow2(Math.ceil(n / 5));
  return Math.min(p2, p3, p5);
}
