/**
 * The hot kernel of the 1×1 mix: `out[rows × T] = W[rows × cols] · X[cols × T] (+ b)`, all row-major
 * (= channel-major `Multichannel` storage). Unchecked: callers validate.
 *
 * Two kernels, one contract:
 * - **WebAssembly SIMD** (gemm-wasm.ts: 4-row × 4-sample register tiles, two float64 lanes per
 *   instruction; X copied block by block into the module's memory), used wherever it loads except
 *   for short products and the memory-bound shapes below. It is several times faster on
 *   compute-bound shapes (64→64, float32); on memory-bound float64 shapes the copy into WebAssembly
 *   memory costs more than the SIMD arithmetic saves (docs/PERFORMANCE.md, section gemm).
 * - **Plain JavaScript** ({@link gemmScalar}) for those short products (T < 128 with fewer than 1024
 *   weights), for float64 products of 8 inputs to 1, 4, 5 or 8 outputs (it reads X in place, and
 *   adds in the WebAssembly tiles' order there: `readsInPlace`), where WebAssembly SIMD is
 *   unavailable (`node --jitless`, a failed self-test, or `POINTWISE_WASM=0`), and for weight
 *   matrices too big for WebAssembly memory (≳ 4 GiB).
 *
 * Both sum in float64 and agree with the naive triple loop to ~1e-15 relative (they differ from each
 * other only in the order of the additions).
 *
 * How the JavaScript kernel is fast:
 * - **cache blocking over T**: the time axis is cut into blocks of `tb` samples so that one block
 *   of X (`cols × tb`) and of the output stay in L2 while every output row re-reads it;
 * - **register tiling**: the inner loops update 4 output rows from 8 input rows at once (32 weights
 *   in locals or stack slots; 8 X loads + 4 loads and 4 stores of Y per 32 multiply-adds, which
 *   beats a 4×4 tile: docs/PERFORMANCE.md, section gemm), then 4×4, 3-row, 2-row and 1-row tiles
 *   and a 1-input tail;
 * - **one monomorphic element type**: the loops only ever see Float64Array. Float32 data is
 *   converted block by block into float64 scratch (native `TypedArray.set`), mixed there with float64
 *   accumulation, and written back, so float32 results are float64 sums rounded once.
 *
 * **Two threads for large compute-bound products** ({@link gemmOnThreads}, on by default through
 * {@link defaultWorkers}): the samples are cut in two contiguous shares; the calling thread computes
 * the first in place while a persistent worker computes the second from a copy on shared memory,
 * whose results are then copied back. Each share is cut into pieces that the threads claim, the
 * worker from the end of its share, the calling thread from the front of both, so a worker that
 * gets little CPU leaves pieces to the calling thread. Each sample's outputs come from the same
 * tile in the same order either way, so results are bit-identical to one thread. Memory-bound
 * products (8→8, 8→1) take the second thread only when X already lives on shared memory (as the
 * library's own arrays of 32 MiB or more do: `allocate` in src/core/multichannel.ts), so that the
 * worker reads its share in place and both cores read X from memory. With an ordinary X they stay
 * on one thread: only the calling thread can read it, so the worker's share must be copied, and
 * for them that copy costs what the second thread saves (docs/PERFORMANCE.md, section gemm threads).
 *
 * Page faults move to another thread too: mix's new results of 1 to 32 MiB come from
 * src/linalg/prefault.ts, whose helper thread maps the next result's pages in an ordinary
 * ArrayBuffer and transfers it (no shared memory, no copy) while this product runs. Larger new
 * results ({@link splitsNewResult}) go on shared memory and are split over two threads whatever the
 * shape, so that each thread writes, and first-touches, its pieces in place.
 * @module
 */
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { NumericalError } from '../core/errors.js';
import type { SampleArray } from '../core/multichannel.js';
import { CLAIMED_BY_CALLER, WorkerPool, claimPieces, cores, split } from '../core/workers.js';
import { SHARED_ARRAY_MIN_BYTES } from '../core/shared.js';
import { wasmGemm, type WasmGemm } from './gemm-wasm.js';

/** Samples per time block for a product with `cols` input rows. */
function blockLength(cols: number, rows: number): number {
  // Keep X-block (cols × tb) + out-block (rows × tb) around 128–256 KB of float64.
  const tb = Math.floor(24576 / (cols + Math.min(rows, 8)));
  if (tb >= 4096) return 4096;
  if (tb <= 256) return 256;
  return tb & ~63;
}

