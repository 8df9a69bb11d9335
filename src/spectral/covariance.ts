/**
 * Band covariance accumulated from blocks of pixels as mergeable partial sums, so a cube streamed in
 * chunks (or split over threads or machines) gives the same covariance as one pass over the whole.
 *
 * Shifted formulation for accuracy: with a shift `c` near the mean (the mean of the first block's
 * valid pixels), it keeps n, `s = Σ (x − c)` and `G = Σ (x − c)(x − c)ᵀ`; then
 * `mean = c + s / n` and `cov = (G − s sᵀ / n) / (n − 1)` (ddof = 1). Because `s` is small, the
 * subtraction does not cancel catastrophically as the textbook `Σ x xᵀ − n μ μᵀ` does.
 *
 * Canonical order: every `add(chunk)` cuts the chunk into segments of {@link SEGMENT_PIXELS} pixels,
 * computes each segment's partial sums in a fresh buffer, and adds them in segment order; the worker
 * path computes the same segments in threads and adds them in the same order, so its result is
 * bit-for-bit identical.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, type SampleArray } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { mirrorUpper, syrkUpper } from './linalg.js';

/** Pixels per segment of the canonical accumulation order. */
export const SEGMENT_PIXELS = 8192;
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

/** Partial sums of one segment (used by the worker path). */
export interface SegmentSums {
  n: number;
  s: Float64Array;
  G: Float64Array;
}

/** Sums of centred values per band over valid pixels (separate pass, cheap: O(N·B)). */
function segmentMeanSums(data: SampleArray, N: number, used: Int32Array, shift: Float64Array, p0: number, p1: number, valid: Uint8Array, s: Float64Array): void {
  for (let b = 0; b < used.length; b++) {
    const src = used[b] * N;
    const c = shift[b];
    let acc = 0;
    for (let p = p0; p < p1; p++) if (valid[p - p0]) acc += data[src + p] - c;
    s[b] = acc;
  }
}

