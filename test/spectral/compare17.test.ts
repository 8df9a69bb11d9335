/**
 * compareProjections: progress callbacks, skipping the autoencoder rows, and held-out scores from a
 * seeded train/test split beside the in-sample ones.
 */
import { describe, expect, it } from 'vitest';
import { compareProjections, explainedVarianceCurve, pca, readEnvi, syntheticCube } from '../../src/spectral/index.js';
import type { CompareProgress } from '../../src/spectral/compare.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { readNpy } from '../../src/io/index.js';
import { ArgumentTypeError, ValueError } from '../../src/core/errors.js';
import { Rng, expectPointwiseError, sharedData } from '../helpers/index.js';

const scene = syntheticCube({ shape: [12, 12], bands: 10, endmembers: 3, seed: 17 });

describe('compareProjections progress and row selection', () => {
  it('autoencoder: false leaves out the autoencoder rows and keeps the rest in order', () => {
    const rows = compareProjections(scene.cube, [1, 3], { target: scene.abundances, autoencoder: false, taskEpochs: 3, seed: 1 });
    expect(rows.map((r) => `${r.k}:${r.method}`)).toEqual(['1:pca', '1:pca+ls', '1:learned', '3:pca', '3:pca+ls', '3:learned']);
  });

  it('onProgress is told after every fit: done 1…total, with the row just finished', () => {
    const seen: CompareProgress[] = [];
    const rows = compareProjections(scene.cube, [1, 2], { target: scene.abundances, labels: scene.labels, epochs: 2, taskEpochs: 2, onProgress: (p) => seen.push(p) });
    expect(rows).toHaveLength(12);
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(seen.map((p) => p.total))).toEqual(new Set([12]));
    expect(seen.map((p) => `${p.k}:${p.method}`)).toEqual(rows.map((r) => `${r.k}:${r.method}`));
    for (let i = 1; i < seen.length; i++) expect(seen[i].elapsedSeconds).toBeGreaterThanOrEqual(seen[i - 1].elapsedSeconds);
  });
});

