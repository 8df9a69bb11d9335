/**
 * Unsupervised endmember extraction from a cube `[bands, pixels]` — vertex component analysis (VCA),
 * N-FINDR and the pixel purity index (PPI), all seeded — and {@link unmix}, the complete pipeline
 * cube → endmembers → fully constrained abundances.
 * @module
 */
import { ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel } from '../core/multichannel.js';
import { Rng } from '../core/random.js';
import { assertFinite, assertInteger, assertOneOf, assertPositive } from '../core/validate.js';
import { assertMultichannel } from '../mixing/mix.js';
import { gemm } from '../linalg/gemm.js';
import { fullyConstrainedAbundances, type AbundanceOptions } from '../constrained/stochastic.js';
import { CovarianceAccumulator } from './covariance.js';
import { symmetricEigen } from '../linalg/eigen.js';
import { pca } from './pca.js';

/** Endmembers found in a cube. */
export interface EndmemberResult {
  /** Pixel index (row-major, `r·cols + c`) of each endmember. */
  indices: Int32Array;
  /**
   * `[k, bands]`: the spectra of those pixels (the cube's units), as `syntheticCube().endmembers`
   * (in {@link unmix} with `refineAngleDeg`, their neighbourhood means).
   */
  endmembers: Multichannel;
}

/** Common argument checks: a finite cube and 2 ≤ k ≤ min(bands, pixels). */
function checkCube(fn: string, x: unknown, k: unknown, minK = 2): Multichannel {
  const cube = assertMultichannel(fn, 'x', x);
  assertInteger(fn, 'k', k, minK);
  if (k > cube.channels) throw new ValueError(message(fn, `k must be ≤ bands = ${cube.channels}`, k));
  if (k > cube.length) throw new ValueError(message(fn, `k must be ≤ pixels = ${cube.length}`, k));
  const d = cube.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) throw new ValueError(message(fn, 'x must be finite (remove or fill NaN pixels first)', d[i]));
  return cube;
}

/** The spectra of pixels `indices` as `[k, bands]`. */
function pixelsAt(x: Multichannel, indices: Int32Array): Multichannel {
  const B = x.channels, N = x.length, k = indices.length;
  const e = new Float64Array(k * B);
  for (let j = 0; j < k; j++) for (let b = 0; b < B; b++) e[j * B + b] = x.data[b * N + indices[j]];
  return new Multichannel(e, k, B);
}

/** Top-`d` eigenvectors (rows, d × B) of a symmetric B × B matrix, and all eigenvalues (descending). */
function topEigen(M: Float64Array, B: number, d: number): { U: Float64Array; values: Float64Array } {
  const { values, vectors } = symmetricEigen(M, B);
  return { U: vectors.slice(0, d * B), values };
}

/** Options of {@link vca}. */
export interface VcaOptions {
  /** Seed of the random directions (default 0). */
  seed?: number;
  /**
   * Signal-to-noise ratio in dB deciding the projection (default: estimated from the data, as in
   * Nascimento & Bioucas-Dias' reference code). Above `15 + 10 log10(k)` dB the data go through a
   * projective projection on the top-k subspace of `E[x xᵀ]`, below it through PCA to k − 1 dims.
   */
  snrDb?: number;
}

/**
 * Vertex component analysis (Nascimento & Bioucas-Dias, IEEE TGRS 2005): projects the pixels to a
 * k-dimensional signal subspace, then k times takes a random direction orthogonal to the endmembers
 * found so far and keeps the pixel with the largest |projection| — an extreme pixel, i.e. a vertex
 * of the simplex of pure spectra. Follows the authors' reference implementation (SNR estimate,
 * projective or PCA projection); random directions come from the seeded {@link Rng}.
 *
 * Shapes: `x` `[bands, pixels]`; returns k pixel indices and their spectra `[k, bands]`.
 * Cost O(pixels · bands² + k · pixels · k).
 *
 * | bad input | error |
 * |---|---|
 * | x not a Multichannel | ArgumentTypeError |
 * | k < 2, not an integer, k > bands or k > pixels | ValueError |
 * | NaN or ±Infinity in x | ValueError `…must be finite…` |
 *
 * @example const { indices, endmembers } = vca(cube, 3, { seed: 1 });
 */