/** Valid-pixel flags of `[p0, p1)`: no NaN and no ignore value in any used band. */
export function validMask(data: SampleArray, N: number, used: Int32Array, p0: number, p1: number, ignoreValue: number | undefined): Uint8Array {
  const m = new Uint8Array(p1 - p0).fill(1);
  const hasIgnore = ignoreValue !== undefined && !Number.isNaN(ignoreValue);
  const iv = hasIgnore ? (ignoreValue as number) : 0;
  for (let b = 0; b < used.length; b++) {
    const src = used[b] * N - p0;
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
 */
export function computeSegment(data: SampleArray, N: number, used: Int32Array, shift: Float64Array, p0: number, p1: number, ignoreValue: number | undefined): SegmentSums {
  const valid = validMask(data, N, used, p0, p1, ignoreValue);
  const seg = segmentSumsMasked(data, N, used, shift, p0, p1, valid);
  segmentMeanSums(data, N, used, shift, p0, p1, valid, seg.s);
  return seg;
}

/** Partial sums of the valid pixels of `[p0, p1)` given their mask (`s` is filled by the caller). */
function segmentSumsMasked(data: SampleArray, N: number, used: Int32Array, shift: Float64Array, p0: number, p1: number, valid: Uint8Array): SegmentSums {
  const B = used.length;
  const G = new Float64Array(B * B);
  const buf = new Float64Array(B * BLOCK);
  let n = 0;
  let p = p0;
  while (p < p1) {
    // gather up to BLOCK valid pixels starting at p
    let fill = 0;
    const start = p;
    let allValid = true;
    let q = p;
    for (; q < p1 && fill < BLOCK; q++) {
      if (valid[q - p0]) fill++;
      else allValid = false;
    }
    if (allValid) {
      for (let b = 0; b < B; b++) {
        const src = used[b] * N + start;
        const dst = b * fill;
        const c = shift[b];
        for (let t = 0; t < fill; t++) buf[dst + t] = data[src + t] - c;
      }
    } else {
      for (let b = 0; b < B; b++) {
        const src = used[b] * N;
        const dst = b * fill;
        const c = shift[b];
        let w = 0;
        for (let r = start; r < q; r++) if (valid[r - p0]) buf[dst + w++] = data[src + r] - c;
      }
    }
    if (fill > 0) syrkUpper(fill === BLOCK ? buf : buf.subarray(0, B * fill), B, fill, G);
    n += fill;
    p = q;
  }
  return { n, s: new Float64Array(B), G };
}

/**
 * Mergeable accumulator of the band covariance (see the module notes). Feed chunks of the same cube
 * (`[bands, pixels]`, any pixel count) with {@link add}, combine accumulators with {@link merge},
 * then {@link finalize} gives the mean and the covariance (ddof = 1) over the used bands.
 * Cost: O(pixels · usedBands²) for the adds (register-tiled SYRK, ~1.5–3 GFLOP/s here), O(B²) per merge.
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
  /** Σ (x − c) over valid pixels. */
  readonly sum: Float64Array;
  /** Σ (x − c)(x − c)ᵀ, upper triangle (mirrored at finalize). */
  readonly gram: Float64Array;

  constructor(bands: number, options: MaskOptions = {}) {
    const fn = 'CovarianceAccumulator';
    assertInteger(fn, 'bands', bands, 1);
    this.bands = bands;
    this.used = usedBands(fn, bands, options.badBands);
    this.ignoreValue = options.ignoreValue;
    if (this.ignoreValue !== undefined && typeof this.ignoreValue !== 'number') throw new ArgumentTypeError(message(fn, 'ignoreValue must be a number', this.ignoreValue));
    const B = this.used.length;
    this.sum = new Float64Array(B);
    this.gram = new Float64Array(B * B);
  }

  /** The mean of the valid pixels of `chunk` over the used bands, or null when none is valid. */
  chunkMean(chunk: Multichannel): Float64Array | null {
    const N = chunk.length;
    const valid = validMask(chunk.data, N, this.used, 0, N, this.ignoreValue);
    let n = 0;
    for (let p = 0; p < N; p++) n += valid[p];
    if (n === 0) return null;
    const m = new Float64Array(this.used.length);
    segmentMeanSums(chunk.data, N, this.used, m, 0, N, valid, m);
    for (let b = 0; b < m.length; b++) m[b] /= n;
    return m;
  }

  /** Sets the shift when none is set yet (from the chunk's mean). Returns false when the chunk has no valid pixel. */
  ensureShift(chunk: Multichannel): boolean {
    if (this.shift) return true;
    const m = this.chunkMean(chunk);
    if (!m) return false;
    this.shift = m;
    return true;
  }

  /** Adds the valid pixels of `chunk` (`[bands, pixels]`). Returns `this`. */
  add(chunk: Multichannel): this {
    const fn = 'CovarianceAccumulator.add';
    if (!(chunk instanceof Multichannel)) throw new ArgumentTypeError(message(fn, 'chunk must be a Multichannel', chunk));
    if (chunk.channels !== this.bands) throw new ShapeError(message(fn, `chunk must have ${this.bands} bands`, chunk.channels));
    if (chunk.length === 0 || !this.ensureShift(chunk)) return this;
    const N = chunk.length;
    for (let p0 = 0; p0 < N; p0 += SEGMENT_PIXELS) this.addSegment(computeSegment(chunk.data, N, this.used, this.shift!, p0, Math.min(N, p0 + SEGMENT_PIXELS), this.ignoreValue));
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
   * Adds another accumulator's sums (same bands and masks), re-centring them to this shift:
   * with d = c_other − c_this, `G += G_o + s_o dᵀ + d s_oᵀ + n_o d dᵀ`, `s += s_o + n_o d`.
   */
  merge(other: CovarianceAccumulator): this {
    const fn = 'CovarianceAccumulator.merge';
    if (!(other instanceof CovarianceAccumulator)) throw new ArgumentTypeError(message(fn, 'other must be a CovarianceAccumulator', other));
    if (other.bands !== this.bands || other.used.length !== this.used.length || other.used.some((b, i) => b !== this.used[i])) {
      throw new ShapeError(message(fn, 'both accumulators must cover the same bands', { verbatim: `${other.used.length} of ${other.bands} vs ${this.used.length} of ${this.bands}` }));
    }
    if (other.count === 0 || !other.shift) return this;
    if (!this.shift) this.shift = Float64Array.from(other.shift);
    const B = this.used.length;
    const d = new Float64Array(B);
    for (let i = 0; i < B; i++) d[i] = other.shift[i] - this.shift[i];
    const no = other.count;
    for (let i = 0; i < B; i++) {
      for (let j = i; j < B; j++) {
        this.gram[i * B + j] += other.gram[i * B + j] + other.sum[i] * d[j] + d[i] * other.sum[j] + no * d[i] * d[j];
      }
    }
    for (let i = 0; i < B; i++) this.sum[i] += other.sum[i] + no * d[i];
    this.count += no;
    return this;
  }

  /**
   * Mean (used bands), covariance (used × used, ddof = 1, row-major) and the valid-pixel count.
   * @throws ValueError with fewer than 2 valid pixels.
   */
  finalize(): { mean: Float64Array; covariance: Float64Array; count: number } {
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
    for (let i = 0; i < B; i++) mean[i] = this.shift[i] + this.sum[i] / n;
    return { mean, covariance: cov, count: n };
  }
}
