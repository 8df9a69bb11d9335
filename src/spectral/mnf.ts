/**
 * Minimum noise fraction (MNF, noise-adjusted principal components): PCA of the cube after whitening
 * its noise, so components come in order of signal-to-noise ratio instead of variance. Conventions
 * follow Spectral Python's `mnf(signal, noise)` and `noise_from_diffs` (spectral/algorithms/
 * algorithms.py): signal statistics of all pixels (ddof = 1), noise covariance from differences of
 * neighbouring pixels divided by 2, eigenvalues of `N^{-1/2} Σ N^{-1/2}` equal to 1 + SNR.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel } from '../core/multichannel.js';
import { assertInteger, assertOneOf } from '../core/validate.js';
import { assertMultichannel } from '../mixing/mix.js';
import { gemm } from '../linalg/gemm.js';
import { CovarianceAccumulator } from './covariance.js';
import { backgroundStats, covarianceRoots, type BackgroundStats } from './detect.js';
import { symmetricEigen } from '../linalg/eigen.js';

/** Neighbour used by {@link noiseFromDiffs}: the pixel diagonally below-right, below-left, right, or below. */
export type DiffDirection = 'lowerright' | 'lowerleft' | 'right' | 'lower';

/**
 * Noise statistics from differences of neighbouring pixels (SPy's `noise_from_diffs`): the
 * differences `x[r, c] − x[r', c']` with the neighbour in `direction`, their mean, and their
 * covariance (ddof = 1) divided by 2 — for independent noise of covariance N in both pixels and a
 * signal that barely changes from one pixel to the next, the differences have covariance 2N.
 *
 * Shapes: `x` `[bands, rows·cols]` with `shape = [rows, cols]`; covariance bands × bands in the
 * cube's units squared. Pairs with a NaN are left out.
 * @throws ArgumentTypeError when x is not a Multichannel; ShapeError without `x.shape`; ValueError
 * for an unknown direction or fewer than bands + 1 difference pairs.
 * @example const noise = noiseFromDiffs(cube, 'right'); // cube.shape = [rows, cols]
 */
export function noiseFromDiffs(x: Multichannel, direction: DiffDirection = 'lowerright'): BackgroundStats {
  const fn = 'noiseFromDiffs';
  assertMultichannel(fn, 'x', x);
  const dir = assertOneOf(fn, 'direction', direction, ['lowerright', 'lowerleft', 'right', 'lower'] as const);
  if (!x.shape || x.shape.length !== 2) throw new ShapeError(message(fn, 'x.shape must be [rows, cols] (differences are taken between neighbouring pixels)', x.shape));
  const [R, C] = x.shape;
  const B = x.channels, N = x.length;
  // pair (r, c) − (r + dr, c + dc) over r ∈ [r0, r1), c ∈ [c0, c1), in SPy's row-major order
  const [dr, dc, r1, c0, c1] = dir === 'lowerright' ? [1, 1, R - 1, 0, C - 1] : dir === 'lowerleft' ? [1, -1, R - 1, 1, C] : dir === 'right' ? [0, 1, R, 0, C - 1] : [1, 0, R - 1, 0, C];
  const rows = Math.max(0, r1), cols = Math.max(0, c1 - c0);
  const M = rows * cols;
  if (M < B + 1) throw new ValueError(message(fn, `the image must give at least bands + 1 = ${B + 1} neighbour pairs`, M));
  const d = new Float64Array(B * M);
  for (let b = 0; b < B; b++) {
    const o = b * N;
    let t = b * M;
    for (let r = 0; r < rows; r++) for (let c = c0; c < c1; c++) d[t++] = x.data[o + r * C + c] - x.data[o + (r + dr) * C + c + dc];
  }
  const acc = new CovarianceAccumulator(B).add(new Multichannel(d, B, M));
  if (acc.count < B + 1) throw new ValueError(message(fn, `at least bands + 1 = ${B + 1} neighbour pairs without NaN are needed`, acc.count));
  const { mean, covariance, count } = acc.finalize();
  for (let i = 0; i < covariance.length; i++) covariance[i] /= 2;
  return { bands: B, mean, covariance, count };
}

