/**
 * Issue 19 (hostile inputs), command-line side:
 * - every command checks all its output paths (extension, an existing writable folder, not a
 *   directory) before it reads an input or writes anything, so a bad second output never leaves
 *   the first one written;
 * - bounded resources: for a table of hostile argument strings and small crafted inputs, the built
 *   CLI finishes within 2 s and 256 MB of peak RSS (measured on the child process, with
 *   `/usr/bin/time` where present, else with `process.resourceUsage().maxRSS` reported by a
 *   wrapper), with a pointwise error (status 2 and one line) or a correct result.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNpy, writeWav } from '../../src/index.js';
import { ArrayGeometry, point, simulatePointSource } from '../../src/beamform/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { Rng, tempDir } from '../helpers/index.js';
import { BIN, cli, ensureBuilt, listFiles } from './run.js';
import { expectBadInput as expectBadInputIn } from './helpers.js';

let dir: string;
const p = (name: string): string => path.join(dir, name);
const expectBadInput = (args: string[], re: RegExp, cmd: string): void => expectBadInputIn(dir, args, re, cmd);

/** A [bands, pixels] cube with correlated bands (seeded), times `scale`. */
function cube(bands: number, pixels: number, scale: number): Multichannel {
  const rng = new Rng(11);
  const z = rng.normals(2 * pixels);
  const d = new Float64Array(bands * pixels);
  for (let b = 0; b < bands; b++) for (let q = 0; q < pixels; q++) d[b * pixels + q] = ((b + 1) * z[q] + Math.cos(b) * z[pixels + q] + 0.01 * rng.normal() + 1) * scale;
  return new Multichannel(d, bands, pixels);
}

beforeAll(() => {
  ensureBuilt();
  dir = tempDir('pointwise-cli-outputs-');
  const geometry = ArrayGeometry.linear(4, 0.05, { axis: 'y', centred: false });
  const x = simulatePointSource(new Rng(3).normals(4000), geometry, point(0.4, 0.1), { sampleRate: 16000 });
  writeWav(p('talk.wav'), x, { format: 'float32' });
  fs.writeFileSync(p('g.json'), JSON.stringify(geometry.toJSON()));
  writeNpy(p('ir.npy'), new Multichannel(Float64Array.from([1, 0.5, 0.25]), 1, 3));
  fs.writeFileSync(p('W.json'), JSON.stringify([[0.25, 0.25, 0.25, 0.25]]));
  writeNpy(p('cube.npy'), cube(6, 400, 1));
  writeNpy(p('cube1e150.npy'), cube(6, 400, 1e150));
  writeNpy(p('cube1e-300.npy'), cube(6, 400, 1e-300));
  writeNpy(p('constant.npy'), new Multichannel(new Float64Array(6 * 400).fill(2.5), 6, 400));
  // 20 000 bands × 2 pixels: a 320 kB file whose band covariance would be 3.2 GB
  const wide = new Float64Array(20000 * 2);
  for (let b = 0; b < 20000; b++) {
    wide[2 * b] = Math.sin(b);
    wide[2 * b + 1] = Math.cos(0.5 * b);
  }
  writeNpy(p('wide.npy'), new Multichannel(wide, 20000, 2));
  fs.mkdirSync(p('adir'));
});

