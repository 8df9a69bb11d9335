/**
 * Worker-thread body of the 2-D convolution pool (src/convolve/convolve2d.ts): runs
 * {@link computeBands} (the same code as the single-thread path) on a {@link BandJob} whose arrays
 * live on shared memory, over a band range.
 * @module
 * @internal
 */
import { serveTasks } from '../core/workers.js';
import { computeBands, type BandJob } from './kernels2d.js';

/** One worker's share: bands [c0, c1) of `job`. */
export interface BandTask {
  job: BandJob;
  c0: number;
  c1: number;
}

serveTasks((t: BandTask) => computeBands(t.job, t.c0, t.c1));
