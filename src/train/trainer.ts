/**
 * `trainMixer`: mini-batch training of a {@link PointwiseMixer} over samples or pixels.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { Rng } from '../core/random.js';
import { assertInteger, assertOneOf, assertPositive } from '../core/validate.js';
import { PointwiseMixer } from '../mixing/mixer.js';
import { mseLoss, softmaxCrossEntropy, type LossResult } from './losses.js';
import { Adam, type Optimizer } from './optimizers.js';

/** Loss names accepted by {@link trainMixer}. */
export type LossName = 'mse' | 'softmax-cross-entropy';

/** What the progress callback receives after every epoch. */
export interface TrainProgress {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean loss over the training samples in this epoch (batch losses weighted by batch size, measured before each step). */
  trainLoss: number;
  /** Loss on the validation samples after this epoch (NaN without a validation split). */
  validationLoss: number;
  /** Best validation loss so far (NaN without a validation split). */
  bestValidationLoss: number;
}

/** Options of {@link trainMixer}. */
export interface TrainOptions {
  /** 'mse' (default for a Multichannel target) or 'softmax-cross-entropy' (default for Int32Array labels). */
  loss?: LossName;
  /** Optimiser (default `new Adam({ learningRate: 0.01 })`). Its state carries over between calls. */
  optimizer?: Optimizer;
  /** Passes over the training samples (default 100). */
  epochs?: number;
  /** Samples (or pixels) per mini-batch (default: all training samples, i.e. full batch). */
  batchSize?: number;
  /** Seed for the shuffling and the validation split (default 0). */
  seed?: number;
  /** Fraction of samples held out for validation and early stopping, in [0, 1) (default 0). */
  validationSplit?: number;
  /** Stop after this many epochs without a validation improvement (default: never); the best weights are restored. */
  patience?: number;
  /** Shuffle the training samples every epoch (default true). */
  shuffle?: boolean;
  /** Multiply the optimiser's learningRate by this after every epoch (default 1). */
  learningRateDecay?: number;
  /** Called after every epoch; return `false` to stop. */
  onProgress?: (p: TrainProgress) => boolean | void;
}

/** The outcome of {@link trainMixer}. */
export interface TrainResult {
  /** Epochs actually run. */
  epochs: number;
  /** Per-epoch training loss. */
  trainLoss: number[];
  /** Per-epoch validation loss (empty without a validation split). */
  validationLoss: number[];
  /** Epoch (1-based) whose weights the mixer holds at the end (the best validation epoch, or the last). */
  bestEpoch: number;
  /** Whether training stopped before `epochs` (patience ran out or the callback returned false). */
  stoppedEarly: boolean;
  /** Loss of the final mixer on all training samples. */
  finalLoss: number;
}

/** Columns `idx[from..to)` of x as a new `[C, to − from]` float64 Multichannel. */
function gather(x: Multichannel, idx: Int32Array, from: number, to: number): Multichannel {
  const C = x.channels;
  const T = x.length;
  const n = to - from;
  const out = new Float64Array(C * n);
  const d = x.data;
  for (let c = 0; c < C; c++) {
    const src = c * T;
    const dst = c * n;
    for (let k = 0; k < n; k++) out[dst + k] = d[src + idx[from + k]];
  }
  return new Multichannel(out, C, n);
}

function gatherLabels(labels: Int32Array, idx: Int32Array, from: number, to: number): Int32Array {
  const out = new Int32Array(to - from);
  for (let k = from; k < to; k++) out[k - from] = labels[idx[k]];
  return out;
}

/**
 * Trains `mixer` in place (its `weights` and, when it has one, `bias`) to map `x` to `target`.
 *
 * Each epoch shuffles the training samples (seeded), cuts them into mini-batches of `batchSize`
 * samples (pixels), and for each batch runs forward, the loss, the exact backward pass and one
 * optimiser step. With `validationSplit > 0` a seeded random subset of samples is held out; with
 * `patience` training stops once the validation loss has not improved for that many epochs and
 * the weights of the best epoch are restored.
 *
 * Shapes: `x` `[Cin, T]`; `target` `[Cout, T]` (mse) or `Int32Array(T)` class labels in `[0, Cout)`
 * (softmax cross-entropy on the mixer's outputs as logits).
 * Complexity per epoch: `≈ 3·Cout·Cin·T` multiply-adds plus the gathers.
 * @throws ShapeError when x, target and mixer disagree in channels or samples.
 * @throws ValueError for bad options (epochs < 1, validationSplit ∉ [0, 1), …).
 * @example
 * const m = PointwiseMixer.random(200, 3, { seed: 1 });
 * const r = trainMixer(m, pixels, labels, { loss: 'softmax-cross-entropy', epochs: 50, batchSize: 512, validationSplit: 0.2, patience: 5 });
 */