export function vca(x: Multichannel, k: number, options: VcaOptions = {}): EndmemberResult {
  const fn = 'vca';
  const cube = checkCube(fn, x, k);
  const seed = options.seed ?? 0;
  assertInteger(fn, 'seed', seed);
  const B = cube.channels, N = cube.length;
  const acc = new CovarianceAccumulator(B).add(cube);
  const { mean, covariance } = acc.finalize();
  // centred second moments with 1/N (the reference code's Y_o Y_oᵀ / N)
  const C0 = covariance.map((v) => (v * (N - 1)) / N);
  let snr = options.snrDb;
  if (snr === undefined) {
    const pca0 = topEigen(C0, B, k);
    let py = 0, px = 0, mm = 0;
    for (let b = 0; b < B; b++) {
      py += C0[b * B + b];
      mm += mean[b] * mean[b];
    }
    py += mm; // Σ‖y‖² / N
    for (let c = 0; c < k; c++) px += pca0.values[c];
    px += mm; // ‖projection‖² / N + ‖mean‖²
    snr = 10 * Math.log10((px - (k / B) * py) / (py - px));
  } else assertFinite(fn, 'snrDb', snr);
  const threshold = 15 + 10 * Math.log10(k);
  // y: k × N coordinates whose columns lie on a simplex-like cone; Y[:, i] is pixel i
  const y = new Float64Array(k * N);
  if (!(snr >= threshold)) {
    const d = k - 1;
    const { U } = topEigen(C0, B, d);
    const bias = new Float64Array(d);
    for (let c = 0; c < d; c++) for (let b = 0; b < B; b++) bias[c] -= U[c * B + b] * mean[b];
    gemm(U, d, B, cube.data, N, y, bias);
    let c2 = 0;
    for (let p = 0; p < N; p++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += y[c * N + p] ** 2;
      c2 = Math.max(c2, s);
    }
    y.fill(Math.sqrt(c2), d * N, k * N);
  } else {
    const R = new Float64Array(B * B); // E[x xᵀ] = C0 + μ μᵀ
    for (let i = 0; i < B; i++) for (let j = 0; j < B; j++) R[i * B + j] = C0[i * B + j] + mean[i] * mean[j];
    const { U } = topEigen(R, B, k);
    gemm(U, k, B, cube.data, N, y);
    const u = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let p = 0; p < N; p++) s += y[c * N + p];
      u[c] = s / N;
    }
    for (let p = 0; p < N; p++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += u[c] * y[c * N + p];
      for (let c = 0; c < k; c++) y[c * N + p] /= s;
    }
  }
  const rng = new Rng(seed);
  const indices = new Int32Array(k);
  const basis: Float64Array[] = []; // orthonormal basis of the endmembers found so far (e_k at first)
  const first = new Float64Array(k);
  first[k - 1] = 1;
  basis.push(first);
  for (let i = 0; i < k; i++) {
    const f = Float64Array.from({ length: k }, () => rng.next());
    for (const q of basis) {
      let dot = 0;
      for (let c = 0; c < k; c++) dot += f[c] * q[c];
      for (let c = 0; c < k; c++) f[c] -= dot * q[c];
    }
    let best = -1, bi = 0;
    for (let p = 0; p < N; p++) {
      let v = 0;
      for (let c = 0; c < k; c++) v += f[c] * y[c * N + p];
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        bi = p;
      }
    }
    indices[i] = bi;
    if (i === 0) basis.length = 0;
    const a = Float64Array.from({ length: k }, (_, c) => y[c * N + bi]);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let dot = 0;
        for (let c = 0; c < k; c++) dot += a[c] * q[c];
        for (let c = 0; c < k; c++) a[c] -= dot * q[c];
      }
    }
    const nrm = Math.hypot(...a);
    if (nrm > 0) basis.push(a.map((v) => v / nrm));
  }
  return { indices, endmembers: pixelsAt(cube, indices) };
}

/** Determinant of a small n × n matrix (row-major, copied) by LU with partial pivoting. */
function determinant(A: Float64Array, n: number): number {
  const a = Float64Array.from(A);
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    const piv = a[p * n + c];
    if (piv === 0) return 0;
    if (p !== c) {
      for (let j = 0; j < n; j++) [a[c * n + j], a[p * n + j]] = [a[p * n + j], a[c * n + j]];
      det = -det;
    }
    det *= piv;
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / piv;
      if (f !== 0) for (let j = c; j < n; j++) a[r * n + j] -= f * a[c * n + j];
    }
  }
  return det;
}

