/**
 * FIR filter design by the window method, as scipy.signal: `firwin` (ideal band edges × a
 * window), `firwin2` (a piecewise-linear gain × a window, by frequency sampling), and the Kaiser
 * design formulas `kaiserord`, `kaiserBeta`, `kaiserAtten`.
 * @module
 */
import { ArgumentTypeError, NumericalError, ShapeError, ValueError, message } from '../core/errors.js';
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

/** Options of {@link remez}. */
export interface RemezOptions {
  /** Relative weight of each band's error (one per band, > 0; default all 1). */
  weight?: ArrayLike<number>;
  /**
   * 'bandpass' (default; symmetric taps), 'differentiator' (antisymmetric, desired gain × f,
   * weight ÷ f where the desired slope is not ~0) or 'hilbert' (antisymmetric, constant desired gain).
   */
  type?: 'bandpass' | 'differentiator' | 'hilbert';
  /** Most exchange iterations before giving up (default 25). */
  maxiter?: number;
  /** Grid points per tap in each band (default 16). */
  gridDensity?: number;
  /** Sample rate; band edges run from 0 to fs/2 (default 1, as scipy.signal.remez). */
  fs?: number;
}

/** The dense frequency grid of the Parks–McClellan problem, with desired value and weight per point (after the type's change of variables). */
interface RemezGrid {
  f: Float64Array;
  des: Float64Array;
  wt: Float64Array;
  /** Band of each grid point. */
  band: Int32Array;
}

function remezGrid(edges: Float64Array, desired: ArrayLike<number>, weight: ArrayLike<number>, nfcns: number, density: number, jtype: 1 | 2 | 3, odd: boolean): RemezGrid {
  const neg = jtype !== 1;
  const delf = 0.5 / (density * nfcns);
  const f: number[] = [];
  const des: number[] = [];
  const wt: number[] = [];
  const bandOf: number[] = [];
  const point = (freq: number, band: number): void => {
    f.push(freq);
    bandOf.push(band);
    des.push(jtype === 2 ? desired[band] * freq : desired[band]);
    wt.push(jtype === 2 && desired[band] >= 0.0001 ? weight[band] / freq : weight[band]);
  };
  for (let b = 0; 2 * b < edges.length; b++) {
    const lo = b === 0 && neg && edges[0] < delf ? delf : edges[2 * b];
    const hi = edges[2 * b + 1];
    // lo, lo + delf, lo + 2·delf, … (accumulated) while ≤ hi; the last of them moves to hi
    let t = lo;
    do {
      point(t, b);
      t += delf;
    } while (t <= hi);
    f.length = des.length = wt.length = bandOf.length = f.length - 1;
    point(hi, b);
  }
  if (neg === odd && f[f.length - 1] > 0.5 - delf) {
    f.pop();
    des.pop();
    wt.pop();
    bandOf.pop();
  }
  const g: RemezGrid = { f: Float64Array.from(f), des: Float64Array.from(des), wt: Float64Array.from(wt), band: Int32Array.from(bandOf) };
  if (!neg && !odd) for (let j = 0; j < f.length; j++) scaleBy(g, j, Math.cos(Math.PI * f[j]));
  if (neg && !odd) for (let j = 0; j < f.length; j++) scaleBy(g, j, Math.sin(Math.PI * f[j]));
  if (neg && odd) for (let j = 0; j < f.length; j++) scaleBy(g, j, Math.sin(2 * Math.PI * f[j]));
  return g;
}

function scaleBy(g: RemezGrid, j: number, change: number): void {
  g.des[j] /= change;
  g.wt[j] *= change;
}

/** Barycentric interpolation of the values y at the nodes x (weights ad), at xf; a node closer than `snap` gives its value. */
function barycentric(xf: number, x: Float64Array, y: Float64Array, ad: Float64Array, snap = 0): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    const d = xf - x[i];
    if (Math.abs(d) <= snap) return y[i];
    const c = ad[i] / d;
    num += c * y[i];
    den += c;
  }
  return num / den;
}

