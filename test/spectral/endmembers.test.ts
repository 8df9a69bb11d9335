import { describe, expect, it } from 'vitest';
import { vca, nfindr, ppi, unmix, refineEndmembers, readEnvi } from '../../src/spectral/index.js';
import { fullyConstrainedAbundances } from '../../src/constrained/stochastic.js';
import { readNpy } from '../../src/io/index.js';
import { Multichannel, ValueError, ShapeError, ArgumentTypeError } from '../../src/core/index.js';
import { expectPointwiseError, sharedData, Rng } from '../helpers/index.js';

/** Spectral angle in degrees. */
function angleDeg(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] ** 2;
    bb += b[i] ** 2;
  }
  return (Math.acos(Math.min(1, ab / Math.sqrt(aa * bb))) * 180) / Math.PI;
}

/** Every permutation of 0…n−1. */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Optimal matching (smallest worst angle) of found `[k, B]` to reference `[k, B]` spectra: angles per reference and the permutation found[perm[j]] ↔ ref j. */
function matchAngles(found: Multichannel, ref: Multichannel): { angles: number[]; perm: number[] } {
  const B = ref.length, k = ref.channels;
  let best = { angles: [] as number[], perm: [] as number[], worst: Infinity };
  for (const perm of permutations(k)) {
    const angles = perm.map((q, j) => angleDeg(found.data.subarray(q * B, (q + 1) * B), ref.data.subarray(j * B, (j + 1) * B)));
    const worst = Math.max(...angles);
    if (worst < best.worst) best = { angles, perm, worst };
  }
  return best;
}

/** A scene of k smooth endmembers with one pure pixel each (at `pure`) and Dirichlet-like mixtures elsewhere. */
function pureScene(seed: number, noise: number): { cube: Multichannel; pure: number[]; E: Multichannel } {
  const rng = new Rng(seed);
  const R = 20, C = 20, B = 30, k = 4, N = R * C;
  const E = new Float64Array(k * B);
  for (let j = 0; j < k; j++) for (let b = 0; b < B; b++) E[j * B + b] = 0.2 + 0.6 * Math.exp(-(((b / B - (j + 0.5) / k) / 0.2) ** 2));
  const pure = Array.from(rng.permutation(N).subarray(0, k));
  const d = new Float64Array(B * N);
  for (let p = 0; p < N; p++) {
    let a = Array.from({ length: k }, () => -Math.log(1 - rng.next()));
    const j0 = pure.indexOf(p);
    if (j0 >= 0) a = a.map((_, j) => (j === j0 ? 1 : 0));
    // mixtures stay inside the simplex: at most 80 % of any endmember
    const sum = a.reduce((u, v) => u + v, 0);
    a = a.map((v) => v / sum);
    if (j0 < 0) a = a.map((v) => 0.8 * v + 0.2 / k);
    for (let b = 0; b < B; b++) {
      let v = 0;
      for (let j = 0; j < k; j++) v += a[j] * E[j * B + b];
      d[b * N + p] = v + noise * rng.normal();
    }
  }
  return { cube: new Multichannel(d, B, N, { shape: [R, C] }), pure, E: new Multichannel(E, k, B) };
}

