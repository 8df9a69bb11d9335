/**
 * Principal component analysis of a cube `[bands, pixels]` (pixels are the observations, bands the
 * variables), fitted from the band covariance accumulated in blocks ({@link CovarianceAccumulator}),
 * then a symmetric eigendecomposition: Householder tridiagonalisation, every eigenvalue by QL and the
 * top k eigenvectors by inverse iteration ({@link SymmetricSpectrum}) while k ≤ bands / 2, the full
 * Householder + QL decomposition for larger k, or subspace iteration for many bands.
 *
 * Conventions match scikit-learn's `PCA(svd_solver='full')`: explained variance with ddof = 1, the
 * ratio over the total variance of the used bands, singular values `sqrt(λ (n − 1))`, noise variance
 * the mean of the discarded eigenvalues, whitening divides scores by `sqrt(λ)`, and component signs
 * as its `svd_flip` (the pixel with the largest |score| on each component gets a positive score).
 *
 * Hostile inputs: the covariance is accumulated scaled by a power of two (exact), so data near
 * 1e±300 give the same ratios as data near 1; a cube without variance (constant or all zero) gives
 * explained variance 0 and ratios 0 by rule (scikit-learn returns NaN ratios with a warning; a
 * library cannot warn, and a NaN would pass silently); `explainedVarianceRatio[0]` is 0 exactly in
 * that case (it is positive whenever the data vary, even where the variances themselves underflow to
 * 0, as for data near 1e−300, or overflow to Infinity, as for data near 1e300).
 * The bands × bands matrices are checked against `maxBytes` before they are allocated.
 * @module
 */
import { ArgumentTypeError, NumericalError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, allocate, assertMultichannel } from '../core/multichannel.js';
import { assertInteger, assertOneOf } from '../core/validate.js';
import { Rng } from '../core/random.js';
import { CovarianceAccumulator, addOnThreads, checkCovarianceBytes, powerOfTwoScale, usedBands, validMask, type CovarianceOptions } from './covariance.js';
import { SymmetricSpectrum, symmetricEigen } from '../linalg/eigen.js';
import { orthonormalizeColumns } from '../linalg/orthogonal.js';
import { mirrorUpper, syrkUpper } from '../linalg/products.js';
import { gemm } from '../linalg/gemm.js';
import { largestScores, type ChunkCopy } from './signs.js';
import { availableParallelism } from 'node:os';

/** Eigen-solver: `'full'` (all eigenpairs, O(B³)) or `'subspace'` (top k by subspace iteration, O(B²·(k+p)) per iteration). */
export type PcaSolver = 'full' | 'subspace';
/** Sign convention: scikit-learn's svd_flip (`'sklearn'`, needs the pixels) or largest-|loading|-positive (`'max-loading'`). */
export type PcaSigns = 'sklearn' | 'max-loading';

/** Options of {@link pca}. */
export interface PcaOptions extends CovarianceOptions {
  /** Scale scores to unit variance (transform divides by sqrt(explained variance)). Default false. */
  whiten?: boolean;
  solver?: PcaSolver;
  signs?: PcaSigns;
  /** Subspace solver: extra vectors beyond k (default 10). More converge faster when eigenvalues k and k+1 are close. */
  oversample?: number;
  /**
   * Subspace solver: the most iterations (default 1000). When they pass before the residuals meet
   * `tolerance`, {@link pca} throws NumericalError (as scipy's eigsh raises ArpackNoConvergence)
   * rather than return a model that is less accurate than documented.
   */
  iterations?: number;
  /**
   * Subspace solver: stop when every kept eigenpair has `‖C v − λ v‖ ≤ tolerance · λ` (C the band
   * covariance; default 1e-12, in (0, 1)): scipy eigsh's (ARPACK's) relative test; a residual at
   * rounding level, `≤ bands · ε · λ₁`, also passes (this decides eigenvalues near 0). Eigenvalues are
   * then within `(tolerance·λ)²/gap` and components within about `tolerance·λ/gap` of the exact ones
   * (gap: the distance to the nearest other eigenvalue).
   */
  tolerance?: number;
  /** Subspace solver: seed of the Gaussian start vectors (default 0). */
  seed?: number;
  /**
   * Threads for the covariance accumulation and the pass for scikit-learn's signs, counting the
   * calling thread (2 = this thread and one persistent worker thread, see {@link accumulateParallel}
   * and src/spectral/signs.ts; 1 = this thread only). Default: for {@link pca}, 2 threads (1 on a
   * one-core machine); for {@link pcaStream} and {@link pcaFromAccumulator}, 1 (its chunks come
   * from I/O, and cluster workers already run one per core). Results are bit-for-bit identical for
   * any thread count (same segments, added in the same order; the same score for every pixel).
   */
  threads?: number;
}

