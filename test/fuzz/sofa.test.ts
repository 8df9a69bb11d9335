/**
 * Issue 24: the SOFA reader under the mutation fuzzer (see ./hdf5-harness.ts). Budget: FUZZ_SECONDS
 * (default 2 s).
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Hdf5File } from '../../src/io/hdf5.js';
import { sofaFromHdf5 } from '../../src/io/sofa.js';
import { fuzzBudgetMs } from './mutate.js';
import { fuzzAsync, logReport, scratch, seedFile } from './hdf5-harness.js';

const { dir, onDisk } = scratch();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fuzz: the SOFA reader rejects hostile input with pointwise errors only', () => {
  const budget = fuzzBudgetMs();
  it(`readSofa (${budget / 1000} s)`, async () => {
    const sofa = (b: Uint8Array): unknown =>
      onDisk(b, (p) => {
        const f = Hdf5File.openSync(p);
        try {
          const s = sofaFromHdf5(f, { maxBytes: 4 * b.length + 4096 });
          return { data: s.data, response: s.dataType === 'TF' ? s.tf(0) : s.ir(0), room: s.receiversInRoom(0), emitters: s.emittersInRoom(0) };
        } finally {
          f.close();
        }
      });
    const r = await fuzzAsync('sofa', [seedFile('hrir.sofa'), seedFile('srir.sofa'), seedFile('rotated_srir.sofa'), seedFile('tf.sofa')], sofa, budget, 3);
    logReport(r);
    expect(r.iterations).toBeGreaterThan(5);
    expect(r.parsed).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
  }, budget * 2 + 30_000);
});
