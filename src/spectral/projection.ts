/**
 * A learned 1×1 projection of a cube, bands → k, trained by gradient descent through the mixing and
 * training modules ({@link PointwiseMixer}, {@link Adam}, {@link mseLoss}, {@link softmaxCrossEntropy}):
 *
 * - `target: 'reconstruct'` (default): a linear autoencoder `x̂ = D (W x + b) + d`. Its optimum spans
 *   the same subspace as PCA's top k components, so its reconstruction error tends to PCA's from
 *   above and can never beat it (Baldi & Hornik 1989);
 * - a Multichannel target `[m, N]` (e.g. abundances): `y = H (W x + b) + h` with MSE (when m = k the
 *   projection itself is the predictor, no head);
 * - an Int32Array of class labels: the same with a softmax cross-entropy on `m` = classes logits.
 *
 * Inputs are standardised inside the fit (per-band mean removed, one global scale) so Adam sees a
 * well-scaled problem; the returned weights act on raw pixels. Pixels with NaN (or the ignore value)
 * in any band are left out of training and give NaN outputs.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { Rng } from '../core/random.js';
import { assertInteger, assertPositive } from '../core/validate.js';
import { PointwiseMixer } from '../mixing/mixer.js';
import { Adam } from '../train/optimizers.js';
import { mseLoss, softmaxCrossEntropy } from '../train/losses.js';
import { fitLeastSquares, fitLeastSquaresFromGram, type LeastSquaresOptions } from '../train/leastsq.js';
import { GramAccumulator } from '../train/gram.js';
import { validMask } from './covariance.js';
import { gemm } from '../linalg/gemm.js';
import { pca } from './pca.js';

/** What the projection is trained for. */
export type ProjectionKind = 'autoencoder' | 'regression' | 'classification';

/** Options of {@link fitProjection}. */
export interface ProjectionOptions {
  /** `'reconstruct'` (default), a `[m, N]` Multichannel target (MSE), or Int32Array labels (softmax). */
  target?: 'reconstruct' | Multichannel | Int32Array;
  /** Passes over the pixels (default 60). */
  epochs?: number;
  /** Pixels per mini-batch (default 256). */
  batchSize?: number;
  /** Adam step size (default 0.01), multiplied by `learningRateDecay` (default 0.95) every epoch. */
  learningRate?: number;
  learningRateDecay?: number;
  /** `'random'` (Glorot; default for reconstruct) or `'pca'` (start from PCA + least squares; default for targets). */
  init?: 'random' | 'pca';
  /** Pixels equal to this in any band are left out (NaN pixels always are). */
  ignoreValue?: number;
  seed?: number;
}

/** A trained projection. `weights` (k × bands) and `bias` (k) act on raw pixels: `z = W x + b`. */
export class ProjectionModel {
  readonly kind: ProjectionKind;
  readonly k: number;
  readonly bands: number;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  /** Autoencoder decoder `bands × k` and offset (raw units), or undefined. */
  readonly decoder: { weights: Float64Array; bias: Float64Array } | undefined;
  /** Task head `m × k` and offset (undefined when the projection is the predictor itself or for autoencoders). */
  readonly head: { weights: Float64Array; bias: Float64Array; outChannels: number } | undefined;
  /** Training loss per epoch (standardised units). */
  readonly lossHistory: number[];
  /** Wall time of the fit in seconds. */
  readonly fitSeconds: number;
  readonly ignoreValue: number | undefined;

  constructor(init: {
    kind: ProjectionKind; k: number; bands: number; weights: Float64Array; bias: Float64Array;
    decoder?: { weights: Float64Array; bias: Float64Array }; head?: { weights: Float64Array; bias: Float64Array; outChannels: number };
    lossHistory: number[]; fitSeconds: number; ignoreValue?: number;
  }) {
    this.kind = init.kind;
    this.k = init.k;
    this.bands = init.bands;
    this.weights = init.weights;
    this.bias = init.bias;
    this.decoder = init.decoder;
    this.head = init.head;
    this.lossHistory = init.lossHistory;
    this.fitSeconds = init.fitSeconds;
    this.ignoreValue = init.ignoreValue;
  }

