/**
 * The CLI points of issue 17: convolve broadcasts a mono signal against a C-channel kernel and
 * rejects different sample rates on every path; pca and project read MATLAB .mat cubes (variable by
 * --var or the largest, grid from --shape, nRow/nCol-style scalars or a 3-D abundance array);
 * project --help states the target's shape; info shows an ENVI file's storage; pca --plot --log.
 * The .mat files are written here by a small level-5 writer; the Samson checks use ../shared.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/index.js';
import { readNpy, readWav, writeNpy, writeWav } from '../../src/io/index.js';
import { convolve } from '../../src/convolve/index.js';
import { pca, writeEnvi } from '../../src/spectral/index.js';
import { decodePng } from '../../src/io/png.js';
import { Rng, expectClose, sharedData, tempDir } from '../helpers/index.js';
import { cli, ensureBuilt } from './run.js';
import { expectBadInput as expectBadInputIn } from './helpers.js';

let dir: string;
const p = (name: string): string => path.join(dir, name);
const expectBadInput = (args: string[], re: RegExp, cmd: string): void => expectBadInputIn(dir, args, re, cmd);

/** A little-endian, uncompressed level-5 MAT-file of double arrays (column-major `data`). */
function writeMat(file: string, vars: { name: string; dims: number[]; data: ArrayLike<number> }[]): void {
  const tag = (type: number, bytes: number): Buffer => {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(bytes, 4);
    return b;
  };
  const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((8 - (b.length % 8)) % 8)]);
  const parts: Buffer[] = [];
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, written by cli17.test.ts', 0, 'latin1');
  header.writeUInt16LE(0, 116);
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  parts.push(header);
  for (const v of vars) {
    const flags = Buffer.alloc(8);
    flags.writeUInt32LE(6, 0); // mxDOUBLE_CLASS
    const dims = Buffer.alloc(4 * v.dims.length);
    v.dims.forEach((d, i) => dims.writeInt32LE(d, 4 * i));
    const name = Buffer.from(v.name, 'latin1');
    const vals = Buffer.alloc(8 * v.data.length);
    for (let i = 0; i < v.data.length; i++) vals.writeDoubleLE(v.data[i], 8 * i);
    const body = Buffer.concat([tag(6, 8), flags, tag(5, dims.length), pad(dims), tag(1, name.length), pad(name), tag(9, vals.length), pad(vals)]);
    parts.push(tag(14, body.length), body);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}

// A 4 × 5 scene with 6 bands: `cube` is the row-major truth; Ycm is [bands, pixels] with pixels in
// MATLAB's column-major order (pixel p at row p mod 4, col floor(p / 4)); S is [rows, cols, 3].
const R = 4, Cc = 5, B = 6, N = R * Cc;
const rng = new Rng(1717);
const cube = new Multichannel(rng.array(B * N, 0, 1), B, N, { shape: [R, Cc] });
const Ycm = new Float64Array(B * N);
for (let p = 0; p < N; p++) for (let b = 0; b < B; b++) Ycm[b + p * B] = cube.data[b * N + (p % R) * Cc + Math.floor(p / R)];
const abund = new Multichannel(rng.array(3 * N, 0, 1), 3, N, { shape: [R, Cc] });
const S = new Float64Array(R * Cc * 3); // column-major [R, C, 3]
for (let k = 0; k < 3; k++) for (let c = 0; c < Cc; c++) for (let r = 0; r < R; r++) S[r + c * R + k * N] = abund.data[k * N + r * Cc + c];
const cube3 = new Float64Array(R * Cc * B); // column-major [R, C, B]
for (let b = 0; b < B; b++) for (let c = 0; c < Cc; c++) for (let r = 0; r < R; r++) cube3[r + c * R + b * N] = cube.data[b * N + r * Cc + c];

