/**
 * Overlap-add on the engine that runs: blocks of 64 … 2^16 points entirely in the float64
 * WebAssembly kernel (src/convolve/kernels.ts) where it loads, the JavaScript block otherwise; both
 * within 1e-12 · Σ|x| · max|h| of the direct sum. The cost model (src/convolve/cost.ts) prices the
 * blocks of whichever engine will run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blockNs } from '../../src/convolve/cost.js';
import { fft64Kernel } from '../../src/fft/fft64-wasm.js';

function withoutKernel<T>(f: () => T): T {
  process.env.POINTWISE_WASM = '0';
  fft64Kernel.reset();
  try {
    return f();
  } finally {
    delete process.env.POINTWISE_WASM;
    fft64Kernel.reset();
  }
}

describe('cost model engine', () => {
  afterEach(() => {
    delete process.env.POINTWISE_WASM;
    fft64Kernel.reset();
  });

  it('prices blocks by the engine that will run: WebAssembly blocks are cheaper, and the fft.js table applies with the kernel off', () => {
    expect(fft64Kernel()).not.toBeNull();
    for (let F = 64; F <= 1 << 20; F *= 2) {
      expect(blockNs(F, true), `F=${F}`).toBeLessThan(blockNs(F, false));
      expect(blockNs(F)).toBe(blockNs(F, true));
    }
    withoutKernel(() => {
      for (let F = 64; F <= 1 << 20; F *= 2) expect(blockNs(F)).toBe(blockNs(F, false));
    });
  });
});
