/**
 * The analysis commands of the `pointwise` CLI (beamform, localize, pca, project, info on ENVI and
 * .mat), run as the BUILT bin on generated files (see run.ts), checked against the library called
 * directly; bad input leaves no output file and exits 2 with one line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWav, writeWav, readNpy, writeNpy, decodePng } from '../../src/index.js';
import { ArrayGeometry, delayAndSum, direction, point, simulatePlaneWave, simulatePointSource } from '../../src/beamform/index.js';
import { pca, syntheticCube, writeEnvi, readEnvi } from '../../src/spectral/index.js';
import { Rng, expectClose, sharedData, tempDir } from '../helpers/index.js';
import { cli, ensureBuilt } from './run.js';
import { expectBadInput as expectBadInputIn } from './helpers.js';

let dir: string;
const p = (name: string): string => path.join(dir, name);
const FS = 16000;

/** Bad-input run in this file's temp folder (see ./helpers.ts). */
const expectBadInput = (args: string[], re: RegExp, cmd: string): void => expectBadInputIn(dir, args, re, cmd);

beforeAll(() => {
  ensureBuilt();
  dir = tempDir('pointwise-cli-analysis-');
  const geometry = ArrayGeometry.circular(6, 0.08);
  fs.writeFileSync(p('g.json'), JSON.stringify(geometry.toJSON()));
  fs.writeFileSync(p('g4.json'), JSON.stringify({ microphones: [[0, 0, 0], [0.1, 0, 0], [0, 0.1, 0], [0.1, 0.1, 0]] }));
  const s = new Rng(21).normals(FS / 2);
  writeWav(p('plane45.wav'), simulatePlaneWave(s, geometry, direction(45), { sampleRate: FS }), { format: 'float32' });
  writeWav(p('point.wav'), simulatePointSource(s, geometry, point(0.3, 0.2, 0), { sampleRate: FS }), { format: 'float32' });
  const scene = syntheticCube({ shape: [16, 16], bands: 20, endmembers: 3, seed: 2 });
  writeEnvi(p('cube.hdr'), scene.cube);
  writeNpy(p('abund.npy'), scene.abundances);
  fs.writeFileSync(p('broken.hdr'), 'this is not an ENVI header\n');
}, 180_000);

describe('pointwise beamform', () => {
  it('--direction equals the library delayAndSum on the same file', () => {
    const r = cli(['beamform', p('plane45.wav'), '--geometry', p('g.json'), '--direction', '45', '--format', 'float64', '-o', p('b.wav')]);
    expect(r.status, r.stderr).toBe(0);
    const got = readWav(p('b.wav'));
    const want = delayAndSum(readWav(p('plane45.wav')), ArrayGeometry.fromJson(p('g.json')), direction(45), { method: 'fft' });
    expect([got.channels, got.length, got.sampleRate]).toEqual([1, want.length, FS]);
    expectClose(got.data, want.data, { atol: 1e-12, label: 'beamform direction' });
    fs.unlinkSync(p('b.wav'));
  });

  it('--point with --method integer equals the library', () => {
    const r = cli(['beamform', p('point.wav'), '--geometry', p('g.json'), '--point', '0.3,0.2', '--method', 'integer', '--format', 'float64', '-o', p('bp.wav')]);
    expect(r.status, r.stderr).toBe(0);
    const want = delayAndSum(readWav(p('point.wav')), ArrayGeometry.fromJson(p('g.json')), point(0.3, 0.2, 0), { method: 'integer' });
    expectClose(readWav(p('bp.wav')).data, want.data, { atol: 1e-12, label: 'beamform point' });
    fs.unlinkSync(p('bp.wav'));
  });

  it('bad input: missing file, missing geometry, geometry of the wrong size, both targets, bad method', () => {
    expectBadInput(['beamform', p('missing.wav'), '--geometry', p('g.json'), '--direction', '0', '-o', p('o.wav')], /missing\.wav/, 'beamform');
    expectBadInput(['beamform', p('plane45.wav'), '--geometry', p('nope.json'), '--direction', '0', '-o', p('o.wav')], /nope\.json/, 'beamform');
    expectBadInput(['beamform', p('plane45.wav'), '--geometry', p('g4.json'), '--direction', '0', '-o', p('o.wav')], /microphone|channel/, 'beamform');
    expectBadInput(['beamform', p('plane45.wav'), '--geometry', p('g.json'), '--direction', '0', '--point', '1,1', '-o', p('o.wav')], /exactly one of --direction/, 'beamform');
    expectBadInput(['beamform', p('plane45.wav'), '--geometry', p('g.json'), '--direction', 'north', '-o', p('o.wav')], /--direction must be comma-separated numbers/, 'beamform');
    expectBadInput(['beamform', p('plane45.wav'), '--geometry', p('g.json'), '--direction', '0', '--method', 'magic', '-o', p('o.wav')], /--method must be one of/, 'beamform');
    expectBadInput(['beamform', p('cube.hdr'), '--geometry', p('g.json'), '--direction', '0', '-o', p('o.wav')], /./, 'beamform');
  });
});

