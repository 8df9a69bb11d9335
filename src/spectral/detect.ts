/**
 * Target and anomaly detection on a cube `[bands, pixels]`, each a whitening 1×1 mix followed by a
 * projection: RX (global, or local in a sliding window), the matched filter and ACE. Conventions
 * follow Spectral Python's `rx`, `matched_filter` and `ace` (spectral/algorithms/detectors.py):
 * background mean and covariance (ddof = 1) of the cube's pixels unless given, targets measured from
 * the background mean, the matched filter normalised to 1 at the target, ACE as the squared cosine
 * between the whitened pixel and the whitened target subspace.
 * @module
 */
import { ArgumentTypeError, NumericalError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, type SampleArray } from '../core/multichannel.js';
import { assertInteger, isNumericArray } from '../core/validate.js';
import { assertMultichannel } from '../mixing/mix.js';
import { gemm } from '../linalg/gemm.js';
import { CovarianceAccumulator } from './covariance.js';
import { symmetricEigen } from '../linalg/eigen.js';
import { orthonormalizeColumns } from '../linalg/orthogonal.js';
import { cholesky, forwardSubstitute } from '../linalg/solve.js';

/**
 * Gaussian statistics of a background: mean spectrum and band covariance (ddof = 1, row-major
 * bands × bands), from {@link backgroundStats} or built by hand (e.g. from a training region).
 */
export interface BackgroundStats {
  /** Bands. */
  readonly bands: number;
  /** Mean spectrum (bands), in the cube's units. */
  readonly mean: Float64Array;
  /** Covariance, bands × bands row-major, in the cube's units squared. */
  readonly covariance: Float64Array;
  /** Pixels behind the estimate (informative; not used by the detectors). */
  readonly count: number;
}

/**
 * Mean and covariance (ddof = 1, as numpy's `np.cov` and SPy's `calc_stats`) of the pixels of `x`
 * (`[bands, pixels]`). Pixels with a NaN in any band are left out.
 * @throws ArgumentTypeError when x is not a Multichannel; ValueError with fewer than bands + 1
 * valid pixels (the covariance would be singular).
 * @example const bg = backgroundStats(cube); // bg.mean: bands, bg.covariance: bands × bands
 */
export function backgroundStats(x: Multichannel): BackgroundStats {
  const fn = 'backgroundStats';
  assertMultichannel(fn, 'x', x);
  return statsOf(fn, x);
}

function statsOf(fn: string, x: Multichannel): BackgroundStats {
  const acc = new CovarianceAccumulator(x.channels).add(x);
  if (acc.count < x.channels + 1) {
    throw new ValueError(message(fn, `the background needs at least bands + 1 = ${x.channels + 1} valid pixels (no NaN) for an invertible covariance`, acc.count));
  }
  const { mean, covariance, count } = acc.finalize();
  return { bands: x.channels, mean, covariance, count };
}

/** Checks user-supplied background statistics against the cube's band count. */
function checkStats(fn: string, s: unknown, bands: number): BackgroundStats {
  const st = s as BackgroundStats;
  if (st === null || typeof st !== 'object' || !isNumericArray(st.mean) || !isNumericArray(st.covariance)) {
    throw new ArgumentTypeError(message(fn, 'background must be { mean, covariance } (see backgroundStats)', s));
  }
  if (st.mean.length !== bands) throw new ShapeError(message(fn, `background.mean must have one entry per band (${bands})`, st.mean.length));
  if (st.covariance.length !== bands * bands) throw new ShapeError(message(fn, `background.covariance must be bands × bands = ${bands * bands} values`, st.covariance.length));
  for (const a of [st.mean, st.covariance]) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new ValueError(message(fn, 'background statistics must be finite', a[i]));
  return { bands, mean: Float64Array.from(st.mean), covariance: Float64Array.from(st.covariance), count: st.count ?? NaN };
}

