/**
 * Worker-thread body of the multichannel convolution pool (src/convolve/pool.ts): runs
 * {@link computeChannels} (the same code as the single-thread path) on a {@link ChannelJob} whose
 * arrays live on shared memory, over a channel range.
 * @module
 * @internal
 */
import { serveTasks } from '../core/workers.js';
import { computeChannels, type ChannelJob } from './kernels.js';

/** One worker's share: channels [c0, c1) of `job`. */
export interface ChannelTask {
  job: ChannelJob;
  c0: number;
  c1: number;
}

serveTasks((t: ChannelTask) => computeChannels(t.job, t.c0, t.c1));
