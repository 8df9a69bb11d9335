/**
 * Properties of the constrained fit over seeded random problems, checked against a dense KKT oracle
 * (ml-matrix solve of the full system) and against the unconstrained fit.
 */
import { describe, expect, it } from 'vitest';
import { Matrix, solve } from 'ml-matrix';
import { Multichannel } from '../../src/core/multichannel.js';
import {
  LinearConstraints, conservationReport, fitConstrainedMixer, fixedEntries, projectOntoConstraints, totalConservation,
} from '../../src/constrained/index.js';
import { Rng, expectClose, maxAbs } from '../helpers/index.js';

interface Problem { cin: number; cout: number; r: number; T: number; x: Multichannel; y: Multichannel; laws: LinearConstraints; A: Float64Array; B: Float64Array }

function randomProblem(seed: number): Problem {
  const rng = new Rng(seed);
  const cin = rng.int(2, 8), cout = rng.int(2, 8), r = rng.int(1, cout - 1), T = rng.int(40, 200);
  const A = rng.normals(r * cout), B = rng.normals(r * cin);
  const x = new Multichannel(rng.array(cin * T), cin, T);
  const y = new Multichannel(rng.normals(cout * T), cout, T);
  const laws = new LinearConstraints({ outChannels: cout, inChannels: cin, A: { data: A, rows: r, cols: cout }, B: { data: B, rows: r, cols: cin } });
  return { cin, cout, r, T, x, y, laws, A, B };
}

/**
 * Dense KKT oracle on θ = vec([W | b]) (Cout × p row-major): [[2H, Mᵀ], [M, 0]] [θ; μ] = [2s; rhs],
 * H = I ⊗ (X̃X̃ᵀ + ridge on the W block), s = vec(Y X̃ᵀ). Every equation of `laws` in M.
 */
function kktOracle(p: Problem | { cin: number; cout: number; x: Multichannel; y: Multichannel; laws: LinearConstraints }, bias: boolean, ridge = 0): Float64Array {
  const { cin, cout, x, y, laws } = p;
  const T = x.length, q = cin + (bias ? 1 : 0), n = cout * q;
  const xt = (i: number, t: number): number => (i < cin ? x.data[i * T + t] : 1);
  const G = Matrix.zeros(q, q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += xt(i, t) * xt(j, t);
    G.set(i, j, s + (i === j && i < cin ? ridge : 0));
  }
  const rows: number[][] = [], rhs: number[] = [];
  for (let k = 0; k < laws.rows; k++) {
    for (let i = 0; i < q; i++) {
      const row = new Array(n).fill(0);
      for (let o = 0; o < cout; o++) row[o * q + i] = laws.A[k * cout + o];
      rows.push(row);
      rhs.push(i < cin ? laws.B[k * cin + i] : laws.biasTarget[k]);
    }
  }
  for (let g = 0; g < laws.generalRows; g++) {
    const row = new Array(n).fill(0);
    for (let j = 0; j < cout * cin; j++) row[Math.floor(j / cin) * q + (j % cin)] = laws.C[g * cout * cin + j];
    rows.push(row);
    rhs.push(laws.d[g]);
  }
  const m = rows.length;
  const K = Matrix.zeros(n + m, n + m);
  const f = new Array(n + m).fill(0);
  for (let o = 0; o < cout; o++) for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) K.set(o * q + i, o * q + j, 2 * G.get(i, j));
    let s = 0;
    for (let t = 0; t < T; t++) s += y.data[o * T + t] * xt(i, t);
    f[o * q + i] = 2 * s;
  }
  rows.forEach((row, a) => row.forEach((v, j) => { K.set(n + a, j, v); K.set(j, n + a, v); }));
  rhs.forEach((v, a) => (f[n + a] = v));
  const sol = solve(K, Matrix.columnVector(f)).getColumn(0);
  return Float64Array.from(sol.slice(0, n));
}

