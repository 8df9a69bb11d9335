import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitProjection, compareProjections, pca, syntheticCube, readEnvi, falseColor, writeFalseColorPng, bandsNearest, explainedVarianceCurve, percentile } from '../../src/spectral/index.js';
import { readMat, matToMultichannel } from '../../src/io/mat.js';
import { fitLeastSquares } from '../../src/train/index.js';
import { decodePng } from '../../src/io/png.js';
import { Multichannel, ValueError, ShapeError, ArgumentTypeError } from '../../src/core/index.js';
import { expectPointwiseError, sharedData, tempDir } from '../helpers/index.js';

const samsonHdr = sharedData('hyperspectral/samson_bsq_f32.hdr');
const samsonMat = sharedData('hyperspectral/Samson.mat');

function rmse(a: Multichannel, b: Multichannel): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return Math.sqrt(s / a.data.length);
}

/** PCA + least squares on the scores: the baseline a task-trained projection must beat. */
function pcaLs(x: Multichannel, t: Multichannel, k: number): number {
  const z = pca(x, k).transform(x);
  const f = fitLeastSquares(z, t);
  const pred = new Float64Array(t.channels * x.length);
  for (let o = 0; o < t.channels; o++) for (let p = 0; p < x.length; p++) {
    let a = f.bias[o];
    for (let c = 0; c < k; c++) a += f.weights[o * k + c] * z.data[c * x.length + p];
    pred[o * x.length + p] = a;
  }
  return rmse(new Multichannel(pred, t.channels, x.length), t);
}

describe('fitProjection: linear autoencoder', () => {
  it('reconstruction error never beats PCA and converges to it (seed 31)', () => {
    const { cube } = syntheticCube({ shape: [24, 24], bands: 16, endmembers: 4, noise: 0.01, seed: 31 });
    const k = 2;
    const p = pca(cube, k);
    const ePca = rmse(p.inverseTransform(p.transform(cube)), cube);
    const errs = [2, 40].map((epochs) => {
      const ae = fitProjection(cube, k, { epochs, batchSize: 32, seed: 31 });
      expect(ae.kind).toBe('autoencoder');
      return rmse(ae.inverseTransform(ae.transform(cube)), cube);
    });
    for (const e of errs) expect(e).toBeGreaterThanOrEqual(ePca * (1 - 1e-9));
    expect(errs[1]).toBeLessThan(errs[0]);
    expect(errs[1] / ePca).toBeLessThan(1.02); // 1.0097 after 40 epochs
  });

  it('starting from PCA it stays at the PCA optimum (within 0.5 %)', () => {
    const { cube } = syntheticCube({ shape: [20, 20], bands: 12, seed: 32 });
    const p = pca(cube, 3);
    const ePca = rmse(p.inverseTransform(p.transform(cube)), cube);
    const ae = fitProjection(cube, 3, { init: 'pca', epochs: 5, learningRate: 1e-4, seed: 32 });
    const e = rmse(ae.predict(cube), cube);
    expect(e).toBeGreaterThanOrEqual(ePca * (1 - 1e-9));
    expect(e / ePca).toBeLessThan(1.005);
  });
});

describe('fitProjection: task targets', () => {
  it('abundances: beats PCA + least squares at equal k when the target is not the high-variance direction (seed 33)', () => {
    const { cube, abundances } = syntheticCube({ shape: [30, 30], bands: 24, endmembers: 5, noise: 0.002, seed: 33 });
    const k = 2;
    const base = pcaLs(cube, abundances, k);
    const m = fitProjection(cube, k, { target: abundances, epochs: 40, seed: 33 });
    expect(m.kind).toBe('regression');
    expect(m.head!.outChannels).toBe(5);
    const learned = rmse(m.predict(cube), abundances);
    expect(learned).toBeLessThan(base);
  });

  it('class labels: softmax-trained projection classifies better than chance and returns valid classes (seed 34)', () => {
    const { cube, labels } = syntheticCube({ shape: [24, 24], bands: 16, endmembers: 3, seed: 34 });
    const m = fitProjection(cube, 2, { target: labels, epochs: 15, seed: 34 });
    const pred = m.classify(cube);
    let right = 0;
    for (let p = 0; p < labels.length; p++) {
      expect(pred[p]).toBeGreaterThanOrEqual(0);
      expect(pred[p]).toBeLessThan(3);
      if (pred[p] === labels[p]) right++;
    }
    expect(right / labels.length).toBeGreaterThan(0.8);
  });

  it('NaN pixels are left out of training and give NaN outputs', () => {
    const { cube, abundances } = syntheticCube({ shape: [12, 12], bands: 8, seed: 35 });
    const d = Float64Array.from(cube.data);
    d[3 * cube.length + 7] = NaN;
    const x = new Multichannel(d, 8, cube.length);
    const m = fitProjection(x, 3, { target: abundances, epochs: 3 });
    const y = m.predict(x);
    expect(Number.isNaN(y.data[7])).toBe(true);
    expect(Number.isFinite(y.data[8])).toBe(true);
  });

  it.skipIf(!samsonHdr || !samsonMat)('Samson: abundances from the learned projection (k = 3, target S_GT) have lower RMSE than PCA + least squares', () => {
    const x = readEnvi(samsonHdr!);
    const S = matToMultichannel(readMat(samsonMat!).arrays.S_GT); // [3, 95·95], row-major like the ENVI cube
    const base = pcaLs(x, S, 3);
    const m = fitProjection(x, 3, { target: S, epochs: 6, batchSize: 512, seed: 1 });
    const learned = rmse(m.predict(x), S);
    console.log(`[spectral] Samson abundance RMSE, k = 3: PCA + least squares ${base.toFixed(4)}, learned projection ${learned.toFixed(4)}`);
    expect(base).toBeGreaterThan(0.1); // 0.1233
    expect(learned).toBeLessThan(base);
  });
});

