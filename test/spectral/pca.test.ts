import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pca, pcaStream, CovarianceAccumulator, syntheticCube, readEnvi, EnviReader } from '../../src/spectral/index.js';
import { symmetricEigen } from '../../src/linalg/eigen.js';
import { mirrorUpper, syrkUpper } from '../../src/linalg/products.js';
import { WasmSyrk, wasmSyrk } from '../../src/linalg/syrk-wasm.js';
import { Multichannel, ValueError, ArgumentTypeError } from '../../src/core/index.js';
import { expectPointwiseError, Rng, expectClose, refSources, sharedData, flat } from '../helpers/index.js';

interface PcaCase { pixelsByBands: number[][]; k: number; mean: number[]; components: number[][]; explainedVariance: number[]; explainedVarianceRatio: number[]; transformFirst5: number[][] }
type PcaDetail = { meta: { input_pixels_x_bands: number[][] }; cases: Record<string, unknown>[] };
const samsonHdr = sharedData('hyperspectral/samson_bsq_f32.hdr');
const sk = JSON.parse(fs.readFileSync(path.resolve(__dirname, 'fixtures', 'samson_pca_sklearn.json'), 'utf8')) as Record<string, { explained_variance: number[]; explained_variance_ratio: number[]; first3_fraction: number; components: number[][]; noise_variance: number }>;

/** pixels × bands (reference layout) → Multichannel [bands, pixels]. */
function cubeOf(rows: number[][]): Multichannel {
  const N = rows.length, B = rows[0].length;
  const d = new Float64Array(B * N);
  for (let p = 0; p < N; p++) for (let b = 0; b < B; b++) d[b * N + p] = rows[p][b];
  return new Multichannel(d, B, N);
}

/** Oracle: covariance (ddof 1) by two-pass direct loops. */
function directCov(x: Multichannel): Float64Array {
  const { channels: B, length: N, data } = x;
  const mu = new Float64Array(B);
  for (let b = 0; b < B; b++) { let s = 0; for (let p = 0; p < N; p++) s += data[b * N + p]; mu[b] = s / N; }
  const c = new Float64Array(B * B);
  for (let i = 0; i < B; i++) for (let j = 0; j < B; j++) { let s = 0; for (let p = 0; p < N; p++) s += (data[i * N + p] - mu[i]) * (data[j * N + p] - mu[j]); c[i * B + j] = s / (N - 1); }
  return c;
}

for (const { label: source, ref } of refSources<{ cases: PcaCase[] }>('pca.json')) describe(`pca vs scikit-learn (pca.json) [${source}]`, () => {
  ref.cases.forEach((c, ci) => {
    it(`case ${ci}: ${c.pixelsByBands.length} pixels × ${c.pixelsByBands[0].length} bands, k = ${c.k}`, () => {
      const x = cubeOf(c.pixelsByBands);
      const m = pca(x, c.k);
      expectClose(m.explainedVariance, c.explainedVariance, { rtol: 1e-10, label: 'explained variance' });
      expectClose(m.explainedVarianceRatio, c.explainedVarianceRatio, { rtol: 1e-10, label: 'ratio' });
      expectClose(m.mean, c.mean, { atol: 1e-12, rtol: 1e-12, label: 'mean' });
      // components up to sign (1e-8) — and with svd_flip the signs agree too
      const B = x.channels;
      for (let i = 0; i < c.k; i++) {
        const row = m.components.subarray(i * B, (i + 1) * B);
        const s = Math.sign(row.reduce((a, v, b) => a + v * c.components[i][b], 0));
        expect(s, `sign of component ${i}`).toBe(1);
        expectClose(row.map((v) => v * s), c.components[i], { atol: 1e-8, label: `component ${i}` });
      }
      const y = m.transform(x);
      for (let p = 0; p < 5; p++) expectClose(Array.from({ length: c.k }, (_, i) => y.data[i * x.length + p]), c.transformFirst5[p], { atol: 1e-9, label: `scores of pixel ${p}` });
    });
  });
});