describe('every output path is checked before anything is read or written', () => {
  it('pca -o scores.npy --plot /missing/x.png writes nothing (scores.npy neither) and names --plot', () => {
    expectBadInput(['pca', p('cube.npy'), '-k', '2', '-o', p('scores.npy'), '--plot', p('missing/x.png')], /--plot must be in an existing directory; .*missing.* does not exist/, 'pca');
    expect(fs.existsSync(p('scores.npy'))).toBe(false);
  });
  it('pca --plot naming a directory, or with the wrong extension, names --plot (not -o)', () => {
    expectBadInput(['pca', p('cube.npy'), '-k', '2', '-o', p('scores.npy'), '--plot', p('adir')], /--plot must end in \.png/, 'pca');
    fs.mkdirSync(p('dir.png'), { recursive: true });
    expectBadInput(['pca', p('cube.npy'), '-k', '2', '-o', p('scores.npy'), '--plot', p('dir.png')], /--plot must name a file, not a directory/, 'pca');
    fs.rmdirSync(p('dir.png'));
  });
  it('pca: an output folder that is a file is refused', () => {
    expectBadInput(['pca', p('cube.npy'), '-k', '2', '-o', path.join(p('cube.npy'), 's.npy')], /-o must be in a directory; .*cube\.npy.* is not one/, 'pca');
  });
  it('project, beamform, convolve, mix and localize refuse a missing output folder before reading their inputs', () => {
    // the inputs do not exist either: the output check comes first, so it is the one reported
    const missing = p('missing/out');
    expectBadInput(['project', p('nocube.npy'), '-k', '2', '-o', `${missing}.npy`], /-o must be in an existing directory/, 'project');
    expectBadInput(['beamform', p('no.wav'), '--geometry', p('g.json'), '--direction', '0', '-o', `${missing}.wav`], /-o must be in an existing directory/, 'beamform');
    expectBadInput(['convolve', p('no.wav'), p('ir.npy'), '-o', `${missing}.wav`], /-o must be in an existing directory/, 'convolve');
    expectBadInput(['mix', p('no.wav'), '--weights', p('W.json'), '-o', `${missing}.npy`], /-o must be in an existing directory/, 'mix');
    expectBadInput(['localize', p('no.wav'), '--geometry', p('g.json'), '--plot', `${missing}.png`], /--plot must be in an existing directory/, 'localize');
  });
  it('an output that is a directory is refused by convolve and mix', () => {
    fs.mkdirSync(p('out.wav'), { recursive: true });
    expectBadInput(['convolve', p('talk.wav'), p('ir.npy'), '-o', p('out.wav')], /-o must name a file, not a directory/, 'convolve');
    expectBadInput(['mix', p('talk.wav'), '--weights', p('W.json'), '-o', p('out.wav')], /-o must name a file, not a directory/, 'mix');
    fs.rmdirSync(p('out.wav'));
  });
  it('with good paths pca writes both outputs', () => {
    const r = cli(['pca', p('cube.npy'), '-k', '2', '-o', p('s.npy'), '--plot', p('ev.png')]);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(p('s.npy')) && fs.existsSync(p('ev.png'))).toBe(true);
    fs.rmSync(p('s.npy'));
    fs.rmSync(p('ev.png'));
  });
});

interface Measured {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the child, MB. */
  peakMB: number;
  seconds: number;
}

