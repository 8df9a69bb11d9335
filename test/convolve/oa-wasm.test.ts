/**
 * Overlap-add blocks in the float64 WebAssembly kernel (src/convolve/kernels.ts, WasmBlocks) against
 * the direct sum, over block sizes from the smallest to the largest the kernel takes, kernels
 * longer than the signal, and sizes interleaved so the per-size cached instances are reused.
 */
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { Rng } from '../../src/core/random.js';
import { convolve } from '../../src/convolve/convolve.js';
import { WASM_BLOCK_MAX, WASM_BLOCK_MIN, wasmBlocksRun } from '../../src/convolve/kernels.js';

/** max |a − b| / max |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0, s = 0;
  for (let i = 0; i < b.length; i++) {
    e = Math.max(e, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return e / s;
}

describe('overlap-add in the WebAssembly kernel', () => {
  const rng = new Rng(5);
  const cases: [number, number][] = [[3000, 700], [20000, 4096], [1000, 16], [100000, 101], [5000, 5000], [777, 1500], [64, 63], [65536, 1001], [12345, 33], [200, 190]];
  it("the block sizes it takes are the kernel's (64 … 2^16 points)", () => {
    expect(wasmBlocksRun(WASM_BLOCK_MIN)).toBe(true);
    expect(wasmBlocksRun(WASM_BLOCK_MAX)).toBe(true);
    expect(wasmBlocksRun(WASM_BLOCK_MIN / 2)).toBe(false);
    expect(wasmBlocksRun(WASM_BLOCK_MAX * 2)).toBe(false);
  });
  it.each([1, 2, 3])('equals the direct sum to 1e-13 of its peak (round %i, sizes interleaved)', () => {
    for (const [N, M] of cases) {
      const x = new Multichannel(Float64Array.from({ length: N }, () => rng.normal()), 1, N);
      const h = new Multichannel(Float64Array.from({ length: M }, () => rng.normal()), 1, M);
      const oa = convolve(x, h, { method: 'overlap-add' });
      const direct = convolve(x, h, { method: 'direct' });
      expect(oa.length).toBe(N + M - 1);
      expect(relativeError(oa.data, direct.data)).toBeLessThan(1e-13);
    }
  });
});