beforeAll(() => {
  ensureBuilt();
  dir = tempDir('pointwise-cli17-');
  const mono = new Multichannel(new Rng(1).array(400, -0.5, 0.5), 1, 400, { sampleRate: 8000 });
  writeWav(p('mono.wav'), mono, { format: 'float32' });
  writeWav(p('ir2.wav'), new Multichannel(new Rng(2).array(2 * 30, -0.5, 0.5), 2, 30, { sampleRate: 8000 }), { format: 'float32' });
  writeWav(p('ir2_16k.wav'), new Multichannel(new Rng(3).array(2 * 30, -0.5, 0.5), 2, 30, { sampleRate: 16000 }), { format: 'float32' });
  writeNpy(p('x1.npy'), new Multichannel(new Rng(4).array(100), 1, 100));
  writeNpy(p('h3.npy'), new Multichannel(new Rng(5).array(3 * 9), 3, 9));
  writeNpy(p('cube.npy'), cube);
  writeMat(p('scene.mat'), [
    { name: 'Y', dims: [B, N], data: Ycm },
    { name: 'nRow', dims: [1, 1], data: [R] },
    { name: 'nCol', dims: [1, 1], data: [Cc] },
    { name: 'M', dims: [B, 3], data: new Rng(6).array(B * 3) },
  ]);
  writeMat(p('abund.mat'), [
    { name: 'Y', dims: [B, N], data: Ycm },
    { name: 'S_GT', dims: [R, Cc, 3], data: S },
  ]);
  writeMat(p('nogrid.mat'), [{ name: 'Y', dims: [B, N], data: Ycm }]);
  writeMat(p('cube3.mat'), [
    { name: 'small', dims: [2, 2], data: [1, 2, 3, 4] },
    { name: 'img', dims: [R, Cc, B], data: cube3 },
  ]);
  writeNpy(p('abund.npy'), abund);
  writeNpy(p('abund_short.npy'), new Multichannel(new Float64Array(3 * 7), 3, 7));
  writeEnvi(p('bil.hdr'), new Multichannel(Float64Array.from({ length: B * N }, (_, i) => i % 300), B, N, { shape: [R, Cc] }), { interleave: 'bil', dataType: 2, byteOrder: 1 });
}, 120_000);

describe('pointwise convolve: mono signal × C-channel kernel, sample rates', () => {
  it('--no-stream: a mono WAV with a stereo IR gives 2 channels, each x ⊛ h_c', () => {
    const r = cli(['convolve', p('mono.wav'), p('ir2.wav'), '--no-stream', '-o', p('wet2.wav')]);
    expect(r.status, r.stderr).toBe(0);
    const y = readWav(p('wet2.wav'));
    const x = readWav(p('mono.wav'));
    const h = readWav(p('ir2.wav'));
    expect([y.channels, y.length]).toEqual([2, 429]);
    for (let c = 0; c < 2; c++) expectClose(y.channel(c), convolve(x, h.channel(c)).data, { atol: 1e-6, label: `channel ${c}` });
  });

  it('.npy [1, N] ⊛ [3, M] gives [3, N+M−1] in same mode', () => {
    const r = cli(['convolve', p('x1.npy'), p('h3.npy'), '--mode', 'same', '-o', p('y3.npy')]);
    expect(r.status, r.stderr).toBe(0);
    const y = readNpy(p('y3.npy'));
    expect([y.channels, y.length]).toEqual([3, 100]);
    const h = readNpy(p('h3.npy'));
    expectClose(y.channel(2), convolve(readNpy(p('x1.npy')), h.channel(2), { mode: 'same' }).data, { atol: 1e-12 });
  });

  it('different sample rates are refused with --no-stream too (as the streamed path does)', () => {
    expectBadInput(['convolve', p('mono.wav'), p('ir2_16k.wav'), '--no-stream', '-o', p('bad.wav')], /sample rate must equal .*8000 Hz \(no resampling is done\); got 16000/, 'convolve');
    expectBadInput(['convolve', p('mono.wav'), p('ir2_16k.wav'), '-o', p('bad.wav')], /sample rate must equal .*8000 Hz \(no resampling is done\); got 16000/, 'convolve');
  });
});