/**
 * Float64 block kernel. Rows `o` of the result live at `out[outOff + o * os + t]`, inputs `i` at
 * `X[xOff + i * xs + t]`, for `t` in `[0, n)`. Overwrites the output block (bias or zero first).
 */
function kernel64(
  W: Float64Array,
  rows: number,
  cols: number,
  X: Float64Array,
  xOff: number,
  xs: number,
  out: Float64Array,
  outOff: number,
  os: number,
  n: number,
  bias: Float64Array | undefined,
): void {
  let o = 0;
  for (; o + 4 <= rows; o += 4) {
    const y0 = outOff + o * os;
    const y1 = y0 + os;
    const y2 = y1 + os;
    const y3 = y2 + os;
    const r0 = o * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    let i = 0;
    // The first 8-input group writes bias + products (no separate initialisation pass).
    const first = cols >= 8;
    if (!first) {
      out.fill(bias ? bias[o] : 0, y0, y0 + n);
      out.fill(bias ? bias[o + 1] : 0, y1, y1 + n);
      out.fill(bias ? bias[o + 2] : 0, y2, y2 + n);
      out.fill(bias ? bias[o + 3] : 0, y3, y3 + n);
    }
    for (; i + 8 <= cols; i += 8) {
      const w00 = W[r0 + i], w01 = W[r0 + i + 1], w02 = W[r0 + i + 2], w03 = W[r0 + i + 3];
      const w04 = W[r0 + i + 4], w05 = W[r0 + i + 5], w06 = W[r0 + i + 6], w07 = W[r0 + i + 7];
      const w10 = W[r1 + i], w11 = W[r1 + i + 1], w12 = W[r1 + i + 2], w13 = W[r1 + i + 3];
      const w14 = W[r1 + i + 4], w15 = W[r1 + i + 5], w16 = W[r1 + i + 6], w17 = W[r1 + i + 7];
      const w20 = W[r2 + i], w21 = W[r2 + i + 1], w22 = W[r2 + i + 2], w23 = W[r2 + i + 3];
      const w24 = W[r2 + i + 4], w25 = W[r2 + i + 5], w26 = W[r2 + i + 6], w27 = W[r2 + i + 7];
      const w30 = W[r3 + i], w31 = W[r3 + i + 1], w32 = W[r3 + i + 2], w33 = W[r3 + i + 3];
      const w34 = W[r3 + i + 4], w35 = W[r3 + i + 5], w36 = W[r3 + i + 6], w37 = W[r3 + i + 7];
      const x0 = xOff + i * xs;
      const x1 = x0 + xs, x2 = x1 + xs, x3 = x2 + xs, x4 = x3 + xs, x5 = x4 + xs, x6 = x5 + xs, x7 = x6 + xs;
      if (i === 0) {
        const b0 = bias ? bias[o] : 0, b1 = bias ? bias[o + 1] : 0, b2 = bias ? bias[o + 2] : 0, b3 = bias ? bias[o + 3] : 0;
        for (let t = 0; t < n; t++) {
          const a = X[x0 + t], b = X[x1 + t], c = X[x2 + t], d = X[x3 + t];
          const e = X[x4 + t], f = X[x5 + t], g = X[x6 + t], h = X[x7 + t];
          out[y0 + t] = b0 + w00 * a + w01 * b + w02 * c + w03 * d + w04 * e + w05 * f + w06 * g + w07 * h;
          out[y1 + t] = b1 + w10 * a + w11 * b + w12 * c + w13 * d + w14 * e + w15 * f + w16 * g + w17 * h;
          out[y2 + t] = b2 + w20 * a + w21 * b + w22 * c + w23 * d + w24 * e + w25 * f + w26 * g + w27 * h;
          out[y3 + t] = b3 + w30 * a + w31 * b + w32 * c + w33 * d + w34 * e + w35 * f + w36 * g + w37 * h;
        }
        continue;
      }
      for (let t = 0; t < n; t++) {
        const a = X[x0 + t], b = X[x1 + t], c = X[x2 + t], d = X[x3 + t];
        const e = X[x4 + t], f = X[x5 + t], g = X[x6 + t], h = X[x7 + t];
        out[y0 + t] += w00 * a + w01 * b + w02 * c + w03 * d + w04 * e + w05 * f + w06 * g + w07 * h;
        out[y1 + t] += w10 * a + w11 * b + w12 * c + w13 * d + w14 * e + w15 * f + w16 * g + w17 * h;
        out[y2 + t] += w20 * a + w21 * b + w22 * c + w23 * d + w24 * e + w25 * f + w26 * g + w27 * h;
        out[y3 + t] += w30 * a + w31 * b + w32 * c + w33 * d + w34 * e + w35 * f + w36 * g + w37 * h;
      }
    }
    for (; i + 4 <= cols; i += 4) {
      const w00 = W[r0 + i], w01 = W[r0 + i + 1], w02 = W[r0 + i + 2], w03 = W[r0 + i + 3];
      const w10 = W[r1 + i], w11 = W[r1 + i + 1], w12 = W[r1 + i + 2], w13 = W[r1 + i + 3];
      const w20 = W[r2 + i], w21 = W[r2 + i + 1], w22 = W[r2 + i + 2], w23 = W[r2 + i + 3];
      const w30 = W[r3 + i], w31 = W[r3 + i + 1], w32 = W[r3 + i + 2], w33 = W[r3 + i + 3];
      const x0 = xOff + i * xs;
      const x1 = x0 + xs;
      const x2 = x1 + xs;
      const x3 = x2 + xs;
      for (let t = 0; t < n; t++) {
        const a = X[x0 + t];
        const b = X[x1 + t];
        const c = X[x2 + t];
        const d = X[x3 + t];
        out[y0 + t] += w00 * a + w01 * b + w02 * c + w03 * d;
        out[y1 + t] += w10 * a + w11 * b + w12 * c + w13 * d;
        out[y2 + t] += w20 * a + w21 * b + w22 * c + w23 * d;
        out[y3 + t] += w30 * a + w31 * b + w32 * c + w33 * d;
      }
    }
    for (; i < cols; i++) {
      const w0 = W[r0 + i], w1 = W[r1 + i], w2 = W[r2 + i], w3 = W[r3 + i];
      const x0 = xOff + i * xs;
      for (let t = 0; t < n; t++) {
        const a = X[x0 + t];
        out[y0 + t] += w0 * a;
        out[y1 + t] += w1 * a;
        out[y2 + t] += w2 * a;
        out[y3 + t] += w3 * a;
      }
    }
  }
  for (; o + 3 <= rows; o += 3) {
    const y0 = outOff + o * os;
    const y1 = y0 + os;
    const y2 = y1 + os;
    out.fill(bias ? bias[o] : 0, y0, y0 + n);
    out.fill(bias ? bias[o + 1] : 0, y1, y1 + n);
    out.fill(bias ? bias[o + 2] : 0, y2, y2 + n);
    const r0 = o * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    let i = 0;
    for (; i + 8 <= cols; i += 8) {
      const w00 = W[r0 + i], w01 = W[r0 + i + 1], w02 = W[r0 + i + 2], w03 = W[r0 + i + 3];
      const w04 = W[r0 + i + 4], w05 = W[r0 + i + 5], w06 = W[r0 + i + 6], w07 = W[r0 + i + 7];
      const w10 = W[r1 + i], w11 = W[r1 + i + 1], w12 = W[r1 + i + 2], w13 = W[r1 + i + 3];
      const w14 = W[r1 + i + 4], w15 = W[r1 + i + 5], w16 = W[r1 + i + 6], w17 = W[r1 + i + 7];
      const w20 = W[r2 + i], w21 = W[r2 + i + 1], w22 = W[r2 + i + 2], w23 = W[r2 + i + 3];
      const w24 = W[r2 + i + 4], w25 = W[r2 + i + 5], w26 = W[r2 + i + 6], w27 = W[r2 + i + 7];
      const x0 = xOff + i * xs;
      const x1 = x0 + xs, x2 = x1 + xs, x3 = x2 + xs, x4 = x3 + xs, x5 = x4 + xs, x6 = x5 + xs, x7 = x6 + xs;
      for (let t = 0; t < n; t++) {
        const a = X[x0 + t], b = X[x1 + t], c = X[x2 + t], d = X[x3 + t];
        const e = X[x4 + t], f = X[x5 + t], g = X[x6 + t], h = X[x7 + t];
        out[y0 + t] += w00 * a + w01 * b + w02 * c + w03 * d + w04 * e + w05 * f + w06 * g + w07 * h;
        out[y1 + t] += w10 * a + w11 * b + w12 * c + w13 * d + w14 * e + w15 * f + w16 * g + w17 * h;
        out[y2 + t] += w20 * a + w21 * b + w22 * c + w23 * d + w24 * e + w25 * f + w26 * g + w27 * h;
      }
    }
    for (; i + 4 <= cols; i += 4) {
      const w00 = W[r0 + i], w01 = W[r0 + i + 1], w02 = W[r0 + i + 2], w03 = W[r0 + i + 3];
      const w10 = W[r1 + i], w11 = W[r1 + i + 1], w12 = W[r1 + i + 2], w13 = W[r1 + i + 3];
      const w20 = W[r2 + i], w21 = W[r2 + i + 1], w22 = W[r2 + i + 2], w23 = W[r2 + i + 3];
      const x0 = xOff + i * xs;
      const x1 = x0 + xs;
      const x2 = x1 + xs;
      const x3 = x2 + xs;
      for (let t = 0; t < n; t++) {
        const a = X[x0 + t];
        const b = X[x1 + t];
        const c = X[x2 + t];
        const d = X[x3 + t];
        out[y0 + t] += w00 * a + w01 * b + w02 * c + w03 * d;
        out[y1 + t] += w10 * a + w11 * b + w12 * c + w13 * d;
        out[y2 + t] += w20 * a + w21 * b + w22 * c + w23 * d;
      }
    }
    for (; i < cols; i++) {
      const w0 = W[r0 + i], w1 = W[r1 + i], w2 = W[r2 + i];
      const x0 = xOff + i * xs;
      for (let t = 0; t < n; t++) {
        const a = X[x0 + t];
        out[y0 + t] += w0 * a;
        out[y1 + t] += w1 * a;
        out[y2 + t] += w2 * a;
      }
    }
  }
  for (; o + 2 <= rows; o += 2) {
    const y0 = outOff + o * os;
    const y1 = y0 + os;
    out.fill(bias ? bias[o] : 0, y0, y0 + n);
    out.fill(bias ? bias[o + 1] : 0, y1, y1 + n);
    const r0 = o * cols;
    const r1 = r0 + cols;
    let i = 0;
    for (; i + 4 <= cols; i += 4) {
      const w00 = W[r0 + i], w01 = W[r0 + i + 1], w02 = W[r0 + i + 2], w03 = W[r0 + i + 3];
      const w10 = W[r1 + i], w11 = W[r1 + i + 1], w12 = W[r1 + i + 2], w13 = W[r1 + i + 3];
      const x0 = xOff + i * xs;
      const x1 = x0 + xs;
      const x2 = x1 + xs;
      const x3 = x2 + xs;
      for (let t = 0; t < n; t++) {
        const a = X[x0 + t];
        const b = X[x1 + t];
        const c = X[x2 + t];
        const d = X[x3 + t];
        out[y0 + t] += w00 * a + w01 * b + w02 * c + w03 * d;
        out[y1 + t] += w10 * a + w11 * b + w12 * c + w13 * d;
      }
    }
    for (; i < cols; i++) {
      const w0 = W[r0 + i], w1 = W[r1 + i];
      const x0 = xOff + i * xs;
      for (let t = 0; t < n; t++) {
        const a = X[x0 + t];
        out[y0 + t] += w0 * a;
        out[y1 + t] += w1 * a;
      }
    }
  }
  for (; o < rows; o++) {
    const y0 = outOff + o * os;
    if (cols < 8) out.fill(bias ? bias[o] : 0, y0, y0 + n);
    const r0 = o * cols;
    let i = 0;
    for (; i + 8 <= cols; i += 8) {
      const w0 = W[r0 + i], w1 = W[r0 + i + 1], w2 = W[r0 + i + 2], w3 = W[r0 + i + 3];
      const w4 = W[r0 + i + 4], w5 = W[r0 + i + 5], w6 = W[r0 + i + 6], w7 = W[r0 + i + 7];
      const x0 = xOff + i * xs;
      const x1 = x0 + xs, x2 = x1 + xs, x3 = x2 + xs, x4 = x3 + xs, x5 = x4 + xs, x6 = x5 + xs, x7 = x6 + xs;
      if (i === 0) {
        const b0 = bias ? bias[o] : 0;
        for (let t = 0; t < n; t++) {
          out[y0 + t] =
            b0 + w0 * X[x0 + t] + w1 * X[x1 + t] + w2 * X[x2 + t] + w3 * X[x3 + t] +
            w4 * X[x4 + t] + w5 * X[x5 + t] + w6 * X[x6 + t] + w7 * X[x7 + t];
        }
        continue;
      }
      for (let t = 0; t < n; t++) {
        out[y0 + t] +=
          w0 * X[x0 + t] + w1 * X[x1 + t] + w2 * X[x2 + t] + w3 * X[x3 + t] +
          w4 * X[x4 + t] + w5 * X[x5 + t] + w6 * X[x6 + t] + w7 * X[x7 + t];
      }
    }
    for (; i + 4 <= cols; i += 4) {
      const w0 = W[r0 + i], w1 = W[r0 + i + 1], w2 = W[r0 + i + 2], w3 = W[r0 + i + 3];
      const x0 = xOff + i * xs;
      const x1 = x0 + xs, x2 = x1 + xs, x3 = x2 + xs;
      for (let t = 0; t < n; t++) {
        out[y0 + t] += w0 * X[x0 + t] + w1 * X[x1 + t] + w2 * X[x2 + t] + w3 * X[x3 + t];
      }
    }
    for (; i < cols; i++) {
      const w0 = W[r0 + i];
      const x0 = xOff + i * xs;
      for (let t = 0; t < n; t++) out[y0 + t] += w0 * X[x0 + t];
    }
  }
}