/**
 * Minimax (equiripple) linear-phase FIR filter by the Parks–McClellan algorithm, as
 * `scipy.signal.remez(numtaps, bands, desired, weight, type, maxiter, grid_density, fs)`: the taps
 * whose weighted error against the piecewise-constant `desired` gains on the `bands` is smallest in
 * the maximum norm over a dense grid (gridDensity points per tap). The problem is set up as scipy
 * sets it up (the same grid, the same change of variables for even lengths and antisymmetric
 * types, the same initial extremal set); the Remez exchange then moves the whole reference to the
 * local extrema of the error until the reference stops changing (or the largest error equals |δ|
 * to 1e-10), and the taps come from the
 * barycentric interpolant sampled at 2·nfcns − 1 frequencies. Shapes `bands [2B], desired [B] →
 * taps [numtaps]`. O(iterations · grid · numtaps). Matches scipy 1.10 to 1e-9 on
 * test/fixtures/refs/fir.json (types I–IV, bandpass / hilbert / differentiator; worst error
 * 9e-11). Unlike scipy, which prints nothing and may return a half-converged design, a design
 * whose exchange does not settle throws.
 * @param bands band edges (pairs, non-decreasing) in [0, fs/2].
 * @param desired gain in each band (for 'differentiator', the slope).
 * @throws ValueError for numtaps not an integer ≥ 3, bands of odd length, decreasing or outside
 *   [0, fs/2], desired/weight of the wrong length or non-finite, a weight ≤ 0, an unknown type, a
 *   grid that cannot hold the problem.
 * @throws NumericalError when the exchange does not settle within maxiter iterations (narrow
 *   transition bands: reduce numtaps or widen them).
 * @example
 * remez(72, [0, 0.1, 0.2, 0.5], [1, 0]);                          // low-pass, fs = 1
 * remez(31, [0.05, 0.45], [1], { type: 'hilbert' });              // Hilbert transformer
 * remez(65, [0, 1000, 1500, 4000], [1, 0], { fs: 8000, weight: [1, 10] });
 */
