/**
 * The null-space trainable mixer under Adam, column-stochastic fits, simplex projection and FCLS.
 */
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { Adam } from '../../src/train/index.js';
import {
  ConstrainedMixer, elementConservation, fitColumnStochasticMixer, fitConstrainedMixer, fixedEntries, fullyConstrainedAbundances,
  projectOntoConstraints, projectToSimplex, totalConservation,
} from '../../src/constrained/index.js';
import { Rng, expectClose, maxAbs } from '../helpers/index.js';

const E = [[1, 0, 1, 0], [4, 0, 0, 2], [0, 2, 2, 1]];

describe('ConstrainedMixer (null-space parameterisation)', () => {
  it('seed 11: element conservation holds to ≤ 1e-12 after every one of 1000 Adam steps, and the loss falls to the constrained optimum', () => {
    const laws = elementConservation(E, ['C', 'H', 'O']);
    const rng = new Rng(11);
    const T = 300;
    const x = new Multichannel(rng.array(4 * T, 0, 2), 4, T);
    const Wtrue = projectOntoConstraints(rng.normals(16), laws).weights;
    const y = new Float64Array(4 * T);
    for (let o = 0; o < 4; o++) for (let t = 0; t < T; t++) {
      let s = 0.01 * rng.normal();
      for (let i = 0; i < 4; i++) s += Wtrue[o * 4 + i] * x.data[i * T + t];
      y[o * T + t] = s;
    }
    const target = new Multichannel(y, 4, T);
    const m = new ConstrainedMixer(laws, { seed: 11 });
    expect(m.freeParameters).toBe((4 - 3) * 5); // one reaction direction × (Cin + bias)
    const opt = new Adam({ learningRate: 2e-2 });
    let worst = 0;
    const { losses } = m.train(x, target, { optimizer: opt, steps: 1000, loss: (pred) => {
      worst = Math.max(worst, m.violation());
      const d = new Float64Array(pred.data.length);
      let l = 0;
      for (let k = 0; k < d.length; k++) {
        const e = pred.data[k] - y[k];
        l += e * e;
        d[k] = (2 * e) / d.length;
      }
      return { loss: l / d.length, grad: new Multichannel(d, 4, T) };
    } });
    expect(worst).toBeLessThanOrEqual(1e-12);
    expect(m.violation()).toBeLessThanOrEqual(1e-12);
    const exact = fitConstrainedMixer(x, target, laws);
    expect(losses[999]).toBeLessThan(losses[0] / 10);
    expect(losses[999]).toBeLessThanOrEqual(exact.mse * 3);
  });

  it("seed 12: general rows (forbidden pathway + total conservation), built-in 'mse' loss, 1000 Adam steps", () => {
    const laws = totalConservation(3).and(fixedEntries(3, 3, [{ output: 0, input: 2 }]));
    const rng = new Rng(12);
    const T = 200;
    const x = new Multichannel(rng.array(3 * T), 3, T);
    const y = new Multichannel(rng.array(3 * T), 3, T);
    const m = new ConstrainedMixer(laws, { seed: 12, bias: false });
    expect(m.freeParameters).toBe(9 - 3 - 1);
    m.train(x, y, { optimizer: new Adam({ learningRate: 1e-2 }), steps: 1000 });
    expect(m.violation()).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(m.weights[2])).toBeLessThanOrEqual(1e-15);
    const exact = fitConstrainedMixer(x, y, laws, { bias: false });
    expectClose(m.weights, exact.weights, { atol: 1e-3, label: 'seed 12: converges to the exact constrained fit' });
  });

  it('gradients through the basis match finite differences of the loss in z (seed 13)', () => {
    const laws = totalConservation(3, { inChannels: 2 });
    const rng = new Rng(13);
    const x = new Multichannel(rng.array(2 * 20), 2, 20);
    const y = rng.array(3 * 20);
    const m = new ConstrainedMixer(laws, { seed: 13 });
    const lossAt = (): number => {
      const p = m.forward(x).data;
      let l = 0;
      for (let k = 0; k < p.length; k++) l += (p[k] - y[k]) ** 2;
      return l;
    };
    const p = m.forward(x).data;
    const dY = new Multichannel(Float64Array.from(p, (v, k) => 2 * (v - y[k])), 3, 20);
    const [dz] = m.gradients(x, dY);
    for (let j = 0; j < m.z.length; j++) {
      const h = 1e-6, z0 = m.z[j];
      m.z[j] = z0 + h; m.sync(); const lp = lossAt();
      m.z[j] = z0 - h; m.sync(); const lm = lossAt();
      m.z[j] = z0; m.sync();
      expect(dz[j]).toBeCloseTo((lp - lm) / (2 * h), 5);
    }
  });
});

