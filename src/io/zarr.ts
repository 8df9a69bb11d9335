/**
 * Zarr arrays (format v2 and v3) on the file system: metadata, windowed reads chunk by chunk, the
 * line ranges the cluster tiles and {@link pcaStream} consume, and writing.
 *
 * **Choice: decoded here, synchronously, not through zarrita.** zarrita (the npm Zarr library) is
 * ESM-only and asynchronous throughout (its Blosc codec, numcodecs.js, too), while {@link pcaStream}
 * and the cluster's tile readers take synchronous chunk sources (`() => Iterable<Multichannel>`); a
 * Zarr array on disk is a JSON document plus one file per chunk, which Node reads synchronously,
 * zlib/gzip are in `node:zlib`, and Blosc's frame with LZ4 inside (zarr-python's default
 * compressor) is about 150 lines below. So this module has no third-party dependency and a
 * synchronous API like {@link readWav} and {@link readEnvi}.
 *
 * Supported (everything else is a FormatError naming what was found):
 * - v2 (`.zarray`, `.zattrs`): dtypes `|b1 |i1 |u1 <i2 <u2 <i4 <u4 <i8 <u8 <f4 <f8` in either byte
 *   order, `order` C or F, compressor null, `zlib`, `gzip` or `blosc` (see below), no filters,
 *   `dimension_separator` `.` or `/`.
 * - v3 (`zarr.json`): data types `bool int8 … uint64 float32 float64`, the `regular` chunk grid,
 *   chunk key encodings `default` and `v2`, codecs `bytes` (either endian) optionally followed by
 *   `gzip` or `blosc` (an empty list, as zarrita writes, is read as little-endian `bytes`), or those
 *   inside one `sharding_indexed` codec (index at the start or end, little-endian `bytes` index codec
 *   with or without `crc32c`, which is verified): a read touches only the shard indexes and the
 *   inner chunks it needs. zstd and transpose are not read.
 * - Blosc: version-1 frames as c-blosc 1.x writes them (numcodecs.Blosc), with the `lz4` or `zlib`
 *   compressor inside, byte shuffle or none; bit shuffle and the blosclz, snappy and zstd
 *   compressors are FormatErrors naming them.
 * - A chunk file that does not exist holds the fill value (NaN/Infinity spellings accepted; a v2
 *   `null` fill value reads as 0). Edge chunks are stored full size, as both formats specify.
 * - 64-bit integers above 2^53 lose precision in float64 (as numpy's float64 conversion does).
 *
 * Arrays as {@link Multichannel}: 1-D `[N]` is one channel; 2-D `[C, N]` is C channels of N
 * samples; 3-D is a cube `[bands, rows, cols]` (default) or `[rows, cols, bands]` (`bandAxis: 2`),
 * bands becoming channels with `shape = [rows, cols]`. The "line" axis (what
 * {@link ZarrReader.readLines} ranges over) is the rows of a cube and the samples of a 1-D/2-D array.
 * Attributes `sample_rate` (Hz) and `wavelength` (+ `wavelength_units`) become `sampleRate` and
 * wavelength coordinates; {@link writeZarr} writes them the same way.
 *
 * Hostile input: metadata documents are at most 16 MiB; shapes and chunk shapes must be safe
 * integers; the result's size is checked against `options.maxBytes` and a chunk's decoded size
 * against it too before anything is allocated or inflated; an uncompressed chunk must be exactly
 * its size, a compressed one must inflate to exactly its size (inflation stops at that size).
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ArgumentTypeError, FileError, FormatError, ShapeError, ValueError, isPointwiseError, message } from '../core/errors.js';
import { Multichannel, allocate, assertMultichannel, type ChannelCoords, type Dtype, type SampleArray } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { wavelengthCoords } from '../spectral/envi.js';
import { fileError } from './atomic.js';
import { budgetOption, checkBudget } from './budget.js';

/** Element types of Zarr arrays read and written here (v3 names). */
export type ZarrDataType = 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

/** What a Zarr array's metadata says, after validation. */
export interface ZarrArrayInfo {
  zarrFormat: 2 | 3;
  shape: number[];
  /** Chunk shape (same length as `shape`); for a sharded v3 array, the inner chunks (the unit read). */
  chunks: number[];
  /** v3 `sharding_indexed`: the shard shape (one file per shard), and where its index is. */
  shard?: { shape: number[]; indexLocation: 'start' | 'end'; checksum: boolean };
  dataType: ZarrDataType;
  littleEndian: boolean;
  /** Element order inside a chunk (v3 is always C). */
  order: 'C' | 'F';
  fillValue: number;
  compressor: 'none' | 'zlib' | 'gzip' | 'blosc';
  /** `.zattrs` (v2) or `attributes` (v3). */
  attributes: Record<string, unknown>;
}

/** Options of the Zarr readers. */
export interface ZarrReadOptions {
  /** Element type of the result (default 'float64'). */
  dtype?: Dtype;
  /** Largest result (and largest decoded chunk) in bytes (default 2 GiB). */
  maxBytes?: number;
  /** For 3-D arrays: 0 = `[bands, rows, cols]` (default), 2 = `[rows, cols, bands]`. */
  bandAxis?: 0 | 2;
}

const ITEM: Record<ZarrDataType, number> = { bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8 };
const V2_KIND: Record<string, ZarrDataType> = { b1: 'bool', i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', i8: 'int64', u8: 'uint64', f4: 'float32', f8: 'float64' };
const MAX_META_BYTES = 16 << 20;

function readJson(fn: string, file: string, required: boolean): Record<string, unknown> | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileError(fn, 'the Zarr metadata must exist and be readable', file, err);
  }
  if (st.size > MAX_META_BYTES) throw new FormatError(message(fn, `a metadata document must be at most ${MAX_META_BYTES} bytes`, { verbatim: `${st.size} bytes in ${JSON.stringify(file)}` }));
  let v: unknown;
  try {
    v = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw fileError(fn, 'the Zarr metadata must be readable', file, err);
    throw new FormatError(message(fn, 'the metadata must be valid JSON', { verbatim: `${JSON.stringify(file)}: ${(err as Error).message}` }));
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FormatError(message(fn, 'the metadata must be a JSON object', { verbatim: JSON.stringify(file) }));
  return v as Record<string, unknown>;
}

function intList(fn: string, what: string, v: unknown, min: number): number[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 32 || !v.every((d) => Number.isSafeInteger(d) && d >= min)) {
    throw new FormatError(message(fn, `${what} must be a list of 1 to 32 integers ≥ ${min}`, { verbatim: JSON.stringify(v)?.slice(0, 200) }));
  }
  return v as number[];
}

function fillOf(fn: string, v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new FormatError(message(fn, 'fill_value must be a number, a boolean, null, "NaN", "Infinity" or "-Infinity"', v));
}

/** A chunk's file, relative to the array folder. */
type KeyFn = (idx: number[]) => string;

interface Parsed {
  info: ZarrArrayInfo;
  key: KeyFn;
}

