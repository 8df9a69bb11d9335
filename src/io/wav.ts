/**
 * WAV (RIFF/WAVE) reading and writing.
 *
 * **Choice: the fmt/data chunks are decoded here, not by node-wav.** node-wav 0.0.2 rejects
 * WAVE_FORMAT_EXTENSIBLE (every file with more than two channels or more than 16 bits that follows
 * the spec, including the shared 32-microphone recordings), misaligns float files that carry extra
 * chunks, scales positive and negative PCM values differently (÷32767 vs ÷32768), clamps float
 * input on encode, and needs the whole file in memory. Decoding the two chunks ourselves is about
 * 300 lines, streams (see {@link WavReader} / {@link WavWriter}) and reaches the speed targets with
 * typed-array views and a one-pass de-interleave. node-wav is therefore **not used at runtime**; the
 * tests (test/io/wav.test.ts) use it as an independent cross-check on plain (non-EXTENSIBLE) PCM
 * files, and sox-written EXTENSIBLE files when sox is installed.
 *
 * Reading rules (one parser for bytes and files):
 * - PCM 8 (unsigned), 16, 24, 32-bit and IEEE float 32/64, format tags 1, 3 and 0xFFFE
 *   (WAVE_FORMAT_EXTENSIBLE with the PCM or IEEE-float KSDATAFORMAT sub-format GUID, or the
 *   Ambisonic B-format GUIDs), 1 to 65535 channels. `RF64` files (the 64-bit size extension, `ds64`
 *   chunk) are read too.
 * - Samples are scaled symmetrically to [-1, 1): an n-bit integer k becomes k / 2^(n−1) (8-bit:
 *   (k − 128) / 128), as libsndfile/python-soundfile do. Float samples are returned as stored.
 * - The sample container is `blockAlign / channels` bytes; `bitsPerSample` (and an EXTENSIBLE
 *   file's valid bits) may be smaller than the container (e.g. 20 valid bits in 24): samples are
 *   scaled by the container, so the unused low bits are simply zero.
 * - Unknown chunks (LIST, bext, fact, JUNK, cue, …) are skipped; odd-sized chunks are followed by
 *   a pad byte (honoured; a writer that forgot it is detected by the next chunk id).
 * - `byteRate` and the RIFF size field are not trusted (many writers get them wrong); the file size
 *   bounds everything.
 * - **Data chunk longer than the file → FormatError** (a truncated file is reported, not silently
 *   shortened). The one exception is the streaming case: a data size of 0xFFFFFFFF, or of 0 when
 *   the RIFF size is also 0 or 0xFFFFFFFF (a header a streaming writer never patched), means "to
 *   the end of the file", rounded down to whole frames.
 * - A declared data size that is not a whole number of frames → FormatError.
 * - A-law, µ-law, ADPCM, MP3, GSM and every other codec → FormatError naming the codec.
 *
 * Writing rules: formats pcm8, pcm16, pcm24, pcm32, float32, float64 (default pcm16). The
 * WAVE_FORMAT_EXTENSIBLE header is written when channels > 2 or bits > 16, as Microsoft's
 * WAVEFORMATEXTENSIBLE note asks (channel mask: centre for mono, left|right for stereo, 0 = "no
 * speaker positions" otherwise); float files also get a `fact` chunk. PCM clipping rule: the
 * sample x becomes round(x · 2^(n−1)) (ties toward +∞) clamped to [−2^(n−1), 2^(n−1) − 1], so
 * values outside [−1, 1) saturate and +1.0 becomes the largest code. Float formats store values as
 * given (float32 rounds to nearest). NaN and ±Infinity are rejected (ValueError) in every format.
 * Files are written through {@link AtomicWriter} (temporary file, fsync, rename).
 *
 * Byte order: the typed-array views assume a little-endian host (every platform Node ships for
 * except s390x); on a big-endian host the data are byte-swapped into a copy first.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { WorkerPool, claimPieces, cores } from '../core/workers.js';
import { SHARED_ARRAY_MIN_BYTES, sharedArray } from '../core/shared.js';
import { ArgumentTypeError, FileError, FormatError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel, allocate, type Dtype, type SampleArray } from '../core/multichannel.js';
import { assertInteger, assertOneOf } from '../core/validate.js';
import { AtomicWriter, fileError } from './atomic.js';

/** Sample encodings pointwise reads and writes. */
export type WavFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

/** The writable formats, in order of size. */
export const WAV_FORMATS: readonly WavFormat[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];

/** What a WAV header says, after validation. */
export interface WavInfo {
  /** Number of channels (≥ 1). */
  channels: number;
  /** Samples per second per channel (Hz). */
  sampleRate: number;
  /** Whole frames in the data chunk (a frame holds one sample of every channel). */
  frames: number;
  /** Sample encoding (by container size: 20 valid bits in a 24-bit container is 'pcm24'). */
  format: WavFormat;
  /** Byte offset of the first sample in the file. */
  dataOffset: number;
  /** Bytes of sample data read (frames × blockAlign). */
  dataBytes: number;
  /** Valid bits per sample (≤ the container's bits). */
  validBits: number;
  /** True when the fmt chunk is WAVE_FORMAT_EXTENSIBLE (tag 0xFFFE). */
  extensible: boolean;
  /** EXTENSIBLE speaker mask (0 when absent). */
  channelMask: number;
  /** True when the data size came from the streaming rule (0 / 0xFFFFFFFF: read to end of file). */
  streamed: boolean;
}

/** Options of the readers. */
export interface WavReadOptions {
  /** Element type of the returned samples (default 'float64'). */
  dtype?: Dtype;
  /**
   * {@link readWav} only: worker threads that decode beside the calling thread, 0 or 1 (`false`:
   * 0). Default: 1 when the samples take at least 32 MiB on a machine
   * with two or more cores, called from the main thread; 0 otherwise.
   */
  workers?: number | false;
}

/** Options of the writers. */
export interface WavWriteOptions {
  /** Sample encoding (default 'pcm16'). */
  format?: WavFormat;
  /** Sample rate in Hz, overriding `x.sampleRate` (one of the two must be set). */
  sampleRate?: number;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes per sample of each WAV sample encoding. */
const BYTES: Readonly<Record<WavFormat, number>> = { pcm8: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4, float64: 8 };

/** Names of the format tags people actually meet, for error messages. */
const CODEC_NAMES: Record<number, string> = {
  0x0000: 'unknown (tag 0)',
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0016: 'ITU G.723 ADPCM',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3 (MP3)',
  0x0092: 'Dolby AC-3 SPDIF',
  0x00ff: 'AAC',
  0x0161: 'Windows Media Audio',
  0x2000: 'Dolby AC-3',
  0xf1ac: 'FLAC',
};

// KSDATAFORMAT_SUBTYPE_xxx = {0000xxxx-0000-0010-8000-00AA00389B71}; bytes 2..15 of the GUID.
const KS_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
// KSDATAFORMAT_SUBTYPE_AMBISONIC_B_FORMAT_xxx = {0000000x-0721-11D3-8644-C8C1CA000000}.
const AMBI_TAIL = [0x00, 0x00, 0x21, 0x07, 0xd3, 0x11, 0x86, 0x44, 0xc8, 0xc1, 0xca, 0x00, 0x00, 0x00];

/** Random-access bytes: a buffer in memory or an open file. `read` may return fewer bytes at EOF. */
interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

function bufferSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (o, n) => bytes.subarray(o, Math.min(o + n, bytes.length)) };
}

