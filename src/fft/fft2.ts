/**
 * Two-dimensional transforms with numpy.fft's layout and normalisation: {@link fft2}, {@link ifft2},
 * {@link rfft2}, {@link irfft2}, and {@link Real2dPlan}, the row-then-column real transform that
 * 2-D FFT convolution (src/convolve/convolve2d.ts) runs per band.
 *
 * Arrays are row-major: element `(r, c)` of a `rows × cols` array is at index `r · cols + c`.
 * @module
 */
import { ArgumentTypeError, ShapeError, message } from '../core/errors.js';
import { assertAllFinite, assertInteger, assertOneOf } from '../core/validate.js';
import { complexPlan, realPlan, type ComplexFft, type RealFft } from './plan.js';
import type { FftNorm } from './transforms.js';

/** A real 2-D array, row-major: `data[r · cols + c]`. */
export interface Array2D {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

/** A complex 2-D array as two row-major planes of `rows × cols`. */
export interface Complex2D {
  re: Float64Array;
  im: Float64Array;
  rows: number;
  cols: number;
}

/** What the 2-D transforms accept as a real array: `number[][]` (rows of equal length) or {@link Array2D}. */
export type Array2DLike = readonly (readonly number[])[] | Array2D;

/** Options of {@link fft2}, {@link ifft2}, {@link rfft2}, {@link irfft2}. */
export interface Fft2Options {
  /**
   * Transform shape `[rows, cols]` (numpy's `s`): each axis of the input is cropped or zero-padded to
   * it. For {@link irfft2} it is the shape of the real output (default `[rows, 2·(cols − 1)]`).
   */
  s?: readonly [number, number];
  /** Normalisation over the `s[0]·s[1]` points (default 'backward'), as numpy: see {@link FftNorm}. */
  norm?: FftNorm;
}

const NORMS: readonly FftNorm[] = ['backward', 'ortho', 'forward'];

/**
 * A real 2-D array in row-major Float64 form from `number[][]` or `{ data, rows, cols }`.
 * @throws ArgumentTypeError for anything else; ShapeError for ragged rows, a data length that is not
 *   rows × cols, or (unless `allowEmpty`) an empty array; ValueError for non-finite values.
 * @internal
 */
export function asArray2D(fn: string, name: string, x: unknown, allowEmpty = false): { data: ArrayLike<number>; rows: number; cols: number } {
  let out: { data: ArrayLike<number>; rows: number; cols: number };
  if (Array.isArray(x)) {
    const rows = x.length;
    if (rows > 0 && !x.every((r) => Array.isArray(r))) throw new ArgumentTypeError(message(fn, `${name} must be a number[][] (rows of numbers) or { data, rows, cols }`, x));
    const cols = rows === 0 ? 0 : (x[0] as unknown[]).length;
    const data = new Float64Array(rows * cols);
    x.forEach((r: unknown[], i) => {
      if (r.length !== cols) throw new ShapeError(message(fn, `every row of ${name} must have ${cols} entries (row 0)`, { verbatim: `row ${i} of length ${r.length}` }));
      r.forEach((v, j) => {
        if (typeof v !== 'number') throw new ArgumentTypeError(message(fn, `${name} must hold numbers`, { verbatim: `${typeof v} at row ${i}, column ${j}` }));
        data[i * cols + j] = v;
      });
    });
    out = { data, rows, cols };
  } else if (typeof x === 'object' && x !== null && 'data' in x && 'rows' in x && 'cols' in x) {
    const { data, rows, cols } = x as Array2D;
    if (!(data instanceof Float64Array || data instanceof Float32Array || Array.isArray(data))) {
      throw new ArgumentTypeError(message(fn, `${name}.data must be a Float64Array, Float32Array or number[]`, data));
    }
    assertInteger(fn, `${name}.rows`, rows, 0);
    assertInteger(fn, `${name}.cols`, cols, 0);
    if (data.length !== rows * cols) throw new ShapeError(message(fn, `${name}.data must hold rows × cols = ${rows} × ${cols} = ${rows * cols} values`, data.length));
    out = { data, rows, cols };
  } else {
    throw new ArgumentTypeError(message(fn, `${name} must be a number[][] (rows of numbers) or { data, rows, cols }`, x));
  }
  if (!allowEmpty && out.rows * out.cols === 0) throw new ShapeError(message(fn, `${name} must not be empty`, { verbatim: `${out.rows} × ${out.cols}` }));
  assertAllFinite(fn, name, out.data);
  return out;
}

function asComplex2D(fn: string, name: string, x: unknown): { re: ArrayLike<number>; im: ArrayLike<number> | null; rows: number; cols: number } {
  if (typeof x === 'object' && x !== null && 're' in x && 'rows' in x && 'cols' in x) {
    const { re, im, rows, cols } = x as Complex2D;
    assertInteger(fn, `${name}.rows`, rows, 1);
    assertInteger(fn, `${name}.cols`, cols, 1);
    for (const [k, a] of [['re', re as unknown], ['im', im as unknown]] as const) {
      if (k === 'im' && (a === undefined || a === null)) continue;
      if (!(a instanceof Float64Array || a instanceof Float32Array || Array.isArray(a))) throw new ArgumentTypeError(message(fn, `${name}.${k} must be a Float64Array, Float32Array or number[]`, a));
      if (a.length !== rows * cols) throw new ShapeError(message(fn, `${name}.${k} must hold rows × cols = ${rows} × ${cols} = ${rows * cols} values`, a.length));
      assertAllFinite(fn, `${name}.${k}`, a);
    }
    return { re, im: im ?? null, rows, cols };
  }
  const a = asArray2D(fn, name, x);
  return { re: a.data, im: null, rows: a.rows, cols: a.cols };
}

function shapeOption(fn: string, options: Fft2Options | undefined, fallback: [number, number]): [number, number] {
  const s = options?.s;
  if (s === undefined) return fallback;
  if (!Array.isArray(s) || s.length !== 2) throw new ShapeError(message(fn, 'options.s must be [rows, cols]', s));
  assertInteger(fn, 'options.s[0]', s[0], 1);
  assertInteger(fn, 'options.s[1]', s[1], 1);
  return [s[0], s[1]];
}

function normScale(fn: string, norm: unknown, n: number, inverse: boolean): number {
  const nm = norm === undefined ? 'backward' : assertOneOf(fn, 'options.norm', norm, NORMS);
  if (nm === 'ortho') return 1 / Math.sqrt(n);
  if (nm === 'backward') return inverse ? 1 / n : 1;
  return inverse ? 1 : 1 / n;
}

/** Complex transform of every column of an interleaved row-major `R × W` buffer, in place. */
function transformColumns(buf: Float64Array, R: number, W: number, plan: ComplexFft, inverse: boolean, col: Float64Array): void {
  for (let c = 0; c < W; c++) {
    for (let r = 0, i = 2 * c; r < R; r++, i += 2 * W) {
      col[2 * r] = buf[i];
      col[2 * r + 1] = buf[i + 1];
    }
    if (inverse) plan.inverse(col, col);
    else plan.forward(col, col);
    for (let r = 0, i = 2 * c; r < R; r++, i += 2 * W) {
      buf[i] = col[2 * r];
      buf[i + 1] = col[2 * r + 1];
    }
  }
}

function complex2d(fn: string, x: unknown, options: Fft2Options | undefined, inverse: boolean): Complex2D {
  const a = asComplex2D(fn, 'x', x);
  const [R, W] = shapeOption(fn, options, [a.rows, a.cols]);
  const scale = normScale(fn, options?.norm, R * W, inverse);
  const buf = new Float64Array(2 * R * W);
  const rowPlan = complexPlan(W);
  const rows = Math.min(R, a.rows), cols = Math.min(W, a.cols);
  for (let r = 0; r < rows; r++) {
    const row = buf.subarray(2 * r * W, 2 * (r + 1) * W);
    for (let c = 0; c < cols; c++) {
      row[2 * c] = a.re[r * a.cols + c];
      row[2 * c + 1] = a.im === null ? 0 : a.im[r * a.cols + c];
    }
    if (inverse) rowPlan.inverse(row, row);
    else rowPlan.forward(row, row);
  }
  transformColumns(buf, R, W, complexPlan(R), inverse, new Float64Array(2 * R));
  const re = new Float64Array(R * W), im = new Float64Array(R * W);
  for (let k = 0; k < R * W; k++) {
    re[k] = scale * buf[2 * k];
    im[k] = scale * buf[2 * k + 1];
  }
  return { re, im, rows: R, cols: W };
}

/**
 * 2-D discrete Fourier transform, as `numpy.fft.fft2(x, s, norm=norm)`:
 * `X[k, l] = Σ_{r,c} x[r, c] e^{−2πi (kr/R + lc/W)}` (times the norm factor), computed as 1-D
 * transforms of every row, then of every column (src/fft/plan.ts; any sizes).
 *
 * Shapes: `[rows, cols] → s` (default `[rows, cols]`). x is real (`number[][]`, `{ data, rows, cols }`)
 * or complex (`{ re, im, rows, cols }`, im optional). Complexity O(R·W·log(R·W)). Agrees with numpy
 * within 1e-10 of the largest output (tested; typically ~1e-15, test/fixtures/refs/conv2d.json).
 * @throws ArgumentTypeError for anything that is not a 2-D array; ShapeError for ragged rows,
 *   mismatched lengths, empty input or a bad `s`; ValueError for non-finite values or an unknown norm.
 * @example
 * fft2([[1, 2], [3, 4]]).re; // Float64Array [10, -2, -4, 0]
 */
export function fft2(x: Array2DLike | Complex2D, options?: Fft2Options): Complex2D {
  return complex2d('fft2', x, options, false);
}

/**
 * Inverse 2-D DFT, as `numpy.fft.ifft2(X, s, norm=norm)`: with the default 'backward' norm,
 * `x[r, c] = (1/(R·W)) Σ_{k,l} X[k, l] e^{+2πi (kr/R + lc/W)}`. Shapes, complexity and errors as {@link fft2}.
 * @example
 * ifft2(fft2([[1, 2], [3, 4]])).re; // ≈ [1, 2, 3, 4]
 */
export function ifft2(X: Complex2D | Array2DLike, options?: Fft2Options): Complex2D {
  return complex2d('ifft2', X, options, true);
}

/**
 * The real 2-D transform of one size `R × W` on a column-major half spectrum: bin `(k, l)` (k < R
 * frequency rows, l < bins = floor(W/2)+1 frequency columns) lives at `spec[2·(l·R + k)]` (re) and
 * `+1` (im), so each frequency column is contiguous for the column transforms. {@link rfft2} and
 * {@link irfft2} use it and reorder to numpy's layout; 2-D convolution multiplies spectra in this
 * layout directly. Plans own scratch buffers (not re-entrant); build one per thread.
 * @internal
 */
export class Real2dPlan {
  readonly bins: number;
  private readonly rowPlan: RealFft;
  private readonly colPlan: ComplexFft;
  private readonly rowSpec: Float64Array;
  private readonly row: Float64Array;