function parseV2(fn: string, dir: string, m: Record<string, unknown>): Parsed {
  const shape = intList(fn, '.zarray shape', m.shape, 0);
  const chunks = intList(fn, '.zarray chunks', m.chunks, 1);
  if (chunks.length !== shape.length) throw new FormatError(message(fn, '.zarray chunks must have one entry per dimension', { verbatim: `shape ${JSON.stringify(shape)}, chunks ${JSON.stringify(chunks)}` }));
  const dt = typeof m.dtype === 'string' ? /^([<>|])([a-z]\d+)$/.exec(m.dtype) : null;
  const dataType = dt ? V2_KIND[dt[2]] : undefined;
  if (!dt || !dataType) throw new FormatError(message(fn, `.zarray dtype must be one of ${Object.keys(V2_KIND).join(', ')} with a byte order`, m.dtype));
  if (m.order !== 'C' && m.order !== 'F') throw new FormatError(message(fn, ".zarray order must be 'C' or 'F'", m.order));
  if (m.filters !== null && m.filters !== undefined && !(Array.isArray(m.filters) && m.filters.length === 0)) throw new FormatError(message(fn, '.zarray filters are not supported (must be null)', m.filters));
  let compressor: ZarrArrayInfo['compressor'] = 'none';
  if (m.compressor !== null && m.compressor !== undefined) {
    const id = (m.compressor as { id?: unknown }).id;
    if (id === 'zlib' || id === 'gzip' || id === 'blosc') compressor = id;
    else throw new FormatError(message(fn, "the compressor must be null, 'zlib', 'gzip' or 'blosc' (write the array with numcodecs.Zlib, GZip or Blosc)", typeof id === 'string' ? id : m.compressor));
  }
  const sep = m.dimension_separator ?? '.';
  if (sep !== '.' && sep !== '/') throw new FormatError(message(fn, ".zarray dimension_separator must be '.' or '/'", sep));
  const attributes = readJson(fn, path.join(dir, '.zattrs'), false) ?? {};
  return {
    info: { zarrFormat: 2, shape, chunks, dataType, littleEndian: dt[1] !== '>', order: m.order, fillValue: fillOf(fn, m.fill_value), compressor, attributes },
    key: (idx) => idx.join(sep as string),
  };
}

function parseV3(fn: string, m: Record<string, unknown>): Parsed {
  if (m.node_type !== 'array') throw new FormatError(message(fn, "zarr.json node_type must be 'array' (open an array, not a group)", m.node_type));
  const shape = intList(fn, 'zarr.json shape', m.shape, 0);
  const dataType = m.data_type as ZarrDataType;
  if (typeof dataType !== 'string' || !(dataType in ITEM)) throw new FormatError(message(fn, `zarr.json data_type must be one of ${Object.keys(ITEM).join(', ')}`, m.data_type));
  const grid = m.chunk_grid as { name?: unknown; configuration?: { chunk_shape?: unknown } } | undefined;
  if (grid?.name !== 'regular') throw new FormatError(message(fn, "zarr.json chunk_grid must be 'regular'", grid?.name));
  const chunks = intList(fn, 'zarr.json chunk_shape', grid.configuration?.chunk_shape, 1);
  if (chunks.length !== shape.length) throw new FormatError(message(fn, 'zarr.json chunk_shape must have one entry per dimension', { verbatim: `shape ${JSON.stringify(shape)}, chunk_shape ${JSON.stringify(chunks)}` }));
  const cke = (m.chunk_key_encoding ?? { name: 'default' }) as { name?: unknown; configuration?: { separator?: unknown } };
  let key: KeyFn;
  if (cke.name === 'default') {
    const sep = cke.configuration?.separator ?? '/';
    if (sep !== '/' && sep !== '.') throw new FormatError(message(fn, "chunk key separator must be '/' or '.'", sep));
    key = (idx) => ['c', ...idx].join(sep as string);
  } else if (cke.name === 'v2') {
    const sep = cke.configuration?.separator ?? '.';
    if (sep !== '/' && sep !== '.') throw new FormatError(message(fn, "chunk key separator must be '/' or '.'", sep));
    key = (idx) => (idx.length ? idx.join(sep as string) : '0');
  } else throw new FormatError(message(fn, "chunk_key_encoding must be 'default' or 'v2'", cke.name));
  let codecs = m.codecs as { name?: unknown; configuration?: Record<string, unknown> }[];
  let shard: ZarrArrayInfo['shard'];
  let innerChunks = chunks;
  if (Array.isArray(codecs) && codecs.length === 1 && codecs[0]?.name === 'sharding_indexed') {
    const c = codecs[0].configuration ?? {};
    innerChunks = intList(fn, 'sharding_indexed chunk_shape', c.chunk_shape, 1);
    if (innerChunks.length !== chunks.length || innerChunks.some((n, i) => chunks[i] % n !== 0)) {
      throw new FormatError(message(fn, 'the sharding chunk_shape must divide the shard shape in every dimension', { verbatim: `shard ${JSON.stringify(chunks)}, chunks ${JSON.stringify(innerChunks)}` }));
    }
    const indexLocation = c.index_location ?? 'end';
    if (indexLocation !== 'start' && indexLocation !== 'end') throw new FormatError(message(fn, "the sharding index_location must be 'start' or 'end'", indexLocation));
    const ic = c.index_codecs as { name?: unknown; configuration?: Record<string, unknown> }[] | undefined;
    const icNames = Array.isArray(ic) ? ic.map((k) => k?.name) : ic;
    if (!Array.isArray(ic) || ic.length < 1 || ic.length > 2 || ic[0]?.name !== 'bytes' || (ic[0].configuration?.endian ?? 'little') !== 'little' || (ic.length === 2 && ic[1]?.name !== 'crc32c')) {
      throw new FormatError(message(fn, "the sharding index_codecs must be little-endian 'bytes' optionally followed by 'crc32c'", icNames));
    }
    shard = { shape: chunks, indexLocation, checksum: ic.length === 2 };
    codecs = c.codecs as typeof codecs;
  }
  // zarrita writes an empty list for plain little-endian bytes; read it as the bytes codec.
  if (Array.isArray(codecs) && codecs.length === 0) codecs = [{ name: 'bytes', configuration: { endian: 'little' } }];
  if (!Array.isArray(codecs) || codecs.length > 2 || codecs[0]?.name !== 'bytes' || (codecs.length === 2 && codecs[1]?.name !== 'gzip' && codecs[1]?.name !== 'blosc')) {
    const names = Array.isArray(codecs) ? codecs.map((c) => c?.name) : codecs;
    throw new FormatError(message(fn, `the ${shard ? 'sharding (inner) ' : ''}codecs must be 'bytes' optionally followed by 'gzip' or 'blosc'${shard ? '' : ", or one 'sharding_indexed' of those"} (zstd and transpose are not supported)`, names));
  }
  const endian = codecs[0].configuration?.endian ?? 'little';
  if (endian !== 'little' && endian !== 'big') throw new FormatError(message(fn, "the bytes codec's endian must be 'little' or 'big'", endian));
  const attributes = m.attributes;
  if (attributes !== undefined && (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))) throw new FormatError(message(fn, 'zarr.json attributes must be an object', attributes));
  return {
    info: { zarrFormat: 3, shape, chunks: innerChunks, ...(shard ? { shard } : {}), dataType, littleEndian: endian === 'little', order: 'C', fillValue: fillOf(fn, m.fill_value), compressor: codecs.length === 2 ? (codecs[1].name as 'gzip' | 'blosc') : 'none', attributes: (attributes ?? {}) as Record<string, unknown> },
    key,
  };
}

