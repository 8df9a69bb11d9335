/**
 * `convolve2d` and `correlate2d`: scipy.signal's 2-D convolution with its three modes and boundary
 * rules, over every band of a cube (a Multichannel whose `shape` is `[rows, cols]`) or one image.
 * @module
 */
import * as path from 'node:path';
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, type Dtype, type MultichannelMeta } from '../core/multichannel.js';
import { allocateEmpty } from '../linalg/prefault.js';
import { assertFinite, assertInteger, assertOneOf, firstNonFinite } from '../core/validate.js';
import { WorkerPool, split } from '../core/workers.js';
import { shared, sharedArray, sharedCopy } from '../core/shared.js';
import { asArray2D, type Array2DLike } from '../fft/fft2.js';
import { nextFastLength } from '../fft/transforms.js';
import { model2dNs } from './cost2d.js';
import type { BandTask } from './convolve2d-worker.js';
import { computeBands, needsPadding, type BandJob, type Boundary2d } from './kernels2d.js';
import type { ConvolveMode } from './convolve.js';

/** How the image continues outside its bounds, as scipy: 'fill' (with `fillvalue`), 'wrap' (periodic), 'symm' (mirrored, edge repeated). */
export type Convolve2dBoundary = Boundary2d;
/** 'direct' O(Lr·Lc·Mr·Mc) per band, 'fft' one 2-D real FFT per band, 'auto' the faster by a cost model fitted to bench/convolve2d.ts. */
export type Convolve2dMethod = 'auto' | 'direct' | 'fft';

/**
 * What {@link convolve2d} accepts as images: a Multichannel whose `shape` is `[rows, cols]` (every
 * channel is one band, i.e. one image), or a single image as `number[][]` or `{ data, rows, cols }`
 * (row-major). Kernels take the same forms (a Multichannel kernel has 1 channel, or one per band).
 */
export type ImageLike = Multichannel | Array2DLike;

/** Options of {@link convolve2d} and {@link correlate2d}. */
export interface Convolve2dOptions {
  /** Output size per axis (default 'full'): 'full' N+M−1, 'same' N (centred as scipy), 'valid' |N−M|+1. */
  mode?: ConvolveMode;
  /** Boundary rule (default 'fill'); irrelevant in 'valid' mode, which reads no value outside the image. */
  boundary?: Convolve2dBoundary;
  /** Value outside the image for boundary 'fill' (default 0). */
  fillvalue?: number;
  /** Algorithm (default 'auto'). */
  method?: Convolve2dMethod;
  /** Element type of the result (default: 'float32' when x is float32, else 'float64'). Computation is float64. */
  dtype?: Dtype;
  /**
   * Worker threads besides the calling thread (default false: this thread only). Bands are split
   * across threads, each running the same kernel, so the result is bit-for-bit that of `workers: false`.
   */
  workers?: number | false;
}

const MODES: readonly ConvolveMode[] = ['full', 'same', 'valid'];
const BOUNDARIES: readonly Boundary2d[] = ['fill', 'wrap', 'symm'];
const METHODS: readonly Convolve2dMethod[] = ['auto', 'direct', 'fft'];

const pool = new WorkerPool(path.join(__dirname, 'convolve2d-worker'));

/** Images as `bands × rows × cols`, with the Multichannel (when one was given) for metadata. */
interface Bands {
  data: Float64Array | Float32Array;
  bands: number;
  rows: number;
  cols: number;
  source: Multichannel | null;
}

function asBands(fn: string, name: string, v: unknown): Bands {
  if (v instanceof Multichannel) {
    if (v.shape === undefined || v.shape.length !== 2) {
      const got = v.shape === undefined ? `a Multichannel [${v.channels}, ${v.length}] without shape` : `shape [${v.shape.join(', ')}]`;
      throw new ShapeError(message(fn, `${name} must have a 2-D shape [rows, cols] (set shape on the Multichannel)`, { verbatim: got }));
    }
    const [rows, cols] = v.shape;
    if (rows * cols === 0) throw new ShapeError(message(fn, `${name} must not be empty`, { verbatim: `shape [${rows}, ${cols}]` }));
    return { data: v.data, bands: v.channels, rows, cols, source: v };
  }
  if (!(Array.isArray(v) || (typeof v === 'object' && v !== null && 'data' in v))) {
    throw new ArgumentTypeError(message(fn, `${name} must be a Multichannel with shape [rows, cols], a number[][] or { data, rows, cols }`, v));
  }
  const a = asArray2D(fn, name, v);
  const data = a.data instanceof Float64Array || a.data instanceof Float32Array ? a.data : Float64Array.from(a.data);
  return { data, bands: 1, rows: a.rows, cols: a.cols, source: null };
}

