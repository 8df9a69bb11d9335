/**
 * The pixel pass behind scikit-learn's component signs (`svd_flip`): for each component, the score
 * of the first valid pixel with the largest |score|. It projects every pixel on every component
 * (k · bands multiply-adds per pixel), first in float32 SIMD with a rigorous error bound, then in
 * float64 only for the pixels that may win ({@link prefilteredRange}), and large cubes split it
 * over two threads: the calling thread scores the first part of each round of pixels in place, a
 * persistent worker thread (src/spectral/signs-worker.ts) scores the rest from a copy of its used
 * bands on shared memory (the covariance pass's copy for its own worker when {@link pca} hands it
 * over, else one made here), and the parts' winners are merged in pixel order. Every float64 score
 * is computed with the same operations in the same order on either thread and whichever pixels the
 * prefilter passes over, so the winners and their scores are those of the plain float64 pass.
 * @module
 * @internal
 */
import { ShapeError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel, type SampleArray } from '../core/multichannel.js';
import { WorkerPool } from '../core/workers.js';
import { sharedBuffer } from '../core/shared.js';
import { gemm } from '../linalg/gemm.js';
import { wasmGemm } from '../linalg/gemm-wasm.js';
import { wasmSigns } from './signs-wasm.js';
import * as path from 'node:path';

/** Pixels per block of {@link scoreRange} (the last block of a range takes the rest, up to twice this). */
const SIGN_BLOCK = 1024;

/** Fewest pixels per thread: a chunk shorter than twice this is scored on the calling thread. */
export const SIGN_SPLIT_MIN = 8192;

/** Bytes of the worker's share (its used bands on shared memory) per round. */
const SIGN_ROUND_BYTES = 64 * 1024 * 1024;

/** What the pass projects with: scores are `Wu · x[usedBands] + bias` (k × nu weights, row-major). */
export interface SignProjection {
  k: number;
  /** Bands of the chunks. */
  bands: number;
  usedBands: Int32Array;
  Wu: Float64Array;
  bias: Float64Array;
  /** The model's mean over the used bands (nu values), from which `bias = −Wu · mean`. */
  mean: Float64Array;
  /** A power of two near 1 / (the largest centred value), the covariance's scale (1 when unknown). */
  scale: number;
  ignoreValue: number | undefined;
}

/**
 * Running winners of the pass: `best[c]` the largest |score| so far on component c (−1 before any
 * valid pixel), `bestScore[c]` that score.
 */
export interface SignWinners {
  best: Float64Array;
  bestScore: Float64Array;
}

/**
 * Scores pixels `[p0, p1)` of `data` (band `U[j]` of pixel p at `data[U[j]·stride + p]`) and updates
 * the winners: a pixel replaces the winner of a component only when its |score| is strictly larger,
 * so the first of equal scores stays. The float32 prefilter ({@link prefilteredRange}) runs where
 * its WebAssembly kernel loads and gemm's SIMD kernel does too; otherwise every score is computed
 * in float64 ({@link exactRange}). Both give the same winners and scores.
 */
export function scoreRange(proj: SignProjection, data: SampleArray, stride: number, U: Int32Array, p0: number, p1: number, w: SignWinners): void {
  if (p1 <= p0) return;
  if (!prefilteredRange(proj, data, stride, U, p0, p1, w)) exactRange(proj, data, stride, U, p0, p1, w);
}

/**
 * Pixels per block of the prefilter: the float64 block, its float32 copy and the scores take
 * about 2 MB, so the float32 copy that every group of four components re-reads stays near 700 KB
 * (long blocks make fewer, longer copies out of the cube's band rows).
 */
function prefilterBlock(nu: number, k: number): number {
  return Math.max(64, Math.min(4096, Math.floor(2 ** 21 / (12 * nu + 4 * k)) & ~7));
}

/**
 * {@link scoreRange} with a float32 prefilter. The WebAssembly kernel (src/spectral/signs-wasm.ts)
 * computes, for a block of pixels, approximate scores `s̃ = Σ_j f32(w_j) · f32((x_j − μ_j)·σ)` in
 * float32 (σ the covariance's power-of-two scale, which brings the centred values near 1) and the
 * squared norms `ρ̃²` of the rounded, centred pixels. The float64 score `s` that transform computes
 * (bias, then the products in band order) and the exact `σ·Σ w_j (x_j − μ_j)` both lie within
 * `e = c₁·ρ + c₀` of `s̃` (scaled units; `‖w‖ = 1`): c₁ covers the float32 roundings of the
 * weights, the values and the sum (`(nu + 4)·2⁻²⁴`) and the float64 sum (`3(nu + 2)·2⁻⁵³`, which
 * also carries `2‖μ‖σ` into c₀), ρ is bounded from `ρ̃²` with its own rounding and underflow, c₀
 * also covers float32 underflow, and both carry a factor 2 of margin. A pixel whose
 * `|s̃| + e` is below `σ·best` cannot have `|s| > best` and is passed over; every other pixel
 * (including those with NaN or infinite s̃ or e) gets its float64 score, which decides exactly as
 * the plain pass. Returns false, having done nothing, where the kernel is unavailable, the chunk
 * is too short for gemm's SIMD path (< 128 pixels, whose sums may run in another order) or the
 * scale is not a positive finite number.
 */
