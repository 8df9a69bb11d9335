import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as nodeWav from 'node-wav';
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, FileError, FormatError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { WAV_FORMATS, WavReader, WavWriter, buildHeader, decodeWav, encodeWav, needsRf64, readWav, readWavInfo, writeWav, type WavFormat } from '../../src/io/wav.js';
import { REPO_ROOT, Rng, expectPointwiseError, sharedData, tempDir } from '../helpers/index.js';
import { findChunk, fmtBody, fmtExtensible, int16Bytes, patched, riff } from './wav-helpers.js';

const BITS: Record<WavFormat, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 };

/** A signal on the format's quantisation grid (k / 2^(bits−1)), full range included. */
function quantised(format: WavFormat, C: number, N: number, seed: number): Multichannel {
  const rng = new Rng(seed);
  const x = Multichannel.zeros(C, N, { sampleRate: 44100 });
  const d = x.data;
  const bits = BITS[format];
  const full = 2 ** (bits - 1);
  for (let i = 0; i < d.length; i++) {
    if (format === 'float32') d[i] = Math.fround(rng.uniform(-1.5, 1.5));
    else if (format === 'float64') d[i] = rng.normal();
    else d[i] = Math.min(full - 1, Math.max(-full, Math.floor(rng.uniform(-full, full)))) / full;
  }
  // Extremes of the integer range on channel 0.
  if (!format.startsWith('float') && N >= 2) {
    d[0] = -1;
    d[1] = (full - 1) / full;
  }
  return x;
}

describe('WAV round trips: every writable format × 1, 2, 8, 32 channels', () => {
  for (const format of WAV_FORMATS) {
    for (const C of [1, 2, 8, 32]) {
      it(`${format} × ${C} ch reads back exactly (seed ${C * 7 + BITS[format]})`, () => {
        const seed = C * 7 + BITS[format];
        const x = quantised(format, C, 257, seed);
        const bytes = encodeWav(x, { format });
        const y = decodeWav(bytes);
        expect(y.channels).toBe(C);
        expect(y.length).toBe(257);
        expect(y.sampleRate).toBe(44100);
        expect(y.dtype).toBe('float64');
        for (let i = 0; i < x.data.length; i++) if (!Object.is(y.data[i], x.data[i])) expect(`${i}: ${y.data[i]}`).toBe(`${i}: ${x.data[i]}`);
        // Header: EXTENSIBLE exactly when channels > 2 or bits > 16, and the info agrees.
        const ext = C > 2 || BITS[format] > 16;
        expect(new DataView(bytes.buffer, bytes.byteOffset).getUint16(20, true)).toBe(ext ? 0xfffe : format.startsWith('float') ? 3 : 1);
        expect(findChunk(bytes, 'fact') >= 0).toBe(format.startsWith('float'));
        // The file length is exactly header + data (+ pad).
        const dataAt = findChunk(bytes, 'data');
        const dataBytes = 257 * C * (BITS[format] / 8);
        expect(bytes.length).toBe(dataAt + 8 + dataBytes + (dataBytes & 1));
      });
    }
  }

  it('float32 dtype on read is bit-exact for float32 files and exact for pcm16/pcm24', () => {
    for (const format of ['float32', 'pcm16', 'pcm24'] as const) {
      const x = quantised(format, 3, 100, 11);
      const y = decodeWav(encodeWav(x, { format }), { dtype: 'float32' });
      expect(y.dtype).toBe('float32');
      expect(Array.from(y.data)).toEqual(Array.from(x.data));
    }
  });

  it('arbitrary values quantise to within half a step (seed 5), and the PCM clipping rule holds', () => {
    const rng = new Rng(5);
    const x = Multichannel.fromChannels([rng.array(1000, -1, 1 - 2 ** -7)], { sampleRate: 8000 });
    for (const format of ['pcm8', 'pcm16', 'pcm24', 'pcm32'] as const) {
      const step = 2 ** -(BITS[format] - 1);
      const y = decodeWav(encodeWav(x, { format }));
      let worst = 0;
      for (let i = 0; i < 1000; i++) worst = Math.max(worst, Math.abs(y.data[i] - x.data[i]));
      expect(worst, format).toBeLessThanOrEqual(step / 2);
      // Clipping: +1 and beyond saturate to the largest code, −1 and below to the smallest.
      const clip = Multichannel.fromChannels([[1, 2.5, -1, -7, 0.5 * step, -0.5 * step]], { sampleRate: 8000 });
      const z = decodeWav(encodeWav(clip, { format }));
      expect(Array.from(z.data), format).toEqual([1 - step, 1 - step, -1, -1, step, 0]);
    }
  });

  it('float formats keep values outside [-1, 1] and float32 rounds to nearest', () => {
    const x = Multichannel.fromChannels([[3.5, -1e6, 0.1, -0]], { sampleRate: 8000 });
    expect(Array.from(decodeWav(encodeWav(x, { format: 'float64' })).data)).toEqual([3.5, -1e6, 0.1, -0]);
    expect(Array.from(decodeWav(encodeWav(x, { format: 'float32' })).data)).toEqual([3.5, -1e6, Math.fround(0.1), -0]);
  });

  it('empty signals and odd data sizes (pcm8, odd frames × odd channels) round-trip with a pad byte', () => {
    const e = Multichannel.zeros(3, 0, { sampleRate: 1000 });
    expect(decodeWav(encodeWav(e)).length).toBe(0);
    const x = quantised('pcm8', 3, 5, 2);
    const b = encodeWav(x, { format: 'pcm8' });
    expect(b.length % 2).toBe(0);
    expect(Array.from(decodeWav(b).data)).toEqual(Array.from(x.data));
  });

  it('options.sampleRate overrides x.sampleRate', () => {
    const x = Multichannel.zeros(1, 4);
    expect(decodeWav(encodeWav(x, { sampleRate: 22050 })).sampleRate).toBe(22050);
  });
});

