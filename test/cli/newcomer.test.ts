/**
 * What a newcomer tripped over on a first walk through the README: `pca -k` as a variance
 * fraction (the library takes one), a speed of sound given as a bare number meant as a
 * temperature, and an unreachable Redis reported as bad input (one line, exit 2).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/io/npy.js';
import { writeWav } from '../../src/io/wav.js';
import { writeEnvi } from '../../src/spectral/envi.js';
import { ArrayGeometry, point, simulatePointSource } from '../../src/beamform/index.js';
import { pca } from '../../src/spectral/pca.js';
import { syntheticCube } from '../../src/spectral/synthetic.js';
import { Rng, tempDir } from '../helpers/index.js';
import { cli, ensureBuilt } from './run.js';

let dir: string;
const p = (name: string): string => path.join(dir, name);
const { cube } = syntheticCube({ shape: [20, 20], bands: 24, endmembers: 4, noise: 0.01, seed: 3 });

beforeAll(() => {
  ensureBuilt();
  dir = tempDir('pointwise-cli-newcomer-');
  writeNpy(p('cube.npy'), cube);
  writeEnvi(p('cube.hdr'), cube);
  const geometry = ArrayGeometry.linear(4, 0.05, { axis: 'y', centred: false });
  writeWav(p('rec.wav'), simulatePointSource(new Rng(1).normals(4000), geometry, point(0.4, 0.1), { sampleRate: 16000 }), { format: 'float64' });
  fs.writeFileSync(p('g.json'), JSON.stringify(geometry.toJSON()));
}, 180_000);

describe('pca -k as a variance fraction', () => {
  it('-k 0.9 keeps the components the library keeps for 0.9 and says why', () => {
    const want = pca(cube, 0.9).k;
    const r = cli(['pca', p('cube.npy'), '-k', '0.9', '-o', p('scores.npy')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`k = ${want} (the fewest components explaining more than 0.9 of the variance)`);
    expect(want).toBeLessThan(cube.channels);
  });

  it.each([['0'], ['1.5'], ['-0.5'], ['abc']])('-k %s is a usage error naming both forms', (k) => {
    const r = cli(['pca', p('cube.npy'), '-k', k]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`pointwise pca: -k must be a positive integer, or a fraction in (0, 1) of the variance to keep; got ${JSON.stringify(k)}`);
  });
});

describe('--speed-of-sound given as a bare temperature', () => {
  it('20 is used as 20 m/s with a warning that suggests 20 degC', () => {
    const r = cli(['beamform', p('rec.wav'), '--geometry', p('g.json'), '--point', '0.4,0.1', '--speed-of-sound', '20', '-o', p('out20.wav')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("slower than sound in air at any weather (about 300–360 m/s); for an air temperature write '20 degC'");
  });

  it('343 and 20 degC give no such warning', () => {
    for (const c of ['343', '20 degC']) {
      const r = cli(['beamform', p('rec.wav'), '--geometry', p('g.json'), '--point', '0.4,0.1', '--speed-of-sound', c, '-o', p('out343.wav')]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('slower than sound');
    }
  });
});

describe('an unreachable Redis is bad input', () => {
  it('exits 2 with one line naming the URL, not an "unexpected" failure', () => {
    const r = cli(['pca', p('cube.hdr'), '-k', '2', '--save', p('m.npz'), '--redis', 'redis://127.0.0.1:1']);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pointwise pca: connectRedis: Redis at redis:\/\/127\.0\.0\.1:1 must be reachable/);
    expect(lines[0]).not.toContain('unexpected');
  });
});
