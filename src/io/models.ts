/**
 * Fitted things as files, and partial results that merge exactly.
 *
 * A model file is a NumPy `.npz` ({@link encodeNpz}): every array of the model is a float64 `.npy`
 * entry (`numpy.load('model.npz')['components']` opens it in Python), and a `metadata.json` entry
 * says what the file is:
 * `{ format: 'pointwise-model', formatVersion, kind, packageVersion, fields, arrays, labels?,
 * wavelengths?, units?, description? }` — `fields` holds the model's scalars and options, `arrays`
 * the dtype, shape and SHA-256 of every array entry; `metadata.sha256` holds the SHA-256 of
 * `metadata.json`. Numbers that JSON cannot hold exactly (NaN, ±Infinity, −0) are written as the
 * strings `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"`; every other double is written in its
 * shortest round-trip form, so float64 values round-trip bit for bit and a loaded model gives
 * bit-identical outputs.
 *
 * Reading checks everything before it builds anything: the format name, the version (a newer one is
 * refused), the kind, both checksums, every array's presence, dtype and shape; then the model is
 * built by its own constructor, and any complaint on the way is a {@link FormatError} naming the
 * file — never a half-built model. Sizes are checked before memory is taken (see {@link NpzReadOptions}).
 * Writes are atomic (src/io/atomic.ts).
 *
 * Kinds: `pca` ({@link PcaModel}), `projection` ({@link ProjectionModel}), `pointwise-mixer`,
 * `residual-mixer`, `orthogonal-mixer`, `grouped-mixer` ({@link GroupedMixerModel}),
 * `least-squares-fit` ({@link LeastSquaresFit}), `constrained-fit` ({@link ConstrainedFit}),
 * `column-stochastic-fit` ({@link StochasticFit}), `constrained-mixer` ({@link ConstrainedMixer}),
 * `linear-constraints`, `array-geometry`, and the partial results `covariance-partial`
 * ({@link CovarianceAccumulator}) and `gram-partial` ({@link GramAccumulator}).
 * @module
 */
import { createHash } from 'node:crypto';
import { ArgumentTypeError, FormatError, ShapeError, ValueError, isPointwiseError, message } from '../core/errors.js';
import { PcaModel } from '../spectral/pca.js';
import { ProjectionModel, type ProjectionKind } from '../spectral/projection.js';
import { CovarianceAccumulator } from '../spectral/covariance.js';
import { PointwiseMixer } from '../mixing/mixer.js';
import { OrthogonalMixer, ResidualMixer } from '../mixing/families.js';
import { LinearConstraints, type RankDeficientPolicy } from '../constrained/constraints.js';
import { ConstrainedMixer } from '../constrained/trainable.js';
import type { ConstrainedFit } from '../constrained/fit.js';
import type { StochasticFit } from '../constrained/stochastic.js';
import type { LeastSquaresFit } from '../train/leastsq.js';
import { GramAccumulator } from '../train/gram.js';
import { ArrayGeometry } from '../beamform/geometry.js';
import { decodeNpz, encodeNpz, readBounded, type NpzArray, type NpzReadOptions } from './npz.js';
import { writeFileAtomicChecked } from './atomic.js';

/** The format version this package writes (and the newest it reads). */
export const MODEL_FORMAT_VERSION = 1;
const FORMAT_NAME = 'pointwise-model';
const META = 'metadata.json';
const META_SUM = 'metadata.sha256';
const DEFAULT_MAX_BYTES = 2 ** 30;

/** What a model file holds. */
export type ModelKind =
  | 'pca' | 'projection' | 'pointwise-mixer' | 'residual-mixer' | 'orthogonal-mixer' | 'grouped-mixer'
  | 'least-squares-fit' | 'constrained-fit' | 'column-stochastic-fit' | 'constrained-mixer'
  | 'linear-constraints' | 'array-geometry' | 'covariance-partial' | 'gram-partial';

const KINDS: readonly ModelKind[] = [
  'pca', 'projection', 'pointwise-mixer', 'residual-mixer', 'orthogonal-mixer', 'grouped-mixer',
  'least-squares-fit', 'constrained-fit', 'column-stochastic-fit', 'constrained-mixer',
  'linear-constraints', 'array-geometry', 'covariance-partial', 'gram-partial',
];

/**
 * A grouped 1×1 mixer (see `groupedMix`): compact weights `outChannels × (inChannels/groups)`
 * row-major (torch's layout), `groups` dividing both channel counts, and an optional bias.
 * Apply it with `groupedMix(x, { data: m.weights, rows: m.outChannels, cols: m.inChannels / m.groups }, m.groups, m.bias)`.
 */
export interface GroupedMixerModel {
  weights: Float64Array;
  outChannels: number;
  inChannels: number;
  groups: number;
  bias?: Float64Array;
}

/** A constrained fit as loaded: the fit, with its constraints when they were saved with it. */
export type ConstrainedFitModel = ConstrainedFit & { constraints?: LinearConstraints };
/** A column-stochastic fit as loaded. */
export type StochasticFitModel = StochasticFit;

/** The class or object each kind loads as (`loadModel(path, { kind: 'pca' })` is a PcaModel). */
export interface ModelKinds {
  pca: PcaModel;
  projection: ProjectionModel;
  'pointwise-mixer': PointwiseMixer;
  'residual-mixer': ResidualMixer;
  'orthogonal-mixer': OrthogonalMixer;
  'grouped-mixer': GroupedMixerModel;
  'least-squares-fit': LeastSquaresFit;
  'constrained-fit': ConstrainedFitModel;
  'column-stochastic-fit': StochasticFitModel;
  'constrained-mixer': ConstrainedMixer;
  'linear-constraints': LinearConstraints;
  'array-geometry': ArrayGeometry;
  'covariance-partial': CovarianceAccumulator;
  'gram-partial': GramAccumulator;
}

/** Everything {@link saveModel} writes and {@link loadModel} returns. */
export type SavedModel =
  | PcaModel | ProjectionModel | PointwiseMixer | ResidualMixer | OrthogonalMixer | GroupedMixerModel
  | LeastSquaresFit | ConstrainedFitModel | StochasticFitModel | ConstrainedMixer | LinearConstraints
  | ArrayGeometry | CovarianceAccumulator | GramAccumulator;

/** A mergeable partial result. */
export type PartialResult = CovarianceAccumulator | GramAccumulator;