describe('pointwise pca / project on MATLAB .mat cubes', () => {
  const want = pca(cube, 2).transform(cube);

  it('pca reads Y with its grid from nRow/nCol, in row-major pixel order (scores equal the .npy cube)', () => {
    const r = cli(['pca', p('scene.mat'), '-k', '2', '-o', p('s_mat.npy')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`read Y from ${p('scene.mat')}: 6 bands × 20 pixels, 4 × 5 grid from nRow × nCol`);
    const s = readNpy(p('s_mat.npy'));
    expect(s.shape).toEqual([4, 5]);
    expectClose(s.data, want.data, { atol: 1e-12 });
  });

  it('pca takes the grid from the abundance array S_GT when no scalars give it', () => {
    const r = cli(['pca', p('abund.mat'), '-k', '2', '-o', p('s_ab.npy')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('4 × 5 grid from the grid of S_GT');
    expectClose(readNpy(p('s_ab.npy')).data, want.data, { atol: 1e-12 });
  });

  it('pca asks for --shape when nothing gives the grid, and uses it when given', () => {
    expectBadInput(['pca', p('nogrid.mat'), '-k', '2', '-o', p('s_ng.npy')], /the 2-D variable Y \[6, 20\] needs its image grid: give --shape ROWS,COLS/, 'pca');
    const r = cli(['pca', p('nogrid.mat'), '-k', '2', '--shape', '4,5', '-o', p('s_ng.npy')]);
    expect(r.status, r.stderr).toBe(0);
    expectClose(readNpy(p('s_ng.npy')).data, want.data, { atol: 1e-12 });
    expectBadInput(['pca', p('nogrid.mat'), '-k', '2', '--shape', '3,5', '-o', p('s_ng2.npy')], /the grid 3 × 5 \(from --shape\) must have as many pixels as Y/, 'pca');
    expectBadInput(['pca', p('nogrid.mat'), '-k', '2', '--shape', '4', '-o', p('s_ng2.npy')], /--shape must be two positive integers ROWS,COLS; got "4"/, 'pca');
  });

  it('pca --var picks a 3-D [rows, cols, bands] variable; an unknown --var lists the variables', () => {
    const r = cli(['pca', p('cube3.mat'), '--var', 'img', '-k', '2', '-o', p('s_3d.npy')]);
    expect(r.status, r.stderr).toBe(0);
    expectClose(readNpy(p('s_3d.npy')).data, want.data, { atol: 1e-12 });
    const auto = cli(['pca', p('cube3.mat'), '-k', '2']);
    expect(auto.stdout).toContain('read img from');
    expectBadInput(['pca', p('cube3.mat'), '--var', 'Z', '-k', '2'], /--var "Z" must name a numeric variable of .*cube3\.mat; it has small \[2, 2\], img \[4, 5, 6\]/, 'pca');
  });

  it('pca --plot --log writes a PNG; --log without --plot is a usage error', () => {
    const r = cli(['pca', p('scene.mat'), '-k', '3', '--plot', p('ev.png'), '--log']);
    expect(r.status, r.stderr).toBe(0);
    expect(decodePng(fs.readFileSync(p('ev.png'))).width).toBe(640);
    expectBadInput(['pca', p('scene.mat'), '-k', '3', '--log'], /--log applies to --plot/, 'pca');
  });

  it('project reads a .mat cube and a .mat target (the 3-D abundance array), output [m, pixels]', () => {
    const r = cli(['project', p('abund.mat'), '-k', '2', '--target', p('abund.mat'), '--epochs', '3', '-o', p('pred.npy')]);
    expect(r.status, r.stderr).toBe(0);
    const y = readNpy(p('pred.npy'));
    expect([y.channels, y.length]).toEqual([3, 20]);
    // the same as with the row-major .npy cube and target
    const r2 = cli(['project', p('cube.npy'), '-k', '2', '--target', p('abund.npy'), '--epochs', '3', '-o', p('pred2.npy')]);
    expect(r2.status, r2.stderr).toBe(0);
    expectClose(y.data, readNpy(p('pred2.npy')).data, { atol: 1e-12 });
  });

  it('project --help gives the target as [m, pixels] (m need not be k); a target of the wrong pixel count says so', () => {
    const h = cli(['project', '--help']);
    expect(h.stdout).toContain('[m, pixels]');
    expect(h.stdout).not.toContain('targets [k, pixels]');
    expect(h.stdout).toContain('--var');
    expect(h.stdout).toContain('--shape');
    expectBadInput(['project', p('cube.npy'), '-k', '2', '--target', p('abund_short.npy'), '-o', p('bad.npy')], /--target must be \[m, pixels\] with the cube's 20 pixels \(one column per pixel\); got \[3, 7\]/, 'project');
  });
});

describe('pointwise info on ENVI', () => {
  it('shows the stored data type, interleave and byte order (text and --json)', () => {
    const r = cli(['info', p('bil.hdr')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/data type\s+2 \(int16\), read as float64/);
    expect(r.stdout).toMatch(/interleave\s+BIL/);
    expect(r.stdout).toMatch(/byte order\s+1 \(big endian\)/);
    const j = JSON.parse(cli(['info', p('bil.hdr'), '--json']).stdout) as { storage: unknown };
    expect(j.storage).toEqual({ dataType: 2, dataTypeName: 'int16', interleave: 'bil', byteOrder: 'big endian', headerOffset: 0 });
  });
});

describe('real data: Samson.mat through the CLI', () => {
  const mat = sharedData('hyperspectral/Samson.mat');
  const hdr = sharedData('hyperspectral/samson_bsq_f32.hdr');
  it.skipIf(!mat || !hdr)('pca Samson.mat gives the scores of the ENVI copy (float32 rounding), on the 95 × 95 grid', () => {
    const a = cli(['pca', mat!, '-k', '3', '-o', p('samson_mat.npy')]);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toContain('156 bands × 9025 pixels, 95 × 95 grid from lines × cols');
    const b = cli(['pca', hdr!, '-k', '3', '-o', p('samson_hdr.npy')]);
    expect(b.status, b.stderr).toBe(0);
    const sm = readNpy(p('samson_mat.npy'));
    const se = readNpy(p('samson_hdr.npy'));
    expect(sm.shape).toEqual([95, 95]);
    for (let c = 0; c < 2; c++) {
      const x = sm.channel(c), y = se.channel(c);
      let dot = 0;
      for (let i = 0; i < x.length; i++) dot += x[i] * y[i];
      const sign = Math.sign(dot);
      let peak = 0;
      for (const v of y) peak = Math.max(peak, Math.abs(v));
      expectClose(Float64Array.from(x, (v) => sign * v), y, { atol: 1e-3 * peak, label: `component ${c + 1}` });
    }
  }, 60_000);

  it.skipIf(!mat)('project Samson.mat --target Samson.mat predicts the abundances S_GT [3, 9025]', () => {
    const r = cli(['project', mat!, '-k', '3', '--target', mat!, '--epochs', '5', '-o', p('samson_pred.npy')]);
    expect(r.status, r.stderr).toBe(0);
    const m = /RMSE to the target ([\d.e-]+)/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(0.2);
    const y = readNpy(p('samson_pred.npy'));
    expect([y.channels, y.length]).toEqual([3, 9025]);
  }, 60_000);
});

describe('pointwise pca --shape on other cube formats', () => {
  it('gives a .npy [bands, pixels] its grid, and must agree with a grid the file already has', () => {
    writeNpy(p('flat.npy'), new Multichannel(cube.data, B, N));
    const r = cli(['pca', p('flat.npy'), '-k', '2', '--shape', '4,5', '-o', p('s_flat.npy')]);
    expect(r.status, r.stderr).toBe(0);
    expect(readNpy(p('s_flat.npy')).shape).toEqual([4, 5]);
    expectBadInput(['pca', p('cube.npy'), '-k', '2', '--shape', '5,4'], /--shape 5,4 must match the grid \[4, 5\] that .*cube\.npy gives/, 'pca');
    expectBadInput(['pca', p('cube.npy'), '-k', '2', '--var', 'Y'], /--var applies only to \.mat cubes/, 'pca');
  });
});
