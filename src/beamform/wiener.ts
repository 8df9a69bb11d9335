/**
 * Learned beamformers as 1×1 mixes: the multichannel Wiener filter (a complex least-squares mix per
 * frequency bin, from the array STFT toward a target STFT) and the time-domain learned
 * filter-and-sum (a real 1×1 mix of delayed taps of every microphone, fitted in closed form or
 * trained with {@link trainMixer}).
 * @module
 */
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { ArgumentTypeError, NumericalError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertInteger, assertOneOf, assertPositive } from '../core/validate.js';
import { istft, stft } from '../fft/index.js';
import { mix, mixPerBin, type ComplexPlanes } from '../mixing/index.js';
import { PointwiseMixer } from '../mixing/mixer.js';
import { fitLeastSquares } from '../train/leastsq.js';
import { trainMixer, type TrainOptions, type TrainResult } from '../train/trainer.js';
import { Adam } from '../train/optimizers.js';
import { spatialCovariance } from './covariance.js';
import { solveComplex } from '../linalg/solve.js';

// ------------------------------------------------------------------------- per-bin least squares

/** Options of {@link fitLeastSquaresPerBin}. */
export interface PerBinLeastSquaresOptions {
  /** Ridge δ ≥ 0 relative to the mean input power of each bin: `λ_k = δ · tr(R_k)/M` (default 0). */
  diagonalLoading?: number;
}

/**
 * Complex least squares per frequency bin: for each bin k the `Cout × M` matrix `W_k` minimising
 * `Σ_f |d(o, f, k) − Σ_m W_k[o, m] x(m, f, k)|² + λ_k ‖W_k[o, ·]‖²`, i.e.
 * `W_k[o, ·]ᴴ = (R_k + λ_k I)⁻¹ r_k,o` with `R_k` the {@link spatialCovariance} of x and `r_k,o`
 * the frame mean of `x conj(d_o)`. The weights are in {@link mixPerBin}'s layout, so
 * `mixPerBin(x, W.re, W.im, Cout)` is the fitted estimate of d. Agrees with per-bin
 * `numpy.linalg.lstsq` to 1e-10 on well-conditioned bins (test/fixtures/refs/mwf.json).
 *
 * Shapes: x `M × F × B`, d `Cout × F × B` (both in the STFT layout of src/fft) → weights
 * `[B × Cout × M]` (re, im). Complexity O(B·F·M·(M + Cout) + B·Cout·M³).
 *
 * | bad input | error |
 * | --- | --- |
 * | x or d without Float64Array planes | ArgumentTypeError |
 * | frames or bins of x and d differ; planes of the wrong length | ShapeError |
 * | diagonalLoading < 0 or NaN | ValueError |
 * | a bin whose loaded covariance is singular (e.g. silent bins with no loading) | NumericalError |
 * @throws see the table.
 * @example
 * const X = stft(x, { windowLength: 512, hop: 256, window: 'sqrt-hann' });
 * const D = stft(target, { windowLength: 512, hop: 256, window: 'sqrt-hann' });
 * const W = fitLeastSquaresPerBin(X, D, { diagonalLoading: 1e-6 });
 * const y = istft({ ...X, ...mixPerBin(X, W.re, W.im, 1) });
 */
