/**
 * The one adapter over ml-matrix: its `Matrix` type as a weight input, its conversion to row-major
 * Float64Arrays, and its singular value decomposition. No other file imports ml-matrix.
 * @module
 * @internal
 */
import { AbstractMatrix, Matrix, SingularValueDecomposition } from 'ml-matrix';

export type { Matrix };

/**
 * Whether `m` is an ml-matrix matrix (any of its matrix classes).
 * @example isMlMatrix(new Matrix([[1]])) // true
 */
export function isMlMatrix(m: unknown): m is AbstractMatrix {
  return m instanceof AbstractMatrix;
}

/**
 * The entries of an ml-matrix matrix as a fresh row-major Float64Array, with its size.
 * @example fromMlMatrix(new Matrix([[1, 2]])) // { data: [1, 2], rows: 1, cols: 2 }
 */
export function fromMlMatrix(m: AbstractMatrix): { data: Float64Array; rows: number; cols: number } {
  return { data: Float64Array.from(m.to1DArray()), rows: m.rows, cols: m.columns };
}

function toMatrix(a: Float64Array, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m.set(r, c, a[r * cols + c]);
  return m;
}

/**
 * Singular values of a row-major `rows × cols` matrix, descending (min(rows, cols) of them).
 * @example svdValues(Float64Array.of(3, 0, 0, 4), 2, 2) // [4, 3]
 */
export function svdValues(a: Float64Array, rows: number, cols: number): Float64Array {
  // ml-matrix's SVD wants rows ≥ cols for the thin form; transpose wide matrices (same values).
  const m = rows >= cols ? toMatrix(a, rows, cols) : toMatrix(a, rows, cols).transpose();
  const svd = new SingularValueDecomposition(m, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true });
  const d = Float64Array.from(svd.diagonal).slice(0, Math.min(rows, cols));
  d.sort((x, y) => y - x);
  return d;
}
