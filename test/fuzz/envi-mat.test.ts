/**
 * Issue 9: the ENVI reader (header text and binary data) and the MAT v5 reader under the seeded
 * mutation fuzzer (test/fuzz/mutate.ts). Budget per target: FUZZ_SECONDS (default 2 s).
 * Every input must parse or throw a pointwise error, within the time bound, without allocating
 * more than a small multiple of the input because a header lied.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { Rng } from '../../src/core/random.js';
import { decodeMat } from '../../src/io/mat.js';
import { readEnvi, writeEnvi, EnviReader, type EnviDataType } from '../../src/spectral/envi.js';
import { REPO_ROOT } from '../helpers/index.js';
import { fuzzBudgetMs, fuzzTarget } from './mutate.js';

// Files live in memory (/dev/shm) when available: the parse, not the disk, is what is fuzzed.
const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'pointwise-fuzz-envi-'));

/** Small cubes written by writeEnvi, as (header bytes, data bytes) seeds. */
function enviSeeds(): { hdr: Uint8Array; img: Uint8Array }[] {
  const out: { hdr: Uint8Array; img: Uint8Array }[] = [];
  const rng = new Rng(77);
  const cases: [('bsq' | 'bil' | 'bip'), EnviDataType, 0 | 1][] = [['bsq', 4, 0], ['bil', 2, 1], ['bip', 1, 0], ['bsq', 5, 1], ['bil', 12, 0], ['bip', 14, 1]];
  cases.forEach(([il, dt, bo], i) => {
    const B = 3, L = 4, S = 5;
    const d = new Float64Array(B * L * S);
    for (let j = 0; j < d.length; j++) d[j] = Math.round(rng.uniform(0, 200));
    const wl = { name: 'wavelength', unit: 'nm', width: 1, values: Float64Array.from([450, 550, 650]) };
    const hdr = path.join(dir, `seed${i}.hdr`);
    writeEnvi(hdr, new Multichannel(d, B, L * S, { shape: [L, S], coords: wl, labels: ['a', 'b', 'c'] }), { interleave: il, dataType: dt, byteOrder: bo, fwhm: [1, 1, 1], bbl: [1, 0, 1], dataIgnoreValue: 7 });
    out.push({ hdr: new Uint8Array(fs.readFileSync(hdr)), img: new Uint8Array(fs.readFileSync(hdr.replace(/\.hdr$/, '.img'))) });
  });
  return out;
}
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const seeds = enviSeeds();
const maxImg = Math.max(...seeds.map((s) => s.img.length));

/** Writes header + data and reads them back, whole and in chunks (results must be usable). */
function readPair(hdrBytes: Uint8Array, img: Uint8Array): Multichannel {
  const hdr = path.join(dir, 'f.hdr');
  fs.writeFileSync(hdr, hdrBytes);
  fs.writeFileSync(path.join(dir, 'f.img'), img);
  const x = readEnvi(hdr);
  x.toChannels();
  const r = EnviReader.open(hdr);
  try {
    for (const c of r.chunks(3)) c.cube.toChannels();
  } finally {
    r.close();
  }
  return x;
}

describe('fuzz: ENVI and MAT readers reject hostile input with pointwise errors only', () => {
  const budget = fuzzBudgetMs();
  const timeout = budget * 2 + 30_000;

  it(`ENVI header text (${budget / 1000} s)`, () => {
    let which = 0;
    const r = fuzzTarget('envi-header', seeds.map((s) => s.hdr), (b) => readPair(b, seeds[which++ % seeds.length].img), budget, { seed: 1, slackBytes: 8 * maxImg + 4096 });
    console.log(`[fuzz] envi header: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(50);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.parsed).toBeGreaterThan(0);
  }, timeout);

  it(`ENVI data bytes (${budget / 1000} s)`, () => {
    // one seed per header: the data is mutated (truncated, extended, flipped), the header is not
    const pairs = seeds.map((s) => s);
    let k = 0;
    const r = fuzzTarget('envi-data', pairs.map((p) => p.img), (b) => readPair(pairs[k++ % pairs.length].hdr, b), budget, { seed: 2 });
    console.log(`[fuzz] envi data: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(50);
    expect(r.rejected).toBeGreaterThan(0);
  }, timeout);

  it(`MAT v5 decodeMat (${budget / 1000} s)`, () => {
    const FIX = path.join(REPO_ROOT, 'test/spectral/fixtures');
    const matSeeds = ['plain.mat', 'compressed.mat'].map((f) => new Uint8Array(fs.readFileSync(path.join(FIX, f))));
    const parse = (b: Uint8Array) => decodeMat(b, { complex: 'split', maxDecompressedBytes: 1 << 20 });
    const r = fuzzTarget('mat', matSeeds, parse, budget, { seed: 3, maxExpansion: 16 });
    console.log(`[fuzz] mat: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(50);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.parsed).toBeGreaterThan(0);
  }, timeout);
});
