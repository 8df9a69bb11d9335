/**
 * Subspace direction finding: MUSIC and NormMUSIC (MUSIC with the per-frequency normalisation of
 * pyroomacoustics' `NormMUSIC`), broadband by averaging the per-bin pseudo-spectra, over far-field
 * direction grids or near-field point grids, with the peak API of {@link srpPhat}; and the MDL / AIC
 * estimate of the number of sources from covariance eigenvalues.
 * @module
 */
import { Multichannel } from '../core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertInteger, assertOneOf, assertPositive } from '../core/validate.js';
import { ArrayGeometry, DEFAULT_SPEED_OF_SOUND, speedOfSoundChecked, type SpeedLike } from './geometry.js';
import { checkGeometry } from './steering.js';
import { stft } from '../fft/index.js';
import { checkCovariance, spatialCovariance, type SpatialCovariance } from './covariance.js';
import { hermitianEigen } from '../linalg/eigen.js';
import { DEFAULT_MAX_SRP_WORK, srpResult, type SearchGrid, type SrpPhatResult } from './localize.js';

/** How the number of sources is chosen: given, or estimated by a criterion. */
export type SourceCountCriterion = 'mdl' | 'aic';

/** Options of {@link music} and {@link normMusic}. */
export interface MusicOptions {
  /** Number of sources K (1 ≤ K < M), or 'mdl' / 'aic' to estimate it (see {@link estimateSourceCount}). Default 1. */
  sources?: number | SourceCountCriterion;
  /** Normalise each bin's pseudo-spectrum by its maximum over the grid before averaging (NormMUSIC). Default false. */
  frequencyNormalization?: boolean;
  /** STFT frame length in samples (default 1024; Hann window, centred frames). */
  windowLength?: number;
  /** STFT hop in samples (default windowLength / 2). */
  hop?: number;
  /** Band used (Hz): bins k with minFrequency ≤ k·fs/nfft ≤ maxFrequency, never bin 0. Default the whole band. */
  minFrequency?: number;
  maxFrequency?: number;
  /** Speed of sound (m/s, '343 m/s' or '20 degC'); default the geometry's, else 343 m/s. */
  speedOfSound?: SpeedLike;
  /** Sample rate (Hz) when the input carries none. */
  sampleRate?: number;
  /** Number of peaks returned (default: the number of sources). */
  peaks?: number;
  /** Minimum distance between peaks: degrees for directions (default 10), metres for points (default 0.1). */
  minSeparation?: number;
  /** Most work allowed: grid points × bins used × microphones (default 2·10⁹); checked before the scan. */
  maxWork?: number;
}

/** Result of {@link music}: the map and peaks as in {@link SrpPhatResult}, plus the subspace split used. */
export interface MusicResult extends SrpPhatResult {
  /** Number of sources K (signal-subspace dimension) used in every bin. */
  sources: number;
  /** Per-bin estimates when `sources` was 'mdl' or 'aic' (K is their median), `[bins used]`; else undefined. */
  binSourceCounts?: Int32Array;
  /** First and last bin used (inclusive). */
  binRange: readonly [number, number];
}

/**
 * Number of sources from the eigenvalues of an `M × M` sample covariance of `snapshots` frames, by
 * Wax & Kailath's information criteria: for each candidate k = 0 … M−1, with `g` and `a` the
 * geometric and arithmetic means of the M−k smallest eigenvalues,
 * `MDL(k) = −N(M−k)·ln(g/a) + ½·k(2M−k)·ln N`, `AIC(k) = −2N(M−k)·ln(g/a) + 2k(2M−k)`; returns the
 * minimising k (0 … M−1). Eigenvalues may come in any order; values ≤ 0 count as 1e-300.
 *
 * | bad input | error |
 * | --- | --- |
 * | empty or non-numeric eigenvalues, NaN | ArgumentTypeError / ValueError |
 * | snapshots not a positive integer; unknown criterion | ValueError |
 * @throws see the table.
 * @example estimateSourceCount([10, 9, 0.11, 0.1, 0.09], 200, 'mdl') // 2
 */