export function fitLeastSquaresPerBin(x: ComplexPlanes, d: ComplexPlanes, options: PerBinLeastSquaresOptions = {}): { re: Float64Array; im: Float64Array } {
  const fn = 'fitLeastSquaresPerBin';
  for (const [name, v] of [['x', x], ['d', d]] as const) {
    if (typeof v !== 'object' || v === null || !(v.re instanceof Float64Array) || !(v.im instanceof Float64Array)) throw new ArgumentTypeError(message(fn, `${name} must have Float64Array re and im planes (an Stft)`, v));
    const n = v.channels * v.frames * v.bins;
    if (!(n > 0) || v.re.length !== n || v.im.length !== n) throw new ShapeError(message(fn, `${name}.re and ${name}.im must hold channels × frames × bins values`, v.re.length));
  }
  if (d.frames !== x.frames || d.bins !== x.bins) throw new ShapeError(message(fn, `d must have the frames × bins of x (${x.frames} × ${x.bins})`, { verbatim: `${d.frames} × ${d.bins}` }));
  const delta = options.diagonalLoading ?? 0;
  assertPositive(fn, 'options.diagonalLoading', delta, true);
  const M = x.channels;
  const O = d.channels;
  const F = x.frames;
  const B = x.bins;
  const R = spatialCovariance(x, { diagonalLoading: delta });
  const re = new Float64Array(B * O * M);
  const im = new Float64Array(B * O * M);
  const M2 = M * M;
  const ur = new Float64Array(M);
  const ui = new Float64Array(M);
  for (let k = 0; k < B; k++) {
    for (let o = 0; o < O; o++) {
      // r = mean_f x conj(d_o)
      ur.fill(0);
      ui.fill(0);
      for (let f = 0; f < F; f++) {
        const dr = d.re[(o * F + f) * B + k];
        const di = d.im[(o * F + f) * B + k];
        for (let m = 0; m < M; m++) {
          const xr = x.re[(m * F + f) * B + k];
          const xi = x.im[(m * F + f) * B + k];
          ur[m] += xr * dr + xi * di;
          ui[m] += xi * dr - xr * di;
        }
      }
      for (let m = 0; m < M; m++) {
        ur[m] /= F;
        ui[m] /= F;
      }
      const Ar = R.re.slice(k * M2, (k + 1) * M2);
      const Ai = R.im.slice(k * M2, (k + 1) * M2);
      if (!solveComplex(Ar, Ai, ur, ui, M)) {
        throw new NumericalError(message(fn, 'every bin\'s input covariance (plus loading) must be invertible (give diagonalLoading > 0)', { verbatim: `singular at bin ${k}` }));
      }
      // mix row = conj(R⁻¹ r)
      for (let m = 0; m < M; m++) {
        re[(k * O + o) * M + m] = ur[m];
        im[(k * O + o) * M + m] = -ui[m];
      }
    }
  }
  return { re, im };
}

// --------------------------------------------------------------------- multichannel Wiener filter

/** Options of {@link fitMultichannelWiener}. */
export interface MultichannelWienerOptions {
  /** STFT window length in samples (default 512; periodic sqrt-Hann analysis and synthesis window). */
  windowLength?: number;
  /** STFT hop (default windowLength / 2, which reconstructs exactly). */
  hop?: number;
  /** Ridge relative to each bin's mean input power (default 1e-6; 0 for plain least squares). */
  diagonalLoading?: number;
}

/** A fitted per-bin complex 1×1 mix and the STFT it applies in: see {@link fitMultichannelWiener}. */
export interface PerBinFilter {
  /** Weights `[bins × outChannels × channels]` in {@link mixPerBin}'s layout. */
  re: Float64Array;
  im: Float64Array;
  channels: number;
  outChannels: number;
  bins: number;
  windowLength: number;
  hop: number;
  sampleRate?: number;
}

/**
 * Multichannel Wiener filter fitted from a recording and a target signal: per frequency bin, the
 * complex 1×1 mix `W_k` (`Cout × M`) that minimises the mean squared error between `mix(X_k)` and
 * the target's STFT ({@link fitLeastSquaresPerBin}: `W_kᴴ = (R_xx + λI)⁻¹ r_xd`, the MWF). The target
 * is a clean reference (e.g. the target talker's image at a reference microphone) available for a
 * training segment; apply the filter to new audio with {@link applyPerBinFilter}.
 *
 * Shapes: x `[M, N]`, target `[Cout, N]` → filter of `bins = windowLength/2 + 1` weights.
 *
 * | bad input | error |
 * | --- | --- |
 * | x or target not a Multichannel | ArgumentTypeError |
 * | target length ≠ x length; empty x | ShapeError |
 * | bad windowLength / hop / diagonalLoading; non-finite samples | ValueError |
 * | a singular bin (silent input with diagonalLoading 0) | NumericalError |
 * @throws see the table.
 * @example
 * const f = fitMultichannelWiener(train, cleanAtMic0, { windowLength: 512 });
 * const y = applyPerBinFilter(f, test); // [1, N]
 */
export function fitMultichannelWiener(x: Multichannel, target: Multichannel, options: MultichannelWienerOptions = {}): PerBinFilter {
  const fn = 'fitMultichannelWiener';
  assertMultichannel(fn, 'x', x, '[microphones, samples]');
  assertMultichannel(fn, 'target', target, '[outputs, samples]');
  if (target.length !== x.length) throw new ShapeError(message(fn, `target must have as many samples as x (${x.length})`, target.length));
  if (x.length === 0) throw new ShapeError(message(fn, 'x must not be empty', x.length));
  const { L, hop } = stftSizes(fn, options.windowLength, options.hop);
  const delta = options.diagonalLoading ?? 1e-6;
  assertPositive(fn, 'options.diagonalLoading', delta, true);
  const so = { windowLength: L, hop, window: 'sqrt-hann' as const };
  const X = stft(x, so);
  const D = stft(target, so);
  const W = fitLeastSquaresPerBin(X, D, { diagonalLoading: delta });
  return { ...W, channels: x.channels, outChannels: target.channels, bins: X.bins, windowLength: L, hop, sampleRate: x.sampleRate };
}