  constructor(readonly R: number, readonly W: number) {
    this.rowPlan = realPlan(W);
    this.colPlan = complexPlan(R);
    this.bins = this.rowPlan.bins;
    this.rowSpec = new Float64Array(2 * this.bins);
    this.row = new Float64Array(W);
  }

  /** Length of a spectrum buffer: 2 · R · bins. */
  get specLength(): number {
    return 2 * this.R * this.bins;
  }

  /**
   * `spec ← DFT2` (unnormalised) of the `rows × cols` row-major block of `x` starting at `offset`
   * (row stride `cols`), zero-padded to `R × W` (rows ≤ R, cols ≤ W).
   */
  forward(x: ArrayLike<number>, offset: number, rows: number, cols: number, spec: Float64Array): void {
    this.forwardRows(x, offset, rows, cols, spec);
    const { R, bins, colPlan } = this;
    for (let l = 0; l < bins; l++) {
      const col = spec.subarray(2 * l * R, 2 * (l + 1) * R);
      colPlan.forward(col, col);
    }
  }

  /**
   * Inverse of {@link forward} times `scale` (`scale = 1/(R·W)` is the normalised inverse), keeping
   * rows `[r0, r0 + rows)` and columns `[c0, c0 + cols)` of the `R × W` result: they are written
   * row-major (stride `cols`) into `out` from `outOffset`. `spec` is overwritten.
   */
  inverse(spec: Float64Array, scale: number, r0: number, rows: number, c0: number, cols: number, out: { [i: number]: number }, outOffset: number): void {
    const { R, bins, colPlan } = this;
    for (let l = 0; l < bins; l++) {
      const col = spec.subarray(2 * l * R, 2 * (l + 1) * R);
      colPlan.inverse(col, col);
    }
    this.inverseRows(spec, scale, r0, rows, c0, cols, out, outOffset);
  }

