/**
 * `convolve` and `correlate` with scipy.signal's modes, four methods and multichannel broadcasting.
 * @module
 */
import { ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, asMultichannel, type Dtype, type MultichannelMeta, type SignalLike } from '../core/multichannel.js';
import { assertInteger, assertOneOf, firstNonFinite } from '../core/validate.js';
import { chooseMethod, bestBlockSize, MIN_FFT, type ConcreteMethod } from './cost.js';
import { computeChannels, type ChannelJob } from './kernels.js';
import { runOnWorkers } from './pool.js';
import { nextPow2 } from '../fft/plan.js';

/** Output size, as scipy.signal.convolve: 'full' N+M−1, 'same' N (centred), 'valid' |N−M|+1. */
export type ConvolveMode = 'full' | 'same' | 'valid';
/** How to compute: 'direct' O(N·M), 'fft' one FFT of the whole, 'overlap-add' FFT blocks, 'auto' the fastest by a cost model fitted to bench/convolve.ts. */
export type ConvolveMethod = 'auto' | 'direct' | 'fft' | 'overlap-add';

/** Options of {@link convolve} and {@link correlate}. */
export interface ConvolveOptions {
  /** Output size (default 'full'). */
  mode?: ConvolveMode;
  /** Algorithm (default 'auto'). */
  method?: ConvolveMethod;
  /** Element type of the result (default: 'float32' when x is float32, else 'float64'). Computation is always float64. */
  dtype?: Dtype;
  /**
   * Worker threads to use besides the calling thread for multichannel inputs (default false: this
   * thread only). Channels are split across threads; every thread runs the same kernel, so the
   * result is bit-for-bit identical to `workers: false`. The call stays synchronous.
   */
  workers?: number | false;
}

const MODES: readonly ConvolveMode[] = ['full', 'same', 'valid'];
const METHODS: readonly ConvolveMethod[] = ['auto', 'direct', 'fft', 'overlap-add'];

/** Index range of the full convolution that a mode keeps (scipy's conventions). */
export function modeRange(N: number, M: number, mode: ConvolveMode): { start: number; length: number } {
  if (mode === 'full') return { start: 0, length: N + M - 1 };
  if (mode === 'same') return { start: (M - 1) >> 1, length: N };
  return { start: Math.min(N, M) - 1, length: Math.abs(N - M) + 1 };
}

function assertFiniteSignal(fn: string, name: string, m: Multichannel): void {
  const i = firstNonFinite(m.data);
  if (i >= 0) {
    const c = Math.floor(i / m.length), t = i - c * m.length;
    const where = m.channels > 1 ? `channel ${c}, sample ${t}` : `index ${t}`;
    throw new ValueError(message(fn, `${name} must hold only finite values (NaN and ±Infinity are rejected, not propagated)`, { verbatim: `${m.data[i]} at ${where}` }));
  }
}

/** Validated inputs of convolve / correlate. */
interface Prepared {
  x: Multichannel;
  h: Multichannel;
  mode: ConvolveMode;
  method: ConvolveMethod;
  dtype: Dtype;
  workers: number;
}

function prepare(fn: string, x: unknown, h: unknown, options: ConvolveOptions | undefined): Prepared {
  const xm = asMultichannel(fn, 'x', x);
  const hm = asMultichannel(fn, 'h', h);
  const o = options ?? {};
  if (typeof o !== 'object') throw new ValueError(message(fn, 'options must be an object', o));
  const mode = o.mode === undefined ? 'full' : assertOneOf(fn, 'options.mode', o.mode, MODES);
  const method = o.method === undefined ? 'auto' : assertOneOf(fn, 'options.method', o.method, METHODS);
  const dtype = o.dtype === undefined ? xm.dtype : assertOneOf(fn, 'options.dtype', o.dtype, ['float64', 'float32'] as const);
  if (hm.channels !== 1 && xm.channels !== 1 && hm.channels !== xm.channels) {
    throw new ShapeError(message(fn, `h must have 1 channel (broadcast) or one per channel of x (${xm.channels})`, hm.channels));
  }
  if (xm.sampleRate !== undefined && hm.sampleRate !== undefined && xm.sampleRate !== hm.sampleRate) {
    throw new ValueError(message(fn, `h's sample rate must equal x's ${xm.sampleRate} Hz (no resampling is done)`, hm.sampleRate));
  }
  assertFiniteSignal(fn, 'x', xm);
  assertFiniteSignal(fn, 'h', hm);
  let workers = 0;
  if (o.workers !== undefined && o.workers !== false) {
    assertInteger(fn, 'options.workers', o.workers, 0, 64);
    workers = o.workers;
  }
  return { x: xm, h: hm, mode, method, dtype, workers };
}