/**
 * Symmetric powers `C^{1/2}` and `C^{-1/2}` of a covariance from its eigen-decomposition (as SPy's
 * `sqrt_cov` / `sqrt_inv_cov`). Throws NumericalError when C is not positive definite to working
 * precision (smallest eigenvalue ≤ bands · ε · largest).
 * @internal
 */
export function covarianceRoots(fn: string, cov: Float64Array, B: number): { sqrt: Float64Array; invSqrt: Float64Array } {
  const sym = new Float64Array(B * B);
  for (let i = 0; i < B; i++) for (let j = 0; j < B; j++) sym[i * B + j] = 0.5 * (cov[i * B + j] + cov[j * B + i]);
  const { values, vectors } = symmetricEigen(sym, B);
  const lmax = values[0], lmin = values[B - 1];
  if (!(lmin > B * 2 ** -52 * lmax)) {
    throw new NumericalError(message(fn, 'the background covariance must be positive definite (more valid pixels than bands, no constant or linearly dependent bands)', { verbatim: `eigenvalues from ${lmax.toExponential(3)} down to ${lmin.toExponential(3)}` }));
  }
  const sqrt = new Float64Array(B * B);
  const invSqrt = new Float64Array(B * B);
  for (let k = 0; k < B; k++) {
    const s = Math.sqrt(values[k]);
    const v = vectors.subarray(k * B, (k + 1) * B);
    for (let i = 0; i < B; i++) {
      const a = v[i] * s, b = v[i] / s;
      for (let j = 0; j < B; j++) {
        sqrt[i * B + j] += a * v[j];
        invSqrt[i * B + j] += b * v[j];
      }
    }
  }
  return { sqrt, invSqrt };
}

/** Pixels per block of the blocked detectors (bounds their scratch memory to rows × 4096 values). */
const BLOCK = 4096;

/**
 * Applies the mix `W` (rows × bands) with bias `b` to `x` in blocks of pixels and hands each block's
 * `[rows, n]` result to `reduce(block, n, p0)`. Memory: rows × {@link BLOCK} values.
 */
function mixBlocks(x: Multichannel, W: Float64Array, rows: number, bias: Float64Array, reduce: (y: Float64Array, n: number, p0: number) => void): void {
  const B = x.channels, N = x.length;
  const xb = x.data instanceof Float32Array ? new Float32Array(B * Math.min(BLOCK, N)) : new Float64Array(B * Math.min(BLOCK, N));
  const yb = new Float64Array(rows * Math.min(BLOCK, N));
  for (let p0 = 0; p0 < N; p0 += BLOCK) {
    const n = Math.min(BLOCK, N - p0);
    let src: SampleArray = xb;
    if (n === N) src = x.data;
    else for (let b = 0; b < B; b++) xb.set(x.data.subarray(b * N + p0, b * N + p0 + n), b * n);
    gemm(W, rows, B, src, n, yb, bias);
    reduce(yb, n, p0);
  }
}

/** `−W μ` for a mix W (rows × B). */
function centringBias(W: Float64Array, rows: number, B: number, mean: Float64Array): Float64Array {
  const bias = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let b = 0; b < B; b++) s += W[r * B + b] * mean[b];
    bias[r] = -s;
  }
  return bias;
}

/** A `[1, N]` score map keeping x's image shape. */
function scoreMap(x: Multichannel, s: Float64Array): Multichannel {
  return new Multichannel(s, 1, x.length, x.shape ? { shape: x.shape } : {});
}

/** Options of {@link rx}. */
export interface RxOptions {
  /** Background statistics (default: those of all of `x`). Excludes `window`. */
  background?: BackgroundStats;
  /**
   * Local RX: `[inner, outer]` odd window widths in pixels (needs `x.shape`). Each pixel's background
   * is the outer × outer window minus the inner × inner window, both shifted inward at the image
   * border to keep their full size (SPy's `map_outer_window_stats`); outer² − inner² must exceed the
   * band count.
   */
  window?: readonly [number, number];
}

