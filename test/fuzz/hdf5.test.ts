/**
 * Issue 24: the HDF5 reader (h5wasm), MATLAB v7.3 through it, and SOFA, under the seeded mutation
 * fuzzer (test/fuzz/mutate.ts). Budget per target: FUZZ_SECONDS (default 2 s). Every mutant must open
 * and read, or be rejected with a pointwise error, within the time bound. A small HDF5 file may
 * legitimately declare a large dataset of fill values (unallocated storage), so each parse passes a
 * `maxBytes` budget tied to the input size, as a caller reading untrusted files should.
 * After a library error h5wasm is restarted (`await loadHdf5()`, as the async readers do), so the
 * loop is fuzzTarget's, made async: the same seeded mutants, each checked by checkInput.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hdf5File, loadHdf5 } from '../../src/io/hdf5.js';
import { readMat73 } from '../../src/io/mat73.js';
import { sofaFromHdf5 } from '../../src/io/sofa.js';
import { REPO_ROOT } from '../helpers/index.js';
import { Rng } from '../../src/core/random.js';
import { checkInput, fuzzBudgetMs, mutate, type FuzzReport } from './mutate.js';

const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'pointwise-fuzz-h5-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'hdf5');
const seed = (n: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(FIX, n)));


/** Writes the bytes to a fresh file and runs `read` on it. */
function onDisk<T>(name: string, bytes: Uint8Array, read: (p: string) => T): T {
  const p = path.join(dir, `${name}.h5`);
  fs.writeFileSync(p, bytes);
  try {
    return read(p);
  } finally {
    fs.rmSync(p, { force: true });
  }
}

/** Opens, lists and reads every numeric dataset within a budget tied to the input size. */
function readAll(bytes: Uint8Array): unknown {
  return onDisk('hdf5', bytes, (p) => {
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

/** fuzzTarget with `await loadHdf5()` before each input. */
async function fuzzAsync(name: string, seeds: Uint8Array[], parse: (b: Uint8Array) => unknown, budgetMs: number, seedBase: number): Promise<FuzzReport> {
  const report: FuzzReport = { name, iterations: 0, parsed: 0, rejected: 0, errors: {}, slowestMs: 0 };
  const run = async (bytes: Uint8Array, label: string): Promise<void> => {
    await loadHdf5();
    const r = checkInput(name, bytes, parse, label, { maxParseMs: 2000 });
    if (r.outcome === 'parsed') report.parsed++;
    else {
      report.rejected++;
      report.errors[r.outcome] = (report.errors[r.outcome] ?? 0) + 1;
    }
    report.slowestMs = Math.max(report.slowestMs, r.ms);
  };
  for (let i = 0; i < seeds.length; i++) await run(seeds[i], `seed ${i}`);
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < budgetMs; i++) {
    const rng = new Rng((seedBase + i) | 0);
    const which = rng.int(0, seeds.length - 1);
    const { bytes, ops } = mutate(seeds[which], rng);
    await run(bytes, `seed ${seedBase} iteration ${i} (seed file ${which}, edits ${ops.join('+')})`);
    report.iterations++;
  }
  return report;
}

describe('fuzz: HDF5, MATLAB v7.3 and SOFA readers reject hostile input with pointwise errors only', () => {
  const budget = fuzzBudgetMs();
  const timeout = budget * 2 + 30_000;
  beforeAll(async () => {
    await loadHdf5();
  });

  it(`Hdf5File list + readArray (${budget / 1000} s)`, async () => {
    const r = await fuzzAsync('hdf5', [seed('cube.h5'), seed('netcdf4.nc')], readAll, budget, 1);
    console.log(`[fuzz] hdf5: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(5);
    expect(r.parsed).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
  }, timeout);

  it(`readMat73 (${budget / 1000} s)`, async () => {
    const r = await fuzzAsync('mat73', [seed('matlab73.mat')], (b) => onDisk('mat73', b, (p) => readMat73(p, { complex: 'split', maxBytes: 4 * b.length + 4096 })), budget, 2);
    console.log(`[fuzz] mat73: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(5);
    expect(r.parsed).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
  }, timeout);

  it(`readSofa (${budget / 1000} s)`, async () => {
    const sofa = (b: Uint8Array): unknown => onDisk('sofa', b, (p) => {
      const f = Hdf5File.openSync(p);
      try {
        const s = sofaFromHdf5(f, { maxBytes: 4 * b.length + 4096 });
        return { data: s.data, ir: s.ir(0) };
      } finally {
        f.close();
      }
    });
    const r = await fuzzAsync('sofa', [seed('hrir.sofa'), seed('srir.sofa')], sofa, budget, 3);
    console.log(`[fuzz] sofa: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(5);
    expect(r.parsed).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
  }, timeout);
});