describe('compareProjections held-out scores', () => {
  it('splits round(fraction · N) pixels off, seeded: the same seed gives the same numbers, another seed others', () => {
    const opts = { target: scene.abundances, autoencoder: false, taskEpochs: 3, testFraction: 0.3 } as const;
    const a = compareProjections(scene.cube, [2], { ...opts, seed: 5 });
    const b = compareProjections(scene.cube, [2], { ...opts, seed: 5 });
    const c = compareProjections(scene.cube, [2], { ...opts, seed: 6 });
    for (const r of a) {
      expect(r.testPixels).toBe(Math.round(0.3 * 144));
      expect(r.trainPixels + r.testPixels).toBe(144);
    }
    const strip = (rows: typeof a) => rows.map(({ fitSeconds: _f, ...rest }) => rest);
    expect(strip(b)).toEqual(strip(a));
    expect(c[0].heldOutReconstructionRmse).not.toBe(a[0].heldOutReconstructionRmse);
    expect(Number.isFinite(a[0].heldOutReconstructionRmse)).toBe(true);
    expect(Number.isFinite(a[1].heldOutTaskError)).toBe(true);
    expect(Number.isNaN(a[1].heldOutReconstructionRmse)).toBe(true);
  });

  it('with a split, PCA is fitted on the training pixels only (its in-sample score differs from the all-pixel fit)', () => {
    const rows = compareProjections(scene.cube, [2], { autoencoder: false, testFraction: 0.25, seed: 3 });
    const all = explainedVarianceCurve(pca(scene.cube, 2)).cumulative[1];
    expect(rows[0].explainedVariance).not.toBeCloseTo(all, 12);
    expect(rows[0].explainedVariance).toBeGreaterThan(0.5);
    expect(rows[0].heldOutExplainedVariance).toBeLessThanOrEqual(1);
  });

  it('overfitting shows: with few pixels and k near the band count, held-out error exceeds in-sample error', () => {
    const rng = new Rng(8);
    const x = new Multichannel(rng.array(12 * 40, -1, 1), 12, 40); // pure noise: nothing generalises
    const y = new Multichannel(rng.array(2 * 40, -1, 1), 2, 40);
    const rows = compareProjections(x, [10], { target: y, autoencoder: false, taskEpochs: 2, testFraction: 0.5, seed: 8 });
    const p = rows.find((r) => r.method === 'pca')!;
    const ls = rows.find((r) => r.method === 'pca+ls')!;
    expect(p.heldOutReconstructionRmse, `seed ${rng.seed}`).toBeGreaterThan(p.reconstructionRmse);
    expect(ls.heldOutTaskError, `seed ${rng.seed}`).toBeGreaterThan(ls.taskError);
  });

  it('on noiseless rank-3 data PCA with k = 3 reconstructs held-out pixels exactly', () => {
    const { cube } = syntheticCube({ shape: [10, 10], bands: 8, endmembers: 3, noise: 0, seed: 4 });
    const [row] = compareProjections(cube, [3], { autoencoder: false, testFraction: 0.4, seed: 2 });
    expect(row.heldOutReconstructionRmse).toBeLessThan(1e-10);
    expect(row.heldOutExplainedVariance).toBeGreaterThan(1 - 1e-12);
  });

  it('testFraction 0 fits every pixel and leaves the held-out fields NaN', () => {
    const [row] = compareProjections(scene.cube, [2], { autoencoder: false, testFraction: 0 });
    expect(row.testPixels).toBe(0);
    expect(row.trainPixels).toBe(144);
    expect(row.explainedVariance).toBeCloseTo(explainedVarianceCurve(pca(scene.cube, 2)).cumulative[1], 10);
    expect(Number.isNaN(row.heldOutReconstructionRmse)).toBe(true);
  });

  const bad: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['testFraction 1', () => compareProjections(scene.cube, [1], { testFraction: 1 }), ValueError, /^compareProjections: options.testFraction must be a number in \[0, 1\); got 1/],
    ['testFraction -0.1', () => compareProjections(scene.cube, [1], { testFraction: -0.1 }), ValueError, /^compareProjections: options.testFraction must be a number in \[0, 1\); got -0.1/],
    ['testFraction leaves 1 pixel', () => compareProjections(new Multichannel(new Float64Array(8), 2, 4), [1], { testFraction: 0.9 }), ValueError, /^compareProjections: options.testFraction must leave at least 2 of the 4 pixels for training; got 0.9/],
    ['onProgress not a function', () => compareProjections(scene.cube, [1], { onProgress: 'bar' as never }), ArgumentTypeError, /^compareProjections: options.onProgress must be a function; got "bar"/],
  ];
  for (const [label, f, cls, re] of bad) it(`rejects ${label}`, () => expectPointwiseError(f, cls, re, label));
});

describe('compareProjections on Samson (real data)', () => {
  const hdr = sharedData('hyperspectral/samson_bsq_f32.hdr');
  const ab = sharedData('hyperspectral/samson_bsq_f32.abundances.npy');
  it.skipIf(!hdr || !ab)('held-out abundance RMSE of PCA + least squares stays close to its in-sample RMSE (k = 3)', () => {
    const cube = readEnvi(hdr!);
    const abundances = readNpy(ab!);
    const rows = compareProjections(cube, [3], { target: abundances, autoencoder: false, taskEpochs: 3, testFraction: 0.25, seed: 1 });
    const ls = rows.find((r) => r.method === 'pca+ls')!;
    expect(ls.testPixels).toBe(Math.round(0.25 * 9025));
    expect(ls.heldOutTaskError).toBeGreaterThan(0);
    expect(ls.heldOutTaskError).toBeLessThan(1.25 * ls.taskError);
    expect(rows[0].heldOutExplainedVariance).toBeGreaterThan(0.95);
  }, 60_000);
});
