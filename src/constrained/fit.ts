/**
 * Least-squares 1×1 mixers under linear equality constraints, and projection onto the feasible set.
 * @module
 */
import { ArgumentTypeError, NumericalError, ShapeError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { assertAllFinite, assertPositive } from '../core/validate.js';
import { PointwiseMixer } from '../mixing/mixer.js';
import { LinearConstraints } from './constraints.js';
import { GramAccumulator } from '../train/gram.js';
import { symmetricConditionNumber } from '../linalg/eigen.js';
import { reduceRows, type RowReduction } from '../linalg/orthogonal.js';
import { gramStats, type GramStats } from '../linalg/products.js';
import { cholesky, choleskySolveRows } from '../linalg/solve.js';

/** Options of {@link fitConstrainedMixer}. */
export interface ConstrainedFitOptions {
  /** Ridge λ ≥ 0: adds λ‖W‖²_F to the objective (never the bias). Default 0. */
  ridge?: number;
  /**
   * Fit a bias (default true, as fitLeastSquares). The structured rows then also hold on the bias:
   * `A b = c` (c = `biasTarget`, 0 for conservation, so the bias creates no conserved quantity).
   */
  bias?: boolean;
  /** Largest condition number of the augmented Gram matrix accepted (default 1e12). */
  maxConditionNumber?: number;
}

/** A fitted constrained mixer with its diagnostics. */
export interface ConstrainedFit {
  /** The fitted layer (a PointwiseMixer: forward, backward, training). */
  mixer: PointwiseMixer;
  /** `Cout × Cin` row-major (a copy of `mixer.weights`). */
  weights: Float64Array;
  /** `Cout` offsets (zeros without a bias). */
  bias: Float64Array;
  outChannels: number;
  inChannels: number;
  /** ‖W x + b − y‖_F of the constrained fit (from the Gram matrices; see the notes on accuracy). */
  residual: number;
  /** ‖W x + b − y‖_F of the unconstrained fit with the same ridge and bias (never above `residual`). */
  unconstrainedResidual: number;
  /** Mean squared error `residual² / (Cout·T)` (the quantity fitLeastSquares calls `residual`). */
  mse: number;
  /** max |A W − B|, |A b − c|, |C vec(W) − d| of the result. */
  violation: number;
  /**
   * Lagrange multipliers of the structured rows, r × Cin row-major (plus r bias multipliers appended
   * when fitting a bias), for the Lagrangian `‖W X − Y‖²_F + λ‖W‖²_F + Σ Λ ∘ (A W − B)`:
   * `2(W G − Y Xᵀ) + AᵀΛ = 0`. Entry `k·Cin + i` belongs to row `k·Cin + i` of the expanded form
   * (A ⊗ I) vec(W) = vec(B). Undefined when general rows are present.
   */
  multipliers?: Float64Array;
  /** Condition number of the (augmented, ridged) Gram matrix. */
  conditionNumber: number;
  /** 'projection' (structured rows only) or 'range-space' (general rows present). */
  method: 'projection' | 'range-space';
  /** Names of constraint rows dropped as linearly dependent when the constraints were built. */
  droppedConstraints: readonly string[];
}

interface Prepared {
  cout: number;
  cin: number;
  p: number; // cin + (bias ? 1 : 0)
  bias: boolean;
  G: Float64Array; // p × p augmented Gram, ridge added on the W block
  G0: Float64Array; // without ridge
  S: Float64Array; // cout × p
  stats: GramStats;
}

/** The ridge and bias options, checked against the constraints. */
function readOptions(fn: string, constraints: LinearConstraints, options: ConstrainedFitOptions): { ridge: number; bias: boolean } {
  const ridge = options.ridge ?? 0;
  assertPositive(fn, 'options.ridge', ridge, true);
  const bias = options.bias ?? true;
  if (typeof bias !== 'boolean') throw new ArgumentTypeError(message(fn, 'options.bias must be a boolean', bias));
  if (!bias && constraints.needsBias) {
    throw new NumericalError(message(fn, 'the constraints fix A b = c with c ≠ 0, so the fit needs a bias', { verbatim: 'bias: false' }));
  }
  return { ridge, bias };
}

function prepare(fn: string, xIn: unknown, yIn: unknown, constraints: unknown, options: ConstrainedFitOptions): Prepared {
  const x = assertMultichannel(fn, 'x', xIn);
  const y = assertMultichannel(fn, 'y', yIn);
  if (!(constraints instanceof LinearConstraints)) throw new ArgumentTypeError(message(fn, 'constraints must be a LinearConstraints', constraints));
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
  if (x.length === 0) throw new ShapeError(message(fn, 'x must not be empty', x));
  if (y.length !== x.length) throw new ShapeError(message(fn, `y must have as many samples as x (${x.length})`, y.length));
  if (x.channels !== constraints.inChannels) throw new ShapeError(message(fn, `x must have the constraints' inChannels = ${constraints.inChannels} channels`, x.channels));
  if (y.channels !== constraints.outChannels) throw new ShapeError(message(fn, `y must have the constraints' outChannels = ${constraints.outChannels} channels`, y.channels));
  assertAllFinite(fn, 'x', x.data);
  assertAllFinite(fn, 'y', y.data);
  const { ridge, bias } = readOptions(fn, constraints, options);
  const cin = x.channels, cout = y.channels;
  const stats = gramStats(x.data, cin, y.data, cout, x.length);
  if (![stats.xx, stats.yx, stats.sx, stats.sy, [stats.yy]].every((v) => Array.prototype.every.call(v, Number.isFinite))) {
    let mx = 0, my = 0;
    for (const v of x.data) mx = Math.max(mx, Math.abs(v));
    for (const v of y.data) my = Math.max(my, Math.abs(v));
    throw new NumericalError(
      message(fn, 'the products x xᵀ, y xᵀ and y yᵀ must be finite in float64 (|x| and |y| below about 1e150); scale x and y by one power of two s (the weights stay, the bias and biasTarget scale by s)', { verbatim: `max |x| = ${mx.toExponential(3)}, max |y| = ${my.toExponential(3)}` }),
    );
  }
  return prepareFromStats(stats, cin, cout, bias, ridge);
}

/** The augmented Gram matrices of {@link Prepared} from the sums (validated by the caller). */
function prepareFromStats(stats: GramStats, cin: number, cout: number, bias: boolean, ridge: number): Prepared {
  const p = cin + (bias ? 1 : 0);
  const G0 = new Float64Array(p * p);
  for (let i = 0; i < cin; i++) for (let j = 0; j < cin; j++) G0[i * p + j] = stats.xx[i * cin + j];
  const S = new Float64Array(cout * p);
  for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) S[o * p + i] = stats.yx[o * cin + i];
  if (bias) {
    for (let i = 0; i < cin; i++) G0[i * p + cin] = G0[cin * p + i] = stats.sx[i];
    G0[cin * p + cin] = stats.n;
    for (let o = 0; o < cout; o++) S[o * p + cin] = stats.sy[o];
  }
  const G = G0.slice();
  for (let i = 0; i < cin; i++) G[i * p + i] += ridge;
  return { cout, cin, p, bias, G, G0, S, stats };
}

