/**
 * Band covariance accumulated from blocks of pixels as mergeable partial sums, so a cube streamed in
 * chunks (or split over threads or machines) gives the same covariance as one pass over the whole.
 *
 * Shifted formulation for accuracy: with a shift `c` near the mean (the mean of the valid pixels of
 * the first segment that has any), it keeps n, `s = Σ (x − c)` and `G = Σ (x − c)(x − c)ᵀ`; then
 * `mean = c + s / n` and `cov = (G − s sᵀ / n) / (n − 1)` (ddof = 1). Because `s` is small, the
 * subtraction does not cancel catastrophically as the textbook `Σ x xᵀ − n μ μᵀ` does.
 *
 * Scale-free sums: the centred values are also multiplied by a power of two `scale` (fixed with the
 * shift: about 1 / max |x − c| over that segment), which is exact, so the sums neither overflow for
 * data near 1e300 nor underflow to 0 for data near 1e−300; {@link CovarianceAccumulator.finalize}
 * divides it out again, and PCA works on the scaled covariance so that its ratios are scale-free.
 *
 * Sizes: the accumulator holds `B²` doubles for B used bands and PCA needs a few such matrices, so
 * the constructor refuses a band count whose `B² · 8` bytes exceed `maxBytes` (default
 * {@link DEFAULT_MAX_COVARIANCE_BYTES}) before allocating anything.
 *
 * Canonical order: every `add(chunk)` cuts the chunk into segments of {@link SEGMENT_PIXELS} pixels,
 * computes each segment's partial sums in a fresh buffer, and adds them in segment order; the worker
 * path computes the same segments in threads and adds them in the same order, so its result is
 * bit-for-bit identical.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel, type SampleArray } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { mirrorUpper, syrkUpper } from '../linalg/products.js';
import { wasmSyrk } from '../linalg/syrk-wasm.js';
import { WorkerPool } from '../core/workers.js';
import { sharedBuffer } from '../core/shared.js';
import * as path from 'node:path';



/**
 * Pixels per segment of the canonical accumulation order. Small enough that a cube of ~20 000 pixels
 * splits evenly over two threads (with 8192 it was 3 segments: at best 1.64x), large enough that the
 * per-segment Gram buffer (bands² values) stays small beside the segment's O(pixels · bands²) work.
 */
export const SEGMENT_PIXELS = 2048;
/** Pixels per register-tiled block inside a segment. */
const BLOCK = 256;

/** Options shared by the accumulator and PCA. */
export interface MaskOptions {
  /** Pixels where any used band equals this value are left out (as NaN pixels are, always). */
  ignoreValue?: number;
  /**
   * Bad-band list as in ENVI's `bbl`: one entry per band, 1 (or true) = use, 0 = exclude. Excluded
   * bands take no part in the fit; their loadings are 0.
   */
  badBands?: ArrayLike<number | boolean>;
}

/** Resolves `badBands` into the list of bands used. */
export function usedBands(fn: string, bands: number, badBands: ArrayLike<number | boolean> | undefined): Int32Array {
  if (badBands === undefined) return Int32Array.from({ length: bands }, (_, i) => i);
  if (badBands === null || typeof badBands !== 'object' || typeof badBands.length !== 'number') throw new ArgumentTypeError(message(fn, 'badBands must be an array with one 0/1 entry per band', badBands));
  if (badBands.length !== bands) throw new ShapeError(message(fn, `badBands must have one entry per band (${bands})`, badBands.length));
  const out: number[] = [];
  for (let b = 0; b < bands; b++) if (badBands[b]) out.push(b);
  if (out.length === 0) throw new ValueError(message(fn, 'badBands must keep at least one band', { verbatim: 'every band marked bad' }));
  return Int32Array.from(out);
}

/** Partial sums of one segment (count, centred sums, upper-triangle Gram). */
export interface SegmentSums {
  n: number;
  s: Float64Array;
  G: Float64Array;
}

