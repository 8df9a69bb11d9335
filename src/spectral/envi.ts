/**
 * ENVI raster files (a text `.hdr` beside a raw binary `.img`): header parsing, whole-cube and
 * windowed reads at file offsets, a chunked line-block reader for cubes larger than memory, and an
 * atomic writer for every interleave, data type and byte order.
 *
 * Layout on disk (B bands, L lines, S samples, `bpp` bytes per value, after `header offset` bytes):
 * - BSQ: band-major, value (b, l, s) at `((b·L + l)·S + s)·bpp`
 * - BIL: line-major with bands inside, `((l·B + b)·S + s)·bpp`
 * - BIP: pixel-major, `((l·S + s)·B + b)·bpp`
 *
 * In memory the cube is a {@link Multichannel} with channels = bands, `shape = [lines, samples]`
 * (row-major pixels, pixel `l·S + s`), and wavelengths as channel coordinates.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormatError, ShapeError, ValueError, ArgumentTypeError, FileError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel, allocate, type ChannelCoords, type Dtype } from '../core/multichannel.js';
import { assertInteger, assertOneOf } from '../core/validate.js';
import { crc32 } from 'node:zlib';
import { AtomicWriter, fileError } from '../io/atomic.js';
import { budgetOption, checkBudget } from '../io/budget.js';

/** ENVI interleave names. */
export type EnviInterleave = 'bsq' | 'bil' | 'bip';

/**
 * ENVI `data type` codes supported: 1 uint8, 2 int16, 3 int32, 4 float32, 5 float64, 12 uint16,
 * 13 uint32, 14 int64, 15 uint64. (6 and 9, complex, are rejected.)
 */
export type EnviDataType = 1 | 2 | 3 | 4 | 5 | 12 | 13 | 14 | 15;

/** Bytes per value of each supported ENVI data type. */
export const ENVI_BYTES_PER_VALUE: Readonly<Record<EnviDataType, number>> = { 1: 1, 2: 2, 3: 4, 4: 4, 5: 8, 12: 2, 13: 4, 14: 8, 15: 8 };

const DATA_TYPE_NAMES: Readonly<Record<EnviDataType, string>> = {
  1: 'uint8', 2: 'int16', 3: 'int32', 4: 'float32', 5: 'float64', 12: 'uint16', 13: 'uint32', 14: 'int64', 15: 'uint64',
};

/** A parsed ENVI header. Keys are lower-cased with single spaces; `fields` keeps every raw value. */
export interface EnviHeader {
  samples: number;
  lines: number;
  bands: number;
  dataType: EnviDataType;
  interleave: EnviInterleave;
  /** 0 = little endian, 1 = big endian (default 0 when absent). */
  byteOrder: 0 | 1;
  /** Bytes before the first value (default 0). */
  headerOffset: number;
  /** Wavelengths as written in the header (not converted), or undefined. */
  wavelength?: Float64Array;
  /** The `wavelength units` value as written, or undefined. */
  wavelengthUnits?: string;
  /** Full width at half maximum per band (same units as wavelength), or undefined. */
  fwhm?: Float64Array;
  /** Bad-band list: 1 = good, 0 = bad, one per band, or undefined. */
  bbl?: Uint8Array;
  /** `data ignore value` (no-data marker), or undefined. */
  dataIgnoreValue?: number;
  bandNames?: string[];
  description?: string;
  /** Every key → raw value (braces removed for lists, kept as the inner text). */
  fields: Record<string, string>;
}

const FN_PARSE = 'parseEnviHeader';

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function numberList(key: string, v: string, n: number): Float64Array {
  const parts = splitList(v);
  if (parts.length !== n) throw new FormatError(message(FN_PARSE, `'${key}' must list one value per band (${n})`, parts.length));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = Number(parts[i]);
    if (!Number.isFinite(x)) throw new FormatError(message(FN_PARSE, `'${key}' must hold numbers`, { verbatim: `${JSON.stringify(parts[i])} at position ${i}` }));
    out[i] = x;
  }
  return out;
}

function headerInt(fields: Record<string, string>, key: string, min: number, max: number, def?: number): number {
  const raw = fields[key];
  if (raw === undefined) {
    if (def !== undefined) return def;
    throw new FormatError(message(FN_PARSE, `the header must define '${key}'`, { verbatim: 'no such key' }));
  }
  const t = raw.trim();
  const v = /^[+]?\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new FormatError(message(FN_PARSE, `'${key}' must be an integer in [${min}, ${max}]`, t));
  }
  return v;
}