/** Options of {@link nfindr}. */
export interface NfindrOptions {
  /** Seed of the random initial endmembers (default 0). */
  seed?: number;
  /** The most sweeps over the k endmember positions (default 20). Stops earlier when a sweep changes nothing. */
  maxSweeps?: number;
}

/**
 * N-FINDR (Winter 1999): reduces the pixels to k − 1 principal components, starts from k seeded
 * random pixels and, position by position, replaces an endmember with the pixel that maximises the
 * volume of the simplex they span, until a sweep changes nothing. The volume with pixel p in
 * position j is linear in p (`|c_j · [1; y_p]|`, c_j the cofactors of that column), so each position
 * costs one pass over the pixels.
 *
 * Shapes: `x` `[bands, pixels]`; returns k pixel indices and their spectra `[k, bands]`.
 * Cost O(pixels · bands² + sweeps · k · (pixels · k + k⁴)).
 *
 * | bad input | error |
 * |---|---|
 * | x not a Multichannel | ArgumentTypeError |
 * | k < 2, k > bands or k > pixels | ValueError |
 * | NaN or ±Infinity in x | ValueError `…must be finite…` |
 * | maxSweeps < 1 | ValueError |
 *
 * @example const { endmembers } = nfindr(cube, 3, { seed: 1 });
 */
export function nfindr(x: Multichannel, k: number, options: NfindrOptions = {}): EndmemberResult {
  const fn = 'nfindr';
  const cube = checkCube(fn, x, k);
  const seed = options.seed ?? 0;
  assertInteger(fn, 'seed', seed);
  const maxSweeps = options.maxSweeps ?? 20;
  assertInteger(fn, 'maxSweeps', maxSweeps, 1);
  const N = cube.length;
  const y = pca(cube, k - 1, { signs: 'max-loading' }).transform(cube).data; // (k − 1) × N
  const rng = new Rng(seed);
  const indices = Int32Array.from(rng.permutation(N).subarray(0, k));
  // M: k × k, column j = [1; y(indices[j])]
  const M = new Float64Array(k * k);
  const setColumn = (j: number, p: number) => {
    M[j] = 1;
    for (let c = 1; c < k; c++) M[c * k + j] = y[(c - 1) * N + p];
  };
  for (let j = 0; j < k; j++) setColumn(j, indices[j]);
  const minor = new Float64Array((k - 1) * (k - 1));
  const cof = new Float64Array(k);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let changed = false;
    for (let j = 0; j < k; j++) {
      // cofactors of column j: det(M with column j = v) = Σ_i cof[i] v[i]
      for (let i = 0; i < k; i++) {
        let t = 0;
        for (let r = 0; r < k; r++) {
          if (r === i) continue;
          for (let c = 0; c < k; c++) if (c !== j) minor[t++] = M[r * k + c];
        }
        cof[i] = ((i + j) % 2 === 0 ? 1 : -1) * determinant(minor, k - 1);
      }
      let best = -1, bi = indices[j];
      for (let p = 0; p < N; p++) {
        let v = cof[0];
        for (let c = 1; c < k; c++) v += cof[c] * y[(c - 1) * N + p];
        v = Math.abs(v);
        if (v > best) {
          best = v;
          bi = p;
        }
      }
      let cur = cof[0];
      for (let c = 1; c < k; c++) cur += cof[c] * y[(c - 1) * N + indices[j]];
      if (bi !== indices[j] && best > Math.abs(cur) * (1 + 1e-12)) {
        indices[j] = bi;
        setColumn(j, bi);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return { indices, endmembers: pixelsAt(cube, indices) };
}

/** Options of {@link ppi}. */
export interface PpiOptions {
  /** Seed of the random projections (default 0). */
  seed?: number;
  /**
   * 0 (default): each projection counts only its two extreme pixels; > 0: every pixel within this
   * distance (cube units) of either extreme (SPy's `threshold`).
   */
  threshold?: number;
}

/**
 * Pixel purity index (Boardman et al. 1995), as SPy's `ppi`: projects the mean-centred pixels on
 * `iterations` random unit vectors (components uniform in [−0.5, 0.5), normalised; seeded) and counts
 * how often each pixel is extreme. Pure pixels (simplex vertices) collect high counts.
 *
 * Shapes: `x` `[bands, pixels]`; result `[1, pixels]` of counts (integers), keeping `shape`.
 * Cost O(iterations · pixels · bands).
 *
 * | bad input | error |
 * |---|---|
 * | x not a Multichannel | ArgumentTypeError |
 * | iterations < 1 or not an integer | ValueError |
 * | threshold < 0 or NaN | ValueError |
 * | NaN or ±Infinity in x | ValueError `…must be finite…` |
 *
 * @example const counts = ppi(cube, 2000, { seed: 3 }); // top counts → candidate endmembers
 */
export function ppi(x: Multichannel, iterations: number, options: PpiOptions = {}): Multichannel {
  const fn = 'ppi';
  const cube = checkCube(fn, x, 1, 1);
  assertInteger(fn, 'iterations', iterations, 1);
  const seed = options.seed ?? 0;
  assertInteger(fn, 'seed', seed);
  const threshold = options.threshold ?? 0;
  assertPositive(fn, 'threshold', threshold, true);
  const B = cube.channels, N = cube.length;
  const mean = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let p = 0; p < N; p++) s += cube.data[b * N + p];
    mean[b] = s / N;
  }
  const rng = new Rng(seed);
  const counts = new Float64Array(N);
  const BATCH = 32; // projections per mix: a 32 × bands weight matrix over the pixels
  const s = new Float64Array(BATCH * N);
  for (let i0 = 0; i0 < iterations; i0 += BATCH) {
    const m = Math.min(BATCH, iterations - i0);
    const W = new Float64Array(m * B);
    const bias = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      let nrm = 0;
      for (let b = 0; b < B; b++) {
        W[r * B + b] = rng.next() - 0.5;
        nrm += W[r * B + b] ** 2;
      }
      nrm = Math.sqrt(nrm);
      for (let b = 0; b < B; b++) {
        W[r * B + b] /= nrm;
        bias[r] -= W[r * B + b] * mean[b];
      }
    }
    gemm(W, m, B, cube.data, N, s, bias);
    for (let r = 0; r < m; r++) {
      const row = s.subarray(r * N, (r + 1) * N);
      let lo = 0, hi = 0;
      for (let p = 1; p < N; p++) {
        if (row[p] < row[lo]) lo = p;
        if (row[p] > row[hi]) hi = p;
      }
      if (threshold === 0) {
        counts[lo]++;
        counts[hi]++;
      } else {
        const top = row[hi] - threshold, bottom = row[lo] + threshold;
        for (let p = 0; p < N; p++) {
          if (row[p] >= top) counts[p]++;
          if (row[p] <= bottom) counts[p]++;
        }
      }
    }
  }
  return new Multichannel(counts, 1, N, cube.shape ? { shape: cube.shape } : {});
}