function split(theta: Float64Array, cout: number, cin: number, bias: boolean): { W: Float64Array; b: Float64Array } {
  const q = cin + (bias ? 1 : 0);
  const W = new Float64Array(cout * cin), b = new Float64Array(cout);
  for (let o = 0; o < cout; o++) {
    for (let i = 0; i < cin; i++) W[o * cin + i] = theta[o * q + i];
    if (bias) b[o] = theta[o * q + cin];
  }
  return { W, b };
}

describe('fitConstrainedMixer: random full-row-rank A, B (seeded)', () => {
  for (let seed = 1; seed <= 24; seed++) {
    const bias = seed % 2 === 0;
    it(`seed ${seed}, bias ${bias}: exact constraints, conservation per sample, residual ≥ unconstrained, KKT oracle`, () => {
      const P = randomProblem(seed);
      const fit = fitConstrainedMixer(P.x, P.y, P.laws, { bias });
      const bound = 1e-12 * (1 + maxAbs(P.B));
      // ‖A W − B‖∞ and ‖A b‖∞.
      expect(fit.violation, `seed ${seed}`).toBeLessThanOrEqual(bound);
      // Every mixed sample conserves its totals (x ∈ [−1, 1]).
      const rep = conservationReport(fit.mixer, P.x, P.laws);
      expect(rep.maxAbsolute, `seed ${seed}`).toBeLessThanOrEqual(bound);
      // Never better than the unconstrained optimum.
      expect(fit.residual, `seed ${seed}`).toBeGreaterThanOrEqual(fit.unconstrainedResidual * (1 - 1e-12));
      // Same point as the dense KKT system.
      const { W, b } = split(kktOracle(P, bias), P.cout, P.cin, bias);
      expectClose(fit.weights, W, { rtol: 1e-8, atol: 1e-8 * (1 + maxAbs(W)), label: `seed ${seed} W` });
      if (bias) expectClose(fit.bias, b, { rtol: 1e-8, atol: 1e-8 * (1 + maxAbs(b)), label: `seed ${seed} b` });
    });
  }

  for (let seed = 101; seed <= 110; seed++) {
    it(`seed ${seed}: when the unconstrained solution is already feasible, both fits coincide`, () => {
      const P = randomProblem(seed);
      const rng = new Rng(seed * 7);
      // y = W_f x + E with W_f feasible and A E = 0 per sample ⇒ the unconstrained solution is feasible.
      const Wf = projectOntoConstraints(rng.normals(P.cout * P.cin), P.laws).weights;
      const noise = rng.normals(P.cout * P.T);
      const proj = projectOntoConstraints(noise, new LinearConstraints({ outChannels: P.cout, inChannels: P.T, A: { data: P.A, rows: P.r, cols: P.cout }, B: { data: new Float64Array(P.r * P.T), rows: P.r, cols: P.T } }));
      const E = proj.weights; // Cout × T with A E = 0
      const y = new Float64Array(P.cout * P.T);
      for (let o = 0; o < P.cout; o++) for (let t = 0; t < P.T; t++) {
        let s = 0.1 * E[o * P.T + t];
        for (let i = 0; i < P.cin; i++) s += Wf[o * P.cin + i] * P.x.data[i * P.T + t];
        y[o * P.T + t] = s;
      }
      const fit = fitConstrainedMixer(P.x, new Multichannel(y, P.cout, P.T), P.laws, { bias: false });
      expect(fit.residual).toBeGreaterThan(0);
      expect(Math.abs(fit.residual - fit.unconstrainedResidual)).toBeLessThanOrEqual(1e-9 * fit.unconstrainedResidual);
    });
  }
});

