/**
 * MATLAB level-5 MAT-file reader (the `save -v7` format most public hyperspectral cubes ship in):
 * numeric and logical matrices of any dimension, stored plainly or in `miCOMPRESSED` (zlib)
 * elements, either byte order. Cell, struct, object and sparse arrays are listed in `skipped`, not
 * read. v7.3 files (HDF5) are read by {@link readMat} / {@link readMatAsync} through the HDF5
 * reader (src/io/mat73.ts); {@link decodeMat}, which sees only bytes, rejects them.
 *
 * Written here rather than taken from npm: `mat-for-js` 1.1 (the only maintained candidate) ships no
 * types, depends on pako for what node:zlib does, and does not bound sizes declared by the file.
 *
 * Robustness: every declared size is checked against the bytes actually present before anything is
 * allocated; a compressed element's declared size is read from the first inflated bytes and checked
 * against what deflate can produce from its compressed size and against the file's remaining
 * inflation budget (`maxDecompressedBytes`, for the whole file) before it is inflated, and inflation
 * stops at the declared size; decoded arrays count against `maxBytes`. A lying header cannot make
 * the reader allocate more than the data it really contains, nor more than the budgets.
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { constants as zc, inflateSync } from 'node:zlib';
import { ArgumentTypeError, FormatError, ShapeError, ValueError, isPointwiseError, message } from '../core/errors.js';
import { Multichannel } from '../core/multichannel.js';
import { readFileChecked } from './atomic.js';
import { budgetOption, checkBudget } from './budget.js';
import { loadHdf5 } from './hdf5.js';
import { isMat73Header, readMat73 } from './mat73.js';

/** MATLAB array classes read by {@link decodeMat}. */
export type MatClass = 'double' | 'single' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'logical' | 'char';

/** One named array from a MAT-file. `data` is column-major (MATLAB order): element (i, j, k) at i + j·d0 + k·d0·d1. */
export interface MatArray {
  name: string;
  class: MatClass;
  /** MATLAB dimensions (at least 2). */
  dims: number[];
  /** Real part, column-major, as float64 (int64/uint64 beyond 2^53 lose precision). */
  data: Float64Array;
  /** Imaginary part when the array is complex and `complex: 'split'` was asked for. */
  imag?: Float64Array;
  complex: boolean;
}

/** The contents of a MAT-file. */
export interface MatFile {
  /** The 116-byte descriptive text of the header, trimmed. */
  header: string;
  /** Numeric, logical and char arrays by name. */
  arrays: Record<string, MatArray>;
  /** Variables that were not read, with their class (cell, struct, sparse, object, function...). */
  skipped: { name: string; class: string }[];
  /**
   * v7.3 files: the cells, structs and sparse matrices whose contents are in `arrays` under MATLAB's
   * indexing syntax (`c{2}`, `sa(1).x`, `st.a`; a sparse matrix under its own name, dense).
   */
  containers?: Record<string, MatContainer>;
}

/** A cell array, struct (array) or sparse matrix of a v7.3 MAT-file (see {@link MatFile.containers}). */
export interface MatContainer {
  class: 'cell' | 'struct' | 'sparse';
  /** MATLAB dimensions. */
  dims: number[];
  /** Struct field names, in the file's (name) order. */
  fields?: string[];
  /** Sparse: the stored nonzeros. */
  nnz?: number;
}

/** Options of {@link readMat} / {@link decodeMat}. */
export interface MatReadOptions {
  /** Complex arrays: `'reject'` (default, FormatError), `'real'` (keep the real part), `'split'` (real in data, imaginary in imag). */
  complex?: 'reject' | 'real' | 'split';
  /**
   * Upper bound on the inflated size of all compressed elements of the file together (default
   * 2 GiB). A file needing more is a ShapeError naming both sizes, raised before inflating.
   */
  maxDecompressedBytes?: number;
  /** Upper bound on the decoded arrays (float64, 8 bytes per value) together (default 2 GiB). */
  maxBytes?: number;
}

