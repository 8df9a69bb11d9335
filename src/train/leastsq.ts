/**
 * Closed-form least-squares fit of a 1×1 mix (the reference every trained mixer is compared with).
 * @module
 */
import { ArgumentTypeError, NumericalError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { assertPositive } from '../core/validate.js';
import { gemm } from '../linalg/gemm.js';
import { gemmNT } from '../linalg/products.js';
import { symmetricEigen } from '../linalg/eigen.js';
import { GramAccumulator } from './gram.js';

/** Options of {@link fitLeastSquares}. */
export interface LeastSquaresOptions {
  /** Ridge λ ≥ 0 added to the Gram matrix (penalises ‖W‖²_F, never the bias). Default 0. */
  ridge?: number;
  /** Fit a bias (intercept) per output (default true). */
  bias?: boolean;
  /**
   * Largest condition number of the system matrix `Xc Xcᵀ + λI` accepted before throwing
   * NumericalError (default 1e12: beyond it the normal-equation solution loses more than ~4 of 16
   * digits). Pass `Infinity` to solve anyway (singular directions are then dropped).
   */
  maxConditionNumber?: number;
}

/** A fitted 1×1 mix with its diagnostics. */
export interface LeastSquaresFit {
  /** `Cout × Cin` row-major. */
  weights: Float64Array;
  /** `Cout` intercepts (zeros when `bias: false`). */
  bias: Float64Array;
  outChannels: number;
  inChannels: number;
  /** Mean squared error of the fit over all `Cout·T` entries (the same quantity as {@link mseLoss}). */
  residual: number;
  /** Condition number (λmax/λmin, 2-norm) of the solved system `Xc Xcᵀ + λI` (Xc = x centred when fitting a bias). */
  conditionNumber: number;
}

/**
 * Least-squares 1×1 mix: minimises `Σ_{o,t} (Σ_i W[o,i] x[i,t] + b[o] − y[o,t])² + λ ‖W‖²_F`.
 *
 * Method: centre x and y per channel when fitting a bias (b = ȳ − W x̄, so the bias is never
 * penalised and the channel means do not worsen the conditioning), form the Gram matrix
 * `G = Xc Xcᵀ + λI` (Cin × Cin) and `R = Xc Ycᵀ`, eigen-decompose G and solve `Wᵀ = G⁻¹ R`.
 * Complexity `O((Cin² + Cin·Cout)·T + Cin³)`. Agrees with `numpy.linalg.lstsq` to ~1e-12 on
 * well-conditioned problems (normal equations square the condition number of x, hence the guard).
 *
 * Shapes: `x` `[Cin, T]`, `y` `[Cout, T]` → weights `Cout × Cin`, bias `Cout`.
 * @throws ShapeError when x and y have different lengths.
 * @throws NumericalError when the condition number of `G` exceeds `maxConditionNumber` (default
 *   1e12) — collinear or constant channels, or fewer samples than channels; the message gives the
 *   condition number and a ridge value that would bring it to about 1e8.
 * @example
 * const fit = fitLeastSquares(x, y, { ridge: 1e-6 });
 * const yHat = mix(x, { data: fit.weights, rows: fit.outChannels, cols: fit.inChannels }, fit.bias);
 */
export function fitLeastSquares(x: Multichannel, y: Multichannel, options: LeastSquaresOptions = {}): LeastSquaresFit {
  const fn = 'fitLeastSquares';
  assertMultichannel(fn, 'x', x);
  assertMultichannel(fn, 'y', y);
  if (x.length !== y.length) throw new ShapeError(message(fn, `y must have as many samples as x (${x.length})`, y.length));
  if (x.length === 0) throw new ShapeError(message(fn, 'x must not be empty', x));
  const { ridge, useBias, maxCond } = readOptions(fn, options);
  const Cin = x.channels;
  const Cout = y.channels;
  const T = x.length;
  // x and y are scaled by powers of two (exact), so x·xᵀ neither overflows for |x| up to the
  // largest double nor underflows for tiny ones; W = W'·sy/sx and b = b'·sy undo it exactly.
  const sx = powerOfTwoScale(fn, 'x', x.data);
  const sy = powerOfTwoScale(fn, 'y', y.data);
  const ridgeScaled = ridge / sx / sx;
  if (!(ridgeScaled <= 1e150)) {
    throw new NumericalError(message(fn, `ridge must be small next to max|x|² (ridge / max|x|² ≤ 1e150; scale x up or lower the ridge)`, { verbatim: `ridge ${ridge}, max|x| ≈ ${sx.toExponential(1)}` }));
  }
  const mx = new Float64Array(Cin);
  const my = new Float64Array(Cout);
  const xc = Float64Array.from(x.data, (v) => v / sx);
  const yc = Float64Array.from(y.data, (v) => v / sy);
  const xs = xc.slice();
  if (useBias) {
    for (const [a, m, C] of [[xc, mx, Cin], [yc, my, Cout]] as const) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let t = 0; t < T; t++) s += a[c * T + t];
        const mean = s / T;
        m[c] = mean;
        for (let t = 0; t < T; t++) a[c * T + t] -= mean;
      }
    }
  }
  const G = new Float64Array(Cin * Cin);
  gemmNT(xc, Cin, xc, Cin, T, G);
  const R = new Float64Array(Cin * Cout);
  gemmNT(xc, Cin, yc, Cout, T, R);
  const { W, b, cond } = solveNormalEquations(fn, G, R, mx, my, Cin, Cout, ridgeScaled, useBias, maxCond, sx * sx);
  // The residual in the scaled units, then scaled back (Infinity only if it really exceeds a double).
  const pred = new Float64Array(Cout * T);
  gemm(W, Cout, Cin, xs, T, pred, b);
  let sse = 0;
  for (let k = 0; k < pred.length; k++) {
    const d = pred[k] - y.data[k] / sy;
    sse += d * d;
  }
  for (let k = 0; k < W.length; k++) W[k] *= sy / sx;
  for (let o = 0; o < Cout; o++) b[o] *= sy;
  return { weights: W, bias: b, outChannels: Cout, inChannels: Cin, residual: (sse / (Cout * T)) * sy * sy, conditionNumber: cond };
}

