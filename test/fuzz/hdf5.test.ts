/**
 * Issue 24: Hdf5File (open, list, readArray of every numeric dataset) under the mutation fuzzer
 * (see ./hdf5-harness.ts). Budget: FUZZ_SECONDS (default 2 s).
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Hdf5File } from '../../src/io/hdf5.js';
import { fuzzBudgetMs } from './mutate.js';
import { fuzzAsync, logReport, scratch, seedFile } from './hdf5-harness.js';

const { dir, onDisk } = scratch();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Opens, lists and reads every numeric dataset within a budget tied to the input size. */
function readAll(bytes: Uint8Array): unknown {
  return onDisk(bytes, (p) => {
    const f = Hdf5File.openSync(p);
    try {
      const out: unknown[] = [];
      for (const e of f.list(1000)) {
        if (e.kind !== 'dataset' || e.dtype === 'string' || e.dtype === 'compound' || e.dtype?.startsWith('class')) continue;
        out.push(f.readArray(e.path, { maxBytes: 4 * bytes.length + 4096 }));
      }
      return out;
    } finally {
      f.close();
    }
  });
}

describe('fuzz: the HDF5 reader rejects hostile input with pointwise errors only', () => {
  const budget = fuzzBudgetMs();
  it(`Hdf5File list + readArray (${budget / 1000} s)`, async () => {
    const r = await fuzzAsync('hdf5', [seedFile('cube.h5'), seedFile('netcdf4.nc')], readAll, budget, 1);
    logReport(r);
    expect(r.iterations).toBeGreaterThan(5);
    expect(r.parsed).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
  }, budget * 2 + 30_000);
});