  /** `[bands, N] → [k, N]`: `W x + b`; pixels with NaN or the ignore value give NaN. Keeps `shape`. */
  transform(x: Multichannel): Multichannel {
    const fn = 'ProjectionModel.transform';
    assertMultichannel(fn, 'x', x);
    if (x.channels !== this.bands) throw new ShapeError(message(fn, `x must have ${this.bands} bands`, x.channels));
    const N = x.length;
    const out = new Float64Array(this.k * N);
    gemm(this.weights, this.k, this.bands, x.data, N, out, this.bias);
    const valid = validMask(x.data, N, Int32Array.from({ length: this.bands }, (_, i) => i), 0, N, this.ignoreValue);
    for (let p = 0; p < N; p++) if (!valid[p]) for (let c = 0; c < this.k; c++) out[c * N + p] = NaN;
    return new Multichannel(out, this.k, N, x.shape ? { shape: x.shape } : {});
  }

  /** Autoencoder only: `[k, N] → [bands, N]` through the decoder. @throws ValueError for task models. */
  inverseTransform(y: Multichannel): Multichannel {
    const fn = 'ProjectionModel.inverseTransform';
    if (!this.decoder) throw new ValueError(message(fn, "only a projection trained with target 'reconstruct' has an inverse", this.kind));
    if (!(y instanceof Multichannel) || y.channels !== this.k) throw new ShapeError(message(fn, `y must be a Multichannel with k = ${this.k} channels`, y));
    const out = new Float64Array(this.bands * y.length);
    gemm(this.decoder.weights, this.bands, this.k, y.data, y.length, out, this.decoder.bias);
    return new Multichannel(out, this.bands, y.length, y.shape ? { shape: y.shape } : {});
  }

  /**
   * Task output `[bands, N] → [m, N]`: the regression prediction or the class logits (through the
   * head when there is one). For an autoencoder, the reconstruction.
   */
  predict(x: Multichannel): Multichannel {
    const z = this.transform(x);
    if (this.decoder) return this.inverseTransform(z);
    if (!this.head) return z;
    const out = new Float64Array(this.head.outChannels * z.length);
    gemm(this.head.weights, this.head.outChannels, this.k, z.data, z.length, out, this.head.bias);
    return new Multichannel(out, this.head.outChannels, z.length, z.shape ? { shape: z.shape } : {});
  }

  /** Classification only: the arg-max class per pixel (−1 for NaN pixels). */
  classify(x: Multichannel): Int32Array {
    if (this.kind !== 'classification') throw new ValueError(message('ProjectionModel.classify', 'only a projection trained on class labels classifies', this.kind));
    const y = this.predict(x);
    const N = y.length;
    const out = new Int32Array(N).fill(-1);
    for (let p = 0; p < N; p++) {
      let best = -1;
      let bv = -Infinity;
      for (let c = 0; c < y.channels; c++) if (y.data[c * N + p] > bv) { bv = y.data[c * N + p]; best = c; }
      out[p] = best;
    }
    return out;
  }
}

/** Columns `idx[from..to)` of a `[C, N]` array. */
function gatherCols(data: Float64Array, C: number, N: number, idx: Int32Array, from: number, to: number): Multichannel {
  const n = to - from;
  const out = new Float64Array(C * n);
  for (let c = 0; c < C; c++) {
    const src = c * N;
    const dst = c * n;
    for (let j = 0; j < n; j++) out[dst + j] = data[src + idx[from + j]];
  }
  return new Multichannel(out, C, n);
}

/**
 * Trains a 1×1 projection bands → k (see the module notes for the three kinds).
 * Cost per epoch ≈ 6·N·k·(bands + m) multiply-adds.
 * @throws ValueError for k ≤ 0 or k > bands, labels out of range, fewer than 2 valid pixels;
 *   ShapeError when the target's pixel count differs from x's.
 * @example
 * const ae = fitProjection(cube, 3);                                  // autoencoder
 * const reg = fitProjection(cube, 3, { target: abundances });         // predicts abundances
 * const cls = fitProjection(cube, 8, { target: labels, epochs: 30 }); // softmax over classes
 */