/** ‖W̃ X̃ − Y‖²_F from the Gram matrices: ‖Y‖² − 2 tr(W̃ Sᵀ) + tr(W̃ G0 W̃ᵀ). */
function residualSq(W: Float64Array, pr: Prepared): number {
  const { cout, p, G0, S } = pr;
  let cross = 0, quad = 0;
  for (let o = 0; o < cout; o++) {
    const wo = o * p;
    for (let i = 0; i < p; i++) {
      cross += W[wo + i] * S[wo + i];
      let s = 0;
      for (let j = 0; j < p; j++) s += G0[i * p + j] * W[wo + j];
      quad += W[wo + i] * s;
    }
  }
  return Math.max(0, pr.stats.yy - 2 * cross + quad);
}

/** The structured rows reduced over the augmented columns: Q (k × Cout), R (k × p). */
function structuredReduction(c: LinearConstraints, p: number, bias: boolean): RowReduction {
  const { rows: r, inChannels: cin, outChannels: cout } = c;
  const rhs = new Float64Array(r * p);
  for (let k = 0; k < r; k++) {
    rhs.set(c.B.subarray(k * cin, (k + 1) * cin), k * p);
    if (bias) rhs[k * p + cin] = c.biasTarget[k];
  }
  return reduceRows(c.A, r, cout, rhs, p, c.options.rankTolerance);
}