/** Sums of centred, scaled values `(x − c)·scale` per band over the valid pixels of `[p0, p1)` (a chunk mean with c = 0, scale = 1). */
function segmentMeanSums(data: SampleArray, N: number, used: Int32Array, shift: Float64Array, p0: number, p1: number, valid: Uint8Array, s: Float64Array, scale: number): void {
  for (let b = 0; b < used.length; b++) {
    const src = used[b] * N;
    const c = shift[b];
    let acc = 0;
    for (let p = p0; p < p1; p++) if (valid[p - p0]) acc += (data[src + p] - c) * scale;
    s[b] = acc;
  }
}

/** Largest finite exponent used for the sums' scale (2^±1000 stays normal and finite). */
const MAX_SCALE_EXPONENT = 1000;

/**
 * The power of two nearest `1 / m` (1 when m is 0), the sums' scale for centred values up to `m`
 * in magnitude: exact to apply, and it brings those values near 1.
 */
export function powerOfTwoScale(m: number): number {
  if (!(m > 0) || !Number.isFinite(m)) return 1;
  const e = Math.max(-MAX_SCALE_EXPONENT, Math.min(MAX_SCALE_EXPONENT, -Math.round(Math.log2(m))));
  return 2 ** e;
}

/**
 * Default of `maxBytes` in {@link CovarianceOptions}: 2 GiB for the bands × bands matrices of
 * doubles an operation holds at once (two for the accumulator: ≈ 11 585 bands; five for PCA:
 * ≈ 7 327 bands).
 */
export const DEFAULT_MAX_COVARIANCE_BYTES = 2 ** 31;

/** Valid-pixel flags of `[p0, p1)`: no NaN and no ignore value in any used band. */
export function validMask(data: SampleArray, N: number, used: Int32Array, p0: number, p1: number, ignoreValue: number | undefined): Uint8Array {
  const m = new Uint8Array(p1 - p0).fill(1);
  const hasIgnore = ignoreValue !== undefined && !Number.isNaN(ignoreValue);
  const iv = hasIgnore ? (ignoreValue as number) : 0;
  for (let b = 0; b < used.length; b++) {
    const src = used[b] * N;
    if (hasIgnore) {
      for (let p = p0; p < p1; p++) {
        const v = data[src + p];
        if (!(v - v === 0) || v === iv) m[p - p0] = 0;
      }
    } else {
      for (let p = p0; p < p1; p++) {
        const v = data[src + p];
        if (!(v - v === 0)) m[p - p0] = 0;
      }
    }
  }
  return m;
}

/**
 * Full partial sums of one segment (count, centred sums, upper-triangle Gram), the unit of the
 * canonical order. Exposed for the worker path.
 *
 * One read of the cube: each block of {@link BLOCK} pixels is gathered (centred, scaled, into the
 * kernel's layout) while its values are added to the running band sums `s`; a sum that is not
 * finite, or a value equal to the ignore value, flags an invalid pixel. Only then does the segment
 * compute its valid-pixel mask and go on with blocks of {@link BLOCK} valid pixels, so the blocks,
 * the Gram sums and the band sums (each band's values added in pixel order) are those of a mask
 * computed first.
 */
