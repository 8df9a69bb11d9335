/**
 * Parsing of the weight-matrix forms the mixing functions accept ({@link WeightsLike}) into one
 * row-major Float64Array with its shape, validated once.
 * @module
 */
import { fromMlMatrix, isMlMatrix, type Matrix } from '../linalg/ml-matrix.js';
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';

/**
 * A `Cout × Cin` weight matrix: an ml-matrix `Matrix`, nested arrays (`W[o][i]`), or a flat
 * row-major typed array with its shape (`data[o * cols + i]`).
 */
export type WeightsLike =
  | Matrix
  | readonly (readonly number[])[]
  | { readonly data: Float64Array | Float32Array; readonly rows: number; readonly cols: number };

/** A validated weight matrix: row-major `data[o * cols + i]` (a fresh copy). */
export interface DenseWeights {
  data: Float64Array;
  rows: number;
  cols: number;
}

/**
 * Converts any {@link WeightsLike} to a fresh row-major Float64Array, checking that it is a
 * non-empty rectangle of finite numbers.
 * @throws ArgumentTypeError for other kinds; ShapeError for ragged or empty matrices or a flat
 *   array whose length is not rows × cols; ValueError for NaN or ±Infinity (naming the entry).
 */
export function toDenseWeights(fn: string, name: string, W: unknown): DenseWeights {
  let data: Float64Array;
  let rows: number;
  let cols: number;
  if (isMlMatrix(W)) {
    ({ data, rows, cols } = fromMlMatrix(W));
  } else if (Array.isArray(W)) {
    rows = W.length;
    if (rows === 0) throw new ShapeError(message(fn, `${name} must have at least one row`, W));
    const first: unknown = W[0];
    if (!Array.isArray(first)) throw new ArgumentTypeError(message(fn, `${name} must be nested arrays W[out][in] of numbers`, first));
    cols = first.length;
    data = new Float64Array(rows * cols);
    for (let o = 0; o < rows; o++) {
      const row: unknown = W[o];
      if (!Array.isArray(row)) throw new ArgumentTypeError(message(fn, `${name}[${o}] must be an array of numbers`, row));
      if (row.length !== cols) throw new ShapeError(message(fn, `every row of ${name} must have ${cols} entries (row 0)`, { verbatim: `row ${o} of length ${row.length}` }));
      for (let i = 0; i < cols; i++) {
        const v: unknown = row[i];
        if (typeof v !== 'number') throw new ArgumentTypeError(message(fn, `${name}[${o}][${i}] must be a number`, v));
        data[o * cols + i] = v;
      }
    }
  } else if (typeof W === 'object' && W !== null && 'data' in W && 'rows' in W && 'cols' in W) {
    const w = W as { data: unknown; rows: unknown; cols: unknown };
    if (!(w.data instanceof Float64Array || w.data instanceof Float32Array)) {
      throw new ArgumentTypeError(message(fn, `${name}.data must be a Float64Array or Float32Array`, w.data));
    }
    if (typeof w.rows !== 'number' || !Number.isInteger(w.rows) || w.rows < 1) throw new ValueError(message(fn, `${name}.rows must be an integer ≥ 1`, w.rows));
    if (typeof w.cols !== 'number' || !Number.isInteger(w.cols) || w.cols < 1) throw new ValueError(message(fn, `${name}.cols must be an integer ≥ 1`, w.cols));
    rows = w.rows;
    cols = w.cols;
    if (w.data.length !== rows * cols) {
      throw new ShapeError(message(fn, `${name}.data must hold rows × cols = ${rows} × ${cols} = ${rows * cols} numbers`, w.data.length));
    }
    data = Float64Array.from(w.data);
  } else {
    throw new ArgumentTypeError(message(fn, `${name} must be an ml-matrix Matrix, nested arrays or {data, rows, cols}`, W));
  }
  if (rows === 0 || cols === 0) throw new ShapeError(message(fn, `${name} must not be empty`, { verbatim: `${rows} × ${cols}` }));
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (!(v - v === 0)) {
      const o = Math.floor(k / cols);
      throw new ValueError(message(fn, `${name} must hold only finite values`, { verbatim: `${v} at [${o}][${k - o * cols}]` }));
    }
  }
  return { data, rows, cols };
}

/**
 * Validates an optional bias of length `rows`; returns a Float64Array copy or undefined.
 * @throws ArgumentTypeError, ShapeError (wrong length), ValueError (non-finite).
 */
export function toBias(fn: string, name: string, bias: unknown, rows: number): Float64Array | undefined {
  if (bias === undefined || bias === null) return undefined;
  if (!(bias instanceof Float64Array || bias instanceof Float32Array || (Array.isArray(bias) && bias.every((v) => typeof v === 'number')))) {
    throw new ArgumentTypeError(message(fn, `${name} must be a number[], Float64Array or Float32Array`, bias));
  }
  const b = bias as ArrayLike<number>;
  if (b.length !== rows) throw new ShapeError(message(fn, `${name} length must equal the output channels (${rows})`, b.length));
  const out = Float64Array.from(b);
  for (let k = 0; k < out.length; k++) {
    if (!Number.isFinite(out[k])) throw new ValueError(message(fn, `${name} must hold only finite values`, { verbatim: `${out[k]} at index ${k}` }));
  }
  return out;
}