/** W̃ ← W̃ − Qᵀ (Q W̃ − R): the Frobenius projection onto {Q W̃ = R} (Q with orthonormal rows). */
function projectStructured(W: Float64Array, cout: number, p: number, red: RowReduction): void {
  const { Q, R, k } = red;
  const E = new Float64Array(k * p);
  for (let q = 0; q < k; q++) {
    for (let j = 0; j < p; j++) {
      let s = -R[q * p + j];
      for (let o = 0; o < cout; o++) s += Q[q * cout + o] * W[o * p + j];
      E[q * p + j] = s;
    }
  }
  for (let o = 0; o < cout; o++) {
    for (let q = 0; q < k; q++) {
      const a = Q[q * cout + o];
      if (a === 0) continue;
      for (let j = 0; j < p; j++) W[o * p + j] -= a * E[q * p + j];
    }
  }
}

/**
 * Every equation on θ = vec(W̃) (W̃ = [W | b], Cout × p row-major): expanded structured rows, their bias
 * rows, general rows (padded), reduced to orthonormal rows Q (k × Cout·p) with right-hand sides R.
 */
function generalReduction(c: LinearConstraints, p: number, bias: boolean): RowReduction {
  const { rows: r, inChannels: cin, outChannels: cout, generalRows: q } = c;
  const n = cout * p;
  const m = r * cin + (bias ? r : 0) + q;
  const M = new Float64Array(m * n);
  const rhs = new Float64Array(m);
  let row = 0;
  for (let k = 0; k < r; k++) {
    for (let i = 0; i < cin; i++, row++) {
      for (let o = 0; o < cout; o++) M[row * n + o * p + i] = c.A[k * cout + o];
      rhs[row] = c.B[k * cin + i];
    }
    if (bias) {
      for (let o = 0; o < cout; o++) M[row * n + o * p + cin] = c.A[k * cout + o];
      rhs[row] = c.biasTarget[k];
      row++;
    }
  }
  const nw = cout * cin;
  for (let g = 0; g < q; g++, row++) {
    for (let j = 0; j < nw; j++) {
      const v = c.C[g * nw + j];
      if (v !== 0) M[row * n + Math.floor(j / cin) * p + (j % cin)] = v;
    }
    rhs[row] = c.d[g];
  }
  return reduceRows(M, m, n, rhs, 1, c.options.rankTolerance);
}

/** θ ← θ − Qᵀ(Qθ − R) for orthonormal rows Q (k × n). */
function projectGeneral(theta: Float64Array, red: RowReduction, n: number): void {
  const { Q, R, k } = red;
  const e = new Float64Array(k);
  for (let q = 0; q < k; q++) {
    let s = -R[q];
    for (let j = 0; j < n; j++) s += Q[q * n + j] * theta[j];
    e[q] = s;
  }
  for (let q = 0; q < k; q++) {
    const eq = e[q];
    if (eq === 0) continue;
    for (let j = 0; j < n; j++) theta[j] -= eq * Q[q * n + j];
  }
}

function splitAugmented(Wt: Float64Array, cout: number, cin: number, p: number): { W: Float64Array; b: Float64Array } {
  const W = new Float64Array(cout * cin);
  const b = new Float64Array(cout);
  for (let o = 0; o < cout; o++) {
    W.set(Wt.subarray(o * p, o * p + cin), o * cin);
    if (p > cin) b[o] = Wt[o * p + cin];
  }
  return { W, b };
}