export function estimateSourceCount(eigenvalues: ArrayLike<number>, snapshots: number, criterion: SourceCountCriterion = 'mdl'): number {
  const fn = 'estimateSourceCount';
  if (typeof eigenvalues !== 'object' || eigenvalues === null || typeof eigenvalues.length !== 'number') throw new ArgumentTypeError(message(fn, 'eigenvalues must be an array of numbers', eigenvalues));
  const M = eigenvalues.length;
  if (M < 1) throw new ShapeError(message(fn, 'eigenvalues must not be empty', M));
  const l = Float64Array.from(eigenvalues);
  for (let i = 0; i < M; i++) if (!Number.isFinite(l[i])) throw new ValueError(message(fn, 'eigenvalues must be finite', { verbatim: `${l[i]} at index ${i}` }));
  assertInteger(fn, 'snapshots', snapshots, 1);
  assertOneOf(fn, 'criterion', criterion, ['mdl', 'aic'] as const);
  l.sort((a, b) => b - a);
  for (let i = 0; i < M; i++) l[i] = Math.max(l[i], 1e-300);
  const N = snapshots;
  let best = 0;
  let bestV = Infinity;
  for (let k = 0; k < M; k++) {
    const n = M - k;
    let sl = 0;
    let s = 0;
    for (let i = k; i < M; i++) {
      sl += Math.log(l[i]);
      s += l[i];
    }
    const logRatio = sl / n - Math.log(s / n); // ln(g / a) ≤ 0
    const v = criterion === 'mdl' ? -N * n * logRatio + 0.5 * k * (2 * M - k) * Math.log(N) : -2 * N * n * logRatio + 2 * k * (2 * M - k);
    if (v < bestV) {
      bestV = v;
      best = k;
    }
  }
  return best;
}

/**
 * MUSIC pseudo-spectrum over a grid of far-field directions or near-field points, broadband by
 * averaging over frequency bins: with `R_k` the spatial covariance at bin k ({@link spatialCovariance},
 * mean over frames), `E_s` its K dominant eigenvectors and `a_k(g)` the steering vector
 * `exp(−j 2π f_k t_m(g))` (t the arrival times of {@link arrivalTimes}),
 * `P_k(g) = 1 / |a_kᴴ (I − E_s E_sᴴ) a_k|` and `map(g) = (1/|bins|) Σ_k P_k(g)` — pyroomacoustics'
 * `MUSIC._process`; with `frequencyNormalization` each `P_k` is first divided by its maximum over
 * the grid (pyroomacoustics' `NormMUSIC`, see {@link normMusic}). The far-field steering vector is
 * pyroomacoustics' mode vector; its near-field one is `exp(+j ω d/c)`, whose sign disagrees with
 * the STFT of a delayed signal, so near-field grids here use the physical `exp(−j ω d/c)`.
 *
 * Input: a recording `[M, N]` (analysed with a Hann STFT, `windowLength`, `hop`, centred frames)
 * or a covariance already computed. Peaks as in {@link srpPhat} (refined, mirrors for linear arrays).
 * Complexity O(B·F·M² + B·M³ + G·B·M·K) for B bins used, F frames and G grid points.
 *
 * | bad input | error |
 * | --- | --- |
 * | x not a Multichannel or SpatialCovariance; geometry not an ArrayGeometry; grid not from directionGrid/pointGrid | ArgumentTypeError |
 * | channels ≠ microphones; fewer than 2 microphones; empty grid | ShapeError |
 * | no sample rate; sources not in 1…M−1 nor 'mdl'/'aic'; an empty band; work over maxWork; non-finite samples | ValueError |
 * @throws see the table.
 * @example
 * const r = music(x, geom, directionGrid(linspaceStep(0, 180, 1)), { sources: 2, minFrequency: 300, maxFrequency: 4000 });
 * r.peaks.map((p) => p.refined) // the two strongest directions
 */
