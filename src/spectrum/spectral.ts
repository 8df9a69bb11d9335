/**
 * Spectral estimation with scipy.signal's conventions: {@link periodogram}, {@link welch},
 * {@link csd}, {@link coherence} and {@link spectrogram}, per channel of a {@link Multichannel}.
 *
 * All five share one segment pipeline (scipy's `_spectral_helper`): segments of `nperseg` samples
 * every `nperseg − noverlap` samples (only complete segments; no boundary extension or end padding),
 * each detrended, multiplied by the window, zero-padded to `nfft` and transformed with the cached real
 * FFT plan of src/fft/plan.ts. A power spectrum is scaled by `1/(fs·Σw²)` ('density', units²/Hz) or
 * `1/(Σw)²` ('spectrum', units²); one-sided spectra double every bin except 0 and (even nfft) nfft/2.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, asMultichannel, type SignalLike } from '../core/multichannel.js';
import { assertAllFinite, assertInteger, assertOneOf, assertPositive } from '../core/validate.js';
import { fftfreq, rfftfreq } from '../fft/freqs.js';
import { realPlan } from '../fft/plan.js';
import { detrendInPlace, type DetrendType } from '../fft/segments.js';
import { getWindow, type WindowName } from '../fft/window.js';

/**
 * A window: a name understood by src/fft's `getWindow` ('hann', 'hamming', 'rect'; 'boxcar' is taken
 * as 'rect'), a `[name, ...parameters]` tuple passed on to `getWindow`, or the window itself
 * (a Float64Array of `nperseg` samples). Named windows are periodic, as scipy.signal.get_window makes them.
 */
export type SpectralWindow = string | readonly [string, ...number[]] | Float64Array;

/** Options shared by {@link welch}, {@link csd} and {@link periodogram}. */
export interface SpectralOptions {
  /** Sampling frequency in Hz (default `x.sampleRate`, else 1, like scipy's `fs=1.0`). */
  fs?: number;
  /** Window (default 'hann'; periodogram: 'boxcar'). */
  window?: SpectralWindow;
  /**
   * Samples per segment (default: the window array's length, else 256). A named window longer than
   * the signal is shortened to the signal's length, as scipy does (scipy also warns; the result's
   * `nperseg` tells what was used). A window array longer than the signal is an error.
   */
  nperseg?: number;
  /** Samples shared by consecutive segments, in [0, nperseg) (default floor(nperseg/2)). */
  noverlap?: number;
  /** FFT length ≥ nperseg (default nperseg); segments are zero-padded at the end. */
  nfft?: number;
  /** Removed from each segment before windowing (default 'constant', the segment mean). */
  detrend?: DetrendType;
  /** One-sided spectrum of `floor(nfft/2)+1` bins (default true) or all `nfft` bins in fftfreq order. */
  returnOnesided?: boolean;
  /** 'density' (units²/Hz, default) or 'spectrum' (units², the power of each bin). */
  scaling?: 'density' | 'spectrum';
  /** How segment spectra are combined: 'mean' (default) or 'median' (divided by scipy's median bias). */
  average?: 'mean' | 'median';
}

/** What the segment pipeline actually used (after defaults and scipy's shortening of nperseg). */
export interface SegmentParameters {
  fs: number;
  nperseg: number;
  noverlap: number;
  nfft: number;
  /** Number of segments per channel. */
  segments: number;
  /** The window applied to each segment (length nperseg). */
  window: Float64Array;
}

/**
 * A power spectral density (or power spectrum) per channel. `pxx` is `[C, F]`: channel c's spectrum
 * is `pxx.channel(c)`, bin k at frequency `f[k]` (Hz when `fs` is in Hz).
 */
export interface PowerSpectrum extends SegmentParameters {
  /** Frequencies of the bins (rfftfreq order when one-sided, fftfreq order when two-sided). */
  f: Float64Array;
  pxx: Multichannel;
}

/** A cross spectral density per channel pair: `re + i·im`, each `[C, F]`. */
export interface CrossSpectrum extends SegmentParameters {
  f: Float64Array;
  re: Multichannel;
  im: Multichannel;
}

