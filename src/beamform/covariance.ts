/**
 * Spatial covariance per frequency bin of a multichannel STFT (the object MVDR, MUSIC and the
 * multichannel Wiener filter are built on).
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertPositive } from '../core/validate.js';
import type { ComplexPlanes } from '../mixing/index.js';

/** What {@link spatialCovariance} reads: an `Stft`, or any complex planes in its layout (nfft default 2·(bins − 1)). */
export type CovarianceInput = ComplexPlanes & { nfft?: number; sampleRate?: number };

/**
 * Per-bin spatial covariance matrices: bin k's `M × M` Hermitian matrix `R_k` has entry (i, j) at
 * index `(k · M + i) · M + j` of `re` and `im` (bin-major, row-major within a bin).
 */
export interface SpatialCovariance {
  /** Number of channels (microphones) M. */
  channels: number;
  /** Number of frequency bins B (the STFT's `bins`, bin k at `k · sampleRate / nfft` Hz). */
  bins: number;
  /** Frames averaged. */
  frames: number;
  /** FFT length of the STFT the covariance came from. */
  nfft: number;
  /** Sample rate (Hz) of the analysed signal, when known. */
  sampleRate?: number;
  /** Real and imaginary parts, `[B × M × M]`. */
  re: Float64Array;
  im: Float64Array;
}

/** Options of {@link spatialCovariance}. */
export interface SpatialCovarianceOptions {
  /**
   * Diagonal loading δ ≥ 0 relative to the mean diagonal: `R_k + δ · tr(R_k)/M · I` (default 0).
   */
  diagonalLoading?: number;
  /** Frames `[start, end)` to average (default all frames). */
  frameRange?: readonly [number, number];
}

/** Throws unless `s` looks like an Stft (planes of channels × frames × bins values). */
function checkStft(fn: string, s: unknown): CovarianceInput {
  if (typeof s !== 'object' || s === null || !((s as ComplexPlanes).re instanceof Float64Array) || !((s as ComplexPlanes).im instanceof Float64Array)) {
    throw new ArgumentTypeError(message(fn, 'stft must be an Stft (from stft()) with Float64Array re and im', s));
  }
  const t = s as CovarianceInput;
  const n = t.channels * t.frames * t.bins;
  if (!Number.isInteger(n) || n < 1 || t.re.length !== n || t.im.length !== n) {
    throw new ShapeError(message(fn, 'stft.re and stft.im must hold channels × frames × bins values (at least one)', { verbatim: `${t.channels} × ${t.frames} × ${t.bins}, re ${t.re.length}, im ${t.im.length}` }));
  }
  return t;
}

/**
 * Spatial covariance per frequency bin, averaged over frames:
 * `R_k = (1/F) Σ_f X_f,k X_f,kᴴ (+ δ · tr(R_k)/M · I)`, with `X_f,k` the `[M]` vector of channel
 * values at frame f, bin k (entry (i, j) = mean of `X_i conj(X_j)`). This is pyroomacoustics'
 * `_compute_correlation_matricesvec` and the covariance of {@link mvdr}.
 *
 * Input: an `Stft` (src/fft `stft`) or complex planes in its layout.
 * Shapes: STFT `M × F × B` → `B` Hermitian `M × M` matrices (see {@link SpatialCovariance}).
 * Complexity O(B · F · M²).
 *
 * | bad input | error |
 * | --- | --- |
 * | not an Stft, planes not Float64Array | ArgumentTypeError |
 * | planes of the wrong length, empty STFT | ShapeError |
 * | diagonalLoading < 0 or NaN; frameRange outside [0, frames] or empty | ValueError |
 * @throws see the table.
 * @example
 * const R = spatialCovariance(stft(x, { windowLength: 512, hop: 256 }), { diagonalLoading: 1e-3 });
 * // R.re[(k * M + i) * M + j] + i·R.im[…] = E[X_i conj(X_j)] at bin k
 */
export function spatialCovariance(stft: CovarianceInput, options: SpatialCovarianceOptions = {}): SpatialCovariance {
  const fn = 'spatialCovariance';
  const s = checkStft(fn, stft);
  const delta = options.diagonalLoading ?? 0;
  assertPositive(fn, 'options.diagonalLoading', delta, true);
  const [f0, f1] = options.frameRange ?? [0, s.frames];
  if (!Number.isInteger(f0) || !Number.isInteger(f1) || f0 < 0 || f1 > s.frames || f1 <= f0) {
    throw new ValueError(message(fn, `options.frameRange must be [start, end) with 0 ≤ start < end ≤ frames (${s.frames})`, options.frameRange));
  }
  const M = s.channels;
  const B = s.bins;
  const F = s.frames;
  const re = new Float64Array(B * M * M);
  const im = new Float64Array(B * M * M);
  const inv = 1 / (f1 - f0);
  // pair (i, j), i ≤ j: accumulate X_i conj(X_j) over frames, contiguous over bins
  const accR = new Float64Array(B);
  const accI = new Float64Array(B);
  const sr = s.re;
  const si = s.im;
  for (let i = 0; i < M; i++) {
    for (let j = i; j < M; j++) {
      accR.fill(0);
      accI.fill(0);
      for (let f = f0; f < f1; f++) {
        const oi = (i * F + f) * B;
        const oj = (j * F + f) * B;
        for (let k = 0; k < B; k++) {
          const ar = sr[oi + k];
          const ai = si[oi + k];
          const br = sr[oj + k];
          const bi = si[oj + k];
          accR[k] += ar * br + ai * bi;
          accI[k] += ai * br - ar * bi;
        }
      }
      for (let k = 0; k < B; k++) {
        const o = k * M * M;
        re[o + i * M + j] = accR[k] * inv;
        re[o + j * M + i] = accR[k] * inv;
        im[o + i * M + j] = i === j ? 0 : accI[k] * inv;
        im[o + j * M + i] = i === j ? 0 : -accI[k] * inv;
      }
    }
  }
  if (delta > 0) {
    for (let k = 0; k < B; k++) {
      const o = k * M * M;
      let tr = 0;
      for (let i = 0; i < M; i++) tr += re[o + i * M + i];
      const load = (delta * tr) / M;
      for (let i = 0; i < M; i++) re[o + i * M + i] += load;
    }
  }
  return { channels: M, bins: B, frames: f1 - f0, nfft: s.nfft ?? 2 * (B - 1), sampleRate: s.sampleRate, re, im };
}

/** Throws unless `R` is a {@link SpatialCovariance} with consistent sizes. @internal */
export function checkCovariance(fn: string, R: unknown): SpatialCovariance {
  if (typeof R !== 'object' || R === null || !((R as SpatialCovariance).re instanceof Float64Array) || !((R as SpatialCovariance).im instanceof Float64Array)) {
    throw new ArgumentTypeError(message(fn, 'covariance must come from spatialCovariance()', R));
  }
  const c = R as SpatialCovariance;
  const n = c.bins * c.channels * c.channels;
  if (!Number.isInteger(n) || n < 1 || c.re.length !== n || c.im.length !== n) throw new ShapeError(message(fn, 'covariance.re and .im must hold bins × channels² values', c.re.length));
  return c;
}


