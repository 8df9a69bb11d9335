/**
 * Steering: propagation times from a target to each microphone and the delay-and-sum delays that
 * align them.
 * @module
 */
import { ArgumentTypeError, message } from '../core/errors.js';
import { ArrayGeometry, DEFAULT_SPEED_OF_SOUND, checkTarget, speedOfSoundChecked, unitVector, type SpeedLike, type Target } from './geometry.js';

/** Options shared by the steering functions. */
export interface SteeringOptions {
  /** Speed of sound: m/s, `'343 m/s'` or an air temperature `'20 degC'`; default the geometry's `speedOfSound`, else 343 m/s. */
  speedOfSound?: SpeedLike;
}

/** Throws an ArgumentTypeError unless `g` is an {@link ArrayGeometry}; returns it. */
export function checkGeometry(fn: string, g: unknown): ArrayGeometry {
  if (!(g instanceof ArrayGeometry)) throw new ArgumentTypeError(message(fn, 'geometry must be an ArrayGeometry', g));
  return g;
}

/**
 * Arrival time (seconds) of a wave from `target` at each microphone, relative to the origin of the
 * frame: plane wave `−(p·u)/c`, spherical wave `|p − s|/c`. Shape `[M]`. O(M).
 * @example arrivalTimes(ArrayGeometry.linear(4, 0.05), direction(0)) // earliest at the +x end
 */
export function arrivalTimes(geometry: ArrayGeometry, target: Target, options: SteeringOptions = {}): Float64Array {
  const fn = 'arrivalTimes';
  checkGeometry(fn, geometry);
  const t = checkTarget(fn, target);
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? geometry.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  return arrivalTimesUnchecked(geometry.positions, t, c);
}

/** Unchecked kernel of {@link arrivalTimes}. */
export function arrivalTimesUnchecked(p: Float64Array, t: Target, c: number, out = new Float64Array(p.length / 3)): Float64Array {
  const M = p.length / 3;
  if (t.kind === 'far-field') {
    const [ux, uy, uz] = unitVector(t);
    for (let m = 0; m < M; m++) out[m] = -(p[3 * m] * ux + p[3 * m + 1] * uy + p[3 * m + 2] * uz) / c;
  } else {
    const [sx, sy, sz] = t.point;
    for (let m = 0; m < M; m++) {
      const dx = p[3 * m] - sx;
      const dy = p[3 * m + 1] - sy;
      const dz = p[3 * m + 2] - sz;
      out[m] = Math.sqrt(dx * dx + dy * dy + dz * dz) / c;
    }
  }
  return out;
}

/**
 * Delay-and-sum steering delays in seconds, `delay_m = max(t) − t_m ≥ 0` with `t` the
 * {@link arrivalTimes}: delaying channel m by `delay_m` aligns every channel on the latest arrival.
 * Far field for a direction, near field (spherical wavefront) for a point. Shape `[M]`, min 0.
 * Agrees with ../shared/refs/das.json `steer_delay_s` to 1e-15 s.
 * @example steeringDelays(ArrayGeometry.linear(4, '5 cm'), direction(50)) // seconds, ≥ 0
 */
export function steeringDelays(geometry: ArrayGeometry, target: Target, options: SteeringOptions = {}): Float64Array {
  const t = arrivalTimes(geometry, target, options);
  let mx = -Infinity;
  for (let m = 0; m < t.length; m++) mx = Math.max(mx, t[m]);
  for (let m = 0; m < t.length; m++) t[m] = mx - t[m];
  return t;
}

/** Far-field steering delays (seconds) toward a direction; see {@link steeringDelays}. */
export function farFieldDelays(geometry: ArrayGeometry, target: Target, options: SteeringOptions = {}): Float64Array {
  return steeringDelays(geometry, target, options);
}

/**
 * Near-field amplitude factors for a point target: `r_ref / r_m` with `r_m` the source–microphone
 * distance and `r_ref` the largest of them (so the farthest microphone has 1). Multiplying channel m
 * by `1 / factor` compensates spherical spreading. Shape `[M]`.
 */
export function nearFieldGains(geometry: ArrayGeometry, target: Target, options: SteeringOptions = {}): Float64Array {
  const fn = 'nearFieldGains';
  checkGeometry(fn, geometry);
  const t = checkTarget(fn, target);
  const M = geometry.count;
  const out = new Float64Array(M).fill(1);
  if (t.kind === 'far-field') return out;
  const r = arrivalTimesUnchecked(geometry.positions, t, speedOfSoundChecked(fn, options.speedOfSound ?? geometry.speedOfSound ?? DEFAULT_SPEED_OF_SOUND));
  let mx = 0;
  for (let m = 0; m < M; m++) mx = Math.max(mx, r[m]);
  for (let m = 0; m < M; m++) out[m] = mx / Math.max(r[m], 1e-12);
  return out;
}

/**
 * Near-field steering delays (seconds) toward a point, optionally with the 1/r amplitude factors
 * (see {@link nearFieldGains}).
 */
export function nearFieldDelays(geometry: ArrayGeometry, target: Target, options: SteeringOptions & { amplitude?: boolean } = {}): { delaysSeconds: Float64Array; gains: Float64Array } {
  const delaysSeconds = steeringDelays(geometry, target, options);
  const gains = options.amplitude ? nearFieldGains(geometry, target, options) : new Float64Array(geometry.count).fill(1);
  return { delaysSeconds, gains };
}

/**
 * Complex steering vector at frequency `f` (Hz): `d_m = exp(−j 2π f t_m)` with t the arrival times
 * (relative to the origin). Returned as separate real and imaginary `[M]` arrays.
 */
export function steeringVector(geometry: ArrayGeometry, target: Target, frequencyHz: number, options: SteeringOptions = {}): { re: Float64Array; im: Float64Array } {
  const t = arrivalTimes(geometry, target, options);
  const re = new Float64Array(t.length);
  const im = new Float64Array(t.length);
  for (let m = 0; m < t.length; m++) {
    const ph = -2 * Math.PI * frequencyHz * t[m];
    re[m] = Math.cos(ph);
    im[m] = Math.sin(ph);
  }
  return { re, im };
}