/**
 * Fits `y ≈ W x + b` by least squares with the linear constraints holding exactly:
 * `min ‖W x + b − y‖²_F + λ‖W‖²_F` subject to `A W = B`, `A b = c`, `C vec(W) = d`.
 *
 * Method. One time-blocked pass over the samples gathers the Gram matrices X̃X̃ᵀ and YX̃ᵀ (X̃ = x
 * with a row of ones when fitting a bias); nothing afterwards touches the samples. With structured
 * rows only, the solution is the unconstrained W̃_ls = YX̃ᵀ(X̃X̃ᵀ + λI)⁻¹ projected in the Frobenius
 * norm onto {A W̃ = [B c]}: `W̃ = W̃_ls − Qᵀ(Q W̃_ls − R)` with Q the orthonormalised rows of A —
 * exact, because the objective's metric acts on the right of W̃ and the constraint on the left
 * (stationarity `2(W̃G − S) + AᵀΛ = 0` gives the same W̃). With general rows (fixed entries) the
 * range-space (Schur complement) form of the KKT system is solved with H = I ⊗ G:
 * `θ = θ_ls − H⁻¹Qᵀ(Q H⁻¹ Qᵀ)⁻¹(Q θ_ls − R)`. Both end with one Euclidean projection so the
 * violation sits at rounding level (≈ 1e-15 relative).
 *
 * Residual: computed from the Gram matrices (‖Y‖² − 2tr(W̃Sᵀ) + tr(W̃GW̃ᵀ)), accurate to about
 * 1e-16·‖Y‖²/residual relative — use a direct pass (`mix`) when the fit is nearly exact.
 *
 * Complexity: O((Cin + Cout)·Cin·T) for the pass (the same as fitLeastSquares), then
 * O(p³ + r·Cout·p) structured, or O(k·Cout·p² + k²·Cout·p) with k general equations.
 * Matches ../shared/refs/constrained_mix.json and constrained_lsq_detail.json (numpy KKT) to 1e-9.
 *
 * @param x `[Cin, T]`; @param y `[Cout, T]`.
 * @example
 * const fit = fitConstrainedMixer(x, y, elementConservation(E, ['C', 'H', 'O']), { bias: false });
 * fit.violation // ≈ 1e-16
 * @throws ShapeError for channel counts that do not match the constraints or different lengths;
 * ValueError for NaN/Infinity in x or y or a negative ridge; NumericalError when X̃X̃ᵀ + λI is
 * singular or worse conditioned than `maxConditionNumber` (pass a ridge), when c ≠ 0 and
 * `bias: false`, or when the data are so large (|x| or |y| ≳ 1e150) that their products overflow.
 */
export function fitConstrainedMixer(x: Multichannel, y: Multichannel, constraints: LinearConstraints, options: ConstrainedFitOptions = {}): ConstrainedFit {
  const fn = 'fitConstrainedMixer';
  return solveConstrained(fn, prepare(fn, x, y, constraints, options), constraints, options);
}

/**
 * {@link fitConstrainedMixer} from Gram sums gathered (and merged) in a {@link GramAccumulator}: the
 * same solve on the accumulator's uncentred sums, so tiles fitted apart and merged give the
 * whole-data fit (to rounding, ~1e-12 relative on well-conditioned problems).
 * @example
 * const acc = new GramAccumulator(3, 3);
 * for (const [x, y] of tiles) acc.add(x, y);
 * const fit = fitConstrainedMixerFromGram(acc, totalConservation(3));
 * @throws ArgumentTypeError when acc is not a GramAccumulator or constraints not a LinearConstraints;
 * ShapeError when the channel counts differ from the constraints' or acc holds no sample; otherwise
 * as {@link fitConstrainedMixer}.
 */
