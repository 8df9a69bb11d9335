/**
 * Localisation: GCC-PHAT time differences for a microphone pair and SRP-PHAT maps over grids of
 * directions (far field) or points (near field, 2-D or 3-D), with their K strongest peaks.
 *
 * SRP-PHAT is computed the fast way: the PHAT-weighted cross-spectrum of every pair is accumulated
 * once over frames, turned into an oversampled cross-correlation once, and each grid point then sums
 * linearly interpolated cross-correlation values at its pair TDOAs — O(P·G) for P pairs and G grid
 * points after an O(P·B·F) set-up, instead of O(P·B·G) for the frequency-domain sum.
 * @module
 */
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertFinite, assertInteger, assertNumericArray, assertPositive } from '../core/validate.js';
import { ArrayGeometry, DEFAULT_SPEED_OF_SOUND, direction, mirrorDirection, point, speedOfSoundChecked, unitVector, type FarFieldTarget, type SpeedLike, type Target } from './geometry.js';
import { checkGeometry } from './steering.js';
import { nextFastLength } from '../fft/index.js';
import { realPlan } from '../fft/plan.js';

// ------------------------------------------------------------------------------------- GCC-PHAT

/** Result of {@link gccPhat}. */
export interface GccPhatResult {
  /** Delay of `b` relative to `a` in samples (b(t) ≈ a(t − delay)); 0 when the pair carries no signal. */
  delaySamples: number;
  /** The same in seconds when a sample rate is known, else NaN. */
  delaySeconds: number;
  /** Peak value of the normalised cross-correlation (≤ 1; 0 for silent input). */
  peak: number;
}

/** Options of {@link gccPhat}. */
export interface GccPhatOptions {
  /** Largest |delay| searched, in samples (default: the signal length − 1). */
  maxDelaySamples?: number;
  /** Sample rate (Hz) for delaySeconds when the inputs are plain arrays. */
  sampleRate?: number;
}

function channelOf(fn: string, name: string, v: unknown): { data: ArrayLike<number>; fs: number | undefined } {
  if (v instanceof Multichannel) {
    if (v.channels !== 1) throw new ShapeError(message(fn, `${name} must have one channel`, v.channels));
    return { data: v.data, fs: v.sampleRate };
  }
  return { data: assertNumericArray(fn, name, v), fs: undefined };
}

/**
 * GCC-PHAT delay between two signals: the lag maximising the inverse FFT of the phase transform
 * `conj(A)·B / |conj(A)·B|`, refined to a fraction of a sample by evaluating the band-limited
 * correlation on a 0.02-sample grid around the integer peak and fitting a parabola (error
 * ≲ 0.01 samples on broadband delays). Silent or constant inputs give delay 0 and peak 0 (no NaN).
 * `[N], [N] → delay`. O(n log n), n = nextFastLength(2N).
 * @throws ShapeError for different lengths or empty input; ValueError for non-finite samples.
 * @example gccPhat(x.channel(0), x.channel(1), { sampleRate: 48000 }).delaySeconds
 */