/**
 * Parses the text of an ENVI header: first line `ENVI`, then `key = value` lines; values in braces
 * may span lines; lines starting with `;` are comments; keys are case-insensitive. Required keys:
 * samples, lines, bands, data type, interleave. Optional: header offset (0), byte order (0),
 * wavelength, wavelength units, fwhm, bbl, data ignore value, band names, description.
 * @throws FormatError for a missing `ENVI` magic line, an unclosed brace, a line without `=`, a
 *   missing or non-integer size, an unknown data type, an interleave other than bsq/bil/bip, a byte
 *   order other than 0/1, or a per-band list of the wrong length.
 * @example parseEnviHeader('ENVI\nsamples = 2\nlines = 1\nbands = 3\ndata type = 4\ninterleave = bsq\n')
 */
export function parseEnviHeader(text: string): EnviHeader {
  if (typeof text !== 'string') throw new ArgumentTypeError(message(FN_PARSE, 'text must be a string', text));
  const body = text.replace(/^\uFEFF/, '');
  const lines = body.split(/\r\n|\r|\n/);
  if (lines.length === 0 || lines[0].trim().toUpperCase() !== 'ENVI') {
    throw new FormatError(message(FN_PARSE, "the header must start with the line 'ENVI'", (lines[0] ?? '').slice(0, 40)));
  }
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = 1;
  while (i < lines.length) {
    const line = lines[i];
    const t = line.trim();
    i++;
    if (t.length === 0 || t.startsWith(';')) continue;
    const eq = t.indexOf('=');
    if (eq <= 0) throw new FormatError(message(FN_PARSE, `every line must read 'key = value' (line ${i})`, t.slice(0, 60)));
    const key = t.slice(0, eq).trim().toLowerCase().replace(/\s+/g, ' ');
    let value = t.slice(eq + 1).trim();
    if (value.startsWith('{')) {
      // Each line is looked at once: the braced value ends on the first line holding '}'.
      const startLine = i;
      let close = value.indexOf('}');
      if (close >= 0) value = value.slice(1, close).trim();
      else {
        const parts = [value.slice(1)];
        for (;;) {
          if (i >= lines.length) throw new FormatError(message(FN_PARSE, `the braced value of '${key}' (line ${startLine}) must be closed with '}'`, { verbatim: 'end of header' }));
          const next = lines[i];
          i++;
          close = next.indexOf('}');
          if (close >= 0) {
            parts.push(next.slice(0, close));
            break;
          }
          parts.push(next);
        }
        value = parts.join('\n').trim();
      }
    }
    fields[key] = value;
  }
  const samples = headerInt(fields, 'samples', 1, 2 ** 31 - 1);
  const nLines = headerInt(fields, 'lines', 1, 2 ** 31 - 1);
  const bands = headerInt(fields, 'bands', 1, 2 ** 31 - 1);
  const dtRaw = fields['data type'];
  if (dtRaw === undefined) throw new FormatError(message(FN_PARSE, "the header must define 'data type'", { verbatim: 'no such key' }));
  const dt = Number(dtRaw.trim());
  if (!(dt in ENVI_BYTES_PER_VALUE)) {
    throw new FormatError(message(FN_PARSE, "'data type' must be one of 1, 2, 3, 4, 5, 12, 13, 14, 15 (complex 6 and 9 are not supported)", dtRaw.trim()));
  }
  const ilRaw = fields['interleave'];
  if (ilRaw === undefined) throw new FormatError(message(FN_PARSE, "the header must define 'interleave'", { verbatim: 'no such key' }));
  const il = ilRaw.trim().toLowerCase();
  if (il !== 'bsq' && il !== 'bil' && il !== 'bip') throw new FormatError(message(FN_PARSE, "'interleave' must be bsq, bil or bip", ilRaw.trim()));
  const byteOrder = headerInt(fields, 'byte order', 0, 1, 0) as 0 | 1;
  const headerOffset = headerInt(fields, 'header offset', 0, Number.MAX_SAFE_INTEGER, 0);
  const h: EnviHeader = { samples, lines: nLines, bands, dataType: dt as EnviDataType, interleave: il, byteOrder, headerOffset, fields };
  if (fields['wavelength'] !== undefined) h.wavelength = numberList('wavelength', fields['wavelength'], bands);
  if (fields['wavelength units'] !== undefined) h.wavelengthUnits = fields['wavelength units'].trim();
  if (fields['fwhm'] !== undefined) h.fwhm = numberList('fwhm', fields['fwhm'], bands);
  if (fields['bbl'] !== undefined) {
    const b = numberList('bbl', fields['bbl'], bands);
    h.bbl = Uint8Array.from(b, (v) => (v !== 0 ? 1 : 0));
  }
  if (fields['data ignore value'] !== undefined) {
    const v = Number(fields['data ignore value'].trim());
    if (Number.isNaN(v) && fields['data ignore value'].trim().toLowerCase() !== 'nan') {
      throw new FormatError(message(FN_PARSE, "'data ignore value' must be a number", fields['data ignore value'].trim()));
    }
    h.dataIgnoreValue = v;
  }
  if (fields['band names'] !== undefined) {
    const names = splitList(fields['band names']);
    if (names.length !== bands) throw new FormatError(message(FN_PARSE, `'band names' must list one name per band (${bands})`, names.length));
    h.bandNames = names;
  }
  if (fields['description'] !== undefined) h.description = fields['description'];
  return h;
}

