/**
 * FIR filter design by the window method, as scipy.signal: `firwin` (ideal band edges × a
 * window), `firwin2` (a piecewise-linear gain × a window, by frequency sampling), and the Kaiser
 * design formulas `kaiserord`, `kaiserBeta`, `kaiserAtten`.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertAllFinite, assertFinite, assertInteger, assertNumericArray, assertPositive } from '../core/validate.js';
import { irfft } from '../fft/transforms.js';
import { getWindow, type WindowSpec } from '../fft/window.js';

/** Which bands pass: `true` (DC passes) / `false`, or scipy's names for one or two edges. */
export type PassZero = boolean | 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';

/** Options of {@link firwin}. */
export interface FirwinOptions {
  /**
   * Approximate transition width (in the units of `fs`): when given, the window is a Kaiser window
   * whose β comes from {@link kaiserAtten}(numtaps, width/(fs/2)) and {@link kaiserBeta}, and
   * `window` is ignored (as scipy).
   */
  width?: number;
  /** The window, any {@link WindowSpec} (default 'hamming'); used symmetric. */
  window?: WindowSpec;
  /**
   * true (default): the band from 0 to the first cutoff passes; false: it stops. 'lowpass' /
   * 'highpass' (one cutoff) and 'bandpass' / 'bandstop' (two or more) as scipy.
   */
  passZero?: PassZero;
  /**
   * Scale so the response is exactly 1 at the centre of the first pass band: 0 Hz when DC passes,
   * fs/2 when the first pass band reaches Nyquist, its middle otherwise (default true).
   */
  scale?: boolean;
  /** Sample rate; cutoffs are in its units (default 2: cutoffs relative to Nyquist = 1). */
  fs?: number;
}

/** Options of {@link firwin2}. */
export interface Firwin2Options {
  /** Size of the frequency grid (default 1 + 2^ceil(log2(numtaps))); must exceed numtaps. */
  nfreqs?: number;
  /** The window, any {@link WindowSpec} (default 'hamming'), or null for none. */
  window?: WindowSpec | null;
  /** Antisymmetric (type III/IV) rather than symmetric (type I/II) taps (default false). */
  antisymmetric?: boolean;
  /** Sample rate; `freq` runs from 0 to fs/2 (default 2). */
  fs?: number;
}

/** numpy.sinc. */
function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

function sampleRate(fn: string, fs: unknown): number {
  if (fs === undefined) return 2;
  assertPositive(fn, 'options.fs', fs);
  return fs;
}

/**
 * Kaiser's formula for the window β that gives a stop-band attenuation of `a` dB:
 * `0.1102(a − 8.7)` above 50 dB, `0.5842(a − 21)^0.4 + 0.07886(a − 21)` from 21 to 50 dB, 0 below
 * (scipy.signal.kaiser_beta, exactly).
 * @throws ValueError for a non-finite `a`.
 * @example kaiserBeta(65); // 6.20426
 */
export function kaiserBeta(a: number): number {
  assertFinite('kaiserBeta', 'a', a);
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a > 21) return 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21);
  return 0;
}

/**
 * Kaiser's estimate of the stop-band attenuation (dB) of a Kaiser-window FIR filter with `numtaps`
 * taps and transition width `width` (relative to Nyquist = 1): `2.285 (numtaps − 1) π width + 7.95`
 * (scipy.signal.kaiser_atten, exactly).
 * @throws ValueError for a non-finite argument.
 * @example kaiserAtten(211, 0.0375); // 64.48
 */
export function kaiserAtten(numtaps: number, width: number): number {
  assertFinite('kaiserAtten', 'numtaps', numtaps);
  assertFinite('kaiserAtten', 'width', width);
  return 2.285 * (numtaps - 1) * Math.PI * width + 7.95;
}

/**
 * Kaiser window design: the number of taps and the β of a Kaiser-window FIR filter whose pass- and
 * stop-band ripple is at most `ripple` dB (its absolute value is used) with transition width
 * `width` relative to Nyquist = 1 (scipy.signal.kaiserord, exactly; scipy returns the tuple
 * `(numtaps, beta)`). Use with `firwin(numtaps, cutoff, { window: ['kaiser', beta] })`.
 * @throws ValueError when |ripple| < 8 dB (outside Kaiser's formula), width is not > 0, or a
 *   value is not finite.
 * @example kaiserord(65, 24 / 500); // { numtaps: 136, beta: 6.20426 }
 */