let scratchX = new Float64Array(0);
let scratchY = new Float64Array(0);

/**
 * `out[rows × T] = W[rows × cols] · X[cols × T] (+ bias[o] on row o)`, row-major throughout.
 *
 * Unchecked hot kernel: the caller guarantees `W.length ≥ rows·cols`, `X.length ≥ cols·T`,
 * `out.length ≥ rows·T`, `bias.length ≥ rows` when given, and that `out` does not overlap `X`.
 * `X` and `out` may be float64 or float32 (independently); arithmetic is float64 throughout.
 *
 * Complexity: `rows·cols·T` multiply-adds, one pass over X per T-block (blocked so that X stays in
 * cache while the 4-row register tiles sweep it).
 *
 * @example
 * const out = new Float64Array(2 * 3);
 * gemm(Float64Array.of(1, 1, 1, -1), 2, 2, Float64Array.of(1, 2, 3, 4, 5, 6), 3, out);
 * // out = [5, 7, 9, -3, -3, -3]
 */
export function gemm(W: Float64Array, rows: number, cols: number, X: SampleArray, T: number, out: SampleArray, bias?: Float64Array): void {
  gemmOnThreads(W, rows, cols, X, T, out, bias, defaultWorkers(rows, cols, T, X));
}

/**
 * Smallest product, in multiply-adds, that {@link gemm} splits over two threads by default, and the
 * fewest weights: below them, or with fewer inputs × outputs (8→8, 8→1: limited by memory
 * bandwidth, not arithmetic), copying the worker's share to shared memory and back costs what the
 * second thread saves (docs/PERFORMANCE.md, section gemm threads).
 */
