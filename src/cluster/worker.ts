/**
 * The cluster worker: takes jobs from the BullMQ queue and runs the library on the paths and ranges
 * they name. Jobs are checked before anything is opened ({@link validateJob}: known kind, exact
 * payload schema, every path under the worker's roots by realpath). A job that fails for a data
 * reason (a refused or malformed payload, a corrupt or missing file, bad options) fails at once with
 * that reason (bullmq's `UnrecoverableError`: no retries); anything else is retried per the job's
 * `attempts`. A worker killed mid-job loses nothing: BullMQ's stalled-job check hands the job to
 * another worker once the dead worker's lock expires (`lockDuration`).
 * @module
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isPointwiseError } from '../core/errors.js';
import { EnviReader } from '../spectral/envi.js';
import { CovarianceAccumulator } from '../spectral/covariance.js';
import { pcaFromAccumulator } from '../spectral/pca.js';
import { decodeModel, encodeModel, mergePartials } from '../io/models.js';
import { enviLineBlocks } from '../io/ranges.js';
import { convolveWavFiles } from '../convolve/wavfile.js';
import { GramAccumulator } from '../train/gram.js';
import { fitLeastSquaresFromGram } from '../train/leastsq.js';
import { fitConstrainedMixerFromGram } from '../constrained/fit.js';
import { loadModel } from '../io/models.js';
import { readNpy } from '../io/npy.js';
import { readWavRange } from '../io/ranges.js';
import { Multichannel } from '../core/multichannel.js';
import type { WavFormat } from '../io/wav.js';
import { connectRedis } from './connection.js';
import { DEFAULT_QUEUE, JobRefusedError, checkPathUnderRoots, resolveRoots, validateJob, type JobKind, type JobPayloads } from './jobs.js';

/** Options of {@link startWorker}. */
export interface ClusterWorkerOptions {
  /** Redis URL (`redis://[:password@]host:port`, `rediss://` for TLS). */
  redis: string;
  /** Folders the worker may read and write under (at least one). */
  roots: readonly string[];
  /** Jobs processed at once by this worker (default 1; the work is CPU-bound, so run one worker per core). */
  concurrency?: number;
  /** Queue name (default {@link DEFAULT_QUEUE}). */
  queue?: string;
  /** Milliseconds a job's lock lasts without renewal before another worker may take it over (default 30 000). Must exceed one tile's compute time. */
  lockDuration?: number;
  /** Milliseconds between checks for stalled jobs (default 30 000, at most lockDuration). */
  stalledInterval?: number;
  /** Called with one line per started, finished, failed or stalled job (for logs). */
  onEvent?: (line: string) => void;
}

/** A running worker; {@link ClusterWorker.close} stops it and closes its connections. */
export interface ClusterWorker {
  readonly worker: Worker;
  /** Waits for the jobs in progress, then closes the worker and its Redis connection. */
  close(): Promise<void>;
}

