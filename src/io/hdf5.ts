/**
 * HDF5 files (and what is built on HDF5: NetCDF-4, MATLAB v7.3, SOFA) through h5wasm, the HDF5 C
 * library compiled to WebAssembly. This file is the only importer of h5wasm.
 *
 * Loading: h5wasm is an ES module whose WebAssembly instance starts asynchronously, so the package
 * loads it on first use with a dynamic `import()` (kept as `import()` in the CommonJS build because
 * tsconfig's `module` is Node16). {@link openHdf5}, {@link readHdf5}, {@link listHdf5} and
 * {@link writeHdf5} are `async` and load it themselves; after `await loadHdf5()` the synchronous
 * {@link Hdf5File.openSync} (and `readMat` on a v7.3 file) work too. This works the same in plain
 * Node ≥ 20, tsx, vitest and tslab cells (top-level `await` works in a cell).
 *
 * Files are read in place: h5wasm's Node build maps the host file system (Emscripten NODERAWFS), so
 * opening a file reads only its metadata, and a hyperslab read ({@link Hdf5ReadOptions.slice})
 * reads only the bytes of the selection.
 *
 * Hostile input: every failure of the HDF5 library (a bad signature, a truncated file, a corrupt
 * object header) is a {@link FormatError} naming the file; the size of every read is checked against
 * `maxBytes` before anything is allocated (a small file may declare a large dataset of fill values,
 * so pass a `maxBytes` that suits untrusted input). Limits that come from h5wasm: a library error
 * unwinds through HDF5 without closing the objects it had opened, and a reopened path would get
 * that stale state, so after any library error the instance is retired: synchronous calls are a
 * FormatError until `await loadHdf5()` (which every async function here calls) starts a fresh
 * instance. Each retired instance keeps its WebAssembly memory until the process exits, and one
 * process starts at most 64 (about 6 MB each). The WebAssembly heap holds at most 4 GiB, so read larger datasets by
 * hyperslab.
 * @module
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArgumentTypeError, FormatError, ShapeError, ValueError, isPointwiseError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel, type MultichannelMeta } from '../core/multichannel.js';
import { fileError } from './atomic.js';
import { budgetOption, checkBudget } from './budget.js';

/** The parts of h5wasm's API this adapter uses (its own types stay inside this file). */
interface H5Metadata {
  type: number;
  size: number;
  signed: boolean;
  littleEndian: boolean;
  shape: number[] | null;
  vlen: boolean;
  chunks: number[] | null;
  compound_type?: { members: (H5Metadata & { name: string; offset: number })[]; nmembers: number };
}
interface H5Attribute {
  readonly value: unknown;
  readonly metadata: H5Metadata;
}
interface H5Object {
  readonly attrs: Record<string, H5Attribute>;
  create_attribute(name: string, data: unknown, shape?: number[] | null, dtype?: string | null): void;
}
interface H5Group extends H5Object {
  keys(): string[];
  get(name: string): unknown;
  create_group(name: string): H5Group;
  create_dataset(args: { name: string; data: unknown; shape?: number[] | null; dtype?: string | null }): H5Dataset;
}
interface H5Dataset extends H5Object {
  readonly metadata: H5Metadata;
  readonly shape: number[] | null;
  readonly value: unknown;
  slice(ranges: ([] | [number | null] | [number | null, number | null] | [number | null, number | null, number | null])[]): unknown;
}
interface H5File extends H5Group {
  close(): number;
  flush(): void;
  dereference(ref: unknown): unknown;
}
interface H5Module {
  ready: Promise<{ activate_throwing_error_handler(): number }>;
  File: new (filename: string, mode?: string) => H5File;
  Group: abstract new (...args: never[]) => H5Group;
  Dataset: abstract new (...args: never[]) => H5Dataset;
}

/** HDF5 type classes (H5T_class_t). */
const H5T = { INTEGER: 0, FLOAT: 1, STRING: 3, COMPOUND: 6, REFERENCE: 7, ENUM: 8 } as const;

let loaded: H5Module | undefined;
let loading: Promise<H5Module> | undefined;
/**
 * Set when a library call failed: HDF5's error unwinds as a JavaScript exception without closing
 * what HDF5 had opened, and HDF5 would hand a reopened path its stale open-file state, so the
 * instance is not used again; {@link loadHdf5} starts a fresh one.
 */