/** Options of {@link mnf}. */
export interface MnfOptions {
  /** Noise statistics (default: {@link noiseFromDiffs} of `x` in `direction`). */
  noise?: BackgroundStats;
  /** Neighbour for the default noise estimate (default 'lowerright'). */
  direction?: DiffDirection;
}

/**
 * A fitted MNF. With signal covariance Σ, noise covariance N and the eigen-decomposition
 * `N^{-1/2} Σ N^{-1/2} = V Λ Vᵀ` (Λ descending), component i of a pixel is `v_iᵀ N^{-1/2} (x − μ)`;
 * its variance is λ_i = 1 + SNR_i (noise has unit variance in these coordinates). Made by {@link mnf}.
 * @example
 * const model = mnf(cube);
 * const y = model.transform(cube, model.numWithSnr(10)); // components with SNR ≥ 10
 */
export class MnfModel {
  /** Bands. */
  readonly bands: number;
  /** λ_i = 1 + SNR of each component, descending (bands values). */
  readonly eigenvalues: Float64Array;
  /** Eigenvectors of the noise-whitened covariance as rows (bands × bands); each row's largest-|·| entry is positive. */
  readonly vectors: Float64Array;
  /** Signal mean (bands). */
  readonly mean: Float64Array;
  /** N^{1/2} and N^{-1/2} (bands × bands, symmetric). */
  readonly noiseSqrt: Float64Array;
  readonly noiseInvSqrt: Float64Array;

  constructor(init: { eigenvalues: Float64Array; vectors: Float64Array; mean: Float64Array; noiseSqrt: Float64Array; noiseInvSqrt: Float64Array }) {
    this.bands = init.mean.length;
    this.eigenvalues = init.eigenvalues;
    this.vectors = init.vectors;
    this.mean = init.mean;
    this.noiseSqrt = init.noiseSqrt;
    this.noiseInvSqrt = init.noiseInvSqrt;
  }

  /** The number of components with SNR ≥ `snr` (λ ≥ snr + 1), as SPy's `num_with_snr`. */
  numWithSnr(snr: number): number {
    if (typeof snr !== 'number' || Number.isNaN(snr)) throw new ArgumentTypeError(message('MnfModel.numWithSnr', 'snr must be a number', snr));
    return this.eigenvalues.reduce((n, l) => n + (l >= snr + 1 ? 1 : 0), 0);
  }

  private checkK(fn: string, k: unknown): number {
    assertInteger(fn, 'k', k, 1);
    if (k > this.bands) throw new ValueError(message(fn, `k must be ≤ bands = ${this.bands}`, k));
    return k;
  }

  /**
   * The first k MNF components `[bands, N] → [k, N]`: one 1×1 mix `V_kᵀ N^{-1/2} (x − μ)` (SPy's
   * `reduce(X, num=k)` up to the sign of each component). Keeps `shape`.
   * @throws ShapeError for another band count; ValueError for k outside 1…bands.
   * @example const y = model.transform(cube, 10);
   */
  transform(x: Multichannel, k = this.bands): Multichannel {
    const fn = 'MnfModel.transform';
    assertMultichannel(fn, 'x', x);
    if (x.channels !== this.bands) throw new ShapeError(message(fn, `x must have ${this.bands} bands (the fitted cube's)`, x.channels));
    this.checkK(fn, k);
    const B = this.bands;
    const W = new Float64Array(k * B);
    gemm(this.vectors, k, B, this.noiseInvSqrt, B, W);
    const bias = new Float64Array(k);
    for (let c = 0; c < k; c++) for (let b = 0; b < B; b++) bias[c] -= W[c * B + b] * this.mean[b];
    const out = new Float64Array(k * x.length);
    gemm(W, k, B, x.data, x.length, out, bias);
    return new Multichannel(out, k, x.length, x.shape ? { shape: x.shape } : {});
  }