export function gccPhat(a: ArrayLike<number> | Multichannel, b: ArrayLike<number> | Multichannel, options: GccPhatOptions = {}): GccPhatResult {
  const fn = 'gccPhat';
  const A = channelOf(fn, 'a', a);
  const Bc = channelOf(fn, 'b', b);
  const N = A.data.length;
  if (Bc.data.length !== N) throw new ShapeError(message(fn, `a and b must have the same length (${N})`, Bc.data.length));
  for (const [nm, d] of [['a', A.data], ['b', Bc.data]] as const) {
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) throw new ValueError(message(fn, `${nm} must hold only finite samples`, { verbatim: `${d[i]} at index ${i}` }));
  }
  const fs = options.sampleRate ?? A.fs ?? Bc.fs;
  const maxLag = options.maxDelaySamples ?? N - 1;
  assertPositive(fn, 'options.maxDelaySamples', maxLag, true);
  const n = nextFastLength(2 * N);
  const fft = realPlan(n);
  const B = fft.bins;
  const ar = new Float64Array(B);
  const ai = new Float64Array(B);
  const br = new Float64Array(B);
  const bi = new Float64Array(B);
  fft.forward(A.data, ar, ai);
  fft.forward(Bc.data, br, bi);
  const gr = new Float64Array(B);
  const gi = new Float64Array(B);
  let gmax = 0;
  for (let k = 0; k < B; k++) {
    gr[k] = ar[k] * br[k] + ai[k] * bi[k];
    gi[k] = ar[k] * bi[k] - ai[k] * br[k];
    gmax = Math.max(gmax, Math.hypot(gr[k], gi[k]));
  }
  const floor = gmax * 1e-12;
  let used = 0;
  for (let k = 0; k < B; k++) {
    const mag = Math.hypot(gr[k], gi[k]);
    if (mag > floor && gmax > 0) {
      gr[k] /= mag;
      gi[k] /= mag;
      used += k === 0 || k === B - 1 ? 1 : 2;
    } else {
      gr[k] = 0;
      gi[k] = 0;
    }
  }
  if (used === 0) return { delaySamples: 0, delaySeconds: 0, peak: 0 };
  const r = new Float64Array(n);
  fft.inverse(gr, gi, r);
  const L = Math.min(Math.floor(maxLag), N - 1);
  let best = 0;
  let bestV = -Infinity;
  for (let l = -L; l <= L; l++) {
    const v = r[(l + n) % n];
    if (v > bestV) {
      bestV = v;
      best = l;
    }
  }
  // band-limited refinement around the integer peak
  const corr = (tau: number): number => {
    let s = gr[0];
    const w = (2 * Math.PI * tau) / n;
    for (let k = 1; k < B; k++) {
      const c = k === B - 1 ? 1 : 2;
      s += c * (gr[k] * Math.cos(w * k) - gi[k] * Math.sin(w * k));
    }
    return s / n;
  };
  const step = 0.02;
  let bt = best;
  let bv = bestV;
  const lo = Math.max(-L, best - 1);
  const hi = Math.min(L, best + 1);
  for (let tau = lo; tau <= hi + 1e-9; tau += step) {
    const v = corr(tau);
    if (v > bv) {
      bv = v;
      bt = tau;
    }
  }
  const vm = corr(bt - step);
  const vp = corr(bt + step);
  const den = vm - 2 * bv + vp;
  let delta = den < 0 ? (0.5 * (vm - vp)) / den : 0;
  if (!(Math.abs(delta) <= 1)) delta = 0;
  const delaySamples = bt + delta * step;
  const peak = (bv * n) / used;
  return { delaySamples, delaySeconds: fs !== undefined ? delaySamples / fs : NaN, peak };
}

// ---------------------------------------------------------------------------------------- grids

/** A grid of far-field directions (degrees) or near-field points (metres) to scan. */
export interface SearchGrid {
  readonly kind: 'directions' | 'points';
  /** Number of grid points. */
  readonly size: number;
  /** Directions: `[G × 2]` (azimuthDeg, elevationDeg); points: `[G × 3]` (x, y, z) metres. */
  readonly values: Float64Array;
  /** The grid's axes lengths for maps, e.g. [elevations, azimuths] or [ny, nx] (row-major, last fastest). */
  readonly shape: readonly number[];
}

/**
 * Default grid budget (points) of {@link linspaceStep}, {@link directionGrid} and {@link pointGrid}:
 * 2 000 000 points (48 MB of point coordinates, 16 MB of SRP map), e.g. a 1 mm grid over 1.4 m × 1.4 m.
 */
export const DEFAULT_MAX_GRID_POINTS = 2_000_000;

/**
 * Default work budget of {@link srpPhat}: grid points × microphone pairs, each one interpolated
 * cross-correlation lookup per point and pair (2·10⁹ is some seconds here).
 */
export const DEFAULT_MAX_SRP_WORK = 2e9;

/** Options of the grid builders. */
export interface GridOptions {
  /** Most points an axis or grid may have (default {@link DEFAULT_MAX_GRID_POINTS}); checked before allocation. */
  maxPoints?: number;
}

function gridBudget(fn: string, options: GridOptions): number {
  const max = options.maxPoints ?? DEFAULT_MAX_GRID_POINTS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) throw new ValueError(message(fn, 'options.maxPoints must be a positive integer', max));
  return max;
}

/** Throws when `count` grid points (described by `what`) exceed the budget. */
function checkGridSize(fn: string, count: number, what: string, max: number): void {
  if (!(count <= max)) {
    throw new ValueError(message(fn, `the grid must have at most maxPoints = ${max} points (raise maxPoints for a larger grid, or use a coarser step)`, { verbatim: `${what} = ${!Number.isFinite(count) ? 'too many' : count < 1e15 ? count : count.toPrecision(3)} points` }));
  }
}

function range(fn: string, name: string, v: ArrayLike<number>): Float64Array {
  assertNumericArray(fn, name, v, true);
  const out = Float64Array.from(v);
  for (let i = 0; i < out.length; i++) assertFinite(fn, `${name}[${i}]`, out[i]);
  return out;
}

/**
 * How many values {@link linspaceStep} gives for these arguments (without allocating them); may be
 * Infinity for a step that is tiny beside the range. Arguments are not checked.
 * @example linspaceCount(0.1, 1.2, 0.01) // 111
 */