export function computeSegment(data: SampleArray, N: number, used: Int32Array, shift: Float64Array, p0: number, p1: number, ignoreValue: number | undefined, scale = 1): SegmentSums {
  const B = used.length;
  const G = new Float64Array(B * B);
  const s = new Float64Array(B);
  // The Gram sums run on the WebAssembly SIMD kernel (pixel-major blocks in its memory) or, where
  // it is unavailable, on syrkUpper (band-major blocks); both give the same bits.
  const simd = wasmSyrk();
  const useSimd = simd !== null && simd.begin(B, BLOCK);
  const buf = useSimd ? simd.xt : new Float64Array(B * BLOCK);
  const stride = useSimd ? simd.stride : 1;
  const addBlock = (fill: number): void => {
    if (useSimd) simd.addBlock(fill);
    else syrkUpper(fill === BLOCK ? buf : buf.subarray(0, B * fill), B, fill, G);
  };
  const blockSums = new Float64Array(B);
  let n = 0;
  let p = p0;
  for (; p < p1; p += BLOCK) {
    const fill = Math.min(BLOCK, p1 - p);
    if (!gatherBlock(data, N, used, shift, scale, p, fill, ignoreValue, buf, stride, useSimd ? 1 : fill, s, blockSums)) break;
    s.set(blockSums);
    addBlock(fill);
    n += fill;
  }
  if (p < p1) {
    // a block with an invalid pixel: blocks of BLOCK valid pixels from here on
    const m0 = p;
    const valid = validMask(data, N, used, m0, p1, ignoreValue);
    while (p < p1) {
      // gather up to BLOCK valid pixels starting at p: value of pixel t, band b at
      // buf[t·stride + b] (SIMD, pixel-major) or buf[b·fill + t] (JS, band-major)
      let fill = 0;
      let q = p;
      for (; q < p1 && fill < BLOCK; q++) if (valid[q - m0]) fill++;
      const bandStep = useSimd ? 1 : fill;
      for (let b = 0; b < B; b++) {
        const src = used[b] * N;
        const dst = b * bandStep;
        const c = shift[b];
        let acc = s[b];
        let w = 0;
        for (let r = p; r < q; r++) {
          if (valid[r - m0]) {
            const v = (data[src + r] - c) * scale;
            buf[dst + stride * w++] = v;
            acc += v;
          }
        }
        s[b] = acc;
      }
      if (fill > 0) addBlock(fill);
      n += fill;
      p = q;
    }
  }
  if (useSimd) simd.addUpperTo(G);
  return { n, s, G };
}

/**
 * Gathers the pixels `[p, p + fill)` of the used bands, centred and scaled, into `buf` (pixel t,
 * band b at `buf[b·bandStep + t·stride]`) and their running sums (`s` continued) into `sums`.
 * Returns false, leaving `s` alone, when the block may hold an invalid pixel: a band's running sum
 * is not finite (NaN or ±Infinity in the data, or, for data near the overflow threshold, a sum
 * that overflowed: the caller's masked path sorts that out) or a value equals the ignore value.
 */
function gatherBlock(data: SampleArray, N: number, used: Int32Array, shift: Float64Array, scale: number, p: number, fill: number, ignoreValue: number | undefined, buf: Float64Array, stride: number, bandStep: number, s: Float64Array, sums: Float64Array): boolean {
  const hasIgnore = ignoreValue !== undefined && !Number.isNaN(ignoreValue);
  for (let b = 0; b < used.length; b++) {
    const src = used[b] * N + p;
    const dst = b * bandStep;
    const c = shift[b];
    let acc = s[b];
    for (let t = 0; t < fill; t++) {
      const v = (data[src + t] - c) * scale;
      buf[dst + t * stride] = v;
      acc += v;
    }
    if (!(acc - acc === 0)) return false;
    if (hasIgnore) for (let t = 0; t < fill; t++) if (data[src + t] === ignoreValue) return false;
    sums[b] = acc;
  }
  return true;
}

/** Options of {@link CovarianceAccumulator}. */
export interface CovarianceOptions extends MaskOptions {
  /**
   * Budget in bytes for the bands × bands matrices of doubles held at once (default
   * {@link DEFAULT_MAX_COVARIANCE_BYTES} = 2 GiB; the accumulator holds two). Checked before
   * anything is allocated.
   */
  maxBytes?: number;
}

/**
 * Checks that `matrices` matrices of `B × B` doubles fit `maxBytes`, before they are allocated.
 * @throws ValueError naming the size and the budget; ValueError for a maxBytes that is not a positive number.
 */
export function checkCovarianceBytes(fn: string, B: number, maxBytes: number | undefined, matrices: number): void {
  const budget = maxBytes ?? DEFAULT_MAX_COVARIANCE_BYTES;
  if (typeof budget !== 'number' || !(budget > 0)) throw new ValueError(message(fn, 'options.maxBytes must be a positive number of bytes', maxBytes));
  const bytes = matrices * 8 * B * B;
  if (bytes > budget) {
    throw new ValueError(message(fn, `${matrices} band × band matrices of doubles (${B} × ${B}) need ${bytes.toPrecision(3)} bytes, more than the budget maxBytes = ${budget}; raise maxBytes or use fewer bands`, { verbatim: `${B} bands` }));
  }
}

