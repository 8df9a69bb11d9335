/**
 * Verification of conservation on data: how far every sample's conserved quantities drift.
 * @module
 */
import { ArgumentTypeError, ShapeError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { LinearConstraints } from './constraints.js';

/** One conserved quantity in a {@link ConservationReport}. */
export interface ConservedQuantityReport {
  /** The row's name (e.g. 'C', 'total'). */
  name: string;
  /** max_t |A_k y_t − B_k x_t − c_k|. */
  maxAbsolute: number;
  /** max_t |A_k y_t − B_k x_t − c_k| / |B_k x_t + c_k| (0/0 counts as 0, v/0 as Infinity). */
  maxRelative: number;
  /** The sample where the absolute violation is largest (−1 for no samples). */
  worstSample: number;
  /** max_t |B_k x_t + c_k|: the scale of the quantity. */
  scale: number;
}

/** Result of {@link conservationReport}. */
export interface ConservationReport {
  quantities: ConservedQuantityReport[];
  /** Largest absolute violation over every quantity and sample. */
  maxAbsolute: number;
  /** Largest relative violation over every quantity and sample. */
  maxRelative: number;
  /** max |C vec(W) − d| over the general rows (fixed entries), 0 when there are none. */
  weightViolation: number;
  samples: number;
}

/** What the report needs of a mixer: its weights, bias, sizes and (optionally) its own forward pass. */
export interface MixerLike {
  weights: Float64Array;
  bias?: Float64Array;
  outChannels: number;
  inChannels: number;
  forward?: (x: Multichannel) => Multichannel;
}

/**
 * Checks conservation on data: for every structured row k (named), the worst per-sample violation
 * of `A_k y_t = B_k x_t + c_k` where `y = mixer(x)` — computed by the mixer's own `forward` when it
 * has one (what users actually get), else as `W x + b` in float64 — in absolute terms and relative
 * to the quantity `|B_k x_t + c_k|` of that sample.
 * @param x `[Cin, T]`.
 * @example conservationReport(fit.mixer, x, laws).quantities.map((q) => `${q.name}: ${q.maxRelative}`)
 * @throws ShapeError when the mixer, x and constraints disagree on Cin / Cout.
 * Complexity O(Cout·Cin·T + r·(Cin + Cout)·T).
 */
export function conservationReport(mixer: MixerLike, x: Multichannel, constraints: LinearConstraints): ConservationReport {
  const fn = 'conservationReport';
  if (!(constraints instanceof LinearConstraints)) throw new ArgumentTypeError(message(fn, 'constraints must be a LinearConstraints', constraints));
  assertMultichannel(fn, 'x', x);
  if (typeof mixer !== 'object' || mixer === null || !(mixer.weights instanceof Float64Array)) throw new ArgumentTypeError(message(fn, 'mixer must have Float64Array weights (a PointwiseMixer or a fit result)', mixer));
  const { outChannels: cout, inChannels: cin } = constraints;
  if (mixer.outChannels !== cout || mixer.inChannels !== cin) {
    throw new ShapeError(message(fn, `the mixer must be ${cin} → ${cout} like the constraints`, { verbatim: `${mixer.inChannels} → ${mixer.outChannels}` }));
  }
  if (x.channels !== cin) throw new ShapeError(message(fn, `x must have Cin = ${cin} channels`, x.channels));
  const T = x.length;
  let y: ArrayLike<number>;
  if (typeof mixer.forward === 'function') {
    y = mixer.forward(x).data;
  } else {
    const out = new Float64Array(cout * T);
    for (let o = 0; o < cout; o++) {
      const b = mixer.bias ? mixer.bias[o] : 0;
      for (let t = 0; t < T; t++) out[o * T + t] = b;
      for (let i = 0; i < cin; i++) {
        const w = mixer.weights[o * cin + i];
        if (w === 0) continue;
        for (let t = 0; t < T; t++) out[o * T + t] += w * x.data[i * T + t];
      }
    }
    y = out;
  }
  const quantities: ConservedQuantityReport[] = [];
  let maxAbsolute = 0, maxRelative = 0;
  const lhs = new Float64Array(T), rhs = new Float64Array(T);
  for (let k = 0; k < constraints.rows; k++) {
    lhs.fill(0);
    rhs.fill(constraints.biasTarget[k]);
    for (let o = 0; o < cout; o++) {
      const a = constraints.A[k * cout + o];
      if (a !== 0) for (let t = 0; t < T; t++) lhs[t] += a * y[o * T + t];
    }
    for (let i = 0; i < cin; i++) {
      const b = constraints.B[k * cin + i];
      if (b !== 0) for (let t = 0; t < T; t++) rhs[t] += b * x.data[i * T + t];
    }
    let ab = 0, rel = 0, worst = -1, scale = 0;
    for (let t = 0; t < T; t++) {
      const e = Math.abs(lhs[t] - rhs[t]);
      const s = Math.abs(rhs[t]);
      scale = Math.max(scale, s);
      if (e > ab || worst < 0) {
        ab = Math.max(ab, e);
        worst = e >= ab ? t : worst;
      }
      const r = e === 0 ? 0 : s === 0 ? Infinity : e / s;
      if (r > rel) rel = r;
    }
    quantities.push({ name: constraints.names[k], maxAbsolute: ab, maxRelative: rel, worstSample: worst, scale });
    maxAbsolute = Math.max(maxAbsolute, ab);
    maxRelative = Math.max(maxRelative, rel);
  }
  let weightViolation = 0;
  const n = cout * cin;
  for (let g = 0; g < constraints.generalRows; g++) {
    let s = -constraints.d[g];
    for (let j = 0; j < n; j++) s += constraints.C[g * n + j] * mixer.weights[j];
    weightViolation = Math.max(weightViolation, Math.abs(s));
  }
  return { quantities, maxAbsolute, maxRelative, weightViolation, samples: T };
}
