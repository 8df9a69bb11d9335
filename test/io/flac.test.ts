/**
 * FLAC reader (src/io/flac.ts) against the reference tool: fixtures made by
 * scripts/fixtures/make_flac.sh (sox synthesises, `flac` 1.4 encodes, `flac -d` decodes to
 * <name>.ref.wav); readFlac must give exactly what readWav gives for the reference WAV.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError, FormatError, ShapeError } from '../../src/core/errors.js';
import { FlacReader, decodeFlac, readFlac, readFlacInfo } from '../../src/io/flac.js';
import { readWav, readWavInfo } from '../../src/io/wav.js';
import { REPO_ROOT } from '../helpers/index.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/flac');
const NAMES = ['s16_stereo', 's24_3ch', 's8_mono', 's16_full'];
const fix = (n: string) => path.join(FIX, n);

describe('readFlac vs flac -d', () => {
  for (const name of NAMES) {
    it(`${name}: samples, rate and channels equal readWav of the flac -d output`, async () => {
      const x = await readFlac(fix(`${name}.flac`));
      const ref = readWav(fix(`${name}.ref.wav`));
      expect(x.channels).toBe(ref.channels);
      expect(x.length).toBe(ref.length);
      expect(x.sampleRate).toBe(ref.sampleRate);
      expect(x.dtype).toBe('float64');
      expect(Array.from(x.data)).toEqual(Array.from(ref.data));
      const info = readFlacInfo(fix(`${name}.flac`));
      const wi = readWavInfo(fix(`${name}.ref.wav`));
      expect(info.frames).toBe(wi.frames);
      expect(info.bitsPerSample).toBe(Number(wi.format.replace(/\D/g, '')));
    });
  }

  it('full-scale square: the most negative code reads as exactly -1', async () => {
    const x = await readFlac(fix('s16_full.flac'));
    let min = Infinity;
    for (const v of x.data) min = Math.min(min, v);
    expect(min).toBe(-1);
  });

  it('float32 output holds the same 24-bit values exactly', async () => {
    const a = await readFlac(fix('s24_3ch.flac'));
    const b = await readFlac(fix('s24_3ch.flac'), { dtype: 'float32' });
    expect(b.dtype).toBe('float32');
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('decodeFlac(bytes) equals readFlac(path)', async () => {
    const a = await readFlac(fix('s16_stereo.flac'));
    const b = await decodeFlac(new Uint8Array(fs.readFileSync(fix('s16_stereo.flac'))));
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });
});

describe('FlacReader', () => {
  it.each([1, 100, 577, 100000])('chunks of %i frames concatenate to readFlac', async (n) => {
    const whole = await readFlac(fix('s24_3ch.flac'));
    const r = await FlacReader.open(fix('s24_3ch.flac'));
    const got: number[][] = [[], [], []];
    let total = 0;
    try {
      expect(r.remaining).toBe(whole.length);
      for await (const x of r.chunks(n)) {
        expect(x.length).toBeLessThanOrEqual(n);
        for (let c = 0; c < 3; c++) got[c].push(...x.data.subarray(c * x.length, (c + 1) * x.length));
        total += x.length;
      }
      expect(r.remaining).toBe(0);
      expect(await r.read(10)).toBeNull();
    } finally {
      r.close();
    }
    expect(total).toBe(whole.length);
    for (let c = 0; c < 3; c++) expect(got[c]).toEqual(Array.from(whole.data.subarray(c * whole.length, (c + 1) * whole.length)));
  });

  it('read after close is a FileError; close twice is fine', async () => {
    const r = await FlacReader.open(fix('s16_stereo.flac'));
    r.close();
    r.close();
    await expect(r.read(10)).rejects.toThrow(FileError);
  });
});

describe('hostile FLAC input', () => {
  const good = new Uint8Array(fs.readFileSync(fix('s16_stereo.flac')));
  const info = readFlacInfo(fix('s16_stereo.flac'));

  it('not FLAC → FormatError naming the signature', async () => {
    await expect(decodeFlac(new TextEncoder().encode('RIFF....WAVEfmt '))).rejects.toThrow(/decodeFlac: a FLAC file must start with 'fLaC'/);
  });

  it('every truncation → FormatError (never a crash or short result)', async () => {
    for (let n = 0; n < good.length; n += 37) {
      await expect(decodeFlac(good.subarray(0, n)), `length ${n}`).rejects.toThrow(FormatError);
    }
  });

  it('a flipped bit in the audio → FormatError (CRC)', async () => {
    for (const at of [info.audioOffset + 20, info.audioOffset + 700, good.length - 3]) {
      const b = good.slice();
      b[at] ^= 0x10;
      await expect(decodeFlac(b), `byte ${at}`).rejects.toThrow(FormatError);
    }
  });

  it('declared size beyond maxBytes → ShapeError before decoding', async () => {
    await expect(decodeFlac(good, { maxBytes: 1000 })).rejects.toThrow(ShapeError);
    const b = good.slice();
    // total samples (36 bits at STREAMINFO bytes 13..17 of the block; block data starts at 8) → 2^35.
    b[8 + 13] = (b[8 + 13] & 0xf0) | 0x08;
    await expect(decodeFlac(b)).rejects.toThrow(/decodeFlac: STREAMINFO's frame count must fit in the \d+ audio bytes/);
  });

  it('a frame count the audio bytes cannot hold → FormatError before allocating', async () => {
    const b = good.slice();
    // 2^24 frames × 2 channels: 256 MB of float64, within the default budget, in a 2.6 kB file.
    b[8 + 13] &= 0xf0;
    b.set([0x01, 0x00, 0x00, 0x00], 8 + 14);
    await expect(decodeFlac(b)).rejects.toThrow(/STREAMINFO's frame count must fit in the \d+ audio bytes \(at most \d+ frames of ≤ 576\); got 16777216/);
  });

  it.each(['s32_mono', 's32_stereo'])('32-bit FLAC (%s: LPC, FIXED, left/side and mid/side with a 33-bit side channel) equals flac -d\u2019s WAV sample for sample, MD5 checked', async (name) => {
    const x = await readFlac(fix(`${name}.flac`));
    const ref = readWav(fix(`${name}.ref.wav`));
    expect([x.channels, x.length, x.sampleRate]).toEqual([ref.channels, ref.length, ref.sampleRate]);
    expect(Array.from(x.data)).toEqual(Array.from(ref.data));
    const r = await FlacReader.open(fix(`${name}.flac`));
    const parts: number[] = [];
    try {
      for await (const c of r.chunks(1000)) parts.push(...c.data.subarray(0, c.length));
    } finally {
      r.close();
    }
    expect(parts).toEqual(Array.from(x.data.subarray(0, x.length)));
  });

  it("samples that differ from STREAMINFO's MD5 → FormatError at the end (unless verifyMd5: false)", async () => {
    const b = good.slice();
    b[8 + 18] ^= 0x01; // first byte of the MD5 signature
    await expect(decodeFlac(b)).rejects.toThrow(/decodeFlac: the decoded samples must match STREAMINFO's MD5/);
    const x = await decodeFlac(b, { verifyMd5: false });
    expect(x.length).toBe(info.frames);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-flac-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.flac'), b);
      const r = await FlacReader.open(path.join(dir, 'a.flac'));
      try {
        await expect((async () => {
          for await (const c of r.chunks(1000)) expect(c.channels).toBe(2);
        })()).rejects.toThrow(/FlacReader.read: the decoded samples must match STREAMINFO's MD5/);
      } finally {
        r.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file is a FileError', async () => {
    await expect(readFlac(path.join(os.tmpdir(), 'no-such-file.flac'))).rejects.toThrow(FileError);
  });
});
