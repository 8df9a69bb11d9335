/**
 * Symmetric and Hermitian eigendecompositions, one convention throughout: eigenvalues in
 * DESCENDING order and eigenvectors as ROWS of a row-major `vectors` array (row i ↔ value i).
 * @module
 * @internal
 */
import { NumericalError } from '../core/errors.js';

/**
 * Eigen-decomposition of a symmetric n×n matrix `a` (row-major, not modified).
 * Returns eigenvalues in DESCENDING order and eigenvectors as ROWS of `vectors` (row i ↔ value i).
 * Accuracy: backward stable, eigenvalue errors ~ n·eps·‖A‖. Cost ~ (4/3 + 9)·n³ flops.
 * @throws NumericalError when the QL iteration has not converged after 100 sweeps for one eigenvalue.
 * @example symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values // [3, 1]
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  // V holds the matrix, column-major as in JAMA (V[i][j] → v[i * n + j]); we work on a copy.
  const V = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(n, V, d, e);
  tql2(n, V, d, e);
  // tql2 sorts ascending with eigenvectors in columns of V; return descending, as rows.
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = n - 1 - k;
    values[k] = d[src];
    for (let i = 0; i < n; i++) vectors[k * n + i] = V[i * n + src];
  }
  return { values, vectors };
}

function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

function tql2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > 100) throw new NumericalError(`symmetricEigen: the QL iteration must converge within 100 sweeps; eigenvalue ${l} of ${n} did not`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            h = V[k * n + i + 1];
            V[k * n + i + 1] = s * V[k * n + i] + c * h;
            V[k * n + i] = c * V[k * n + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  // sort ascending
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = V[j * n + i];
        V[j * n + i] = V[j * n + k];
        V[j * n + k] = t;
      }
    }
  }
}

/**
 * Eigendecomposition of the Hermitian `M × M` matrix `A = Ar + i·Ai` (row-major planes) through its
 * real symmetric embedding `[[Ar, −Ai], [Ai, Ar]]` (2M × 2M), whose eigenvalues are those of A, each
 * twice. Returns A's M eigenvalues descending (`values`, the mean of each pair) and the embedding's
 * 2M orthonormal eigenvectors as rows of `vectors` (`[2M × 2M]` row-major, descending): a row
 * `[u; v]` is the complex vector `u + i·v`, and the rows 0…2K−1 span the dominant K-dimensional
 * complex subspace, so `Σ_q (qᵀ[ar; ai])²` over them is `aᴴ E_s E_sᴴ a`.
 * @example
 * const { values } = hermitianEigen(Float64Array.of(2, 0, 0, 1), Float64Array.of(0, 1, -1, 0), 2);
 */
export function hermitianEigen(Ar: Float64Array, Ai: Float64Array, M: number): { values: Float64Array; vectors: Float64Array } {
  const n = 2 * M;
  const e = new Float64Array(n * n);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      const r = Ar[i * M + j];
      const c = Ai[i * M + j];
      e[i * n + j] = r;
      e[(i + M) * n + j + M] = r;
      e[i * n + j + M] = -c;
      e[(i + M) * n + j] = c;
    }
  }
  const { values: v2, vectors } = symmetricEigen(e, n);
  const values = new Float64Array(M);
  for (let j = 0; j < M; j++) values[j] = 0.5 * (v2[2 * j] + v2[2 * j + 1]);
  return { values, vectors };
}

/**
 * 2-norm condition number of a symmetric matrix (ratio of extreme |eigenvalues|; Infinity when singular).
 * @example symmetricConditionNumber(Float64Array.of(4, 0, 0, 1), 2) // 4
 */
export function symmetricConditionNumber(M: Float64Array, n: number): number {
  const ev = symmetricEigen(M, n).values;
  let lo = Infinity, hi = 0;
  for (const v of ev) {
    const a = Math.abs(v);
    lo = Math.min(lo, a);
    hi = Math.max(hi, a);
  }
  return lo === 0 ? Infinity : hi / lo;
}