describe('WAV files on disk, streaming reader and writer', () => {
  it('writeWav / readWav / readWavInfo agree with encodeWav / decodeWav', () => {
    const dir = tempDir();
    const x = quantised('pcm24', 8, 1001, 3);
    const p = path.join(dir, 'x.wav');
    writeWav(p, x, { format: 'pcm24' });
    expect(new Uint8Array(fs.readFileSync(p))).toEqual(encodeWav(x, { format: 'pcm24' }));
    expect(Array.from(readWav(p).data)).toEqual(Array.from(x.data));
    const info = readWavInfo(p);
    expect(info).toMatchObject({ channels: 8, sampleRate: 44100, frames: 1001, format: 'pcm24', dataBytes: 1001 * 24, extensible: true, streamed: false });
    expect(fs.readdirSync(dir)).toEqual(['x.wav']);
  });

  it('WavWriter { rf64: true } under 4 GiB: a plain RIFF WAV with a JUNK chunk reserved, read back exactly', () => {
    const dir = tempDir();
    const x = quantised('pcm16', 2, 5000, 6);
    const p = path.join(dir, 'junk.wav');
    const w = new WavWriter(p, { channels: 2, sampleRate: 44100, format: 'pcm16', rf64: true });
    w.write(x.slice(0, 1234));
    w.write(x.slice(1234, 5000));
    w.commit();
    const bytes = fs.readFileSync(p);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(findChunk(new Uint8Array(bytes), 'JUNK')).toBe(12);
    expect(bytes.length).toBe(encodeWav(x, { format: 'pcm16' }).length + 36);
    expect(Array.from(readWav(p).data)).toEqual(Array.from(x.data));
    // an independent reader skips the reserved chunk too: same samples as from the plain file
    const plain = nodeWav.decode(Buffer.from(encodeWav(x, { format: 'pcm16' })));
    expect(nodeWav.decode(bytes).channelData[1]).toEqual(plain.channelData[1]);
    expectPointwiseError(() => new WavWriter(p, { channels: 1, sampleRate: 8000, rf64: 'yes' as never }), ArgumentTypeError, /^WavWriter: options.rf64 must be a boolean; got "yes"/);
  });

  it('needsRf64: true exactly past 4 GiB less the header; bad arguments named', () => {
    const header = buildHeader('pcm16', 8, 1, 0).length;
    const limit = Math.floor((2 ** 32 - 1 - (header - 8)) / 16); // frames of 8 × pcm16 that still fit
    expect(needsRf64('pcm16', 8, 2 * 3600 * 48000)).toBe(true);
    expect(needsRf64('pcm16', 8, 1000)).toBe(false);
    expect(needsRf64('pcm16', 8, limit - 1)).toBe(false);
    expect(needsRf64('pcm16', 8, limit + 1)).toBe(true);
    expectPointwiseError(() => needsRf64('pcm12' as never, 1, 10), ValueError, /^needsRf64: format must be one of/);
    expectPointwiseError(() => needsRf64('pcm16', 0, 10), ValueError, /^needsRf64: channels must be/);
    expectPointwiseError(() => needsRf64('pcm16', 1, -1), ValueError, /^needsRf64: frames must be/);
  });

  it('RF64 past 4 GiB: the header the writer commits (ds64 sizes) reads back as 4.8 GB of frames (sparse file)', () => {
    const dir = tempDir();
    const p = path.join(dir, 'big.wav');
    const frames = 300_000_000; // 8 channels pcm16: 4.8e9 data bytes
    const header = buildHeader('pcm16', 8, 48000, frames, true);
    expect(new TextDecoder().decode(header.subarray(0, 4))).toBe('RF64');
    expect(findChunk(header, 'ds64')).toBe(12);
    fs.writeFileSync(p, header);
    fs.truncateSync(p, header.length + frames * 16); // sparse: no disk space used
    const info = readWavInfo(p);
    expect(info).toMatchObject({ channels: 8, sampleRate: 48000, frames, format: 'pcm16', dataBytes: frames * 16, streamed: false });
    const r = WavReader.open(p);
    r.seek(frames - 10);
    const tail = r.read(100)!;
    expect(tail.length).toBe(10);
    expect(tail.data.every((v) => v === 0)).toBe(true);
    expect(r.read(1)).toBeNull();
    r.close();
    // The same header for a small count stays RIFF with a JUNK chunk.
    expect(new TextDecoder().decode(buildHeader('pcm16', 8, 48000, 1000, true).subarray(0, 4))).toBe('RIFF');
  });

  it('WavReader reads in pieces (and seeks) to the same samples as readWav', () => {
    const dir = tempDir();
    const x = quantised('float32', 5, 10007, 4);
    const p = path.join(dir, 'x.wav');
    writeWav(p, x, { format: 'float32' });
    const r = WavReader.open(p);
    const got = Multichannel.zeros(5, 10007);
    let t = 0;
    for (let piece = r.read(999); piece; piece = r.read(999)) {
      expect(piece.sampleRate).toBe(44100);
      for (let c = 0; c < 5; c++) got.data.set(piece.channel(c), c * 10007 + t);
      t += piece.length;
    }
    expect(t).toBe(10007);
    expect(Array.from(got.data)).toEqual(Array.from(x.data));
    r.seek(10000);
    expect(Array.from(r.read(100)!.channel(4))).toEqual(Array.from(x.channel(4).subarray(10000)));
    r.close();
    expect(() => r.read(1)).toThrow(FileError);
  });

  it('WavReader reads a 4 GB file (sparse, larger than this test may hold) piece by piece, seeking to the end', () => {
    const dir = tempDir();
    const p = path.join(dir, 'huge.wav');
    const head = encodeWav(Multichannel.zeros(2, 0, { sampleRate: 48000 }));
    const dataBytes = 0xffffffff - head.length - 8; // close to the RIFF limit, a whole number of 4-byte frames
    const aligned = dataBytes - (dataBytes % 4);
    const h = patched(patched(head, 4, head.length - 8 + aligned), head.length - 4, aligned);
    fs.writeFileSync(p, h);
    fs.truncateSync(p, head.length + aligned); // sparse zeros: nothing is really written
    const r = WavReader.open(p);
    expect(r.info.frames).toBe(aligned / 4);
    const first = r.read(48000)!;
    expect([first.channels, first.length]).toEqual([2, 48000]);
    r.seek(r.info.frames - 1000);
    const last = r.read(48000)!;
    expect(last.length).toBe(1000);
    expect(r.read(1)).toBeNull();
    r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('WavWriter streams pieces and patches the sizes: same bytes as encodeWav of the whole', () => {
    const dir = tempDir();
    for (const format of WAV_FORMATS) {
      const x = quantised(format, 3, 3001, 8);
      const p = path.join(dir, `${format}.wav`);
      const w = new WavWriter(p, { channels: 3, sampleRate: 44100, format });
      expect(fs.existsSync(p)).toBe(false); // nothing at the target before commit
      for (let t = 0; t < 3001; t += 700) w.write(x.slice(t, t + 700));
      expect(w.framesWritten).toBe(3001);
      w.commit();
      expect(new Uint8Array(fs.readFileSync(p)), format).toEqual(encodeWav(x, { format }));
    }
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('WavWriter.abort leaves the old target untouched and no temporary file', () => {
    const dir = tempDir();
    const p = path.join(dir, 'keep.wav');
    fs.writeFileSync(p, 'old');
    const w = new WavWriter(p, { channels: 1, sampleRate: 8000 });
    w.write(Multichannel.zeros(1, 100));
    w.abort();
    expect(fs.readFileSync(p, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['keep.wav']);
  });
});

describe('WAV variants other writers produce', () => {
  const pcm = int16Bytes([1000, -1000, 32767, -32768, 0, 5]); // 3 stereo frames
  const fmt = fmtBody({ tag: 1, channels: 2, rate: 8000, blockAlign: 4, bits: 16 });
  const expected = [[1000, 32767, 0], [-1000, -32768, 5]].map((ch) => ch.map((v) => v / 32768));
  const check = (bytes: Uint8Array) => {
    const y = decodeWav(bytes);
    expect(y.channels).toBe(2);
    expect([Array.from(y.channel(0)), Array.from(y.channel(1))]).toEqual(expected);
  };

  it('skips LIST, bext, JUNK and fact chunks (odd sizes with pad bytes) before and after the data', () => {
    const odd = new Uint8Array([1, 2, 3]);
    check(riff([{ id: 'JUNK', body: new Uint8Array(28) }, { id: 'fmt ', body: fmt }, { id: 'LIST', body: odd }, { id: 'bext', body: new Uint8Array(5) }, { id: 'data', body: pcm }, { id: 'LIST', body: odd }]));
  });

  it("tolerates a writer that forgot the pad byte after an odd chunk", () => {
    check(riff([{ id: 'fmt ', body: fmt }, { id: 'LIST', body: new Uint8Array([65, 66, 67]), noPad: true }, { id: 'data', body: pcm }]));
  });

  it("reads a 'fmt ' chunk that comes after the data chunk", () => {
    check(riff([{ id: 'data', body: pcm }, { id: 'fmt ', body: fmt }]));
  });

  it('reads an 18-byte fmt (cbSize 0) and a 12-bit PCM file in 16-bit containers', () => {
    check(riff([{ id: 'fmt ', body: fmtBody({ tag: 1, channels: 2, rate: 8000, blockAlign: 4, bits: 16, extra: [0, 0] }) }, { id: 'data', body: pcm }]));
    const y = decodeWav(riff([{ id: 'fmt ', body: fmtBody({ tag: 1, channels: 2, rate: 8000, blockAlign: 4, bits: 12 }) }, { id: 'data', body: pcm }]));
    expect(y.data[0]).toBe(1000 / 32768);
  });

  it('reads EXTENSIBLE PCM and float, with valid bits below the container', () => {
    check(riff([{ id: 'fmt ', body: fmtExtensible({ sub: 1, channels: 2, rate: 8000, bits: 16 }) }, { id: 'data', body: pcm }]));
    const f = new Float32Array([0.25, -0.5]);
    const y = decodeWav(riff([{ id: 'fmt ', body: fmtExtensible({ sub: 3, channels: 1, rate: 8000, bits: 32 }) }, { id: 'fact', body: new Uint8Array(4) }, { id: 'data', body: new Uint8Array(f.buffer) }]));
    expect(Array.from(y.data)).toEqual([0.25, -0.5]);
    const p24 = new Uint8Array([0x00, 0x10, 0x80]); // 20 valid bits in a 24-bit container: 0x801000 → −8384512
    const z = decodeWav(riff([{ id: 'fmt ', body: fmtExtensible({ sub: 1, channels: 1, rate: 8000, bits: 24, validBits: 20 }) }, { id: 'data', body: p24 }]));
    expect(z.data[0]).toBe(-8384512 / 8388608);
  });

  it('applies the streaming rule: data size 0xFFFFFFFF (or 0 with an unpatched RIFF size) reads to the end, in whole frames', () => {
    const body = new Uint8Array([...pcm, 9, 9]); // 2 stray bytes: not a whole frame
    const a = riff([{ id: 'fmt ', body: fmt }, { id: 'data', body, size: 0xffffffff }]);
    const y = decodeWav(a);
    expect(y.length).toBe(3);
    const b = riff([{ id: 'fmt ', body: fmt }, { id: 'data', body: pcm, size: 0 }], { riffSize: 0 });
    expect(decodeWav(b).length).toBe(3);
    // ... but a genuine empty data chunk followed by LIST stays empty.
    const c = riff([{ id: 'fmt ', body: fmt }, { id: 'data', body: new Uint8Array(0) }, { id: 'LIST', body: new Uint8Array(4) }]);
    expect(decodeWav(c).length).toBe(0);
  });

  it('reads RF64 (ds64 sizes)', () => {
    const ds64 = new Uint8Array(28);
    new DataView(ds64.buffer).setUint32(8, pcm.length, true);
    const bytes = riff([{ id: 'ds64', body: ds64 }, { id: 'fmt ', body: fmt }, { id: 'data', body: pcm, size: 0xffffffff }], { magic: 'RF64', riffSize: 0xffffffff });
    check(bytes);
  });

  it('reads buffers at odd byte offsets (unaligned views are copied)', () => {
    const x = quantised('float64', 3, 50, 9);
    const b = encodeWav(x, { format: 'float64' });
    const shifted = new Uint8Array(b.length + 1).subarray(1);
    shifted.set(b);
    expect(Array.from(decodeWav(shifted).data)).toEqual(Array.from(x.data));
  });

  it('agrees with node-wav on the plain PCM and float files node-wav writes (independent decoder)', () => {
    const rng = new Rng(21);
    for (const [bitDepth, float] of [[8, false], [16, false], [24, false], [32, false], [32, true]] as const) {
      for (const C of [1, 2, 3]) {
        const chans = Array.from({ length: C }, () => Float32Array.from(rng.array(300, -0.99, 0.99)));
        const bytes = nodeWav.encode(chans, { sampleRate: 16000, bitDepth, float });
        const ref = nodeWav.decode(bytes);
        const y = decodeWav(bytes);
        expect(y.sampleRate).toBe(16000);
        expect(y.channels).toBe(C);
        for (let c = 0; c < C; c++) {
          const a = y.channel(c);
          const b = ref.channelData[c];
          for (let t = 0; t < 300; t++) {
            // node-wav scales positive codes by 2^(n−1) − 1, negative by 2^(n−1); compare integer codes.
            const full = 2 ** (bitDepth - 1);
            const expected = float ? b[t] : (b[t] < 0 ? Math.round(b[t] * full) : Math.round(b[t] * (full - 1))) / full;
            if (Math.abs(a[t] - expected) > (bitDepth === 32 ? 2e-7 : 1e-7 / full)) expect(`${bitDepth} ${C} ${c} ${t}: ${a[t]}`).toBe(`${expected}`);
          }
        }
      }
    }
    // And node-wav reads our plain pcm16 output (mono/stereo) to the same values.
    const x = quantised('pcm16', 2, 200, 3);
    const back = nodeWav.decode(encodeWav(x));
    for (let t = 0; t < 200; t++) {
      const v = back.channelData[1][t];
      expect(v < 0 ? v : Math.round(v * 32767) / 32768).toBeCloseTo(x.data[200 + t], 12);
    }
  });
});

const hasSox = spawnSync('sox', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasSox) console.log('[pointwise tests] NOTE: sox is not installed; the sox-written EXTENSIBLE tests are skipped.');

describe('EXTENSIBLE files written by sox', () => {
  const cases: { C: number; args: string[]; format: WavFormat }[] = [
    { C: 3, args: ['-e', 'signed-integer', '-b', '16'], format: 'pcm16' },
    { C: 4, args: ['-e', 'signed-integer', '-b', '24'], format: 'pcm24' },
    { C: 6, args: ['-e', 'signed-integer', '-b', '32'], format: 'pcm32' },
    { C: 5, args: ['-e', 'floating-point', '-b', '32'], format: 'float32' },
    { C: 3, args: ['-e', 'floating-point', '-b', '64'], format: 'float64' },
    { C: 8, args: ['-e', 'unsigned-integer', '-b', '8'], format: 'pcm8' },
    { C: 2, args: ['-e', 'signed-integer', '-b', '24'], format: 'pcm24' },
  ];
  for (const { C, args, format } of cases) {
    it.skipIf(!hasSox)(`sox ${args.join(' ')} × ${C} ch decodes to the raw samples sox exports`, () => {
      const dir = tempDir();
      const wav = path.join(dir, 'sox.wav');
      const raw = path.join(dir, 'sox.raw');
      const tones = Array.from({ length: C }, (_, c) => (c % 3 === 0 ? ['whitenoise'] : c % 3 === 1 ? ['sine', String(300 + 250 * c)] : ['pinknoise'])).flat();
      const gen = spawnSync('sox', ['-n', '-r', '16000', '-c', String(C), ...args, wav, 'synth', '0.05', ...tones, 'vol', '0.8'], { encoding: 'utf8' });
      expect(gen.status, gen.stderr).toBe(0);
      const exp = spawnSync('sox', [wav, '-t', 'raw', raw], { encoding: 'utf8' });
      expect(exp.status, exp.stderr).toBe(0);
      const bytes = new Uint8Array(fs.readFileSync(wav));
      const info = readWavInfo(wav);
      // sox writes EXTENSIBLE for PCM with > 2 channels or > 16 bits; float files get tag 3 + fact.
      expect(info.extensible).toBe(!format.startsWith('float') && (C > 2 || BITS[format] > 16));
      expect(info.format).toBe(format);
      expect(info.channels).toBe(C);
      expect(info.frames).toBe(800);
      // Oracle: the raw interleaved bytes decoded with DataView (independent of the reader's views).
      const r = fs.readFileSync(raw);
      const dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
      const k = BITS[format] / 8;
      const y = decodeWav(bytes);
      for (let t = 0; t < 800; t++) {
        for (let c = 0; c < C; c++) {
          const o = (t * C + c) * k;
          let v: number;
          if (format === 'pcm8') v = (dv.getUint8(o) - 128) / 128;
          else if (format === 'pcm16') v = dv.getInt16(o, true) / 32768;
          else if (format === 'pcm24') v = (((dv.getUint8(o) | (dv.getUint8(o + 1) << 8) | (dv.getUint8(o + 2) << 16)) << 8) >> 8) / 8388608;
          else if (format === 'pcm32') v = dv.getInt32(o, true) / 2147483648;
          else if (format === 'float32') v = dv.getFloat32(o, true);
          else v = dv.getFloat64(o, true);
          if (y.data[c * 800 + t] !== v) expect(`${c},${t}: ${y.data[c * 800 + t]}`).toBe(`${c},${t}: ${v}`);
        }
      }
      // And sox reads what we write (EXTENSIBLE for > 2 channels): same sample statistics.
      const ours = path.join(dir, 'ours.wav');
      writeWav(ours, y, { format: format === 'pcm8' ? 'pcm16' : format });
      const stat = spawnSync('sox', [ours, '-n', 'stat'], { encoding: 'utf8' });
      expect(stat.status, stat.stderr).toBe(0);
      expect(stat.stderr).toMatch(/Samples read:\s+(\d+)/);
      expect(Number(/Samples read:\s+(\d+)/.exec(stat.stderr)![1])).toBe(800 * C);
    });
  }
});

interface RealWavFacts {
  made_by: string;
  files: { path: string; channels: number; sampleRate: number; frames: number; samples: { channel: number; frame: number; value: number }[]; channelSums: number[] }[];
}
const facts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/io/real_wavs.json'), 'utf8')) as RealWavFacts;

describe('shared real WAVs read as python-soundfile reports (test/fixtures/io/real_wavs.json)', () => {
  for (const f of facts.files) {
    const p = sharedData(f.path);
    it.skipIf(!p)(`${f.path}: ${f.channels} ch, ${f.sampleRate} Hz, ${f.frames} frames, samples and channel sums`, () => {
      const x = readWav(p!);
      expect([x.channels, x.sampleRate, x.length]).toEqual([f.channels, f.sampleRate, f.frames]);
      for (const s of f.samples) expect(x.data[s.channel * x.length + s.frame], `ch ${s.channel} frame ${s.frame}`).toBe(s.value);
      for (let c = 0; c < x.channels; c++) {
        let sum = 0;
        const ch = x.channel(c);
        for (let t = 0; t < ch.length; t++) sum += ch[t];
        expect(Math.abs(sum - f.channelSums[c]), `channel ${c} sum`).toBeLessThan(1e-9 * Math.max(1, x.length));
      }
      const info = readWavInfo(p!);
      expect(info.frames).toBe(f.frames);
    });
  }
});

describe('WAV bad-input table: each its own error class and message, no partial output', () => {
  const good = encodeWav(quantised('pcm16', 2, 10, 1));
  const fmtAt = findChunk(good, 'fmt ') + 8;
  const dataAt = findChunk(good, 'data');
  const x2 = quantised('pcm16', 2, 10, 1);
  const reads: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['empty buffer', () => decodeWav(new Uint8Array(0)), FormatError, /^decodeWav: a WAV file must start with a 12-byte RIFF\/WAVE header; got 0 bytes$/],
    ['truncated header (8 bytes)', () => decodeWav(good.subarray(0, 8)), FormatError, /12-byte RIFF\/WAVE header; got 8 bytes/],
    ['truncated fmt chunk', () => decodeWav(good.subarray(0, 30)), FormatError, /^decodeWav: the 'fmt ' chunk must fit in the file \(truncated header\?\); got 16 bytes declared at byte 12, 10 available$/],
    ['no data chunk', () => decodeWav(good.subarray(0, dataAt)), FormatError, /^decodeWav: a WAV file must have a 'data' chunk; got none in 36 bytes$/],
    ['data chunk longer than the file', () => decodeWav(good.subarray(0, good.length - 6)), FormatError, /^decodeWav: the 'data' chunk must fit in the file \(truncated file\?\); got 40 bytes declared, 34 present$/],
    ['zero channels', () => decodeWav(patched(good, fmtAt + 2, 0, 2)), FormatError, /^decodeWav: the channel count must be ≥ 1; got 0$/],
    ['zero sample rate', () => decodeWav(patched(good, fmtAt + 4, 0)), FormatError, /sample rate must be > 0 Hz; got 0$/],
    ['A-law', () => decodeWav(patched(good, fmtAt, 6, 2)), FormatError, /^decodeWav: only PCM and IEEE-float WAV can be read; got A-law \(format tag 0x0006\)$/],
    ['µ-law', () => decodeWav(patched(good, fmtAt, 7, 2)), FormatError, /got µ-law \(format tag 0x0007\)$/],
    ['MS ADPCM', () => decodeWav(patched(good, fmtAt, 2, 2)), FormatError, /got Microsoft ADPCM \(format tag 0x0002\)$/],
    ['IMA ADPCM', () => decodeWav(patched(good, fmtAt, 0x11, 2)), FormatError, /got IMA ADPCM \(format tag 0x0011\)$/],
    ['MP3 inside EXTENSIBLE', () => decodeWav(riff([{ id: 'fmt ', body: fmtExtensible({ sub: 0x55, channels: 1, rate: 8000, bits: 16 }) }, { id: 'data', body: new Uint8Array(2) }])), FormatError, /got MPEG Layer 3 \(MP3\) \(format tag 0x0055 inside EXTENSIBLE\)$/],
    ['unknown EXTENSIBLE GUID', () => decodeWav(riff([{ id: 'fmt ', body: fmtExtensible({ sub: 1, channels: 1, rate: 8000, bits: 16, guidTail: new Array(14).fill(7) }) }, { id: 'data', body: new Uint8Array(2) }])), FormatError, /sub-format must be PCM or IEEE float .*; got GUID 0100070707/],
    ['odd block align', () => decodeWav(patched(good, fmtAt + 12, 3, 2)), FormatError, /^decodeWav: the block align must equal channels × bytes per sample = 2 × 2 = 4; got 3$/],
    ['float with 16 bits', () => decodeWav(riff([{ id: 'fmt ', body: fmtBody({ tag: 3, channels: 1, rate: 8000, blockAlign: 2, bits: 16 }) }, { id: 'data', body: new Uint8Array(2) }])), FormatError, /IEEE-float samples must be 32 or 64 bits; got 16$/],
    ['data not whole frames', () => decodeWav(riff([{ id: 'fmt ', body: fmtBody({ tag: 1, channels: 2, rate: 8000, blockAlign: 4, bits: 16 }) }, { id: 'data', body: new Uint8Array(6) }])), FormatError, /whole number of frames \(block align 4\); got 6$/],
    ['two fmt chunks', () => decodeWav(riff([{ id: 'fmt ', body: fmtBody({ tag: 1, channels: 1, rate: 8000, blockAlign: 2, bits: 16 }) }, { id: 'fmt ', body: fmtBody({ tag: 1, channels: 1, rate: 8000, blockAlign: 2, bits: 16 }) }, { id: 'data', body: new Uint8Array(2) }])), FormatError, /one 'fmt ' chunk; got a second one at byte 36$/],
    ['RIFX', () => decodeWav(riff([], { magic: 'RIFX' })), FormatError, /big-endian RIFX/],
    ['not RIFF', () => decodeWav(new TextEncoder().encode('OggS0000WAVEfmt ')), FormatError, /^decodeWav: a WAV file must start with 'RIFF' \(or 'RF64'\); got "OggS"$/],
    ['not bytes', () => decodeWav([1, 2, 3] as unknown as Uint8Array), ArgumentTypeError, /^decodeWav: bytes must be a Uint8Array \(or Buffer\); got an array of length 3$/],
    ['bad dtype', () => decodeWav(good, { dtype: 'int16' as never }), ValueError, /^decodeWav: options.dtype must be one of 'float64', 'float32'; got "int16"$/],
    ['missing file', () => readWav('/nonexistent/x.wav'), FileError, /^readWav: the file must exist and be readable; got "\/nonexistent\/x.wav" \(it does not exist\)$/],
    ['a folder', () => readWav(REPO_ROOT), FileError, /^readWav: the path must be a file; got .*\(it is a folder\)$/],
    ['WavReader.read(0)', () => WavReader.open(path.join(REPO_ROOT, 'test/fixtures/io/npy/f8_1d.npy')), FormatError, /^WavReader.open: a WAV file must start with 'RIFF'/],
  ];
  for (const [label, f, cls, re] of reads) {
    it(`read: ${label}`, () => {
      expectPointwiseError(f, cls, re, label);
    });
  }

  const dir = tempDir();
  const target = path.join(dir, 'out.wav');
  const nanX = x2.clone();
  nanX.data[13] = NaN;
  const fake = { data: new Float64Array(7), channels: 2, length: 5, sampleRate: 8000 } as unknown as Multichannel;
  /** Opens a WavWriter on `target`, writes x2 and always aborts (so the folder stays empty). */
  const writeX2Aborting = (opts: { channels: number; sampleRate: number }): void => {
    const w = new WavWriter(target, opts);
    try {
      w.write(x2);
    } finally {
      w.abort();
    }
  };
  const writes: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['NaN sample', () => writeWav(target, nanX), ValueError, /^writeWav: samples must be finite \(NaN and ±Infinity cannot be written\); got NaN at channel 1, sample 3$/],
    ['Infinity sample (encode)', () => encodeWav(Multichannel.fromChannels([[0, Infinity]], { sampleRate: 8000, allowNonFinite: true })), ValueError, /^encodeWav: samples must be finite .*; got Infinity at channel 0, sample 1$/],
    [
      'NaN in the 4-channel-wide pcm16 path (8 ch)',
      () => {
        const y = Multichannel.zeros(8, 10, { sampleRate: 8000 });
        y.data[6 * 10 + 3] = NaN;
        return writeWav(target, y);
      },
      ValueError,
      /^writeWav: samples must be finite .*; got NaN at channel 6, sample 3$/,
    ],
    ['NaN sample rate option', () => writeWav(target, x2, { sampleRate: NaN }), ValueError, /^writeWav: options.sampleRate must be an integer; got NaN$/],
    ['non-integer sample rate', () => encodeWav(x2, { sampleRate: 44100.5 }), ValueError, /^encodeWav: options.sampleRate must be an integer; got 44100.5$/],
    ['no sample rate', () => encodeWav(Multichannel.zeros(1, 3)), ValueError, /^encodeWav: x.sampleRate must be set \(Hz\) to write a WAV file; got undefined$/],
    ['WavWriter NaN rate', () => new WavWriter(target, { channels: 2, sampleRate: NaN }), ValueError, /^WavWriter: options\.sampleRate must be an integer; got NaN$/],
    ['WavWriter zero channels', () => new WavWriter(target, { channels: 0, sampleRate: 8000 }), ValueError, /^WavWriter: options\.channels must be an integer in \[1, 65535\]; got 0$/],
    ['Multichannel-like object with mismatched shape', () => writeWav(target, fake), ArgumentTypeError, /^writeWav: x must be a Multichannel; got an object$/],
    ['unknown format', () => writeWav(target, x2, { format: 'pcm12' as WavFormat }), ValueError, /^writeWav: options.format must be one of 'pcm8', .*; got "pcm12"$/],
    ['folder does not exist', () => writeWav(path.join(dir, 'no/such/folder/out.wav'), x2), FileError, /^writeWav: the output folder must exist; got ".*no\/such\/folder" \(it does not exist\)$/],
    [
      'channel mismatch in WavWriter.write',
      () => writeX2Aborting({ channels: 3, sampleRate: 44100 }),
      ShapeError,
      /^WavWriter.write: x must have 3 channels \(as the writer was opened\); got 2$/,
    ],
    [
      'sample-rate mismatch in WavWriter.write',
      () => writeX2Aborting({ channels: 2, sampleRate: 8000 }),
      ValueError,
      /^WavWriter.write: x.sampleRate must equal the writer's 8000 Hz; got 44100$/,
    ],
  ];
  for (const [label, f, cls, re] of writes) {
    it(`write: ${label} (and nothing is left in the folder)`, () => {
      expectPointwiseError(f, cls, re, label);
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  }

  it('a failed write keeps the old target intact', () => {
    const d = tempDir();
    const p = path.join(d, 'x.wav');
    writeWav(p, x2);
    const before = fs.readFileSync(p);
    expect(() => writeWav(p, nanX)).toThrow(ValueError);
    expect(fs.readFileSync(p).equals(before)).toBe(true);
    expect(fs.readdirSync(d)).toEqual(['x.wav']);
  });
});
