/**
 * Private dense linear algebra for src/constrained: Gram accumulation in one pass over the samples,
 * Cholesky solves, row reduction by Gram–Schmidt with re-orthogonalisation, null-space completion.
 * All matrices are row-major Float64Arrays; nothing here validates (the public functions do).
 * @module
 * @internal
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { RawGramSums } from '../train/gram.js';

/** Samples per time block of the Gram kernel: 2 × 33 rows × 512 × 8 B ≈ 270 kB stays in L2. */
const BLOCK = 512;

/**
 * Accumulates `out[i*q + j] += Σ_t P[i, t] · Q[j, t]` over `t ∈ [t0, t1)` for rows of P (p × T) and
 * Q (q × T), both channel-major with row stride `T`. 2×2 register tiles. When `symmetric` (P === Q),
 * only tiles with j ≥ i are computed and mirrored by the caller.
 */
function dotBlock(
  P: Float64Array | Float32Array, p: number, Q: Float64Array | Float32Array, q: number, T: number,
  t0: number, t1: number, out: Float64Array, symmetric: boolean,
): void {
  let i = 0;
  for (; i + 1 < p; i += 2) {
    const pi0 = i * T;
    const pi1 = pi0 + T;
    let j = symmetric ? i : 0;
    for (; j + 1 < q; j += 2) {
      const qj0 = j * T;
      const qj1 = qj0 + T;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let t = t0; t < t1; t++) {
        const a0 = P[pi0 + t], a1 = P[pi1 + t], b0 = Q[qj0 + t], b1 = Q[qj1 + t];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      out[i * q + j] += s00;
      out[i * q + j + 1] += s01;
      out[(i + 1) * q + j] += s10;
      out[(i + 1) * q + j + 1] += s11;
    }
    if (j < q) {
      const qj0 = j * T;
      let s0 = 0, s1 = 0;
      for (let t = t0; t < t1; t++) {
        const b = Q[qj0 + t];
        s0 += P[pi0 + t] * b;
        s1 += P[pi1 + t] * b;
      }
      out[i * q + j] += s0;
      out[(i + 1) * q + j] += s1;
    }
  }
  if (i < p) {
    const pi0 = i * T;
    for (let j = symmetric ? i : 0; j < q; j++) {
      const qj0 = j * T;
      let s = 0;
      for (let t = t0; t < t1; t++) s += P[pi0 + t] * Q[qj0 + t];
      out[i * q + j] += s;
    }
  }
}

/** The sufficient statistics of a least-squares fit, gathered in one pass over the samples (see {@link RawGramSums}). */
export type GramStats = RawGramSums;

/** One pass over X (Cin × T) and Y (Cout × T), time-blocked: X Xᵀ, Y Xᵀ, row sums, ‖Y‖². */
export function gramStats(X: Float64Array | Float32Array, cin: number, Y: Float64Array | Float32Array, cout: number, T: number): GramStats {
  const xx = new Float64Array(cin * cin);
  const yx = new Float64Array(cout * cin);
  const sx = new Float64Array(cin);
  const sy = new Float64Array(cout);
  let yy = 0;
  for (let t0 = 0; t0 < T; t0 += BLOCK) {
    const t1 = Math.min(T, t0 + BLOCK);
    dotBlock(X, cin, X, cin, T, t0, t1, xx, true);
    dotBlock(Y, cout, X, cin, T, t0, t1, yx, false);
    for (let c = 0; c < cin; c++) {
      let s = 0;
      const o = c * T;
      for (let t = t0; t < t1; t++) s += X[o + t];
      sx[c] += s;
    }
    for (let c = 0; c < cout; c++) {
      let s = 0, s2 = 0;
      const o = c * T;
      for (let t = t0; t < t1; t++) {
        const v = Y[o + t];
        s += v;
        s2 += v * v;
      }
      sy[c] += s;
      yy += s2;
    }
  }
  for (let i = 0; i < cin; i++) for (let j = 0; j < i; j++) xx[i * cin + j] = xx[j * cin + i];
  return { xx, yx, sx, sy, yy, n: T };
}

/** Lower Cholesky factor of a symmetric n × n matrix, or null when it is not positive definite. */
export function cholesky(M: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = M[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = M[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** Solves (L Lᵀ) x = b in place for each of the `m` right-hand sides stored as rows of `B` (m × n). */
export function choleskySolveRows(L: Float64Array, n: number, B: Float64Array, m: number): void {
  for (let r = 0; r < m; r++) {
    const o = r * n;
    for (let i = 0; i < n; i++) {
      let s = B[o + i];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * B[o + k];
      B[o + i] = s / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = B[o + i];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * B[o + k];
      B[o + i] = s / L[i * n + i];
    }
  }
}

/** 2-norm condition number of a symmetric matrix (ratio of extreme |eigenvalues|; Infinity when singular). */
export function symmetricConditionNumber(M: Float64Array, n: number): number {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(M.subarray(i * n, (i + 1) * n)));
  const ev = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues;
  let lo = Infinity, hi = 0;
  for (const v of ev) {
    const a = Math.abs(v);
    lo = Math.min(lo, a);
    hi = Math.max(hi, a);
  }
  return lo === 0 ? Infinity : hi / lo;
}

/** C = A (m × k) · B (k × n), row-major. */
export function matmul(A: Float64Array, m: number, k: number, B: Float64Array, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      if (a === 0) continue;
      const bo = p * n;
      const co = i * n;
      for (let j = 0; j < n; j++) C[co + j] += a * B[bo + j];
    }
  }
  return C;
}