function parseArray(fn: string, dir: string): Parsed {
  if (typeof dir !== 'string' || dir.length === 0) throw new FileError(message(fn, 'the path must be a non-empty string', dir));
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    throw fileError(fn, 'the Zarr array folder must exist', dir, err);
  }
  if (!st.isDirectory()) throw new FileError(message(fn, 'the path must be a Zarr array folder', { verbatim: `${JSON.stringify(dir)} (a file)` }), 'ENOTDIR');
  const v3 = readJson(fn, path.join(dir, 'zarr.json'), false);
  if (v3 !== null) {
    if (v3.zarr_format !== 3) throw new FormatError(message(fn, 'zarr.json zarr_format must be 3', v3.zarr_format));
    return parseV3(fn, v3);
  }
  const v2 = readJson(fn, path.join(dir, '.zarray'), false);
  if (v2 === null) throw new FormatError(message(fn, 'a Zarr array folder must hold zarr.json (v3) or .zarray (v2)', { verbatim: `neither in ${JSON.stringify(dir)}` }));
  if (v2.zarr_format !== 2) throw new FormatError(message(fn, '.zarray zarr_format must be 2', v2.zarr_format));
  return parseV2(fn, dir, v2);
}

let CRC32C: Uint32Array | undefined;

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Zarr's `crc32c` codec. */
function crc32c(b: Uint8Array): number {
  if (!CRC32C) {
    CRC32C = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      CRC32C[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC32C[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** LZ4 block decompression of `src` into exactly `dst` (bounds checked: a bad stream is a FormatError). */
function lz4Block(fn: string, src: Uint8Array, dst: Uint8Array, where: string): void {
  const bad = (what: string) => new FormatError(message(fn, `each LZ4 stream must be valid (${what})`, { verbatim: where }));
  let i = 0;
  let o = 0;
  const end = src.length;
  for (;;) {
    if (i >= end) throw bad('truncated');
    const token = src[i++];
    let lit = token >> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (i >= end) throw bad('truncated length');
        b = src[i++];
        lit += b;
      } while (b === 255);
    }
    if (i + lit > end || o + lit > dst.length) throw bad('literals past the end');
    dst.set(src.subarray(i, i + lit), o);
    i += lit;
    o += lit;
    if (i === end) break;
    if (i + 2 > end) throw bad('truncated offset');
    const off = src[i] | (src[i + 1] << 8);
    i += 2;
    if (off === 0 || off > o) throw bad(`match offset ${off} at output ${o}`);
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        if (i >= end) throw bad('truncated match length');
        b = src[i++];
        len += b;
      } while (b === 255);
    }
    len += 4;
    if (o + len > dst.length) throw bad('match past the end');
    for (let k = 0; k < len; k++, o++) dst[o] = dst[o - off];
  }
  if (o !== dst.length) throw bad(`${o} of ${dst.length} bytes`);
}

/**
 * Blosc (version 1 frames, what numcodecs.Blosc writes): the 16-byte header, block starts, each
 * block compressed whole or as `typesize` split streams with LZ4 or zlib inside, then byte
 * unshuffled. Bit shuffle and the blosclz, lz4hc-incompatible, snappy and zstd codecs are FormatErrors.
 */
function decodeBlosc(fn: string, src: Uint8Array, expected: number, where: string): Uint8Array {
  const bad = (what: string, got: unknown) => new FormatError(message(fn, `each Blosc chunk must ${what}`, { verbatim: `${String(got)} in ${JSON.stringify(where)}` }));
  if (src.length < 16) throw bad('have a 16-byte header', `${src.length} bytes`);
  const dv = new DataView(src.buffer, src.byteOffset, src.length);
  const flags = src[2];
  const typesize = src[3];
  const nbytes = dv.getUint32(4, true);
  const blocksize = dv.getUint32(8, true);
  const cbytes = dv.getUint32(12, true);
  if (src[0] < 1 || src[0] > 4) throw bad('be a Blosc version 1 frame (format 1–4)', `format ${src[0]}`);
  if (nbytes !== expected) throw bad(`hold the chunk's ${expected} bytes`, `${nbytes} declared`);
  if (cbytes !== src.length) throw bad('be as long as its header says', `${cbytes} declared, ${src.length} present`);
  const out = new Uint8Array(nbytes);
  if (flags & 0x02) {
    if (16 + nbytes > src.length) throw bad('hold its uncompressed bytes', `${src.length - 16} of ${nbytes}`);
    out.set(src.subarray(16, 16 + nbytes));
    return out;
  }
  if (flags & 0x04) throw bad('not use bit shuffle (write with Blosc.SHUFFLE or NOSHUFFLE)', 'bit shuffle');
  const codec = flags >> 5;
  if (codec !== 1 && codec !== 3) throw bad("use the lz4 or zlib compressor (numcodecs.Blosc(cname='lz4' or 'zlib'))", ['blosclz', 'lz4', 'snappy', 'zlib', 'zstd'][codec] ?? `code ${codec}`);
  if (typesize < 1 || blocksize < 1 || nbytes === 0) {
    if (nbytes === 0) return out;
    throw bad('have positive typesize and blocksize', `${typesize}, ${blocksize}`);
  }
  const nblocks = Math.ceil(nbytes / blocksize);
  if (16 + 4 * nblocks > src.length) throw bad('hold its block table', `${nblocks} blocks`);
  const dontSplit = (flags & 0x10) !== 0;
  const tmp = new Uint8Array(Math.min(blocksize, nbytes));
  for (let j = 0; j < nblocks; j++) {
    const bsize = Math.min(blocksize, nbytes - j * blocksize);
    const leftover = bsize < blocksize;
    const nsplits = !dontSplit && !leftover && typesize <= 16 && blocksize / typesize >= 128 ? typesize : 1;
    const neblock = bsize / nsplits;
    if (!Number.isInteger(neblock)) throw bad('split blocks evenly', `${bsize} bytes in ${nsplits}`);
    let pos = dv.getUint32(16 + 4 * j, true);
    const dst = (flags & 0x01) && typesize > 1 ? tmp.subarray(0, bsize) : out.subarray(j * blocksize, j * blocksize + bsize);
    for (let k = 0; k < nsplits; k++) {
      if (pos + 4 > src.length) throw bad('hold each stream', `a stream header at ${pos}`);
      const csize = dv.getInt32(pos, true);
      pos += 4;
      if (csize < 0 || pos + csize > src.length) throw bad('hold each stream', `${csize} bytes at ${pos}`);
      const part = src.subarray(pos, pos + csize);
      const target = dst.subarray(k * neblock, (k + 1) * neblock);
      if (csize === neblock) target.set(part);
      else if (codec === 1) lz4Block(fn, part, target, where);
      else {
        let z: Uint8Array;
        try {
          z = zlib.inflateSync(part, { maxOutputLength: Math.max(1, neblock) });
        } catch (err) {
          throw bad('hold valid zlib streams', (err as Error).message);
        }
        if (z.length !== neblock) throw bad('hold streams of the block size', `${z.length} of ${neblock} bytes`);
        target.set(z);
      }
      pos += csize;
    }
    if ((flags & 0x01) && typesize > 1) {
      // Byte unshuffle: byte b of element e sits at b · n + e; a tail shorter than typesize is copied.
      const n = Math.floor(bsize / typesize);
      const base = j * blocksize;
      for (let b = 0; b < typesize; b++) {
        const from = b * n;
        for (let e = 0; e < n; e++) out[base + e * typesize + b] = dst[from + e];
      }
      out.set(dst.subarray(n * typesize, bsize), base + n * typesize);
    }
  }
  return out;
}