describe('general rows (fixed entries) and ridge: range-space solve vs the dense KKT oracle', () => {
  for (let seed = 201; seed <= 208; seed++) {
    const bias = seed % 2 === 1;
    it(`seed ${seed}, bias ${bias}: total conservation + forbidden pathways + a fixed entry`, () => {
      const rng = new Rng(seed);
      const cin = rng.int(3, 6), cout = rng.int(3, 6), T = 120;
      const x = new Multichannel(rng.array(cin * T), cin, T);
      const y = new Multichannel(rng.normals(cout * T), cout, T);
      const laws = totalConservation(cout, { inChannels: cin }).and(
        fixedEntries(cout, cin, [{ output: 0, input: 1 }, { output: 1, input: 0 }, { output: 2, input: 2, value: 0.25 }]),
      );
      const ridge = seed % 3 === 0 ? 0.3 : 0;
      const fit = fitConstrainedMixer(x, y, laws, { bias, ridge });
      expect(fit.method).toBe('range-space');
      expect(fit.violation).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(fit.weights[0 * cin + 1])).toBeLessThanOrEqual(1e-14);
      expect(Math.abs(fit.weights[2 * cin + 2] - 0.25)).toBeLessThanOrEqual(1e-14);
      const { W, b } = split(kktOracle({ cin, cout, x, y, laws }, bias, ridge), cout, cin, bias);
      expectClose(fit.weights, W, { rtol: 1e-8, atol: 1e-9, label: `seed ${seed} W` });
      if (bias) expectClose(fit.bias, b, { rtol: 1e-8, atol: 1e-9, label: `seed ${seed} b` });
      expect(fit.residual).toBeGreaterThanOrEqual(fit.unconstrainedResidual * (1 - 1e-12));
    });
  }
});

describe('projectOntoConstraints', () => {
  it('hand-worked: total conservation subtracts the mean column excess', () => {
    // W = [[1, 0], [1, 2]]: column sums 2, 2 → subtract (2 − 1)/2 from every entry.
    const r = projectOntoConstraints([1, 0, 1, 2], totalConservation(2));
    expectClose(r.weights, [0.5, -0.5, 0.5, 1.5], { atol: 1e-15 });
    expect(r.violation).toBeLessThanOrEqual(1e-15);
  });
  for (let seed = 301; seed <= 306; seed++) {
    it(`seed ${seed}: is the Frobenius-nearest feasible point (idempotent; W − P(W) ⟂ every feasible direction)`, () => {
      const P = randomProblem(seed);
      const rng = new Rng(seed);
      const W0 = rng.normals(P.cout * P.cin);
      const r1 = projectOntoConstraints(W0, P.laws);
      expect(r1.violation).toBeLessThanOrEqual(1e-12 * (1 + maxAbs(P.B)));
      const r2 = projectOntoConstraints(r1.weights, P.laws);
      expectClose(r2.weights, r1.weights, { atol: 1e-13, label: `seed ${seed} idempotent` });
      // Feasible direction D = P(V) − P(0) lies in the null space; ⟨W0 − P(W0), D⟩ = 0.
      const V = projectOntoConstraints(rng.normals(P.cout * P.cin), P.laws).weights;
      const Z = projectOntoConstraints(new Float64Array(P.cout * P.cin), P.laws).weights;
      let dot = 0, nrm = 0;
      for (let k = 0; k < W0.length; k++) {
        dot += (W0[k] - r1.weights[k]) * (V[k] - Z[k]);
        nrm += Math.abs(W0[k] - r1.weights[k]) * Math.abs(V[k] - Z[k]);
      }
      expect(Math.abs(dot)).toBeLessThanOrEqual(1e-12 * (1 + nrm));
    });
  }
});

describe('float32 samples', () => {
  it('seed 401: a float32 x/y gives the float64 fit of the same (rounded) values; constraints still exact', () => {
    const P = randomProblem(401);
    const x32 = P.x.astype('float32'), y32 = P.y.astype('float32');
    const fit32 = fitConstrainedMixer(x32, y32, P.laws);
    const fit64 = fitConstrainedMixer(x32.astype('float64'), y32.astype('float64'), P.laws);
    expectClose(fit32.weights, fit64.weights, { rtol: 1e-12, atol: 1e-12, label: 'seed 401' });
    expect(fit32.violation).toBeLessThanOrEqual(1e-12 * (1 + maxAbs(P.B)));
  });
});