/** Magnitude-squared coherence per channel pair, `cxy` `[C, F]` with values in [0, 1]. */
export interface CoherenceResult extends SegmentParameters {
  f: Float64Array;
  cxy: Multichannel;
}

/** Values returned by {@link spectrogram}, by `mode`. */
export type SpectrogramMode = 'psd' | 'complex' | 'magnitude' | 'angle' | 'phase';

/**
 * A spectrogram: `channels × frames × bins` values, value (c, j, k) — channel c, segment j (centred at
 * time `t[j]`), frequency `f[k]` — at index `(c * frames + j) * bins + k` of `sxx` (the layout of
 * src/fft's Stft; scipy's array is `[C, F, T]`, i.e. the same values with the last two axes swapped).
 * For mode 'complex', `sxx` holds the real parts and `sxxIm` the imaginary parts.
 */
export interface Spectrogram extends SegmentParameters {
  f: Float64Array;
  /** Segment centres in seconds (s when fs is in Hz): `(nperseg/2 + j·(nperseg − noverlap)) / fs`. */
  t: Float64Array;
  mode: SpectrogramMode;
  channels: number;
  frames: number;
  bins: number;
  sxx: Float64Array;
  sxxIm?: Float64Array;
}

/** Options of {@link spectrogram}: those of {@link welch} without `average`, plus `mode`. */
export interface SpectrogramOptions extends Omit<SpectralOptions, 'average'> {
  /** What is returned per segment and bin (default 'psd'). */
  mode?: SpectrogramMode;
}

/** Options of {@link coherence}: the segment options of {@link welch}. */
export type CoherenceOptions = Omit<SpectralOptions, 'scaling' | 'average' | 'returnOnesided'>;

/** Everything the segment pipeline needs, resolved. @internal */
interface Plan extends SegmentParameters {
  step: number;
  detrend: DetrendType;
  onesided: boolean;
  bins: number;
  f: Float64Array;
}

const WINDOW_KINDS = "a window name, a [name, ...parameters] tuple or a Float64Array";

/**
 * scipy's `_triage_segments`: the window and the segment length for a signal of `length` samples.
 * @internal
 */
export function resolveWindow(fn: string, window: SpectralWindow, nperseg: number | undefined, length: number): { win: Float64Array; nperseg: number } {
  if (nperseg !== undefined) assertInteger(fn, 'options.nperseg', nperseg, 1);
  if (window instanceof Float64Array) {
    if (nperseg !== undefined && nperseg !== window.length) {
      throw new ShapeError(message(fn, `options.nperseg must equal the window's length ${window.length}`, nperseg));
    }
    if (window.length > length) throw new ShapeError(message(fn, `the window (${window.length} samples) must not be longer than the signal (${length} samples)`, window.length));
    if (window.length === 0) throw new ShapeError(message(fn, 'options.window must not be empty', window));
    assertAllFinite(fn, 'options.window', window);
    return { win: window.slice(), nperseg: window.length };
  }
  let n = nperseg ?? 256;
  if (n > length) n = length;
  const spec = typeof window === 'string' && window === 'boxcar' ? 'rect' : window;
  if (typeof spec !== 'string' && !Array.isArray(spec)) throw new ArgumentTypeError(message(fn, `options.window must be ${WINDOW_KINDS}`, window));
  let win: Float64Array;
  try {
    win = getWindow(spec as WindowName, n);
  } catch (e) {
    throw new ValueError(message(fn, `options.window must be a window getWindow knows (${(e as Error).message})`, window));
  }
  return { win, nperseg: n };
}