/** Reads chunk `bytes` into float64 values (native order views after an in-place byte swap). */
function decodeValues(b: Uint8Array, t: ZarrDataType, little: boolean, n: number): ArrayLike<number> {
  const size = ITEM[t];
  if (b.byteOffset % size !== 0) b = b.slice();
  if (!little && size > 1) {
    for (let i = 0; i < b.length; i += size) for (let j = 0; j < size >> 1; j++) {
      const x = b[i + j];
      b[i + j] = b[i + size - 1 - j];
      b[i + size - 1 - j] = x;
    }
  }
  const buf = b.buffer;
  const o = b.byteOffset;
  switch (t) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(buf, o, n);
    case 'int8':
      return new Int8Array(buf, o, n);
    case 'int16':
      return new Int16Array(buf, o, n);
    case 'uint16':
      return new Uint16Array(buf, o, n);
    case 'int32':
      return new Int32Array(buf, o, n);
    case 'uint32':
      return new Uint32Array(buf, o, n);
    case 'float32':
      return new Float32Array(buf, o, n);
    case 'float64':
      return new Float64Array(buf, o, n);
    case 'int64':
    case 'uint64': {
      const big = t === 'int64' ? new BigInt64Array(buf, o, n) : new BigUint64Array(buf, o, n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(big[i]);
      return out;
    }
  }
}

/**
 * A Zarr array on disk, opened for windowed reads: {@link readRegion} decodes only the chunks a
 * window overlaps (count them with {@link chunksRead} / {@link bytesRead}); {@link readLines} and
 * {@link chunks} give {@link Multichannel} line ranges of a cube for tiles and {@link pcaStream}.
 * Synchronous; holds no open files between calls.
 * @example
 * const z = ZarrReader.open('cube.zarr');              // [bands, rows, cols]
 * const tile = z.readLines(100, 64);                    // bands × [64, cols]
 * const model = pcaStream(() => z.cubes(64), z.bands, 10);
 */
export class ZarrReader {
  /** The validated metadata. */
  readonly info: ZarrArrayInfo;
  /** Chunk files read so far (missing chunks, read as fill value, are not counted). */
  chunksRead = 0;
  /** Bytes of chunk files read so far. */
  bytesRead = 0;
  private readonly dir: string;
  private readonly key: KeyFn;
  private readonly dtype: Dtype;
  private readonly maxBytes: number;
  private readonly bandAxis: 0 | 2;

  private constructor(dir: string, parsed: Parsed, dtype: Dtype, maxBytes: number, bandAxis: 0 | 2) {
    this.dir = dir;
    this.info = parsed.info;
    this.key = parsed.key;
    this.dtype = dtype;
    this.maxBytes = maxBytes;
    this.bandAxis = bandAxis;
  }

  /**
   * Opens the Zarr array folder `dir` (v2 or v3) and validates its metadata; no chunk is read.
   * @throws FileError (missing folder); FormatError (corrupt or unsupported metadata); ValueError (options).
   */
  static open(dir: string, options: ZarrReadOptions = {}): ZarrReader {
    return ZarrReader.openAs('ZarrReader.open', dir, options);
  }

  /** @internal open with the public function's name for messages. */
  static openAs(fn: string, dir: string, options: ZarrReadOptions = {}): ZarrReader {
    const dtype = options.dtype ?? 'float64';
    if (dtype !== 'float64' && dtype !== 'float32') throw new ValueError(message(fn, "options.dtype must be 'float64' or 'float32'", dtype));
    const bandAxis = options.bandAxis ?? 0;
    if (bandAxis !== 0 && bandAxis !== 2) throw new ValueError(message(fn, 'options.bandAxis must be 0 or 2', bandAxis));
    const maxBytes = budgetOption(fn, 'maxBytes', options.maxBytes);
    const parsed = parseArray(fn, dir);
    const nd = parsed.info.shape.length;
    if (nd > 3) throw new ShapeError(message(fn, 'a Zarr array read as Multichannel must have 1 to 3 dimensions', { verbatim: `shape [${parsed.info.shape.join(', ')}]` }));
    if (bandAxis === 2 && nd !== 3) throw new ValueError(message(fn, 'options.bandAxis = 2 needs a 3-D array', { verbatim: `shape [${parsed.info.shape.join(', ')}]` }));
    const z = new ZarrReader(dir, parsed, dtype, maxBytes, bandAxis);
    if (z.bands === 0) throw new ShapeError(message(fn, 'a Zarr array read as Multichannel must have at least one channel (band)', { verbatim: `shape [${parsed.info.shape.join(', ')}]` }));
    return z;
  }

  /** Channels of the Multichannel view (bands of a cube). */
  get bands(): number {
    const s = this.info.shape;
    return s.length === 1 ? 1 : s.length === 2 ? s[0] : s[this.bandAxis];
  }

  /** Lines along the line axis (rows of a cube, samples of a 1-D/2-D array). */
  get lines(): number {
    return this.info.shape[this.lineAxis];
  }

  private get lineAxis(): number {
    const nd = this.info.shape.length;
    return nd === 1 ? 0 : nd === 2 ? 1 : this.bandAxis === 0 ? 1 : 0;
  }

  /** The stored bytes of chunk `idx` (its own file), or null when the file does not exist. */
  private chunkFile(fn: string, idx: number[]): Buffer | null {
    const file = path.join(this.dir, this.key(idx));
    try {
      return fs.readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw fileError(fn, 'each chunk file must be readable', file, err);
    }
  }

  /** The last shard index read: its key and the (offset, length) pairs, C order over the shard's chunks. */
  private shardIndex: { key: string; entries: Float64Array } | undefined;

