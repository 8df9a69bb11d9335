/**
 * StreamingConvolver's float64 engine in WebAssembly (src/fft/fft64-wasm.ts) against its fft.js
 * fallback and the direct sum: both within the documented 1e-12 · Σ|x| · max|h|, and within
 * rounding of each other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StreamingConvolver, convolve } from '../../src/convolve/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { fft64Kernel } from '../../src/fft/fft64-wasm.js';
import { Rng, concatInTime, maxAbs, sumAbs } from '../helpers/index.js';

function stream(sc: StreamingConvolver, x: Multichannel, chunk: number): Multichannel {
  const parts: Multichannel[] = [];
  for (let t = 0; t < x.length; t += chunk) parts.push(sc.push(x.slice(t, Math.min(x.length, t + chunk))));
  parts.push(sc.flush());
  return concatInTime(parts);
}

/** A convolver built with the WebAssembly kernel on or off (POINTWISE_WASM=0 makes fft64Kernel() null). */
function convolver(h: Multichannel, C: number, B: number | undefined, wasm: boolean): StreamingConvolver {
  if (!wasm) process.env.POINTWISE_WASM = '0';
  fft64Kernel.reset();
  try {
    return new StreamingConvolver(h, { channels: C, blockSize: B });
  } finally {
    delete process.env.POINTWISE_WASM;
    fft64Kernel.reset();
  }
}

describe('StreamingConvolver float64: WebAssembly engine and fft.js fallback', () => {
  afterEach(() => {
    delete process.env.POINTWISE_WASM;
    fft64Kernel.reset();
  });

  it.each([
    // C, N, M, B, per-channel kernels, chunk
    [1, 700, 33, 16, false, 37],
    [3, 5000, 1000, 64, true, 1000],
    [2, 9000, 4100, 128, false, 333],
    [4, 6000, 2500, 512, true, 2048],
    [8, 3000, 300, undefined, true, 480],
  ])('C=%i N=%i M=%i B=%s per-channel=%s chunk=%i: both equal the direct sum to 1e-12 · Σ|x| · max|h| and each other to 1e-13 · Σ|x| · max|h| (seed 19)', (C, N, M, B, perChannel, chunk) => {
    const rng = new Rng(19);
    const x = new Multichannel(rng.normals(C * N), C, N);
    const h = new Multichannel(rng.normals((perChannel ? C : 1) * M), perChannel ? C : 1, M);
    const want = convolve(x, h, { method: 'direct' });
    const wasm = stream(convolver(h, C, B, true), x, chunk);
    const js = stream(convolver(h, C, B, false), x, chunk);
    expect(fft64Kernel()).not.toBeNull();
    for (let c = 0; c < C; c++) {
      const scale = sumAbs(x.channel(c)) * maxAbs(h.channel(perChannel ? c : 0));
      let dw = 0, dj = 0, dd = 0;
      for (let i = 0; i < want.length; i++) {
        dw = Math.max(dw, Math.abs(wasm.channel(c)[i] - want.channel(c)[i]));
        dj = Math.max(dj, Math.abs(js.channel(c)[i] - want.channel(c)[i]));
        dd = Math.max(dd, Math.abs(wasm.channel(c)[i] - js.channel(c)[i]));
      }
      expect(dw, `channel ${c}, WebAssembly`).toBeLessThanOrEqual(1e-12 * scale);
      expect(dj, `channel ${c}, fft.js`).toBeLessThanOrEqual(1e-12 * scale);
      expect(dd, `channel ${c}, WebAssembly vs fft.js`).toBeLessThanOrEqual(1e-13 * scale);
    }
  });

  it('float32 chunks give float32 output from the float64 WebAssembly engine, equal to the float64 stream rounded', () => {
    const rng = new Rng(23);
    const x = new Multichannel(rng.normals(2 * 3000), 2, 3000);
    const h = new Multichannel(rng.normals(700), 1, 700);
    const a = stream(convolver(h, 2, 64, true), x.astype('float32').astype('float64'), 500);
    const sc = convolver(h, 2, 64, true);
    const parts: Multichannel[] = [];
    const x32 = x.astype('float32');
    for (let t = 0; t < 3000; t += 500) parts.push(sc.push(x32.slice(t, t + 500)));
    parts.push(sc.flush());
    expect(parts.every((p) => p.data instanceof Float32Array)).toBe(true);
    let o = 0;
    for (const p of parts) {
      for (let c = 0; c < 2; c++) for (let i = 0; i < p.length; i++) expect(p.channel(c)[i]).toBe(Math.fround(a.channel(c)[o + i]));
      o += p.length;
    }
  });
});

describe('defaultBlockSize', () => {
  afterEach(() => {
    delete process.env.POINTWISE_WASM;
    fft64Kernel.reset();
  });

  it('is a power of two in [16, 65536], no larger than the kernel needs (nextPow2(M)), for each engine and kernel sharing', async () => {
    const { defaultBlockSize } = await import('../../src/convolve/streaming.js');
    for (const [precision, shared] of [['float64', true], ['float64', false], ['float32', true]] as const) {
      for (const M of [1, 10, 100, 1000, 4096, 12000, 48000, 96000, 1e6]) {
        const B = defaultBlockSize(M, precision, shared);
        expect(B & (B - 1), `M=${M}`).toBe(0);
        expect(B).toBeGreaterThanOrEqual(16);
        expect(B).toBeLessThanOrEqual(Math.min(65536, Math.max(16, 2 ** Math.ceil(Math.log2(M)))));
      }
    }
  });

  it('float64 follows the engine that will run: kernels that each channel owns cost more per partition, so take larger blocks; the fft.js model applies when the kernel is off', async () => {
    const { defaultBlockSize } = await import('../../src/convolve/streaming.js');
    expect(fft64Kernel()).not.toBeNull();
    expect(defaultBlockSize(12000, 'float64', false)).toBeGreaterThan(defaultBlockSize(12000, 'float64', true));
    const wasm = defaultBlockSize(48000, 'float64');
    process.env.POINTWISE_WASM = '0';
    fft64Kernel.reset();
    const js = defaultBlockSize(48000, 'float64');
    expect(js).not.toBe(wasm);
    expect(new StreamingConvolver(new Multichannel(new Float64Array(48000).fill(1e-3), 1, 48000), { channels: 2 }).blockSize).toBe(js);
  });
});