export function linspaceCount(start: number, stop: number, step: number): number {
  return Math.max(0, Math.floor((stop - start) / step + 1e-3) + 1);
}

/**
 * `start, start + step, …` up to and including `stop` (within step/1000): the axis values of a grid.
 * The count is checked against `options.maxPoints` before the axis is allocated.
 * @throws ValueError for a non-finite start or stop, step ≤ 0, or more than maxPoints values.
 * @example linspaceStep(0.1, 1.2, 0.01) // 111 values
 */
export function linspaceStep(start: number, stop: number, step: number, options: GridOptions = {}): Float64Array {
  const fn = 'linspaceStep';
  assertFinite(fn, 'start', start);
  assertFinite(fn, 'stop', stop);
  assertPositive(fn, 'step', step);
  const max = gridBudget(fn, options);
  const n = linspaceCount(start, stop, step);
  checkGridSize(fn, n, `${start}…${stop} in steps of ${step}`, max);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return out;
}

/**
 * Far-field grid: every (elevation, azimuth) pair, azimuth fastest; shape [elevations, azimuths].
 * @throws ShapeError for an empty axis; ValueError for more than `options.maxPoints` points
 *   (checked before the grid is allocated).
 */
export function directionGrid(azimuthsDeg: ArrayLike<number>, elevationsDeg: ArrayLike<number> = [0], options: GridOptions = {}): SearchGrid {
  const fn = 'directionGrid';
  const max = gridBudget(fn, options);
  const az = range(fn, 'azimuthsDeg', azimuthsDeg);
  const el = range(fn, 'elevationsDeg', elevationsDeg);
  if (az.length === 0 || el.length === 0) throw new ShapeError(message(fn, 'the grid must not be empty', { verbatim: `${el.length} elevations × ${az.length} azimuths` }));
  checkGridSize(fn, az.length * el.length, `${el.length} elevations × ${az.length} azimuths`, max);
  const values = new Float64Array(az.length * el.length * 2);
  let g = 0;
  for (let e = 0; e < el.length; e++) {
    for (let a = 0; a < az.length; a++, g++) {
      values[2 * g] = az[a];
      values[2 * g + 1] = el[e];
    }
  }
  return { kind: 'directions', size: az.length * el.length, values, shape: el.length === 1 ? [az.length] : [el.length, az.length] };
}

/**
 * Near-field grid of points (metres): every (z, y, x), x fastest; shape [ny, nx] for a single z
 * (2-D), else [nz, ny, nx].
 * @throws ShapeError for an empty axis; ValueError for more than `options.maxPoints` points
 *   (checked before the grid is allocated).
 * @example pointGrid(linspaceStep(0, 1, 0.01), linspaceStep(0, 1, 0.01)) // 101 × 101 points
 */
export function pointGrid(xs: ArrayLike<number>, ys: ArrayLike<number>, zs: ArrayLike<number> = [0], options: GridOptions = {}): SearchGrid {
  const fn = 'pointGrid';
  const max = gridBudget(fn, options);
  const X = range(fn, 'xs', xs);
  const Y = range(fn, 'ys', ys);
  const Z = range(fn, 'zs', zs);
  if (X.length === 0 || Y.length === 0 || Z.length === 0) throw new ShapeError(message(fn, 'the grid must not be empty', { verbatim: `${Z.length} × ${Y.length} × ${X.length} points` }));
  const G = X.length * Y.length * Z.length;
  checkGridSize(fn, G, `${Z.length} × ${Y.length} × ${X.length}`, max);
  const values = new Float64Array(G * 3);
  let g = 0;
  for (let k = 0; k < Z.length; k++) {
    for (let j = 0; j < Y.length; j++) {
      for (let i = 0; i < X.length; i++, g++) {
        values[3 * g] = X[i];
        values[3 * g + 1] = Y[j];
        values[3 * g + 2] = Z[k];
      }
    }
  }
  return { kind: 'points', size: G, values, shape: Z.length === 1 ? [Y.length, X.length] : [Z.length, Y.length, X.length] };
}

/** Grid point `g` as a steering target. */
export function gridTarget(grid: SearchGrid, g: number): Target {
  return grid.kind === 'directions' ? direction(grid.values[2 * g], grid.values[2 * g + 1]) : point(grid.values[3 * g], grid.values[3 * g + 1], grid.values[3 * g + 2]);
}

// -------------------------------------------------------------------------------------- SRP-PHAT

