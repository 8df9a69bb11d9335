/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), so arrays move between Node and NumPy.
 *
 * Reading accepts float16/32/64, int8–int64, uint8–uint64 and bool, little or big endian
 * (`<`, `>`, `|`, `=` taken as little), C or Fortran order. Shapes map to a Multichannel as:
 * - `()` (a scalar) → `[1, 1]`; `(T,)` → one channel `[1, T]`; `(C, T)` → `[C, T]`;
 * - `(C, d1, …, dk)` with k ≥ 2 → `[C, d1·…·dk]` with `shape = [d1, …, dk]` (each channel is an
 *   image or cube in row-major order; `x.dims` gives the original shape back).
 *
 * Element types: float32 and float16 files give float32 samples; everything else gives float64
 * (integers are converted exactly up to 2^53; int64/uint64 beyond that round to nearest).
 *
 * Writing produces version 1.0, C order, little endian, `<f8` or `<f4` following `x.dtype`, with
 * shape `(C, T)`, or `(C, …shape)` when `x.shape` has two or more dimensions (so the mapping above
 * round-trips). The header is padded so the data start at a multiple of 64 bytes, as numpy does.
 * Agreement: files written here load with `numpy.load` to the same values bit-for-bit, and
 * numpy-written files read here bit-for-bit (test/io/npy.test.ts, fixtures made by numpy).
 * @module
 */
import { ArgumentTypeError, FormatError, ShapeError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel, type SampleArray } from '../core/multichannel.js';
import { AtomicWriter, readFileChecked, writeFileAtomicChecked } from './atomic.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Element kinds understood on read. */
type Kind = 'f' | 'i' | 'u' | 'b';

/** A parsed .npy header. */
export interface NpyHeader {
  /** Format version, e.g. [1, 0]. */
  version: [number, number];
  /** The dtype string as written, e.g. '<f8'. */
  descr: string;
  /** True for column-major (Fortran) element order. */
  fortranOrder: boolean;
  /** The array's shape. */
  shape: number[];
  /** Byte offset of the first element. */
  dataOffset: number;
}

// ---------------------------------------------------------------------------------------------
// A tiny parser for the header's Python literal: {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }

type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

class PyLiteral {
  private i = 0;
  constructor(private readonly s: string, private readonly fn: string) {}

  fail(what: string): never {
    throw new FormatError(message(this.fn, `the header must be a Python dict literal (${what})`, { verbatim: JSON.stringify(this.s.length > 120 ? this.s.slice(0, 117) + '...' : this.s) }));
  }
  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  parseTop(): PyValue {
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) this.fail(`unexpected text at character ${this.i}`);
    return v;
  }
  private value(depth: number): PyValue {
    if (depth > 16) this.fail('nested too deeply');
    this.ws();
    const ch = this.s[this.i];
    if (ch === '{') return this.dict(depth);
    if (ch === '(' || ch === '[') return this.seq(depth, ch === '(' ? ')' : ']');
    if (ch === "'" || ch === '"') return this.str();
    const m = /^(True|False|None|[-+]?\d+L?)/.exec(this.s.slice(this.i, this.i + 32));
    if (!m) this.fail(`unexpected character ${JSON.stringify(ch ?? 'end of text')} at ${this.i}`);
    this.i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0].replace('L', ''));
  }
  private str(): string {
    const q = this.s[this.i++];
    const end = this.s.indexOf(q, this.i);
    if (end < 0) this.fail('unterminated string');
    const v = this.s.slice(this.i, end);
    this.i = end + 1;
    return v;
  }
  private seq(depth: number, close: string): PyValue[] {
    this.i++;
    const out: PyValue[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      if (out.length > 64) this.fail('too many items');
      out.push(this.value(depth + 1));
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) this.fail(`expected ',' or '${close}' at ${this.i}`);
    }
  }
  private dict(depth: number): { [k: string]: PyValue } {
    this.i++;
    const out: { [k: string]: PyValue } = {};
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      if (Object.keys(out).length > 16) this.fail('too many keys');
      const k = this.value(depth + 1);
      if (typeof k !== 'string') this.fail('keys must be strings');
      this.ws();
      if (this.s[this.i] !== ':') this.fail(`expected ':' at ${this.i}`);
      this.i++;
      out[k] = this.value(depth + 1);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail(`expected ',' or '}' at ${this.i}`);
    }
  }
}