/**
 * RX anomaly detector (Reed–Xiaoli): the squared Mahalanobis distance of every pixel from the
 * background, `(x − μ)ᵀ Σ⁻¹ (x − μ)`, computed as the squared norm of the whitening mix
 * `z = Σ^{-1/2} (x − μ)` (global), or per pixel from the statistics of a sliding window (local).
 * Matches Spectral Python's `rx(X)` and `rx(X, window=(inner, outer))` to ~1e-12 relative on
 * well-conditioned data (test/fixtures/refs/detect.json). On Samson with ten seeded sub-pixel targets
 * `(1 − f) x + f t` implanted, global RX reaches ROC AUC 0.71, 0.97, 0.9997 at f = 0.05, 0.1, 0.15
 * (as SPy; test/spectral/detect.test.ts).
 *
 * Shapes: `x` is `[bands, pixels]` (`shape = [rows, cols]` for the local form); the result is
 * `[1, pixels]` (unitless, χ² with `bands` degrees of freedom for Gaussian background pixels),
 * keeping `shape`. A pixel with a NaN band scores NaN and is left out of the global statistics; in
 * the local form a pixel whose window ring holds a NaN scores NaN.
 * Cost: global O(pixels · bands²) (one bands × bands mix); local O(pixels · (outer² · bands² + bands³)).
 *
 * | bad input | error |
 * |---|---|
 * | x not a Multichannel | ArgumentTypeError |
 * | fewer than bands + 1 valid pixels | ValueError `…at least bands + 1…` |
 * | singular covariance (constant or dependent bands) | NumericalError `…positive definite…` |
 * | background of another band count | ShapeError |
 * | both background and window, window without x.shape, even or too small windows | ValueError / ShapeError |
 *
 * @example
 * const scores = rx(cube);                       // [1, rows·cols]
 * const local = rx(cube, { window: [3, 15] });   // background from a 15×15 ring around each pixel
 */
export function rx(x: Multichannel, options: RxOptions = {}): Multichannel {
  const fn = 'rx';
  assertMultichannel(fn, 'x', x);
  if (options.window !== undefined) {
    if (options.background !== undefined) throw new ValueError(message(fn, 'background and window are mutually exclusive', { verbatim: 'both given' }));
    return localRx(fn, x, options.window);
  }
  const B = x.channels;
  const bg = options.background === undefined ? statsOf(fn, x) : checkStats(fn, options.background, B);
  const { invSqrt } = covarianceRoots(fn, bg.covariance, B);
  const bias = centringBias(invSqrt, B, B, bg.mean);
  const out = new Float64Array(x.length);
  mixBlocks(x, invSqrt, B, bias, (z, n, p0) => {
    for (let p = 0; p < n; p++) out[p0 + p] = 0;
    for (let b = 0; b < B; b++) {
      const o = b * n;
      for (let p = 0; p < n; p++) out[p0 + p] += z[o + p] * z[o + p];
    }
  });
  return scoreMap(x, out);
}

/** Window [start, stop) of width w around index i in [0, n), shifted inward to keep width w. */
function windowBounds(i: number, w: number, n: number): [number, number] {
  let lo = i - (w >> 1);
  if (lo < 0) lo = 0;
  else if (lo + w > n) lo = n - w;
  return [lo, lo + w];
}