/** Options of {@link srpPhat}. */
export interface SrpPhatOptions {
  /** Speed of sound (m/s, '343 m/s' or '20 degC'); default the geometry's `speedOfSound`, else 343 m/s. */
  speedOfSound?: SpeedLike;
  /** Frame length in samples (power of two, default 1024); frames hop by half. */
  frameLength?: number;
  /** Zero-pad frames to 2·frameLength (linear instead of circular frame correlation; twice the cost). Default false. */
  zeroPad?: boolean;
  /** Oversampling of the cross-correlations before linear interpolation (power of two, default 4). */
  interp?: number;
  /** Frequency band used (Hz), default [0, sampleRate/2]. */
  minFrequency?: number;
  maxFrequency?: number;
  /** Number of peaks returned (default 1). */
  peaks?: number;
  /** Minimum distance between peaks: degrees for directions (default 10), metres for points (default 0.1). */
  minSeparation?: number;
  /** Sample rate when x has none (Hz). */
  sampleRate?: number;
  /**
   * Most work allowed: grid points × microphone pairs (default {@link DEFAULT_MAX_SRP_WORK});
   * checked before the cross-correlations are computed.
   */
  maxWork?: number;
}

/** One peak of an SRP map. */
export interface SrpPeak {
  /** Index into the grid. */
  index: number;
  /** Map value. */
  value: number;
  /** The grid point as a target (direction or point). */
  target: Target;
  /**
   * The peak refined between grid points: a parabola through the peak and its two neighbours along
   * each grid axis (offset clamped to ±half a step). Equals `target` at grid edges and on flat maps.
   */
  refined: Target;
  /**
   * Directions searched with a linear array only: the mirror of `refined` about the array axis
   * ({@link mirrorDirection}), a direction the array cannot tell apart from the peak (its map value
   * is the same). Undefined for other arrays and for point grids.
   */
  mirror?: FarFieldTarget;
  /** Index into `peaks` of another peak lying within `minSeparation` of `mirror` (the same source seen twice), if any. */
  mirrorPeak?: number;
}

/** Result of {@link srpPhat}. */
export interface SrpPhatResult {
  /** SRP-PHAT value per grid point, `[grid.size]` (sum over pairs of the normalised GCC-PHAT, ≤ pairs). */
  map: Float64Array;
  /** The grid's shape (see {@link SearchGrid}). */
  shape: readonly number[];
  /** Strongest peaks, best first, at least `minSeparation` apart. */
  peaks: SrpPeak[];
  /**
   * Set when the grid is of directions and the array is linear: the array axis (unit vector). Such
   * an array has a front/back ambiguity — every direction and its mirror about the axis give the
   * same map value — so each peak carries its `mirror`.
   */
  linearAxis?: readonly [number, number, number];
}

/** Precomputed per-pair GCC-PHAT correlations (oversampled), ready for grid evaluation. */
export interface PairCorrelations {
  pairsI: Int32Array;
  pairsJ: Int32Array;
  /** `[P × W]`: correlation of pair p at oversampled lag l − half, index p·W + l. */
  values: Float64Array;
  width: number;
  half: number;
  /** Oversampled lags per second (sampleRate × interp). */
  lagRate: number;
}

/**
 * Sizes of the SRP-PHAT set-up, shared by its phases (a plain object, so it can travel to worker
 * threads): C channels of N samples, frames of L samples hopping by `hop`, F frames, FFT size
 * `nfft` with B bins of which [kLo, kHi] are used, inverse FFT size `n2` (nfft · interp), and the
 * kept correlation lags: W = 2·half + 1 oversampled lags at `lagRate` per second.
 * @internal
 */
export interface SrpPlan {
  C: number;
  N: number;
  L: number;
  hop: number;
  F: number;
  nfft: number;
  B: number;
  kLo: number;
  kHi: number;
  n2: number;
  half: number;
  W: number;
  lagRate: number;
}

/** Validates frameLength / interp and works out the {@link SrpPlan} (`fn` names the caller in errors). @internal */
export function srpPlan(fn: string, C: number, N: number, fs: number, maxLagSeconds: number, options: SrpPhatOptions): SrpPlan {
  const L = options.frameLength ?? 1024;
  assertInteger(fn, 'options.frameLength', L, 8);
  if ((L & (L - 1)) !== 0) throw new ValueError(message(fn, 'options.frameLength must be a power of two', L));
  const interp = options.interp ?? 4;
  assertInteger(fn, 'options.interp', interp, 1, 64);
  if ((interp & (interp - 1)) !== 0) throw new ValueError(message(fn, 'options.interp must be a power of two', interp));
  const nfft = options.zeroPad ? 2 * L : L;
  const B = Math.floor(nfft / 2) + 1;
  const hop = L / 2;
  // frame f covers [f·hop − (L − hop), f·hop + hop): every sample is weighted equally (Σ Hann = 1)
  const F = Math.ceil((N + L - hop) / hop);
  const kLo = Math.max(0, Math.ceil(((options.minFrequency ?? 0) * nfft) / fs));
  const kHi = Math.min(B - 1, Math.floor(((options.maxFrequency ?? fs / 2) * nfft) / fs));
  const n2 = nfft * interp;
  const half = Math.min(n2 / 2 - 1, Math.ceil(maxLagSeconds * fs * interp) + 2 * interp);
  return { C, N, L, hop, F, nfft, B, kLo, kHi, n2, half, W: 2 * half + 1, lagRate: fs * interp };
}

