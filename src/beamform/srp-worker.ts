/**
 * Worker-thread body of {@link srpPhatParallel} (src/beamform/parallel.ts): runs one share of one
 * SRP-PHAT phase ({@link runSrpTask}) with the single-thread path's own kernels on shared memory.
 * See src/core/workers.ts for the protocol. Only worker threads load this file.
 * @module
 * @internal
 */
import { serveTasks } from '../core/workers.js';
import { runSrpTask } from './parallel.js';

serveTasks(runSrpTask);
