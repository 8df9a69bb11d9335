import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav, readWav, WavReader } from '../../src/io/wav.js';
import { Rng, tempDir } from '../helpers/index.js';
import { fmtBody, riff } from './wav-helpers.js';

/** Interleaved 16-bit samples `frames × C`, the full integer range included. */
function int16Frames(C: number, N: number, seed: number): Int16Array {
  const rng = new Rng(seed);
  const v = new Int16Array(C * N);
  for (let i = 0; i < v.length; i++) v[i] = Math.floor(rng.uniform(-32768, 32768));
  v[0] = -32768;
  if (v.length > 1) v[1] = 32767;
  return v;
}

/** The plain oracle: sample t of channel c is frames[t·C + c] / 32768. */
function expectDecoded(data: Float64Array | Float32Array, v: Int16Array, C: number, N: number): void {
  for (let c = 0; c < C; c++) {
    for (let t = 0; t < N; t++) {
      const want = v[t * C + c] / 32768;
      if (data[c * N + t] !== want) expect({ c, t, got: data[c * N + t] }).toEqual({ c, t, got: want });
    }
  }
}

function wavBytes(v: Int16Array, C: number): Uint8Array {
  return riff([{ id: 'fmt ', body: fmtBody({ tag: 1, channels: C, rate: 48000, blockAlign: 2 * C, bits: 16 }) }, { id: 'data', body: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) }]);
}

describe('pcm16 decode: every channel count around the eight-channel passes, exact against the oracle', () => {
  for (const C of [1, 3, 7, 8, 9, 15, 16, 17, 32, 33]) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${C} ch → ${dtype}: decodeWav, readWav and WavReader pieces equal k / 32768 (seed ${C})`, () => {
        // 9000 frames span several 256 KiB decode blocks and 512 KiB file reads at 32 channels
        const N = 9000;
        const v = int16Frames(C, N, C);
        const bytes = wavBytes(v, C);
        const x = decodeWav(bytes, { dtype });
        expect(x.data).toBeInstanceOf(dtype === 'float64' ? Float64Array : Float32Array);
        expectDecoded(x.data, v, C, N);
        const file = path.join(tempDir(), `c${C}-${dtype}.wav`);
        fs.writeFileSync(file, bytes);
        expectDecoded(readWav(file, { dtype }).data, v, C, N);
        const r = WavReader.open(file, { dtype });
        try {
          const first = r.read(4097)!;
          const rest = r.read(N)!;
          for (let c = 0; c < C; c++) {
            expect(Array.from(first.channel(c))).toEqual(Array.from(x.channel(c).subarray(0, 4097)));
            expect(Array.from(rest.channel(c))).toEqual(Array.from(x.channel(c).subarray(4097)));
          }
        } finally {
          r.close();
        }
      });
    }
  }
});