export function kaiserord(ripple: number, width: number): { numtaps: number; beta: number } {
  const fn = 'kaiserord';
  assertFinite(fn, 'ripple', ripple);
  assertPositive(fn, 'width', width);
  const A = Math.abs(ripple);
  if (A < 8) throw new ValueError(message(fn, 'ripple must be at least 8 dB in absolute value (Kaiser formula)', ripple));
  const beta = kaiserBeta(A);
  const numtaps = (A - 7.95) / 2.285 / (Math.PI * width) + 1;
  return { numtaps: Math.ceil(numtaps), beta };
}

/**
 * Linear-phase FIR filter by the window method, as `scipy.signal.firwin`: the ideal response of
 * the bands between the `cutoff` edges (alternately pass and stop, starting as `passZero` says),
 * i.e. a sum of sincs centred on (numtaps − 1)/2, times a symmetric window, scaled to 1 at the
 * centre of the first pass band. Shapes `cutoff [K] → taps [numtaps]`. O(numtaps · K).
 * Matches scipy 1.10 to 1e-13 (test/fixtures/refs/fir.json).
 * @param numtaps number of taps (odd when the response at Nyquist is non-zero).
 * @param cutoff band edge(s) in the units of `fs`, strictly increasing in (0, fs/2).
 * @throws ValueError for numtaps not an integer ≥ 1, an empty, non-finite, unsorted or
 *   out-of-range cutoff, a passZero name that does not fit the number of edges, an even numtaps
 *   with a pass band at Nyquist, or a bad width, window or fs.
 * @throws ArgumentTypeError for a cutoff that is not a number or numeric array.
 * @example
 * firwin(31, 0.25);                                        // low-pass, edge at fs/8
 * firwin(101, [1000, 2000], { passZero: false, fs: 8000 }); // band-pass 1–2 kHz
 * firwin(65, 300, { width: 100, fs: 8000 });               // Kaiser window from the width
 */
export function firwin(numtaps: number, cutoff: number | ArrayLike<number>, options: FirwinOptions = {}): Float64Array {
  const fn = 'firwin';
  assertInteger(fn, 'numtaps', numtaps, 1);
  const fs = sampleRate(fn, options.fs);
  const nyq = 0.5 * fs;
  const raw = typeof cutoff === 'number' ? [cutoff] : assertNumericArray(fn, 'cutoff', cutoff, true);
  if (raw.length === 0) throw new ShapeError(message(fn, 'cutoff must hold at least one frequency', raw));
  assertAllFinite(fn, 'cutoff', raw);
  const c = Float64Array.from(raw, (v) => v / nyq);
  for (let i = 0; i < c.length; i++) {
    if (!(c[i] > 0 && c[i] < 1)) throw new ValueError(message(fn, `cutoff frequencies must be > 0 and < fs/2 = ${nyq}`, { verbatim: `${raw[i]} at index ${i}` }));
    if (i > 0 && !(c[i] > c[i - 1])) throw new ValueError(message(fn, 'cutoff frequencies must be strictly increasing', { verbatim: `${raw[i]} after ${raw[i - 1]} at index ${i}` }));
  }
  let window: WindowSpec = options.window ?? 'hamming';
  if (options.width !== undefined) {
    assertPositive(fn, 'options.width', options.width);
    window = ['kaiser', kaiserBeta(kaiserAtten(numtaps, options.width / nyq))];
  }
  const pz = options.passZero ?? true;
  let passZero: boolean;
  if (typeof pz === 'boolean') passZero = pz;
  else if (pz === 'lowpass' || pz === 'highpass') {
    if (c.length !== 1) throw new ValueError(message(fn, `cutoff must have one element when passZero is '${pz}'`, { verbatim: `${c.length} elements` }));
    passZero = pz === 'lowpass';
  } else if (pz === 'bandpass' || pz === 'bandstop') {
    if (c.length < 2) throw new ValueError(message(fn, `cutoff must have at least two elements when passZero is '${pz}'`, { verbatim: `${c.length} element` }));
    passZero = pz === 'bandstop';
  } else throw new ValueError(message(fn, "options.passZero must be true, false, 'lowpass', 'highpass', 'bandpass' or 'bandstop'", pz));
  const passNyquist = (c.length % 2 === 1) !== passZero;
  if (passNyquist && numtaps % 2 === 0) {
    throw new ValueError(message(fn, 'a filter with a pass band at Nyquist needs an odd numtaps (an even-length linear-phase filter has a zero there)', numtaps));
  }
  const edges = [...(passZero ? [0] : []), ...c, ...(passNyquist ? [1] : [])];
  const alpha = 0.5 * (numtaps - 1);
  const h = new Float64Array(numtaps);
  for (let b = 0; b < edges.length; b += 2) {
    const left = edges[b];
    const right = edges[b + 1];
    for (let j = 0; j < numtaps; j++) {
      const m = j - alpha;
      h[j] += right * sinc(right * m);
      h[j] -= left * sinc(left * m);
    }
  }
  const win = getWindow(window, numtaps, { symmetric: true });
  for (let j = 0; j < numtaps; j++) h[j] *= win[j];
  if (options.scale ?? true) {
    const [left, right] = edges;
    const f = left === 0 ? 0 : right === 1 ? 1 : 0.5 * (left + right);
    let s = 0;
    for (let j = 0; j < numtaps; j++) s += h[j] * Math.cos(Math.PI * (j - alpha) * f);
    for (let j = 0; j < numtaps; j++) h[j] /= s;
  }
  return h;
}

