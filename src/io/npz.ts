/**
 * NumPy `.npz` containers: a zip of `.npy` entries (what `numpy.savez` writes and `numpy.load` opens),
 * plus any other named byte entries (pointwise keeps a JSON description of a model there).
 *
 * The zip layer is fflate's `zipSync`/`unzipSync` (src/io/npz.ts is its only importer); the `.npy`
 * layer is {@link encodeNpy}/{@link decodeNpy}. Writing stores entries uncompressed, as
 * `numpy.savez` does, so float64 data round-trip bit for bit and numpy reads them without inflating.
 * Reading accepts stored and deflated entries (`numpy.savez_compressed`), ZIP64 included.
 *
 * Sizes are checked before memory is taken: every entry's declared uncompressed size, and their
 * total, must fit `maxBytes` (default 1 GiB) before anything is inflated, an entry's compressed size
 * must fit in the archive, a deflated entry may not
 * declare more than deflate's 1032:1 expansion of its compressed size, and it is
 * inflated into a buffer of exactly its declared size (never a larger allocation). The zip layer
 * does not check CRCs: a `.npy` entry is checked against its own header (size = shape × dtype), and
 * pointwise model files carry SHA-256 checksums of every entry (src/io/models.ts).
 * @module
 */
import { unzipSync, zipSync, type Unzipped } from 'fflate';
import { ArgumentTypeError, FormatError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel } from '../core/multichannel.js';
import { decodeNpy, encodeNpy, parseNpyHeader } from './npy.js';
import * as fs from 'node:fs';
import { fileError, readFileChecked, writeFileAtomicChecked } from './atomic.js';

/** An n-dimensional array: row-major (C order) samples and the shape (`[]` for a scalar). */
export interface NpzArray {
  data: Float64Array | Float32Array;
  shape: number[];
}

/** Contents of an `.npz`: arrays by name (entry name without `.npy`) and other entries' bytes. */
export interface NpzContents {
  arrays: Record<string, NpzArray>;
  files: Record<string, Uint8Array>;
}

/** Options of {@link decodeNpz} / {@link readNpz}. */
export interface NpzReadOptions {
  /** Largest total uncompressed size of the entries, in bytes (default 2^30 = 1 GiB). */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 2 ** 30;
/** Deflate expands at most about 1032:1 (a 258-byte match per 2 bits), so a larger declared size is a lie. */
const MAX_DEFLATE_RATIO = 1032;
const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,127}$/;

function product(shape: readonly number[]): number {
  let p = 1;
  for (const d of shape) p *= d;
  return p;
}

/**
 * `.npy` bytes of an array of any rank (`[]`, `[n]`, `[r, c]`, `[d0, d1, …]`), from {@link encodeNpy}:
 * ranks ≥ 2 map to a Multichannel directly; for ranks 0 and 1 the header's shape tuple `(1, n)` is
 * rewritten to `()` / `(n,)` in place (the shorter tuple is padded with spaces, so the header length
 * and the 64-byte data alignment stay as encodeNpy made them).
 */
export function encodeNpyArray(a: NpzArray): Uint8Array {
  const fn = 'encodeNpyArray';
  const { data, shape } = a;
  if (!(data instanceof Float64Array || data instanceof Float32Array)) throw new ArgumentTypeError(message(fn, 'data must be a Float64Array or Float32Array', data));
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ShapeError(message(fn, 'shape must be an array of non-negative integers', shape));
  if (product(shape) !== data.length) throw new ShapeError(message(fn, `data must hold product(shape) = ${product(shape)} numbers for shape [${shape.join(', ')}]`, data.length));
  if (shape.length >= 2) {
    if (shape[0] === 0) throw new ShapeError(message(fn, 'the first axis must not be empty', { verbatim: `shape [${shape.join(', ')}]` }));
    const rest = shape.slice(1);
    return encodeNpy(new Multichannel(data, shape[0], product(rest), rest.length >= 2 ? { shape: rest } : {}));
  }
  const bytes = encodeNpy(new Multichannel(data, 1, data.length));
  const headerLen = bytes[8] | (bytes[9] << 8);
  const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + headerLen));
  const tuple = shape.length === 0 ? '()' : `(${shape[0]},)`;
  const patched = header.replace(/'shape': \([^)]*\)/, `'shape': ${tuple}`);
  const padded = patched.slice(0, -1).padEnd(headerLen - 1, ' ') + '\n';
  for (let i = 0; i < headerLen; i++) bytes[10 + i] = padded.charCodeAt(i);
  return bytes;
}