export function fitConstrainedMixerFromGram(acc: GramAccumulator, constraints: LinearConstraints, options: ConstrainedFitOptions = {}): ConstrainedFit {
  const fn = 'fitConstrainedMixerFromGram';
  if (!(acc instanceof GramAccumulator)) throw new ArgumentTypeError(message(fn, 'acc must be a GramAccumulator', acc));
  if (!(constraints instanceof LinearConstraints)) throw new ArgumentTypeError(message(fn, 'constraints must be a LinearConstraints', constraints));
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
  if (acc.inChannels !== constraints.inChannels) throw new ShapeError(message(fn, `acc must have the constraints' inChannels = ${constraints.inChannels}`, acc.inChannels));
  if (acc.outChannels !== constraints.outChannels) throw new ShapeError(message(fn, `acc must have the constraints' outChannels = ${constraints.outChannels}`, acc.outChannels));
  if (acc.count === 0) throw new ShapeError(message(fn, 'acc must hold at least one sample', 0));
  const { ridge, bias } = readOptions(fn, constraints, options);
  return solveConstrained(fn, prepareFromStats(acc.raw(), acc.inChannels, acc.outChannels, bias, ridge), constraints, options);
}

/** The solve of {@link fitConstrainedMixer} once the Gram matrices are known. */
function solveConstrained(fn: string, pr: Prepared, constraints: LinearConstraints, options: ConstrainedFitOptions): ConstrainedFit {
  const { cout, cin, p, G, S } = pr;
  const maxCond = options.maxConditionNumber ?? 1e12;
  const L = cholesky(G, p);
  const cond = symmetricConditionNumber(G, p);
  if (L === null || !(cond <= maxCond)) {
    throw new NumericalError(message(fn, `the Gram matrix x xᵀ (+ ones row for the bias) + ridge·I must be well conditioned (≤ ${maxCond.toExponential(0)}); pass { ridge: … } or remove collinear channels`, { verbatim: `condition number ${cond.toExponential(3)}` }));
  }
  // Unconstrained W̃_ls: rows solve G w = s (G symmetric).
  const Wls = S.slice();
  choleskySolveRows(L, p, Wls, cout);
  const unconstrainedResidual = Math.sqrt(residualSq(Wls, pr));
  let Wt: Float64Array;
  let multipliers: Float64Array | undefined;
  let method: ConstrainedFit['method'];
  if (constraints.isStructured) {
    method = 'projection';
    const red = structuredReduction(constraints, p, pr.bias);
    Wt = Wls.slice();
    projectStructured(Wt, cout, p, red);
    projectStructured(Wt, cout, p, red); // one refinement pass: violation at rounding level
    multipliers = structuredMultipliers(constraints, Wt, pr);
  } else {
    method = 'range-space';
    const n = cout * p;
    const red = generalReduction(constraints, p, pr.bias);
    const { Q, R, k } = red;
    // Z = H⁻¹ Qᵀ, stored as k rows of length n: block o of row q is G⁻¹ Q[q, o-block].
    const Z = Q.slice();
    choleskySolveRows(L, p, Z, k * cout);
    const K = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += Q[a * n + j] * Z[b * n + j];
        K[a * k + b] = K[b * k + a] = s;
      }
    }
    const LK = cholesky(K, k);
    if (LK === null) throw new NumericalError(message(fn, 'the reduced KKT matrix Q H⁻¹ Qᵀ must be positive definite', { verbatim: 'a singular system' }));
    Wt = Wls.slice();
    for (let pass = 0; pass < 2; pass++) {
      const e = new Float64Array(k);
      for (let q = 0; q < k; q++) {
        let s = -R[q];
        for (let j = 0; j < n; j++) s += Q[q * n + j] * Wt[j];
        e[q] = s;
      }
      choleskySolveRows(LK, k, e, 1);
      for (let q = 0; q < k; q++) {
        const v = e[q];
        if (v !== 0) for (let j = 0; j < n; j++) Wt[j] -= v * Z[q * n + j];
      }
    }
    projectGeneral(Wt, red, n);
  }
  const { W, b } = splitAugmented(Wt, cout, cin, p);
  const res2 = residualSq(Wt, pr);
  const mixer = new PointwiseMixer(W, cout, cin, pr.bias ? b : undefined);
  return {
    mixer, weights: W, bias: b, outChannels: cout, inChannels: cin,
    residual: Math.sqrt(res2), unconstrainedResidual: Math.max(unconstrainedResidual, 0), mse: res2 / (cout * pr.stats.n),
    violation: constraints.violation(W, pr.bias ? b : undefined), multipliers, conditionNumber: cond, method,
    droppedConstraints: constraints.dropped,
  };
}