/** numpy.interp(x, xp, fp) for increasing xp and x within [xp[0], xp[-1]]. */
function interp(x: number, xp: Float64Array, fp: ArrayLike<number>, start: number): { v: number; j: number } {
  let j = start;
  while (j < xp.length - 1 && xp[j + 1] <= x) j++;
  if (j === xp.length - 1) return { v: fp[j], j };
  if (x === xp[j]) return { v: fp[j], j };
  const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  return { v: slope * (x - xp[j]) + fp[j], j };
}

/**
 * Linear-phase FIR filter by frequency sampling, as `scipy.signal.firwin2`: the gain, linear
 * between the points (`freq[i]`, `gain[i]`), sampled on `nfreqs` frequencies from 0 to fs/2, given
 * the linear phase of (numtaps − 1)/2 samples (and a quarter turn for antisymmetric filters),
 * inverse real FFT of length 2(nfreqs − 1), the first numtaps samples times the window. A frequency
 * may appear twice (a step in the gain); it is spread by ±eps·fs/2 as scipy does.
 * Shapes `freq, gain [K] → taps [numtaps]`. O(nfreqs log nfreqs).
 * Matches scipy 1.10 to 1e-13 (test/fixtures/refs/fir.json).
 * @throws ValueError for numtaps not an integer ≥ 1, nfreqs ≤ numtaps, freq not starting at 0 and
 *   ending at fs/2 or decreasing or with a value three times, a gain that the filter type forces to
 *   zero (type II at Nyquist, type III at 0 and Nyquist, type IV at 0) but is not, or non-finite
 *   values.
 * @throws ShapeError when freq and gain differ in length.
 * @example
 * firwin2(51, [0, 0.5, 0.55, 1], [1, 1, 0, 0]);               // low-pass with a 0.05 transition
 * firwin2(64, [0, 4000], [0, 1], { antisymmetric: true, fs: 8000 }); // differentiator-like (type IV)
 */