export function remez(numtaps: number, bands: ArrayLike<number>, desired: ArrayLike<number>, options: RemezOptions = {}): Float64Array {
  const fn = 'remez';
  assertInteger(fn, 'numtaps', numtaps, 3);
  const fs = options.fs ?? 1;
  assertPositive(fn, 'options.fs', fs);
  const b0 = assertNumericArray(fn, 'bands', bands);
  assertAllFinite(fn, 'bands', b0);
  if (b0.length % 2) throw new ShapeError(message(fn, 'bands must hold pairs of edges (an even count)', b0.length));
  const nb = b0.length / 2;
  const des = assertNumericArray(fn, 'desired', desired);
  assertAllFinite(fn, 'desired', des);
  if (des.length !== nb) throw new ShapeError(message(fn, `desired must hold one gain per band (${nb})`, des.length));
  const weight = options.weight === undefined ? new Float64Array(nb).fill(1) : assertNumericArray(fn, 'options.weight', options.weight);
  assertAllFinite(fn, 'options.weight', weight);
  if (weight.length !== nb) throw new ShapeError(message(fn, `options.weight must hold one weight per band (${nb})`, weight.length));
  for (let i = 0; i < nb; i++) if (!(weight[i] > 0)) throw new ValueError(message(fn, 'options.weight must be > 0', { verbatim: `${weight[i]} at index ${i}` }));
  const edges = Float64Array.from(b0, (v) => v / fs);
  for (let i = 0; i < edges.length; i++) {
    if (edges[i] < 0 || edges[i] > 0.5) throw new ValueError(message(fn, `band edges must lie in [0, fs/2 = ${fs / 2}]`, { verbatim: `${b0[i]} at index ${i}` }));
    if (i > 0 && edges[i] < edges[i - 1]) throw new ValueError(message(fn, 'band edges must be non-decreasing', { verbatim: `${b0[i]} after ${b0[i - 1]} at index ${i}` }));
  }
  const type = options.type ?? 'bandpass';
  const jtype = ({ bandpass: 1, differentiator: 2, hilbert: 3 } as const)[type];
  if (jtype === undefined) throw new ValueError(message(fn, "options.type must be 'bandpass', 'differentiator' or 'hilbert'", type));
  const maxiter = options.maxiter ?? 25;
  assertInteger(fn, 'options.maxiter', maxiter, 1);
  const density = options.gridDensity ?? 16;
  assertInteger(fn, 'options.gridDensity', density, 1);

  const neg = jtype !== 1;
  const odd = numtaps % 2 === 1;
  const nfcns = Math.floor(numtaps / 2) + (odd && !neg ? 1 : 0);
  const grid = remezGrid(edges, des, weight, nfcns, density, jtype, odd);
  const ngrid = grid.f.length;
  const nz = nfcns + 1;
  if (ngrid < nz) throw new ValueError(message(fn, `the bands hold too few grid points (${ngrid}) for ${numtaps} taps; widen the bands or raise gridDensity`, ngrid));
  for (let j = 0; j < ngrid; j++) {
    if (!Number.isFinite(grid.des[j]) || !Number.isFinite(grid.wt[j])) {
      throw new ValueError(message(fn, `the desired response cannot be met at ${grid.f[j] * fs} (a linear-phase filter of this type has a zero there)`, grid.f[j] * fs));
    }
  }
  const xg = Float64Array.from(grid.f, (v) => Math.cos(2 * Math.PI * v));
  let ref = new Int32Array(nz);
  const step = (ngrid - 1) / nfcns;
  for (let j = 0; j < nfcns; j++) ref[j] = Math.floor(j * step);
  ref[nfcns] = ngrid - 1;

  const x = new Float64Array(nz);
  const y = new Float64Array(nz);
  const ad = new Float64Array(nz);
  const err = new Float64Array(ngrid);
  let converged = false;
  for (let iter = 0; iter < maxiter && !converged; iter++) {
    for (let i = 0; i < nz; i++) x[i] = xg[ref[i]];
    for (let i = 0; i < nz; i++) {
      let p = 1;
      for (let j = 0; j < nz; j++) if (j !== i) p *= 2 * (x[i] - x[j]);
      ad[i] = 1 / p;
    }
    let dnum = 0;
    let dden = 0;
    for (let i = 0; i < nz; i++) {
      dnum += ad[i] * grid.des[ref[i]];
      dden += ((i % 2 ? -1 : 1) * ad[i]) / grid.wt[ref[i]];
    }
    const dev = dnum / dden;
    for (let i = 0; i < nz; i++) y[i] = grid.des[ref[i]] - ((i % 2 ? -1 : 1) * dev) / grid.wt[ref[i]];
    let worst = 0;
    for (let k = 0; k < ngrid; k++) {
      err[k] = (barycentric(xg[k], x, y, ad) - grid.des[k]) * grid.wt[k];
      worst = Math.max(worst, Math.abs(err[k]));
    }
    // equiripple already: the largest error is |δ| (a reference with more than nz extrema of
    // equal size may otherwise alternate between equivalent subsets)
    if (worst - Math.abs(dev) <= 1e-10 * Math.abs(dev)) {
      converged = true;
      break;
    }
    const next = exchange(err, grid.band, nz, Math.abs(dev));
    if (next === null) throw new NumericalError(message(fn, 'the error lost its alternation (try fewer taps or wider transition bands)', { verbatim: `iteration ${iter + 1}` }));
    converged = next.every((v, i) => v === ref[i]);
    ref = next;
  }
  if (!converged) throw new NumericalError(message(fn, `the Remez exchange did not settle in ${maxiter} iterations (try fewer taps, wider transition bands or a larger options.maxiter)`, maxiter));

  // cosine coefficients of the interpolant from its values at f = j / (2·nfcns − 1) (within 1e-6
  // of a reference point in x = cos 2πf, the reference value is taken, as scipy does)
  const cn = 2 * nfcns - 1;
  const a = new Float64Array(nfcns);
  for (let j = 0; j < nfcns; j++) a[j] = barycentric(Math.cos((2 * Math.PI * j) / cn), x, y, ad, 1e-6);
  const alpha = new Float64Array(nfcns);
  for (let k = 0; k < nfcns; k++) {
    let s = 0;
    for (let j = 1; j < nfcns; j++) s += a[j] * Math.cos(((2 * Math.PI * k) / cn) * j);
    alpha[k] = ((k === 0 ? 1 : 2) * (2 * s + a[0])) / cn;
  }
  return tapsFromCosines(alpha, numtaps, neg, odd);
}

