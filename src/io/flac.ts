/**
 * FLAC decoding into the WAV-equivalent {@link Multichannel}: `[channels, frames]`, samples in
 * [-1, 1) (an n-bit code k becomes k / 2^(n−1), exactly as {@link readWav} reads the same samples
 * from a WAV file), `sampleRate` set. Whole files ({@link readFlac}, {@link decodeFlac}) or in
 * chunks ({@link FlacReader}).
 *
 * **Library: `@wasm-audio-decoders/flac`** (libFLAC compiled to WebAssembly, MIT), the one importer
 * of it. It is ESM-only and asynchronous, so these readers are `async` and load it with a dynamic
 * `import()` on first use (kept as `import()` in the CommonJS build, so it works from plain Node,
 * tsx, vitest and tslab cells — `await readFlac(…)`). Its quirks stop here:
 * - its frame parser (codec-parser) drops the last frame of some files and silently skips bytes it
 *   cannot sync on, so frames are split here instead (see below) and handed to the decoder one by
 *   one (`decodeFrames`, which needs exactly one frame per element);
 * - it returns float32 samples scaled by 1/(2^(n−1) − 1); the integer code is recovered as
 *   round(v · (2^(n−1) − 1)), which is exact for n ≤ 24 (checked over every 24-bit code), and
 *   rescaled by 1/2^(n−1). 32-bit FLAC cannot round-trip through float32, so its frames are decoded
 *   by this package's own frame decoder (./flac-frame.ts) instead;
 * - it reports decoding problems with `console.error` as well as in its result; the report is
 *   turned into a FormatError and the console output is suppressed.
 *
 * Framing and hostile input: the STREAMINFO block gives channels, rate, bits and the total frame
 * count; the result's size is checked against `options.maxBytes` before it is allocated. A frame
 * runs from a valid frame header (sync code, field values, CRC-8) to the next valid header at
 * which the frame's CRC-16 is zero (or to the end of the file). A frame longer than STREAMINFO's
 * maximum frame size (or 16 MiB), a bad CRC, a frame whose channels or bits differ from
 * STREAMINFO, more or fewer frames than declared, or a decoder error → FormatError. Memory per
 * step: one 64 KiB read, one frame and its decoded samples.
 * @module
 */
import * as crypto from 'node:crypto';
import { FileError, FormatError, ValueError, message } from '../core/errors.js';
import { Multichannel, allocate, type Dtype, type SampleArray } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { openFileBytes } from './bytes.js';
import { budgetOption, checkBudget } from './budget.js';
import { decodeFlacFrame } from './flac-frame.js';

/** What a FLAC file's STREAMINFO block says. */
export interface FlacInfo {
  channels: number;
  /** Samples per second per channel (Hz). */
  sampleRate: number;
  /** Bits per sample of the stored codes (4–32). */
  bitsPerSample: number;
  /** Frames (samples per channel) declared; 0 = unknown (a stream whose encoder could not seek back). */
  frames: number;
  minBlockSize: number;
  maxBlockSize: number;
  /** Largest frame in bytes; 0 = unknown. */
  maxFrameSize: number;
  /** MD5 of the decoded samples as hex (all zeros = not computed by the encoder). */
  md5: string;
  /** Byte offset of the first audio frame. */
  audioOffset: number;
}

/** Options of the FLAC readers. */
export interface FlacReadOptions {
  /** Element type of the result (default 'float64'; float32 holds every ≤ 24-bit code exactly). */
  dtype?: Dtype;
  /** Largest result in bytes (default 2 GiB), checked against STREAMINFO before allocating. */
  maxBytes?: number;
  /**
   * Check the decoded samples against STREAMINFO's MD5 at the end of the stream (default true;
   * skipped when the encoder left it zero). A mismatch is a FormatError.
   */
  verifyMd5?: boolean;
}

/** A random-access byte source: a buffer or an open file. */
interface Source {
  size: number;
  /** Up to `n` bytes at `offset` (fewer only at the end). */
  read(offset: number, n: number): Uint8Array;
  close(): void;
}