/**
 * Zips arrays (each as `name.npy`) and other byte entries (under their own names) into `.npz` bytes,
 * uncompressed as `numpy.savez` writes them. Entry order: the arrays, then the files, in insertion
 * order. O(total bytes).
 * @example const bytes = encodeNpz({ mean: { data: m, shape: [m.length] } }); // numpy.load(...)['mean']
 * @throws ArgumentTypeError / ShapeError for malformed arrays; ValueError for an entry name outside
 * `[A-Za-z0-9_.-/]` (at most 128 characters) or used twice.
 */
export function encodeNpz(arrays: Record<string, NpzArray>, files: Record<string, Uint8Array> = {}): Uint8Array {
  const fn = 'encodeNpz';
  const entries: Record<string, Uint8Array> = {};
  const add = (name: string, bytes: Uint8Array): void => {
    if (!NAME_PATTERN.test(name)) throw new ValueError(message(fn, 'entry names must be 1–128 characters of [A-Za-z0-9_.-/]', name));
    if (name in entries) throw new ValueError(message(fn, 'entry names must be unique', name));
    entries[name] = bytes;
  };
  for (const [name, a] of Object.entries(arrays)) add(`${name}.npy`, encodeNpyArray(a));
  for (const [name, b] of Object.entries(files)) {
    if (!(b instanceof Uint8Array)) throw new ArgumentTypeError(message(fn, `files[${JSON.stringify(name)}] must be a Uint8Array`, b));
    add(name, b);
  }
  // A fixed timestamp keeps the bytes a function of the contents only.
  return zipSync(entries, { level: 0, mtime: new Date(1980, 0, 1) });
}

/**
 * Unzips `.npz` bytes: `.npy` entries are decoded ({@link decodeNpy}; float32/float16 stay float32,
 * everything else becomes float64) with their shape from the header; other entries are returned as
 * bytes. Declared entry sizes are checked against `maxBytes` before any entry is inflated.
 * @example const { arrays } = decodeNpz(fs.readFileSync('weights.npz')); arrays.W.shape // [8, 3]
 * @throws FormatError for bytes that are not a zip (or are truncated), an entry whose declared size
 * exceeds the budget, a compression method other than stored/deflate, or a `.npy` entry decodeNpy
 * rejects (the entry is named).
 */
