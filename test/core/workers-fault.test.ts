/**
 * Issue 19: a worker thread that throws outside its task or exits fails the call at once with the
 * thread's message, is replaced, and leaves the process healthy (no unhandled 'error' event later),
 * so the retry the message advises — the same call without workers — succeeds in the same process.
 */
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NumericalError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { WorkerPool } from '../../src/core/workers.js';
import { convolve } from '../../src/convolve/convolve.js';
import type { CrashTask } from './fixtures/crash-worker.js';

const pool = new WorkerPool(path.join(__dirname, 'fixtures', 'crash-worker'));
afterAll(() => pool.terminate());
const opts = { retry: 'workers: 0' };
const shared = (v: number[]): Float64Array => {
  const a = new Float64Array(new SharedArrayBuffer(8 * v.length));
  a.set(v);
  return a;
};
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WorkerPool: worker threads that die', () => {
  it('warms up: a healthy call runs on a worker', () => {
    const a = shared([1, 2]);
    pool.run<CrashTask>('fixture', [{ kind: 'double', data: a }], () => {}, opts);
    expect(Array.from(a)).toEqual([2, 4]);
  });

  for (const kind of ['throw', 'exit'] as const) {
    it(`a worker thread that ${kind}s fails the call within a second with its message, is replaced, and the call without workers then succeeds`, async () => {
      const t0 = performance.now();
      let err: unknown = null;
      try {
        pool.run<CrashTask>('someFunction', [{ kind }], () => {}, opts);
      } catch (e) {
        err = e;
      }
      const ms = performance.now() - t0;
      expect(err).toBeInstanceOf(NumericalError);
      expect(String((err as Error).message)).toMatch(kind === 'throw' ? /^someFunction: a worker thread failed \(the worker thread threw TypeError: crash fixture: thrown outside a task\); retry with workers: 0$/ : /^someFunction: a worker thread failed \(the worker thread exited with code 5\); retry with workers: 0$/);
      expect(ms).toBeLessThan(1000);
      // let the thread's 'error' and 'exit' events arrive: they must not crash the process
      await tick(200);
      // the retry the message advises: the calling thread alone
      let own = 0;
      pool.run<CrashTask>('someFunction', [], () => (own = 1), opts);
      expect(own).toBe(1);
      const x = new Multichannel(Float64Array.from([1, 2, 3, 4, 5, 6]), 2, 3);
      const y = convolve(x, new Multichannel(Float64Array.from([1, 1]), 1, 2), { workers: 0 });
      expect(Array.from(y.data)).toEqual([1, 3, 5, 3, 4, 9, 11, 6]);
      // and the pool works again, on a new thread
      const a = shared([5]);
      pool.run<CrashTask>('fixture', [{ kind: 'double', data: a }], () => {}, opts);
      expect(a[0]).toBe(10);
      await tick(50);
    });
  }
});
