/**
 * Small dense linear algebra for weight matrices (at most a few hundred rows): the one adapter over
 * ml-matrix's decompositions used by src/mixing and src/train, taking and returning row-major
 * Float64Arrays. Not for hot loops.
 * @module
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';

function toMatrix(a: Float64Array, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m.set(r, c, a[r * cols + c]);
  return m;
}

function fromMatrix(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.columns);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.columns; c++) out[r * m.columns + c] = m.get(r, c);
  return out;
}

/** Singular values of a row-major `rows × cols` matrix, descending (min(rows, cols) of them). */
export function svdValues(a: Float64Array, rows: number, cols: number): Float64Array {
  // ml-matrix's SVD wants rows ≥ cols for the thin form; transpose wide matrices (same values).
  const m = rows >= cols ? toMatrix(a, rows, cols) : toMatrix(a, rows, cols).transpose();
  const svd = new SingularValueDecomposition(m, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true });
  const d = Float64Array.from(svd.diagonal).slice(0, Math.min(rows, cols));
  d.sort((x, y) => y - x);
  return d;
}

/** Eigen-decomposition of a symmetric `n × n` matrix: ascending values, eigenvectors as columns of `vectors` (row-major). */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const e = new EigenvalueDecomposition(toMatrix(a, n, n), { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const V = e.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, k) => k).sort((p, q) => vals[p] - vals[q]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((k, j) => {
    values[j] = vals[k];
    for (let r = 0; r < n; r++) vectors[r * n + j] = V.get(r, k);
  });
  return { values, vectors };
}

/** Solves `A X = B` for square `A` (n × n) and `B` (n × m), row-major, by LU with partial pivoting. Returns null when singular. */
export function solveSquare(A: Float64Array, n: number, B: Float64Array, m: number): Float64Array | null {
  const a = A.slice();
  const x = B.slice();
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[k * n + k]);
    for (let r = k + 1; r < n; r++) {
      const v = Math.abs(a[r * n + k]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (best === 0) return null;
    if (p !== k) {
      for (let c = 0; c < n; c++) {
        const t = a[k * n + c];
        a[k * n + c] = a[p * n + c];
        a[p * n + c] = t;
      }
      for (let c = 0; c < m; c++) {
        const t = x[k * m + c];
        x[k * m + c] = x[p * m + c];
        x[p * m + c] = t;
      }
    }
    const piv = a[k * n + k];
    for (let r = k + 1; r < n; r++) {
      const f = a[r * n + k] / piv;
      if (f === 0) continue;
      for (let c = k; c < n; c++) a[r * n + c] -= f * a[k * n + c];
      for (let c = 0; c < m; c++) x[r * m + c] -= f * x[k * m + c];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const piv = a[k * n + k];
    for (let c = 0; c < m; c++) {
      let s = x[k * m + c];
      for (let j = k + 1; j < n; j++) s -= a[k * n + j] * x[j * m + c];
      x[k * m + c] = s / piv;
    }
  }
  return x;
}

/** Row-major product `A (r × k) · B (k × c)`. */
export function matmul(A: Float64Array, r: number, k: number, B: Float64Array, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < k; j++) {
      const a = A[i * k + j];
      if (a === 0) continue;
      for (let l = 0; l < c; l++) out[i * c + l] += a * B[j * c + l];
    }
  }
  return out;
}

export { fromMatrix, toMatrix };
