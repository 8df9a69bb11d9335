/**
 * Worker-thread body of gemm's pool (src/linalg/gemm.ts, `gemmOnThreads`): runs one thread's share
 * of a product split over samples, with the same kernel as the single-thread path, on arrays that
 * live on shared memory.
 * @module
 * @internal
 */
import { serveTasks } from '../core/workers.js';
import { runGemmTask, type GemmTask } from './gemm.js';

serveTasks((t: GemmTask) => runGemmTask(t));
