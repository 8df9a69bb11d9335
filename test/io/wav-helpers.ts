/** Helpers for the WAV tests: hand-built RIFF files and byte patching. */

/** A RIFF chunk: id and body (a pad byte is added after an odd body unless `noPad`). */
export interface Chunk {
  id: string;
  body: Uint8Array;
  /** Declared size, when it should differ from the body length. */
  size?: number;
  noPad?: boolean;
}

/** Builds a RIFF/WAVE file from chunks. */
export function riff(chunks: Chunk[], options: { magic?: string; riffSize?: number } = {}): Uint8Array {
  const parts: number[] = [];
  const ascii = (s: string) => {
    for (let i = 0; i < 4; i++) parts.push(s.charCodeAt(i));
  };
  const u32 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  ascii(options.magic ?? 'RIFF');
  u32(0);
  ascii('WAVE');
  for (const c of chunks) {
    ascii(c.id);
    u32(c.size ?? c.body.length);
    for (const b of c.body) parts.push(b);
    if (c.body.length & 1 && !c.noPad) parts.push(0);
  }
  const out = Uint8Array.from(parts);
  new DataView(out.buffer).setUint32(4, options.riffSize ?? out.length - 8, true);
  return out;
}

/** A 16-byte (or longer, for cbSize) fmt body. */
export function fmtBody(f: { tag: number; channels: number; rate: number; blockAlign: number; bits: number; extra?: number[] }): Uint8Array {
  const b = new Uint8Array(16 + (f.extra ? f.extra.length : 0));
  const v = new DataView(b.buffer);
  v.setUint16(0, f.tag, true);
  v.setUint16(2, f.channels, true);
  v.setUint32(4, f.rate, true);
  v.setUint32(8, f.rate * f.blockAlign, true);
  v.setUint16(12, f.blockAlign, true);
  v.setUint16(14, f.bits, true);
  if (f.extra) b.set(f.extra, 16);
  return b;
}

/** An EXTENSIBLE fmt body with sub-format `sub` (1 PCM, 3 float) and KSDATAFORMAT GUID tail. */
export function fmtExtensible(f: { sub: number; channels: number; rate: number; bits: number; validBits?: number; guidTail?: number[] }): Uint8Array {
  const k = Math.ceil(f.bits / 8);
  const tail = f.guidTail ?? [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
  const extra = [22, 0, (f.validBits ?? f.bits) & 0xff, (f.validBits ?? f.bits) >> 8, 0, 0, 0, 0, f.sub & 0xff, f.sub >> 8, ...tail];
  return fmtBody({ tag: 0xfffe, channels: f.channels, rate: f.rate, blockAlign: f.channels * k, bits: f.bits, extra });
}

/** Little-endian int16 bytes. */
export function int16Bytes(values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 2);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setInt16(2 * i, x, true));
  return b;
}

/** Offset of the first chunk `id` in a RIFF file, or -1. */
export function findChunk(bytes: Uint8Array, id: string): number {
  let off = 12;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (off + 8 <= bytes.length) {
    const name = String.fromCharCode(bytes[off], bytes[off + 1], bytes[off + 2], bytes[off + 3]);
    if (name === id) return off;
    const sz = v.getUint32(off + 4, true);
    off += 8 + sz + (sz & 1);
  }
  return -1;
}

/** A copy of `bytes` with a little-endian integer of `width` bytes set at `offset`. */
export function patched(bytes: Uint8Array, offset: number, value: number, width: 2 | 4 = 4): Uint8Array {
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  if (width === 2) v.setUint16(offset, value, true);
  else v.setUint32(offset, value >>> 0, true);
  return out;
}
