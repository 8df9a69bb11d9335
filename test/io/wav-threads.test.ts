/**
 * readWav on two threads: a result of 32 MiB or more is decoded half by this thread and half by a
 * worker into shared memory; every format, odd lengths and forced splits must give the very samples
 * of the one-thread read.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Multichannel, FormatError, ValueError } from '../../src/core/index.js';
import { SHARED_ARRAY_MIN_BYTES } from '../../src/core/shared.js';
import { readWav, readWavInfo, readWavShare, writeWav, type WavFormat } from '../../src/io/wav.js';
import { Rng, expectPointwiseError, tempDir } from '../helpers/index.js';

const twoCores = (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length) >= 2;

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) return j;
  return -1;
}

function signal(C: number, N: number, seed: number): Multichannel {
  const rng = new Rng(seed);
  return new Multichannel(Float64Array.from(rng.normals(C * N), (v) => Math.max(-1, Math.min(0.999, v / 4))), C, N, { sampleRate: 48000 });
}

describe('readWav on two threads', () => {
  const dir = tempDir();

  it.runIf(twoCores)('a 32 MiB float32 result is split by default, on shared memory, equal to options.workers = 0', () => {
    const C = 8;
    const N = (SHARED_ARRAY_MIN_BYTES / (4 * C)) + 1001; // just over the threshold as float32
    const file = path.join(dir, 'large.wav');
    writeWav(file, signal(C, N, 3));
    const split = readWav(file, { dtype: 'float32' });
    const one = readWav(file, { dtype: 'float32', workers: 0 });
    expect(split.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(one.data.buffer).toBeInstanceOf(SharedArrayBuffer); // as every array of 32 MiB or more the library allocates
    expect(firstDifference(split.data, one.data)).toBe(-1);
    expect(split.sampleRate).toBe(48000);
  });

  const formats: WavFormat[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];
  for (const format of formats) {
    it(`${format}, 5 channels × 3001 frames, options.workers = 1 splits a small file too, same samples`, () => {
      const file = path.join(dir, `${format}.wav`);
      writeWav(file, signal(5, 3001, 9), { format });
      const one = readWav(file, { workers: 0 });
      const two = readWav(file, { workers: 1 });
      expect(two.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(firstDifference(two.data, one.data)).toBe(-1);
    });
  }

  it('one frame: the worker gets the single frame, this thread none', () => {
    const file = path.join(dir, 'one.wav');
    writeWav(file, signal(3, 1, 2));
    expect(firstDifference(readWav(file, { workers: 1 }).data, readWav(file, { workers: false }).data)).toBe(-1);
  });

  it('bad options.workers is a ValueError naming readWav', () => {
    const file = path.join(dir, 'one.wav');
    for (const w of [2, -1, 0.5, NaN]) expectPointwiseError(() => readWav(file, { workers: w }), ValueError, /readWav.*options\.workers/, String(w));
  });

  it("a worker's share of a file whose header no longer matches is a FormatError", () => {
    const file = path.join(dir, 'pcm16.wav');
    const out = new Float64Array(new SharedArrayBuffer(8 * 5 * 3001));
    const info = { channels: 5, sampleRate: 48000, frames: 3002, format: 'pcm16' as const, dataOffset: 44, dataBytes: 0, validBits: 16, extensible: false, channelMask: 0, streamed: false };
    expectPointwiseError(() => readWavShare({ path: file, dtype: 'float64', info, out, claims: new Int32Array(new SharedArrayBuffer(16)) }), FormatError, /readWav: the file must not change while it is read/);
  });

  it("the worker's side decodes pieces from the last one back and stops at the first piece already taken", () => {
    const file = path.join(dir, 'pcm24.wav');
    const one = readWav(file, { workers: 0 });
    const info = readWavInfo(file);
    const out = new Float64Array(new SharedArrayBuffer(8 * one.data.length)).fill(NaN);
    const claims = new Int32Array(new SharedArrayBuffer(4 * 7));
    claims[2] = 1; // piece 2 taken by the calling thread
    readWavShare({ path: file, dtype: 'float64', info, out, claims });
    expect(Array.from(claims)).toEqual([0, 0, 1, 2, 2, 2, 2]);
    const N = info.frames;
    const from = Math.floor((3 * N) / 7);
    for (let c = 0; c < info.channels; c++) {
      for (let t = 0; t < N; t++) {
        const v = out[c * N + t];
        if (t >= from ? v !== one.data[c * N + t] : !Number.isNaN(v)) throw new Error(`channel ${c}, frame ${t}: ${v}`);
      }
    }
  });
});