function assertFiniteBands(fn: string, name: string, b: Bands): void {
  const i = firstNonFinite(b.data);
  if (i < 0) return;
  const n = b.rows * b.cols;
  const band = Math.floor(i / n), p = i - band * n;
  const where = `${b.bands > 1 ? `band ${band}, ` : ''}row ${Math.floor(p / b.cols)}, column ${p % b.cols}`;
  throw new ValueError(message(fn, `${name} must hold only finite values (NaN and ±Infinity are rejected, not propagated)`, { verbatim: `${b.data[i]} at ${where}` }));
}

/** First full-convolution index and length kept by a mode along one axis (image N, kernel M). */
function axisRange(N: number, M: number, mode: ConvolveMode, correlation: boolean): { start: number; length: number } {
  if (mode === 'full') return { start: 0, length: N + M - 1 };
  if (mode === 'valid') return { start: Math.min(N, M) - 1, length: Math.abs(N - M) + 1 };
  // scipy's 'same' centres the kernel at floor((M−1)/2) for convolution and at its mirror for correlation
  const c = (M - 1) >> 1;
  return { start: correlation ? M - 1 - c : c, length: N };
}

/** The plan of one call (exposed for the bench and tests). @internal */
export interface Convolve2dPlan {
  method: 'direct' | 'fft';
  sr: number;
  Lr: number;
  sc: number;
  Lc: number;
  R: number;
  W: number;
}

/**
 * Output rectangle, method and FFT grid for an `Nr × Nc` image and an `Mr × Mc` kernel.
 * @internal
 */
export function plan2d(Nr: number, Nc: number, Mr: number, Mc: number, mode: ConvolveMode, boundary: Boundary2d, fillvalue: number, method: Convolve2dMethod, correlation = false): Convolve2dPlan {
  const row = axisRange(Nr, Mr, mode, correlation), col = axisRange(Nc, Mc, mode, correlation);
  const pad = mode !== 'valid' && needsPadding(boundary, fillvalue);
  // the image the kernel runs on (padded: exactly the rows and columns the rectangle reads)
  const er = pad ? row.length + Mr - 1 : Nr, ec = pad ? col.length + Mc - 1 : Nc;
  const esr = pad ? Mr - 1 : row.start, esc = pad ? Mc - 1 : col.start;
  // a circular convolution of size P returns full samples [s, s + L) unaliased when P ≥ N + M − 1 − s and P ≥ s + L
  const R = nextFastLength(Math.max(er + Mr - 1 - esr, esr + row.length, er, Mr));
  const W = nextFastLength(Math.max(ec + Mc - 1 - esc, esc + col.length, ec, Mc));
  let m: 'direct' | 'fft';
  if (method === 'auto') {
    const ns = model2dNs(er, ec, Mr, Mc, row.length, col.length, R, W);
    m = ns.direct <= ns.fft ? 'direct' : 'fft';
  } else m = method;
  return { method: m, sr: row.start, Lr: row.length, sc: col.start, Lc: col.length, R, W };
}