/** Parses the magic, version and header dict of `.npy` bytes. */
export function parseNpyHeader(bytes: Uint8Array, fn = 'parseNpyHeader'): NpyHeader {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentTypeError(message(fn, 'bytes must be a Uint8Array (or Buffer)', bytes));
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const got = Array.from(bytes.subarray(0, 6), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
    throw new FormatError(message(fn, "an .npy file must start with the magic '\\x93NUMPY' and a version", { verbatim: `'${got}' (${bytes.length} bytes)` }));
  }
  const major = bytes[6];
  const minor = bytes[7];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = bytes[8] | (bytes[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new FormatError(message(fn, 'a version 2/3 .npy file needs a 12-byte preamble', { verbatim: `${bytes.length} bytes` }));
    headerLen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24)) >>> 0;
    start = 12;
  } else {
    throw new FormatError(message(fn, 'the .npy format version must be 1.0, 2.0 or 3.0', { verbatim: `${major}.${minor}` }));
  }
  if (start + headerLen > bytes.length) {
    throw new FormatError(message(fn, 'the header must fit in the file (truncated?)', { verbatim: `${headerLen} header bytes declared, ${bytes.length - start} present` }));
  }
  if (headerLen > 1 << 20) throw new FormatError(message(fn, 'the header must be at most 1 MiB', headerLen));
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const dict = new PyLiteral(text, fn).parseTop();
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw new FormatError(message(fn, 'the header must be a dict', { verbatim: JSON.stringify(text.slice(0, 80)) }));
  const { descr, fortran_order: fo, shape } = dict;
  if (typeof descr !== 'string') {
    if (Array.isArray(descr)) throw new FormatError(message(fn, 'structured (record) dtypes are not supported', { verbatim: 'a field list' }));
    throw new FormatError(message(fn, "the header must have a string 'descr'", { verbatim: JSON.stringify(descr ?? null) }));
  }
  if (typeof fo !== 'boolean') throw new FormatError(message(fn, "the header must have a boolean 'fortran_order'", { verbatim: JSON.stringify(fo ?? null) }));
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) {
    throw new FormatError(message(fn, "the header 'shape' must be a tuple of non-negative integers", { verbatim: JSON.stringify(shape ?? null) }));
  }
  return { version: [major, minor], descr, fortranOrder: fo, shape: shape as number[], dataOffset: start + headerLen };
}

interface Dtype {
  kind: Kind;
  size: number;
  bigEndian: boolean;
}

function parseDescr(fn: string, descr: string): Dtype {
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  if (!m) {
    if (descr === 'O' || descr === '|O' || /^[<>|=]?O\d*$/.test(descr)) throw new FormatError(message(fn, 'object arrays (pickled Python objects) are not supported', { verbatim: `descr '${descr}'` }));
    throw new FormatError(message(fn, 'the dtype must be a float, integer or bool type', { verbatim: `descr '${descr}'` }));
  }
  const [, order, kindCh, sizeStr] = m;
  const size = Number(sizeStr);
  const ok: Record<string, number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };
  if (kindCh === 'O') throw new FormatError(message(fn, 'object arrays (pickled Python objects) are not supported', { verbatim: `descr '${descr}'` }));
  if (!(kindCh in ok) || !ok[kindCh].includes(size)) {
    const what = kindCh === 'c' ? 'complex' : kindCh === 'U' || kindCh === 'S' ? 'string' : kindCh === 'M' || kindCh === 'm' ? 'datetime' : kindCh === 'V' ? 'void' : kindCh === 'f' ? `float${size * 8}` : 'this';
    throw new FormatError(message(fn, `${what} dtype is not supported (float16/32/64, int8–64, uint8–64, bool are)`, { verbatim: `descr '${descr}'` }));
  }
  return { kind: kindCh as Kind, size, bigEndian: order === '>' };
}

function product(shape: readonly number[]): number {
  let p = 1;
  for (const d of shape) p *= d;
  return p;
}