/** The budgets of one decode, with what is left of them. */
interface Budget {
  inflateLeft: number;
  inflateMax: number;
  outLeft: number;
  outMax: number;
}

/** Most bytes one compressed byte of a deflate stream can inflate to (RFC 1951: 258 per 2 bits) plus slack. */
const DEFLATE_MAX_RATIO = 1032;

const FN = 'decodeMat';
const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16, UTF16: 17, UTF32: 18 } as const;
const MI_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4 };
const CLASS_NAMES: Record<number, string> = {
  1: 'cell', 2: 'struct', 3: 'object', 4: 'char', 5: 'sparse', 6: 'double', 7: 'single', 8: 'int8', 9: 'uint8',
  10: 'int16', 11: 'uint16', 12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64', 16: 'function', 17: 'opaque',
};

interface Element {
  type: number;
  /** Start of the payload in the view. */
  start: number;
  bytes: number;
  /** Offset of the next element. */
  next: number;
}

class Cursor {
  constructor(
    readonly view: DataView,
    readonly le: boolean,
  ) {}

  /** Reads the tag at `pos`, checking the payload lies within `[pos, end)`. */
  element(pos: number, end: number, padded = true): Element {
    if (pos + 8 > end) throw new FormatError(message(FN, 'a data element tag needs 8 bytes', { verbatim: `${end - pos} bytes left at offset ${pos}` }));
    const first = this.view.getUint32(pos, this.le);
    if (first >>> 16 !== 0) {
      // small data element: type in the low 16 bits, size in the high 16 bits, payload in the next 4 bytes
      const type = first & 0xffff;
      const bytes = first >>> 16;
      if (bytes > 4) throw new FormatError(message(FN, 'a small data element holds at most 4 bytes', { verbatim: `${bytes} at offset ${pos}` }));
      return { type, start: pos + 4, bytes, next: pos + 8 };
    }
    const type = first;
    const bytes = this.view.getUint32(pos + 4, this.le);
    if (pos + 8 + bytes > end) {
      throw new FormatError(message(FN, 'a data element must fit in the file (its declared size is larger than the bytes left)', { verbatim: `${bytes} bytes declared at offset ${pos}, ${end - pos - 8} left` }));
    }
    const next = pos + 8 + (padded && type !== MI.COMPRESSED ? Math.ceil(bytes / 8) * 8 : bytes);
    return { type, start: pos + 8, bytes, next: Math.min(next, end) };
  }
}

function decodeNumeric(c: Cursor, e: Element, count: number, what: string): Float64Array {
  const size = MI_SIZE[e.type];
  if (size === undefined) throw new FormatError(message(FN, `${what} must be a numeric data element (types 1–7, 9, 12, 13, 16–18)`, e.type));
  if (e.bytes !== count * size) {
    throw new FormatError(message(FN, `${what} must hold dims product × element size = ${count} × ${size} = ${count * size} bytes`, { verbatim: `${e.bytes} bytes` }));
  }
  const out = new Float64Array(count);
  const v = c.view;
  const le = c.le;
  let p = e.start;
  switch (e.type) {
    case MI.INT8: for (let i = 0; i < count; i++, p++) out[i] = v.getInt8(p); break;
    case MI.UINT8: case MI.UTF8: for (let i = 0; i < count; i++, p++) out[i] = v.getUint8(p); break;
    case MI.INT16: for (let i = 0; i < count; i++, p += 2) out[i] = v.getInt16(p, le); break;
    case MI.UINT16: case MI.UTF16: for (let i = 0; i < count; i++, p += 2) out[i] = v.getUint16(p, le); break;
    case MI.INT32: for (let i = 0; i < count; i++, p += 4) out[i] = v.getInt32(p, le); break;
    case MI.UINT32: case MI.UTF32: for (let i = 0; i < count; i++, p += 4) out[i] = v.getUint32(p, le); break;
    case MI.SINGLE: for (let i = 0; i < count; i++, p += 4) out[i] = v.getFloat32(p, le); break;
    case MI.DOUBLE:
      if (le && (v.byteOffset + p) % 8 === 0) out.set(new Float64Array(v.buffer, v.byteOffset + p, count));
      else for (let i = 0; i < count; i++, p += 8) out[i] = v.getFloat64(p, le);
      break;
    case MI.INT64: for (let i = 0; i < count; i++, p += 8) out[i] = Number(v.getBigInt64(p, le)); break;
    case MI.UINT64: for (let i = 0; i < count; i++, p += 8) out[i] = Number(v.getBigUint64(p, le)); break;
  }
  return out;
}

