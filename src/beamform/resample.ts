/**
 * Rational-factor resampling by a polyphase FIR filter: scipy.signal.resample_poly (used to bring
 * 16 kHz dry speech to the 48 kHz of the office recordings, and useful on its own).
 * @module
 */
import { Multichannel, allocate, asMultichannel, type SignalLike } from '../core/multichannel.js';
import { ValueError, message } from '../core/errors.js';
import { assertAllFinite, assertFinite, assertInteger, assertPositive, isNumericArray } from '../core/validate.js';
import { besselI0, type WindowSpec } from '../fft/window.js';
import { firwin } from '../filter/fir.js';
import { checkExtension, upfirdnKernel, type ExtensionMode } from '../filter/resample.js';

/** How resamplePoly continues the signal beyond its ends: an {@link ExtensionMode}, or a constant equal to each channel's mean, median, minimum or maximum (subtracted before filtering and added back). */
export type PadType = ExtensionMode | 'mean' | 'median' | 'minimum' | 'maximum';

const STATISTICS = ['mean', 'median', 'minimum', 'maximum'] as const;

/** Options of {@link resamplePoly}. */
export interface ResamplePolyOptions {
  /**
   * The anti-aliasing filter, as scipy's `window`: a {@link WindowSpec} for
   * `firwin(2·10·max(up, down) + 1, 1/max(up, down), { window })` (default `['kaiser', 5.0]`, scipy's
   * default), or the FIR coefficients themselves (a numeric array, used at the upsampled rate and
   * multiplied by up; its centre is sample (length − 1) // 2).
   */
  window?: WindowSpec | ArrayLike<number>;
  /** Signal extension beyond both ends (default 'constant', zeros): see {@link PadType}. */
  padtype?: PadType;
  /** The constant of padtype 'constant' (default 0); only with that padtype, as scipy. */
  cval?: number;
  /**
   * The longer Kaiser-windowed sinc of earlier pointwise versions instead of scipy's filter (give
   * `halfWidth` and/or `beta`; not together with `window`): cutoff min(1, up/down) of the input
   * Nyquist rate, `halfWidth` input-rate zero crossings each side (default 32), Kaiser β
   * (default 8.6, stop band below about −90 dB, against scipy's default of about −45 dB).
   */
  halfWidth?: number;
  /** Kaiser β of the halfWidth design (see halfWidth). */
  beta?: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The statistic of `padtype` over one channel (numpy's mean, median, amin, amax). */
function statistic(kind: (typeof STATISTICS)[number], x: ArrayLike<number>): number {
  const n = x.length;
  if (kind === 'mean') {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i];
    return s / n;
  }
  if (kind === 'minimum' || kind === 'maximum') {
    let v = x[0];
    for (let i = 1; i < n; i++) v = kind === 'minimum' ? Math.min(v, x[i]) : Math.max(v, x[i]);
    return v;
  }
  const s = Float64Array.from(x).sort();
  return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/**
 * Resamples every channel by `up / down`, as `scipy.signal.resample_poly(x, up, down, axis=-1,
 * window, padtype, cval)`: `[C, N] → [C, ceil(N·up/down)]` (factors reduced by their gcd), output
 * sample n at input time n·down/up. The signal is upsampled by zero insertion, filtered by a
 * zero-phase FIR low-pass (cutoff 1/max(up, down) of the upsampled Nyquist rate; by default
 * scipy's Kaiser window β = 5 with 10·max(up, down) taps each side, see {@link ResamplePolyOptions})
 * times `up`, and downsampled, computed polyphase with {@link upfirdn}'s kernel:
 * O(C · N·up/down · taps/up). With default options the result equals scipy's to 1e-12
 * (test/fixtures/refs/fir.json, every window form and padtype).
 *
 * The sample rate is multiplied by up/down. The result keeps x's element type (float32 in →
 * float32 out, as scipy); the sums are float64 (scipy sums float32 input in float32).
 * up = down returns a copy.
 * @throws ValueError for up/down not integers ≥ 1, an unknown window or padtype, cval with a
 *   padtype other than 'constant', window together with halfWidth/beta, a non-finite coefficient.
 * @throws ArgumentTypeError / ShapeError for an x that is not a signal or is empty.
 * @example
 * resamplePoly(dry16k, 3, 1);                                 // 16 kHz → 48 kHz, as scipy
 * resamplePoly(x, 2, 3, { window: ['kaiser', 8], padtype: 'line' });
 */
export function resamplePoly(x: SignalLike, up: number, down: number, options: ResamplePolyOptions = {}): Multichannel {
  const fn = 'resamplePoly';
  const m = asMultichannel(fn, 'x', x);
  assertInteger(fn, 'up', up, 1);
  assertInteger(fn, 'down', down, 1);
  const padtype = options.padtype ?? 'constant';
  const stat = (STATISTICS as readonly string[]).includes(padtype as string) ? (padtype as (typeof STATISTICS)[number]) : null;
  const mode = stat ? 'constant' : checkExtension(fn, 'options.padtype', padtype, m.length);
  if (options.cval !== undefined && padtype !== 'constant') throw new ValueError(message(fn, "options.cval can only be given with padtype 'constant'", padtype));
  const cval = options.cval ?? 0;
  assertFinite(fn, 'options.cval', cval);
  const legacy = options.halfWidth !== undefined || options.beta !== undefined;
  if (legacy && options.window !== undefined) throw new ValueError(message(fn, 'options.window cannot be combined with options.halfWidth / options.beta (two filter designs)', options.window));
  const gd = gcd(up, down);
  const U = up / gd;
  const D = down / gd;
  const meta = m.meta;
  delete meta.shape;
  if (U === 1 && D === 1) return new Multichannel(m.data.slice(), m.channels, m.length, meta);
  const { h, first } = legacy ? kaiserSincFilter(fn, U, D, options.halfWidth ?? 32, options.beta ?? 8.6) : scipyFilter(fn, U, D, options.window ?? ['kaiser', 5.0]);
  const N = m.length;
  const No = Math.floor((N * U + D - 1) / D);
  const out = allocate(m.dtype, m.channels * No);
  for (let c = 0; c < m.channels; c++) {
    const src = m.data.subarray(c * N, (c + 1) * N);
    if (stat) {
      const bg = statistic(stat, src);
      const xc = Float64Array.from(src, (v) => v - bg);
      const y = new Float64Array(No);
      upfirdnKernel(h, xc, U, D, mode, cval, first, No, y, 0);
      for (let i = 0; i < No; i++) out[c * No + i] = y[i] + bg;
    } else upfirdnKernel(h, src, U, D, mode, cval, first, No, out, c * No);
  }
  if (m.sampleRate !== undefined) meta.sampleRate = (m.sampleRate * U) / D;
  return new Multichannel(out, m.channels, No, meta);
}

/**
 * scipy's filter: firwin(2·halfLen + 1, 1/max(U, D), window) × U (or the given taps × U), preceded
 * by zeros so that the output sample `first` of upfirdn is the first kept one.
 */
function scipyFilter(fn: string, U: number, D: number, window: WindowSpec | ArrayLike<number>): { h: Float64Array; first: number } {
  let taps: Float64Array;
  let halfLen: number;
  if (isNumericArray(window)) {
    if (window.length === 0) throw new ValueError(message(fn, 'options.window as FIR coefficients must not be empty', window));
    taps = Float64Array.from(window);
    assertAllFinite(fn, 'options.window', taps);
    halfLen = Math.floor((taps.length - 1) / 2);
  } else {
    const maxRate = Math.max(U, D);
    halfLen = 10 * maxRate;
    taps = firwin(2 * halfLen + 1, 1 / maxRate, { window: window as WindowSpec });
  }
  const prePad = D - (halfLen % D);
  const h = new Float64Array(prePad + taps.length);
  for (let i = 0; i < taps.length; i++) h[prePad + i] = taps[i] * U;
  return { h, first: Math.floor((halfLen + prePad) / D) };
}

/**
 * The Kaiser-windowed sinc `g(u) = fc·sinc(fc·u)·kaiser(u / (reach + 1))` (u in input samples,
 * fc = min(1, U/D), reach = ceil(halfWidth/fc)) sampled at the upsampled rate for u ∈ [−reach, reach),
 * placed so that upfirdn's output sample `first + n` is at input time n·D/U.
 */
function kaiserSincFilter(fn: string, U: number, D: number, halfWidth: number, beta: number): { h: Float64Array; first: number } {
  assertInteger(fn, 'options.halfWidth', halfWidth, 1);
  assertPositive(fn, 'options.beta', beta);
  const fc = Math.min(1, U / D);
  const reach = Math.ceil(halfWidth / fc);
  const first = Math.ceil((reach * U) / D);
  const c = first * D;
  const h = new Float64Array(c + reach * U);
  const i0b = besselI0(beta);
  for (let j = c - reach * U; j < h.length; j++) {
    const u = (j - c) / U;
    const a = fc * u;
    const sinc = Math.abs(a) < 1e-12 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a);
    const r = u / (reach + 1);
    h[j] = Math.abs(r) >= 1 ? 0 : (fc * sinc * besselI0(beta * Math.sqrt(1 - r * r))) / i0b;
  }
  return { h, first };
}