/**
 * Metadata of a C-channel result: x's sampleRate (else h's), and the labels and coords of whichever
 * input has C channels (x first), so a broadcast mono signal takes the kernel's channel names.
 */
function resultMeta(x: Multichannel, h: Multichannel, C: number): MultichannelMeta {
  const m: MultichannelMeta = {};
  const rate = x.sampleRate ?? h.sampleRate;
  if (rate !== undefined) m.sampleRate = rate;
  const named = x.channels === C ? x : h;
  if (named.labels !== undefined) m.labels = named.labels;
  if (named.coords !== undefined) m.coords = named.coords;
  return m;
}

/** x as float64 with C channels: a 1-channel x is repeated C times (broadcast against C kernels). */
function signalRows(x: Multichannel, C: number): Float64Array {
  if (x.channels === C) return x.data instanceof Float64Array ? x.data : Float64Array.from(x.data);
  const rows = new Float64Array(C * x.length);
  for (let c = 0; c < C; c++) rows.set(x.data, c * x.length);
  return rows;
}

/** The concrete method and FFT size the engine will use for one call (exposed for the bench). @internal */
export function plannedMethod(N: number, M: number, C: number, kernels: number, mode: ConvolveMode, method: ConvolveMethod): { method: ConcreteMethod; fftSize: number } {
  const L = Math.max(N, M), K = Math.min(N, M);
  const outputs = modeRange(N, M, mode).length;
  const m: ConcreteMethod = method === 'auto' ? chooseMethod(L, K, outputs, C, kernels) : method;
  if (m === 'direct') return { method: m, fftSize: 0 };
  if (m === 'fft') return { method: m, fftSize: Math.max(MIN_FFT, nextPow2(L + K - 1)) };
  return { method: m, fftSize: bestBlockSize(L, K).fftSize };
}

/**
 * The engine: channel c of the result is `x_{c or 0} ⊛ h_{c or 0}` (h reversed for correlation), cut to
 * the mode's range — by {@link computeChannels} on this thread or split over worker threads.
 */
function run(p: Prepared, reverseKernel: boolean): Multichannel {
  const { x, h, mode, dtype, workers } = p;
  const C = Math.max(x.channels, h.channels), N = x.length, M = h.length, K = h.channels;
  const { start, length: outLen } = modeRange(N, M, mode);
  const plan = plannedMethod(N, M, C, K, mode, p.method);
  const parallel = workers > 0 && C > 1;
  const x64 = signalRows(x, C);
  // a copy when the kernel is reversed (correlation), so the caller's array is never touched
  const h64 = h.data instanceof Float64Array && !reverseKernel ? h.data : Float64Array.from(h.data);
  if (reverseKernel) for (let k = 0; k < K; k++) h64.subarray(k * M, (k + 1) * M).reverse();
  const out64 = new Float64Array(C * outLen);
  const job: ChannelJob = { x: x64, N, h: h64, M, K, method: plan.method, fftSize: plan.fftSize, start, outLen, out: out64 };
  if (parallel) runOnWorkers(job, C, workers);
  else computeChannels(job, 0, C);
  const out = dtype === 'float32' ? Float32Array.from(out64) : out64;
  return new Multichannel(out, C, outLen, resultMeta(x, h, C));
}

