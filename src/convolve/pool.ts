/**
 * Multichannel convolution on worker threads: a persistent {@link WorkerPool} of
 * src/convolve/worker.ts (see src/core/workers.ts for the pattern). The caller stays synchronous:
 * it posts channel ranges on shared memory, computes its own share, then blocks until every worker
 * has signalled. Each worker runs the same {@link computeChannels} as the single-thread path, so
 * results are bit-for-bit identical.
 * @module
 * @internal
 */
import * as path from 'node:path';
import { WorkerPool, split } from '../core/workers.js';
import { sharedArray, sharedCopy } from '../core/shared.js';
import { computeChannels, type ChannelJob } from './kernels.js';
import type { ChannelTask } from './worker.js';

const pool = new WorkerPool(path.join(__dirname, 'worker'));

/**
 * Runs `job` over its C channels with `threads` worker threads plus the calling thread, splitting
 * channels as evenly as possible. The calling thread computes its share in place; each worker's
 * channels (and the kernels) are copied to shared memory, and its results copied back into
 * `job.out`, so only the workers' share crosses threads.
 * @throws NumericalError when a worker fails.
 */
export function runOnWorkers(job: ChannelJob, C: number, threads: number): void {
  const parts = Math.min(C, threads + 1);
  const bounds = split(C, parts);
  const { N, M, K, outLen } = job;
  const h = sharedCopy(job.h);
  const tasks: ChannelTask[] = [];
  for (let p = 1; p < parts; p++) {
    const c0 = bounds[p], c1 = bounds[p + 1];
    const out = sharedArray('float64', (c1 - c0) * outLen);
    tasks.push({ job: { ...job, x: sharedCopy(job.x.subarray(c0 * N, c1 * N)), h: K === 1 ? h : h.subarray(c0 * M, c1 * M), out }, c0: 0, c1: c1 - c0 });
  }
  pool.run('convolve', tasks, () => computeChannels(job, bounds[0], bounds[1]), { retry: 'options.workers = false' });
  for (let p = 1; p < parts; p++) job.out.set(tasks[p - 1].job.out, bounds[p] * outLen);
}

/** Terminates the pool's threads (they are unref'd, so this is only needed to free them early). */
export function terminateWorkers(): Promise<void> {
  return pool.terminate();
}