export function trainMixer(mixer: PointwiseMixer, x: Multichannel, target: Multichannel | Int32Array, options: TrainOptions = {}): TrainResult {
  const fn = 'trainMixer';
  if (!(mixer instanceof PointwiseMixer)) throw new ArgumentTypeError(message(fn, 'mixer must be a PointwiseMixer', mixer));
  assertMultichannel(fn, 'x', x);
  if (x.channels !== mixer.inChannels) throw new ShapeError(message(fn, `x must have mixer.inChannels = ${mixer.inChannels} channels`, x.channels));
  const T = x.length;
  let lossName: LossName;
  if (target instanceof Multichannel) {
    lossName = options.loss ?? 'mse';
    if (lossName !== 'mse') throw new ValueError(message(fn, "a Multichannel target needs loss 'mse'", lossName));
    if (target.channels !== mixer.outChannels || target.length !== T) {
      throw new ShapeError(message(fn, `target must be [mixer.outChannels, x.length] = [${mixer.outChannels}, ${T}]`, target));
    }
  } else if (target instanceof Int32Array) {
    lossName = options.loss ?? 'softmax-cross-entropy';
    if (lossName !== 'softmax-cross-entropy') throw new ValueError(message(fn, "Int32Array labels need loss 'softmax-cross-entropy'", lossName));
    if (target.length !== T) throw new ShapeError(message(fn, `target labels must have one entry per sample (${T})`, target.length));
    for (let t = 0; t < T; t++) {
      if (!(target[t] >= 0 && target[t] < mixer.outChannels)) throw new ValueError(message(fn, `labels must be in [0, ${mixer.outChannels - 1}]`, { verbatim: `${target[t]} at index ${t}` }));
    }
  } else {
    throw new ArgumentTypeError(message(fn, 'target must be a Multichannel or Int32Array of labels', target));
  }
  assertOneOf(fn, 'loss', lossName, ['mse', 'softmax-cross-entropy'] as const);
  const epochs = options.epochs ?? 100;
  assertInteger(fn, 'options.epochs', epochs, 1);
  const split = options.validationSplit ?? 0;
  assertPositive(fn, 'options.validationSplit', split, true);
  if (split >= 1) throw new ValueError(message(fn, 'options.validationSplit must be in [0, 1)', split));
  const patience = options.patience ?? Infinity;
  if (patience !== Infinity) assertInteger(fn, 'options.patience', patience, 1);
  const decay = options.learningRateDecay ?? 1;
  assertPositive(fn, 'options.learningRateDecay', decay);
  const rng = new Rng(options.seed ?? 0);
  const perm = rng.permutation(T);
  const nVal = Math.floor(T * split);
  const nTrain = T - nVal;
  if (nTrain < 1) throw new ShapeError(message(fn, 'at least one training sample must remain after the validation split', nTrain));
  if (split > 0 && nVal < 1) throw new ShapeError(message(fn, 'validationSplit leaves no validation samples', { verbatim: `${split} of ${T} samples` }));
  const trainIdx = perm.slice(0, nTrain);
  const valIdx = perm.slice(nTrain);
  const batchSize = options.batchSize ?? nTrain;
  assertInteger(fn, 'options.batchSize', batchSize, 1);
  const optimizer = options.optimizer ?? new Adam({ learningRate: 0.01 });
  const shuffle = options.shuffle ?? true;

  const lossOf = (xb: Multichannel, idx: Int32Array, from: number, to: number): LossResult => {
    const pred = mixer.forward(xb);
    if (target instanceof Multichannel) return mseLoss(pred, gather(target, idx, from, to));
    return softmaxCrossEntropy(pred, gatherLabels(target, idx, from, to));
  };
  const xVal = nVal > 0 ? gather(x, valIdx, 0, nVal) : null;
  const evaluate = (): number => (xVal ? lossOf(xVal, valIdx, 0, nVal).loss : NaN);

  const params = mixer.hasBias ? [mixer.weights, mixer.bias] : [mixer.weights];
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestW = mixer.weights.slice();
  let bestB = mixer.bias.slice();
  let sinceBest = 0;
  let stoppedEarly = false;
  let epoch = 0;
  const order = trainIdx.slice();
  while (epoch < epochs) {
    epoch++;
    if (shuffle) {
      const p = rng.permutation(nTrain);
      const previous = order.slice();
      for (let i = 0; i < nTrain; i++) order[i] = previous[p[i]];
    }
    let sum = 0;
    for (let from = 0; from < nTrain; from += batchSize) {
      const to = Math.min(nTrain, from + batchSize);
      const xb = gather(x, order, from, to);
      const { loss, grad } = lossOf(xb, order, from, to);
      sum += loss * (to - from);
      const g = mixer.backward(xb, grad);
      optimizer.step(params, mixer.hasBias ? [g.dW, g.db] : [g.dW]);
    }
    const tl = sum / nTrain;
    trainLoss.push(tl);
    const vl = evaluate();
    if (xVal) {
      validationLoss.push(vl);
      if (vl < best) {
        best = vl;
        bestEpoch = epoch;
        bestW = mixer.weights.slice();
        bestB = mixer.bias.slice();
        sinceBest = 0;
      } else sinceBest++;
    } else bestEpoch = epoch;
    if (decay !== 1 && optimizer.learningRate !== undefined) optimizer.learningRate *= decay;
    const verdict = options.onProgress?.({ epoch, trainLoss: tl, validationLoss: vl, bestValidationLoss: xVal ? best : NaN });
    if (verdict === false) {
      stoppedEarly = epoch < epochs;
      break;
    }
    if (xVal && sinceBest >= patience) {
      stoppedEarly = epoch < epochs;
      break;
    }
  }
  if (xVal && bestEpoch > 0 && bestEpoch !== epoch) {
    mixer.weights.set(bestW);
    mixer.bias.set(bestB);
  }
  const all = new Int32Array(T);
  for (let t = 0; t < T; t++) all[t] = t;
  const finalLoss = lossOf(x.dtype === 'float64' ? x : x.astype('float64'), all, 0, T).loss;
  return { epochs: epoch, trainLoss, validationLoss, bestEpoch, stoppedEarly, finalLoss };
}