function fileSource(fn: string, fd: number, size: number, filePath: string): ByteSource {
  return {
    size,
    read(o, n) {
      const len = Math.max(0, Math.min(n, size - o));
      const buf = Buffer.allocUnsafe(len);
      let got = 0;
      try {
        while (got < len) {
          const r = fs.readSync(fd, buf, got, len - got, o + got);
          if (r === 0) break;
          got += r;
        }
      } catch (err) {
        throw fileError(fn, 'the file must be readable', filePath, err);
      }
      return buf.subarray(0, got);
    },
  };
}

/** Internal: everything needed to decode the data chunk. */
interface Layout {
  info: WavInfo;
  blockAlign: number;
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 4294967296;
}
function fourcc(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
}
function printableId(b: Uint8Array, o: number): boolean {
  if (o + 4 > b.length) return false;
  for (let i = 0; i < 4; i++) if (b[o + i] < 0x20 || b[o + i] > 0x7e) return false;
  return true;
}
function hex(n: number, width = 4): string {
  return '0x' + n.toString(16).toUpperCase().padStart(width, '0');
}

/** Parses and validates the header chunks; never reads the samples. */
function parseLayout(fn: string, src: ByteSource): Layout {
  const size = src.size;
  if (size < 12) throw new FormatError(message(fn, 'a WAV file must start with a 12-byte RIFF/WAVE header', { verbatim: `${size} bytes` }));
  const head = src.read(0, 12);
  const magic = fourcc(head, 0);
  if (magic === 'RIFX') throw new FormatError(message(fn, 'big-endian RIFX WAV files are not supported (only little-endian RIFF)', { verbatim: "'RIFX'" }));
  if (magic !== 'RIFF' && magic !== 'RF64') throw new FormatError(message(fn, "a WAV file must start with 'RIFF' (or 'RF64')", { verbatim: JSON.stringify(magic) }));
  if (fourcc(head, 8) !== 'WAVE') throw new FormatError(message(fn, "the RIFF form type must be 'WAVE'", { verbatim: JSON.stringify(fourcc(head, 8)) }));
  const riffSize = u32(head, 4);
  const rf64 = magic === 'RF64';
  let ds64DataSize = -1;

  let fmt: Uint8Array | null = null;
  let dataOffset = -1;
  let dataSize = -1;
  let streamed = false;
  let off = 12;
  while (off + 8 <= size && (fmt === null || dataOffset < 0)) {
    const h = src.read(off, 8);
    const id = fourcc(h, 0);
    const sz = u32(h, 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (fmt !== null) throw new FormatError(message(fn, "a WAV file must have one 'fmt ' chunk", { verbatim: `a second one at byte ${off}` }));
      if (sz < 16) throw new FormatError(message(fn, "the 'fmt ' chunk must hold at least 16 bytes", sz));
      if (body + sz > size) throw new FormatError(message(fn, "the 'fmt ' chunk must fit in the file (truncated header?)", { verbatim: `${sz} bytes declared at byte ${off}, ${size - body} available` }));
      fmt = src.read(body, Math.min(sz, 64));
    } else if (id === 'ds64' && rf64) {
      if (sz < 24 || body + 24 > size) throw new FormatError(message(fn, "an RF64 'ds64' chunk must hold at least 24 bytes", sz));
      const d = src.read(body, 24);
      ds64DataSize = u64(d, 8);
    } else if (id === 'data') {
      if (dataOffset >= 0) throw new FormatError(message(fn, "a WAV file must have one 'data' chunk", { verbatim: `a second one at byte ${off}` }));
      dataOffset = body;
      const available = size - body;
      if (rf64 && sz === 0xffffffff && ds64DataSize >= 0) {
        dataSize = ds64DataSize;
      } else if (sz === 0xffffffff || (sz === 0 && (riffSize === 0 || riffSize === 0xffffffff) && available > 0)) {
        dataSize = available;
        streamed = true;
      } else {
        dataSize = sz;
      }
      if (dataSize > available) {
        throw new FormatError(message(fn, "the 'data' chunk must fit in the file (truncated file?)", { verbatim: `${dataSize} bytes declared, ${available} present` }));
      }
    }
    // Next chunk: skip the body and the pad byte after an odd size (tolerating writers that forget it).
    const bodySize = id === 'data' ? dataSize : sz;
    let next = body + bodySize;
    if (bodySize & 1) {
      next += 1;
      if (next + 8 <= size) {
        const probe = src.read(next - 1, 5);
        if (!printableId(probe, 1) && printableId(probe, 0)) next -= 1;
      }
    }
    off = next;
  }
  if (fmt === null) throw new FormatError(message(fn, "a WAV file must have a 'fmt ' chunk before the end of the file", { verbatim: `none in ${size} bytes` }));
  if (dataOffset < 0) throw new FormatError(message(fn, "a WAV file must have a 'data' chunk", { verbatim: `none in ${size} bytes` }));

  // --- fmt chunk
  let tag = u16(fmt, 0);
  const channels = u16(fmt, 2);
  const sampleRate = u32(fmt, 4);
  const blockAlign = u16(fmt, 12);
  const bits = u16(fmt, 14);
  let validBits = bits;
  let channelMask = 0;
  const extensible = tag === 0xfffe;
  if (extensible) {
    if (fmt.length < 40 || u16(fmt, 16) < 22) {
      throw new FormatError(message(fn, "a WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk must hold 40 bytes (cbSize ≥ 22)", { verbatim: `${fmt.length} bytes` }));
    }
    validBits = u16(fmt, 18) || bits;
    channelMask = u32(fmt, 20);
    const sub = u16(fmt, 24);
    let ks = true;
    let ambi = true;
    for (let i = 0; i < 14; i++) {
      if (fmt[26 + i] !== KS_TAIL[i]) ks = false;
      if (fmt[26 + i] !== AMBI_TAIL[i]) ambi = false;
    }
    if (!ks && !ambi) {
      const g = Array.from(fmt.subarray(24, 40), (b) => b.toString(16).padStart(2, '0')).join('');
      throw new FormatError(message(fn, 'the EXTENSIBLE sub-format must be PCM or IEEE float (KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT)', { verbatim: `GUID ${g}` }));
    }
    tag = sub;
  }
  if (tag !== 1 && tag !== 3) {
    const name = CODEC_NAMES[tag] ?? 'an unsupported codec';
    throw new FormatError(message(fn, 'only PCM and IEEE-float WAV can be read', { verbatim: `${name} (format tag ${hex(tag)}${extensible ? ' inside EXTENSIBLE' : ''})` }));
  }
  if (channels === 0) throw new FormatError(message(fn, 'the channel count must be ≥ 1', 0));
  if (sampleRate === 0) throw new FormatError(message(fn, 'the sample rate must be > 0 Hz', 0));
  if (bits === 0 || validBits > bits) throw new FormatError(message(fn, 'bits per sample must be ≥ 1 and ≥ the valid bits', { verbatim: `${bits} bits, ${validBits} valid` }));
  const container = Math.ceil(bits / 8);
  if (blockAlign !== channels * container) {
    throw new FormatError(message(fn, `the block align must equal channels × bytes per sample = ${channels} × ${container} = ${channels * container}`, blockAlign));
  }
  let format: WavFormat;
  if (tag === 3) {
    if (container !== 4 && container !== 8) throw new FormatError(message(fn, 'IEEE-float samples must be 32 or 64 bits', bits));
    format = container === 4 ? 'float32' : 'float64';
  } else {
    if (container > 4) throw new FormatError(message(fn, 'PCM samples must be 8, 16, 24 or 32 bits', bits));
    format = (['pcm8', 'pcm16', 'pcm24', 'pcm32'] as const)[container - 1];
  }
  if (dataSize % blockAlign !== 0) {
    if (!streamed) throw new FormatError(message(fn, `the 'data' chunk size must be a whole number of frames (block align ${blockAlign})`, dataSize));
    dataSize -= dataSize % blockAlign;
  }
  const frames = dataSize / blockAlign;
  return {
    info: { channels, sampleRate, frames, format, dataOffset, dataBytes: dataSize, validBits, extensible, channelMask, streamed },
    blockAlign,
  };
}