/**
 * The power of two nearest the largest |value| of `a` (1 when all are 0), so `a / scale` lies in
 * [0.5, 2) at its largest and dividing by it is exact.
 * @throws ValueError when `a` holds NaN or ±Infinity.
 */
function powerOfTwoScale(fn: string, name: string, a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (!(v <= Number.MAX_VALUE)) throw new ValueError(message(fn, `${name} must hold finite numbers`, { verbatim: `${a[i]} at index ${i}` }));
    if (v > m) m = v;
  }
  if (m === 0) return 1;
  const e = Math.max(-1022, Math.min(1023, Math.round(Math.log2(m))));
  return 2 ** e;
}

/** The options of a least-squares fit, checked. */
function readOptions(fn: string, options: LeastSquaresOptions): { ridge: number; useBias: boolean; maxCond: number } {
  const ridge = options.ridge ?? 0;
  assertPositive(fn, 'options.ridge', ridge, true);
  const useBias = options.bias ?? true;
  const maxCond = options.maxConditionNumber ?? 1e12;
  if (typeof maxCond !== 'number') throw new ArgumentTypeError(message(fn, 'options.maxConditionNumber must be a number', maxCond));
  if (!(maxCond > 1)) throw new ValueError(message(fn, 'options.maxConditionNumber must be > 1 (or Infinity)', maxCond));
  return { ridge, useBias, maxCond };
}

/**
 * Solves the normal equations `(G + λI) Wᵀ = R` (G: Cin × Cin, R: Cin × Cout, both centred when
 * fitting a bias) by a symmetric eigendecomposition, guarding the condition number, and sets the
 * bias `b = ȳ − W x̄` (zeros without one). Adds the ridge to G in place. `gramScale` is the factor
 * by which the caller scaled G down, used only to suggest a ridge in the caller's units.
 */
