/**
 * Short-time Fourier transform and its inverse (weighted overlap-add), on {@link Multichannel}.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, allocate, asMultichannel, type Dtype } from '../core/multichannel.js';
import { assertAllFinite, assertInteger, assertOneOf } from '../core/validate.js';
import { realPlan } from './plan.js';
import { getWindow, type WindowName } from './window.js';

/** Options of {@link stft}. */
export interface StftOptions {
  /** Samples per frame (integer ≥ 1). */
  windowLength: number;
  /** Samples between frame starts (integer in [1, windowLength] for a reconstructable transform; larger is allowed for analysis only). */
  hop: number;
  /** Window name (default 'hann', periodic) or the window itself (length windowLength). */
  window?: WindowName | Float64Array;
  /** FFT length ≥ windowLength (default windowLength); frames are zero-padded at the end. */
  nfft?: number;
  /** Pad floor(windowLength/2) zeros before and after the signal so frame f is centred on sample f·hop (default true). */
  center?: boolean;
}

/**
 * An STFT: `channels × frames × bins` complex values, bin k at frequency `k · sampleRate / nfft`.
 * Value (c, f, k) is at index `(c * frames + f) * bins + k` of `re` and `im`. Frame f starts at
 * padded position `f · hop` (so with `center`, it is centred on input sample `f · hop`).
 *
 * Element types: `re` and `im` are always float64 (the transform is computed in float64, as
 * numpy.fft.rfft does for float32 input); `dtype` records the element type of the analysed signal,
 * and {@link istft} returns a signal of that type, so a float32 signal comes back float32.
 */
export interface Stft {
  channels: number;
  frames: number;
  bins: number;
  nfft: number;
  hop: number;
  windowLength: number;
  window: Float64Array;
  center: boolean;
  /** Input samples per channel. */
  length: number;
  sampleRate?: number;
  /** Element type of the analysed signal, which {@link istft} returns (absent: 'float64'). */
  dtype?: Dtype;
  re: Float64Array;
  im: Float64Array;
}

function frameCount(paddedLength: number, windowLength: number, hop: number): number {
  return paddedLength <= windowLength ? 1 : 1 + Math.ceil((paddedLength - windowLength) / hop);
}

/**
 * Short-time Fourier transform of every channel: frames of `windowLength` samples every `hop`
 * samples, multiplied by the window, zero-padded to `nfft`, real FFT (unnormalised, numpy's rfft).
 * Frames run until every sample is covered (the last one is zero-padded).
 *
 * Shapes: `[C, N] → C × frames × (floor(nfft/2)+1)` with
 * `frames = 1 + ceil(max(N + 2·pad − windowLength, 0) / hop)`, `pad = center ? floor(windowLength/2) : 0`.
 * The spectrum is float64 for float32 and float64 signals alike; the result's `dtype` is `x.dtype`.
 * Complexity O(C · frames · nfft log nfft).
 * @throws ArgumentTypeError / ShapeError for a non-signal or empty x; ValueError for non-finite
 *   samples, non-integer or out-of-range windowLength / hop / nfft, an unknown window name, or a
 *   window array of the wrong length or with non-finite values.
 * @example
 * const s = stft(x, { windowLength: 512, hop: 256 });            // Hann, centred
 * const y = istft(s);                                             // y ≈ x to 1e-12
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
  let window: Float64Array;
  const wopt = options.window ?? 'hann';
  if (wopt instanceof Float64Array) {
    if (wopt.length !== wl) throw new ShapeError(message(fn, `options.window must have windowLength = ${wl} samples`, wopt.length));
    assertAllFinite(fn, 'options.window', wopt);
    window = wopt.slice();
  } else if (typeof wopt === 'string') {
    try {
      window = getWindow(wopt, wl);
    } catch {
      throw new ValueError(message(fn, "options.window must be 'hann', 'sqrt-hann', 'hamming', 'rect' or a Float64Array", wopt));
    }
  } else throw new ArgumentTypeError(message(fn, 'options.window must be a window name or a Float64Array', wopt));
  const center = options.center ?? true;
  const pad = center ? Math.floor(wl / 2) : 0;
  const N = m.length;
  const C = m.channels;
  const frames = frameCount(N + 2 * pad, wl, hop);
  const plan = realPlan(nfft);
  const bins = plan.bins;
  const re = new Float64Array(C * frames * bins);
  const im = new Float64Array(C * frames * bins);
  const frame = new Float64Array(nfft);
  const spec = new Float64Array(2 * bins);
  for (let c = 0; c < C; c++) {
    const base = c * N;
    for (let f = 0; f < frames; f++) {
      const start = f * hop - pad; // input index of frame sample 0
      for (let j = 0; j < wl; j++) {
        const t = start + j;
        frame[j] = t >= 0 && t < N ? m.data[base + t] * window[j] : 0;
      }
      plan.forwardInterleaved(frame, 0, wl, spec);
      const o = (c * frames + f) * bins;
      for (let k = 0; k < bins; k++) {
        re[o + k] = spec[2 * k];
        im[o + k] = spec[2 * k + 1];
      }
    }
  }
  const out: Stft = { channels: C, frames, bins, nfft, hop, windowLength: wl, window, center, length: N, dtype: m.dtype, re, im };
  if (m.sampleRate !== undefined) out.sampleRate = m.sampleRate;
  return out;
}

/**
 * Inverse STFT by weighted overlap-add: each frame is inverse-transformed, multiplied by the window
 * again and summed, then divided by `Σ_f w²[t − f·hop]`. This is the least-squares inverse
 * (Griffin & Lim), so `istft(stft(x)) = x` to rounding (≤ 1e-12 in the tests) whenever that window
 * sum is non-zero at every sample — in particular for Hann at hop ≤ windowLength/2 and sqrt-Hann at
 * hop windowLength/2 (COLA windows). Samples that no frame covers with non-zero weight (possible
 * only with `center: false` at the very first sample of a window that starts at 0) are returned as 0.
 *
 * Shapes: `C × frames × bins → [C, length]` (default `s.length`; longer requests are zero beyond
 * the frames). Keeps `sampleRate`. The result has element type `options.dtype`, else `s.dtype`
 * (the analysed signal's, so float32 in → float32 out), else float64; the arithmetic is float64.
 * Complexity O(C · frames · nfft log nfft).
 * @throws ArgumentTypeError when `s` is not an Stft; ShapeError when its arrays disagree with its
 *   sizes; ValueError for a non-integer length, an unknown dtype or non-finite values.
 * @example
 * const y = istft(stft(x, { windowLength: 1024, hop: 512 }));
 */
