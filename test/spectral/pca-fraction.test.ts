import { describe, expect, it } from 'vitest';
import { pca, pcaStream, pcaFromAccumulator, CovarianceAccumulator, syntheticCube } from '../../src/spectral/index.js';
import { Multichannel, ArgumentTypeError, ValueError } from '../../src/core/index.js';
import { expectClose, expectPointwiseError, loadFixture, refSources } from '../helpers/index.js';

interface Selection { fraction: number; selected_components: number; explained_variance: number[]; explained_variance_ratio: number[]; noise_variance: number }
interface FractionCase { name: string; input: string; cumulative_ratio_all: number[]; pixels_x_bands?: number[][]; selections: Selection[] }
type PcaDetail = { meta: { input_pixels_x_bands: number[][] }; cases: Record<string, unknown>[] };

/** pixels × bands (reference layout) → Multichannel [bands, pixels]. */
function cubeOf(rows: number[][]): Multichannel {
  const N = rows.length, B = rows[0].length;
  const d = new Float64Array(B * N);
  for (let p = 0; p < N; p++) for (let b = 0; b < B; b++) d[b * N + p] = rows[p][b];
  return new Multichannel(d, B, N);
}

const detailRows = loadFixture<PcaDetail>('pca_detail.json').meta.input_pixels_x_bands;

/** The input of a pca_fraction.json case, by its `input` description. */
function inputOf(c: FractionCase): Multichannel {
  if (c.pixels_x_bands) return cubeOf(c.pixels_x_bands);
  if (c.input.startsWith('the first 6 rows')) return cubeOf(detailRows.slice(0, 6));
  return cubeOf(detailRows);
}

describe('pca with k as a variance fraction vs scikit-learn (pca_fraction.json)', () => {
  for (const c of loadFixture<{ cases: FractionCase[] }>('pca_fraction.json').cases) {
    for (const s of c.selections) {
      it(`${c.name}: fraction ${s.fraction} keeps ${s.selected_components}`, () => {
        const x = inputOf(c);
        const m = pca(x, s.fraction);
        expect(m.k).toBe(s.selected_components);
        expectClose(m.explainedVariance, s.explained_variance, { rtol: 1e-10, atol: 1e-15, label: 'explained variance' });
        expectClose(m.explainedVarianceRatio, s.explained_variance_ratio, { rtol: 1e-10, atol: 1e-15, label: 'ratio' });
        expect(Math.abs(m.noiseVariance - s.noise_variance)).toBeLessThanOrEqual(1e-12 + 1e-10 * s.noise_variance);
        // the integer k scikit-learn chose gives the same model
        const same = pca(x, s.selected_components);
        expectClose(m.components, same.components, { atol: 0, label: 'components' });
      });
    }
  }

  it('a cumulative ratio exactly equal to the fraction does not stop the count there (side="right")', () => {
    const x = cubeOf([[1, 0], [-1, 0], [0, 1], [0, -1]]);
    expect(Array.from(pca(x, 2).explainedVarianceRatio)).toEqual([0.5, 0.5]);
    expect(pca(x, 0.5).k).toBe(2);
    expect(pca(x, 0.4999999999999999).k).toBe(1);
  });
});

for (const { label, ref } of refSources<PcaDetail>('pca_detail.json')) describe(`pca fraction=0.95 as pca_detail.json [${label}]`, () => {
  const c = ref.cases.find((e) => e.n_components === 0.95) as { selected_components: number; explained_variance_ratio: number[] };
  const x = cubeOf(ref.meta.input_pixels_x_bands);
  it(`pca keeps ${c.selected_components} components`, () => {
    const m = pca(x, 0.95);
    expect(m.k).toBe(c.selected_components);
    expectClose(m.explainedVarianceRatio, c.explained_variance_ratio, { rtol: 1e-10, label: 'ratio' });
  });
  it('pcaStream (chunks of 7 pixels) and pcaFromAccumulator select the same number', () => {
    const chunks = () => {
      const out: Multichannel[] = [];
      for (let p = 0; p < x.length; p += 7) {
        const n = Math.min(7, x.length - p);
        const d = new Float64Array(x.channels * n);
        for (let b = 0; b < x.channels; b++) d.set(x.data.subarray(b * x.length + p, b * x.length + p + n), b * n);
        out.push(new Multichannel(d, x.channels, n));
      }
      return out;
    };
    const s = pcaStream(chunks, x.channels, 0.95);
    expect(s.k).toBe(c.selected_components);
    expectClose(s.components, pca(x, 0.95).components, { atol: 1e-12, label: 'stream components' });
    const acc = new CovarianceAccumulator(x.channels);
    for (const ch of chunks()) acc.add(ch);
    const a = pcaFromAccumulator(acc, 0.95);
    expect(a.k).toBe(c.selected_components);
    expectClose(a.explainedVarianceRatio, c.explained_variance_ratio, { rtol: 1e-10, label: 'accumulator ratio' });
  });
});