/** Resolves the segment options of a call on signals of `length` samples. @internal */
function makePlan(fn: string, length: number, fs: number, o: SpectralOptions, defaults: { window: SpectralWindow; noverlap: (nperseg: number) => number; detrend: DetrendType }): Plan {
  assertPositive(fn, 'fs', fs);
  const { win, nperseg } = resolveWindow(fn, o.window ?? defaults.window, o.nperseg, length);
  const nfft = o.nfft ?? nperseg;
  assertInteger(fn, 'options.nfft', nfft, nperseg);
  const noverlap = o.noverlap ?? defaults.noverlap(nperseg);
  assertInteger(fn, 'options.noverlap', noverlap, 0);
  if (noverlap >= nperseg) throw new ValueError(message(fn, `options.noverlap must be less than nperseg = ${nperseg}`, noverlap));
  const detrend = o.detrend === undefined ? defaults.detrend : o.detrend === false ? false : assertOneOf(fn, 'options.detrend', o.detrend, ['constant', 'linear'] as const);
  const onesided = o.returnOnesided ?? true;
  if (typeof onesided !== 'boolean') throw new ArgumentTypeError(message(fn, 'options.returnOnesided must be a boolean', onesided));
  const step = nperseg - noverlap;
  const segments = Math.floor((length - nperseg) / step) + 1;
  const bins = onesided ? Math.floor(nfft / 2) + 1 : nfft;
  const f = onesided ? rfftfreq(nfft, 1 / fs) : fftfreq(nfft, 1 / fs);
  return { fs, nperseg, noverlap, nfft, segments, window: win, step, detrend, onesided, bins, f };
}

/** `1/(fs·Σw²)` for 'density', `1/(Σw)²` for 'spectrum'. */
function powerScale(p: Plan, scaling: 'density' | 'spectrum'): number {
  const w = p.window;
  let s = 0;
  if (scaling === 'density') {
    for (let j = 0; j < w.length; j++) s += w[j] * w[j];
    return 1 / (p.fs * s);
  }
  for (let j = 0; j < w.length; j++) s += w[j];
  return 1 / (s * s);
}

/**
 * The unscaled spectrum of one segment at a time: `transform(data, off, j)` returns segment j of
 * `data[off ..]` (detrended, windowed, zero-padded to nfft) as interleaved complex bins, one-sided or
 * two-sided (fftfreq order), in a buffer that the next call overwrites.
 */
class SegmentTransform {
  private readonly frame: Float64Array;
  private readonly half: Float64Array;
  private readonly full: Float64Array;

  constructor(private readonly p: Plan) {
    this.frame = new Float64Array(p.nperseg);
    this.half = new Float64Array(2 * (Math.floor(p.nfft / 2) + 1));
    this.full = p.onesided ? this.half : new Float64Array(2 * p.nfft);
  }

  transform(data: ArrayLike<number>, off: number, j: number): Float64Array {
    const { nperseg, step, nfft, window: w, detrend, onesided } = this.p;
    const frame = this.frame;
    const s = off + j * step;
    if (detrend === 'constant') {
      let sum = 0;
      for (let i = 0; i < nperseg; i++) sum += data[s + i];
      const mean = sum / nperseg;
      for (let i = 0; i < nperseg; i++) frame[i] = (data[s + i] - mean) * w[i];
    } else {
      for (let i = 0; i < nperseg; i++) frame[i] = data[s + i];
      detrendInPlace(frame, 0, nperseg, detrend);
      for (let i = 0; i < nperseg; i++) frame[i] *= w[i];
    }
    realPlan(nfft).forwardInterleaved(frame, 0, nperseg, this.half);
    if (!onesided) {
      const full = this.full, half = this.half;
      full.set(half);
      for (let k = half.length / 2; k < nfft; k++) {
        full[2 * k] = half[2 * (nfft - k)];
        full[2 * k + 1] = -half[2 * (nfft - k) + 1];
      }
    }
    return this.full;
  }
}

/** Multiplies bins 1 … (nfft odd: last, even: last − 1) of a one-sided power spectrum by 2. */
function doubleInterior(p: Plan, row: Float64Array, off: number): void {
  if (!p.onesided) return;
  const end = p.nfft % 2 === 1 ? p.bins : p.bins - 1;
  for (let k = 1; k < end; k++) row[off + k] *= 2;
}

/**
 * The bias of the median of n periodogram values (χ²₂ variates) as an estimate of their mean —
 * scipy's `_median_bias`: `1 + Σ_{i=1}^{⌊(n−1)/2⌋} (1/(2i+1) − 1/(2i))`, tending to ln 2. Welch with
 * `average: 'median'` divides the median by it.
 * @example
 * medianBias(3); // 0.8333…
 */