  /**
   * The stored bytes of inner chunk `idx` of a sharded array: the shard's index (16 bytes per inner
   * chunk, plus a crc32c when configured, at the start or end of the shard file) gives its byte range,
   * and only the index and that range are read. Null when the shard file does not exist or the index
   * marks the chunk empty (offset and length 2^64 − 1).
   */
  private shardChunk(fn: string, idx: number[], decodedSize: number): Buffer | null {
    const sh = this.info.shard!;
    const per = sh.shape.map((n, i) => n / this.info.chunks[i]);
    const shardIdx = idx.map((c, i) => Math.floor(c / per[i]));
    const key = this.key(shardIdx);
    const file = path.join(this.dir, key);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw fileError(fn, 'each shard file must be readable', file, err);
    }
    try {
      const size = fs.fstatSync(fd).size;
      const count = per.reduce((p, n) => p * n, 1);
      if (this.shardIndex?.key !== key) {
        const indexBytes = 16 * count + (sh.checksum ? 4 : 0);
        if (indexBytes > size) throw new FormatError(message(fn, `each shard must hold its ${indexBytes}-byte index`, { verbatim: `${size} bytes in ${JSON.stringify(key)}` }));
        const b = Buffer.alloc(indexBytes);
        fs.readSync(fd, b, 0, indexBytes, sh.indexLocation === 'end' ? size - indexBytes : 0);
        this.bytesRead += indexBytes;
        if (sh.checksum) {
          const want = b.readUInt32LE(16 * count);
          const got = crc32c(b.subarray(0, 16 * count));
          if (want !== got) throw new FormatError(message(fn, "each shard index must match its crc32c", { verbatim: `${got.toString(16)} ≠ stored ${want.toString(16)} in ${JSON.stringify(key)}` }));
        }
        const entries = new Float64Array(2 * count);
        for (let i = 0; i < 2 * count; i++) {
          const v = b.readBigUInt64LE(8 * i);
          entries[i] = v === 0xffffffffffffffffn ? -1 : Number(v);
        }
        this.shardIndex = { key, entries };
      }
      let j = 0;
      for (let d = 0; d < idx.length; d++) j = j * per[d] + (idx[d] - shardIdx[d] * per[d]);
      const offset = this.shardIndex.entries[2 * j], nbytes = this.shardIndex.entries[2 * j + 1];
      if (offset === -1 && nbytes === -1) return null;
      // A stored chunk is at most its decoded size, or what its compressor can legitimately add.
      const most = this.info.compressor === 'none' ? decodedSize : decodedSize + 1024 + Math.ceil(decodedSize / 8);
      if (!(offset >= 0 && nbytes >= 0 && offset + nbytes <= size && nbytes <= most)) {
        throw new FormatError(message(fn, `each shard index entry must lie inside its shard (${size} bytes) and hold at most ${most} bytes`, { verbatim: `chunk ${j}: offset ${offset}, ${nbytes} bytes in ${JSON.stringify(key)}` }));
      }
      const out = Buffer.alloc(nbytes);
      fs.readSync(fd, out, 0, nbytes, offset);
      return out;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Decodes chunk `idx` (full chunk size) or returns null when its file does not exist. */
  private readChunk(fn: string, idx: number[]): ArrayLike<number> | null {
    const { chunks, dataType, compressor, littleEndian } = this.info;
    let n = 1;
    for (const c of chunks) n *= c;
    const size = n * ITEM[dataType];
    checkBudget(fn, `a decoded chunk ([${chunks.join(', ')}] × ${ITEM[dataType]} bytes)`, size, this.maxBytes, 'maxBytes');
    const raw = this.info.shard ? this.shardChunk(fn, idx, size) : this.chunkFile(fn, idx);
    if (raw === null) return null;
    this.chunksRead++;
    this.bytesRead += raw.length;
    let b: Uint8Array = raw;
    if (compressor === 'blosc') b = decodeBlosc(fn, raw, size, this.key(idx));
    else if (compressor !== 'none') {
      try {
        b = (compressor === 'zlib' ? zlib.inflateSync : zlib.gunzipSync)(raw, { maxOutputLength: Math.max(1, size) });
      } catch (err) {
        throw new FormatError(message(fn, `each ${compressor} chunk must inflate to its ${size} bytes`, { verbatim: `${JSON.stringify(this.key(idx))}: ${(err as Error).message}` }));
      }
    }
    if (b.length !== size) throw new FormatError(message(fn, `each chunk must hold ${size} bytes (${n} elements × ${ITEM[dataType]})`, { verbatim: `${b.length} in ${JSON.stringify(this.key(idx))}` }));
    return decodeValues(b, dataType, littleEndian, n);
  }

  /**
   * The values of the box `start ≤ index < stop` (one entry per dimension), C order, as float64
   * (or float32 per `options.dtype`). Reads only the chunks the box overlaps.
   * @throws ValueError for a box outside the array; ShapeError beyond `options.maxBytes`;
   * FormatError for a corrupt chunk.
   */
  readRegion(start: readonly number[], stop: readonly number[]): SampleArray {
    return this.readRegionAs('ZarrReader.readRegion', start, stop);
  }

  /** {@link readRegion} with errors naming `fn`. @internal */
  readRegionAs(fn: string, start: readonly number[], stop: readonly number[]): SampleArray {
    const { shape, chunks, order, fillValue } = this.info;
    const nd = shape.length;
    if (!Array.isArray(start) || !Array.isArray(stop) || start.length !== nd || stop.length !== nd) throw new ArgumentTypeError(message(fn, `start and stop must be lists of ${nd} integers`, { verbatim: `${JSON.stringify(start)}, ${JSON.stringify(stop)}` }));
    let total = 1;
    for (let d = 0; d < nd; d++) {
      assertInteger(fn, `start[${d}]`, start[d], 0, shape[d]);
      assertInteger(fn, `stop[${d}]`, stop[d], start[d], shape[d]);
      total *= stop[d] - start[d];
    }
    const esize = this.dtype === 'float32' ? 4 : 8;
    checkBudget(fn, `the result ([${stop.map((s, d) => s - start[d]).join(', ')}] × ${esize} bytes)`, total * esize, this.maxBytes, 'maxBytes');
    const out = allocate(this.dtype, total);
    if (total === 0) return out;
    const ostride = new Array<number>(nd);
    const cstride = new Array<number>(nd);
    ostride[nd - 1] = 1;
    for (let d = nd - 2; d >= 0; d--) ostride[d] = ostride[d + 1] * (stop[d + 1] - start[d + 1]);
    if (order === 'C') {
      cstride[nd - 1] = 1;
      for (let d = nd - 2; d >= 0; d--) cstride[d] = cstride[d + 1] * chunks[d + 1];
    } else {
      cstride[0] = 1;
      for (let d = 1; d < nd; d++) cstride[d] = cstride[d - 1] * chunks[d - 1];
    }
    const c0 = start.map((s, d) => Math.floor(s / chunks[d]));
    const c1 = stop.map((s, d) => Math.floor((s - 1) / chunks[d]));
    const ci = c0.slice();
    const last = nd - 1;
    for (;;) {
      const values = this.readChunk(fn, ci);
      // The box ∩ this chunk, in global indices.
      const lo = ci.map((c, d) => Math.max(start[d], c * chunks[d]));
      const hi = ci.map((c, d) => Math.min(stop[d], (c + 1) * chunks[d]));
      const g = lo.slice();
      const run = hi[last] - lo[last];
      for (;;) {
        let o = 0;
        let k = 0;
        for (let d = 0; d < nd; d++) {
          o += (g[d] - start[d]) * ostride[d];
          k += (g[d] - ci[d] * chunks[d]) * cstride[d];
        }
        if (values === null) {
          if (!Object.is(fillValue, 0)) out.fill(fillValue, o, o + run); // the result starts zeroed
        }
        else {
          const s = cstride[last];
          for (let j = 0; j < run; j++) out[o + j] = values[k + j * s];
        }
        let d = last - 1;
        while (d >= 0 && ++g[d] === hi[d]) g[d] = lo[d--];
        if (d < 0) break;
      }
      let d = last;
      while (d >= 0 && ++ci[d] > c1[d]) ci[d] = c0[d--];
      if (d < 0) break;
    }
    return out;
  }

  /** Attributes as Multichannel metadata (sample rate, wavelength coordinates). */
  private meta(): { sampleRate?: number; coords?: ChannelCoords } {
    const a = this.info.attributes;
    const m: { sampleRate?: number; coords?: ChannelCoords } = {};
    if (typeof a.sample_rate === 'number' && a.sample_rate > 0 && Number.isFinite(a.sample_rate)) m.sampleRate = a.sample_rate;
    const w = a.wavelength;
    const B = this.bands;
    if (Array.isArray(w) && w.length === B && w.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      m.coords = wavelengthCoords({ bands: B, wavelength: Float64Array.from(w as number[]), wavelengthUnits: typeof a.wavelength_units === 'string' ? a.wavelength_units : undefined } as Parameters<typeof wavelengthCoords>[0]);
    }
    return m;
  }

  /**
   * Lines `start … start + count − 1` of the line axis as a Multichannel: a cube's rows
   * (bands × `[count, cols]`), or samples of a 1-D/2-D array. Reads only the chunks they overlap.
   * @throws ValueError for a range outside the array; ShapeError beyond `options.maxBytes`; FormatError.
   * @example ZarrReader.open('cube.zarr').readLines(0, 16) // the first 16 rows, every band
   */
  readLines(start: number, count: number): Multichannel {
    return this.readLinesAs('ZarrReader.readLines', start, count);
  }

  /** {@link readLines} with errors naming `fn`. @internal */
  readLinesAs(fn: string, start: number, count: number): Multichannel {
    const L = this.lines;
    assertInteger(fn, 'start', start, 0, L);
    assertInteger(fn, 'count', count, 0, L - start);
    const shape = this.info.shape;
    const nd = shape.length;
    const lo = shape.map(() => 0);
    const hi = shape.slice();
    lo[this.lineAxis] = start;
    hi[this.lineAxis] = start + count;
    const v = this.readRegionAs(fn, lo, hi);
    const meta = this.meta();
    if (nd === 1) return new Multichannel(v, 1, count, meta);
    if (nd === 2) return new Multichannel(v, shape[0], count, meta);
    if (this.bandAxis === 0) return new Multichannel(v, shape[0], count * shape[2], { ...meta, shape: [count, shape[2]] });
    // [rows, cols, bands] → planar.
    const B = shape[2];
    const N = count * shape[1];
    const out = allocate(this.dtype, v.length);
    for (let t = 0; t < N; t++) for (let b = 0; b < B; b++) out[b * N + t] = v[t * B + b];
    return new Multichannel(out, B, N, { ...meta, shape: [count, shape[1]] });
  }

  /**
   * The whole array as a Multichannel (see the module notes for the layout).
   * @throws ShapeError beyond `options.maxBytes`; FormatError.
   */
  read(): Multichannel {
    return this.readLinesAs('ZarrReader.read', 0, this.lines);
  }

  /**
   * Line blocks one after another (`linesPerChunk` lines each, default the chunk size along the
   * line axis so each block decodes each chunk once), with their first line. Memory: one block.
   */
  *chunks(linesPerChunk = this.info.chunks[this.lineAxis]): Generator<{ startLine: number; cube: Multichannel }> {
    assertInteger('ZarrReader.chunks', 'linesPerChunk', linesPerChunk, 1);
    for (let s = 0; s < this.lines; s += linesPerChunk) yield { startLine: s, cube: this.readLinesAs('ZarrReader.chunks', s, Math.min(linesPerChunk, this.lines - s)) };
  }

  /** The blocks of {@link chunks} without their line numbers: `pcaStream(() => z.cubes(), z.bands, k)`. */
  *cubes(linesPerChunk?: number): Generator<Multichannel> {
    for (const c of this.chunks(linesPerChunk)) yield c.cube;
  }
}

/**
 * Reads a whole Zarr array (v2 or v3 folder) as a Multichannel: `[N]` → 1 channel, `[C, N]` → C
 * channels, `[bands, rows, cols]` → bands with `shape = [rows, cols]` (or `[rows, cols, bands]` with
 * `bandAxis: 2`); attributes `sample_rate` and `wavelength`/`wavelength_units` carried.
 * @throws FileError; FormatError (corrupt or unsupported: blosc, zstd, sharding, filters); ShapeError
 * beyond `options.maxBytes`.
 * @example const cube = readZarr('scene.zarr'); // cube.channels bands, cube.shape = [rows, cols]
 */
export function readZarr(dir: string, options?: ZarrReadOptions): Multichannel {
  const reader = ZarrReader.openAs('readZarr', dir, options);
  return reader.readLinesAs('readZarr', 0, reader.lines);
}

/**
 * Lines `start … start + count − 1` of a Zarr cube (rows of `[bands, rows, cols]`), reading only the
 * chunks they overlap: the tile reader of the cluster layer.
 * @throws as {@link readZarr}; ValueError for a range outside the array.
 * @example const tile = readZarrLines('scene.zarr', 256, 64); // bands × [64, cols]
 */
export function readZarrLines(dir: string, start: number, count: number, options?: ZarrReadOptions): Multichannel {
  return ZarrReader.openAs('readZarrLines', dir, options).readLinesAs('readZarrLines', start, count);
}

/**
 * A chunk source for {@link pcaStream}: `{ chunks, bands }` where each call of `chunks()` re-reads
 * the cube block by block (PCA makes two passes for scikit-learn's signs).
 * @example const s = zarrChunkSource('scene.zarr'); const m = pcaStream(s.chunks, s.bands, 10);
 */
export function zarrChunkSource(dir: string, options?: ZarrReadOptions & { linesPerChunk?: number }): { chunks: () => Iterable<Multichannel>; bands: number } {
  const z = ZarrReader.openAs('zarrChunkSource', dir, options);
  return { chunks: () => z.cubes(options?.linesPerChunk), bands: z.bands };
}

/** Options of {@link writeZarr} and {@link ZarrWriter}. */
export interface ZarrWriteOptions {
  /** 2 (default: what zarr-python 2 reads) or 3. */
  zarrFormat?: 2 | 3;
  /** Stored element type (default: the data's dtype; float64 for a {@link ZarrWriter}). */
  dataType?: 'float64' | 'float32';
  /** Chunk shape (default: every band and column in one chunk, 256 lines). */
  chunks?: readonly number[];
  /** 'zlib' (default for v2), 'gzip' (default for v3; v3 has no zlib codec) or 'none'. */
  compressor?: 'zlib' | 'gzip' | 'none';
  /** Replace an existing folder (default false: an existing path is a FileError). */
  overwrite?: boolean;
}

/** The function a ZarrWriter under construction reports in its errors (set by {@link openZarrWriter}). */
let writerCaller: string | undefined;

/** A ZarrWriter whose errors name `fn`. */
function openZarrWriter(fn: string, dir: string, layout: ZarrLayout, options: ZarrWriteOptions): ZarrWriter {
  writerCaller = fn;
  try {
    return new ZarrWriter(dir, layout, options);
  } finally {
    writerCaller = undefined;
  }
}

/** What a {@link ZarrWriter} writes: `[bands, lines, cols]` (a cube) or `[bands, lines]` (signals). */
export interface ZarrLayout {
  bands: number;
  /** Lines in all (rows of a cube, samples of a signal). */
  lines: number;
  /** Columns of a cube; absent for `[bands, lines]`. */
  cols?: number;
  /** Written as the `sample_rate` attribute. */
  sampleRate?: number;
  /** Wavelength coordinates, written as `wavelength` / `wavelength_units`. */
  coords?: ChannelCoords;
}

/**
 * Writes a Zarr array line block by line block, so a cube larger than memory (a cluster's merged
 * tiles, a GeoTIFF converted for {@link pcaStream}) never has to be whole: {@link write} takes the
 * next lines (bands × `[count, cols]`, or `[bands, count]`), a chunk row is compressed and written
 * as soon as its lines are complete, and {@link commit} writes the last (partial) chunk row and
 * renames the temporary folder into place. Memory: one chunk row. Little-endian, C order, fill
 * value 0; {@link readZarr} gives back exactly what was written.
 * @example
 * const w = new ZarrWriter('out.zarr', { bands: 100, lines: 4096, cols: 512 }, { chunks: [100, 64, 64] });
 * for (const tile of tiles) w.write(tile);   // bands × [rows, 512] each, in order
 * w.commit();
 */
export class ZarrWriter {
  /** Final folder. */
  readonly target: string;
  /** The array shape written. */
  readonly shape: number[];
  readonly chunks: number[];
  private readonly tmp: string;
  private readonly fmt: 2 | 3;
  private readonly compressor: 'zlib' | 'gzip' | 'none';
  private readonly dataType: 'float64' | 'float32';
  /** The current chunk row: bands × chunks[1] lines × cols, C order. */
  private readonly row: Float64Array | Float32Array;
  private readonly chunk: Float64Array | Float32Array;
  private rowIndex = 0;
  private rowFill = 0;
  private done = false;
  private readonly fn: string;

