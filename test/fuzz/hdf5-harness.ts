/**
 * Shared by the HDF5-family fuzz files (issue 24): the HDF5 reader (h5wasm), MATLAB v7.3 through it,
 * and SOFA, under the seeded mutation fuzzer (test/fuzz/mutate.ts). Every mutant must open and read,
 * or be rejected with a pointwise error, within the time bound. A small HDF5 file may legitimately
 * declare a large dataset of fill values (unallocated storage), so each parse passes a `maxBytes`
 * budget tied to the input size, as a caller reading untrusted files should.
 * After a library error the h5wasm instance is retired and `await loadHdf5()` starts a fresh one
 * (as the async readers do), so the loop is fuzzTarget's made async: the same seeded mutants, each
 * checked by checkInput. One process starts at most `hdf5Status().maxInstances` instances, so the
 * loop also stops when they are used up, and each target runs in its own test file (own process).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hdf5Status, loadHdf5 } from '../../src/io/hdf5.js';
import { Rng } from '../../src/core/random.js';
import { REPO_ROOT } from '../helpers/index.js';
import { checkInput, mutate, type FuzzReport } from './mutate.js';

const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'hdf5');
export const seedFile = (n: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(FIX, n)));

/** A temp folder (in memory when /dev/shm exists) and a writer of one input file in it. */
export function scratch(): { dir: string; onDisk: <T>(bytes: Uint8Array, read: (p: string) => T) => T } {
  const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'pointwise-fuzz-h5-'));
  const onDisk = <T>(bytes: Uint8Array, read: (p: string) => T): T => {
    const p = path.join(dir, 'input.h5');
    fs.writeFileSync(p, bytes);
    try {
      return read(p);
    } finally {
      fs.rmSync(p, { force: true });
    }
  };
  return { dir, onDisk };
}

/** fuzzTarget with `await loadHdf5()` before each input; `exhausted` when the instances ran out first. */
export async function fuzzAsync(name: string, seeds: Uint8Array[], parse: (b: Uint8Array) => unknown, budgetMs: number, seedBase: number): Promise<FuzzReport & { exhausted: boolean }> {
  const report: FuzzReport & { exhausted: boolean } = { name, iterations: 0, parsed: 0, rejected: 0, errors: {}, slowestMs: 0, exhausted: false };
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
    const s = hdf5Status();
    if (s.retired && s.instances >= s.maxInstances) {
      report.exhausted = true;
      break;
    }
    const rng = new Rng((seedBase + i) | 0);
    const which = rng.int(0, seeds.length - 1);
    const { bytes, ops } = mutate(seeds[which], rng);
    await run(bytes, `seed ${seedBase} iteration ${i} (seed file ${which}, edits ${ops.join('+')})`);
    report.iterations++;
  }
  return report;
}

export function logReport(r: FuzzReport & { exhausted: boolean }): void {
  console.log(`[fuzz] ${r.name}: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms${r.exhausted ? ' (stopped: h5wasm instances used up)' : ''}`);
}