/**
 * Mergeable accumulator of the band covariance (see the module notes). Feed chunks of the same cube
 * (`[bands, pixels]`, any pixel count) with {@link add}, combine accumulators with {@link merge},
 * then {@link finalize} gives the mean and the covariance (ddof = 1) over the used bands.
 * Cost: O(pixels · usedBands²) for the adds (WebAssembly SIMD Gram tiles, one read of the chunk;
 * the register-tiled JavaScript syrkUpper where SIMD is unavailable; rates in docs/PERFORMANCE.md,
 * section spectral covariance), O(B²) per merge.
 * @example
 * const acc = new CovarianceAccumulator(200);
 * for (const { cube } of reader.chunks(64)) acc.add(cube);
 * const { mean, covariance, count } = acc.finalize();
 */
export class CovarianceAccumulator {
  /** Total number of bands in the chunks. */
  readonly bands: number;
  /** Indices of the bands used (all, unless `badBands` excluded some). */
  readonly used: Int32Array;
  readonly ignoreValue: number | undefined;
  /** Valid pixels seen so far. */
  count = 0;
  /** The shift c (length used.length), fixed by the first chunk with a valid pixel. */
  shift: Float64Array | null = null;
  /** The power of two s the sums are scaled by (fixed with the shift; 1 until then). */
  scale = 1;
  /** Σ (x − c)·s over valid pixels. */
  readonly sum: Float64Array;
  /** Σ (x − c)(x − c)ᵀ·s², upper triangle (mirrored at finalize). */
  readonly gram: Float64Array;

  /**
   * @throws ValueError when `bands² · 8` bytes (of the used bands) exceed `options.maxBytes`.
   */
  constructor(bands: number, options: CovarianceOptions = {}) {
    const fn = 'CovarianceAccumulator';
    assertInteger(fn, 'bands', bands, 1);
    this.bands = bands;
    this.used = usedBands(fn, bands, options.badBands);
    this.ignoreValue = options.ignoreValue;
    if (this.ignoreValue !== undefined && typeof this.ignoreValue !== 'number') throw new ArgumentTypeError(message(fn, 'ignoreValue must be a number', this.ignoreValue));
    const B = this.used.length;
    checkCovarianceBytes(fn, B, options.maxBytes, 2);
    this.sum = new Float64Array(B);
    this.gram = new Float64Array(B * B);
  }

  /**
   * The mean of the valid pixels of `chunk` (pixels `[p0, p1)`, default all) over the used bands,
   * or null when none is valid.
   */
  chunkMean(chunk: Multichannel, p0 = 0, p1 = chunk.length): Float64Array | null {
    const N = chunk.length;
    const valid = validMask(chunk.data, N, this.used, p0, p1, this.ignoreValue);
    let n = 0;
    for (let p = 0; p < valid.length; p++) n += valid[p];
    if (n === 0) return null;
    const m = new Float64Array(this.used.length); // a zero shift and scale 1: segmentMeanSums gives plain sums
    segmentMeanSums(chunk.data, N, this.used, m, p0, p1, valid, m, 1);
    for (let b = 0; b < m.length; b++) m[b] /= n;
    return m;
  }

  /** max |x − c| over the valid pixels of `chunk` in `[p0, p1)` and the used bands (c: the shift). */
  private chunkSpread(chunk: Multichannel, c: Float64Array, p0: number, p1: number): number {
    const N = chunk.length;
    const valid = validMask(chunk.data, N, this.used, p0, p1, this.ignoreValue);
    let m = 0;
    for (let b = 0; b < this.used.length; b++) {
      const src = this.used[b] * N;
      for (let p = p0; p < p1; p++) if (valid[p - p0]) m = Math.max(m, Math.abs(chunk.data[src + p] - c[b]));
    }
    return m;
  }

