/**
 * A synthetic hyperspectral scene for tests and demos: smooth endmember spectra, abundance maps that
 * are non-negative and sum to one at every pixel (Dirichlet-like, spatially smooth), their linear
 * mixture, plus seeded Gaussian noise.
 * @module
 */
import { Multichannel, allocate } from '../core/multichannel.js';
import { Rng } from '../core/random.js';
import { assertInteger, assertPositive } from '../core/validate.js';

/** Options of {@link syntheticCube}. */
export interface SyntheticCubeOptions {
  /** Image size `[rows, cols]` (default [48, 48]). */
  shape?: readonly [number, number];
  /** Bands (default 64). */
  bands?: number;
  /** Endmembers (default 3). */
  endmembers?: number;
  /** Standard deviation of the additive Gaussian noise, in reflectance units (default 0.005). */
  noise?: number;
  /** First and last band centre in nm (default [400, 2500]). */
  wavelengthRangeNm?: readonly [number, number];
  /** Concentration of the abundances: smaller → purer pixels (default 0.6). */
  concentration?: number;
  seed?: number;
}

/** A synthetic scene: the cube and its ground truth. */
export interface SyntheticScene {
  /** `[bands, rows·cols]`, shape `[rows, cols]`, wavelengths in nm. */
  cube: Multichannel;
  /** `[endmembers, rows·cols]`, each pixel's abundances ≥ 0 and summing to 1. */
  abundances: Multichannel;
  /** `[endmembers, bands]`: endmember spectra (reflectance in [0.05, 0.95]). */
  endmembers: Multichannel;
  /** Hard class label per pixel (the dominant endmember). */
  labels: Int32Array;
}

/**
 * Generates a linear-mixture scene: `cube = E A + noise` with smooth spectra E (sums of Gaussian
 * bumps) and abundances A from a softmax of smooth random fields (a Dirichlet-like draw that varies
 * smoothly in space). Deterministic for a given seed.
 * @example const { cube, abundances } = syntheticCube({ shape: [32, 32], bands: 50, seed: 1 });
 */
export function syntheticCube(options: SyntheticCubeOptions = {}): SyntheticScene {
  const fn = 'syntheticCube';
  const [R, C] = options.shape ?? [48, 48];
  assertInteger(fn, 'shape[0]', R, 1);
  assertInteger(fn, 'shape[1]', C, 1);
  const B = options.bands ?? 64;
  assertInteger(fn, 'options.bands', B, 2);
  const K = options.endmembers ?? 3;
  assertInteger(fn, 'options.endmembers', K, 1);
  const noise = options.noise ?? 0.005;
  assertPositive(fn, 'options.noise', noise, true);
  const conc = options.concentration ?? 0.6;
  assertPositive(fn, 'options.concentration', conc);
  const [w0, w1] = options.wavelengthRangeNm ?? [400, 2500];
  const rng = new Rng(options.seed ?? 0);
  const N = R * C;
  const wl = new Float64Array(B);
  for (let b = 0; b < B; b++) wl[b] = w0 + ((w1 - w0) * b) / (B - 1);
  // endmembers: baseline + 3 Gaussian bumps each, scaled into [0.05, 0.95]
  const E = new Float64Array(K * B);
  for (let k = 0; k < K; k++) {
    const base = rng.uniform(0.1, 0.4);
    const slope = rng.uniform(-0.2, 0.2);
    for (let b = 0; b < B; b++) E[k * B + b] = base + (slope * b) / B;
    for (let j = 0; j < 3; j++) {
      const mu = rng.uniform(0, 1);
      const sig = rng.uniform(0.05, 0.2);
      const amp = rng.uniform(-0.25, 0.45);
      for (let b = 0; b < B; b++) {
        const u = (b / (B - 1) - mu) / sig;
        E[k * B + b] += amp * Math.exp(-0.5 * u * u);
      }
    }
    for (let b = 0; b < B; b++) E[k * B + b] = Math.min(0.95, Math.max(0.05, E[k * B + b]));
  }
  // abundances: softmax of smooth random fields (sum of random plane waves) / concentration
  const A = new Float64Array(K * N);
  const fields = new Float64Array(K * N);
  for (let k = 0; k < K; k++) {
    const waves = 4;
    const params: number[] = [];
    for (let j = 0; j < waves; j++) params.push(rng.uniform(0.5, 3) * 2 * Math.PI, rng.uniform(0, Math.PI), rng.uniform(0, 2 * Math.PI));
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
      let f = 0;
      for (let j = 0; j < waves; j++) {
        const [freq, ang, ph] = [params[3 * j], params[3 * j + 1], params[3 * j + 2]];
        f += Math.sin(freq * ((r / R) * Math.cos(ang) + (c / C) * Math.sin(ang)) + ph);
      }
      fields[k * N + r * C + c] = f / Math.sqrt(waves) + 0.3 * rng.normal();
    }
  }
  const labels = new Int32Array(N);
  for (let p = 0; p < N; p++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, fields[k * N + p]);
    let s = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp((fields[k * N + p] - m) / conc);
      A[k * N + p] = e;
      s += e;
    }
    let best = 0;
    for (let k = 0; k < K; k++) {
      A[k * N + p] /= s;
      if (A[k * N + p] > A[best * N + p]) best = k;
    }
    labels[p] = best;
  }
  const X = allocate('float64', B * N) as Float64Array;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      const e = E[k * B + b];
      for (let p = 0; p < N; p++) X[b * N + p] += e * A[k * N + p];
    }
    if (noise > 0) for (let p = 0; p < N; p++) X[b * N + p] += noise * rng.normal();
  }
  const coords = { name: 'wavelength', unit: 'nm', width: 1, values: wl };
  return {
    cube: new Multichannel(X, B, N, { shape: [R, C], coords }),
    abundances: new Multichannel(A, K, N, { shape: [R, C] }),
    endmembers: new Multichannel(E, K, B),
    labels,
  };
}