/**
 * Noise-averaged endmembers: each spectrum becomes the mean of the pixels of `x` within `angleDeg`
 * degrees of spectral angle of it (the endmember's own pixel included). Extreme-pixel methods (VCA,
 * N-FINDR, PPI) pick the most extreme pixel, whose noise is part of what makes it extreme; for a dark
 * material (water) that noise dominates the spectral angle, and the neighbourhood mean removes most
 * of it. The angle measures shape only, so mixed pixels of a brighter material stay out. The
 * averaging of the pixels around each extreme is the cluster mean of the PPI / n-dimensional
 * visualiser workflow (Boardman et al. 1995). On Samson, VCA's and N-FINDR's water pixels lie 6.2°
 * and 7.4° from the reference spectrum (beyond the 90th percentile of the pure water pixels' angles);
 * refined with any angle from 5° to 10°, all three endmembers lie within 5°
 * (test/spectral/endmembers.test.ts).
 *
 * Shapes: `x` `[bands, pixels]`, `endmembers` `[k, bands]` → `[k, bands]`. Cost O(pixels · bands · k).
 *
 * | bad input | error |
 * |---|---|
 * | endmembers of another band count | ShapeError |
 * | angleDeg not in (0, 90) | ValueError |
 * | NaN in x | ValueError `…must be finite…` |
 *
 * @example const refined = refineEndmembers(cube, vca(cube, 3).endmembers, 5);
 */