for (const { label: source, ref: detail } of refSources<PcaDetail>('pca_detail.json')) describe(`pca vs scikit-learn details (pca_detail.json) [${source}]`, () => {
  const cases = detail.cases.filter((c) => typeof c.n_components === 'number' && Number.isInteger(c.n_components));
  for (const solver of ['full', 'subspace'] as const) {
    cases.forEach((c) => {
      it(`${c.name as string} (${solver})`, () => {
        const x = cubeOf(detail.meta.input_pixels_x_bands);
        const k = c.n_components as number;
        const m = pca(x, k, { solver });
        const w = pca(x, k, { solver, whiten: true });
        expectClose(m.singularValues, c.singular_values as number[], { rtol: 1e-10, label: 'singular values' });
        expectClose(m.explainedVariance, c.explained_variance as number[], { rtol: 1e-10, label: 'explained variance' });
        expect(Math.abs(m.noiseVariance - (c.noise_variance as number))).toBeLessThan(1e-12);
        expectClose(m.components, flat(c.components), { atol: 1e-9, label: 'components with svd_flip signs' });
        expectClose(m.transform(x).data, flat(c.transform), { atol: 1e-9, label: 'transform' });
        expectClose(w.transform(x).data, flat(c.transform_whiten), { atol: 1e-9, label: 'whitened transform' });
        expectClose(m.inverseTransform(m.transform(x)).data, flat(c.inverse_transform), { atol: 1e-9, label: 'inverse transform' });
        expectClose(w.inverseTransform(w.transform(x)).data, flat(c.inverse_transform), { atol: 1e-9, label: 'whitened inverse' });
        const canon = pca(x, k, { solver, signs: 'max-loading' });
        expectClose(canon.components, flat(c.components_sign_canonical), { atol: 1e-9, label: 'canonical signs' });
      });
    });
  }
});

describe('covariance kernel and accumulator', () => {
  for (const B of [1, 3, 4, 5, 9, 17]) {
    it(`syrkUpper equals direct dot products for ${B} rows (seed ${B})`, () => {
      const rng = new Rng(B);
      const P = 37;
      const X = rng.normals(B * P);
      const G = new Float64Array(B * B);
      syrkUpper(X, B, P, G);
      mirrorUpper(G, B);
      for (let i = 0; i < B; i++) for (let j = 0; j < B; j++) {
        let s = 0;
        for (let p = 0; p < P; p++) s += X[i * P + p] * X[j * P + p];
        expect(Math.abs(G[i * B + j] - s)).toBeLessThan(1e-12);
      }
    });
  }

  it('the WebAssembly SIMD Gram kernel equals syrkUpper bit for bit, over several blocks (B = 1…13, 17, 200; seed 41)', () => {
    const rng = new Rng(41);
    const k = new WasmSyrk();
    for (const B of [1, 2, 3, 4, 5, 7, 8, 9, 13, 17, 200]) {
      const blocks = [37, 256, 1];
      const G = new Float64Array(B * B);
      const Gs = new Float64Array(B * B);
      expect(k.begin(B, 256)).toBe(true);
      for (const P of blocks) {
        const X = rng.normals(B * P); // band-major, as syrkUpper takes it
        for (let i = 0; i < X.length; i += 7) X[i] *= 1e6; // mixed magnitudes: any change of order would show
        syrkUpper(X, B, P, G);
        for (let p = 0; p < P; p++) for (let b = 0; b < B; b++) k.xt[p * k.stride + b] = X[b * P + p];
        k.addBlock(P);
      }
      k.addUpperTo(Gs);
      for (let i = 0; i < B; i++) for (let j = i; j < B; j++) expect(Gs[i * B + j], `B=${B} (${i}, ${j})`).toBe(G[i * B + j]);
      for (let i = 0; i < B; i++) for (let j = 0; j < i; j++) expect(Gs[i * B + j]).toBe(0); // upper triangle only, like syrkUpper
    }
    if (process.env.POINTWISE_WASM !== '0') expect(wasmSyrk(), 'the covariance uses the SIMD kernel (self-test passed)').not.toBeNull();
  });

  it('covariance equals the two-pass oracle, also with a large offset (shifted sums; seed 3)', () => {
    const rng = new Rng(3);
    const B = 7, N = 20000;
    const d = rng.normals(B * N);
    for (let i = 0; i < d.length; i++) d[i] = 1e6 + d[i] * (1 + (i % 5)); // mean 1e6, variance ~1–25
    const x = new Multichannel(d, B, N);
    const got = new CovarianceAccumulator(B).add(x).finalize().covariance;
    const want = directCov(x);
    expectClose(got, want, { atol: 1e-8, label: 'cov with offset 1e6' });
  });

  it('chunks and merges give the same covariance as one pass (seed 4)', () => {
    const { cube } = syntheticCube({ shape: [40, 50], bands: 23, seed: 4 });
    const whole = new CovarianceAccumulator(23).add(cube).finalize();
    const a = new CovarianceAccumulator(23);
    const b = new CovarianceAccumulator(23);
    for (let s = 0; s < cube.length; s += 300) (s < 1000 ? a : b).add(cube.slice(s, Math.min(cube.length, s + 300)));
    const merged = a.merge(b).finalize();
    expect(merged.count).toBe(2000);
    expectClose(merged.covariance, whole.covariance, { atol: 1e-15, rtol: 1e-11, label: 'merged cov' });
    expectClose(merged.mean, whole.mean, { rtol: 1e-13, label: 'merged mean' });
  });
});

