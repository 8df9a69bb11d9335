/**
 * Worker-thread body of the multichannel convolution pool (src/convolve/pool.ts): receives a
 * {@link ChannelJob} on shared memory and a channel range, runs {@link computeChannels} (the same
 * code as the single-thread path) and signals completion through an Int32Array flag.
 * @module
 * @internal
 */
import { parentPort } from 'node:worker_threads';
import { computeChannels, type ChannelJob } from './kernels.js';

/** A message to a worker. */
export interface WorkerMessage {
  job: ChannelJob;
  c0: number;
  c1: number;
  flag: Int32Array;
  slot: number;
}

parentPort?.on('message', (m: WorkerMessage) => {
  try {
    computeChannels(m.job, m.c0, m.c1);
    Atomics.store(m.flag, m.slot, 1);
  } catch {
    Atomics.store(m.flag, m.slot, 2);
  }
  Atomics.notify(m.flag, m.slot);
});