/**
 * Default `threads` of {@link pca}: 2 where the machine has at least two cores, else 1. A cube of
 * one segment (≤ 2048 pixels) runs on the calling thread whatever the count.
 */
export const PCA_DEFAULT_THREADS = Math.min(2, availableParallelism());

/** A fitted PCA. Components are rows of `components` (k × bands, row-major), in descending variance. */
export class PcaModel {
  readonly k: number;
  /** Total bands of the input (components have zeros at excluded bands). */
  readonly bands: number;
  /** k × bands, row-major; orthonormal rows. */
  readonly components: Float64Array;
  /** Variance along each component (ddof = 1), descending. */
  readonly explainedVariance: Float64Array;
  /** explainedVariance / total variance of the used bands; 0 when the total variance is 0 (a constant cube). */
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
    /** The ratios when they were computed on scaled variances (default explainedVariance / totalVariance, 0 when that is 0). */
    explainedVarianceRatio?: Float64Array;
  }) {
    this.k = init.k;
    this.bands = init.bands;
    this.components = init.components;
    this.explainedVariance = init.explainedVariance;
    this.totalVariance = init.totalVariance;
    this.explainedVarianceRatio = init.explainedVarianceRatio ?? varianceRatio(init.explainedVariance, init.totalVariance);
    this.singularValues = init.explainedVariance.map((v) => Math.sqrt(Math.max(v, 0) * (init.nSamples - 1)));
    this.mean = init.mean;
    this.noiseVariance = init.noiseVariance;
    this.nSamples = init.nSamples;
    this.whiten = init.whiten;
    this.usedBands = init.usedBands;
    this.ignoreValue = init.ignoreValue;
  }

  /**
   * What {@link transform} applies: the loadings over the used bands `Wu` (k × usedBands.length,
   * row-major; ÷ sqrt(explainedVariance) when whitened) and the offsets `bias = −W·mean`, so that
   * the scores are `Wu · x[usedBands] + bias`.
   * @internal
   */
  projection(): { Wu: Float64Array; bias: Float64Array } {
    const { k, bands: B } = this;
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
    const U = this.usedBands;
    const Wu = new Float64Array(k * U.length);
    for (let c = 0; c < k; c++) for (let j = 0; j < U.length; j++) Wu[c * U.length + j] = W[c * B + U[j]];
    return { Wu, bias };
  }

  /**
   * Scores `[bands, N] → [k, N]`: `(x − mean) · componentsᵀ` (÷ sqrt(explainedVariance) when
   * whitened). Pixels with NaN or the ignore value in a used band give NaN scores. Keeps `shape`.
   */
  transform(x: Multichannel): Multichannel {
    const fn = 'PcaModel.transform';
    assertMultichannel(fn, 'x', x);
    if (x.channels !== this.bands) throw new ShapeError(message(fn, `x must have ${this.bands} bands (the fitted cube's)`, x.channels));
    const { k } = this;
    const B = this.bands;
    const N = x.length;
    // Zero loadings at excluded bands must not turn NaN there into NaN scores: use the used bands only.
    const U = this.usedBands;
    const { Wu, bias } = this.projection();
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
    assertMultichannel(fn, 'y', y);
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

/** `variance / total`, or 0 when total is 0 (no variance at all: nothing is explained). */
function varianceRatio(variance: Float64Array, total: number): Float64Array {
  return variance.map((v) => (total > 0 ? v / total : 0));
}

/** Bands × bands matrices of doubles that PCA holds at once (accumulator, segment, covariance, eigen-solver copy and vectors). */
const PCA_MATRICES = 5;

/**
 * Top-k eigenpairs (descending) of a symmetric n×n matrix `C` by subspace iteration with a
 * Rayleigh–Ritz step every iteration, on `m = min(n, k + oversample)` vectors from a seeded Gaussian
 * start. Each iteration: `Z = C·Q`, `T = Qᵀ Z` (m×m), `T = S Θ Sᵀ`, Ritz vectors `V = Q S`, residuals
 * `r_j = ‖Z s_j − θ_j v_j‖ = ‖C v_j − θ_j v_j‖`; it stops when every `j < k` has
 * `r_j ≤ tolerance · |θ_j|` (the relative test of ARPACK, scipy's eigsh) or `r_j ≤ n·ε·|θ_0|`
 * (rounding level, which decides eigenvalues near 0), and otherwise continues from `Q = orth(Z S)`.
 * At that point each eigenvalue is within `r_j²/gap_j` and each vector within about `r_j/gap_j`
 * (gap_j: distance from θ_j to the rest of the spectrum) of the exact ones. Throws NumericalError
 * when `maxIterations` pass first.
 */
function subspaceEigen(fn: string, C: Float64Array, n: number, k: number, oversample: number, maxIterations: number, tolerance: number, seed: number): { values: Float64Array; vectors: Float64Array } {
  const m = Math.min(n, k + oversample);
  const Q = new Rng(seed).normals(n * m);
  orthonormalizeColumns(Q, n, m);
  const Z = new Float64Array(n * m);
  const Qt = new Float64Array(m * n);
  const T = new Float64Array(m * m);
  const S = new Float64Array(m * m);
  const V = new Float64Array(n * m);
  const CV = new Float64Array(n * m);
  let worst = Infinity;
  for (let it = 1; it <= maxIterations; it++) {
    gemm(C, n, n, Q, m, Z); // Z = C Q
    for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) Qt[a * n + i] = Q[i * m + a];
    gemm(Qt, m, n, Z, m, T); // T = Qᵀ Z, symmetrised below
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) T[a * m + b] = T[b * m + a] = 0.5 * (T[a * m + b] + T[b * m + a]);
    const e = symmetricEigen(T, m); // eigenvectors are its rows, values descending
    for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) S[a * m + c] = e.vectors[c * m + a];
    gemm(Q, n, m, S, m, V); // Ritz vectors V = Q S (columns, descending Ritz values)
    gemm(Z, n, m, S, m, CV); // C V = Z S
    worst = 0;
    const rounding = n * 2 ** -52 * Math.abs(e.values[0]);
    for (let c = 0; c < k; c++) {
      let r = 0;
      for (let i = 0; i < n; i++) r += (CV[i * m + c] - e.values[c] * V[i * m + c]) ** 2;
      r = Math.sqrt(r);
      // relative residual; 0 once the residual is at rounding level (eigenvalues near 0, or C = 0)
      worst = Math.max(worst, r <= rounding ? 0 : r / Math.abs(e.values[c]));
    }
    if (worst <= tolerance) {
      const vectors = new Float64Array(k * n);
      for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) vectors[c * n + i] = V[i * m + c];
      return { values: e.values.slice(0, k), vectors };
    }
    Q.set(CV);
    orthonormalizeColumns(Q, n, m);
  }
  throw new NumericalError(message(fn, `subspace iteration did not converge in ${maxIterations} iterations (every relative residual ‖C v − θ v‖ / |θ| must be ≤ tolerance = ${tolerance}); raise iterations or oversample, loosen tolerance, or use solver 'full'`, { verbatim: `largest relative residual ${worst.toExponential(3)}` }));
}