let tainted: string | undefined;
/** Instances started so far (each later one is a fresh copy of h5wasm's module). */
let instances = 0;
/** Most fresh instances one process starts (each keeps its WebAssembly memory until exit). */
const MAX_INSTANCES = 64;

/** Where h5wasm's Node build is, as a file URL (its package exports only the `import` condition). */
function h5wasmUrl(): string {
  for (const dir of require.resolve.paths('h5wasm') ?? []) {
    const p = join(dir, 'h5wasm', 'dist', 'node', 'hdf5_hl.js');
    if (fs.existsSync(p)) return pathToFileURL(p).href;
  }
  throw new Error("Cannot find package 'h5wasm'");
}

/**
 * Loads h5wasm (once; later calls return at once). Every async function of this module calls it;
 * call it yourself before the synchronous {@link Hdf5File.openSync} or `readMat` on a v7.3 file.
 * @throws FormatError when h5wasm cannot be loaded (not installed, or its WebAssembly fails).
 * @example await loadHdf5(); const f = Hdf5File.openSync('cube.h5');
 */
export function loadHdf5(): Promise<void> {
  if (tainted !== undefined && loaded !== undefined && instances < MAX_INSTANCES) {
    loaded = undefined;
    loading = undefined;
  }
  if (!loading) {
    loading = (async () => {
      let mod: H5Module;
      try {
        // A fresh module instance (and so a fresh WebAssembly instance) for every start after the first.
        mod = (instances === 0 ? await import('h5wasm/node') : await import(`${h5wasmUrl()}?instance=${instances}`)) as unknown as H5Module;
        instances++;
        const m = await mod.ready;
        // Library errors become JavaScript exceptions carrying HDF5's error stack (nothing is printed).
        m.activate_throwing_error_handler();
      } catch (err) {
        loading = undefined;
        throw new FormatError(message('loadHdf5', 'the h5wasm package must load (npm install h5wasm)', { verbatim: String((err as Error)?.message ?? err) }));
      }
      loaded = mod;
      tainted = undefined;
      return mod;
    })();
  }
  return loading.then(() => undefined);
}

/**
 * The state of the h5wasm instances: how many were started, the most one process starts, and
 * whether the current one is retired after a library error (then `await loadHdf5()` starts a fresh
 * one while `instances < maxInstances`).
 */
export function hdf5Status(): { instances: number; maxInstances: number; retired: boolean } {
  return { instances, maxInstances: MAX_INSTANCES, retired: tainted !== undefined };
}

/** True once {@link loadHdf5} has finished. */
export function hdf5Loaded(): boolean {
  return loaded !== undefined;
}

function h5(fn: string): H5Module {
  if (tainted !== undefined) throw new FormatError(message(fn, 'h5wasm must be restarted after an HDF5 error: await loadHdf5() (the async readers do this)', { verbatim: `error earlier ${tainted}` }));
  if (!loaded) throw new FormatError(message(fn, 'h5wasm must be loaded first: await loadHdf5() (or use the async readers)', { verbatim: 'not loaded' }));
  return loaded;
}

/** The HDF5 file signature (first 8 bytes of the superblock). */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Offset of the HDF5 superblock in `bytes` (the start of a file): 0, 512, 1024, … (a userblock, as in
 * MATLAB v7.3 files, moves it), or -1 when `bytes` holds no HDF5 signature at those offsets.
 * @example hdf5SignatureOffset(fs.readFileSync('x.mat').subarray(0, 1024)) // 512 for MATLAB v7.3
 */
export function hdf5SignatureOffset(bytes: Uint8Array): number {
  for (let off = 0; off + 8 <= bytes.length; off = off === 0 ? 512 : off * 2) {
    let ok = true;
    for (let i = 0; i < 8 && ok; i++) ok = bytes[off + i] === SIGNATURE[i];
    if (ok) return off;
  }
  return -1;
}

