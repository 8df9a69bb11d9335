/**
 * Loss functions with their gradients, over all samples (or pixels) of a Multichannel.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';

/** A scalar loss and its gradient with respect to the prediction (same shape, float64). */
export interface LossResult {
  loss: number;
  grad: Multichannel;
}

function need(fn: string, name: string, xIn: unknown): Multichannel {
  const x = assertMultichannel(fn, name, xIn);
  return x;
}

/**
 * Mean squared error over every entry: `L = (1/(C·T)) Σ_{c,t} (pred − target)²`, with
 * `grad = 2 (pred − target) / (C·T)`. Shapes `[C, T]`, `[C, T]` → scalar and `[C, T]`.
 * @throws ShapeError when the shapes differ or are empty.
 * @example mseLoss(Multichannel.fromChannels([[1, 2]]), Multichannel.fromChannels([[0, 0]])).loss; // 2.5
 */
export function mseLoss(pred: Multichannel, target: Multichannel): LossResult {
  const fn = 'mseLoss';
  need(fn, 'pred', pred);
  need(fn, 'target', target);
  if (pred.channels !== target.channels || pred.length !== target.length) {
    throw new ShapeError(message(fn, `target must have the shape of pred [${pred.channels}, ${pred.length}]`, target));
  }
  const n = pred.data.length;
  if (n === 0) throw new ShapeError(message(fn, 'pred must not be empty', pred));
  const g = new Float64Array(n);
  const p = pred.data;
  const q = target.data;
  let s = 0;
  const k = 2 / n;
  for (let i = 0; i < n; i++) {
    const d = p[i] - q[i];
    s += d * d;
    g[i] = k * d;
  }
  return { loss: s / n, grad: new Multichannel(g, pred.channels, pred.length) };
}

/**
 * Softmax cross-entropy for classification at every sample: `logits` `[K, T]` (K classes),
 * `labels[t] ∈ [0, K)`; `L = −(1/T) Σ_t log softmax(logits[:, t])[labels[t]]` (log-sum-exp with the
 * maximum subtracted, so large logits do not overflow), `grad = (softmax − onehot) / T`.
 * @throws ShapeError when labels.length ≠ T; ValueError for a label outside [0, K).
 * @example softmaxCrossEntropy(Multichannel.fromChannels([[0], [0]]), Int32Array.of(1)).loss // ln 2
 */
export function softmaxCrossEntropy(logits: Multichannel, labels: Int32Array): LossResult {
  const fn = 'softmaxCrossEntropy';
  need(fn, 'logits', logits);
  if (!(labels instanceof Int32Array)) throw new ArgumentTypeError(message(fn, 'labels must be an Int32Array', labels));
  const K = logits.channels;
  const T = logits.length;
  if (labels.length !== T) throw new ShapeError(message(fn, `labels must have one class per sample (${T})`, labels.length));
  if (T === 0) throw new ShapeError(message(fn, 'logits must not be empty', logits));
  const z = logits.data;
  const g = new Float64Array(K * T);
  let loss = 0;
  for (let t = 0; t < T; t++) {
    const y = labels[t];
    if (!(y >= 0 && y < K)) throw new ValueError(message(fn, `labels must be in [0, ${K - 1}]`, { verbatim: `${y} at index ${t}` }));
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, z[k * T + t]);
    let s = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(z[k * T + t] - m);
      g[k * T + t] = e;
      s += e;
    }
    loss += Math.log(s) + m - z[y * T + t];
    for (let k = 0; k < K; k++) g[k * T + t] /= s * T;
    g[y * T + t] -= 1 / T;
  }
  return { loss: loss / T, grad: new Multichannel(g, K, T) };
}
