import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ArgumentTypeError, CovarianceAccumulator, FormatError, GramAccumulator, Multichannel, ShapeError, ValueError, fitConstrainedMixer,
  fitConstrainedMixerFromGram, fitLeastSquares, fitLeastSquaresFromGram, fitProjectionFromGram, fixedEntries, loadPartial, mergePartialFiles, mergePartials, pca,
  pcaFromAccumulator, saveModel, savePartial, syntheticCube, totalConservation, PointwiseMixer, type PartialResult,
} from '../../src/index.js';
import { Rng, expectPointwiseError, tempDir } from '../helpers/index.js';

const dir = tempDir('pointwise-partials-');

/** Pixels [p0, p1) of a `[C, N]` Multichannel as a new `[C, p1 − p0]`. */
function slice(x: Multichannel, p0: number, p1: number): Multichannel {
  const n = p1 - p0;
  const out = new Float64Array(x.channels * n);
  for (let c = 0; c < x.channels; c++) out.set(x.data.subarray(c * x.length + p0, c * x.length + p1), c * n);
  return new Multichannel(out, x.channels, n);
}

/** Cuts [0, N) into `parts` contiguous ranges of unequal sizes (seeded). */
function cuts(N: number, parts: number, seed: number): [number, number][] {
  const rng = new Rng(seed);
  const w = Array.from({ length: parts }, () => 0.5 + rng.uniform(0, 1));
  const total = w.reduce((a, b) => a + b, 0);
  const out: [number, number][] = [];
  let at = 0;
  for (let i = 0; i < parts; i++) {
    const end = i === parts - 1 ? N : at + Math.max(1, Math.round((w[i] / total) * N));
    out.push([at, end]);
    at = end;
  }
  return out;
}

function permutations(n: number, count: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const out = [Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => n - 1 - i)];
  while (out.length < count) {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform(0, 1) * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    out.push(p);
  }
  return out;
}

/** max |a − b| / max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Saves each part to its own file and loads them back (the cluster's round trip). */
function throughFiles<T extends PartialResult>(parts: T[], tag: string): T[] {
  return parts.map((p, i) => {
    const file = path.join(dir, `${tag}-${i}.npz`);
    savePartial(file, p);
    return loadPartial(file) as T;
  });
}

/** Merges the parts pairwise as a balanced tree (another bracketing than left to right). */
function treeMerge<T extends PartialResult>(parts: T[]): T {
  if (parts.length === 1) return mergePartials(parts);
  const mid = Math.floor(parts.length / 2);
  return mergePartials([treeMerge(parts.slice(0, mid)), treeMerge(parts.slice(mid))]);
}

