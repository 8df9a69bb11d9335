/**
 * The cluster's vocabulary: the queue, the job kinds, their payloads and the checks a worker makes
 * before it touches anything. A payload is plain JSON holding paths, ranges and options — never
 * sample arrays, never code; it is checked field by field against its kind's schema, and every path
 * in it must resolve (through symlinks, by realpath) to a place under one of the worker's roots.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { ValueError, message } from '../core/errors.js';

/** The default BullMQ queue name of `pointwise worker` and the submitters. */
export const DEFAULT_QUEUE = 'pointwise';

/** Payload schema version; a worker refuses other versions. */
export const PAYLOAD_VERSION = 1;

/** The job kinds a worker runs. */
export const JOB_KINDS = ['pca-tile', 'pca-merge', 'gram-tile', 'gram-merge', 'beamform-file', 'convolve-file'] as const;
/** The kind of a cluster job: one of the names in `JOB_KINDS` (src/cluster/jobs.ts). */
export type JobKind = (typeof JOB_KINDS)[number];

/** `pca-tile`: the covariance sums ({@link CovarianceAccumulator}) of lines `[start, end)` of one ENVI cube. */
export interface PcaTilePayload {
  v: number;
  /** Absolute path of the ENVI header. */
  cube: string;
  /** Lines `[start, end)`. */
  lines: [number, number];
  /** Bands to leave out (ENVI bbl form: one entry per band, 0 = bad), optional. */
  badBands?: number[];
  /** Pixels holding this value in any band are left out, optional. */
  ignoreValue?: number;
}

/** `pca-merge`: merges its children's partials in the order of `tiles` and fits (or returns the merged partial). */
export interface PcaMergePayload {
  v: number;
  /** The children's job ids, in merge order. */
  tiles: string[];
  /** Components to keep; 0 returns the merged partial instead of a model. */
  k: number;
  whiten: boolean;
  /** Stored with the model: the cube's wavelengths and their units. */
  wavelengths?: number[];
  units?: string;
}

/**
 * `gram-tile`: the Gram sums ({@link GramAccumulator}) of one input/target pair — `.wav` (frames
 * `[start, end)`, only those bytes read) or `.npy` `[C, T]` (columns `[start, end)`).
 */
export interface GramTilePayload {
  v: number;
  input: string;
  target: string;
  /** Frames (samples, columns) `[start, end)`; default all. */
  frames?: [number, number];
  nonFinite?: 'throw' | 'skip';
}

/** `gram-merge`: merges its children's Gram sums in the order of `tiles` and fits. */
export interface GramMergePayload {
  v: number;
  tiles: string[];
  /** 'least-squares', 'constrained' (with `constraints`, a saved linear-constraints .npz) or 'partial' (the merged sums). */
  fit: 'least-squares' | 'constrained' | 'partial';
  ridge?: number;
  bias?: boolean;
  constraints?: string;
}

/** `beamform-file`: delay-and-sum of one WAV file, exactly as `pointwise beamform` does it. */
export interface BeamformPayload {
  v: number;
  input: string;
  output: string;
  geometry: string;
  direction?: number[];
  point?: number[];
  source?: string;
  method?: string;
  format: string;
  speedOfSound?: number;
  /** Only frames from `start` to `end` (frames as digits, or times such as '10s'). */
  start?: string;
  end?: string;
}

/** `convolve-file`: the streamed full convolution of one WAV file with an impulse-response WAV. */
export interface ConvolvePayload {
  v: number;
  input: string;
  kernel: string;
  output: string;
  format?: string;
  normalize?: 'none' | 'peak' | 'kernel';
  precision?: 'float32' | 'float64';
}

/** The payload type of each job kind. */
export interface JobPayloads {
  'pca-tile': PcaTilePayload;
  'pca-merge': PcaMergePayload;
  'gram-tile': GramTilePayload;
  'gram-merge': GramMergePayload;
  'beamform-file': BeamformPayload;
  'convolve-file': ConvolvePayload;
}