function bufferSource(b: Uint8Array): Source {
  return { size: b.length, read: (o, n) => b.subarray(o, Math.min(b.length, o + n)), close: () => {} };
}

function fileSource(fn: string, filePath: string): Source {
  return openFileBytes(fn, filePath);
}

const hex = (b: Uint8Array): string => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');

/** Parses the signature and metadata blocks (skipping an ID3v2 tag in front). */
function parseHeader(fn: string, src: Source): FlacInfo {
  let at = 0;
  const head = src.read(0, 10);
  if (head.length >= 10 && head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33) {
    at = 10 + ((head[6] & 0x7f) << 21) + ((head[7] & 0x7f) << 14) + ((head[8] & 0x7f) << 7) + (head[9] & 0x7f);
  }
  const sig = src.read(at, 4);
  if (sig.length < 4 || sig[0] !== 0x66 || sig[1] !== 0x4c || sig[2] !== 0x61 || sig[3] !== 0x43) {
    throw new FormatError(message(fn, "a FLAC file must start with 'fLaC'", { verbatim: `${JSON.stringify(String.fromCharCode(...sig))} at byte ${at}` }));
  }
  at += 4;
  let info: FlacInfo | null = null;
  for (let last = false; !last; ) {
    const bh = src.read(at, 4);
    if (bh.length < 4) throw new FormatError(message(fn, 'the metadata blocks must end before the file does (truncated?)', { verbatim: `a block header at byte ${at} of ${src.size}` }));
    last = (bh[0] & 0x80) !== 0;
    const type = bh[0] & 0x7f;
    const len = (bh[1] << 16) | (bh[2] << 8) | bh[3];
    if (at + 4 + len > src.size) throw new FormatError(message(fn, 'each metadata block must fit in the file', { verbatim: `block type ${type} of ${len} bytes at byte ${at} (file has ${src.size})` }));
    if (type === 127) throw new FormatError(message(fn, 'metadata block type 127 is invalid', { verbatim: `at byte ${at}` }));
    if (info === null) {
      if (type !== 0 || len !== 34) throw new FormatError(message(fn, 'the first metadata block must be a 34-byte STREAMINFO', { verbatim: `type ${type}, ${len} bytes` }));
      const s = src.read(at + 4, 34);
      const sampleRate = (s[10] << 12) | (s[11] << 4) | (s[12] >> 4);
      const channels = ((s[12] >> 1) & 7) + 1;
      const bitsPerSample = (((s[12] & 1) << 4) | (s[13] >> 4)) + 1;
      const frames = (s[13] & 0x0f) * 2 ** 32 + ((s[14] << 24) >>> 0) + (s[15] << 16) + (s[16] << 8) + s[17];
      info = {
        channels,
        sampleRate,
        bitsPerSample,
        frames,
        minBlockSize: (s[0] << 8) | s[1],
        maxBlockSize: (s[2] << 8) | s[3],
        maxFrameSize: (s[7] << 16) | (s[8] << 8) | s[9],
        md5: hex(s.subarray(18, 34)),
        audioOffset: 0,
      };
      if (sampleRate === 0) throw new FormatError(message(fn, 'STREAMINFO sample rate must be positive', sampleRate));
      if (bitsPerSample < 4) throw new FormatError(message(fn, 'STREAMINFO bits per sample must be 4 to 32', bitsPerSample));
      if (info.maxBlockSize < 16 || info.minBlockSize > info.maxBlockSize) throw new FormatError(message(fn, 'STREAMINFO block sizes must satisfy 16 ≤ max and min ≤ max', { verbatim: `min ${info.minBlockSize}, max ${info.maxBlockSize}` }));
    }
    at += 4 + len;
  }
  if (info === null) throw new FormatError(message(fn, 'a FLAC file must have a STREAMINFO block', 'none'));
  // Every frame takes at least 8 + channels bytes (header, one constant subframe per channel,
  // CRC-16) and holds at most maxBlockSize frames: a count beyond that is a lie about the file.
  const audioBytes = src.size - at;
  const most = Math.floor(audioBytes / (8 + info.channels)) * info.maxBlockSize;
  if (info.frames > most) {
    throw new FormatError(message(fn, `STREAMINFO's frame count must fit in the ${audioBytes} audio bytes (at most ${most} frames of ≤ ${info.maxBlockSize})`, info.frames));
  }
  info.audioOffset = at;
  return info;
}