export const PARALLEL_MIN_MACS = 1 << 26;
export const PARALLEL_MIN_WEIGHTS = 1024;
/** Fewest samples per thread: shorter ranges are not split off. */
export const PARALLEL_MIN_SAMPLES = 4096;

/**
 * Worker threads {@link gemm} uses besides the calling thread, on a machine with at least two cores
 * and from the main thread (never from inside a worker): one for large compute-bound products, and
 * one for any product whose X (when given) lives on shared memory and holds
 * {@link SHARED_ARRAY_MIN_BYTES} or more, since the worker then reads its share in place and a
 * memory-bound product reads X from memory on both cores; none otherwise.
 */
export function defaultWorkers(rows: number, cols: number, T: number, X?: SampleArray): number {
  if (!isMainThread || cores() < 2) return 0;
  if (rows * cols >= PARALLEL_MIN_WEIGHTS && rows * cols * T >= PARALLEL_MIN_MACS) return 1;
  return X !== undefined && X.buffer instanceof SharedArrayBuffer && cols * T * X.BYTES_PER_ELEMENT >= SHARED_ARRAY_MIN_BYTES ? 1 : 0;
}

/**
 * Whether a new `rows × T` result of `dtype` is computed on two threads into shared memory: from
 * {@link SHARED_ARRAY_MIN_BYTES} up, where every new array is fresh memory, on a machine with two or
 * more cores and from the main thread.
 */