describe('fitProjection bad input', () => {
  const { cube, abundances } = syntheticCube({ shape: [4, 4], bands: 5, seed: 1 });
  const table: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['k > bands', () => fitProjection(cube, 6), ValueError, /fitProjection: k must be ≤ the number of bands = 5; got 6/],
    ['k = 0', () => fitProjection(cube, 0), ValueError, /fitProjection: k must be an integer ≥ 1; got 0/],
    ['all-NaN cube', () => fitProjection(new Multichannel(new Float64Array(10).fill(NaN), 2, 5), 1), ValueError, /at least 2 valid pixels.*; got 0/],
    ['target of the wrong length', () => fitProjection(cube, 2, { target: abundances.slice(0, 5) }), ShapeError, /target must have one value per pixel \(16\); got 5/],
    ['labels of one class', () => fitProjection(cube, 2, { target: new Int32Array(16) }), ValueError, /labels must name at least 2 classes; got 1/],
    ['a string target', () => fitProjection(cube, 2, { target: 'abundances' as 'reconstruct' }), ArgumentTypeError, /target must be 'reconstruct', a Multichannel or an Int32Array/],
    ['inverse of a task model', () => fitProjection(cube, 3, { target: abundances, epochs: 1 }).inverseTransform(abundances), ValueError, /only a projection trained with target 'reconstruct' has an inverse/],
  ];
  for (const [label, f, cls, re] of table) {
    it(label, () => {
      expectPointwiseError(f, cls, re, label);
    });
  }
});

describe('compareProjections', () => {
  it('reports PCA vs autoencoder vs task rows per k; the autoencoder never beats PCA (seed 36)', () => {
    const { cube, abundances, labels } = syntheticCube({ shape: [16, 16], bands: 12, endmembers: 4, seed: 36 });
    const rows = compareProjections(cube, [1, 2], { target: abundances, labels, epochs: 10, taskEpochs: 5, seed: 36, testFraction: 0 });
    expect(rows.map((r) => `${r.k}:${r.method}`)).toEqual(['1:pca', '1:autoencoder', '1:pca+ls', '1:learned', '1:pca+ls-classes', '1:learned-classes', '2:pca', '2:autoencoder', '2:pca+ls', '2:learned', '2:pca+ls-classes', '2:learned-classes']);
    for (const k of [1, 2]) {
      const p = rows.find((r) => r.k === k && r.method === 'pca')!;
      const a = rows.find((r) => r.k === k && r.method === 'autoencoder')!;
      expect(a.reconstructionRmse).toBeGreaterThanOrEqual(p.reconstructionRmse * (1 - 1e-9));
      expect(p.explainedVariance).toBeGreaterThan(0);
      expect(p.explainedVariance).toBeLessThanOrEqual(1);
      expect(p.meanSpectralAngle).toBeGreaterThanOrEqual(0);
      // explained variance of the PCA reconstruction = cumulative ratio of the model
      const m = pca(cube, k);
      expect(p.explainedVariance).toBeCloseTo(explainedVarianceCurve(m).cumulative[k - 1], 10);
    }
    expect(rows[1].reconstructionRmse).toBeGreaterThan(0);
    expect(() => compareProjections(cube, [])).toThrow(/compareProjections: ks must be a non-empty array/);
    expect(() => compareProjections(cube, [13])).toThrow(/ks\[0\] must be an integer in \[1, 12\]; got 13/);
  });
});

describe('falseColor', () => {
  it('stretches each channel between its percentiles (hand-worked 2 × 2 image)', () => {
    // channel c, pixel p: r = [0, 1, 2, 3], g = [10, 10, 20, 30], b = [NaN-free constant 5]
    const x = new Multichannel(Float64Array.from([0, 1, 2, 3, 10, 10, 20, 30, 5, 5, 5, 5]), 3, 4, { shape: [2, 2] });
    const img = falseColor(x, [0, 1, 2], { percentiles: [0, 100] });
    expect(img.width).toBe(2);
    expect(img.height).toBe(2);
    expect(Array.from(img.rgba)).toEqual([0, 0, 0, 255, 85, 0, 0, 255, 170, 128, 0, 255, 255, 255, 0, 255]);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
  });

  it('NaN pixels are transparent; PNG written through the plot module decodes to the same bytes', () => {
    const x = new Multichannel(Float64Array.from([0, NaN, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]), 3, 4, { shape: [1, 4] });
    const dir = tempDir();
    const file = path.join(dir, 'fc.png');
    const img = writeFalseColorPng(file, x, [0, 1, 2]);
    expect(img.rgba[7]).toBe(0);
    const back = decodePng(new Uint8Array(fs.readFileSync(file)));
    expect(back.width).toBe(4);
    expect(Array.from(back.rgba)).toEqual(Array.from(img.rgba));
  });

  it('picks bands by wavelength and rejects bad input', () => {
    const { cube } = syntheticCube({ shape: [4, 4], bands: 22, wavelengthRangeNm: [400, 2500], seed: 2 });
    expect(bandsNearest(cube, [400, 1450, 2500])).toEqual([0, 10, 21]);
    expect(() => falseColor(cube, [0, 1, 22])).toThrow(/falseColor: channels\[2\] must be an integer in \[0, 21\]; got 22/);
    expect(() => falseColor(new Multichannel(new Float64Array(9), 3, 3), [0, 1, 2])).toThrow(/falseColor: x must have a 2-D shape/);
    expect(() => falseColor(cube, [0, 1, 2], { percentiles: [50, 10] })).toThrow(/percentiles must satisfy 0 ≤ low < high ≤ 100/);
  });
});
