/**
 * A small persistent pool of worker threads for multichannel convolution. Workers are started on
 * first use and `unref`'d (they never keep the process alive). The caller stays synchronous: it
 * posts channel ranges on shared memory, computes its own share, then blocks on `Atomics.wait`
 * until every worker has signalled. Each worker runs the same {@link computeChannels} as the
 * single-thread path, so results are bit-for-bit identical.
 * @module
 * @internal
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { NumericalError } from '../core/errors.js';
import { computeChannels, type ChannelJob } from './kernels.js';

const pool: Worker[] = [];

/** Starts (unref'd) the worker-thread module `name` of this folder ('worker', 'stream-worker'). */
export function spawnWorker(name: string): Worker {
  const ts = __filename.endsWith('.ts');
  const file = path.join(__dirname, ts ? `${name}.ts` : `${name}.js`);
  // Under tsx / vitest the sources are TypeScript: register tsx's CommonJS hook inside the worker.
  const w = ts
    ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`, { eval: true })
    : new Worker(file);
  w.unref();
  return w;
}

function workers(n: number): Worker[] {
  while (pool.length < n) pool.push(spawnWorker('worker'));
  return pool.slice(0, n);
}

/** Copies into a Float64Array on shared memory (one native `set` for typed arrays). */
export function sharedCopy(a: Float64Array | Float32Array): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer(8 * a.length));
  s.set(a);
  return s;
}

/**
 * Runs `job` over its C channels with `threads` worker threads plus the calling thread, splitting
 * channels as evenly as possible. The calling thread computes its share in place; each worker's
 * channels (and the kernels) are copied to shared memory, and its results copied back into
 * `job.out`, so only the workers' share crosses threads.
 */
export function runOnWorkers(job: ChannelJob, C: number, threads: number): void {
  const parts = Math.min(C, threads + 1);
  const ws = workers(parts - 1);
  const flag = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, parts - 1)));
  const bounds: number[] = [];
  for (let p = 0; p <= parts; p++) bounds.push(Math.round((p * C) / parts));
  const { N, M, K, outLen } = job;
  const h = sharedCopy(job.h);
  const shares: { c0: number; out: Float64Array }[] = [];
  for (let p = 1; p < parts; p++) {
    const c0 = bounds[p], c1 = bounds[p + 1];
    const out = new Float64Array(new SharedArrayBuffer(8 * (c1 - c0) * outLen));
    const part: ChannelJob = { ...job, x: sharedCopy(job.x.subarray(c0 * N, c1 * N)), h: K === 1 ? h : h.subarray(c0 * M, c1 * M), out };
    shares.push({ c0, out });
    ws[p - 1].postMessage({ job: part, c0: 0, c1: c1 - c0, flag, slot: p - 1 });
  }
  computeChannels(job, bounds[0], bounds[1]);
  for (let s = 0; s < parts - 1; s++) {
    while (Atomics.load(flag, s) === 0) Atomics.wait(flag, s, 0, 60000);
    if (Atomics.load(flag, s) !== 1) throw new NumericalError('convolve: a worker thread failed; retry with options.workers = false');
  }
  for (const { c0, out } of shares) job.out.set(out, c0 * outLen);
}

/** Terminates the pool's threads (they are unref'd, so this is only needed to free them early). */
export async function terminateWorkers(): Promise<void> {
  const ws = pool.splice(0, pool.length);
  await Promise.all(ws.map((w) => w.terminate()));
}