export function splitsNewResult(dtype: 'float64' | 'float32', rows: number, T: number): boolean {
  const bytes = rows * T * (dtype === 'float32' ? 4 : 8);
  return isMainThread && bytes >= SHARED_ARRAY_MIN_BYTES && T >= 2 * PARALLEL_MIN_SAMPLES && cores() >= 2;
}


/** Whether {@link gemm} takes the WebAssembly kernel for a product of this shape and storage (when it loads). */
function prefersSimd(rows: number, cols: number, X: SampleArray, T: number, out: SampleArray): boolean {
  // Short products with small weight matrices (mini-batches of training, say) stay in JavaScript:
  // the SIMD path's fixed costs (packing W, one copy per input row) outweigh its gain below about
  // 128 samples unless W is large (docs/PERFORMANCE.md, section gemm).
  if (T < 128 && rows * cols < 1024) return false;
  return !readsInPlace(rows, cols, X, out);
}

/**
 * Memory-bound float64 products that the JavaScript kernel computes faster, reading X where it
 * lies instead of copying it into WebAssembly memory: eight inputs, at most eight outputs in
 * 4-row and 1-row tiles (8→1, 8→4, 8→5, 8→8). There the JavaScript tiles add the eight products
 * onto the bias in the WebAssembly tiles' order, `((b + w₀x₀) + w₁x₁) + …`, so the choice never
 * changes a result's bits (docs/PERFORMANCE.md, section gemm).
 */
