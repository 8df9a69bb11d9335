/**
 * `Multichannel`: the one array type every module takes and returns.
 *
 * Storage is channel-major (planar) and contiguous: sample `t` of channel `c` lives at
 * `data[c * length + t]`. A channel is therefore a zero-copy `subarray`, it feeds an FFT directly,
 * and a 1×1 channel mix is one row-major product `Y[Cout×T] = W[Cout×Cin] · X[Cin×T]`.
 *
 * Metadata:
 * - `sampleRate` (Hz) for time series;
 * - `shape` for images and cubes: the per-channel grid, e.g. `[rows, cols]`, whose product is `length`;
 * - `labels`: a name per channel (microphone ids, band names, species);
 * - `coords`: per-channel coordinates with a unit (wavelengths in nm, microphone positions in m).
 *
 * Operations carry metadata through where it still means the same thing (a time slice keeps the
 * sample rate; selecting channels selects their labels and coordinates; a 1×1 mix keeps `sampleRate`
 * and `shape` but not labels).
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from './errors.js';
import { assertInteger, assertPositive, firstNonFinite, type SampleArray } from './validate.js';
import { SHARED_ARRAY_MIN_BYTES, sharedArray } from './shared.js';

export type { SampleArray } from './validate.js';

/** Element type of the samples. */
export type Dtype = 'float64' | 'float32';

/**
 * Per-channel coordinates: `width` numbers per channel in `values` (row-major, channels × width),
 * e.g. `{ name: 'wavelength', unit: 'nm', width: 1 }` or `{ name: 'position', unit: 'm', width: 3 }`.
 */
export interface ChannelCoords {
  readonly name: string;
  readonly unit: string;
  readonly width: number;
  readonly values: Float64Array;
}

/** Optional metadata accepted by every constructor. */
export interface MultichannelMeta {
  /** Samples per second (Hz), for time series. */
  sampleRate?: number;
  /** Per-channel grid such as `[rows, cols]`; the product must equal `length`. */
  shape?: readonly number[];
  /** One name per channel. */
  labels?: readonly string[];
  /** Per-channel coordinates with a unit. */
  coords?: ChannelCoords;
}

/** Options of the static constructors: metadata plus the element type. */
export interface MultichannelOptions extends MultichannelMeta {
  /** Element type of the new array (default 'float64'). */
  dtype?: Dtype;
}

/**
 * Allocates a zero-filled typed array of the given element type: on a SharedArrayBuffer from
 * {@link SHARED_ARRAY_MIN_BYTES} up, where the runtime has one (src/core/shared.ts), else on an
 * ordinary ArrayBuffer.
 */
