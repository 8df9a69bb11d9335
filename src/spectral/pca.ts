/**
 * Principal component analysis of a cube `[bands, pixels]` (pixels are the observations, bands the
 * variables), fitted from the band covariance accumulated in blocks ({@link CovarianceAccumulator}),
 * then a symmetric eigendecomposition (Householder + QL, or subspace iteration for many bands).
 *
 * Conventions match scikit-learn's `PCA(svd_solver='full')`: explained variance with ddof = 1, the
 * ratio over the total variance of the used bands, singular values `sqrt(λ (n − 1))`, noise variance
 * the mean of the discarded eigenvalues, whitening divides scores by `sqrt(λ)`, and component signs
 * as its `svd_flip` (the pixel with the largest |score| on each component gets a positive score).
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, allocate } from '../core/multichannel.js';
import { assertInteger, assertOneOf } from '../core/validate.js';
import { Rng } from '../core/random.js';
import { CovarianceAccumulator, addOnThreads, validMask, type MaskOptions } from './covariance.js';
import { orthonormalizeColumns, symmetricEigen } from './linalg.js';
import { gemm } from '../mixing/gemm.js';

/** Eigen-solver: `'full'` (all eigenpairs, O(B³)) or `'subspace'` (top k by subspace iteration, O(B²·(k+p)) per iteration). */
export type PcaSolver = 'full' | 'subspace';
/** Sign convention: scikit-learn's svd_flip (`'sklearn'`, needs the pixels) or largest-|loading|-positive (`'max-loading'`). */
export type PcaSigns = 'sklearn' | 'max-loading';

/** Options of {@link pca}. */
export interface PcaOptions extends MaskOptions {
  /** Scale scores to unit variance (transform divides by sqrt(explained variance)). Default false. */
  whiten?: boolean;
  solver?: PcaSolver;
  signs?: PcaSigns;
  /** Subspace solver: extra vectors beyond k (default 10) and iterations (default 30); seed for the start. */
  oversample?: number;
  iterations?: number;
  seed?: number;
  /**
   * Threads for the covariance accumulation, counting the calling thread (default 1 = this thread
   * only; 2 = this thread and one persistent worker thread, see {@link accumulateParallel}). Results
   * are bit-for-bit identical for any thread count (same segments, added in the same order).
   */
  threads?: number;
}

/** A fitted PCA. Components are rows of `components` (k × bands, row-major), in descending variance. */
export class PcaModel {
  readonly k: number;
  /** Total bands of the input (components have zeros at excluded bands). */
  readonly bands: number;
  /** k × bands, row-major; orthonormal rows. */
  readonly components: Float64Array;
  /** Variance along each component (ddof = 1), descending. */
  readonly explainedVariance: Float64Array;
  /** explainedVariance / total variance of the used bands. */
  readonly explainedVarianceRatio: Float64Array;
  /** sqrt(explainedVariance · (n − 1)), as scikit-learn's `singular_values_`. */
  readonly singularValues: Float64Array;
  /** Mean spectrum (bands; 0 at excluded bands). */
  readonly mean: Float64Array;
  /** Mean of the discarded eigenvalues (0 when k = min(n, bands)). */
  readonly noiseVariance: number;
  /** Sum of the variances of the used bands. */
  readonly totalVariance: number;
  /** Valid pixels the fit used. */
  readonly nSamples: number;
  readonly whiten: boolean;
  /** Bands used by the fit. */
  readonly usedBands: Int32Array;
  readonly ignoreValue: number | undefined;

  constructor(init: {
    k: number; bands: number; components: Float64Array; explainedVariance: Float64Array; totalVariance: number; mean: Float64Array;
    noiseVariance: number; nSamples: number; whiten: boolean; usedBands: Int32Array; ignoreValue?: number;
  }) {
    this.k = init.k;
    this.bands = init.bands;
    this.components = init.components;
    this.explainedVariance = init.explainedVariance;
    this.totalVariance = init.totalVariance;
    this.explainedVarianceRatio = init.explainedVariance.map((v) => v / init.totalVariance);
    this.singularValues = init.explainedVariance.map((v) => Math.sqrt(Math.max(v, 0) * (init.nSamples - 1)));
    this.mean = init.mean;
    this.noiseVariance = init.noiseVariance;
    this.nSamples = init.nSamples;
    this.whiten = init.whiten;
    this.usedBands = init.usedBands;
    this.ignoreValue = init.ignoreValue;
  }