describe('projectToSimplex', () => {
  it('hand-worked vectors', () => {
    expectClose(projectToSimplex([0.5, 0.5, 0.5]), [1 / 3, 1 / 3, 1 / 3], { atol: 1e-16 });
    expectClose(projectToSimplex([2, 0, 0]), [1, 0, 0], { atol: 0 });
    expectClose(projectToSimplex([0.6, 0.3, -0.2]), [0.65, 0.35, 0], { atol: 1e-15 });
    expectClose(projectToSimplex([0.2, 0.3, 0.5]), [0.2, 0.3, 0.5], { atol: 1e-16 });
  });
  it('seeded random vectors: on the simplex and nearer than any random simplex point (seed 21)', () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 50; trial++) {
      const n = rng.int(1, 9);
      const v = rng.normals(n).map((e) => 2 * e);
      const p = projectToSimplex(v);
      expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-14);
      expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
      const d0 = v.reduce((s, e, i) => s + (e - p[i]) ** 2, 0);
      for (let k = 0; k < 20; k++) {
        const q = projectToSimplex(rng.array(n, 0, 1).map((e) => e * 5));
        expect(v.reduce((s, e, i) => s + (e - q[i]) ** 2, 0)).toBeGreaterThanOrEqual(d0 - 1e-12);
      }
    }
  });
});

describe('fitColumnStochasticMixer', () => {
  it('seed 31: recovers a column-stochastic W from noise-free data; every iterate is feasible', () => {
    const rng = new Rng(31);
    const cin = 4, cout = 3, T = 400;
    const Wt = new Float64Array(cout * cin);
    for (let i = 0; i < cin; i++) {
      const col = projectToSimplex(rng.array(cout, 0, 1).map((v) => v * 1.5));
      for (let o = 0; o < cout; o++) Wt[o * cin + i] = col[o];
    }
    const x = new Multichannel(rng.array(cin * T, 0, 1), cin, T);
    const y = new Float64Array(cout * T);
    for (let o = 0; o < cout; o++) for (let t = 0; t < T; t++) for (let i = 0; i < cin; i++) y[o * T + t] += Wt[o * cin + i] * x.data[i * T + t];
    const fit = fitColumnStochasticMixer(x, new Multichannel(y, cout, T), { maxIterations: 20000 });
    expect(fit.converged).toBe(true);
    expectClose(fit.weights, Wt, { atol: 1e-7, label: 'seed 31 W' });
    expect(fit.columnSumError).toBeLessThanOrEqual(1e-14);
    expect(fit.minEntry).toBeGreaterThanOrEqual(0);
  });
  it('seed 32: with noisy targets the optimum beats every other feasible W tried (and mass is routed, never created)', () => {
    const rng = new Rng(32);
    const cin = 3, cout = 3, T = 200;
    const x = new Multichannel(rng.array(cin * T, 0, 1), cin, T);
    const y = new Multichannel(rng.array(cout * T, 0, 1), cout, T);
    const fit = fitColumnStochasticMixer(x, y);
    const resid = (W: Float64Array): number => {
      let s = 0;
      for (let o = 0; o < cout; o++) for (let t = 0; t < T; t++) {
        let v = -y.data[o * T + t];
        for (let i = 0; i < cin; i++) v += W[o * cin + i] * x.data[i * T + t];
        s += v * v;
      }
      return Math.sqrt(s);
    };
    expect(fit.residual).toBeCloseTo(resid(fit.weights), 9);
    for (let k = 0; k < 100; k++) {
      const W = new Float64Array(cout * cin);
      for (let i = 0; i < cin; i++) {
        const col = projectToSimplex(fit.weights.filter((_, j) => j % cin === i).map((v) => v + 0.05 * rng.normal()));
        for (let o = 0; o < cout; o++) W[o * cin + i] = col[o];
      }
      expect(resid(W)).toBeGreaterThanOrEqual(fit.residual - 1e-9);
    }
    const out = fit.mixer.forward(x);
    for (let t = 0; t < T; t++) {
      let si = 0, so = 0;
      for (let i = 0; i < cin; i++) si += x.data[i * T + t];
      for (let o = 0; o < cout; o++) so += out.data[o * T + t];
      expect(Math.abs(so - si)).toBeLessThanOrEqual(1e-14);
    }
  });
});

describe('fullyConstrainedAbundances (FCLS)', () => {
  it('seed 41: recovers simplex abundances from noise-free mixtures; noisy pixels stay on the simplex', () => {
    const rng = new Rng(41);
    const bands = 20, k = 3, T = 100;
    const Em: number[][] = Array.from({ length: bands }, () => Array.from(rng.array(k, 0, 1)));
    const a = new Float64Array(k * T);
    for (let t = 0; t < T; t++) {
      const col = projectToSimplex(rng.array(k, 0, 1).map((v) => v * 1.2));
      for (let i = 0; i < k; i++) a[i * T + t] = col[i];
    }
    const y = new Float64Array(bands * T);
    for (let b = 0; b < bands; b++) for (let t = 0; t < T; t++) for (let i = 0; i < k; i++) y[b * T + t] += Em[b][i] * a[i * T + t];
    const est = fullyConstrainedAbundances(new Multichannel(y, bands, T), Em, { maxIterations: 20000, tolerance: 1e-14 });
    expect(maxAbs(est.data.map((v, j) => v - a[j]))).toBeLessThanOrEqual(1e-6);
    const noisy = new Multichannel(y.map((v) => v + 0.1 * rng.normal()), bands, T);
    const e2 = fullyConstrainedAbundances(noisy, Em);
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let i = 0; i < k; i++) {
        expect(e2.data[i * T + t]).toBeGreaterThanOrEqual(0);
        s += e2.data[i * T + t];
      }
      expect(Math.abs(s - 1)).toBeLessThanOrEqual(1e-14);
    }
  });
});
