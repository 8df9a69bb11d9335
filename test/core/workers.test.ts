import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NumericalError } from '../../src/core/errors.js';
import { WorkerPool } from '../../src/core/workers.js';
import type { FixtureTask } from './fixtures/task-worker.js';

const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

describe('WorkerPool', () => {
  const pool = new WorkerPool(fixture('task-worker'));
  const broken = new WorkerPool(fixture('broken-worker'));
  afterAll(async () => {
    await pool.terminate();
    await broken.terminate();
  });
  const opts = { retry: 'options.threads = 1' };

  it('runs tasks on workers while the calling thread runs its own share; threads persist between calls', () => {
    for (let call = 0; call < 3; call++) {
      const a = new Float64Array(new SharedArrayBuffer(8 * 3)).fill(call + 1);
      const b = new Float64Array(new SharedArrayBuffer(8 * 2)).fill(10);
      let own = 0;
      pool.run<FixtureTask>('fixture', [{ kind: 'double', data: a }, { kind: 'double', data: b }], () => (own = 7), opts);
      expect(Array.from(a)).toEqual([2 * (call + 1), 2 * (call + 1), 2 * (call + 1)]);
      expect(Array.from(b)).toEqual([20, 20]);
      expect(own).toBe(7);
      expect(pool.size).toBe(2);
    }
  });

  it("a worker's exception surfaces as a NumericalError naming the function, with the worker's message", () => {
    expect(() => pool.run<FixtureTask>('someFunction', [{ kind: 'throw' }], () => {}, opts)).toThrow(NumericalError);
    expect(() => pool.run<FixtureTask>('someFunction', [{ kind: 'throw' }], () => {}, opts)).toThrow(/^someFunction: a worker thread failed \(RangeError: fixture failure\); retry with options\.threads = 1$/);
    // the worker survives its task's exception
    const a = new Float64Array(new SharedArrayBuffer(8)).fill(1);
    pool.run<FixtureTask>('fixture', [{ kind: 'double', data: a }], () => {}, opts);
    expect(a[0]).toBe(2);
  });

  it('an error of the calling thread\'s share is rethrown after the workers finish', () => {
    const a = new Float64Array(new SharedArrayBuffer(8)).fill(1);
    expect(() => pool.run<FixtureTask>('fixture', [{ kind: 'double', data: a }], () => { throw new TypeError('own share'); }, opts)).toThrow(/^own share$/);
    expect(a[0]).toBe(2);
  });

  it('a worker module that cannot load fails fast with the load error (no wait for the time limit)', () => {
    const t0 = performance.now();
    expect(() => broken.run('someFunction', [{}], () => {}, opts)).toThrow(/^someFunction: a worker thread failed \(could not load .*broken-worker\.ts: fixture cannot load\); retry with options\.threads = 1$/);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it('a worker that never answers is reported after the time limit and replaced', () => {
    expect(() => pool.run<FixtureTask>('someFunction', [{ kind: 'double', data: new Float64Array(new SharedArrayBuffer(8)) }, { kind: 'hang' }], () => {}, { ...opts, timeoutMs: 300 })).toThrow(/^someFunction: a worker thread failed \(no answer after \d+\.\d s\); retry with options\.threads = 1$/);
    expect(pool.size).toBe(1);
    const a = new Float64Array(new SharedArrayBuffer(8)).fill(3);
    pool.run<FixtureTask>('fixture', [{ kind: 'double', data: a }, { kind: 'double', data: a.subarray(0, 0) }], () => {}, opts);
    expect(a[0]).toBe(6);
    expect(pool.size).toBe(2);
  });
});