/** True when the file at `path` starts with an HDF5 signature (at offset 0 or after a userblock of 512 or 1024 bytes). */
export function isHdf5File(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    const head = new Uint8Array(1032);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return hdf5SignatureOffset(head.subarray(0, n)) >= 0;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** An attribute value: numbers, strings, or arrays of them (numeric arrays as Float64Array). */
export type Hdf5AttrValue = number | string | boolean | Float64Array | string[] | null;

/** One group or dataset of a file. */
export interface Hdf5Entry {
  /** Path without the leading '/': `'meta/counts'`. */
  path: string;
  kind: 'group' | 'dataset';
  /** Dataset shape (C order, the first axis slowest); `[]` for a scalar. */
  shape?: number[];
  /** Dataset element type: 'float64', 'float32', 'int16', 'uint8', 'string', 'complex128', 'compound', … */
  dtype?: string;
  attrs: Record<string, Hdf5AttrValue>;
}

/** Options of {@link Hdf5File.read} and {@link readHdf5}. */
export interface Hdf5ReadOptions {
  /** Which axis of the dataset holds the channels (default 0; negative counts from the end). */
  channelAxis?: number;
  /**
   * A hyperslab: one `[start, end)` pair per axis (`[]` or omitted trailing axes take everything;
   * `null` ends mean the axis end). Only the selected bytes are read from disk.
   */
  slice?: readonly (readonly [number, number | null] | readonly [])[];
  /** Upper bound on the values read, 8 bytes each (default 2 GiB). */
  maxBytes?: number;
}

/** A dataset read as it is stored: C-order values as float64, with the imaginary part for complex data. */
export interface Hdf5Array {
  shape: number[];
  dtype: string;
  data: Float64Array;
  imag?: Float64Array;
  attrs: Record<string, Hdf5AttrValue>;
}

function dtypeName(m: H5Metadata): string {
  if (m.type === H5T.FLOAT) return `float${8 * m.size}`;
  if (m.type === H5T.INTEGER || m.type === H5T.ENUM) return `${m.signed ? 'int' : 'uint'}${8 * m.size}`;
  if (m.type === H5T.STRING) return 'string';
  if (m.type === H5T.REFERENCE) return 'reference';
  if (m.type === H5T.COMPOUND) return complexParts(m) ? `complex${16 * complexParts(m)!.size}` : 'compound';
  return `class${m.type}`;
}

/** The {real, imag} members of a compound type (MATLAB's and h5py's complex layout), or undefined. */
function complexParts(m: H5Metadata): { size: number } | undefined {
  const mem = m.compound_type?.members;
  if (!mem || mem.length !== 2) return undefined;
  const [a, b] = mem;
  const re = /^(r|re|real)$/i, im = /^(i|im|imag)$/i;
  if (!re.test(a.name) || !im.test(b.name)) return undefined;
  if (a.type !== H5T.FLOAT && a.type !== H5T.INTEGER) return undefined;
  if (b.type !== a.type || b.size !== a.size) return undefined;
  return { size: a.size };
}

/** Copies typed-array-like numeric data (including BigInt arrays) into a Float64Array. */
function toFloat64(fn: string, v: unknown, n: number): Float64Array {
  if (v instanceof Float64Array && v.length === n) return v.slice();
  if (ArrayBuffer.isView(v) && !(v instanceof DataView) && (v as unknown as ArrayLike<unknown>).length === n) {
    const a = v as unknown as ArrayLike<number | bigint>;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(a[i]);
    return out;
  }
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
    if (n !== 1) throw new FormatError(message(fn, `the dataset must hold ${n} values`, { verbatim: 'a scalar' }));
    return Float64Array.of(Number(v));
  }
  throw new FormatError(message(fn, `the dataset must read as ${n} numbers`, v));
}

/** Most values one attribute may hold to be read (larger ones, and other types, read as null). */
const MAX_ATTR_VALUES = 1 << 20;

/**
 * An attribute's value when it is numbers or strings (fixed or variable length) of a bounded count;
 * null for other types (references, variable-length sequences, compounds: NetCDF's DIMENSION_LIST,
 * for one), whose values are not needed here and whose declared lengths are not checked by h5wasm.
 */
function attrValue(a: H5Attribute): Hdf5AttrValue {
  const m = a.metadata;
  const count = (m.shape ?? []).reduce((p, n) => p * n, 1);
  if (m.type !== H5T.INTEGER && m.type !== H5T.FLOAT && m.type !== H5T.STRING) return null;
  if (!(count <= MAX_ATTR_VALUES) || !(m.size <= (m.type === H5T.STRING ? MAX_ATTR_VALUES : 8))) return null;
  const v = a.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number | bigint>;
    return Float64Array.from({ length: a.length }, (_, i) => Number(a[i]));
  }
  return null;
}

function attrsOf(o: H5Object): Record<string, Hdf5AttrValue> {
  const out: Record<string, Hdf5AttrValue> = Object.create(null) as Record<string, Hdf5AttrValue>;
  for (const [k, a] of Object.entries(o.attrs)) out[k] = attrValue(a);
  return out;
}

