/**
 * Crafted hostile inputs for issue 19 (allocation before validation, decompression bombs,
 * super-linear parsing, unaligned data), one table shared by test/io/hostile-readers.test.ts, the
 * bounded-resources test (test/io/hostile-bounded.test.ts, which reads each in a child process) and
 * the fuzzers' seeds (test/fuzz). Each case is a set of files (bytes, or a sparse size) and the
 * reader call to make on them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';

/** A file of a case: its bytes, or `sparse` bytes of zeros that take no disk space. */
export type CraftedFile = Uint8Array | { sparse: number };

/** One crafted input: files by name, the reader to call on `main`, and its options. */
export interface CraftedCase {
  name: string;
  files: Record<string, CraftedFile>;
  main: string;
  reader: 'readEnvi' | 'readMat' | 'readNpy' | 'readWav';
  options?: Record<string, unknown>;
}

const text = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** An ENVI header with the given sizes and extra lines. */
export function enviHeader(samples: number | string, lines: number | string, bands: number | string, extra = '', dataType = 1): Uint8Array {
  return text(`ENVI\nsamples = ${samples}\nlines = ${lines}\nbands = ${bands}\nheader offset = 0\ndata type = ${dataType}\ninterleave = bsq\n${extra}`);
}

/** An ENVI header whose `description = {` is never closed, padded with `x` lines to `bytes`. */
export function unclosedBraceHeader(bytes: number): Uint8Array {
  const head = 'ENVI\nsamples = 1\nlines = 1\nbands = 1\ndata type = 1\ninterleave = bsq\ndescription = {';
  return text(head + 'x\n'.repeat(Math.max(0, Math.floor((bytes - head.length) / 2))));
}

// ---- MAT level 5 -------------------------------------------------------------------------

function tag(type: number, bytes: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(bytes, 4);
  return b;
}
const pad8 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((8 - (b.length % 8)) % 8)]);

/** An miMATRIX element (class `cls`, default double) with `dims`, `name` and a real part of `data` bytes of type `miType`. */
export function matMatrix(name: string, dims: number[], data: Buffer, miType = 9, cls = 6): Buffer {
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(cls, 0);
  const d = Buffer.alloc(4 * dims.length);
  dims.forEach((v, i) => d.writeInt32LE(v | 0, 4 * i));
  const nm = Buffer.from(name, 'latin1');
  const body = Buffer.concat([tag(6, 8), flags, tag(5, d.length), pad8(d), tag(1, nm.length), pad8(nm), tag(miType, data.length), pad8(data)]);
  return Buffer.concat([tag(14, body.length), body]);
}

/** A miCOMPRESSED element holding `inner`. */
export function matCompressed(inner: Buffer): Buffer {
  const z = deflateSync(inner, { level: 9 });
  return Buffer.concat([tag(15, z.length), z]);
}

/** A MAT-file of the given top-level elements. */
export function matFile(elements: Buffer[]): Uint8Array {
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, crafted', 0, 'latin1');
  header.writeUInt16LE(0, 116);
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  return new Uint8Array(Buffer.concat([header, ...elements]));
}

/** `n` compressed elements, each a double matrix of `values` zeros (8·values bytes inflated). */
export function matBombs(n: number, values: number): Uint8Array {
  return matFile(Array.from({ length: n }, (_, i) => matCompressed(matMatrix(`A${i}`, [values, 1], Buffer.alloc(8 * values)))));
}

/** A compressed element whose inner tag declares `declared` bytes but holds only a few. */
export function matLyingCompressed(declared: number): Uint8Array {
  const inner = Buffer.concat([tag(14, declared), Buffer.alloc(64)]);
  return matFile([matCompressed(inner)]);
}

// ---- NPY ---------------------------------------------------------------------------------

/** A .npy (version 1.0, or 2.0 for headers over 64 KiB) with header dict `dict`, padded so the data start at `offsetMod` modulo 64, then `data`. */
export function npyFile(dict: string, data: Uint8Array, offsetMod = 0): Uint8Array {
  const v2 = dict.length > 65000;
  const pre = v2 ? 12 : 10;
  let d = dict;
  while ((pre + d.length + 1) % 64 !== offsetMod) d += ' ';
  d += '\n';
  const h = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, v2 ? 2 : 1, 0]).copy(h);
  if (v2) h.writeUInt32LE(d.length, 8);
  else h.writeUInt16LE(d.length, 8);
  return new Uint8Array(Buffer.concat([h, Buffer.from(d, 'latin1'), Buffer.from(data)]));
}