/**
 * Applies a per-bin filter ({@link fitMultichannelWiener}) to a recording: sqrt-Hann STFT,
 * {@link mixPerBin}, inverse STFT. `[M, N] → [Cout, N]`, float64, the input's sample rate.
 *
 * | bad input | error |
 * | --- | --- |
 * | filter without Float64Array re / im; x not a Multichannel | ArgumentTypeError |
 * | x's channels ≠ filter.channels | ShapeError |
 * | non-finite samples | ValueError (from stft) |
 * @throws see the table.
 * @example const y = applyPerBinFilter(fitMultichannelWiener(train, ref), test);
 */
export function applyPerBinFilter(filter: PerBinFilter, x: Multichannel): Multichannel {
  const fn = 'applyPerBinFilter';
  if (typeof filter !== 'object' || filter === null || !(filter.re instanceof Float64Array) || !(filter.im instanceof Float64Array)) throw new ArgumentTypeError(message(fn, 'filter must come from fitMultichannelWiener()', filter));
  assertMultichannel(fn, 'x', x, '[microphones, samples]');
  if (x.channels !== filter.channels) throw new ShapeError(message(fn, `x must have the filter's ${filter.channels} channels`, x.channels));
  const S = stft(x, { windowLength: filter.windowLength, hop: filter.hop, window: 'sqrt-hann' });
  const y = istft({ ...S, ...mixPerBin(S, filter.re, filter.im, filter.outChannels) }, { dtype: 'float64' });
  return new Multichannel(y.data, filter.outChannels, x.length, { sampleRate: x.sampleRate });
}

function stftSizes(fn: string, windowLength: number | undefined, hop: number | undefined): { L: number; hop: number } {
  const L = windowLength ?? 512;
  assertInteger(fn, 'windowLength', L, 2);
  const h = hop ?? Math.floor(L / 2);
  assertInteger(fn, 'hop', h, 1, L);
  return { L, hop: h };
}

// ------------------------------------------------------------------------ learned filter-and-sum

/**
 * The delayed taps of every channel as channels: `[M, N] → [M·taps, N]`, channel `m·taps + j`
 * holding `x_m(t + lookahead − j)` (zero outside the signal). A 1×1 mix of this stack is an FIR
 * filter-and-sum with `taps` coefficients per microphone, `lookahead` of them non-causal.
 * Memory `M·taps·N` doubles.
 *
 * | bad input | error |
 * | --- | --- |
 * | x not a Multichannel | ArgumentTypeError |
 * | taps < 1 or not an integer; lookahead ∉ [0, taps) | ValueError |
 * @throws see the table.
 * @example tapStack(x, 16, 8).channels === 16 * x.channels
 */
export function tapStack(x: Multichannel, taps: number, lookahead = 0): Multichannel {
  const fn = 'tapStack';
  assertMultichannel(fn, 'x', x);
  assertInteger(fn, 'taps', taps, 1);
  assertInteger(fn, 'lookahead', lookahead, 0, taps - 1);
  const M = x.channels;
  const N = x.length;
  const out = new Float64Array(M * taps * N);
  for (let m = 0; m < M; m++) {
    const src = x.data.subarray(m * N, (m + 1) * N);
    for (let j = 0; j < taps; j++) {
      const shift = lookahead - j; // out[t] = src[t + shift]
      const o = (m * taps + j) * N;
      const t0 = Math.max(0, -shift);
      const t1 = Math.min(N, N - shift);
      for (let t = t0; t < t1; t++) out[o + t] = src[t + shift];
    }
  }
  return new Multichannel(out, M * taps, N, { sampleRate: x.sampleRate });
}

/** Options of {@link fitFilterAndSum}. */
export interface FilterAndSumOptions {
  /** FIR taps per microphone (default 16). */
  taps?: number;
  /** Non-causal taps (default floor(taps / 2)): the filter may look this many samples ahead. */
  lookahead?: number;
  /** 'train' (default: {@link trainMixer} with Adam from a plain average) or 'least-squares' ({@link fitLeastSquares}). */
  method?: 'train' | 'least-squares';
  /** Training options (default: Adam lr 0.01, 20 epochs, batches of 4096 samples, seed 0). */
  train?: TrainOptions;
  /** Ridge of the least-squares fit (default 0). */
  ridge?: number;
}

