/**
 * Short-time Fourier transform and its inverse (weighted overlap-add), on {@link Multichannel},
 * with scipy.signal.stft's options (boundary extension, end padding, detrending, one- or two-sided
 * spectra, scaling) and its invertibility checks ({@link checkNola}, {@link checkCola}).
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, allocate, asMultichannel, type Dtype } from '../core/multichannel.js';
import { assertAllFinite, assertFinite, assertInteger, assertOneOf, assertPositive } from '../core/validate.js';
import { realPlan } from './plan.js';
import { detrendInPlace, extendBoundary, type BoundaryType, type DetrendType } from './segments.js';
import { getWindow, type WindowSpec } from './window.js';

/** How the signal is extended by floor(windowLength/2) samples at both ends before framing (scipy's `boundary`); null: not at all. */
export type StftBoundary = BoundaryType | null;

/**
 * Scaling of the STFT values: 'none' (the unnormalised rfft of each windowed frame — pointwise's
 * default), 'spectrum' (divided by Σw, scipy.signal.stft's default: a sinusoid of amplitude A shows
 * as A/2 in its bin) or 'psd' (divided by sqrt(fs·Σw²)).
 */
export type StftScaling = 'none' | 'spectrum' | 'psd';

/** Options of {@link stft}. */
export interface StftOptions {
  /** Samples per frame (integer ≥ 1; scipy's nperseg). */
  windowLength: number;
  /** Samples between frame starts (integer in [1, windowLength] for a reconstructable transform; larger is allowed for analysis only; scipy's nperseg − noverlap). */
  hop: number;
  /**
   * The window (default 'hann'): any {@link WindowSpec} getWindow accepts — a name, a tuple such
   * as `['kaiser', 8]` or `['tukey', 0.25]`, a `{ name, ... }` object or a Kaiser β — made periodic
   * with windowLength samples as scipy.signal.get_window does; or the window itself (a Float64Array
   * of windowLength samples).
   */
  window?: WindowSpec | Float64Array;
  /** FFT length ≥ windowLength (default windowLength); frames are zero-padded at the end. */
  nfft?: number;
  /** Shorthand for `boundary`: true = 'zeros' (default), false = null. Ignored when `boundary` is given (they must then agree if both are set). */
  center?: boolean;
  /**
   * Extension of floor(windowLength/2) samples at both ends, so frame f is centred on input sample
   * f·hop: 'zeros' (default), 'even' / 'odd' (reflections, which need windowLength/2 < N), 'constant'
   * (copies of the end samples), or null (no extension: frame f starts at sample f·hop).
   */
  boundary?: StftBoundary;
  /** Zero-pad the (extended) signal at the end so the last frame covers its last sample (default true). With false only complete frames are taken. */
  padded?: boolean;
  /** Removed from each frame before windowing (default false). */
  detrend?: DetrendType;
  /** One-sided spectrum of floor(nfft/2)+1 bins (default true) or all nfft bins in fftfreq order. */
  returnOnesided?: boolean;
  /** Scaling of the values (default 'none'; 'spectrum' gives scipy.signal.stft's values). */
  scaling?: StftScaling;
  /** Sampling frequency in Hz for 'psd' scaling and {@link stftTimes} (default x.sampleRate, else 1). */
  fs?: number;
}

/**
 * An STFT: `channels × frames × bins` complex values. Value (c, f, k) is at index
 * `(c * frames + f) * bins + k` of `re` and `im`; bin k is at frequency `k · fs / nfft` for a
 * one-sided STFT (`bins = floor(nfft/2)+1`) and at `fftfreq(nfft, 1/fs)[k]` for a two-sided one
 * (`bins = nfft`). Frame f starts at extended position `f · hop` (so with a boundary extension it is
 * centred on input sample `f · hop`; see {@link stftTimes}).
 *
 * Element types: `re` and `im` are always float64 (the transform is computed in float64, as
 * numpy.fft.rfft does for float32 input); `dtype` records the element type of the analysed signal,
 * and {@link istft} returns a signal of that type, so a float32 signal comes back float32.
 * Optional fields absent in an Stft built by hand mean: `onesided` true, `scale` 1, `boundary`
 * 'zeros' when `center` else null.
 */