type Opts = Required<Pick<MatReadOptions, 'complex'>> & { budget: Budget };

function takeOutput(opts: Opts, count: number, name: string): void {
  const b = opts.budget;
  checkBudget(FN, `the decoded arrays (so far ${b.outMax - b.outLeft} bytes, plus ${count} values × 8 bytes of '${name}')`, b.outMax - b.outLeft + count * 8, b.outMax, 'maxBytes');
  b.outLeft -= count * 8;
}

function readMatrix(c: Cursor, start: number, end: number, opts: Opts, out: MatFile): void {
  // array flags
  const flags = c.element(start, end);
  if (flags.type !== MI.UINT32 || flags.bytes !== 8) throw new FormatError(message(FN, 'a matrix must start with 8 bytes of array flags (miUINT32)', { verbatim: `type ${flags.type}, ${flags.bytes} bytes` }));
  const f0 = c.view.getUint32(flags.start, c.le);
  const cls = f0 & 0xff;
  const isComplex = (f0 & 0x800) !== 0;
  const isLogical = (f0 & 0x200) !== 0;
  const dimsEl = c.element(flags.next, end);
  if (dimsEl.type !== MI.INT32 || dimsEl.bytes % 4 !== 0 || dimsEl.bytes < 8) throw new FormatError(message(FN, 'matrix dimensions must be at least two miINT32 values', { verbatim: `type ${dimsEl.type}, ${dimsEl.bytes} bytes` }));
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < dimsEl.bytes / 4; i++) {
    const d = c.view.getInt32(dimsEl.start + 4 * i, c.le);
    if (d < 0) throw new FormatError(message(FN, 'matrix dimensions must be ≥ 0', d));
    dims.push(d);
    count *= d;
  }
  const nameEl = c.element(dimsEl.next, end);
  if (nameEl.type !== MI.INT8 && nameEl.type !== MI.UINT8 && nameEl.type !== MI.UTF8) throw new FormatError(message(FN, 'the array name must be an miINT8 element', nameEl.type));
  let name = '';
  for (let i = 0; i < nameEl.bytes; i++) name += String.fromCharCode(c.view.getUint8(nameEl.start + i));
  const className = CLASS_NAMES[cls] ?? `class ${cls}`;
  if (cls < 4 || cls === 5 || cls > 15) {
    out.skipped.push({ name, class: className });
    return;
  }
  if (isComplex && opts.complex === 'reject') {
    throw new FormatError(message(FN, `complex arrays are not read unless options.complex is 'real' or 'split'`, { verbatim: `complex ${className} '${name}'` }));
  }
  if (Object.prototype.hasOwnProperty.call(out.arrays, name)) throw new FormatError(message(FN, 'variable names must be unique', { verbatim: JSON.stringify(name) }));
  const realEl = c.element(nameEl.next, end);
  takeOutput(opts, count, name);
  const data = decodeNumeric(c, realEl, count, `the real part of '${name}'`);
  const arr: MatArray = { name, class: isLogical ? 'logical' : (className as MatClass), dims, data, complex: isComplex };
  if (isComplex && opts.complex === 'split') {
    const imEl = c.element(realEl.next, end);
    takeOutput(opts, count, name);
    arr.imag = decodeNumeric(c, imEl, count, `the imaginary part of '${name}'`);
  }
  out.arrays[name] = arr;
}

