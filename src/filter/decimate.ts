/**
 * Downsampling by an integer factor after an anti-aliasing low-pass: {@link decimate}, as
 * `scipy.signal.decimate`.
 * @module
 */
import { ArgumentTypeError, ShapeError, message } from '../core/errors.js';
import { Multichannel, allocate, type SignalLike } from '../core/multichannel.js';
import { assertInteger, assertOneOf } from '../core/validate.js';
import { resamplePoly } from '../beamform/resample.js';
import { readSignal } from './coefficients.js';
import { sosNtaps, sosfiltfilt } from './filtfilt.js';
import { firwin } from './fir.js';
import { cheby1 } from './iir.js';
import { upfirdn } from './resample.js';
import { sosfilt } from './sosfilt.js';

/** Options of {@link decimate}. */
export interface DecimateOptions {
  /**
   * Order of the anti-aliasing filter: default 8 for 'iir' (a Chebyshev type I low-pass of that
   * order), 20·q for 'fir' (n + 1 Hamming-windowed taps).
   */
  n?: number;
  /** Filter family: 'iir' (default, scipy's default) or 'fir'. */
  ftype?: 'iir' | 'fir';
  /**
   * No phase shift (default true): 'iir' filters forwards and backwards ({@link sosfiltfilt});
   * 'fir' uses the filter centred on each kept sample ({@link resamplePoly}). With false, 'iir'
   * filters causally ({@link sosfilt}) and 'fir' keeps the filter's delay ((n/2) input samples).
   */
  zeroPhase?: boolean;
}

/**
 * Every `q`-th sample after an anti-aliasing low-pass, as `scipy.signal.decimate(x, q, n, ftype,
 * axis=-1, zero_phase)` (scipy 1.10), on every channel:
 * - 'iir' (default): `cheby1(n = 8, 0.05, 0.8/q)` as second-order sections (0.05 dB ripple,
 *   edge at 0.8 of the new Nyquist frequency), applied by {@link sosfiltfilt} (zeroPhase, the
 *   default) or {@link sosfilt}, then samples 0, q, 2q, …;
 * - 'fir': `firwin(n + 1, 1/q, { window: 'hamming' })` with n = 20·q by default, applied as
 *   `resamplePoly(x, 1, q, { window: h })` (zeroPhase) or `upfirdn(h, x, 1, q)` cut to the first
 *   ceil(N/q) samples.
 *
 * Shapes: `[C, N] → [C, ceil(N/q)]`; `sampleRate` (if set) is divided by q, `shape` is dropped,
 * labels and coords are kept. float32 in → float32 out (the arithmetic is float64; scipy computes
 * float32 input in float32). Agrees with scipy 1.10 to 1e-10 relative
 * (test/fixtures/refs/decimate.json). scipy's `dlti` filter argument is not supported: filter with
 * any designer and {@link sosfiltfilt}, then slice.
 *
 * For q above about 13 the default 8th-order IIR design is poorly conditioned (scipy warns the
 * same): decimate in stages, or use ftype 'fir'.
 * @throws ValueError for q not an integer ≥ 2, n not an integer ≥ 1, an unknown ftype, non-finite
 *   samples.
 * @throws ShapeError when ftype is 'iir' with zeroPhase and the signal is not longer than
 *   sosfiltfilt's edge padding (27 samples for the default n = 8).
 * @throws ArgumentTypeError / ShapeError for an x that is not a signal or is empty.
 * @example
 * const y = decimate(x, 4);                          // 48 kHz → 12 kHz, Chebyshev I, zero phase
 * const z = decimate(x, 3, { ftype: 'fir' });        // 61-tap Hamming FIR
 */
export function decimate(x: SignalLike, q: number, options: DecimateOptions = {}): Multichannel {
  const fn = 'decimate';
  assertInteger(fn, 'q', q, 2);
  const ftype = assertOneOf(fn, 'options.ftype', options.ftype ?? 'iir', ['iir', 'fir'] as const);
  const zeroPhase = options.zeroPhase ?? true;
  if (typeof zeroPhase !== 'boolean') throw new ArgumentTypeError(message(fn, 'options.zeroPhase must be a boolean', zeroPhase));
  const n = options.n ?? (ftype === 'iir' ? 8 : 20 * q);
  assertInteger(fn, 'options.n', n, 1);
  const m = readSignal(fn, 'x', x);
  const N = m.length;
  const kept = Math.ceil(N / q);
  if (ftype === 'fir') {
    const h = firwin(n + 1, 1 / q, { window: 'hamming' });
    if (zeroPhase) return resamplePoly(m, 1, q, { window: h });
    return upfirdn(h, m, 1, q).slice(0, kept);
  }
  const sos = cheby1(n, 0.05, 0.8 / q);
  let y: Multichannel;
  if (zeroPhase) {
    const padlen = 3 * sosNtaps(sos, sos.length / 6);
    if (N <= padlen) {
      throw new ShapeError(message(fn, `with ftype 'iir' and zeroPhase the signal must be longer than sosfiltfilt's edge padding of ${padlen} samples (order n = ${n}); use a longer signal, ftype 'fir' or zeroPhase: false`, { verbatim: `${N} samples` }));
    }
    y = sosfiltfilt(sos, m);
  } else {
    y = sosfilt(sos, m).y;
  }
  const out = allocate(y.dtype, y.channels * kept);
  for (let c = 0; c < y.channels; c++) {
    for (let i = 0, src = c * N, dst = c * kept; i < kept; i++) out[dst + i] = y.data[src + i * q];
  }
  const meta = m.meta;
  delete meta.shape;
  if (m.sampleRate !== undefined) meta.sampleRate = m.sampleRate / q;
  return new Multichannel(out, y.channels, kept, meta);
}