export function medianBias(n: number): number {
  let s = 1;
  for (let i = 1; i <= Math.floor((n - 1) / 2); i++) s += 1 / (2 * i + 1) - 1 / (2 * i);
  return s;
}

/** The k-th smallest of `a[lo .. hi]` (Hoare's selection; reorders `a`). */
function select(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Median of `a` (numpy's: the mean of the two middle values for an even count); reorders `a`. */
function medianInPlace(a: Float64Array): number {
  const n = a.length;
  const h = n >> 1;
  const upper = select(a, 0, n - 1, h);
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < h; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

function sampleRateOf(fn: string, o: { fs?: number }, ...signals: Multichannel[]): number {
  if (o.fs !== undefined) return o.fs;
  const rates = signals.map((s) => s.sampleRate).filter((r): r is number => r !== undefined);
  if (rates.length === 2 && rates[0] !== rates[1]) {
    throw new ValueError(message(fn, `x and y must have the same sampleRate (x: ${rates[0]} Hz) unless options.fs is given`, rates[1]));
  }
  return rates[0] ?? 1;
}

function checkOptions(fn: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
}

/** Signal → finite Multichannel. */
function signal(fn: string, name: string, x: unknown): Multichannel {
  const m = asMultichannel(fn, name, x);
  assertAllFinite(fn, name, m.data);
  return m;
}

/** Power spectra of every channel, averaged over segments. @internal */
function powerSpectra(fn: string, m: Multichannel, o: SpectralOptions, defaults: { window: SpectralWindow; noverlap: (n: number) => number; detrend: DetrendType }): PowerSpectrum {
  const fs = sampleRateOf(fn, o, m);
  const p = makePlan(fn, m.length, fs, o, defaults);
  const scaling = assertOneOf(fn, 'options.scaling', o.scaling ?? 'density', ['density', 'spectrum'] as const);
  const average = assertOneOf(fn, 'options.average', o.average ?? 'mean', ['mean', 'median'] as const);
  const scale = powerScale(p, scaling);
  const { bins, segments } = p;
  const C = m.channels, N = m.length;
  const out = new Float64Array(C * bins);
  const median = average === 'median' && segments > 1;
  const columns = median ? new Float64Array(bins * segments) : null; // bin k's segment powers at [k·segments ..)
  const seg = new SegmentTransform(p);
  for (let c = 0; c < C; c++) {
    const o = c * bins;
    for (let j = 0; j < segments; j++) {
      const X = seg.transform(m.data, c * N, j);
      if (columns === null) {
        for (let k = 0; k < bins; k++) out[o + k] += X[2 * k] * X[2 * k] + X[2 * k + 1] * X[2 * k + 1];
      } else {
        for (let k = 0; k < bins; k++) columns[k * segments + j] = X[2 * k] * X[2 * k] + X[2 * k + 1] * X[2 * k + 1];
      }
    }
    if (columns === null) {
      const g = scale / segments;
      for (let k = 0; k < bins; k++) out[o + k] *= g;
    } else {
      const g = scale / medianBias(segments);
      for (let k = 0; k < bins; k++) out[o + k] = medianInPlace(columns.subarray(k * segments, (k + 1) * segments)) * g;
    }
    doubleInterior(p, out, o);
  }
  return { ...segmentParameters(p), f: p.f, pxx: new Multichannel(out, C, bins) };
}

function segmentParameters(p: Plan): SegmentParameters {
  return { fs: p.fs, nperseg: p.nperseg, noverlap: p.noverlap, nfft: p.nfft, segments: p.segments, window: p.window };
}

/**
 * Power spectral density by Welch's method: the average (mean, or bias-corrected median) of the
 * modified periodograms of overlapping segments — scipy.signal.welch, per channel.
 *
 * Shapes: `[C, N] → f [F], pxx [C, F]` with `F = floor(nfft/2)+1` (one-sided) or `nfft` (two-sided,
 * fftfreq order). Units: x² / Hz for 'density', x² for 'spectrum'. Segments: `floor((N − nperseg) /
 * (nperseg − noverlap)) + 1`, trailing samples that fill no complete segment are ignored (as scipy).
 * Defaults as scipy: 'hann' (periodic), nperseg 256 (shortened to N when longer, as scipy does after
 * its warning), noverlap floor(nperseg/2), nfft nperseg, detrend 'constant', one-sided, 'density',
 * 'mean'; fs from `x.sampleRate`, else 1.
 * Agreement: scipy.signal.welch 1.10 to 1e-10 relative over its option grid (test/spectrum).
 * Complexity O(C · segments · nfft log nfft).
 * @throws ArgumentTypeError / ShapeError for a non-signal or empty x, or a window array longer than x;
 *   ValueError for non-finite samples, fs ≤ 0, noverlap ≥ nperseg, nfft < nperseg, unknown names.
 * @example
 * const { f, pxx } = welch(x, { nperseg: 1024 });   // x: Multichannel with sampleRate
 * pxx.channel(0);                                    // PSD of channel 0 at frequencies f (Hz)
 */
export function welch(x: SignalLike, options: SpectralOptions = {}): PowerSpectrum {
  const fn = 'welch';
  checkOptions(fn, options);
  const m = signal(fn, 'x', x);
  return powerSpectra(fn, m, options, { window: 'hann', noverlap: (n) => Math.floor(n / 2), detrend: 'constant' });
}

/**
 * Periodogram of every channel: one segment covering the whole signal — scipy.signal.periodogram.
 * `nfft > N` zero-pads; `nfft < N` analyses only the first nfft samples (as scipy does).
 *
 * Shapes: `[C, N] → f [F], pxx [C, F]`, F = floor(nfft/2)+1 (one-sided) or nfft. Defaults as scipy:
 * window 'boxcar', nfft N, detrend 'constant', one-sided, 'density'; fs from `x.sampleRate`, else 1.
 * `nperseg`, `noverlap` and `average` are not options (the segment is the signal).
 * Agreement: scipy.signal.periodogram 1.10 to 1e-10 relative (test/spectrum).
 * Complexity O(C · nfft log nfft).
 * @throws as {@link welch}; ShapeError when a window array's length is not min(N, nfft).
 * @example
 * const { f, pxx } = periodogram(x, { fs: 1000, scaling: 'spectrum' });
 */
export function periodogram(x: SignalLike, options: Omit<SpectralOptions, 'nperseg' | 'noverlap' | 'average'> = {}): PowerSpectrum {
  const fn = 'periodogram';
  checkOptions(fn, options);
  let m = signal(fn, 'x', x);
  const N = m.length;
  let nperseg = N;
  let nfft = options.nfft;
  if (nfft !== undefined) {
    assertInteger(fn, 'options.nfft', nfft, 1);
    if (nfft < N) {
      m = m.slice(0, nfft);
      nperseg = nfft;
      nfft = undefined;
    }
  }
  const window = options.window ?? 'boxcar';
  if (window instanceof Float64Array && window.length !== nperseg) {
    throw new ShapeError(message(fn, `options.window must have ${nperseg} samples (the analysed length)`, window.length));
  }
  return powerSpectra(fn, m, { ...options, window, nperseg, noverlap: 0, nfft, average: 'mean' }, { window: 'boxcar', noverlap: () => 0, detrend: 'constant' });
}

/** x and y as equally long signals with the same channel count (one-channel signals broadcast; the shorter is zero-padded, as scipy does). */
function pairSignals(fn: string, xa: SignalLike, ya: SignalLike): { x: Multichannel; y: Multichannel; C: number } {
  let x = signal(fn, 'x', xa);
  let y = signal(fn, 'y', ya);
  if (x.channels !== y.channels && x.channels !== 1 && y.channels !== 1) {
    throw new ShapeError(message(fn, `y must have 1 channel or as many as x (${x.channels})`, y.channels));
  }
  const N = Math.max(x.length, y.length);
  const padTo = (s: Multichannel): Multichannel => {
    if (s.length === N) return s;
    const d = new Float64Array(s.channels * N);
    for (let c = 0; c < s.channels; c++) for (let t = 0; t < s.length; t++) d[c * N + t] = s.data[c * s.length + t];
    return new Multichannel(d, s.channels, N, s.sampleRate !== undefined ? { sampleRate: s.sampleRate } : {});
  };
  x = padTo(x);
  y = padTo(y);
  return { x, y, C: Math.max(x.channels, y.channels) };
}

/** Cross spectra `conj(X)·Y` of channel pairs, combined over segments by `average`, scaled and (one-sided) doubled. */
function crossSpectra(x: Multichannel, y: Multichannel, C: number, p: Plan, scale: number, average: 'mean' | 'median'): { re: Float64Array; im: Float64Array } {
  const { bins, segments } = p;
  const N = x.length;
  const re = new Float64Array(C * bins);
  const im = new Float64Array(C * bins);
  const median = average === 'median' && segments > 1;
  const colRe = median ? new Float64Array(bins * segments) : null;
  const colIm = median ? new Float64Array(bins * segments) : null;
  const segX = new SegmentTransform(p), segY = new SegmentTransform(p);
  for (let c = 0; c < C; c++) {
    const o = c * bins;
    const ox = (x.channels === 1 ? 0 : c) * N, oy = (y.channels === 1 ? 0 : c) * N;
    for (let j = 0; j < segments; j++) {
      const X = segX.transform(x.data, ox, j);
      const Y = segY.transform(y.data, oy, j);
      for (let k = 0; k < bins; k++) {
        const xr = X[2 * k], xi = X[2 * k + 1], yr = Y[2 * k], yi = Y[2 * k + 1];
        const a = xr * yr + xi * yi, b = xr * yi - xi * yr; // conj(X)·Y
        if (colRe === null) {
          re[o + k] += a;
          im[o + k] += b;
        } else {
          colRe[k * segments + j] = a;
          colIm![k * segments + j] = b;
        }
      }
    }
    if (colRe === null) {
      const g = scale / segments;
      for (let k = 0; k < bins; k++) {
        re[o + k] *= g;
        im[o + k] *= g;
      }
    } else {
      const g = scale / medianBias(segments);
      for (let k = 0; k < bins; k++) {
        re[o + k] = medianInPlace(colRe.subarray(k * segments, (k + 1) * segments)) * g;
        im[o + k] = medianInPlace(colIm!.subarray(k * segments, (k + 1) * segments)) * g;
      }
    }
    doubleInterior(p, re, o);
    doubleInterior(p, im, o);
  }
  return { re, im };
}

/**
 * Cross spectral density `Pxy = E[conj(X)·Y]` of x and y by Welch's method — scipy.signal.csd, per
 * channel pair (channel c of x with channel c of y; a one-channel x or y pairs with every channel of
 * the other). The shorter signal is zero-padded to the longer, as scipy does. 'median' takes the
 * medians of the real and imaginary parts separately and divides both by the median bias, as scipy does.
 *
 * Shapes: `[C, N], [C, N] → f [F], re [C, F], im [C, F]`. Options, defaults and units as {@link welch}
 * (fs from x.sampleRate or y.sampleRate, else 1). `csd(x, x)` has `re` = welch(x).pxx and `im` = 0.
 * Agreement: scipy.signal.csd 1.10 to 1e-10 relative (test/spectrum).
 * Complexity O(C · segments · nfft log nfft).
 * @throws as {@link welch}; ShapeError when the channel counts differ and neither is 1; ValueError
 *   when x and y have different sample rates and `fs` is not given.
 * @example
 * const { f, re, im } = csd(x, y, { nperseg: 512 });
 * const phase = Math.atan2(im.channel(0)[k], re.channel(0)[k]);
 */
export function csd(x: SignalLike, y: SignalLike, options: SpectralOptions = {}): CrossSpectrum {
  const fn = 'csd';
  checkOptions(fn, options);
  const s = pairSignals(fn, x, y);
  const fs = sampleRateOf(fn, options, s.x, s.y);
  const p = makePlan(fn, s.x.length, fs, options, { window: 'hann', noverlap: (n) => Math.floor(n / 2), detrend: 'constant' });
  const scaling = assertOneOf(fn, 'options.scaling', options.scaling ?? 'density', ['density', 'spectrum'] as const);
  const average = assertOneOf(fn, 'options.average', options.average ?? 'mean', ['mean', 'median'] as const);
  const { re, im } = crossSpectra(s.x, s.y, s.C, p, powerScale(p, scaling), average);
  return { ...segmentParameters(p), f: p.f, re: new Multichannel(re, s.C, p.bins), im: new Multichannel(im, s.C, p.bins) };
}

/**
 * Magnitude-squared coherence `|Pxy|² / (Pxx · Pyy)` by Welch's method — scipy.signal.coherence,
 * per channel pair (pairing and padding as {@link csd}).
 *
 * Shapes: `[C, N], [C, N] → f [F], cxy [C, F]`, one-sided, F = floor(nfft/2)+1. Defaults as scipy:
 * 'hann', nperseg 256 (shortened to N), noverlap floor(nperseg/2), detrend 'constant'. With a single
 * segment the coherence is 1 at every bin (the estimate needs averaging). Bins where Pxx or Pyy is
 * exactly 0 (no power, e.g. a silent channel) give 0 where scipy gives
 * NaN (0/0), so the result is always finite.
 * Agreement: scipy.signal.coherence 1.10 to 1e-10 relative (test/spectrum).
 * Complexity O(C · segments · nfft log nfft).
 * @throws as {@link csd}.
 * @example
 * const { f, cxy } = coherence(x, y, { nperseg: 256 });
 */
export function coherence(x: SignalLike, y: SignalLike, options: CoherenceOptions = {}): CoherenceResult {
  const fn = 'coherence';
  checkOptions(fn, options);
  const s = pairSignals(fn, x, y);
  const fs = sampleRateOf(fn, options, s.x, s.y);
  const o: SpectralOptions = { ...options, returnOnesided: true, scaling: 'density', average: 'mean' };
  const p = makePlan(fn, s.x.length, fs, o, { window: 'hann', noverlap: (n) => Math.floor(n / 2), detrend: 'constant' });
  const scale = powerScale(p, 'density');
  const pxy = crossSpectra(s.x, s.y, s.C, p, scale, 'mean');
  const pxx = crossSpectra(s.x, s.x, s.x.channels, p, scale, 'mean').re;
  const pyy = crossSpectra(s.y, s.y, s.y.channels, p, scale, 'mean').re;
  const { bins } = p;
  const cxy = new Float64Array(s.C * bins);
  for (let c = 0; c < s.C; c++) {
    const ox = (s.x.channels === 1 ? 0 : c) * bins, oy = (s.y.channels === 1 ? 0 : c) * bins, o = c * bins;
    for (let k = 0; k < bins; k++) {
      const a = pxy.re[o + k], b = pxy.im[o + k];
      const px = pxx[ox + k], py = pyy[oy + k];
      cxy[o + k] = px === 0 || py === 0 ? 0 : (a * a + b * b) / px / py;
    }
  }
  return { ...segmentParameters(p), f: p.f, cxy: new Multichannel(cxy, s.C, bins) };
}

/** scipy's default spectrogram window, `('tukey', 0.25)`: flat top, cosine tapers over a quarter of the window (periodic). */
const SPECTROGRAM_WINDOW: SpectralWindow = ['tukey', 0.25];

/** numpy's float modulo: the result has the sign of the divisor. */
function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** numpy.unwrap (period 2π) of `a[off .. off+n)` in place. */
function unwrapInPlace(a: Float64Array, off: number, n: number): void {
  let correction = 0;
  let prev = a[off];
  for (let k = 1; k < n; k++) {
    const cur = a[off + k];
    const dd = cur - prev;
    prev = cur;
    let ddmod = pyMod(dd + Math.PI, 2 * Math.PI) - Math.PI;
    if (ddmod === -Math.PI && dd > 0) ddmod = Math.PI;
    if (Math.abs(dd) >= Math.PI) correction += ddmod - dd;
    a[off + k] = cur + correction;
  }
}

/**
 * Spectrogram of every channel: the spectrum of each segment — scipy.signal.spectrogram.
 * Modes: 'psd' (scaled like {@link welch}, not averaged), 'complex' (the segment FFT times
 * `sqrt(scale)`: `1/sqrt(fs·Σw²)` for 'density', `1/Σw` for 'spectrum'; no one-sided doubling),
 * 'magnitude' (its absolute value), 'angle' (its argument, radians) and 'phase' (the argument
 * unwrapped along frequency, numpy.unwrap).
 *
 * Shapes: `[C, N] → C × frames × bins`, value (c, j, k) at `(c·frames + j)·bins + k` (scipy's array is
 * `[C, F, T]`); `frames = floor((N − nperseg)/(nperseg − noverlap)) + 1`. Defaults as scipy: window
 * Tukey(0.25) (periodic), nperseg 256 (shortened to N), noverlap floor(nperseg/8), detrend
 * 'constant', one-sided, 'density', mode 'psd'; fs from `x.sampleRate`, else 1.
 * Agreement: scipy.signal.spectrogram 1.10 to 1e-10 relative, every mode (test/spectrum).
 * Complexity O(C · frames · nfft log nfft).
 * @throws as {@link welch}; ValueError for an unknown mode.
 * @example
 * const s = spectrogram(x, { nperseg: 512, noverlap: 384 });
 * s.sxx[(0 * s.frames + j) * s.bins + k];   // PSD of channel 0, segment j (time s.t[j]), bin k (s.f[k])
 */
export function spectrogram(x: SignalLike, options: SpectrogramOptions = {}): Spectrogram {
  const fn = 'spectrogram';
  checkOptions(fn, options);
  const m = signal(fn, 'x', x);
  const mode = assertOneOf(fn, 'options.mode', options.mode ?? 'psd', ['psd', 'complex', 'magnitude', 'angle', 'phase'] as const);
  const fs = sampleRateOf(fn, options, m);
  const p = makePlan(fn, m.length, fs, options, { window: SPECTROGRAM_WINDOW, noverlap: (n) => Math.floor(n / 8), detrend: 'constant' });
  const scaling = assertOneOf(fn, 'options.scaling', options.scaling ?? 'density', ['density', 'spectrum'] as const);
  const scale = powerScale(p, scaling);
  const { bins, segments: frames } = p;
  const C = m.channels, N = m.length;
  const sxx = new Float64Array(C * frames * bins);
  const sxxIm = mode === 'complex' ? new Float64Array(C * frames * bins) : undefined;
  const amp = Math.sqrt(scale);
  const seg = new SegmentTransform(p);
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < frames; j++) {
      const X = seg.transform(m.data, c * N, j);
      const o = (c * frames + j) * bins;
      if (mode === 'psd') for (let k = 0; k < bins; k++) sxx[o + k] = (X[2 * k] * X[2 * k] + X[2 * k + 1] * X[2 * k + 1]) * scale;
      else if (mode === 'complex') {
        for (let k = 0; k < bins; k++) {
          sxx[o + k] = X[2 * k] * amp;
          sxxIm![o + k] = X[2 * k + 1] * amp;
        }
      } else if (mode === 'magnitude') for (let k = 0; k < bins; k++) sxx[o + k] = Math.hypot(X[2 * k] * amp, X[2 * k + 1] * amp);
      else for (let k = 0; k < bins; k++) sxx[o + k] = Math.atan2(X[2 * k + 1] * amp, X[2 * k] * amp);
      if (mode === 'psd') doubleInterior(p, sxx, o);
      if (mode === 'phase') unwrapInPlace(sxx, o, bins);
    }
  }
  const t = new Float64Array(frames);
  for (let j = 0; j < frames; j++) t[j] = (p.nperseg / 2 + j * p.step) / fs;
  const out: Spectrogram = { ...segmentParameters(p), f: p.f, t, mode, channels: C, frames, bins, sxx };
  if (sxxIm) out.sxxIm = sxxIm;
  return out;
}