/**
 * Inflates the compressed element `e`: first a prefix, to read the inner element's declared size,
 * which is checked against what deflate can produce from `e.bytes` and against the remaining budget;
 * then the whole stream, stopping at that size.
 */
function inflateElement(c: Cursor, e: Element, pos: number, budget: Budget): Buffer {
  const src = new Uint8Array(c.view.buffer, c.view.byteOffset + e.start, e.bytes);
  const bad = (err: unknown): FormatError => new FormatError(message(FN, 'a compressed element must be a valid zlib stream', { verbatim: `${(err as Error).message} at offset ${pos}` }));
  let head: Buffer;
  try {
    head = inflateSync(src.subarray(0, Math.min(src.length, 512)), { finishFlush: zc.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw bad(err);
    head = Buffer.alloc(0);
  }
  let limit = budget.inflateLeft;
  if (head.length >= 8) {
    const inner = new Cursor(new DataView(head.buffer, head.byteOffset, head.length), c.le);
    const type = inner.view.getUint32(0, c.le);
    const declared = type >>> 16 !== 0 ? 8 : 8 + inner.view.getUint32(4, c.le);
    const possible = DEFLATE_MAX_RATIO * e.bytes + 1024;
    if (declared > possible) {
      throw new FormatError(message(FN, `a compressed element's content must be no larger than deflate can produce from its ${e.bytes} bytes (${possible})`, { verbatim: `${declared} bytes declared at offset ${pos}` }));
    }
    checkBudget(FN, `the inflated elements (so far ${budget.inflateMax - budget.inflateLeft} bytes, plus ${declared} declared at offset ${pos})`, budget.inflateMax - budget.inflateLeft + declared, budget.inflateMax, 'maxDecompressedBytes');
    limit = declared;
    // The decoded array's size, from the dimensions in the first bytes, is checked before inflating too.
    const count = peekCount(inner, head.length);
    if (count !== null) checkBudget(FN, `the decoded arrays (so far ${budget.outMax - budget.outLeft} bytes, plus ${count} values × 8 bytes declared at offset ${pos})`, budget.outMax - budget.outLeft + count * 8, budget.outMax, 'maxBytes');
  }
  let inflated: Buffer;
  try {
    inflated = inflateSync(src, { maxOutputLength: Math.max(1, limit) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw bad(err);
    if (limit < budget.inflateLeft) throw new FormatError(message(FN, `a compressed element must inflate to its declared ${limit} bytes`, { verbatim: `more at offset ${pos}` }));
    throw new ShapeError(message(FN, `the inflated elements must fit in options.maxDecompressedBytes = ${budget.inflateMax} bytes (raise options.maxDecompressedBytes to allow more)`, { verbatim: `more at offset ${pos}` }));
  }
  budget.inflateLeft -= inflated.length;
  return inflated;
}

/** The number of values an inflated miMATRIX declares in its dimensions, when `head` holds them; else null. */
function peekCount(c: Cursor, end: number): number | null {
  try {
    if (c.view.getUint32(0, c.le) !== MI.MATRIX) return null;
    const flags = c.element(8, end);
    const cls = c.view.getUint32(flags.start, c.le) & 0xff;
    if (cls < 4 || cls === 5 || cls > 15) return null;
    const dimsEl = c.element(flags.next, end);
    if (dimsEl.type !== MI.INT32) return null;
    let count = 1;
    for (let i = 0; i < dimsEl.bytes / 4; i++) count *= Math.max(0, c.view.getInt32(dimsEl.start + 4 * i, c.le));
    return count;
  } catch {
    return null;
  }
}

function readElements(c: Cursor, start: number, end: number, opts: Opts, out: MatFile, depth: number): void {
  let pos = start;
  while (pos + 8 <= end) {
    const e = c.element(pos, end);
    if (e.type === MI.COMPRESSED) {
      if (depth > 0) throw new FormatError(message(FN, 'compressed elements must not nest', { verbatim: `at offset ${pos}` }));
      const inflated = inflateElement(c, e, pos, opts.budget);
      const inner = new Cursor(new DataView(inflated.buffer, inflated.byteOffset, inflated.length), c.le);
      readElements(inner, 0, inflated.length, opts, out, depth + 1);
    } else if (e.type === MI.MATRIX) {
      if (e.bytes > 0) readMatrix(c, e.start, e.start + e.bytes, opts, out);
    } else {
      throw new FormatError(message(FN, 'top-level elements must be miMATRIX (14) or miCOMPRESSED (15)', { verbatim: `type ${e.type} at offset ${pos}` }));
    }
    if (e.next <= pos) break;
    pos = e.next;
  }
}

/**
 * Decodes a level-5 MAT-file from bytes.
 * @throws FormatError for a v7.3 (HDF5) or v4 file, a bad header, an element whose declared size
 *   exceeds the bytes present, an invalid zlib stream, or a complex array with `complex: 'reject'`.
 * @example const m = decodeMat(fs.readFileSync('Samson.mat')); m.arrays.Y.dims // [156, 9025]
 */
export function decodeMat(bytes: Uint8Array, options: MatReadOptions = {}): MatFile {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentTypeError(message(FN, 'bytes must be a Uint8Array', bytes));
  const complex = options.complex ?? 'reject';
  if (complex !== 'reject' && complex !== 'real' && complex !== 'split') throw new ValueError(message(FN, "options.complex must be 'reject', 'real' or 'split'", complex));
  const maxDecompressedBytes = budgetOption(FN, 'maxDecompressedBytes', options.maxDecompressedBytes);
  const maxBytes = budgetOption(FN, 'maxBytes', options.maxBytes);
  if (bytes.length < 128) throw new FormatError(message(FN, 'a level-5 MAT-file must start with a 128-byte header', { verbatim: `${bytes.length} bytes` }));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let text = '';
  for (let i = 0; i < 116; i++) text += String.fromCharCode(bytes[i]);
  const ind = String.fromCharCode(bytes[126], bytes[127]);
  if (ind !== 'IM' && ind !== 'MI') throw new FormatError(message(FN, "bytes 126–127 must be the endian indicator 'IM' or 'MI' (level-5 MAT-file)", ind));
  const le = ind === 'IM';
  const version = view.getUint16(124, le);
  if (version === 0x0200) throw new FormatError(message(FN, 'MAT-file v7.3 (HDF5) is not supported from bytes; read the file with readMat or readMatAsync', { verbatim: 'version 0x0200' }));
  if (version !== 0x0100) throw new FormatError(message(FN, 'the MAT-file version must be 0x0100', version));
  if (!text.startsWith('MATLAB')) throw new FormatError(message(FN, "the header text must start with 'MATLAB'", text.slice(0, 20)));
  // A null-prototype record: a variable named '__proto__' or 'constructor' is an ordinary entry.
  const out: MatFile = { header: text.replace(/[\s\0]+$/, ''), arrays: Object.create(null) as Record<string, MatArray>, skipped: [] };
  const budget: Budget = { inflateLeft: maxDecompressedBytes, inflateMax: maxDecompressedBytes, outLeft: maxBytes, outMax: maxBytes };
  readElements(new Cursor(view, le), 128, bytes.length, { complex, budget }, out, 0);
  return out;
}

/** The first `n` bytes of a file (fewer when it is shorter); undefined when it cannot be read. */
function fileHead(path: string, n: number): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const b = new Uint8Array(n);
    return b.subarray(0, readSync(fd, b, 0, n, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Reads a MAT-file from disk: level 5 (see {@link decodeMat}) or v7.3 (HDF5, see `readMat73`: h5wasm
 * must have been loaded with `await loadHdf5()`; {@link readMatAsync} does that itself).
 * @throws FileError when unreadable; FormatError for a v7.3 file before `loadHdf5()`.
 */
export function readMat(path: string, options: MatReadOptions = {}): MatFile {
  const head = typeof path === 'string' ? fileHead(path, 1032) : undefined;
  if (head && isMat73Header(head)) return readMat73(path, options);
  const bytes = readFileChecked('readMat', path);
  try {
    return decodeMat(bytes, options);
  } catch (err) {
    if (!isPointwiseError(err) || err instanceof ArgumentTypeError) throw err;
    err.message = `${err.message} (in ${JSON.stringify(path)})`;
    throw err;
  }
}

/**
 * {@link readMat} for any MAT-file version, loading the HDF5 reader first when the file is v7.3.
 * @example const m = await readMatAsync('data73.mat', { complex: 'split' }); m.arrays.Z.imag
 */
export async function readMatAsync(path: string, options: MatReadOptions = {}): Promise<MatFile> {
  const head = typeof path === 'string' ? fileHead(path, 1032) : undefined;
  if (head && isMat73Header(head)) await loadHdf5();
  return readMat(path, options);
}

/** Options of {@link matToMultichannel}. */
export interface MatToMultichannelOptions {
  /**
   * For a 2-D array `[channels, pixels]` (such as `Y`, bands × pixels): the image `[rows, cols]` the
   * pixels fill. Pixels are taken in MATLAB's column-major order (pixel p at row p mod rows, column
   * floor(p / rows)) unless `pixelOrder: 'row-major'`.
   */
  imageShape?: readonly [number, number];
  pixelOrder?: 'column-major' | 'row-major';
}

/**
 * Turns a MAT array into a Multichannel with row-major pixels:
 * - 3-D `[rows, cols, channels]` (e.g. abundance maps `S_GT`) → `[channels, rows·cols]`, shape `[rows, cols]`;
 * - 2-D `[channels, pixels]` → `[channels, pixels]`, reordered to row-major when `imageShape` is given.
 * @throws ShapeError when `imageShape` does not multiply to the pixel count or dims are not 2-D/3-D.
 * @example matToMultichannel(readMat('Samson.mat').arrays.Y, { imageShape: [95, 95] })
 */
export function matToMultichannel(a: MatArray, options: MatToMultichannelOptions = {}): Multichannel {
  const fn = 'matToMultichannel';
  const dims = a.dims.length > 2 && a.dims.slice(3).every((d) => d === 1) ? a.dims.slice(0, 3) : a.dims;
  // Every loop below is bounded by the data that exists: the dimensions must multiply to it.
  const total = a.dims.reduce((p, d) => p * d, 1);
  if (total !== a.data.length || total === 0) {
    throw new ShapeError(message(fn, `the dimensions must multiply to the number of values (${a.data.length}), at least one`, { verbatim: `[${a.dims.join(', ')}]` }));
  }
  if (dims.length === 3) {
    const [R, C, K] = dims;
    const N = R * C;
    const out = new Float64Array(K * N);
    for (let k = 0; k < K; k++) {
      const base = k * N;
      for (let c = 0; c < C; c++) for (let r = 0; r < R; r++) out[base + r * C + c] = a.data[r + c * R + k * N];
    }
    return new Multichannel(out, K, N, { shape: [R, C] });
  }
  if (dims.length !== 2) throw new ShapeError(message(fn, 'the array must be 2-D [channels, pixels] or 3-D [rows, cols, channels]', { verbatim: `[${a.dims.join(', ')}]` }));
  const [K, N] = dims;
  const out = new Float64Array(K * N);
  if (options.imageShape) {
    const [R, C] = options.imageShape;
    if (R * C !== N) throw new ShapeError(message(fn, `imageShape must multiply to the pixel count ${N}`, { verbatim: `[${R}, ${C}]` }));
    const colMajor = (options.pixelOrder ?? 'column-major') === 'column-major';
    for (let p = 0; p < N; p++) {
      const dst = colMajor ? (p % R) * C + Math.floor(p / R) : p;
      for (let k = 0; k < K; k++) out[k * N + dst] = a.data[k + p * K];
    }
    return new Multichannel(out, K, N, { shape: [R, C] });
  }
  for (let p = 0; p < N; p++) for (let k = 0; k < K; k++) out[k * N + p] = a.data[k + p * K];
  return new Multichannel(out, K, N);
}
