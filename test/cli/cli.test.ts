/**
 * The `pointwise` CLI, run as a user runs it: the BUILT bin (`node dist/src/cli/main.js`, rebuilt in
 * beforeAll when stale; POINTWISE_CLI_TSX=1 spawns `npx tsx src/cli/main.ts` instead) on files
 * generated into a temp folder. Each command's output is checked against the library called
 * directly; bad input (missing file, wrong format, wrong shape) must give a one-line message on
 * stderr, exit code 2 and no output file (not even a temp file).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/index.js';
import { readWav, writeWav, readNpy, writeNpy } from '../../src/io/index.js';
import { convolve } from '../../src/convolve/index.js';
import { mix } from '../../src/mixing/index.js';
import { Rng, expectClose, tempDir } from '../helpers/index.js';
import { cli, ensureBuilt } from './run.js';
import { expectBadInput as expectBadInputIn } from './helpers.js';

let dir: string;
const p = (name: string): string => path.join(dir, name);

function randomSignal(channels: number, length: number, seed: number, sampleRate = 8000): Multichannel {
  const rng = new Rng(seed);
  return new Multichannel(rng.array(channels * length, -0.5, 0.5), channels, length, { sampleRate });
}

/** Bad-input run in this file's temp folder (see ./helpers.ts). */
const expectBadInput = (args: string[], re: RegExp, cmd: string): void => expectBadInputIn(dir, args, re, cmd);

beforeAll(() => {
  ensureBuilt();
  dir = tempDir('pointwise-cli-');
  writeWav(p('stereo.wav'), randomSignal(2, 4000, 1), { format: 'float32' });
  writeWav(p('ir.wav'), randomSignal(1, 300, 2), { format: 'float32' });
  writeWav(p('ir3.wav'), randomSignal(3, 50, 3), { format: 'float32' });
  writeNpy(p('x.npy'), randomSignal(3, 500, 4));
  writeNpy(p('h.npy'), randomSignal(1, 33, 5));
  fs.writeFileSync(p('notawav.wav'), 'this is not a RIFF file at all, just text');
  fs.writeFileSync(p('W.json'), JSON.stringify([[0.5, 0.5], [0.5, -0.5], [1, 2]]));
  fs.writeFileSync(p('Wb.json'), JSON.stringify({ weights: [[1, 0], [0, 2]], bias: [0.25, -0.25] }));
  fs.writeFileSync(p('W3.json'), JSON.stringify([[1, 1, 1]]));
  fs.writeFileSync(p('bad.json'), '{ not json');
}, 120_000);