function run(fn: string, x: unknown, h: unknown, options: Convolve2dOptions | undefined, correlation: boolean): Multichannel {
  const xb = asBands(fn, 'x', x);
  const hb = asBands(fn, 'h', h);
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new ArgumentTypeError(message(fn, 'options must be an object', o));
  const mode = o.mode === undefined ? 'full' : assertOneOf(fn, 'options.mode', o.mode, MODES);
  const boundary = o.boundary === undefined ? 'fill' : assertOneOf(fn, 'options.boundary', o.boundary, BOUNDARIES);
  const method = o.method === undefined ? 'auto' : assertOneOf(fn, 'options.method', o.method, METHODS);
  const dtype = o.dtype === undefined ? (xb.data instanceof Float32Array ? 'float32' : 'float64') : assertOneOf(fn, 'options.dtype', o.dtype, ['float64', 'float32'] as const);
  let fillvalue = 0;
  if (o.fillvalue !== undefined) {
    assertFinite(fn, 'options.fillvalue', o.fillvalue);
    fillvalue = o.fillvalue;
  }
  let workers = 0;
  if (o.workers !== undefined && o.workers !== false) {
    assertInteger(fn, 'options.workers', o.workers, 0, 64);
    workers = o.workers;
  }
  if (hb.bands !== 1 && xb.bands !== 1 && hb.bands !== xb.bands) {
    throw new ShapeError(message(fn, `h must have 1 channel (broadcast) or one per band of x (${xb.bands})`, hb.bands));
  }
  const { rows: Nr, cols: Nc } = xb, { rows: Mr, cols: Mc } = hb;
  if (mode === 'valid' && !((Nr >= Mr && Nc >= Mc) || (Nr <= Mr && Nc <= Mc))) {
    throw new ValueError(message(fn, "for 'valid' mode the image must be at least as large as the kernel in every dimension, or the kernel at least as large as the image in every dimension (scipy's rule)", { verbatim: `image ${Nr} × ${Nc}, kernel ${Mr} × ${Mc}` }));
  }
  assertFiniteBands(fn, 'x', xb);
  assertFiniteBands(fn, 'h', hb);

  const C = Math.max(xb.bands, hb.bands), K = hb.bands;
  const p = plan2d(Nr, Nc, Mr, Mc, mode, boundary, fillvalue, method, correlation);
  // kernels as float64, rotated by 180° for correlation (a copy: the caller's array is never touched)
  const kn = Mr * Mc;
  const hk = new Float64Array(K * kn);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < kn; i++) hk[k * kn + i] = hb.data[k * kn + (correlation ? kn - 1 - i : i)];
  }
  const parallel = workers > 0 && C > 1;
  const outLen = p.Lr * p.Lc;
  // every element is written by computeBands, so the result need not be zeroed first
  const out = parallel ? sharedArray(dtype, C * outLen) : allocateEmpty(dtype, C * outLen);
  const job: BandJob = {
    x: xb.data, xBands: xb.bands, Nr, Nc, h: hk, K, Mr, Mc,
    sr: p.sr, Lr: p.Lr, sc: p.sc, Lc: p.Lc,
    boundary: mode === 'valid' ? 'fill' : boundary, fillvalue: mode === 'valid' ? 0 : fillvalue,
    method: p.method, R: p.R, W: p.W, out, outBandOffset: 0,
  };
  if (parallel) runOnWorkers(fn, job, C, workers);
  else computeBands(job, 0, C);
  return new Multichannel(out, C, outLen, resultMeta(xb.source, hb.source, C, [p.Lr, p.Lc]));
}

/** Bands split over `threads` workers plus this thread; each worker gets only its own images on shared memory. */
function runOnWorkers(fn: string, job: BandJob, C: number, threads: number): void {
  const parts = Math.min(C, threads + 1);
  const bounds = split(C, parts);
  const band = job.Nr * job.Nc;
  const h = sharedCopy(job.h);
  const x1 = job.xBands === 1 ? shared(job.x) : null;
  const tasks: BandTask[] = [];
  for (let q = 1; q < parts; q++) {
    const c0 = bounds[q], c1 = bounds[q + 1];
    const x = x1 ?? sharedCopy(job.x.subarray(c0 * band, c1 * band));
    const xBands = x1 ? 1 : c1 - c0;
    // per-band kernels are indexed by band: pass this range's kernels, renumbered from 0
    const hq = job.K === 1 ? h : h.subarray(c0 * job.Mr * job.Mc, c1 * job.Mr * job.Mc);
    // a task numbers its bands from 0; its outputs start at band c0 of the shared result
    tasks.push({ job: { ...job, x, xBands, h: hq, outBandOffset: c0 }, c0: 0, c1: c1 - c0 });
  }
  pool.run(fn, tasks, () => computeBands(job, bounds[0], bounds[1]), { retry: 'options.workers = false' });
}

/** Metadata of the result: the labels and coords of whichever input has C bands (x first), x's sample rate, the new grid. */
function resultMeta(x: Multichannel | null, h: Multichannel | null, C: number, shape: [number, number]): MultichannelMeta {
  const m: MultichannelMeta = { shape };
  const rate = x?.sampleRate ?? h?.sampleRate;
  if (rate !== undefined) m.sampleRate = rate;
  const named = x !== null && x.channels === C ? x : h !== null && h.channels === C ? h : null;
  if (named?.labels !== undefined) m.labels = named.labels;
  if (named?.coords !== undefined) m.coords = named.coords;
  return m;
}

