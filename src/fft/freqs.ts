/**
 * Sample frequencies of a DFT and the shifts that move zero frequency to the centre
 * (numpy.fft.fftfreq / rfftfreq / fftshift / ifftshift).
 * @module
 */
import { ArgumentTypeError, ValueError, message } from '../core/errors.js';
import { assertFinite, assertInteger, isNumericArray } from '../core/validate.js';

function checkSpacing(fn: string, d: number): void {
  assertFinite(fn, 'd', d);
  if (d === 0) throw new ValueError(message(fn, 'd (sample spacing) must be non-zero', d));
}

/**
 * The frequency of every bin of an `n`-point DFT for samples `d` apart (seconds → Hz), in the
 * DFT's own order: `[0, 1, …, ceil(n/2)−1, −floor(n/2), …, −1] / (n·d)`. Computed as
 * `k · (1/(n·d))`, exactly as numpy.fft.fftfreq does, so the values agree bit for bit.
 *
 * Shapes: `n → [n]`. Complexity O(n).
 * @throws ValueError when `n` is not an integer ≥ 1 or `d` is 0 or not finite.
 * @example
 * fftfreq(4, 0.1); // [0, 2.5, −5, −2.5]
 */
export function fftfreq(n: number, d = 1): Float64Array {
  const fn = 'fftfreq';
  assertInteger(fn, 'n', n, 1);
  checkSpacing(fn, d);
  const val = 1 / (n * d);
  const out = new Float64Array(n);
  const pos = Math.floor((n - 1) / 2) + 1;
  for (let k = 0; k < pos; k++) out[k] = k * val;
  for (let k = pos; k < n; k++) out[k] = (k - n) * val;
  return out;
}

/**
 * The frequency of every bin of a real `n`-point DFT (rfft: `floor(n/2)+1` bins) for samples `d`
 * apart: `[0, 1, …, floor(n/2)] / (n·d)`, computed as numpy.fft.rfftfreq does (bit for bit).
 *
 * Shapes: `n → [floor(n/2)+1]`. Complexity O(n).
 * @throws ValueError when `n` is not an integer ≥ 1 or `d` is 0 or not finite.
 * @example
 * rfftfreq(5, 0.5); // [0, 0.4, 0.8]
 */
export function rfftfreq(n: number, d = 1): Float64Array {
  const fn = 'rfftfreq';
  assertInteger(fn, 'n', n, 1);
  checkSpacing(fn, d);
  const val = 1 / (n * d);
  const out = new Float64Array(Math.floor(n / 2) + 1);
  for (let k = 0; k < out.length; k++) out[k] = k * val;
  return out;
}

function roll(fn: string, x: ArrayLike<number>, shift: number): Float64Array {
  if (!isNumericArray(x)) throw new ArgumentTypeError(message(fn, 'x must be a Float64Array, Float32Array or number[]', x));
  const n = x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[(i + shift) % n] = x[i];
  return out;
}

/**
 * Moves the zero-frequency bin to the centre: element i goes to `(i + floor(n/2)) mod n`
 * (numpy.fft.fftshift of a 1-D array). `fftshift(fftfreq(n))` is increasing.
 *
 * Shapes: `[n] → [n]` (a new Float64Array). Complexity O(n).
 * @throws ArgumentTypeError when x is not a numeric array.
 * @example
 * fftshift([0, 1, 2, -2, -1]); // [−2, −1, 0, 1, 2]
 */
export function fftshift(x: ArrayLike<number>): Float64Array {
  return roll('fftshift', x, Math.floor(x?.length / 2));
}

/**
 * The inverse of {@link fftshift}: element i goes to `(i + n − floor(n/2)) mod n`
 * (numpy.fft.ifftshift; differs from fftshift for odd n).
 *
 * Shapes: `[n] → [n]` (a new Float64Array). Complexity O(n).
 * @throws ArgumentTypeError when x is not a numeric array.
 * @example
 * ifftshift([-2, -1, 0, 1, 2]); // [0, 1, 2, −2, −1]
 */
export function ifftshift(x: ArrayLike<number>): Float64Array {
  const n = x?.length;
  return roll('ifftshift', x, n - Math.floor(n / 2));
}
