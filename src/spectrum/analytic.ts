/**
 * The analytic signal ({@link hilbert}) and trend removal ({@link detrend}), per channel, with
 * scipy.signal's conventions.
 * @module
 */
import { ArgumentTypeError, ValueError, message } from '../core/errors.js';
import { Multichannel, asMultichannel, type SignalLike } from '../core/multichannel.js';
import { assertAllFinite, assertInteger, assertOneOf } from '../core/validate.js';
import { complexPlan, realPlan } from '../fft/plan.js';
import { detrendInPlace } from '../fft/segments.js';

/** The analytic signal `re + i·im` of every channel, each `[C, N]`; `re` is x itself (zero-padded or truncated to N, to rounding). */
export interface AnalyticSignal {
  re: Multichannel;
  im: Multichannel;
}

function meta(m: Multichannel): { sampleRate?: number } {
  return m.sampleRate !== undefined ? { sampleRate: m.sampleRate } : {};
}

/**
 * Analytic signal of every channel by the FFT method — scipy.signal.hilbert: `X = fft(x, N)`, bins
 * 1 … ceil(N/2)−1 doubled, the negative-frequency bins zeroed (bin 0 and, for even N, bin N/2
 * kept), inverse FFT. The imaginary part is the Hilbert transform of x; `hypot(re, im)` is the
 * envelope and `atan2(im, re)` the instantaneous phase.
 *
 * Returned as two real Multichannels (`re`, `im`, float64, `sampleRate` kept) rather than an
 * interleaved array, so each part feeds the rest of the package directly.
 * Shapes: `[C, n] → re, im [C, N]` (N default n; x is truncated or zero-padded to N first).
 * Agreement: scipy.signal.hilbert 1.10 to 1e-10 relative (test/spectrum). Complexity O(C · N log N).
 * @throws ArgumentTypeError / ShapeError for a non-signal or empty x; ValueError for non-finite
 *   samples or an N that is not an integer ≥ 1.
 * @example
 * const { re, im } = hilbert(x);
 * const envelope = re.data.map((r, i) => Math.hypot(r, im.data[i]));
 */
export function hilbert(x: SignalLike, options: { N?: number } = {}): AnalyticSignal {
  const fn = 'hilbert';
  const m = asMultichannel(fn, 'x', x);
  assertAllFinite(fn, 'x', m.data);
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be { N? }', options));
  const N = options.N ?? m.length;
  assertInteger(fn, 'options.N', N, 1);
  const C = m.channels, n = m.length;
  const rp = realPlan(N);
  const cp = complexPlan(N);
  const half = new Float64Array(2 * rp.bins);
  const full = new Float64Array(2 * N);
  const re = new Float64Array(C * N), im = new Float64Array(C * N);
  const last = N % 2 === 0 ? N / 2 : -1; // the Nyquist bin, kept with weight 1
  for (let c = 0; c < C; c++) {
    rp.forwardInterleaved(m.data, c * n, Math.min(n, N), half);
    full.fill(0);
    full[0] = half[0];
    full[1] = half[1];
    for (let k = 1; k < rp.bins; k++) {
      const g = k === last ? 1 : 2;
      full[2 * k] = g * half[2 * k];
      full[2 * k + 1] = g * half[2 * k + 1];
    }
    cp.inverse(full, full);
    for (let t = 0; t < N; t++) {
      re[c * N + t] = full[2 * t] / N;
      im[c * N + t] = full[2 * t + 1] / N;
    }
  }
  return { re: new Multichannel(re, C, N, meta(m)), im: new Multichannel(im, C, N, meta(m)) };
}

/** Options of {@link detrend}. */
export interface DetrendOptions {
  /** 'linear' (default, as scipy): least-squares line removed per piece; 'constant': the mean removed. */
  type?: 'linear' | 'constant';
  /**
   * Breakpoints (sample indices in [0, N], 'linear' only): a separate line is fitted on each piece
   * between consecutive breakpoints (the pieces need not join, as in scipy).
   */
  bp?: readonly number[];
}

/**
 * Removes the mean or the least-squares straight line (piecewise between breakpoints) from every
 * channel — scipy.signal.detrend along time.
 *
 * Shapes: `[C, N] → [C, N]` float64, `sampleRate` kept. Agreement: scipy.signal.detrend 1.10 to
 * 1e-10 relative to the signal's scale (test/spectrum). Complexity O(C · N).
 * @throws ArgumentTypeError / ShapeError for a non-signal or empty x; ValueError for non-finite
 *   samples, an unknown type, breakpoints with type 'constant', or a breakpoint that is not an
 *   integer in [0, N].
 * @example
 * detrend([1, 2, 3, 5]);                       // residual of the line fit
 * detrend(x, { type: 'linear', bp: [500] });  // two independent line fits
 */
export function detrend(x: SignalLike, options: DetrendOptions = {}): Multichannel {
  const fn = 'detrend';
  const m = asMultichannel(fn, 'x', x);
  assertAllFinite(fn, 'x', m.data);
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be { type?, bp? }', options));
  const type = assertOneOf(fn, 'options.type', options.type ?? 'linear', ['linear', 'constant'] as const);
  const N = m.length;
  const cuts = new Set<number>([0, N]);
  if (options.bp !== undefined) {
    if (type === 'constant') throw new ValueError(message(fn, "options.bp applies to type 'linear' only", options.bp));
    if (!Array.isArray(options.bp)) throw new ArgumentTypeError(message(fn, 'options.bp must be an array of sample indices', options.bp));
    for (const b of options.bp) {
      assertInteger(fn, 'options.bp[i]', b, 0, N);
      cuts.add(b);
    }
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const out = Float64Array.from(m.data);
  for (let c = 0; c < m.channels; c++) {
    for (let i = 0; i + 1 < bounds.length; i++) detrendInPlace(out, c * N + bounds[i], bounds[i + 1] - bounds[i], type);
  }
  return new Multichannel(out, m.channels, N, meta(m));
}