  /**
   * Back to band space `[k, N] → [bands, N]`: `N^{1/2} V_k y + μ` (k = y.channels). Keeps `shape`.
   * @throws ShapeError when y has more channels than bands.
   * @example const x2 = model.inverseTransform(model.transform(cube, 10));
   */
  inverseTransform(y: Multichannel): Multichannel {
    const fn = 'MnfModel.inverseTransform';
    assertMultichannel(fn, 'y', y);
    const k = y.channels, B = this.bands;
    if (k > B) throw new ShapeError(message(fn, `y must have at most bands = ${B} channels`, k));
    // W = N^{1/2} V_k (B × k): column c is N^{1/2} v_c
    const W = new Float64Array(B * k);
    for (let i = 0; i < B; i++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < B; j++) s += this.noiseSqrt[i * B + j] * this.vectors[c * B + j];
        W[i * k + c] = s;
      }
    }
    const out = new Float64Array(B * y.length);
    gemm(W, B, k, y.data, y.length, out, this.mean);
    return new Multichannel(out, B, y.length, y.shape ? { shape: y.shape } : {});
  }

  /**
   * Denoised cube keeping the first k components: `inverseTransform(transform(x, k))`, equal to
   * SPy's `denoise(X, num=k)`. Shapes `[bands, N] → [bands, N]`.
   * @example const clean = model.denoise(cube, model.numWithSnr(10));
   */
  denoise(x: Multichannel, k: number): Multichannel {
    return this.inverseTransform(this.transform(x, k));
  }
}

/**
 * Fits an MNF to `x` (`[bands, rows·cols]`): signal statistics of all pixels (ddof = 1; NaN pixels
 * left out), noise statistics from `options.noise` or {@link noiseFromDiffs}, then the symmetric
 * eigen-decomposition of the noise-whitened signal covariance. Eigenvalues match SPy's
 * `mnf(calc_stats(X), noise_from_diffs(X))` to ~1e-12 relative; components up to sign.
 * Cost O(pixels · bands² + bands³).
 *
 * | bad input | error |
 * |---|---|
 * | x not a Multichannel | ArgumentTypeError |
 * | no `x.shape` (default noise) | ShapeError |
 * | fewer than bands + 1 pixels or neighbour pairs | ValueError |
 * | noise of another band count | ShapeError |
 * | singular noise covariance (a noiseless or constant band) | NumericalError `…positive definite…` |
 * | k > bands in transform / denoise | ValueError |
 *
 * @example
 * const model = mnf(cube);                 // cube.shape = [rows, cols]
 * model.eigenvalues;                        // 1 + SNR, descending
 * const clean = model.denoise(cube, 8);     // keep the 8 highest-SNR components
 */
export function mnf(x: Multichannel, options: MnfOptions = {}): MnfModel {
  const fn = 'mnf';
  assertMultichannel(fn, 'x', x);
  const B = x.channels;
  const noise = options.noise ?? noiseFromDiffs(x, options.direction ?? 'lowerright');
  if (noise === null || typeof noise !== 'object' || !noise.covariance) throw new ArgumentTypeError(message(fn, 'options.noise must be { mean, covariance } (see noiseFromDiffs)', noise));
  if (noise.covariance.length !== B * B) throw new ShapeError(message(fn, `noise.covariance must be bands × bands = ${B * B} values`, noise.covariance.length));
  for (let i = 0; i < noise.covariance.length; i++) if (!Number.isFinite(noise.covariance[i])) throw new ValueError(message(fn, 'noise.covariance must be finite', noise.covariance[i]));
  const signal = backgroundStats(x);
  const { sqrt, invSqrt } = covarianceRoots(fn, Float64Array.from(noise.covariance), B);
  const T = new Float64Array(B * B);
  const M = new Float64Array(B * B);
  gemm(invSqrt, B, B, signal.covariance, B, T);
  gemm(T, B, B, invSqrt, B, M);
  for (let i = 0; i < B; i++) for (let j = i + 1; j < B; j++) M[i * B + j] = M[j * B + i] = 0.5 * (M[i * B + j] + M[j * B + i]);
  const { values, vectors } = symmetricEigen(M, B);
  for (let c = 0; c < B; c++) {
    let bi = 0;
    for (let b = 1; b < B; b++) if (Math.abs(vectors[c * B + b]) > Math.abs(vectors[c * B + bi])) bi = b;
    if (vectors[c * B + bi] < 0) for (let b = 0; b < B; b++) vectors[c * B + b] = -vectors[c * B + b];
  }
  return new MnfModel({ eigenvalues: values, vectors, mean: signal.mean, noiseSqrt: sqrt, noiseInvSqrt: invSqrt });
}