function localRx(fn: string, x: Multichannel, window: readonly [number, number]): Multichannel {
  if (!Array.isArray(window) || window.length !== 2) throw new ArgumentTypeError(message(fn, 'window must be [inner, outer]', window));
  const [inner, outer] = window;
  assertInteger(fn, 'window[0] (inner)', inner, 1);
  assertInteger(fn, 'window[1] (outer)', outer, 1);
  if (inner % 2 === 0 || outer % 2 === 0) throw new ValueError(message(fn, 'window widths must be odd', { verbatim: `[${inner}, ${outer}]` }));
  if (inner >= outer) throw new ValueError(message(fn, 'the inner window must be smaller than the outer', { verbatim: `[${inner}, ${outer}]` }));
  if (!x.shape || x.shape.length !== 2) throw new ShapeError(message(fn, 'a windowed RX needs x.shape = [rows, cols]', x.shape));
  const [R, C] = x.shape;
  const B = x.channels, N = x.length;
  if (outer > R || outer > C) throw new ValueError(message(fn, `the outer window must fit in the image (${R} × ${C})`, outer));
  const m = outer * outer - inner * inner;
  if (m <= B) throw new ValueError(message(fn, `the window ring must hold more pixels than bands (${B}): outer² − inner² = ${m}`, { verbatim: `[${inner}, ${outer}]` }));
  const d = x.data;
  const out = new Float64Array(N);
  const X = new Float64Array(B * m); // ring pixels, band-major
  const mu = new Float64Array(B);
  const cov = new Float64Array(B * B);
  const v = new Float64Array(B);
  for (let i = 0; i < R; i++) {
    const [oi0, oi1] = windowBounds(i, outer, R);
    const [ii0, ii1] = windowBounds(i, inner, R);
    for (let j = 0; j < C; j++) {
      const [oj0, oj1] = windowBounds(j, outer, C);
      const [ij0, ij1] = windowBounds(j, inner, C);
      let n = 0;
      for (let r = oi0; r < oi1; r++) {
        for (let c = oj0; c < oj1; c++) {
          if (r >= ii0 && r < ii1 && c >= ij0 && c < ij1) continue;
          const p = r * C + c;
          for (let b = 0; b < B; b++) X[b * m + n] = d[b * N + p];
          n++;
        }
      }
      for (let b = 0; b < B; b++) {
        let s = 0;
        for (let t = 0; t < m; t++) s += X[b * m + t];
        mu[b] = s / m;
        for (let t = 0; t < m; t++) X[b * m + t] -= mu[b];
      }
      for (let a = 0; a < B; a++) {
        for (let b = a; b < B; b++) {
          let s = 0;
          for (let t = 0; t < m; t++) s += X[a * m + t] * X[b * m + t];
          cov[a * B + b] = cov[b * B + a] = s / (m - 1);
        }
      }
      const p = i * C + j;
      for (let b = 0; b < B; b++) v[b] = d[b * N + p] - mu[b];
      const L = cholesky(cov, B);
      if (L === null) {
        if (v.some((t) => Number.isNaN(t)) || mu.some((t) => Number.isNaN(t))) {
          out[p] = NaN; // a NaN in the pixel or its ring
          continue;
        }
        throw new NumericalError(message(fn, 'every window covariance must be positive definite (no constant or linearly dependent bands within a window)', { verbatim: `singular at pixel (${i}, ${j})` }));
      }
      // (x − μ)ᵀ Σ⁻¹ (x − μ) = ‖L⁻¹ (x − μ)‖²
      forwardSubstitute(L, B, v);
      let s = 0;
      for (let a = 0; a < B; a++) s += v[a] * v[a];
      out[p] = s;
    }
  }
  return scoreMap(x, out);
}

/** Reads a target (bands values) or a target subspace (D × bands) into D rows. */
function readTargets(fn: string, target: unknown, B: number, allowMany: boolean): { rows: Float64Array; D: number } {
  let list: ArrayLike<number>[];
  if (isNumericArray(target)) list = [target];
  else if (allowMany && Array.isArray(target) && target.length > 0 && target.every((t) => isNumericArray(t))) list = target as ArrayLike<number>[];
  else throw new ArgumentTypeError(message(fn, allowMany ? 'target must be a spectrum (bands numbers) or an array of spectra' : 'target must be a spectrum (bands numbers)', target));
  const D = list.length;
  if (D > B) throw new ValueError(message(fn, `a target subspace must have at most bands = ${B} spectra`, D));
  const rows = new Float64Array(D * B);
  list.forEach((t, k) => {
    if (t.length !== B) throw new ShapeError(message(fn, `target must have one value per band (${B})`, t.length));
    for (let b = 0; b < B; b++) {
      if (!Number.isFinite(t[b])) throw new ValueError(message(fn, 'target must be finite', t[b]));
      rows[k * B + b] = t[b];
    }
  });
  return { rows, D };
}

