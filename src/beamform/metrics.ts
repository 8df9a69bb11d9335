/**
 * Evaluation helpers for enhancement and beamforming results: SNR (plain and scale-invariant),
 * segmental SNR, SIR against known references, the direct-to-reverberant ratio of an impulse
 * response, and the measured array gain of a beamformer output. All results in dB.
 * @module
 */
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertInteger, assertNumericArray, assertPositive } from '../core/validate.js';
import { mix } from '../mixing/index.js';
import { fitLeastSquares } from '../train/leastsq.js';
import { tapStack } from './wiener.js';

type Signal = ArrayLike<number> | Multichannel;

/** One channel of samples from a plain array or a one-channel Multichannel, checked finite. */
function samples(fn: string, name: string, v: unknown): ArrayLike<number> {
  if (v instanceof Multichannel) {
    if (v.channels !== 1) throw new ShapeError(message(fn, `${name} must have one channel`, v.channels));
    return checkFinite(fn, name, v.data);
  }
  if (typeof v !== 'object' || v === null || typeof (v as ArrayLike<number>).length !== 'number') throw new ArgumentTypeError(message(fn, `${name} must be an array of samples or a one-channel Multichannel`, v));
  return checkFinite(fn, name, assertNumericArray(fn, name, v));
}

function checkFinite(fn: string, name: string, a: ArrayLike<number>): ArrayLike<number> {
  if (a.length === 0) throw new ShapeError(message(fn, `${name} must not be empty`, a.length));
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new ValueError(message(fn, `${name} must hold only finite samples`, { verbatim: `${a[i]} at index ${i}` }));
  return a;
}

function pair(fn: string, estimate: unknown, reference: unknown): [ArrayLike<number>, ArrayLike<number>] {
  const e = samples(fn, 'estimate', estimate);
  const r = samples(fn, 'reference', reference);
  if (e.length !== r.length) throw new ShapeError(message(fn, `estimate must have as many samples as reference (${r.length})`, e.length));
  return [e, r];
}

const db = (num: number, den: number): number => 10 * Math.log10(num / den);

/**
 * Signal-to-noise ratio of an estimate against a clean reference, dB:
 * `10·log10(‖r‖² / ‖e − r‖²)`; with `scaleInvariant` the reference is first scaled to the
 * estimate's projection `α = ⟨e, r⟩/‖r‖²` (SI-SDR: `10·log10(‖αr‖² / ‖e − αr‖²)`). `[N], [N] → dB`
 * (+Infinity for a perfect estimate).
 *
 * | bad input | error |
 * | --- | --- |
 * | not an array / multichannel with ≠ 1 channel | ArgumentTypeError / ShapeError |
 * | empty, different lengths | ShapeError |
 * | NaN or ±Infinity samples | ValueError |
 * @throws see the table.
 * @example snr([1, 2, 3], [1, 2, 3.1]) // 10·log10(14.61 / 0.01) ≈ 31.6 dB
 */
export function snr(estimate: Signal, reference: Signal, options: { scaleInvariant?: boolean } = {}): number {
  const [e, r] = pair('snr', estimate, reference);
  let rr = 0;
  let er = 0;
  for (let i = 0; i < r.length; i++) {
    rr += r[i] * r[i];
    er += e[i] * r[i];
  }
  const a = options.scaleInvariant ? (rr > 0 ? er / rr : 0) : 1;
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    const s = a * r[i];
    num += s * s;
    den += (e[i] - s) * (e[i] - s);
  }
  return db(num, den);
}

/** Options of {@link segmentalSnr}. */
export interface SegmentalSnrOptions {
  /** Frame length in samples (default 256). */
  frameLength?: number;
  /** Hop in samples (default frameLength: no overlap). */
  hop?: number;
  /** Each frame's SNR is clamped to [minDb, maxDb] (defaults −10 and 35 dB, the usual choice). */
  minDb?: number;
  maxDb?: number;
}

