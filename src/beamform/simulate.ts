/**
 * Simulation for tests and demos: a plane wave or a point source carrying any signal onto any
 * geometry with exact fractional delays (FFT phase shift), uncorrelated sensor noise at a given SNR
 * and optional diffuse noise (sinc-coherence model or many random plane waves). Seeded: every random
 * draw comes from {@link Rng}.
 * @module
 */
import { Multichannel } from '../core/multichannel.js';
import { ArgumentTypeError, ValueError, message } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { assertFinite, assertInteger, assertNumericArray, assertOneOf, assertPositive } from '../core/validate.js';
import { ArrayGeometry, DEFAULT_SPEED_OF_SOUND, checkTarget, direction, speedOfSoundChecked, type SpeedLike, type Target } from './geometry.js';
import { arrivalTimesUnchecked, checkGeometry } from './steering.js';
import { RealFft, nextFastLength } from '../fft/index.js';
import { choleskySemidefinite } from '../linalg/solve.js';

/** Options of the simulators. */
export interface SimulateOptions {
  /** Sample rate in Hz (required). */
  sampleRate: number;
  /** Speed of sound (m/s, '343 m/s' or '20 degC'); default the geometry's `speedOfSound`, else 343 m/s. */
  speedOfSound?: SpeedLike;
  /** Delay circularly over the signal length: exact for periodic signals. Default false (zero-padded). */
  circular?: boolean;
  /** Point source only: divide channel m by r_m (metres), i.e. the signal is referenced at 1 m. Default false. */
  spreading?: boolean;
  /** Uncorrelated sensor noise: SNR in dB relative to the mean signal power per channel. */
  snrDb?: number;
  /** Diffuse noise: SNR in dB relative to the mean signal power, and the model (default 'sinc'). */
  diffuse?: { snrDb: number; model?: 'sinc' | 'plane-waves'; planeWaves?: number };
  /** Seed of the noise generator (default 0). */
  seed?: number;
}

/**
 * `s` delayed by `delaySamples` (any real, may be negative) through an FFT phase shift:
 * `irfft(rfft(s) · e^{−j2πkd/n})`. Circular over the signal length when `circular` (any
 * length), else over a zero-padded power-of-two length ≥ N + |d| + 64. Shape `[N] → [N]`.
 * O(n log n).
 */
export function fractionalDelay(s: ArrayLike<number>, delaySamples: number, options: { circular?: boolean } = {}): Float64Array {
  const fn = 'fractionalDelay';
  assertNumericArray(fn, 's', s);
  assertFinite(fn, 'delaySamples', delaySamples);
  const out = delayMany(Float64Array.from(s), Float64Array.of(delaySamples), Float64Array.of(1), options.circular ?? false);
  return out;
}

/** Delays `s` by each of `delays` (samples) with gains; returns `[M × N]` channel-major. */
function delayMany(s: Float64Array, delays: Float64Array, gains: Float64Array, circular: boolean): Float64Array {
  const N = s.length;
  const M = delays.length;
  let maxAbsD = 0;
  for (let m = 0; m < M; m++) maxAbsD = Math.max(maxAbsD, Math.abs(delays[m]));
  let n: number;
  if (circular) {
    n = N;
  } else n = nextFastLength(N + Math.ceil(maxAbsD) + 64);
  const fft = new RealFft(n);
  const B = fft.bins;
  const sr = new Float64Array(B);
  const si = new Float64Array(B);
  fft.forward(s, sr, si);
  const yr = new Float64Array(B);
  const yi = new Float64Array(B);
  const buf = new Float64Array(n);
  const out = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    const d = delays[m];
    for (let k = 0; k < B; k++) {
      const ph = (-2 * Math.PI * k * d) / n;
      const c = gains[m] * Math.cos(ph);
      const sn = gains[m] * Math.sin(ph);
      yr[k] = sr[k] * c - si[k] * sn;
      yi[k] = sr[k] * sn + si[k] * c;
    }
    if (n % 2 === 0) {
      // keep the Nyquist bin real so a delay is a real operation (numpy's irfft drops its imaginary part)
      yi[B - 1] = 0;
    }
    fft.inverse(yr, yi, buf);
    out.set(buf.subarray(0, N), m * N);
  }
  return out;
}

function simulate(fn: string, signal: unknown, geometry: unknown, target: unknown, options: SimulateOptions): Multichannel {
  const s = Float64Array.from(assertNumericArray(fn, 'signal', signal));
  const g = checkGeometry(fn, geometry);
  const t = checkTarget(fn, target);
  if (options === undefined || options === null || typeof options !== 'object') throw new ArgumentTypeError(message(fn, 'options with sampleRate (Hz) must be given', options));
  const fs = options.sampleRate;
  assertPositive(fn, 'options.sampleRate', fs);
  for (let i = 0; i < s.length; i++) if (!Number.isFinite(s[i])) throw new ValueError(message(fn, 'signal must be finite', { verbatim: `${s[i]} at index ${i}` }));
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? g.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  const tt = arrivalTimesUnchecked(g.positions, t, c);
  const M = g.count;
  const N = s.length;
  const d = new Float64Array(M);
  const gains = new Float64Array(M).fill(1);
  for (let m = 0; m < M; m++) {
    d[m] = tt[m] * fs;
    if (options.spreading && t.kind === 'near-field') gains[m] = 1 / Math.max(tt[m] * c, 1e-9);
  }
  const data = delayMany(s, d, gains, options.circular ?? false);
  let power = 0;
  for (let i = 0; i < data.length; i++) power += data[i] * data[i];
  power /= Math.max(1, data.length);
  const rng = new Rng(options.seed ?? 0);
  if (options.diffuse !== undefined) {
    assertFinite(fn, 'diffuse.snrDb', options.diffuse.snrDb);
    const model = assertOneOf(fn, 'diffuse.model', options.diffuse.model ?? 'sinc', ['sinc', 'plane-waves'] as const);
    const noise = model === 'sinc' ? diffuseSinc(g, N, fs, c, rng) : diffusePlaneWaves(g, N, fs, c, rng, options.diffuse.planeWaves ?? 64, fn);
    addScaled(data, noise, power / 10 ** (options.diffuse.snrDb / 10));
  }
  if (options.snrDb !== undefined) {
    assertFinite(fn, 'options.snrDb', options.snrDb);
    const sigma = Math.sqrt(power / 10 ** (options.snrDb / 10));
    for (let i = 0; i < data.length; i++) data[i] += sigma * rng.normal();
  }
  return new Multichannel(data, M, N, { sampleRate: fs, coords: { name: 'position', unit: 'm', width: 3, values: g.positions.slice() } });
}