describe('pointwise localize', () => {
  it('far field finds the plane wave within 2°, prints JSON and writes a plot', () => {
    const r = cli(['localize', p('plane45.wav'), '--geometry', p('g.json'), '--peaks', '1', '--json', '--plot', p('az.png')]);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { nearField: boolean; gridPoints: number; peaks: { position: number[] }[] };
    expect(res.nearField).toBe(false);
    expect(res.gridPoints).toBe(360);
    expect(Math.abs(res.peaks[0].position[0] - 45)).toBeLessThanOrEqual(2);
    const png = decodePng(fs.readFileSync(p('az.png')));
    expect(png.width).toBeGreaterThan(100);
    fs.unlinkSync(p('az.png'));
  });

  it('near field on a grid finds the point source within 5 cm and plots the map', () => {
    const r = cli(['localize', p('point.wav'), '--geometry', p('g.json'), '--near-field', '--grid', '0:0.5:0.02,0:0.5:0.02', '--plot', p('map.png')]);
    expect(r.status, r.stderr).toBe(0);
    const m = /x ([-\d.e]+) m, y ([-\d.e]+) m/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Math.hypot(Number(m![1]) - 0.3, Number(m![2]) - 0.2)).toBeLessThanOrEqual(0.05);
    expect(fs.existsSync(p('map.png'))).toBe(true);
    fs.unlinkSync(p('map.png'));
  });

  it('bad input: near field without grid, bad grid, wrong geometry, bad plot extension', () => {
    expectBadInput(['localize', p('plane45.wav'), '--geometry', p('g.json'), '--near-field'], /--near-field needs --grid/, 'localize');
    expectBadInput(['localize', p('plane45.wav'), '--geometry', p('g.json'), '--near-field', '--grid', '0:1'], /--grid/, 'localize');
    expectBadInput(['localize', p('plane45.wav'), '--geometry', p('g4.json'), '--plot', p('x.png')], /microphone|channel/, 'localize');
    expectBadInput(['localize', p('plane45.wav'), '--geometry', p('g.json'), '--plot', p('x.jpg')], /\.png/, 'localize');
    expectBadInput(['localize', p('missing.wav'), '--geometry', p('g.json')], /missing\.wav/, 'localize');
  });
});

const samsonMat = sharedData('hyperspectral/Samson.mat');
const samsonHdr = sharedData('hyperspectral/samson_bsq_f32.hdr');