/** Bands a bad-band list keeps (its shape is checked later, by the accumulator). */
function countUsed(badBands: ArrayLike<number | boolean>): number {
  let n = 0;
  if (badBands !== null && typeof badBands === 'object' && typeof badBands.length === 'number') for (let b = 0; b < badBands.length; b++) if (badBands[b]) n++;
  return n;
}

/** True when `k` asks for a variance fraction (0 < k < 1) rather than a number of components. */
function isFraction(k: number): boolean {
  return k > 0 && k < 1;
}

/**
 * Checks `k`: an integer in [1, usedBands], or a variance fraction in (0, 1) (which needs the full
 * solver: subspace iteration finds only the top eigenpairs, not how many reach the fraction).
 */
function checkK(fn: string, k: unknown, usedBands: number, solver: unknown): number {
  const what = 'k must be an integer ≥ 1 or a variance fraction in (0, 1)';
  if (typeof k !== 'number') throw new ArgumentTypeError(message(fn, what, k));
  if (isFraction(k)) {
    if (solver === 'subspace') throw new ValueError(message(fn, "k as a variance fraction (0 < k < 1) needs solver 'full' (subspace iteration finds only the top eigenpairs, not how many reach the fraction); give an integer k or solver 'full'", k));
    return k;
  }
  if (!Number.isInteger(k) || k < 1) throw new ValueError(message(fn, what, k));
  if (k > usedBands) throw new ValueError(message(fn, `k must be ≤ the number of (good) bands = ${usedBands}`, k));
  return k;
}