/** The microphone pairs (i < j), i major: pair p = (pairsI[p], pairsJ[p]). @internal */
export function srpPairs(C: number): { pairsI: Int32Array; pairsJ: Int32Array } {
  const P = (C * (C - 1)) / 2;
  const pairsI = new Int32Array(P);
  const pairsJ = new Int32Array(P);
  let p = 0;
  for (let i = 0; i < C; i++) for (let j = i + 1; j < C; j++, p++) {
    pairsI[p] = i;
    pairsJ[p] = j;
  }
  return { pairsI, pairsJ };
}

/**
 * Set-up phase 1 of SRP-PHAT: Hann-windowed frame spectra of channels [c0, c1) into `Sr`, `Si`
 * (frame-major, `[(f·C + c)·B + k]`). `x` holds channels from `xc0` on, N samples each (the whole
 * signal with xc0 = 0, or a worker's copy of its channels). Channels are independent, so any split
 * gives the same values.
 * @internal
 */
export function channelSpectra(plan: SrpPlan, x: ArrayLike<number>, xc0: number, c0: number, c1: number, Sr: Float64Array, Si: Float64Array): void {
  const { C, N, L, hop, F, B } = plan;
  const fft = realPlan(plan.nfft);
  const win = new Float64Array(L);
  for (let n = 0; n < L; n++) win[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / L);
  const buf = new Float64Array(L);
  const tr = new Float64Array(B);
  const ti = new Float64Array(B);
  for (let f = 0; f < F; f++) {
    const s = f * hop - (L - hop);
    const n0 = Math.max(0, -s);
    const n1 = Math.min(L, N - s);
    for (let c = c0; c < c1; c++) {
      const base = (c - xc0) * N + s;
      buf.fill(0);
      for (let n = n0; n < n1; n++) buf[n] = x[base + n] * win[n];
      fft.forward(buf, tr, ti);
      Sr.set(tr, (f * C + c) * B);
      Si.set(ti, (f * C + c) * B);
    }
  }
}

/**
 * Set-up phase 2 of SRP-PHAT, for pairs [p0, p1): the cross-spectrum accumulated over frames (in
 * frame order), its phase transform, and the oversampled inverse FFT, kept for |lag| ≤ half into
 * `values[p·W + lag + half]`. Each pair's arithmetic depends only on its own data, so any split of
 * the pairs gives the same bits.
 * @internal
 */
export function pairCorrelate(plan: SrpPlan, Sr: Float64Array, Si: Float64Array, pairsI: Int32Array, pairsJ: Int32Array, p0: number, p1: number, values: Float64Array): void {
  const { C, F, B, kLo, kHi, n2, half, W } = plan;
  const Gr = new Float64Array((p1 - p0) * B);
  const Gi = new Float64Array((p1 - p0) * B);
  for (let f = 0; f < F; f++) {
    for (let p = p0; p < p1; p++) {
      const oi = (f * C + pairsI[p]) * B;
      const oj = (f * C + pairsJ[p]) * B;
      const og = (p - p0) * B;
      for (let k = kLo; k <= kHi; k++) {
        const ar = Sr[oi + k];
        const ai = Si[oi + k];
        const br = Sr[oj + k];
        const bi = Si[oj + k];
        Gr[og + k] += ar * br + ai * bi;
        Gi[og + k] += ar * bi - ai * br;
      }
    }
  }
  const ifft = realPlan(n2);
  const B2 = ifft.bins;
  const zr = new Float64Array(B2);
  const zi = new Float64Array(B2);
  const r = new Float64Array(n2);
  for (let p = p0; p < p1; p++) {
    zr.fill(0);
    zi.fill(0);
    const og = (p - p0) * B;
    let gmax = 0;
    for (let k = kLo; k <= kHi; k++) gmax = Math.max(gmax, Math.hypot(Gr[og + k], Gi[og + k]));
    const floor = gmax * 1e-12;
    let used = 0;
    for (let k = kLo; k <= kHi; k++) {
      const m = Math.hypot(Gr[og + k], Gi[og + k]);
      if (m > floor && gmax > 0) {
        zr[k] = Gr[og + k] / m;
        zi[k] = Gi[og + k] / m;
        used += k === 0 || k === B - 1 ? 1 : 2;
      }
    }
    if (used === 0) continue;
    ifft.inverse(zr, zi, r);
    const scale = n2 / used; // peak of a pure delay → 1
    const ov = p * W;
    for (let l = -half; l <= half; l++) values[ov + l + half] = r[(l + n2) % n2] * scale;
  }
}