function prefilteredRange(proj: SignProjection, data: SampleArray, stride: number, U: Int32Array, p0: number, p1: number, w: SignWinners): boolean {
  const { k, Wu, bias, mean, scale: sigma } = proj;
  const nu = U.length;
  if (stride < 128 || !(sigma > 0 && Number.isFinite(sigma)) || wasmGemm() === null) return false;
  const ker = wasmSigns();
  const T = prefilterBlock(nu, k);
  if (ker === null || !ker.begin(Wu, k, nu, mean, sigma, T)) return false;
  const iv = proj.ignoreValue ?? NaN;
  const hasIgnore = !Number.isNaN(iv);
  let meanNorm = 0;
  for (let j = 0; j < nu; j++) meanNorm += mean[j] * mean[j];
  meanNorm = Math.sqrt(meanNorm) * (1 + 2 ** -40);
  const f64 = 3 * (nu + 2) * 2 ** -53;
  const c1 = 2 * ((nu + 4) * 2 ** -24 + f64);
  const c0 = 2 * (f64 * 2 * meanNorm * sigma + (nu + 4) * 2 ** -120);
  const rhoUp = 1 + (nu + 4) * 2 ** -22;
  const rhoFloor = nu * 2 ** -148;
  const err = new Float64Array(T);
  const { best, bestScore } = w;
  for (let q = p0; q < p1; q += T) {
    const n = Math.min(T, p1 - q);
    const nPad = (n + 7) & ~7;
    const raw = ker.input(nPad);
    for (let j = 0; j < nu; j++) raw.set(data.subarray(U[j] * stride + q, U[j] * stride + q + n), j * nPad);
    const { scores, rho2 } = ker.score(nPad);
    for (let t = 0; t < n; t++) err[t] = c1 * Math.sqrt(rho2[t] * rhoUp + rhoFloor) + c0;
    for (let c = 0; c < k; c++) {
      const row = c * nPad;
      let bar = best[c] * sigma;
      for (let t = 0; t < n; t++) {
        if (Math.abs(scores[row + t]) + err[t] < bar) continue;
        const p = q + t;
        let v = bias[c];
        for (let j = 0, wj = c * nu; j < nu; j++, wj++) v += Wu[wj] * data[U[j] * stride + p];
        const a = Math.abs(v);
        if (a > best[c]) {
          if ((hasIgnore || !(v - v === 0)) && !validAt(data, stride, U, p, iv)) continue;
          best[c] = a;
          bestScore[c] = v;
          bar = a * sigma;
        }
      }
    }
  }
  return true;
}

/**
 * {@link scoreRange} in float64 throughout. Block by block: the used bands of a block are copied
 * into a float64 scratch block and scored there by the kernel transform would use on the chunk
 * (`stride` pixels long): gemm's WebAssembly kernel, whose sums run in the same order wherever a
 * pixel falls however short the block, or gemm's JavaScript kernel for short chunks and where
 * WebAssembly is unavailable; only a pixel that would become the best is checked for NaN,
 * ±Infinity and the ignore value.
 */
function exactRange(proj: SignProjection, data: SampleArray, stride: number, U: Int32Array, p0: number, p1: number, w: SignWinners): void {
  const { k, Wu, bias } = proj;
  const nu = U.length;
  // NaN equals nothing: without an ignore value only the finiteness test remains
  const iv = proj.ignoreValue ?? NaN;
  const hasIgnore = !Number.isNaN(iv);
  const xb = new Float64Array(nu * Math.min(2 * SIGN_BLOCK, p1 - p0));
  const out = new Float64Array(k * Math.min(2 * SIGN_BLOCK, p1 - p0));
  // the kernel transform uses on a chunk of this length (gemm's choice: JavaScript only for short
  // products), called directly so that a short range of a long chunk runs it too
  const simd = stride >= 128 || k * nu >= 1024 ? wasmGemm() : null;
  const { best, bestScore } = w;
  for (let q = p0; q < p1; ) {
    const T = p1 - q < 2 * SIGN_BLOCK ? p1 - q : SIGN_BLOCK;
    for (let j = 0; j < nu; j++) xb.set(data.subarray(U[j] * stride + q, U[j] * stride + q + T), j * T);
    if (simd === null || !simd.run(Wu, k, nu, xb, T, out, bias)) gemm(Wu, k, nu, xb, T, out, bias);
    for (let c = 0; c < k; c++) {
      const row = c * T;
      let bv = best[c];
      let bs = bestScore[c];
      for (let t = 0; t < T; t++) {
        const v = out[row + t];
        const a = Math.abs(v);
        if (a > bv) {
          // A NaN or ±Infinity in a pixel makes its scores NaN or ±Infinity, so a finite score is
          // a finite pixel's; only an infinite score or an ignore value needs the pixel checked.
          if ((hasIgnore || !(v - v === 0)) && !validPixel(xb, nu, T, t, iv)) continue;
          bv = a;
          bs = v;
        }
      }
      best[c] = bv;
      bestScore[c] = bs;
    }
    q += T;
  }
}