/** Converts IEEE half-precision bits to a number. */
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Reads `count` elements of `dt` from `raw` into a fresh float array, in file order. */
function elements(raw: Uint8Array, dt: Dtype, count: number): SampleArray {
  const { kind, size } = dt;
  let src = raw;
  const needSwap = size > 1 && dt.bigEndian === LITTLE_ENDIAN_HOST;
  if (needSwap) {
    src = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += size) for (let j = 0; j < size; j++) src[i + j] = raw[i + size - 1 - j];
  } else if (src.byteOffset % size !== 0) {
    // numpy writes and reads data at any offset; typed views need an aligned copy. (`new Uint8Array`
    // copies; Buffer's `slice` would return a view at the same misaligned offset.)
    src = new Uint8Array(raw);
  }
  const b = src.buffer;
  const o = src.byteOffset;
  if (kind === 'f' && size === 8) return new Float64Array(b, o, count).slice();
  if (kind === 'f' && size === 4) return new Float32Array(b, o, count).slice();
  if (kind === 'f' && size === 2) {
    const h = new Uint16Array(b, o, count);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = halfToNumber(h[i]);
    return out;
  }
  const out = new Float64Array(count);
  if (size === 8) {
    const w = new Uint32Array(b, o, 2 * count);
    const lo = LITTLE_ENDIAN_HOST ? 0 : 1;
    for (let i = 0; i < count; i++) {
      const l = w[2 * i + lo];
      const hword = w[2 * i + 1 - lo];
      // hi·2^32 and lo are exact doubles, so their sum is correctly rounded.
      out[i] = (kind === 'i' ? hword | 0 : hword) * 4294967296 + l;
    }
    return out;
  }
  const view =
    kind === 'u' || kind === 'b'
      ? size === 1
        ? new Uint8Array(b, o, count)
        : size === 2
          ? new Uint16Array(b, o, count)
          : new Uint32Array(b, o, count)
      : size === 1
        ? new Int8Array(b, o, count)
        : size === 2
          ? new Int16Array(b, o, count)
          : new Int32Array(b, o, count);
  if (kind === 'b') for (let i = 0; i < count; i++) out[i] = view[i] ? 1 : 0;
  else out.set(view);
  return out;
}

/**
 * Reorders elements stored in Fortran (column-major) order into C (row-major) order for `shape`.
 */