  /**
   * Creates the temporary folder and writes the metadata.
   * @throws FileError (target exists without `overwrite`, parent folder missing); ValueError (options, layout).
   */
  constructor(dir: string, layout: ZarrLayout, options: ZarrWriteOptions = {}) {
    const fn = writerCaller ?? 'ZarrWriter';
    this.fn = fn;
    if (typeof dir !== 'string' || dir.length === 0) throw new FileError(message(fn, 'the path must be a non-empty string', dir));
    if (typeof layout !== 'object' || layout === null) throw new ArgumentTypeError(message(fn, 'layout must be an object { bands, lines, cols? }', layout));
    assertInteger(fn, 'layout.bands', layout.bands, 1);
    assertInteger(fn, 'layout.lines', layout.lines, 0);
    if (layout.cols !== undefined) assertInteger(fn, 'layout.cols', layout.cols, 0);
    const fmt = options.zarrFormat ?? 2;
    if (fmt !== 2 && fmt !== 3) throw new ValueError(message(fn, 'options.zarrFormat must be 2 or 3', fmt));
    const dataType = options.dataType ?? 'float64';
    if (dataType !== 'float64' && dataType !== 'float32') throw new ValueError(message(fn, "options.dataType must be 'float64' or 'float32'", dataType));
    const compressor = options.compressor ?? (fmt === 2 ? 'zlib' : 'gzip');
    if (!['zlib', 'gzip', 'none'].includes(compressor) || (fmt === 3 && compressor === 'zlib')) throw new ValueError(message(fn, fmt === 3 ? "options.compressor must be 'gzip' or 'none' for v3" : "options.compressor must be 'zlib', 'gzip' or 'none'", compressor));
    const shape = layout.cols === undefined ? [layout.bands, layout.lines] : [layout.bands, layout.lines, layout.cols];
    const given: unknown = options.chunks;
    if (given !== undefined && (!Array.isArray(given) || given.length !== shape.length || !given.every((c) => Number.isSafeInteger(c) && c >= 1))) {
      throw new ValueError(message(fn, `options.chunks must be ${shape.length} integers ≥ 1 (the array is [${shape.join(', ')}])`, given));
    }
    const chunks: number[] = given !== undefined ? [...(given as number[])] : shape.map((s, d) => (d === 1 ? Math.max(1, Math.min(s, 256)) : Math.max(1, s)));
    const cols = layout.cols ?? 1;
    const rowValues = layout.bands * chunks[1] * cols;
    let chunkValues = 1;
    for (const c of chunks) chunkValues *= c;
    const esize = dataType === 'float64' ? 8 : 4;
    if ((rowValues + chunkValues) * esize > DEFAULT_WRITE_BYTES) {
      throw new ShapeError(message(fn, `one chunk row (${layout.bands} bands × ${chunks[1]} lines × ${cols} columns) and one chunk must fit in ${DEFAULT_WRITE_BYTES} bytes (use fewer lines per chunk)`, { verbatim: `${(rowValues + chunkValues) * esize} bytes` }));
    }
    const attributes: Record<string, unknown> = {};
    if (layout.sampleRate !== undefined) attributes.sample_rate = layout.sampleRate;
    if (layout.coords && layout.coords.name === 'wavelength' && layout.coords.width === 1) {
      attributes.wavelength = Array.from(layout.coords.values);
      attributes.wavelength_units = layout.coords.unit;
    }
    this.target = path.resolve(dir);
    if (fs.existsSync(this.target) && !options.overwrite) throw new FileError(message(fn, 'the output must not exist (pass overwrite: true to replace it)', this.target), 'EEXIST');
    this.tmp = `${this.target}.tmp-${process.pid}-${Date.now()}`;
    try {
      fs.mkdirSync(this.tmp);
    } catch (err) {
      throw fileError(fn, 'the output folder must be creatable (does the parent folder exist?)', this.tmp, err);
    }
    this.shape = shape;
    this.chunks = chunks;
    this.fmt = fmt;
    this.compressor = compressor;
    this.dataType = dataType;
    this.row = dataType === 'float64' ? new Float64Array(rowValues) : new Float32Array(rowValues);
    this.chunk = dataType === 'float64' ? new Float64Array(chunkValues) : new Float32Array(chunkValues);
    this.guard(() => {
      if (fmt === 2) {
        const zarray = { zarr_format: 2, shape, chunks, dtype: dataType === 'float64' ? '<f8' : '<f4', compressor: compressor === 'none' ? null : { id: compressor, level: 6 }, fill_value: 0, filters: null, order: 'C', dimension_separator: '.' };
        fs.writeFileSync(path.join(this.tmp, '.zarray'), JSON.stringify(zarray, null, 4));
        fs.writeFileSync(path.join(this.tmp, '.zattrs'), JSON.stringify(attributes, null, 4));
      } else {
        const codecs: unknown[] = [{ name: 'bytes', configuration: { endian: 'little' } }];
        if (compressor === 'gzip') codecs.push({ name: 'gzip', configuration: { level: 6 } });
        const meta = { zarr_format: 3, node_type: 'array', shape, data_type: dataType, chunk_grid: { name: 'regular', configuration: { chunk_shape: chunks } }, chunk_key_encoding: { name: 'default', configuration: { separator: '/' } }, fill_value: 0, codecs, attributes };
        fs.writeFileSync(path.join(this.tmp, 'zarr.json'), JSON.stringify(meta, null, 2));
      }
    });
  }

