/**
 * Linear equality constraints on a 1×1 mixer `y = W x + b` (W: Cout × Cin, b: Cout).
 *
 * Two forms, held together in one {@link LinearConstraints}:
 * - **structured** (conservation laws): `A W = B` and `A b = c`, with A: r × Cout, B: r × Cin and
 *   c: r (`biasTarget`, default 0). Row k says "quantity k, measured on the outputs with weights
 *   A[k, :], equals the same quantity measured on the inputs with weights B[k, :]" — so for every
 *   sample `A y = B x + c`. With c = 0 (the default) the bias creates nothing: conservation
 *   proper. A non-zero c fixes an affine total, e.g. abundances that sum to one
 *   ({@link outputSum}: `1ᵀW = 0`, `1ᵀb = 1`).
 * - **general** on the entries of W: `C vec(W) = d`, with C: q × (Cout·Cin) and the row-major vec
 *   convention `vec(W)[o·Cin + i] = W[o, i]` (numpy's `W.ravel()`). Fixed and forbidden entries
 *   ({@link fixedEntries}, {@link forbiddenPathways}) live here. General rows never involve the bias.
 *
 * The structured rows expand to the general form as `(A ⊗ I_Cin) vec(W) = vec(B)`: row `k·Cin + i`
 * is `Σ_o A[k, o] W[o, i] = B[k, i]` (the ordering of the multipliers returned by the fits).
 *
 * Construction checks rank and consistency once: a row that is (to `rankTolerance`, relative to its
 * own norm) a combination of earlier rows is either dropped and named in {@link LinearConstraints.dropped}
 * (`onRankDeficient: 'reduce'`, the default) or rejected (`'throw'`); if its right-hand side is not the
 * same combination of theirs, no W can satisfy the system and a NumericalError gives the residual.
 * @module
 */
import { ArgumentTypeError, NumericalError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertInteger, assertOneOf, assertPositive } from '../core/validate.js';
import { toDenseWeights, type DenseWeights, type WeightsLike } from '../mixing/weights.js';
import { reduceRows } from '../linalg/orthogonal.js';
import { maxAbs } from '../linalg/products.js';

/** A dense matrix as nested rows, an ml-matrix Matrix, or row-major data with its size (the forms of the mixing module's {@link WeightsLike}). */
export type MatrixInput = WeightsLike;

/** What to do with linearly dependent constraint rows. */
export type RankDeficientPolicy = 'reduce' | 'throw';

/** Options shared by the constructors and builders. */
export interface ConstraintOptions {
  /** Relative tolerance below which a row counts as dependent on earlier rows (default 1e-10). */
  rankTolerance?: number;
  /** Drop dependent rows and name them in `dropped` ('reduce', default), or throw a NumericalError. */
  onRankDeficient?: RankDeficientPolicy;
  /**
   * Largest inconsistency accepted on a dependent row, relative to 1 + max |right-hand side|
   * (default 1e-9); above it the constraints have no solution and a NumericalError is thrown.
   */
  consistencyTolerance?: number;
}

/** Everything a {@link LinearConstraints} is built from. */
export interface LinearConstraintsInit extends ConstraintOptions {
  outChannels: number;
  inChannels: number;
  /** r × Cout (conserved quantities measured on the outputs). */
  A?: MatrixInput;
  /** r × Cin (the same quantities measured on the inputs). */
  B?: MatrixInput;
  /** r values of `A b` (default zeros: the bias conserves, creating nothing). */
  biasTarget?: ArrayLike<number>;
  /** r names for the structured rows (default 'q0', 'q1', …). */
  names?: readonly string[];
  /** q × (Cout·Cin) general rows on vec(W) (row-major vec). */
  C?: MatrixInput;
  /** q right-hand sides of the general rows. */
  d?: ArrayLike<number>;
  /** q names for the general rows (default 'g0', 'g1', …). */
  generalNames?: readonly string[];
}

const FN = 'LinearConstraints';

/**
 * Reads a {@link MatrixInput} into row-major data (the mixing module's parser, so constraint
 * matrices and mixer weights accept the same forms with the same errors), checking its size when
 * `rows`/`cols` are given.
 */
export function readMatrix(fn: string, name: string, m: unknown, rows?: number, cols?: number): DenseWeights {
  const w = toDenseWeights(fn, name, m);
  if (rows !== undefined && w.rows !== rows) throw new ShapeError(message(fn, `${name} must have ${rows} rows`, w.rows));
  if (cols !== undefined && w.cols !== cols) throw new ShapeError(message(fn, `${name} must have ${cols} columns`, w.cols));
  return w;
}

