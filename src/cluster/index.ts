/**
 * The cluster: jobs on BullMQ (Redis) — tiles out, partials back, merged; files beamformed and
 * convolved by workers on shared storage.
 * @module
 */
export { DEFAULT_QUEUE, JOB_KINDS, PAYLOAD_VERSION, JobRefusedError, validateJob, checkPathUnderRoots, jobId } from './jobs.js';
export type { JobKind, JobPayloads, PcaTilePayload, PcaMergePayload, GramTilePayload, GramMergePayload, BeamformPayload, ConvolvePayload } from './jobs.js';
export { connectRedis, redactUrl } from './connection.js';
export { startWorker, processJob } from './worker.js';
export type { ClusterWorker, ClusterWorkerOptions } from './worker.js';
export { clusterPca, clusterCovariance, clusterLeastSquares, clusterGram, clusterBeamform, clusterConvolve, JobFailedError } from './submit.js';
export type { ClusterOptions, ClusterPcaOptions, ClusterFitOptions, GramPair, BeamformJob, ConvolveJob } from './submit.js';