describe('worker threads', () => {
  it('pca with threads: 2 gives bit-for-bit the same model as one thread (float64 and float32; NaN pixels; seed 16)', () => {
    const { cube } = syntheticCube({ shape: [100, 90], bands: 14, seed: 16 });
    const d = Float64Array.from(cube.data);
    d[3 * cube.length + 500] = NaN;
    for (const x of [new Multichannel(d, 14, cube.length), new Multichannel(Float32Array.from(d), 14, cube.length)]) {
      const a = pca(x, 4);
      const b = pca(x, 4, { threads: 2 });
      expect(Array.from(b.components)).toEqual(Array.from(a.components));
      expect(Array.from(b.explainedVariance)).toEqual(Array.from(a.explainedVariance));
      expect(b.nSamples).toBe(9000 - 1);
    }
  });
});

describe('pca properties', () => {
  it('components are orthonormal, variances descend, reconstruction error = discarded variance (seed 11)', () => {
    const { cube } = syntheticCube({ shape: [30, 30], bands: 40, seed: 11, noise: 0.01 });
    const k = 5;
    const m = pca(cube, k);
    const B = 40, N = cube.length;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += m.components[i * B + b] * m.components[j * B + b];
      expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    }
    for (let i = 1; i < k; i++) expect(m.explainedVariance[i]).toBeLessThanOrEqual(m.explainedVariance[i - 1]);
    const rec = m.inverseTransform(m.transform(cube));
    let sse = 0;
    for (let i = 0; i < rec.data.length; i++) sse += (rec.data[i] - cube.data[i]) ** 2;
    const discarded = m.totalVariance - m.explainedVariance.reduce((a, v) => a + v, 0);
    expect(sse / (N - 1)).toBeCloseTo(discarded, 12);
  });

  it('NaN and ignore-value pixels are left out of the fit and come back NaN (seed 12)', () => {
    const { cube } = syntheticCube({ shape: [20, 20], bands: 12, seed: 12 });
    const N = cube.length;
    const d = Float64Array.from(cube.data);
    const bad = [3, 50, 51, 399];
    d[2 * N + 3] = NaN;
    d[5 * N + 50] = -1;
    d[0 * N + 51] = -1;
    d[11 * N + 399] = NaN;
    const x = new Multichannel(d, 12, N);
    const m = pca(x, 3, { ignoreValue: -1 });
    expect(m.nSamples).toBe(N - 4);
    // oracle: the fit on only the good pixels
    const keep = Array.from({ length: N }, (_, p) => p).filter((p) => !bad.includes(p));
    const sub = new Float64Array(12 * keep.length);
    for (let b = 0; b < 12; b++) keep.forEach((p, j) => (sub[b * keep.length + j] = d[b * N + p]));
    const ref2 = pca(new Multichannel(sub, 12, keep.length), 3);
    // the same across segment boundaries: a NaN pixel past the first segment is the only one dropped
    const big = syntheticCube({ shape: [100, 100], bands: 5, seed: 12 }).cube;
    const bd = Float64Array.from(big.data);
    bd[2 * 10000 + 9000] = NaN;
    expect(pca(new Multichannel(bd, 5, 10000), 2).nSamples).toBe(9999);
    expectClose(m.explainedVariance, ref2.explainedVariance, { rtol: 1e-12, label: 'masked ev' });
    expectClose(m.components, ref2.components, { atol: 1e-10, label: 'masked components' });
    const y = m.transform(x);
    for (const p of bad) for (let c = 0; c < 3; c++) expect(Number.isNaN(y.data[c * N + p])).toBe(true);
    expect(Number.isNaN(y.data[0])).toBe(false);
  });

  it('bad bands (bbl) are excluded: zero loadings there, same model as the cube without them, NaN on inverse (seed 13)', () => {
    const { cube } = syntheticCube({ shape: [16, 16], bands: 10, seed: 13 });
    const bbl = [1, 1, 0, 1, 1, 1, 0, 1, 1, 1];
    const d = Float64Array.from(cube.data);
    d.fill(NaN, 2 * cube.length, 3 * cube.length); // a dead band full of NaN must not matter
    const x = new Multichannel(d, 10, cube.length);
    const m = pca(x, 3, { badBands: bbl });
    const keep = [0, 1, 3, 4, 5, 7, 8, 9];
    const sub = new Multichannel(Float64Array.from(keep.flatMap((b) => Array.from(cube.channel(b)))), 8, cube.length);
    const r = pca(sub, 3);
    for (let c = 0; c < 3; c++) {
      expect(m.components[c * 10 + 2]).toBe(0);
      expect(m.components[c * 10 + 6]).toBe(0);
      expectClose(keep.map((b) => m.components[c * 10 + b]), r.components.subarray(c * 8, c * 8 + 8), { atol: 1e-12, label: `component ${c}` });
    }
    const back = m.inverseTransform(m.transform(x));
    expect(Number.isNaN(back.data[2 * cube.length])).toBe(true);
    expect(Number.isNaN(back.data[0])).toBe(false);
  });

  it('constant and all-zero bands give finite results (no NaN from valid input)', () => {
    const rng = new Rng(14);
    const N = 100;
    const d = new Float64Array(4 * N);
    d.set(rng.normals(N), 0);
    d.fill(3, N, 2 * N);
    d.set(rng.normals(N), 3 * N);
    const m = pca(new Multichannel(d, 4, N), 4);
    for (const v of m.components) expect(Number.isFinite(v)).toBe(true);
    for (const v of m.explainedVarianceRatio) expect(Number.isFinite(v)).toBe(true);
    expect(m.explainedVariance[3]).toBeLessThan(1e-12);
  });

  it('the subspace solver agrees with the full solver on the top components (seed 15)', () => {
    const { cube } = syntheticCube({ shape: [30, 30], bands: 60, seed: 15, endmembers: 5 });
    const a = pca(cube, 4);
    const b = pca(cube, 4, { solver: 'subspace' });
    expectClose(b.explainedVariance, a.explainedVariance, { rtol: 1e-9, label: 'ev' });
    expectClose(b.components, a.components, { atol: 1e-6, label: 'components' });
  });
});