describe('covariance partials (pca): tiles merged in any order give the whole-cube model', () => {
  // a cube well away from zero and with a clear eigengap, 3 segments long
  const { cube } = syntheticCube({ shape: [70, 80], bands: 12, endmembers: 4, noise: 0.01, seed: 21 });
  const k = 3; // the signal components (4 endmembers, centred): eigengaps far above rounding
  const whole = pca(cube, k, { signs: 'max-loading' });
  const B = cube.channels;
  const wholeAcc = new CovarianceAccumulator(B).add(cube);
  const wholeCov = wholeAcc.finalize().covariance;

  for (const nTiles of [2, 3, 7]) {
    it(`${nTiles} tiles`, () => {
      const tiles = cuts(cube.length, nTiles, nTiles).map(([a, b]) => new CovarianceAccumulator(B).add(slice(cube, a, b)));
      const loaded = throughFiles(tiles, `cov${nTiles}`);
      // bit-identical: the same tiles merged in the same order, in memory and through files
      const inMemory = new CovarianceAccumulator(B);
      for (const t of tiles) inMemory.merge(t);
      const fromFiles = mergePartials(loaded);
      expect(sameBits(fromFiles.gram, inMemory.gram) && sameBits(fromFiles.sum, inMemory.sum) && fromFiles.count === inMemory.count).toBe(true);
      expect(sameBits(pcaFromAccumulator(fromFiles, k).components, pcaFromAccumulator(inMemory, k).components)).toBe(true);
      // any order and bracketing: the whole-cube covariance and model to 1e-12 relative
      const orders = permutations(nTiles, nTiles === 2 ? 2 : 6, 100 + nTiles);
      let worst = 0;
      for (const order of orders) {
        for (const merged of [mergePartials(order.map((i) => loaded[i])), treeMerge(order.map((i) => loaded[i]))]) {
          expect(merged.count).toBe(cube.length);
          const m = pcaFromAccumulator(merged, k, { signs: 'max-loading' });
          const errs = [relErr(merged.finalize().covariance, wholeCov), relErr(m.explainedVariance, whole.explainedVariance), relErr(m.components, whole.components), relErr(m.mean, whole.mean), relErr(m.transform(cube).data, whole.transform(cube).data)];
          worst = Math.max(worst, ...errs);
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }

  it('bad-band masks and ignore values travel with the partial and must agree', () => {
    const bbl = Array.from({ length: B }, (_, b) => (b === 3 ? 0 : 1));
    const [a, b] = cuts(cube.length, 2, 5).map(([p, q]) => new CovarianceAccumulator(B, { badBands: bbl, ignoreValue: -1 }).add(slice(cube, p, q)));
    const [la, lb] = throughFiles([a, b], 'mask');
    expect(Array.from(la.used)).toEqual(Array.from(a.used));
    expect(la.ignoreValue).toBe(-1);
    const merged = mergePartials([la, lb]);
    const direct = pca(cube, 2, { badBands: bbl, ignoreValue: -1, signs: 'max-loading' });
    expect(relErr(pcaFromAccumulator(merged, 2, { signs: 'max-loading' }).components, direct.components)).toBeLessThanOrEqual(1e-12);
  });
});

describe('Gram partials: least-squares and constrained fits from merged tiles equal the whole-data fits', () => {
  const T = 3000;
  const rng = new Rng(8);
  const xd = rng.normals(4 * T);
  for (let i = 0; i < T; i++) xd[i] += 10; // a channel far from zero
  const x = new Multichannel(xd, 4, T);
  const Wt = [0.4, 0.3, 0.2, 0.1, 0.1, 0.5, 0.2, 0.3, 0.5, 0.2, 0.6, 0.6];
  const y = new PointwiseMixer(Float64Array.from(Wt), 3, 4, Float64Array.from([1, -2, 0.5])).forward(x);
  const noise = rng.normals(3 * T);
  for (let i = 0; i < y.data.length; i++) y.data[i] += 0.05 * noise[i];
  const cons = [totalConservation(3, { inChannels: 4 }), totalConservation(3, { inChannels: 4 }).and(fixedEntries(3, 4, [{ output: 2, input: 0, value: 0.25 }]))];
  const wholeLs = fitLeastSquares(x, y);
  const wholeLsNoBias = fitLeastSquares(x, y, { bias: false, ridge: 1e-3 });

  for (const nTiles of [2, 3, 7]) {
    it(`${nTiles} tiles`, () => {
      const tiles = cuts(T, nTiles, 40 + nTiles).map(([a, b]) => new GramAccumulator(4, 3).add(slice(x, a, b), slice(y, a, b)));
      const loaded = throughFiles(tiles, `gram${nTiles}`);
      const inMemory = new GramAccumulator(4, 3);
      for (const t of tiles) inMemory.merge(t);
      const fromFiles = mergePartials(loaded);
      expect(sameBits(fromFiles.stacked.gram, inMemory.stacked.gram) && sameBits(fromFiles.stacked.sum, inMemory.stacked.sum)).toBe(true);
      expect(sameBits(fitLeastSquaresFromGram(fromFiles).weights, fitLeastSquaresFromGram(inMemory).weights)).toBe(true);
      let worst = 0;
      for (const order of permutations(nTiles, nTiles === 2 ? 2 : 6, 200 + nTiles)) {
        for (const merged of [mergePartials(order.map((i) => loaded[i])), treeMerge(order.map((i) => loaded[i]))]) {
          expect(merged.count).toBe(T);
          const ls = fitLeastSquaresFromGram(merged);
          worst = Math.max(worst, relErr(ls.weights, wholeLs.weights), relErr(ls.bias, wholeLs.bias), Math.abs(ls.residual - wholeLs.residual) / wholeLs.residual);
          const lsn = fitLeastSquaresFromGram(merged, { bias: false, ridge: 1e-3 });
          worst = Math.max(worst, relErr(lsn.weights, wholeLsNoBias.weights));
          for (const c of cons) {
            const whole = fitConstrainedMixer(x, y, c);
            const part = fitConstrainedMixerFromGram(merged, c);
            worst = Math.max(worst, relErr(part.weights, whole.weights), relErr(part.bias, whole.bias), Math.abs(part.residual - whole.residual) / whole.residual);
            expect(part.violation).toBeLessThanOrEqual(1e-13);
            expect(part.method).toBe(whole.method);
          }
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }
});

describe('the linear projection of a cube from Gram partials (tiles with NaN pixels skipped)', () => {
  const scene = syntheticCube({ shape: [40, 30], bands: 10, endmembers: 3, noise: 0.01, seed: 9 });
  const cube = new Multichannel(Float64Array.from(scene.cube.data), 10, 1200, { shape: [40, 30] });
  for (const p of [3, 400, 401, 1199]) cube.data[2 * 1200 + p] = NaN;
  // the whole-data reference: least squares on the valid pixels only
  const valid = Array.from({ length: 1200 }, (_, p) => p).filter((p) => ![3, 400, 401, 1199].includes(p));
  const pick = (m: Multichannel): Multichannel => {
    const out = new Float64Array(m.channels * valid.length);
    for (let c = 0; c < m.channels; c++) valid.forEach((p, j) => (out[c * valid.length + j] = m.data[c * m.length + p]));
    return new Multichannel(out, m.channels, valid.length);
  };
  const whole = fitLeastSquares(pick(cube), pick(scene.abundances), { ridge: 1e-8 });

  for (const nTiles of [2, 3, 7]) {
    it(`${nTiles} tiles`, () => {
      const tiles = cuts(1200, nTiles, 60 + nTiles).map(([a, b]) => new GramAccumulator(10, 3, { nonFinite: 'skip' }).add(slice(cube, a, b), slice(scene.abundances, a, b)));
      const loaded = throughFiles(tiles, `proj${nTiles}`);
      expect(loaded[0].nonFinite).toBe('skip');
      for (const order of permutations(nTiles, 3, 300 + nTiles)) {
        const model = fitProjectionFromGram(mergePartials(order.map((i) => loaded[i])), { ridge: 1e-8 });
        expect(model.kind).toBe('regression');
        expect(relErr(model.weights, whole.weights)).toBeLessThanOrEqual(1e-12);
        expect(relErr(model.bias, whole.bias)).toBeLessThanOrEqual(1e-12);
        const z = model.transform(cube);
        expect(Number.isNaN(z.data[400])).toBe(true);
      }
    });
  }
});

describe('merging partials that do not belong together is a clear error', () => {
  const { cube } = syntheticCube({ shape: [6, 6], bands: 5, seed: 1 });
  const a = new CovarianceAccumulator(5).add(cube);
  const rng = new Rng(3);
  const g = new GramAccumulator(2, 1).add(new Multichannel(rng.normals(20), 2, 10), new Multichannel(rng.normals(10), 1, 10));

  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['different band counts', () => mergePartials([a, new CovarianceAccumulator(6)]), ShapeError, /^mergePartials: parts\[1\] must have 5 bands like parts\[0\]; got 6$/],
    ['different bad-band masks', () => mergePartials([a, new CovarianceAccumulator(5, { badBands: [1, 1, 0, 1, 1] })]), ShapeError, /^mergePartials: parts\[1\] must use the same bands \(bad-band mask\) as parts\[0\]; got 4 used bands vs 5$/],
    ['same count, other bands', () => mergePartials([new CovarianceAccumulator(5, { badBands: [0, 1, 1, 1, 1] }), new CovarianceAccumulator(5, { badBands: [1, 1, 1, 1, 0] })]), ShapeError, /must use the same bands \(bad-band mask\)/],
    ['different ignore values', () => mergePartials([a, new CovarianceAccumulator(5, { ignoreValue: 0 })]), ValueError, /^mergePartials: parts\[1\] must have the same ignoreValue as parts\[0\] \(undefined\); got 0$/],
    ['different channel counts', () => mergePartials([g, new GramAccumulator(3, 1)]), ShapeError, /^mergePartials: parts\[1\] must have 2 in and 1 out channels like parts\[0\]; got 3 in, 1 out$/],
    ['different non-finite policies', () => mergePartials([g, new GramAccumulator(2, 1, { nonFinite: 'skip' })]), ValueError, /^mergePartials: parts\[1\] must treat non-finite samples as parts\[0\] does \(nonFinite: 'throw'\); got "skip"$/],
    ['different kinds', () => mergePartials<PartialResult>([a, g]), ArgumentTypeError, /^mergePartials: parts\[1\] must be a CovarianceAccumulator like parts\[0\]; got a GramAccumulator$/],
    ['no parts', () => mergePartials([]), ArgumentTypeError, /^mergePartials: parts must be a non-empty array of accumulators; got an array of length 0$/],
    ['GramAccumulator.merge channel counts', () => g.merge(new GramAccumulator(2, 2)), ShapeError, /^GramAccumulator.merge: both accumulators must have the same channel counts \(2 in, 1 out\); got 2 in, 2 out$/],
    ['GramAccumulator.add NaN', () => new GramAccumulator(1, 1).add(new Multichannel(Float64Array.of(1, NaN), 1, 2), new Multichannel(Float64Array.of(1, 2), 1, 2)), ValueError, /^GramAccumulator.add: x/],
    ['fit from an empty accumulator', () => fitLeastSquaresFromGram(new GramAccumulator(2, 1)), ShapeError, /^fitLeastSquaresFromGram: acc must hold at least one sample; got 0$/],
    ['constrained fit, other channel counts', () => fitConstrainedMixerFromGram(g, totalConservation(3)), ShapeError, /^fitConstrainedMixerFromGram: acc must have the constraints' inChannels = 3; got 2$/],
  ];
  it.each(table)('%s', (label, f, cls, pattern) => {
    expectPointwiseError(f, cls, pattern, label);
  });

  it('files of different cubes (wavelengths) are refused by mergePartialFiles; a model file is not a partial', () => {
    const f1 = path.join(dir, 'w1.npz');
    const f2 = path.join(dir, 'w2.npz');
    const f3 = path.join(dir, 'w3.npz');
    savePartial(f1, a, { wavelengths: [400, 500, 600, 700, 800], units: 'nm' });
    savePartial(f2, a, { wavelengths: [400, 500, 600, 700, 801], units: 'nm' });
    savePartial(f3, a, { wavelengths: [400, 500, 600, 700, 800], units: 'nm' });
    expect((mergePartialFiles([f1, f3]) as CovarianceAccumulator).count).toBe(2 * a.count);
    expectPointwiseError(() => mergePartialFiles([f1, f2]), ValueError, new RegExp(`^mergePartialFiles: every part must have the wavelengths of ${JSON.stringify(f1).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}; got ".*w2\\.npz" differs$`));
    const model = path.join(dir, 'model.npz');
    saveModel(model, pca(cube, 2));
    expectPointwiseError(() => loadPartial(model), FormatError, /: the file must hold a covariance-partial or gram-partial; got "pca"$/);
  });

  it('an empty partial saves, loads and merges as nothing', () => {
    const file = path.join(dir, 'empty.npz');
    savePartial(file, new CovarianceAccumulator(5));
    const e = loadPartial(file) as CovarianceAccumulator;
    expect(e.count).toBe(0);
    expect(e.shift).toBeNull();
    const m = mergePartials([e, a]);
    expect(sameBits(m.gram, a.gram)).toBe(true);
  });
});