/**
 * Converts header wavelengths to channel coordinates. Units stating nanometres stay in nm;
 * micrometres (`Micrometers`, `microns`, `um`, `µm`) are multiplied by 1000 and reported as nm;
 * millimetres likewise by 1e6; any other unit (wavenumber, GHz, Index, Unknown) is kept as written,
 * values unchanged; no unit given → unit `'unknown'`.
 */
export function wavelengthCoords(h: EnviHeader): ChannelCoords | undefined {
  if (!h.wavelength) return undefined;
  const u = (h.wavelengthUnits ?? '').trim();
  const ul = u.toLowerCase();
  let scale = 1;
  let unit = u.length ? u : 'unknown';
  if (/^(nanometers?|nanometres?|nm)$/.test(ul)) unit = 'nm';
  else if (/^(micrometers?|micrometres?|microns?|um|µm|μm)$/.test(ul)) {
    scale = 1000;
    unit = 'nm';
  } else if (/^(millimeters?|millimetres?|mm)$/.test(ul)) {
    scale = 1e6;
    unit = 'nm';
  }
  const values = new Float64Array(h.bands);
  for (let b = 0; b < h.bands; b++) values[b] = h.wavelength[b] * scale;
  return { name: 'wavelength', unit, width: 1, values };
}

/** Options of {@link readEnvi} and {@link EnviReader}. */
export interface EnviReadOptions {
  /** Path of the binary file (default: the .hdr path with .img, .dat, .raw, .bsq/.bil/.bip or no extension, whichever exists). */
  dataPath?: string;
  /** Element type of the result (default 'float64'). int64/uint64 above 2^53 lose precision in either. */
  dtype?: Dtype;
  /** Read only these bands (0-based, any order, no repeats). Default: all. */
  bands?: readonly number[];
  /** Read only lines `[start, end)` (default: all lines). */
  lines?: readonly [number, number];
  /**
   * What to do with values equal to the header's `data ignore value`: `'nan'` (default) replaces them
   * with NaN so PCA and the statistics leave those pixels out; `'keep'` returns them as stored.
   */
  noData?: 'nan' | 'keep';
  /**
   * Largest result, in bytes (default 2 GiB): a window of more values than this is a ShapeError
   * before anything is allocated. Raise it to read larger cubes whole, or use {@link EnviReader.chunks}.
   */
  maxBytes?: number;
}

function dataPathFor(hdrPath: string, h: EnviHeader): string {
  const candidates: string[] = [];
  const ext = path.extname(hdrPath);
  if (ext.toLowerCase() === '.hdr') {
    const base = hdrPath.slice(0, -ext.length);
    for (const e of ['.img', '.dat', '.raw', `.${h.interleave}`, '.IMG', '.DAT', '']) candidates.push(base + e);
  } else candidates.push(hdrPath + '.img');
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return c;
    } catch {
      /* try next */
    }
  }
  throw new FileError(message('readEnvi', 'the data file beside the header must exist (tried .img, .dat, .raw, .bsq/.bil/.bip, no extension)', { verbatim: JSON.stringify(candidates[0]) }), 'ENOENT');
}

/** Header keys through which {@link writeEnvi} ties a header to its data file (ENVI readers ignore unknown keys). */
const PAIR_BYTES = 'pointwise data bytes';
const PAIR_CRC = 'pointwise data crc32';
const PAIR_ID = 'pointwise data id';

/** The identity of an open file as {@link writeEnvi} records it: inode and modification time in ns. */
function fileId(fd: number): string {
  const st = fs.fstatSync(fd, { bigint: true });
  return `${st.ino}:${st.mtimeNs}`;
}

/**
 * Checks that the data file is the one written with this header, when the header says so (headers
 * written by {@link writeEnvi} record the data file's size, CRC-32 and identity): the size always;
 * the CRC-32, by one pass over the file, only when the identity (inode, mtime) differs, as after a
 * copy — or after an interrupted write that replaced the data file but not yet the header.
 */
