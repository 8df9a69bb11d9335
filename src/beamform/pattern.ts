/**
 * Beam patterns and array performance measures: directivity index, white-noise gain and array gain
 * against uncorrelated and diffuse noise, for delay-and-sum weights (any taper) or explicit complex
 * weights.
 * @module
 */
import { ArgumentTypeError, ShapeError, message } from '../core/errors.js';
import { assertFinite, assertNumericArray, assertPositive } from '../core/validate.js';
import { ArrayGeometry, DEFAULT_SPEED_OF_SOUND, checkTarget, direction, speedOfSoundChecked, type SpeedLike, type Target } from './geometry.js';
import { arrivalTimesUnchecked, checkGeometry } from './steering.js';
import { taperWeightsChecked, type TaperName } from './das.js';

/** A beamformer to analyse: a target (uniform DAS), a target with a taper, or explicit complex weights per frequency. */
export type BeamformerSpec =
  | Target
  | { target: Target; weights?: TaperName | ArrayLike<number>; sidelobeDb?: number }
  /** Complex weights `[F × M]` row-major (one row per analysed frequency); output `y = Σ conj(w_m) x_m`. */
  | { re: Float64Array; im: Float64Array };

/** Options of the analysis functions. */
export interface PatternOptions {
  /** Speed of sound (m/s, '343 m/s' or '20 degC'); default the geometry's `speedOfSound`, else 343 m/s. */
  speedOfSound?: SpeedLike;
  /** Elevation (degrees) of the scanned directions in {@link beamPattern} (default 0). */
  elevationDeg?: number;
}

/** Result of {@link beamPattern}. */
export interface BeamPattern {
  /** `[F × A]` row-major: 20·log10 |B(f, angle)| in dB (−300 dB floor). */
  magnitudeDb: Float64Array;
  /** `[F × A]`: |B(f, angle)| (linear). */
  magnitude: Float64Array;
  frequencies: Float64Array;
  anglesDeg: Float64Array;
}

/**
 * Complex weights `w_m(f)` such that the beamformer output is `Σ_m conj(w_m) x_m` in the frequency
 * domain, for each frequency: DAS weights are `w_m = a_m e^{−j2πf t_m}` with taper a (sum 1) and
 * arrival times t — so `w^H d = Σ a = 1` toward the target. `[F × M]`.
 */
export function beamformerWeights(geometry: ArrayGeometry, spec: BeamformerSpec, frequencies: ArrayLike<number>, options: PatternOptions = {}): { re: Float64Array; im: Float64Array } {
  return beamformerWeightsChecked('beamformerWeights', geometry, spec, frequencies, options);
}

/** {@link beamformerWeights} for the package's functions, with errors naming `fn`. */
export function beamformerWeightsChecked(fn: string, geometry: ArrayGeometry, spec: BeamformerSpec, frequencies: ArrayLike<number>, options: PatternOptions): { re: Float64Array; im: Float64Array } {
  const g = checkGeometry(fn, geometry);
  const M = g.count;
  const F = frequencies.length;
  if (spec !== null && typeof spec === 'object' && 're' in spec && 'im' in spec) {
    if (spec.re.length !== F * M || spec.im.length !== F * M) throw new ShapeError(message(fn, `complex weights must be [frequencies × microphones] = ${F * M} values`, spec.re.length));
    return { re: spec.re, im: spec.im };
  }
  if (spec === null || typeof spec !== 'object') throw new ArgumentTypeError(message(fn, 'weightsOrTarget must be a target, { target, weights } or complex weights { re, im }', spec));
  const target = 'target' in spec ? checkTarget(fn, spec.target) : checkTarget(fn, spec);
  const taper = 'target' in spec ? taperWeightsChecked(fn, M, spec.weights ?? 'uniform', spec.sidelobeDb ?? 30) : taperWeightsChecked(fn, M, 'uniform', 30);
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? g.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  const t = arrivalTimesUnchecked(g.positions, target, c);
  const re = new Float64Array(F * M);
  const im = new Float64Array(F * M);
  for (let f = 0; f < F; f++) {
    for (let m = 0; m < M; m++) {
      const ph = -2 * Math.PI * frequencies[f] * t[m];
      re[f * M + m] = taper[m] * Math.cos(ph);
      im[f * M + m] = taper[m] * Math.sin(ph);
    }
  }
  return { re, im };
}