  /**
   * Scores `[bands, N] → [k, N]`: `(x − mean) · componentsᵀ` (÷ sqrt(explainedVariance) when
   * whitened). Pixels with NaN or the ignore value in a used band give NaN scores. Keeps `shape`.
   */
  transform(x: Multichannel): Multichannel {
    const fn = 'PcaModel.transform';
    if (!(x instanceof Multichannel)) throw new ArgumentTypeError(message(fn, 'x must be a Multichannel', x));
    if (x.channels !== this.bands) throw new ShapeError(message(fn, `x must have ${this.bands} bands (the fitted cube's)`, x.channels));
    const { k, bands: B } = this;
    const N = x.length;
    const W = Float64Array.from(this.components);
    const bias = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += W[c * B + b] * this.mean[b];
      bias[c] = -s;
      if (this.whiten) {
        const sc = 1 / Math.sqrt(this.explainedVariance[c]);
        for (let b = 0; b < B; b++) W[c * B + b] *= sc;
        bias[c] *= sc;
      }
    }
    // Zero loadings at excluded bands must not turn NaN there into NaN scores: use the used bands only.
    const U = this.usedBands;
    const Wu = new Float64Array(k * U.length);
    for (let c = 0; c < k; c++) for (let j = 0; j < U.length; j++) Wu[c * U.length + j] = W[c * B + U[j]];
    let Xu: Float64Array | Float32Array = x.data;
    if (U.length !== B) {
      Xu = allocate(x.dtype, U.length * N);
      for (let j = 0; j < U.length; j++) Xu.set(x.data.subarray(U[j] * N, (U[j] + 1) * N), j * N);
    }
    const out = new Float64Array(k * N);
    gemm(Wu, k, U.length, Xu, N, out, bias);
    const valid = validMask(Xu, N, Int32Array.from({ length: U.length }, (_, i) => i), 0, N, this.ignoreValue);
    for (let p = 0; p < N; p++) if (!valid[p]) for (let c = 0; c < k; c++) out[c * N + p] = NaN;
    return new Multichannel(out, k, N, x.shape ? { shape: x.shape } : {});
  }

  /**
   * Back to band space `[k, N] → [bands, N]`: `y · components + mean` (× sqrt(explainedVariance) when
   * whitened). Excluded (bad) bands come back NaN; NaN scores give NaN pixels. Keeps `shape`.
   */
  inverseTransform(y: Multichannel): Multichannel {
    const fn = 'PcaModel.inverseTransform';
    if (!(y instanceof Multichannel)) throw new ArgumentTypeError(message(fn, 'y must be a Multichannel', y));
    if (y.channels !== this.k) throw new ShapeError(message(fn, `y must have k = ${this.k} channels`, y.channels));
    const { k, bands: B } = this;
    const N = y.length;
    const Wt = new Float64Array(B * k);
    for (let c = 0; c < k; c++) {
      const sc = this.whiten ? Math.sqrt(this.explainedVariance[c]) : 1;
      for (let b = 0; b < B; b++) Wt[b * k + c] = this.components[c * B + b] * sc;
    }
    const out = new Float64Array(B * N);
    gemm(Wt, B, k, y.data, N, out, this.mean);
    const used = new Uint8Array(B);
    for (const b of this.usedBands) used[b] = 1;
    for (let b = 0; b < B; b++) if (!used[b]) out.fill(NaN, b * N, (b + 1) * N);
    return new Multichannel(out, B, N, y.shape ? { shape: y.shape } : {});
  }
}

/** Top-k eigenpairs (descending) of a symmetric n×n matrix by subspace iteration + Rayleigh–Ritz. */
function subspaceEigen(C: Float64Array, n: number, k: number, oversample: number, iterations: number, seed: number): { values: Float64Array; vectors: Float64Array } {
  const m = Math.min(n, k + oversample);
  const rng = new Rng(seed);
  let Q = rng.normals(n * m);
  orthonormalizeColumns(Q, n, m);
  const Z = new Float64Array(n * m);
  const mulCQ = (src: Float64Array, dst: Float64Array): void => {
    dst.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      const drow = i * m;
      for (let l = 0; l < n; l++) {
        const c = C[row + l];
        const srow = l * m;
        for (let j = 0; j < m; j++) dst[drow + j] += c * src[srow + j];
      }
    }
  };
  let prev = new Float64Array(k);
  for (let it = 0; it < iterations; it++) {
    mulCQ(Q, Z);
    // Ritz values estimate: column norms of Z before orthonormalisation ~ eigenvalues
    const est = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Z[i * m + j] * Z[i * m + j];
      est[j] = Math.sqrt(s);
    }
    orthonormalizeColumns(Z, n, m);
    Q = Float64Array.from(Z);
    let conv = true;
    for (let j = 0; j < k; j++) if (Math.abs(est[j] - prev[j]) > 1e-13 * Math.abs(est[0])) conv = false;
    prev = est;
    if (conv && it > 2) break;
  }
  // Rayleigh–Ritz: T = Qᵀ C Q
  mulCQ(Q, Z);
  const T = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Q[i * m + a] * Z[i * m + b];
    T[a * m + b] = s;
  }
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) T[a * m + b] = T[b * m + a] = 0.5 * (T[a * m + b] + T[b * m + a]);
  const e = symmetricEigen(T, m);
  const vectors = new Float64Array(k * n);
  for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < m; a++) s += Q[i * m + a] * e.vectors[c * m + a];
    vectors[c * n + i] = s;
  }
  return { values: e.values.slice(0, k), vectors };
}

