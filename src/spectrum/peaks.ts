/**
 * Peak finding with scipy.signal's semantics: {@link findPeaks}, {@link peakProminences},
 * {@link peakWidths}.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertAllFinite, assertFinite, assertNumericArray, isNumericArray } from '../core/validate.js';

/**
 * A condition on a peak property: a lower bound, `[min, max]` (either may be null/undefined for
 * "no bound"), or per-sample bounds — an array as long as x, read at each peak's index.
 */
export type PeakCondition = number | ArrayLike<number> | readonly [number | ArrayLike<number> | null | undefined, number | ArrayLike<number> | null | undefined];

/** Options of {@link findPeaks}; each condition is applied only when given. */
export interface FindPeaksOptions {
  /** Required peak height `x[peak]`. */
  height?: PeakCondition;
  /** Required vertical distance to both neighbours: the smaller of the two ≥ min, the larger ≤ max. */
  threshold?: PeakCondition;
  /** Minimal horizontal distance (samples, ≥ 1; rounded up) between peaks; higher peaks win. */
  distance?: number;
  /** Required prominence. */
  prominence?: PeakCondition;
  /** Required width (samples) at `relHeight` of the prominence. */
  width?: PeakCondition;
  /** Window length (samples) limiting the search for the bases (prominence, width): > 1, rounded up; omitted = whole signal. */
  wlen?: number;
  /** Relative height at which the width is measured (≥ 0; default 0.5, half prominence). */
  relHeight?: number;
  /** Required size (samples) of the flat top. */
  plateauSize?: PeakCondition;
}

/**
 * Properties of the peaks found (each array parallel to `peaks`), present when the matching
 * condition was given — scipy's names in camelCase: plateauSizes/leftEdges/rightEdges (plateau_size),
 * peakHeights (height), leftThresholds/rightThresholds (threshold), prominences/leftBases/rightBases
 * (prominence or width), widths/widthHeights/leftIps/rightIps (width).
 */
export interface PeakProperties {
  plateauSizes?: Int32Array;
  leftEdges?: Int32Array;
  rightEdges?: Int32Array;
  peakHeights?: Float64Array;
  leftThresholds?: Float64Array;
  rightThresholds?: Float64Array;
  prominences?: Float64Array;
  leftBases?: Int32Array;
  rightBases?: Int32Array;
  widths?: Float64Array;
  widthHeights?: Float64Array;
  leftIps?: Float64Array;
  rightIps?: Float64Array;
}

/** Result of {@link findPeaks}: peak indices (increasing) and their properties. */
export interface FoundPeaks {
  peaks: Int32Array;
  properties: PeakProperties;
}

/** Local maxima (flat tops included): midpoints and plateau edges — scipy's `_local_maxima_1d`. */
function localMaxima(x: Float64Array): { peaks: number[]; left: number[]; right: number[] } {
  const peaks: number[] = [], left: number[] = [], right: number[] = [];
  const iMax = x.length - 1;
  let i = 1;
  while (i < iMax) {
    if (x[i - 1] < x[i]) {
      let ahead = i + 1;
      while (ahead < iMax && x[ahead] === x[i]) ahead++;
      if (x[ahead] < x[i]) {
        left.push(i);
        right.push(ahead - 1);
        peaks.push((i + ahead - 1) >> 1);
        i = ahead;
      }
    }
    i++;
  }
  return { peaks, left, right };
}

/** The bounds of a condition at the given peaks (per-sample arrays are read at the peaks). */
function bounds(fn: string, name: string, cond: PeakCondition, n: number, peaks: ArrayLike<number>): [Float64Array | null, Float64Array | null] {
  const pick = (v: unknown, which: string): Float64Array | null => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) throw new ValueError(message(fn, `options.${name} bounds must not be NaN`, v));
      return new Float64Array(peaks.length).fill(v);
    }
    if (isNumericArray(v)) {
      if (v.length !== n) throw new ShapeError(message(fn, `options.${name}: the array of ${which} bounds must have one value per sample of x (${n})`, v.length));
      assertAllFinite(fn, `options.${name}`, v);
      return Float64Array.from(peaks, (p) => v[p]);
    }
    throw new ArgumentTypeError(message(fn, `options.${name} must be a number, an array as long as x, or [min, max]`, v));
  };
  // any two-element sequence is [min, max], as scipy unpacks it (a per-sample array of length 2 has no peaks to select)
  if ((Array.isArray(cond) || ArrayBuffer.isView(cond)) && (cond as ArrayLike<unknown>).length === 2) {
    const pair = cond as readonly unknown[];
    return [pick(pair[0], 'lower'), pick(pair[1], 'upper')];
  }
  return [pick(cond, 'lower'), null];
}