/** Result of {@link reduceRows}. */
export interface RowReduction {
  /** Orthonormal rows spanning the row space of M: k × n. */
  Q: Float64Array;
  /** The right-hand sides transformed alongside: k × p (so Q θ = R for every feasible θ). */
  R: Float64Array;
  /** Number of independent rows kept. */
  k: number;
  /** Indices of the kept rows (in order) and of the rows found dependent on earlier ones. */
  kept: number[];
  dropped: number[];
  /** For each dropped row: max |rhs − the same combination of the kept rows' rhs| (0 when consistent). */
  inconsistency: number[];
}

/**
 * Row-reduces the system M θ = rhs (M: m × n, rhs: m × p) by modified Gram–Schmidt with one
 * re-orthogonalisation pass. A row whose remainder after removing the span of the earlier kept rows
 * has norm ≤ `tol` · (its own norm) is dropped as dependent; the same combination applied to its
 * right-hand side gives the inconsistency of the system at that row.
 */
export function reduceRows(M: Float64Array, m: number, n: number, rhs: Float64Array, p: number, tol: number): RowReduction {
  const Q = new Float64Array(m * n);
  const R = new Float64Array(m * p);
  const kept: number[] = [];
  const dropped: number[] = [];
  const inconsistency: number[] = [];
  let k = 0;
  const v = new Float64Array(n);
  const w = new Float64Array(p);
  for (let i = 0; i < m; i++) {
    v.set(M.subarray(i * n, (i + 1) * n));
    w.set(rhs.subarray(i * p, (i + 1) * p));
    let norm0 = 0;
    for (let j = 0; j < n; j++) norm0 += v[j] * v[j];
    norm0 = Math.sqrt(norm0);
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < k; q++) {
        const qo = q * n;
        let dot = 0;
        for (let j = 0; j < n; j++) dot += Q[qo + j] * v[j];
        if (dot === 0) continue;
        for (let j = 0; j < n; j++) v[j] -= dot * Q[qo + j];
        const ro = q * p;
        for (let j = 0; j < p; j++) w[j] -= dot * R[ro + j];
      }
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += v[j] * v[j];
    norm = Math.sqrt(norm);
    if (norm0 === 0 || norm <= tol * norm0) {
      dropped.push(i);
      let bad = 0;
      for (let j = 0; j < p; j++) bad = Math.max(bad, Math.abs(w[j]));
      inconsistency.push(bad);
      continue;
    }
    const inv = 1 / norm;
    for (let j = 0; j < n; j++) Q[k * n + j] = v[j] * inv;
    for (let j = 0; j < p; j++) R[k * p + j] = w[j] * inv;
    kept.push(i);
    k++;
  }
  return { Q: Q.slice(0, k * n), R: R.slice(0, k * p), k, kept, dropped, inconsistency };
}

/**
 * Completes the orthonormal rows Q (k × n) to a basis of Rⁿ and returns the n × (n − k) matrix whose
 * columns are an orthonormal basis of the null space of Q (stored row-major: N[i*(n−k) + c]).
 * Unit vectors are orthogonalised against Q and the columns found so far (twice), taking the
 * largest remainders first. O(n³).
 */
export function nullSpaceBasis(Q: Float64Array, k: number, n: number): Float64Array {
  const dim = n - k;
  const basis = new Float64Array(dim * n); // rows = basis vectors
  let found = 0;
  const v = new Float64Array(n);
  // Pick unit vectors in order of their remainder after projecting out Q: e_j remainder² = 1 − Σ_q Q[q,j]².
  const order = Array.from({ length: n }, (_, j) => j);
  const rem = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let q = 0; q < k; q++) s += Q[q * n + j] * Q[q * n + j];
    rem[j] = 1 - s;
  }
  order.sort((a, b) => rem[b] - rem[a]);
  for (const j of order) {
    if (found === dim) break;
    v.fill(0);
    v[j] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < k; q++) {
        const qo = q * n;
        const dot = dotv(Q, qo, v, n);
        if (dot !== 0) for (let i = 0; i < n; i++) v[i] -= dot * Q[qo + i];
      }
      for (let q = 0; q < found; q++) {
        const bo = q * n;
        const dot = dotv(basis, bo, v, n);
        if (dot !== 0) for (let i = 0; i < n; i++) v[i] -= dot * basis[bo + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-8) continue;
    for (let i = 0; i < n; i++) basis[found * n + i] = v[i] / norm;
    found++;
  }
  // Transpose to n × dim (columns are the basis vectors).
  const N = new Float64Array(n * dim);
  for (let c = 0; c < found; c++) for (let i = 0; i < n; i++) N[i * dim + c] = basis[c * n + i];
  return N;
}

function dotv(A: Float64Array, o: number, v: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += A[o + i] * v[i];
  return s;
}

/** max |a_i|. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m || v !== v) m = v !== v ? Infinity : v;
  }
  return m;
}
