/**
 * Hostile inputs to PCA (issue 19): cubes scaled by 1e±150…300, constant and all-zero cubes, many
 * more bands than pixels, and band counts whose covariance would not fit the memory budget.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pca, pcaStream, CovarianceAccumulator } from '../../src/spectral/index.js';
import { Multichannel, NumericalError, ValueError } from '../../src/core/index.js';
import { expectClose, expectPointwiseError, Rng } from '../helpers/index.js';

/** A seeded Gaussian cube [bands, pixels] with correlated bands, times `scale`. */
function cube(bands: number, pixels: number, scale = 1, seed = 7): Multichannel {
  const rng = new Rng(seed);
  const z = rng.normals(3 * pixels);
  const noise = rng.normals(bands * pixels);
  const d = new Float64Array(bands * pixels);
  for (let b = 0; b < bands; b++) {
    for (let p = 0; p < pixels; p++) {
      const v = (b + 1) * z[p] + Math.sin(b) * z[pixels + p] + 0.3 * z[2 * pixels + p] + 0.05 * noise[b * pixels + p] + 2 + b;
      d[b * pixels + p] = v * scale;
    }
  }
  return new Multichannel(d, bands, pixels);
}

describe('pca: scale-free ratios', () => {
  const base = pca(cube(6, 500), 4);
  for (const scale of [1e150, 1e-150, 1e300, 1e-300]) {
    it(`the cube times ${scale} gives the same explained-variance ratios as the cube (to 1e-12), never NaN`, () => {
      const m = pca(cube(6, 500, scale), 4);
      for (const r of m.explainedVarianceRatio) expect(Number.isNaN(r)).toBe(false);
      expectClose(m.explainedVarianceRatio, base.explainedVarianceRatio, { atol: 1e-12, label: `ratio ×${scale}` });
      // components do not depend on the scale either
      expectClose(m.components, base.components, { atol: 1e-9, label: `components ×${scale}` });
    });
  }

  it('explained variance scales by scale² where it is representable (×1e150 → ×1e300)', () => {
    const m = pca(cube(6, 500, 1e150), 4);
    for (let c = 0; c < 4; c++) expect(m.explainedVariance[c] / 1e300).toBeCloseTo(base.explainedVariance[c], 10);
  });

  it('the streamed fit (two chunks, different magnitudes merged) gives the same ratios at 1e-300', () => {
    const x = cube(6, 500, 1e-300);
    const half = 250;
    const part = (p0: number, p1: number): Multichannel => {
      const d = new Float64Array(6 * (p1 - p0));
      for (let b = 0; b < 6; b++) d.set(x.data.subarray(b * 500 + p0, b * 500 + p1), b * (p1 - p0));
      return new Multichannel(d, 6, p1 - p0);
    };
    const m = pcaStream(() => [part(0, half), part(half, 500)], 6, 4);
    expectClose(m.explainedVarianceRatio, base.explainedVarianceRatio, { atol: 1e-12 });
  });

  it('CovarianceAccumulator.merge of accumulators with different scales equals one pass', () => {
    const a = cube(5, 300, 1, 3);
    const big = cube(5, 300, 1e40, 4);
    const whole = new CovarianceAccumulator(5).add(a).add(big).finalize();
    const merged = new CovarianceAccumulator(5).add(a).merge(new CovarianceAccumulator(5).add(big)).finalize();
    expectClose(merged.covariance, whole.covariance, { rtol: 1e-12, atol: 0, label: 'covariance' });
    expectClose(merged.mean, whole.mean, { rtol: 1e-12, atol: 0, label: 'mean' });
  });
});

