import { describe, expect, it } from 'vitest';
import { StreamingConvolver, convolve } from '../../src/convolve/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { pffft } from '../../src/fft/pffft.js';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { concatInTime, expectPointwiseError, Rng, maxAbs, sumAbs } from '../helpers/index.js';

function streamAll(sc: StreamingConvolver, x: Multichannel, rng: Rng, maxChunk: number): Multichannel {
  const parts: Multichannel[] = [];
  let t = 0;
  while (t < x.length) {
    const r = rng.next();
    const size = r < 0.1 ? 0 : r < 0.2 ? 1 : rng.int(2, maxChunk);
    const end = Math.min(x.length, t + size);
    parts.push(sc.push(x.slice(t, end)));
    t = end;
  }
  parts.push(sc.flush());
  return concatInTime(parts);
}

describe('StreamingConvolver equals one-shot full convolution', () => {
  const configs: [number, number, number, number | undefined, boolean][] = [
    // C, N, M, blockSize, per-channel kernels
    [1, 1, 1, 16, false],
    [1, 100, 1, undefined, false],
    [1, 1000, 37, 16, false],
    [2, 5000, 300, 64, true],
    [3, 4000, 1000, undefined, false],
    [2, 3000, 5000, 256, true],
    [1, 20000, 4096, undefined, false],
    [8, 2000, 48, 32, true],
  ];
  // float64: within 1e-12 · Σ|x| · max|h| of the direct sum; float32 (PFFFT): within 1e-5 of the
  // output's peak, the float32 bound, checked per channel.
  for (const precision of ['float64', 'float32'] as const)
  for (const [C, N, M, B, perChannel] of configs) {
    it(`${precision} C=${C} N=${N} M=${M} B=${B ?? 'auto'} ${perChannel ? 'per-channel' : 'broadcast'} (seed 41)`, () => {
      const rng = new Rng(41);
      const x = new Multichannel(rng.normals(C * N), C, N, { sampleRate: 48000 });
      const h = new Multichannel(rng.normals((perChannel ? C : 1) * M), perChannel ? C : 1, M);
      const sc = new StreamingConvolver(h, { channels: C, blockSize: B, precision });
      expect(sc.precision).toBe(precision === 'float32' && pffft() === null ? 'float64' : precision); // float32 falls back where PFFFT is off (POINTWISE_WASM=0)
      const want = convolve(x, h, { method: 'direct' });
      for (let round = 0; round < 2; round++) {
        // twice: flush resets, so the convolver takes a second stream
        const got = streamAll(sc, x, rng, 3 * sc.blockSize);
        expect(got.length).toBe(N + M - 1);
        for (let c = 0; c < C; c++) {
          const hc = h.channel(perChannel ? c : 0);
          const bound = precision === 'float64' ? 1e-12 * sumAbs(x.channel(c)) * maxAbs(hc) : 1e-5 * maxAbs(want.channel(c));
          let worst = 0;
          for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got.channel(c)[i] - want.channel(c)[i]));
          expect(worst, `channel ${c} round ${round}`).toBeLessThanOrEqual(bound);
        }
      }
    });
  }
  it('keeps sampleRate and float32', () => {
    const sc = new StreamingConvolver([1, 0.5], { blockSize: 16 });
    const a = sc.push(new Multichannel(new Float32Array(40).fill(1), 1, 40, { sampleRate: 8000 }));
    expect(a.dtype).toBe('float32');
    expect(a.sampleRate).toBe(8000);
    expect(a.length).toBe(32);
    const b = sc.flush();
    expect(b.length).toBe(9);
    expect(b.dtype).toBe('float32');
    expect(Array.from(b.data)).toEqual([1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 0.5]);
  });
  it('float32 engine: float32 chunks in, float32 out, and a delta kernel passes the input through', () => {
    const sc = new StreamingConvolver([0, 1], { precision: 'float32', blockSize: 16 });
    const x = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i));
    const a = sc.push(new Multichannel(x, 1, 50, { sampleRate: 8000 }));
    const b = sc.flush();
    expect([a.dtype, b.dtype, a.sampleRate, a.length + b.length]).toEqual(['float32', 'float32', 8000, 51]);
    const y = [...a.data, ...b.data];
    expect(Math.abs(y[0])).toBeLessThan(1e-6);
    for (let i = 0; i < 50; i++) expect(Math.abs(y[i + 1] - x[i])).toBeLessThan(1e-6);
  });
  for (const precision of ['float64', 'float32'] as const) {
    it(`workers: 1 and 2 give output identical to the single-thread convolver (${precision}, per-channel kernels, seed 43)`, () => {
      const rng = new Rng(43);
      const C = 5, N = 3000, M = 700;
      const x = new Multichannel(rng.normals(C * N), C, N, { sampleRate: 16000 });
      const h = new Multichannel(rng.normals(C * M), C, M);
      const chunks = [0, 1, 333, 1000, 17, 1649].reduce<[number, number][]>((acc, len) => {
        const start = acc.length ? acc[acc.length - 1][1] : 0;
        return [...acc, [start, start + len]];
      }, []);
      const run = (sc: StreamingConvolver) => [...chunks.map(([a, b]) => sc.push(x.slice(a, b))), sc.flush()];
      const want = run(new StreamingConvolver(h, { blockSize: 256, precision }));
      for (const workers of [1, 2]) {
        const sc = new StreamingConvolver(h, { blockSize: 256, precision, workers });
        for (let round = 0; round < 2; round++) {
          const got = run(sc);
          expect(got.map((p) => p.length)).toEqual(want.map((p) => p.length));
          got.forEach((p, i) => expect(Array.from(p.data), `workers ${workers}, part ${i}`).toEqual(Array.from(want[i].data)));
        }
        sc.reset();
        sc.close();
        expectPointwiseError(() => sc.push(x.slice(0, 10)), ValueError, /^StreamingConvolver: the convolver was closed; its worker threads are stopped/);
      }
    });
  }
  it('flush of an empty stream is empty', () => {
    const sc = new StreamingConvolver([1, 2, 3]);
    expect(sc.flush().length).toBe(0);
  });
  it('memory is bounded by kernel and block size', () => {
    const sc = new StreamingConvolver(new Float64Array(48000).fill(0.001), { channels: 8 });
    const B = sc.blockSize;
    const P = Math.ceil(48000 / B);
    // spectra + delay lines + time buffers, in doubles
    const doubles = P * 2 * (B + 1) * (1 + 8) + 8 * 2 * B;
    expect(doubles * 8).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('StreamingConvolver bad input', () => {
  const cases: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['empty h', () => new StreamingConvolver([]), ShapeError, /^StreamingConvolver: h must not be empty/],
    ['channels', () => new StreamingConvolver(new Multichannel(new Float64Array(4), 2, 2), { channels: 3 }), ShapeError, /^StreamingConvolver: h must have 1 channel \(broadcast\) or options.channels = 3; got 2/],
    ['blockSize', () => new StreamingConvolver([1], { blockSize: 100 }), ValueError, /^StreamingConvolver: options.blockSize must be a power of two; got 100/],
    ['blockSize 2.5', () => new StreamingConvolver([1], { blockSize: 2.5 }), ValueError, /^StreamingConvolver: options.blockSize must be an integer; got 2.5/],
    ['workers', () => new StreamingConvolver([1], { workers: -1 }), ValueError, /^StreamingConvolver: options.workers must be an integer in \[0, 64\]; got -1/],
    ['precision', () => new StreamingConvolver([1], { precision: 'float16' as 'float32' }), ValueError, /^StreamingConvolver: options.precision must be one of 'float64', 'float32'; got "float16"/],
    ['NaN h', () => new StreamingConvolver([1, NaN]), ValueError, /^StreamingConvolver: h must hold only finite values; got NaN at index 1/],
    ['chunk channels', () => new StreamingConvolver([1], { channels: 2 }).push([1, 2]), ShapeError, /^StreamingConvolver.push: chunk must have 2 channels; got 1/],
    ['chunk NaN', () => new StreamingConvolver([1]).push([0, NaN]), ValueError, /^StreamingConvolver.push: chunk must hold only finite values; got NaN at channel 0, sample 1/],
  ];
  for (const [label, f, cls, re] of cases) {
    it(label, () => {
      expectPointwiseError(f, cls, re, label);
    });
  }
});