/**
 * The number of components a variance fraction keeps, as scikit-learn's `PCA(n_components=fraction,
 * svd_solver='full')`: one more than the count of cumulative explained-variance ratios ≤ fraction
 * (`np.searchsorted(cumsum, fraction, side='right') + 1`), i.e. the smallest k whose cumulative ratio
 * exceeds the fraction, at most `rank`. `values` are all eigenvalues (descending, at least `rank`)
 * and `total` their sum (the trace); a cube without variance (total 0) keeps 1.
 */
function componentsForFraction(values: Float64Array, total: number, fraction: number, rank: number): number {
  if (!(total > 0)) return 1;
  let cumulative = 0;
  for (let c = 0; c < rank; c++) {
    cumulative += Math.max(values[c], 0) / total;
    if (cumulative > fraction) return c + 1;
  }
  return rank;
}

/**
 * Builds a PCA model from a finalised covariance (the streaming path). Signs: `'max-loading'` unless
 * `signPixels` supplies a pass over the pixels for `'sklearn'` signs. `k` is a count or a variance
 * fraction in (0, 1), as in {@link pca} (a fraction needs the full solver).
 * @throws as {@link pca}.
 * @example const model = pcaFromAccumulator(mergePartials(partials), 0.99);
 */
export function pcaFromAccumulator(acc: CovarianceAccumulator, k: number, options: PcaOptions = {}, signPixels?: () => Iterable<Multichannel>): PcaModel {
  return fromAccumulator(acc, k, options, signPixels);
}

/** {@link pcaFromAccumulator}, with the covariance pass's shared copy of a worker's pixels for the sign pass ({@link largestScores}). */
function fromAccumulator(acc: CovarianceAccumulator, k: number, options: PcaOptions, signPixels: (() => Iterable<Multichannel>) | undefined, signCopy?: ChunkCopy): PcaModel {
  const fn = 'pca';
  const used = acc.used;
  const B = used.length;
  const solver = assertOneOf(fn, 'solver', options.solver ?? 'full', ['full', 'subspace'] as const);
  checkK(fn, k, B, solver);
  const signs = assertOneOf(fn, 'signs', options.signs ?? (signPixels ? 'sklearn' : 'max-loading'), ['sklearn', 'max-loading'] as const);
  const whiten = options.whiten ?? false;
  if (acc.count < 2) throw new ValueError(message(fn, 'x must have at least 2 valid pixels (no NaN, not the ignore value)', acc.count));
  // the covariance times scale² (a power of two): its entries are near 1 whatever the data's magnitude
  const { mean, covariance, count, scale } = acc.finalizeScaled();
  const fraction = isFraction(k) ? k : undefined;
  if (fraction === undefined && k > count) throw new ValueError(message(fn, `k must be ≤ the number of valid pixels = ${count}`, k));
  const unscale = 1 / (scale * scale);
  let total = 0;
  for (let i = 0; i < B; i++) total += covariance[i * B + i];
  const rank = Math.min(count, B);
  let values: Float64Array;
  let vectors: Float64Array;
  if (solver === 'full') {
    // all eigenvalues, and vectors for the top k only while k ≤ B / 2 (the full decomposition beyond)
    const spectrum = fraction === undefined && k > B / 2 ? null : new SymmetricSpectrum(covariance, B);
    if (spectrum !== null && fraction !== undefined) k = componentsForFraction(spectrum.values, total, fraction, rank);
    if (spectrum !== null && k <= B / 2) {
      values = spectrum.values;
      vectors = spectrum.topVectors(k);
    } else ({ values, vectors } = symmetricEigen(covariance, B));
  } else {
    const oversample = options.oversample ?? 10;
    const iterations = options.iterations ?? 1000;
    const tolerance = options.tolerance ?? 1e-12;
    assertInteger(fn, 'oversample', oversample, 0);
    assertInteger(fn, 'iterations', iterations, 1);
    if (typeof tolerance !== 'number' || !(tolerance > 0 && tolerance < 1)) throw new ValueError(message(fn, 'tolerance must be a number in (0, 1)', tolerance));
    ({ values, vectors } = subspaceEigen(fn, covariance, B, k, oversample, iterations, tolerance, options.seed ?? 0));
  }
  let noise = 0;
  if (k < rank) {
    if (solver === 'full') {
      for (let c = k; c < rank; c++) noise += Math.max(values[c], 0);
    } else {
      let kept = 0;
      for (let c = 0; c < k; c++) kept += Math.max(values[c], 0);
      noise = Math.max(total - kept, 0);
    }
    noise /= rank - k;
  }
  const threads = options.threads ?? 1;
  assertInteger(fn, 'threads', threads, 1, 64);
  return finishModel(fn, { k, bands: acc.bands, used, ignoreValue: acc.ignoreValue, mean, count, values, vectors, total, noise, unscale, signs, whiten, signPixels, threads, signCopy });
}