/** Byte-swaps groups of `k` bytes into a new array (for big-endian hosts). */
function swapped(src: Uint8Array, k: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += k) for (let j = 0; j < k; j++) out[i + j] = src[i + k - 1 - j];
  return out;
}

/** `src` if its byte offset is a multiple of `k` (and the host is little-endian), else an aligned copy. */
function aligned(src: Uint8Array, k: number): Uint8Array {
  if (!LITTLE_ENDIAN_HOST && k > 1) return swapped(src, k);
  return src.byteOffset % k === 0 ? src : src.slice();
}

/**
 * De-interleaves `n` frames of `C` channels from `bytes` (frame-interleaved samples in `format`)
 * into channel-major `out` (channel stride `L`) starting at frame `t0`. One pass, typed-array views.
 */
function decodeFrames(bytes: Uint8Array, format: WavFormat, C: number, n: number, out: SampleArray, L: number, t0: number): void {
  const k = BYTES[format];
  const src = aligned(bytes.subarray(0, n * C * k), format === 'pcm24' ? 1 : k);
  const buf = src.buffer;
  const bo = src.byteOffset;
  switch (format) {
    case 'pcm8': {
      for (let c = 0; c < C; c++) {
        const base = c * L + t0;
        for (let t = 0, j = c; t < n; t++, j += C) out[base + t] = (src[j] - 128) * 0.0078125;
      }
      return;
    }
    case 'pcm16': {
      const v = new Int16Array(buf, bo, n * C);
      if (out instanceof Float64Array) pcm16To64(v, C, n, out, L, t0);
      else pcm16To32(v, C, n, out, L, t0);
      return;
    }
    case 'pcm24': {
      const s = 1 / 8388608;
      const stride = 3 * C;
      for (let c = 0; c < C; c++) {
        const base = c * L + t0;
        for (let t = 0, j = 3 * c; t < n; t++, j += stride) {
          out[base + t] = ((((src[j] | (src[j + 1] << 8) | (src[j + 2] << 16)) << 8) >> 8) * s);
        }
      }
      return;
    }
    case 'pcm32': {
      const v = new Int32Array(buf, bo, n * C);
      const s = 1 / 2147483648;
      for (let c = 0; c < C; c++) {
        const base = c * L + t0;
        for (let t = 0, j = c; t < n; t++, j += C) out[base + t] = v[j] * s;
      }
      return;
    }
    case 'float32':
    case 'float64': {
      const v = format === 'float32' ? new Float32Array(buf, bo, n * C) : new Float64Array(buf, bo, n * C);
      if (C === 1) {
        out.set(v, t0);
        return;
      }
      for (let c = 0; c < C; c++) {
        const base = c * L + t0;
        for (let t = 0, j = c; t < n; t++, j += C) out[base + t] = v[j];
      }
      return;
    }
  }
}

/**
 * De-interleaves 16-bit PCM into float64 channels: eight channels per pass over the block, so each
 * cache line of the interleaved block is read once per eight channels instead of once per channel
 * (docs/PERFORMANCE.md, section WAV decoding). {@link pcm16To32} is the same loop for float32
 * results; the two are separate functions so that each one's stores see a single array type.
 */
function pcm16To64(v: Int16Array, C: number, n: number, out: Float64Array, L: number, t0: number): void {
  const s = 1 / 32768;
  let c = 0;
  for (; c + 8 <= C; c += 8) {
    const b0 = c * L + t0, b1 = b0 + L, b2 = b1 + L, b3 = b2 + L, b4 = b3 + L, b5 = b4 + L, b6 = b5 + L, b7 = b6 + L;
    for (let t = 0, j = c; t < n; t++, j += C) {
      out[b0 + t] = v[j] * s;
      out[b1 + t] = v[j + 1] * s;
      out[b2 + t] = v[j + 2] * s;
      out[b3 + t] = v[j + 3] * s;
      out[b4 + t] = v[j + 4] * s;
      out[b5 + t] = v[j + 5] * s;
      out[b6 + t] = v[j + 6] * s;
      out[b7 + t] = v[j + 7] * s;
    }
  }
  for (; c < C; c++) {
    const base = c * L + t0;
    for (let t = 0, j = c; t < n; t++, j += C) out[base + t] = v[j] * s;
  }
}

/** {@link pcm16To64} for float32 results (the products k / 32768 are exact in float32). */
function pcm16To32(v: Int16Array, C: number, n: number, out: Float32Array, L: number, t0: number): void {
  const s = 1 / 32768;
  let c = 0;
  for (; c + 8 <= C; c += 8) {
    const b0 = c * L + t0, b1 = b0 + L, b2 = b1 + L, b3 = b2 + L, b4 = b3 + L, b5 = b4 + L, b6 = b5 + L, b7 = b6 + L;
    for (let t = 0, j = c; t < n; t++, j += C) {
      out[b0 + t] = v[j] * s;
      out[b1 + t] = v[j + 1] * s;
      out[b2 + t] = v[j + 2] * s;
      out[b3 + t] = v[j + 3] * s;
      out[b4 + t] = v[j + 4] * s;
      out[b5 + t] = v[j + 5] * s;
      out[b6 + t] = v[j + 6] * s;
      out[b7 + t] = v[j + 7] * s;
    }
  }
  for (; c < C; c++) {
    const base = c * L + t0;
    for (let t = 0, j = c; t < n; t++, j += C) out[base + t] = v[j] * s;
  }
}