/** CRC-8 (poly 0x07) and CRC-16 (poly 0x8005) of FLAC frame headers and frames. */
const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  CRC8[i] = c;
  let d = i << 8;
  for (let k = 0; k < 8; k++) d = d & 0x8000 ? ((d << 1) ^ 0x8005) & 0xffff : (d << 1) & 0xffff;
  CRC16[i] = d;
}

/**
 * Length of the valid frame header at `p` (sync code, legal field values, CRC-8), 0 when there is
 * none, −1 when more bytes are needed to tell.
 */
function headerLength(b: Uint8Array, p: number, end: number): number {
  if (end - p < 2) return -1;
  if (b[p] !== 0xff || (b[p + 1] & 0xfe) !== 0xf8) return 0;
  if (end - p < 5) return -1;
  const bs = b[p + 2] >> 4;
  const sr = b[p + 2] & 15;
  const ch = b[p + 3] >> 4;
  const ss = (b[p + 3] >> 1) & 7;
  if (bs === 0 || sr === 15 || ch > 10 || ss === 3 || (b[p + 3] & 1) !== 0) return 0;
  // UTF-8-style coded frame or sample number: 1 to 7 bytes.
  const lead = b[p + 4];
  let n = 1;
  if (lead >= 0x80) {
    if ((lead & 0xe0) === 0xc0) n = 2;
    else if ((lead & 0xf0) === 0xe0) n = 3;
    else if ((lead & 0xf8) === 0xf0) n = 4;
    else if ((lead & 0xfc) === 0xf8) n = 5;
    else if ((lead & 0xfe) === 0xfc) n = 6;
    else if (lead === 0xfe) n = 7;
    else return 0;
  }
  let len = 4 + n + (bs === 6 ? 1 : bs === 7 ? 2 : 0) + (sr === 12 ? 1 : sr === 13 || sr === 14 ? 2 : 0);
  if (end - p < len + 1) return -1;
  for (let i = 1; i < n; i++) if ((b[p + 4 + i] & 0xc0) !== 0x80) return 0;
  let crc = 0;
  for (let i = 0; i < len; i++) crc = CRC8[crc ^ b[p + i]];
  if (crc !== b[p + len]) return 0;
  len += 1;
  return len;
}

/** Cuts the audio bytes into frames (see the module notes). Feed with {@link push}, take with {@link next}. */
class FrameSplitter {
  private buf = new Uint8Array(0);
  private end = 0;
  private start = 0;
  private scan = 0;
  private crc = 0;
  private minEnd = 0;
  /** File offset of buf[0]. */
  private base: number;
  constructor(
    private readonly fn: string,
    base: number,
    private readonly maxFrame: number,
  ) {
    this.base = base;
  }