  /**
   * Sets the shift when none is set yet: the mean of the valid pixels of the chunk's first segment
   * (`SEGMENT_PIXELS` pixels) that has any. Near the mean is all the shifted sums need, and
   * one segment keeps this serial step short (the whole chunk's mean was a full extra pass over the
   * chunk that no thread could share). Returns false when the chunk has no valid pixel.
   */
  ensureShift(chunk: Multichannel): boolean {
    const N = chunk.length;
    for (let p0 = 0; p0 < N && this.shift === null; p0 += SEGMENT_PIXELS) {
      const p1 = Math.min(N, p0 + SEGMENT_PIXELS);
      const c = this.chunkMean(chunk, p0, p1);
      if (c === null) continue;
      this.shift = c;
      this.scale = powerOfTwoScale(this.chunkSpread(chunk, c, p0, p1));
    }
    return this.shift !== null;
  }

  /**
   * Checks that the argument `name` of `fn` is a Multichannel with this accumulator's band count.
   * @throws ArgumentTypeError / ShapeError naming `fn` and `name`.
   */
  checkChunk(fn: string, name: string, chunk: unknown): asserts chunk is Multichannel {
    const x = assertMultichannel(fn, name, chunk);
    if (x.channels !== this.bands) throw new ShapeError(message(fn, `${name} must have ${this.bands} bands`, x.channels));
  }

  /** Adds the valid pixels of `chunk` (`[bands, pixels]`). Returns `this`. */
  add(chunk: Multichannel): this {
    this.checkChunk('CovarianceAccumulator.add', 'chunk', chunk);
    if (chunk.length === 0 || !this.ensureShift(chunk)) return this;
    const N = chunk.length;
    for (let p0 = 0; p0 < N; p0 += SEGMENT_PIXELS) this.addSegment(computeSegment(chunk.data, N, this.used, this.shift!, p0, Math.min(N, p0 + SEGMENT_PIXELS), this.ignoreValue, this.scale));
    return this;
  }

  /** Adds one segment's partial sums (computed with this accumulator's shift). */
  addSegment(seg: SegmentSums): void {
    this.count += seg.n;
    const { sum, gram } = this;
    for (let i = 0; i < sum.length; i++) sum[i] += seg.s[i];
    for (let i = 0; i < gram.length; i++) gram[i] += seg.G[i];
  }

  /**
   * Adds another accumulator's sums (same bands and masks), re-centring them to this shift and
   * scale: with f = s_this / s_other (a power of two) and d = (c_other − c_this)·s_this,
   * `G += f² G_o + f s_o dᵀ + d f s_oᵀ + n_o d dᵀ`, `s += f s_o + n_o d`.
   */
  merge(other: CovarianceAccumulator): this {
    const fn = 'CovarianceAccumulator.merge';
    if (!(other instanceof CovarianceAccumulator)) throw new ArgumentTypeError(message(fn, 'other must be a CovarianceAccumulator', other));
    if (other.bands !== this.bands || other.used.length !== this.used.length || other.used.some((b, i) => b !== this.used[i])) {
      throw new ShapeError(message(fn, 'both accumulators must cover the same bands', { verbatim: `${other.used.length} of ${other.bands} vs ${this.used.length} of ${this.bands}` }));
    }
    if (other.count === 0 || !other.shift) return this;
    if (!this.shift) {
      this.shift = Float64Array.from(other.shift);
      this.scale = other.scale;
    }
    const B = this.used.length;
    const f = this.scale / other.scale;
    const d = new Float64Array(B);
    const so = new Float64Array(B);
    for (let i = 0; i < B; i++) {
      d[i] = (other.shift[i] - this.shift[i]) * this.scale;
      so[i] = other.sum[i] * f;
    }
    const f2 = f * f;
    const no = other.count;
    for (let i = 0; i < B; i++) {
      for (let j = i; j < B; j++) {
        this.gram[i * B + j] += other.gram[i * B + j] * f2 + so[i] * d[j] + d[i] * so[j] + no * d[i] * d[j];
      }
    }
    for (let i = 0; i < B; i++) this.sum[i] += so[i] + no * d[i];
    this.count += no;
    return this;
  }