export function firwin2(numtaps: number, freq: ArrayLike<number>, gain: ArrayLike<number>, options: Firwin2Options = {}): Float64Array {
  const fn = 'firwin2';
  assertInteger(fn, 'numtaps', numtaps, 1);
  const fs = sampleRate(fn, options.fs);
  const nyq = 0.5 * fs;
  const f0 = assertNumericArray(fn, 'freq', freq);
  const g = assertNumericArray(fn, 'gain', gain);
  assertAllFinite(fn, 'freq', f0);
  assertAllFinite(fn, 'gain', g);
  if (f0.length !== g.length) throw new ShapeError(message(fn, `gain must have the length of freq (${f0.length})`, g.length));
  if (f0.length < 2) throw new ShapeError(message(fn, 'freq must hold at least 2 points (0 and fs/2)', f0.length));
  if (options.nfreqs !== undefined) assertInteger(fn, 'options.nfreqs', options.nfreqs, numtaps + 1);
  const K = f0.length;
  if (f0[0] !== 0 || f0[K - 1] !== nyq) throw new ValueError(message(fn, `freq must start with 0 and end with fs/2 = ${nyq}`, { verbatim: `[${f0[0]}, …, ${f0[K - 1]}]` }));
  for (let i = 0; i + 1 < K; i++) {
    if (f0[i + 1] < f0[i]) throw new ValueError(message(fn, 'freq must be non-decreasing', { verbatim: `${f0[i + 1]} after ${f0[i]} at index ${i + 1}` }));
    if (i + 2 < K && f0[i] === f0[i + 2]) throw new ValueError(message(fn, 'a value in freq must not occur more than twice', f0[i]));
  }
  if (f0[1] === 0) throw new ValueError(message(fn, 'the value 0 must not be repeated in freq', f0[1]));
  if (f0[K - 2] === nyq) throw new ValueError(message(fn, 'the value fs/2 must not be repeated in freq', f0[K - 2]));
  const antisymmetric = options.antisymmetric ?? false;
  if (typeof antisymmetric !== 'boolean') throw new ArgumentTypeError(message(fn, 'options.antisymmetric must be a boolean', antisymmetric));
  const ftype = antisymmetric ? (numtaps % 2 === 0 ? 4 : 3) : numtaps % 2 === 0 ? 2 : 1;
  if (ftype === 2 && g[K - 1] !== 0) throw new ValueError(message(fn, 'a type II filter (even numtaps, symmetric) must have zero gain at Nyquist', g[K - 1]));
  if (ftype === 3 && (g[0] !== 0 || g[K - 1] !== 0)) throw new ValueError(message(fn, 'a type III filter (odd numtaps, antisymmetric) must have zero gain at 0 and Nyquist', { verbatim: `${g[0]} and ${g[K - 1]}` }));
  if (ftype === 4 && g[0] !== 0) throw new ValueError(message(fn, 'a type IV filter (even numtaps, antisymmetric) must have zero gain at 0', g[0]));
  const nfreqs = options.nfreqs ?? 1 + 2 ** Math.ceil(Math.log2(numtaps));
  const f = Float64Array.from(f0);
  const eps = Number.EPSILON * nyq;
  let repeated = false;
  for (let k = 0; k + 1 < K; k++) {
    if (f[k] === f[k + 1]) {
      f[k] -= eps;
      f[k + 1] += eps;
      repeated = true;
    }
  }
  if (repeated) {
    for (let k = 0; k + 1 < K; k++) {
      if (!(f[k + 1] > f[k])) throw new ValueError(message(fn, `freq cannot contain numbers that are too close (within eps·fs/2 = ${eps}) to a repeated value`, f0[k + 1]));
    }
  }
  const re = new Float64Array(nfreqs);
  const im = new Float64Array(nfreqs);
  let j = 0;
  for (let i = 0; i < nfreqs; i++) {
    const x = i === nfreqs - 1 ? nyq : i * (nyq / (nfreqs - 1));
    const r = interp(x, f, g, j);
    j = r.j;
    const phase = (((-(numtaps - 1) / 2) * Math.PI) * x) / nyq;
    let c = Math.cos(phase);
    let s = Math.sin(phase);
    if (ftype > 2) [c, s] = [-s, c];
    re[i] = r.v * c;
    im[i] = r.v * s;
  }
  const full = irfft({ re, im });
  const out = full.slice(0, numtaps);
  const wopt = options.window === undefined ? 'hamming' : options.window;
  if (wopt !== null) {
    const w = getWindow(wopt, numtaps, { symmetric: true });
    for (let i = 0; i < numtaps; i++) out[i] *= w[i];
  }
  if (ftype === 3) out[Math.floor(numtaps / 2)] = 0;
  return out;
}