export function istft(s: Stft, options: { length?: number; dtype?: Dtype } = {}): Multichannel {
  const fn = 'istft';
  if (typeof s !== 'object' || s === null || !(s.re instanceof Float64Array) || !(s.im instanceof Float64Array) || !(s.window instanceof Float64Array)) {
    throw new ArgumentTypeError(message(fn, 's must be an Stft (from stft())', s));
  }
  const { channels: C, frames, bins, nfft, hop, windowLength: wl, window, center } = s;
  assertInteger(fn, 's.channels', C, 1);
  assertInteger(fn, 's.frames', frames, 1);
  assertInteger(fn, 's.windowLength', wl, 1);
  assertInteger(fn, 's.nfft', nfft, wl);
  assertInteger(fn, 's.hop', hop, 1);
  assertInteger(fn, 's.length', s.length, 0);
  if (bins !== Math.floor(nfft / 2) + 1) throw new ShapeError(message(fn, `s.bins must be floor(nfft/2)+1 = ${Math.floor(nfft / 2) + 1}`, bins));
  const total = C * frames * bins;
  if (s.re.length !== total || s.im.length !== total) throw new ShapeError(message(fn, `s.re and s.im must hold channels × frames × bins = ${total} values`, s.re.length));
  if (window.length !== wl) throw new ShapeError(message(fn, `s.window must have windowLength = ${wl} samples`, window.length));
  assertAllFinite(fn, 's.re', s.re);
  assertAllFinite(fn, 's.im', s.im);
  const length = options.length ?? s.length;
  assertInteger(fn, 'options.length', length, 0);
  const dtype = assertOneOf(fn, 'dtype', options.dtype ?? s.dtype ?? 'float64', ['float64', 'float32'] as const);
  const pad = center ? Math.floor(wl / 2) : 0;
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
  const spec = new Float64Array(2 * bins);
  const frame = new Float64Array(nfft);
  const out = allocate(dtype, C * length);
  for (let c = 0; c < C; c++) {
    acc.fill(0);
    for (let f = 0; f < frames; f++) {
      const o = (c * frames + f) * bins;
      for (let k = 0; k < bins; k++) {
        spec[2 * k] = s.re[o + k];
        spec[2 * k + 1] = s.im[o + k];
      }
      plan.inverseInterleaved(spec, frame, 1 / nfft);
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