export interface Stft {
  channels: number;
  frames: number;
  bins: number;
  nfft: number;
  hop: number;
  windowLength: number;
  window: Float64Array;
  /** True when the signal was extended at both ends (boundary ≠ null). */
  center: boolean;
  /** Input samples per channel. */
  length: number;
  sampleRate?: number;
  /** Element type of the analysed signal, which {@link istft} returns (absent: 'float64'). */
  dtype?: Dtype;
  /** The window's spec as text (`hann`, `kaiser(8)`) when it was not given as an array (for messages). */
  windowName?: string;
  boundary?: StftBoundary;
  /** True for `floor(nfft/2)+1` bins, false for all nfft (absent: true). */
  onesided?: boolean;
  scaling?: StftScaling;
  /** The factor every value was multiplied by (1/Σw for 'spectrum', 1/sqrt(fs·Σw²) for 'psd'; absent: 1). */
  scale?: number;
  /** Sampling frequency used for 'psd' scaling and times. */
  fs?: number;
  re: Float64Array;
  im: Float64Array;
}

function frameCount(paddedLength: number, windowLength: number, hop: number): number {
  return paddedLength <= windowLength ? 1 : 1 + Math.ceil((paddedLength - windowLength) / hop);
}

/** A window spec as text for messages: `hann`, `kaiser(8)`, `tukey(0.25)`. */
function describeWindow(spec: WindowSpec): string {
  if (typeof spec === 'string') return spec;
  if (typeof spec === 'number') return `kaiser(${spec})`;
  if (Array.isArray(spec)) return spec.length === 1 ? String(spec[0]) : `${spec[0]}(${spec.slice(1).map((v) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v))).join(', ')})`;
  const { name, ...params } = spec as { name: string } & Record<string, unknown>;
  const values = Object.entries(params).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`);
  return values.length === 0 ? name : `${name}(${values.join(', ')})`;
}

function resolveStftWindow(fn: string, wopt: unknown, wl: number): { window: Float64Array; name?: string } {
  if (wopt instanceof Float64Array) {
    if (wopt.length !== wl) throw new ShapeError(message(fn, `options.window must have windowLength = ${wl} samples`, wopt.length));
    assertAllFinite(fn, 'options.window', wopt);
    return { window: wopt.slice() };
  }
  const isSpec = typeof wopt === 'string' || typeof wopt === 'number' || Array.isArray(wopt) || (typeof wopt === 'object' && wopt !== null && !ArrayBuffer.isView(wopt));
  if (!isSpec) throw new ArgumentTypeError(message(fn, 'options.window must be a window spec (a name, a [name, ...parameters] tuple, a { name, ... } object or a Kaiser β) or a Float64Array', wopt));
  let window: Float64Array;
  try {
    window = getWindow(wopt as WindowSpec, wl);
  } catch (e) {
    const why = `${fn}: options.window is not a window getWindow knows: ${(e as Error).message.replace(/^getWindow: /, '')}`;
    throw e instanceof ArgumentTypeError ? new ArgumentTypeError(why) : new ValueError(why);
  }
  return { window, name: describeWindow(wopt as WindowSpec) };
}

/**
 * Short-time Fourier transform of every channel: the signal extended at both ends (`boundary`) and
 * zero-padded at the end (`padded`), then frames of `windowLength` samples every `hop` samples,
 * each detrended (`detrend`), multiplied by the window, zero-padded to `nfft` and transformed (real
 * FFT), then multiplied by the `scaling` factor.
 *
 * Defaults keep pointwise's convention: Hann (periodic), zero extension (`center: true`), padded, no
 * detrending, one-sided, unscaled (numpy's rfft of each windowed frame). With `scaling: 'spectrum'`
 * the values are scipy.signal.stft's: `stft(x, { windowLength: nperseg, hop: nperseg − noverlap,
 * window, nfft, boundary, padded, detrend, returnOnesided, scaling: 'spectrum' })` equals
 * `scipy.signal.stft(x, fs, window, nperseg, noverlap, nfft, detrend, return_onesided, boundary,
 * padded)` to 1e-10 (test/spectrum/stft-scipy.test.ts; scipy's array is `[C, F, T]`, this layout is
 * `(c, t, f)`). One difference: scipy shortens a named window longer than the signal to the signal's
 * length (after a warning); here windowLength is used as given, so pass `min(nperseg, N)` to match.
 *
 * Shapes: `[C, N] → C × frames × bins` with, for `L = N + 2·pad` (`pad = floor(windowLength/2)` when
 * extended, else 0), `frames = 1 + ceil(max(L − windowLength, 0) / hop)` (padded) or
 * `1 + floor((L − windowLength) / hop)` (not padded), `bins = floor(nfft/2)+1` or nfft (two-sided).
 * The spectrum is float64 for float32 and float64 signals alike; the result's `dtype` is `x.dtype`.
 * Complexity O(C · frames · nfft log nfft).
 * @throws ArgumentTypeError / ShapeError for a non-signal or empty x, or (padded: false) a signal
 *   shorter than one frame; ValueError for non-finite samples, non-integer or out-of-range
 *   windowLength / hop / nfft, an unknown window, boundary, detrend or scaling, a window array of
 *   the wrong length or with non-finite values, an 'even'/'odd' boundary with windowLength/2 ≥ N,
 *   `center` contradicting `boundary`, or fs ≤ 0.
 * @example
 * const s = stft(x, { windowLength: 512, hop: 256 });            // Hann, centred
 * const y = istft(s);                                             // y ≈ x to 1e-12
 * const z = stft(x, { windowLength: 256, hop: 128, scaling: 'spectrum' }); // scipy.signal.stft(x, nperseg=256)
 * const k = stft(x, { windowLength: 256, hop: 64, window: ['kaiser', 8] }); // any getWindow spec
 */
export function stft(x: Multichannel, options: StftOptions): Stft {
  const fn = 'stft';
  const m = asMultichannel(fn, 'x', x);
  assertAllFinite(fn, 'x', m.data);
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be { windowLength, hop, … }', options));
  const wl = options.windowLength;
  assertInteger(fn, 'options.windowLength', wl, 1);
  assertInteger(fn, 'options.hop', options.hop, 1);
  const hop = options.hop;
  const nfft = options.nfft ?? wl;
  assertInteger(fn, 'options.nfft', nfft, wl);
  const { window, name: windowName } = resolveStftWindow(fn, options.window ?? 'hann', wl);
  let boundary: StftBoundary;
  if (options.boundary === undefined) boundary = (options.center ?? true) ? 'zeros' : null;
  else {
    boundary = options.boundary === null ? null : assertOneOf(fn, 'options.boundary', options.boundary, ['zeros', 'even', 'odd', 'constant'] as const);
    if (options.center !== undefined && options.center !== (boundary !== null)) {
      throw new ValueError(message(fn, `options.center (${options.center}) must agree with options.boundary`, boundary));
    }
  }
  const padded = options.padded ?? true;
  if (typeof padded !== 'boolean') throw new ArgumentTypeError(message(fn, 'options.padded must be a boolean', padded));
  const detrend = options.detrend === undefined || options.detrend === false ? false : assertOneOf(fn, 'options.detrend', options.detrend, ['constant', 'linear'] as const);
  const onesided = options.returnOnesided ?? true;
  if (typeof onesided !== 'boolean') throw new ArgumentTypeError(message(fn, 'options.returnOnesided must be a boolean', onesided));
  const scaling = assertOneOf(fn, 'options.scaling', options.scaling ?? 'none', ['none', 'spectrum', 'psd'] as const);
  const fs = options.fs ?? m.sampleRate ?? 1;
  assertPositive(fn, 'options.fs', fs);
  const N = m.length;
  const C = m.channels;
  const pad = boundary !== null ? Math.floor(wl / 2) : 0;
  if ((boundary === 'even' || boundary === 'odd') && pad > N - 1) {
    throw new ValueError(message(fn, `an '${boundary}' boundary extends by floor(windowLength/2) = ${pad} samples, which must be less than the signal length ${N}`, pad));
  }
  const L = N + 2 * pad;
  if (!padded && L < wl) throw new ShapeError(message(fn, `without padding the ${boundary === null ? '' : 'extended '}signal must hold one frame of windowLength = ${wl} samples`, L));
  const frames = padded ? frameCount(L, wl, hop) : 1 + Math.floor((L - wl) / hop);
  let scale = 1;
  if (scaling !== 'none') {
    let s = 0;
    for (let j = 0; j < wl; j++) s += scaling === 'spectrum' ? window[j] : window[j] * window[j];
    scale = scaling === 'spectrum' ? 1 / s : 1 / Math.sqrt(fs * s);
  }
  const plan = realPlan(nfft);
  const half = plan.bins;
  const bins = onesided ? half : nfft;
  const re = new Float64Array(C * frames * bins);
  const im = new Float64Array(C * frames * bins);
  const frame = new Float64Array(nfft);
  const spec = new Float64Array(2 * half);
  for (let c = 0; c < C; c++) {
    const ext = boundary === null || boundary === 'zeros' ? null : extendBoundary(m.data, c * N, N, pad, boundary);
    const base = c * N;
    for (let f = 0; f < frames; f++) {
      const start = f * hop; // position in the extended signal
      for (let j = 0; j < wl; j++) {
        const e = start + j;
        if (ext !== null) frame[j] = e < L ? ext[e] : 0;
        else {
          const t = e - pad;
          frame[j] = t >= 0 && t < N ? m.data[base + t] : 0;
        }
      }
      detrendInPlace(frame, 0, wl, detrend);
      for (let j = 0; j < wl; j++) frame[j] *= window[j];
      plan.forwardInterleaved(frame, 0, wl, spec);
      const o = (c * frames + f) * bins;
      for (let k = 0; k < half; k++) {
        re[o + k] = spec[2 * k] * scale;
        im[o + k] = spec[2 * k + 1] * scale;
      }
      for (let k = half; k < bins; k++) {
        re[o + k] = spec[2 * (nfft - k)] * scale;
        im[o + k] = -spec[2 * (nfft - k) + 1] * scale;
      }
    }
  }
  const out: Stft = { channels: C, frames, bins, nfft, hop, windowLength: wl, window, center: boundary !== null, length: N, dtype: m.dtype, boundary, onesided, scaling, scale, fs, re, im };
  if (windowName !== undefined) out.windowName = windowName;
  if (m.sampleRate !== undefined) out.sampleRate = m.sampleRate;
  return out;
}

/**
 * The time of every frame's centre, in seconds when fs is in Hz: `(f·hop + windowLength/2 − pad) / fs`
 * with `pad = windowLength/2` when the signal was extended (scipy.signal.stft's `t`: `f·hop/fs`), and
 * `pad = 0` otherwise. fs is the Stft's `fs`, else its `sampleRate`, else 1.
 * @example
 * stftTimes(stft(x, { windowLength: 512, hop: 256 })); // [0, 256/fs, 512/fs, …]
 */
export function stftTimes(s: Stft): Float64Array {
  const fs = s.fs ?? s.sampleRate ?? 1;
  const t = new Float64Array(s.frames);
  const off = s.windowLength / 2;
  for (let f = 0; f < s.frames; f++) t[f] = s.center ? (off + f * s.hop) / fs - off / fs : (off + f * s.hop) / fs;
  return t;
}

/**
 * Σ over frames of `w[t − f·hop]^p` folded onto one hop (scipy's `binsums` in check_COLA / check_NOLA).
 */
function foldedWindowSums(win: Float64Array, nperseg: number, step: number, power: 1 | 2): Float64Array {
  const sums = new Float64Array(step);
  for (let j = 0; j < nperseg; j++) sums[j % step] += power === 1 ? win[j] : win[j] * win[j];
  return sums;
}

function checkArgs(fn: string, window: WindowSpec | Float64Array, nperseg: number, noverlap: number, tol: number): Float64Array {
  assertInteger(fn, 'nperseg', nperseg, 1);
  assertInteger(fn, 'noverlap', noverlap, 0);
  if (noverlap >= nperseg) throw new ValueError(message(fn, `noverlap must be less than nperseg = ${nperseg}`, noverlap));
  assertFinite(fn, 'tol', tol);
  const { window: w } = resolveStftWindow(fn, window, nperseg);
  return w;
}

/**
 * Constant overlap-add (COLA): whether frames of `window` every `nperseg − noverlap` samples sum
 * to a constant (within `tol` of their median) — scipy.signal.check_COLA. COLA makes a plain
 * overlap-add of the frames reproduce the signal up to that constant.
 * @throws ValueError for nperseg < 1, noverlap ∉ [0, nperseg), an unknown window or a window array whose length is not nperseg.
 * @example
 * checkCola('hann', 64, 32);  // true
 * checkCola('hann', 64, 16);  // false
 */
export function checkCola(window: WindowSpec | Float64Array, nperseg: number, noverlap: number, tol = 1e-10): boolean {
  const w = checkArgs('checkCola', window, nperseg, noverlap, tol);
  const sums = foldedWindowSums(w, nperseg, nperseg - noverlap, 1);
  const sorted = Float64Array.from(sums).sort();
  const h = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
  let dev = 0;
  for (const s of sums) dev = Math.max(dev, Math.abs(s - median));
  return dev < tol;
}

/**
 * Nonzero overlap-add (NOLA): whether `Σ_f w²[t − f·hop]` exceeds `tol` at every sample of the
 * steady state — scipy.signal.check_NOLA. NOLA is what {@link istft} needs to invert an STFT.
 * @throws as {@link checkCola}.
 * @example
 * checkNola('hann', 64, 32);  // true
 * checkNola('hann', 64, 0);   // false: the periodic Hann window is 0 at its first sample
 */
export function checkNola(window: WindowSpec | Float64Array, nperseg: number, noverlap: number, tol = 1e-10): boolean {
  const w = checkArgs('checkNola', window, nperseg, noverlap, tol);
  const sums = foldedWindowSums(w, nperseg, nperseg - noverlap, 2);
  for (const s of sums) if (!(s > tol)) return false;
  return true;
}

/**
 * Inverse STFT by weighted overlap-add: each frame is inverse-transformed, its scaling undone,
 * multiplied by the window again and summed, then divided by `Σ_f w²[t − f·hop]`. This is the
 * least-squares inverse (Griffin & Lim, and scipy.signal.istft), so `istft(stft(x)) = x` to rounding
 * (≤ 1e-12 in the tests) for every boundary, scaling and nfft, one- or two-sided, whenever the window
 * satisfies NOLA ({@link checkNola}) at the STFT's hop. A two-sided STFT is inverted to the real part
 * of the inverse FFT (the inverse of its Hermitian part). Samples at the very ends that no frame
 * covers with non-zero weight (possible only without boundary extension, e.g. sample 0 under a
 * periodic Hann window) are returned as 0. A detrended STFT is not invertible (the trends are gone):
 * the result is the overlap-add of the detrended frames.
 *
 * Shapes: `C × frames × bins → [C, length]` (default `s.length`; longer requests are zero beyond
 * the frames). Keeps `sampleRate`. The result has element type `options.dtype`, else `s.dtype`
 * (the analysed signal's, so float32 in → float32 out), else float64; the arithmetic is float64.
 * Complexity O(C · frames · nfft log nfft).
 * @throws ArgumentTypeError when `s` is not an Stft; ShapeError when its arrays disagree with its
 *   sizes; ValueError for a non-integer length, an unknown dtype, non-finite values, or a window
 *   and hop that violate NOLA (the message names the window, nperseg, noverlap and where the sum vanishes).
 * @example
 * const y = istft(stft(x, { windowLength: 1024, hop: 512 }));
 */
export function istft(s: Stft, options: { length?: number; dtype?: Dtype } = {}): Multichannel {
  const fn = 'istft';
  if (typeof s !== 'object' || s === null || !(s.re instanceof Float64Array) || !(s.im instanceof Float64Array) || !(s.window instanceof Float64Array)) {
    throw new ArgumentTypeError(message(fn, 's must be an Stft (from stft())', s));
  }
  const { channels: C, frames, bins, nfft, hop, windowLength: wl, window } = s;
  assertInteger(fn, 's.channels', C, 1);
  assertInteger(fn, 's.frames', frames, 1);
  assertInteger(fn, 's.windowLength', wl, 1);
  assertInteger(fn, 's.nfft', nfft, wl);
  assertInteger(fn, 's.hop', hop, 1);
  assertInteger(fn, 's.length', s.length, 0);
  const onesided = s.onesided ?? true;
  const half = Math.floor(nfft / 2) + 1;
  const expectBins = onesided ? half : nfft;
  if (bins !== expectBins) throw new ShapeError(message(fn, `s.bins must be ${onesided ? 'floor(nfft/2)+1' : 'nfft (two-sided)'} = ${expectBins}`, bins));
  const total = C * frames * bins;
  if (s.re.length !== total || s.im.length !== total) throw new ShapeError(message(fn, `s.re and s.im must hold channels × frames × bins = ${total} values`, s.re.length));
  if (window.length !== wl) throw new ShapeError(message(fn, `s.window must have windowLength = ${wl} samples`, window.length));
  const scale = s.scale ?? 1;
  assertFinite(fn, 's.scale', scale);
  if (scale === 0) throw new ValueError(message(fn, 's.scale must be non-zero', scale));
  assertAllFinite(fn, 's.re', s.re);
  assertAllFinite(fn, 's.im', s.im);
  const length = options.length ?? s.length;
  assertInteger(fn, 'options.length', length, 0);
  const dtype = assertOneOf(fn, 'options.dtype', options.dtype ?? s.dtype ?? 'float64', ['float64', 'float32'] as const);
  assertNola(fn, s);
  const boundary = s.boundary !== undefined ? s.boundary : s.center ? 'zeros' : null;
  const pad = boundary !== null ? Math.floor(wl / 2) : 0;
  const span = (frames - 1) * hop + wl;
  const acc = new Float64Array(span);
  const wsum = new Float64Array(span);
  for (let f = 0; f < frames; f++) {
    const o = f * hop;
    for (let j = 0; j < wl; j++) wsum[o + j] += window[j] * window[j];
  }
  let maxW = 0;
  for (let i = 0; i < span; i++) if (wsum[i] > maxW) maxW = wsum[i];
  const tiny = maxW * 1e-12;
  const plan = realPlan(nfft);
  const spec = new Float64Array(2 * half);
  const frame = new Float64Array(nfft);
  const out = allocate(dtype, C * length);
  for (let c = 0; c < C; c++) {
    acc.fill(0);
    for (let f = 0; f < frames; f++) {
      const o = (c * frames + f) * bins;
      if (onesided) {
        for (let k = 0; k < half; k++) {
          spec[2 * k] = s.re[o + k];
          spec[2 * k + 1] = s.im[o + k];
        }
      } else {
        // the Hermitian part (X[k] + conj X[n−k]) / 2, whose inverse is the real part of ifft(X)
        for (let k = 0; k < half; k++) {
          const m = (nfft - k) % nfft;
          spec[2 * k] = 0.5 * (s.re[o + k] + s.re[o + m]);
          spec[2 * k + 1] = 0.5 * (s.im[o + k] - s.im[o + m]);
        }
      }
      plan.inverseInterleaved(spec, frame, 1 / (nfft * scale));
      const p = f * hop;
      for (let j = 0; j < wl; j++) acc[p + j] += window[j] * frame[j];
    }
    const base = c * length;
    const m = Math.min(length, span - pad);
    for (let t = 0; t < m; t++) {
      const w = wsum[t + pad];
      out[base + t] = w > tiny ? acc[t + pad] / w : 0;
    }
  }
  return new Multichannel(out, C, length, s.sampleRate !== undefined ? { sampleRate: s.sampleRate } : {});
}

/** Throws the ValueError istft gives for a window and hop that violate NOLA, naming where the sum vanishes. */
function assertNola(fn: string, s: Stft): void {
  const { windowLength: wl, hop, window } = s;
  const what = `window ${s.windowName !== undefined ? `'${s.windowName}'` : '(array)'}, nperseg ${wl}, noverlap ${wl - hop}`;
  if (hop > wl) {
    throw new ValueError(message(fn, `frames must overlap or touch to be inverted (hop ≤ windowLength): ${what} leaves ${hop - wl} samples of every hop uncovered`, { verbatim: what }));
  }
  const sums = foldedWindowSums(window, wl, hop, 2);
  let worst = 0;
  for (let i = 1; i < sums.length; i++) if (sums[i] < sums[worst]) worst = i;
  if (!(sums[worst] > 1e-10)) {
    throw new ValueError(message(fn, `the window must satisfy NOLA (Σ_f w²[t − f·hop] > 1e-10 at every sample) to be inverted; ${what} gives ${sums[worst]} at every sample t ≡ ${worst} (mod ${hop}) — use more overlap or a window without zeros there (checkNola tells)`, { verbatim: what }));
  }
}