/** What {@link finishModel} needs: the eigenpairs of the scaled covariance over the used bands and their context. */
interface ScaledFit {
  k: number;
  bands: number;
  used: Int32Array;
  ignoreValue: number | undefined;
  /** Mean over the used bands. */
  mean: Float64Array;
  count: number;
  /** Eigenvalues of the scaled covariance, descending (at least k). */
  values: Float64Array;
  /** Its eigenvectors as rows over the used bands (at least k rows). */
  vectors: Float64Array;
  /** Total variance and noise variance, scaled. */
  total: number;
  noise: number;
  /** 1 / scale²: turns scaled variances into the data's. */
  unscale: number;
  signs: PcaSigns;
  whiten: boolean;
  signPixels?: () => Iterable<Multichannel>;
  /** Threads of the sign pass (see {@link largestScores}). */
  threads: number;
  /** A worker's pixels already on shared memory, for the sign pass. */
  signCopy?: ChunkCopy;
}

/** Ratios, unscaled variances, the whitening check, components over all bands and their signs: the model. */
function finishModel(fn: string, f: ScaledFit): PcaModel {
  const { k, used, values, vectors, signs, whiten, signPixels, unscale, count } = f;
  const B = used.length;
  const evScaled = new Float64Array(k);
  for (let c = 0; c < k; c++) evScaled[c] = Math.max(values[c], 0);
  const ratio = varianceRatio(evScaled, f.total);
  const noise = f.noise * unscale;
  const total = f.total * unscale;
  const ev = evScaled.map((v) => v * unscale);
  if (whiten) {
    const bad = ev.findIndex((v) => !(v > 0 && Number.isFinite(v)));
    if (bad >= 0) {
      const why = evScaled[bad] === 0 ? "it is 0: the data's rank is below k; lower k" : 'it is beyond the range of doubles; rescale the data';
      throw new NumericalError(message(fn, `whiten needs every kept component's variance to be a positive finite number (component ${bad + 1} of k = ${k}: ${why}, or do not whiten)`, ev[bad]));
    }
  }
  const bands = f.bands;
  const comps = new Float64Array(k * bands);
  for (let c = 0; c < k; c++) for (let j = 0; j < B; j++) comps[c * bands + used[j]] = vectors[c * B + j];
  const fullMean = new Float64Array(bands);
  for (let j = 0; j < B; j++) fullMean[used[j]] = f.mean[j];
  const model = new PcaModel({ k, bands: bands, components: comps, explainedVariance: ev, totalVariance: total, mean: fullMean, noiseVariance: noise, nSamples: count, whiten: false, usedBands: used, ignoreValue: f.ignoreValue, explainedVarianceRatio: ratio });
  const flip = new Float64Array(k).fill(1);
  if (signs === 'max-loading') {
    for (let c = 0; c < k; c++) {
      let bi = 0;
      for (let b = 1; b < bands; b++) if (Math.abs(comps[c * bands + b]) > Math.abs(comps[c * bands + bi])) bi = b;
      if (comps[c * bands + bi] < 0) flip[c] = -1;
    }
  } else {
    if (!signPixels) throw new ValueError(message(fn, "signs 'sklearn' needs the pixels (use pca(x) or pcaStream)", signs));
    // svd_flip: the first pixel with the largest |score| on each component gets a positive score.
    const { Wu, bias } = model.projection();
    const bestScore = largestScores({ k, bands, usedBands: used, Wu, bias, mean: f.mean, scale: 1 / Math.sqrt(unscale), ignoreValue: f.ignoreValue }, signPixels(), f.threads, undefined, f.signCopy);
    for (let c = 0; c < k; c++) if (bestScore[c] < 0) flip[c] = -1;
  }
  for (let c = 0; c < k; c++) if (flip[c] < 0) for (let b = 0; b < bands; b++) comps[c * bands + b] = -comps[c * bands + b] + 0;
  if (!whiten) return model;
  return new PcaModel({ k, bands: bands, components: comps, explainedVariance: ev, totalVariance: total, mean: fullMean, noiseVariance: noise, nSamples: count, whiten: true, usedBands: used, ignoreValue: f.ignoreValue, explainedVarianceRatio: ratio });
}

