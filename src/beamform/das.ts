/**
 * Delay-and-sum beamforming: `y(t) = Σ_m w_m · x_m(t − delay_m)`, i.e. per-channel delays followed by
 * a 1×1 channel mix with a `1 × M` weight row. Time domain (integer, windowed-sinc or Lagrange
 * fractional delays), exact FFT phase shift, frequency domain through an STFT (each bin a complex
 * 1×1 mix), and a streaming form for long recordings.
 * @module
 */
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertInteger, assertOneOf, assertPositive, isNumericArray, type SampleArray } from '../core/validate.js';
import { ArrayGeometry, DEFAULT_SPEED_OF_SOUND, checkTarget, speedOfSoundChecked, type SpeedLike, type Target } from './geometry.js';
import { arrivalTimesUnchecked, checkGeometry } from './steering.js';
import { nextFastLength, stft, istft } from '../fft/index.js';
import { realPlan } from '../fft/plan.js';
import { mixPerBin } from '../mixing/index.js';
import { besselI0, chebyshevWeights } from '../fft/window.js';

/** How the per-channel delays are applied. */
export type DelayMethod = 'integer' | 'sinc' | 'lagrange' | 'fft' | 'stft';
/** Amplitude tapers across the microphones (in microphone order). */
export type TaperName = 'uniform' | 'hann' | 'dolph-chebyshev';

/** Options of {@link delayAndSum}. */
export interface DelayAndSumOptions {
  /**
   * 'integer' (delays rounded to samples), 'sinc' (Kaiser-windowed sinc FIR, `firLength` taps),
   * 'lagrange' (Lagrange FIR of `lagrangeOrder`), 'fft' (exact phase shift over the whole signal,
   * default) or 'stft' (frequency-domain, per-bin complex 1×1 mix).
   */
  method?: DelayMethod;
  /** Taper name or explicit real weights `[M]` (normalised to sum 1). Default 'uniform'. */
  weights?: TaperName | ArrayLike<number>;
  /** Side-lobe level in dB below the main lobe for 'dolph-chebyshev' (default 30). */
  sidelobeDb?: number;
  /** Speed of sound (m/s; accepts '343 m/s' or '20 degC'); default the geometry's `speedOfSound`, else 343 m/s. */
  speedOfSound?: SpeedLike;
  /**
   * Near field only: also compensate 1/r spreading. Weights become `w_m · r_m` (r_m in metres), so a
   * source modelled as `x_m = s(t − r_m/c) / r_m` (s referenced at 1 m) comes out as `s`. Default false.
   */
  amplitude?: boolean;
  /** Taps of the windowed-sinc FIR (even, default 32). */
  firLength?: number;
  /** Order of the Lagrange FIR (default 3, i.e. 4 taps). */
  lagrangeOrder?: number;
  /** 'fft': transform size (≥ the signal length; default fits the signal plus the largest delay plus 64). */
  nfft?: number;
  /** 'fft': delay circularly over exactly the signal length (any length; powers of two are fastest). */
  circular?: boolean;
  /**
   * 'stft': window length (power of two, default 1024) and hop (windowLength / 2^k, default
   * windowLength / 2). The transform is src/fft's `stft`/`istft` with a periodic sqrt-Hann window for
   * analysis and synthesis (Σ w² constant at these hops, so all-pass weights reconstruct exactly).
   */
  windowLength?: number;
  hop?: number;
  /** Sample rate (Hz) when `x.sampleRate` is not set. */
  sampleRate?: number;
}

// ---------------------------------------------------------------------------------------- weights

export { chebyshevWeights } from '../fft/window.js';

/**
 * Real taper weights `[M]`, normalised to sum 1 (so a signal aligned on every microphone passes with
 * gain 1): 'uniform' 1/M; 'hann' `sin²(π(m+1)/(M+1))` (Hann without its zero end points);
 * 'dolph-chebyshev' {@link chebyshevWeights}. Explicit weights are checked and normalised.
 * @throws ValueError for an unknown taper, non-finite weights or weights summing to 0; ShapeError for a wrong length.
 */
