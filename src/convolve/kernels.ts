/**
 * Unchecked 1-D convolution kernels on Float64Arrays (the public wrappers in convolve.ts validate):
 * direct O(N·M) over an output range, and FFT overlap-add (plain FFT convolution is overlap-add
 * with a single block).
 * @module
 * @internal
 */
import { blockKernelSpectrum, realPlan, type RealFft } from '../fft/plan.js';

/**
 * `out[outOffset + i] = Σ_k h[k] · x[start + i − k]` for `i < len`: samples `[start, start+len)` of
 * the full convolution of `x` (length N) and `h` (length M).
 */
export function directRange(x: Float64Array, h: Float64Array, start: number, len: number, out: Float64Array, outOffset: number): void {
  const N = x.length;
  const M = h.length;
  for (let i = 0; i < len; i++) {
    const n = start + i;
    const k0 = n - N + 1 > 0 ? n - N + 1 : 0;
    const k1 = n < M - 1 ? n : M - 1;
    let s = 0;
    for (let k = k0; k <= k1; k++) s += h[k] * x[n - k];
    out[outOffset + i] = s;
  }
}

/** A kernel prepared for overlap-add at FFT size `fftSize`. */
export interface PreparedKernel {
  readonly length: number;
  readonly fftSize: number;
  readonly plan: RealFft;
  readonly spectrum: Float64Array;
}

/** Transforms `h` once for overlap-add blocks of size `fftSize` (a power of two ≥ 4). */
export function prepareKernel(h: Float64Array, fftSize: number): PreparedKernel {
  const plan = realPlan(fftSize);
  return { length: h.length, fftSize, plan, spectrum: blockKernelSpectrum(plan, h) };
}

/**
 * Full convolution `acc[0 .. N+M−1) += x ⊛ h` by overlap-add with blocks of `fftSize − M + 1` input
 * samples. `acc` must have length ≥ N + M − 1 (and is usually zero on entry).
 */
export function overlapAdd(x: Float64Array, k: PreparedKernel, acc: Float64Array): void {
  const N = x.length;
  const M = k.length;
  const F = k.fftSize;
  const step = F - M + 1;
  const total = N + M - 1;
  for (let b0 = 0; b0 < N; b0 += step) {
    const len = b0 + step <= N ? step : N - b0;
    const count = Math.min(len + M - 1, total - b0);
    k.plan.convolveBlock(x, b0, len, k.spectrum, acc, b0, count);
  }
}
