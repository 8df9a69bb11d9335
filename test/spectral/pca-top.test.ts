import { describe, expect, it } from 'vitest';
import { pca, syntheticCube } from '../../src/spectral/index.js';

describe('pca: top-k eigenvectors (k ≤ bands / 2) against the full decomposition (k > bands / 2)', () => {
  // 24 bands: k = 12 takes the partial route, k = 13 the full one; their first 12 components must agree.
  const { cube } = syntheticCube({ shape: [40, 50], bands: 24, endmembers: 6, noise: 0.01, seed: 21 });
  const full = pca(cube, 13);
  for (const k of [1, 5, 12]) {
    it(`k = ${k}: explained variance bit for bit, components to 1e-12 (or n·ε·λ₁ / gap for the noise components), same noise variance`, () => {
      const top = pca(cube, k);
      expect(Array.from(top.explainedVariance)).toEqual(Array.from(full.explainedVariance.subarray(0, k)));
      expect(Array.from(top.explainedVarianceRatio)).toEqual(Array.from(full.explainedVarianceRatio.subarray(0, k)));
      const all = pca(cube, 24).explainedVariance;
      for (let c = 0; c < k; c++) {
        // both routes are accurate to about n·ε·λ₁ / gap: tight for the 6 endmembers' components,
        // looser for the noise components (close eigenvalues)
        const gap = Math.min(c > 0 ? all[c - 1] - all[c] : Infinity, all[c] - all[c + 1]);
        const tol = Math.max(1e-12, (24 * 2 ** -52 * all[0]) / gap);
        for (let i = 0; i < 24; i++) expect(Math.abs(top.components[c * 24 + i] - full.components[c * 24 + i]), `component ${c}, band ${i}`).toBeLessThan(tol);
        if (c === 0) expect(tol).toBe(1e-12);
      }
      let noise = 0;
      for (let c = k; c < 24; c++) noise += all[c];
      expect(top.noiseVariance).toBeCloseTo(noise / (24 - k), 14);
    });
  }

  it('a variance fraction gives the count and components of the full route', () => {
    const f = pca(cube, 0.95);
    expect(f.k).toBeLessThanOrEqual(12);
    const ref = pca(cube, 13);
    for (let i = 0; i < f.k * 24; i++) expect(Math.abs(f.components[i] - ref.components[i])).toBeLessThan(1e-12);
    let cum = 0;
    for (let c = 0; c < f.k; c++) cum += f.explainedVarianceRatio[c];
    expect(cum).toBeGreaterThan(0.95);
    expect(cum - f.explainedVarianceRatio[f.k - 1]).toBeLessThanOrEqual(0.95);
  });

  it('components are orthonormal to 1e-14', () => {
    const m = pca(cube, 12);
    for (let a = 0; a < 12; a++) {
      for (let b = 0; b <= a; b++) {
        let dot = 0;
        for (let i = 0; i < 24; i++) dot += m.components[a * 24 + i] * m.components[b * 24 + i];
        expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-14);
      }
    }
  });
});