export function taperWeights(M: number, weights: TaperName | ArrayLike<number> = 'uniform', sidelobeDb = 30): Float64Array {
  return taperWeightsChecked('taperWeights', M, weights, sidelobeDb);
}

/** {@link taperWeights} for the package's functions, with errors naming `fn`. */
export function taperWeightsChecked(fn: string, M: number, weights: TaperName | ArrayLike<number>, sidelobeDb: number): Float64Array {
  let w: Float64Array;
  if (typeof weights === 'string') {
    const name = assertOneOf(fn, 'weights', weights, ['uniform', 'hann', 'dolph-chebyshev'] as const);
    if (name === 'uniform') w = new Float64Array(M).fill(1);
    else if (name === 'hann') {
      w = new Float64Array(M);
      for (let m = 0; m < M; m++) w[m] = Math.sin((Math.PI * (m + 1)) / (M + 1)) ** 2;
    } else w = chebyshevWeights(M, sidelobeDb);
  } else if (isNumericArray(weights)) {
    if (weights.length !== M) throw new ShapeError(message(fn, `weights must have one value per microphone (${M})`, weights.length));
    w = Float64Array.from(weights);
    for (let m = 0; m < M; m++) if (!Number.isFinite(w[m])) throw new ValueError(message(fn, 'weights must be finite', { verbatim: `${w[m]} at microphone ${m}` }));
  } else {
    throw new ArgumentTypeError(message(fn, "weights must be 'uniform', 'hann', 'dolph-chebyshev' or an array of numbers", weights));
  }
  let s = 0;
  for (let m = 0; m < M; m++) s += w[m];
  if (!(Math.abs(s) > 1e-300)) throw new ValueError(message(fn, 'weights must not sum to 0', s));
  for (let m = 0; m < M; m++) w[m] /= s;
  return w;
}

// ------------------------------------------------------------------------------- fractional FIRs

/** FIR taps delaying by `mu` ∈ [0, 1) samples: taps for offsets k = kmin … kmin + taps − 1, y[n] = Σ h[k] x[n − k]. */
export interface FractionalFir {
  kmin: number;
  h: Float64Array;
}

/**
 * Windowed-sinc fractional-delay FIR of `taps` (even) taps for a delay of `mu` ∈ [0, 1) samples,
 * Kaiser window (β = 8), DC gain normalised to 1. `y[n] = Σ_k h[k − kmin] x[n − k]`.
 */
export function sincFir(mu: number, taps = 32): FractionalFir {
  const half = taps / 2;
  const kmin = -half + 1;
  const h = new Float64Array(taps);
  const beta = 8;
  const i0b = besselI0(beta);
  let s = 0;
  for (let i = 0; i < taps; i++) {
    const u = kmin + i - mu; // distance from the interpolation point
    const sinc = Math.abs(u) < 1e-12 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    const r = u / (half + 0.5);
    const win = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0b;
    h[i] = sinc * win;
    s += h[i];
  }
  for (let i = 0; i < taps; i++) h[i] /= s;
  return { kmin, h };
}

/** Lagrange fractional-delay FIR of `order` (order + 1 taps) for a delay of `mu` ∈ [0, 1) samples. */
export function lagrangeFir(mu: number, order = 3): FractionalFir {
  const kmin = -Math.floor((order - 1) / 2);
  const h = new Float64Array(order + 1);
  for (let i = 0; i <= order; i++) {
    const k = kmin + i;
    let v = 1;
    for (let j = 0; j <= order; j++) {
      const kj = kmin + j;
      if (kj !== k) v *= (mu - kj) / (k - kj);
    }
    h[i] = v;
  }
  return { kmin, h };
}

// ----------------------------------------------------------------------------------- the kernel

/** Per-microphone integer delay, taps (already multiplied by the weight) and tap offset. */
export interface DasPlan {
  M: number;
  D: Int32Array;
  kmin: Int32Array;
  taps: Float64Array[];
  /** Samples of future input each output sample needs (≥ 0). */
  lookahead: number;
  /** Samples of past input each output sample needs (≥ 0). */
  history: number;
}