function readVector(fn: string, name: string, v: unknown, n: number): Float64Array {
  if (!(v instanceof Float64Array || v instanceof Float32Array || (Array.isArray(v) && v.every((e) => typeof e === 'number')))) {
    throw new ArgumentTypeError(message(fn, `${name} must be a number[], Float64Array or Float32Array`, v));
  }
  const a = Float64Array.from(v as ArrayLike<number>);
  if (a.length !== n) throw new ShapeError(message(fn, `${name} must have ${n} entries`, a.length));
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) throw new ValueError(message(fn, `${name} must hold only finite values`, { verbatim: `${a[i]} at index ${i}` }));
  return a;
}

/**
 * Linear equality constraints on a Cout × Cin mixer: structured `A W = B`, `A b = c` and general
 * `C vec(W) = d` (see the module notes for the conventions). Immutable; rank-checked at construction.
 *
 * @example
 * // Total mass of 3 channels conserved by a 3 → 3 mixer: 1ᵀW = 1ᵀ.
 * const c = new LinearConstraints({ outChannels: 3, inChannels: 3, A: [[1, 1, 1]], B: [[1, 1, 1]], names: ['mass'] });
 * @throws ShapeError when a matrix does not match Cout / Cin or the row counts disagree;
 * ValueError for non-finite entries or bad options; NumericalError for inconsistent constraints (no
 * feasible W; the message gives the residual) or, with `onRankDeficient: 'throw'`, dependent rows.
 */
export class LinearConstraints {
  readonly outChannels: number;
  readonly inChannels: number;
  /** Structured rows r (after dropping dependent ones). */
  readonly rows: number;
  /** r × Cout, row-major. */
  readonly A: Float64Array;
  /** r × Cin, row-major. */
  readonly B: Float64Array;
  /** r: the required value of `A b`. */
  readonly biasTarget: Float64Array;
  /** Names of the structured rows. */
  readonly names: readonly string[];
  /** General rows q (after dropping dependent ones). */
  readonly generalRows: number;
  /** q × (Cout·Cin), row-major, acting on row-major vec(W). */
  readonly C: Float64Array;
  /** q right-hand sides. */
  readonly d: Float64Array;
  /** Names of the general rows. */
  readonly generalNames: readonly string[];
  /** Names of rows dropped as linearly dependent on earlier ones (empty when all were independent). */
  readonly dropped: readonly string[];
  /** The options used (for combining). */
  readonly options: Required<ConstraintOptions>;