function checkPair(fn: string, h: EnviHeader, dataPath: string, fd: number, size: number): void {
  const bytes = h.fields[PAIR_BYTES];
  const crc = h.fields[PAIR_CRC];
  const mismatch = (what: string, got: string): FormatError =>
    new FormatError(message(fn, `the data file must be the one written with this header (${what}; a copy from another write, or a write interrupted between the data file and the header?)`, { verbatim: `${got} in ${JSON.stringify(dataPath)}` }));
  if (bytes !== undefined && String(size) !== bytes.trim()) throw mismatch(`the header records ${bytes.trim()} bytes`, `${size} bytes`);
  if (crc === undefined || (h.fields[PAIR_ID] !== undefined && h.fields[PAIR_ID].trim() === fileId(fd))) return;
  const block = Buffer.allocUnsafe(Math.min(size, 1 << 22));
  let c = 0;
  for (let pos = 0; pos < size; ) {
    const n = fs.readSync(fd, block, 0, Math.min(block.length, size - pos), pos);
    if (n === 0) break;
    c = crc32(block.subarray(0, n), c);
    pos += n;
  }
  const hex = (c >>> 0).toString(16).padStart(8, '0');
  if (hex !== crc.trim().toLowerCase()) throw mismatch(`the header records CRC-32 ${crc.trim()}`, `CRC-32 ${hex}`);
}

/** Largest header file {@link readEnviHeader} reads: 1 MiB (ENVI headers are a few kilobytes). */
export const ENVI_MAX_HEADER_BYTES = 1 << 20;

/** Reads and parses a header file. @throws FileError when unreadable; FormatError when corrupt. */
export function readEnviHeader(hdrPath: string): EnviHeader {
  if (typeof hdrPath !== 'string' || hdrPath.length === 0) throw new FileError(message('readEnviHeader', 'the path must be a non-empty string', hdrPath));
  let st: fs.Stats;
  try {
    st = fs.statSync(hdrPath);
  } catch (err) {
    throw fileError('readEnviHeader', 'the header file must exist and be readable', hdrPath, err);
  }
  if (st.size > ENVI_MAX_HEADER_BYTES) throw new FormatError(message('readEnviHeader', `an ENVI header must be a text file of at most ${ENVI_MAX_HEADER_BYTES} bytes (1 MiB)`, { verbatim: `${st.size} bytes in ${JSON.stringify(hdrPath)}` }));
  let text: string;
  try {
    text = fs.readFileSync(hdrPath, 'utf8');
  } catch (err) {
    throw fileError('readEnviHeader', 'the header file must exist and be readable', hdrPath, err);
  }
  return parseEnviHeader(text);
}

/** Swaps bytes of `buf` in place from big to little endian for `bpp`-byte values. */
function swapInPlace(buf: Buffer, bpp: number): void {
  if (bpp === 2) buf.swap16();
  else if (bpp === 4) buf.swap32();
  else if (bpp === 8) buf.swap64();
}

/** A typed view (little-endian host) of `buf` holding `count` values of `dt`; `buf` must be 8-aligned. */
type RawView = Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;
function viewOf(buf: Buffer, dt: EnviDataType): RawView {
  const ab = buf.buffer;
  const off = buf.byteOffset;
  const n = buf.length / ENVI_BYTES_PER_VALUE[dt];
  switch (dt) {
    case 1: return new Uint8Array(ab, off, n);
    case 2: return new Int16Array(ab, off, n);
    case 3: return new Int32Array(ab, off, n);
    case 4: return new Float32Array(ab, off, n);
    case 5: return new Float64Array(ab, off, n);
    case 12: return new Uint16Array(ab, off, n);
    case 13: return new Uint32Array(ab, off, n);
    case 14: return new BigInt64Array(ab, off, n);
    case 15: return new BigUint64Array(ab, off, n);
  }
}

/** An aligned scratch buffer of `n` bytes (own ArrayBuffer, so typed views are aligned). */
function alignedBuffer(n: number): Buffer {
  return Buffer.from(new ArrayBuffer(n));
}

/**
 * An open ENVI file for reading by offsets: the whole cube, a window of lines, a band subset, or
 * line blocks one after another ({@link EnviReader.chunks}) in memory bounded by the block size.
 * Close it with {@link EnviReader.close} (the chunk iterator does not close it).
 */
export class EnviReader {
  readonly header: EnviHeader;
  readonly dataPath: string;
  /** Wavelengths as channel coordinates (see {@link wavelengthCoords}), or undefined. */
  readonly coords: ChannelCoords | undefined;
  private fd: number | null;
  private readonly bpp: number;

  private constructor(header: EnviHeader, dataPath: string, fd: number) {
    this.header = header;
    this.dataPath = dataPath;
    this.fd = fd;
    this.bpp = ENVI_BYTES_PER_VALUE[header.dataType];
    this.coords = wavelengthCoords(header);
  }