/** The last `#NNN:` line of an HDF5 error stack (the deepest cause), shortened. */
function hdf5Cause(err: unknown): string {
  const text = String((err as Error)?.message ?? err);
  const lines = text.split('\n').filter((l) => /^\s*#\d+:/.test(l));
  const last = lines.length > 0 ? lines[lines.length - 1] : text;
  return last.replace(/^\s*#\d+:\s*\S+ line \d+ in /, '').trim().slice(0, 300);
}

/**
 * Runs a library call; anything h5wasm or HDF5 throws becomes a FormatError naming `file`. A failed
 * call retires the instance (see the module notes) unless `retire` is false: a failed H5Fopen has
 * opened nothing (HDF5 reports the error after its own clean-up).
 */
function guard<T>(fn: string, file: string, what: string, f: () => T, retire = true): T {
  try {
    return f();
  } catch (err) {
    if (isPointwiseError(err)) throw err;
    if (retire) tainted = `in ${JSON.stringify(file)}`;
    throw new FormatError(message(fn, `${what} must succeed on a valid HDF5 file`, { verbatim: `${hdf5Cause(err)} (in ${JSON.stringify(file)})` }));
  }
}

/**
 * An open HDF5 file (read-only). Obtain one with `await openHdf5(path)` (or `Hdf5File.openSync`
 * after {@link loadHdf5}); close it with {@link Hdf5File.close}.
 */
export class Hdf5File {
  private file: H5File | undefined;
  /** The path the file was opened from. */
  readonly path: string;

  private constructor(path: string, file: H5File) {
    this.path = path;
    this.file = file;
  }

  /**
   * Opens `path` read-only; h5wasm must be loaded ({@link loadHdf5}).
   * @throws FileError when the file cannot be read; FormatError when it is not a valid HDF5 file.
   */
  static openSync(path: string): Hdf5File {
    const fn = 'Hdf5File.openSync';
    if (typeof path !== 'string' || path.length === 0) throw new ArgumentTypeError(message(fn, 'path must be a non-empty string', path));
    const mod = h5(fn);
    try {
      const st = fs.statSync(path);
      if (!st.isFile()) throw new Error('not a regular file');
      fs.accessSync(path, fs.constants.R_OK);
    } catch (err) {
      throw fileError(fn, 'open', path, err);
    }
    const f = guard(fn, path, 'opening the file', () => new mod.File(path, 'r'), false);
    return new Hdf5File(path, f);
  }

  private root(fn: string): H5File {
    if (!this.file) throw new ValueError(message(fn, 'the file must be open', { verbatim: `closed (${this.path})` }));
    return this.file;
  }

  private object(fn: string, name: string): H5Group | H5Dataset {
    const f = this.root(fn);
    if (typeof name !== 'string') throw new ArgumentTypeError(message(fn, 'the object name must be a string', name));
    const p = name.replace(/^\/+/, '') || '/';
    const o = p === '/' ? f : guard(fn, this.path, `reading ${JSON.stringify(p)}`, () => f.get(p));
    const mod = h5(fn);
    if (o instanceof mod.Group || o instanceof mod.Dataset || o === f) return o as H5Group | H5Dataset;
    throw new ValueError(message(fn, `${JSON.stringify(p)} must name a group or dataset of ${JSON.stringify(this.path)}`, { verbatim: o === null ? 'not found' : 'another kind of object' }));
  }

  private dataset(fn: string, name: string): H5Dataset {
    const o = this.object(fn, name);
    if (!(o instanceof h5(fn).Dataset)) throw new ValueError(message(fn, `${JSON.stringify(name)} must be a dataset`, { verbatim: 'a group' }));
    return o as H5Dataset;
  }

  /** True when `name` is a group or dataset of the file. */
  has(name: string): boolean {
    try {
      this.object('Hdf5File.has', name);
      return true;
    } catch (err) {
      if (err instanceof ValueError) return false;
      throw err;
    }
  }

  /** The kind of the object at `name` ('group' or 'dataset'). @throws ValueError when absent. */
  kind(name: string): 'group' | 'dataset' {
    return this.object('Hdf5File.kind', name) instanceof h5('Hdf5File.kind').Dataset ? 'dataset' : 'group';
  }

  /** Names of the members of group `name` (default the root). */
  keys(name = '/'): string[] {
    const fn = 'Hdf5File.keys';
    const g = this.object(fn, name);
    if (g instanceof h5(fn).Dataset) throw new ValueError(message(fn, `${JSON.stringify(name)} must be a group`, { verbatim: 'a dataset' }));
    return guard(fn, this.path, 'listing a group', () => (g as H5Group).keys());
  }

  /** Attributes of the object at `name` (default the root group). */
  attrs(name = '/'): Record<string, Hdf5AttrValue> {
    const fn = 'Hdf5File.attrs';
    const o = this.object(fn, name);
    return guard(fn, this.path, 'reading attributes', () => attrsOf(o));
  }

  /** Shape and element type of dataset `name`. */
  describe(name: string): { shape: number[]; dtype: string; chunks: number[] | null } {
    const fn = 'Hdf5File.describe';
    const d = this.dataset(fn, name);
    const m = guard(fn, this.path, 'reading a dataset header', () => d.metadata);
    return { shape: (m.shape ?? []).slice(), dtype: dtypeName(m), chunks: m.chunks };
  }

  /**
   * Every group and dataset below the root, depth first in the library's (name) order, with shapes,
   * types and attributes. Visits at most `maxEntries` objects (default 100 000).
   * @throws ShapeError when the file holds more objects than `maxEntries`.
   */
  list(maxEntries = 100_000): Hdf5Entry[] {
    const fn = 'Hdf5File.list';
    const out: Hdf5Entry[] = [];
    const mod = h5(fn);
    const visit = (g: H5Group, prefix: string, depth: number): void => {
      if (depth > 64) throw new FormatError(message(fn, 'groups must nest at most 64 deep', { verbatim: `${prefix} (in ${JSON.stringify(this.path)})` }));
      for (const k of guard(fn, this.path, 'listing a group', () => g.keys())) {
        if (out.length >= maxEntries) throw new ShapeError(message(fn, `the file must hold at most ${maxEntries} objects (maxEntries)`, { verbatim: `more (in ${JSON.stringify(this.path)})` }));
        const p = prefix + k;
        const o = guard(fn, this.path, `reading ${JSON.stringify(p)}`, () => g.get(k));
        if (o instanceof mod.Dataset) {
          const m = guard(fn, this.path, 'reading a dataset header', () => o.metadata);
          out.push({ path: p, kind: 'dataset', shape: (m.shape ?? []).slice(), dtype: dtypeName(m), attrs: guard(fn, this.path, 'reading attributes', () => attrsOf(o)) });
        } else if (o instanceof mod.Group) {
          out.push({ path: p, kind: 'group', attrs: guard(fn, this.path, 'reading attributes', () => attrsOf(o)) });
          visit(o, `${p}/`, depth + 1);
        }
      }
    };
    visit(this.root(fn), '', 0);
    return out;
  }

  /**
   * Reads dataset `name` (or a hyperslab of it) as stored: C-order values as float64; a complex
   * compound ({real, imag}) splits into `data` and `imag`; a string dataset is a FormatError.
   * @throws ShapeError when the selection exceeds `maxBytes`; ValueError for a bad slice.
   */
  readArray(name: string, options: Omit<Hdf5ReadOptions, 'channelAxis'> = {}): Hdf5Array {
    const fn = 'Hdf5File.readArray';
    const d = this.dataset(fn, name);
    const maxBytes = budgetOption(fn, 'maxBytes', options.maxBytes);
    const m = guard(fn, this.path, 'reading a dataset header', () => d.metadata);
    const full = (m.shape ?? []).slice();
    const shape = full.slice();
    let ranges: [number, number][] | undefined;
    if (options.slice !== undefined) {
      if (!Array.isArray(options.slice) || options.slice.length > full.length) throw new ValueError(message(fn, `options.slice must hold at most one [start, end) pair per axis (${full.length})`, options.slice));
      ranges = full.map((n, i) => {
        const r = options.slice![i];
        if (r === undefined || r.length === 0) return [0, n];
        const start = r[0];
        const end = r[1] ?? n;
        if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
          throw new ValueError(message(fn, `options.slice[${i}] must be [start, end) with 0 ≤ start ≤ end ≤ ${n}`, r));
        }
        return [start, end];
      });
      ranges.forEach(([s, e], i) => (shape[i] = e - s));
    }
    const count = shape.reduce((p, n) => p * n, 1);
    const complex = m.type === H5T.COMPOUND ? complexParts(m) : undefined;
    if (m.type !== H5T.FLOAT && m.type !== H5T.INTEGER && m.type !== H5T.ENUM && !complex) {
      throw new FormatError(message(fn, `${JSON.stringify(name)} must hold numbers (integer, float or a {real, imag} compound)`, { verbatim: dtypeName(m) }));
    }
    checkBudget(fn, `the selection (${shape.join(' × ') || 'scalar'} values × ${complex ? 16 : 8} bytes)`, count * (complex ? 16 : 8) + count * m.size, maxBytes, 'maxBytes');
    const raw = guard(fn, this.path, `reading ${JSON.stringify(name)}`, () => (ranges ? d.slice(ranges) : d.value));
    const attrs = guard(fn, this.path, 'reading attributes', () => attrsOf(d));
    if (complex) {
      if (!Array.isArray(raw) && count !== 1) throw new FormatError(message(fn, 'a complex dataset must read as pairs', raw));
      const rows = (count === 1 && !Array.isArray((raw as unknown[])[0]) ? [raw] : raw) as unknown[];
      if (rows.length !== count) throw new FormatError(message(fn, `a complex dataset must read as ${count} pairs`, { verbatim: `${rows.length}` }));
      const re = new Float64Array(count), im = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const p = rows[i] as [number | bigint, number | bigint];
        re[i] = Number(p[0]);
        im[i] = Number(p[1]);
      }
      return { shape, dtype: dtypeName(m), data: re, imag: im, attrs };
    }
    return { shape, dtype: dtypeName(m), data: toFloat64(fn, raw, count), attrs };
  }

  /**
   * The objects an object-reference dataset points to, as paths (without the leading '/'), in C
   * order; null for a reference that points nowhere. MATLAB v7.3 stores cell arrays and struct-array
   * fields this way. At most `maxCount` references are read (checked before reading).
   * @throws FormatError when `name` is not a dataset of object references; ShapeError beyond `maxCount`.
   * @example f.readReferences('c').paths // ['#refs#/a', '#refs#/b']
   */
  readReferences(name: string, maxCount = 1 << 20): { shape: number[]; paths: (string | null)[] } {
    const fn = 'Hdf5File.readReferences';
    const d = this.dataset(fn, name);
    const m = guard(fn, this.path, 'reading a dataset header', () => d.metadata);
    if (m.type !== H5T.REFERENCE || (m as H5Metadata & { ref_type?: string }).ref_type !== 'object') {
      throw new FormatError(message(fn, `${JSON.stringify(name)} must be a dataset of object references`, { verbatim: `${dtypeName(m)} (in ${JSON.stringify(this.path)})` }));
    }
    const shape = (m.shape ?? []).slice();
    const count = shape.reduce((p, n) => p * n, 1);
    if (!(count <= maxCount)) throw new ShapeError(message(fn, `${JSON.stringify(name)} must hold at most ${maxCount} references`, { verbatim: `${shape.join(' × ')} (in ${JSON.stringify(this.path)})` }));
    const f = this.root(fn);
    const raw = guard(fn, this.path, `reading the references of ${JSON.stringify(name)}`, () => d.value);
    const refs = (Array.isArray(raw) ? raw.flat(Infinity) : [raw]) as unknown[];
    if (refs.length !== count) throw new FormatError(message(fn, `${JSON.stringify(name)} must read as ${count} references`, { verbatim: `${refs.length} (in ${JSON.stringify(this.path)})` }));
    const paths = refs.map((r) => {
      const o = guard(fn, this.path, `following a reference of ${JSON.stringify(name)}`, () => f.dereference(r)) as { path?: unknown } | null;
      return o && typeof o.path === 'string' ? o.path.replace(/^\/+/, '') : null;
    });
    return { shape, paths };
  }

  /**
   * Reads dataset `name` (or a hyperslab) into a Multichannel: axis `channelAxis` (default 0) becomes
   * the channels, the other axes (in order) the samples; with two or more other axes they are the
   * image `shape`. float32 data stays float32 (exact), every other numeric type becomes float64.
   * Attributes `sample_rate` / `sampleRate` set the sample rate; `labels` (strings, one per channel)
   * the labels; `wavelength` (numbers, one per channel, with `wavelength_units`, default 'nm') the
   * channel coordinates — the attributes {@link writeHdf5} writes.
   * `[C, ...rest]` → `[C, prod(rest)]`, shape `rest` when rest has ≥ 2 axes.
   * @throws ValueError for a bad axis or slice; ShapeError beyond `maxBytes`; FormatError for non-numeric data.
   * @example (await openHdf5('cube.h5')).read('cube', { slice: [[0, 3]] }) // first 3 bands
   */
  read(name: string, options: Hdf5ReadOptions = {}): Multichannel {
    const fn = 'Hdf5File.read';
    const a = this.readArray(name, options);
    if (a.imag) throw new FormatError(message(fn, `${JSON.stringify(name)} must be real (read complex data with readArray)`, { verbatim: a.dtype }));
    const nd = Math.max(1, a.shape.length);
    const axis = options.channelAxis ?? 0;
    const r = Number.isInteger(axis) && axis >= -nd && axis < nd ? options.slice?.[axis < 0 ? axis + nd : axis] : undefined;
    const first = r !== undefined && r.length > 0 ? (r[0] ?? 0) : 0;
    return arrayToMultichannel(fn, a, axis, this.describe(name).dtype === 'float32', first);
  }

  /** Closes the file (idempotent; after an HDF5 error the retired instance is left alone). */
  close(): void {
    if (this.file) {
      const f = this.file;
      this.file = undefined;
      if (tainted === undefined) guard('Hdf5File.close', this.path, 'closing the file', () => f.close());
    }
  }
}

