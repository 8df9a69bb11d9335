import { describe, expect, it } from 'vitest';
import { rx, matchedFilter, ace, backgroundStats, mnf, noiseFromDiffs, readEnvi } from '../../src/spectral/index.js';
import { Multichannel, ValueError, ShapeError, ArgumentTypeError, NumericalError } from '../../src/core/index.js';
import { readNpy } from '../../src/io/index.js';
import { expectPointwiseError, expectClose, loadFixture, sharedData, flat, Rng } from '../helpers/index.js';

interface DetectRef {
  cases: {
    shape: [number, number]; bands: number; pixelsByBands: number[][]; target: number[]; target2: number[];
    rx: number[]; rxWindow: { inner: number; outer: number; scores: number[] }; matchedFilter: number[]; ace: number[]; aceSubspace: number[];
    mnf: { eigenvalues: number[]; noiseCovariance: number[][]; eigenvaluesRight: number[]; num: number; reducedFirst30: number[][]; denoisedFirst30: number[][]; numWithSnr10: number };
  };
}
const ref = loadFixture<DetectRef>('detect.json').cases;

/** ROC AUC of scores (positives vs negatives) by the rank-sum formula (ties count half). */
function rocAuc(pos: number[], neg: number[]): number {
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

/** pixels × bands (reference layout) → Multichannel [bands, pixels] with the image shape. */
function cubeOf(rows: number[][], shape: [number, number]): Multichannel {
  const N = rows.length, B = rows[0].length;
  const d = new Float64Array(B * N);
  for (let p = 0; p < N; p++) for (let b = 0; b < B; b++) d[b * N + p] = rows[p][b];
  return new Multichannel(d, B, N, { shape });
}
const x = cubeOf(ref.pixelsByBands, ref.shape);

describe('detectors vs Spectral Python 0.22 (detect.json, synthetic 24 × 24 × 16)', () => {
  it('rx (global) equals spectral.rx to 1e-9 relative', () => {
    const s = rx(x);
    expect(s.channels).toBe(1);
    expect(s.shape).toEqual(ref.shape);
    expectClose(s.data, ref.rx, { rtol: 1e-9, label: 'rx' });
  });
  it('rx with window [3, 7] equals spectral.rx(X, window=(3, 7)) (float64 output) to 1e-9 relative', () => {
    const s = rx(x, { window: [ref.rxWindow.inner, ref.rxWindow.outer] });
    expectClose(s.data, ref.rxWindow.scores, { rtol: 1e-9, label: 'local rx' });
  });
  it('matchedFilter equals spectral.matched_filter to 1e-9 relative', () => {
    expectClose(matchedFilter(x, ref.target).data, ref.matchedFilter, { rtol: 1e-9, atol: 1e-12, label: 'mf' });
  });
  it('ace equals spectral.ace for one target and for a two-target subspace to 1e-9 relative', () => {
    expectClose(ace(x, ref.target).data, ref.ace, { rtol: 1e-9, atol: 1e-14, label: 'ace' });
    expectClose(ace(x, [ref.target, ref.target2]).data, ref.aceSubspace, { rtol: 1e-9, atol: 1e-14, label: 'ace subspace' });
  });
  it('explicit background statistics give the same scores as the default', () => {
    const bg = backgroundStats(x);
    expectClose(rx(x, { background: bg }).data, ref.rx, { rtol: 1e-9, label: 'rx(bg)' });
    expectClose(matchedFilter(x, ref.target, { background: bg }).data, ref.matchedFilter, { rtol: 1e-9, atol: 1e-12, label: 'mf(bg)' });
  });
  it('matched filter is 1 at the target and 0 at the background mean (property)', () => {
    const bg = backgroundStats(x);
    const probe = new Multichannel(Float64Array.from([...ref.target.map((t, b) => [t, bg.mean[b]])].flat()), x.channels, 2);
    expectClose(matchedFilter(probe, ref.target, { background: bg }).data, [1, 0], { atol: 1e-12, label: 'mf probe' });
  });
});

describe('mnf vs Spectral Python 0.22 (detect.json)', () => {
  const model = mnf(x);
  it('noiseFromDiffs equals noise_from_diffs (lowerright) covariance to 1e-9 relative', () => {
    expectClose(noiseFromDiffs(x).covariance, flat(ref.mnf.noiseCovariance), { rtol: 1e-9, atol: 1e-15, label: 'noise cov' });
  });
  it('eigenvalues (1 + SNR) equal mnf(calc_stats, noise_from_diffs) to 1e-9 relative, for two directions', () => {
    expectClose(model.eigenvalues, ref.mnf.eigenvalues, { rtol: 1e-9, label: 'eigenvalues' });
    expectClose(mnf(x, { direction: 'right' }).eigenvalues, ref.mnf.eigenvaluesRight, { rtol: 1e-9, label: 'eigenvalues right' });
    expect(model.numWithSnr(10)).toBe(ref.mnf.numWithSnr10);
  });
  it('transform(x, 4) equals SPy reduce(num=4) (signs canonical) and denoise(x, 4) equals SPy denoise', () => {
    const k = ref.mnf.num;
    const y = model.transform(x, k);
    const first = new Float64Array(k * 30);
    for (let c = 0; c < k; c++) for (let p = 0; p < 30; p++) first[c * 30 + p] = y.data[c * x.length + p];
    expectClose(first, flat(ref.mnf.reducedFirst30), { rtol: 1e-9, atol: 1e-9, label: 'reduce' });
    const dn = model.denoise(x, k);
    const dfirst = new Float64Array(x.channels * 30);
    for (let b = 0; b < x.channels; b++) for (let p = 0; p < 30; p++) dfirst[b * 30 + p] = dn.data[b * x.length + p];
    expectClose(dfirst, flat(ref.mnf.denoisedFirst30), { rtol: 1e-9, atol: 1e-12, label: 'denoise' });
  });
  it('inverseTransform(transform(x)) with all components gives x back (property)', () => {
    const back = model.inverseTransform(model.transform(x));
    expectClose(back.data, x.data, { atol: 1e-12, label: 'round trip' });
    expect(back.shape).toEqual(ref.shape);
  });
  it('components are uncorrelated with variances equal to the eigenvalues (property)', () => {
    const y = model.transform(x);
    const st = backgroundStats(y);
    const B = x.channels;
    const diag = Float64Array.from({ length: B }, (_, i) => st.covariance[i * B + i]);
    expectClose(diag, model.eigenvalues, { rtol: 1e-9, label: 'variances' });
    let off = 0;
    for (let i = 0; i < B; i++) for (let j = 0; j < B; j++) if (i !== j) off = Math.max(off, Math.abs(st.covariance[i * B + j]));
    expect(off).toBeLessThan(1e-9 * model.eigenvalues[0]);
  });
});

const samsonHdr = sharedData('hyperspectral/samson_bsq_f32.hdr');
interface SamsonRef {
  cases: {
    pixels: number[]; rx: number[]; rxMax: number; matchedFilterEndmember0: number[]; matchedFilterMaxAbs: number;
    aceEndmember1: number[]; aceMax: number; aceEndmember1Extended: number[]; mnfEigenvaluesFirst10: number[];
    rxImplant: { pixels: number[]; target: number[]; fills: number[]; globalAuc: number[]; globalAtTargets: number[][]; globalMax: number[] };
  };
}
describe('detectors and MNF on Samson (shared data; summary numbers from scripts/fixtures/make_detect.py)', () => {
  // "Relative" here is |ours − SPy| ≤ 1e-9 · (the largest |score| over the image) at every compared
  // pixel. For RX (scores 100–300) this is the element-wise relative error; for the matched filter and
  // ACE, whose scores pass near 0, it is the error relative to the score's scale (ACE ≤ 1).
  it.skipIf(!samsonHdr)('RX, matched filter and ACE at 20 pixels and the first 10 MNF eigenvalues equal SPy to 1e-9 relative', () => {
    const s = loadFixture<SamsonRef>('detect_samson.json').cases;
    const cube = readEnvi(samsonHdr!);
    const E = readNpy(samsonHdr!.replace('.hdr', '.endmembers.npy'));
    const at = (m: Multichannel) => s.pixels.map((p) => m.data[p]);
    const r = rx(cube);
    expectClose(at(r), s.rx, { rtol: 1e-9, label: 'samson rx' });
    expectClose([Math.max(...r.data)], [s.rxMax], { rtol: 1e-9, label: 'samson rx max' });
    const B = cube.channels;
    const mf = matchedFilter(cube, E.data.subarray(0, B));
    expectClose(at(mf), s.matchedFilterEndmember0, { atol: 1e-9 * s.matchedFilterMaxAbs, label: 'samson mf' });
    const a = ace(cube, E.data.subarray(B, 2 * B));
    expectClose(at(a), s.aceEndmember1, { atol: 1e-9 * s.aceMax, label: 'samson ace' });
    expectClose([Math.max(...a.data)], [s.aceMax], { rtol: 1e-9, label: 'samson ace max' });
    expectClose(mnf(cube).eigenvalues.subarray(0, 10), s.mnfEigenvaluesFirst10, { rtol: 1e-9, label: 'samson mnf' });
  });
  it.skipIf(!samsonHdr)('ACE on Samson is within 1e-10 of its scale of the extended-precision ACE (the covariance has condition number 7e7)', () => {
    // SPy itself is 2.6e-11 from the extended-precision scores at these pixels (7e-11 over the image);
    // element-wise, small scores (cos² ≈ 1e-3) carry relative errors near 1e-8 in both
    const s = loadFixture<SamsonRef>('detect_samson.json').cases;
    const cube = readEnvi(samsonHdr!);
    const E = readNpy(samsonHdr!.replace('.hdr', '.endmembers.npy'));
    const a = ace(cube, E.data.subarray(cube.channels, 2 * cube.channels));
    expectClose(s.pixels.map((p) => a.data[p]), s.aceEndmember1Extended, { atol: 1e-10 * s.aceMax, label: 'samson ace vs extended' });
  });
  it.skipIf(!samsonHdr)('RX finds 10 seeded sub-pixel targets implanted into Samson at fill 0.15 and above with ROC AUC ≥ 0.99; scores and AUC at every fill equal SPy', () => {
    // implant model: pixel x becomes (1 − f) x + f t, t a narrow reflectance peak on a flat base
    // (unlike soil, tree and water); ten targets are about 0.1 % of the pixels
    const { rxImplant: im } = loadFixture<SamsonRef>('detect_samson.json').cases;
    const cube = readEnvi(samsonHdr!);
    const B = cube.channels, N = cube.length;
    const isTarget = new Uint8Array(N);
    for (const p of im.pixels) isTarget[p] = 1;
    const table: string[] = [];
    im.fills.forEach((f, i) => {
      const d = Float64Array.from(cube.data);
      for (const p of im.pixels) for (let b = 0; b < B; b++) d[b * N + p] = (1 - f) * d[b * N + p] + f * im.target[b];
      const s = rx(new Multichannel(d, B, N, { shape: cube.shape })).data;
      expectClose(im.pixels.map((p) => s[p]), im.globalAtTargets[i], { rtol: 1e-9, label: `rx at targets, fill ${f}` });
      expectClose([Math.max(...s)], [im.globalMax[i]], { rtol: 1e-9, label: `rx max, fill ${f}` });
      const pos: number[] = [], neg: number[] = [];
      for (let p = 0; p < N; p++) (isTarget[p] ? pos : neg).push(s[p]);
      const auc = rocAuc(pos, neg);
      expect(auc).toBeCloseTo(im.globalAuc[i], 12);
      table.push(`${f}: ${auc.toFixed(4)}`);
      // the bar holds from fill 0.15; below it the targets sink into the background (0.71 at 0.05, 0.97 at 0.1)
      if (f >= 0.15) expect(auc).toBeGreaterThanOrEqual(0.99);
      else expect(auc).toBeLessThan(0.99);
    });
    console.log(`[Samson global RX, 10 implanted targets] ROC AUC by fill fraction (equal to SPy's): ${table.join(', ')}`);
  });
});

describe('bad inputs', () => {
  const small = new Multichannel(new Rng(1).normals(3 * 3), 3, 3, { shape: [1, 3] });
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['rx: not a Multichannel', () => rx([1, 2, 3] as never), ArgumentTypeError, /^rx: x must be a Multichannel/],
    ['rx: too few pixels for the covariance', () => rx(small), ValueError, /^rx: the background needs at least bands \+ 1 = 4 valid pixels.*got 3/],
    ['rx: constant band (singular covariance)', () => rx(new Multichannel(Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? 1 : i % 7)), 2, 20)), NumericalError, /^rx: the background covariance must be positive definite/],
    ['rx: background of another band count', () => rx(x, { background: { bands: 2, mean: new Float64Array(2), covariance: new Float64Array(4), count: 9 } }), ShapeError, /^rx: background.mean must have one entry per band \(16\)/],
    ['rx: background and window', () => rx(x, { background: backgroundStats(x), window: [3, 7] }), ValueError, /mutually exclusive/],
    ['rx: even window', () => rx(x, { window: [2, 7] }), ValueError, /^rx: window widths must be odd/],
    ['rx: inner ≥ outer', () => rx(x, { window: [7, 7] }), ValueError, /inner window must be smaller/],
    ['rx: ring too small for the bands', () => rx(x, { window: [1, 3] }), ValueError, /^rx: the window ring must hold more pixels than bands \(16\): outer² − inner² = 8/],
    ['rx: window without shape', () => rx(new Multichannel(x.data, x.channels, x.length), { window: [3, 7] }), ShapeError, /needs x.shape/],
    ['rx: outer larger than the image', () => rx(x, { window: [3, 25] }), ValueError, /must fit in the image \(24 × 24\)/],
    ['matchedFilter: target of wrong band count', () => matchedFilter(x, [1, 2, 3]), ShapeError, /^matchedFilter: target must have one value per band \(16\); got 3/],
    ['matchedFilter: NaN in target', () => matchedFilter(x, ref.target.map((v, i) => (i === 3 ? NaN : v))), ValueError, /^matchedFilter: target must be finite; got NaN/],
    ['matchedFilter: target equal to the mean', () => matchedFilter(x, backgroundStats(x).mean), ValueError, /must differ from the background mean/],
    ['matchedFilter: target not numbers', () => matchedFilter(x, 'abc' as never), ArgumentTypeError, /^matchedFilter: target must be a spectrum/],
    ['ace: target of wrong band count', () => ace(x, [ref.target, [1, 2]]), ShapeError, /^ace: target must have one value per band \(16\); got 2/],
    ['ace: dependent targets', () => ace(x, [ref.target, ref.target]), NumericalError, /linearly independent/],
    ['ace: more targets than bands', () => ace(x, Array.from({ length: 17 }, () => ref.target)), ValueError, /at most bands = 16 spectra; got 17/],
    ['mnf: no shape', () => mnf(new Multichannel(x.data, x.channels, x.length)), ShapeError, /^noiseFromDiffs: x.shape must be \[rows, cols\]/],
    ['mnf: k > bands', () => mnf(x).transform(x, 17), ValueError, /^MnfModel.transform: k must be ≤ bands = 16; got 17/],
    ['mnf: transform of another band count', () => mnf(x).transform(small), ShapeError, /must have 16 bands/],
    ['noiseFromDiffs: bad direction', () => noiseFromDiffs(x, 'up' as never), ValueError, /direction/],
    ['noiseFromDiffs: too few pairs', () => noiseFromDiffs(new Multichannel(x.data.slice(0, 16 * 6), 16, 6, { shape: [2, 3] })), ValueError, /at least bands \+ 1 = 17 neighbour pairs; got 2/],
    ['mnf: noise of another band count', () => mnf(x, { noise: { bands: 2, mean: new Float64Array(2), covariance: new Float64Array(4), count: 3 } }), ShapeError, /noise.covariance must be bands × bands = 256 values; got 4/],
  ];
  for (const [label, f, cls, pattern] of table) it(label, () => expectPointwiseError(f, cls, pattern, label));

  it('a NaN pixel scores NaN and is left out of the statistics', () => {
    const d = Float64Array.from(x.data);
    d[5] = NaN; // band 0, pixel 5
    const s = rx(new Multichannel(d, x.channels, x.length, { shape: ref.shape })).data;
    expect(Number.isNaN(s[5])).toBe(true);
    expect(s.filter((v) => Number.isNaN(v)).length).toBe(1);
  });
});

describe('local RX with NaN', () => {
  it('a NaN in a window ring gives NaN for the pixels whose ring holds it, finite scores elsewhere', () => {
    const d = Float64Array.from(x.data);
    d[0] = NaN; // band 0 of pixel (0, 0)
    const s = rx(new Multichannel(d, x.channels, x.length, { shape: ref.shape }), { window: [3, 7] }).data;
    expect(Number.isNaN(s[0])).toBe(true);
    expect(Number.isNaN(s[3 * 24 + 3])).toBe(true); // (3, 3): its 7 × 7 window starts at (0, 0)
    expect(Number.isFinite(s[10 * 24 + 10])).toBe(true);
    const finite = Array.from(s).filter((v) => Number.isFinite(v)).length;
    // (0, 0) lies in the outer window of the 4 × 4 pixels (i, j ≤ 3; windows shift inward at the
    // border) and inside the inner window (excluded from the ring) of (0..1, 0..1): 16 − 4 ring
    // NaNs, plus pixel (0, 0) itself
    expect(finite).toBe(24 * 24 - 13);
  });
});