/**
 * GCC-PHAT cross-correlations of every microphone pair (i < j), accumulated over half-overlapping
 * Hann frames (average cross-spectrum, then phase transform), oversampled by `interp` and kept for
 * |lag| ≤ maxLagSeconds. O(C·F·n log n + P·F·B + P·n·interp·log).
 */
export function pairCorrelations(x: Multichannel, fs: number, maxLagSeconds: number, options: SrpPhatOptions = {}): PairCorrelations {
  return correlateAll(srpPlan('srpPhat', x.channels, x.length, fs, maxLagSeconds, options), x.data);
}

/** Both set-up phases on the calling thread: the single-thread path. */
function correlateAll(plan: SrpPlan, x: ArrayLike<number>): PairCorrelations {
  const { C, F, B, W } = plan;
  const Sr = new Float64Array(F * C * B);
  const Si = new Float64Array(F * C * B);
  channelSpectra(plan, x, 0, 0, C, Sr, Si);
  const { pairsI, pairsJ } = srpPairs(C);
  const values = new Float64Array(pairsI.length * W);
  pairCorrelate(plan, Sr, Si, pairsI, pairsJ, 0, pairsI.length, values);
  return { pairsI, pairsJ, values, width: W, half: plan.half, lagRate: plan.lagRate };
}

/**
 * The SRP-PHAT grid evaluation kernel, run by srpEvaluate and by the worker threads of
 * srpPhatParallel (src/beamform/srp-worker.ts imports it), so their maps are bit-identical. For
 * grid points g ∈ [g0, g1) (`kind` 'directions': `grid[2g]`, `grid[2g+1]` azimuth/elevation in
 * degrees; 'points': `grid[3g…3g+2]` in metres) it computes the arrival times exactly as
 * arrivalTimesUnchecked does, in oversampled lags, and writes
 * `out[g − g0] = Σ_pairs R_ij(t_j − t_i)` with linear interpolation, in blocks of 256 points.
 * @internal
 */
export function srpKernel(positions: Float64Array, kind: SearchGrid['kind'], grid: Float64Array, c: number, g0: number, g1: number, pairsI: Int32Array, pairsJ: Int32Array, corr: Float64Array, W: number, half: number, lagRate: number, out: Float64Array): void {
  const M = positions.length / 3;
  const P = pairsI.length;
  const BLOCK = 256;
  const t = new Float64Array(BLOCK * M);
  for (let b0 = g0; b0 < g1; b0 += BLOCK) {
    const b1 = Math.min(g1, b0 + BLOCK);
    out.fill(0, b0 - g0, b1 - g0);
    for (let g = b0; g < b1; g++) {
      const o = (g - b0) * M;
      if (kind === 'directions') {
        const az = (grid[2 * g] * Math.PI) / 180;
        const el = (grid[2 * g + 1] * Math.PI) / 180;
        const ux = Math.cos(el) * Math.cos(az);
        const uy = Math.cos(el) * Math.sin(az);
        const uz = Math.sin(el);
        for (let m = 0; m < M; m++) t[o + m] = (-(positions[3 * m] * ux + positions[3 * m + 1] * uy + positions[3 * m + 2] * uz) / c) * lagRate;
      } else {
        const sx = grid[3 * g];
        const sy = grid[3 * g + 1];
        const sz = grid[3 * g + 2];
        for (let m = 0; m < M; m++) {
          const dx = positions[3 * m] - sx;
          const dy = positions[3 * m + 1] - sy;
          const dz = positions[3 * m + 2] - sz;
          t[o + m] = (Math.sqrt(dx * dx + dy * dy + dz * dz) / c) * lagRate;
        }
      }
    }
    for (let p = 0; p < P; p++) {
      const i = pairsI[p];
      const j = pairsJ[p];
      const vo = p * W;
      for (let g = b0; g < b1; g++) {
        const o = (g - b0) * M;
        let u = t[o + j] - t[o + i] + half;
        if (u < 0) u = 0;
        else if (u > W - 1.000001) u = W - 1.000001;
        const i0 = u | 0;
        const a = corr[vo + i0];
        out[g - g0] += a + (u - i0) * (corr[vo + i0 + 1] - a);
      }
    }
  }
}