describe('pca: cubes without variance', () => {
  for (const [name, value] of [['constant', 3.25], ['all-zero', 0]] as const) {
    it(`the ${name} cube gives explained variance 0, ratios 0 (not NaN) and total variance 0`, () => {
      const x = new Multichannel(new Float64Array(4 * 50).fill(value), 4, 50);
      const m = pca(x, 2);
      expect(Array.from(m.explainedVariance)).toEqual([0, 0]);
      expect(Array.from(m.explainedVarianceRatio)).toEqual([0, 0]);
      expect(m.totalVariance).toBe(0);
      expect(m.noiseVariance).toBe(0);
      for (const v of m.transform(x).data) expect(v).toBe(0);
      for (const v of m.mean) expect(v).toBe(value);
    });
    it(`whitening the ${name} cube is a NumericalError, not NaN scores`, () => {
      const x = new Multichannel(new Float64Array(4 * 50).fill(value), 4, 50);
      expectPointwiseError(() => pca(x, 2, { whiten: true }), NumericalError, /pca: whiten needs every kept component's variance to be a positive finite number \(component 1 of k = 2: it is 0/);
    });
  }
});

describe('pca: more bands than pixels (the Gram route)', () => {
  const ref = JSON.parse(fs.readFileSync(path.resolve(__dirname, 'fixtures', 'pca_wide_sklearn.json'), 'utf8')) as {
    pixels_x_bands: number[][]; k: number; explained_variance: number[]; explained_variance_ratio: number[]; components: number[][]; mean: number[]; noise_variance: number; scores: number[][];
  };
  const N = ref.pixels_x_bands.length;
  const B = ref.pixels_x_bands[0].length;
  const x = new Multichannel(new Float64Array(B * N), B, N);
  for (let p = 0; p < N; p++) for (let b = 0; b < B; b++) x.data[b * N + p] = ref.pixels_x_bands[p][b];

  it('12 pixels × 40 bands matches scikit-learn PCA(svd_solver="full") (make_pca_wide.py)', () => {
    const m = pca(x, ref.k);
    expectClose(m.explainedVariance, ref.explained_variance, { rtol: 1e-12, atol: 1e-12, label: 'explained variance' });
    expectClose(m.explainedVarianceRatio, ref.explained_variance_ratio, { atol: 1e-13, label: 'ratio' });
    expectClose(m.components, ref.components.flat(), { atol: 1e-11, label: 'components' });
    expectClose(m.mean, ref.mean, { atol: 1e-13, label: 'mean' });
    expect(m.noiseVariance).toBeCloseTo(ref.noise_variance, 12);
    const y = m.transform(x);
    const scores = new Float64Array(ref.k * N);
    for (let p = 0; p < N; p++) for (let c = 0; c < ref.k; c++) scores[c * N + p] = ref.scores[p][c];
    expectClose(y.data, scores, { atol: 1e-11, label: 'scores' });
  });

  it('k = pixels: components past the rank complete an orthonormal set', () => {
    const m = pca(x, N);
    for (let a = 0; a < N; a++) {
      for (let b = 0; b < N; b++) {
        let d = 0;
        for (let j = 0; j < B; j++) d += m.components[a * B + j] * m.components[b * B + j];
        expect(Math.abs(d - (a === b ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
    expect(m.explainedVariance[N - 1]).toBeLessThan(1e-12 * m.explainedVariance[0]);
  });

  it('20 000 bands × 2 pixels (a 320 kB cube) fits without a bands × bands matrix', () => {
    const bands = 20000;
    const d = new Float64Array(bands * 2);
    for (let b = 0; b < bands; b++) {
      d[b * 2] = Math.sin(b);
      d[b * 2 + 1] = Math.cos(b);
    }
    const m = pca(new Multichannel(d, bands, 2), 1);
    expect(m.nSamples).toBe(2);
    expect(m.explainedVarianceRatio[0]).toBeCloseTo(1, 12);
    // the one component is the normalised difference of the two pixels
    let s = 0;
    for (let b = 0; b < bands; b++) s += (d[b * 2 + 1] - d[b * 2]) ** 2;
    const lam = s / 2; // variance of two points along their difference: ‖x1 − x0‖² / 2 (ddof 1)
    expect(m.explainedVariance[0]).toBeCloseTo(lam, 9);
  });

  it('NaN pixels are left out of the Gram route as of the covariance route', () => {
    const withNan = new Multichannel(Float64Array.from(x.data), B, N);
    withNan.data[3 * N + 5] = NaN;
    const m = pca(withNan, 3);
    expect(m.nSamples).toBe(N - 1);
    for (const v of m.explainedVarianceRatio) expect(Number.isFinite(v)).toBe(true);
    expect(Number.isNaN(m.transform(withNan).data[5])).toBe(true);
  });
});

describe('pca: the bands × bands budget', () => {
  it('pcaStream with 20 000 bands refuses before allocating, naming the bytes and the budget', () => {
    expectPointwiseError(() => pcaStream(() => [], 20000, 2), ValueError, /pcaStream: 5 band × band matrices of doubles \(20000 × 20000\) need 1\.60e\+10 bytes, more than the budget maxBytes = 2147483648; raise maxBytes/);
  });
  it('pca with more pixels than bands honours a lowered maxBytes', () => {
    expectPointwiseError(() => pca(cube(64, 100), 2, { maxBytes: 100_000 }), ValueError, /pca: 5 band × band matrices of doubles \(64 × 64\) need 1\.64e\+5 bytes, more than the budget maxBytes = 100000/);
    expect(pca(cube(64, 100), 2, { maxBytes: 200_000 }).k).toBe(2);
  });
  it('CovarianceAccumulator with 40 000 bands refuses (two matrices, 25.6 GB) instead of allocating', () => {
    expectPointwiseError(() => new CovarianceAccumulator(40000), ValueError, /CovarianceAccumulator: 2 band × band matrices of doubles \(40000 × 40000\) need 2\.56e\+10 bytes/);
  });
  it('maxBytes must be a positive number', () => {
    expectPointwiseError(() => pca(cube(4, 10), 2, { maxBytes: -1 }), ValueError, /pca: options.maxBytes must be a positive number of bytes/);
  });
});