  constructor(init: LinearConstraintsInit) {
    if (typeof init !== 'object' || init === null) throw new ArgumentTypeError(message(FN, 'init must be an object', init));
    const { outChannels: cout, inChannels: cin } = init;
    assertInteger(FN, 'outChannels', cout, 1);
    assertInteger(FN, 'inChannels', cin, 1);
    const rankTolerance = init.rankTolerance ?? 1e-10;
    assertPositive(FN, 'rankTolerance', rankTolerance);
    const consistencyTolerance = init.consistencyTolerance ?? 1e-9;
    assertPositive(FN, 'consistencyTolerance', consistencyTolerance);
    const onRankDeficient = assertOneOf(FN, 'onRankDeficient', init.onRankDeficient ?? 'reduce', ['reduce', 'throw'] as const);
    this.options = { rankTolerance, consistencyTolerance, onRankDeficient };
    this.outChannels = cout;
    this.inChannels = cin;

    // Structured part.
    let A = new Float64Array(0), B = new Float64Array(0), c = new Float64Array(0), r = 0;
    let names: string[] = [];
    if (init.A !== undefined || init.B !== undefined) {
      if (init.A === undefined || init.B === undefined) throw new ShapeError(message(FN, 'A and B must be given together', init.A === undefined ? 'B only' : 'A only'));
      const a = readMatrix(FN, 'A', init.A, undefined, cout);
      r = a.rows;
      const b = readMatrix(FN, 'B', init.B, undefined, cin);
      if (b.rows !== r) throw new ShapeError(message(FN, `B must have as many rows as A (${r})`, b.rows));
      A = a.data;
      B = b.data;
      c = init.biasTarget === undefined ? new Float64Array(r) : readVector(FN, 'biasTarget', init.biasTarget, r);
      names = init.names ? [...init.names] : Array.from({ length: r }, (_, k) => `q${k}`);
      if (names.length !== r) throw new ShapeError(message(FN, `names must give one name per row of A (${r})`, names.length));
    } else if (init.biasTarget !== undefined || init.names !== undefined) {
      throw new ShapeError(message(FN, 'biasTarget and names need A and B', 'no A'));
    }
    // General part.
    let C = new Float64Array(0), d = new Float64Array(0), q = 0;
    let gnames: string[] = [];
    const n = cout * cin;
    if (init.C !== undefined || init.d !== undefined) {
      if (init.C === undefined || init.d === undefined) throw new ShapeError(message(FN, 'C and d must be given together', init.C === undefined ? 'd only' : 'C only'));
      const cm = readMatrix(FN, 'C', init.C, undefined, n);
      q = cm.rows;
      C = cm.data;
      d = readVector(FN, 'd', init.d, q);
      gnames = init.generalNames ? [...init.generalNames] : Array.from({ length: q }, (_, k) => `g${k}`);
      if (gnames.length !== q) throw new ShapeError(message(FN, `generalNames must give one name per row of C (${q})`, gnames.length));
    }
    if (r === 0 && q === 0) throw new ShapeError(message(FN, 'at least one constraint row (A, B or C, d) is required', 'none'));

    const dropped: string[] = [];
    const check = (idx: number[], inc: number[], rowNames: string[], scale: number): void => {
      idx.forEach((row, k) => {
        if (inc[k] > consistencyTolerance * (1 + scale)) {
          throw new NumericalError(message(FN, `the constraints must be consistent (some W must satisfy them); row '${rowNames[row]}' is a combination of earlier rows whose right-hand side differs`, { verbatim: `residual ${inc[k].toExponential(3)}` }));
        }
        if (onRankDeficient === 'throw') {
          throw new NumericalError(message(FN, `the constraint rows must be linearly independent (relative tolerance ${rankTolerance}); row '${rowNames[row]}' is a combination of earlier rows`, { verbatim: `rank deficiency of ${idx.length}` }));
        }
      });
    };
    // 1. Structured rows among themselves: A with right-hand sides [B | c].
    if (r > 0) {
      const rhs = new Float64Array(r * (cin + 1));
      for (let k = 0; k < r; k++) {
        rhs.set(B.subarray(k * cin, (k + 1) * cin), k * (cin + 1));
        rhs[k * (cin + 1) + cin] = c[k];
      }
      const red = reduceRows(A, r, cout, rhs, cin + 1, rankTolerance);
      check(red.dropped, red.inconsistency, names, Math.max(maxAbs(B), maxAbs(c)));
      if (red.dropped.length > 0) {
        for (const i of red.dropped) dropped.push(names[i]);
        A = pickRows(A, cout, red.kept);
        B = pickRows(B, cin, red.kept);
        c = Float64Array.from(red.kept, (i) => c[i]);
        names = red.kept.map((i) => names[i]);
        r = red.kept.length;
      }
    }
    // 2. General rows against the expanded structured rows and each other.
    if (q > 0) {
      const m = r * cin + q;
      const M = new Float64Array(m * n);
      const rhs = new Float64Array(m);
      for (let k = 0; k < r; k++) {
        for (let i = 0; i < cin; i++) {
          const row = (k * cin + i) * n;
          for (let o = 0; o < cout; o++) M[row + o * cin + i] = A[k * cout + o];
          rhs[k * cin + i] = B[k * cin + i];
        }
      }
      M.set(C, r * cin * n);
      rhs.set(d, r * cin);
      const red = reduceRows(M, m, n, rhs, 1, rankTolerance);
      const allNames = [...Array.from({ length: r * cin }, (_, j) => `${names[Math.floor(j / cin)]}[input ${j % cin}]`), ...gnames];
      check(red.dropped, red.inconsistency, allNames, Math.max(maxAbs(B), maxAbs(d)));
      const droppedGeneral = red.dropped.filter((i) => i >= r * cin).map((i) => i - r * cin);
      if (red.dropped.length !== droppedGeneral.length) {
        // Expanded structured rows of an independent A are independent; reaching here means rounding.
        throw new NumericalError(message(FN, 'the structured rows must stay independent once expanded', { verbatim: `${red.dropped.length - droppedGeneral.length} dependent rows` }));
      }
      if (droppedGeneral.length > 0) {
        const keep = Array.from({ length: q }, (_, i) => i).filter((i) => !droppedGeneral.includes(i));
        for (const i of droppedGeneral) dropped.push(gnames[i]);
        C = pickRows(C, n, keep);
        d = Float64Array.from(keep, (i) => d[i]);
        gnames = keep.map((i) => gnames[i]);
        q = keep.length;
      }
    }
    this.rows = r;
    this.A = A;
    this.B = B;
    this.biasTarget = c;
    this.names = Object.freeze(names);
    this.generalRows = q;
    this.C = C;
    this.d = d;
    this.generalNames = Object.freeze(gnames);
    this.dropped = Object.freeze(dropped);
  }