export function fitProjection(x: Multichannel, k: number, options: ProjectionOptions = {}): ProjectionModel {
  const fn = 'fitProjection';
  const t0 = process.hrtime.bigint();
  assertMultichannel(fn, 'x', x, '[bands, pixels]');
  const B = x.channels;
  const N = x.length;
  assertInteger(fn, 'k', k, 1);
  if (k > B) throw new ValueError(message(fn, `k must be ≤ the number of bands = ${B}`, k));
  const target = options.target ?? 'reconstruct';
  const epochs = options.epochs ?? 60;
  assertInteger(fn, 'options.epochs', epochs, 1);
  const batchSize = options.batchSize ?? 256;
  assertInteger(fn, 'options.batchSize', batchSize, 1);
  const lr0 = options.learningRate ?? 0.01;
  assertPositive(fn, 'options.learningRate', lr0);
  const decay = options.learningRateDecay ?? 0.95;
  assertPositive(fn, 'options.learningRateDecay', decay);
  let kind: ProjectionKind;
  let m: number;
  if (target === 'reconstruct') {
    kind = 'autoencoder';
    m = B;
  } else if (target instanceof Multichannel) {
    kind = 'regression';
    if (target.length !== N) throw new ShapeError(message(fn, `target must have one value per pixel (${N})`, target.length));
    m = target.channels;
  } else if (target instanceof Int32Array) {
    kind = 'classification';
    if (target.length !== N) throw new ShapeError(message(fn, `labels must have one entry per pixel (${N})`, target.length));
    m = 0;
    for (let p = 0; p < N; p++) {
      if (!(target[p] >= 0)) throw new ValueError(message(fn, 'labels must be ≥ 0', { verbatim: `${target[p]} at pixel ${p}` }));
      m = Math.max(m, target[p] + 1);
    }
    if (m < 2) throw new ValueError(message(fn, 'labels must name at least 2 classes', m));
  } else {
    throw new ArgumentTypeError(message(fn, "options.target must be 'reconstruct', a Multichannel or an Int32Array of labels", target));
  }
  const init = options.init ?? (kind === 'autoencoder' ? 'random' : 'pca');
  if (init !== 'random' && init !== 'pca') throw new ValueError(message(fn, "options.init must be 'random' or 'pca'", init));

  // valid pixels (and finite targets)
  const all = Int32Array.from({ length: B }, (_, i) => i);
  const valid = validMask(x.data, N, all, 0, N, options.ignoreValue);
  if (target instanceof Multichannel) {
    const tv = validMask(target.data, N, Int32Array.from({ length: m }, (_, i) => i), 0, N, undefined);
    for (let p = 0; p < N; p++) valid[p] &= tv[p];
  }
  const idxList: number[] = [];
  for (let p = 0; p < N; p++) if (valid[p]) idxList.push(p);
  const n = idxList.length;
  if (n < 2) throw new ValueError(message(fn, 'x must have at least 2 valid pixels (no NaN, not the ignore value)', n));
  const idxAll = Int32Array.from(idxList);

  // standardise: z = (x − μ) / s, one global scale s (RMS of the centred data)
  const mu = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += x.data[b * N + idxAll[j]];
    mu[b] = acc / n;
  }
  const Z = new Float64Array(B * n);
  let ss = 0;
  for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) {
    const v = x.data[b * N + idxAll[j]] - mu[b];
    Z[b * n + j] = v;
    ss += v * v;
  }
  const s = Math.sqrt(ss / (B * n)) || 1;
  for (let i = 0; i < Z.length; i++) Z[i] /= s;
  // targets in standardised units too (regression: per-output mean and one scale)
  let T: Float64Array | null = null;
  let tMu: Float64Array | null = null;
  let tScale = 1;
  let labels: Int32Array | null = null;
  if (kind === 'autoencoder') T = Z;
  else if (kind === 'regression') {
    const tg = target as Multichannel;
    tMu = new Float64Array(m);
    T = new Float64Array(m * n);
    let ts = 0;
    for (let c = 0; c < m; c++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += tg.data[c * N + idxAll[j]];
      tMu[c] = acc / n;
      for (let j = 0; j < n; j++) {
        const v = tg.data[c * N + idxAll[j]] - tMu[c];
        T[c * n + j] = v;
        ts += v * v;
      }
    }
    tScale = Math.sqrt(ts / (m * n)) || 1;
    for (let i = 0; i < T.length; i++) T[i] /= tScale;
  } else {
    labels = new Int32Array(n);
    for (let j = 0; j < n; j++) labels[j] = (target as Int32Array)[idxAll[j]];
  }
  const zCube = new Multichannel(Z, B, n);

  // layers: encoder (k × B) and, unless the projection is the predictor, a second layer (m × k)
  const rng = new Rng(options.seed ?? 0);
  const direct = kind === 'regression' && m === k;
  let enc: PointwiseMixer;
  let dec: PointwiseMixer | null = null;
  if (init === 'pca') {
    const p = pca(zCube, k);
    enc = new PointwiseMixer(Float64Array.from(p.components), k, B, new Float64Array(k));
    if (!direct) {
      const scores = enc.forward(zCube);
      if (kind === 'classification') {
        const onehot = new Float64Array(m * n);
        for (let j = 0; j < n; j++) onehot[labels![j] * n + j] = 1;
        const ls = fitLeastSquares(scores, new Multichannel(onehot, m, n), { ridge: 1e-6 });
        dec = new PointwiseMixer(ls.weights, m, k, ls.bias);
      } else {
        const tgt = kind === 'autoencoder' ? zCube : new Multichannel(T!, m, n);
        const ls = fitLeastSquares(scores, tgt, { ridge: 1e-9 });
        dec = new PointwiseMixer(ls.weights, m, k, ls.bias);
      }
    } else {
      // start from PCA + least squares (the baseline), written as one k × bands projection
      const scores = enc.forward(zCube);
      const lsK = fitLeastSquares(scores, new Multichannel(T!, m, n), { ridge: 1e-9 });
      const w = new Float64Array(k * B);
      for (let o = 0; o < k; o++) for (let b = 0; b < B; b++) {
        let acc = 0;
        for (let c = 0; c < k; c++) acc += lsK.weights[o * k + c] * p.components[c * B + b];
        w[o * B + b] = acc;
      }
      enc = new PointwiseMixer(w, k, B, lsK.bias);
    }
  } else {
    enc = PointwiseMixer.random(B, k, { seed: rng.int(0, 2 ** 31 - 1) });
    if (!direct) dec = PointwiseMixer.random(k, m, { seed: rng.int(0, 2 ** 31 - 1) });
  }

  const opt = new Adam({ learningRate: lr0 });
  const params = dec ? [enc.weights, enc.bias, dec.weights, dec.bias] : [enc.weights, enc.bias];
  const history: number[] = [];
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let e = 0; e < epochs; e++) {
    // reshuffle the previous epoch's order (seeded)
    const p = rng.permutation(n);
    const previous = order.slice();
    for (let i = 0; i < n; i++) order[i] = previous[p[i]];
    let total = 0;
    for (let from = 0; from < n; from += batchSize) {
      const to = Math.min(n, from + batchSize);
      const xb = gatherCols(Z, B, n, order, from, to);
      const h = enc.forward(xb);
      const out = dec ? dec.forward(h) : h;
      let lossRes;
      if (kind === 'classification') {
        const lb = new Int32Array(to - from);
        for (let j = from; j < to; j++) lb[j - from] = labels![order[j]];
        lossRes = softmaxCrossEntropy(out, lb);
      } else {
        lossRes = mseLoss(out, gatherCols(T!, m, n, order, from, to));
      }
      total += lossRes.loss * (to - from);
      let grads: Float64Array[];
      if (dec) {
        const g2 = dec.backward(h, lossRes.grad);
        const g1 = enc.backward(xb, g2.dX);
        grads = [g1.dW, g1.db, g2.dW, g2.db];
      } else {
        const g1 = enc.backward(xb, lossRes.grad);
        grads = [g1.dW, g1.db];
      }
      opt.step(params, grads);
    }
    history.push(total / n);
    opt.learningRate *= decay;
  }

  // fold the standardisation into raw-pixel weights: z = W (x − μ)/s + b  →  W' = W/s, b' = b − W' μ
  const W = new Float64Array(k * B);
  const bias = new Float64Array(k);
  for (let o = 0; o < k; o++) {
    let acc = 0;
    for (let b = 0; b < B; b++) {
      W[o * B + b] = enc.weights[o * B + b] / s;
      acc += W[o * B + b] * mu[b];
    }
    bias[o] = enc.bias[o] - acc;
  }
  let decoder: { weights: Float64Array; bias: Float64Array } | undefined;
  let head: { weights: Float64Array; bias: Float64Array; outChannels: number } | undefined;
  if (kind === 'autoencoder') {
    // x̂ = s (D h + d) + μ
    const dw = new Float64Array(B * k);
    const db = new Float64Array(B);
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < k; c++) dw[b * k + c] = dec!.weights[b * k + c] * s;
      db[b] = dec!.bias[b] * s + mu[b];
    }
    decoder = { weights: dw, bias: db };
  } else if (kind === 'regression') {
    // y = tScale (H h + hb) + tMu, or y = tScale z + tMu when direct
    if (dec) {
      const hw = new Float64Array(m * k);
      const hb = new Float64Array(m);
      for (let c = 0; c < m; c++) {
        for (let j = 0; j < k; j++) hw[c * k + j] = dec.weights[c * k + j] * tScale;
        hb[c] = dec.bias[c] * tScale + tMu![c];
      }
      head = { weights: hw, bias: hb, outChannels: m };
    } else {
      for (let o = 0; o < k; o++) {
        for (let b = 0; b < B; b++) W[o * B + b] *= tScale;
        bias[o] = bias[o] * tScale + tMu![o];
      }
    }
  } else {
    head = { weights: Float64Array.from(dec!.weights), bias: Float64Array.from(dec!.bias), outChannels: m };
  }
  const fitSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return new ProjectionModel({ kind, k, bands: B, weights: W, bias, decoder, head, lossHistory: history, fitSeconds, ignoreValue: options.ignoreValue });
}

