/**
 * Mergeable Gram sums of paired samples `x [Cin, T]`, `y [Cout, T]`: everything the closed-form
 * fits ({@link fitLeastSquaresFromGram}, `fitConstrainedMixerFromGram`) need, gathered chunk by
 * chunk, tile by tile or machine by machine and merged exactly.
 *
 * The sums are those of the band covariance ({@link CovarianceAccumulator}) over the stacked
 * channels `z = [x; y]` (Cin + Cout channels): a count, sums and the upper-triangle Gram of `z − c`
 * about a shift `c` (the mean of the first segment seen), so the centred moments keep their digits
 * when the data sit far from zero, and merging re-centres exactly as the covariance does.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { assertAllFinite, assertInteger, assertOneOf } from '../core/validate.js';
import { CovarianceAccumulator } from '../spectral/covariance.js';
import type { GramStats } from '../linalg/products.js';

/** Uncentred sums of paired samples: `xx = Σ x xᵀ` (Cin × Cin), `yx = Σ y xᵀ` (Cout × Cin), `sx`, `sy`, `yy = Σ ‖y‖²`, `n` (the one definition lives with the linear algebra). */
export type RawGramSums = GramStats;

/** Centred sums: `xx = Σ (x − x̄)(x − x̄)ᵀ`, `xy = Σ (x − x̄)(y − ȳ)ᵀ` (Cin × Cout), `yy` (Cout × Cout), means, `n`. */
export interface CentredGramSums {
  xx: Float64Array;
  xy: Float64Array;
  yy: Float64Array;
  meanX: Float64Array;
  meanY: Float64Array;
  n: number;
}

/**
 * Gram sums of paired samples, mergeable. `add(x, y)` takes a chunk (same length, finite),
 * `merge(other)` adds another accumulator's sums (the same channel counts), and `raw()` /
 * `centred()` give the sums the fits use. Merging is exact up to rounding: associative and
 * commutative to ~1e-15 relative, and the same parts merged in the same order give the same bits.
 *
 * Cost: O(T·(Cin + Cout)²) per add (the covariance's SIMD Gram kernel), O((Cin + Cout)²) per merge.
 * @example
 * const acc = new GramAccumulator(8, 2);
 * for (const [x, y] of tiles) acc.add(x, y);
 * const fit = fitLeastSquaresFromGram(acc, { ridge: 1e-6 });
 */
export class GramAccumulator {
  readonly inChannels: number;
  readonly outChannels: number;
  /** What {@link add} does with NaN or ±Infinity: `'throw'` (default) or `'skip'` the sample (as pca skips NaN pixels). */
  readonly nonFinite: 'throw' | 'skip';
  /** The sums over the stacked channels `[x; y]` (shift, count, sums, upper-triangle Gram). */
  readonly stacked: CovarianceAccumulator;

  /**
   * @param options.nonFinite `'skip'` leaves out every sample with NaN or ±Infinity in any channel
   *   of x or y (pixels outside the image, bad retrievals); `'throw'` (default) rejects them.
   * @throws ValueError for channel counts that are not positive integers or another `nonFinite`.
   */
  constructor(inChannels: number, outChannels: number, options: { nonFinite?: 'throw' | 'skip' } = {}) {
    const fn = 'GramAccumulator';
    assertInteger(fn, 'inChannels', inChannels, 1);
    assertInteger(fn, 'outChannels', outChannels, 1);
    this.nonFinite = assertOneOf(fn, 'options.nonFinite', options.nonFinite ?? 'throw', ['throw', 'skip'] as const);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.stacked = new CovarianceAccumulator(inChannels + outChannels);
  }

  /** Samples added so far. */
  get count(): number {
    return this.stacked.count;
  }

  /**
   * Adds the pairs `(x[:, t], y[:, t])` of a chunk (those with a NaN or ±Infinity left out when
   * `nonFinite: 'skip'`). Returns `this`.
   * @throws ArgumentTypeError for non-Multichannel arguments; ShapeError for channel counts other
   * than the accumulator's or different lengths; ValueError for NaN or Infinity in x or y (unless skipped).
   */
  add(x: Multichannel, y: Multichannel): this {
    const fn = 'GramAccumulator.add';
    assertMultichannel(fn, 'x', x);
    assertMultichannel(fn, 'y', y);
    if (x.channels !== this.inChannels) throw new ShapeError(message(fn, `x must have inChannels = ${this.inChannels} channels`, x.channels));
    if (y.channels !== this.outChannels) throw new ShapeError(message(fn, `y must have outChannels = ${this.outChannels} channels`, y.channels));
    if (y.length !== x.length) throw new ShapeError(message(fn, `y must have as many samples as x (${x.length})`, y.length));
    if (this.nonFinite === 'throw') {
      assertAllFinite(fn, 'x', x.data);
      assertAllFinite(fn, 'y', y.data);
    }
    if (x.length === 0) return this;
    const z = new Float64Array((this.inChannels + this.outChannels) * x.length);
    z.set(x.data, 0);
    z.set(y.data, x.data.length);
    this.stacked.add(new Multichannel(z, this.inChannels + this.outChannels, x.length));
    return this;
  }

