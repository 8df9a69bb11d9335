/**
 * A trainable 1×1 mixer whose parameterisation keeps linear constraints exact at every step.
 * @module
 */
import { ArgumentTypeError, ShapeError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { Rng } from '../core/random.js';
import { assertAllFinite, assertInteger } from '../core/validate.js';
import { PointwiseMixer } from '../mixing/mixer.js';
import { mseLoss } from '../train/losses.js';
import type { Optimizer } from '../train/optimizers.js';
import { LinearConstraints } from './constraints.js';
import { projectOntoConstraints } from './fit.js';
import { nullSpaceBasis, reduceRows } from '../linalg/orthogonal.js';

/** Options of {@link ConstrainedMixer}. */
export interface ConstrainedMixerOptions {
  /** Train a bias (default true; it then obeys `A b = c`). Must be true when c ≠ 0. */
  bias?: boolean;
  /** Seed of the Glorot-uniform initial weights (default 0), projected onto the constraints. */
  seed?: number;
  /** Initial weights (Cout × Cin row-major) and bias instead of random ones; projected onto the constraints. */
  init?: { weights: ArrayLike<number>; bias?: ArrayLike<number> };
}

/** A loss on the mixer's output: value and gradient with respect to the output. */
export type LossFunction = (pred: Multichannel) => { loss: number; grad: Multichannel };

/** Options of {@link ConstrainedMixer.train}. */
export interface ConstrainedTrainOptions {
  /** The optimiser (e.g. `new Adam({ learningRate: 1e-2 })`). */
  optimizer: Optimizer;
  /** Full-batch steps (default 100). */
  steps?: number;
  /** 'mse' against `target` (default) or a custom loss of the prediction (`target` then ignored). */
  loss?: 'mse' | LossFunction;
}

/**
 * A 1×1 mixer `y = W x + b` trained in the null space of its constraints:
 * `[W | b] = [W₀ | b₀] + N Z`, with `[W₀ | b₀]` feasible and the columns of N an orthonormal basis of
 * the null space of the constraint rows. The free parameters `z` are what the optimiser updates;
 * the gradient reaches them through the basis (`dZ = Nᵀ [dW | db]`), and W is rebuilt from z after
 * every step — so `A W = B` (and `A b = c`, `C vec(W) = d`) hold at every step to rounding level
 * (≈ 1e-15), however many steps are taken, for any loss.
 *
 * With structured rows only, N is Cout × (Cout − r) acting on the left of [W | b] (z has
 * (Cout − r)·(Cin + 1) entries); with general rows N is the full null-space basis on vec([W | b])
 * (built once in O((Cout·Cin)³)).
 *
 * @example
 * const m = new ConstrainedMixer(totalConservation(4), { seed: 1 });
 * m.train(x, y, { optimizer: new Adam({ learningRate: 1e-2 }), steps: 1000 });
 * m.violation() // ≤ 1e-15
 * @throws ArgumentTypeError for constraints that are not a LinearConstraints; ShapeError for an
 * `init` of the wrong size; NumericalError when c ≠ 0 and `bias: false`.
 */
export class ConstrainedMixer {
  readonly constraints: LinearConstraints;
  readonly outChannels: number;
  readonly inChannels: number;
  readonly hasBias: boolean;
  /** The free parameters (updated in place by optimisers; call {@link sync} after changing them). */
  readonly z: Float64Array;
  /** The layer that computes `W x + b` with the current constrained weights. */
  readonly mixer: PointwiseMixer;
  private readonly p: number;
  private readonly theta0: Float64Array; // Cout × p feasible point (row-major [W | b])
  private readonly N: Float64Array;
  private readonly dim: number;
  private readonly structured: boolean;

  constructor(constraints: LinearConstraints, options: ConstrainedMixerOptions = {}) {
    const fn = 'ConstrainedMixer';
    if (!(constraints instanceof LinearConstraints)) throw new ArgumentTypeError(message(fn, 'constraints must be a LinearConstraints', constraints));
    const bias = options.bias ?? true;
    if (typeof bias !== 'boolean') throw new ArgumentTypeError(message(fn, 'options.bias must be a boolean', bias));
    if (!bias && constraints.needsBias) throw new ShapeError(message(fn, 'the constraints fix A b = c with c ≠ 0, so the mixer needs a bias', { verbatim: 'bias: false' }));
    const cout = constraints.outChannels, cin = constraints.inChannels;
    this.constraints = constraints;
    this.outChannels = cout;
    this.inChannels = cin;
    this.hasBias = bias;
    const p = cin + (bias ? 1 : 0);
    this.p = p;
    // Feasible starting point: the projection of the initial (or random) weights.
    let w0: Float64Array, b0: Float64Array;
    if (options.init !== undefined) {
      const { weights, bias: ib } = options.init;
      if (weights?.length !== cout * cin) throw new ShapeError(message(fn, `init.weights must hold Cout × Cin = ${cout * cin} numbers`, weights?.length));
      assertAllFinite(fn, 'init.weights', weights);
      w0 = Float64Array.from(weights);
      b0 = ib === undefined ? new Float64Array(cout) : Float64Array.from(ib);
      if (b0.length !== cout) throw new ShapeError(message(fn, `init.bias must have Cout = ${cout} entries`, b0.length));
    } else {
      const seed = options.seed ?? 0;
      assertInteger(fn, 'options.seed', seed);
      const a = Math.sqrt(6 / (cin + cout));
      w0 = new Rng(seed).array(cout * cin, -a, a);
      b0 = new Float64Array(cout);
    }
    const proj = projectOntoConstraints(w0, constraints, bias ? b0 : undefined);
    if (!bias) {
      // Without a bias the bias rows are absent; re-project W alone (bias forced to 0 is feasible since c = 0).
      proj.bias.fill(0);
    }
    this.theta0 = new Float64Array(cout * p);
    for (let o = 0; o < cout; o++) {
      this.theta0.set(proj.weights.subarray(o * cin, (o + 1) * cin), o * p);
      if (bias) this.theta0[o * p + cin] = proj.bias[o];
    }
    this.structured = constraints.isStructured;
    if (this.structured) {
      const red = reduceRows(constraints.A, constraints.rows, cout, new Float64Array(constraints.rows), 1, constraints.options.rankTolerance);
      const d = cout - red.k;
      this.N = nullSpaceBasis(red.Q, red.k, cout); // cout × d
      this.dim = d;
      this.z = new Float64Array(d * p);
    } else {
      const n = cout * p;
      const rows = expandedRows(constraints, p, bias);
      const red = reduceRows(rows.M, rows.m, n, new Float64Array(rows.m), 1, constraints.options.rankTolerance);
      this.N = nullSpaceBasis(red.Q, red.k, n); // n × d
      this.dim = n - red.k;
      this.z = new Float64Array(this.dim);
    }
    const { W, b } = this.materialize();
    this.mixer = new PointwiseMixer(W, cout, cin, bias ? b : undefined);
  }

  /** Number of free parameters (the dimension of the feasible set). */
  get freeParameters(): number {
    return this.z.length;
  }

  /** The current weights, Cout × Cin row-major (the mixer's live array). */
  get weights(): Float64Array {
    return this.mixer.weights;
  }

  /** The current bias (zeros without one). */
  get bias(): Float64Array {
    return this.mixer.bias;
  }

  /** The arrays an optimiser updates: `[z]`. */
  get parameters(): Float64Array[] {
    return [this.z];
  }

  private materialize(): { W: Float64Array; b: Float64Array } {
    const { outChannels: cout, inChannels: cin, p, N, dim, z, theta0 } = this;
    const th = theta0.slice();
    if (this.structured) {
      for (let o = 0; o < cout; o++) {
        for (let c = 0; c < dim; c++) {
          const a = N[o * dim + c];
          if (a === 0) continue;
          for (let j = 0; j < p; j++) th[o * p + j] += a * z[c * p + j];
        }
      }
    } else {
      const n = cout * p;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < dim; c++) s += N[i * dim + c] * z[c];
        th[i] += s;
      }
    }
    const W = new Float64Array(cout * cin);
    const b = new Float64Array(cout);
    for (let o = 0; o < cout; o++) {
      W.set(th.subarray(o * p, o * p + cin), o * cin);
      if (this.hasBias) b[o] = th[o * p + cin];
    }
    return { W, b };
  }

  /** Rebuilds W and b from z (call after changing z yourself; {@link step} and {@link train} do it). */
  sync(): void {
    const { W, b } = this.materialize();
    this.mixer.weights.set(W);
    if (this.hasBias) this.mixer.bias.set(b);
  }

  /** `y = W x + b`: `[Cin, T] → [Cout, T]`. */
  forward(x: Multichannel): Multichannel {
    return this.mixer.forward(x);
  }

  /** Gradient of the loss with respect to z, given `dY = ∂L/∂y` `[Cout, T]`: `[Nᵀ [dW | db]]`. */
  gradients(x: Multichannel, dY: Multichannel): Float64Array[] {
    const { dW, db } = this.mixer.backward(x, dY);
    const { outChannels: cout, inChannels: cin, p, N, dim } = this;
    const dT = new Float64Array(cout * p);
    for (let o = 0; o < cout; o++) {
      dT.set(dW.subarray(o * cin, (o + 1) * cin), o * p);
      if (this.hasBias) dT[o * p + cin] = db[o];
    }
    const dz = new Float64Array(this.z.length);
    if (this.structured) {
      for (let c = 0; c < dim; c++) {
        for (let o = 0; o < cout; o++) {
          const a = N[o * dim + c];
          if (a === 0) continue;
          for (let j = 0; j < p; j++) dz[c * p + j] += a * dT[o * p + j];
        }
      }
    } else {
      const n = cout * p;
      for (let i = 0; i < n; i++) {
        const g = dT[i];
        if (g === 0) continue;
        for (let c = 0; c < dim; c++) dz[c] += N[i * dim + c] * g;
      }
    }
    return [dz];
  }

  /** One optimiser step from `dY = ∂L/∂y`, then {@link sync}. */
  step(optimizer: Optimizer, x: Multichannel, dY: Multichannel): void {
    optimizer.step(this.parameters, this.gradients(x, dY));
    this.sync();
  }

  /**
   * Full-batch training: `steps` optimiser steps on the loss (MSE against `target` by default).
   * Returns the loss before each step.
   * @throws ShapeError when target is not `[Cout, x.length]` (from mseLoss).
   */
  train(x: Multichannel, target: Multichannel | null, options: ConstrainedTrainOptions): { losses: Float64Array } {
    const fn = 'ConstrainedMixer.train';
    if (typeof options !== 'object' || options === null || typeof options.optimizer?.step !== 'function') {
      throw new ArgumentTypeError(message(fn, 'options.optimizer must be an Optimizer (with a step method)', options?.optimizer));
    }
    const steps = options.steps ?? 100;
    assertInteger(fn, 'options.steps', steps, 0);
    const loss = options.loss ?? 'mse';
    if (loss === 'mse') assertMultichannel(fn, 'target', target, "for loss 'mse'");
    const losses = new Float64Array(steps);
    for (let s = 0; s < steps; s++) {
      const pred = this.forward(x);
      const r = loss === 'mse' ? mseLoss(pred, target as Multichannel) : loss(pred);
      losses[s] = r.loss;
      this.step(options.optimizer, x, r.grad);
    }
    return { losses };
  }

  /** Current max violation of every constraint (≈ 1e-15 at any step). */
  violation(): number {
    return this.constraints.violation(this.mixer.weights, this.hasBias ? this.mixer.bias : undefined);
  }

  /** The feasible point `[W₀ | b₀]` (Cout × (Cin + bias) row-major, a copy) the free parameters z move from (for saveModel). */
  get feasiblePoint(): Float64Array {
    return this.theta0.slice();
  }

  /**
   * A mixer with the given feasible point and free parameters (as {@link feasiblePoint} and `z` of a
   * saved mixer), so its weights are bit-identical to the saved one's. Used by loadModel.
   * @throws ShapeError when the sizes do not match the constraints; as the constructor otherwise.
   */
  static fromState(constraints: LinearConstraints, bias: boolean, feasiblePoint: Float64Array, z: Float64Array): ConstrainedMixer {
    const m = new ConstrainedMixer(constraints, { bias });
    if (feasiblePoint.length !== m.theta0.length) throw new ShapeError(message('ConstrainedMixer.fromState', `feasiblePoint must hold ${m.theta0.length} numbers`, feasiblePoint.length));
    if (z.length !== m.z.length) throw new ShapeError(message('ConstrainedMixer.fromState', `z must hold ${m.z.length} numbers (the free parameters)`, z.length));
    m.theta0.set(feasiblePoint);
    m.z.set(z);
    m.sync();
    return m;
  }
}

/** Every equation on vec([W | b]) (Cout × p row-major), unreduced. */
function expandedRows(c: LinearConstraints, p: number, bias: boolean): { M: Float64Array; m: number } {
  const { rows: r, inChannels: cin, outChannels: cout, generalRows: q } = c;
  const n = cout * p;
  const m = r * cin + (bias ? r : 0) + q;
  const M = new Float64Array(m * n);
  let row = 0;
  for (let k = 0; k < r; k++) {
    for (let i = 0; i < cin; i++, row++) for (let o = 0; o < cout; o++) M[row * n + o * p + i] = c.A[k * cout + o];
    if (bias) {
      for (let o = 0; o < cout; o++) M[row * n + o * p + cin] = c.A[k * cout + o];
      row++;
    }
  }
  const nw = cout * cin;
  for (let g = 0; g < q; g++, row++) {
    for (let j = 0; j < nw; j++) if (c.C[g * nw + j] !== 0) M[row * n + Math.floor(j / cin) * p + (j % cin)] = c.C[g * nw + j];
  }
  return { M, m };
}