/** Frames per decode block: about 256 KiB of input, so the strided reads stay in cache. */
function blockFrames(blockAlign: number): number {
  return Math.max(1, Math.floor(262144 / blockAlign));
}

function checkDtype(fn: string, options: WavReadOptions | undefined): Dtype {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
  return options?.dtype === undefined ? 'float64' : assertOneOf(fn, 'options.dtype', options.dtype, ['float64', 'float32'] as const);
}

function allocateOutput(fn: string, dtype: Dtype, info: WavInfo, frames: number, shared = false): SampleArray {
  try {
    return shared ? sharedArray(dtype, info.channels * frames) : allocate(dtype, info.channels * frames);
  } catch {
    throw new ValueError(
      message(fn, 'the samples must fit in one array; read this file in pieces with WavReader', { verbatim: `${info.channels} × ${frames} = ${info.channels * frames} samples` }),
    );
  }
}

/**
 * Decodes a WAV file held in memory.
 *
 * `bytes` → Multichannel `[channels, frames]` with `sampleRate` set; integer samples scaled to
 * [-1, 1) (k / 2^(bits−1)), float samples as stored. See the module notes for the accepted
 * variants (PCM 8/16/24/32, float 32/64, EXTENSIBLE, RF64, unknown chunks skipped).
 * Agrees with python-soundfile's `sf.read(path, dtype='float64')` exactly for PCM and float files.
 * Complexity O(bytes), one pass.
 * @example
 * const x = decodeWav(fs.readFileSync('talk.wav')); // Multichannel [32, 144000] float64 @ 48000 Hz
 * @throws ArgumentTypeError when `bytes` is not a Uint8Array.
 * @throws FormatError for a corrupt, truncated or unsupported file (the message names the codec or
 * the field that is wrong).
 */
export function decodeWav(bytes: Uint8Array, options?: WavReadOptions): Multichannel {
  const fn = 'decodeWav';
  if (!(bytes instanceof Uint8Array)) throw new ArgumentTypeError(message(fn, 'bytes must be a Uint8Array (or Buffer)', bytes));
  const dtype = checkDtype(fn, options);
  const { info, blockAlign } = parseLayout(fn, bufferSource(bytes));
  const { channels: C, frames: N } = info;
  const out = allocateOutput(fn, dtype, info, N);
  const step = blockFrames(blockAlign);
  for (let t = 0; t < N; t += step) {
    const n = Math.min(step, N - t);
    const start = info.dataOffset + t * blockAlign;
    decodeFrames(bytes.subarray(start, start + n * blockAlign), info.format, C, n, out, N, t);
  }
  return new Multichannel(out, C, N, { sampleRate: info.sampleRate });
}

/**
 * Reads a WAV file larger than memory in pieces: open, then {@link read} `frames` at a time until
 * it returns null. Each piece is a Multichannel `[channels, ≤ frames]` with `sampleRate` set.
 * Memory: the piece plus one block of file bytes.
 * @example
 * const r = WavReader.open('long.wav');
 * try { for (let x; (x = r.read(48000)); ) process(x); } finally { r.close(); }
 */
export class WavReader {
  /** The validated header. */
  readonly info: WavInfo;
  /** Frames returned so far. */
  private position = 0;
  private fd: number | null;
  private readonly blockAlign: number;
  private readonly dtype: Dtype;
  private readonly path: string;
  /** Reused file-read buffer (allocated once, at most 512 KiB plus a frame). */
  private scratch: Buffer = Buffer.alloc(0);

  private constructor(fd: number, layout: Layout, dtype: Dtype, filePath: string) {
    this.fd = fd;
    this.info = layout.info;
    this.blockAlign = layout.blockAlign;
    this.dtype = dtype;
    this.path = filePath;
  }

  /**
   * Opens `path` and validates its header (the samples are not read yet).
   * @throws FileError when the file is missing or unreadable; FormatError for a bad header.
   */
  static open(filePath: string, options?: WavReadOptions): WavReader {
    return WavReader.openAs('WavReader.open', filePath, options);
  }