  /**
   * Adds `other`'s sums to this one's (re-centred to this shift). Returns `this`.
   * @throws ArgumentTypeError when other is not a GramAccumulator; ShapeError for other channel
   * counts; ValueError for another `nonFinite` policy.
   */
  merge(other: GramAccumulator): this {
    const fn = 'GramAccumulator.merge';
    if (!(other instanceof GramAccumulator)) throw new ArgumentTypeError(message(fn, 'other must be a GramAccumulator', other));
    if (other.inChannels !== this.inChannels || other.outChannels !== this.outChannels) {
      throw new ShapeError(message(fn, `both accumulators must have the same channel counts (${this.inChannels} in, ${this.outChannels} out)`, { verbatim: `${other.inChannels} in, ${other.outChannels} out` }));
    }
    if (other.nonFinite !== this.nonFinite) throw new ValueError(message(fn, `both accumulators must treat non-finite samples alike (nonFinite: '${this.nonFinite}')`, other.nonFinite));
    this.stacked.merge(other.stacked);
    return this;
  }

  /**
   * The sums about the shift over the stacked channels: `G[i, j] = Σ (z_i − c_i)(z_j − c_j)`, full
   * (mirrored), and `s[i] = Σ (z_i − c_i)`, with the accumulator's power-of-two scale divided out.
   */
  private shiftedSums(): { G: Float64Array; s: Float64Array } {
    const n = this.inChannels + this.outChannels;
    const { gram, sum, scale } = this.stacked;
    const G = Float64Array.from(gram, (v) => v / scale / scale);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) G[i * n + j] = G[j * n + i];
    return { G, s: Float64Array.from(sum, (v) => v / scale) };
  }

  /**
   * Centred sums (about the sample means), from the shifted ones: `Σ (a − ā)(b − b̄) = G_ab − s_a s_b / n`.
   * @throws ShapeError when no sample has been added.
   */
  centred(): CentredGramSums {
    const { inChannels: cin, outChannels: cout } = this;
    const n = this.requireSamples('GramAccumulator.centred');
    const m = cin + cout;
    const { G, s } = this.shiftedSums();
    const c = this.stacked.shift!;
    const cen = (i: number, j: number): number => G[i * m + j] - (s[i] * s[j]) / n;
    const xx = new Float64Array(cin * cin);
    const xy = new Float64Array(cin * cout);
    const yy = new Float64Array(cout * cout);
    for (let i = 0; i < cin; i++) {
      for (let j = 0; j < cin; j++) xx[i * cin + j] = cen(i, j);
      for (let o = 0; o < cout; o++) xy[i * cout + o] = cen(i, cin + o);
    }
    for (let o = 0; o < cout; o++) for (let p = 0; p < cout; p++) yy[o * cout + p] = cen(cin + o, cin + p);
    const meanX = new Float64Array(cin);
    const meanY = new Float64Array(cout);
    for (let i = 0; i < cin; i++) meanX[i] = c[i] + s[i] / n;
    for (let o = 0; o < cout; o++) meanY[o] = c[cin + o] + s[cin + o] / n;
    return { xx, xy, yy, meanX, meanY, n };
  }

  /**
   * Uncentred sums, from the shifted ones: `Σ a b = G_ab + s_a c_b + c_a s_b + n c_a c_b`, `Σ a = s_a + n c_a`.
   * @throws ShapeError when no sample has been added.
   */
  raw(): RawGramSums {
    const { inChannels: cin, outChannels: cout } = this;
    const n = this.requireSamples('GramAccumulator.raw');
    const m = cin + cout;
    const { G, s } = this.shiftedSums();
    const c = this.stacked.shift!;
    const un = (i: number, j: number): number => G[i * m + j] + s[i] * c[j] + c[i] * s[j] + n * c[i] * c[j];
    const xx = new Float64Array(cin * cin);
    const yx = new Float64Array(cout * cin);
    const sx = new Float64Array(cin);
    const sy = new Float64Array(cout);
    for (let i = 0; i < cin; i++) {
      sx[i] = s[i] + n * c[i];
      for (let j = 0; j < cin; j++) xx[i * cin + j] = un(i, j);
    }
    let yy = 0;
    for (let o = 0; o < cout; o++) {
      sy[o] = s[cin + o] + n * c[cin + o];
      yy += un(cin + o, cin + o);
      for (let i = 0; i < cin; i++) yx[o * cin + i] = un(cin + o, i);
    }
    return { xx, yx, sx, sy, yy, n };
  }

  private requireSamples(fn: string): number {
    if (this.stacked.count === 0 || !this.stacked.shift) throw new ShapeError(message(fn, 'at least one sample must have been added', 0));
    return this.stacked.count;
  }
}