/** Builds the time-domain plan for delays in samples and normalised weights. */
export function planTimeDomain(delaysSamples: Float64Array, w: Float64Array, method: 'integer' | 'sinc' | 'lagrange', firLength = 32, lagrangeOrder = 3): DasPlan {
  const M = delaysSamples.length;
  const D = new Int32Array(M);
  const kmin = new Int32Array(M);
  const taps: Float64Array[] = [];
  let lookahead = 0;
  let history = 0;
  for (let m = 0; m < M; m++) {
    const d = delaysSamples[m];
    let fir: FractionalFir;
    if (method === 'integer') {
      D[m] = Math.round(d);
      fir = { kmin: 0, h: Float64Array.of(1) };
    } else {
      D[m] = Math.floor(d);
      let mu = d - D[m];
      if (mu > 1 - 1e-12) {
        D[m] += 1;
        mu = 0;
      }
      fir = method === 'sinc' ? sincFir(mu, firLength) : lagrangeFir(mu, lagrangeOrder);
    }
    kmin[m] = fir.kmin;
    const h = new Float64Array(fir.h.length);
    for (let i = 0; i < h.length; i++) h[i] = fir.h[i] * w[m];
    taps.push(h);
    lookahead = Math.max(lookahead, -(D[m] + fir.kmin));
    history = Math.max(history, D[m] + fir.kmin + fir.h.length - 1);
  }
  return { M, D, kmin, taps, lookahead, history };
}

/**
 * Accumulates output samples [outStart, outStart + count) (absolute indices) into `out` from input
 * held in `src` (channel m at src[m * stride + i] is absolute sample srcStart + i, valid for
 * i < srcLen; samples outside read as 0).
 */
export function runPlan(plan: DasPlan, src: SampleArray, stride: number, srcStart: number, srcLen: number, outStart: number, count: number, out: Float64Array): void {
  for (let m = 0; m < plan.M; m++) {
    const h = plan.taps[m];
    const base = m * stride - srcStart;
    for (let i = 0; i < h.length; i++) {
      const g = h[i];
      if (g === 0) continue;
      const o = plan.D[m] + plan.kmin[m] + i; // y[n] += g · x[n − o]
      // need srcStart ≤ n − o < srcStart + srcLen
      const n0 = Math.max(outStart, srcStart + o);
      const n1 = Math.min(outStart + count, srcStart + srcLen + o);
      const off = base - o;
      for (let n = n0; n < n1; n++) out[n - outStart] += g * src[off + n];
    }
  }
}

// ------------------------------------------------------------------------------------ validation

interface Prepared {
  x: Multichannel;
  fs: number;
  delaysSamples: Float64Array;
  w: Float64Array;
  method: DelayMethod;
}

function prepare(fn: string, xIn: unknown, geometry: unknown, target: unknown, options: DelayAndSumOptions, allowed: readonly DelayMethod[]): Prepared {
  const x = assertMultichannel(fn, 'x', xIn, '[microphones, samples]');
  const g = checkGeometry(fn, geometry);
  const t = checkTarget(fn, target);
  if (x.channels !== g.count) throw new ShapeError(message(fn, `x must have one channel per microphone (${g.count})`, x.channels));
  const fs = x.sampleRate ?? options.sampleRate;
  if (fs === undefined) throw new ValueError(message(fn, 'x.sampleRate (Hz) must be set (or options.sampleRate given)', x.sampleRate));
  assertPositive(fn, 'sampleRate', fs);
  const method = assertOneOf(fn, 'options.method', options.method ?? 'fft', allowed);
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? g.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  const tt = arrivalTimesUnchecked(g.positions, t, c);
  let mx = -Infinity;
  for (let m = 0; m < g.count; m++) mx = Math.max(mx, tt[m]);
  const delaysSamples = new Float64Array(g.count);
  for (let m = 0; m < g.count; m++) delaysSamples[m] = (mx - tt[m]) * fs;
  const w = taperWeightsChecked(fn, g.count, options.weights ?? 'uniform', options.sidelobeDb ?? 30);
  if (options.amplitude && t.kind === 'near-field') {
    // x_m = s(t − r_m/c) / r_m (s referenced at 1 m): weights w_m · r_m give s back with gain 1
    for (let m = 0; m < g.count; m++) w[m] *= tt[m] * c;
  }
  return { x, fs, delaysSamples, w, method };
}