  /**
   * Structured constraints `A W = B` (and `A b = biasTarget`) from matrices; Cout and Cin are read
   * from the column counts of A and B.
   * @example LinearConstraints.fromMatrices([[1, 1, 1]], [[1, 1]], { names: ['mass'] }) // 2 → 3 channels
   */
  static fromMatrices(A: MatrixInput, B: MatrixInput, options: ConstraintOptions & { biasTarget?: ArrayLike<number>; names?: readonly string[] } = {}): LinearConstraints {
    const a = readMatrix('LinearConstraints.fromMatrices', 'A', A);
    const b = readMatrix('LinearConstraints.fromMatrices', 'B', B);
    return new LinearConstraints({ ...options, outChannels: a.cols, inChannels: b.cols, A: a, B: b });
  }

  /** True when there are no general rows (the fast structured fit applies). */
  get isStructured(): boolean {
    return this.generalRows === 0;
  }

  /** True when some structured row has a non-zero bias target (the fit then needs a bias). */
  get needsBias(): boolean {
    return this.biasTarget.some((v) => v !== 0);
  }

  /** Total number of scalar equations on (W, b): r·Cin + r (bias rows) + q. */
  get equationCount(): number {
    return this.rows * (this.inChannels + 1) + this.generalRows;
  }

  /**
   * These constraints together with `other` (same Cout and Cin), rank-checked again with this
   * object's options.
   * @throws ShapeError when the channel counts differ; NumericalError as the constructor.
   */
  and(other: LinearConstraints): LinearConstraints {
    const fn = 'LinearConstraints.and';
    if (!(other instanceof LinearConstraints)) throw new ArgumentTypeError(message(fn, 'other must be a LinearConstraints', other));
    if (other.outChannels !== this.outChannels || other.inChannels !== this.inChannels) {
      throw new ShapeError(message(fn, `other must constrain a ${this.outChannels} × ${this.inChannels} mixer`, { verbatim: `${other.outChannels} × ${other.inChannels}` }));
    }
    const cout = this.outChannels, cin = this.inChannels, n = cout * cin;
    const init: LinearConstraintsInit = { ...this.options, outChannels: cout, inChannels: cin };
    const r = this.rows + other.rows;
    if (r > 0) {
      const A = new Float64Array(r * cout), B = new Float64Array(r * cin), c = new Float64Array(r);
      A.set(this.A); A.set(other.A, this.rows * cout);
      B.set(this.B); B.set(other.B, this.rows * cin);
      c.set(this.biasTarget); c.set(other.biasTarget, this.rows);
      Object.assign(init, { A: { data: A, rows: r, cols: cout }, B: { data: B, rows: r, cols: cin }, biasTarget: c, names: [...this.names, ...other.names] });
    }
    const q = this.generalRows + other.generalRows;
    if (q > 0) {
      const C = new Float64Array(q * n), d = new Float64Array(q);
      C.set(this.C); C.set(other.C, this.generalRows * n);
      d.set(this.d); d.set(other.d, this.generalRows);
      Object.assign(init, { C: { data: C, rows: q, cols: n }, d, generalNames: [...this.generalNames, ...other.generalNames] });
    }
    return new LinearConstraints(init);
  }