function select(values: ArrayLike<number>, lo: Float64Array | null, hi: Float64Array | null): boolean[] {
  const keep: boolean[] = [];
  for (let i = 0; i < values.length; i++) keep.push((lo === null || lo[i] <= values[i]) && (hi === null || values[i] <= hi[i]));
  return keep;
}

/** scipy's `_select_by_peak_distance`: from the highest peak down, removes lower peaks closer than ceil(distance). Ties keep the later-sorted (stable order) peak first. */
function selectByDistance(peaks: ArrayLike<number>, priority: ArrayLike<number>, distance: number): boolean[] {
  const n = peaks.length;
  const d = Math.ceil(distance);
  const keep = new Array<boolean>(n).fill(true);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => priority[a] - priority[b] || a - b);
  for (let i = n - 1; i >= 0; i--) {
    const j = order[i];
    if (!keep[j]) continue;
    for (let k = j - 1; k >= 0 && peaks[j] - peaks[k] < d; k--) keep[k] = false;
    for (let k = j + 1; k < n && peaks[k] - peaks[j] < d; k++) keep[k] = false;
  }
  return keep;
}

/** scipy's `_arg_wlen_as_expected`: −1 for none, else ceil(wlen) for wlen > 1. */
function windowLength(fn: string, wlen: number | undefined): number {
  if (wlen === undefined) return -1;
  assertFinite(fn, 'options.wlen', wlen);
  if (!(wlen > 1)) throw new ValueError(message(fn, 'options.wlen must be larger than 1', wlen));
  return Math.ceil(wlen);
}

function xArray(fn: string, x: unknown): Float64Array {
  const a = assertNumericArray(fn, 'x', x, true);
  assertAllFinite(fn, 'x', a);
  return Float64Array.from(a);
}

function peakIndices(fn: string, peaks: unknown, n: number): Int32Array {
  const p = assertNumericArray(fn, 'peaks', peaks, true);
  for (let i = 0; i < p.length; i++) {
    if (!Number.isInteger(p[i]) || p[i] < 0 || p[i] >= n) throw new ValueError(message(fn, `peaks must be indices of x, integers in [0, ${n - 1}]`, { verbatim: `${p[i]} at index ${i}` }));
  }
  return Int32Array.from(p);
}

function prominencesOf(x: Float64Array, peaks: Int32Array, wlen: number): { prominences: Float64Array; leftBases: Int32Array; rightBases: Int32Array } {
  const n = peaks.length;
  const prominences = new Float64Array(n), leftBases = new Int32Array(n), rightBases = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const peak = peaks[p];
    let iMin = 0, iMax = x.length - 1;
    if (wlen >= 2) {
      iMin = Math.max(peak - (wlen >> 1), iMin);
      iMax = Math.min(peak + (wlen >> 1), iMax);
    }
    let i = (leftBases[p] = peak);
    let leftMin = x[peak];
    while (iMin <= i && x[i] <= x[peak]) {
      if (x[i] < leftMin) {
        leftMin = x[i];
        leftBases[p] = i;
      }
      i--;
    }
    i = rightBases[p] = peak;
    let rightMin = x[peak];
    while (i <= iMax && x[i] <= x[peak]) {
      if (x[i] < rightMin) {
        rightMin = x[i];
        rightBases[p] = i;
      }
      i++;
    }
    prominences[p] = x[peak] - Math.max(leftMin, rightMin);
  }
  return { prominences, leftBases, rightBases };
}

