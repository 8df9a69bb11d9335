/**
 * Analysis windows for spectral analysis and the STFT.
 * @module
 */
import { assertInteger, assertOneOf } from '../core/validate.js';

/** Window names: periodic Hann, its square root (for analysis + synthesis pairs), periodic Hamming, rectangular. */
export type WindowName = 'hann' | 'sqrt-hann' | 'hamming' | 'rect';

const NAMES: readonly WindowName[] = ['hann', 'sqrt-hann', 'hamming', 'rect'];

/**
 * A window of `length` samples. Windows are periodic by default (scipy.signal.get_window's
 * `fftbins=True`): `hann[j] = 0.5 − 0.5 cos(2πj/length)`, so Hann at hop length/2 sums to exactly 1
 * (COLA) and sqrt-Hann squared does too. With `symmetric: true` the denominator is `length − 1`
 * (numpy.hanning / numpy.hamming).
 *
 * Complexity O(length).
 * @throws ValueError for an unknown name or a length that is not an integer ≥ 1.
 * @example
 * getWindow('hann', 4); // [0, 0.5, 1, 0.5]
 */
export function getWindow(name: WindowName, length: number, options: { symmetric?: boolean } = {}): Float64Array {
  const fn = 'getWindow';
  const nm = assertOneOf(fn, 'name', name, NAMES);
  assertInteger(fn, 'length', length, 1);
  const w = new Float64Array(length);
  const denom = options.symmetric ? Math.max(length - 1, 1) : length;
  for (let j = 0; j < length; j++) {
    const c = Math.cos((2 * Math.PI * j) / denom);
    switch (nm) {
      case 'hann':
        w[j] = 0.5 - 0.5 * c;
        break;
      case 'sqrt-hann':
        w[j] = Math.sqrt(0.5 - 0.5 * c);
        break;
      case 'hamming':
        w[j] = 0.54 - 0.46 * c;
        break;
      case 'rect':
        w[j] = 1;
        break;
    }
  }
  if (options.symmetric && length === 1) w[0] = 1;
  return w;
}

/**
 * Modified Bessel function of the first kind, order 0, by its power series (relative accuracy
 * ~1e-16 for the Kaiser-window arguments used here, |x| ≲ 50). Shared by the Kaiser-windowed sinc
 * filters of the beamforming and resampling code.
 * @internal
 */
export function besselI0(x: number): number {
  let s = 1;
  let t = 1;
  for (let k = 1; k < 60; k++) {
    t *= (x / (2 * k)) ** 2;
    s += t;
    if (t < 1e-17 * s) break;
  }
  return s;
}