function checkFreqs(fn: string, frequencies: ArrayLike<number>): Float64Array {
  assertNumericArray(fn, 'frequencies', frequencies);
  const f = Float64Array.from(frequencies);
  f.forEach((v, i) => assertPositive(fn, `frequencies[${i}] (Hz)`, v, true));
  return f;
}

/**
 * Beam pattern `|B(f, θ)| = |Σ_m conj(w_m(f)) e^{−j2πf t_m(θ)}|` over azimuths θ (degrees, at
 * `elevationDeg`), in dB. For uniform DAS toward θ0 on a ULA of N microphones with spacing d along x
 * this is `|sin(Nψ/2) / (N sin(ψ/2))|`, ψ = 2πf d (cos θ − cos θ0)/c. Agrees with
 * ../shared/refs/das.json `beam_pattern` to 1e-12. `[F × A]`, O(F·A·M).
 * @example beamPattern(ArrayGeometry.linear(8, '4 cm'), direction(60), [1000, 2000], angles)
 */
export function beamPattern(geometry: ArrayGeometry, weightsOrTarget: BeamformerSpec, frequencies: ArrayLike<number>, anglesDeg: ArrayLike<number>, options: PatternOptions = {}): BeamPattern {
  const fn = 'beamPattern';
  const g = checkGeometry(fn, geometry);
  const fr = checkFreqs(fn, frequencies);
  assertNumericArray(fn, 'angles', anglesDeg);
  const ang = Float64Array.from(anglesDeg);
  ang.forEach((v, i) => assertFinite(fn, `angles[${i}]`, v));
  const w = beamformerWeightsChecked(fn, g, weightsOrTarget, fr, options);
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? g.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  const M = g.count;
  const F = fr.length;
  const A = ang.length;
  const mag = new Float64Array(F * A);
  const db = new Float64Array(F * A);
  const t = new Float64Array(M);
  for (let a = 0; a < A; a++) {
    arrivalTimesUnchecked(g.positions, direction(ang[a], options.elevationDeg ?? 0), c, t);
    for (let f = 0; f < F; f++) {
      let sr = 0;
      let si = 0;
      for (let m = 0; m < M; m++) {
        const ph = -2 * Math.PI * fr[f] * t[m];
        const dr = Math.cos(ph);
        const di = Math.sin(ph);
        const wr = w.re[f * M + m];
        const wi = -w.im[f * M + m];
        sr += wr * dr - wi * di;
        si += wr * di + wi * dr;
      }
      const v = Math.hypot(sr, si);
      mag[f * A + a] = v;
      db[f * A + a] = v > 1e-15 ? 20 * Math.log10(v) : -300;
    }
  }
  return { magnitudeDb: db, magnitude: mag, frequencies: fr, anglesDeg: ang };
}

/** Noise field for {@link arrayGain}: spatially white, or spherically isotropic (diffuse, sinc coherence), or cylindrically isotropic (2-D, J0 coherence). */
export type NoiseField = 'uncorrelated' | 'diffuse' | 'diffuse-2d';