describe('pca bad input', () => {
  const x = syntheticCube({ shape: [5, 5], bands: 6, seed: 1 }).cube;
  const table: [string, () => unknown, new (msg: string) => Error, RegExp][] = [
    ['k > bands', () => pca(x, 7), ValueError, /pca: k must be ≤ the number of \(good\) bands = 6; got 7/],
    ['k = 0', () => pca(x, 0), ValueError, /pca: k must be an integer ≥ 1 or a variance fraction in \(0, 1\); got 0/],
    ['k < 0', () => pca(x, -2), ValueError, /pca: k must be an integer ≥ 1 or a variance fraction in \(0, 1\); got -2/],
    ['k not an integer', () => pca(x, 1.5), ValueError, /pca: k must be an integer ≥ 1 or a variance fraction in \(0, 1\); got 1.5/],
    ['all-NaN cube', () => pca(new Multichannel(new Float64Array(12).fill(NaN), 3, 4), 1), ValueError, /pca: x must have at least 2 valid pixels \(no NaN, not the ignore value\); got 0/],
    ['not a Multichannel', () => pca([1, 2, 3] as unknown as Multichannel, 1), ArgumentTypeError, /pca: x must be a Multichannel \[bands, pixels\]; got an array of length 3/],
    ['k > bands after bbl', () => pca(x, 6, { badBands: [1, 1, 1, 1, 1, 0] }), ValueError, /k must be ≤ the number of \(good\) bands = 5; got 6/],
    ['bbl of the wrong length', () => pca(x, 1, { badBands: [1, 1] }), RangeError, /badBands must have one entry per band \(6\); got 2/],
    ['unknown solver', () => pca(x, 1, { solver: 'magic' as 'full' }), ValueError, /solver must be one of 'full', 'subspace'; got "magic"/],
    ['transform with the wrong bands', () => pca(x, 1).transform(new Multichannel(new Float64Array(5), 1, 5)), RangeError, /PcaModel.transform: x must have 6 bands/],
  ];
  for (const [label, f, cls, re] of table) {
    it(label, () => {
      expectPointwiseError(f, cls, re, label);
    });
  }
});