function checkDelaysFit(fn: string, delaysSamples: Float64Array, N: number): void {
  let mx = 0;
  for (let m = 0; m < delaysSamples.length; m++) mx = Math.max(mx, delaysSamples[m]);
  if (mx >= N) throw new ShapeError(message(fn, `the largest steering delay (${mx.toFixed(2)} samples) must be shorter than the signal`, { verbatim: `${N} samples` }));
}

// ------------------------------------------------------------------------------------ one-shot

/**
 * Delay-and-sum toward `target`: `[M, N] → [1, N]`, `y[n] = Σ_m w_m x_m(n − delay_m)` with
 * `delay_m = max(t) − t_m` (see steeringDelays) and weights summing to 1, so a plane wave (or
 * spherical wave) from the target passes with gain 1, delayed by the latest arrival time. Zeros are
 * assumed before the first and after the last sample. sampleRate is kept.
 *
 * Methods and costs (M mics, N samples): 'integer' O(MN); 'sinc'/'lagrange' O(M·taps·N);
 * 'fft' O(M·n log n), n = nfft; 'stft' O(M·N log L). 'integer' and 'fft' (nfft = 128) agree with
 * ../shared/refs/das.json to 1e-12.
 *
 * @throws ArgumentTypeError when x is not a Multichannel or geometry not an ArrayGeometry;
 *   ShapeError when channels ≠ microphones or the largest delay is not shorter than the signal;
 *   ValueError for a missing sampleRate, an unknown method or bad weights.
 * @example
 * const y = delayAndSum(x, ArrayGeometry.linear(8, '4 cm'), direction(60), { method: 'fft' });
 */
export function delayAndSum(x: Multichannel, geometry: ArrayGeometry, target: Target, options: DelayAndSumOptions = {}): Multichannel {
  const fn = 'delayAndSum';
  const p = prepare(fn, x, geometry, target, options, ['integer', 'sinc', 'lagrange', 'fft', 'stft']);
  return delayAndSumWithDelaysChecked(fn, p.x, p.delaysSamples, p.w, { ...options, method: p.method, sampleRate: p.fs });
}

/**
 * Delay-and-sum with explicit per-channel delays (in samples, ≥ 0) and weights (used as given, not
 * normalised): `[M, N] → [1, N]`. The low-level form of {@link delayAndSum}; same methods.
 * @throws ShapeError when lengths disagree or a delay is not shorter than the signal; ValueError for negative or non-finite delays.
 */
export function delayAndSumWithDelays(x: Multichannel, delaysSamples: ArrayLike<number>, weights: ArrayLike<number>, options: DelayAndSumOptions = {}): Multichannel {
  return delayAndSumWithDelaysChecked('delayAndSumWithDelays', x, delaysSamples, weights, options);
}