  /**
   * Largest violation of every equation by (W, b): max over `|A W − B|`, `|A b − c|` (when a bias is
   * given, or c ≠ 0 and none is) and `|C vec(W) − d|`. `weights` is Cout × Cin row-major.
   */
  violation(weights: ArrayLike<number>, bias?: ArrayLike<number>): number {
    const cout = this.outChannels, cin = this.inChannels;
    let worst = 0;
    for (let k = 0; k < this.rows; k++) {
      for (let i = 0; i < cin; i++) {
        let s = -this.B[k * cin + i];
        for (let o = 0; o < cout; o++) s += this.A[k * cout + o] * weights[o * cin + i];
        worst = Math.max(worst, Math.abs(s));
      }
      let sb = -this.biasTarget[k];
      if (bias) for (let o = 0; o < cout; o++) sb += this.A[k * cout + o] * bias[o];
      worst = Math.max(worst, Math.abs(sb));
    }
    const n = cout * cin;
    for (let g = 0; g < this.generalRows; g++) {
      let s = -this.d[g];
      for (let j = 0; j < n; j++) s += this.C[g * n + j] * weights[j];
      worst = Math.max(worst, Math.abs(s));
    }
    return worst;
  }

  /** A one-line description: `LinearConstraints 4 → 4: 3 conservation rows (C, H, O), 0 general rows`. */
  toString(): string {
    return `LinearConstraints ${this.inChannels} → ${this.outChannels}: ${this.rows} conservation rows (${this.names.join(', ')}), ${this.generalRows} general rows${this.dropped.length ? `; dropped as dependent: ${this.dropped.join(', ')}` : ''}`;
  }
}

function pickRows(M: Float64Array, cols: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * cols);
  rows.forEach((r, k) => out.set(M.subarray(r * cols, (r + 1) * cols), k * cols));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/**
 * Total conservation `1ᵀW = 1ᵀ` (and `1ᵀb = 0`): the sum over output channels equals the sum over
 * input channels for every sample. One row named 'total'.
 * @param channels Cout (and Cin unless `options.inChannels` is given).
 * @example totalConservation(4) // a 4 → 4 mixer that keeps Σ_c x[c, t]
 */
export function totalConservation(channels: number, options: ConstraintOptions & { inChannels?: number; name?: string } = {}): LinearConstraints {
  const fn = 'totalConservation';
  assertInteger(fn, 'channels', channels, 1);
  const cin = options.inChannels ?? channels;
  assertInteger(fn, 'options.inChannels', cin, 1);
  return new LinearConstraints({
    ...pickOptions(options), outChannels: channels, inChannels: cin,
    A: { data: new Float64Array(channels).fill(1), rows: 1, cols: channels },
    B: { data: new Float64Array(cin).fill(1), rows: 1, cols: cin },
    names: [options.name ?? 'total'],
  });
}

/**
 * Weighted conservation `m_outᵀ W = m_inᵀ` (and `m_outᵀ b = 0`), e.g. molar masses or band energies:
 * `Σ_o m_out[o] y[o, t] = Σ_i m_in[i] x[i, t]` for every sample. `weightsIn` defaults to `weightsOut`.
 * @example weightedConservation([16.04, 32.00, 44.01, 18.02]) // mass of CH4, O2, CO2, H2O conserved
 */
export function weightedConservation(weightsOut: ArrayLike<number>, weightsIn: ArrayLike<number> = weightsOut, options: ConstraintOptions & { name?: string } = {}): LinearConstraints {
  const fn = 'weightedConservation';
  const mo = readVector(fn, 'weightsOut', weightsOut, (weightsOut as { length: number })?.length ?? -1);
  const mi = readVector(fn, 'weightsIn', weightsIn, (weightsIn as { length: number })?.length ?? -1);
  if (mo.length === 0 || mi.length === 0) throw new ShapeError(message(fn, 'weights must not be empty', mo.length === 0 ? weightsOut : weightsIn));
  return new LinearConstraints({
    ...pickOptions(options), outChannels: mo.length, inChannels: mi.length,
    A: { data: mo, rows: 1, cols: mo.length }, B: { data: mi, rows: 1, cols: mi.length }, names: [options.name ?? 'weighted'],
  });
}

/**
 * Per-element conservation from a composition matrix (elements × species: how many atoms of each
 * element one unit of each species holds): `E W = E` and `E b = 0`, so every element's total is
 * conserved sample by sample. Use `inComposition` when the input species differ from the output ones.
 * @example
 * // C, H, O in CH4, O2, CO2, H2O:
 * elementConservation([[1, 0, 1, 0], [4, 0, 0, 2], [0, 2, 2, 1]], ['C', 'H', 'O'])
 */
