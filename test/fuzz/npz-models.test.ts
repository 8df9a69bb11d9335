/**
 * The .npz container and model files under the seeded mutation fuzzer (test/fuzz/mutate.ts): every
 * mutant either loads or is rejected with a pointwise error, quickly and without allocating beyond
 * the input's size. Budget per target: FUZZ_SECONDS (default 2 s).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { Rng } from '../../src/core/random.js';
import { decodeNpz } from '../../src/io/npz.js';
import { decodeModel, encodeModel } from '../../src/io/models.js';
import { pca } from '../../src/spectral/pca.js';
import { PointwiseMixer } from '../../src/mixing/mixer.js';
import { totalConservation } from '../../src/constrained/constraints.js';
import { GramAccumulator } from '../../src/train/gram.js';
import { REPO_ROOT } from '../helpers/index.js';
import { fuzzBudgetMs, fuzzTarget } from './mutate.js';

const rng = new Rng(5);
const cube = new Multichannel(rng.normals(4 * 30), 4, 30);
const modelSeeds = [
  encodeModel(pca(cube, 2)),
  encodeModel(PointwiseMixer.random(3, 2, { seed: 1 })),
  encodeModel(totalConservation(3)),
  encodeModel(new GramAccumulator(2, 1).add(new Multichannel(rng.normals(20), 2, 10), new Multichannel(rng.normals(10), 1, 10))),
];
const FIX = path.join(REPO_ROOT, 'test/fixtures/npz');
const npzSeeds = ['numpy-savez.npz', 'numpy-savez-compressed.npz', 'pointwise-pca.npz'].map((f) => new Uint8Array(fs.readFileSync(path.join(FIX, f))));

describe('fuzz: .npz and model files reject hostile input with pointwise errors only', () => {
  const budget = fuzzBudgetMs();
  const timeout = budget * 2 + 30_000;

  it('replays the saved regression inputs (test/fixtures/fuzz/npz-*.bin)', () => {
    const dir = path.join(REPO_ROOT, 'test/fixtures/fuzz');
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('npz-') && f.endsWith('.bin'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const r = fuzzTarget(`replay-${f}`, [new Uint8Array(fs.readFileSync(path.join(dir, f)))], (b) => decodeNpz(b), 0);
      expect(r.parsed + r.rejected, f).toBe(1);
    }
  });

  it(`decodeNpz (${budget / 1000} s)`, () => {
    // deflated entries may legitimately expand up to 1032×, and int8 → float64 another 8×
    const r = fuzzTarget('npz', npzSeeds, (b) => decodeNpz(b), budget, { seed: 1, maxExpansion: 8 * 1040 });
    console.log(`[fuzz] npz: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(50);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.parsed).toBeGreaterThan(0);
  }, timeout);

  it(`decodeModel (${budget / 1000} s)`, () => {
    const r = fuzzTarget('model', modelSeeds, (b) => decodeModel(b), budget, { seed: 1 });
    console.log(`[fuzz] model: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(50);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.errors).toEqual({ FormatError: r.rejected });
  }, timeout);
});