/** Descriptive metadata stored with a model (all optional). */
export interface ModelDescription {
  /** Names of the model's channels or components (e.g. band names, class names). */
  labels?: string[];
  /** Channel coordinates, e.g. the band centres of a spectral model (in `units`). */
  wavelengths?: number[];
  /** Units of `wavelengths` (e.g. 'nm'). */
  units?: string;
  /** Free text. */
  description?: string;
}

/** Options of {@link saveModel}. */
export interface SaveModelOptions extends ModelDescription {
  /**
   * The kind, for plain fit results whose kind cannot be told from their fields alone (detected
   * otherwise: `groups` → grouped-mixer, `columnSumError` → column-stochastic-fit, `method` and
   * `violation` → constrained-fit, `conditionNumber` → least-squares-fit).
   */
  kind?: ModelKind;
  /** The constraints of a constrained fit, saved with it (loaded back as `fit.constraints`). */
  constraints?: LinearConstraints;
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions extends NpzReadOptions {
  /** The kinds accepted (default any): another kind is a FormatError. */
  kind?: ModelKind | readonly ModelKind[];
}

/** The metadata of a model file, as {@link loadModelWithMetadata} returns it. */
export interface ModelMetadata extends ModelDescription {
  kind: ModelKind;
  formatVersion: number;
  /** The pointwise version that wrote the file. */
  packageVersion: string;
}

// ---------------------------------------------------------------------------------------------
// JSON values that keep every double

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A double as JSON: finite non-negative-zero numbers as numbers (shortest round-trip form), the rest as strings. */
function num(x: number): Json {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return x;
}

function numList(a: ArrayLike<number>): Json[] {
  return Array.from(a, num);
}

function packageVersion(): string {
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      // src/io/models.ts and dist/src/io/models.js sit two and three levels below the package root.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'pointwise' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      /* try the next level */
    }
  }
  return '0.0.0';
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The checksum of an array: SHA-256 over its dtype, shape and little-endian samples. */
function arraySum(a: NpzArray): string {
  const h = createHash('sha256');
  h.update(`${a.data instanceof Float32Array ? '<f4' : '<f8'} (${a.shape.join(',')})\n`);
  h.update(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  return h.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A model taken apart: its kind, arrays and JSON fields. */
interface Parts {
  kind: ModelKind;
  arrays: Record<string, NpzArray>;
  fields: Record<string, Json>;
}

function vec(a: ArrayLike<number>): NpzArray {
  return { data: Float64Array.from(a), shape: [a.length] };
}

function mat(a: ArrayLike<number>, rows: number, cols: number): NpzArray {
  return { data: Float64Array.from(a), shape: [rows, cols] };
}

function constraintParts(c: LinearConstraints, prefix: string, arrays: Record<string, NpzArray>): Json {
  const { rows: r, generalRows: q, outChannels: cout, inChannels: cin } = c;
  if (r > 0) {
    arrays[`${prefix}A`] = mat(c.A, r, cout);
    arrays[`${prefix}B`] = mat(c.B, r, cin);
    arrays[`${prefix}biasTarget`] = vec(c.biasTarget);
  }
  if (q > 0) {
    arrays[`${prefix}C`] = mat(c.C, q, cout * cin);
    arrays[`${prefix}d`] = vec(c.d);
  }
  return {
    outChannels: cout, inChannels: cin, rows: r, generalRows: q, names: [...c.names], generalNames: [...c.generalNames], dropped: [...c.dropped],
    options: { rankTolerance: num(c.options.rankTolerance), consistencyTolerance: num(c.options.consistencyTolerance), onRankDeficient: c.options.onRankDeficient },
  };
}

function covarianceParts(acc: CovarianceAccumulator, arrays: Record<string, NpzArray>, prefix = ''): Json {
  const U = acc.used.length;
  arrays[`${prefix}sum`] = vec(acc.sum);
  arrays[`${prefix}gram`] = mat(acc.gram, U, U);
  if (acc.shift) arrays[`${prefix}shift`] = vec(acc.shift);
  return { bands: acc.bands, count: acc.count, scale: num(acc.scale), ignoreValue: acc.ignoreValue === undefined ? null : num(acc.ignoreValue) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function detectKind(fn: string, model: unknown): ModelKind {
  if (model instanceof PcaModel) return 'pca';
  if (model instanceof ProjectionModel) return 'projection';
  if (model instanceof ResidualMixer) return 'residual-mixer';
  if (model instanceof PointwiseMixer) return 'pointwise-mixer';
  if (model instanceof OrthogonalMixer) return 'orthogonal-mixer';
  if (model instanceof ConstrainedMixer) return 'constrained-mixer';
  if (model instanceof LinearConstraints) return 'linear-constraints';
  if (model instanceof ArrayGeometry) return 'array-geometry';
  if (model instanceof CovarianceAccumulator) return 'covariance-partial';
  if (model instanceof GramAccumulator) return 'gram-partial';
  if (isObject(model) && model.weights instanceof Float64Array) {
    if ('groups' in model) return 'grouped-mixer';
    if ('columnSumError' in model) return 'column-stochastic-fit';
    if ('method' in model && 'violation' in model) return 'constrained-fit';
    if ('conditionNumber' in model) return 'least-squares-fit';
  }
  throw new ArgumentTypeError(message(fn, 'model must be a fitted pointwise model (PcaModel, ProjectionModel, a mixer, a fit result, LinearConstraints, ArrayGeometry or an accumulator)', model));
}

function checkSize(fn: string, name: string, a: ArrayLike<number> | undefined, n: number): void {
  if (a === undefined || typeof a.length !== 'number' || a.length !== n) throw new ShapeError(message(fn, `${name} must hold ${n} numbers`, a === undefined ? undefined : a.length));
}

function toParts(fn: string, model: unknown, options: SaveModelOptions): Parts {
  const kind = options.kind ?? detectKind(fn, model);
  if (!KINDS.includes(kind)) throw new ValueError(message(fn, `options.kind must be one of ${KINDS.join(', ')}`, kind));
  const arrays: Record<string, NpzArray> = {};
  const fields: Record<string, Json> = {};
  const m = model as Record<string, unknown>;
  switch (kind) {
    case 'pca': {
      if (!(model instanceof PcaModel)) break;
      arrays.components = mat(model.components, model.k, model.bands);
      arrays.explainedVariance = vec(model.explainedVariance);
      arrays.mean = vec(model.mean);
      arrays.usedBands = vec(model.usedBands);
      Object.assign(fields, { k: model.k, bands: model.bands, totalVariance: num(model.totalVariance), noiseVariance: num(model.noiseVariance), nSamples: model.nSamples, whiten: model.whiten, ignoreValue: model.ignoreValue === undefined ? null : num(model.ignoreValue) });
      return { kind, arrays, fields };
    }
    case 'projection': {
      if (!(model instanceof ProjectionModel)) break;
      arrays.weights = mat(model.weights, model.k, model.bands);
      arrays.bias = vec(model.bias);
      arrays.lossHistory = vec(model.lossHistory);
      if (model.decoder) {
        arrays['decoder.weights'] = mat(model.decoder.weights, model.bands, model.k);
        arrays['decoder.bias'] = vec(model.decoder.bias);
      }
      if (model.head) {
        arrays['head.weights'] = mat(model.head.weights, model.head.outChannels, model.k);
        arrays['head.bias'] = vec(model.head.bias);
      }
      Object.assign(fields, { projectionKind: model.kind, k: model.k, bands: model.bands, fitSeconds: num(model.fitSeconds), ignoreValue: model.ignoreValue === undefined ? null : num(model.ignoreValue), headOutChannels: model.head ? model.head.outChannels : null });
      return { kind, arrays, fields };
    }
    case 'pointwise-mixer':
    case 'residual-mixer': {
      if (!(model instanceof PointwiseMixer) || (kind === 'residual-mixer') !== model instanceof ResidualMixer) break;
      arrays.weights = mat(model.weights, model.outChannels, model.inChannels);
      if (model.hasBias) arrays.bias = vec(model.bias);
      Object.assign(fields, { outChannels: model.outChannels, inChannels: model.inChannels, hasBias: model.hasBias });
      return { kind, arrays, fields };
    }
    case 'orthogonal-mixer': {
      if (!(model instanceof OrthogonalMixer)) break;
      arrays.params = vec(model.params);
      arrays.weights = mat(model.weights, model.channels, model.channels); // for numpy readers; the params are what load uses
      fields.channels = model.channels;
      return { kind, arrays, fields };
    }
    case 'grouped-mixer': {
      const g = model as GroupedMixerModel;
      if (!isObject(model) || !(g.weights instanceof Float64Array)) break;
      for (const key of ['outChannels', 'inChannels', 'groups'] as const) {
        if (!Number.isSafeInteger(g[key]) || g[key] < 1) throw new ValueError(message(fn, `a grouped mixer's ${key} must be a positive integer`, g[key]));
      }
      if (g.inChannels % g.groups !== 0 || g.outChannels % g.groups !== 0) throw new ShapeError(message(fn, `groups must divide inChannels and outChannels (${g.inChannels}, ${g.outChannels})`, g.groups));
      checkSize(fn, 'weights', g.weights, (g.outChannels * g.inChannels) / g.groups);
      arrays.weights = mat(g.weights, g.outChannels, g.inChannels / g.groups);
      if (g.bias !== undefined) {
        checkSize(fn, 'bias', g.bias, g.outChannels);
        arrays.bias = vec(g.bias);
      }
      Object.assign(fields, { outChannels: g.outChannels, inChannels: g.inChannels, groups: g.groups, hasBias: g.bias !== undefined });
      return { kind, arrays, fields };
    }
    case 'least-squares-fit': {
      const f = model as LeastSquaresFit;
      if (!isObject(model) || !(f.weights instanceof Float64Array) || !(f.bias instanceof Float64Array)) break;
      checkSize(fn, 'weights', f.weights, f.outChannels * f.inChannels);
      checkSize(fn, 'bias', f.bias, f.outChannels);
      arrays.weights = mat(f.weights, f.outChannels, f.inChannels);
      arrays.bias = vec(f.bias);
      Object.assign(fields, { outChannels: f.outChannels, inChannels: f.inChannels, residual: num(f.residual), conditionNumber: num(f.conditionNumber) });
      return { kind, arrays, fields };
    }
    case 'constrained-fit': {
      const f = model as ConstrainedFit;
      if (!isObject(model) || !(f.mixer instanceof PointwiseMixer) || !(f.weights instanceof Float64Array)) break;
      checkSize(fn, 'weights', f.weights, f.outChannels * f.inChannels);
      arrays.weights = mat(f.weights, f.outChannels, f.inChannels);
      arrays.bias = vec(f.bias);
      if (f.multipliers) arrays.multipliers = vec(f.multipliers);
      Object.assign(fields, {
        outChannels: f.outChannels, inChannels: f.inChannels, hasBias: f.mixer.hasBias, residual: num(f.residual), unconstrainedResidual: num(f.unconstrainedResidual),
        mse: num(f.mse), violation: num(f.violation), conditionNumber: num(f.conditionNumber), method: f.method, droppedConstraints: [...f.droppedConstraints],
      });
      const c = options.constraints ?? (m.constraints as LinearConstraints | undefined);
      if (c !== undefined) {
        if (!(c instanceof LinearConstraints)) throw new ArgumentTypeError(message(fn, 'options.constraints must be a LinearConstraints', c));
        fields.constraints = constraintParts(c, 'constraints.', arrays);
      }
      return { kind, arrays, fields };
    }
    case 'column-stochastic-fit': {
      const f = model as StochasticFit;
      if (!isObject(model) || !(f.weights instanceof Float64Array)) break;
      checkSize(fn, 'weights', f.weights, f.outChannels * f.inChannels);
      arrays.weights = mat(f.weights, f.outChannels, f.inChannels);
      Object.assign(fields, {
        outChannels: f.outChannels, inChannels: f.inChannels, residual: num(f.residual), columnSumError: num(f.columnSumError), minEntry: num(f.minEntry),
        iterations: f.iterations, converged: f.converged,
      });
      return { kind, arrays, fields };
    }
    case 'constrained-mixer': {
      if (!(model instanceof ConstrainedMixer)) break;
      const theta = model.feasiblePoint;
      arrays.feasiblePoint = mat(theta, model.outChannels, theta.length / model.outChannels);
      arrays.z = vec(model.z);
      arrays.weights = mat(model.weights, model.outChannels, model.inChannels); // for numpy readers
      if (model.hasBias) arrays.bias = vec(model.bias);
      Object.assign(fields, { outChannels: model.outChannels, inChannels: model.inChannels, hasBias: model.hasBias, constraints: constraintParts(model.constraints, 'constraints.', arrays) });
      return { kind, arrays, fields };
    }
    case 'linear-constraints': {
      if (!(model instanceof LinearConstraints)) break;
      fields.constraints = constraintParts(model, 'constraints.', arrays);
      return { kind, arrays, fields };
    }
    case 'array-geometry': {
      if (!(model instanceof ArrayGeometry)) break;
      arrays.positions = mat(model.positions, model.count, 3);
      const sources: Record<string, Json> = {};
      for (const [name, p] of Object.entries(model.sources)) sources[name] = numList(p);
      Object.assign(fields, { count: model.count, sources, units: 'm' });
      return { kind, arrays, fields };
    }
    case 'covariance-partial': {
      if (!(model instanceof CovarianceAccumulator)) break;
      arrays.usedBands = vec(model.used);
      Object.assign(fields, covarianceParts(model, arrays));
      return { kind, arrays, fields };
    }
    case 'gram-partial': {
      if (!(model instanceof GramAccumulator)) break;
      Object.assign(fields, { inChannels: model.inChannels, outChannels: model.outChannels, nonFinite: model.nonFinite, stacked: covarianceParts(model.stacked, arrays) });
      return { kind, arrays, fields };
    }
  }
  throw new ArgumentTypeError(message(fn, `model must be a ${kind}`, model));
}

function checkDescription(fn: string, d: ModelDescription): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (d.labels !== undefined) {
    if (!Array.isArray(d.labels) || d.labels.some((s) => typeof s !== 'string')) throw new ArgumentTypeError(message(fn, 'labels must be an array of strings', d.labels));
    out.labels = [...d.labels];
  }
  if (d.wavelengths !== undefined) {
    if (!Array.isArray(d.wavelengths) && !ArrayBuffer.isView(d.wavelengths)) throw new ArgumentTypeError(message(fn, 'wavelengths must be an array of numbers', d.wavelengths));
    const w = Array.from(d.wavelengths as ArrayLike<number>);
    if (w.some((v) => typeof v !== 'number' || !Number.isFinite(v))) throw new ValueError(message(fn, 'wavelengths must be finite numbers', d.wavelengths));
    out.wavelengths = w;
  }
  for (const key of ['units', 'description'] as const) {
    if (d[key] !== undefined) {
      if (typeof d[key] !== 'string') throw new ArgumentTypeError(message(fn, `${key} must be a string`, d[key]));
      out[key] = d[key]!;
    }
  }
  return out;
}

/** The `.npz` bytes of a model (see the module notes); what {@link saveModel} writes. */
export function encodeModel(model: SavedModel, options: SaveModelOptions = {}): Uint8Array {
  const fn = 'encodeModel';
  if (!isObject(options)) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
  const { kind, arrays, fields } = toParts(fn, model, options);
  const sums: Record<string, Json> = {};
  for (const [name, a] of Object.entries(arrays)) sums[name] = { dtype: '<f8', shape: a.shape, sha256: arraySum(a) };
  const meta: Record<string, Json> = {
    format: FORMAT_NAME, formatVersion: MODEL_FORMAT_VERSION, kind, packageVersion: packageVersion(),
    ...checkDescription(fn, options), fields, arrays: sums,
  };
  const text = new TextEncoder().encode(JSON.stringify(meta, null, 1));
  return encodeNpz(arrays, { [META]: text, [META_SUM]: new TextEncoder().encode(sha256(text)) });
}

/**
 * Saves a fitted model to `filePath` as `.npz` (see the module notes for the layout), atomically.
 * Every model kind loads back ({@link loadModel}) to bit-identical outputs; `numpy.load(filePath)`
 * opens its arrays (float64; index arrays such as `usedBands` are stored as float64 too).
 * @param model a PcaModel, ProjectionModel, PointwiseMixer, ResidualMixer, OrthogonalMixer,
 *   {@link GroupedMixerModel}, the result of fitLeastSquares, fitConstrainedMixer or
 *   fitColumnStochasticMixer, a ConstrainedMixer, LinearConstraints, ArrayGeometry, or a partial
 *   result (CovarianceAccumulator, GramAccumulator; see {@link savePartial}).
 * @example
 * saveModel('pca.npz', pca(cube, 10), { wavelengths: wl, units: 'nm' });
 * const model = loadModel('pca.npz') as PcaModel;
 * @throws ArgumentTypeError for something that is not a model (or options of the wrong type);
 * ShapeError for a fit result whose arrays disagree with its channel counts; FileError when the
 * folder does not exist or is not writable.
 */
export function saveModel(filePath: string, model: SavedModel, options: SaveModelOptions = {}): void {
  writeFileAtomicChecked('saveModel', filePath, encodeModel(model, options));
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Reads the checked contents of a model file; every complaint is a FormatError naming the file. */
class ModelReader {
  constructor(
    private readonly where: string,
    private readonly arrays: Record<string, NpzArray>,
    readonly fields: Record<string, unknown>,
  ) {}

  fail(what: string, got: unknown): never {
    throw new FormatError(message(this.where, what, got));
  }

  /** The array `name`, checking its shape (`undefined` entries match any size). */
  array(name: string, shape: readonly (number | undefined)[]): Float64Array {
    const a = this.arrays[name];
    if (a === undefined) this.fail(`the entry '${name}.npy' must be present`, { verbatim: 'missing' });
    return this.check(name, a, shape);
  }

  optional(name: string, shape: readonly (number | undefined)[]): Float64Array | undefined {
    const a = this.arrays[name];
    return a === undefined ? undefined : this.check(name, a, shape);
  }

  private check(name: string, a: NpzArray, shape: readonly (number | undefined)[]): Float64Array {
    const ok = a.shape.length === shape.length && shape.every((d, i) => d === undefined || d === a.shape[i]);
    if (!ok) this.fail(`'${name}' must have shape [${shape.map((d) => d ?? '*').join(', ')}]`, { verbatim: `[${a.shape.join(', ')}]` });
    if (!(a.data instanceof Float64Array)) this.fail(`'${name}' must be float64`, { verbatim: 'float32' });
    return a.data;
  }

  private field(obj: Record<string, unknown>, key: string): unknown {
    if (!(key in obj)) this.fail(`the metadata field '${key}' must be present`, { verbatim: 'missing' });
    return obj[key];
  }

  /** A double field (accepting the strings of non-finite values and −0). */
  num(key: string, obj: Record<string, unknown> = this.fields): number {
    return this.toNum(key, this.field(obj, key));
  }

  toNum(key: string, v: unknown): number {
    if (typeof v === 'number') return v;
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    if (v === '-0') return -0;
    return this.fail(`the metadata field '${key}' must be a number`, v);
  }

  optNum(key: string, obj: Record<string, unknown> = this.fields): number | undefined {
    const v = this.field(obj, key);
    return v === null ? undefined : this.toNum(key, v);
  }

  int(key: string, min: number, obj: Record<string, unknown> = this.fields, max = 2 ** 31): number {
    const v = this.field(obj, key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) this.fail(`the metadata field '${key}' must be an integer in [${min}, ${max}]`, v);
    return v;
  }

  bool(key: string, obj: Record<string, unknown> = this.fields): boolean {
    const v = this.field(obj, key);
    if (typeof v !== 'boolean') this.fail(`the metadata field '${key}' must be true or false`, v);
    return v;
  }

  str<T extends string>(key: string, allowed: readonly T[] | null, obj: Record<string, unknown> = this.fields): T {
    const v = this.field(obj, key);
    if (typeof v !== 'string' || (allowed !== null && !allowed.includes(v as T))) this.fail(`the metadata field '${key}' must be ${allowed ? `one of ${allowed.join(', ')}` : 'a string'}`, v);
    return v as T;
  }

  strings(key: string, n: number | undefined, obj: Record<string, unknown> = this.fields): string[] {
    const v = this.field(obj, key);
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string') || (n !== undefined && v.length !== n)) this.fail(`the metadata field '${key}' must be ${n ?? 'a list of'} strings`, v);
    return v as string[];
  }

  object(key: string, obj: Record<string, unknown> = this.fields): Record<string, unknown> {
    const v = this.field(obj, key);
    if (!isObject(v) || Array.isArray(v)) this.fail(`the metadata field '${key}' must be an object`, v);
    return v;
  }
}

function readConstraints(r: ModelReader, obj: Record<string, unknown>, prefix: string): LinearConstraints {
  const cout = r.int('outChannels', 1, obj);
  const cin = r.int('inChannels', 1, obj);
  const rows = r.int('rows', 0, obj, cout);
  const q = r.int('generalRows', 0, obj, cout * cin);
  const opts = r.object('options', obj);
  const init: ConstructorParameters<typeof LinearConstraints>[0] = {
    outChannels: cout, inChannels: cin,
    rankTolerance: r.num('rankTolerance', opts), consistencyTolerance: r.num('consistencyTolerance', opts),
    onRankDeficient: r.str<RankDeficientPolicy>('onRankDeficient', ['reduce', 'throw'], opts),
  };
  if (rows > 0) {
    Object.assign(init, {
      A: { data: r.array(`${prefix}A`, [rows, cout]), rows, cols: cout },
      B: { data: r.array(`${prefix}B`, [rows, cin]), rows, cols: cin },
      biasTarget: r.array(`${prefix}biasTarget`, [rows]),
      names: r.strings('names', rows, obj),
    });
  }
  if (q > 0) {
    Object.assign(init, { C: { data: r.array(`${prefix}C`, [q, cout * cin]), rows: q, cols: cout * cin }, d: r.array(`${prefix}d`, [q]), generalNames: r.strings('generalNames', q, obj) });
  }
  const dropped = r.strings('dropped', undefined, obj);
  const c = new LinearConstraints(init);
  if (c.rows !== rows || c.generalRows !== q) r.fail('the saved constraint rows must stay independent', { verbatim: `${c.dropped.length} rows dropped on load` });
  // The rows dropped when the constraints were first built are part of their description.
  (c as { dropped: readonly string[] }).dropped = Object.freeze([...dropped]);
  return c;
}

function readCovariance(r: ModelReader, obj: Record<string, unknown>, used: Float64Array | null, prefix = ''): CovarianceAccumulator {
  const bands = r.int('bands', 1, obj, 2 ** 20);
  const count = r.int('count', 0, obj, Number.MAX_SAFE_INTEGER);
  const ignoreValue = r.optNum('ignoreValue', obj);
  // the sums' power-of-two scale (absent in files that predate it: 1)
  const scale = r.optNum('scale', obj) ?? 1;
  if (!(scale > 0 && Number.isFinite(scale) && 2 ** Math.round(Math.log2(scale)) === scale)) r.fail(`'scale' must be a positive finite power of two`, scale);
  const mask = used === null ? undefined : new Uint8Array(bands);
  if (used !== null) {
    for (let j = 0; j < used.length; j++) {
      if (!Number.isInteger(used[j]) || used[j] < 0 || used[j] >= bands || (j > 0 && used[j] <= used[j - 1])) r.fail(`'usedBands' must be increasing band indices below ${bands}`, { verbatim: `${used[j]} at ${j}` });
      mask![used[j]] = 1;
    }
  }
  // the arrays first: the accumulator's U² Gram is allocated only once one of that size exists
  const U = used === null ? bands : used.length;
  const sum = r.array(`${prefix}sum`, [U]);
  const gram = r.array(`${prefix}gram`, [U, U]);
  const shift = r.optional(`${prefix}shift`, [U]);
  if ((count > 0) !== (shift !== undefined)) r.fail(`'${prefix}shift' must be present exactly when count > 0`, { verbatim: `count ${count}, shift ${shift ? 'present' : 'absent'}` });
  const acc = new CovarianceAccumulator(bands, { badBands: mask, ignoreValue });
  acc.count = count;
  acc.scale = scale;
  acc.shift = shift ?? null;
  acc.sum.set(sum);
  acc.gram.set(gram);
  return acc;
}

function fromParts(r: ModelReader, kind: ModelKind): SavedModel {
  switch (kind) {
    case 'pca': {
      const k = r.int('k', 1);
      const bands = r.int('bands', 1);
      const usedF = r.array('usedBands', [undefined]);
      const usedBands = Int32Array.from(usedF);
      if (usedBands.some((b, j) => b !== usedF[j] || b < 0 || b >= bands || (j > 0 && b <= usedBands[j - 1]))) r.fail(`'usedBands' must be increasing band indices below ${bands}`, { verbatim: 'other values' });
      return new PcaModel({
        k, bands, components: r.array('components', [k, bands]), explainedVariance: r.array('explainedVariance', [k]), mean: r.array('mean', [bands]),
        totalVariance: r.num('totalVariance'), noiseVariance: r.num('noiseVariance'), nSamples: r.int('nSamples', 0, undefined, Number.MAX_SAFE_INTEGER),
        whiten: r.bool('whiten'), usedBands, ignoreValue: r.optNum('ignoreValue'),
      });
    }
    case 'projection': {
      const k = r.int('k', 1);
      const bands = r.int('bands', 1);
      const pk = r.str<ProjectionKind>('projectionKind', ['autoencoder', 'regression', 'classification']);
      const dw = r.optional('decoder.weights', [bands, k]);
      const decoder = dw ? { weights: dw, bias: r.array('decoder.bias', [bands]) } : undefined;
      const hm = r.optNum('headOutChannels');
      const head = hm === undefined ? undefined : { weights: r.array('head.weights', [hm, k]), bias: r.array('head.bias', [hm]), outChannels: hm };
      return new ProjectionModel({
        kind: pk, k, bands, weights: r.array('weights', [k, bands]), bias: r.array('bias', [k]), decoder, head,
        lossHistory: Array.from(r.array('lossHistory', [undefined])), fitSeconds: r.num('fitSeconds'), ignoreValue: r.optNum('ignoreValue'),
      });
    }
    case 'pointwise-mixer':
    case 'residual-mixer': {
      const cout = r.int('outChannels', 1);
      const cin = r.int('inChannels', 1);
      const w = r.array('weights', [cout, cin]);
      const b = r.bool('hasBias') ? r.array('bias', [cout]) : undefined;
      if (kind === 'pointwise-mixer') return new PointwiseMixer(w, cout, cin, b);
      if (cin !== cout) r.fail('a residual mixer must be square', { verbatim: `${cout} × ${cin}` });
      return new ResidualMixer(w, cin, b);
    }
    case 'orthogonal-mixer': {
      const n = r.int('channels', 1, undefined, 1 << 15);
      return new OrthogonalMixer(r.array('params', [(n * (n - 1)) / 2]), n);
    }
    case 'grouped-mixer': {
      const cout = r.int('outChannels', 1);
      const cin = r.int('inChannels', 1);
      const groups = r.int('groups', 1);
      if (cin % groups !== 0 || cout % groups !== 0) r.fail(`groups must divide inChannels and outChannels (${cin}, ${cout})`, groups);
      const out: GroupedMixerModel = { weights: r.array('weights', [cout, cin / groups]), outChannels: cout, inChannels: cin, groups };
      if (r.bool('hasBias')) out.bias = r.array('bias', [cout]);
      return out;
    }
    case 'least-squares-fit': {
      const cout = r.int('outChannels', 1);
      const cin = r.int('inChannels', 1);
      return { weights: r.array('weights', [cout, cin]), bias: r.array('bias', [cout]), outChannels: cout, inChannels: cin, residual: r.num('residual'), conditionNumber: r.num('conditionNumber') };
    }
    case 'constrained-fit': {
      const cout = r.int('outChannels', 1);
      const cin = r.int('inChannels', 1);
      const weights = r.array('weights', [cout, cin]);
      const bias = r.array('bias', [cout]);
      const hasBias = r.bool('hasBias');
      const constraints = 'constraints' in r.fields ? readConstraints(r, r.object('constraints'), 'constraints.') : undefined;
      if (constraints && (constraints.outChannels !== cout || constraints.inChannels !== cin)) r.fail(`the constraints must be for ${cout} × ${cin}`, { verbatim: `${constraints.outChannels} × ${constraints.inChannels}` });
      const fit: ConstrainedFitModel = {
        mixer: new PointwiseMixer(weights, cout, cin, hasBias ? bias : undefined), weights, bias, outChannels: cout, inChannels: cin,
        residual: r.num('residual'), unconstrainedResidual: r.num('unconstrainedResidual'), mse: r.num('mse'), violation: r.num('violation'),
        multipliers: r.optional('multipliers', [undefined]), conditionNumber: r.num('conditionNumber'),
        method: r.str<ConstrainedFit['method']>('method', ['projection', 'range-space']), droppedConstraints: Object.freeze(r.strings('droppedConstraints', undefined)),
      };
      if (constraints) fit.constraints = constraints;
      return fit;
    }
    case 'column-stochastic-fit': {
      const cout = r.int('outChannels', 1);
      const cin = r.int('inChannels', 1);
      const weights = r.array('weights', [cout, cin]);
      return {
        mixer: new PointwiseMixer(weights, cout, cin), weights, outChannels: cout, inChannels: cin, residual: r.num('residual'),
        columnSumError: r.num('columnSumError'), minEntry: r.num('minEntry'), iterations: r.int('iterations', 0, undefined, Number.MAX_SAFE_INTEGER), converged: r.bool('converged'),
      };
    }
    case 'constrained-mixer': {
      const cout = r.int('outChannels', 1);
      const cin = r.int('inChannels', 1);
      const hasBias = r.bool('hasBias');
      const constraints = readConstraints(r, r.object('constraints'), 'constraints.');
      if (constraints.outChannels !== cout || constraints.inChannels !== cin) r.fail(`the constraints must be for ${cout} × ${cin}`, { verbatim: `${constraints.outChannels} × ${constraints.inChannels}` });
      return ConstrainedMixer.fromState(constraints, hasBias, r.array('feasiblePoint', [cout, cin + (hasBias ? 1 : 0)]), r.array('z', [undefined]));
    }
    case 'linear-constraints':
      return readConstraints(r, r.object('constraints'), 'constraints.');
    case 'array-geometry': {
      const count = r.int('count', 1);
      const src = r.object('sources');
      const sources: Record<string, [number, number, number]> = {};
      for (const [name, v] of Object.entries(src)) {
        if (!Array.isArray(v) || v.length !== 3) r.fail(`source '${name}' must be [x, y, z]`, v);
        sources[name] = [r.toNum(name, v[0]), r.toNum(name, v[1]), r.toNum(name, v[2])];
      }
      return ArrayGeometry.fromPositions(r.array('positions', [count, 3]), Object.freeze(sources));
    }
    case 'covariance-partial':
      return readCovariance(r, r.fields, r.array('usedBands', [undefined]));
    case 'gram-partial': {
      const cin = r.int('inChannels', 1);
      const cout = r.int('outChannels', 1);
      const acc = new GramAccumulator(cin, cout, { nonFinite: r.str<'throw' | 'skip'>('nonFinite', ['throw', 'skip']) });
      const st = readCovariance(r, r.object('stacked'), null);
      if (st.bands !== cin + cout) r.fail(`the stacked sums must cover inChannels + outChannels = ${cin + cout} channels`, st.bands);
      Object.assign(acc.stacked, { count: st.count, shift: st.shift, scale: st.scale });
      acc.stacked.sum.set(st.sum);
      acc.stacked.gram.set(st.gram);
      return acc;
    }
  }
}

/** Decodes and checks a model file's bytes; `where` names the function and file for messages. */
function decodeChecked(fn: string, where: string, bytes: Uint8Array, options: LoadModelOptions): { model: SavedModel; metadata: ModelMetadata } {
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
  const fail: (what: string, got: unknown) => never = (what, got) => {
    throw new FormatError(message(where, what, got));
  };
  let contents;
  try {
    contents = decodeNpz(bytes, { maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES });
  } catch (err) {
    if (err instanceof FormatError) fail('the file must be a complete .npz archive', { verbatim: err.message });
    throw err;
  }
  const metaBytes = contents.files[META];
  const metaSum = contents.files[META_SUM];
  if (metaBytes === undefined || metaSum === undefined) fail(`a pointwise model file must hold '${META}' and '${META_SUM}' entries`, { verbatim: `entries ${JSON.stringify([...Object.keys(contents.arrays).map((k) => `${k}.npy`), ...Object.keys(contents.files)])}` });
  if (new TextDecoder().decode(metaSum) !== sha256(metaBytes)) fail(`'${META}' must match its checksum in '${META_SUM}' (the file was changed or damaged)`, { verbatim: 'a different SHA-256' });
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(metaBytes)) as Record<string, unknown>;
  } catch (err) {
    return fail(`'${META}' must be valid UTF-8 JSON`, { verbatim: (err as Error).message });
  }
  if (!isObject(meta) || meta.format !== FORMAT_NAME) fail(`'${META}' must say format '${FORMAT_NAME}'`, isObject(meta) ? meta.format : meta);
  const version = meta.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) fail('the format version must be a positive integer', version);
  if (version > MODEL_FORMAT_VERSION) fail(`the format version must be at most ${MODEL_FORMAT_VERSION} (the file was written by a newer pointwise, ${JSON.stringify(meta.packageVersion)}; upgrade to read it)`, version);
  const kind = meta.kind as ModelKind;
  if (typeof kind !== 'string' || !KINDS.includes(kind)) fail(`the kind must be one of ${KINDS.join(', ')}`, meta.kind);
  if (options.kind !== undefined) {
    const want: readonly ModelKind[] = typeof options.kind === 'string' ? [options.kind] : options.kind;
    if (!want.includes(kind)) fail(`the file must hold a ${want.join(' or ')}`, kind);
  }
  const listed = meta.arrays;
  if (!isObject(listed)) return fail(`'${META}' must list the arrays`, listed);
  for (const name of Object.keys(contents.arrays)) if (!(name in listed)) fail(`every array entry must be listed in '${META}'`, { verbatim: `'${name}.npy' unlisted` });
  for (const [name, info] of Object.entries(listed)) {
    const a = contents.arrays[name];
    if (a === undefined) fail(`the entry '${name}.npy' listed in '${META}' must be present`, { verbatim: 'missing' });
    const sum = isObject(info) ? info.sha256 : undefined;
    if (arraySum(a) !== sum) fail(`'${name}.npy' must match its checksum (the file was changed or damaged)`, { verbatim: `shape [${a.shape.join(', ')}] with a different SHA-256` });
  }
  const fields = meta.fields;
  if (!isObject(fields) || Array.isArray(fields)) return fail(`'${META}' must have a 'fields' object`, fields);
  const reader = new ModelReader(where, contents.arrays, fields);
  let model: SavedModel;
  try {
    model = fromParts(reader, kind);
  } catch (err) {
    if (err instanceof FormatError) throw err;
    if (isPointwiseError(err)) fail(`the saved ${kind} must be valid`, { verbatim: (err as Error).message });
    throw err;
  }
  const metadata: ModelMetadata = { kind, formatVersion: version as number, packageVersion: typeof meta.packageVersion === 'string' ? meta.packageVersion : 'unknown' };
  if (Array.isArray(meta.labels) && meta.labels.every((s) => typeof s === 'string')) metadata.labels = meta.labels as string[];
  if (Array.isArray(meta.wavelengths) && meta.wavelengths.every((v) => typeof v === 'number')) metadata.wavelengths = meta.wavelengths as number[];
  if (typeof meta.units === 'string') metadata.units = meta.units;
  if (typeof meta.description === 'string') metadata.description = meta.description;
  return { model, metadata };
}

/**
 * Decodes model bytes (as {@link encodeModel} writes them) into the model and its metadata.
 * @throws FormatError as {@link loadModel}.
 */
export function decodeModel(bytes: Uint8Array, options: LoadModelOptions = {}): { model: SavedModel; metadata: ModelMetadata } {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentTypeError(message('decodeModel', 'bytes must be a Uint8Array (or Buffer)', bytes));
  return decodeChecked('decodeModel', 'decodeModel', bytes, options);
}

/**
 * Loads a model saved by {@link saveModel}, with its metadata (kind, format and package version,
 * labels, wavelengths, units, description).
 * @example const { model, metadata } = loadModelWithMetadata('pca.npz'); metadata.wavelengths
 * @throws as {@link loadModel}.
 */
export function loadModelWithMetadata(filePath: string, options: LoadModelOptions = {}): { model: SavedModel; metadata: ModelMetadata } {
  const fn = 'loadModel';
  const bytes = readBounded(fn, filePath, (typeof options === 'object' && options !== null ? options.maxBytes : undefined) ?? DEFAULT_MAX_BYTES);
  return decodeChecked(fn, `${fn}: ${JSON.stringify(filePath)}`, bytes, options);
}

/**
 * Loads a model saved by {@link saveModel}: the same class (PcaModel, PointwiseMixer, …) or fit
 * object, giving bit-identical outputs. Narrow the result with `instanceof` or `options.kind`.
 * @example
 * const model = loadModel('pca.npz', { kind: 'pca' }); // typed PcaModel; another kind is a FormatError
 * model.transform(cube); // bit-identical to the saved model's scores
 * @throws FileError when the file is missing or unreadable; FormatError — naming the file — when it
 * is larger than `maxBytes` (default 1 GiB) or declares more, is not a complete zip (truncated), is
 * not a pointwise model, has a newer format version, an unknown (or unwanted) kind, a changed byte
 * (checksums), a missing entry, an array of the wrong shape or dtype, or values the model's own
 * constructor rejects. Nothing is built from a file that fails any check.
 */
export function loadModel<K extends ModelKind>(filePath: string, options: LoadModelOptions & { kind: K }): ModelKinds[K];
export function loadModel(filePath: string, options?: LoadModelOptions): SavedModel;
export function loadModel(filePath: string, options: LoadModelOptions = {}): SavedModel {
  return loadModelWithMetadata(filePath, options).model;
}

// ---------------------------------------------------------------------------------------------
// Partial results

/**
 * Saves a partial result — the covariance sums behind `pca`/`pcaStream`
 * ({@link CovarianceAccumulator}) or the Gram sums behind the least-squares and constrained fits
 * ({@link GramAccumulator}) — as a model file of kind `covariance-partial` / `gram-partial`.
 * Store the cube's wavelengths (and units) with it so {@link mergePartialFiles} can refuse parts
 * of different cubes.
 * @example savePartial(`tile-${i}.npz`, new CovarianceAccumulator(B).add(tile), { wavelengths: wl, units: 'nm' });
 * @throws ArgumentTypeError when acc is not an accumulator; as {@link saveModel} otherwise.
 */
export function savePartial(filePath: string, acc: PartialResult, options: ModelDescription = {}): void {
  if (!(acc instanceof CovarianceAccumulator || acc instanceof GramAccumulator)) throw new ArgumentTypeError(message('savePartial', 'acc must be a CovarianceAccumulator or GramAccumulator', acc));
  writeFileAtomicChecked('savePartial', filePath, encodeModel(acc, options));
}

/**
 * Loads a partial result saved by {@link savePartial}.
 * @throws FormatError when the file is not a partial result; as {@link loadModel} otherwise.
 */
export function loadPartial(filePath: string, options: NpzReadOptions = {}): PartialResult {
  return loadModel(filePath, { ...options, kind: ['covariance-partial', 'gram-partial'] }) as PartialResult;
}

function sameNumber(a: number | undefined, b: number | undefined): boolean {
  return a === undefined ? b === undefined : b !== undefined && Object.is(a, b);
}

/**
 * Merges partial results in the given order into a new accumulator (the parts are not changed):
 * `empty.merge(parts[0]).merge(parts[1])…`. Merging is associative and commutative to rounding
 * (~1e-15 relative), and the same parts merged in the same order give the same bits wherever they
 * were computed, saved and loaded (saving and loading are bit-exact).
 * @example const acc = mergePartials(paths.map((p) => loadPartial(p))); const model = pcaFromAccumulator(acc, 10);
 * @throws ArgumentTypeError for an empty list or parts of different kinds; ShapeError for parts with
 * different band or channel counts or different bad-band masks; ValueError for different ignore values.
 */
export function mergePartials<T extends PartialResult>(parts: readonly T[]): T {
  const fn = 'mergePartials';
  if (!Array.isArray(parts) || parts.length === 0) throw new ArgumentTypeError(message(fn, 'parts must be a non-empty array of accumulators', parts));
  const first = parts[0];
  if (first instanceof CovarianceAccumulator) {
    const out = new CovarianceAccumulator(first.bands, { badBands: Array.from({ length: first.bands }, (_, b) => (first.used.includes(b) ? 1 : 0)), ignoreValue: first.ignoreValue });
    parts.forEach((p, i) => {
      if (!(p instanceof CovarianceAccumulator)) throw new ArgumentTypeError(message(fn, `parts[${i}] must be a CovarianceAccumulator like parts[0]`, p));
      if (p.bands !== first.bands) throw new ShapeError(message(fn, `parts[${i}] must have ${first.bands} bands like parts[0]`, p.bands));
      if (p.used.length !== first.used.length || p.used.some((b, j) => b !== first.used[j])) {
        throw new ShapeError(message(fn, `parts[${i}] must use the same bands (bad-band mask) as parts[0]`, { verbatim: `${p.used.length} used bands vs ${first.used.length}` }));
      }
      if (!sameNumber(p.ignoreValue, first.ignoreValue)) throw new ValueError(message(fn, `parts[${i}] must have the same ignoreValue as parts[0] (${first.ignoreValue})`, p.ignoreValue));
      out.merge(p);
    });
    return out as T;
  }
  if (first instanceof GramAccumulator) {
    const out = new GramAccumulator(first.inChannels, first.outChannels, { nonFinite: first.nonFinite });
    parts.forEach((p, i) => {
      if (!(p instanceof GramAccumulator)) throw new ArgumentTypeError(message(fn, `parts[${i}] must be a GramAccumulator like parts[0]`, p));
      if (p.inChannels !== first.inChannels || p.outChannels !== first.outChannels) {
        throw new ShapeError(message(fn, `parts[${i}] must have ${first.inChannels} in and ${first.outChannels} out channels like parts[0]`, { verbatim: `${p.inChannels} in, ${p.outChannels} out` }));
      }
      if (p.nonFinite !== first.nonFinite) throw new ValueError(message(fn, `parts[${i}] must treat non-finite samples as parts[0] does (nonFinite: '${first.nonFinite}')`, p.nonFinite));
      out.merge(p);
    });
    return out as T;
  }
  throw new ArgumentTypeError(message(fn, 'parts[0] must be a CovarianceAccumulator or GramAccumulator', first));
}

/**
 * Loads partial-result files and merges them in the given order ({@link mergePartials}), after
 * checking that their stored wavelengths, units and labels agree (parts of different cubes).
 * @example const acc = mergePartialFiles(['t0.npz', 't1.npz', 't2.npz']) as CovarianceAccumulator;
 * @throws ValueError naming the file whose wavelengths, units or labels differ from the first's;
 * as {@link loadPartial} and {@link mergePartials} otherwise.
 */
export function mergePartialFiles(paths: readonly string[], options: NpzReadOptions = {}): PartialResult {
  const fn = 'mergePartialFiles';
  if (!Array.isArray(paths) || paths.length === 0) throw new ArgumentTypeError(message(fn, 'paths must be a non-empty array of file paths', paths));
  const loaded = paths.map((p) => loadModelWithMetadata(p, { ...options, kind: ['covariance-partial', 'gram-partial'] }));
  const m0 = loaded[0].metadata;
  loaded.forEach(({ metadata: m }, i) => {
    for (const key of ['wavelengths', 'units', 'labels'] as const) {
      if (JSON.stringify(m[key] ?? null) !== JSON.stringify(m0[key] ?? null)) {
        throw new ValueError(message(fn, `every part must have the ${key} of ${JSON.stringify(paths[0])}`, { verbatim: `${JSON.stringify(paths[i])} differs` }));
      }
    }
  });
  return mergePartials(loaded.map((l) => l.model as PartialResult));
}