  /**
   * Mean (used bands), covariance (used × used, ddof = 1, row-major) and the valid-pixel count.
   * The covariance of data beyond about ±1e154 overflows to Infinity here; {@link finalizeScaled}
   * gives it scaled.
   * @throws ValueError with fewer than 2 valid pixels.
   */
  finalize(): { mean: Float64Array; covariance: Float64Array; count: number } {
    const { mean, covariance, count, scale } = this.finalizeScaled();
    const s2 = scale * scale;
    for (let i = 0; i < covariance.length; i++) covariance[i] /= s2;
    return { mean, covariance, count };
  }

  /**
   * As {@link finalize}, but the covariance stays multiplied by `scale²` (a power of two near
   * 1 / max|x − c|², so its entries are near 1 whatever the data's magnitude).
   * @throws ValueError with fewer than 2 valid pixels.
   */
  finalizeScaled(): { mean: Float64Array; covariance: Float64Array; count: number; scale: number } {
    const fn = 'CovarianceAccumulator.finalize';
    if (this.count < 2 || !this.shift) {
      throw new ValueError(message(fn, 'at least 2 valid pixels (no NaN, not the ignore value) are required', this.count));
    }
    const B = this.used.length;
    const n = this.count;
    const cov = Float64Array.from(this.gram);
    for (let i = 0; i < B; i++) for (let j = i; j < B; j++) cov[i * B + j] = (cov[i * B + j] - (this.sum[i] * this.sum[j]) / n) / (n - 1);
    mirrorUpper(cov, B);
    const mean = new Float64Array(B);
    for (let i = 0; i < B; i++) mean[i] = this.shift[i] + this.sum[i] / n / this.scale;
    return { mean, covariance: cov, count: n, scale: this.scale };
  }
}

/** Packs a segment's sums at `out[o…]`: n, s (B values), G (B² values). */
function packSegment(seg: SegmentSums, out: Float64Array, o: number): void {
  out[o] = seg.n;
  out.set(seg.s, o + 1);
  out.set(seg.G, o + 1 + seg.s.length);
}

/** Reads back a segment packed by {@link packSegment} (views, no copy). */
function unpackSegment(buf: Float64Array, o: number, B: number): SegmentSums {
  return { n: buf[o], s: buf.subarray(o + 1, o + 1 + B), G: buf.subarray(o + 1 + B, o + 1 + B + B * B) };
}

/**
 * One worker's share of {@link accumulateParallel} (arrays on shared memory): the segments of
 * pixels `[p0, p1)` of `data` (`[bands, N]`, segments cut every {@link SEGMENT_PIXELS} from p0),
 * packed one after another into `out` (stride 1 + B + B², B = used.length).
 * @internal
 */
export interface CovarianceTask {
  data: SampleArray;
  N: number;
  used: Int32Array;
  shift: Float64Array;
  ignoreValue: number | undefined;
  /** The accumulator's scale (a power of two). */
  scale: number;
  p0: number;
  p1: number;
  out: Float64Array;
}

/** Runs a {@link CovarianceTask} with {@link computeSegment}, the single-thread path's kernel (the worker's body). @internal */
export function computeSegments(t: CovarianceTask): void {
  const B = t.used.length;
  for (let p = t.p0, o = 0; p < t.p1; p += SEGMENT_PIXELS, o += 1 + B + B * B) {
    packSegment(computeSegment(t.data, t.N, t.used, t.shift, p, Math.min(t.p1, p + SEGMENT_PIXELS), t.ignoreValue, t.scale), t.out, o);
  }
}

/** The covariance workers (src/spectral/covariance-worker.ts), started on first use and kept. */
const pool = new WorkerPool(path.join(__dirname, 'covariance-worker'));

/** Bytes of shared memory (data copies plus packed results) per thread and round of accumulateParallel. */
const ROUND_BYTES = 64 * 1024 * 1024;

