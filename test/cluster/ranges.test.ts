import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Multichannel } from '../../src/core/multichannel.js';
import { ValueError } from '../../src/core/errors.js';
import { readEnvi, writeEnvi } from '../../src/spectral/envi.js';
import { readWav, writeWav } from '../../src/io/wav.js';
import { framesOf, parseIndexRange, readEnviLines, readWavRange, wavRangeFrames } from '../../src/io/ranges.js';
import { validateJob, JobRefusedError } from '../../src/cluster/jobs.js';
import { Rng, expectPointwiseError, tempDir } from '../helpers/index.js';

describe('ranges of files', () => {
  const rng = new Rng(3);
  it('readEnviLines equals the same lines of the whole cube, for every interleave', () => {
    const dir = tempDir();
    const x = new Multichannel(Float64Array.from({ length: 5 * 12 * 7 }, () => Math.fround(rng.normal())), 5, 84, { shape: [12, 7] });
    for (const interleave of ['bsq', 'bil', 'bip'] as const) {
      const hdr = path.join(dir, `c_${interleave}.hdr`);
      writeEnvi(hdr, x, { interleave, dataType: 4 });
      const part = readEnviLines(hdr, 3, 8);
      const whole = readEnvi(hdr);
      expect(part.shape).toEqual([5, 7]);
      for (let b = 0; b < 5; b++) expect(Array.from(part.data.subarray(b * 35, (b + 1) * 35))).toEqual(Array.from(whole.data.subarray(b * 84 + 21, b * 84 + 56)));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('readWavRange reads frames and times; equals the slice of the whole file', () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.wav');
    const N = 1000;
    writeWav(f, new Multichannel(Float64Array.from({ length: 2 * N }, () => 0.5 * rng.normal()), 2, N, { sampleRate: 100 }), { format: 'float32' });
    const whole = readWav(f);
    const r = readWavRange(f, { start: '2s', end: 450 });
    expect(r.length).toBe(250);
    expect(Array.from(r.data.subarray(0, 250))).toEqual(Array.from(whole.data.subarray(200, 450)));
    expect(Array.from(r.data.subarray(250))).toEqual(Array.from(whole.data.subarray(N + 200, N + 450)));
    expect(readWavRange(f, { start: '9500ms' }).length).toBe(50);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bad ranges are refused with the house errors', () => {
    expect(parseIndexRange('--lines', '0:512', 952)).toEqual([0, 512]);
    expect(parseIndexRange('--lines', '100:', 952)).toEqual([100, 952]);
    expect(framesOf('1.5s', 48000)).toBe(72000);
    for (const t of ['5:5', '9:3', 'a:b', '0:953']) expectPointwiseError(() => parseIndexRange('--lines', t, 952), ValueError, /--lines/);
    for (const t of ['1.5', '-3', '10 parsecs']) expectPointwiseError(() => framesOf(t, 100), ValueError, /bound/);
    expectPointwiseError(() => wavRangeFrames({ frames: 100, sampleRate: 10 }, { end: '11s' }), ValueError, /end at or before/);
  });
});

describe('cluster job validation (no Redis)', () => {
  it('refuses unknown kinds, extra fields, wrong types and paths outside the roots', () => {
    const root = fs.realpathSync(tempDir());
    fs.writeFileSync(path.join(root, 'c.hdr'), '');
    const ok = validateJob('pca-tile', { v: 1, cube: path.join(root, 'c.hdr'), lines: [0, 4] }, [root]);
    expect(ok.kind).toBe('pca-tile');
    const bad: [string, unknown, RegExp][] = [
      ['eval', {}, /unknown job kind/],
      ['pca-tile', { v: 1, cube: path.join(root, 'c.hdr'), lines: [0, 4], code: 'x' }, /unexpected field/],
      ['pca-tile', { v: 1, cube: path.join(root, 'c.hdr'), lines: [4, 4] }, /lines must be/],
      ['pca-tile', { v: 1, cube: 'c.hdr', lines: [0, 4] }, /absolute path/],
      ['pca-tile', { v: 1, cube: '/etc/passwd', lines: [0, 4] }, /outside the worker.s roots/],
      ['pca-tile', { v: 2, cube: path.join(root, 'c.hdr'), lines: [0, 4] }, /version/],
      ['pca-tile', [1, 2], /JSON object/],
    ];
    for (const [kind, data, re] of bad) expect(() => validateJob(kind, data, [root]), kind).toThrow(re);
    expect(() => validateJob('eval', {}, [root])).toThrow(JobRefusedError);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