/** {@link delayAndSumWithDelays} for the package's functions, with errors naming `fn`. */
export function delayAndSumWithDelaysChecked(fn: string, x: Multichannel, delaysSamples: ArrayLike<number>, weights: ArrayLike<number>, options: DelayAndSumOptions): Multichannel {
  assertMultichannel(fn, 'x', x);
  const M = x.channels;
  const N = x.length;
  if (delaysSamples.length !== M) throw new ShapeError(message(fn, `delays must have one value per channel (${M})`, delaysSamples.length));
  if (weights.length !== M) throw new ShapeError(message(fn, `weights must have one value per channel (${M})`, weights.length));
  const d = Float64Array.from(delaysSamples);
  const w = Float64Array.from(weights);
  for (let m = 0; m < M; m++) {
    if (!(d[m] >= 0) || !Number.isFinite(d[m])) throw new ValueError(message(fn, 'delays must be finite and ≥ 0 (samples)', { verbatim: `${d[m]} at channel ${m}` }));
    if (!Number.isFinite(w[m])) throw new ValueError(message(fn, 'weights must be finite', { verbatim: `${w[m]} at channel ${m}` }));
  }
  checkDelaysFit(fn, d, N);
  const method = assertOneOf(fn, 'options.method', options.method ?? 'fft', ['integer', 'sinc', 'lagrange', 'fft', 'stft'] as const);
  const meta = x.sampleRate !== undefined ? { sampleRate: x.sampleRate } : options.sampleRate !== undefined ? { sampleRate: options.sampleRate } : {};
  let y: Float64Array;
  if (method === 'fft') y = dasFft(x.data, M, N, d, w, fn, options);
  else if (method === 'stft') y = dasStft(x, d, w, fn, options);
  else {
    const firLength = options.firLength ?? 32;
    assertInteger(fn, 'options.firLength', firLength, 2);
    if (firLength % 2) throw new ValueError(message(fn, 'options.firLength must be even', firLength));
    const order = options.lagrangeOrder ?? 3;
    assertInteger(fn, 'options.lagrangeOrder', order, 1, 31);
    const plan = planTimeDomain(d, w, method, firLength, order);
    y = new Float64Array(N);
    runPlan(plan, x.data, N, 0, N, 0, N, y);
  }
  return new Multichannel(y, 1, N, meta);
}

function dasFft(data: SampleArray, M: number, N: number, d: Float64Array, w: Float64Array, fn: string, options: DelayAndSumOptions): Float64Array {
  let maxD = 0;
  for (let m = 0; m < M; m++) maxD = Math.max(maxD, d[m]);
  let nfft: number;
  if (options.circular) {
    nfft = N;
  } else if (options.nfft !== undefined) {
    nfft = options.nfft;
    assertInteger(fn, 'nfft', nfft, 2);
    if (nfft < N) throw new ValueError(message(fn, `nfft must be ≥ the signal length ${N}`, nfft));
  } else nfft = nextFastLength(N + Math.ceil(maxD) + 64);
  const fft = realPlan(nfft);
  const B = fft.bins;
  const X = new Float64Array(2 * B); // one channel's half spectrum, interleaved (re, im)
  const Y = new Float64Array(2 * B); // the weighted, phase-shifted sum
  for (let m = 0; m < M; m++) {
    if (w[m] === 0) continue;
    fft.forwardInterleaved(data, m * N, N, X);
    // multiply by w · e^{−j 2π k d / nfft}, rotating a phasor (re-anchored every 64 bins)
    const step = (-2 * Math.PI * d[m]) / nfft;
    const sr = Math.cos(step);
    const si = Math.sin(step);
    for (let k0 = 0; k0 < B; k0 += 64) {
      let cr = w[m] * Math.cos(step * k0);
      let ci = w[m] * Math.sin(step * k0);
      const k1 = Math.min(B, k0 + 64);
      for (let k = k0; k < k1; k++) {
        const a = X[2 * k];
        const b = X[2 * k + 1];
        Y[2 * k] += a * cr - b * ci;
        Y[2 * k + 1] += a * ci + b * cr;
        const t = cr * sr - ci * si;
        ci = cr * si + ci * sr;
        cr = t;
      }
    }
  }
  const out = new Float64Array(nfft);
  fft.inverseInterleaved(Y, out, 1 / nfft);
  return out.slice(0, N);
}

/**
 * 'stft' method: src/fft's `stft` with a periodic sqrt-Hann window (analysis and synthesis), centred
 * frames, hop = windowLength / 2^k (COLA: Σ w² is constant), then one complex `1 × M` mix per bin
 * (src/mixing `mixPerBin`, weights `w_m e^{−j2πk d_m / nfft}`) and `istft` (weighted overlap-add).
 */