  /** Lines written so far. */
  get linesWritten(): number {
    return this.rowIndex * this.chunks[1] + this.rowFill;
  }

  /** Runs `f`; on any error removes the temporary folder and rethrows (file errors as FileError). */
  private guard(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.abort();
      if (isPointwiseError(err)) throw err;
      throw fileError(this.fn, 'the Zarr folder must be writable', this.tmp, err);
    }
  }

  /**
   * Appends the next lines: `x` is bands × `[count, cols]` for a cube (its `shape`), or
   * `[bands, count]` for signals.
   * @throws ShapeError when `x` does not fit the layout or runs past `layout.lines`; FileError after
   * {@link commit} / {@link abort}.
   */
  write(x: Multichannel): void {
    const fn = `${this.fn}.write`;
    if (this.done) throw new FileError(message(fn, 'the writer must be open (not committed or aborted)', this.target));
    assertMultichannel(fn, 'x', x);
    const [B, L] = this.shape;
    const cols = this.shape.length === 3 ? this.shape[2] : 1;
    const count = this.shape.length === 3 ? x.shape?.[0] : x.length;
    if (x.channels !== B || count === undefined || (this.shape.length === 3 && (x.shape?.length !== 2 || x.shape[1] !== cols))) {
      throw new ShapeError(message(fn, this.shape.length === 3 ? `x must be ${B} bands × [lines, ${cols}]` : `x must have ${B} channels`, { verbatim: `${x.channels} channels, shape ${JSON.stringify(x.shape ?? [x.length])}` }));
    }
    if (this.linesWritten + count > L) throw new ShapeError(message(fn, `the lines written must not exceed layout.lines = ${L}`, { verbatim: `${this.linesWritten} + ${count}` }));
    const C1 = this.chunks[1];
    const per = C1 * cols;
    this.guard(() => {
      for (let t = 0; t < count; ) {
        const take = Math.min(count - t, C1 - this.rowFill);
        for (let b = 0; b < B; b++) this.row.set(x.data.subarray(b * x.length + t * cols, b * x.length + (t + take) * cols), b * per + this.rowFill * cols);
        this.rowFill += take;
        t += take;
        if (this.rowFill === C1) this.flushRow();
      }
    });
  }