  /**
   * Circular 2-D convolution on the grid: `forward` of the image block, times the spectrum `H`
   * (same layout, normalisation folded in), then `inverse` with scale 1 into the kept rectangle.
   * Each frequency column is transformed, multiplied and transformed back while it is in cache.
   * `spec` is scratch of {@link specLength}.
   */
  convolve(x: ArrayLike<number>, offset: number, rows: number, cols: number, H: Float64Array, spec: Float64Array, r0: number, outRows: number, c0: number, outCols: number, out: { [i: number]: number }, outOffset: number): void {
    this.forwardRows(x, offset, rows, cols, spec);
    const { R, bins, colPlan } = this;
    for (let l = 0; l < bins; l++) {
      const a = 2 * l * R, b = a + 2 * R;
      const col = spec.subarray(a, b);
      colPlan.forward(col, col);
      // the inverse as conj(DFT(conj(·))): store the conjugated product, and let inverseRows conjugate back
      for (let i = a; i < b; i += 2) {
        const xr = spec[i], xi = spec[i + 1], hr = H[i], hi = H[i + 1];
        spec[i] = xr * hr - xi * hi;
        spec[i + 1] = -(xr * hi + xi * hr);
      }
      colPlan.forward(col, col);
    }
    this.inverseRows(spec, 1, r0, outRows, c0, outCols, out, outOffset, -1);
  }