describe('Samson (real data)', () => {
  it.skipIf(!samsonHdr)('the first three components hold the variance fraction scikit-learn gives (fixture made by make_samson_pca.py)', () => {
    const cube = readEnvi(samsonHdr!);
    const m = pca(cube, 10);
    const e = sk.envi;
    expectClose(m.explainedVariance, e.explained_variance, { rtol: 1e-9, label: 'Samson ev' });
    const frac = m.explainedVarianceRatio[0] + m.explainedVarianceRatio[1] + m.explainedVarianceRatio[2];
    expect(Math.abs(frac - e.first3_fraction)).toBeLessThan(1e-10);
    expect(frac).toBeGreaterThan(0.998); // 0.99833 with scikit-learn 1.2.1
    for (let i = 0; i < 3; i++) expectClose(m.components.subarray(i * 156, (i + 1) * 156), e.components[i], { atol: 1e-7, label: `Samson component ${i} (svd_flip signs)` });
    expect(Math.abs(m.noiseVariance - e.noise_variance) / e.noise_variance).toBeLessThan(1e-7);
  });

  it.skipIf(!samsonHdr)('streaming the ENVI file in line blocks gives the same model as the whole cube', () => {
    const whole = pca(readEnvi(samsonHdr!), 5);
    const r = EnviReader.open(samsonHdr!);
    try {
      const m = pcaStream(() => (function* () { for (const c of r.chunks(7)) yield c.cube; })(), 156, 5);
      expectClose(m.explainedVariance, whole.explainedVariance, { rtol: 1e-10, label: 'streamed ev' });
      expectClose(m.components, whole.components, { atol: 1e-9, label: 'streamed components (same signs)' });
    } finally {
      r.close();
    }
  });
});

describe('symmetricEigen', () => {
  it('reconstructs A = V Λ Vᵀ with orthonormal V (seed 21)', () => {
    const rng = new Rng(21);
    const n = 13;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += vectors[c * n + i] * values[c] * vectors[c * n + j];
      expect(Math.abs(s - a[i * n + j])).toBeLessThan(1e-12);
    }
    for (let c = 1; c < n; c++) expect(values[c]).toBeLessThanOrEqual(values[c - 1]);
  });
});