  /**
   * Parses the header, opens the data file and checks its size.
   * @throws FormatError when the data file is shorter than header offset + lines·samples·bands·bytes
   *   (the header claims more data than there is); FileError when a file is missing.
   */
  static open(hdrPath: string, options: { dataPath?: string } = {}): EnviReader {
    const fn = 'readEnvi';
    const h = readEnviHeader(hdrPath);
    const dataPath = options.dataPath ?? dataPathFor(hdrPath, h);
    let fd: number;
    try {
      fd = fs.openSync(dataPath, 'r');
    } catch (err) {
      throw fileError(fn, 'the data file must exist and be readable', dataPath, err);
    }
    try {
      const size = fs.fstatSync(fd).size;
      const need = h.headerOffset + h.lines * h.samples * h.bands * ENVI_BYTES_PER_VALUE[h.dataType];
      if (size < need) {
        throw new FormatError(
          message(fn, `the data file must hold header offset + lines × samples × bands × ${ENVI_BYTES_PER_VALUE[h.dataType]} bytes = ${h.headerOffset} + ${h.lines} × ${h.samples} × ${h.bands} × ${ENVI_BYTES_PER_VALUE[h.dataType]} = ${need} bytes (the header claims more data than the file has)`, {
            verbatim: `${size} bytes in ${JSON.stringify(dataPath)}`,
          }),
        );
      }
      checkPair(fn, h, dataPath, fd, size);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    return new EnviReader(h, dataPath, fd);
  }

  /** Reads `length` bytes at `position` into an aligned buffer, converting to little endian. */
  private readBytes(position: number, length: number): Buffer {
    if (this.fd === null) throw new FileError(message('EnviReader.read', 'the reader must be open (not closed)', this.dataPath));
    const buf = alignedBuffer(length);
    let off = 0;
    while (off < length) {
      const n = fs.readSync(this.fd, buf, off, length - off, position + off);
      if (n === 0) throw new FormatError(message('readEnvi', `the data file must hold ${position + length} bytes`, { verbatim: `end of file at ${position + off}` }));
      off += n;
    }
    if (this.header.byteOrder === 1 && this.bpp > 1) swapInPlace(buf, this.bpp);
    return buf;
  }

  /**
   * Reads lines `[start, start + count)` of the given bands into a Multichannel
   * `[bands.length, count·samples]` with `shape = [count, samples]`.
   * Cost: one positioned read per band (BSQ) or one read of the line block (BIL/BIP).
   */
  read(options: Omit<EnviReadOptions, 'dataPath'> = {}): Multichannel {
    const fn = 'readEnvi';
    const h = this.header;
    const { bands: bandList, start, count } = this.checkWindow(fn, options);
    const dtype = options.dtype ?? 'float64';
    if (dtype !== 'float64' && dtype !== 'float32') throw new ValueError(message(fn, "options.dtype must be 'float64' or 'float32'", dtype));
    const noData = options.noData ?? 'nan';
    assertOneOf(fn, 'options.noData', noData, ['nan', 'keep'] as const);
    const S = h.samples;
    const B = h.bands;
    const nb = bandList.length;
    const N = count * S;
    const out = allocate(dtype, nb * N);
    const bpp = this.bpp;
    if (h.interleave === 'bsq') {
      for (let j = 0; j < nb; j++) {
        const b = bandList[j];
        const buf = this.readBytes(h.headerOffset + (b * h.lines + start) * S * bpp, N * bpp);
        copyStrided(viewOf(buf, h.dataType), 0, 1, out, j * N, N);
      }
    } else {
      const buf = this.readBytes(h.headerOffset + start * S * B * bpp, count * S * B * bpp);
      const v = viewOf(buf, h.dataType);
      if (h.interleave === 'bil') {
        for (let l = 0; l < count; l++) {
          for (let j = 0; j < nb; j++) copyStrided(v, (l * B + bandList[j]) * S, 1, out, j * N + l * S, S);
        }
      } else if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
        for (let j = 0; j < nb; j++) copyStrided(v, bandList[j], B, out, j * N, N);
      } else {
        // pixel-major → band-major in tiles of 64 pixels, so the reads of a tile stay in cache
        const bl = bandList;
        for (let p0 = 0; p0 < N; p0 += 64) {
          const p1 = Math.min(N, p0 + 64);
          for (let j = 0; j < nb; j++) {
            const b = bl[j];
            const o = j * N;
            for (let p = p0; p < p1; p++) out[o + p] = v[p * B + b];
          }
        }
      }
    }
    if (noData === 'nan' && h.dataIgnoreValue !== undefined && !Number.isNaN(h.dataIgnoreValue)) {
      const iv = dtype === 'float32' ? Math.fround(h.dataIgnoreValue) : h.dataIgnoreValue;
      for (let i = 0; i < out.length; i++) if (out[i] === iv) out[i] = NaN;
    }
    let coords: ChannelCoords | undefined;
    if (this.coords) {
      const values = new Float64Array(nb);
      for (let j = 0; j < nb; j++) values[j] = this.coords.values[bandList[j]];
      coords = { ...this.coords, values };
    }
    const labels = h.bandNames ? Array.from(bandList, (b) => h.bandNames![b]) : undefined;
    return new Multichannel(out, nb, N, { shape: [count, S], coords, labels });
  }

