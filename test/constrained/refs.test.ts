/**
 * fitConstrainedMixer against numpy's KKT solutions (constrained_mix.json and constrained_lsq_detail.json
 * from test/fixtures/refs, made by scripts/fixtures/make_constrained.py, and from ../shared/refs when present).
 */
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { LinearConstraints, fitConstrainedMixer, totalConservation, conservationReport } from '../../src/constrained/index.js';
import { expectClose, flat, maxAbs, refSources } from '../helpers/index.js';

interface MixCase { x: number[][]; y: number[][]; A: number[][]; B: number[][]; W: number[][]; unconstrainedW: number[][]; violation: number; residual: number }
interface DetailCase {
  name: string; X: number[][]; Y: number[][]; A: number[][]; b: number[]; W: number[][]; multipliers: number[];
  W_unconstrained?: number[][]; objective: number; objective_unconstrained?: number; C?: number[][]; D?: number[][]; alpha?: number;
  mass_in?: number[]; mass_out?: number[];
}


const mc = (rows: number[][]): Multichannel => Multichannel.fromChannels(rows);

for (const { label: source, ref: mixRef } of refSources<{ cases: MixCase[] }>('constrained_mix.json')) describe(`constrained_mix.json (numpy KKT, no bias) [${source}]`, () => {
  mixRef.cases.forEach((c, k) => {
    it(`case ${k}: ${c.A.length} laws, ${c.x.length} → ${c.y.length}`, () => {
      const laws = LinearConstraints.fromMatrices(c.A, c.B);
      const fit = fitConstrainedMixer(mc(c.x), mc(c.y), laws, { bias: false });
      const W = flat(c.W);
      expectClose(fit.weights, W, { rtol: 1e-9, atol: 1e-9 * maxAbs(W), label: `case ${k} W` });
      expect(fit.violation).toBeLessThanOrEqual(1e-12);
      expect(fit.residual).toBeCloseTo(c.residual, 9);
      // Every sample conserves its totals.
      const rep = conservationReport(fit.mixer, mc(c.x), laws);
      expect(rep.maxAbsolute).toBeLessThanOrEqual(1e-12 * (1 + maxAbs(flat(c.B))) * 10);
      // The unconstrained residual equals that of numpy's lstsq solution, and is never above the constrained one.
      const U = flat(c.unconstrainedW);
      const cin = c.x.length, T = c.x[0].length;
      let sse = 0;
      c.y.forEach((row, o) => {
        for (let t = 0; t < T; t++) {
          let s = -row[t];
          for (let i = 0; i < cin; i++) s += U[o * cin + i] * c.x[i][t];
          sse += s * s;
        }
      });
      expect(fit.unconstrainedResidual).toBeCloseTo(Math.sqrt(sse), 10);
      expect(fit.unconstrainedResidual).toBeLessThanOrEqual(fit.residual);
    });
  });
});

for (const { label: source, ref: detailRef } of refSources<{ cases: DetailCase[] }>('constrained_lsq_detail.json')) describe(`constrained_lsq_detail.json [${source}]`, () => {
  detailRef.cases.forEach((c) => {
    it(c.name, () => {
      const cout = c.Y.length, cin = c.X.length;
      const laws = c.C && c.D ? LinearConstraints.fromMatrices(c.C, c.D) : totalConservation(cout, { inChannels: cin });
      const fit = fitConstrainedMixer(mc(c.X), mc(c.Y), laws, { bias: false, ridge: c.alpha ?? 0 });
      const W = flat(c.W);
      expectClose(fit.weights, W, { rtol: 1e-9, atol: 1e-9 * maxAbs(W), label: `${c.name}: W` });
      expect(fit.violation).toBeLessThanOrEqual(1e-12 * (1 + maxAbs(flat(c.D ?? [[1]]))));
      // The general form A vec(W) = b of the reference, applied to our W (row-major vec).
      const A = c.A, b = c.b;
      let worst = 0;
      A.forEach((row, i) => {
        let s = -b[i];
        row.forEach((a, j) => (s += a * fit.weights[j]));
        worst = Math.max(worst, Math.abs(s));
      });
      expect(worst).toBeLessThanOrEqual(1e-12 * (1 + maxAbs(b)));
      // Objective ‖WX − Y‖² (+ α‖W‖²).
      let wn = 0;
      for (const v of fit.weights) wn += v * v;
      expect(fit.residual ** 2 + (c.alpha ?? 0) * wn).toBeCloseTo(c.objective, 8);
      // Multipliers in the reference's row order k·Cin + i.
      expectClose(fit.multipliers!, c.multipliers, { rtol: 1e-7, atol: 1e-8 * (1 + maxAbs(c.multipliers)), label: `${c.name}: multipliers` });
      if (c.W_unconstrained) {
        expect(fit.unconstrainedResidual ** 2).toBeCloseTo(c.objective_unconstrained!, 9);
      }
      if (c.mass_in && c.mass_out) {
        const y = fit.mixer.forward(mc(c.X));
        for (let t = 0; t < c.X[0].length; t++) {
          let sin = 0, sout = 0;
          for (let i = 0; i < cin; i++) sin += c.X[i][t];
          for (let o = 0; o < cout; o++) sout += y.data[o * y.length + t];
          expect(Math.abs(sout - sin)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(sin)));
          expect(sin).toBeCloseTo(c.mass_in[t], 12);
        }
      }
    });
  });
});
