/**
 * src/core/shared.ts: large shared buffers are counted for V8's garbage collector, on the thread
 * that allocates them and on the workers that receive them, so that a loop dropping large shared
 * results keeps its memory bounded (without the counting, RSS grows by every result until a
 * collection happens for some other reason).
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED_ARRAY_MIN_BYTES, countReceived, isCounted, sharedBuffer, sharedNames } from '../../src/core/shared.js';
import { REPO_ROOT } from '../helpers/index.js';
import { ensureBuilt } from '../cli/run.js';

const MiB = 1 << 20;

describe('sharedBuffer', () => {
  it('gives a zero-filled SharedArrayBuffer of the size asked, counted for the collector from SHARED_ARRAY_MIN_BYTES up', () => {
    const big = sharedBuffer(SHARED_ARRAY_MIN_BYTES);
    expect(big).toBeInstanceOf(SharedArrayBuffer);
    expect(big.byteLength).toBe(SHARED_ARRAY_MIN_BYTES);
    expect(new Float64Array(big)[12345]).toBe(0);
    expect(isCounted(big)).toBe(true);
    const small = sharedBuffer(SHARED_ARRAY_MIN_BYTES - 8);
    expect(small.byteLength).toBe(SHARED_ARRAY_MIN_BYTES - 8);
    expect(isCounted(small)).toBe(false);
  });
});

describe('sharedNames and countReceived', () => {
  const big = new SharedArrayBuffer(SHARED_ARRAY_MIN_BYTES);
  const other = new SharedArrayBuffer(SHARED_ARRAY_MIN_BYTES + 8);

  it('lists the large shared buffers of a task once each, with names stable for each buffer', () => {
    const task = {
      X: new Float64Array(big, 8, 100),
      out: new Float32Array(other),
      again: new Uint8Array(big),
      small: new Float64Array(new SharedArrayBuffer(64)),
      plain: new Float64Array(16),
      nested: { deeper: { tooDeep: new Float64Array(new SharedArrayBuffer(SHARED_ARRAY_MIN_BYTES)) } },
      list: [other],
    };
    const names = sharedNames(task);
    expect(names.map(([b]) => b)).toEqual([big, other]);
    expect(names[0][1]).not.toBe(names[1][1]);
    expect(sharedNames({ a: new Float64Array(big) })).toEqual([[big, names[0][1]]]);
    expect(sharedNames(null)).toEqual([]);
    expect(sharedNames(new Float64Array(8))).toEqual([]);
  });

  it('counts a received buffer once while an earlier handle on it lives', () => {
    const name = sharedNames(other)[0][1];
    const received = new SharedArrayBuffer(SHARED_ARRAY_MIN_BYTES + 8);
    const later = new SharedArrayBuffer(SHARED_ARRAY_MIN_BYTES + 8); // as a second message's handle on the same memory
    countReceived([[received, name]]);
    countReceived([[later, name]]);
    expect(isCounted(received)).toBe(true);
    expect(isCounted(later)).toBe(false);
    const small = new SharedArrayBuffer(1024);
    countReceived([[small, name + 1000]]);
    expect(isCounted(small)).toBe(true); // whatever the size: the sender lists only large ones
  });
});

/** The child: `mix` 8→8 of a 64 MB x into new 64 MB shared results, 24 times, dropping each; prints its peak RSS. */
const CHILD = (dist: string) => `
const { Multichannel } = require(${JSON.stringify(path.join(dist, 'core/multichannel.js'))});
const { mix } = require(${JSON.stringify(path.join(dist, 'mixing/mix.js'))});
const { sharedArray } = require(${JSON.stringify(path.join(dist, 'core/shared.js'))});
const x = Multichannel.zeros(8, 1000000);
x.data.fill(0.5);
const W = { data: new Float64Array(64).fill(0.125), rows: 8, cols: 8 };
let workers = 0, s = 0;
for (let i = 0; i < 24; i++) { const y = mix(x, W); s += y.data[7999999]; workers += y.data.buffer instanceof SharedArrayBuffer ? 1 : 0; }
for (let i = 0; i < 24; i++) { const a = sharedArray('float64', 4 << 20); a.fill(1); s += a[0]; }
process.stdout.write(JSON.stringify({ shared: workers, s, maxRss: process.resourceUsage().maxRSS * 1024 }) + '\\n');
`;

describe('a loop of large shared results keeps its memory bounded (built package, child process)', () => {
  beforeAll(() => ensureBuilt(), 300_000);
  it('24 mix results of 64 MB on shared memory (two threads) and 24 shared 32 MiB arrays: peak RSS under 1 GB, not their 2.3 GB', () => {
    const r = spawnSync(process.execPath, ['-e', CHILD(path.join(REPO_ROOT, 'dist', 'src'))], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { shared: number; s: number; maxRss: number };
    expect(out.s).toBe(24 * 0.5 + 24); // each mixed sample is 8 · 0.125 · 0.5
    expect(out.shared).toBe(os.availableParallelism() >= 2 ? 24 : 0);
    expect(out.maxRss).toBeLessThan(1024 * MiB);
  });
});