function dasStft(x: Multichannel, d: Float64Array, w: Float64Array, fn: string, options: DelayAndSumOptions): Float64Array {
  const M = x.channels;
  const L = options.windowLength ?? 1024;
  assertInteger(fn, 'options.windowLength', L, 4);
  if ((L & (L - 1)) !== 0) throw new ValueError(message(fn, 'options.windowLength must be a power of two', L));
  const hop = options.hop ?? L / 2;
  assertInteger(fn, 'options.hop', hop, 1, L / 2);
  if ((L / hop) % 2 !== 0 || !Number.isInteger(L / hop)) throw new ValueError(message(fn, 'options.hop must be windowLength / 2^k (k ≥ 1)', hop));
  const nfft = options.nfft ?? L;
  if ((nfft & (nfft - 1)) !== 0 || nfft < L) throw new ValueError(message(fn, 'options.nfft must be a power of two ≥ windowLength', nfft));
  const s = stft(x, { windowLength: L, hop, nfft, window: 'sqrt-hann' });
  const B = s.bins;
  // bin-major 1 × M weight rows: W[k · M + m]
  const wr = new Float64Array(B * M);
  const wi = new Float64Array(B * M);
  for (let m = 0; m < M; m++) {
    for (let k = 0; k < B; k++) {
      const ph = (-2 * Math.PI * k * d[m]) / nfft;
      wr[k * M + m] = w[m] * Math.cos(ph);
      wi[k * M + m] = w[m] * Math.sin(ph);
    }
  }
  const y = mixPerBin(s, wr, wi, 1);
  return istft({ ...s, ...y }, { dtype: 'float64' }).data as Float64Array;
}

// ------------------------------------------------------------------------------------ streaming

/** Options of {@link DelayAndSumStream}: the time-domain methods only. */
export interface DelayAndSumStreamOptions extends Omit<DelayAndSumOptions, 'method' | 'nfft' | 'circular' | 'windowLength' | 'hop'> {
  method?: 'integer' | 'sinc' | 'lagrange';
  /** Sample rate of the chunks (Hz); required. */
  sampleRate: number;
}

/**
 * Streaming delay-and-sum for long recordings: push `[M, n]` chunks, get `[1, n']` chunks back.
 * The concatenation of every `push` output and `flush()` is bit-identical to
 * `delayAndSum(wholeSignal, …, { method })` for the same time-domain method. Output lags input by
 * the FIR look-ahead (`lookahead` samples: 0 for 'integer', at most firLength/2 − 1 for 'sinc').
 * Memory O(M · (history + chunk)).
 */
export class DelayAndSumStream {
  /** Samples of input the stream holds back before it can emit them. */
  readonly lookahead: number;
  readonly sampleRate: number;
  readonly channels: number;
  private readonly plan: DasPlan;
  private buf: Float64Array; // channel-major, stride = cap
  private cap: number;
  private bufStart = 0; // absolute index of buf[0]
  private bufLen = 0;
  private received = 0;
  private emitted = 0;
  private done = false;

  /** @throws as {@link delayAndSum} for the geometry, target and options. */
  constructor(geometry: ArrayGeometry, target: Target, options: DelayAndSumStreamOptions) {
    const fn = 'DelayAndSumStream';
    if (options === undefined || options === null) throw new ValueError(message(fn, 'options.sampleRate (Hz) must be given', options));
    const g = checkGeometry(fn, geometry);
    const fake = new Multichannel(new Float64Array(g.count), g.count, 1, { sampleRate: options.sampleRate });
    const p = prepare(fn, fake, g, target, { ...options, method: options.method ?? 'sinc' }, ['integer', 'sinc', 'lagrange']);
    const firLength = options.firLength ?? 32;
    assertInteger(fn, 'options.firLength', firLength, 2);
    this.plan = planTimeDomain(p.delaysSamples, p.w, p.method as 'integer' | 'sinc' | 'lagrange', firLength, options.lagrangeOrder ?? 3);
    this.lookahead = this.plan.lookahead;
    this.sampleRate = p.fs;
    this.channels = g.count;
    this.cap = 0;
    this.buf = new Float64Array(0);
  }