/**
 * PCA of the cube `x` (`[bands, pixels]`) keeping `k` components — or, for `0 < k < 1`, as many as
 * explain more than the fraction `k` of the variance (scikit-learn's float `n_components` with
 * `svd_solver='full'`: the smallest count whose cumulative explained variance ratio exceeds `k`, so
 * `pca(cube, 0.99)`; `model.k` tells how many were kept). `k = 1` (also written `1.0`) is one
 * component. A fraction needs the full solver; a cube without variance keeps 1. Pixels with NaN or
 * `ignoreValue` in any used band are left out of the fit; `badBands` (ENVI bbl) excludes bands.
 * Returns a {@link PcaModel}: components k × bands, explained variance (ddof = 1) and its ratio,
 * mean, singular values, noise variance, transform / inverseTransform, optional whitening.
 *
 * Agreement: matches scikit-learn 1.2 `PCA(svd_solver='full')` — explained variance to ~1e-13
 * relative and components (with its svd_flip signs) to ~1e-12 on ../shared/refs/pca.json.
 * `solver: 'subspace'` stops at the residual test of {@link PcaOptions.tolerance} (default 1e-12,
 * scipy eigsh's relative test): on 100 × 80 Gaussian data, k = 2, it matches the full solver to
 * 1e-13 relative in explained variance and 1e-10 in components; it throws NumericalError rather
 * than return a less accurate model when `iterations` (default 1000) pass first.
 * Cost: O(N·B²) for the covariance (SIMD register tiles, blocked over pixels; on two threads by
 * default, see {@link PcaOptions.threads}) + O(B³) for the
 * eigendecomposition (~4/3·B³ + 2·B²·k flops for k ≤ B / 2, ~10·B³ beyond; or O(B²·(k+oversample))
 * per subspace iteration) + O(N·B·k) for the sign pass (float32 SIMD scores with a rigorous error
 * bound, float64 scores only for pixels that may win, so its signs are exactly those of float64
 * scores; on two threads by default, see src/spectral/signs.ts).
 * A cube without variance gives explained variance 0 and ratios 0 (see the module notes); the
 * ratios are computed on the scaled covariance, so they are the same for the data times 1e±150.
 * Memory: five bands × bands matrices of doubles, checked against `maxBytes` (default 2 GiB, about
 * 7 300 bands) before any is allocated. A cube with fewer pixels than (used) bands — 20 000 bands ×
 * 2 pixels, say — takes the Gram route instead (pixels × pixels, as an SVD of the data would; the
 * full solver, one thread): O(pixels²·bands) time and memory no larger than the cube's.
 * @throws ValueError for k ≤ 0, NaN, a non-integer k > 1, k > bands, k > valid pixels, a fraction k
 *   with `solver: 'subspace'`, fewer than 2 valid pixels (e.g. an
 *   all-NaN cube), a tolerance outside (0, 1), or bands whose `5 · 8 · bands²` bytes exceed
 *   `maxBytes`; ArgumentTypeError when x is not a Multichannel; NumericalError when the subspace
 *   solver has not converged within `iterations`, or with `whiten` when a kept component's variance
 *   is 0 (k above the data's rank) or not a finite double; ArgumentTypeError when k is not a number.
 * @example const model = pca(cube, 10); const scores = model.transform(cube); // [10, N]
 * @example const model = pca(cube, 0.99); model.k; // components explaining > 99 % of the variance
 */
