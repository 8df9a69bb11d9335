/**
 * Worker-thread body of the sign pass's pool (src/spectral/signs.ts, `largestScores`): scores one
 * round's share of pixels with the single-thread path's own kernel, on shared memory. See
 * src/core/workers.ts for the protocol.
 * @module
 * @internal
 */
import { serveTasks } from '../core/workers.js';
import { runSignTask, type SignTask } from './signs.js';

serveTasks((t: SignTask) => runSignTask(t));
