/**
 * Worker-thread body of {@link accumulateParallel} (src/spectral/covariance.ts): computes the
 * partial sums of a run of segments with the single-thread path's own kernel and packs them into
 * shared memory. See src/core/workers.ts for the protocol.
 * @module
 * @internal
 */
import { serveTasks } from '../core/workers.js';
import { computeSegments, type CovarianceTask } from './covariance.js';

serveTasks((t: CovarianceTask) => computeSegments(t));