describe('pointwise (top level)', () => {
  it('--help lists every command with an example', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['info', 'convolve', 'beamform', 'localize', 'pca', 'project', 'mix']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('Examples:');
  });

  it.each(['info', 'convolve', 'beamform', 'localize', 'pca', 'project', 'mix'])('%s --help has usage and examples', (c) => {
    const r = cli([c, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: pointwise ${c}`);
    expect(r.stdout).toContain('Examples:');
  });

  it('an unknown command or option exits 2 with one line', () => {
    const r = cli(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const r2 = cli(['info', p('stereo.wav'), '--bogus']);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/^pointwise info: unknown option '--bogus'/);
  });
});

describe('pointwise info', () => {
  it('summarises a WAV with per-channel peak and RMS equal to the samples', () => {
    const r = cli(['info', p('stereo.wav'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { channels: number; length: number; sampleRate: number; durationSeconds: number; wavFormat: string; levels: { peak: number; rms: number }[] };
    const x = readWav(p('stereo.wav'));
    expect([s.channels, s.length, s.sampleRate, s.wavFormat]).toEqual([2, 4000, 8000, 'float32']);
    expect(s.durationSeconds).toBeCloseTo(0.5, 12);
    for (let c = 0; c < 2; c++) {
      const ch = x.channel(c);
      let peak = 0;
      let ss = 0;
      for (const v of ch) {
        peak = Math.max(peak, Math.abs(v));
        ss += v * v;
      }
      expect(s.levels[c].peak).toBeCloseTo(peak, 12);
      expect(s.levels[c].rms).toBeCloseTo(Math.sqrt(ss / ch.length), 12);
    }
  });

  it('prints a readable table for WAV and NPY', () => {
    const r = cli(['info', p('stereo.wav')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/channels\s+2/);
    expect(r.stdout).toMatch(/rate\s+8000 Hz/);
    expect(r.stdout).toMatch(/dBFS/);
    const n = cli(['info', p('x.npy')]);
    expect(n.status, n.stderr).toBe(0);
    expect(n.stdout).toMatch(/shape\s+\[3, 500\]/);
  });

  it('bad input: missing file, wrong format, unknown extension', () => {
    expectBadInput(['info', p('missing.wav')], /missing\.wav/, 'info');
    expectBadInput(['info', p('notawav.wav')], /RIFF|WAV|wav/, 'info');
    expectBadInput(['info', p('W.json')], /\.wav, \.npy, \.hdr/, 'info');
  });

  it('--debug prints the stack', () => {
    const r = cli(['info', p('missing.wav'), '--debug']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('pointwise convolve', () => {
  it('WAV → WAV (streamed) equals the library convolve to float32 precision', () => {
    const r = cli(['convolve', p('stereo.wav'), p('ir.wav'), '-o', p('wet.wav')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('streamed');
    const got = readWav(p('wet.wav'));
    const want = convolve(readWav(p('stereo.wav')), readWav(p('ir.wav')));
    expect([got.channels, got.length, got.sampleRate]).toEqual([2, 4299, 8000]);
    expectClose(got.data, want.data, { atol: 2e-6, rtol: 1e-6, label: 'streamed wav' });
    fs.unlinkSync(p('wet.wav'));
  });

  it('--precision float32 streams through the SIMD engine within 1e-5 of the peak; a bad value is a usage error', () => {
    const r = cli(['convolve', p('stereo.wav'), p('ir.wav'), '--precision', 'float32', '-o', p('wet32.wav')]);
    expect(r.status, r.stderr).toBe(0);
    const got = readWav(p('wet32.wav'));
    const want = convolve(readWav(p('stereo.wav')), readWav(p('ir.wav')));
    let peak = 0;
    for (const v of want.data) peak = Math.max(peak, Math.abs(v));
    expectClose(got.data, want.data, { atol: 1e-5 * peak, label: 'float32 engine' });
    fs.unlinkSync(p('wet32.wav'));
    expectBadInput(['convolve', p('stereo.wav'), p('ir.wav'), '--precision', 'half', '-o', p('out.wav')], /--precision must be one of float64, float32/, 'convolve');
    expectBadInput(['convolve', p('stereo.wav'), p('ir.wav'), '--precision', 'float32', '--no-stream', '-o', p('out.npy')], /--precision applies only to streamed/, 'convolve');
  });

  it('NPY → NPY with --mode same --method direct equals the library exactly', () => {
    const r = cli(['convolve', p('x.npy'), p('h.npy'), '--mode', 'same', '--method', 'direct', '-o', p('y.npy')]);
    expect(r.status, r.stderr).toBe(0);
    const got = readNpy(p('y.npy'));
    const want = convolve(readNpy(p('x.npy')), readNpy(p('h.npy')), { mode: 'same', method: 'direct' });
    expect([got.channels, got.length]).toEqual([3, 500]);
    expectClose(got.data, want.data, { atol: 1e-15, label: 'npy same' });
    fs.unlinkSync(p('y.npy'));
  });

  it('WAV in, per-channel kernel, --no-stream, valid mode', () => {
    writeWav(p('x3.wav'), randomSignal(3, 400, 9), { format: 'float32' });
    const r = cli(['convolve', p('x3.wav'), p('ir3.wav'), '--mode', 'valid', '--format', 'float64', '-o', p('y3.wav')]);
    expect(r.status, r.stderr).toBe(0);
    const got = readWav(p('y3.wav'));
    const want = convolve(readWav(p('x3.wav')), readWav(p('ir3.wav')), { mode: 'valid' });
    expect(got.length).toBe(351);
    expectClose(got.data, want.data, { atol: 1e-12, label: 'valid' });
    fs.unlinkSync(p('y3.wav'));
    fs.unlinkSync(p('x3.wav'));
  });

  it('bad input: missing file, wrong format, wrong shape, bad option, bad output extension', () => {
    expectBadInput(['convolve', p('missing.wav'), p('ir.wav'), '-o', p('out.wav')], /missing\.wav/, 'convolve');
    expectBadInput(['convolve', p('notawav.wav'), p('ir.wav'), '-o', p('out.wav')], /./, 'convolve');
    expectBadInput(['convolve', p('stereo.wav'), p('notawav.wav'), '-o', p('out.wav')], /./, 'convolve');
    // a 3-channel kernel on a 2-channel signal (streamed and one-shot)
    expectBadInput(['convolve', p('stereo.wav'), p('ir3.wav'), '-o', p('out.wav')], /channel/, 'convolve');
    expectBadInput(['convolve', p('stereo.wav'), p('ir3.wav'), '--no-stream', '-o', p('out.npy')], /channel/, 'convolve');
    expectBadInput(['convolve', p('stereo.wav'), p('ir.wav'), '--mode', 'middle', '-o', p('out.wav')], /--mode must be one of full, same, valid/, 'convolve');
    expectBadInput(['convolve', p('stereo.wav'), p('ir.wav'), '-o', p('out.mp3')], /-o must end in \.wav or \.npy/, 'convolve');
    expectBadInput(['convolve', p('stereo.wav'), p('ir.wav'), '-o', path.join(dir, 'no-such-folder', 'out.wav')], /folder/, 'convolve');
  });
});

describe('pointwise mix', () => {
  it('WAV → WAV equals the library mix', () => {
    const r = cli(['mix', p('stereo.wav'), '--weights', p('W.json'), '-o', p('m.wav'), '--format', 'float64']);
    expect(r.status, r.stderr).toBe(0);
    const got = readWav(p('m.wav'));
    const want = mix(readWav(p('stereo.wav')), [[0.5, 0.5], [0.5, -0.5], [1, 2]]);
    expect([got.channels, got.length, got.sampleRate]).toEqual([3, 4000, 8000]);
    expectClose(got.data, want.data, { atol: 1e-15, label: 'mix wav' });
    fs.unlinkSync(p('m.wav'));
  });

  it('NPY weights and a JSON bias; bias inside the weights JSON', () => {
    writeNpy(p('W.npy'), Multichannel.fromChannels([[1, 2, 3], [-1, 0, 1]]));
    fs.writeFileSync(p('b.json'), JSON.stringify([1, -1]));
    const r = cli(['mix', p('x.npy'), '--weights', p('W.npy'), '--bias', p('b.json'), '-o', p('m.npy')]);
    expect(r.status, r.stderr).toBe(0);
    const want = mix(readNpy(p('x.npy')), [[1, 2, 3], [-1, 0, 1]], [1, -1]);
    expectClose(readNpy(p('m.npy')).data, want.data, { atol: 1e-14, label: 'mix npy' });
    const r2 = cli(['mix', p('stereo.wav'), '--weights', p('Wb.json'), '-o', p('mb.npy')]);
    expect(r2.status, r2.stderr).toBe(0);
    const want2 = mix(readWav(p('stereo.wav')), [[1, 0], [0, 2]], [0.25, -0.25]);
    expectClose(readNpy(p('mb.npy')).data, want2.data, { atol: 1e-15, label: 'mix bias in json' });
    for (const f of ['W.npy', 'b.json', 'm.npy', 'mb.npy']) fs.unlinkSync(p(f));
  });

  it('bad input: missing file, wrong format, wrong shape', () => {
    expectBadInput(['mix', p('missing.wav'), '--weights', p('W.json'), '-o', p('o.wav')], /missing\.wav/, 'mix');
    expectBadInput(['mix', p('stereo.wav'), '--weights', p('missing.json'), '-o', p('o.wav')], /missing\.json/, 'mix');
    expectBadInput(['mix', p('stereo.wav'), '--weights', p('bad.json'), '-o', p('o.wav')], /valid JSON/, 'mix');
    expectBadInput(['mix', p('notawav.wav'), '--weights', p('W.json'), '-o', p('o.wav')], /./, 'mix');
    // W has 3 columns, the signal 2 channels
    expectBadInput(['mix', p('stereo.wav'), '--weights', p('W3.json'), '-o', p('o.wav')], /mix: .*(column|channel)/, 'mix');
    expectBadInput(['mix', p('stereo.wav'), '-o', p('o.wav')], /--weights/, 'mix');
  });
});