/** Λ = 2 (AAᵀ)⁻¹ A (S − W̃ G), r × p. */
function structuredMultipliers(c: LinearConstraints, Wt: Float64Array, pr: Prepared): Float64Array | undefined {
  const { cout, p, G, S } = pr;
  const r = c.rows;
  const Rg = new Float64Array(cout * p); // S − W̃G
  for (let o = 0; o < cout; o++) {
    for (let j = 0; j < p; j++) {
      let s = S[o * p + j];
      for (let i = 0; i < p; i++) s -= Wt[o * p + i] * G[i * p + j];
      Rg[o * p + j] = s;
    }
  }
  const AAt = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) {
    let s = 0;
    for (let o = 0; o < cout; o++) s += c.A[a * cout + o] * c.A[b * cout + o];
    AAt[a * r + b] = s;
  }
  const L = cholesky(AAt, r);
  if (L === null) return undefined;
  // M = A Rg (r × p); solve (AAᵀ) Λ = 2M column by column: store columns as rows of Mt (p × r).
  const Mt = new Float64Array(p * r);
  for (let k = 0; k < r; k++) for (let j = 0; j < p; j++) {
    let s = 0;
    for (let o = 0; o < cout; o++) s += c.A[k * cout + o] * Rg[o * p + j];
    Mt[j * r + k] = 2 * s;
  }
  choleskySolveRows(L, r, Mt, p);
  // Λ: r × Cin, then the r bias multipliers.
  const cin = c.inChannels;
  const out = new Float64Array(r * cin + (p > cin ? r : 0));
  for (let k = 0; k < r; k++) {
    for (let i = 0; i < cin; i++) out[k * cin + i] = Mt[i * r + k];
    if (p > cin) out[r * cin + k] = Mt[cin * r + k];
  }
  return out;
}

/**
 * The feasible (W, b) nearest to the given one in the Frobenius norm ‖W − W₀‖²_F + ‖b − b₀‖²: with
 * structured rows only, `W − Qᵀ(Q W − [B c])` column by column (Q: orthonormalised rows of A); with
 * general rows, the same on vec(W̃) with every equation. `bias` defaults to zeros; the returned bias
 * satisfies `A b = c`. Does not modify its inputs.
 * @param weights Cout × Cin row-major.
 * @example projectOntoConstraints(W, totalConservation(3)).weights // columns now sum to 1
 * @throws ShapeError when the sizes do not match the constraints; ValueError for non-finite entries.
 */
export function projectOntoConstraints(weights: ArrayLike<number>, constraints: LinearConstraints, bias?: ArrayLike<number>): { weights: Float64Array; bias: Float64Array; violation: number } {
  const fn = 'projectOntoConstraints';
  if (!(constraints instanceof LinearConstraints)) throw new ArgumentTypeError(message(fn, 'constraints must be a LinearConstraints', constraints));
  const { outChannels: cout, inChannels: cin } = constraints;
  if (!(weights instanceof Float64Array || weights instanceof Float32Array || Array.isArray(weights))) throw new ArgumentTypeError(message(fn, 'weights must be a Float64Array or number[] (Cout × Cin row-major)', weights));
  if (weights.length !== cout * cin) throw new ShapeError(message(fn, `weights must hold Cout × Cin = ${cout} × ${cin} = ${cout * cin} numbers`, weights.length));
  assertAllFinite(fn, 'weights', weights);
  if (bias !== undefined) {
    if (bias.length !== cout) throw new ShapeError(message(fn, `bias must have Cout = ${cout} entries`, bias.length));
    assertAllFinite(fn, 'bias', bias);
  }
  const p = cin + 1;
  const Wt = new Float64Array(cout * p);
  for (let o = 0; o < cout; o++) {
    for (let i = 0; i < cin; i++) Wt[o * p + i] = weights[o * cin + i];
    Wt[o * p + cin] = bias ? bias[o] : 0;
  }
  if (constraints.isStructured) {
    const red = structuredReduction(constraints, p, true);
    projectStructured(Wt, cout, p, red);
    projectStructured(Wt, cout, p, red);
  } else {
    const red = generalReduction(constraints, p, true);
    projectGeneral(Wt, red, cout * p);
    projectGeneral(Wt, red, cout * p);
  }
  const { W, b } = splitAugmented(Wt, cout, cin, p);
  return { weights: W, bias: b, violation: constraints.violation(W, b) };
}