/** Whether pixel p of `data` is valid: finite, and not the ignore value in any used band. */
function validAt(data: SampleArray, stride: number, U: Int32Array, p: number, ignoreValue: number): boolean {
  for (let j = 0; j < U.length; j++) {
    const v = data[U[j] * stride + p];
    if (!(v - v === 0) || v === ignoreValue) return false;
  }
  return true;
}

/** Whether pixel t of the scratch block `xb` (`[nu, T]`) is valid: finite, and not the ignore value in any band. */
function validPixel(xb: Float64Array, nu: number, T: number, t: number, ignoreValue: number): boolean {
  for (let j = 0; j < nu; j++) {
    const v = xb[j * T + t];
    if (!(v - v === 0) || v === ignoreValue) return false;
  }
  return true;
}

/**
 * One worker's share of a round: pixels `[0, n)` of `data` on shared memory (band `U[j]` of pixel p
 * at `data[U[j]·stride + p]`), winners written to `out` (`best` at [0, k), `bestScore` at [k, 2k)).
 * @internal
 */
export interface SignTask {
  proj: SignProjection;
  data: SampleArray;
  stride: number;
  U: Int32Array;
  n: number;
  out: Float64Array;
}

/** Runs a {@link SignTask} with {@link scoreRange} (the worker's body). @internal */
export function runSignTask(t: SignTask): void {
  const { k } = t.proj;
  const w: SignWinners = { best: new Float64Array(k).fill(-1), bestScore: new Float64Array(k) };
  scoreRange(t.proj, t.data, t.stride, t.U, 0, t.n, w);
  t.out.set(w.best, 0);
  t.out.set(w.bestScore, k);
}

/**
 * The worker's fraction of a round's pixels (0: none). Both threads score their pixels at the same
 * rate a per used band and pixel (the float32 products, about 0.15·k units, plus the copy into the
 * kernel, its centring and the scan, about 1), but where the chunk is not on shared memory the
 * calling thread also copies the worker's pixels there, at c ≈ 0.8 units; both finish together
 * when the worker takes a / (2a − c) of the pixels (units and constants: CPU times of the two parts
 * on 21025 × 200, k = 10 and 207400 × 103, k = 30, in this file's commit message). Capped at 3/4;
 * none when the copy costs more than 0.6·a (k ≤ 2), where the worker would save little.
 */
function workerFraction(k: number, copies: boolean): number {
  if (!copies) return 0.5;
  const a = 0.15 * k + 1;
  const c = 0.8;
  if (c > 0.6 * a) return 0;
  return Math.min(0.75, a / (2 * a - c));
}

/**
 * Runs `task` on the worker while `own` scores the pixels before the task's on this thread, then
 * merges the worker's winners (later pixels: they win only when strictly larger).
 */
function runRound(task: SignTask, own: () => void, w: SignWinners): void {
  const { k } = task.proj;
  try {
    pool.run('pca', [task], own, { retry: 'options.threads = 1' });
  } catch (e) {
    scratch = null; // a worker that did not answer may still be reading it
    throw e;
  }
  const out = task.out;
  for (let c = 0; c < k; c++) {
    if (out[c] > w.best[c]) {
      w.best[c] = out[c];
      w.bestScore[c] = out[k + c];
    }
  }
}

/**
 * The used bands of the pixels `[p0, p1)` of `chunk`, already on shared memory (the covariance
 * pass's copy for its worker: `data[j·(p1 − p0) + t]`), which {@link largestScores} gives to its
 * worker as they are.
 * @internal
 */
export interface ChunkCopy {
  chunk: Multichannel;
  data: SampleArray;
  p0: number;
  p1: number;
}

/** The sign-pass workers (src/spectral/signs-worker.ts), started on first use and kept. */
const pool = new WorkerPool(path.join(__dirname, 'signs-worker'));

/** Shared memory kept between calls for the worker's share. */
let scratch: SharedArrayBuffer | null = null;

/**
 * A SharedArrayBuffer of at least `bytes`, reused from call to call when it is no larger than
 * 2 × {@link SIGN_ROUND_BYTES} (fresh memory pays a first-touch fault per 4 KiB page); a larger one
 * (rounds of the minimum length with thousands of bands) is not kept.
 */