  push(chunk: Uint8Array): void {
    const keep = this.end - this.start;
    if (this.start > 0 || keep + chunk.length > this.buf.length) {
      const nb = keep + chunk.length > this.buf.length ? new Uint8Array(Math.max(2 * this.buf.length, keep + chunk.length)) : this.buf;
      nb.set(this.buf.subarray(this.start, this.end), 0);
      this.buf = nb;
      this.base += this.start;
      this.scan -= this.start;
      this.minEnd -= this.start;
      this.end = keep;
      this.start = 0;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next whole frame, or null when more bytes are needed (or, at `eof`, when none are left). */
  next(eof: boolean): Uint8Array | null {
    const { buf, end, fn } = this;
    if (this.start === end) return null;
    if (this.scan === this.start) {
      const h = headerLength(buf, this.start, end);
      if (h < 0 && !eof) return null;
      if (h <= 0) throw new FormatError(message(fn, 'each audio frame must start with a valid frame header (sync code, fields, CRC-8)', { verbatim: `none at byte ${this.base + this.start}` }));
      this.crc = 0;
      this.minEnd = this.start + h + 3;
    }
    let crc = this.crc;
    let q = this.scan;
    for (;;) {
      if (q >= this.minEnd && crc === 0 && q < end && buf[q] === 0xff) {
        const h = headerLength(buf, q, end);
        if (h < 0 && !eof) break;
        if (h > 0) {
          const frame = buf.slice(this.start, q);
          this.start = this.scan = q;
          return frame;
        }
      }
      if (q >= end) break;
      crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ buf[q]];
      q++;
      if (q - this.start > this.maxFrame) throw new FormatError(message(fn, `a frame must end (CRC-16 and the next header) within ${this.maxFrame} bytes`, { verbatim: `none for the frame at byte ${this.base + this.start}` }));
    }
    this.crc = crc;
    this.scan = q;
    if (!eof) return null;
    if (q >= this.minEnd && crc === 0) {
      const frame = buf.slice(this.start, end);
      this.start = this.scan = end;
      return frame;
    }
    throw new FormatError(message(fn, 'the last frame must be complete (CRC-16 must match)', { verbatim: `a frame at byte ${this.base + this.start} that runs to the end of the file (truncated or corrupt)` }));
  }
}

interface DecodedFrame {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  bitDepth: number;
  errors: { message: string }[];
}
interface WasmFlacDecoder {
  ready: Promise<void>;
  decodeFrames(frames: Uint8Array[]): Promise<DecodedFrame>;
  free(): void;
}
type FlacModule = { FLACDecoder: new () => WasmFlacDecoder };

let modulePromise: Promise<FlacModule> | undefined;
/** Loads the ESM-only decoder once (dynamic import, kept as `import()` in the CommonJS build). */
function loadDecoder(): Promise<FlacModule> {
  modulePromise ??= import('@wasm-audio-decoders/flac') as Promise<unknown> as Promise<FlacModule>;
  return modulePromise;
}

const READ_BYTES = 65536;

/**
 * Reads a FLAC file in chunks. `open` validates STREAMINFO; `read(frames)` returns the next
 * `frames` frames (fewer at the end) or null after the last; `chunks(frames)` iterates them.
 * Memory: one 64 KiB read, one frame, and what has been decoded but not yet returned (< one
 * FLAC block). Same samples as {@link readFlac}.
 * @example
 * const r = await FlacReader.open('take.flac');
 * try { for await (const x of r.chunks(48000)) process(x); } finally { r.close(); }
 */
export class FlacReader {
  /** The validated STREAMINFO. */
  readonly info: FlacInfo;
  private readonly src: Source;
  private readonly dtype: Dtype;
  private readonly fn: string;
  private decoder: WasmFlacDecoder | null;
  private readonly splitter: FrameSplitter;
  private fileAt: number;
  private eof = false;
  /** Decoded codes not yet returned, per channel, and how many of them are used. */
  private pending: Float64Array[] = [];
  private pendingStart = 0;
  private pendingEnd = 0;
  private decodedFrames = 0;
  private returned = 0;
  /** The last frame has been decoded and the totals and MD5 checked. */
  private finished = false;
  /** MD5 of the codes decoded so far (interleaved, little-endian, ⌈bits/8⌉ bytes each), or null. */
  private md5: crypto.Hash | null;

  private constructor(fn: string, src: Source, info: FlacInfo, decoder: WasmFlacDecoder, dtype: Dtype, verifyMd5: boolean) {
    this.fn = fn;
    this.src = src;
    this.info = info;
    this.decoder = decoder;
    this.dtype = dtype;
    this.fileAt = info.audioOffset;
    const maxFrame = info.maxFrameSize > 0 ? info.maxFrameSize : 16 << 20;
    this.splitter = new FrameSplitter(fn, info.audioOffset, maxFrame);
    for (let c = 0; c < info.channels; c++) this.pending.push(new Float64Array(Math.max(info.maxBlockSize, 1)));
    this.md5 = verifyMd5 && /[^0]/.test(info.md5) ? crypto.createHash('md5') : null;
  }

  /**
   * Opens `path` and validates its STREAMINFO (no samples are decoded yet).
   * @throws FileError (missing, unreadable, a folder); FormatError (not FLAC, corrupt, > 24 bits).
   */
  static async open(filePath: string, options?: FlacReadOptions): Promise<FlacReader> {
    return FlacReader.openSource('FlacReader.open', () => fileSource('FlacReader.open', filePath), options);
  }