  /** Writes the chunks of the current chunk row (its first `rowFill` lines; the rest is fill). */
  private flushRow(): void {
    const { shape, chunks, chunk, row } = this;
    const [B] = shape;
    const cols = shape.length === 3 ? shape[2] : 1;
    const C0 = chunks[0];
    const C1 = chunks[1];
    const C2 = shape.length === 3 ? chunks[2] : 1;
    const lines = this.rowFill;
    const bandChunks = Math.ceil(B / C0);
    const colChunks = shape.length === 3 ? Math.ceil(cols / C2) : 1;
    const item = this.dataType === 'float64' ? 8 : 4;
    for (let bi = 0; bi < bandChunks; bi++) {
      for (let ci = 0; ci < colChunks; ci++) {
        chunk.fill(0);
        const c0 = ci * C2;
        const w = Math.min(C2, cols - c0);
        for (let b = bi * C0; b < Math.min(B, (bi + 1) * C0); b++) {
          for (let l = 0; l < lines; l++) {
            const from = (b * C1 + l) * cols + c0;
            chunk.set(row.subarray(from, from + w), ((b - bi * C0) * C1 + l) * C2);
          }
        }
        let bytes = new Uint8Array(chunk.buffer, 0, chunk.length * item);
        if (this.compressor === 'zlib') bytes = zlib.deflateSync(bytes, { level: 6 });
        else if (this.compressor === 'gzip') bytes = zlib.gzipSync(bytes, { level: 6 });
        const idx = shape.length === 3 ? [bi, this.rowIndex, ci] : [bi, this.rowIndex];
        const file = path.join(this.tmp, ...(this.fmt === 3 ? ['c', ...idx.map(String)] : [idx.join('.')]));
        if (this.fmt === 3) fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, bytes);
      }
    }
    this.row.fill(0);
    this.rowIndex++;
    this.rowFill = 0;
  }

  /**
   * Writes the last chunk row and moves the folder into place (replacing the target when
   * `overwrite` was given).
   * @throws ShapeError unless exactly `layout.lines` lines were written; FileError.
   */
  commit(): void {
    const fn = `${this.fn}.commit`;
    if (this.done) throw new FileError(message(fn, 'the writer must be open (not committed or aborted)', this.target));
    if (this.linesWritten !== this.shape[1]) {
      this.abort();
      throw new ShapeError(message(fn, `exactly layout.lines = ${this.shape[1]} lines must be written`, this.linesWritten));
    }
    this.guard(() => {
      if (this.rowFill > 0) this.flushRow();
      if (fs.existsSync(this.target)) fs.rmSync(this.target, { recursive: true, force: true });
      fs.renameSync(this.tmp, this.target);
    });
    this.done = true;
  }

  /** Removes the temporary folder; the target is untouched. Safe to call twice. */
  abort(): void {
    this.done = true;
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Largest chunk row a {@link ZarrWriter} buffers. */
const DEFAULT_WRITE_BYTES = 2 ** 31;

/**
 * Writes `x` as a Zarr array folder: `[C, N]`, or `[C, rows, cols]` when `x.shape` is `[rows, cols]`;
 * little-endian, C order, fill value 0 (every chunk written); `sampleRate` and wavelength
 * coordinates as the attributes {@link readZarr} reads. Written into a temporary folder renamed
 * into place. Reading it back gives `x` bit for bit (float32 storage: rounded to float32).
 * @throws FileError (exists without `overwrite`, missing parent folder); ValueError (options).
 * @example writeZarr('out.zarr', cube, { zarrFormat: 3, chunks: [cube.channels, 64, 64] });
 */
export function writeZarr(dir: string, x: Multichannel, options: ZarrWriteOptions = {}): void {
  const fn = 'writeZarr';
  assertMultichannel(fn, 'x', x);
  const cube = x.shape !== undefined && x.shape.length === 2;
  const layout: ZarrLayout = { bands: x.channels, lines: cube ? x.shape![0] : x.length, cols: cube ? x.shape![1] : undefined, sampleRate: x.sampleRate, coords: x.coords };
  const w = openZarrWriter(fn, dir, layout, { ...options, dataType: options.dataType ?? x.dtype });
  w.write(cube ? x : new Multichannel(x.data, x.channels, x.length));
  w.commit();
}
