import { describe, expect, it } from 'vitest';
import { CovarianceAccumulator, SEGMENT_PIXELS } from '../../src/spectral/index.js';
import { Multichannel } from '../../src/core/index.js';
import { Rng } from '../helpers/index.js';

/** The accumulator's whole state as bits. */
function state(a: CovarianceAccumulator): unknown {
  return { count: a.count, shift: Array.from(a.shift ?? []), scale: a.scale, sum: Array.from(a.sum), gram: Array.from(a.gram) };
}

/** A one-segment cube `[B, N]` of seeded values around 3 (so centring matters). */
function cube(B: number, N: number, dtype: 'float64' | 'float32', seed: number): Multichannel {
  const rng = new Rng(seed);
  const d = dtype === 'float32' ? new Float32Array(B * N) : new Float64Array(B * N);
  for (let i = 0; i < d.length; i++) d[i] = 3 + rng.uniform(-1, 1) + 0.01 * (i % 7);
  return new Multichannel(d, B, N);
}

/** The valid pixels of `x` only (pixels listed in `bad` removed). */
function without(x: Multichannel, bad: Set<number>): Multichannel {
  const keep = [...Array(x.length).keys()].filter((p) => !bad.has(p));
  const d = x.data instanceof Float32Array ? new Float32Array(x.channels * keep.length) : new Float64Array(x.channels * keep.length);
  for (let b = 0; b < x.channels; b++) keep.forEach((p, i) => (d[b * keep.length + i] = x.data[b * x.length + p]));
  return new Multichannel(d, x.channels, keep.length);
}

describe('covariance segments: the one-pass gather and its masked fallback', () => {
  // One segment (N ≤ SEGMENT_PIXELS), so dropping the invalid pixels beforehand gives the very same
  // blocks of valid pixels: the sums must agree bit for bit, wherever the first invalid pixel falls
  // (first block, a block's first or last pixel, the last short block), for each band count's
  // SIMD padding (B % 4) and both element types.
  const N = 2000;
  expect(N).toBeLessThanOrEqual(SEGMENT_PIXELS);
  const layouts: Array<[string, number[]]> = [
    ['first pixel', [0]],
    ['block 0 last pixel', [255]],
    ['block 1 first pixel', [256]],
    ['middle of block 3, twice', [800, 801, 1500]],
    ['last pixel of the short last block', [N - 1]],
  ];
  for (const dtype of ['float64', 'float32'] as const) {
    for (const B of [1, 5, 8]) {
      for (const [what, pixels] of layouts) {
        for (const kind of ['NaN', 'Infinity', 'ignore value'] as const) {
          it(`${dtype}, ${B} bands, ${kind} at ${what}: same bits as the cube without those pixels`, () => {
            const x = cube(B, N, dtype, 7 + B);
            // the shift comes from the first segment's valid pixels: fix it by a clean first chunk
            const first = cube(B, 300, dtype, 99);
            pixels.forEach((p, i) => (x.data[((i * 3) % B) * N + p] = kind === 'NaN' ? NaN : kind === 'Infinity' ? -Infinity : -9999));
            const opts = kind === 'ignore value' ? { ignoreValue: -9999 } : {};
            const got = new CovarianceAccumulator(B, opts).add(first).add(x);
            const want = new CovarianceAccumulator(B, opts).add(first).add(without(x, new Set(pixels)));
            expect(got.count).toBe(300 + N - pixels.length);
            expect(state(got)).toEqual(state(want));
          });
        }
      }
    }
  }

  it('a cube without invalid pixels matches the textbook mean and covariance (two-pass, plain loops) to 1e-12', () => {
    const B = 6;
    const x = cube(B, 5000, 'float64', 3);
    const { mean, covariance } = new CovarianceAccumulator(B).add(x).finalize();
    const n = x.length;
    for (let i = 0; i < B; i++) {
      let m = 0;
      for (let p = 0; p < n; p++) m += x.data[i * n + p];
      expect(Math.abs(mean[i] - m / n)).toBeLessThan(1e-12);
    }
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < B; j++) {
        let s = 0;
        for (let p = 0; p < n; p++) s += (x.data[i * n + p] - mean[i]) * (x.data[j * n + p] - mean[j]);
        expect(Math.abs(covariance[i * B + j] - s / (n - 1))).toBeLessThan(1e-12);
      }
    }
  });
});
