/**
 * PCA versus the learned 1×1 projection, side by side for a range of k: reconstruction error,
 * spectral angle, explained variance, fit time, and task error when abundances or labels are given.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { Rng } from '../core/random.js';
import { fitLeastSquares } from '../train/leastsq.js';
import { gemm } from '../linalg/gemm.js';
import { pca } from './pca.js';
import { fitProjection } from './projection.js';

/** One row of {@link compareProjections}. */
export interface ProjectionComparison {
  k: number;
  /** `'pca'`, `'autoencoder'`, or for tasks `'pca+ls'` / `'learned'` (regression) and `'pca+ls-classes'` / `'learned-classes'`. */
  method: 'pca' | 'autoencoder' | 'pca+ls' | 'learned' | 'pca+ls-classes' | 'learned-classes';
  /** RMSE of the reconstruction over valid pixels and bands (cube units); NaN for task rows. */
  reconstructionRmse: number;
  /** Mean spectral angle between pixel and reconstruction, radians; NaN for task rows. */
  meanSpectralAngle: number;
  /** 1 − SSE / SST of the reconstruction (fraction of variance kept); NaN for task rows. */
  explainedVariance: number;
  /** Wall time of the fit, seconds. */
  fitSeconds: number;
  /** Regression rows: RMSE against the target; classification rows: error rate. NaN otherwise. */
  taskError: number;
  /** {@link reconstructionRmse} on the held-out pixels (NaN without a split or for task rows). */
  heldOutReconstructionRmse: number;
  /** {@link meanSpectralAngle} on the held-out pixels. */
  heldOutSpectralAngle: number;
  /** {@link explainedVariance} on the held-out pixels (1 − SSE / SST about their own mean). */
  heldOutExplainedVariance: number;
  /** {@link taskError} on the held-out pixels (NaN without a split or for reconstruction rows). */
  heldOutTaskError: number;
  /** Pixels the model was fitted on (and the in-sample scores computed on), and pixels held out. */
  trainPixels: number;
  testPixels: number;
}

/** What {@link CompareOptions.onProgress} is told after every fit. */
export interface CompareProgress {
  /** Fits finished so far, and in all. */
  done: number;
  total: number;
  /** The row just finished. */
  k: number;
  method: ProjectionComparison['method'];
  /** Wall time since the call began, seconds. */
  elapsedSeconds: number;
}

/** Options of {@link compareProjections}. */
export interface CompareOptions {
  /** Abundances (or any per-pixel target) `[m, N]`: adds PCA + least squares vs learned rows. */
  target?: Multichannel;
  /** Class labels per pixel: adds PCA + least squares on one-hot vs learned softmax rows. */
  labels?: Int32Array;
  /** Epochs of the autoencoder (default 60) and of the task projection (default 30). */
  epochs?: number;
  taskEpochs?: number;
  batchSize?: number;
  /** Seed of the learned projections' initial weights and of the train/test split (default 0). */
  seed?: number;
  ignoreValue?: number;
  /**
   * Fraction of the pixels held out (default 0.25, in [0, 1)): a seeded random split; every model
   * is fitted on the rest, and each row reports in-sample scores (training pixels) beside held-out
   * ones. 0 fits on every pixel and leaves the held-out fields NaN.
   */
  testFraction?: number;
  /** Include the autoencoder rows (default true); they are the slow ones (gradient training per k). */
  autoencoder?: boolean;
  /** Called after every fit, e.g. to drive a progress bar. */
  onProgress?: (p: CompareProgress) => void;
}