describe('pca fraction: the smallest k whose cumulative ratio exceeds it (property)', () => {
  const { cube } = syntheticCube({ shape: [12, 12], bands: 20, seed: 5, endmembers: 4 });
  const all = pca(cube, 20).explainedVarianceRatio;
  const cumulative = all.map(((s) => (v: number) => (s += v))(0));
  for (const f of [0.01, 0.3, 0.6, 0.9, 0.99, 0.999, 0.9999]) {
    it(`fraction ${f}`, () => {
      const k = pca(cube, f).k;
      expect(cumulative[k - 1]).toBeGreaterThan(f);
      if (k > 1) expect(cumulative[k - 2]).toBeLessThanOrEqual(f);
    });
  }
  it('a cube without variance keeps 1 component', () => {
    expect(pca(new Multichannel(new Float64Array(30).fill(2), 3, 10), 0.9).k).toBe(1);
  });
  it('k = 1 (1.0) is one component, not a fraction of 100 %', () => {
    expect(pca(cube, 1.0).k).toBe(1);
  });
});

describe('pca fraction bad input', () => {
  const x = syntheticCube({ shape: [5, 5], bands: 6, seed: 1 }).cube;
  const stream = () => [x];
  const what = 'k must be an integer ≥ 1 or a variance fraction in (0, 1)';
  const needsFull = "k as a variance fraction (0 < k < 1) needs solver 'full' (subspace iteration finds only the top eigenpairs, not how many reach the fraction); give an integer k or solver 'full'; got 0.9";
  const table: [string, () => unknown, new (msg: string) => Error, string][] = [
    ['k = 0', () => pca(x, 0), ValueError, `pca: ${what}; got 0`],
    ['k NaN', () => pca(x, NaN), ValueError, `pca: ${what}; got NaN`],
    ['k = 1.5 (above 1, not an integer)', () => pca(x, 1.5), ValueError, `pca: ${what}; got 1.5`],
    ['k = -0.5', () => pca(x, -0.5), ValueError, `pca: ${what}; got -0.5`],
    ['k = Infinity', () => pca(x, Infinity), ValueError, `pca: ${what}; got Infinity`],
    ['k a string', () => pca(x, '0.9' as unknown as number), ArgumentTypeError, `pca: ${what}; got "0.9"`],
    ['fraction with solver subspace', () => pca(x, 0.9, { solver: 'subspace' }), ValueError, `pca: ${needsFull}`],
    ['fraction with solver subspace, fewer pixels than bands', () => pca(new Multichannel(x.data.slice(0, 6 * 3), 6, 3), 0.9, { solver: 'subspace' }), ValueError, `pca: ${needsFull}`],
    ['pcaStream: fraction with solver subspace', () => pcaStream(stream, 6, 0.9, { solver: 'subspace' }), ValueError, `pcaStream: ${needsFull}`],
    ['pcaStream: k NaN', () => pcaStream(stream, 6, NaN), ValueError, `pcaStream: ${what}; got NaN`],
    ['pcaFromAccumulator: fraction with solver subspace', () => pcaFromAccumulator(new CovarianceAccumulator(6).add(x), 0.9, { solver: 'subspace' }), ValueError, `pca: ${needsFull}`],
  ];
  for (const [label, f, cls, msg] of table) it(label, () => expectPointwiseError(f, cls, msg, label));
});
