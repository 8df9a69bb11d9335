/**
 * Issue 19: the mutation fuzzer (test/fuzz/mutate.ts) started from the crafted hostile inputs of
 * test/io/hostile-inputs.ts — header sizes that lie (ENVI, MAT, NPY, WAV), decompression bombs,
 * unaligned NPY data offsets and unclosed ENVI braces — so mutants explore around each class.
 * Budget per target: FUZZ_SECONDS (default 2 s).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMat, matToMultichannel } from '../../src/io/mat.js';
import { decodeNpy } from '../../src/io/npy.js';
import { decodeWav } from '../../src/io/wav.js';
import { parseEnviHeader, readEnvi } from '../../src/spectral/envi.js';
import { craftedCases, enviHeader, matBombs, matLyingCompressed, unclosedBraceHeader } from '../io/hostile-inputs.js';
import { fuzzBudgetMs, fuzzTarget } from './mutate.js';

const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'pointwise-fuzz-hostile-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const cases = craftedCases();
const seedsOf = (reader: string, ext: string) =>
  cases.filter((c) => c.reader === reader).flatMap((c) => Object.entries(c.files).filter(([n, f]) => n.endsWith(ext) && f instanceof Uint8Array).map(([, f]) => f as Uint8Array));

describe('fuzz from crafted hostile seeds: pointwise errors or bounded results only', () => {
  const budget = fuzzBudgetMs();
  const timeout = budget * 2 + 30_000;
  const report = (name: string, r: ReturnType<typeof fuzzTarget>) => console.log(`[fuzz] ${name}: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);

  it(`ENVI headers: lying sizes and unclosed braces (${budget / 1000} s)`, () => {
    const seeds = [...seedsOf('readEnvi', '.hdr').filter((s) => s.length < 100_000), unclosedBraceHeader(20_000), enviHeader(8, 8, 4, 'wavelength = {1, 2, 3, 4}\n')];
    const img = new Uint8Array(4096);
    fs.writeFileSync(path.join(dir, 'f.img'), img);
    const r = fuzzTarget(
      'hostile-envi-header',
      seeds,
      (b) => {
        parseEnviHeader(Buffer.from(b).toString('latin1'));
        fs.writeFileSync(path.join(dir, 'f.hdr'), b);
        return readEnvi(path.join(dir, 'f.hdr'), { maxBytes: 1 << 20 });
      },
      budget,
      { seed: 19, slackBytes: 1 << 20 },
    );
    report('hostile envi header', r);
    expect(r.iterations).toBeGreaterThan(20);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.parsed).toBeGreaterThan(0);
  }, timeout);

  it(`MAT: lying dims, decompression bombs, lying compressed sizes (${budget / 1000} s)`, () => {
    const seeds = [...seedsOf('readMat', '.mat').filter((s) => s.length < 100_000), matBombs(4, 1 << 14), matLyingCompressed(1 << 30)];
    const r = fuzzTarget(
      'hostile-mat',
      seeds,
      (b) => {
        const m = decodeMat(b, { complex: 'split', maxDecompressedBytes: 1 << 20, maxBytes: 1 << 20 });
        return Object.values(m.arrays).map((a) => matToMultichannel(a));
      },
      budget,
      { seed: 20, slackBytes: 4 << 20 },
    );
    report('hostile mat', r);
    expect(r.iterations).toBeGreaterThan(20);
    expect(r.rejected).toBeGreaterThan(0);
  }, timeout);

  it(`NPY: lying shapes, huge headers, unaligned offsets (${budget / 1000} s)`, () => {
    const r = fuzzTarget('hostile-npy', seedsOf('readNpy', '.npy'), (b) => decodeNpy(b), budget, { seed: 21 });
    report('hostile npy', r);
    expect(r.iterations).toBeGreaterThan(20);
    expect(r.parsed).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
  }, timeout);

  it(`WAV: lying channel counts and data sizes (${budget / 1000} s)`, () => {
    const r = fuzzTarget('hostile-wav', seedsOf('readWav', '.wav'), (b) => decodeWav(b), budget, { seed: 22 });
    report('hostile wav', r);
    expect(r.iterations).toBeGreaterThan(20);
    expect(r.rejected).toBeGreaterThan(0);
  }, timeout);
});