  /** @internal opens a source with the public function's name for messages. */
  static async openSource(fn: string, make: () => Source, options: FlacReadOptions = {}): Promise<FlacReader> {
    const dtype = options.dtype ?? 'float64';
    if (dtype !== 'float64' && dtype !== 'float32') throw new ValueError(message(fn, "options.dtype must be 'float64' or 'float32'", dtype));
    const src = make();
    try {
      const info = parseHeader(fn, src);
      const mod = await loadDecoder();
      const decoder = new mod.FLACDecoder();
      await decoder.ready;
      // Later errors name the call that meets them (read) rather than open.
      return new FlacReader(fn === 'FlacReader.open' ? 'FlacReader.read' : fn, src, info, decoder, dtype, options.verifyMd5 ?? true);
    } catch (err) {
      src.close();
      throw err;
    }
  }

  /** Frames not yet returned (from STREAMINFO; NaN when the file does not declare its length). */
  get remaining(): number {
    return this.info.frames > 0 ? this.info.frames - this.returned : NaN;
  }

  /** Decodes one more frame into `pending`; false at the end of the audio. */
  private async decodeNext(): Promise<boolean> {
    const { fn, info } = this;
    if (this.finished) return false;
    let frame = this.splitter.next(this.eof);
    while (frame === null && !this.eof) {
      const chunk = this.src.read(this.fileAt, READ_BYTES);
      this.fileAt += chunk.length;
      if (chunk.length < READ_BYTES) this.eof = true;
      this.splitter.push(chunk);
      frame = this.splitter.next(this.eof);
    }
    if (frame === null) {
      if (info.frames > 0 && this.decodedFrames !== info.frames) {
        throw new FormatError(message(fn, 'the file must hold the frames STREAMINFO declares (truncated?)', { verbatim: `${this.decodedFrames} of ${info.frames}` }));
      }
      this.finished = true;
      if (this.md5 !== null) {
        const digest = this.md5.digest('hex');
        this.md5 = null;
        if (digest !== info.md5) throw new FormatError(message(fn, `the decoded samples must match STREAMINFO's MD5 ${info.md5}`, { verbatim: digest }));
      }
      return false;
    }
    const decoder = this.decoder;
    if (decoder === null) throw new FileError(message(fn, 'the reader must be open (not closed)', 'a closed reader'));
    // Codes per channel: from the TypeScript decoder for 32-bit streams, else from libFLAC's float32 output.
    let codes: ArrayLike<number>[];
    let n: number;
    if (info.bitsPerSample > 24) {
      const d = decodeFlacFrame(fn, frame, info.bitsPerSample);
      if (d.channels.length !== info.channels || d.bits !== info.bitsPerSample) {
        throw new FormatError(message(fn, `every frame must have STREAMINFO's ${info.channels} channels and ${info.bitsPerSample} bits`, { verbatim: `${d.channels.length} channels, ${d.bits} bits` }));
      }
      codes = d.channels;
      n = d.channels[0].length;
    } else {
      ({ codes, n } = await this.decodeWasm(decoder, frame));
    }
    if (info.frames > 0 && this.decodedFrames + n > info.frames) {
      throw new FormatError(message(fn, `the file must hold no more than the ${info.frames} frames STREAMINFO declares`, { verbatim: `at least ${this.decodedFrames + n}` }));
    }
    const live = this.pendingEnd - this.pendingStart;
    const C = info.channels;
    const width = (info.bitsPerSample + 7) >> 3;
    const md5Bytes = this.md5 !== null ? new Uint8Array(n * C * width) : null;
    const s = 1 / 2 ** (info.bitsPerSample - 1);
    for (let c = 0; c < C; c++) {
      let p = this.pending[c];
      if (live + n > p.length) {
        const q = new Float64Array(Math.max(2 * p.length, live + n));
        q.set(p.subarray(this.pendingStart, this.pendingEnd));
        this.pending[c] = p = q;
      } else if (this.pendingStart > 0) p.copyWithin(0, this.pendingStart, this.pendingEnd);
      const v = codes[c];
      for (let t = 0; t < n; t++) {
        const code = v[t];
        p[live + t] = code * s;
        if (md5Bytes !== null) for (let k = 0, at = (t * C + c) * width; k < width; k++) md5Bytes[at + k] = (code >> (8 * k)) & 0xff;
      }
    }
    if (md5Bytes !== null) this.md5!.update(md5Bytes);
    this.pendingStart = 0;
    this.pendingEnd = live + n;
    this.decodedFrames += n;
    return true;
  }