function sharedScratch(bytes: number): SharedArrayBuffer {
  if (scratch !== null && scratch.byteLength >= bytes) return scratch;
  const buf = sharedBuffer(bytes);
  if (bytes <= 2 * SIGN_ROUND_BYTES) scratch = buf;
  return buf;
}

/**
 * For each component, the score (as `PcaModel.transform` computes it, bit for bit) of the first
 * valid pixel with the largest |score| over the chunks, 0 when there is none: the sign
 * scikit-learn's svd_flip looks at. With `threads` ≥ 2, a chunk of at least 2 × {@link SIGN_SPLIT_MIN}
 * pixels is scored on the calling thread and one worker thread, in rounds whose worker part takes
 * about {@link SIGN_ROUND_BYTES} of shared memory (rounds keep at least 2 × {@link SIGN_SPLIT_MIN}
 * pixels, so more with thousands of bands; see the module notes and {@link workerFraction}); the result
 * is the same for any thread count. With `copy` (the worker's pixels of a chunk already on shared
 * memory, reaching its end) that chunk is split there instead, with no copy made. `roundBytes`
 * (shared memory per round) is a parameter for the tests.
 * @throws as `PcaModel.transform` (naming it) for a chunk that is not a Multichannel with the model's
 * bands; NumericalError `pca: a worker thread failed (…)` when the worker fails.
 */
export function largestScores(proj: SignProjection, chunks: Iterable<Multichannel>, threads: number, roundBytes = SIGN_ROUND_BYTES, copy?: ChunkCopy): Float64Array {
  const fn = 'PcaModel.transform';
  const { k, bands, usedBands: U } = proj;
  const nu = U.length;
  const w: SignWinners = { best: new Float64Array(k).fill(-1), bestScore: new Float64Array(k) };
  for (const chunk of chunks) {
    assertMultichannel(fn, 'x', chunk);
    if (chunk.channels !== bands) throw new ShapeError(message(fn, `x must have ${bands} bands (the fitted cube's)`, chunk.channels));
    const N = chunk.length;
    if (threads >= 2 && copy !== undefined && copy.chunk === chunk && copy.p1 === N && copy.p0 >= SIGN_SPLIT_MIN && N - copy.p0 >= SIGN_SPLIT_MIN) {
      // the worker scores the copy it already has; this thread the pixels before it
      const n = N - copy.p0;
      const identity = Int32Array.from({ length: nu }, (_, j) => j);
      runRound({ proj, data: copy.data, stride: n, U: identity, n, out: new Float64Array(new SharedArrayBuffer(16 * k)) }, () => scoreRange(proj, chunk.data, N, U, 0, copy.p0, w), w);
      continue;
    }
    if (threads < 2 || N < 2 * SIGN_SPLIT_MIN) {
      scoreRange(proj, chunk.data, N, U, 0, N, w);
      continue;
    }
    // rounds of at least 2 × SIGN_SPLIT_MIN pixels: the first part of each on this thread, the
    // rest on the worker; a last round too short to split runs on this thread
    const isShared = chunk.data.buffer instanceof SharedArrayBuffer;
    const f = workerFraction(k, !isShared);
    if (f === 0) {
      scoreRange(proj, chunk.data, N, U, 0, N, w);
      continue;
    }
    const elem = chunk.data.BYTES_PER_ELEMENT;
    const perRound = Math.max(2 * SIGN_SPLIT_MIN, Math.floor(Math.floor(roundBytes / (nu * elem)) / f));
    const identity = Int32Array.from({ length: nu }, (_, j) => j);
    for (let r0 = 0; r0 < N; ) {
      const r1 = Math.min(N, r0 + perRound);
      if (r1 - r0 < 2 * SIGN_SPLIT_MIN) {
        scoreRange(proj, chunk.data, N, U, r0, r1, w);
        r0 = r1;
        continue;
      }
      const m = r1 - Math.round(f * (r1 - r0));
      const n = r1 - m;
      const out = new Float64Array(new SharedArrayBuffer(16 * k));
      let task: SignTask;
      if (isShared) task = { proj, data: chunk.data.subarray(m), stride: N, U, n, out };
      else {
        const sab = sharedScratch(nu * n * elem);
        const data = chunk.data instanceof Float32Array ? new Float32Array(sab, 0, nu * n) : new Float64Array(sab, 0, nu * n);
        for (let j = 0; j < nu; j++) data.set(chunk.data.subarray(U[j] * N + m, U[j] * N + r1), j * n);
        task = { proj, data, stride: n, U: identity, n, out };
      }
      runRound(task, () => scoreRange(proj, chunk.data, N, U, r0, m, w), w);
      r0 = r1;
    }
  }
  return w.bestScore;
}