/**
 * A penalty (soft-constraint) fit for comparison: `min ‖W̃X̃ − Y‖² + λ‖W‖² + μ Σ_t ‖A ŷ_t − B x_t − c‖²`
 * over the structured rows, closed form `W̃ = (I + μAᵀA)⁻¹(W̃_ls + μAᵀ[B c])`. The constraint then
 * holds only approximately (violation shrinking like 1/μ) — what the exact fit is measured against.
 * @throws as {@link fitConstrainedMixer}; ValueError for penalty ≤ 0; ShapeError when general rows are present.
 */
export function fitPenaltyMixer(x: Multichannel, y: Multichannel, constraints: LinearConstraints, penalty: number, options: ConstrainedFitOptions = {}): ConstrainedFit {
  const fn = 'fitPenaltyMixer';
  assertPositive(fn, 'penalty', penalty);
  const pr = prepare(fn, x, y, constraints, options);
  if (!constraints.isStructured) throw new ShapeError(message(fn, 'constraints must have structured rows only', { verbatim: `${constraints.generalRows} general rows` }));
  const { cout, cin, p, G, S } = pr;
  const L = cholesky(G, p);
  const cond = symmetricConditionNumber(G, p);
  if (L === null) throw new NumericalError(message(fn, 'the Gram matrix must be positive definite; pass { ridge: … }', { verbatim: `condition number ${cond.toExponential(3)}` }));
  const Wls = S.slice();
  choleskySolveRows(L, p, Wls, cout);
  const r = constraints.rows;
  // M = I + μAᵀA (cout × cout); rhs = W̃_ls + μAᵀ[B c].
  const M = new Float64Array(cout * cout);
  for (let a = 0; a < cout; a++) {
    M[a * cout + a] = 1;
    for (let b = 0; b < cout; b++) for (let k = 0; k < r; k++) M[a * cout + b] += penalty * constraints.A[k * cout + a] * constraints.A[k * cout + b];
  }
  const rhsT = new Float64Array(p * cout); // columns of rhs as rows
  for (let o = 0; o < cout; o++) for (let j = 0; j < p; j++) {
    let s = Wls[o * p + j];
    for (let k = 0; k < r; k++) s += penalty * constraints.A[k * cout + o] * (j < cin ? constraints.B[k * cin + j] : constraints.biasTarget[k]);
    rhsT[j * cout + o] = s;
  }
  const LM = cholesky(M, cout)!;
  choleskySolveRows(LM, cout, rhsT, p);
  const Wt = new Float64Array(cout * p);
  for (let o = 0; o < cout; o++) for (let j = 0; j < p; j++) Wt[o * p + j] = rhsT[j * cout + o];
  const { W, b } = splitAugmented(Wt, cout, cin, p);
  const res2 = residualSq(Wt, pr);
  return {
    mixer: new PointwiseMixer(W, cout, cin, pr.bias ? b : undefined), weights: W, bias: b, outChannels: cout, inChannels: cin,
    residual: Math.sqrt(res2), unconstrainedResidual: Math.sqrt(residualSq(Wls, pr)), mse: res2 / (cout * x.length),
    violation: constraints.violation(W, pr.bias ? b : undefined), conditionNumber: cond, method: 'projection',
    droppedConstraints: constraints.dropped,
  };
}
