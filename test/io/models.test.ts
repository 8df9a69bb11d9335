import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipSync, unzipSync } from 'fflate';
import {
  Adam, ArrayGeometry, ConstrainedMixer, FormatError, LinearConstraints, Multichannel, OrthogonalMixer, PcaModel, PointwiseMixer,
  ProjectionModel, ResidualMixer, decodeModel, decodeNpz, encodeModel, encodeNpz, fitColumnStochasticMixer, fitConstrainedMixer,
  fitLeastSquares, fitProjection, fixedEntries, groupedMix, loadModel, loadModelWithMetadata, mix, pca, randomGroupedWeights,
  readNpz, saveModel, syntheticCube, totalConservation, writeNpz, type ConstrainedFitModel, type GroupedMixerModel, type LeastSquaresFit,
  type SavedModel, type StochasticFit,
} from '../../src/index.js';
import { REPO_ROOT, Rng, expectPointwiseError, tempDir } from '../helpers/index.js';

/** True when the two arrays hold the same bits (NaN payloads, −0 included). */
function sameBits(a: Float64Array | Float32Array, b: Float64Array | Float32Array): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function expectSameBits(a: Float64Array | Float32Array, b: Float64Array | Float32Array, label: string): void {
  expect(sameBits(a, b), label).toBe(true);
}

const dir = tempDir('pointwise-models-');
let fileNo = 0;
function roundTrip<T extends SavedModel>(model: T, options: Parameters<typeof saveModel>[2] = {}): T {
  const file = path.join(dir, `m${fileNo++}.npz`);
  saveModel(file, model, options);
  return loadModel(file) as T;
}

const scene = syntheticCube({ shape: [12, 10], bands: 9, endmembers: 3, seed: 4 });
const cube = scene.cube;
// a copy with NaN and ignore-value pixels, for the masks
const holey = new Multichannel(Float64Array.from(cube.data), cube.channels, cube.length, { shape: cube.shape });
holey.data[5] = NaN;
holey.data[2 * cube.length + 17] = -9999;
const rng = new Rng(11);
const x = new Multichannel(rng.normals(3 * 200), 3, 200);
const W0 = [0.5, 0.2, 0.3, 0.1, 0.6, 0.3, 0.4, 0.2, 0.4];
const y = mix(x, { data: Float64Array.from(W0), rows: 3, cols: 3 });
for (let k = 0; k < y.data.length; k++) y.data[k] += 0.01 * Math.sin(k);