function reconstructionStats(x: Multichannel, r: Multichannel): { rmse: number; sam: number; ev: number } {
  const { channels: B, length: N } = x;
  const mean = new Float64Array(B);
  const ok = new Uint8Array(N).fill(1);
  for (let b = 0; b < B; b++) for (let p = 0; p < N; p++) if (!Number.isFinite(x.data[b * N + p]) || !Number.isFinite(r.data[b * N + p])) ok[p] = 0;
  let n = 0;
  for (let p = 0; p < N; p++) n += ok[p];
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let p = 0; p < N; p++) if (ok[p]) s += x.data[b * N + p];
    mean[b] = s / n;
  }
  let sse = 0;
  let sst = 0;
  const dot = new Float64Array(N);
  const nx = new Float64Array(N);
  const nr = new Float64Array(N);
  for (let b = 0; b < B; b++) {
    for (let p = 0; p < N; p++) {
      if (!ok[p]) continue;
      const a = x.data[b * N + p];
      const c = r.data[b * N + p];
      sse += (a - c) ** 2;
      sst += (a - mean[b]) ** 2;
      dot[p] += a * c;
      nx[p] += a * a;
      nr[p] += c * c;
    }
  }
  let sam = 0;
  for (let p = 0; p < N; p++) {
    if (!ok[p]) continue;
    const d = Math.sqrt(nx[p] * nr[p]);
    sam += d > 0 ? Math.acos(Math.min(1, Math.max(-1, dot[p] / d))) : 0;
  }
  return { rmse: Math.sqrt(sse / (n * B)), sam: sam / n, ev: 1 - sse / sst };
}

function taskRmse(pred: Multichannel, t: Multichannel): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < t.data.length; i++) {
    const d = pred.data[i] - t.data[i];
    if (Number.isFinite(d)) {
      s += d * d;
      n++;
    }
  }
  return Math.sqrt(s / n);
}

/** Applies a least-squares fit `y = W z + b` to scores `z`. */
function applyLs(fit: { weights: Float64Array; bias: Float64Array; outChannels: number; inChannels: number }, z: Multichannel): Multichannel {
  const out = new Float64Array(fit.outChannels * z.length);
  gemm(fit.weights, fit.outChannels, fit.inChannels, z.data, z.length, out, fit.bias);
  return new Multichannel(out, fit.outChannels, z.length);
}

/** Scores with NaN pixels dropped (least squares needs finite inputs), and the kept pixel indices. */
function finiteColumns(z: Multichannel, y: Multichannel): { z: Multichannel; y: Multichannel } {
  const keep: number[] = [];
  for (let p = 0; p < z.length; p++) {
    let ok = true;
    for (let c = 0; c < z.channels && ok; c++) ok = Number.isFinite(z.data[c * z.length + p]);
    for (let c = 0; c < y.channels && ok; c++) ok = Number.isFinite(y.data[c * y.length + p]);
    if (ok) keep.push(p);
  }
  return { z: pickColumns(z, keep), y: pickColumns(y, keep) };
}

/** Pixels `keep` of `m` (all channels), in that order. */
function pickColumns(m: Multichannel, keep: ArrayLike<number>): Multichannel {
  const n = keep.length;
  const out = new Float64Array(m.channels * n);
  for (let c = 0; c < m.channels; c++) {
    const row = c * m.length;
    for (let j = 0; j < n; j++) out[c * n + j] = m.data[row + keep[j]];
  }
  return new Multichannel(out, m.channels, n);
}

/** A seeded split of N pixel indices: `test` holds round(fraction · N) of them, `train` the rest (both ascending). */
function splitPixels(N: number, fraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const order = new Rng(seed).permutation(N);
  const nTest = Math.round(fraction * N);
  return { test: order.slice(0, nTest).sort(), train: order.slice(nTest).sort() };
}