function widthsOf(x: Float64Array, peaks: Int32Array, relHeight: number, prom: Float64Array, lb: Int32Array, rb: Int32Array): { widths: Float64Array; widthHeights: Float64Array; leftIps: Float64Array; rightIps: Float64Array } {
  const n = peaks.length;
  const widths = new Float64Array(n), widthHeights = new Float64Array(n), leftIps = new Float64Array(n), rightIps = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const iMin = lb[p], iMax = rb[p], peak = peaks[p];
    const height = (widthHeights[p] = x[peak] - prom[p] * relHeight);
    let i = peak;
    while (iMin < i && height < x[i]) i--;
    let left = i;
    if (x[i] < height) left += (height - x[i]) / (x[i + 1] - x[i]);
    i = peak;
    while (i < iMax && height < x[i]) i++;
    let right = i;
    if (x[i] < height) right -= (height - x[i]) / (x[i - 1] - x[i]);
    widths[p] = right - left;
    leftIps[p] = left;
    rightIps[p] = right;
  }
  return { widths, widthHeights, leftIps, rightIps };
}

/**
 * Prominence of each peak — scipy.signal.peak_prominences: the height of the peak over the higher
 * of its two bases, the lowest points on either side before a higher sample (or the window's edge,
 * `wlen` samples centred on the peak, or the signal's edge).
 *
 * Shapes: x `[N]`, peaks `[P]` → three arrays `[P]`. Complexity O(P · N) at worst (O(P · wlen) with wlen).
 * @throws ArgumentTypeError for non-arrays; ValueError for non-finite x, a peak that is not an index
 *   of x, or wlen ≤ 1.
 * @example
 * peakProminences([0, 2, 1, 3, 0], [1, 3]); // prominences [1, 3], leftBases [0, 0], rightBases [2, 4]
 */
export function peakProminences(x: ArrayLike<number>, peaks: ArrayLike<number>, options: { wlen?: number } = {}): { prominences: Float64Array; leftBases: Int32Array; rightBases: Int32Array } {
  const fn = 'peakProminences';
  const a = xArray(fn, x);
  return prominencesOf(a, peakIndices(fn, peaks, a.length), windowLength(fn, options.wlen));
}

/**
 * Width of each peak at `relHeight` of its prominence — scipy.signal.peak_widths: the line at
 * `x[peak] − relHeight · prominence` is followed left and right until it meets the signal (linear
 * interpolation between samples) or the peak's base; `widths = rightIps − leftIps` in samples.
 *
 * Shapes: x `[N]`, peaks `[P]` → four arrays `[P]`. Complexity O(P · N) at worst.
 * @throws as {@link peakProminences}; ValueError for relHeight < 0.
 * @example
 * peakWidths([0, 1, 2, 1, 0], [2]).widths; // [2]  (half height 1 is met at samples 1 and 3)
 */
export function peakWidths(x: ArrayLike<number>, peaks: ArrayLike<number>, options: { relHeight?: number; wlen?: number } = {}): { widths: Float64Array; widthHeights: Float64Array; leftIps: Float64Array; rightIps: Float64Array } {
  const fn = 'peakWidths';
  const a = xArray(fn, x);
  const p = peakIndices(fn, peaks, a.length);
  const relHeight = relHeightOf(fn, options.relHeight);
  const pr = prominencesOf(a, p, windowLength(fn, options.wlen));
  return widthsOf(a, p, relHeight, pr.prominences, pr.leftBases, pr.rightBases);
}

function relHeightOf(fn: string, r: number | undefined): number {
  const v = r ?? 0.5;
  assertFinite(fn, 'options.relHeight', v);
  if (v < 0) throw new ValueError(message(fn, 'options.relHeight must be ≥ 0', v));
  return v;
}

/**
 * Peaks of a 1-D signal filtered by conditions on their properties — scipy.signal.find_peaks. A peak
 * is a sample larger than both neighbours; a flat top counts once, at its middle (the left of the two
 * middle samples for an even size). The first and last samples are never peaks. Conditions are
 * applied in scipy's order: plateauSize, height, threshold, distance, prominence, width; each
 * given condition adds its properties (see {@link PeakProperties}).
 *
 * `distance` keeps the highest peaks first; among peaks of equal height the one further right is
 * taken first (a stable order — numpy's argsort is stable for up to 16 peaks and may order ties
 * differently beyond that).
 * Shapes: x `[N]` → peaks `[P]` (increasing). Units: samples (convert with your sample rate).
 * Agreement: scipy.signal.find_peaks 1.10, every condition and property (test/spectrum).
 * Complexity O(N) plus O(P · N) at worst for prominence/width (O(P · wlen) with wlen).
 * @throws ArgumentTypeError when x is not a numeric array or a condition is malformed; ShapeError for
 *   a per-sample condition whose length is not N; ValueError for non-finite x, distance < 1,
 *   wlen ≤ 1, relHeight < 0.
 * @example
 * const { peaks, properties } = findPeaks(x, { height: 0.5, distance: 10, prominence: 0.2 });
 * properties.prominences; // one per peak
 */