export function elementConservation(composition: MatrixInput, elementNames: readonly string[], options: ConstraintOptions & { inComposition?: MatrixInput } = {}): LinearConstraints {
  const fn = 'elementConservation';
  const E = readMatrix(fn, 'composition', composition);
  const Ein = options.inComposition !== undefined ? readMatrix(fn, 'options.inComposition', options.inComposition, E.rows) : E;
  if (!Array.isArray(elementNames) || elementNames.length !== E.rows || elementNames.some((s) => typeof s !== 'string')) {
    throw new ShapeError(message(fn, `elementNames must give one name per row of composition (${E.rows})`, elementNames));
  }
  return new LinearConstraints({ ...pickOptions(options), outChannels: E.cols, inChannels: Ein.cols, A: E, B: Ein, names: elementNames });
}

/** One fixed entry of W: `W[output, input] = value` (default 0: a forbidden pathway). */
export interface FixedEntry {
  output: number;
  input: number;
  value?: number;
}

/**
 * Fixed entries `W[o, i] = value` as general rows (`C vec(W) = d` with a single 1 at `o·Cin + i`),
 * named `W[o,i]`. Combine with conservation laws by {@link LinearConstraints.and}.
 * @throws ValueError for an index out of range; ShapeError for no entries; NumericalError for the same
 * entry fixed to two values.
 */
export function fixedEntries(outChannels: number, inChannels: number, entries: readonly FixedEntry[], options: ConstraintOptions = {}): LinearConstraints {
  const fn = 'fixedEntries';
  assertInteger(fn, 'outChannels', outChannels, 1);
  assertInteger(fn, 'inChannels', inChannels, 1);
  if (!Array.isArray(entries) || entries.length === 0) throw new ShapeError(message(fn, 'entries must be a non-empty array of { output, input, value? }', entries));
  const n = outChannels * inChannels;
  const C = new Float64Array(entries.length * n);
  const d = new Float64Array(entries.length);
  const names: string[] = [];
  entries.forEach((e, k) => {
    assertInteger(fn, `entries[${k}].output`, e.output, 0, outChannels - 1);
    assertInteger(fn, `entries[${k}].input`, e.input, 0, inChannels - 1);
    const v = e.value ?? 0;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(message(fn, `entries[${k}].value must be a finite number`, v));
    C[k * n + e.output * inChannels + e.input] = 1;
    d[k] = v;
    names.push(`W[${e.output},${e.input}]`);
  });
  return new LinearConstraints({ ...pickOptions(options), outChannels, inChannels, C: { data: C, rows: entries.length, cols: n }, d, generalNames: names });
}

/**
 * Forbidden pathways: `W[o, i] = 0` for every `[o, i]` pair (no route from input i to output o).
 * @example forbiddenPathways(4, 4, [[0, 2], [1, 3]])
 */
export function forbiddenPathways(outChannels: number, inChannels: number, pairs: readonly (readonly [number, number])[], options: ConstraintOptions = {}): LinearConstraints {
  if (!Array.isArray(pairs)) throw new ArgumentTypeError(message('forbiddenPathways', 'pairs must be an array of [output, input] pairs', pairs));
  return fixedEntries(outChannels, inChannels, pairs.map(([output, input]) => ({ output, input, value: 0 })), options);
}

/**
 * Outputs that sum to a constant for every sample, whatever the input (abundances, fractions):
 * `1ᵀW = 0` and `1ᵀb = total`. The fit then needs a bias.
 * @example outputSum(3, 156) // 156 bands → 3 abundances summing to one
 */
export function outputSum(outChannels: number, inChannels: number, total = 1, options: ConstraintOptions & { name?: string } = {}): LinearConstraints {
  const fn = 'outputSum';
  assertInteger(fn, 'outChannels', outChannels, 1);
  assertInteger(fn, 'inChannels', inChannels, 1);
  if (typeof total !== 'number' || !Number.isFinite(total)) throw new ValueError(message(fn, 'total must be a finite number', total));
  return new LinearConstraints({
    ...pickOptions(options), outChannels, inChannels,
    A: { data: new Float64Array(outChannels).fill(1), rows: 1, cols: outChannels },
    B: { data: new Float64Array(inChannels), rows: 1, cols: inChannels },
    biasTarget: [total], names: [options.name ?? 'sum'],
  });
}

function pickOptions(o: ConstraintOptions): ConstraintOptions {
  const out: ConstraintOptions = {};
  if (o.rankTolerance !== undefined) out.rankTolerance = o.rankTolerance;
  if (o.onRankDeficient !== undefined) out.onRankDeficient = o.onRankDeficient;
  if (o.consistencyTolerance !== undefined) out.consistencyTolerance = o.consistencyTolerance;
  return out;
}