  private append(x: Multichannel | null, zeros: number): void {
    const M = this.channels;
    const n = x ? x.length : zeros;
    // drop what no future output needs
    const keepFrom = Math.max(this.bufStart, this.emitted - this.plan.history);
    const drop = keepFrom - this.bufStart;
    const need = this.bufLen - drop + n;
    if (need > this.cap) {
      const cap = Math.max(need * 2, 1024);
      const nb = new Float64Array(M * cap);
      for (let m = 0; m < M; m++) nb.set(this.buf.subarray(m * this.cap + drop, m * this.cap + this.bufLen), m * cap);
      this.buf = nb;
      this.cap = cap;
    } else if (drop > 0) {
      for (let m = 0; m < M; m++) this.buf.copyWithin(m * this.cap, m * this.cap + drop, m * this.cap + this.bufLen);
    }
    this.bufStart += drop;
    this.bufLen -= drop;
    for (let m = 0; m < M; m++) {
      const dst = m * this.cap + this.bufLen;
      if (x) this.buf.set(x.data.subarray(m * x.length, (m + 1) * x.length), dst);
      else this.buf.fill(0, dst, dst + n);
    }
    this.bufLen += n;
  }

  private emit(upTo: number): Multichannel {
    const count = Math.max(0, upTo - this.emitted);
    const y = new Float64Array(count);
    runPlan(this.plan, this.buf, this.cap, this.bufStart, this.bufLen, this.emitted, count, y);
    this.emitted += count;
    return new Multichannel(y, 1, count, { sampleRate: this.sampleRate });
  }

  /**
   * Feeds one chunk `[M, n]` and returns the output samples now complete (`[1, n']`).
   * @throws ShapeError for a wrong channel count; ValueError after flush or for a different sampleRate.
   */
  push(chunk: Multichannel): Multichannel {
    const fn = 'DelayAndSumStream.push';
    if (this.done) throw new ValueError(message(fn, 'the stream must not be pushed after flush()', 'a flushed stream'));
    assertMultichannel(fn, 'chunk', chunk);
    if (chunk.channels !== this.channels) throw new ShapeError(message(fn, `chunk must have one channel per microphone (${this.channels})`, chunk.channels));
    if (chunk.sampleRate !== undefined && chunk.sampleRate !== this.sampleRate) throw new ValueError(message(fn, `chunk.sampleRate must be ${this.sampleRate} Hz`, chunk.sampleRate));
    this.append(chunk, 0);
    this.received += chunk.length;
    return this.emit(this.received - this.lookahead);
  }

  /** Emits the last `lookahead` samples (zeros assumed after the end). The stream is then closed. */
  flush(): Multichannel {
    if (this.done) return new Multichannel(new Float64Array(0), 1, 0, { sampleRate: this.sampleRate });
    this.done = true;
    this.append(null, this.lookahead);
    return this.emit(this.received);
  }
}

/**
 * The per-channel delay step of delay-and-sum on its own: `[M, N] → [M, N]`, channel m delayed by
 * `delay_m` toward `target` (same methods as {@link delayAndSum}, weights ignored). Delay-and-sum is
 * then the 1×1 mix `mix(alignChannels(x, g, t), [w])` with a `1 × M` weight row summing to 1.
 * @throws as {@link delayAndSum}.
 */
export function alignChannels(x: Multichannel, geometry: ArrayGeometry, target: Target, options: DelayAndSumOptions = {}): Multichannel {
  const fn = 'alignChannels';
  const p = prepare(fn, x, geometry, target, { ...options, weights: 'uniform' }, ['integer', 'sinc', 'lagrange', 'fft', 'stft']);
  const M = x.channels;
  const N = x.length;
  const out = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    const one = new Multichannel(x.data.subarray(m * N, (m + 1) * N), 1, N, { sampleRate: p.fs });
    const y = delayAndSumWithDelaysChecked(fn, one, [p.delaysSamples[m]], [1], { ...options, method: p.method, sampleRate: p.fs });
    out.set(y.data, m * N);
  }
  return new Multichannel(out, M, N, { ...x.meta, sampleRate: p.fs });
}