/** `a` as channels on axis `axisOpt`; per-channel attributes are taken from index `first` on (a sliced channel axis). */
function arrayToMultichannel(fn: string, a: Hdf5Array, axisOpt: number, float32: boolean, first: number): Multichannel {
  const shape = a.shape.length === 0 ? [1] : a.shape;
  const nd = shape.length;
  if (!Number.isInteger(axisOpt) || axisOpt < -nd || axisOpt >= nd) throw new ValueError(message(fn, `options.channelAxis must be an integer in [${-nd}, ${nd - 1}]`, axisOpt));
  const axis = axisOpt < 0 ? axisOpt + nd : axisOpt;
  const C = shape[axis];
  const rest = shape.filter((_, i) => i !== axis);
  const L = rest.reduce((p, n) => p * n, 1);
  if (C === 0) throw new ShapeError(message(fn, 'the channel axis must not be empty', { verbatim: `[${shape.join(', ')}]` }));
  const outer = shape.slice(0, axis).reduce((p, n) => p * n, 1);
  const inner = shape.slice(axis + 1).reduce((p, n) => p * n, 1);
  const out = float32 ? new Float32Array(C * L) : new Float64Array(C * L);
  if (axis === 0) out.set(a.data);
  else {
    // Element (o, c, i) of [outer, C, inner] goes to channel c, sample o·inner + i.
    for (let o = 0; o < outer; o++) for (let c = 0; c < C; c++) {
      const src = (o * C + c) * inner;
      out.set(a.data.subarray(src, src + inner), c * L + o * inner);
    }
  }
  const meta: MultichannelMeta = {};
  if (rest.length >= 2) (meta as { shape?: number[] }).shape = rest;
  const sr = a.attrs.sample_rate ?? a.attrs.sampleRate;
  const srv = sr instanceof Float64Array && sr.length === 1 ? sr[0] : sr;
  if (typeof srv === 'number' && Number.isFinite(srv) && srv > 0) (meta as { sampleRate?: number }).sampleRate = srv;
  // Per-channel attributes describe the whole channel axis; a hyperslab keeps its own channels' entries.
  const full = a.attrs.labels;
  const total = Array.isArray(full) ? full.length : a.attrs.wavelength instanceof Float64Array ? a.attrs.wavelength.length : 0;
  const fits = (n: number): boolean => n === C || (n === total && first + C <= n && total > C);
  if (Array.isArray(full) && fits(full.length)) (meta as { labels?: string[] }).labels = full.length === C ? full : full.slice(first, first + C);
  const wl = a.attrs.wavelength;
  if (wl instanceof Float64Array && fits(wl.length)) {
    const unit = typeof a.attrs.wavelength_units === 'string' ? a.attrs.wavelength_units : 'nm';
    (meta as { coords?: unknown }).coords = { name: 'wavelength', unit, width: 1, values: wl.length === C ? wl : wl.slice(first, first + C) };
  }
  return new Multichannel(out, C, L, meta);
}