export function decodeNpz(bytes: Uint8Array, options: NpzReadOptions = {}): NpzContents {
  const fn = 'decodeNpz';
  if (!(bytes instanceof Uint8Array)) throw new ArgumentTypeError(message(fn, 'bytes must be a Uint8Array (or Buffer)', bytes));
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !(maxBytes >= 0)) throw new ValueError(message(fn, 'options.maxBytes must be a non-negative number', maxBytes));
  let total = 0;
  let raw: Unzipped;
  try {
    raw = unzipSync(bytes, {
      filter(file) {
        if (file.compression !== 0 && file.compression !== 8) {
          throw new FormatError(message(fn, 'entries must be stored or deflated (methods 0 and 8)', { verbatim: `method ${file.compression} for ${JSON.stringify(file.name)}` }));
        }
        if (file.compression === 0 && file.size !== file.originalSize) {
          throw new FormatError(message(fn, 'a stored entry must declare equal compressed and uncompressed sizes', { verbatim: `${file.size} vs ${file.originalSize} for ${JSON.stringify(file.name)}` }));
        }
        if (file.size > bytes.length) {
          throw new FormatError(message(fn, 'an entry must fit in the archive (truncated?)', { verbatim: `${file.size} compressed bytes declared in a ${bytes.length}-byte archive` }));
        }
        if (file.compression === 8 && file.originalSize > MAX_DEFLATE_RATIO * file.size + 1024) {
          throw new FormatError(message(fn, `a deflated entry must not declare more than ${MAX_DEFLATE_RATIO} × its compressed size (deflate's limit)`, { verbatim: `${file.originalSize} bytes from ${file.size} for ${JSON.stringify(file.name)}` }));
        }
        total += file.originalSize;
        if (total > maxBytes) {
          throw new FormatError(message(fn, `the entries' declared sizes must total at most maxBytes = ${maxBytes}`, { verbatim: `${total} bytes by entry ${JSON.stringify(file.name)}` }));
        }
        return true;
      },
    });
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new FormatError(message(fn, 'the bytes must be a complete zip archive (.npz)', { verbatim: `${bytes.length} bytes (${(err as Error).message})` }));
  }
  const out: NpzContents = { arrays: {}, files: {} };
  for (const [name, entry] of Object.entries(raw)) {
    if (!name.endsWith('.npy')) {
      out.files[name] = entry;
      continue;
    }
    try {
      const h = parseNpyHeader(entry, fn);
      const x = decodeNpy(entry);
      out.arrays[name.slice(0, -4)] = { data: x.data, shape: h.shape.slice() };
    } catch (err) {
      if (err instanceof FormatError) throw new FormatError(message(fn, `entry ${JSON.stringify(name)} must be a valid .npy array`, { verbatim: err.message }));
      throw err;
    }
  }
  return out;
}

/**
 * Writes arrays and byte entries to `filePath` as `.npz` (see {@link encodeNpz}), atomically.
 * @example writeNpz('arrays.npz', { W: { data: w, shape: [2, 3] } }); // numpy.load('arrays.npz')['W']
 * @throws as {@link encodeNpz}; FileError when the folder does not exist or is not writable.
 */
export function writeNpz(filePath: string, arrays: Record<string, NpzArray>, files: Record<string, Uint8Array> = {}): void {
  writeFileAtomicChecked('writeNpz', filePath, encodeNpz(arrays, files));
}

/**
 * Reads a whole file after checking that its size on disk is at most `maxBytes`.
 * @throws FileError when the file is missing or unreadable; FormatError when it is larger.
 */
export function readBounded(fn: string, filePath: string, maxBytes: number): Buffer {
  let size: number;
  try {
    size = fs.statSync(filePath).size;
  } catch (err) {
    throw fileError(fn, 'the file must exist and be readable', filePath, err);
  }
  if (size > maxBytes) throw new FormatError(message(fn, `the file must be at most maxBytes = ${maxBytes} bytes`, { verbatim: `${size} bytes in ${JSON.stringify(filePath)}` }));
  return readFileChecked(fn, filePath);
}

/**
 * Reads an `.npz` file (see {@link decodeNpz}); the file's own size must also fit `maxBytes`.
 * @example const { arrays } = readNpz('model.npz');
 * @throws FileError when the file is missing or unreadable; FormatError as {@link decodeNpz}.
 */
export function readNpz(filePath: string, options: NpzReadOptions = {}): NpzContents {
  const bytes = readBounded('readNpz', filePath, options.maxBytes ?? DEFAULT_MAX_BYTES);
  try {
    return decodeNpz(bytes, options);
  } catch (err) {
    if (err instanceof FormatError) throw new FormatError(err.message.replace(/^decodeNpz:/, `readNpz: ${JSON.stringify(filePath)}:`));
    throw err;
  }
}