/**
 * Adds the valid pixels of `x` to `acc` on `threads` threads: the calling thread and `threads − 1`
 * persistent worker threads (started on first use, unref'd, shared by later calls). The canonical
 * `SEGMENT_PIXELS` segments are split into contiguous runs of about equal pixel count, the
 * calling thread taking the first run in place; every thread computes its segments with the same
 * kernel (computeSegment), and all segments are added to `acc` in segment order on the
 * calling thread, so the result is bit-for-bit the same as `acc.add(x)`.
 *
 * Only the workers' pixels (used bands only) are copied to shared memory, none when `x.data`
 * already lives on a SharedArrayBuffer. Large cubes go in rounds of at most ~64 MB of shared memory
 * per thread. Synchronous (the calling thread blocks on Atomics.wait for the workers' share).
 * `threads: 1`, or a cube of one segment, is exactly `acc.add(x)`.
 * Cost: that of `acc.add(x)` divided by up to `threads` (~1.9× on two idle cores for 21025 × 200).
 * @throws ShapeError / ArgumentTypeError as {@link CovarianceAccumulator.add}; ValueError for a bad
 * `threads`; NumericalError `accumulateParallel: a worker thread failed (…)` when a worker fails or
 * does not answer (`acc` is then unchanged).
 * @example accumulateParallel(acc, cube, 2)
 */
export function accumulateParallel(acc: CovarianceAccumulator, x: Multichannel, threads: number): void {
  const fn = 'accumulateParallel';
  assertInteger(fn, 'threads', threads, 1, 64);
  if (!(acc instanceof CovarianceAccumulator)) throw new ArgumentTypeError(message(fn, 'acc must be a CovarianceAccumulator', acc));
  acc.checkChunk(fn, 'x', x);
  addOnThreads(fn, 'threads = 1', acc, x, threads);
}

/**
 * {@link accumulateParallel} without its checks, for callers that validated (pca, pcaStream, with
 * {@link CovarianceAccumulator.checkChunk}); `fn` and `retry` (how to turn threads off) go into a
 * worker failure's message; `roundBytes` (shared memory per thread and round) is a parameter for
 * the tests. Returns the worker's copy of its pixels when there was one worker, one round and a
 * copy that reaches the cube's end (the sign pass of {@link pca} scores them there), else null.
 * @internal
 */
export function addOnThreads(fn: string, retry: string, acc: CovarianceAccumulator, x: Multichannel, threads: number, roundBytes = ROUND_BYTES): WorkerCopy | null {
  const N = x.length;
  const nSeg = Math.ceil(N / SEGMENT_PIXELS);
  const parts = Math.min(threads, nSeg);
  if (parts <= 1) {
    acc.add(x);
    return null;
  }
  const before = { count: acc.count, shift: acc.shift, scale: acc.scale, sum: Float64Array.from(acc.sum), gram: Float64Array.from(acc.gram) };
  try {
    return addInRounds(fn, retry, acc, x, parts, nSeg, roundBytes);
  } catch (e) {
    // leave acc as it was (a failure in a later round must not leave earlier rounds added)
    acc.count = before.count;
    acc.shift = before.shift;
    acc.scale = before.scale;
    acc.sum.set(before.sum);
    acc.gram.set(before.gram);
    scratch = null; // a worker that did not answer may still be writing into it
    throw e;
  }
}

/** Shared memory kept between calls, up to this size. */
const KEEP_SCRATCH_BYTES = 64 * 1024 * 1024;
let scratch: SharedArrayBuffer | null = null;

/**
 * A SharedArrayBuffer of at least `bytes`, reused from call to call when it is no larger than
 * {@link KEEP_SCRATCH_BYTES}: fresh memory pays a first-touch fault per 4 KiB page, a noticeable
 * share of a worker's compute time (docs/PERFORMANCE.md, section spectral covariance).
 */
function sharedScratch(bytes: number): SharedArrayBuffer {
  if (scratch !== null && scratch.byteLength >= bytes) return scratch;
  const buf = sharedBuffer(bytes);
  if (bytes <= KEEP_SCRATCH_BYTES) scratch = buf;
  return buf;
}