/** Pixels per block when a tile is read in pieces (bounds a worker's memory to ~64 MB of float64). */
const BLOCK_VALUES = 1 << 23;

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function unb64(s: unknown, what: string): Uint8Array {
  if (typeof s !== 'string') throw new UnrecoverableError(`pointwise worker: ${what} must be a base64 string`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

async function runPcaTile(p: JobPayloads['pca-tile'], roots: readonly string[]): Promise<{ partial: string; pixels: number }> {
  const r = EnviReader.open(p.cube);
  try {
    checkPathUnderRoots('pca-tile', 'the data file', r.dataPath, roots);
    const h = r.header;
    if (p.lines[1] > h.lines) throw new JobRefusedError(`pointwise worker: job pca-tile: lines ${p.lines[0]}:${p.lines[1]} must lie within the cube's ${h.lines} lines`);
    const acc = new CovarianceAccumulator(h.bands, { badBands: p.badBands, ignoreValue: p.ignoreValue });
    const per = Math.max(1, Math.floor(BLOCK_VALUES / (h.samples * h.bands)));
    for (const block of enviLineBlocks(r, p.lines[0], p.lines[1], per)) acc.add(block);
    return { partial: b64(encodeModel(acc)), pixels: acc.count };
  } finally {
    r.close();
  }
}

/** The partials the children of a merge job returned, in the order of `tiles`. */
async function childPartials(job: Job, tiles: readonly string[], kind: 'covariance-partial' | 'gram-partial'): Promise<unknown[]> {
  const values = (await job.getChildrenValues()) as Record<string, { partial?: unknown }>;
  const byId = new Map<string, { partial?: unknown }>();
  for (const [key, v] of Object.entries(values)) byId.set(key.slice(key.lastIndexOf(':') + 1), v);
  return tiles.map((id) => {
    const v = byId.get(id);
    if (!v) throw new UnrecoverableError(`pointwise worker: job ${job.name}: the result of tile ${id} is missing`);
    return decodeModel(unb64(v.partial, `the result of tile ${id}`), { kind }).model;
  });
}

async function runPcaMerge(job: Job, p: JobPayloads['pca-merge']): Promise<{ model?: string; partial?: string }> {
  const parts = (await childPartials(job, p.tiles, 'covariance-partial')) as CovarianceAccumulator[];
  const acc = mergePartials(parts);
  const description = { wavelengths: p.wavelengths, units: p.units };
  if (p.k === 0) return { partial: b64(encodeModel(acc, description)) };
  const model = pcaFromAccumulator(acc, p.k, { whiten: p.whiten, signs: 'max-loading' });
  return { model: b64(encodeModel(model, description)) };
}

function readPairSide(file: string, frames: [number, number] | undefined): Multichannel {
  if (/\.wav$/i.test(file)) return readWavRange(file, frames ? { start: frames[0], end: frames[1] } : {});
  if (!/\.npy$/i.test(file)) throw new JobRefusedError(`pointwise worker: job gram-tile: inputs must be .wav or .npy files; got ${JSON.stringify(file)}`);
  const a = readNpy(file);
  if (!frames) return a;
  if (frames[1] > a.length) throw new JobRefusedError(`pointwise worker: job gram-tile: frames ${frames[0]}:${frames[1]} must lie within the ${a.length} columns of ${JSON.stringify(file)}`);
  const n = frames[1] - frames[0];
  const out = new Float64Array(a.channels * n);
  for (let c = 0; c < a.channels; c++) out.set(a.data.subarray(c * a.length + frames[0], c * a.length + frames[1]), c * n);
  return new Multichannel(out, a.channels, n);
}

async function runGramTile(p: JobPayloads['gram-tile']): Promise<{ partial: string }> {
  const x = readPairSide(p.input, p.frames);
  const y = readPairSide(p.target, p.frames);
  const acc = new GramAccumulator(x.channels, y.channels, { nonFinite: p.nonFinite }).add(x, y);
  return { partial: b64(encodeModel(acc)) };
}

async function runGramMerge(job: Job, p: JobPayloads['gram-merge']): Promise<{ model?: string; partial?: string }> {
  const parts = await childPartials(job, p.tiles, 'gram-partial');
  const acc = mergePartials(parts as GramAccumulator[]);
  if (p.fit === 'partial') return { partial: b64(encodeModel(acc)) };
  const opts = { ridge: p.ridge, bias: p.bias };
  if (p.fit === 'least-squares') return { model: b64(encodeModel(fitLeastSquaresFromGram(acc, opts), { kind: 'least-squares-fit' })) };
  if (p.constraints === undefined) throw new JobRefusedError('pointwise worker: job gram-merge: fit "constrained" needs constraints (a saved linear-constraints .npz)');
  const constraints = loadModel(p.constraints, { kind: 'linear-constraints' });
  return { model: b64(encodeModel(fitConstrainedMixerFromGram(acc, constraints, opts), { kind: 'constrained-fit', constraints })) };
}

async function runBeamform(p: JobPayloads['beamform-file']): Promise<{ output: string; frames: number }> {
  // the CLI's own routine, so a cluster run writes the bytes `pointwise beamform` writes
  const { beamformFile } = await import('../cli/beam.js');
  const r = beamformFile({ ...p, format: p.format as WavFormat });
  return { output: p.output, frames: r.frames };
}

async function runConvolve(p: JobPayloads['convolve-file']): Promise<{ output: string; frames: number }> {
  const r = convolveWavFiles(p.input, p.kernel, p.output, { format: p.format as WavFormat | undefined, normalize: p.normalize, precision: p.precision });
  return { output: p.output, frames: r.frames };
}

/**
 * Runs one job: validates it against `roots`, then dispatches on its kind. Data errors become
 * bullmq's `UnrecoverableError` (the job fails once, with the reason); other errors are rethrown for
 * BullMQ to retry.
 */
export async function processJob(job: Job, roots: readonly string[]): Promise<unknown> {
  try {
    const { kind, payload } = validateJob<JobKind>(job.name, job.data, roots);
    switch (kind) {
      case 'pca-tile':
        return await runPcaTile(payload as JobPayloads['pca-tile'], roots);
      case 'pca-merge':
        return await runPcaMerge(job, payload as JobPayloads['pca-merge']);
      case 'gram-tile':
        return await runGramTile(payload as JobPayloads['gram-tile']);
      case 'gram-merge':
        return await runGramMerge(job, payload as JobPayloads['gram-merge']);
      case 'beamform-file':
        return await runBeamform(payload as JobPayloads['beamform-file']);
      case 'convolve-file':
        return await runConvolve(payload as JobPayloads['convolve-file']);
    }
  } catch (err) {
    if (err instanceof UnrecoverableError) throw err;
    // data reasons: refused jobs, the package's own errors, the CLI's usage errors
    if (isPointwiseError(err) || (err as { name?: unknown })?.name === 'UsageError') throw new UnrecoverableError((err as Error).message);
    throw err;
  }
}

/**
 * Starts a worker on the queue at `options.redis` that acts only on paths under `options.roots`.
 * Resolves once connected. Close it with {@link ClusterWorker.close}.
 * @throws ValueError for missing roots or a bad URL; Error when Redis is unreachable.
 * @example const w = await startWorker({ redis: 'redis://127.0.0.1:6379', roots: ['/data'] }); … await w.close();
 */
export async function startWorker(options: ClusterWorkerOptions): Promise<ClusterWorker> {
  const roots = resolveRoots(options.roots);
  const conn: Redis = await connectRedis(options.redis);
  const lockDuration = options.lockDuration ?? 30000;
  const worker = new Worker(options.queue ?? DEFAULT_QUEUE, (job) => processJob(job, roots), {
    connection: conn,
    concurrency: options.concurrency ?? 1,
    lockDuration,
    stalledInterval: Math.min(options.stalledInterval ?? 30000, lockDuration),
    maxStalledCount: 2,
  });
  const log = options.onEvent;
  worker.on('error', (err) => log?.(`error: ${err.message}`));
  if (log) {
    worker.on('active', (job) => log(`start ${job.name} ${job.id}`));
    worker.on('stalled', (id) => log(`stalled ${id}: handed back to the queue (its worker stopped renewing the lock)`));
    worker.on('completed', (job) => log(`done ${job.name} ${job.id}`));
    worker.on('failed', (job, err) => log(`failed ${job?.name} ${job?.id}: ${err.message}`));
  }
  await worker.waitUntilReady();
  let closed = false;
  return {
    worker,
    async close() {
      if (closed) return;
      closed = true;
      await worker.close();
      await conn.quit().catch(() => conn.disconnect());
    },
  };
}