function checkK(fn: string, k: unknown, usedBands: number): number {
  assertInteger(fn, 'k', k, 1);
  if (k > usedBands) throw new ValueError(message(fn, `k must be ≤ the number of (good) bands = ${usedBands}`, k));
  return k;
}

/**
 * Builds a PCA model from a finalised covariance (the streaming path). Signs: `'max-loading'` unless
 * `scoresForSigns` supplies a pass over the pixels for `'sklearn'` signs.
 */
export function pcaFromAccumulator(acc: CovarianceAccumulator, k: number, options: PcaOptions = {}, signPixels?: () => Iterable<Multichannel>): PcaModel {
  const fn = 'pca';
  const used = acc.used;
  const B = used.length;
  checkK(fn, k, B);
  const solver = assertOneOf(fn, 'solver', options.solver ?? 'full', ['full', 'subspace'] as const);
  const signs = assertOneOf(fn, 'signs', options.signs ?? (signPixels ? 'sklearn' : 'max-loading'), ['sklearn', 'max-loading'] as const);
  const whiten = options.whiten ?? false;
  if (acc.count < 2) throw new ValueError(message(fn, 'x must have at least 2 valid pixels (no NaN, not the ignore value)', acc.count));
  const { mean, covariance, count } = acc.finalize();
  if (k > count) throw new ValueError(message(fn, `k must be ≤ the number of valid pixels = ${count}`, k));
  let total = 0;
  for (let i = 0; i < B; i++) total += covariance[i * B + i];
  let values: Float64Array;
  let vectors: Float64Array;
  if (solver === 'full') ({ values, vectors } = symmetricEigen(covariance, B));
  else {
    assertInteger(fn, 'oversample', options.oversample ?? 10, 0);
    assertInteger(fn, 'iterations', options.iterations ?? 30, 1);
    ({ values, vectors } = subspaceEigen(covariance, B, k, options.oversample ?? 10, options.iterations ?? 30, options.seed ?? 0));
  }
  const rank = Math.min(count, B);
  const ev = new Float64Array(k);
  for (let c = 0; c < k; c++) ev[c] = Math.max(values[c], 0);
  let noise = 0;
  if (k < rank) {
    if (solver === 'full') {
      for (let c = k; c < rank; c++) noise += Math.max(values[c], 0);
    } else {
      let kept = 0;
      for (let c = 0; c < k; c++) kept += ev[c];
      noise = Math.max(total - kept, 0);
    }
    noise /= rank - k;
  }
  const comps = new Float64Array(k * acc.bands);
  for (let c = 0; c < k; c++) for (let j = 0; j < B; j++) comps[c * acc.bands + used[j]] = vectors[c * B + j];
  const fullMean = new Float64Array(acc.bands);
  for (let j = 0; j < B; j++) fullMean[used[j]] = mean[j];
  const model = new PcaModel({ k, bands: acc.bands, components: comps, explainedVariance: ev, totalVariance: total, mean: fullMean, noiseVariance: noise, nSamples: count, whiten: false, usedBands: used, ignoreValue: acc.ignoreValue });
  const flip = new Float64Array(k).fill(1);
  if (signs === 'max-loading') {
    for (let c = 0; c < k; c++) {
      let bi = 0;
      for (let b = 1; b < acc.bands; b++) if (Math.abs(comps[c * acc.bands + b]) > Math.abs(comps[c * acc.bands + bi])) bi = b;
      if (comps[c * acc.bands + bi] < 0) flip[c] = -1;
    }
  } else {
    if (!signPixels) throw new ValueError(message(fn, "signs 'sklearn' needs the pixels (use pca(x) or pcaStream)", signs));
    // svd_flip: the first pixel with the largest |score| on each component gets a positive score.
    const best = new Float64Array(k).fill(-1);
    const bestScore = new Float64Array(k);
    for (const chunk of signPixels()) {
      const y = model.transform(chunk);
      const N = y.length;
      for (let c = 0; c < k; c++) {
        const row = y.data.subarray(c * N, (c + 1) * N);
        let bv = best[c];
        let bs = bestScore[c];
        for (let p = 0; p < N; p++) {
          const v = row[p];
          const a = Math.abs(v);
          if (a > bv) {
            bv = a;
            bs = v;
          }
        }
        best[c] = bv;
        bestScore[c] = bs;
      }
    }
    for (let c = 0; c < k; c++) if (bestScore[c] < 0) flip[c] = -1;
  }
  for (let c = 0; c < k; c++) if (flip[c] < 0) for (let b = 0; b < acc.bands; b++) comps[c * acc.bands + b] = -comps[c * acc.bands + b] + 0;
  if (!whiten) return model;
  return new PcaModel({ k, bands: acc.bands, components: comps, explainedVariance: ev, totalVariance: total, mean: fullMean, noiseVariance: noise, nSamples: count, whiten: true, usedBands: used, ignoreValue: acc.ignoreValue });
}