/** A learned time-domain filter-and-sum beamformer. */
export interface FilterAndSum {
  /** `[M × taps]` row-major: `y(t) = Σ_m Σ_j filters[m·taps + j] · x_m(t + lookahead − j)`. */
  filters: Float64Array;
  channels: number;
  taps: number;
  lookahead: number;
  /** The training record (method 'train'). */
  training?: TrainResult;
}

/**
 * Learned filter-and-sum beamformer: an FIR filter per microphone, summed, fitted so the output
 * matches `target` (`[1, N]`, e.g. the clean target at a reference microphone) — a 1×1 mix
 * `[1 × M·taps]` of the {@link tapStack}, trained by {@link trainMixer} (MSE, Adam) or solved in
 * closed form by {@link fitLeastSquares}. Apply with {@link applyFilterAndSum}.
 * Complexity per epoch ≈ 3·M·taps·N multiply-adds; memory M·taps·N doubles.
 *
 * | bad input | error |
 * | --- | --- |
 * | x or target not a Multichannel | ArgumentTypeError |
 * | target not one channel, or of another length | ShapeError |
 * | taps < 1, lookahead ∉ [0, taps), unknown method | ValueError |
 * @throws see the table (and the errors of trainMixer / fitLeastSquares).
 * @example
 * const f = fitFilterAndSum(train, cleanAtMic0, { taps: 16, method: 'least-squares' });
 * const y = applyFilterAndSum(f, test);
 */
export function fitFilterAndSum(x: Multichannel, target: Multichannel, options: FilterAndSumOptions = {}): FilterAndSum {
  const fn = 'fitFilterAndSum';
  assertMultichannel(fn, 'x', x, '[microphones, samples]');
  assertMultichannel(fn, 'target', target, '[1, samples]');
  if (target.channels !== 1 || target.length !== x.length) throw new ShapeError(message(fn, `target must be [1, ${x.length}]`, { verbatim: `[${target.channels}, ${target.length}]` }));
  const taps = options.taps ?? 16;
  assertInteger(fn, 'options.taps', taps, 1);
  const lookahead = options.lookahead ?? Math.floor(taps / 2);
  assertInteger(fn, 'options.lookahead', lookahead, 0, taps - 1);
  const method = assertOneOf(fn, 'options.method', options.method ?? 'train', ['train', 'least-squares'] as const);
  const M = x.channels;
  const X = tapStack(x, taps, lookahead);
  if (method === 'least-squares') {
    const fit = fitLeastSquares(X, target, { bias: false, ridge: options.ridge ?? 0 });
    return { filters: fit.weights, channels: M, taps, lookahead };
  }
  const w0 = new Float64Array(M * taps);
  for (let m = 0; m < M; m++) w0[m * taps + lookahead] = 1 / M;
  const mixer = new PointwiseMixer(w0, 1, M * taps);
  const training = trainMixer(mixer, X, target, { optimizer: new Adam({ learningRate: 0.01 }), epochs: 20, batchSize: 4096, seed: 0, ...options.train });
  return { filters: Float64Array.from(mixer.weights), channels: M, taps, lookahead, training };
}

/**
 * Applies a learned filter-and-sum ({@link fitFilterAndSum}): `[M, N] → [1, N]` (the 1×1 mix of
 * the tap stack, {@link mix}).
 *
 * | bad input | error |
 * | --- | --- |
 * | f without Float64Array filters; x not a Multichannel | ArgumentTypeError |
 * | x's channels ≠ f.channels | ShapeError |
 * | f.filters not channels × taps long | ValueError |
 * @throws see the table.
 * @example const y = applyFilterAndSum(fitFilterAndSum(train, ref), test);
 */
export function applyFilterAndSum(f: FilterAndSum, x: Multichannel): Multichannel {
  const fn = 'applyFilterAndSum';
  if (typeof f !== 'object' || f === null || !(f.filters instanceof Float64Array)) throw new ArgumentTypeError(message(fn, 'f must come from fitFilterAndSum()', f));
  assertMultichannel(fn, 'x', x, '[microphones, samples]');
  if (x.channels !== f.channels) throw new ShapeError(message(fn, `x must have the filter's ${f.channels} channels`, x.channels));
  if (f.filters.length !== f.channels * f.taps) throw new ValueError(message(fn, 'f.filters must hold channels × taps values', f.filters.length));
  return mix(tapStack(x, f.taps, f.lookahead), { data: f.filters, rows: 1, cols: f.channels * f.taps });
}