export function pca(x: Multichannel, k: number, options: PcaOptions = {}): PcaModel {
  const fn = 'pca';
  assertMultichannel(fn, 'x', x, '[bands, pixels]');
  assertInteger(fn, 'bands', x.channels, 1);
  const used = usedBands(fn, x.channels, options.badBands);
  checkK(fn, k, used.length, options.solver);
  if (x.length < used.length) return pcaGram(x, k, used, options);
  checkCovarianceBytes(fn, used.length, options.maxBytes, PCA_MATRICES);
  const acc = new CovarianceAccumulator(x.channels, { badBands: options.badBands, ignoreValue: options.ignoreValue, maxBytes: options.maxBytes });
  const threads = options.threads ?? PCA_DEFAULT_THREADS;
  assertInteger(fn, 'threads', threads, 1, 64);
  const copy = addOnThreads(fn, 'options.threads = 1', acc, x, threads);
  if (acc.count < 2) throw new ValueError(message(fn, 'x must have at least 2 valid pixels (no NaN, not the ignore value)', acc.count));
  return fromAccumulator(acc, k, { ...options, threads }, () => [x], copy === null ? undefined : { chunk: x, ...copy });
}

/**
 * PCA of a cube with fewer pixels than (used) bands, from the n × n Gram matrix of the centred valid
 * pixels instead of the B × B covariance: both have the same nonzero eigenvalues (times n − 1), and
 * a component is `v = Xc u / ‖Xc u‖` for an eigenvector u of the Gram matrix — the route an SVD of
 * the n × B data matrix takes (scikit-learn's full solver), in O(n²·B + n³) time and O(n·B + n²)
 * memory, never more than the cube itself. Components beyond the data's rank (eigenvalue at
 * rounding level) complete the orthonormal set from unit vectors. Only the full solver applies.
 */