describe('saveModel / loadModel: every kind gives bit-identical outputs', () => {
  it('PcaModel (plain, whitened, bad bands + ignore value)', () => {
    const variants = [
      pca(cube, 3),
      pca(cube, 4, { whiten: true }),
      pca(holey, 2, { badBands: [1, 1, 0, 1, 1, 1, 1, 0, 1], ignoreValue: -9999 }),
    ];
    for (const m of variants) {
      const back = roundTrip(m, { wavelengths: Array.from({ length: 9 }, (_, i) => 400 + 10 * i), units: 'nm' });
      expect(back).toBeInstanceOf(PcaModel);
      expectSameBits(back.transform(holey).data, m.transform(holey).data, 'transform');
      const scores = m.transform(cube);
      expectSameBits(back.inverseTransform(scores).data, m.inverseTransform(scores).data, 'inverseTransform');
      for (const key of ['explainedVarianceRatio', 'singularValues', 'components', 'mean'] as const) expectSameBits(back[key], m[key], key);
      expect(Array.from(back.usedBands)).toEqual(Array.from(m.usedBands));
      expect([back.noiseVariance, back.totalVariance, back.nSamples, back.whiten, back.ignoreValue]).toEqual([m.noiseVariance, m.totalVariance, m.nSamples, m.whiten, m.ignoreValue]);
    }
  });

  it('ProjectionModel (autoencoder, regression with a head, classification)', () => {
    const models = [
      fitProjection(cube, 2, { epochs: 2, seed: 1 }),
      fitProjection(cube, 2, { epochs: 2, target: scene.abundances, seed: 2 }),
      fitProjection(cube, 3, { epochs: 2, target: scene.labels, seed: 3, ignoreValue: -9999 }),
    ];
    for (const m of models) {
      const back = roundTrip(m);
      expect(back).toBeInstanceOf(ProjectionModel);
      expect(back.kind).toBe(m.kind);
      expectSameBits(back.predict(holey).data, m.predict(holey).data, `${m.kind} predict`);
      expect(back.lossHistory).toEqual(m.lossHistory);
      if (m.kind === 'classification') expect(Array.from(back.classify(holey))).toEqual(Array.from(m.classify(holey)));
    }
  });

  it('PointwiseMixer (with and without bias), ResidualMixer, OrthogonalMixer', () => {
    const first = PointwiseMixer.random(3, 2, { seed: 1 });
    first.bias.set([0.25, -1e-300]);
    const mixers = [first, PointwiseMixer.random(3, 4, { seed: 2, bias: false }), ResidualMixer.random(3, 3, { seed: 3 }), OrthogonalMixer.random(3, { seed: 4 })];
    for (const m of mixers) {
      const back = roundTrip(m);
      expect(back.constructor).toBe(m.constructor);
      expectSameBits(back.forward(x).data, m.forward(x).data, m.constructor.name);
      if (m instanceof PointwiseMixer) expect((back as PointwiseMixer).hasBias).toBe(m.hasBias);
    }
  });

  it('grouped mixer (plain object)', () => {
    const w = randomGroupedWeights(4, 6, 2, 5);
    const g: GroupedMixerModel = { weights: w.data, outChannels: 6, inChannels: 4, groups: 2, bias: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    const back = roundTrip(g);
    const x4 = new Multichannel(new Rng(2).normals(4 * 50), 4, 50);
    const run = (m: GroupedMixerModel): Float64Array | Float32Array => groupedMix(x4, { data: m.weights, rows: m.outChannels, cols: m.inChannels / m.groups }, m.groups, m.bias).data;
    expectSameBits(run(back), run(g), 'groupedMix');
    expect([back.groups, back.inChannels, back.outChannels]).toEqual([2, 4, 6]);
  });

  it('fitLeastSquares result', () => {
    const fit = fitLeastSquares(x, y, { ridge: 1e-9 });
    const back = roundTrip(fit);
    const apply = (f: LeastSquaresFit): Float64Array | Float32Array => mix(x, { data: f.weights, rows: f.outChannels, cols: f.inChannels }, f.bias).data;
    expectSameBits(apply(back), apply(fit), 'prediction');
    expect([back.residual, back.conditionNumber]).toEqual([fit.residual, fit.conditionNumber]);
  });

  it('fitConstrainedMixer result with its constraints (structured and general rows)', () => {
    const structured = totalConservation(3);
    const general = structured.and(fixedEntries(3, 3, [{ output: 0, input: 2, value: 0 }]));
    for (const c of [structured, general]) {
      const fit = fitConstrainedMixer(x, y, c, { bias: true });
      const back = roundTrip(fit, { constraints: c }) as ConstrainedFitModel;
      expectSameBits(back.mixer.forward(x).data, fit.mixer.forward(x).data, `${fit.method} forward`);
      expect(back.method).toBe(fit.method);
      expect([back.residual, back.mse, back.violation, back.unconstrainedResidual]).toEqual([fit.residual, fit.mse, fit.violation, fit.unconstrainedResidual]);
      if (fit.multipliers) expectSameBits(back.multipliers!, fit.multipliers, 'multipliers');
      else expect(back.multipliers).toBeUndefined();
      expect(back.constraints).toBeInstanceOf(LinearConstraints);
      expect(back.constraints!.violation(back.weights, back.bias)).toBe(c.violation(fit.weights, fit.bias));
      expectSameBits(back.constraints!.A, c.A, 'A');
      expectSameBits(back.constraints!.C, c.C, 'C');
    }
  });

  it('fitColumnStochasticMixer result', () => {
    const fit: StochasticFit = fitColumnStochasticMixer(x, y, { maxIterations: 50 });
    const back = roundTrip(fit);
    expectSameBits(back.mixer.forward(x).data, fit.mixer.forward(x).data, 'forward');
    expect([back.iterations, back.converged, back.columnSumError, back.minEntry]).toEqual([fit.iterations, fit.converged, fit.columnSumError, fit.minEntry]);
  });

  it('ConstrainedMixer (trained) keeps its weights and keeps training identically', () => {
    const c = totalConservation(3).and(fixedEntries(3, 3, [{ output: 1, input: 0, value: 0.1 }]));
    const m = new ConstrainedMixer(c, { seed: 3 });
    m.train(x, y, { optimizer: new Adam({ learningRate: 1e-2 }), steps: 5 });
    const back = roundTrip(m);
    expect(back).toBeInstanceOf(ConstrainedMixer);
    expectSameBits(back.forward(x).data, m.forward(x).data, 'forward');
    expectSameBits(back.z, m.z, 'z');
    m.train(x, y, { optimizer: new Adam({ learningRate: 1e-2 }), steps: 3 });
    back.train(x, y, { optimizer: new Adam({ learningRate: 1e-2 }), steps: 3 });
    expectSameBits(back.weights, m.weights, 'after more training');
  });

  it('LinearConstraints (with a dropped dependent row) and ArrayGeometry (with sources)', () => {
    const c = new LinearConstraints({ outChannels: 3, inChannels: 2, A: [[1, 1, 1], [2, 2, 2]], B: [[1, 1], [2, 2]], names: ['mass', 'twice'], C: [[1, 0, 0, 0, 0, 0]], d: [0.5] });
    expect(c.dropped).toEqual(['twice']);
    const back = roundTrip(c);
    expect(back).toBeInstanceOf(LinearConstraints);
    expect([back.names, back.generalNames, back.dropped, back.options]).toEqual([c.names, c.generalNames, c.dropped, c.options]);
    for (const key of ['A', 'B', 'biasTarget', 'C', 'd'] as const) expectSameBits(back[key], c[key], key);
    const W = Float64Array.from([0.5, 0.1, 0.2, 0.3, 0.3, 0.6]);
    expect(back.violation(W)).toBe(c.violation(W));

    const g = ArrayGeometry.fromJson({ microphones: [[0, 0, 0], [0.1, 0, 0], [0.1 / 3, 0.2, -0.05]], sources: { talker: [1.5, 2, 0.25] } });
    const gb = roundTrip(g);
    expect(gb).toBeInstanceOf(ArrayGeometry);
    expectSameBits(gb.positions, g.positions, 'positions');
    expect(gb.sources).toEqual(g.sources);
  });

  it('keeps labels, wavelengths, units and the versions in the metadata', () => {
    const file = path.join(dir, 'meta.npz');
    saveModel(file, pca(cube, 2), { labels: ['a', 'b'], wavelengths: [400.5, 410.25], units: 'nm', description: 'test' });
    const { model, metadata } = loadModelWithMetadata(file);
    expect(model).toBeInstanceOf(PcaModel);
    expect(metadata).toMatchObject({ kind: 'pca', formatVersion: 1, labels: ['a', 'b'], wavelengths: [400.5, 410.25], units: 'nm', description: 'test' });
    expect(metadata.packageVersion).toBe(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('loadModel with a kind is typed and refuses other kinds', () => {
    const file = path.join(dir, 'typed.npz');
    saveModel(file, pca(cube, 2));
    const m = loadModel(file, { kind: 'pca' });
    expect(m.transform(cube).channels).toBe(2); // compiles: m is a PcaModel
    expectPointwiseError(() => loadModel(file, { kind: 'gram-partial' }), FormatError, /: the file must hold a gram-partial; got "pca"$/);
  });

  it('the same model encodes to the same bytes (no timestamps)', () => {
    const m = PointwiseMixer.random(2, 2, { seed: 9 });
    expect(Buffer.from(encodeModel(m)).equals(Buffer.from(encodeModel(m)))).toBe(true);
  });
});

describe('bad model files: a FormatError, never a half-built model', () => {
  const good = encodeModel(pca(cube, 2));
  /** Rebuilds the zip with `edit` applied to its entries (metadata checksum recomputed when asked). */
  function rezip(edit: (e: Record<string, Uint8Array>) => void, fixSum = true): Uint8Array {
    const entries = unzipSync(good);
    edit(entries);
    if (fixSum) {
      const { createHash } = require('node:crypto') as typeof import('node:crypto');
      entries['metadata.sha256'] = new TextEncoder().encode(createHash('sha256').update(entries['metadata.json']).digest('hex'));
    }
    return zipSync(entries, { level: 0 });
  }
  function editMeta(f: (m: Record<string, any>) => void): Uint8Array {
    return rezip((e) => {
      const m = JSON.parse(new TextDecoder().decode(e['metadata.json']));
      f(m);
      e['metadata.json'] = new TextEncoder().encode(JSON.stringify(m));
    });
  }
  /** The offset of the first byte of an array's samples inside the zip. */
  function dataOffset(bytes: Uint8Array, entry: string): number {
    const name = Buffer.from(entry);
    const at = Buffer.from(bytes).indexOf(name); // the local header's file name
    const npy = Buffer.from(bytes).indexOf(Buffer.from('\x93NUMPY', 'latin1'), at);
    return npy + 10 + (bytes[npy + 8] | (bytes[npy + 9] << 8));
  }
  const flipped = (at: number): Uint8Array => {
    const b = good.slice();
    b[at] ^= 0x01;
    return b;
  };

  const table: [string, () => Uint8Array, RegExp][] = [
    ['unknown kind', () => editMeta((m) => (m.kind = 'neural-net')), /^decodeModel: the kind must be one of pca, .*; got "neural-net"$/],
    ['newer format version', () => editMeta((m) => (m.formatVersion = 2)), /^decodeModel: the format version must be at most 1 \(the file was written by a newer pointwise, "0\.1\.0"; upgrade to read it\); got 2$/],
    ['not a pointwise model', () => editMeta((m) => (m.format = 'other')), /must say format 'pointwise-model'; got "other"$/],
    ['truncated (half the file)', () => good.slice(0, Math.floor(good.length / 2)), /^decodeModel: the file must be a complete \.npz archive; got decodeNpz: the bytes must be a complete zip archive/],
    ['truncated (last byte)', () => good.slice(0, good.length - 1), /the file must be a complete \.npz archive/],
    ['tampered byte in an array', () => flipped(dataOffset(good, 'components.npy') + 3), /^decodeModel: 'components\.npy' must match its checksum \(the file was changed or damaged\); got shape \[2, 9\] with a different SHA-256$/],
    ['tampered byte in the metadata', () => flipped(Buffer.from(good).indexOf(Buffer.from('"nSamples"')) + 3), /^decodeModel: 'metadata\.json' must match its checksum in 'metadata\.sha256'/],
    ['missing entry', () => rezip((e) => delete e['mean.npy']), /^decodeModel: the entry 'mean\.npy' listed in 'metadata\.json' must be present; got missing$/],
    ['missing entry (unlisted too)', () => editMeta((m) => delete m.arrays.mean), /^decodeModel: the entry 'mean\.npy' must be present; got missing$|every array entry must be listed/],
    ['missing metadata', () => rezip((e) => delete e['metadata.json'], false), /must hold 'metadata\.json' and 'metadata\.sha256' entries/],
    ['wrong shape', () => editMeta((m) => (m.fields.k = 3)), /^decodeModel: 'components' must have shape \[3, 9\]; got \[2, 9\]$/],
    ['wrong field type', () => editMeta((m) => (m.fields.whiten = 'yes')), /^decodeModel: the metadata field 'whiten' must be true or false; got "yes"$/],
    ['not a zip at all', () => new TextEncoder().encode('hello, this is not a zip file at all.'), /the file must be a complete \.npz archive/],
    ['an unwanted kind', () => good, /^decodeModel: the file must hold a pointwise-mixer; got "pca"$/],
  ];
  it.each(table)('%s', (label, make, pattern) => {
    const bytes = make();
    const options = label === 'an unwanted kind' ? { kind: 'pointwise-mixer' as const } : {};
    expectPointwiseError(() => decodeModel(bytes, options), FormatError, pattern, label);
  });

  it('the good bytes load (so the table tests the edits, not the base)', () => {
    expect(decodeModel(good).model).toBeInstanceOf(PcaModel);
    expect(decodeModel(editMeta(() => {})).model).toBeInstanceOf(PcaModel);
  });

  it('a constructor complaint (NaN weights in a tampered file) becomes a FormatError naming the file', () => {
    const m = PointwiseMixer.random(2, 2, { seed: 1 });
    const file = path.join(dir, 'nan.npz');
    saveModel(file, m);
    // write NaN weights with matching checksums: only the mixer's own check can catch it
    const entries = unzipSync(fs.readFileSync(file));
    const { arrays } = decodeNpz(fs.readFileSync(file));
    arrays.weights.data[0] = NaN;
    const meta = JSON.parse(new TextDecoder().decode(entries['metadata.json']));
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const h = createHash('sha256');
    h.update(`<f8 (2,2)\n`);
    h.update(new Uint8Array(arrays.weights.data.buffer));
    meta.arrays.weights.sha256 = h.digest('hex');
    const text = new TextEncoder().encode(JSON.stringify(meta));
    fs.writeFileSync(file, encodeNpz({ weights: arrays.weights, bias: arrays.bias }, { 'metadata.json': text, 'metadata.sha256': new TextEncoder().encode(createHash('sha256').update(text).digest('hex')) }));
    expectPointwiseError(() => loadModel(file), FormatError, new RegExp(`^loadModel: ${JSON.stringify(file).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the saved pointwise-mixer must be valid; got PointwiseMixer: weights must`));
  });

  it('sizes are checked before memory is taken', () => {
    const file = path.join(dir, 'big.npz');
    saveModel(file, pca(cube, 2));
    expectPointwiseError(() => loadModel(file, { maxBytes: 100 }), FormatError, /^loadModel: the file must be at most maxBytes = 100 bytes; got \d+ bytes in /);
    // a deflated entry's declared size is checked against deflate's ratio and the budget before inflating
    const declaring = (originalSize: number): Buffer => {
      const buf = Buffer.from(zipSync({ 'a.npy': new Uint8Array(100000) }, { level: 9 }));
      for (const sig of [0x04034b50, 0x02014b50]) {
        const at = buf.indexOf(Buffer.from(new Uint32Array([sig]).buffer));
        buf.writeUInt32LE(originalSize, at + (sig === 0x04034b50 ? 22 : 24));
      }
      return buf;
    };
    expectPointwiseError(() => decodeNpz(declaring(2 ** 31)), FormatError, /^decodeNpz: a deflated entry must not declare more than 1032 × its compressed size \(deflate's limit\); got 2147483648 bytes from \d+ for "a\.npy"$/);
    expectPointwiseError(() => decodeNpz(declaring(100000), { maxBytes: 50000 }), FormatError, /^decodeNpz: the entries' declared sizes must total at most maxBytes = 50000; got 100000 bytes by entry "a\.npy"$/);
    // found by the fuzzer: a central directory claiming a 960 MB compressed entry in a 1132-byte file
    const huge = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/fuzz/npz-huge-compressed-size.bin'));
    expectPointwiseError(() => decodeNpz(huge), FormatError, /^decodeNpz: an entry must fit in the archive \(truncated\?\); got 960051513 compressed bytes declared in a 1132-byte archive$/);
  });
});

describe('numpy interoperability', () => {
  const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'npz');

  it('numpy.load reads a saved PCA model: shapes and sums recorded by scripts/fixtures/check_npz.py', () => {
    const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'pointwise-pca.numpy.json'), 'utf8')) as Record<string, { shape: number[]; sum: number; first: number }>;
    const { arrays } = readNpz(path.join(fixtures, 'pointwise-pca.npz'));
    expect(Object.keys(expected).sort()).toEqual(['components', 'explainedVariance', 'mean', 'usedBands']);
    for (const [name, e] of Object.entries(expected)) {
      expect(arrays[name].shape, name).toEqual(e.shape);
      expect(arrays[name].data[0], name).toBe(e.first);
      expect(Math.abs(Array.from(arrays[name].data).reduce((s, v) => s + v, 0) - e.sum), name).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(e.sum)));
    }
    const model = loadModel(path.join(fixtures, 'pointwise-pca.npz'));
    expect(model).toBeInstanceOf(PcaModel);
  });

  it('the committed model file holds the fit scripts/fixtures/make_npz_model.ts describes', () => {
    const { model, metadata } = loadModelWithMetadata(path.join(fixtures, 'pointwise-pca.npz'), { kind: 'pca' });
    const today = pca(syntheticCube({ shape: [8, 8], bands: 6, endmembers: 3, seed: 7 }).cube, 3);
    const m = model as PcaModel;
    for (const key of ['components', 'explainedVariance', 'mean'] as const) {
      for (let i = 0; i < m[key].length; i++) expect(Math.abs(m[key][i] - today[key][i]), key).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(today[key][i])));
    }
    expect(metadata).toMatchObject({ units: 'nm', wavelengths: [450, 500, 550, 600, 650, 700] });
  });

  it('reads npz files written by numpy.savez and numpy.savez_compressed', () => {
    const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'numpy-made.json'), 'utf8')) as Record<string, { shape: number[]; values: number[] }>;
    for (const file of ['numpy-savez.npz', 'numpy-savez-compressed.npz']) {
      const { arrays } = readNpz(path.join(fixtures, file));
      expect(Object.keys(arrays).sort(), file).toEqual(Object.keys(expected).sort());
      for (const [name, e] of Object.entries(expected)) {
        expect(arrays[name].shape, `${file} ${name}`).toEqual(e.shape);
        expect(Array.from(arrays[name].data), `${file} ${name}`).toEqual(e.values);
      }
    }
  });

  it('writeNpz/readNpz round-trip arrays of rank 0, 1, 2 and 3 bit for bit', () => {
    const file = path.join(dir, 'ranks.npz');
    const arrays = {
      s: { data: Float64Array.of(-0), shape: [] },
      v: { data: Float64Array.of(1, NaN, -Infinity, 5e-324), shape: [4] },
      m: { data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] },
      c: { data: Float32Array.from({ length: 24 }, (_, i) => i / 7), shape: [2, 3, 4] },
      e: { data: new Float64Array(0), shape: [0] },
    };
    writeNpz(file, arrays);
    const back = readNpz(file).arrays;
    for (const [name, a] of Object.entries(arrays)) {
      expect(back[name].shape, name).toEqual(a.shape);
      expectSameBits(back[name].data, a.data, name);
    }
  });
});
