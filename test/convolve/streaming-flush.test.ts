/**
 * StreamingConvolver.flush: the tail after the last push, whether it ends on a block boundary (every
 * flushed block written in place) or inside a block (the last one cut short), for both precisions.
 */
import { describe, expect, it } from 'vitest';
import { StreamingConvolver, convolve } from '../../src/convolve/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { concatInTime, Rng } from '../helpers/index.js';

describe('StreamingConvolver.flush', () => {
  // [C, N, M, B]: remaining = N + M − 1 − B·floor(N/B)
  it.each([
    [2, 16, 17, 16], // remaining 16: one whole block
    [3, 40, 57, 16], // remaining 40 + 56 − 32 = 64: four whole blocks
    [2, 40, 50, 16], // remaining 57: three whole blocks and 9 samples
    [1, 5, 3, 16], // remaining 7: one short block, nothing produced before
    [4, 100, 1, 32], // M = 1: remaining 4
  ])('C=%i N=%i M=%i B=%i: push + flush = one-shot convolve (seed 23)', (C, N, M, B) => {
    const rng = new Rng(23);
    const x = new Multichannel(rng.normals(C * N), C, N);
    const h = new Multichannel(rng.normals(M), 1, M);
    const reference = convolve(x, h);
    for (const precision of ['float64', 'float32'] as const) {
      const sc = new StreamingConvolver(h, { channels: C, blockSize: B, precision });
      const input = precision === 'float32' ? x.astype('float32') : x;
      const first = sc.push(input);
      const tail = sc.flush();
      expect(first.length).toBe(B * Math.floor(N / B));
      expect(tail.length).toBe(N + M - 1 - first.length);
      const got = concatInTime([first, tail]);
      const tol = precision === 'float32' ? 1e-5 : 1e-12;
      let scale = 0;
      for (const v of reference.data) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < reference.data.length; i++) expect(Math.abs(got.data[i] - reference.data[i]), `${precision} index ${i}`).toBeLessThanOrEqual(tol * scale);
    }
  });
});