/**
 * Next reference: the local extrema of the weighted error with |E| ≥ |δ|, adjacent ones of equal
 * sign merged (the larger kept), then thinned to nz alternating points (dropping the smaller end
 * when one too many, else the smallest interior extremum with its weaker neighbour). null when
 * fewer than nz remain.
 */
function exchange(err: Float64Array, band: Int32Array, nz: number, dev: number): Int32Array | null {
  const n = err.length;
  const cand: number[] = [];
  const tol = dev * (1 - 1e-3); // |E| = |δ| at the reference up to the cancellation in (A − D)·W
  for (let k = 0; k < n; k++) {
    const e = err[k];
    if (Math.abs(e) < tol) continue;
    // neighbours within the same band (a band edge competes only with its own band)
    const left = k > 0 && band[k - 1] === band[k] ? err[k - 1] : -Infinity * Math.sign(e);
    const right = k < n - 1 && band[k + 1] === band[k] ? err[k + 1] : -Infinity * Math.sign(e);
    if (e > 0 ? e >= left && e >= right : e <= left && e <= right) cand.push(k);
  }
  const merged: number[] = [];
  for (const k of cand) {
    const last = merged[merged.length - 1];
    if (last !== undefined && Math.sign(err[last]) === Math.sign(err[k])) {
      if (Math.abs(err[k]) > Math.abs(err[last])) merged[merged.length - 1] = k;
    } else merged.push(k);
  }
  while (merged.length > nz) {
    if (merged.length - nz === 1) {
      // one too many: only an end point can go without breaking the alternation
      if (Math.abs(err[merged[0]]) <= Math.abs(err[merged[merged.length - 1]])) merged.shift();
      else merged.pop();
      continue;
    }
    let m = 0;
    for (let i = 1; i < merged.length; i++) if (Math.abs(err[merged[i]]) < Math.abs(err[merged[m]])) m = i;
    if (m === 0 || m === merged.length - 1) {
      merged.splice(m, 1);
      continue;
    }
    // removing an interior point makes its neighbours equal in sign: keep the stronger of them
    const keepLeft = Math.abs(err[merged[m - 1]]) >= Math.abs(err[merged[m + 1]]);
    merged.splice(keepLeft ? m : m - 1, 2);
  }
  return merged.length === nz ? Int32Array.from(merged) : null;
}

/** Impulse response from the cosine coefficients of the (type-reduced) amplitude response. */
function tapsFromCosines(alpha: Float64Array, numtaps: number, neg: boolean, odd: boolean): Float64Array {
  const nf = alpha.length;
  const c = new Float64Array(nf + 2); // coefficients of cos/sin(2π(n − ½)f) or of cos/sin(2πnf), n = 1…nf
  const h = new Float64Array(numtaps);
  if (!neg && odd) {
    // type I: A = Σ α_k cos 2πkf; centre nf − 1
    const M = nf - 1;
    h[M] = alpha[0];
    for (let k = 1; k < nf; k++) h[M - k] = h[M + k] = alpha[k] / 2;
    return h;
  }
  if (!odd) {
    // types II / IV: cos(πf)·P or sin(πf)·P → Σ c_n cos/sin(2π(n − ½)f)
    c[1] += alpha[0];
    for (let k = 1; k < nf; k++) {
      c[k + 1] += alpha[k] / 2;
      c[k] += (neg ? -1 : 1) * (alpha[k] / 2);
    }
    for (let n = 1; n <= nf; n++) {
      h[nf - n] = c[n] / 2;
      h[nf - 1 + n] = (neg ? -1 : 1) * (c[n] / 2);
    }
    return h;
  }
  // type III: sin(2πf)·P → Σ c_n sin(2πnf); centre nf
  c[1] += alpha[0];
  for (let k = 1; k < nf; k++) {
    c[k + 1] += alpha[k] / 2;
    if (k - 1 >= 1) c[k - 1] -= alpha[k] / 2;
  }
  for (let n = 1; n <= nf; n++) {
    h[nf - n] = c[n] / 2;
    h[nf + n] = -c[n] / 2;
  }
  return h;
}