/**
 * PCA of the cube `x` (`[bands, pixels]`) keeping `k` components. Pixels with NaN or
 * `ignoreValue` in any used band are left out of the fit; `badBands` (ENVI bbl) excludes bands.
 * Returns a {@link PcaModel}: components k × bands, explained variance (ddof = 1) and its ratio,
 * mean, singular values, noise variance, transform / inverseTransform, optional whitening.
 *
 * Agreement: matches scikit-learn 1.2 `PCA(svd_solver='full')` — explained variance to ~1e-13
 * relative and components (with its svd_flip signs) to ~1e-12 on ../shared/refs/pca.json.
 * Cost: O(N·B²) for the covariance (SIMD register tiles, blocked over pixels) + O(B³) for the
 * eigendecomposition (or O(B²·(k+10)) per subspace iteration) + O(N·B·k) for the sign pass.
 * @throws ValueError for k ≤ 0, k > bands, k > valid pixels, fewer than 2 valid pixels (e.g. an
 *   all-NaN cube); ArgumentTypeError when x is not a Multichannel.
 * @example const model = pca(cube, 10); const scores = model.transform(cube); // [10, N]
 */
export function pca(x: Multichannel, k: number, options: PcaOptions = {}): PcaModel {
  const fn = 'pca';
  if (!(x instanceof Multichannel)) throw new ArgumentTypeError(message(fn, 'x must be a Multichannel [bands, pixels]', x));
  const acc = new CovarianceAccumulator(x.channels, { badBands: options.badBands, ignoreValue: options.ignoreValue });
  checkK(fn, k, acc.used.length);
  const threads = options.threads ?? 1;
  assertInteger(fn, 'threads', threads, 1, 64);
  addOnThreads(fn, 'options.threads = 1', acc, x, threads);
  if (acc.count < 2) throw new ValueError(message(fn, 'x must have at least 2 valid pixels (no NaN, not the ignore value)', acc.count));
  return pcaFromAccumulator(acc, k, options, () => [x]);
}

/**
 * PCA of a cube streamed in chunks (e.g. `() => reader.chunks(64)` mapped to cubes): one pass for the
 * covariance, and a second pass for scikit-learn's signs unless `signs: 'max-loading'`. Memory: one
 * chunk plus O(B²). Gives the same model as {@link pca} on the whole cube (to rounding). With
 * `threads` > 1 each chunk's covariance is split over threads as in {@link pca} (bit-identical to
 * one thread; worth it for chunks of ≳ 4 × 2048 pixels).
 */
export function pcaStream(chunks: () => Iterable<Multichannel>, bands: number, k: number, options: PcaOptions = {}): PcaModel {
  const fn = 'pcaStream';
  const acc: CovarianceAccumulator = new CovarianceAccumulator(bands, { badBands: options.badBands, ignoreValue: options.ignoreValue });
  checkK(fn, k, acc.used.length);
  const threads = options.threads ?? 1;
  assertInteger(fn, 'threads', threads, 1, 64);
  for (const c of chunks()) {
    acc.checkChunk(fn, 'chunk', c);
    addOnThreads(fn, 'options.threads = 1', acc, c, threads);
  }
  const signs = options.signs ?? 'sklearn';
  return pcaFromAccumulator(acc, k, { ...options, signs }, signs === 'sklearn' ? chunks : undefined);
}
