/**
 * Rational-factor resampling by a polyphase Kaiser-windowed sinc (used to bring 16 kHz dry speech to
 * the 48 kHz of the office recordings, and useful on its own).
 * @module
 */
import { Multichannel, allocate } from '../core/multichannel.js';
import { ArgumentTypeError, message } from '../core/errors.js';
import { assertInteger, assertPositive } from '../core/validate.js';
import { besselI0 } from '../fft/window.js';

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Resamples every channel by `up / down`: `[C, N] → [C, ceil(N·up/down)]`, output sample n at input
 * time n·down/up, `y[n] = Σ_k x[k] · fc·sinc(fc·(t − k)) · kaiser(t − k)` with cutoff
 * `fc = min(1, up/down)` (anti-aliasing when downsampling) and `halfWidth` input-rate zero crossings
 * each side (default 32, Kaiser β = 8.6: stop band below about −90 dB). One polyphase table of `up`
 * phases; O(C · N·up/down · 2·halfWidth/fc). The sample rate is multiplied by up/down. The result
 * keeps x's element type (float32 in → float32 out, as scipy.signal.resample_poly); the sums are
 * float64.
 * @throws ValueError for non-positive integer factors.
 * @example resamplePoly(dry16k, 3, 1) // 16 kHz → 48 kHz
 */
export function resamplePoly(x: Multichannel, up: number, down: number, options: { halfWidth?: number; beta?: number } = {}): Multichannel {
  const fn = 'resamplePoly';
  if (!(x instanceof Multichannel)) throw new ArgumentTypeError(message(fn, 'x must be a Multichannel', x));
  assertInteger(fn, 'up', up, 1);
  assertInteger(fn, 'down', down, 1);
  const hw = options.halfWidth ?? 32;
  assertInteger(fn, 'halfWidth', hw, 1);
  const beta = options.beta ?? 8.6;
  assertPositive(fn, 'beta', beta);
  const gd = gcd(up, down);
  const U = up / gd;
  const D = down / gd;
  const fc = Math.min(1, U / D);
  const reach = Math.ceil(hw / fc); // input samples each side
  const taps = 2 * reach;
  // phase p: fractional offset p / U; taps for k = floor(t) − reach + 1 … floor(t) + reach
  const table = new Float64Array(U * taps);
  const i0b = besselI0(beta);
  for (let p = 0; p < U; p++) {
    const frac = p / U;
    for (let i = 0; i < taps; i++) {
      const u = frac - (i - reach + 1); // t − k
      const a = fc * u;
      const sinc = Math.abs(a) < 1e-12 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a);
      const r = u / (reach + 1);
      const win = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0b;
      table[p * taps + i] = fc * sinc * win;
    }
  }
  const N = x.length;
  const No = Math.ceil((N * U) / D);
  const out = allocate(x.dtype, x.channels * No);
  for (let c = 0; c < x.channels; c++) {
    const src = x.data.subarray(c * N, (c + 1) * N);
    const o = c * No;
    for (let n = 0; n < No; n++) {
      const num = n * D;
      const k0 = Math.floor(num / U);
      const p = num - k0 * U;
      const first = k0 - reach + 1;
      const tb = p * taps;
      let s = 0;
      const i0 = Math.max(0, -first);
      const i1 = Math.min(taps, N - first);
      for (let i = i0; i < i1; i++) s += table[tb + i] * src[first + i];
      out[o + n] = s;
    }
  }
  const meta = x.meta;
  delete meta.shape;
  if (x.sampleRate !== undefined) meta.sampleRate = (x.sampleRate * U) / D;
  return new Multichannel(out, x.channels, No, meta);
}
