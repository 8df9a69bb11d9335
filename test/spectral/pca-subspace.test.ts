import { describe, expect, it } from 'vitest';
import { pca, syntheticCube } from '../../src/spectral/index.js';
import { Multichannel, NumericalError, ValueError } from '../../src/core/index.js';
import { expectClose, expectPointwiseError, Rng } from '../helpers/index.js';

/** 100 observations × 80 variables of standard Gaussian noise, as Multichannel [80 bands, 100 pixels]. */
function gaussian(seed: number, pixels = 100, bands = 80): Multichannel {
  return new Multichannel(new Rng(seed).normals(bands * pixels), bands, pixels);
}

describe("pca solver 'subspace' converges to its tolerance", () => {
  for (const seed of [17, 18, 19]) {
    it(`Gaussian 100 × 80, k = 2 agrees with the full eigen solver (seed ${seed})`, () => {
      const x = gaussian(seed);
      const full = pca(x, 2);
      const sub = pca(x, 2, { solver: 'subspace' });
      expectClose(sub.explainedVariance, full.explainedVariance, { rtol: 1e-13, label: 'explained variance' });
      expectClose(sub.components, full.components, { atol: 1e-10, label: 'components' });
      expect(Math.abs(sub.noiseVariance - full.noiseVariance)).toBeLessThanOrEqual(1e-12 * full.noiseVariance);
    });
  }

  it('k = 10 with little oversampling still converges (seed 20)', () => {
    const x = gaussian(20);
    const full = pca(x, 10);
    const sub = pca(x, 10, { solver: 'subspace', oversample: 2 });
    expectClose(sub.explainedVariance, full.explainedVariance, { rtol: 1e-13, label: 'explained variance' });
    expectClose(sub.components, full.components, { atol: 1e-9, label: 'components' });
  });

  it('a synthetic cube (3 endmembers + noise) agrees with the full solver', () => {
    const { cube } = syntheticCube({ shape: [20, 20], bands: 40, seed: 3, endmembers: 3 });
    const full = pca(cube, 3);
    const sub = pca(cube, 3, { solver: 'subspace' });
    expectClose(sub.explainedVariance, full.explainedVariance, { rtol: 1e-13, label: 'explained variance' });
    expectClose(sub.components, full.components, { atol: 1e-10, label: 'components' });
  });

  it('throws NumericalError naming the residual when the iteration limit is reached first (seed 17)', () => {
    const x = gaussian(17);
    expectPointwiseError(() => pca(x, 2, { solver: 'subspace', iterations: 3 }), NumericalError, /^pca: subspace iteration did not converge in 3 iterations/);
  });

  it('a looser tolerance converges sooner and is still close', () => {
    const x = gaussian(17);
    const full = pca(x, 2);
    const sub = pca(x, 2, { solver: 'subspace', tolerance: 1e-6 });
    expectClose(sub.explainedVariance, full.explainedVariance, { rtol: 1e-8, label: 'explained variance' });
  });

  it('rejects a tolerance that is not in (0, 1)', () => {
    const x = gaussian(17, 10, 4);
    for (const tolerance of [0, -1, 1, NaN]) {
      expectPointwiseError(() => pca(x, 1, { solver: 'subspace', tolerance }), ValueError, /^pca: tolerance must be/);
    }
  });
});

describe("pca solver 'subspace' edge cases", () => {
  it('a constant cube (zero covariance) converges at once with zero variance', () => {
    const x = new Multichannel(new Float64Array(6 * 20).fill(2.5), 6, 20);
    const m = pca(x, 2, { solver: 'subspace', iterations: 1 });
    expect(Array.from(m.explainedVariance)).toEqual([0, 0]);
  });
  it('rank-deficient data: the zero eigenvalues beyond the rank are found (seed 21)', () => {
    const rng = new Rng(21);
    const B = 12, N = 50, r = 3;
    const A = rng.normals(B * r), S = rng.normals(r * N);
    const d = new Float64Array(B * N);
    for (let b = 0; b < B; b++) for (let p = 0; p < N; p++) for (let j = 0; j < r; j++) d[b * N + p] += A[b * r + j] * S[j * N + p];
    const x = new Multichannel(d, B, N);
    const full = pca(x, 5);
    const sub = pca(x, 5, { solver: 'subspace', oversample: 2 });
    expectClose(sub.explainedVariance.subarray(0, 3), full.explainedVariance.subarray(0, 3), { rtol: 1e-13, label: 'ev' });
    expect(Math.max(sub.explainedVariance[3], sub.explainedVariance[4])).toBeLessThan(1e-12 * full.explainedVariance[0]);
  });
});
