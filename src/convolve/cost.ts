/**
 * The cost model behind `method: 'auto'` and the overlap-add block size.
 *
 * The constants below come from this project's benchmark machine (2 cores, Node 20): the FFT
 * table from timing fft.js transforms per size (bench/fft.ts), the direct and per-block constants
 * from bench/convolve.ts, which prints, for each case of its grid, the time of every method, the
 * method 'auto' chose and whether that choice is within 20 % of the fastest one. Re-fit from that
 * table when the kernels change (the bench says which cases are off; the last recorded check is in
 * docs/PERFORMANCE.md, section convolve cost model).
 *
 * Model, in nanoseconds, for one channel pair of lengths L (long) and K (short):
 * - direct: `DIRECT_NS_PER_MAC · outputs · K` (outputs = samples actually computed for the mode);
 * - one overlap-add block of FFT size F: two complex FFTs of F/2 (`fftNs(F)` each) plus
 *   `BLOCK_NS_PER_SAMPLE · F` for the packing / spectral multiply loop and `BLOCK_NS_FIXED`;
 * - overlap-add: `ceil(L / (F − K + 1))` blocks, F the power of two that minimises the total;
 * - fft: one block with F = nextPow2(L + K − 1) (plain FFT convolution is overlap-add with one block);
 * - both FFT methods add one kernel transform (half a block) per distinct kernel.
 * @module
 * @internal
 */
import { nextPow2 } from '../fft/plan.js';

/** ns per multiply-add of the direct kernel (bench/convolve.ts, direct rows). */
export const DIRECT_NS_PER_MAC = 0.75;
/** ns per F·log2(F) unit of one complex FFT of size F/2, by log2(F) (bench/fft.ts; grows once out of cache). */
const FFT_NS_PER_NLOGN: readonly number[] = [
  2.4, 2.4, 2.4, 2.4, 2.4, 2.4, 2.4, 2.3, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.25, 2.3, 2.4, 2.5, 2.9, 3.4, 4.2, 6.4, 7.5, 8, 8.5, 9, 9.5, 10,
];
/** ns per sample of F for the pack / unpack-multiply-repack / accumulate loops of a block. */
export const BLOCK_NS_PER_SAMPLE = 1.6;
/** fixed ns per block (calls, bounds). */
export const BLOCK_NS_FIXED = 400;

/** ns of one complex FFT of size F/2 (the half-size transform inside a real FFT of size F). */
export function fftNs(F: number): number {
  const h = F / 2;
  const lg = Math.max(1, Math.log2(h));
  const c = FFT_NS_PER_NLOGN[Math.min(Math.round(Math.log2(F)), FFT_NS_PER_NLOGN.length - 1)];
  return c * h * lg;
}

/** ns of one overlap-add block of FFT size F. */
export function blockNs(F: number): number {
  return 2 * fftNs(F) + BLOCK_NS_PER_SAMPLE * F + BLOCK_NS_FIXED;
}

/** Smallest FFT size the convolution engine uses. */
export const MIN_FFT = 4;

/** The overlap-add FFT size that minimises the modelled time for lengths L (long) and K (short), and that time. */
export function bestBlockSize(L: number, K: number): { fftSize: number; ns: number } {
  const fftMax = Math.max(MIN_FFT, nextPow2(L + K - 1));
  let best = fftMax;
  let bestNs = blockNs(fftMax);
  for (let F = Math.max(MIN_FFT, nextPow2(K + 1)); F < fftMax; F *= 2) {
    const blocks = Math.ceil(L / (F - K + 1));
    const ns = blocks * blockNs(F);
    if (ns < bestNs) {
      bestNs = ns;
      best = F;
    }
  }
  return { fftSize: best, ns: bestNs };
}

/** Concrete method the engine runs. */
export type ConcreteMethod = 'direct' | 'fft' | 'overlap-add';

/** Modelled ns of every method for C channel pairs; `kernels` distinct kernel transforms. */
export function modelNs(L: number, K: number, outputs: number, C: number, kernels: number): Record<ConcreteMethod, number> {
  const F = Math.max(MIN_FFT, nextPow2(L + K - 1));
  const oa = bestBlockSize(L, K);
  return {
    direct: C * DIRECT_NS_PER_MAC * outputs * K,
    fft: C * blockNs(F) + kernels * 0.5 * blockNs(F),
    'overlap-add': C * oa.ns + kernels * 0.5 * blockNs(oa.fftSize),
  };
}

/** The method with the least modelled time. */
export function chooseMethod(L: number, K: number, outputs: number, C: number, kernels: number): ConcreteMethod {
  const m = modelNs(L, K, outputs, C, kernels);
  let best: ConcreteMethod = 'direct';
  for (const k of ['fft', 'overlap-add'] as const) if (m[k] < m[best]) best = k;
  return best;
}
