/**
 * MVDR (minimum-variance distortionless response) beamforming in the STFT domain with diagonal
 * loading: per frequency bin, `w = R⁻¹ d / (dᴴ R⁻¹ d)` with R the spatial covariance
 * ({@link spatialCovariance}) of the noise
 * (or of the input itself: MPDR) plus `δ · tr(R)/M · I`, and each bin's output `Y = wᴴ X` (a complex
 * 1×1 mix, src/mixing `mixPerBin`), then ISTFT. The STFT is src/fft's `stft` / `istft` with a
 * periodic sqrt-Hann window for analysis and synthesis, centred frames and hop = windowLength / 2 by
 * default (COLA: Σ w² is constant, so an all-pass weight set reconstructs the input exactly).
 * @module
 */
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { NumericalError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertInteger, assertPositive } from '../core/validate.js';
import { ArrayGeometry, DEFAULT_SPEED_OF_SOUND, checkTarget, speedOfSoundChecked, type SpeedLike, type Target } from './geometry.js';
import { arrivalTimesUnchecked, checkGeometry } from './steering.js';
import { stft, istft, type Stft } from '../fft/index.js';
import { spatialCovariance } from './covariance.js';
import { solveComplex } from '../linalg/solve.js';
import { mixPerBin } from '../mixing/index.js';

/** Options of {@link mvdr}. */
export interface MvdrOptions {
  /** A noise-only recording `[M, N']` for the covariance (default: x itself, i.e. MPDR). */
  noise?: Multichannel;
  /** Diagonal loading relative to the mean diagonal of R (default 1e-2). */
  diagonalLoading?: number;
  /** STFT window length (power of two, default 1024) and hop (default windowLength/2; sqrt-Hann window). */
  windowLength?: number;
  hop?: number;
  /** Speed of sound (m/s, '343 m/s' or '20 degC'); default the geometry's `speedOfSound`, else 343 m/s. */
  speedOfSound?: SpeedLike;
}

/**
 * MVDR beamformer toward `target`: `[M, N] → [1, N]`, distortionless toward the target (the target
 * comes out as delay-and-sum would pass it: delayed by the latest arrival), minimum output power
 * from the noise covariance otherwise. Covariance per bin from `options.noise` (MVDR) or from x
 * (MPDR); diagonal loading δ·tr(R)/M (δ default 1e-2) keeps it robust. O(F·B·M² + B·M³).
 * @throws ShapeError when channels ≠ microphones (x or noise); ValueError for a missing sampleRate;
 *   NumericalError when a loaded covariance is singular (e.g. δ = 0 and silent input).
 * @example mvdr(x, geom, direction(60), { noise: noiseOnly, diagonalLoading: 1e-3 })
 */
export function mvdr(x: Multichannel, geometry: ArrayGeometry, target: Target, options: MvdrOptions = {}): Multichannel {
  const fn = 'mvdr';
  assertMultichannel(fn, 'x', x, '[microphones, samples]');
  const g = checkGeometry(fn, geometry);
  const t = checkTarget(fn, target);
  const M = g.count;
  if (x.channels !== M) throw new ShapeError(message(fn, `x must have one channel per microphone (${M})`, x.channels));
  const fs = x.sampleRate;
  if (fs === undefined) throw new ValueError(message(fn, 'x.sampleRate (Hz) must be set', fs));
  const noise = options.noise ?? x;
  if (!(noise instanceof Multichannel) || noise.channels !== M) throw new ShapeError(message(fn, `options.noise must be a Multichannel with ${M} channels`, noise));
  const L = options.windowLength ?? 1024;
  assertInteger(fn, 'options.windowLength', L, 4);
  if ((L & (L - 1)) !== 0) throw new ValueError(message(fn, 'options.windowLength must be a power of two', L));
  const hop = options.hop ?? L / 2;
  assertInteger(fn, 'options.hop', hop, 1, L / 2);
  const delta = options.diagonalLoading ?? 1e-2;
  assertPositive(fn, 'options.diagonalLoading', delta, true);
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? g.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  const tt = arrivalTimesUnchecked(g.positions, t, c);
  let tmax = -Infinity;
  for (let m = 0; m < M; m++) tmax = Math.max(tmax, tt[m]);
  const stftOptions = { windowLength: L, hop, window: 'sqrt-hann' as const };
  const S = stft(x, stftOptions);
  const Sn: Stft = noise === x ? S : stft(noise, stftOptions);
  const B = S.bins;
  const M2 = M * M;
  const R = spatialCovariance(Sn, { diagonalLoading: delta });
  // per-bin 1 × M weight rows conj(w), bin-major: W[k · M + m]
  const Wr = new Float64Array(B * M);
  const Wi = new Float64Array(B * M);
  const ur = new Float64Array(M);
  const ui = new Float64Array(M);
  const dr = new Float64Array(M);
  const di = new Float64Array(M);
  for (let k = 0; k < B; k++) {
    const Rr = R.re.slice(k * M2, (k + 1) * M2);
    const Ri = R.im.slice(k * M2, (k + 1) * M2);
    for (let i = 0; i < M; i++) Rr[i * M + i] += 1e-300;
    const om = (2 * Math.PI * k * fs) / L;
    for (let m = 0; m < M; m++) {
      dr[m] = Math.cos(-om * (tt[m] - tmax));
      di[m] = Math.sin(-om * (tt[m] - tmax));
      ur[m] = dr[m];
      ui[m] = di[m];
    }
    if (!solveComplex(Rr, Ri, ur, ui, M)) throw new NumericalError(message(fn, 'the loaded noise covariance must be invertible (raise diagonalLoading)', { verbatim: `singular at bin ${k}` }));
    // w = u / (dᴴ u)
    let nr = 0;
    let ni = 0;
    for (let m = 0; m < M; m++) {
      nr += dr[m] * ur[m] + di[m] * ui[m];
      ni += dr[m] * ui[m] - di[m] * ur[m];
    }
    const nd = nr * nr + ni * ni;
    for (let m = 0; m < M; m++) {
      const wr = (ur[m] * nr + ui[m] * ni) / nd;
      const wi = (ui[m] * nr - ur[m] * ni) / nd;
      // Y = Σ_m conj(w_m) X_m
      Wr[k * M + m] = wr;
      Wi[k * M + m] = -wi;
    }
  }
  const y = istft({ ...S, ...mixPerBin(S, Wr, Wi, 1) }, { dtype: 'float64' });
  return new Multichannel(y.data, 1, x.length, { sampleRate: fs });
}