/** The body of {@link accumulateParallel}: rounds of segments split over `parts` threads. */
function addInRounds(fn: string, retry: string, acc: CovarianceAccumulator, x: Multichannel, parts: number, nSeg: number, roundBytes: number): WorkerCopy | null {
  if (!acc.ensureShift(x)) return null;
  let copy: WorkerCopy | null = null;
  let rounds = 0;
  const N = x.length;
  const { used, ignoreValue } = acc;
  const shift = acc.shift!;
  const scale = acc.scale;
  const B = used.length;
  const stride = 1 + B + B * B;
  const isShared = x.data.buffer instanceof SharedArrayBuffer;
  const elem = x.data.BYTES_PER_ELEMENT;
  const segBytes = 8 * stride + (isShared ? 0 : SEGMENT_PIXELS * B * elem);
  const perRound = parts * Math.max(1, Math.floor(roundBytes / segBytes));
  const allBands = Int32Array.from({ length: B }, (_, i) => i);
  for (let s0 = 0; s0 < nSeg; s0 += perRound) {
    const s1 = Math.min(nSeg, s0 + perRound);
    const px0 = s0 * SEGMENT_PIXELS;
    const px1 = Math.min(N, s1 * SEGMENT_PIXELS);
    // cuts[p]: first segment of part p, so that the parts hold about equal numbers of pixels
    const cuts = [s0];
    for (let p = 1; p < parts; p++) cuts.push(Math.max(cuts[p - 1], Math.min(s1, s0 + Math.round((p * (px1 - px0)) / parts / SEGMENT_PIXELS))));
    cuts.push(s1);
    // the workers' inputs (unless x is shared) and outputs, carved from one reused shared buffer
    let need = 0;
    for (let p = 1; p < parts; p++) {
      const n = Math.min(N, cuts[p + 1] * SEGMENT_PIXELS) - cuts[p] * SEGMENT_PIXELS;
      need += 8 * stride * (cuts[p + 1] - cuts[p]) + (isShared ? 0 : Math.ceil((B * n * elem) / 8) * 8);
    }
    const sab = sharedScratch(need);
    let at = 0;
    const tasks: CovarianceTask[] = [];
    for (let p = 1; p < parts; p++) {
      if (cuts[p] === cuts[p + 1]) continue;
      const q0 = cuts[p] * SEGMENT_PIXELS;
      const q1 = Math.min(N, cuts[p + 1] * SEGMENT_PIXELS);
      const out = new Float64Array(sab, at, stride * (cuts[p + 1] - cuts[p]));
      at += out.byteLength;
      if (isShared) {
        tasks.push({ data: x.data, N, used, shift, ignoreValue, scale, p0: q0, p1: q1, out });
      } else {
        // the used bands of pixels [q0, q1) only, as a [B, q1 − q0] cube
        const n = q1 - q0;
        const data = x.data instanceof Float32Array ? new Float32Array(sab, at, B * n) : new Float64Array(sab, at, B * n);
        at += Math.ceil(data.byteLength / 8) * 8;
        for (let b = 0; b < B; b++) data.set(x.data.subarray(used[b] * N + q0, used[b] * N + q1), b * n);
        tasks.push({ data, N: n, used: allBands, shift, ignoreValue, scale, p0: 0, p1: n, out });
        copy = parts === 2 ? { data, p0: q0, p1: q1 } : null;
      }
    }
    const own = new Float64Array(stride * (cuts[1] - cuts[0]));
    pool.run(fn, tasks, () => computeSegments({ data: x.data, N, used, shift, ignoreValue, scale, p0: px0, p1: Math.min(N, cuts[1] * SEGMENT_PIXELS), out: own }), { retry });
    // canonical order: this thread's segments, then each worker's, in segment order
    for (const buf of [own, ...tasks.map((t) => t.out)]) for (let o = 0; o < buf.length; o += stride) acc.addSegment(unpackSegment(buf, o, B));
    rounds++;
  }
  return rounds === 1 && copy !== null && copy.p1 === N ? copy : null;
}

/**
 * The worker's pixels as {@link addOnThreads} copied them to shared memory: the used bands of
 * pixels `[p0, p1)` of the cube, `data[j·(p1 − p0) + t]` for used band j and pixel p0 + t. Valid
 * until the next call that adds on threads (its buffer is reused).
 * @internal
 */
export interface WorkerCopy {
  data: SampleArray;
  p0: number;
  p1: number;
}