export function refineEndmembers(x: Multichannel, endmembers: Multichannel, angleDeg: number): Multichannel {
  const fn = 'refineEndmembers';
  const cube = checkCube(fn, x, 1, 1);
  assertMultichannel(fn, 'endmembers', endmembers);
  const B = cube.channels, N = cube.length, k = endmembers.channels;
  if (endmembers.length !== B) throw new ShapeError(message(fn, `endmembers must be [k, bands = ${B}]`, { verbatim: `[${k}, ${endmembers.length}]` }));
  if (typeof angleDeg !== 'number' || !(angleDeg > 0 && angleDeg < 90)) throw new ValueError(message(fn, 'angleDeg must be in (0, 90) degrees', angleDeg));
  const cosMin = Math.cos((angleDeg * Math.PI) / 180);
  // unit endmembers as a k × B mix; pixel norms
  const U = new Float64Array(k * B);
  for (let j = 0; j < k; j++) {
    let n = 0;
    for (let b = 0; b < B; b++) n += endmembers.data[j * B + b] ** 2;
    n = Math.sqrt(n);
    if (!(n > 0)) throw new ValueError(message(fn, 'endmembers must be non-zero spectra', { verbatim: `endmember ${j} is zero` }));
    for (let b = 0; b < B; b++) U[j * B + b] = endmembers.data[j * B + b] / n;
  }
  const dots = new Float64Array(k * N);
  gemm(U, k, B, cube.data, N, dots);
  const norms = new Float64Array(N);
  for (let b = 0; b < B; b++) for (let p = 0; p < N; p++) norms[p] += cube.data[b * N + p] ** 2;
  const out = new Float64Array(k * B);
  for (let j = 0; j < k; j++) {
    let count = 0;
    for (let p = 0; p < N; p++) {
      if (dots[j * N + p] >= cosMin * Math.sqrt(norms[p]) && norms[p] > 0) {
        count++;
        for (let b = 0; b < B; b++) out[j * B + b] += cube.data[b * N + p];
      }
    }
    if (count === 0) out.set(endmembers.data.subarray(j * B, (j + 1) * B), j * B);
    else for (let b = 0; b < B; b++) out[j * B + b] /= count;
  }
  return new Multichannel(out, k, B);
}

/** Options of {@link unmix}. */
export interface UnmixOptions {
  /** Endmember extraction: 'vca' (default) or 'nfindr'. */
  method?: 'vca' | 'nfindr';
  /** Seed of the extraction (default 0). */
  seed?: number;
  /** When set, replaces each endmember by {@link refineEndmembers} with this angle (degrees) before FCLS. */
  refineAngleDeg?: number;
  /** Options of the FCLS step ({@link fullyConstrainedAbundances}). */
  abundance?: AbundanceOptions;
}

/** The result of {@link unmix}. */
export interface UnmixResult extends EndmemberResult {
  /** `[k, pixels]` abundances, non-negative and summing to one at every pixel; keeps `shape`. */
  abundances: Multichannel;
}

/**
 * Unsupervised linear unmixing, cube → endmembers → abundances: {@link vca} or {@link nfindr}
 * finds k endmember pixels, then fully constrained least squares
 * ({@link fullyConstrainedAbundances}) gives every pixel's abundances (≥ 0, summing to 1).
 * With `refineAngleDeg`, each endmember is first replaced by the mean of the pixels within that
 * spectral angle ({@link refineEndmembers}). Endmember order is the extractor's, not a physical one
 * (match them to references by spectral angle). Cost: the extractor's plus O(pixels · (bands · k + iterations · k²)).
 *
 * | bad input | error |
 * |---|---|
 * | as {@link vca} / {@link nfindr} | ArgumentTypeError / ValueError |
 * | unknown method | ValueError |
 *
 * @example
 * const { endmembers, abundances } = unmix(cube, 3, { method: 'vca', seed: 1 });
 */
export function unmix(x: Multichannel, k: number, options: UnmixOptions = {}): UnmixResult {
  const fn = 'unmix';
  const method = assertOneOf(fn, 'method', options.method ?? 'vca', ['vca', 'nfindr'] as const);
  const found = method === 'vca' ? vca(x, k, { seed: options.seed }) : nfindr(x, k, { seed: options.seed });
  if (options.refineAngleDeg !== undefined) found.endmembers = refineEndmembers(x, found.endmembers, options.refineAngleDeg);
  const B = x.channels;
  const E = new Float64Array(B * k); // bands × k, as fullyConstrainedAbundances takes it
  for (let j = 0; j < k; j++) for (let b = 0; b < B; b++) E[b * k + j] = found.endmembers.data[j * B + b];
  const abundances = fullyConstrainedAbundances(x, { data: E, rows: B, cols: k }, options.abundance);
  return { ...found, abundances };
}