export function allocate(dtype: Dtype, n: number): SampleArray {
  if (n * (dtype === 'float32' ? 4 : 8) >= SHARED_ARRAY_MIN_BYTES && typeof SharedArrayBuffer === 'function') return sharedArray(dtype, n);
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** The dtype of a typed sample array. */
export function dtypeOf(a: SampleArray): Dtype {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

/** `util.inspect.custom`, spelled without importing node:util so core stays free of Node modules. */
const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** A multichannel signal, image or cube in channel-major storage. Immutable by convention. */
export class Multichannel {
  /** The samples: `data[c * length + t]`. */
  readonly data: SampleArray;
  /** Number of channels (≥ 1). */
  readonly channels: number;
  /** Samples (or pixels) per channel (≥ 0). */
  readonly length: number;
  readonly sampleRate: number | undefined;
  readonly shape: readonly number[] | undefined;
  readonly labels: readonly string[] | undefined;
  readonly coords: ChannelCoords | undefined;

  /**
   * Wraps `data` (not copied) as `channels × length`.
   * @throws ShapeError when `data.length !== channels * length`, or metadata sizes disagree.
   * @throws ValueError for a non-positive or non-finite sample rate.
   */
  constructor(data: SampleArray, channels: number, length: number, meta: MultichannelMeta = {}) {
    const fn = 'Multichannel';
    if (!(data instanceof Float64Array || data instanceof Float32Array)) {
      throw new ArgumentTypeError(message(fn, 'data must be a Float64Array or Float32Array', data));
    }
    assertInteger(fn, 'channels', channels, 1);
    assertInteger(fn, 'length', length, 0);
    if (data.length !== channels * length) {
      throw new ShapeError(message(fn, `data.length must equal channels × length = ${channels} × ${length} = ${channels * length}`, data.length));
    }
    this.data = data;
    this.channels = channels;
    this.length = length;
    this.sampleRate = checkSampleRate(fn, meta.sampleRate);
    this.shape = checkShape(fn, meta.shape, length);
    this.labels = checkLabels(fn, meta.labels, channels);
    this.coords = checkCoords(fn, meta.coords, channels);
  }

  /** 'float64' or 'float32'. */
  get dtype(): Dtype {
    return dtypeOf(this.data);
  }

  /** Duration in seconds (`length / sampleRate`), or undefined without a sample rate. */
  get duration(): number | undefined {
    return this.sampleRate === undefined ? undefined : this.length / this.sampleRate;
  }

  /** The metadata as a plain object (for passing on to a result). */
  get meta(): MultichannelMeta {
    const m: MultichannelMeta = {};
    if (this.sampleRate !== undefined) m.sampleRate = this.sampleRate;
    if (this.shape !== undefined) m.shape = this.shape;
    if (this.labels !== undefined) m.labels = this.labels;
    if (this.coords !== undefined) m.coords = this.coords;
    return m;
  }

  /**
   * Builds a Multichannel from one array per channel (copied). All arrays must have the same length.
   * @example Multichannel.fromChannels([[1, 2, 3], [4, 5, 6]], { sampleRate: 8000 })
   * @throws ShapeError for no channels or ragged lengths; ValueError for NaN/Infinity samples unless `allowNonFinite`.
   */
  static fromChannels(arrays: readonly ArrayLike<number>[], options: MultichannelOptions & { allowNonFinite?: boolean } = {}): Multichannel {
    const fn = 'Multichannel.fromChannels';
    if (!Array.isArray(arrays)) throw new ArgumentTypeError(message(fn, 'arrays must be an array of per-channel arrays', arrays));
    if (arrays.length === 0) throw new ShapeError(message(fn, 'at least one channel is required', arrays));
    const length = arrays[0].length;
    const out = allocate(options.dtype ?? 'float64', arrays.length * length);
    arrays.forEach((a, c) => {
      if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
        throw new ArgumentTypeError(message(fn, `channel ${c} must be an array of numbers`, a));
      }
      if (a.length !== length) throw new ShapeError(message(fn, `every channel must have length ${length} (channel 0)`, { verbatim: `channel ${c} of length ${a.length}` }));
      out.set(a, c * length);
    });
    if (!options.allowNonFinite) {
      const bad = firstNonFinite(out);
      if (bad >= 0) {
        throw new ValueError(message(fn, 'samples must be finite', { verbatim: `${out[bad]} at channel ${Math.floor(bad / Math.max(length, 1))}, sample ${bad % Math.max(length, 1)}` }));
      }
    }
    return new Multichannel(out, arrays.length, length, options);
  }

  /** A zero-filled `channels × length` array. */
  static zeros(channels: number, length: number, options: MultichannelOptions = {}): Multichannel {
    assertInteger('Multichannel.zeros', 'channels', channels, 1);
    assertInteger('Multichannel.zeros', 'length', length, 0);
    return new Multichannel(allocate(options.dtype ?? 'float64', channels * length), channels, length, options);
  }

  /**
   * Builds from interleaved frames (`frames[t * channels + c]`, the WAV layout), de-interleaving into
   * channel-major storage.
   */
  static fromInterleaved(interleaved: ArrayLike<number>, channels: number, options: MultichannelOptions = {}): Multichannel {
    const fn = 'Multichannel.fromInterleaved';
    assertInteger(fn, 'channels', channels, 1);
    if (interleaved.length % channels !== 0) {
      throw new ShapeError(message(fn, `interleaved length must be a multiple of channels = ${channels}`, interleaved.length));
    }
    const length = interleaved.length / channels;
    const out = allocate(options.dtype ?? 'float64', interleaved.length);
    for (let c = 0; c < channels; c++) {
      const base = c * length;
      for (let t = 0, j = c; t < length; t++, j += channels) out[base + t] = interleaved[j];
    }
    return new Multichannel(out, channels, length, options);
  }

  /** Channel `c` as a zero-copy view (writing to it writes to this array). */
  channel(c: number): SampleArray {
    assertInteger('Multichannel.channel', 'c', c, 0, this.channels - 1);
    return this.data.subarray(c * this.length, (c + 1) * this.length);
  }

  /** Every channel as a zero-copy view. */
  toChannels(): SampleArray[] {
    const out: SampleArray[] = [];
    for (let c = 0; c < this.channels; c++) out.push(this.data.subarray(c * this.length, (c + 1) * this.length));
    return out;
  }

  /** Frames interleaved (`out[t * channels + c]`), the WAV layout. */
  toInterleaved(): SampleArray {
    const { channels: C, length: N, data } = this;
    const out = allocate(this.dtype, C * N);
    for (let c = 0; c < C; c++) {
      const base = c * N;
      for (let t = 0, j = c; t < N; t++, j += C) out[j] = data[base + t];
    }
    return out;
  }

  /** Sample `t` of channel `c` (checked; for inspection, not for loops). */
  get(c: number, t: number): number {
    assertInteger('Multichannel.get', 'c', c, 0, this.channels - 1);
    assertInteger('Multichannel.get', 't', t, 0, this.length - 1);
    return this.data[c * this.length + t];
  }

  /**
   * Samples `[start, end)` of every channel (copied; negative indices count from the end, as
   * `Array.prototype.slice`). Keeps sampleRate, labels and coords; keeps `shape` (with fewer rows)
   * only when the slice covers whole rows of a 2-D grid.
   */
  slice(start = 0, end = this.length): Multichannel {
    const fn = 'Multichannel.slice';
    assertInteger(fn, 'start', start);
    assertInteger(fn, 'end', end);
    const N = this.length;
    const s = Math.min(Math.max(start < 0 ? N + start : start, 0), N);
    const e = Math.min(Math.max(end < 0 ? N + end : end, s), N);
    const L = e - s;
    const out = allocate(this.dtype, this.channels * L);
    for (let c = 0; c < this.channels; c++) out.set(this.data.subarray(c * N + s, c * N + e), c * L);
    const meta = this.meta;
    delete meta.shape;
    if (this.shape && this.shape.length >= 2) {
      const rowSize = this.shape.slice(1).reduce((a, b) => a * b, 1);
      if (rowSize > 0 && s % rowSize === 0 && L % rowSize === 0) meta.shape = [L / rowSize, ...this.shape.slice(1)];
    }
    return new Multichannel(out, this.channels, L, meta);
  }

  /** The channels at `indices` in that order (copied), with their labels and coordinates. */
  selectChannels(indices: readonly number[]): Multichannel {
    const fn = 'Multichannel.selectChannels';
    if (!Array.isArray(indices) || indices.length === 0) throw new ShapeError(message(fn, 'indices must be a non-empty array of channel numbers', indices));
    indices.forEach((c, k) => assertInteger(fn, `indices[${k}]`, c, 0, this.channels - 1));
    const N = this.length;
    const out = allocate(this.dtype, indices.length * N);
    indices.forEach((c, k) => out.set(this.data.subarray(c * N, (c + 1) * N), k * N));
    const meta = this.meta;
    if (this.labels) meta.labels = indices.map((c) => this.labels![c]);
    if (this.coords) {
      const { width, values } = this.coords;
      const v = new Float64Array(indices.length * width);
      indices.forEach((c, k) => v.set(values.subarray(c * width, (c + 1) * width), k * width));
      meta.coords = { ...this.coords, values: v };
    }
    return new Multichannel(out, indices.length, N, meta);
  }

  /** A copy with element type `dtype` (a copy even when the type is unchanged). */
  astype(dtype: Dtype): Multichannel {
    const d = allocate(dtype, this.data.length);
    d.set(this.data);
    return new Multichannel(d, this.channels, this.length, this.meta);
  }

  /** A deep copy of the samples; metadata is shared (it is immutable by convention). */
  clone(): Multichannel {
    return new Multichannel(this.data.slice(), this.channels, this.length, this.meta);
  }

  /** A new Multichannel on other `data` of the same size and dtype-independent metadata (not copied). */
  withData(data: SampleArray): Multichannel {
    return new Multichannel(data, this.channels, this.length, this.meta);
  }

  /** The same samples with metadata replaced or extended (`undefined` keys clear). */
  withMeta(meta: MultichannelMeta): Multichannel {
    return new Multichannel(this.data, this.channels, this.length, { ...this.meta, ...meta });
  }

  /** `[channels, length]`, or `[channels, ...shape]` when a grid shape is set. */
  get dims(): number[] {
    return this.shape ? [this.channels, ...this.shape] : [this.channels, this.length];
  }

  /** One line for printing: `Multichannel [2, 48000] float64 @ 48000 Hz`. */
  toString(): string {
    const dims = this.dims.join(', ');
    const sr = this.sampleRate !== undefined ? ` @ ${this.sampleRate} Hz` : '';
    return `Multichannel [${dims}] ${this.dtype}${sr}`;
  }

  /**
   * What `console.log(x)` and `util.inspect(x)` print: {@link Multichannel.toString}'s line, the
   * duration, labels and coordinates, then the first samples of up to 8 channels, never the whole
   * array. Printed directly (not nested in another object), it first offers `x` to the rich renderer
   * that the notebook module registers (an HTML summary, in a tslab kernel); when that shows it, the
   * printed text is empty.
   */
  [INSPECT](depth: number | null, options: { depth?: number | null }): string {
    const topLevel = depth === (options?.depth ?? 2);
    if (topLevel && richInspector !== undefined && richInspector(this)) return '';
    return inspectText(this);
  }
}

/**
 * A renderer offered every Multichannel printed at the top level; returns true when it displayed
 * the array itself (then the printed text is empty).
 * @internal
 */
export type RichInspector = (x: Multichannel) => boolean;

let richInspector: RichInspector | undefined;

/**
 * Registers (or with `undefined` removes) the rich renderer of printed Multichannels. Core knows
 * nothing about notebooks: the notebook module registers its HTML summary here when it loads.
 * @internal
 */
export function setRichInspector(fn: RichInspector | undefined): void {
  richInspector = fn;
}

/** Most channels and samples per channel that the text summary lists. */
const SHOWN_CHANNELS = 8;
const SHOWN_SAMPLES = 6;

function inspectText(x: Multichannel): string {
  const head = [x.toString()];
  if (x.duration !== undefined) head.push(`${formatSample(x.duration)} s`);
  if (x.coords !== undefined) {
    const v = x.coords.values;
    const range = x.coords.width === 1 ? ` ${formatSample(v[0])} … ${formatSample(v[v.length - 1])}` : ` (${x.coords.width} per channel)`;
    head.push(`${x.coords.name} (${x.coords.unit})${range}`);
  }
  const lines = [head.join(', ')];
  if (x.length === 0) return lines[0];
  const shown = Math.min(x.channels, SHOWN_CHANNELS);
  const names = Array.from({ length: shown }, (_, c) => x.labels?.[c] ?? `ch ${c}`);
  const pad = Math.max(...names.map((n) => n.length));
  for (let c = 0; c < shown; c++) {
    const row = x.data.subarray(c * x.length, c * x.length + Math.min(x.length, SHOWN_SAMPLES));
    const more = x.length > SHOWN_SAMPLES ? `, … ${x.length - SHOWN_SAMPLES} more` : '';
    lines.push(`  ${names[c].padEnd(pad)}  [${Array.from(row, formatSample).join(', ')}${more}]`);
  }
  if (x.channels > shown) lines.push(`  … ${x.channels - shown} more channels`);
  return lines.join('\n');
}

/** Four significant digits, as JavaScript prints the rounded number (`0.3333`, `1e-7`). */
function formatSample(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

function checkSampleRate(fn: string, sr: number | undefined): number | undefined {
  if (sr === undefined) return undefined;
  assertPositive(fn, 'sampleRate', sr);
  return sr;
}

function checkShape(fn: string, shape: readonly number[] | undefined, length: number): readonly number[] | undefined {
  if (shape === undefined) return undefined;
  if (!Array.isArray(shape) || shape.length === 0) throw new ShapeError(message(fn, 'shape must be a non-empty array of sizes', shape));
  shape.forEach((s, k) => assertInteger(fn, `shape[${k}]`, s, 0));
  const p = shape.reduce((a, b) => a * b, 1);
  if (p !== length) throw new ShapeError(message(fn, `the product of shape must equal length = ${length}`, { verbatim: `[${shape.join(', ')}] (product ${p})` }));
  return Object.freeze([...shape]);
}

function checkLabels(fn: string, labels: readonly string[] | undefined, channels: number): readonly string[] | undefined {
  if (labels === undefined) return undefined;
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) throw new ArgumentTypeError(message(fn, 'labels must be an array of strings', labels));
  if (labels.length !== channels) throw new ShapeError(message(fn, `labels must have one name per channel (${channels})`, labels.length));
  return Object.freeze([...labels]);
}

function checkCoords(fn: string, coords: ChannelCoords | undefined, channels: number): ChannelCoords | undefined {
  if (coords === undefined) return undefined;
  assertInteger(fn, 'coords.width', coords.width, 1);
  if (!(coords.values instanceof Float64Array)) throw new ArgumentTypeError(message(fn, 'coords.values must be a Float64Array', coords.values));
  if (coords.values.length !== channels * coords.width) {
    throw new ShapeError(message(fn, `coords.values must hold channels × width = ${channels} × ${coords.width} numbers`, coords.values.length));
  }
  return coords;
}

/**
 * Checks that `x` is a Multichannel and returns it: the one check behind every public function's
 * "`name` must be a Multichannel" error. `dims` names the expected layout in the message
 * (`'[microphones, samples]'`).
 * @throws ArgumentTypeError when `x` is anything else.
 */
export function assertMultichannel(fn: string, name: string, x: unknown, dims?: string): Multichannel {
  if (!(x instanceof Multichannel)) throw new ArgumentTypeError(message(fn, `${name} must be a Multichannel${dims === undefined ? '' : ` ${dims}`}`, x));
  return x;
}

/** Anything the public functions accept as a signal: a Multichannel, or one channel as an array. */
export type SignalLike = Multichannel | Float64Array | Float32Array | readonly number[];

/**
 * Normalises a {@link SignalLike} to a Multichannel (arrays become one float64 channel — or float32
 * for a Float32Array — without copying typed arrays).
 * @throws ArgumentTypeError for anything else; ShapeError for an empty signal unless `allowEmpty`.
 */
export function asMultichannel(fn: string, name: string, x: unknown, allowEmpty = false): Multichannel {
  let m: Multichannel;
  if (x instanceof Multichannel) m = x;
  else if (x instanceof Float64Array || x instanceof Float32Array) m = new Multichannel(x, 1, x.length);
  else if (Array.isArray(x) && x.every((v) => typeof v === 'number')) m = new Multichannel(Float64Array.from(x as number[]), 1, x.length);
  else throw new ArgumentTypeError(message(fn, `${name} must be a Multichannel, Float64Array, Float32Array or number[]`, x));
  if (!allowEmpty && m.length === 0) throw new ShapeError(message(fn, `${name} must not be empty`, m));
  return m;
}
