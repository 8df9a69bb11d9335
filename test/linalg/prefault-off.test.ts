import { describe, expect, it, vi } from 'vitest';

// A runtime where no thread can start: the module switches itself off and allocation falls back.
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class NoWorker {
    constructor() {
      throw new Error('threads are not available here');
    }
  }
  return { ...real, Worker: NoWorker };
});

describe('takePrefaulted without threads', () => {
  it('returns nothing, stays off, and allocateEmpty still allocates', async () => {
    const { prefaultState, takePrefaulted } = await import('../../src/linalg/prefault.js');
    const { allocateEmpty } = await import('../../src/linalg/prefault.js');
    for (let i = 0; i < 3; i++) expect(takePrefaulted(2 << 20)).toBeUndefined();
    expect(prefaultState().running).toBe(false);
    const a = allocateEmpty('float64', 1 << 18);
    expect([a.length, a.byteLength]).toEqual([1 << 18, 2 << 20]);
  });
});