function solveNormalEquations(fn: string, G: Float64Array, R: Float64Array, mx: Float64Array, my: Float64Array, Cin: number, Cout: number, ridge: number, useBias: boolean, maxCond: number, gramScale = 1): { W: Float64Array; b: Float64Array; cond: number } {
  for (let i = 0; i < Cin; i++) G[i * Cin + i] += ridge;
  const { values, vectors } = symmetricEigen(G, Cin); // descending, eigenvectors as rows
  const lmax = values[0];
  const lmin = values[Cin - 1];
  const cond = lmax <= 0 ? Infinity : lmin <= 0 ? Infinity : lmax / lmin;
  if (!(cond <= maxCond)) {
    const suggest = lmax > 0 ? (lmax * gramScale * 1e-8).toExponential(1) : '1';
    throw new NumericalError(
      message(fn, `the system x·xᵀ + ridge·I must be well conditioned (condition number ≤ ${maxCond.toExponential(0)}); ` +
        `x has collinear, constant or too few samples for its channels — try { ridge: ${suggest} } or remove redundant channels`, { verbatim: Number.isFinite(cond) ? `condition number ${cond.toExponential(3)}` : 'condition number Infinity (numerically singular)' }),
    );
  }
  // Wᵀ = V diag(1/λ) Vᵀ R, dropping directions with λ ≤ λmax·1e-15 when the guard is disabled;
  // j runs over the eigenpairs from the smallest value up (eigenpair Cin − 1 − j).
  const cut = lmax * 1e-15;
  const VtR = new Float64Array(Cin * Cout);
  for (let j = 0; j < Cin; j++) {
    const v = (Cin - 1 - j) * Cin;
    const lj = values[Cin - 1 - j];
    const inv = lj > cut ? 1 / lj : 0;
    for (let o = 0; o < Cout; o++) {
      let s = 0;
      for (let r = 0; r < Cin; r++) s += vectors[v + r] * R[r * Cout + o];
      VtR[j * Cout + o] = s * inv;
    }
  }
  const W = new Float64Array(Cout * Cin);
  for (let i = 0; i < Cin; i++) {
    for (let o = 0; o < Cout; o++) {
      let s = 0;
      for (let j = 0; j < Cin; j++) s += vectors[(Cin - 1 - j) * Cin + i] * VtR[j * Cout + o];
      W[o * Cin + i] = s;
    }
  }
  const b = new Float64Array(Cout);
  if (useBias) {
    for (let o = 0; o < Cout; o++) {
      let s = my[o];
      for (let i = 0; i < Cin; i++) s -= W[o * Cin + i] * mx[i];
      b[o] = s;
    }
  }
  return { W, b, cond };
}

/**
 * {@link fitLeastSquares} from Gram sums gathered (and merged) in a {@link GramAccumulator}: the same
 * normal equations and solve, with the centred (bias) or uncentred (no bias) sums in place of the
 * pass over the samples, so tiles fitted apart and merged give the whole-data fit (to rounding).
 *
 * `residual` (the MSE) comes from the sums, `(Σ‖y‖² − 2 tr(W Sxy) + tr(W Sxx Wᵀ)) / (Cout·n)` over
 * centred sums with a bias: accurate to about 1e-16·‖y‖²/SSE relative, so use a direct pass
 * (`mix`) when the fit is nearly exact.
 * @example
 * const acc = new GramAccumulator(8, 2);
 * for (const [x, y] of tiles) acc.add(x, y);
 * const fit = fitLeastSquaresFromGram(acc); // = fitLeastSquares(allX, allY) to ~1e-12
 * @throws ArgumentTypeError when acc is not a GramAccumulator; ShapeError when it holds no sample;
 * NumericalError as {@link fitLeastSquares}.
 */
export function fitLeastSquaresFromGram(acc: GramAccumulator, options: LeastSquaresOptions = {}): LeastSquaresFit {
  const fn = 'fitLeastSquaresFromGram';
  if (!(acc instanceof GramAccumulator)) throw new ArgumentTypeError(message(fn, 'acc must be a GramAccumulator', acc));
  const { ridge, useBias, maxCond } = readOptions(fn, options);
  if (acc.count === 0) throw new ShapeError(message(fn, 'acc must hold at least one sample', 0));
  const { inChannels: Cin, outChannels: Cout } = acc;
  let G: Float64Array, R: Float64Array, Syy: Float64Array, mx: Float64Array, my: Float64Array;
  const n = acc.count;
  if (useBias) {
    const c = acc.centred();
    ({ xx: G, xy: R, yy: Syy, meanX: mx, meanY: my } = c);
  } else {
    const r = acc.raw();
    G = r.xx;
    R = new Float64Array(Cin * Cout);
    for (let o = 0; o < Cout; o++) for (let i = 0; i < Cin; i++) R[i * Cout + o] = r.yx[o * Cin + i];
    Syy = new Float64Array(Cout * Cout);
    Syy[0] = r.yy; // only the trace is used
    mx = new Float64Array(Cin);
    my = new Float64Array(Cout);
  }
  const Sxx = G.slice();
  const { W, b, cond } = solveNormalEquations(fn, G, R, mx, my, Cin, Cout, ridge, useBias, maxCond);
  let sse = 0;
  if (useBias) for (let o = 0; o < Cout; o++) sse += Syy[o * Cout + o];
  else sse = Syy[0];
  for (let o = 0; o < Cout; o++) {
    for (let i = 0; i < Cin; i++) {
      const w = W[o * Cin + i];
      sse -= 2 * w * R[i * Cout + o];
      let q = 0;
      for (let j = 0; j < Cin; j++) q += Sxx[i * Cin + j] * W[o * Cin + j];
      sse += w * q;
    }
  }
  return { weights: W, bias: b, outChannels: Cout, inChannels: Cin, residual: Math.max(sse, 0) / (Cout * n), conditionNumber: cond };
}