describe('endmember extraction on a scene with planted pure pixels', () => {
  for (const noise of [0, 1e-3]) {
    const { cube, pure } = pureScene(11, noise);
    const sorted = [...pure].sort((a, b) => a - b);
    for (const seed of [0, 1, 2]) {
      it(`vca finds exactly the pure pixels (noise ${noise}, seed ${seed})`, () => {
        expect(Array.from(vca(cube, 4, { seed }).indices).sort((a, b) => a - b)).toEqual(sorted);
      });
      it(`nfindr finds exactly the pure pixels (noise ${noise}, seed ${seed})`, () => {
        expect(Array.from(nfindr(cube, 4, { seed }).indices).sort((a, b) => a - b)).toEqual(sorted);
      });
    }
    it(`vca finds the pure pixels through either projection (snrDb forcing the PCA or the projective branch; noise ${noise})`, () => {
      for (const snrDb of [0, 100]) expect(Array.from(vca(cube, 4, { seed: 5, snrDb }).indices).sort((a, b) => a - b)).toEqual(sorted);
    });
    it(`ppi gives the pure pixels the four highest counts (noise ${noise})`, () => {
      const c = ppi(cube, 500, { seed: 4 });
      expect(c.shape).toEqual([20, 20]);
      const top = Array.from(c.data, (v, i) => [v, i]).sort((a, b) => b[0] - a[0]).slice(0, 4).map((t) => t[1]).sort((a, b) => a - b);
      expect(top).toEqual(sorted);
      expect(Array.from(c.data).reduce((u, v) => u + v, 0)).toBe(1000); // two extremes per projection
    });
  }
  it('unmix recovers the abundances of the noiseless scene (FCLS on the exact endmembers)', () => {
    const { cube, pure } = pureScene(11, 0);
    const r = unmix(cube, 4, { seed: 3 });
    const N = cube.length;
    // the pure pixels get abundance 1 on their own endmember
    for (let j = 0; j < 4; j++) expect(r.abundances.data[j * N + r.indices[j]]).toBeCloseTo(1, 6);
    expect(Array.from(r.indices).sort((a, b) => a - b)).toEqual([...pure].sort((a, b) => a - b));
  });
  it('ppi with a threshold counts every pixel within it of an extreme (≥ the plain counts)', () => {
    const { cube } = pureScene(11, 1e-3);
    const plain = ppi(cube, 50, { seed: 1 }).data;
    const wide = ppi(cube, 50, { seed: 1, threshold: 0.05 }).data;
    for (let p = 0; p < plain.length; p++) expect(wide[p]).toBeGreaterThanOrEqual(plain[p]);
    expect(Array.from(wide).reduce((u, v) => u + v, 0)).toBeGreaterThan(100);
  });
});