/**
 * The linear projection of a cube onto a target, `z = W x + b` (`[bands, N] → [m, N]`), fitted in
 * closed form from Gram sums ({@link GramAccumulator} with x = the cube's pixels, y = the target):
 * the least-squares optimum that {@link fitProjection} with a `[m, N]` target and `k = m` approaches
 * by gradient descent. Because the sums merge exactly, tiles of a cube accumulated apart (and saved
 * as partial results) give the same model as the whole cube (to rounding).
 * Returns a ProjectionModel of kind `'regression'` with no head and an empty loss history.
 * @example
 * const acc = new GramAccumulator(cube.channels, abundances.channels, { nonFinite: 'skip' });
 * acc.add(cube, abundances);
 * const model = fitProjectionFromGram(acc, { ridge: 1e-9 }); model.transform(cube) // [m, N]
 * @throws ArgumentTypeError when acc is not a GramAccumulator; as {@link fitLeastSquaresFromGram}.
 */
export function fitProjectionFromGram(acc: GramAccumulator, options: LeastSquaresOptions & { ignoreValue?: number } = {}): ProjectionModel {
  const t0 = process.hrtime.bigint();
  if (!(acc instanceof GramAccumulator)) throw new ArgumentTypeError(message('fitProjectionFromGram', 'acc must be a GramAccumulator', acc));
  const fit = fitLeastSquaresFromGram(acc, options);
  return new ProjectionModel({
    kind: 'regression', k: fit.outChannels, bands: fit.inChannels, weights: fit.weights, bias: fit.bias, lossHistory: [],
    fitSeconds: Number(process.hrtime.bigint() - t0) / 1e9, ignoreValue: options.ignoreValue,
  });
}