function readsInPlace(rows: number, cols: number, X: SampleArray, out: SampleArray): boolean {
  return cols === 8 && rows <= 8 && (rows % 4 === 0 || rows % 4 === 1) && X instanceof Float64Array && out instanceof Float64Array;
}

/**
 * {@link gemm} with `workers` worker threads besides the calling thread (0: this thread only). The
 * samples are cut into contiguous shares, one per thread, and each share into pieces that the
 * threads claim ({@link PIECES_PER_SHARE}); every piece runs the kernel the whole product would
 * (chosen from the full shape), and each output sample is computed by the same tile in the same
 * order of additions wherever the cuts fall, so the result is bit-for-bit that of the single
 * thread. Each worker's inputs are copied to shared memory and the pieces it computed copied back
 * (skipped for arrays already on a SharedArrayBuffer); the call stays synchronous.
 * @throws NumericalError when a worker thread fails.
 * @internal
 */
export function gemmOnThreads(W: Float64Array, rows: number, cols: number, X: SampleArray, T: number, out: SampleArray, bias: Float64Array | undefined, workers: number): void {
  if (rows === 0 || T === 0) return;
  if (cols === 0) {
    for (let o = 0; o < rows; o++) out.fill(bias ? bias[o] : 0, o * T, (o + 1) * T);
    return;
  }
  const k = prefersSimd(rows, cols, X, T, out) ? wasmGemm() : null;
  const parts = Math.max(1, Math.min(workers + 1, Math.floor(T / PARALLEL_MIN_SAMPLES)));
  if (parts === 1) {
    if (k === null || !k.runRange(W, rows, cols, X, T, out, T, bias, 0, T)) gemmRange(W, rows, cols, X, T, out, T, bias, 0, T);
    return;
  }
  const simd = k !== null;
  const bounds = split(T, parts);
  // Share q's pieces: samples bounds[q] + cuts[q][j] … bounds[q] + cuts[q][j + 1].
  const cuts = Array.from({ length: parts }, (_, q) => split(bounds[q + 1] - bounds[q], PIECES_PER_SHARE));
  const claims = new Int32Array(new SharedArrayBuffer(4 * parts * PIECES_PER_SHARE));
  const tasks: GemmTask[] = [];
  for (let p = 1; p < parts; p++) {
    const s0 = bounds[p];
    const n = bounds[p + 1] - s0;
    const xShared = X.buffer instanceof SharedArrayBuffer;
    const outShared = out.buffer instanceof SharedArrayBuffer;
    let xs: SampleArray = X;
    if (!xShared) {
      xs = scratch.input(X instanceof Float32Array ? 'float32' : 'float64', cols * n, p - 1);
      for (let i = 0; i < cols; i++) xs.set(X.subarray(i * T + s0, i * T + s0 + n), i * n);
    }
    const ys = outShared ? out : scratch.output(out instanceof Float32Array ? 'float32' : 'float64', rows * n, p - 1);
    tasks.push({
      W: W.subarray(0, rows * cols), rows, cols, bias: bias?.subarray(0, rows), simd, n,
      X: xs, ldx: xShared ? T : n, xFrom: xShared ? s0 : 0,
      out: ys, ldo: outShared ? T : n, outFrom: outShared ? s0 : 0,
      claims, share: p, cuts: cuts[p],
    });
  }
  pool.run('gemm', tasks, () => {
    // This thread: its own share, then whatever the workers have not started of theirs, front to back.
    for (let q = 0; q < parts; q++) {
      claimPieces(claims, q * PIECES_PER_SHARE, PIECES_PER_SHARE, false, (j) => {
        const a = bounds[q] + cuts[q][j];
        runShare(W, rows, cols, X, T, out, T, bias, a, bounds[q] + cuts[q][j + 1] - a, simd);
      });
    }
  }, { retry: 'options.workers = 0' });
  for (let p = 1; p < parts; p++) {
    const t = tasks[p - 1];
    if (t.out === out) continue;
    for (let j = 0; j < PIECES_PER_SHARE; j++) {
      if (claims[p * PIECES_PER_SHARE + j] === CLAIMED_BY_CALLER) continue;
      const a = cuts[p][j];
      const b = cuts[p][j + 1];
      for (let o = 0; o < rows; o++) out.set(t.out.subarray(o * t.n + a, o * t.n + b), o * T + bounds[p] + a);
    }
  }
}

