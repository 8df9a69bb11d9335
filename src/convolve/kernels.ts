/**
 * Unchecked 1-D convolution kernels on Float64Arrays (the public wrappers in convolve.ts validate):
 * direct O(N·M) over an output range, and FFT overlap-add (plain FFT convolution is overlap-add
 * with a single block).
 * @module
 * @internal
 */
import { blockKernelSpectrum, realPlan, type RealFft } from '../fft/plan.js';
import { CMAC_SPAN, fft64Kernel, RealFft64, type Fft64Instance } from '../fft/fft64-wasm.js';

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

/**
 * FFT sizes of the WebAssembly overlap-add path ({@link WasmBlocks}); other sizes, and every size
 * where the kernel does not load, take the JavaScript block of src/fft/plan.ts. Above the limit a
 * cached instance would hold ≈ 200 bytes a point.
 */
export const WASM_BLOCK_MIN = 64;
export const WASM_BLOCK_MAX = 1 << 16;

/**
 * Overlap-add blocks of FFT size F entirely in one float64 WebAssembly SIMD instance
 * (src/fft/fft64-wasm.ts): the real FFT plan's tables and work buffers, then a time buffer of F
 * samples, the input spectrum, the kernel spectrum and the product, each a row of `bins` =
 * F/2 + 2 complex numbers (the F/2 + 1 bins of the real FFT, then a zero, so that `cmac` takes
 * whole pairs). Per block: copy the input in, forward FFT, `cmac` with one partition (the
 * spectral product), inverse FFT, add the result into the output.
 */
class WasmBlocks {
  private readonly plan: RealFft64;
  private readonly f64: Float64Array;
  readonly bins: number;
  private readonly time: number;
  private readonly spec: number;
  private readonly kernel: number;
  private readonly prod: number;

  static create(F: number): WasmBlocks | null {
    const k = fft64Kernel();
    const inst = k === null ? null : k.instance(RealFft64.bytes(F) + 8 * F + 3 * 16 * (F / 2 + 2));
    return inst === null ? null : new WasmBlocks(inst, F);
  }

  private constructor(private readonly k: Fft64Instance, readonly F: number) {
    this.bins = F / 2 + 2;
    this.plan = new RealFft64(k, F, 0);
    this.f64 = new Float64Array(k.memory.buffer);
    const row = 16 * this.bins;
    this.time = RealFft64.bytes(F);
    this.spec = this.time + 8 * F;
    this.kernel = this.spec + row;
    this.prod = this.kernel + row;
  }

  /** Half spectrum of `h` zero-padded to F, divided by F (the unnormalised inverse's factor), as a `bins` row. */
  spectrum(h: Float64Array): Float64Array {
    const { f64, F, time, spec, bins } = this;
    f64.fill(0, time / 8, time / 8 + F);
    f64.set(h, time / 8);
    f64.fill(0, spec / 8, spec / 8 + 2 * bins);
    this.plan.forward(time, spec);
    const H = f64.slice(spec / 8, spec / 8 + 2 * bins);
    for (let i = 0; i < H.length; i++) H[i] /= F;
    return H;
  }

  /** `acc[0 .. N+M−1) += x ⊛ h` for a kernel of M samples whose {@link spectrum} is H. */
  overlapAdd(x: Float64Array, M: number, H: Float64Array, acc: Float64Array): void {
    const { k, f64, F, bins, time, spec, kernel, prod } = this;
    const N = x.length, step = F - M + 1, total = N + M - 1, t = time / 8;
    f64.set(H, kernel / 8);
    const full = Math.floor(bins / CMAC_SPAN), rest = 16 * (bins - full * CMAC_SPAN), done = 16 * full * CMAC_SPAN;
    const row = 16 * bins;
    for (let b0 = 0; b0 < N; b0 += step) {
      const len = b0 + step <= N ? step : N - b0;
      const count = Math.min(len + M - 1, total - b0);
      f64.set(x.subarray(b0, b0 + len), t);
      f64.fill(0, t + len, t + F);
      this.plan.forward(time, spec);
      if (full > 0) k.cmac(full, 16 * CMAC_SPAN, 1, 1, 0, spec, row, row, kernel, 0, row, prod, row);
      if (rest > 0) k.cmac(1, rest, 1, 1, 0, spec + done, row, row, kernel + done, 0, row, prod + done, row);
      const y = this.plan.inverse(prod) / 8;
      for (let j = 0; j < count; j++) acc[b0 + j] += f64[y + j];
    }
  }
}

const wasmBlocks = new Map<number, WasmBlocks | null>();

/** The cached {@link WasmBlocks} of FFT size F, or null (size out of range, or no kernel). */
function wasmBlocksFor(F: number): WasmBlocks | null {
  if (!wasmBlocksRun(F)) return null;
  let w = wasmBlocks.get(F);
  if (w === undefined) {
    w = WasmBlocks.create(F);
    wasmBlocks.set(F, w);
  }
  return w;
}

/** Whether overlap-add blocks of FFT size F run in WebAssembly here (the cost model's engine choice). */
export function wasmBlocksRun(F: number): boolean {
  return F >= WASM_BLOCK_MIN && F <= WASM_BLOCK_MAX && fft64Kernel() !== null;
}

/** A kernel prepared for overlap-add at FFT size `fftSize`. */
export interface PreparedKernel {
  readonly length: number;
  readonly fftSize: number;
  /** The WebAssembly engine and its kernel spectrum, or null for the JavaScript block. */
  readonly wasm: WasmBlocks | null;
  readonly plan: RealFft | null;
  readonly spectrum: Float64Array;
}

/** Transforms `h` once for overlap-add blocks of size `fftSize` (a power of two ≥ 4). */
export function prepareKernel(h: Float64Array, fftSize: number): PreparedKernel {
  const wasm = wasmBlocksFor(fftSize);
  if (wasm !== null) return { length: h.length, fftSize, wasm, plan: null, spectrum: wasm.spectrum(h) };
  const plan = realPlan(fftSize);
  return { length: h.length, fftSize, wasm: null, plan, spectrum: blockKernelSpectrum(plan, h) };
}

/**
 * Full convolution `acc[0 .. N+M−1) += x ⊛ h` by overlap-add with blocks of `fftSize − M + 1` input
 * samples. `acc` must have length ≥ N + M − 1 (and is usually zero on entry).
 */
export function overlapAdd(x: Float64Array, k: PreparedKernel, acc: Float64Array): void {
  const N = x.length;
  const M = k.length;
  if (k.wasm !== null) {
    k.wasm.overlapAdd(x, M, k.spectrum, acc);
    return;
  }
  const plan = k.plan!;
  const F = k.fftSize;
  const step = F - M + 1;
  const total = N + M - 1;
  for (let b0 = 0; b0 < N; b0 += step) {
    const len = b0 + step <= N ? step : N - b0;
    const count = Math.min(len + M - 1, total - b0);
    plan.convolveBlock(x, b0, len, k.spectrum, acc, b0, count);
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