/**
 * Segmental SNR, dB: the mean over frames of each frame's SNR `10·log10(‖r_f‖² / ‖e_f − r_f‖²)`
 * clamped to [minDb, maxDb]; frames where reference and error are both zero are skipped (a
 * trailing partial frame counts as a frame). `[N], [N] → dB`; NaN when no frame counts.
 *
 * | bad input | error |
 * | --- | --- |
 * | as {@link snr} (types, empty, lengths, NaN) | ArgumentTypeError / ShapeError / ValueError |
 * | frameLength or hop < 1; minDb ≥ maxDb | ValueError |
 * @throws see the table.
 * @example segmentalSnr(enhanced, clean, { frameLength: 512 })
 */
export function segmentalSnr(estimate: Signal, reference: Signal, options: SegmentalSnrOptions = {}): number {
  const fn = 'segmentalSnr';
  const [e, r] = pair(fn, estimate, reference);
  const L = options.frameLength ?? 256;
  assertInteger(fn, 'options.frameLength', L, 1);
  const hop = options.hop ?? L;
  assertInteger(fn, 'options.hop', hop, 1);
  const lo = options.minDb ?? -10;
  const hi = options.maxDb ?? 35;
  if (!(lo < hi)) throw new ValueError(message(fn, 'minDb must be below maxDb', { verbatim: `[${lo}, ${hi}]` }));
  let sum = 0;
  let count = 0;
  for (let s = 0; s < r.length; s += hop) {
    let num = 0;
    let den = 0;
    for (let i = s; i < Math.min(r.length, s + L); i++) {
      num += r[i] * r[i];
      den += (e[i] - r[i]) * (e[i] - r[i]);
    }
    if (num === 0 && den === 0) continue;
    sum += Math.min(hi, Math.max(lo, db(num, den)));
    count++;
  }
  return count === 0 ? NaN : sum / count;
}

/**
 * Signal-to-interference ratio of an estimate against known references, dB, in the manner of
 * BSS Eval: the estimate is projected on the span of `taps` delayed copies of the target
 * (`s_target`) and of the target and every interferer together (`P_all`), and
 * `SIR = 10·log10(‖s_target‖² / ‖P_all − s_target‖²)`. With `taps = 1` (default) the projections
 * allow a gain only; BSS Eval's allowed distortion is `taps = 512`. Projections are least-squares
 * fits ({@link fitLeastSquares} on the {@link tapStack}).
 * Shapes: estimate `[N]`, target `[N]`, interference `[K, N]` (one reference per interferer).
 *
 * | bad input | error |
 * | --- | --- |
 * | as {@link snr} for estimate and target | ArgumentTypeError / ShapeError / ValueError |
 * | interference not a Multichannel | ArgumentTypeError |
 * | interference of another length | ShapeError |
 * | taps < 1; NaN in interference | ValueError |
 * | collinear references (e.g. the target repeated as an interferer) | NumericalError |
 * @throws see the table.
 * @example sir(output, talker1AtMic0, new Multichannel(talker2AtMic0, 1, N))
 */
export function sir(estimate: Signal, target: Signal, interference: Multichannel, options: { taps?: number } = {}): number {
  const fn = 'sir';
  const [e, s] = pair(fn, estimate, target);
  assertMultichannel(fn, 'interference', interference, '[interferers, samples]');
  if (interference.length !== e.length) throw new ShapeError(message(fn, `interference must have as many samples as the estimate (${e.length})`, interference.length));
  checkFinite(fn, 'interference', interference.data);
  const taps = options.taps ?? 1;
  assertInteger(fn, 'options.taps', taps, 1);
  const N = e.length;
  const y = new Multichannel(Float64Array.from(e), 1, N);
  const refs = new Float64Array((1 + interference.channels) * N);
  refs.set(Float64Array.from(s), 0);
  refs.set(interference.data, N);
  const all = new Multichannel(refs, 1 + interference.channels, N);
  const project = (x: Multichannel): Float64Array => {
    const X = tapStack(x, taps, 0);
    const fit = fitLeastSquares(X, y, { bias: false });
    return mix(X, { data: fit.weights, rows: 1, cols: X.channels }).data as Float64Array;
  };
  const st = project(new Multichannel(refs.subarray(0, N), 1, N));
  const pa = project(all);
  let num = 0;
  let den = 0;
  for (let i = 0; i < N; i++) {
    num += st[i] * st[i];
    den += (pa[i] - st[i]) * (pa[i] - st[i]);
  }
  return db(num, den);
}