  /** Real FFT of each row into the column-major layout, columns zero-filled below `rows`. */
  private forwardRows(x: ArrayLike<number>, offset: number, rows: number, cols: number, spec: Float64Array): void {
    const { R, bins, rowSpec, rowPlan } = this;
    for (let r = 0; r < rows; r++) {
      rowPlan.forwardInterleaved(x, offset + r * cols, cols, rowSpec);
      for (let l = 0, i = 2 * r; l < bins; l++, i += 2 * R) {
        spec[i] = rowSpec[2 * l];
        spec[i + 1] = rowSpec[2 * l + 1];
      }
    }
    if (rows < R) for (let l = 0; l < bins; l++) spec.fill(0, 2 * (l * R + rows), 2 * (l + 1) * R);
  }

  /**
   * Inverse real FFT of rows `[r0, r0 + rows)` after the column inverses, cropped to columns
   * `[c0, c0 + cols)`; `imSign = −1` reads the columns conjugated.
   */
  private inverseRows(spec: Float64Array, scale: number, r0: number, rows: number, c0: number, cols: number, out: { [i: number]: number }, outOffset: number, imSign = 1): void {
    const { R, bins, rowSpec, rowPlan, row } = this;
    for (let r = 0; r < rows; r++) {
      for (let l = 0, i = 2 * (r0 + r); l < bins; l++, i += 2 * R) {
        rowSpec[2 * l] = spec[i];
        rowSpec[2 * l + 1] = imSign * spec[i + 1];
      }
      rowPlan.inverseInterleaved(rowSpec, row, scale);
      const o = outOffset + r * cols;
      for (let c = 0; c < cols; c++) out[o + c] = row[c0 + c];
    }
  }
}

/**
 * 2-D DFT of a real array, as `numpy.fft.rfft2(x, s, norm=norm)`: the full transform along rows
 * (axis 0) of the half spectrum along columns (axis 1), `s[0] × (floor(s[1]/2) + 1)` bins.
 *
 * Shapes: `[rows, cols] → [s0, floor(s1/2)+1]` (s defaults to `[rows, cols]`). Complexity
 * O(R·W·log(R·W)), about half of {@link fft2}.
 * @throws as {@link fft2}.
 * @example
 * rfft2([[1, 2], [3, 4]]); // re [10, -2, -4, 0], im 0, rows 2, cols 2
 */
export function rfft2(x: Array2DLike, options?: Fft2Options): Complex2D {
  const fn = 'rfft2';
  const a = asArray2D(fn, 'x', x);
  const [R, W] = shapeOption(fn, options, [a.rows, a.cols]);
  const scale = normScale(fn, options?.norm, R * W, false);
  const plan = new Real2dPlan(R, W);
  const spec = new Float64Array(plan.specLength);
  const rows = Math.min(R, a.rows), cols = Math.min(W, a.cols);
  const src = cols === a.cols ? a.data : cropColumns(a.data, a.rows, a.cols, rows, cols);
  plan.forward(src, 0, rows, cols, spec);
  const B = plan.bins;
  const re = new Float64Array(R * B), im = new Float64Array(R * B);
  for (let k = 0; k < R; k++) {
    for (let l = 0; l < B; l++) {
      re[k * B + l] = scale * spec[2 * (l * R + k)];
      im[k * B + l] = scale * spec[2 * (l * R + k) + 1];
    }
  }
  return { re, im, rows: R, cols: B };
}

function cropColumns(data: ArrayLike<number>, rows: number, cols: number, keepRows: number, keepCols: number): Float64Array {
  void rows;
  const out = new Float64Array(keepRows * keepCols);
  for (let r = 0; r < keepRows; r++) for (let c = 0; c < keepCols; c++) out[r * keepCols + c] = data[r * cols + c];
  return out;
}

/**
 * Inverse of {@link rfft2}, as `numpy.fft.irfft2(X, s, norm=norm)`: a real `s[0] × s[1]` array
 * (default `[rows, 2·(cols − 1)]`) from a half spectrum of `rows × cols` bins. Along axis 0 the
 * spectrum is cropped or zero-padded to s[0]; along axis 1 to floor(s[1]/2)+1 bins; the imaginary
 * parts that a real signal cannot have (bin 0 and, for even s[1], bin s[1]/2 of each row after the
 * inverse along axis 0) are ignored, as numpy does.
 *
 * Shapes: `[rows, cols] → s`. Complexity O(R·W·log(R·W)).
 * @throws ArgumentTypeError when X is not `{ re, im, rows, cols }`; ShapeError for mismatched lengths,
 *   a bad `s`, or cols < 2 without `s`; ValueError as {@link fft2}.
 * @example
 * irfft2(rfft2([[1, 2], [3, 4]])).data; // ≈ [1, 2, 3, 4]
 * irfft2(rfft2({ data: [1, 2, 3], rows: 1, cols: 3 }), { s: [1, 3] }); // odd widths need s
 */
export function irfft2(X: Complex2D, options?: Fft2Options): { data: Float64Array; rows: number; cols: number } {
  const fn = 'irfft2';
  if (typeof X !== 'object' || X === null || !('re' in X) || !('im' in X)) throw new ArgumentTypeError(message(fn, 'X must be { re, im, rows, cols }', X));
  const a = asComplex2D(fn, 'X', X);
  if (options?.s === undefined && a.cols < 2) throw new ShapeError(message(fn, 'X needs at least 2 columns of bins when options.s is not given (s[1] = 2·(cols − 1))', a.cols));
  const [R, W] = shapeOption(fn, options, [a.rows, 2 * (a.cols - 1)]);
  const scale = normScale(fn, options?.norm, R * W, true);
  const plan = new Real2dPlan(R, W);
  const B = plan.bins;
  const spec = new Float64Array(plan.specLength);
  const rows = Math.min(R, a.rows), cols = Math.min(B, a.cols);
  for (let k = 0; k < rows; k++) {
    for (let l = 0; l < cols; l++) {
      spec[2 * (l * R + k)] = a.re[k * a.cols + l];
      spec[2 * (l * R + k) + 1] = a.im === null ? 0 : a.im[k * a.cols + l];
    }
  }
  const data = new Float64Array(R * W);
  plan.inverse(spec, scale, 0, R, 0, W, data, 0);
  return { data, rows: R, cols: W };
}