export function findPeaks(x: Float64Array | Float32Array | readonly number[], options: FindPeaksOptions = {}): FoundPeaks {
  const fn = 'findPeaks';
  const a = xArray(fn, x);
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
  const n = a.length;
  if (options.distance !== undefined) {
    assertFinite(fn, 'options.distance', options.distance);
    if (options.distance < 1) throw new ValueError(message(fn, 'options.distance must be ≥ 1', options.distance));
  }
  const relHeight = relHeightOf(fn, options.relHeight);
  const wlen = windowLength(fn, options.wlen);
  const lm = localMaxima(a);
  let peaks = Int32Array.from(lm.peaks);
  const props: Record<string, Float64Array | Int32Array> = {};
  const keepOnly = (keep: boolean[]): void => {
    const idx: number[] = [];
    keep.forEach((k, i) => k && idx.push(i));
    const filter = <T extends Float64Array | Int32Array>(arr: T): T => (arr instanceof Int32Array ? Int32Array.from(idx, (i) => arr[i]) : Float64Array.from(idx, (i) => arr[i])) as T;
    peaks = filter(peaks);
    for (const k of Object.keys(props)) props[k] = filter(props[k]);
  };
  if (options.plateauSize !== undefined) {
    const sizes = Int32Array.from(lm.peaks, (_, i) => lm.right[i] - lm.left[i] + 1);
    const [lo, hi] = bounds(fn, 'plateauSize', options.plateauSize, n, peaks);
    props.plateauSizes = sizes;
    props.leftEdges = Int32Array.from(lm.left);
    props.rightEdges = Int32Array.from(lm.right);
    keepOnly(select(sizes, lo, hi));
  }
  if (options.height !== undefined) {
    const h = Float64Array.from(peaks, (p) => a[p]);
    const [lo, hi] = bounds(fn, 'height', options.height, n, peaks);
    props.peakHeights = h;
    keepOnly(select(h, lo, hi));
  }
  if (options.threshold !== undefined) {
    const [lo, hi] = bounds(fn, 'threshold', options.threshold, n, peaks);
    const left = Float64Array.from(peaks, (p) => a[p] - a[p - 1]);
    const right = Float64Array.from(peaks, (p) => a[p] - a[p + 1]);
    const keep = Array.from(left, (_, i) => (lo === null || lo[i] <= Math.min(left[i], right[i])) && (hi === null || Math.max(left[i], right[i]) <= hi[i]));
    props.leftThresholds = left;
    props.rightThresholds = right;
    keepOnly(keep);
  }
  if (options.distance !== undefined) {
    keepOnly(selectByDistance(peaks, Float64Array.from(peaks, (p) => a[p]), options.distance));
  }
  if (options.prominence !== undefined || options.width !== undefined) {
    const pr = prominencesOf(a, peaks, wlen);
    props.prominences = pr.prominences;
    props.leftBases = pr.leftBases;
    props.rightBases = pr.rightBases;
  }
  if (options.prominence !== undefined) {
    const [lo, hi] = bounds(fn, 'prominence', options.prominence, n, peaks);
    keepOnly(select(props.prominences, lo, hi));
  }
  if (options.width !== undefined) {
    const w = widthsOf(a, peaks, relHeight, props.prominences as Float64Array, props.leftBases as Int32Array, props.rightBases as Int32Array);
    Object.assign(props, w);
    const [lo, hi] = bounds(fn, 'width', options.width, n, peaks);
    keepOnly(select(props.widths, lo, hi));
  }
  return { peaks, properties: props as PeakProperties };
}
