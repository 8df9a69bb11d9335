/**
 * First-order optimisers updating parameter arrays in place.
 * @module
 */
import { ShapeError, ValueError, message } from '../core/errors.js';
import { assertFinite, assertPositive } from '../core/validate.js';

/** Updates `params[k]` in place from `grads[k]` (same lengths, same order on every call). */
export interface Optimizer {
  step(params: Float64Array[], grads: Float64Array[]): void;
  /** Current step size (trainers may decay it). */
  learningRate?: number;
}

function checkPairs(fn: string, params: Float64Array[], grads: Float64Array[], state: Float64Array[]): void {
  if (params.length !== grads.length) throw new ShapeError(message(fn, `grads must match params (${params.length} arrays)`, grads.length));
  for (let k = 0; k < params.length; k++) {
    if (params[k].length !== grads[k].length) throw new ShapeError(message(fn, `grads[${k}] must have the length of params[${k}] (${params[k].length})`, grads[k].length));
    if (state[k] !== undefined && state[k].length !== params[k].length) {
      throw new ShapeError(message(fn, `params[${k}] changed length since the first step (${state[k].length})`, params[k].length));
    }
  }
}

/** Options of {@link SGD}. */
export interface SgdOptions {
  /** Step size (default 0.01). */
  learningRate?: number;
  /** Heavy-ball momentum in [0, 1) (default 0). */
  momentum?: number;
}

/**
 * Stochastic gradient descent with heavy-ball momentum: `v ← μ v + g`, `p ← p − η v`
 * (PyTorch's convention; μ = 0 is plain SGD).
 * @example new SGD({ learningRate: 0.1, momentum: 0.9 }).step([w], [dW])
 */
export class SGD implements Optimizer {
  learningRate: number;
  readonly momentum: number;
  private velocity: Float64Array[] = [];

  constructor(options: SgdOptions = {}) {
    const fn = 'SGD';
    this.learningRate = options.learningRate ?? 0.01;
    this.momentum = options.momentum ?? 0;
    assertPositive(fn, 'options.learningRate', this.learningRate);
    assertFinite(fn, 'options.momentum', this.momentum);
    if (this.momentum < 0 || this.momentum >= 1) throw new ValueError(message(fn, 'options.momentum must be in [0, 1)', this.momentum));
  }

  step(params: Float64Array[], grads: Float64Array[]): void {
    checkPairs('SGD.step', params, grads, this.velocity);
    const lr = this.learningRate;
    const mu = this.momentum;
    for (let k = 0; k < params.length; k++) {
      const p = params[k];
      const g = grads[k];
      if (mu === 0) {
        for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
        continue;
      }
      const v = (this.velocity[k] ??= new Float64Array(p.length));
      for (let i = 0; i < p.length; i++) {
        v[i] = mu * v[i] + g[i];
        p[i] -= lr * v[i];
      }
    }
  }
}

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** Step size η (default 0.001). */
  learningRate?: number;
  /** Decay of the first-moment average (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment average (default 0.999). */
  beta2?: number;
  /** Added to √v̂ (default 1e-8). */
  epsilon?: number;
}

/**
 * Adam (Kingma & Ba 2015) with bias correction:
 * `m ← β1 m + (1−β1) g`, `v ← β2 v + (1−β2) g²`, `p ← p − η m̂ / (√v̂ + ε)`.
 * @example trainMixer(mixer, x, y, { optimizer: new Adam({ learningRate: 0.01 }) })
 */
export class Adam implements Optimizer {
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private m: Float64Array[] = [];
  private v: Float64Array[] = [];
  private t = 0;

  constructor(options: AdamOptions = {}) {
    const fn = 'Adam';
    this.learningRate = options.learningRate ?? 0.001;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    assertPositive(fn, 'options.learningRate', this.learningRate);
    assertPositive(fn, 'options.epsilon', this.epsilon);
    for (const [name, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      assertFinite(fn, name, b);
      if (b < 0 || b >= 1) throw new ValueError(message(fn, `${name} must be in [0, 1)`, b));
    }
  }

  step(params: Float64Array[], grads: Float64Array[]): void {
    checkPairs('Adam.step', params, grads, this.m);
    this.t++;
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const c1 = 1 - Math.pow(b1, this.t);
    const c2 = 1 - Math.pow(b2, this.t);
    const lr = this.learningRate;
    for (let k = 0; k < params.length; k++) {
      const p = params[k];
      const g = grads[k];
      const m = (this.m[k] ??= new Float64Array(p.length));
      const v = (this.v[k] ??= new Float64Array(p.length));
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  }
}