/**
 * 2-D convolution of every band of a cube (or of one image) with a 2-D kernel, as
 * `scipy.signal.convolve2d(x[c], h[c or 0], mode, boundary, fillvalue)` band by band:
 * `y[c, i, j] = Σ_{a,b} h[a, b] · x̃[c, i + s_r − a, j + s_c − b]`, where x̃ is the image continued by
 * the boundary rule and `(s_r, s_c)` the first full-convolution index the mode keeps.
 *
 * Inputs: x is a Multichannel with `shape = [rows, cols]` (C bands) or a single image (`number[][]`,
 * `{ data, rows, cols }`); h likewise, with 1 band (broadcast to every band) or C (one per band); a
 * 1-band x with a C-band h gives C outputs.
 *
 * Shapes per axis (N image, M kernel): 'full' N+M−1; 'same' N (full samples from floor((M−1)/2), as
 * scipy); 'valid' |N−M|+1, which needs the image at least as large as the kernel in both axes or the
 * kernel at least as large in both (scipy's rule; then the inputs are swapped, as scipy does). The
 * result is a Multichannel `[C, outRows·outCols]` with `shape = [outRows, outCols]`, the labels and
 * coords of the input with C bands, float32 when x is float32 (unless `dtype`), computed in float64.
 *
 * Boundaries ('full' and 'same'): 'fill' (default; `fillvalue`, default 0), 'wrap' (periodic),
 * 'symm' (mirror with the edge sample repeated: x̃[−1] = x[0]), applied by padding the image, so
 * every method supports every boundary (scipy's FFT path supports only zero fill).
 *
 * Methods: 'direct' O(C·outRows·outCols·Mr·Mc); 'fft' one real 2-D FFT per band on a grid of
 * fast sizes (powers of two, 3·2^k, 5·2^k) just large enough that the kept rectangle is unaliased,
 * with the kernel transformed once for a broadcast kernel; 'auto' (default) picks the faster by a
 * cost model fitted to bench/convolve2d.ts (src/convolve/cost2d.ts). Every method matches scipy
 * within 1e-10 of Σ|x̃|·max|h| (the size of the sums; test/fixtures/refs/conv2d.json, every mode,
 * boundary and kernel shape); the direct method is exact up to summation order.
 *
 * @throws ArgumentTypeError when x, h or options has the wrong type; ShapeError for a Multichannel
 *   without a 2-D shape, an empty image or kernel, ragged rows, or band counts that do not broadcast;
 *   ValueError for NaN / ±Infinity (naming band, row and column), a 'valid' call whose image and
 *   kernel are each larger in one axis, an unknown mode / boundary / method / dtype, or a
 *   non-finite fillvalue.
 * @example
 * convolve2d([[1, 2], [3, 4]], [[1, 1]]).data;                  // [1, 3, 2, 3, 7, 4], shape [2, 3]
 * convolve2d(cube, gaussian31, { mode: 'same', boundary: 'symm' }); // every band blurred, shape kept
 */
export function convolve2d(x: ImageLike, h: ImageLike, options?: Convolve2dOptions): Multichannel {
  return run('convolve2d', x, h, options, false);
}

/**
 * 2-D cross-correlation, as `scipy.signal.correlate2d(x, h, mode, boundary, fillvalue)` band by band:
 * `z[c, i, j] = Σ_{a,b} h[a, b] · x̃[c, i + a − o_r, j + b − o_c]` (real inputs, so no conjugation),
 * i.e. {@link convolve2d} with h rotated by 180°, except that 'same' centres as scipy's correlate2d
 * does (full samples from M − 1 − floor((M−1)/2), which differs from convolving with the rotated
 * kernel for even M). 'valid' with a larger kernel returns scipy's swapped-and-reversed result.
 *
 * Shapes, dtype, metadata, methods and errors as {@link convolve2d}.
 * @example
 * correlate2d([[0, 0, 0], [0, 1, 0], [0, 0, 0]], [[1, 2], [3, 4]], { mode: 'same' }).data; // [4,3,0, 2,1,0, 0,0,0], as scipy
 */
export function correlate2d(x: ImageLike, h: ImageLike, options?: Convolve2dOptions): Multichannel {
  return run('correlate2d', x, h, options, true);
}