const samsonHdr = sharedData('hyperspectral/samson_bsq_f32.hdr');
describe('Samson (shared data): unsupervised unmixing and RX', () => {
  it.skipIf(!samsonHdr)('VCA and N-FINDR: raw soil and tree ≤ 5°, raw water 5–9°; the pipeline extract → refineEndmembers (5°–10°) → FCLS recovers all three within 5°; abundance RMSE reported beside FCLS with the true endmembers', () => {
    const cube = readEnvi(samsonHdr!);
    const E = readNpy(samsonHdr!.replace('.hdr', '.endmembers.npy')); // [3, 156], each scaled to max 1
    const A = readNpy(samsonHdr!.replace('.hdr', '.abundances.npy')); // [3, 95·95]
    const B = cube.channels, N = cube.length;
    const rmse = (a: Multichannel, perm: number[]) => {
      let s = 0;
      for (let j = 0; j < 3; j++) for (let p = 0; p < N; p++) s += (a.data[perm[j] * N + p] - A.data[j * N + p]) ** 2;
      return Math.sqrt(s / (3 * N));
    };
    // FCLS with the true endmembers at the cube's scale (the reference spectra are scaled to max 1;
    // each gets the least-squares scale that best explains the cube with the true abundances)
    const G = new Float64Array(9), h = new Float64Array(3);
    // exact normal equations: G_ij = Σ_p a_ip a_jp (e_i·e_j), h_i = Σ_p a_ip (e_i·x_p)
    const ee = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let b = 0; b < B; b++) ee[i * 3 + j] += E.data[i * B + b] * E.data[j * B + b];
    for (let p = 0; p < N; p++) {
      for (let i = 0; i < 3; i++) {
        const ai = A.data[i * N + p];
        for (let j = 0; j < 3; j++) G[i * 3 + j] += ai * A.data[j * N + p] * ee[i * 3 + j];
        let ex = 0;
        for (let b = 0; b < B; b++) ex += E.data[i * B + b] * cube.data[b * N + p];
        h[i] += ai * ex;
      }
    }
    const scales = solve3(G, h);
    const Et = new Float64Array(B * 3);
    for (let j = 0; j < 3; j++) for (let b = 0; b < B; b++) Et[b * 3 + j] = scales[j] * E.data[j * B + b];
    const trueRmse = rmse(fullyConstrainedAbundances(cube, { data: Et, rows: B, cols: 3 }), [0, 1, 2]);
    const lines = [`FCLS with the true endmembers (scaled ${Array.from(scales, (s) => s.toFixed(3)).join(', ')}): abundance RMSE ${trueRmse.toFixed(4)}`];
    for (const method of ['vca', 'nfindr'] as const) {
      const raw = unmix(cube, 3, { method, seed: 0 });
      const m = matchAngles(raw.endmembers, E);
      const ref = unmix(cube, 3, { method, seed: 0, refineAngleDeg: 5 });
      const mr = matchAngles(ref.endmembers, E);
      lines.push(`${method}: pixels ${Array.from(raw.indices).join(', ')}; raw angles (soil, tree, water) ${m.angles.map((a) => a.toFixed(2)).join(', ')}° (RMSE ${rmse(raw.abundances, m.perm).toFixed(4)}); refined (5° neighbourhood mean) ${mr.angles.map((a) => a.toFixed(2)).join(', ')}° (RMSE ${rmse(ref.abundances, mr.perm).toFixed(4)})`);
      // the raw extremes: soil and tree within 5°; water (dark, noisy) as far as its single pure
      // pixels can be (next test): 6.2° (VCA) and 7.4° (N-FINDR)
      expect(m.angles[0]).toBeLessThanOrEqual(5);
      expect(m.angles[1]).toBeLessThanOrEqual(5);
      expect(m.angles[2]).toBeGreaterThan(5);
      expect(m.angles[2]).toBeLessThan(9);
      // the documented pipeline (extract → refineEndmembers → FCLS) is what meets the 5° bar, and not
      // only at the one refinement angle: any neighbourhood of 5° to 10° does
      for (const a of mr.angles) expect(a).toBeLessThanOrEqual(5);
      for (const angle of [6, 8, 10]) {
        const wide = matchAngles(refineEndmembers(cube, raw.endmembers, angle), E);
        lines.push(`${method} refined at ${angle}°: ${wide.angles.map((a) => a.toFixed(2)).join(', ')}°`);
        for (const a of wide.angles) expect(a).toBeLessThanOrEqual(5);
      }
    }
    console.log(`[Samson unmixing]\n  ${lines.join('\n  ')}`);
  });

  it.skipIf(!samsonHdr)('the water pixels VCA and N-FINDR pick are pure water but among the noisiest: beyond the 90th percentile of the pure water pixels\' angles to the reference', () => {
    // extremeness is partly noise: of Samson's pure water pixels (abundance > 0.99; water reflects
    // about a fifth of the scene's mean), the most extreme are the noisiest, whatever the seed
    const cube = readEnvi(samsonHdr!);
    const E = readNpy(samsonHdr!.replace('.hdr', '.endmembers.npy'));
    const A = readNpy(samsonHdr!.replace('.hdr', '.abundances.npy'));
    const B = cube.channels, N = cube.length;
    const water = E.data.subarray(2 * B, 3 * B);
    const spectrum = (p: number) => Float64Array.from({ length: B }, (_, b) => cube.data[b * N + p]);
    const pure: number[] = [];
    for (let p = 0; p < N; p++) if (A.data[2 * N + p] > 0.99) pure.push(p);
    const angles = pure.map((p) => angleDeg(spectrum(p), water)).sort((u, v) => u - v);
    const q = (f: number) => angles[Math.floor(f * (angles.length - 1))];
    const mean = new Float64Array(B);
    for (const p of pure) for (let b = 0; b < B; b++) mean[b] += cube.data[b * N + p] / pure.length;
    const picks: string[] = [];
    for (const method of ['vca', 'nfindr'] as const) {
      for (const seed of [0, 1, 2]) {
        const found = (method === 'vca' ? vca : nfindr)(cube, 3, { seed });
        const p = Array.from(found.indices).find((i) => A.data[2 * N + i] > 0.99);
        expect(p, `${method} seed ${seed} picks a pure water pixel`).toBeDefined();
        const angle = angleDeg(spectrum(p!), water);
        picks.push(`${method} seed ${seed}: pixel ${p} ${angle.toFixed(2)}°`);
        expect(angle).toBeGreaterThan(q(0.9));
      }
    }
    console.log(`[Samson water] ${pure.length} pure pixels, angles to the reference: min ${q(0).toFixed(2)}°, median ${q(0.5).toFixed(2)}°, 90th percentile ${q(0.9).toFixed(2)}°, max ${q(1).toFixed(2)}°; their mean ${angleDeg(mean, water).toFixed(2)}°; picked: ${picks.join(', ')}`);
    expect(angleDeg(mean, water)).toBeLessThan(3);
  });
});