function addScaled(data: Float64Array, noise: Float64Array, targetPower: number): void {
  let p = 0;
  for (let i = 0; i < noise.length; i++) p += noise[i] * noise[i];
  p /= Math.max(1, noise.length);
  const k = p > 0 ? Math.sqrt(targetPower / p) : 0;
  for (let i = 0; i < data.length; i++) data[i] += k * noise[i];
}

/**
 * Spherically isotropic (diffuse) noise by the sinc-coherence model: per frequency bin, white complex
 * Gaussian noise coloured by the Cholesky factor of Γ_ij(f) = sinc(2π f d_ij / c). O(B·M³).
 */
function diffuseSinc(g: ArrayGeometry, N: number, fs: number, c: number, rng: Rng): Float64Array {
  const M = g.count;
  const n = nextFastLength(Math.max(2, N));
  const fft = new RealFft(n);
  const B = fft.bins;
  const Xr = new Float64Array(M * B);
  const Xi = new Float64Array(M * B);
  const G = new Float64Array(M * M);
  const L = new Float64Array(M * M);
  const zr = new Float64Array(M);
  const zi = new Float64Array(M);
  for (let k = 0; k < B; k++) {
    const f = (k * fs) / n;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < M; j++) {
        const a = (2 * Math.PI * f * g.distance(i, j)) / c;
        G[i * M + j] = (i === j ? 1 + 1e-9 : a === 0 ? 1 : Math.sin(a) / a);
      }
    }
    choleskySemidefinite(G, L, M);
    for (let i = 0; i < M; i++) {
      zr[i] = rng.normal();
      zi[i] = k === 0 || k === B - 1 ? 0 : rng.normal();
    }
    for (let i = 0; i < M; i++) {
      let ar = 0;
      let ai = 0;
      for (let j = 0; j <= i; j++) {
        ar += L[i * M + j] * zr[j];
        ai += L[i * M + j] * zi[j];
      }
      Xr[i * B + k] = ar;
      Xi[i * B + k] = ai;
    }
  }
  const out = new Float64Array(M * N);
  const buf = new Float64Array(n);
  for (let m = 0; m < M; m++) {
    fft.inverse(Xr.subarray(m * B, (m + 1) * B), Xi.subarray(m * B, (m + 1) * B), buf);
    out.set(buf.subarray(0, N), m * N);
  }
  return out;
}


/** Diffuse noise as the sum of K independent white-noise plane waves from directions uniform on the sphere. */
function diffusePlaneWaves(g: ArrayGeometry, N: number, fs: number, c: number, rng: Rng, K: number, fn: string): Float64Array {
  assertInteger(fn, 'diffuse.planeWaves', K, 1);
  const M = g.count;
  const out = new Float64Array(M * N);
  const tt = new Float64Array(M);
  const d = new Float64Array(M);
  const ones = new Float64Array(M).fill(1);
  for (let q = 0; q < K; q++) {
    const az = rng.uniform(-180, 180);
    const el = (Math.asin(rng.uniform(-1, 1)) * 180) / Math.PI;
    arrivalTimesUnchecked(g.positions, direction(az, el), c, tt);
    for (let m = 0; m < M; m++) d[m] = tt[m] * fs;
    const w = rng.normals(N);
    const x = delayMany(w, d, ones, false);
    for (let i = 0; i < out.length; i++) out[i] += x[i];
  }
  return out;
}

/**
 * A plane wave from a far-field direction carrying `signal` onto `geometry`: `[N] → [M, N]`,
 * `x_m(t) = s(t − t_m)` with `t_m = −(p_m·u)/c` (relative to the origin), exact fractional delays by
 * FFT phase shift, plus optional sensor and diffuse noise (seeded). sampleRate set, microphone
 * positions stored in `coords`. O(M·n log n).
 * @throws ValueError for a missing sampleRate, non-finite samples.
 * @example simulatePlaneWave(rng.normals(4096), ArrayGeometry.linear(8, '4 cm'), direction(30), { sampleRate: 16000, snrDb: 20, seed: 1 })
 */
export function simulatePlaneWave(signal: ArrayLike<number>, geometry: ArrayGeometry, target: Target, options: SimulateOptions): Multichannel {
  return simulate('simulatePlaneWave', signal, geometry, target, options);
}

/**
 * A point source (spherical wave; 1/r spreading with `spreading: true`) carrying `signal` onto
 * `geometry`: `[N] → [M, N]`, `x_m(t) = s(t − r_m/c) [/ r_m]`. Otherwise as {@link simulatePlaneWave};
 * a far-field target is accepted and simulated as a plane wave.
 */
export function simulatePointSource(signal: ArrayLike<number>, geometry: ArrayGeometry, target: Target, options: SimulateOptions): Multichannel {
  return simulate('simulatePointSource', signal, geometry, target, options);
}