  /** @internal open with the public function's name for messages. */
  static openAs(fn: string, filePath: string, options?: WavReadOptions): WavReader {
    const dtype = checkDtype(fn, options);
    if (typeof filePath !== 'string' || filePath.length === 0) throw new FileError(message(fn, 'the path must be a non-empty string', filePath));
    let fd: number;
    let size: number;
    try {
      fd = fs.openSync(filePath, 'r');
    } catch (err) {
      throw fileError(fn, 'the file must exist and be readable', filePath, err);
    }
    try {
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) throw new FileError(message(fn, 'the path must be a file', { verbatim: `${JSON.stringify(filePath)} (it is a folder)` }), 'EISDIR');
      size = st.size;
      const src = fileSource(fn, fd, size, filePath);
      return new WavReader(fd, parseLayout(fn, src), dtype, filePath);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** Frames not yet read. */
  get remaining(): number {
    return this.info.frames - this.position;
  }

  /**
   * The next `frames` frames (fewer at the end), or null when every frame has been read.
   * @throws ValueError unless `frames` is an integer ≥ 1; FileError after {@link close};
   * FormatError when the file shrank under the reader.
   */
  read(frames: number): Multichannel | null {
    const fn = 'WavReader.read';
    assertInteger(fn, 'frames', frames, 1);
    const n = Math.min(frames, this.remaining);
    if (n === 0) {
      this.requireOpen(fn);
      return null;
    }
    const out = allocateOutput(fn, this.dtype, this.info, n);
    this.readInto(fn, out, n, n, 0);
    return new Multichannel(out, this.info.channels, n, { sampleRate: this.info.sampleRate });
  }

  /**
   * Moves to frame `frame` (0 ≤ frame ≤ frames); the next {@link read} starts there.
   * @throws ValueError for a frame outside the file.
   */
  seek(frame: number): void {
    assertInteger('WavReader.seek', 'frame', frame, 0, this.info.frames);
    this.requireOpen('WavReader.seek');
    this.position = frame;
  }

  /** Closes the file. Safe to call twice. */
  close(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }

  /**
   * @internal reads `n` frames at the current position into `out` (channel stride `L`) at frame
   * `t0`: file reads of up to 512 KiB (small enough that the decode reads them back from cache) into one
   * reused buffer, decoded in 256 KiB blocks.
   */
  readInto(fn: string, out: SampleArray, n: number, L: number, t0: number): void {
    const fd = this.requireOpen(fn);
    const ba = this.blockAlign;
    const step = blockFrames(ba);
    const readFrames = Math.max(step, Math.floor((512 << 10) / ba));
    const need = Math.min(readFrames, n) * ba;
    if (this.scratch.length < need) this.scratch = Buffer.allocUnsafeSlow(need);
    for (let t = 0; t < n; ) {
      const m = Math.min(readFrames, n - t);
      const want = m * ba;
      const at = this.info.dataOffset + this.position * ba;
      let got = 0;
      try {
        while (got < want) {
          const r = fs.readSync(fd, this.scratch, got, want - got, at + got);
          if (r === 0) break;
          got += r;
        }
      } catch (err) {
        throw fileError(fn, 'the file must be readable', this.path, err);
      }
      if (got < want) {
        throw new FormatError(message(fn, 'the file must still hold the data its header declared (it shrank while being read?)', { verbatim: `${got} of ${want} bytes at frame ${this.position}` }));
      }
      for (let k = 0; k < m; k += step) {
        const q = Math.min(step, m - k);
        decodeFrames(this.scratch.subarray(k * ba, (k + q) * ba), this.info.format, this.info.channels, q, out, L, t0 + t + k);
      }
      t += m;
      this.position += m;
    }
  }

  private requireOpen(fn: string): number {
    if (this.fd === null) throw new FileError(message(fn, 'the reader must be open (not closed)', this.path));
    return this.fd;
  }
}

/**
 * Reads a whole WAV file: `path` → Multichannel `[channels, frames]`, samples in [-1, 1)
 * (float64 unless `dtype: 'float32'`), `sampleRate` set. Reads the file block by block into the
 * result, so memory is the result plus 512 KiB per thread. Same rules and results as
 * {@link decodeWav}. Results of 32 MiB or more are decoded by this thread and a worker
 * (`options.workers`) into memory on a SharedArrayBuffer (an ordinary typed array to its user,
 * except that posting it to a worker shares it instead of copying it), so that the two threads
 * share the first-touch page faults of the fresh result.
 * @throws NumericalError when the worker thread fails (its error's text is in the message; retry
 * with `options.workers = 0`).
 * @example const x = readWav('../shared/data/mic_array/ula8_seminar/noise_rec_one.wav'); // [8, 115392] @ 44100 Hz
 * @throws FileError (missing, unreadable, a folder); FormatError (corrupt or unsupported);
 * ValueError when the samples cannot fit in one array (use {@link WavReader}).
 */
export function readWav(filePath: string, options?: WavReadOptions): Multichannel {
  const fn = 'readWav';
  const r = WavReader.openAs(fn, filePath, options);
  try {
    const { channels: C, frames: N, sampleRate } = r.info;
    const dtype = options?.dtype ?? 'float64';
    const workers = readWorkers(fn, options, C * N * (dtype === 'float32' ? 4 : 8));
    const out = allocateOutput(fn, dtype, r.info, N, workers > 0);
    if (workers === 0) {
      r.readInto(fn, out, N, N, 0);
    } else {
      const share: WavShare = { path: filePath, dtype, info: r.info, out, claims: new Int32Array(new SharedArrayBuffer(4 * READ_PIECES)) };
      readPool.run(fn, [share], () => readPieces(fn, r, share, false), { retry: 'options.workers = 0' });
    }
    return new Multichannel(out, C, N, { sampleRate });
  } finally {
    r.close();
  }
}

/** The worker threads {@link readWav} uses: `options.workers` when given, else its default for `bytes` of samples. */
function readWorkers(fn: string, options: WavReadOptions | undefined, bytes: number): number {
  if (options?.workers !== undefined) {
    const w = options.workers === false ? 0 : options.workers;
    assertInteger(fn, 'options.workers', w, 0, 1);
    return w;
  }
  // From SHARED_ARRAY_MIN_BYTES up, two threads decode, and fault in, pieces of the fresh result
  // (docs/PERFORMANCE.md, section WAV decoding).
  if (!isMainThread || bytes < SHARED_ARRAY_MIN_BYTES) return 0;
  return cores() >= 2 ? 1 : 0;
}

const readPool = new WorkerPool(path.join(__dirname, 'wav-worker'));

/** Pieces of the frames that the two threads of {@link readWav} claim from opposite ends ({@link claimPieces}). */
const READ_PIECES = 16;

/**
 * The shared work of {@link readWav} on two threads: the file at `path` (whose header gave `info`),
 * its frames cut into `claims.length` near-equal pieces, decoded into `out` (shared memory, channel
 * stride `info.frames`); `claims[p]` is 0 until a thread takes piece p.
 * @internal
 */
export interface WavShare {
  path: string;
  dtype: Dtype;
  info: WavInfo;
  out: SampleArray;
  claims: Int32Array;
}

/**
 * Claims and decodes pieces of a {@link WavShare} with reader `r`, from the first piece on (or from
 * the last one back, `fromEnd`), until a piece is already taken.
 */
function readPieces(fn: string, r: WavReader, t: WavShare, fromEnd: boolean): void {
  const N = t.info.frames;
  const K = t.claims.length;
  claimPieces(t.claims, 0, K, fromEnd, (p) => {
    const from = Math.floor((p * N) / K);
    const to = Math.floor(((p + 1) * N) / K);
    r.seek(from);
    r.readInto(fn, t.out, to - from, N, from);
  });
}

/**
 * The worker's side of a {@link WavShare} (the body of src/io/wav-worker.ts): reopens the file,
 * checks that its header still describes the same samples, and decodes the pieces it claims with
 * the calling thread's code.
 * @throws FormatError when the file changed between the two opens.
 * @internal
 */
export function readWavShare(t: WavShare): void {
  const fn = 'readWav';
  const r = WavReader.openAs(fn, t.path, { dtype: t.dtype });
  try {
    const a = r.info;
    const b = t.info;
    if (a.channels !== b.channels || a.frames !== b.frames || a.format !== b.format || a.dataOffset !== b.dataOffset) {
      throw new FormatError(message(fn, 'the file must not change while it is read', { verbatim: `${JSON.stringify(t.path)}: its header changed between two opens` }));
    }
    readPieces(fn, r, t, true);
  } finally {
    r.close();
  }
}

/**
 * The header of a WAV file (channels, rate, frames, format, data offset and size) without reading
 * the samples. O(number of chunks before 'data').
 * @throws FileError; FormatError as {@link readWav}.
 */
export function readWavInfo(filePath: string): WavInfo {
  const r = WavReader.openAs('readWavInfo', filePath);
  r.close();
  return { ...r.info };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Bytes of the 'JUNK' chunk that an RF64-capable header reserves, and that becomes 'ds64' (EBU Tech 3306). */
const DS64_CHUNK = 8 + 28;

/**
 * The header for `frames` frames. With `reserve64`, a 28-byte 'JUNK' chunk follows 'WAVE' (EBU Tech
 * 3306's recipe): while the file fits the 32-bit RIFF sizes it stays a plain WAV that every reader
 * skips the chunk of; past them the same bytes become 'RF64' with a 'ds64' chunk holding the 64-bit
 * RIFF size, data size and sample count, and the 32-bit fields set to 0xFFFFFFFF.
 * Exported for the tests (which check RF64 files larger than 4 GiB as sparse files). @internal
 */
export function buildHeader(format: WavFormat, C: number, sampleRate: number, frames: number, reserve64 = false): Uint8Array {
  const k = BYTES[format];
  const bits = 8 * k;
  const isFloat = format === 'float32' || format === 'float64';
  const extensible = C > 2 || bits > 16;
  const fmtSize = extensible ? 40 : 16;
  const factSize = isFloat ? 12 : 0;
  const junk = reserve64 ? DS64_CHUNK : 0;
  const headerBytes = 12 + junk + 8 + fmtSize + factSize + 8;
  const dataBytes = frames * C * k;
  const pad = dataBytes & 1;
  const riffBytes = headerBytes - 8 + dataBytes + pad;
  const large = reserve64 && riffBytes > 0xffffffff;
  const h = new Uint8Array(headerBytes);
  const v = new DataView(h.buffer);
  const ascii = (o: number, s: string) => {
    for (let i = 0; i < 4; i++) h[o + i] = s.charCodeAt(i);
  };
  ascii(0, large ? 'RF64' : 'RIFF');
  v.setUint32(4, large ? 0xffffffff : riffBytes, true);
  ascii(8, 'WAVE');
  let o = 12;
  if (reserve64) {
    ascii(o, large ? 'ds64' : 'JUNK');
    v.setUint32(o + 4, 28, true);
    if (large) {
      v.setBigUint64(o + 8, BigInt(riffBytes), true);
      v.setBigUint64(o + 16, BigInt(dataBytes), true);
      v.setBigUint64(o + 24, BigInt(frames), true);
      // o + 32: table length 0
    }
    o += DS64_CHUNK;
  }
  ascii(o, 'fmt ');
  v.setUint32(o + 4, fmtSize, true);
  const tag = isFloat ? 3 : 1;
  v.setUint16(o + 8, extensible ? 0xfffe : tag, true);
  v.setUint16(o + 10, C, true);
  v.setUint32(o + 12, sampleRate, true);
  v.setUint32(o + 16, sampleRate * C * k, true);
  v.setUint16(o + 20, C * k, true);
  v.setUint16(o + 22, bits, true);
  if (extensible) {
    v.setUint16(o + 24, 22, true); // cbSize
    v.setUint16(o + 26, bits, true); // valid bits
    v.setUint32(o + 28, C === 1 ? 0x4 : C === 2 ? 0x3 : 0, true); // channel mask
    v.setUint16(o + 32, tag, true);
    h.set(KS_TAIL, o + 34);
  }
  o += 8 + fmtSize;
  if (isFloat) {
    ascii(o, 'fact');
    v.setUint32(o + 4, 4, true);
    v.setUint32(o + 8, frames > 0xffffffff ? 0xffffffff : frames, true);
    o += 12;
  }
  ascii(o, 'data');
  v.setUint32(o + 4, large ? 0xffffffff : dataBytes, true);
  return h;
}

/** Largest data size (bytes) a WAV can declare with a header of `headerBytes` (RF64: 2^53, JavaScript's exact integers). */
function maxDataBytes(headerBytes: number, rf64: boolean): number {
  return rf64 ? Number.MAX_SAFE_INTEGER - headerBytes : 0xffffffff - (headerBytes - 8) - 1;
}

/**
 * Whether `frames` frames of `channels` channels in `format` are past what a RIFF WAV can hold
 * (4 GiB less its header), so a {@link WavWriter} for them must be opened with `rf64: true`.
 * @param format the sample format (one of {@link WAV_FORMATS}).
 * @param channels channels per frame, ≥ 1.
 * @param frames frames (samples per channel), ≥ 0.
 * @throws ValueError / ArgumentTypeError naming needsRf64 for an unknown format or a bad count.
 * @example needsRf64('pcm16', 8, 2 * 3600 * 48000) // true: 5.5 GB
 */
export function needsRf64(format: WavFormat, channels: number, frames: number): boolean {
  const fn = 'needsRf64';
  assertOneOf(fn, 'format', format, WAV_FORMATS);
  assertInteger(fn, 'channels', channels, 1);
  assertInteger(fn, 'frames', frames, 0);
  return frames * channels * BYTES[format] > maxDataBytes(buildHeader(format, channels, 1, 0).length, false);
}

/**
 * Interleaves frames `[t0, t0 + n)` of `x` into `dst` (aligned for the format) with the PCM
 * clipping rule. Returns the flat index of a non-finite sample, or -1.
 *
 * PCM quantisation is computed as floor(x·2^(n−1) + 2^(n−1) + ½) on an offset (unsigned) scale,
 * clamped to [0, 2^n − 1], then shifted back: the same as round-half-up-then-clamp, but a
 * truncating `|0` on a non-negative number is twice as fast as Math.round here. A NaN sample fails
 * both comparisons and becomes 0 before the caller rejects it.
 */
function encodeFrames(x: Multichannel, t0: number, n: number, format: WavFormat, dst: Uint8Array): number {
  const { channels: C, length: L, data } = x;
  const buf = dst.buffer;
  const bo = dst.byteOffset;
  let bad = -1;
  switch (format) {
    case 'pcm8': {
      for (let c = 0; c < C; c++) {
        const base = c * L + t0;
        for (let t = 0, j = c; t < n; t++, j += C) {
          const s = data[base + t];
          if (!(s - s === 0)) bad = base + t;
          const u = s * 128 + 128.5;
          dst[j] = u < 0 ? 0 : u > 255 ? 255 : u;
        }
      }
      break;
    }
    case 'pcm16': {
      const v = new Int16Array(buf, bo, n * C);
      let c = 0;
      // Four channels per pass (as in decodeFrames): the output cache lines are written once per four channels.
      for (; c + 4 <= C; c += 4) {
        const b0 = c * L + t0;
        const b1 = b0 + L;
        const b2 = b1 + L;
        const b3 = b2 + L;
        for (let t = 0, j = c; t < n; t++, j += C) {
          const s0 = data[b0 + t];
          const s1 = data[b1 + t];
          const s2 = data[b2 + t];
          const s3 = data[b3 + t];
          if (!(s0 - s0 + (s1 - s1) + (s2 - s2) + (s3 - s3) === 0)) bad = firstBad(data, b0, b1, b2, b3, t);
          const u0 = s0 * 32768 + 32768.5;
          const u1 = s1 * 32768 + 32768.5;
          const u2 = s2 * 32768 + 32768.5;
          const u3 = s3 * 32768 + 32768.5;
          v[j] = ((u0 < 0 ? 0 : u0 > 65535 ? 65535 : u0) | 0) - 32768;
          v[j + 1] = ((u1 < 0 ? 0 : u1 > 65535 ? 65535 : u1) | 0) - 32768;
          v[j + 2] = ((u2 < 0 ? 0 : u2 > 65535 ? 65535 : u2) | 0) - 32768;
          v[j + 3] = ((u3 < 0 ? 0 : u3 > 65535 ? 65535 : u3) | 0) - 32768;
        }
      }
      for (; c < C; c++) {
        const base = c * L + t0;
        for (let t = 0, j = c; t < n; t++, j += C) {
          const s = data[base + t];
          if (!(s - s === 0)) bad = base + t;
          const u = s * 32768 + 32768.5;
          v[j] = ((u < 0 ? 0 : u > 65535 ? 65535 : u) | 0) - 32768;
        }
      }
      break;
    }
    case 'pcm24': {
      const stride = 3 * C;
      for (let c = 0; c < C; c++) {
        const base = c * L + t0;
        for (let t = 0, j = 3 * c; t < n; t++, j += stride) {
          const s = data[base + t];
          if (!(s - s === 0)) bad = base + t;
          const u = s * 8388608 + 8388608.5;
          const q = ((u < 0 ? 0 : u > 16777215 ? 16777215 : u) | 0) - 8388608;
          dst[j] = q & 0xff;
          dst[j + 1] = (q >> 8) & 0xff;
          dst[j + 2] = (q >> 16) & 0xff;
        }
      }
      break;
    }
    case 'pcm32': {
      const v = new Int32Array(buf, bo, n * C);
      for (let c = 0; c < C; c++) {
        const base = c * L + t0;
        for (let t = 0, j = c; t < n; t++, j += C) {
          const s = data[base + t];
          if (!(s - s === 0)) bad = base + t;
          const u = s * 2147483648 + 2147483648.5;
          v[j] = ((u < 0 ? 0 : u > 4294967295 ? 4294967295 : u) >>> 0) - 2147483648;
        }
      }
      break;
    }
    case 'float32':
    case 'float64': {
      const v = format === 'float32' ? new Float32Array(buf, bo, n * C) : new Float64Array(buf, bo, n * C);
      for (let c = 0; c < C; c++) {
        const base = c * L + t0;
        for (let t = 0, j = c; t < n; t++, j += C) {
          const s = data[base + t];
          if (!(s - s === 0)) bad = base + t;
          v[j] = s;
        }
      }
      break;
    }
  }
  if (!LITTLE_ENDIAN_HOST && BYTES[format] > 1 && format !== 'pcm24') dst.set(swapped(dst.subarray(0, n * C * BYTES[format]), BYTES[format]));
  return bad;
}

/** Flat index of the non-finite one among four samples at `t` of channel bases b0…b3. */
function firstBad(data: SampleArray, b0: number, b1: number, b2: number, b3: number, t: number): number {
  for (const b of [b0, b1, b2, b3]) {
    const s = data[b + t];
    if (!(s - s === 0)) return b + t;
  }
  return -1;
}

function nonFiniteError(fn: string, x: Multichannel, flat: number): ValueError {
  const c = Math.floor(flat / Math.max(x.length, 1));
  return new ValueError(message(fn, 'samples must be finite (NaN and ±Infinity cannot be written)', { verbatim: `${x.data[flat]} at channel ${c}, sample ${flat - c * x.length}` }));
}

function checkFormat(fn: string, options: { format?: WavFormat } | undefined): WavFormat {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
  return options?.format === undefined ? 'pcm16' : assertOneOf(fn, 'options.format', options.format, WAV_FORMATS);
}

function checkRate(fn: string, name: string, rate: unknown): number {
  if (rate === undefined) throw new ValueError(message(fn, `${name} must be set (Hz) to write a WAV file`, rate));
  assertInteger(fn, name, rate, 1, 0xffffffff);
  return rate;
}

function resolveRate(fn: string, x: Multichannel, options: WavWriteOptions | undefined): number {
  if (options?.sampleRate !== undefined) return checkRate(fn, 'options.sampleRate', options.sampleRate);
  return checkRate(fn, 'x.sampleRate', x.sampleRate);
}

function checkMultichannel(fn: string, xIn: unknown): Multichannel {
  const x = assertMultichannel(fn, 'x', xIn);
  if (x.data.length !== x.channels * x.length) {
    throw new ShapeError(message(fn, `x.data.length must equal channels × length = ${x.channels * x.length}`, x.data.length));
  }
  if (x.channels > 65535) throw new ShapeError(message(fn, 'a WAV file holds at most 65535 channels', x.channels));
  return x;
}

/**
 * Encodes `x` as a WAV file in memory: Multichannel `[C, N]` → bytes (header + N frames).
 * Format 'pcm16' unless `options.format` says otherwise; the rate is `options.sampleRate` or
 * `x.sampleRate`. PCM clipping rule and header choice (EXTENSIBLE for C > 2 or bits > 16): see the
 * module notes. Reading the result back with {@link decodeWav} returns `x` exactly at the format's
 * quantisation (float formats bit-exactly). O(C·N), one pass.
 * @example const bytes = encodeWav(x, { format: 'float32' });
 * @throws ArgumentTypeError when `x` is not a Multichannel; ValueError for NaN/Infinity samples, a
 * missing, non-integer or NaN sample rate, an unknown format, or data over the 4 GiB RIFF limit.
 */
export function encodeWav(x: Multichannel, options?: WavWriteOptions): Uint8Array {
  const fn = 'encodeWav';
  checkMultichannel(fn, x);
  const format = checkFormat(fn, options);
  const rate = resolveRate(fn, x, options);
  const header = buildHeader(format, x.channels, rate, x.length);
  const dataBytes = x.length * x.channels * BYTES[format];
  if (dataBytes > maxDataBytes(header.length, false)) {
    throw new ValueError(message(fn, 'a RIFF WAV file holds at most 4 GiB of samples (write NPY, or split the signal)', { verbatim: `${dataBytes} bytes` }));
  }
  // Place the samples at an 8-byte-aligned offset of the backing buffer so typed views fit.
  const lead = (8 - (header.length % 8)) % 8;
  const total = header.length + dataBytes + (dataBytes & 1);
  const out = new Uint8Array(new ArrayBuffer(lead + total), lead, total);
  out.set(header, 0);
  // Interleave block by block (≈ 256 KiB of output) so the strided writes stay in cache.
  const frameBytes = x.channels * BYTES[format];
  const step = blockFrames(frameBytes);
  for (let t = 0; t < x.length; t += step) {
    const n = Math.min(step, x.length - t);
    const start = header.length + t * frameBytes;
    const bad = encodeFrames(x, t, n, format, out.subarray(start, start + n * frameBytes));
    if (bad >= 0) throw nonFiniteError(fn, x, bad);
  }
  return out;
}

/**
 * Writes `x` to `path` as a WAV file, atomically (temporary file in the same folder, fsync,
 * rename): a crash or an error leaves the old file or none, never a partial one. Same formats and
 * rules as {@link encodeWav}; streams block by block, so memory is one block, not the file.
 * @example writeWav('out.wav', x, { format: 'pcm24' });
 * @throws as {@link encodeWav}; FileError when the folder does not exist or is not writable.
 */
export function writeWav(filePath: string, x: Multichannel, options?: WavWriteOptions): void {
  const fn = 'writeWav';
  checkMultichannel(fn, x);
  const format = checkFormat(fn, options);
  const rate = resolveRate(fn, x, options);
  // RF64 only when RIFF cannot hold the data (the header then carries a 'ds64' chunk).
  const w = openWavWriter(fn, filePath, { channels: x.channels, sampleRate: rate, format, rf64: needsRf64(format, x.channels, x.length) });
  try {
    w.write(x);
    w.commit();
  } catch (err) {
    w.abort();
    throw err;
  }
}

/** Options of {@link WavWriter}. */
export interface WavWriterOptions {
  /** Channels of every piece written. */
  channels: number;
  /** Samples per second (Hz), an integer. */
  sampleRate: number;
  /** Sample encoding (default 'pcm16'). */
  format?: WavFormat;
  /**
   * Allow the file to grow past RIFF's 4 GiB (default false): the header reserves a 36-byte 'JUNK'
   * chunk, and a file that ends larger is committed as RF64 (EBU Tech 3306: 'ds64' chunk with 64-bit
   * sizes; read by this package, libsndfile/soundfile, sox and ffmpeg). A file that ends smaller stays
   * a plain RIFF WAV (with the 'JUNK' chunk, which readers skip).
   */
  rf64?: boolean;
}

/** The function a WavWriter under construction reports in its errors (set by {@link openWavWriter}). */
let writerCaller: string | undefined;

/** A WavWriter whose errors name `fn` and that aborts the whole file on any error when `fn` is 'writeWav'. */
function openWavWriter(fn: string, filePath: string, options: WavWriterOptions): WavWriter {
  writerCaller = fn;
  try {
    return new WavWriter(filePath, options);
  } finally {
    writerCaller = undefined;
  }
}

/**
 * Writes a WAV file piece by piece, for signals larger than memory: construct, {@link write}
 * Multichannel pieces of `channels` channels, then {@link commit} (which patches the RIFF, data
 * and fact sizes and renames the temporary file over the target) or {@link abort}. Until commit the
 * target is untouched. A piece that fails validation (wrong channels, NaN) throws before anything
 * of it is written, and the writer stays usable.
 * @example
 * const w = new WavWriter('out.wav', { channels: 32, sampleRate: 48000, format: 'pcm24' });
 * try { for (const piece of pieces) w.write(piece); w.commit(); } catch (e) { w.abort(); throw e; }
 */
export class WavWriter {
  /** Channels per frame. */
  readonly channels: number;
  /** Samples per second (Hz). */
  readonly sampleRate: number;
  /** Sample encoding. */
  readonly format: WavFormat;
  private frames = 0;
  private readonly headerBytes: number;
  private readonly rf64: boolean;
  private readonly writer: AtomicWriter;
  private readonly fn: string;
  private scratch: Uint8Array = new Uint8Array(0);
  /** Set by writeWav, which aborts the whole file on any error. */
  private readonly oneShot: boolean;

  /**
   * Opens a temporary file beside `path` and writes a provisional header.
   * @throws ValueError for channels outside [1, 65535], a non-integer or NaN sample rate, an
   * unknown format; FileError when the folder does not exist or is not writable.
   */
  constructor(filePath: string, options: WavWriterOptions) {
    const fn = writerCaller ?? 'WavWriter';
    this.fn = fn;
    this.oneShot = fn === 'writeWav';
    if (options === null || typeof options !== 'object') throw new ArgumentTypeError(message(fn, 'options must be an object with channels and sampleRate', options));
    assertInteger(fn, 'options.channels', options.channels, 1, 65535);
    this.channels = options.channels;
    this.sampleRate = checkRate(fn, 'options.sampleRate', options.sampleRate);
    this.format = checkFormat(fn, options);
    if (options.rf64 !== undefined && typeof options.rf64 !== 'boolean') throw new ArgumentTypeError(message(fn, 'options.rf64 must be a boolean', options.rf64));
    this.rf64 = options.rf64 ?? false;
    const header = buildHeader(this.format, this.channels, this.sampleRate, 0, this.rf64);
    this.headerBytes = header.length;
    this.writer = new AtomicWriter(filePath, fn);
    try {
      this.writer.write(header);
    } catch (err) {
      this.writer.abort();
      throw err;
    }
  }

  /** Frames written so far. */
  get framesWritten(): number {
    return this.frames;
  }

  /**
   * Appends the frames of `x` (`[channels, n]`).
   * @throws ShapeError when `x` has another channel count; ValueError for NaN/Infinity samples, a
   * sample rate that disagrees with the writer's, or growth past the 4 GiB RIFF limit (unless opened with `rf64`).
   */
  write(x: Multichannel): void {
    const fn = this.fn === 'WavWriter' ? 'WavWriter.write' : this.fn;
    checkMultichannel(fn, x);
    if (x.channels !== this.channels) throw new ShapeError(message(fn, `x must have ${this.channels} channels (as the writer was opened)`, x.channels));
    if (x.sampleRate !== undefined && x.sampleRate !== this.sampleRate) {
      throw new ValueError(message(fn, `x.sampleRate must equal the writer's ${this.sampleRate} Hz`, x.sampleRate));
    }
    const k = BYTES[this.format] * this.channels;
    if ((this.frames + x.length) * k > maxDataBytes(this.headerBytes, this.rf64)) {
      throw new ValueError(message(fn, 'a RIFF WAV file holds at most 4 GiB of samples (open the writer with { rf64: true } to go past it)', { verbatim: `${(this.frames + x.length) * k} bytes` }));
    }
    // Validate every sample before writing any, so a bad piece leaves the file as it was
    // (writeWav skips this pass: it aborts the whole file on a bad sample anyway).
    if (!this.oneShot) {
      const data = x.data;
      for (let i = 0; i < data.length; i++) {
        const s = data[i];
        if (!(s - s === 0)) throw nonFiniteError(fn, x, i);
      }
    }
    const step = blockFrames(k);
    if (this.scratch.length < Math.min(step, x.length) * k) this.scratch = new Uint8Array(Math.min(step, x.length) * k);
    for (let t = 0; t < x.length; t += step) {
      const n = Math.min(step, x.length - t);
      const dst = this.scratch.subarray(0, n * k);
      const bad = encodeFrames(x, t, n, this.format, dst);
      if (bad >= 0) throw nonFiniteError(fn, x, bad);
      this.writer.write(dst);
    }
    this.frames += x.length;
  }

  /**
   * Patches the sizes in the header, flushes and renames over the target.
   * @throws FileError when the disk refuses (the temporary file is removed).
   */
  commit(): void {
    const dataBytes = this.frames * this.channels * BYTES[this.format];
    if (dataBytes & 1) this.writer.write(new Uint8Array(1));
    this.writer.writeAt(buildHeader(this.format, this.channels, this.sampleRate, this.frames, this.rf64), 0);
    this.writer.commit();
  }

  /** Discards the temporary file; the target is left as it was. Safe to call twice. */
  abort(): void {
    this.writer.abort();
  }
}