  /**
   * Iterates over blocks of `linesPerChunk` lines (the last may be shorter): each item has the block
   * as a Multichannel `[bands, lines·samples]` and its first line. Memory: one block at a time.
   */
  *chunks(linesPerChunk: number, options: Omit<EnviReadOptions, 'dataPath' | 'lines'> = {}): Generator<{ startLine: number; cube: Multichannel }> {
    assertInteger('EnviReader.chunks', 'linesPerChunk', linesPerChunk, 1);
    for (let l = 0; l < this.header.lines; l += linesPerChunk) {
      const end = Math.min(this.header.lines, l + linesPerChunk);
      yield { startLine: l, cube: this.read({ ...options, lines: [l, end] }) };
    }
  }

  /** Closes the data file. Safe to call twice. */
  close(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }

  private checkWindow(fn: string, options: Omit<EnviReadOptions, 'dataPath'>): { bands: Int32Array; start: number; count: number } {
    const h = this.header;
    const budget = budgetOption(fn, 'maxBytes', options.maxBytes);
    let start = 0;
    let end = h.lines;
    if (options.lines !== undefined) {
      if (!Array.isArray(options.lines) || options.lines.length !== 2) throw new ArgumentTypeError(message(fn, 'options.lines must be [start, end)', options.lines));
      [start, end] = options.lines;
      assertInteger(fn, 'lines[0]', start, 0, h.lines - 1);
      assertInteger(fn, 'lines[1]', end, start + 1, h.lines);
    }
    const count = end - start;
    const nb = options.bands === undefined ? h.bands : Array.isArray(options.bands) ? options.bands.length : 0;
    const valueBytes = options.dtype === 'float32' ? 4 : 8;
    // Memory: the result, plus the raw bytes of one band (BSQ) or of the whole line block (BIL/BIP).
    const raw = (h.interleave === 'bsq' ? 1 : h.bands) * count * h.samples * this.bpp;
    checkBudget(fn, `the result (${nb} bands × ${count} lines × ${h.samples} samples × ${valueBytes} bytes) plus the raw read (${raw} bytes)`, nb * count * h.samples * valueBytes + raw, budget, 'maxBytes');
    let bands: Int32Array;
    if (options.bands === undefined) {
      bands = new Int32Array(h.bands);
      for (let i = 0; i < bands.length; i++) bands[i] = i;
    } else {
      if (!Array.isArray(options.bands) || options.bands.length === 0) throw new ShapeError(message(fn, 'options.bands must be a non-empty array of band indices', options.bands));
      const seen = new Set<number>();
      for (const b of options.bands) {
        assertInteger(fn, 'options.bands[i]', b, 0, h.bands - 1);
        if (seen.has(b)) throw new ValueError(message(fn, 'options.bands must not repeat a band', b));
        seen.add(b);
      }
      bands = Int32Array.from(options.bands);
    }
    if (bands.length * count * h.samples > 2 ** 32 - 1) {
      throw new ShapeError(message(fn, 'the window must hold at most 2^32 − 1 values (read fewer lines or bands, or use EnviReader.chunks)', bands.length * count * h.samples));
    }
    return { bands, start, count };
  }
}

function copyStrided(src: RawView, srcStart: number, stride: number, dst: Float64Array | Float32Array, dstStart: number, n: number): void {
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    for (let i = 0, k = srcStart; i < n; i++, k += stride) dst[dstStart + i] = Number(src[k]);
    return;
  }
  if (stride === 1) {
    dst.set(src.subarray(srcStart, srcStart + n), dstStart);
    return;
  }
  for (let i = 0, k = srcStart; i < n; i++, k += stride) dst[dstStart + i] = src[k];
}

/**
 * Reads an ENVI cube (or a window of it) into a Multichannel `[bands, lines·samples]` with
 * `shape = [lines, samples]` and wavelengths as channel coordinates (nm when the header states nm or
 * µm; see {@link wavelengthCoords}); band names become labels. Values equal to `data ignore value`
 * become NaN unless `noData: 'keep'`. Only the requested bytes are read (positioned reads).
 * Speed: about the disk/page-cache rate (bench/spectral.ts; docs/PERFORMANCE.md, section ENVI reading).
 * Headers written by {@link writeEnvi} record the data file's size, CRC-32 and identity; a data file
 * that does not match them (another write's data, e.g. after a write was killed between the data
 * file and the header) is an error. Checking costs nothing for the pair as written and one pass over
 * the data file for a copied pair.
 * @throws FormatError for a corrupt header, unknown data type, bad interleave, a data file shorter
 *   than the header claims, or one that is not the header's own; ShapeError when the result would
 *   exceed `maxBytes` (default 2 GiB); FileError for missing files; ValueError for bad band/line
 *   selections.
 * @example const cube = readEnvi('samson.hdr', { bands: [10, 50, 90], lines: [0, 32] });
 */