/**
 * Direct-to-reverberant ratio of a room impulse response per channel, dB: the energy within
 * ±`directMs` of the strongest sample (the direct path) over the energy after that window.
 * `[C, N] → [C]` (a plain array is one channel). +Infinity when nothing follows the window.
 *
 * | bad input | error |
 * | --- | --- |
 * | not an array or Multichannel | ArgumentTypeError |
 * | empty | ShapeError |
 * | no sample rate, directMs ≤ 0, NaN samples | ValueError |
 * @throws see the table.
 * @example directToReverberantRatio(readWav('rir.wav')) // Float64Array of dB per channel
 */
export function directToReverberantRatio(rir: Signal, options: { sampleRate?: number; directMs?: number } = {}): Float64Array {
  const fn = 'directToReverberantRatio';
  let data: ArrayLike<number>;
  let C = 1;
  let N: number;
  let fs = options.sampleRate;
  if (rir instanceof Multichannel) {
    data = checkFinite(fn, 'rir', rir.data);
    C = rir.channels;
    N = rir.length;
    fs = fs ?? rir.sampleRate;
  } else {
    data = samples(fn, 'rir', rir);
    N = data.length;
  }
  if (fs === undefined) throw new ValueError(message(fn, 'the sample rate (Hz) must be known (rir.sampleRate or options.sampleRate)', fs));
  assertPositive(fn, 'options.sampleRate', fs);
  const ms = options.directMs ?? 2.5;
  assertPositive(fn, 'options.directMs', ms);
  const w = Math.round((ms * fs) / 1000);
  const out = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const o = c * N;
    let peak = 0;
    for (let t = 1; t < N; t++) if (Math.abs(data[o + t]) > Math.abs(data[o + peak])) peak = t;
    let direct = 0;
    let rev = 0;
    for (let t = Math.max(0, peak - w); t < N; t++) {
      const v = data[o + t] * data[o + t];
      if (t <= peak + w) direct += v;
      else rev += v;
    }
    out[c] = db(direct, rev);
  }
  return out;
}

/**
 * Measured array gain of a beamformer output, dB: the output SNR minus the input SNR averaged over
 * microphones, `10·log10(P(s_out)/P(n_out)) − 10·log10(Σ_m P(s_m) / Σ_m P(n_m))`, from the signal
 * and noise parts processed separately (a linear beamformer applied to each).
 * Shapes: signalIn, noiseIn `[M, N]`; signalOut, noiseOut `[1, N']`.
 *
 * | bad input | error |
 * | --- | --- |
 * | any argument not a Multichannel | ArgumentTypeError |
 * | noiseIn's shape ≠ signalIn's; outputs not one channel each or of different lengths | ShapeError |
 * @throws see the table.
 * @example measuredArrayGain(xs, xn, delayAndSum(xs, g, t), delayAndSum(xn, g, t))
 */
export function measuredArrayGain(signalIn: Multichannel, noiseIn: Multichannel, signalOut: Multichannel, noiseOut: Multichannel): number {
  const fn = 'measuredArrayGain';
  const parts = { signalIn, noiseIn, signalOut, noiseOut };
  for (const [k, v] of Object.entries(parts)) assertMultichannel(fn, k, v);
  if (signalIn.channels !== noiseIn.channels || signalIn.length !== noiseIn.length) throw new ShapeError(message(fn, `noiseIn must have the shape of signalIn [${signalIn.channels}, ${signalIn.length}]`, { verbatim: `[${noiseIn.channels}, ${noiseIn.length}]` }));
  if (signalOut.channels !== 1 || noiseOut.channels !== 1 || signalOut.length !== noiseOut.length) throw new ShapeError(message(fn, 'signalOut and noiseOut must be one channel each, of the same length', { verbatim: `[${signalOut.channels}, ${signalOut.length}] and [${noiseOut.channels}, ${noiseOut.length}]` }));
  const power = (a: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * a[i];
    return s;
  };
  return db(power(signalOut.data), power(noiseOut.data)) - db(power(signalIn.data), power(noiseIn.data));
}
