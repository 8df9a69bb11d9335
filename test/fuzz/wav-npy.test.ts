/**
 * Issue 9: the WAV and NPY readers under the seeded mutation fuzzer (test/fuzz/mutate.ts).
 * Budget per target: FUZZ_SECONDS (default 2 s); `npm run fuzz` runs 60 s each.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { Rng } from '../../src/core/random.js';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';
import { WavReader, decodeWav, encodeWav, readWav } from '../../src/io/wav.js';
import { REPO_ROOT } from '../helpers/index.js';
import { checkInput, fuzzBudgetMs, fuzzTarget, mutate, mutantAt, riffSpans } from './mutate.js';

function signal(C: number, N: number, seed: number, dtype: 'float64' | 'float32' = 'float64'): Multichannel {
  const rng = new Rng(seed);
  const x = Multichannel.zeros(C, N, { sampleRate: 16000, dtype });
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform(-0.9, 0.9);
  return x;
}

function withList(wav: Uint8Array): Uint8Array {
  // Insert an odd-sized LIST chunk and a JUNK chunk before 'data' (other writers' layout).
  const list = new Uint8Array([0x4c, 0x49, 0x53, 0x54, 5, 0, 0, 0, 0x49, 0x4e, 0x46, 0x4f, 0x21, 0, 0x4a, 0x55, 0x4e, 0x4b, 4, 0, 0, 0, 0, 0, 0, 0]);
  let at = 12;
  while (String.fromCharCode(...wav.subarray(at, at + 4)) !== 'data') at += 8 + new DataView(wav.buffer, wav.byteOffset).getUint32(at + 4, true);
  const out = new Uint8Array(wav.length + list.length);
  out.set(wav.subarray(0, at));
  out.set(list, at);
  out.set(wav.subarray(at), at + list.length);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

const wavSeeds = [
  encodeWav(signal(1, 16, 1), { format: 'pcm16' }),
  encodeWav(signal(2, 9, 2), { format: 'pcm8' }),
  encodeWav(signal(3, 8, 3), { format: 'pcm24' }),
  encodeWav(signal(4, 6, 4), { format: 'float32' }),
  encodeWav(signal(2, 5, 5), { format: 'float64' }),
  encodeWav(signal(5, 4, 6), { format: 'pcm32' }),
  withList(encodeWav(signal(2, 8, 7), { format: 'pcm16' })),
];

/** Decode, then touch every channel (a result must also be usable, not just returned). */
function useNpy(b: Uint8Array): Multichannel {
  const x = decodeNpy(b);
  x.toChannels();
  return x;
}
function useWav(b: Uint8Array): Multichannel {
  const x = decodeWav(b);
  x.toChannels();
  return x;
}

const NPY_FIX = path.join(REPO_ROOT, 'test/fixtures/io/npy');
const npySeeds = [
  encodeNpy(signal(2, 5, 8)),
  encodeNpy(signal(1, 7, 9, 'float32')),
  encodeNpy(new Multichannel(new Float64Array(12), 2, 6, { shape: [2, 3] })),
  ...['i8_be_F.npy', 'u2_le_C.npy', 'f2_be_C.npy', 'f4_be_3d_F.npy', 'f8_v2.npy', 'f4_v3.npy', 'b1_na_C.npy', 'f8_scalar.npy'].map((f) => new Uint8Array(fs.readFileSync(path.join(NPY_FIX, f)))),
];