/** float64 0…n−1, little endian. */
export function f64(n: number): Uint8Array {
  return new Uint8Array(Float64Array.from({ length: n }, (_, i) => i).buffer);
}

// ---- WAV ---------------------------------------------------------------------------------

/** A RIFF/WAVE file whose fmt chunk declares `channels` channels and whose data chunk declares `dataBytes`, holding 16 bytes. */
export function wavLying(channels: number, dataBytes: number): Uint8Array {
  const b = Buffer.alloc(44 + 16);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(0xffffffff, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(48000, 24);
  b.writeUInt32LE((48000 * 2 * channels) >>> 0, 28);
  b.writeUInt16LE((2 * channels) & 0xffff, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(dataBytes, 40);
  return new Uint8Array(b);
}

/** The table: every case is under 1 MB on disk. */
export function craftedCases(): CraftedCase[] {
  const MiB = 1 << 20;
  return [
    { name: 'ENVI bands = 2^31−1 over a sparse 2 GiB data file', reader: 'readEnvi', main: 'a.hdr', files: { 'a.hdr': enviHeader(1, 1, 2 ** 31 - 1), 'a.img': { sparse: 2 ** 31 } } },
    { name: 'ENVI lines × samples × bands ≈ 2^93 over 64 bytes', reader: 'readEnvi', main: 'a.hdr', files: { 'a.hdr': enviHeader(2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1), 'a.img': new Uint8Array(64) } },
    { name: 'ENVI 900 kB header with an unclosed brace', reader: 'readEnvi', main: 'a.hdr', files: { 'a.hdr': unclosedBraceHeader(900_000), 'a.img': new Uint8Array(1) } },
    { name: 'ENVI 900 kB wavelength list for 2^31−1 bands', reader: 'readEnvi', main: 'a.hdr', files: { 'a.hdr': enviHeader(1, 1, 2 ** 31 - 1, `wavelength = {${'1,'.repeat(450_000)}}\n`), 'a.img': new Uint8Array(1) } },
    { name: 'MAT dims [0, 2^31−1, 2^31−1] (then matToMultichannel)', reader: 'readMat', main: 'a.mat', files: { 'a.mat': matFile([matMatrix('A', [0, 2 ** 31 - 1, 2 ** 31 - 1], Buffer.alloc(0))]) } },
    { name: 'MAT dims [2^31−1, 2^31−1] over 64 bytes', reader: 'readMat', main: 'a.mat', files: { 'a.mat': matFile([matMatrix('A', [2 ** 31 - 1, 2 ** 31 - 1], Buffer.alloc(64))]) } },
    { name: 'MAT ten compressed 40 MB elements (decompression bomb), budget 64 MiB', reader: 'readMat', main: 'a.mat', options: { maxDecompressedBytes: 64 * MiB }, files: { 'a.mat': matBombs(10, 5 * MiB) } },
    { name: 'MAT compressed element declaring 4 GiB in 100 bytes', reader: 'readMat', main: 'a.mat', files: { 'a.mat': matLyingCompressed(0xfffffff0) } },
    { name: 'NPY shape (2^40, 0)', reader: 'readNpy', main: 'a.npy', files: { 'a.npy': npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 0), }", new Uint8Array(0)) } },
    { name: 'NPY shape (10^6, 10^6) over 48 bytes', reader: 'readNpy', main: 'a.npy', files: { 'a.npy': npyFile("{'descr': '<f8', 'fortran_order': True, 'shape': (1000000, 1000000), }", f64(6)) } },
    { name: 'NPY data at an offset ≡ 4 (mod 8) (numpy reads it)', reader: 'readNpy', main: 'a.npy', files: { 'a.npy': npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", f64(6), 4) } },
    { name: 'NPY 900 kB header', reader: 'readNpy', main: 'a.npy', files: { 'a.npy': npyFile(`{'descr': '<f8', 'fortran_order': False, 'shape': (${'1, '.repeat(300_000)}), }`, f64(1)) } },
    { name: 'WAV 65535 channels, data chunk 4 GiB, 16 bytes present', reader: 'readWav', main: 'a.wav', files: { 'a.wav': wavLying(65535, 0xffffffff) } },
  ];
}

/** Writes the files of `c` into `dir` and returns the path of its main file. */
export function writeCase(dir: string, c: CraftedCase): string {
  for (const [name, f] of Object.entries(c.files)) {
    const p = path.join(dir, name);
    if (f instanceof Uint8Array) fs.writeFileSync(p, f);
    else {
      fs.writeFileSync(p, '');
      fs.truncateSync(p, f.sparse);
    }
  }
  return path.join(dir, c.main);
}