/**
 * Convolution along time of every channel, as `scipy.signal.convolve(x, h, mode)` row by row:
 * `y[c, n] = Σ_k h[c', k] · x[c'', n − k]`, where `c' = c` (one kernel per channel) or `0` (a
 * 1-channel kernel, broadcast) and `c'' = c` or `0` (a 1-channel signal, broadcast): the channel
 * axis broadcasts as `scipy.signal.convolve(x[:, None] …)` / `oaconvolve(x, h, axes=1)` do, so a
 * mono signal and a C-channel impulse response (a stereo room, a microphone array) give C outputs.
 *
 * Shapes: `[C, N] ⊛ [1 or C, M] → [C, N+M−1]` and `[1, N] ⊛ [C, M] → [C, N+M−1]` ('full'),
 * `N` samples per channel ('same': full samples `floor((M−1)/2) …`, scipy's centring),
 * `|N−M|+1` ('valid'; when the kernel is longer the inputs are swapped, as scipy does). x and h
 * may be Multichannel, Float64Array, Float32Array or number[] (arrays are one channel). The result
 * takes x's sampleRate (h's when x has none) and the labels and coords of the input that has C
 * channels (x first); the two sample rates, when both are set, must be equal. It is float32 when x
 * is float32 (unless `dtype` says otherwise); computation is float64.
 *
 * Methods: 'direct' O(C·N·M); 'fft' one real FFT of nextPow2(N+M−1) per channel; 'overlap-add'
 * real FFT blocks whose size minimises a benchmark-fitted cost model (not scipy's fixed rule), with the
 * kernel spectrum computed once for a broadcast kernel; 'auto' (default) picks the fastest by that
 * model (src/convolve/cost.ts, constants from bench/convolve.ts). All methods agree to
 * ≤ 1e-12 · Σ|x| · max|h| and match scipy's reference vectors to that bound.
 *
 * @throws ArgumentTypeError when x or h is not a signal; ShapeError for an empty x or h, or channel
 *   counts that do not broadcast (both above 1 and different); ValueError for different sample rates
 *   (no resampling is done), NaN / ±Infinity (naming the argument, channel and sample — non-finite
 *   values are rejected rather than propagated) and unknown mode, method or dtype.
 * @example
 * convolve([1, 2, 3], [1, 2, 3]).data;                    // [1, 4, 10, 12, 9]
 * convolve(audio, rir, { mode: 'same' });                  // [C, N], keeps sampleRate
 * convolve(monoSpeech, stereoRir).channels;                // 2: the mono signal feeds both
 */
export function convolve(x: SignalLike, h: SignalLike, options?: ConvolveOptions): Multichannel {
  return run(prepare('convolve', x, h, options), false);
}

/**
 * Cross-correlation along time of every channel, as `scipy.signal.correlate(x, h, mode)` row by row:
 * `z[c, k] = Σ_l x[c, l] · h[c', l − k + M − 1]` ('full'; real inputs, so no conjugation), i.e.
 * `convolve(x, reverse(h))`. Output sample i of 'full' is lag `i − (M − 1)`; a positive lag means x
 * is delayed relative to h (scipy.signal.correlation_lags). 'same' and 'valid' cut the full result
 * exactly as scipy does (including its reversed-and-swapped result when h is longer in 'valid').
 *
 * Shapes, dtype, methods, complexity and errors as {@link convolve}.
 * @example
 * correlate([0, 0, 1, 2, 3], [1, 2, 3]); // peak 14 at index 4: lag 4 − 2 = 2
 */
export function correlate(x: SignalLike, h: SignalLike, options?: ConvolveOptions): Multichannel {
  return run(prepare('correlate', x, h, options), true);
}

/**
 * Lags of each output sample of {@link correlate} for lengths N (x) and M (h): sample i of the
 * result of `correlate(x, h, { mode })` is lag `correlationLags(N, M, mode)[i]`.
 *
 * 'full' and 'valid' equal `scipy.signal.correlation_lags(N, M, mode)`. 'same' gives the lags of the
 * samples `scipy.signal.correlate(x, h, 'same')` actually returns (the centred N samples of 'full',
 * starting at full index `floor((M − 1) / 2)`), which is also what {@link correlate} returns. For odd
 * N and even M, scipy 1.10's own `correlation_lags(N, M, 'same')` is one more than these (e.g.
 * N = 5, M = 2: correlate's 'same' holds lags −1…3, correlation_lags says 0…4); for every other
 * N, M they agree. Checked against scipy for N, M in 1…8 (test/fixtures/refs/windows.json).
 * @throws ValueError for N or M not an integer ≥ 1, or an unknown mode.
 * @example
 * correlationLags(5, 3);         // Int32Array [-2, -1, 0, 1, 2, 3, 4]
 * correlationLags(5, 2, 'same'); // Int32Array [-1, 0, 1, 2, 3] (scipy's correlation_lags: [0 … 4])
 */
export function correlationLags(N: number, M: number, mode: ConvolveMode = 'full'): Int32Array {
  const fn = 'correlationLags';
  const md = assertOneOf(fn, 'mode', mode, MODES);
  if (!Number.isInteger(N) || N < 1) throw new ValueError(message(fn, 'N must be an integer ≥ 1', N));
  if (!Number.isInteger(M) || M < 1) throw new ValueError(message(fn, 'M must be an integer ≥ 1', M));
  const { start, length } = modeRange(N, M, md);
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = start + i - (M - 1);
  return out;
}