function pcaGram(x: Multichannel, k: number, used: Int32Array, options: PcaOptions): PcaModel {
  const fn = 'pca';
  const B = used.length;
  const P = x.length;
  if (options.solver !== undefined) assertOneOf(fn, 'solver', options.solver, ['full', 'subspace'] as const);
  checkK(fn, k, B, options.solver);
  const signs = assertOneOf(fn, 'signs', options.signs ?? 'sklearn', ['sklearn', 'max-loading'] as const);
  if (options.ignoreValue !== undefined && typeof options.ignoreValue !== 'number') throw new ArgumentTypeError(message(fn, 'ignoreValue must be a number', options.ignoreValue));
  const valid = validMask(x.data, P, used, 0, P, options.ignoreValue);
  const idx: number[] = [];
  for (let p = 0; p < P; p++) if (valid[p]) idx.push(p);
  const n = idx.length;
  if (n < 2) throw new ValueError(message(fn, 'x must have at least 2 valid pixels (no NaN, not the ignore value)', n));
  const fraction = isFraction(k) ? k : undefined;
  if (fraction === undefined && k > n) throw new ValueError(message(fn, `k must be ≤ the number of valid pixels = ${n}`, k));
  // centred valid pixels, pixel-major (Xt[i·B + j]: pixel i, used band j), then scaled by a power of two
  const mean = new Float64Array(B);
  const Xt = new Float64Array(n * B);
  let spread = 0;
  for (let j = 0; j < B; j++) {
    const row = x.data.subarray(used[j] * P, (used[j] + 1) * P);
    let m = 0;
    for (const p of idx) m += row[p];
    m /= n;
    mean[j] = m;
    for (let i = 0; i < n; i++) {
      const v = row[idx[i]] - m;
      Xt[i * B + j] = v;
      spread = Math.max(spread, Math.abs(v));
    }
  }
  const scale = powerOfTwoScale(spread);
  for (let i = 0; i < Xt.length; i++) Xt[i] *= scale;
  const K = new Float64Array(n * n);
  syrkUpper(Xt, n, B, K);
  mirrorUpper(K, n);
  const { values: mu, vectors: U } = symmetricEigen(K, n);
  let total = 0;
  for (let i = 0; i < n; i++) total += K[i * n + i];
  const values = mu.map((v) => Math.max(v, 0) / (n - 1));
  total /= n - 1;
  if (fraction !== undefined) k = componentsForFraction(values, total, fraction, n);
  const rounding = n * B * 2 ** -52 * Math.max(mu[0], 0);
  const vectors = new Float64Array(k * B);
  for (let c = 0; c < k; c++) {
    const v = vectors.subarray(c * B, (c + 1) * B);
    if (mu[c] > rounding) {
      for (let i = 0; i < n; i++) {
        const u = U[c * n + i];
        if (u !== 0) for (let j = 0; j < B; j++) v[j] += u * Xt[i * B + j];
      }
    }
    // re-orthogonalise against the earlier components (twice), or complete the basis from unit vectors
    for (let e = 0, done = false; !done; e++) {
      if (mu[c] <= rounding) {
        v.fill(0);
        v[e] = 1;
      }
      for (let pass = 0; pass < 2; pass++) {
        for (let d = 0; d < c; d++) {
          const w = vectors.subarray(d * B, (d + 1) * B);
          let dot = 0;
          for (let j = 0; j < B; j++) dot += w[j] * v[j];
          for (let j = 0; j < B; j++) v[j] -= dot * w[j];
        }
      }
      let norm = 0;
      for (let j = 0; j < B; j++) norm += v[j] * v[j];
      norm = Math.sqrt(norm);
      done = mu[c] > rounding ? true : norm > 0.5;
      if (done) for (let j = 0; j < B; j++) v[j] /= norm;
    }
  }
  let noise = 0;
  if (k < n) {
    for (let c = k; c < n; c++) noise += values[c];
    noise /= n - k;
  }
  return finishModel(fn, { k, bands: x.channels, used, ignoreValue: options.ignoreValue, mean, count: n, values, vectors, total, noise, unscale: 1 / (scale * scale), signs, whiten: options.whiten ?? false, signPixels: () => [x], threads: 1 });
}

/**
 * PCA of a cube streamed in chunks (e.g. `() => reader.chunks(64)` mapped to cubes): one pass for the
 * covariance, and a second pass for scikit-learn's signs unless `signs: 'max-loading'`. Memory: one
 * chunk plus O(B²). Gives the same model as {@link pca} on the whole cube (to rounding). With
 * `threads` > 1 each chunk's covariance is split over threads as in {@link pca} (bit-identical to
 * one thread; worth it for chunks of ≳ 4 × 2048 pixels). `k` is a count or a variance fraction in
 * (0, 1), as in {@link pca}.
 * @throws as {@link pca}, naming `pcaStream` for the checks made before the first chunk is read.
 * @example const model = pcaStream(() => tiles, 200, 0.99); // tiles: Multichannel[], 200 bands each
 */
export function pcaStream(chunks: () => Iterable<Multichannel>, bands: number, k: number, options: PcaOptions = {}): PcaModel {
  const fn = 'pcaStream';
  assertInteger(fn, 'bands', bands, 1);
  checkCovarianceBytes(fn, options.badBands === undefined ? bands : countUsed(options.badBands), options.maxBytes, PCA_MATRICES);
  const acc: CovarianceAccumulator = new CovarianceAccumulator(bands, { badBands: options.badBands, ignoreValue: options.ignoreValue, maxBytes: options.maxBytes });
  if (options.solver !== undefined) assertOneOf(fn, 'solver', options.solver, ['full', 'subspace'] as const);
  checkK(fn, k, acc.used.length, options.solver);
  const threads = options.threads ?? 1;
  assertInteger(fn, 'threads', threads, 1, 64);
  for (const c of chunks()) {
    acc.checkChunk(fn, 'chunk', c);
    addOnThreads(fn, 'options.threads = 1', acc, c, threads);
  }
  const signs = options.signs ?? 'sklearn';
  return pcaFromAccumulator(acc, k, { ...options, signs }, signs === 'sklearn' ? chunks : undefined);
}