describe('fuzz engine', () => {
  it('is deterministic per seed and never modifies the seed file', () => {
    const seed = wavSeeds[0].slice();
    const a = mutate(seed, new Rng(42), { spans: riffSpans });
    const b = mutate(seed, new Rng(42), { spans: riffSpans });
    expect(a.bytes).toEqual(b.bytes);
    expect(a.ops).toEqual(b.ops);
    expect(seed).toEqual(wavSeeds[0]);
    expect(mutantAt(wavSeeds, 17, { spans: riffSpans })).toEqual(mutantAt(wavSeeds, 17, { spans: riffSpans }));
  });

  it('produces every kind of edit, including chunk edits when spans are given', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) for (const op of mutate(wavSeeds[6], new Rng(i), { spans: riffSpans }).ops) seen.add(op);
    expect([...seen].sort()).toEqual(['bitflip', 'byte', 'chunk-delete', 'chunk-duplicate', 'chunk-swap', 'delete', 'duplicate', 'extend', 'int16', 'int32', 'number', 'size-field', 'truncate']);
  });

  it('catches a crashing parser, a slow one and one that believes a lying size', () => {
    const crash = (b: Uint8Array) => {
      if (b.length !== wavSeeds[0].length) throw new TypeError('boom');
      return null;
    };
    expect(() => fuzzTarget('selftest-crash', [wavSeeds[0]], crash, 500)).toThrow(/threw a non-pointwise TypeError: boom\n {2}input saved to .*selftest-crash-[0-9a-f]{12}\.bin/);
    const slow = () => {
      const t = performance.now();
      while (performance.now() - t < 30);
    };
    expect(() => checkInput('selftest-slow', wavSeeds[0], slow, 'x', { maxParseMs: 10 })).toThrow(/parse took \d+ ms \(> 10\)/);
    const greedy = (b: Uint8Array) => new Float64Array(b.length * 100);
    expect(() => checkInput('selftest-greedy', wavSeeds[0], greedy, 'x')).toThrow(/result holds \d+ bytes for a 76-byte input/);
    const rejecting = () => {
      throw new FormatError('x: y; got z');
    };
    expect(fuzzTarget('selftest-ok', [wavSeeds[0]], rejecting, 50).rejected).toBeGreaterThan(1);
  });
});

describe('fuzz: readers reject hostile input with pointwise errors only', () => {
  const budget = fuzzBudgetMs();
  const timeout = budget * 2 + 30_000;

  it(`WAV decodeWav (${budget / 1000} s)`, () => {
    const r = fuzzTarget('wav', wavSeeds, useWav, budget, { spans: riffSpans, seed: 1 });
    console.log(`[fuzz] wav: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(100);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.parsed).toBeGreaterThan(0);
  }, timeout);

  it(`WAV from disk: readWav + WavReader pieces (${budget / 4000} s)`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-fuzz-wav-'));
    const file = path.join(dir, 'f.wav');
    const parse = (b: Uint8Array) => {
      fs.writeFileSync(file, b);
      const whole = readWav(file);
      const r = WavReader.open(file, { dtype: 'float32' });
      try {
        let n = 0;
        for (let p = r.read(3); p; p = r.read(3)) n += p.length;
        if (n !== whole.length) throw new Error(`WavReader read ${n} frames, readWav ${whole.length}`);
      } finally {
        r.close();
      }
      return whole;
    };
    const r = fuzzTarget('wav-file', wavSeeds, parse, budget / 4, { spans: riffSpans, seed: 100000 });
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`[fuzz] wav-file: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected`);
    expect(r.iterations).toBeGreaterThan(0);
  }, timeout);

  it(`NPY decodeNpy (${budget / 1000} s)`, () => {
    const r = fuzzTarget('npy', npySeeds, useNpy, budget, { seed: 1 });
    console.log(`[fuzz] npy: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(100);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.parsed).toBeGreaterThan(0);
  }, timeout);
});

describe('fuzz regressions: inputs that once found a bug (test/fixtures/fuzz/)', () => {
  const dir = path.join(REPO_ROOT, 'test/fixtures/fuzz');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^(wav|npy)-.*\.bin$/.test(f)) : [];
  it.skipIf(files.length === 0)(`replays ${files.length} saved inputs: each parses or throws a pointwise error`, () => {
    for (const f of files) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(dir, f)));
      const parse = f.startsWith('wav') ? useWav : useNpy;
      checkInput(f, bytes, parse, `fixture ${f}`);
    }
  });
});