/** A refused job: unknown kind, malformed payload, or a path outside the worker's roots. */
export class JobRefusedError extends ValueError {
  constructor(msg: string) {
    super(msg);
    this.name = 'JobRefusedError';
  }
}

type FieldType = 'path' | 'output' | 'int' | 'number' | 'string' | 'boolean' | 'numbers' | 'range' | 'ids';
type Schema = Record<string, { type: FieldType; optional?: boolean; oneOf?: readonly string[] }>;

const SCHEMAS: { [K in JobKind]: Schema } = {
  'pca-tile': { v: { type: 'int' }, cube: { type: 'path' }, lines: { type: 'range' }, badBands: { type: 'numbers', optional: true }, ignoreValue: { type: 'number', optional: true } },
  'pca-merge': { v: { type: 'int' }, tiles: { type: 'ids' }, k: { type: 'int' }, whiten: { type: 'boolean' }, wavelengths: { type: 'numbers', optional: true }, units: { type: 'string', optional: true } },
  'gram-tile': { v: { type: 'int' }, input: { type: 'path' }, target: { type: 'path' }, frames: { type: 'range', optional: true }, nonFinite: { type: 'string', optional: true, oneOf: ['throw', 'skip'] } },
  'gram-merge': {
    v: { type: 'int' }, tiles: { type: 'ids' }, fit: { type: 'string', oneOf: ['least-squares', 'constrained', 'partial'] }, ridge: { type: 'number', optional: true }, bias: { type: 'boolean', optional: true },
    constraints: { type: 'path', optional: true },
  },
  'beamform-file': {
    v: { type: 'int' }, input: { type: 'path' }, output: { type: 'output' }, geometry: { type: 'path' }, direction: { type: 'numbers', optional: true }, point: { type: 'numbers', optional: true },
    source: { type: 'string', optional: true }, method: { type: 'string', optional: true }, format: { type: 'string' }, speedOfSound: { type: 'number', optional: true },
    start: { type: 'string', optional: true }, end: { type: 'string', optional: true },
  },
  'convolve-file': {
    v: { type: 'int' }, input: { type: 'path' }, kernel: { type: 'path' }, output: { type: 'output' }, format: { type: 'string', optional: true },
    normalize: { type: 'string', optional: true, oneOf: ['none', 'peak', 'kernel'] }, precision: { type: 'string', optional: true, oneOf: ['float32', 'float64'] },
  },
};

/** The roots' real paths (symlinks resolved). @throws ValueError when a root is missing or not a folder. */
export function resolveRoots(roots: readonly string[]): string[] {
  const fn = 'startWorker';
  if (!Array.isArray(roots) || roots.length === 0) throw new ValueError(message(fn, 'roots must name at least one folder the worker may read and write under', roots));
  return roots.map((r) => {
    let real: string;
    try {
      real = fs.realpathSync(r);
    } catch {
      throw new ValueError(message(fn, 'every root must be an existing folder', r));
    }
    if (!fs.statSync(real).isDirectory()) throw new ValueError(message(fn, 'every root must be a folder', r));
    return real;
  });
}