/**
 * Pieces each thread's share of a split product is cut into. The calling thread takes its own
 * share's pieces, then those of the workers' shares front to back while each worker takes its own
 * back to front ({@link claimPieces}), so a worker that gets little CPU leaves its work to the calling thread.
 */
const PIECES_PER_SHARE = 4;

/** One thread's share of a split product: the kernel the whole product uses, or an error. */
function runShare(W: Float64Array, rows: number, cols: number, X: SampleArray, ldx: number, out: SampleArray, ldo: number, bias: Float64Array | undefined, s0: number, n: number, simd: boolean): void {
  if (!simd) {
    gemmRange(W, rows, cols, X, ldx, out, ldo, bias, s0, n);
    return;
  }
  const k = requireSimd();
  if (!k.runRange(W, rows, cols, X, ldx, out, ldo, bias, s0, n)) {
    throw new NumericalError('gemm: the WebAssembly kernel could not grow its memory for this share of a split product; retry with options.workers = 0');
  }
}

function requireSimd(): WasmGemm {
  const k = wasmGemm();
  if (k === null) throw new NumericalError(`gemm: the WebAssembly kernel is unavailable on this thread (${wasmGemm.status()}) though the product's other threads use it; retry with options.workers = 0`);
  return k;
}

/**
 * A worker's share of a split product ({@link gemmOnThreads}): samples `[xFrom, xFrom + n)` of X
 * (rows `ldx` apart) into samples `[outFrom, outFrom + n)` of out (rows `ldo` apart), both on
 * shared memory.
 * @internal
 */
export interface GemmTask {
  W: Float64Array;
  rows: number;
  cols: number;
  X: SampleArray;
  ldx: number;
  xFrom: number;
  out: SampleArray;
  ldo: number;
  outFrom: number;
  bias: Float64Array | undefined;
  n: number;
  simd: boolean;
  /** Claim marks of every piece of the product (shared), this task's share index, and its pieces' starts (local, with n last). */
  claims: Int32Array;
  share: number;
  cuts: number[];
}

/**
 * Runs a {@link GemmTask} (the body of src/linalg/gemm-worker.ts).
 * @internal
 */
export function runGemmTask(t: GemmTask): void {
  const X = t.X.subarray(t.xFrom);
  const out = t.out.subarray(t.outFrom);
  claimPieces(t.claims, t.share * PIECES_PER_SHARE, PIECES_PER_SHARE, true, (j) => {
    runShare(t.W, t.rows, t.cols, X, t.ldx, out, t.ldo, t.bias, t.cuts[j], t.cuts[j + 1] - t.cuts[j], t.simd);
  });
}