export function music(x: Multichannel | SpatialCovariance, geometry: ArrayGeometry, grid: SearchGrid, options: MusicOptions = {}): MusicResult {
  return musicImpl('music', x, geometry, grid, options);
}

/**
 * NormMUSIC: {@link music} with `frequencyNormalization: true` — each bin's pseudo-spectrum divided
 * by its maximum over the grid before the frequency average, so that a few strong bins do not
 * dominate the broadband map (pyroomacoustics' `NormMUSIC`; Salvati et al. / the pyroomacoustics
 * notebook on MUSIC normalisation). Same shapes, options and errors as {@link music}.
 * @example
 * const r = normMusic(rir, geom, pointGrid(linspaceStep(0, 2, 0.01), linspaceStep(0.2, 2, 0.01)), { maxFrequency: 8000 });
 */
export function normMusic(x: Multichannel | SpatialCovariance, geometry: ArrayGeometry, grid: SearchGrid, options: MusicOptions = {}): MusicResult {
  return musicImpl('normMusic', x, geometry, grid, { ...options, frequencyNormalization: true });
}

function musicImpl(fn: string, x: unknown, geometry: unknown, grid: unknown, options: MusicOptions): MusicResult {
  const g = checkGeometry(fn, geometry);
  const gr = checkSearchGrid(fn, grid);
  const M = g.count;
  if (M < 2) throw new ShapeError(message(fn, 'at least two microphones are needed', M));
  let R: SpatialCovariance;
  if (x instanceof Multichannel) {
    if (x.channels !== M) throw new ShapeError(message(fn, `x must have one channel per microphone (${M})`, x.channels));
    const fs = x.sampleRate ?? options.sampleRate;
    if (fs === undefined) throw new ValueError(message(fn, 'x.sampleRate (Hz) must be set (or options.sampleRate given)', x.sampleRate));
    const L = options.windowLength ?? 1024;
    assertInteger(fn, 'options.windowLength', L, 2);
    const hop = options.hop ?? Math.floor(L / 2);
    assertInteger(fn, 'options.hop', hop, 1);
    for (let i = 0; i < x.data.length; i++) if (!Number.isFinite(x.data[i])) throw new ValueError(message(fn, 'x must hold only finite samples', { verbatim: `${x.data[i]} at channel ${Math.floor(i / x.length)}, sample ${i % x.length}` }));
    R = spatialCovariance({ ...stft(x, { windowLength: L, hop, window: 'hann' }), sampleRate: fs });
  } else if (typeof x === 'object' && x !== null && 're' in x) {
    R = checkCovariance(fn, x);
    if (R.channels !== M) throw new ShapeError(message(fn, `the covariance must have one channel per microphone (${M})`, R.channels));
  } else throw new ArgumentTypeError(message(fn, 'x must be a Multichannel [microphones, samples] or a SpatialCovariance', x));
  const fs = R.sampleRate ?? options.sampleRate;
  if (fs === undefined) throw new ValueError(message(fn, 'the covariance has no sampleRate; give options.sampleRate (Hz)', fs));
  assertPositive(fn, 'sampleRate', fs);
  const nfft = R.nfft;
  const fmin = options.minFrequency ?? 0;
  const fmax = options.maxFrequency ?? fs / 2;
  assertPositive(fn, 'options.minFrequency', fmin, true);
  assertPositive(fn, 'options.maxFrequency', fmax);
  const kLo = Math.max(1, Math.ceil((fmin * nfft) / fs - 1e-9));
  const kHi = Math.min(R.bins - 1, Math.floor((fmax * nfft) / fs + 1e-9));
  if (kHi < kLo) throw new ValueError(message(fn, 'the band [minFrequency, maxFrequency] must contain at least one bin above 0 Hz', { verbatim: `[${fmin}, ${fmax}] Hz at ${fs / nfft} Hz per bin` }));
  const nb = kHi - kLo + 1;
  const maxWork = options.maxWork ?? DEFAULT_MAX_SRP_WORK;
  if (typeof maxWork !== 'number' || !(maxWork > 0)) throw new ValueError(message(fn, 'options.maxWork must be a positive number', maxWork));
  const work = gr.size * nb * M;
  if (work > maxWork) throw new ValueError(message(fn, `grid points × bins × microphones must be at most maxWork = ${maxWork} (raise maxWork, narrow the band or use a coarser grid)`, { verbatim: `${gr.size} × ${nb} × ${M} = ${work}` }));
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? g.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  const srcOpt = options.sources ?? 1;
  if (!(srcOpt === 'mdl' || srcOpt === 'aic')) {
    if (typeof srcOpt !== 'number' || !Number.isInteger(srcOpt) || srcOpt < 1 || srcOpt > M - 1) throw new ValueError(message(fn, `options.sources must be an integer in 1…${M - 1} or 'mdl' / 'aic'`, srcOpt));
  }
  // eigendecomposition of every bin used
  const M2 = M * M;
  const eig: Float64Array[] = [];
  const binCounts = typeof srcOpt === 'string' ? new Int32Array(nb) : undefined;
  for (let kk = 0; kk < nb; kk++) {
    const k = kLo + kk;
    const e = hermitianEigen(R.re.subarray(k * M2, (k + 1) * M2), R.im.subarray(k * M2, (k + 1) * M2), M);
    eig.push(e.vectors);
    if (binCounts) binCounts[kk] = estimateSourceCount(e.values, R.frames, srcOpt as SourceCountCriterion);
  }
  let K: number;
  if (binCounts) {
    const sorted = Int32Array.from(binCounts).sort();
    K = Math.min(M - 1, Math.max(1, sorted[Math.floor((nb - 1) / 2)]));
  } else K = srcOpt as number;
  // per bin the smaller subspace as 2K (signal) or 2(M−K) (noise) real vectors [u; v] of length 2M:
  // the eigenvector rows 0…2K−1 (signal) or 2K…2M−1 (noise), taken from the smallest value up
  const useSignal = K <= M - K;
  const nq = useSignal ? 2 * K : 2 * (M - K);
  const n2 = 2 * M;
  const Q = new Float64Array(nb * nq * n2);
  for (let kk = 0; kk < nb; kk++) {
    const V = eig[kk];
    const last = useSignal ? nq - 1 : n2 - 1;
    for (let q = 0; q < nq; q++) Q.set(V.subarray((last - q) * n2, (last - q + 1) * n2), (kk * nq + q) * n2);
  }
  const G = gr.size;
  const normalize = options.frequencyNormalization ?? false;
  const blockSize = Math.max(1, Math.min(G, Math.floor((1 << 22) / nb)));
  const P = new Float64Array(nb * blockSize);
  const map = new Float64Array(G);
  const binMax = new Float64Array(nb);
  const passes = normalize ? 2 : 1;
  const kernel = { positions: g.positions, grid: gr, c, fs, nfft, kLo, nb, nq, Q, useSignal };
  for (let pass = 0; pass < passes; pass++) {
    for (let g0 = 0; g0 < G; g0 += blockSize) {
      const g1 = Math.min(G, g0 + blockSize);
      const bs = g1 - g0;
      // one block holding the whole grid is computed once
      if (!(pass === 1 && blockSize >= G)) musicBlock(kernel, g0, g1, P);
      if (normalize && pass === 0) {
        for (let kk = 0; kk < nb; kk++) for (let j = 0; j < bs; j++) binMax[kk] = Math.max(binMax[kk], P[kk * bs + j]);
        continue;
      }
      for (let kk = 0; kk < nb; kk++) {
        const s = normalize ? 1 / binMax[kk] : 1;
        for (let j = 0; j < bs; j++) map[g0 + j] += P[kk * bs + j] * s;
      }
    }
  }
  for (let j = 0; j < G; j++) map[j] /= nb;
  const res = srpResult(map, g, gr, { peaks: options.peaks ?? K, minSeparation: options.minSeparation });
  return { ...res, sources: K, binSourceCounts: binCounts, binRange: [kLo, kHi] };
}

