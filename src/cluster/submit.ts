/**
 * Submitting work to the cluster from the API or the CLI: an async function per job kind that takes
 * a Redis URL, adds the jobs (with ids derived from their inputs, so a restarted submitter finds the
 * jobs of its first run), waits while reporting progress, and returns the model or the outputs.
 *
 * Where results travel: partial statistics go back through Redis as job return values (a
 * 224-band covariance partial is ~400 kB, ~540 kB as base64); the merge job's children are removed
 * once merged into their parent, whose result is kept for a day. Beamformed and convolved files are
 * written by the workers on the shared storage, atomically (a temporary file beside the target,
 * renamed into place).
 * @module
 */
import * as path from 'node:path';
import { FlowProducer, Job, Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { FileError, ValueError, ShapeError, message } from '../core/errors.js';
import { assertInteger } from '../core/validate.js';
import { readEnviHeader, EnviReader } from '../spectral/envi.js';
import type { PcaModel } from '../spectral/pca.js';
import type { CovarianceAccumulator } from '../spectral/covariance.js';
import { decodeModel } from '../io/models.js';
import { connectRedis } from './connection.js';
import { DEFAULT_QUEUE, PAYLOAD_VERSION, jobId, type BeamformPayload, type ConvolvePayload, type GramMergePayload, type GramTilePayload, type PcaMergePayload, type PcaTilePayload } from './jobs.js';
import type { GramAccumulator } from '../train/gram.js';
import type { LeastSquaresFit } from '../train/leastsq.js';
import type { ConstrainedFitModel } from '../io/models.js';

/** Options shared by the submitters. */
export interface ClusterOptions {
  /** Redis URL (`redis://[:password@]host:port`, `rediss://` for TLS). */
  redis: string;
  /** Queue name (default {@link DEFAULT_QUEUE}). */
  queue?: string;
  /** Called as jobs finish: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Milliseconds between status polls (default 100). */
  pollMs?: number;
  /** Attempts per job for errors that are not data errors (default 3). */
  attempts?: number;
}

/** Options of {@link clusterPca} and {@link clusterCovariance}. */
export interface ClusterPcaOptions extends ClusterOptions {
  /** Lines per tile (default 64). */
  tileLines?: number;
  /** Whiten the scores of the model (default false). */
  whiten?: boolean;
  /** ENVI bbl-style mask: one entry per band, 0 = leave the band out. */
  badBands?: number[];
  /** Pixels holding this value in any band are left out. */
  ignoreValue?: number;
  /** Only these lines `[start, end)` of every cube (default all). */
  lines?: [number, number];
}

const KEEP_PARENT = { age: 24 * 3600 };

async function withQueue<T>(options: ClusterOptions, run: (queue: Queue, conn: Redis) => Promise<T>): Promise<T> {
  const conn = await connectRedis(options.redis);
  const queue = new Queue(options.queue ?? DEFAULT_QUEUE, { connection: conn });
  queue.on('error', () => undefined);
  try {
    return await run(queue, conn);
  } finally {
    await queue.close();
    await conn.quit().catch(() => conn.disconnect());
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The reason a failed job failed; for a parent failed by a child, the child's own reason. */
async function failureOf(queue: Queue, job: Job): Promise<string> {
  const m = /child (?:bull:)?[^:\s]*:([^\s]+) failed/.exec(job.failedReason ?? '');
  if (m) {
    const child = await queue.getJob(m[1]);
    if (child?.failedReason) return describeFailure(child);
  }
  return describeFailure(job);
}

/**
 * A failed job in a user's terms: its kind, the file (and line or time range) it worked on, and
 * the worker's reason, e.g. `pca-tile samson.hdr lines 0:64: readEnvi: … must hold …`.
 */
function describeFailure(job: Job): string {
  const d = (job.data ?? {}) as { cube?: unknown; input?: unknown; lines?: unknown; range?: unknown };
  const file = typeof d.cube === 'string' ? d.cube : typeof d.input === 'string' ? d.input : undefined;
  const range = Array.isArray(d.lines) ? ` lines ${d.lines.join(':')}` : '';
  return `${job.name}${file === undefined ? '' : ` ${file}`}${range}: ${job.failedReason ?? 'failed'}`;
}

/** A cluster job that failed on a worker (bad data, a refused path): the submitter's error. */
export class JobFailedError extends FileError {
  constructor(reason: string) {
    super(`cluster: ${reason}`);
    this.name = 'JobFailedError';
  }
}

/** Waits for a flow's parent; reports children done. Returns its return value. */
async function waitForParent(queue: Queue, parentId: string, total: number, options: ClusterOptions): Promise<unknown> {
  const poll = options.pollMs ?? 100;
  let lastDone = -1;
  for (;;) {
    const job = await queue.getJob(parentId);
    if (!job) throw new Error(`cluster: the job ${parentId} is gone from the queue (removed while waiting?)`);
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') {
      // the job was read before its state: read it again for the result or reason of that state
      const done = await queue.getJob(parentId);
      if (!done) throw new Error(`cluster: the job ${parentId} is gone from the queue (removed while waiting?)`);
      if (state === 'failed') throw new JobFailedError(await failureOf(queue, done));
      options.onProgress?.(total, total);
      return done.returnvalue;
    }
    const c = await job.getDependenciesCount({ processed: true });
    const done = c.processed ?? 0;
    if (done !== lastDone) options.onProgress?.(done, total);
    lastDone = done;
    await sleep(poll);
  }
}

function tilesOf(cubes: readonly string[], options: ClusterPcaOptions): { tiles: PcaTilePayload[]; inputs: string[]; wavelengths?: number[]; units?: string } {
  const fn = 'clusterPca';
  if (!Array.isArray(cubes) || cubes.length === 0) throw new ValueError(message(fn, 'cubes must be a non-empty array of ENVI header paths', cubes));
  const tileLines = options.tileLines ?? 64;
  assertInteger(fn, 'options.tileLines', tileLines, 1);
  const tiles: PcaTilePayload[] = [];
  const inputs: string[] = [];
  let bands = -1;
  let wavelengths: number[] | undefined;
  let units: string | undefined;
  for (const c of cubes) {
    const cube = path.resolve(c);
    const h = readEnviHeader(cube);
    if (bands >= 0 && h.bands !== bands) throw new ShapeError(message(fn, `every cube must have the ${bands} bands of ${JSON.stringify(cubes[0])}`, { verbatim: `${h.bands} in ${JSON.stringify(c)}` }));
    if (bands < 0) {
      const r = EnviReader.open(cube);
      if (r.coords) {
        wavelengths = Array.from(r.coords.values);
        units = r.coords.unit;
      }
      r.close();
    }
    bands = h.bands;
    const r = EnviReader.open(cube);
    inputs.push(cube, r.dataPath);
    r.close();
    const [l0, l1] = options.lines ?? [0, h.lines];
    if (!(Number.isInteger(l0) && Number.isInteger(l1) && 0 <= l0 && l0 < l1 && l1 <= h.lines)) throw new ValueError(message(fn, `options.lines must be [start, end) within the ${h.lines} lines of ${JSON.stringify(c)}`, options.lines));
    for (let s = l0; s < l1; s += tileLines) {
      const t: PcaTilePayload = { v: PAYLOAD_VERSION, cube, lines: [s, Math.min(l1, s + tileLines)] };
      if (options.badBands !== undefined) t.badBands = [...options.badBands];
      if (options.ignoreValue !== undefined) t.ignoreValue = options.ignoreValue;
      tiles.push(t);
    }
  }
  return { tiles, inputs, wavelengths, units };
}

/**
 * Adds (unless its parent already exists) and waits for a flow: `tiles` as children of kind
 * `childName`, merged by a parent of kind `parentName` whose payload is `parent(childIds)`.
 * Returns the parent's result field `field`, decoded from base64.
 */
async function runFlow(parentName: 'pca-merge' | 'gram-merge', childName: 'pca-tile' | 'gram-tile', tiles: object[], parentKey: object, parent: (childIds: string[]) => object, inputs: string[], field: 'model' | 'partial', options: ClusterOptions): Promise<Uint8Array> {
  const parentId = jobId(parentName, { tiles, ...parentKey }, inputs);
  const childIds = tiles.map((t) => jobId(childName, { ...t, parent: parentId }, inputs));
  const merge = parent(childIds);
  const childOpts: JobsOptions = { attempts: options.attempts ?? 3, backoff: { type: 'fixed', delay: 500 }, failParentOnFailure: true, removeOnComplete: true, removeOnFail: KEEP_PARENT };
  const result = await withQueue(options, async (queue, conn) => {
    if (!(await queue.getJob(parentId))) {
      const flow = new FlowProducer({ connection: conn });
      flow.on('error', () => undefined);
      try {
        await flow.add({
          name: parentName, queueName: queue.name, data: merge, opts: { jobId: parentId, attempts: options.attempts ?? 3, removeOnComplete: KEEP_PARENT, removeOnFail: KEEP_PARENT },
          children: tiles.map((t, i) => ({ name: childName, queueName: queue.name, data: t, opts: { ...childOpts, jobId: childIds[i] } })),
        });
      } finally {
        await flow.close();
      }
    }
    return (await waitForParent(queue, parentId, tiles.length, options)) as { model?: string; partial?: string };
  });
  const text = result?.[field];
  if (typeof text !== 'string') throw new Error(`cluster: the merge job ${parentId} returned no ${field}`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

async function runPcaFlow(cubes: readonly string[], k: number, options: ClusterPcaOptions): Promise<Uint8Array> {
  const { tiles, inputs, wavelengths, units } = tilesOf(cubes, options);
  const whiten = options.whiten ?? false;
  const parent = (ids: string[]) => {
    const merge: PcaMergePayload = { v: PAYLOAD_VERSION, tiles: ids, k, whiten };
    if (wavelengths) merge.wavelengths = wavelengths;
    if (units) merge.units = units;
    return merge;
  };
  return runFlow('pca-merge', 'pca-tile', tiles, { k, whiten }, parent, inputs, k === 0 ? 'partial' : 'model', options);
}

/** One input/target pair of {@link clusterLeastSquares}: `.wav` or `.npy` files, optionally a frame range. */
export interface GramPair {
  input: string;
  target: string;
  /** First frame (column), default 0. */
  start?: number;
  /** End frame (exclusive), default the end. */
  end?: number;
}

/** Options of {@link clusterLeastSquares} and {@link clusterGram}. */
export interface ClusterFitOptions extends ClusterOptions {
  ridge?: number;
  bias?: boolean;
  /** A saved linear-constraints model (.npz, `saveModel(path, constraints)`): fit a constrained mixer instead. */
  constraints?: string;
  nonFinite?: 'throw' | 'skip';
}

function gramTiles(pairs: readonly GramPair[], options: ClusterFitOptions): { tiles: GramTilePayload[]; inputs: string[] } {
  if (!Array.isArray(pairs) || pairs.length === 0) throw new ValueError(message('clusterLeastSquares', 'pairs must be a non-empty array of { input, target }', pairs));
  const inputs: string[] = [];
  const tiles = pairs.map((pr) => {
    const t: GramTilePayload = { v: PAYLOAD_VERSION, input: path.resolve(pr.input), target: path.resolve(pr.target) };
    if (pr.start !== undefined || pr.end !== undefined) {
      if (pr.end === undefined) throw new ValueError(message('clusterLeastSquares', 'a pair with start must give end too', pr));
      t.frames = [pr.start ?? 0, pr.end];
    }
    if (options.nonFinite !== undefined) t.nonFinite = options.nonFinite;
    inputs.push(t.input, t.target);
    return t;
  });
  return { tiles, inputs };
}

async function runGramFlow(pairs: readonly GramPair[], fit: GramMergePayload['fit'], options: ClusterFitOptions): Promise<Uint8Array> {
  const { tiles, inputs } = gramTiles(pairs, options);
  const key: Omit<GramMergePayload, 'v' | 'tiles'> = { fit };
  if (options.ridge !== undefined) key.ridge = options.ridge;
  if (options.bias !== undefined) key.bias = options.bias;
  if (options.constraints !== undefined) {
    key.constraints = path.resolve(options.constraints);
    inputs.push(key.constraints);
  }
  return runFlow('gram-merge', 'gram-tile', tiles, key, (ids) => ({ v: PAYLOAD_VERSION, tiles: ids, ...key }), inputs, fit === 'partial' ? 'partial' : 'model', options);
}

/**
 * Fits the least-squares 1×1 mix `y ≈ W x + b` over many input/target file pairs on the cluster
 * (one `gram-tile` job per pair or frame range, merged and solved by a `gram-merge` parent), or,
 * with `options.constraints`, the constrained mixer (`fitConstrainedMixerFromGram`). Equals
 * `fitLeastSquares` on the concatenated samples to rounding.
 * @throws Error with the failing pair's reason; as {@link connectRedis}.
 * @example const fit = await clusterLeastSquares([{ input: '/data/x0.wav', target: '/data/y0.wav' }], { redis });
 */
export async function clusterLeastSquares(pairs: readonly GramPair[], options: ClusterFitOptions): Promise<LeastSquaresFit | ConstrainedFitModel> {
  const bytes = await runGramFlow(pairs, options.constraints !== undefined ? 'constrained' : 'least-squares', options);
  return decodeModel(bytes, { kind: ['least-squares-fit', 'constrained-fit'] }).model as LeastSquaresFit | ConstrainedFitModel;
}

/**
 * The merged Gram sums ({@link GramAccumulator}) of many input/target pairs, computed on the cluster.
 * @example const acc = await clusterGram(pairs, { redis }); savePartial('gram.npz', acc);
 */
export async function clusterGram(pairs: readonly GramPair[], options: ClusterFitOptions): Promise<GramAccumulator> {
  const bytes = await runGramFlow(pairs, 'partial', options);
  return decodeModel(bytes, { kind: 'gram-partial' }).model as GramAccumulator;
}

/**
 * PCA of one or more ENVI cubes (same bands; their pixels pooled into one model) on the cluster:
 * the cubes are split into tiles of `tileLines` lines, each tile's covariance sums are computed by a
 * worker (`pca-tile` jobs), and a parent job (`pca-merge`, a BullMQ flow) merges them in tile order
 * and solves for `k` components. Signs follow `'max-loading'` (the streaming convention, see
 * `pcaFromAccumulator`); the model equals `pca(cube, k, { signs: 'max-loading' })` of the pooled
 * pixels to rounding (~1e-13 relative).
 * Workers must see the cubes at the same absolute paths (shared storage).
 * @throws ShapeError for cubes with different band counts; Error with the failing tile's reason
 *   when a tile fails (e.g. a corrupt or refused file); as {@link connectRedis} for Redis problems.
 * @example const model = await clusterPca(['/data/a.hdr', '/data/b.hdr'], 10, { redis: 'redis://10.0.0.5:6379' });
 */
export async function clusterPca(cubes: readonly string[], k: number, options: ClusterPcaOptions): Promise<PcaModel> {
  assertInteger('clusterPca', 'k', k, 1);
  const bytes = await runPcaFlow(cubes, k, options);
  return decodeModel(bytes, { kind: 'pca' }).model as PcaModel;
}

/**
 * The merged covariance sums ({@link CovarianceAccumulator}) of the cubes' tiles, computed on the
 * cluster as in {@link clusterPca} without the solve — save it with `savePartial`, merge it with
 * other partials, fit with `pcaFromAccumulator`.
 * @example const acc = await clusterCovariance(['/data/a.hdr'], { redis });
 */
export async function clusterCovariance(cubes: readonly string[], options: ClusterPcaOptions): Promise<CovarianceAccumulator> {
  const bytes = await runPcaFlow(cubes, 0, options);
  return decodeModel(bytes, { kind: 'covariance-partial' }).model as CovarianceAccumulator;
}

async function runFileJobs<P extends object>(name: 'beamform-file' | 'convolve-file', payloads: P[], inputs: (p: P) => string[], options: ClusterOptions): Promise<string[]> {
  const ids = payloads.map((p) => jobId(name, p, inputs(p)));
  const opts: JobsOptions = { attempts: options.attempts ?? 3, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: KEEP_PARENT, removeOnFail: KEEP_PARENT };
  return withQueue(options, async (queue) => {
    await queue.addBulk(payloads.map((p, i) => ({ name, data: p, opts: { ...opts, jobId: ids[i] } })));
    const poll = options.pollMs ?? 100;
    const done = new Set<string>();
    let last = -1;
    while (done.size < ids.length) {
      for (const id of ids) {
        if (done.has(id)) continue;
        const job = await queue.getJob(id);
        if (!job) throw new Error(`cluster: the job ${id} is gone from the queue`);
        const state = await job.getState();
        if (state === 'completed') done.add(id);
        else if (state === 'failed') {
          const failed = (await queue.getJob(id)) ?? job;
          throw new JobFailedError(describeFailure(failed));
        }
      }
      if (done.size !== last) options.onProgress?.(done.size, ids.length);
      last = done.size;
      if (done.size < ids.length) await sleep(poll);
    }
    return payloads.map((p) => (p as { output: string }).output);
  });
}

/** One beamforming request of {@link clusterBeamform}: the fields of `pointwise beamform`. */
export interface BeamformJob {
  input: string;
  output: string;
  geometry: string;
  direction?: number[];
  point?: number[];
  source?: string;
  method?: string;
  /** Output WAV format (default 'float32', as the CLI). */
  format?: string;
  speedOfSound?: number;
  /** Only frames from `start` to `end` of the input (frames as digits, or times: '10s', '250ms'); one job per range. */
  start?: string;
  end?: string;
}

/**
 * Beamforms many WAV files on the cluster, one job per file; each worker runs what
 * `pointwise beamform` runs, so the outputs are bit-identical to the single-process CLI's. Returns
 * the output paths (absolute) once every job has finished.
 * @throws Error with the failing file's reason (the first failure ends the wait).
 * @example await clusterBeamform(files.map((f) => ({ input: f, output: f.replace('.wav', '.beam.wav'), geometry: 'g.json', direction: [30] })), { redis });
 */
export async function clusterBeamform(jobs: readonly BeamformJob[], options: ClusterOptions): Promise<string[]> {
  if (!Array.isArray(jobs) || jobs.length === 0) throw new ValueError(message('clusterBeamform', 'jobs must be a non-empty array', jobs));
  const payloads = jobs.map((j) => {
    const p: BeamformPayload = { v: PAYLOAD_VERSION, input: path.resolve(j.input), output: path.resolve(j.output), geometry: path.resolve(j.geometry), format: j.format ?? 'float32' };
    for (const key of ['direction', 'point', 'source', 'method', 'speedOfSound', 'start', 'end'] as const) if (j[key] !== undefined) (p as unknown as Record<string, unknown>)[key] = j[key];
    return p;
  });
  return runFileJobs('beamform-file', payloads, (p) => [p.input, p.geometry], options);
}

/** One convolution request of {@link clusterConvolve}. */
export interface ConvolveJob {
  input: string;
  kernel: string;
  output: string;
  /** Output WAV format (default 'float32', as the CLI). */
  format?: string;
  normalize?: 'none' | 'peak' | 'kernel';
  precision?: 'float32' | 'float64';
}

/**
 * Convolves many WAV files with impulse responses on the cluster, one job per file, each running
 * `convolveWavFiles` (streamed, atomic output). Returns the output paths once every job has finished.
 * @throws Error with the failing file's reason.
 * @example await clusterConvolve(files.map((f) => ({ input: f, kernel: 'room.wav', output: `${f}.wet.wav` })), { redis });
 */
export async function clusterConvolve(jobs: readonly ConvolveJob[], options: ClusterOptions): Promise<string[]> {
  if (!Array.isArray(jobs) || jobs.length === 0) throw new ValueError(message('clusterConvolve', 'jobs must be a non-empty array', jobs));
  const payloads = jobs.map((j) => {
    const p: ConvolvePayload = { v: PAYLOAD_VERSION, input: path.resolve(j.input), kernel: path.resolve(j.kernel), output: path.resolve(j.output), format: j.format ?? 'float32' };
    if (j.normalize !== undefined) p.normalize = j.normalize;
    if (j.precision !== undefined) p.precision = j.precision;
    return p;
  });
  return runFileJobs('convolve-file', payloads, (p) => [p.input, p.kernel], options);
}
