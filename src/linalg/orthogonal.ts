/**
 * Orthogonalisation by modified Gram–Schmidt with re-orthogonalisation: orthonormal columns, row
 * reduction of a linear system, null-space completion. Row-major Float64Arrays, unchecked.
 * @module
 * @internal
 */

/**
 * Orthonormalises the `m` columns of `Q` (n×m row-major) in place by modified Gram–Schmidt, twice.
 * @example orthonormalizeColumns(Q, n, m) // Qᵀ Q = I (columns of norm 0 stay 0)
 */
export function orthonormalizeColumns(Q: Float64Array, n: number, m: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += Q[i * m + j] * Q[i * m + k];
        for (let i = 0; i < n; i++) Q[i * m + j] -= dot * Q[i * m + k];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += Q[i * m + j] * Q[i * m + j];
      norm = Math.sqrt(norm);
      if (norm > 0) for (let i = 0; i < n; i++) Q[i * m + j] /= norm;
    }
  }
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
 * @example const { Q, R, k } = reduceRows(A, m, n, B, p, 1e-12); // Q θ = R for every θ with A θ = B
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
 * @example const N = nullSpaceBasis(Q, k, n); // n × (n − k), Q N = 0, Nᵀ N = I
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
