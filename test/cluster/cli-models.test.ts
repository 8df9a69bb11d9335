/**
 * The CLI's model modes (§3): pca --save / --partial / merge / --model and --lines, mix --model,
 * project --model, and beamform over several files into a folder.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Multichannel } from '../../src/core/multichannel.js';
import { readEnvi, writeEnvi } from '../../src/spectral/envi.js';
import { pca } from '../../src/spectral/pca.js';
import { fitProjection } from '../../src/spectral/projection.js';
import { fitLeastSquares } from '../../src/train/leastsq.js';
import { mix } from '../../src/mixing/mix.js';
import { readNpy, writeNpy } from '../../src/io/npy.js';
import { readWav, writeWav } from '../../src/io/wav.js';
import { readWavRange } from '../../src/io/ranges.js';
import { loadModel, saveModel } from '../../src/io/models.js';
import { Rng, tempDir } from '../helpers/index.js';
import { cli, ensureBuilt } from '../cli/run.js';

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return m / s;
}

describe('CLI: saved models, partial statistics, line ranges', () => {
  const dir = tempDir('pointwise-cli-models-');
  const rng = new Rng(11);
  const cube = path.join(dir, 'c.hdr');
  beforeAll(() => {
    ensureBuilt();
    const L = 30;
    const S = 20;
    const B = 10;
    const f = [0, 1].map(() => Float64Array.from({ length: L * S }, () => rng.normal()));
    const data = new Float64Array(B * L * S);
    for (let b = 0; b < B; b++) for (let p = 0; p < L * S; p++) data[b * L * S + p] = 4 * Math.sin(b + 1) * f[0][p] + 2 * Math.cos(b) * f[1][p] + 0.05 * rng.normal();
    writeEnvi(cube, new Multichannel(data, B, L * S, { shape: [L, S] }), { dataType: 5 });
  });

  it('pca --lines A:B --partial for two ranges, merged with -k, equals pca --save of the whole cube and single-process pca (max-loading signs)', () => {
    const p0 = path.join(dir, 'p0.npz');
    const p1 = path.join(dir, 'p1.npz');
    expect(cli(['pca', cube, '--lines', '0:13', '--partial', p0]).status).toBe(0);
    expect(cli(['pca', cube, '--lines', '13:', '--partial', p1]).status).toBe(0);
    const merged = path.join(dir, 'merged.npz');
    const saved = path.join(dir, 'saved.npz');
    const r = cli(['merge', p1, p0, '-k', '2', '-o', merged]);
    expect(r.stderr).toBe('');
    expect(cli(['pca', cube, '-k', '2', '--save', saved]).status).toBe(0);
    const a = loadModel(merged, { kind: 'pca' });
    const b = loadModel(saved, { kind: 'pca' });
    const ref = pca(readEnvi(cube), 2, { signs: 'max-loading' });
    for (const m of [a, b]) {
      expect(maxRel(m.components, ref.components)).toBeLessThan(1e-12);
      expect(maxRel(m.explainedVariance, ref.explainedVariance)).toBeLessThan(1e-12);
    }
    // --model applies it: the scores are the model's transform
    const scores = path.join(dir, 's.npy');
    expect(cli(['pca', '--model', saved, cube, '-o', scores]).status).toBe(0);
    expect(maxRel(readNpy(scores).data, b.transform(readEnvi(cube)).data)).toBeLessThan(1e-14);
    // and --lines with --model scores only those lines
    expect(cli(['pca', '--model', saved, cube, '--lines', '5:7', '-o', scores]).status).toBe(0);
    expect(readNpy(scores).length).toBe(2 * 20);
  });

  it('bad combinations are usage errors (exit 2), one line each', () => {
    const cases: [string[], RegExp][] = [
      [['pca', cube, '--lines', '9:3', '-k', '2', '--save', path.join(dir, 'x.npz')], /--lines/],
      [['pca', cube, cube, '-k', '2', '-o', path.join(dir, 'x.npy')], /-o writes the scores of one cube/],
      [['pca', '--model', path.join(dir, 'saved.npz'), cube], /--model needs -o/],
      [['merge', path.join(dir, 'p0.npz'), '-k', '2', '-o', path.join(dir, 'x.txt')], /npz/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
  });

  it('mix --model applies a saved least-squares fit as --weights/--bias would; project --model applies a saved projection', () => {
    const x = new Multichannel(Float64Array.from({ length: 3 * 200 }, () => rng.normal()), 3, 200);
    const y = new Multichannel(Float64Array.from({ length: 2 * 200 }, () => rng.normal()), 2, 200);
    const fit = fitLeastSquares(x, y);
    const xin = path.join(dir, 'x.npy');
    writeNpy(xin, x);
    const fitFile = path.join(dir, 'fit.npz');
    saveModel(fitFile, fit);
    const yout = path.join(dir, 'y.npy');
    const r = cli(['mix', xin, '--model', fitFile, '-o', yout]);
    expect(r.stderr).toBe('');
    expect(maxRel(readNpy(yout).data, mix(x, { data: fit.weights, rows: 2, cols: 3 }, fit.bias).data)).toBeLessThan(1e-14);
    const proj = fitProjection(readEnvi(cube), 2, { epochs: 2, seed: 1 });
    const projFile = path.join(dir, 'proj.npz');
    saveModel(projFile, proj);
    const codes = path.join(dir, 'codes.npy');
    expect(cli(['project', '--model', projFile, cube, '-o', codes]).status).toBe(0);
    expect(maxRel(readNpy(codes).data, proj.transform(readEnvi(cube)).data)).toBeLessThan(1e-14);
  });

  it('mix --start/--end mixes only that range of a WAV (reads only those frames)', () => {
    const N = 2000;
    const x = new Multichannel(Float64Array.from({ length: 2 * N }, () => 0.4 * rng.normal()), 2, N, { sampleRate: 1000 });
    const wav = path.join(dir, 'st.wav');
    writeWav(wav, x, { format: 'float32' });
    const w = path.join(dir, 'w.json');
    fs.writeFileSync(w, '[[0.5, 0.5]]');
    const outWav = path.join(dir, 'mixed.wav');
    const r = cli(['mix', wav, '--weights', w, '--start', '0.5s', '--end', '1500', '-o', outWav, '--format', 'float64']);
    expect(r.stderr).toBe('');
    const y = readWav(outWav);
    expect(y.length).toBe(1000);
    const xs = readWavRange(wav, { start: 500, end: 1500 });
    for (let t = 0; t < 1000; t++) expect(y.data[t]).toBe(0.5 * xs.data[t] + 0.5 * xs.data[1000 + t]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