interface MusicKernel {
  positions: Float64Array;
  grid: SearchGrid;
  c: number;
  fs: number;
  nfft: number;
  kLo: number;
  nb: number;
  nq: number;
  Q: Float64Array;
  useSignal: boolean;
}

/**
 * Per-bin MUSIC pseudo-spectra of grid points [g0, g1) into `P[kk·(g1−g0) + (g − g0)]`. The
 * steering phasors advance from bin to bin by a rotation and are recomputed exactly every 32 bins.
 */
function musicBlock(kr: MusicKernel, g0: number, g1: number, P: Float64Array): void {
  const { positions, grid, c, fs, nfft, kLo, nb, nq, Q, useSignal } = kr;
  const M = positions.length / 3;
  const n2 = 2 * M;
  const bs = g1 - g0;
  const t = new Float64Array(M);
  const a = new Float64Array(n2); // [Re a; Im a]
  const sr = new Float64Array(M);
  const si = new Float64Array(M);
  const dw = (2 * Math.PI * fs) / nfft;
  const gv = grid.values;
  for (let g = g0; g < g1; g++) {
    if (grid.kind === 'directions') {
      const az = (gv[2 * g] * Math.PI) / 180;
      const el = (gv[2 * g + 1] * Math.PI) / 180;
      const ux = Math.cos(el) * Math.cos(az);
      const uy = Math.cos(el) * Math.sin(az);
      const uz = Math.sin(el);
      for (let m = 0; m < M; m++) t[m] = -(positions[3 * m] * ux + positions[3 * m + 1] * uy + positions[3 * m + 2] * uz) / c;
    } else {
      for (let m = 0; m < M; m++) {
        const dx = positions[3 * m] - gv[3 * g];
        const dy = positions[3 * m + 1] - gv[3 * g + 1];
        const dz = positions[3 * m + 2] - gv[3 * g + 2];
        t[m] = Math.sqrt(dx * dx + dy * dy + dz * dz) / c;
      }
    }
    for (let m = 0; m < M; m++) {
      sr[m] = Math.cos(dw * t[m]);
      si[m] = -Math.sin(dw * t[m]);
    }
    for (let kk = 0; kk < nb; kk++) {
      if (kk % 32 === 0) {
        const w = dw * (kLo + kk);
        for (let m = 0; m < M; m++) {
          a[m] = Math.cos(w * t[m]);
          a[m + M] = -Math.sin(w * t[m]);
        }
      } else {
        for (let m = 0; m < M; m++) {
          const ar = a[m];
          const ai = a[m + M];
          a[m] = ar * sr[m] - ai * si[m];
          a[m + M] = ar * si[m] + ai * sr[m];
        }
      }
      let proj = 0;
      const qo = kk * nq * n2;
      for (let q = 0; q < nq; q++) {
        let d = 0;
        const o = qo + q * n2;
        for (let r = 0; r < n2; r++) d += Q[o + r] * a[r];
        proj += d * d;
      }
      let den: number;
      if (useSignal) {
        let aa = 0;
        for (let r = 0; r < n2; r++) aa += a[r] * a[r];
        den = aa - proj;
      } else den = proj;
      P[kk * bs + (g - g0)] = 1 / Math.max(Math.abs(den), 1e-300);
    }
  }
}

function checkSearchGrid(fn: string, grid: unknown): SearchGrid {
  if (grid === null || typeof grid !== 'object' || !('kind' in grid) || !('values' in grid)) throw new ArgumentTypeError(message(fn, 'grid must come from directionGrid() or pointGrid()', grid));
  const gr = grid as SearchGrid;
  if (!(gr.size > 0) || gr.values.length === 0) throw new ShapeError(message(fn, 'the grid must not be empty', gr.size));
  return gr;
}