function under(real: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const rel = path.relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/**
 * Checks that `p` is an absolute path whose real path (symlinks resolved) lies under one of `roots`.
 * For an output (`exists: false`), the real path of its folder must lie under a root, and the file,
 * if it exists, must resolve there too. Returns the real path.
 * @throws JobRefusedError naming the path and the roots.
 */
export function checkPathUnderRoots(kind: string, field: string, p: string, roots: readonly string[], output = false): string {
  const refuse = (why: string) => new JobRefusedError(`pointwise worker: job ${kind}: ${field} ${JSON.stringify(p)} ${why} (roots: ${roots.map((r) => JSON.stringify(r)).join(', ')})`);
  if (!path.isAbsolute(p)) throw refuse('must be an absolute path');
  let real: string;
  try {
    if (output) {
      const dir = fs.realpathSync(path.dirname(p));
      real = path.join(dir, path.basename(p));
      let link = false;
      try {
        link = fs.lstatSync(real).isSymbolicLink();
      } catch {
        /* a new file */
      }
      if (link) real = fs.realpathSync(real);
    } else real = fs.realpathSync(p);
  } catch {
    throw refuse(output ? 'must be in an existing folder' : 'must exist');
  }
  if (!under(real, roots)) throw refuse(real === p ? 'is outside the worker\u2019s roots' : `resolves to ${JSON.stringify(real)}, outside the worker\u2019s roots`);
  return real;
}

/**
 * Validates a job before anything runs: the kind must be known, the payload must match its schema
 * exactly (no extra fields, right types, version {@link PAYLOAD_VERSION}), and every path must lie
 * under `roots` (see {@link checkPathUnderRoots}). Returns the payload with paths replaced by their
 * real paths.
 * @throws JobRefusedError with a message naming the job kind and what is wrong.
 */
export function validateJob<K extends JobKind>(kind: string, data: unknown, roots: readonly string[]): { kind: K; payload: JobPayloads[K] } {
  if (!(JOB_KINDS as readonly string[]).includes(kind)) throw new JobRefusedError(`pointwise worker: unknown job kind ${JSON.stringify(kind)} (known: ${JOB_KINDS.join(', ')})`);
  const schema = SCHEMAS[kind as JobKind];
  const bad = (why: string) => new JobRefusedError(`pointwise worker: job ${kind}: ${why}`);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw bad('the payload must be a JSON object');
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!(key in schema)) throw bad(`unexpected field ${JSON.stringify(key)}`);
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const v = obj[key];
    if (v === undefined) {
      if (spec.optional) continue;
      throw bad(`missing field ${JSON.stringify(key)}`);
    }
    const isNum = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
    switch (spec.type) {
      case 'path':
      case 'output':
        if (typeof v !== 'string' || v.length === 0 || v.length > 4096 || v.includes('\0')) throw bad(`${key} must be a path string`);
        out[key] = checkPathUnderRoots(kind, key, v, roots, spec.type === 'output');
        continue;
      case 'int':
        if (!Number.isSafeInteger(v) || (v as number) < 0) throw bad(`${key} must be a non-negative integer`);
        break;
      case 'number':
        if (!isNum(v)) throw bad(`${key} must be a finite number`);
        break;
      case 'string':
        if (typeof v !== 'string' || v.length > 1024) throw bad(`${key} must be a string`);
        if (spec.oneOf && !spec.oneOf.includes(v)) throw bad(`${key} must be one of ${spec.oneOf.join(', ')}`);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') throw bad(`${key} must be true or false`);
        break;
      case 'numbers':
        if (!Array.isArray(v) || !v.every(isNum)) throw bad(`${key} must be an array of finite numbers`);
        break;
      case 'range':
        if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isSafeInteger(x) && x >= 0) || !(v[1] > v[0])) throw bad(`${key} must be [start, end) with integers 0 ≤ start < end`);
        break;
      case 'ids':
        if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(x))) throw bad(`${key} must be a non-empty array of job ids`);
        break;
    }
    out[key] = v;
  }
  if (out.v !== PAYLOAD_VERSION) throw bad(`payload version must be ${PAYLOAD_VERSION}; got ${JSON.stringify(out.v)}`);
  return { kind: kind as K, payload: out as unknown as JobPayloads[K] };
}

/**
 * A job id derived from the job's kind, its payload and the identity (size, modification time) of
 * its input files: the same request gives the same id, so a restarted submitter finds the jobs of
 * its first run instead of adding new ones, and a changed input gets new ids.
 */
export function jobId(kind: JobKind, payload: object, inputs: readonly string[] = []): string {
  const ident = inputs.map((p) => {
    try {
      const st = fs.statSync(p);
      return [path.resolve(p), st.size, st.mtimeMs];
    } catch {
      return [path.resolve(p)];
    }
  });
  const h = createHash('sha256').update(JSON.stringify([kind, payload, ident])).digest('hex').slice(0, 32);
  return `${kind}-${h}`;
}
