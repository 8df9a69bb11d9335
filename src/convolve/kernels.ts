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

/** A planned multichannel job: what {@link computeChannels} needs (all plain data, so it can cross to a worker). */
export interface ChannelJob {
  /** Signal, channel-major float64, C × N. */
  x: Float64Array;
  N: number;
  /** Kernels (already reversed for correlation), K × M with K = 1 (broadcast) or C. */
  h: Float64Array;
  M: number;
  K: number;
  method: 'direct' | 'fft' | 'overlap-add';
  fftSize: number;
  /** First full-convolution sample kept, and how many per channel. */
  start: number;
  outLen: number;
  /** Output, C × outLen float64. */
  out: Float64Array;
}

/**
 * Channels `[c0, c1)` of a multichannel convolution: `out[c] = (x[c] ⊛ h[c or 0])[start .. start+outLen)`.
 * The single-thread path and the worker threads both run exactly this, so results are identical.
 */
export function computeChannels(job: ChannelJob, c0: number, c1: number): void {
  const { x, N, h, M, K, method, fftSize, start, outLen, out } = job;
  const total = N + M - 1;
  const swapped = M > N;
  const shared = method !== 'direct' && K === 1 && !swapped ? prepareKernel(h.subarray(0, M), fftSize) : null;
  const scratch = method === 'direct' || (start === 0 && outLen === total) ? null : new Float64Array(total);
  for (let c = c0; c < c1; c++) {
    const xc = x.subarray(c * N, (c + 1) * N);
    const hc = K === 1 ? h.subarray(0, M) : h.subarray(c * M, (c + 1) * M);
    if (method === 'direct') {
      directRange(xc, hc, start, outLen, out, c * outLen);
      continue;
    }
    const acc = scratch ?? out.subarray(c * outLen, (c + 1) * outLen);
    acc.fill(0);
    if (swapped) overlapAdd(hc, prepareKernel(xc, fftSize), acc);
    else overlapAdd(xc, shared ?? prepareKernel(hc, fftSize), acc);
    if (scratch) out.set(scratch.subarray(start, start + outLen), c * outLen);
  }
}