/** Options of {@link matchedFilter} and {@link ace}. */
export interface DetectorOptions {
  /** Background statistics (default: those of all of `x`). */
  background?: BackgroundStats;
}

/**
 * Linear matched filter: `y = (t − μ)ᵀ Σ⁻¹ (x − μ) / ((t − μ)ᵀ Σ⁻¹ (t − μ))`, one 1×1 mix of the
 * bands into one score, 1 at the target spectrum and 0 at the background mean (SPy's
 * `matched_filter(X, target)`, to ~2e-11 of the largest score on test/fixtures/refs/detect.json).
 *
 * Shapes: `x` `[bands, pixels]`, `target` bands values (the cube's units); result `[1, pixels]`
 * (unitless; ≈ the target's abundance under a linear mixture), keeping `shape`.
 * Cost O(pixels · bands + bands³).
 *
 * | bad input | error |
 * |---|---|
 * | target of another length | ShapeError `…one value per band…` |
 * | NaN in target | ValueError |
 * | target equal to the background mean | ValueError `…must differ from the background mean…` |
 * | fewer than bands + 1 valid pixels / singular covariance | ValueError / NumericalError |
 *
 * @example const y = matchedFilter(cube, targetSpectrum); // y ≈ 1 at pure target pixels
 */
export function matchedFilter(x: Multichannel, target: ArrayLike<number>, options: DetectorOptions = {}): Multichannel {
  const fn = 'matchedFilter';
  assertMultichannel(fn, 'x', x);
  const B = x.channels;
  const { rows: t } = readTargets(fn, target, B, false);
  const bg = options.background === undefined ? statsOf(fn, x) : checkStats(fn, options.background, B);
  const { invSqrt } = covarianceRoots(fn, bg.covariance, B);
  // w = Σ⁻¹ (t − μ) / ((t − μ)ᵀ Σ⁻¹ (t − μ)) with Σ⁻¹ = S S, S = Σ^{-1/2}
  const dt = t.map((v, b) => v - bg.mean[b]);
  const s = matVec(invSqrt, B, dt);
  const w = matVec(invSqrt, B, s);
  let norm = 0;
  for (let b = 0; b < B; b++) norm += s[b] * s[b];
  if (!(norm > 0)) throw new ValueError(message(fn, 'target must differ from the background mean', { verbatim: 'target − mean = 0' }));
  for (let b = 0; b < B; b++) w[b] /= norm;
  const out = new Float64Array(x.length);
  mixBlocks(x, w, 1, centringBias(w, 1, B, bg.mean), (y, n, p0) => out.set(y.subarray(0, n), p0));
  return scoreMap(x, out);
}

/** `M v` for a symmetric or row-major n × n M. */
function matVec(M: Float64Array, n: number, v: ArrayLike<number>): Float64Array {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += M[i * n + j] * v[j];
    r[i] = s;
  }
  return r;
}

