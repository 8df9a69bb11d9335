/**
 * The cost model behind `method: 'auto'` and the overlap-add block size.
 *
 * The constants come from this project's benchmark machine (2 cores, Node 20): the block tables
 * from timing `overlapAdd` (src/convolve/kernels.ts) per FFT size, kernel length F/2, at least
 * 2^21 input samples, and the direct constant from the direct kernel (docs/PERFORMANCE.md,
 * section convolve cost model, gives the tables and the procedure).
 * bench/convolve.ts prints, for each case of its grid, the time of every method, the method 'auto'
 * chose and whether that choice is within 20 % of the fastest one: re-fit when the kernels change.
 *
 * Model, in nanoseconds, for one channel pair of lengths L (long) and K (short):
 * - direct: `DIRECT_NS_PER_MAC · outputs · K` (outputs = samples actually computed for the mode);
 * - one overlap-add block of FFT size F (forward real FFT, spectral product, inverse, accumulate):
 *   `c(F) · F · log2 F`, with c(F) from the table of the engine that runs here
 *   ({@link WASM_BLOCK_NS_PER_NLOGN} where the float64 WebAssembly kernel loads,
 *   {@link FFTJS_BLOCK_NS_PER_NLOGN} where it does not, e.g. `POINTWISE_WASM=0`);
 * - overlap-add: `ceil(L / (F − K + 1))` blocks, F the power of two that minimises the total;
 * - fft: one block with F = nextPow2(L + K − 1) (plain FFT convolution is overlap-add with one block);
 * - both FFT methods add one kernel transform (half a block) per distinct kernel.
 * @module
 * @internal
 */
import { nextPow2 } from '../fft/plan.js';
import { fft64Kernel } from '../fft/fft64-wasm.js';

/** ns per multiply-add of the direct kernel (`directRange`, kernels of 16 to 1001 taps; docs/PERFORMANCE.md). */
export const DIRECT_NS_PER_MAC = 1.8;

/**
 * ns per F·log2(F) of one overlap-add block of FFT size F, by log2(F) from 2 to 22 (larger sizes
 * take the last entry), where the WebAssembly kernel runs: F = 64 … 2^16 entirely in WebAssembly
 * (src/convolve/kernels.ts, `WasmBlocks`), 2^17 … 2^21 the JavaScript block over the kernel's
 * complex FFT, other sizes fft.js. The constant per-call overhead shows at small F; the step at
 * 2^16 and beyond is the working set leaving the caches.
 */
export const WASM_BLOCK_NS_PER_NLOGN: readonly number[] = [
  10.6, 4.6, 3.4, 2.5, 1.55, 1.3, 1.05, 0.9, 0.81, 0.74, 0.69, 0.66, 0.64, 0.61, 0.61, 0.75, 0.86, 0.97, 1.0, 1.2, 3.5,
];

/** As {@link WASM_BLOCK_NS_PER_NLOGN} where every transform runs on fft.js (the JavaScript block of src/fft/plan.ts). */
export const FFTJS_BLOCK_NS_PER_NLOGN: readonly number[] = [
  10.3, 4.6, 5.3, 3.7, 2.4, 1.85, 1.9, 1.8, 1.75, 1.65, 2.3, 1.55, 1.7, 1.5, 1.8, 1.85, 1.8, 1.85, 2.8, 3.9, 3.5,
];

/** Log2 of the first entry of the block tables. */
const TABLE_LOG2_MIN = 2;

/** ns per F·log2(F) unit of one complex FFT of size F/2, fft.js, by log2(F) (bench/fft.ts; the 2-D model of cost2d.ts is fitted on it). */
const FFT_NS_PER_NLOGN: readonly number[] = [
  2.4, 2.4, 2.4, 2.4, 2.4, 2.4, 2.4, 2.3, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.25, 2.3, 2.4, 2.5, 2.9, 3.4, 4.2, 6.4, 7.5, 8, 8.5, 9, 9.5, 10,
];

/** ns of one fft.js complex FFT of size F/2 (the half-size transform inside a real FFT of size F). */
export function fftNs(F: number): number {
  const h = F / 2;
  const lg = Math.max(1, Math.log2(h));
  const c = FFT_NS_PER_NLOGN[Math.min(Math.round(Math.log2(F)), FFT_NS_PER_NLOGN.length - 1)];
  return c * h * lg;
}

/**
 * ns of one overlap-add block of FFT size F (a power of two ≥ 4) on the given engine (default: the
 * one that runs here, the WebAssembly kernel when it loads).
 */
export function blockNs(F: number, wasm: boolean = fft64Kernel() !== null): number {
  const table = wasm ? WASM_BLOCK_NS_PER_NLOGN : FFTJS_BLOCK_NS_PER_NLOGN;
  const lg = Math.log2(F);
  const i = Math.min(Math.max(0, Math.round(lg) - TABLE_LOG2_MIN), table.length - 1);
  return table[i] * F * lg;
}

/** Smallest FFT size the convolution engine uses. */
export const MIN_FFT = 4;

/**
 * Modelled costs within this factor of the cheapest count as equal: the model is flat near its
 * minimum (neighbouring block sizes differ by less than the timing noise), and the smaller block
 * keeps its working set in cache and needs less memory.
 */
const FLAT = 1.05;

/**
 * The overlap-add FFT size for lengths L (long) and K (short) — the smallest power of two whose
 * modelled time is within 5 % of the least — and that time.
 */
export function bestBlockSize(L: number, K: number): { fftSize: number; ns: number } {
  const fftMax = Math.max(MIN_FFT, nextPow2(L + K - 1));
  const wasm = fft64Kernel() !== null;
  const costs: [F: number, ns: number][] = [];
  for (let F = Math.max(MIN_FFT, nextPow2(K + 1)); F < fftMax; F *= 2) costs.push([F, Math.ceil(L / (F - K + 1)) * blockNs(F, wasm)]);
  costs.push([fftMax, blockNs(fftMax, wasm)]);
  const least = Math.min(...costs.map(([, ns]) => ns));
  const [fftSize, ns] = costs.find(([, ns]) => ns <= FLAT * least)!;
  return { fftSize, ns };
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