function besselJ0(x: number): number {
  const ax = Math.abs(x);
  if (ax < 8) {
    const y = x * x;
    const a = 57568490574.0 + y * (-13362590354.0 + y * (651619640.7 + y * (-11214424.18 + y * (77392.33017 + y * -184.9052456))));
    const b = 57568490411.0 + y * (1029532985.0 + y * (9494680.718 + y * (59272.64853 + y * (267.8532712 + y))));
    return a / b;
  }
  const z = 8 / ax;
  const y = z * z;
  const xx = ax - 0.785398164;
  const p = 1 + y * (-0.1098628627e-2 + y * (0.2734510407e-4 + y * (-0.2073370639e-5 + y * 0.2093887211e-6)));
  const q = -0.1562499995e-1 + y * (0.1430488765e-3 + y * (-0.6911147651e-5 + y * (0.7621095161e-6 - y * 0.934935152e-7)));
  return Math.sqrt(0.636619772 / ax) * (Math.cos(xx) * p - z * Math.sin(xx) * q);
}

/**
 * Array gain in dB at each frequency: the SNR improvement of the beamformer over one microphone,
 * `|w^H d|² / (w^H Γ w)` with d the steering vector toward `target` and Γ the noise coherence
 * (identity for 'uncorrelated' — the white-noise gain; sinc(2πf r/c) for 'diffuse' — the directivity
 * index). For uniform DAS: WNG = 10·log10 M exactly. `[F]`, O(F·M²).
 */
export function arrayGain(geometry: ArrayGeometry, weightsOrTarget: BeamformerSpec, target: Target, frequencies: ArrayLike<number>, noise: NoiseField = 'uncorrelated', options: PatternOptions = {}): Float64Array {
  const fn = 'arrayGain';
  const g = checkGeometry(fn, geometry);
  const fr = checkFreqs(fn, frequencies);
  const t0 = checkTarget(fn, target);
  if (noise !== 'uncorrelated' && noise !== 'diffuse' && noise !== 'diffuse-2d') throw new ArgumentTypeError(message(fn, "noise must be 'uncorrelated', 'diffuse' or 'diffuse-2d'", noise));
  const w = beamformerWeightsChecked(fn, g, weightsOrTarget, fr, options);
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? g.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  const M = g.count;
  const t = arrivalTimesUnchecked(g.positions, t0, c);
  const out = new Float64Array(fr.length);
  for (let f = 0; f < fr.length; f++) {
    let sr = 0;
    let si = 0;
    for (let m = 0; m < M; m++) {
      const ph = -2 * Math.PI * fr[f] * t[m];
      const wr = w.re[f * M + m];
      const wi = w.im[f * M + m];
      // conj(w) · d
      sr += wr * Math.cos(ph) + wi * Math.sin(ph);
      si += wr * Math.sin(ph) - wi * Math.cos(ph);
    }
    let den = 0;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < M; j++) {
        let gam: number;
        if (i === j || noise === 'uncorrelated') gam = i === j ? 1 : 0;
        else {
          const a = (2 * Math.PI * fr[f] * g.distance(i, j)) / c;
          gam = noise === 'diffuse' ? (a === 0 ? 1 : Math.sin(a) / a) : besselJ0(a);
        }
        if (gam === 0) continue;
        // Re(conj(w_i) Γ_ij w_j)
        den += gam * (w.re[f * M + i] * w.re[f * M + j] + w.im[f * M + i] * w.im[f * M + j]);
      }
    }
    out[f] = 10 * Math.log10((sr * sr + si * si) / den);
  }
  return out;
}

/** White-noise gain in dB (array gain against spatially uncorrelated noise); see {@link arrayGain}. */
export function whiteNoiseGain(geometry: ArrayGeometry, weightsOrTarget: BeamformerSpec, target: Target, frequencies: ArrayLike<number>, options: PatternOptions = {}): Float64Array {
  return arrayGain(geometry, weightsOrTarget, target, frequencies, 'uncorrelated', options);
}

/** Directivity index in dB (array gain against spherically isotropic diffuse noise); see {@link arrayGain}. */
export function directivityIndex(geometry: ArrayGeometry, weightsOrTarget: BeamformerSpec, target: Target, frequencies: ArrayLike<number>, options: PatternOptions = {}): Float64Array {
  return arrayGain(geometry, weightsOrTarget, target, frequencies, 'diffuse', options);
}