/**
 * Evaluates the SRP map for grid points [g0, g1) into `out` (unchecked kernel, also used by the
 * worker pool): `out[g] = Σ_pairs R_ij((t_j(g) − t_i(g)) · lagRate)` with linear interpolation.
 */
export function srpEvaluate(pc: PairCorrelations, positions: Float64Array, grid: SearchGrid, c: number, g0: number, g1: number, out: Float64Array): void {
  srpKernel(positions, grid.kind, grid.values, c, g0, g1, pc.pairsI, pc.pairsJ, pc.values, pc.width, pc.half, pc.lagRate, out);
}

/**
 * SRP-PHAT map of `x` (`[M, N]`) over a grid of directions (far field) or points (near field), and
 * its `peaks` strongest maxima at least `minSeparation` apart. Pair cross-correlations are computed
 * once ({@link pairCorrelations}); each grid point then costs O(M + P). With 32 microphones, 1 s at
 * 48 kHz and 10 000 points this takes well under 2 s (see bench/beamform).
 * @throws ShapeError when channels ≠ microphones or the grid is empty; ValueError for a missing sampleRate.
 * @example
 * const r = srpPhat(x, geom, pointGrid(linspaceStep(0.1, 1.2, 0.01), linspaceStep(-0.2, 1.1, 0.01)), { peaks: 2 });
 */
export function srpPhat(x: Multichannel, geometry: ArrayGeometry, grid: SearchGrid, options: SrpPhatOptions = {}): SrpPhatResult {
  const map = srpMap('srpPhat', x, geometry, grid, options);
  return srpResult(map, geometry, grid, options);
}

/**
 * The result of srpPhat / srpPhatParallel from a computed map: peaks, and for a linear array
 * searched over directions the array axis and each peak's mirror.
 * @internal
 */
export function srpResult(map: Float64Array, geometry: ArrayGeometry, grid: SearchGrid, options: SrpPhatOptions): SrpPhatResult {
  const peaks = findGridPeaks(map, grid, options.peaks ?? 1, options.minSeparation);
  const axis = grid.kind === 'directions' ? geometry.linearAxis : undefined;
  if (!axis) return { map, shape: grid.shape, peaks };
  const sep = options.minSeparation ?? 10;
  for (const p of peaks) p.mirror = mirrorDirection(axis, p.refined as FarFieldTarget);
  peaks.forEach((p, i) => {
    const j = peaks.findIndex((q, k) => k !== i && angleBetweenDeg(p.mirror as FarFieldTarget, q.refined as FarFieldTarget) < sep);
    if (j >= 0) p.mirrorPeak = j;
  });
  return { map, shape: grid.shape, peaks, linearAxis: axis };
}

/** Angle between two directions, degrees. */
function angleBetweenDeg(a: FarFieldTarget, b: FarFieldTarget): number {
  const u = unitVector(a);
  const v = unitVector(b);
  return (Math.acos(Math.max(-1, Math.min(1, u[0] * v[0] + u[1] * v[1] + u[2] * v[2]))) * 180) / Math.PI;
}

/**
 * The SRP-PHAT map on the calling thread (one value per grid point), shared by srpPhat and
 * srpPhatParallel with `workers: 0`; `fn` names the caller in errors.
 * @internal
 */
export function srpMap(fn: string, x: unknown, geometry: unknown, grid: unknown, options: SrpPhatOptions): Float64Array {
  const { plan, c, g } = srpCheck(fn, x, geometry, grid, options);
  const pc = correlateAll(plan, (x as Multichannel).data);
  const map = new Float64Array((grid as SearchGrid).size);
  srpEvaluate(pc, g.positions, grid as SearchGrid, c, 0, map.length, map);
  return map;
}

/**
 * The checks of srpPhat (x, geometry, grid, sample rate, finite samples, speed of sound, frame
 * options) and the resulting {@link SrpPlan}; `fn` names the caller in errors.
 * @internal
 */