/** Runs the built CLI in a child process and measures its peak RSS and wall time. */
function measure(args: string[]): Measured {
  const stats = p(`stats-${process.hrtime.bigint()}.txt`);
  const t0 = process.hrtime.bigint();
  let r;
  if (fs.existsSync('/usr/bin/time')) {
    r = spawnSync('/usr/bin/time', ['-o', stats, '-f', '%M', process.execPath, BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  } else {
    const wrapper = `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(stats)}, String(process.resourceUsage().maxRSS))); require(${JSON.stringify(BIN)}).main([process.argv[0], ${JSON.stringify(BIN)}, ...process.argv.slice(1)]);`;
    r = spawnSync(process.execPath, ['-e', wrapper, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const kb = Number(fs.readFileSync(stats, 'utf8').trim().split('\n').pop());
  fs.rmSync(stats);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, peakMB: kb / 1024, seconds };
}

/** The ratio column of `pca`'s table. */
function ratios(stdout: string): number[] {
  return stdout.split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => Number(l.trim().split(/\s+/)[2]));
}

describe('bounded resources: hostile arguments finish within 2 s and 256 MB with an error or a correct result', () => {
  const loc = (grid: string, ...extra: string[]): string[] => ['localize', p('talk.wav'), '--geometry', p('g.json'), '--near-field', '--grid', grid, ...extra];
  const table: { name: string; args: () => string[]; expect: (r: Measured) => void }[] = [
    {
      name: 'localize --grid 0:1:1e-9,0:1:1e-9 (1e18 points)',
      args: () => loc('0:1:1e-9,0:1:1e-9'),
      expect: (r) => expect(r.stderr.trim()).toMatch(/^pointwise localize: --grid must have at most --max-grid-points = 2000000 points; got 1000000001 × 1000000001 = 1000000002000000000 \(use a coarser step, or raise --max-grid-points\)$/),
    },
    {
      name: 'localize --grid 0:1:1e-4,0:1:1e-4 (each axis fine, 1e8 points)',
      args: () => loc('0:1:1e-4,0:1:1e-4'),
      expect: (r) => expect(r.stderr).toMatch(/--grid must have at most --max-grid-points = 2000000 points; got 10001 × 10001 = 100020001/),
    },
    {
      name: 'localize --grid 0:1:1e-300,0:1:1,0:1:1 (a count beyond doubles)',
      args: () => loc('0:1:1e-300,0:1:1,0:1:1'),
      expect: (r) => expect(r.stderr).toMatch(/--grid must have at most --max-grid-points/),
    },
    {
      name: 'localize --max-grid-points 100 with a 101 × 101 grid',
      args: () => loc('0:1:0.01,0:1:0.01', '--max-grid-points', '100'),
      expect: (r) => expect(r.stderr).toMatch(/--grid must have at most --max-grid-points = 100 points; got 101 × 101 = 10201/),
    },
    {
      name: 'localize --max-grid-points lots (not an integer)',
      args: () => loc('0:1:0.5,0:1:0.5', '--max-grid-points', 'lots'),
      expect: (r) => expect(r.stderr).toMatch(/--max-grid-points must be a positive integer/),
    },
    {
      name: 'pca of a 20 000 bands × 2 pixels NPY (320 kB; a 3.2 GB covariance) gives the one component',
      args: () => ['pca', p('wide.npy'), '-k', '1'],
      expect: (r) => {
        expect(r.stdout).toMatch(/PCA of 20000 bands × 2 pixels, k = 1/);
        expect(ratios(r.stdout)).toEqual([1]);
      },
    },
    {
      name: 'pca of a 20 000 × 2 NPY with k = 3 (more than the pixels)',
      args: () => ['pca', p('wide.npy'), '-k', '3'],
      expect: (r) => expect(r.stderr).toMatch(/^pointwise pca: pca: k must be ≤ the number of valid pixels = 2; got 3/),
    },
    {
      name: 'pca of a constant cube: ratios 0 and a warning, no NaN',
      args: () => ['pca', p('constant.npy'), '-k', '2'],
      expect: (r) => {
        expect(r.stdout).not.toMatch(/NaN/);
        expect(ratios(r.stdout)).toEqual([0, 0]);
        expect(r.stderr).toMatch(/^pointwise pca: warning: the cube has no variance/);
      },
    },
    {
      name: 'pca -o scores.npy --plot /missing/x.png',
      args: () => ['pca', p('wide.npy'), '-k', '1', '-o', p('scores.npy'), '--plot', '/missing-pointwise-folder/x.png'],
      expect: (r) => {
        expect(r.stderr).toMatch(/--plot must be in an existing directory/);
        expect(fs.existsSync(p('scores.npy'))).toBe(false);
      },
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const before = listFiles(dir);
      const r = measure(t.args());
      if (r.status === 0) {
        expect(r.stdout, r.stderr).not.toMatch(/NaN/);
      } else {
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
        expect(listFiles(dir)).toEqual(before);
      }
      t.expect(r);
      expect(r.peakMB, `peak RSS of ${t.name}`).toBeLessThan(256);
      expect(r.seconds, `wall time of ${t.name}`).toBeLessThan(2);
    });
  }

  it('pca on the cube ×1e150 and ×1e-300 prints the same ratios as on the cube', () => {
    const base = measure(['pca', p('cube.npy'), '-k', '3']);
    expect(base.status, base.stderr).toBe(0);
    for (const name of ['cube1e150.npy', 'cube1e-300.npy']) {
      const r = measure(['pca', p(name), '-k', '3']);
      expect(r.status, r.stderr).toBe(0);
      expect(ratios(r.stdout)).toEqual(ratios(base.stdout));
      expect(r.peakMB).toBeLessThan(256);
    }
  });
});
