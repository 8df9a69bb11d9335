/**
 * Results of several megabytes, decoded over many 256 KiB blocks and 512 KiB file reads: every
 * sample must be exact, call after call (a guard for any large-result memory strategy).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav, readWav } from '../../src/io/wav.js';
import { Rng, tempDir } from '../helpers/index.js';
import { fmtBody, riff } from './wav-helpers.js';

/** First (c, t) where `data` differs from frames[t·C + c] / 32768, or null. */
function firstMismatch(data: Float64Array | Float32Array, v: Int16Array, C: number, N: number): string | null {
  for (let c = 0; c < C; c++) {
    for (let t = 0; t < N; t++) if (data[c * N + t] !== v[t * C + c] / 32768) return `channel ${c}, frame ${t}: ${data[c * N + t]} ≠ ${v[t * C + c] / 32768}`;
  }
  return null;
}

describe('readWav / decodeWav, results above 4 MiB', () => {
  // 12 channels: 50 000 frames are 4.8 MB as float64; float32 needs twice the frames.
  const C = 12;
  for (const [dtype, N] of [['float64', 50_000], ['float32', 100_000]] as const) {
    it(`${C} ch × ${N} pcm16 → ${dtype}: every sample is k / 32768, from disk and from memory`, () => {
      expect(C * N * (dtype === 'float64' ? 8 : 4)).toBeGreaterThan(4 << 20);
      const rng = new Rng(7);
      const v = new Int16Array(C * N);
      for (let i = 0; i < v.length; i++) v[i] = Math.floor(rng.uniform(-32768, 32768));
      v[0] = -32768;
      v[v.length - 1] = 32767;
      const bytes = riff([{ id: 'fmt ', body: fmtBody({ tag: 1, channels: C, rate: 48000, blockAlign: 2 * C, bits: 16 }) }, { id: 'data', body: new Uint8Array(v.buffer) }]);
      const file = path.join(tempDir(), 'large.wav');
      fs.writeFileSync(file, bytes);
      for (let rep = 0; rep < 3; rep++) {
        const a = readWav(file, { dtype });
        const b = decodeWav(bytes, { dtype });
        for (const x of [a, b]) {
          expect([x.channels, x.length, x.dtype]).toEqual([C, N, dtype]);
          expect(firstMismatch(x.data, v, C, N)).toBeNull();
        }
      }
    });
  }
});