/**
 * Opens an HDF5 (or NetCDF-4, MATLAB v7.3, SOFA) file read-only, loading h5wasm when needed.
 * @throws FileError when unreadable; FormatError when not HDF5.
 * @example const f = await openHdf5('cube.h5'); try { f.list() } finally { f.close() }
 */
export async function openHdf5(path: string): Promise<Hdf5File> {
  await loadHdf5();
  return Hdf5File.openSync(path);
}

/**
 * Lists the groups and datasets of an HDF5 file with shapes, types and attributes.
 * @example (await listHdf5('cube.h5')).map((e) => e.path) // ['cube', 'meta', 'meta/counts']
 */
export async function listHdf5(path: string): Promise<Hdf5Entry[]> {
  const f = await openHdf5(path);
  try {
    return f.list();
  } finally {
    f.close();
  }
}

/**
 * Reads dataset `name` of an HDF5 file into a Multichannel (see {@link Hdf5File.read}).
 * @example const x = await readHdf5('cube.h5', 'cube', { channelAxis: 0, slice: [[0, 3]] })
 */
export async function readHdf5(path: string, name: string, options: Hdf5ReadOptions = {}): Promise<Multichannel> {
  const f = await openHdf5(path);
  try {
    return f.read(name, options);
  } finally {
    f.close();
  }
}