function fortranToC(src: SampleArray, shape: readonly number[]): SampleArray {
  const n = src.length;
  const out = src instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  const k = shape.length;
  if (k <= 1) {
    out.set(src);
    return out;
  }
  if (k === 2) {
    const [R, Cn] = shape;
    for (let r = 0; r < R; r++) for (let c = 0; c < Cn; c++) out[r * Cn + c] = src[c * R + r];
    return out;
  }
  // General N-D: walk C order with an odometer, tracking the Fortran offset.
  const fstride = new Array<number>(k);
  fstride[0] = 1;
  for (let d = 1; d < k; d++) fstride[d] = fstride[d - 1] * shape[d - 1];
  const idx = new Array<number>(k).fill(0);
  let f = 0;
  for (let i = 0; i < n; i++) {
    out[i] = src[f];
    for (let d = k - 1; d >= 0; d--) {
      idx[d]++;
      f += fstride[d];
      if (idx[d] < shape[d]) break;
      f -= fstride[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Decodes `.npy` bytes into a Multichannel (see the module notes for the shape mapping).
 * `(C, T)` → `[C, T]`; `(T,)` → `[1, T]`; `(C, d1, …)` → `[C, d1·…]` with `shape = [d1, …]`.
 * float32/float16 → float32 samples, all other types → float64. O(size), one copy (plus one
 * reorder for Fortran order).
 * @example const x = decodeNpy(fs.readFileSync('weights.npy'));
 * @throws ArgumentTypeError for non-bytes; FormatError for a bad magic or version, a header that
 * is not a dict literal, an object, complex, string or structured dtype, a data size that does not
 * match the shape, or an array with zero channels.
 */
export function decodeNpy(bytes: Uint8Array): Multichannel {
  const fn = 'decodeNpy';
  const h = parseNpyHeader(bytes, fn);
  const dt = parseDescr(fn, h.descr);
  const count = product(h.shape);
  const need = count * dt.size;
  const have = bytes.length - h.dataOffset;
  if (have !== need) {
    throw new FormatError(
      message(fn, `the data must hold shape (${h.shape.join(', ')}) × ${dt.size} bytes = ${need} bytes`, { verbatim: `${have} bytes${have < need ? ' (truncated?)' : ' (trailing bytes)'}` }),
    );
  }
  let data = elements(bytes.subarray(h.dataOffset), dt, count);
  if (h.fortranOrder && h.shape.length > 1) data = fortranToC(data, h.shape);
  const s = h.shape;
  if (s.length === 0) return new Multichannel(data, 1, 1);
  if (s.length === 1) return new Multichannel(data, 1, s[0]);
  if (s[0] === 0) throw new FormatError(message(fn, 'the first axis (channels) must not be empty', { verbatim: `shape (${s.join(', ')})` }));
  // A header may declare (2^40, 0): no data, so no size check catches it, but every later loop over
  // the channels would hang. Found by the fuzzer (test/fixtures/fuzz/npy-empty-huge-channels.bin).
  if (count === 0 && s[0] > 65535) throw new FormatError(message(fn, 'an empty array must not declare more than 65535 channels', { verbatim: `shape (${s.join(', ')})` }));
  const rest = s.slice(1);
  const L = product(rest);
  return new Multichannel(data, s[0], L, rest.length >= 2 ? { shape: rest } : {});
}

/**
 * Reads an `.npy` file; see {@link decodeNpy}.
 * @example const x = readNpy('cube.npy'); // e.g. [156, 9025] with shape [95, 95]
 * @throws FileError when the file is missing or unreadable; otherwise as {@link decodeNpy}.
 */
export function readNpy(filePath: string): Multichannel {
  const bytes = readFileChecked('readNpy', filePath);
  try {
    return decodeNpy(bytes);
  } catch (err) {
    if (err instanceof FormatError) throw new FormatError(err.message.replace(/^decodeNpy:/, `readNpy: ${JSON.stringify(filePath)}:`));
    throw err;
  }
}

/**
 * Encodes `x` as `.npy` bytes: version 1.0, C order, little endian, `<f8` (float64) or `<f4`
 * (float32) as `x.dtype`, shape `(C, T)` or `(C, …x.shape)` when `x.shape` has ≥ 2 dimensions.
 * Samples are stored bit-exactly (NaN and Infinity included, as numpy does). O(C·T).
 * @example fs.writeFileSync('x.npy', encodeNpy(x)); // numpy.load('x.npy').shape == (C, T)
 * @throws ArgumentTypeError when `x` is not a Multichannel; ShapeError when its data size disagrees.
 */
export function encodeNpy(x: Multichannel): Uint8Array {
  const header = npyHeaderFor('encodeNpy', x);
  const dataOffset = header.length;
  const out = new Uint8Array(dataOffset + x.data.byteLength);
  out.set(header, 0);
  const body = new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);
  if (LITTLE_ENDIAN_HOST) out.set(body, dataOffset);
  else {
    const k = x.data.BYTES_PER_ELEMENT;
    for (let i = 0; i < body.length; i += k) for (let j = 0; j < k; j++) out[dataOffset + i + j] = body[i + k - 1 - j];
  }
  return out;
}

/** The magic, version and padded header dict for `x` (validated). */
function npyHeaderFor(fn: string, x: Multichannel): Uint8Array {
  assertMultichannel(fn, 'x', x);
  if (x.data.length !== x.channels * x.length) throw new ShapeError(message(fn, `x.data.length must equal channels × length = ${x.channels * x.length}`, x.data.length));
  const shape = x.shape && x.shape.length >= 2 ? [x.channels, ...x.shape] : [x.channels, x.length];
  const descr = x.dtype === 'float32' ? '<f4' : '<f8';
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const headerLen = dict.length;
  const out = new Uint8Array(10 + headerLen);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLen & 0xff;
  out[9] = headerLen >> 8;
  for (let i = 0; i < headerLen; i++) out[10 + i] = dict.charCodeAt(i);
  return out;
}

/**
 * Writes `x` to `path` as `.npy` (see {@link encodeNpy}), atomically (temporary file, fsync,
 * rename), streaming the samples from `x.data` without copying the array.
 * @example writeNpy('x.npy', x);
 * @throws as {@link encodeNpy}; FileError when the folder does not exist or is not writable.
 */
export function writeNpy(filePath: string, x: Multichannel): void {
  const fn = 'writeNpy';
  const header = npyHeaderFor(fn, x);
  if (!LITTLE_ENDIAN_HOST) {
    writeFileAtomicChecked(fn, filePath, encodeNpy(x));
    return;
  }
  // Header, then the samples straight from x.data (no copy of the array).
  const w = new AtomicWriter(filePath, fn);
  try {
    w.write(header);
    w.write(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
    w.commit();
  } catch (err) {
    w.abort();
    throw err;
  }
}
