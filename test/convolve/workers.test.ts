import { afterAll, describe, expect, it } from 'vitest';
import { convolve, correlate } from '../../src/convolve/index.js';
import { terminateWorkers } from '../../src/convolve/pool.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ValueError } from '../../src/core/errors.js';
import { Rng } from '../helpers/index.js';

describe('workers', () => {
  afterAll(async () => {
    await terminateWorkers();
  });
  it('multichannel results are bit-for-bit identical with and without worker threads (seed 61)', () => {
    const rng = new Rng(61);
    const C = 5, N = 6000;
    const x = new Multichannel(rng.normals(C * N), C, N, { sampleRate: 1000, labels: ['a', 'b', 'c', 'd', 'e'] });
    for (const [M, K] of [[101, 1], [700, C], [9000, 1], [16, C]] as const) {
      const h = new Multichannel(rng.normals(K * M), K, M);
      for (const method of ['direct', 'fft', 'overlap-add', 'auto'] as const) {
        if (method === 'direct' && M > 5000) continue;
        for (const mode of ['full', 'same'] as const) {
          const a = convolve(x, h, { method, mode });
          const b = convolve(x, h, { method, mode, workers: 1 });
          const c = convolve(x, h, { method, mode, workers: 3 });
          expect(b.labels).toEqual(x.labels);
          expect(b.sampleRate).toBe(1000);
          expect(Buffer.from(b.data.buffer).equals(Buffer.from(a.data.buffer)), `M=${M} K=${K} ${method} ${mode}`).toBe(true);
          expect(Buffer.from(c.data.buffer).equals(Buffer.from(a.data.buffer))).toBe(true);
        }
      }
      const r1 = correlate(x, h, { mode: 'valid' }), r2 = correlate(x, h, { mode: 'valid', workers: 1 });
      expect(Array.from(r2.data)).toEqual(Array.from(r1.data));
    }
    const x32 = x.astype('float32');
    const f = convolve(x32, [1, 2, 3], { workers: 1 });
    expect(f.dtype).toBe('float32');
    expect(Array.from(f.data)).toEqual(Array.from(convolve(x32, [1, 2, 3]).data));
  });
  it('rejects a bad workers option', () => {
    expect(() => convolve([1], [1], { workers: -1 })).toThrow(ValueError);
    expect(() => convolve([1], [1], { workers: 1.5 })).toThrow(/^convolve: options.workers must be an integer; got 1.5/);
  });
});