describe('pointwise pca / project / info on cubes', () => {
  it.skipIf(!samsonMat)('info lists the variables of a real .mat file (Samson)', () => {
    const r = cli(['info', samsonMat!, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { kind: string; variables: { name: string; shape: number[]; dtype: string }[] };
    expect(s.kind).toBe('mat');
    expect(s.variables.find((v) => v.name === 'Y')).toEqual({ name: 'Y', shape: [156, 9025], dtype: 'double' });
  });

  it.skipIf(!samsonHdr)('pca on the real Samson ENVI cube prints the library explained variance', () => {
    const r = cli(['pca', samsonHdr!, '-k', '3']);
    expect(r.status, r.stderr).toBe(0);
    const ratio = pca(readEnvi(samsonHdr!), 3).explainedVarianceRatio;
    const printed = r.stdout.split('\n').filter((l) => /^[123]\s/.test(l)).map((l) => Number(l.trim().split(/\s+/)[2]));
    expect(printed).toHaveLength(3);
    printed.forEach((v, i) => expect(Math.abs(v - ratio[i])).toBeLessThan(5e-4 * Math.max(1, ratio[i])));
  });

  it('info on an ENVI header reports bands, grid and wavelengths', () => {
    const r = cli(['info', p('cube.hdr'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { channels: number; shape: number[]; wavelengths: { min: number; max: number; count: number } };
    const cube = readEnvi(p('cube.hdr'));
    expect(s.channels).toBe(20);
    expect(s.shape).toEqual(cube.dims);
    expect(s.wavelengths.count).toBe(20);
    expect(s.wavelengths.min).toBeCloseTo(cube.coords!.values[0], 9);
  });

  it('pca writes the library scores and the explained-variance plot', () => {
    const r = cli(['pca', p('cube.hdr'), '-k', '3', '-o', p('scores.npy'), '--plot', p('ev.png')]);
    expect(r.status, r.stderr).toBe(0);
    const model = pca(readEnvi(p('cube.hdr')), 3);
    const got = readNpy(p('scores.npy'));
    expect([got.channels, got.length]).toEqual([3, 256]);
    expectClose(got.data, model.transform(readEnvi(p('cube.hdr'))).data, { atol: 1e-12, label: 'pca scores' });
    expect(r.stdout).toContain(model.explainedVarianceRatio[0].toPrecision(4).replace(/0+$/, ''));
    expect(decodePng(fs.readFileSync(p('ev.png'))).height).toBeGreaterThan(100);
    fs.unlinkSync(p('scores.npy'));
    fs.unlinkSync(p('ev.png'));
  });

  it('project toward abundances writes a prediction close to them', () => {
    const r = cli(['project', p('cube.hdr'), '-k', '3', '--target', p('abund.npy'), '--epochs', '20', '-o', p('pred.npy')]);
    expect(r.status, r.stderr).toBe(0);
    const got = readNpy(p('pred.npy'));
    const a = readNpy(p('abund.npy'));
    expect([got.channels, got.length]).toEqual([3, 256]);
    let s = 0;
    for (let i = 0; i < a.data.length; i++) s += (got.data[i] - a.data[i]) ** 2;
    expect(Math.sqrt(s / a.data.length)).toBeLessThan(0.1);
    fs.unlinkSync(p('pred.npy'));
  });

  it('bad input: k > bands, k not a number, broken header, missing cube, wrong target shape', () => {
    expectBadInput(['pca', p('cube.hdr'), '-k', '50', '-o', p('s.npy')], /k/, 'pca');
    expectBadInput(['pca', p('cube.hdr'), '-k', 'three'], /-k must be a positive integer/, 'pca');
    expectBadInput(['pca', p('broken.hdr'), '-k', '2', '-o', p('s.npy')], /./, 'pca');
    expectBadInput(['pca', p('missing.hdr'), '-k', '2', '-o', p('s.npy')], /missing\.hdr/, 'pca');
    writeNpy(p('bad_target.npy'), readNpy(p('abund.npy')).slice(0, 100));
    expectBadInput(['project', p('cube.hdr'), '-k', '3', '--target', p('bad_target.npy'), '-o', p('pred.npy')], /./, 'project');
    expectBadInput(['project', p('cube.hdr'), '-k', '3', '-o', p('pred.wav')], /-o must end in \.npy/, 'project');
  });
});