export function srpCheck(fn: string, xIn: unknown, geometry: unknown, grid: unknown, options: SrpPhatOptions): { plan: SrpPlan; c: number; g: ArrayGeometry } {
  const x = assertMultichannel(fn, 'x', xIn, '[microphones, samples]');
  const g = checkGeometry(fn, geometry);
  checkGrid(fn, grid);
  if (x.channels !== g.count) throw new ShapeError(message(fn, `x must have one channel per microphone (${g.count})`, x.channels));
  if (g.count < 2) throw new ShapeError(message(fn, 'at least two microphones are needed', g.count));
  const fs = x.sampleRate ?? options.sampleRate;
  if (fs === undefined) throw new ValueError(message(fn, 'x.sampleRate (Hz) must be set (or options.sampleRate given)', x.sampleRate));
  assertPositive(fn, 'sampleRate', fs);
  for (let i = 0; i < x.data.length; i++) if (!Number.isFinite(x.data[i])) throw new ValueError(message(fn, 'x must hold only finite samples', { verbatim: `${x.data[i]} at channel ${Math.floor(i / x.length)}, sample ${i % x.length}` }));
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? g.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  const maxWork = options.maxWork ?? DEFAULT_MAX_SRP_WORK;
  if (typeof maxWork !== 'number' || !(maxWork > 0)) throw new ValueError(message(fn, 'options.maxWork must be a positive number', maxWork));
  const pairs = (g.count * (g.count - 1)) / 2;
  const work = (grid as SearchGrid).size * pairs;
  if (work > maxWork) {
    throw new ValueError(message(fn, `grid points × microphone pairs must be at most maxWork = ${maxWork} (raise maxWork, use a coarser grid or fewer microphones)`, { verbatim: `${(grid as SearchGrid).size} points × ${pairs} pairs = ${work}` }));
  }
  return { plan: srpPlan(fn, x.channels, x.length, fs, g.aperture / c, options), c, g };
}

function checkGrid(fn: string, grid: unknown): SearchGrid {
  if (grid === null || typeof grid !== 'object' || !('kind' in grid) || !('values' in grid)) throw new ArgumentTypeError(message(fn, 'grid must come from directionGrid() or pointGrid()', grid));
  const gr = grid as SearchGrid;
  if (gr.size === 0 || gr.values.length === 0) throw new ShapeError(message(fn, 'the grid must not be empty', gr.size));
  return gr;
}

/**
 * The K largest values of `map` at least `minSeparation` apart (degrees on the sphere for
 * directions, metres for points), best first. O(G log G).
 */
export function findGridPeaks(map: Float64Array, grid: SearchGrid, K: number, minSeparation?: number): SrpPeak[] {
  const fn = 'findGridPeaks';
  assertInteger(fn, 'peaks', K, 0);
  const sep = minSeparation ?? (grid.kind === 'directions' ? 10 : 0.1);
  assertPositive(fn, 'minSeparation', sep, true);
  const order = Array.from(map.keys()).sort((a, b) => map[b] - map[a]);
  const picked: SrpPeak[] = [];
  for (const g of order) {
    if (picked.length >= K) break;
    const ok = picked.every((p) => gridDistance(grid, p.index, g) >= sep);
    if (ok) picked.push({ index: g, value: map[g], target: gridTarget(grid, g), refined: refinePeak(map, grid, g) });
  }
  return picked;
}

/** Parabolic sub-grid refinement of grid point g along each axis of a regular grid. */
function refinePeak(map: Float64Array, grid: SearchGrid, g: number): Target {
  const width = grid.kind === 'points' ? 3 : 2;
  const v = grid.values;
  const coord = Array.from(v.subarray(width * g, width * g + width));
  const shape = grid.shape;
  let stride = 1;
  for (let a = 0; a < shape.length; a++) {
    const n = shape[shape.length - 1 - a];
    const i = Math.floor(g / stride) % n;
    if (i > 0 && i < n - 1) {
      const vm = map[g - stride];
      const v0 = map[g];
      const vp = map[g + stride];
      const den = vm - 2 * v0 + vp;
      if (den < 0) {
        const delta = Math.max(-0.5, Math.min(0.5, (0.5 * (vm - vp)) / den));
        // which coordinate varies along this axis: the one that differs between g and g + stride
        for (let k = 0; k < width; k++) {
          const step = v[width * (g + stride) + k] - v[width * g + k];
          if (step !== 0) coord[k] += delta * step;
        }
      }
    }
    stride *= n;
  }
  return grid.kind === 'points' ? point(coord[0], coord[1], coord[2]) : direction(coord[0], Math.max(-90, Math.min(90, coord[1])));
}

function gridDistance(grid: SearchGrid, a: number, b: number): number {
  const v = grid.values;
  if (grid.kind === 'points') return Math.hypot(v[3 * a] - v[3 * b], v[3 * a + 1] - v[3 * b + 1], v[3 * a + 2] - v[3 * b + 2]);
  const d2r = Math.PI / 180;
  const a1 = v[2 * a] * d2r;
  const e1 = v[2 * a + 1] * d2r;
  const a2 = v[2 * b] * d2r;
  const e2 = v[2 * b + 1] * d2r;
  const cosd = Math.sin(e1) * Math.sin(e2) + Math.cos(e1) * Math.cos(e2) * Math.cos(a1 - a2);
  return Math.acos(Math.min(1, Math.max(-1, cosd))) / d2r;
}