export function readEnvi(hdrPath: string, options: EnviReadOptions = {}): Multichannel {
  const r = EnviReader.open(hdrPath, { dataPath: options.dataPath });
  try {
    return r.read(options);
  } finally {
    r.close();
  }
}

/** Options of {@link writeEnvi}. */
export interface EnviWriteOptions {
  interleave?: EnviInterleave;
  /** Default 4 (float32) for float32 input, 5 (float64) otherwise. */
  dataType?: EnviDataType;
  /** 0 little endian (default), 1 big endian. */
  byteOrder?: 0 | 1;
  /** Path of the binary file (default: the .hdr path with .img). */
  dataPath?: string;
  /** Zero bytes written before the data (header offset); default 0. */
  headerOffset?: number;
  /** Shape `[lines, samples]` when `x.shape` is absent (default `x.shape`, else `[1, length]`). */
  shape?: readonly [number, number];
  description?: string;
  /** Full width at half maximum per band, in the wavelength unit. */
  fwhm?: ArrayLike<number>;
  /** Bad-band list (1 good, 0 bad). */
  bbl?: ArrayLike<number>;
  /** Written as `data ignore value`; NaN samples are stored as this value. */
  dataIgnoreValue?: number;
}

const INT_RANGE: Partial<Record<EnviDataType, [number, number]>> = {
  1: [0, 255], 2: [-32768, 32767], 3: [-2147483648, 2147483647], 12: [0, 65535], 13: [0, 4294967295],
  14: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], 15: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * Writes `x` (`[bands, lines·samples]`, shape `[lines, samples]`) as an ENVI header plus binary
 * file, both atomically (temporary file, fsync, rename; the data file first). The header records
 * the data file's size, CRC-32 and identity (`pointwise data bytes`, `pointwise data crc32`,
 * `pointwise data id`; other ENVI readers ignore unknown keys), so {@link readEnvi} detects a header
 * paired with another write's data. Wavelength coords are written with their
 * unit (`nm` → `Nanometers`), labels as `band names`.
 * Integer data types need integer samples within range (no silent rounding or clipping); NaN is
 * written as `dataIgnoreValue` when given, else rejected for integer types.
 * @throws ValueError for non-integer or out-of-range samples for an integer type, NaN without an
 *   ignore value; ShapeError when the shape does not match; FileError when the folder is missing.
 * @example writeEnvi('out.hdr', cube, { interleave: 'bil', dataType: 2, byteOrder: 1 });
 */