/**
 * The plain-JavaScript kernel behind {@link gemm} (same contract, rows, cols, T ≥ 1), used where
 * WebAssembly SIMD is unavailable. Exported for tests.
 * @internal
 */
export function gemmScalar(W: Float64Array, rows: number, cols: number, X: SampleArray, T: number, out: SampleArray, bias?: Float64Array): void {
  gemmRange(W, rows, cols, X, T, out, T, bias, 0, T);
}

/**
 * {@link gemmScalar} on the samples `[s0, s0 + T)` of X and out whose rows are `ldx` and `ldo`
 * elements apart (as the WebAssembly kernel's `runRange`).
 */
function gemmRange(W: Float64Array, rows: number, cols: number, X: SampleArray, ldx: number, out: SampleArray, ldo: number, bias: Float64Array | undefined, s0: number, T: number): void {
  const tb = blockLength(cols, rows);
  if (X instanceof Float64Array && out instanceof Float64Array) {
    for (let t0 = 0; t0 < T; t0 += tb) kernel64(W, rows, cols, X, s0 + t0, ldx, out, s0 + t0, ldo, Math.min(tb, T - t0), bias);
    return;
  }
  // Mixed or float32 storage: convert one block at a time into float64 scratch.
  const xIs64 = X instanceof Float64Array;
  const outIs64 = out instanceof Float64Array;
  if (!xIs64 && scratchX.length < cols * tb) scratchX = new Float64Array(cols * tb);
  if (!outIs64 && scratchY.length < rows * tb) scratchY = new Float64Array(rows * tb);
  for (let t0 = 0; t0 < T; t0 += tb) {
    const n = Math.min(tb, T - t0);
    const at = s0 + t0;
    let xa: Float64Array;
    let xOff: number;
    let xs: number;
    if (xIs64) {
      xa = X as Float64Array;
      xOff = at;
      xs = ldx;
    } else {
      xa = scratchX;
      xOff = 0;
      xs = n;
      for (let i = 0; i < cols; i++) xa.set(X.subarray(i * ldx + at, i * ldx + at + n), i * n);
    }
    if (outIs64) {
      kernel64(W, rows, cols, xa, xOff, xs, out as Float64Array, at, ldo, n, bias);
    } else {
      kernel64(W, rows, cols, xa, xOff, xs, scratchY, 0, n, n, bias);
      for (let o = 0; o < rows; o++) out.set(scratchY.subarray(o * n, (o + 1) * n), o * ldo + at);
    }
  }
}

const pool = new WorkerPool(path.join(__dirname, 'gemm-worker'));

/** Worker threads gemm has started so far (for tests). @internal */
export function gemmWorkerCount(): number {
  return pool.size;
}

/**
 * Shared memory for the workers' inputs and results, kept between calls: fresh shared memory
 * costs a page fault per 4 KiB page on first touch, as much as the copy itself. Each buffer only
 * grows, and all are dropped {@link SCRATCH_IDLE_MS} after the last split product, so an idle
 * program holds none.
 */
class SharedScratch {
  private buffers: SharedArrayBuffer[] = [];
  private timer: NodeJS.Timeout | undefined;

  input(dtype: 'float64' | 'float32', n: number, worker: number): SampleArray {
    return this.view(2 * worker, dtype, n);
  }

  output(dtype: 'float64' | 'float32', n: number, worker: number): SampleArray {
    return this.view(2 * worker + 1, dtype, n);
  }

  private view(slot: number, dtype: 'float64' | 'float32', n: number): SampleArray {
    const bytes = n * (dtype === 'float64' ? 8 : 4);
    let b = this.buffers[slot];
    if (b === undefined || b.byteLength < bytes) b = this.buffers[slot] = new SharedArrayBuffer(bytes);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.buffers = [];
        this.timer = undefined;
      }, SCRATCH_IDLE_MS);
      this.timer.unref();
    } else {
      this.timer.refresh();
    }
    return dtype === 'float64' ? new Float64Array(b, 0, n) : new Float32Array(b, 0, n);
  }
}
/** Milliseconds after the last split product at which its shared scratch memory is dropped. */
export const SCRATCH_IDLE_MS = 1000;
const scratch = new SharedScratch();

/** Terminates the gemm pool's worker thread (it is unref'd, so this only frees it early). @internal */
export function terminateGemmWorkers(): Promise<void> {
  return pool.terminate();
}
