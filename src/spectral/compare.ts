/**
 * PCA versus the learned 1×1 projection, side by side for a range of k: reconstruction error,
 * spectral angle, explained variance, fit time, and task error when abundances or labels are given.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { fitLeastSquares } from '../train/leastsq.js';
import { gemm } from '../mixing/gemm.js';
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
  seed?: number;
  ignoreValue?: number;
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
  const pick = (m: Multichannel): Multichannel => {
    const out = new Float64Array(m.channels * keep.length);
    for (let c = 0; c < m.channels; c++) keep.forEach((p, j) => (out[c * keep.length + j] = m.data[c * m.length + p]));
    return new Multichannel(out, m.channels, keep.length);
  };
  return { z: pick(z), y: pick(y) };
}

/**
 * For each k in `ks`: PCA and a learned linear autoencoder (reconstruction RMSE, mean spectral angle,
 * explained variance, fit time); with `target`, PCA + least squares vs a projection trained on the
 * target (task RMSE); with `labels`, PCA + least squares on one-hot classes vs a softmax-trained
 * projection (error rate). Theory: the autoencoder's reconstruction error ≥ PCA's (equal at the
 * optimum); a task-trained projection can beat PCA + least squares at equal k, since PCA keeps the
 * directions of largest variance, not those that predict the target.
 * @throws ValueError for an empty `ks` or k out of [1, bands]; ShapeError for a target of the wrong size.
 * @example compareProjections(cube, [1, 2, 3, 5], { target: abundances })
 */
export function compareProjections(x: Multichannel, ks: readonly number[], options: CompareOptions = {}): ProjectionComparison[] {
  const fn = 'compareProjections';
  if (!(x instanceof Multichannel)) throw new ArgumentTypeError(message(fn, 'x must be a Multichannel [bands, pixels]', x));
  if (!Array.isArray(ks) || ks.length === 0) throw new ValueError(message(fn, 'ks must be a non-empty array of component counts', ks));
  ks.forEach((k, i) => assertInteger(fn, `ks[${i}]`, k, 1, x.channels));
  if (options.target && (!(options.target instanceof Multichannel) || options.target.length !== x.length)) throw new ShapeError(message(fn, `target must be a Multichannel with ${x.length} pixels`, options.target));
  if (options.labels && (!(options.labels instanceof Int32Array) || options.labels.length !== x.length)) throw new ShapeError(message(fn, `labels must be an Int32Array with ${x.length} entries`, options.labels));
  const rows: ProjectionComparison[] = [];
  const seed = options.seed ?? 0;
  const time = <T>(f: () => T): [T, number] => {
    const t0 = process.hrtime.bigint();
    const r = f();
    return [r, Number(process.hrtime.bigint() - t0) / 1e9];
  };
  for (const k of ks) {
    const [p, tp] = time(() => pca(x, k, { ignoreValue: options.ignoreValue }));
    const sp = reconstructionStats(x, p.inverseTransform(p.transform(x)));
    rows.push({ k, method: 'pca', reconstructionRmse: sp.rmse, meanSpectralAngle: sp.sam, explainedVariance: sp.ev, fitSeconds: tp, taskError: NaN });
    const ae = fitProjection(x, k, { epochs: options.epochs ?? 60, batchSize: options.batchSize, seed, ignoreValue: options.ignoreValue });
    const sa = reconstructionStats(x, ae.predict(x));
    rows.push({ k, method: 'autoencoder', reconstructionRmse: sa.rmse, meanSpectralAngle: sa.sam, explainedVariance: sa.ev, fitSeconds: ae.fitSeconds, taskError: NaN });
    const none = { reconstructionRmse: NaN, meanSpectralAngle: NaN, explainedVariance: NaN };
    if (options.target) {
      const t = options.target;
      const [ls, tl] = time(() => {
        const z = p.transform(x);
        const f = finiteColumns(z, t);
        return fitLeastSquares(f.z, f.y);
      });
      const predPca = applyLs(ls, p.transform(x));
      rows.push({ k, method: 'pca+ls', ...none, fitSeconds: tp + tl, taskError: taskRmse(predPca, t) });
      const learned = fitProjection(x, k, { target: t, epochs: options.taskEpochs ?? 30, batchSize: options.batchSize, seed, ignoreValue: options.ignoreValue });
      rows.push({ k, method: 'learned', ...none, fitSeconds: learned.fitSeconds, taskError: taskRmse(learned.predict(x), t) });
    }
    if (options.labels) {
      const lab = options.labels;
      let classes = 0;
      for (const l of lab) classes = Math.max(classes, l + 1);
      const onehot = new Float64Array(classes * x.length);
      for (let q = 0; q < x.length; q++) if (lab[q] >= 0) onehot[lab[q] * x.length + q] = 1;
      const oh = new Multichannel(onehot, classes, x.length);
      const [ls, tl] = time(() => {
        const f = finiteColumns(p.transform(x), oh);
        return fitLeastSquares(f.z, f.y);
      });
      const err = (scores: Multichannel): number => {
        let wrong = 0;
        let n = 0;
        for (let q = 0; q < x.length; q++) {
          let best = -1;
          let bv = -Infinity;
          for (let c = 0; c < scores.channels; c++) if (scores.data[c * x.length + q] > bv) { bv = scores.data[c * x.length + q]; best = c; }
          if (best < 0) continue;
          n++;
          if (best !== lab[q]) wrong++;
        }
        return wrong / n;
      };
      rows.push({ k, method: 'pca+ls-classes', ...none, fitSeconds: tp + tl, taskError: err(applyLs(ls, p.transform(x))) });
      const learned = fitProjection(x, k, { target: lab, epochs: options.taskEpochs ?? 30, batchSize: options.batchSize, seed, ignoreValue: options.ignoreValue });
      rows.push({ k, method: 'learned-classes', ...none, fitSeconds: learned.fitSeconds, taskError: err(learned.predict(x)) });
    }
  }
  return rows;
}