  /** One frame through libFLAC (WebAssembly): the integer codes of each channel. */
  private async decodeWasm(decoder: WasmFlacDecoder, frame: Uint8Array): Promise<{ codes: Int32Array[]; n: number }> {
    const { fn, info } = this;
    let r: DecodedFrame;
    const consoleError = console.error;
    try {
      console.error = () => {};
      const p = decoder.decodeFrames([frame]);
      console.error = consoleError;
      r = await p;
    } catch (err) {
      throw new FormatError(message(fn, 'each frame must decode', { verbatim: String((err as Error)?.message ?? err) }));
    } finally {
      console.error = consoleError;
    }
    const n = r.samplesDecoded;
    if (r.errors.length > 0 || n === 0) {
      throw new FormatError(message(fn, 'each frame must decode without errors', { verbatim: r.errors.length ? r.errors.map((e) => e.message).join('; ') : 'no samples' }));
    }
    if (r.channelData.length !== info.channels || r.bitDepth !== info.bitsPerSample) {
      throw new FormatError(message(fn, `every frame must have STREAMINFO's ${info.channels} channels and ${info.bitsPerSample} bits`, { verbatim: `${r.channelData.length} channels, ${r.bitDepth} bits` }));
    }
    // The decoder's float32 value is code / (2^(n−1) − 1): recover the code.
    const m = 2 ** (info.bitsPerSample - 1) - 1;
    const codes = r.channelData.map((v) => {
      const out = new Int32Array(n);
      for (let t = 0; t < n; t++) out[t] = Math.round(v[t] * m);
      return out;
    });
    return { codes, n };
  }

  /**
   * The next `frames` frames (fewer at the end), or null when every frame has been read.
   * @throws ValueError unless `frames` is an integer ≥ 1; FileError after {@link close};
   * FormatError for a corrupt or truncated file; ShapeError beyond `options.maxBytes`.
   */
  async read(frames: number): Promise<Multichannel | null> {
    const fn = this.fn;
    assertInteger(fn, 'frames', frames, 1);
    if (this.decoder === null) throw new FileError(message(fn, 'the reader must be open (not closed)', 'a closed reader'));
    const C = this.info.channels;
    if (this.info.frames > 0) frames = Math.min(frames, this.info.frames - this.returned);
    while (this.pendingEnd - this.pendingStart < frames && (await this.decodeNext()));
    const n = Math.min(frames, this.pendingEnd - this.pendingStart);
    if (n === 0) {
      await this.decodeNext(); // the end: checks that no frames follow and the MD5
      return null;
    }
    const out = allocate(this.dtype, C * n);
    this.take(out, n, n, 0);
    return new Multichannel(out, C, n, { sampleRate: this.info.sampleRate });
  }

  /** Moves `n` pending frames into `out` (channel stride `L`) at frame `t0`. */
  private take(out: SampleArray, n: number, L: number, t0: number): void {
    for (let c = 0; c < this.info.channels; c++) out.set(this.pending[c].subarray(this.pendingStart, this.pendingStart + n), c * L + t0);
    this.pendingStart += n;
    this.returned += n;
  }