/** Classification error rate of per-class scores against labels (pixels without a finite score are skipped). */
function errorRate(scores: Multichannel, lab: Int32Array): number {
  const N = scores.length;
  let wrong = 0;
  let n = 0;
  for (let q = 0; q < N; q++) {
    let best = -1;
    let bv = -Infinity;
    for (let c = 0; c < scores.channels; c++) {
      const v = scores.data[c * N + q];
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    if (best < 0) continue;
    n++;
    if (best !== lab[q]) wrong++;
  }
  return wrong / n;
}

/**
 * For each k in `ks`: PCA and a learned linear autoencoder (reconstruction RMSE, mean spectral angle,
 * explained variance, fit time); with `target`, PCA + least squares vs a projection trained on the
 * target (task RMSE); with `labels`, PCA + least squares on one-hot classes vs a softmax-trained
 * projection (error rate). Theory: the autoencoder's reconstruction error ≥ PCA's (equal at the
 * optimum); a task-trained projection can beat PCA + least squares at equal k, since PCA keeps the
 * directions of largest variance, not those that predict the target.
 *
 * Generalisation: by default a seeded quarter of the pixels is held out (`testFraction`); every
 * model is fitted on the other pixels and each row gives its in-sample scores (on those) and its
 * held-out scores (`heldOut…`). `autoencoder: false` skips the slowest rows; `onProgress` is called
 * after every fit. Rows come in the order k, then pca, autoencoder, pca+ls, learned, pca+ls-classes,
 * learned-classes.
 * @throws ValueError for an empty `ks`, k out of [1, bands], or a `testFraction` outside [0, 1) or
 *   leaving fewer than 2 training pixels; ShapeError for a target or labels of the wrong size;
 *   ArgumentTypeError for a non-function `onProgress`.
 * @example
 * const rows = compareProjections(cube, [1, 2, 3, 5], { target: abundances, testFraction: 0.3, autoencoder: false,
 *   onProgress: ({ done, total }) => bar.update(done / total) });
 * rows.map((r) => [r.k, r.method, r.taskError, r.heldOutTaskError]);
 */
export function compareProjections(x: Multichannel, ks: readonly number[], options: CompareOptions = {}): ProjectionComparison[] {
  const fn = 'compareProjections';
  assertMultichannel(fn, 'x', x, '[bands, pixels]');
  if (!Array.isArray(ks) || ks.length === 0) throw new ValueError(message(fn, 'ks must be a non-empty array of component counts', ks));
  ks.forEach((k, i) => assertInteger(fn, `ks[${i}]`, k, 1, x.channels));
  if (options.target && (!(options.target instanceof Multichannel) || options.target.length !== x.length)) throw new ShapeError(message(fn, `options.target must be a Multichannel with ${x.length} pixels`, options.target));
  if (options.labels && (!(options.labels instanceof Int32Array) || options.labels.length !== x.length)) throw new ShapeError(message(fn, `options.labels must be an Int32Array with ${x.length} entries`, options.labels));
  const testFraction = options.testFraction ?? 0.25;
  if (typeof testFraction !== 'number' || !(testFraction >= 0 && testFraction < 1)) throw new ValueError(message(fn, 'options.testFraction must be a number in [0, 1)', testFraction));
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new ArgumentTypeError(message(fn, 'options.onProgress must be a function', onProgress));
  const withAe = options.autoencoder ?? true;
  const seed = options.seed ?? 0;

  const split = testFraction > 0 ? splitPixels(x.length, testFraction, seed) : null;
  if (split && split.train.length < 2) throw new ValueError(message(fn, `options.testFraction must leave at least 2 of the ${x.length} pixels for training`, testFraction));
  const xTrain = split ? pickColumns(x, split.train) : x;
  const xTest = split ? pickColumns(x, split.test) : null;
  const tTrain = options.target ? (split ? pickColumns(options.target, split.train) : options.target) : undefined;
  const tTest = options.target && split ? pickColumns(options.target, split.test) : null;
  const pickLabels = (idx: Int32Array): Int32Array => Int32Array.from(idx, (p) => options.labels![p]);
  const lTrain = options.labels ? (split ? pickLabels(split.train) : options.labels) : undefined;
  const lTest = options.labels && split ? pickLabels(split.test) : null;

  const fitsPerK = 1 + (withAe ? 1 : 0) + (options.target ? 2 : 0) + (options.labels ? 2 : 0);
  const total = fitsPerK * ks.length;
  const t0 = process.hrtime.bigint();
  const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;
  const time = <T>(f: () => T): [T, number] => {
    const start = process.hrtime.bigint();
    const r = f();
    return [r, seconds(start)];
  };
  const rows: ProjectionComparison[] = [];
  const split0 = { trainPixels: xTrain.length, testPixels: xTest ? xTest.length : 0 };
  const noHeldOut = { heldOutReconstructionRmse: NaN, heldOutSpectralAngle: NaN, heldOutExplainedVariance: NaN, heldOutTaskError: NaN };
  const push = (row: ProjectionComparison): void => {
    rows.push(row);
    onProgress?.({ done: rows.length, total, k: row.k, method: row.method, elapsedSeconds: seconds(t0) });
  };
  /** In-sample and held-out reconstruction scores of `reconstruct`. */
  const reconstruction = (reconstruct: (m: Multichannel) => Multichannel) => {
    const a = reconstructionStats(xTrain, reconstruct(xTrain));
    const b = xTest ? reconstructionStats(xTest, reconstruct(xTest)) : null;
    return {
      reconstructionRmse: a.rmse, meanSpectralAngle: a.sam, explainedVariance: a.ev, taskError: NaN,
      ...noHeldOut,
      ...(b ? { heldOutReconstructionRmse: b.rmse, heldOutSpectralAngle: b.sam, heldOutExplainedVariance: b.ev } : {}),
    };
  };
  const none = { reconstructionRmse: NaN, meanSpectralAngle: NaN, explainedVariance: NaN };
  const fitOpts = { batchSize: options.batchSize, seed, ignoreValue: options.ignoreValue };
  for (const k of ks) {
    const [p, tp] = time(() => pca(xTrain, k, { ignoreValue: options.ignoreValue }));
    push({ k, method: 'pca', ...reconstruction((m) => p.inverseTransform(p.transform(m))), fitSeconds: tp, ...split0 });
    if (withAe) {
      const ae = fitProjection(xTrain, k, { epochs: options.epochs ?? 60, ...fitOpts });
      push({ k, method: 'autoencoder', ...reconstruction((m) => ae.predict(m)), fitSeconds: ae.fitSeconds, ...split0 });
    }
    if (tTrain) {
      const [ls, tl] = time(() => {
        const f = finiteColumns(p.transform(xTrain), tTrain);
        return fitLeastSquares(f.z, f.y);
      });
      const predictLs = (m: Multichannel): Multichannel => applyLs(ls, p.transform(m));
      push({ k, method: 'pca+ls', ...none, fitSeconds: tp + tl, taskError: taskRmse(predictLs(xTrain), tTrain), ...noHeldOut, heldOutTaskError: xTest && tTest ? taskRmse(predictLs(xTest), tTest) : NaN, ...split0 });
      const learned = fitProjection(xTrain, k, { target: tTrain, epochs: options.taskEpochs ?? 30, ...fitOpts });
      push({ k, method: 'learned', ...none, fitSeconds: learned.fitSeconds, taskError: taskRmse(learned.predict(xTrain), tTrain), ...noHeldOut, heldOutTaskError: xTest && tTest ? taskRmse(learned.predict(xTest), tTest) : NaN, ...split0 });
    }
    if (lTrain) {
      let classes = 0;
      for (const l of lTrain) classes = Math.max(classes, l + 1);
      const onehot = new Float64Array(classes * xTrain.length);
      for (let q = 0; q < xTrain.length; q++) if (lTrain[q] >= 0) onehot[lTrain[q] * xTrain.length + q] = 1;
      const oh = new Multichannel(onehot, classes, xTrain.length);
      const [ls, tl] = time(() => {
        const f = finiteColumns(p.transform(xTrain), oh);
        return fitLeastSquares(f.z, f.y);
      });
      const scoresLs = (m: Multichannel): Multichannel => applyLs(ls, p.transform(m));
      push({ k, method: 'pca+ls-classes', ...none, fitSeconds: tp + tl, taskError: errorRate(scoresLs(xTrain), lTrain), ...noHeldOut, heldOutTaskError: xTest && lTest ? errorRate(scoresLs(xTest), lTest) : NaN, ...split0 });
      const learned = fitProjection(xTrain, k, { target: lTrain, epochs: options.taskEpochs ?? 30, ...fitOpts });
      push({ k, method: 'learned-classes', ...none, fitSeconds: learned.fitSeconds, taskError: errorRate(learned.predict(xTrain), lTrain), ...noHeldOut, heldOutTaskError: xTest && lTest ? errorRate(learned.predict(xTest), lTest) : NaN, ...split0 });
    }
  }
  return rows;
}