/** Solves a 3 × 3 system by Cramer's rule (test helper). */
function solve3(G: Float64Array, h: Float64Array): Float64Array {
  const det = (m: ArrayLike<number>) => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const d = det(G);
  return Float64Array.from([0, 1, 2], (c) => {
    const m = Float64Array.from(G);
    for (let r = 0; r < 3; r++) m[r * 3 + c] = h[r];
    return det(m) / d;
  });
}

describe('bad inputs', () => {
  const { cube } = pureScene(11, 1e-3);
  const withNaN = () => {
    const d = Float64Array.from(cube.data);
    d[7] = NaN;
    return new Multichannel(d, cube.channels, cube.length);
  };
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['vca: not a Multichannel', () => vca({} as never, 3), ArgumentTypeError, /^vca: x must be a Multichannel/],
    ['vca: k = 1', () => vca(cube, 1), ValueError, /^vca: k must be/],
    ['vca: k > bands', () => vca(cube, 31), ValueError, /^vca: k must be ≤ bands = 30; got 31/],
    ['vca: k > pixels', () => vca(new Multichannel(cube.data.slice(0, 30 * 3), 30, 3), 4), ValueError, /^vca: k must be ≤ pixels = 3; got 4/],
    ['vca: NaN', () => vca(withNaN(), 3), ValueError, /^vca: x must be finite .*got NaN/],
    ['vca: k not an integer', () => vca(cube, 2.5), ValueError, /^vca: k must be/],
    ['vca: snrDb NaN', () => vca(cube, 3, { snrDb: NaN }), ValueError, /^vca: snrDb must be/],
    ['nfindr: k > bands', () => nfindr(cube, 31), ValueError, /^nfindr: k must be ≤ bands = 30; got 31/],
    ['nfindr: NaN', () => nfindr(withNaN(), 3), ValueError, /^nfindr: x must be finite/],
    ['nfindr: maxSweeps 0', () => nfindr(cube, 3, { maxSweeps: 0 }), ValueError, /^nfindr: maxSweeps must be/],
    ['ppi: iterations 0', () => ppi(cube, 0), ValueError, /^ppi: iterations must be/],
    ['ppi: negative threshold', () => ppi(cube, 10, { threshold: -1 }), ValueError, /^ppi: threshold/],
    ['ppi: NaN', () => ppi(withNaN(), 10), ValueError, /^ppi: x must be finite/],
    ['unmix: unknown method', () => unmix(cube, 3, { method: 'svd' as never }), ValueError, /^unmix: method must be one of/],
    ['refineEndmembers: wrong band count', () => refineEndmembers(cube, new Multichannel(new Float64Array(6), 2, 3), 5), ShapeError, /^refineEndmembers: endmembers must be \[k, bands = 30\]; got \[2, 3\]/],
    ['refineEndmembers: angle 0', () => refineEndmembers(cube, vca(cube, 3).endmembers, 0), ValueError, /^refineEndmembers: angleDeg must be in \(0, 90\) degrees; got 0/],
  ];
  for (const [label, f, cls, pattern] of table) it(label, () => expectPointwiseError(f, cls, pattern, label));
});
