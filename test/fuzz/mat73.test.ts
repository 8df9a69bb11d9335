/**
 * Issue 24: readMat73 (MATLAB v7.3 through the HDF5 reader) under the mutation fuzzer (see
 * ./hdf5-harness.ts), seeded with plain arrays and with cells, struct arrays and sparse matrices.
 * Budget: FUZZ_SECONDS (default 2 s).
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readMat73 } from '../../src/io/mat73.js';
import { fuzzBudgetMs } from './mutate.js';
import { fuzzAsync, logReport, scratch, seedFile } from './hdf5-harness.js';

const { dir, onDisk } = scratch();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fuzz: the MATLAB v7.3 reader rejects hostile input with pointwise errors only', () => {
  const budget = fuzzBudgetMs();
  it(`readMat73 (${budget / 1000} s)`, async () => {
    const r = await fuzzAsync('mat73', [seedFile('matlab73.mat'), seedFile('matlab73_containers.mat')], (b) => onDisk(b, (p) => readMat73(p, { complex: 'split', maxBytes: 4 * b.length + 4096 })), budget, 2);
    logReport(r);
    expect(r.iterations).toBeGreaterThan(5);
    expect(r.parsed).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
  }, budget * 2 + 30_000);
});