  /** @internal the whole remaining audio as one array of `total` frames (STREAMINFO's count). */
  async readAll(maxBytes: number): Promise<Multichannel> {
    const fn = this.fn;
    const { channels: C, frames: N, sampleRate } = this.info;
    const bytesPer = (this.dtype === 'float32' ? 4 : 8) * C;
    if (N > 0) {
      checkBudget(fn, `the result (${C} channels × ${N} frames × ${bytesPer / C} bytes)`, bytesPer * N, maxBytes, 'maxBytes');
      const out = allocate(this.dtype, C * N);
      for (let t = 0; t < N; ) {
        if (this.pendingEnd === this.pendingStart && !(await this.decodeNext())) break;
        const n = Math.min(N - t, this.pendingEnd - this.pendingStart);
        this.take(out, n, N, t);
        t += n;
      }
      await this.decodeNext().then((more) => {
        if (more) throw new FormatError(message(fn, `the file must hold no more than the ${N} frames STREAMINFO declares`, 'more'));
      });
      return new Multichannel(out, C, N, { sampleRate });
    }
    const parts: Multichannel[] = [];
    let total = 0;
    for (let x = await this.read(65536); x !== null; x = await this.read(65536)) {
      total += x.length;
      checkBudget(fn, `the result (${C} channels × ${total} frames)`, bytesPer * total, maxBytes, 'maxBytes');
      parts.push(x);
    }
    const out = allocate(this.dtype, C * total);
    let t = 0;
    for (const x of parts) {
      for (let c = 0; c < C; c++) out.set(x.data.subarray(c * x.length, (c + 1) * x.length), c * total + t);
      t += x.length;
    }
    return new Multichannel(out, C, total, { sampleRate });
  }

  /** The remaining audio in chunks of `frames` frames (the last may be shorter). */
  async *chunks(frames: number): AsyncGenerator<Multichannel> {
    for (let x = await this.read(frames); x !== null; x = await this.read(frames)) yield x;
  }

  /** Closes the file and frees the decoder. Safe to call twice. */
  close(): void {
    this.src.close();
    if (this.decoder !== null) this.decoder.free();
    this.decoder = null;
  }
}

async function readAllFrom(fn: string, make: () => Source, options?: FlacReadOptions): Promise<Multichannel> {
  const maxBytes = budgetOption(fn, 'maxBytes', options?.maxBytes);
  const r = await FlacReader.openSource(fn, make, options);
  try {
    return await r.readAll(maxBytes);
  } finally {
    r.close();
  }
}

/**
 * Reads a whole FLAC file: `path` → Multichannel `[channels, frames]`, samples in [-1, 1) (an n-bit
 * code k is k / 2^(n−1), the values {@link readWav} gives for the same samples in a WAV file),
 * `sampleRate` set. 4- to 24-bit, 1 to 8 channels. Asynchronous (the decoder is WebAssembly, loaded
 * on first use): `const x = await readFlac('a.flac')`.
 * @throws FileError (missing, unreadable, a folder); FormatError (not FLAC, corrupt, truncated,
 * 32-bit); ShapeError when the declared size exceeds `options.maxBytes`.
 * @example const x = await readFlac('take.flac'); // x.channels, x.length, x.sampleRate
 */
export function readFlac(filePath: string, options?: FlacReadOptions): Promise<Multichannel> {
  return readAllFrom('readFlac', () => fileSource('readFlac', filePath), options);
}

/**
 * {@link readFlac} for bytes already in memory.
 * @throws FormatError; ShapeError (see {@link readFlac}).
 * @example const x = await decodeFlac(new Uint8Array(fs.readFileSync('a.flac')));
 */
export function decodeFlac(bytes: Uint8Array, options?: FlacReadOptions): Promise<Multichannel> {
  if (!(bytes instanceof Uint8Array)) return Promise.reject(new ValueError(message('decodeFlac', 'bytes must be a Uint8Array', bytes)));
  return readAllFrom('decodeFlac', () => bufferSource(bytes), options);
}

/**
 * The STREAMINFO of a FLAC file (channels, rate, bits, frames, MD5) without decoding audio.
 * Synchronous (no decoder needed).
 * @throws FileError; FormatError as {@link readFlac}.
 * @example readFlacInfo('take.flac').sampleRate // 44100
 */
export function readFlacInfo(filePath: string): FlacInfo {
  const src = fileSource('readFlacInfo', filePath);
  try {
    return parseHeader('readFlacInfo', src);
  } finally {
    src.close();
  }
}