export function writeEnvi(hdrPath: string, x: Multichannel, options: EnviWriteOptions = {}): void {
  const fn = 'writeEnvi';
  assertMultichannel(fn, 'x', x);
  if (typeof hdrPath !== 'string' || hdrPath.length === 0) throw new FileError(message(fn, 'the header path must be a non-empty string', hdrPath));
  const interleave = assertOneOf(fn, 'options.interleave', options.interleave ?? 'bsq', ['bsq', 'bil', 'bip'] as const);
  const dataType = (options.dataType ?? (x.dtype === 'float32' ? 4 : 5)) as EnviDataType;
  if (!(dataType in ENVI_BYTES_PER_VALUE)) throw new ValueError(message(fn, 'options.dataType must be one of 1, 2, 3, 4, 5, 12, 13, 14, 15', options.dataType));
  const byteOrder = options.byteOrder ?? 0;
  if (byteOrder !== 0 && byteOrder !== 1) throw new ValueError(message(fn, 'options.byteOrder must be 0 or 1', byteOrder));
  const headerOffset = options.headerOffset ?? 0;
  assertInteger(fn, 'options.headerOffset', headerOffset, 0, 1 << 30);
  let shape = options.shape ?? (x.shape && x.shape.length === 2 ? (x.shape as readonly [number, number]) : ([1, x.length] as const));
  if (shape.length !== 2 || shape[0] * shape[1] !== x.length) throw new ShapeError(message(fn, `shape [lines, samples] must multiply to length = ${x.length}`, { verbatim: `[${shape.join(', ')}]` }));
  shape = [shape[0], shape[1]];
  const [L, S] = shape;
  const B = x.channels;
  if (L * S === 0) throw new ShapeError(message(fn, 'x must hold at least one pixel', x));
  const bpp = ENVI_BYTES_PER_VALUE[dataType];
  const range = INT_RANGE[dataType];
  const ignore = options.dataIgnoreValue;
  if (ignore !== undefined && typeof ignore !== 'number') throw new ArgumentTypeError(message(fn, 'options.dataIgnoreValue must be a number', ignore));
  const N = L * S;
  const src = x.data;
  // Values in disk order (as float64), validated for integer types.
  const ordered = new Float64Array(B * N);
  const put = (b: number, p: number, k: number): void => {
    let v = src[b * N + p];
    if (v !== v) {
      if (ignore !== undefined) v = ignore;
      else if (range) throw new ValueError(message(fn, `samples must not be NaN for integer data type ${dataType} (${DATA_TYPE_NAMES[dataType]}) unless dataIgnoreValue is given`, { verbatim: `NaN at band ${b}, pixel ${p}` }));
    }
    if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) {
      throw new ValueError(message(fn, `samples must be integers in [${range[0]}, ${range[1]}] for data type ${dataType} (${DATA_TYPE_NAMES[dataType]})`, { verbatim: `${v} at band ${b}, pixel ${p}` }));
    }
    ordered[k] = v;
  };
  if (interleave === 'bsq') {
    for (let b = 0, k = 0; b < B; b++) for (let p = 0; p < N; p++, k++) put(b, p, k);
  } else if (interleave === 'bil') {
    for (let l = 0, k = 0; l < L; l++) for (let b = 0; b < B; b++) for (let s = 0; s < S; s++, k++) put(b, l * S + s, k);
  } else {
    for (let p = 0, k = 0; p < N; p++) for (let b = 0; b < B; b++, k++) put(b, p, k);
  }
  const body = Buffer.from(new ArrayBuffer(ordered.length * bpp));
  const ab = body.buffer;
  switch (dataType) {
    case 1: new Uint8Array(ab).set(ordered); break;
    case 2: new Int16Array(ab).set(ordered); break;
    case 3: new Int32Array(ab).set(ordered); break;
    case 4: new Float32Array(ab).set(ordered); break;
    case 5: new Float64Array(ab).set(ordered); break;
    case 12: new Uint16Array(ab).set(ordered); break;
    case 13: new Uint32Array(ab).set(ordered); break;
    case 14: { const v = new BigInt64Array(ab); for (let i = 0; i < ordered.length; i++) v[i] = BigInt(ordered[i]); break; }
    case 15: { const v = new BigUint64Array(ab); for (let i = 0; i < ordered.length; i++) v[i] = BigInt(ordered[i]); break; }
  }
  if (byteOrder === 1 && bpp > 1) swapInPlace(body, bpp);

  const hdr: string[] = ['ENVI'];
  hdr.push(`description = {${(options.description ?? 'written by pointwise').replace(/[{}]/g, '')}}`);
  hdr.push(`samples = ${S}`, `lines = ${L}`, `bands = ${B}`, `header offset = ${headerOffset}`, 'file type = ENVI Standard');
  hdr.push(`data type = ${dataType}`, `interleave = ${interleave}`, `byte order = ${byteOrder}`);
  const list = (a: ArrayLike<number>): string => `{ ${Array.from(a, (v) => String(v)).join(', ')} }`;
  if (x.coords && x.coords.width === 1 && x.coords.name === 'wavelength') {
    hdr.push(`wavelength = ${list(x.coords.values)}`);
    const u = x.coords.unit;
    hdr.push(`wavelength units = ${u === 'nm' ? 'Nanometers' : u === 'unknown' ? 'Unknown' : u}`);
  }
  const perBand = (name: string, a: ArrayLike<number> | undefined): void => {
    if (a === undefined) return;
    if (a.length !== B) throw new ShapeError(message(fn, `${name} must have one value per band (${B})`, a.length));
    hdr.push(`${name} = ${list(a)}`);
  };
  perBand('fwhm', options.fwhm);
  perBand('bbl', options.bbl);
  if (ignore !== undefined) hdr.push(`data ignore value = ${ignore}`);
  if (x.labels) hdr.push(`band names = { ${x.labels.map((s) => s.replace(/[,{}]/g, ' ')).join(', ')} }`);

  const dataPath = options.dataPath ?? (path.extname(hdrPath).toLowerCase() === '.hdr' ? hdrPath.slice(0, -4) + '.img' : hdrPath + '.img');
  // The header records the data file's size, CRC-32 and identity, and replaces the old header only
  // after the data file is in place: a reader that meets the new data under the old header (the
  // writer was killed in between) gets a FormatError from the check in EnviReader.open.
  const w = new AtomicWriter(dataPath, fn);
  const hw = new AtomicWriter(hdrPath, fn);
  try {
    let crc = 0;
    if (headerOffset > 0) {
      const zeros = new Uint8Array(headerOffset);
      w.write(zeros);
      crc = crc32(zeros, crc);
    }
    w.write(body);
    crc = crc32(body, crc);
    hdr.push(`${PAIR_BYTES} = ${headerOffset + body.length}`, `${PAIR_CRC} = ${(crc >>> 0).toString(16).padStart(8, '0')}`, `${PAIR_ID} = ${fileId(w.sync())}`);
    hw.write(Buffer.from(hdr.join('\n') + '\n', 'utf8'));
    hw.sync();
    w.commit();
    hw.commit();
  } catch (err) {
    w.abort();
    hw.abort();
    throw err;
  }
}