/**
 * Adaptive coherence/cosine estimator: with the whitening mix `z = Σ^{-1/2} (x − μ)` and the whitened
 * targets `S = Σ^{-1/2} (t_k − μ)`, the score is `zᵀ P z / zᵀ z`, P the orthogonal projector onto
 * span(S) — the squared cosine of the angle between the whitened pixel and the target subspace, in
 * [0, 1]. One 1×1 mix of bands → bands + D outputs (z and the projection coordinates). Matches SPy's
 * `ace(X, target)` (one target or a D × bands subspace) to ~1e-12 relative on well-conditioned data;
 * on Samson (band covariance of condition number 7e7) to 8e-11 of the largest score, where this
 * function is 1.3e-11 and SPy 7e-11 of the largest score from an extended-precision evaluation
 * (test/spectral/detect.test.ts); scores near 0 carry a larger element-wise relative error there.
 *
 * Shapes: `x` `[bands, pixels]`; `target` bands values or D arrays of bands values (D ≤ bands);
 * result `[1, pixels]` (unitless, in [0, 1]), keeping `shape`. A pixel equal to the background mean
 * scores NaN (0/0), as in SPy. Cost O(pixels · bands · (bands + D) + bands³).
 *
 * | bad input | error |
 * |---|---|
 * | a target of another length | ShapeError |
 * | NaN in target, more targets than bands | ValueError |
 * | targets linearly dependent (after subtracting the mean) | NumericalError `…linearly independent…` |
 * | fewer than bands + 1 valid pixels / singular covariance | ValueError / NumericalError |
 *
 * @example const cos2 = ace(cube, [t1, t2]); // subspace of two target spectra
 */
export function ace(x: Multichannel, target: ArrayLike<number> | readonly ArrayLike<number>[], options: DetectorOptions = {}): Multichannel {
  const fn = 'ace';
  assertMultichannel(fn, 'x', x);
  const B = x.channels;
  const { rows: t, D } = readTargets(fn, target, B, true);
  const bg = options.background === undefined ? statsOf(fn, x) : checkStats(fn, options.background, B);
  const { invSqrt } = covarianceRoots(fn, bg.covariance, B);
  // Q: orthonormal basis (B × D, columns) of the whitened targets S (t − μ)
  const Q = new Float64Array(B * D);
  for (let k = 0; k < D; k++) {
    const s = matVec(invSqrt, B, t.subarray(k * B, (k + 1) * B).map((v, b) => v - bg.mean[b]));
    for (let b = 0; b < B; b++) Q[b * D + k] = s[b];
  }
  // independence: the Gram matrix SᵀS must have a Cholesky factor with no collapsed pivot
  const G = new Float64Array(D * D);
  for (let a = 0; a < D; a++) for (let c = 0; c < D; c++) {
    let s = 0;
    for (let b = 0; b < B; b++) s += Q[b * D + a] * Q[b * D + c];
    G[a * D + c] = s;
  }
  const L = cholesky(G, D);
  for (let k = 0; k < D; k++) {
    if (L === null || !(L[k * D + k] ** 2 > 1e-12 * G[k * D + k])) {
      throw new NumericalError(message(fn, 'the targets minus the background mean must be non-zero and linearly independent', { verbatim: `target ${k} is not` }));
    }
  }
  orthonormalizeColumns(Q, B, D);
  // stacked mix [S; Qᵀ S]: rows 0..B−1 give z, rows B..B+D−1 give the coordinates Qᵀ z
  const rows = B + D;
  const W = new Float64Array(rows * B);
  W.set(invSqrt);
  for (let k = 0; k < D; k++) {
    for (let j = 0; j < B; j++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += Q[b * D + k] * invSqrt[b * B + j];
      W[(B + k) * B + j] = s;
    }
  }
  const out = new Float64Array(x.length);
  const zz = new Float64Array(Math.min(BLOCK, x.length));
  mixBlocks(x, W, rows, centringBias(W, rows, B, bg.mean), (y, n, p0) => {
    zz.fill(0, 0, n);
    for (let p = 0; p < n; p++) out[p0 + p] = 0;
    for (let b = 0; b < B; b++) for (let p = 0; p < n; p++) zz[p] += y[b * n + p] ** 2;
    for (let k = B; k < rows; k++) for (let p = 0; p < n; p++) out[p0 + p] += y[k * n + p] ** 2;
    for (let p = 0; p < n; p++) out[p0 + p] /= zz[p];
  });
  return scoreMap(x, out);
}