/** Options of {@link writeHdf5}. */
export interface Hdf5WriteOptions {
  /** 'w' (default) replaces the file; 'a' adds the dataset to an existing file (or creates it). */
  mode?: 'w' | 'a';
  /** Extra attributes of the dataset (numbers, strings, or numeric arrays). */
  attrs?: Record<string, number | string | readonly number[] | Float64Array>;
}

/**
 * Writes `x` as dataset `name`, shape `[channels, ...shape]` (an image) or `[channels, length]`, in
 * its own dtype (float64 or float32), with attributes `sample_rate`, `labels`, `wavelength` +
 * `wavelength_units` from its metadata — what {@link Hdf5File.read} turns back into the same
 * Multichannel, bit for bit. Groups in `name` (`'a/b/x'`) are created.
 * @throws ArgumentTypeError for a non-Multichannel; ValueError for a bad name or mode; FormatError when HDF5 fails (e.g. the dataset exists).
 * @example await writeHdf5('out.h5', 'signal', x); (await readHdf5('out.h5', 'signal')).data
 */
export async function writeHdf5(path: string, name: string, x: Multichannel, options: Hdf5WriteOptions = {}): Promise<void> {
  const fn = 'writeHdf5';
  assertMultichannel(fn, 'x', x);
  if (typeof path !== 'string' || path.length === 0) throw new ArgumentTypeError(message(fn, 'path must be a non-empty string', path));
  const parts = typeof name === 'string' ? name.replace(/^\/+/, '').split('/') : [];
  if (parts.length === 0 || parts.some((p) => p.length === 0 || p === '.' || p === '..')) throw new ValueError(message(fn, "name must be a dataset path such as 'x' or 'group/x'", name));
  const mode = options.mode ?? 'w';
  if (mode !== 'w' && mode !== 'a') throw new ValueError(message(fn, "options.mode must be 'w' or 'a'", mode));
  await loadHdf5();
  const mod = h5(fn);
  const f = guard(fn, path, 'creating the file', () => new mod.File(path, mode));
  try {
    guard(fn, path, `writing ${JSON.stringify(name)}`, () => {
      let g: H5Group = f;
      for (const p of parts.slice(0, -1)) {
        const o = g.get(p);
        g = o instanceof mod.Group ? (o as H5Group) : g.create_group(p);
      }
      const shape = [x.channels, ...(x.shape ?? [x.length])];
      const d = g.create_dataset({ name: parts[parts.length - 1], data: x.data, shape, dtype: x.dtype === 'float32' ? '<f' : '<d' });
      if (x.sampleRate !== undefined) d.create_attribute('sample_rate', x.sampleRate, null, '<d');
      if (x.labels !== undefined) d.create_attribute('labels', [...x.labels]);
      if (x.coords && x.coords.width === 1) {
        d.create_attribute('wavelength', Float64Array.from(x.coords.values), null, '<d');
        d.create_attribute('wavelength_units', x.coords.unit);
      }
      for (const [k, v] of Object.entries(options.attrs ?? {})) {
        if (typeof v === 'string') d.create_attribute(k, v);
        else if (typeof v === 'number') d.create_attribute(k, v, null, '<d');
        else d.create_attribute(k, Float64Array.from(v), null, '<d');
      }
    });
  } finally {
    guard(fn, path, 'closing the file', () => f.close());
  }
}
