import { describe, expect, it } from 'vitest';
import { SymmetricSpectrum, symmetricEigen, symmetricEigenTop } from '../../src/linalg/eigen.js';
import { ValueError } from '../../src/core/errors.js';
import { Rng, expectPointwiseError } from '../helpers/index.js';

/** `Q diag(spectrum) Qᵀ` for a seeded random orthogonal Q (three Householder reflections), exactly symmetric. */
function withSpectrum(spectrum: number[], seed: number): Float64Array {
  const n = spectrum.length;
  const rng = new Rng(seed);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  for (let r = 0; r < 3; r++) {
    const u = Array.from({ length: n }, () => rng.uniform(-1, 1));
    const uu = u.reduce((s, x) => s + x * x, 0);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += Q[i * n + j] * u[j];
      for (let j = 0; j < n; j++) Q[i * n + j] -= (2 * dot * u[j]) / uu;
    }
  }
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let m = 0; m < n; m++) s += Q[i * n + m] * spectrum[m] * Q[j * n + m];
      A[i * n + j] = A[j * n + i] = s;
    }
  }
  return A;
}

function uniformSymmetric(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.uniform(-1, 1);
  return A;
}

/** max over the k rows: ‖A v − λ v‖∞ / ‖A‖, and max |VVᵀ − I|. */
function quality(A: Float64Array, n: number, values: Float64Array, V: Float64Array, k: number): { residual: number; orthogonality: number } {
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += Math.abs(A[i * n + j]);
    norm = Math.max(norm, r);
  }
  let residual = 0;
  let orthogonality = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      let r = -values[c] * V[c * n + i];
      for (let j = 0; j < n; j++) r += A[i * n + j] * V[c * n + j];
      residual = Math.max(residual, Math.abs(r) / (norm || 1));
    }
    for (let d = 0; d <= c; d++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += V[c * n + i] * V[d * n + i];
      orthogonality = Math.max(orthogonality, Math.abs(dot - (c === d ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

/** ‖P_top − P_ref‖max for the projectors onto the spans of the first k rows of two vector sets. */
function projectorDistance(U: Float64Array, W: Float64Array, n: number, k: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let a = 0, b = 0;
      for (let c = 0; c < k; c++) {
        a += U[c * n + i] * U[c * n + j];
        b += W[c * n + i] * W[c * n + j];
      }
      worst = Math.max(worst, Math.abs(a - b));
    }
  }
  return worst;
}

describe('symmetricEigenTop / SymmetricSpectrum (tridiagonalisation, QL values, inverse iteration)', () => {
  const separated: Array<[string, Float64Array, number, number]> = [
    ['uniform 1×1', uniformSymmetric(1, 1), 1, 1],
    ['uniform 2×2', uniformSymmetric(2, 2), 2, 2],
    ['uniform 10×10, k = n', uniformSymmetric(10, 3), 10, 10],
    ['uniform 60×60, k = 7', uniformSymmetric(60, 4), 60, 7],
    ['decaying spectrum 0.9^i, 80×80, k = 30', withSpectrum(Array.from({ length: 80 }, (_, i) => 0.9 ** i), 5), 80, 30],
    ['indefinite, 40×40, k = 40', withSpectrum(Array.from({ length: 40 }, (_, i) => 20 - i + 0.5), 6), 40, 40],
    ['diagonal (already tridiagonal, zero reflections)', withSpectrum([3, 1, 2, -1], 0).map((v, i) => (i % 5 === 0 ? v : 0)), 4, 4],
  ];
  for (const [name, A, n, k] of separated) {
    it(`${name}: values bit for bit and top-k vectors (up to sign) to 1e-12 of symmetricEigen`, () => {
      const ref = symmetricEigen(A, n);
      const top = symmetricEigenTop(A, n, k);
      expect(Array.from(top.values)).toEqual(Array.from(ref.values));
      expect(top.vectors.length).toBe(k * n);
      for (let c = 0; c < k; c++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += ref.vectors[c * n + i] * top.vectors[c * n + i];
        const s = Math.sign(dot);
        for (let i = 0; i < n; i++) expect(Math.abs(top.vectors[c * n + i] - s * ref.vectors[c * n + i]), `vector ${c}, entry ${i}`).toBeLessThan(1e-12);
      }
      const q = quality(A, n, top.values, top.vectors, k);
      expect(q.residual).toBeLessThan(n * 2 ** -52 * 8);
      expect(q.orthogonality).toBeLessThan(1e-13);
    });
  }

  const clustered: Array<[string, number[], number]> = [
    ['a cluster of 5 within 1e-10, then a double eigenvalue', [...[0, 1, 2, 3, 4].map((i) => 1 + 1e-10 * i), 0.5, 0.5, ...Array.from({ length: 33 }, (_, i) => 0.3 - 0.005 * i)], 7],
    ['20 equal eigenvalues on top, 30 below, k = 25', [...Array(20).fill(2), ...Array(30).fill(1)], 25],
    ['the identity, k = n', Array(9).fill(1), 9],
    ['the zero matrix', Array(6).fill(0), 3],
    ['rank one', [5, ...Array(29).fill(0)], 4],
  ];
  for (const [name, spectrum, k] of clustered) {
    it(`${name}: orthonormal eigenvectors, residual at rounding level, the same invariant subspace as symmetricEigen`, () => {
      const n = spectrum.length;
      const A = withSpectrum(spectrum, n);
      const ref = symmetricEigen(A, n);
      const top = symmetricEigenTop(A, n, k);
      expect(Array.from(top.values)).toEqual(Array.from(ref.values));
      const q = quality(A, n, top.values, top.vectors, k);
      expect(q.residual).toBeLessThan(n * 2 ** -52 * 8);
      expect(q.orthogonality).toBeLessThan(1e-13);
      // the span of the top k is well defined when eigenvalue k−1 stands apart from eigenvalue k
      if (k === n || ref.values[k - 1] - ref.values[k] > 1e-3) expect(projectorDistance(top.vectors, ref.vectors, n, k)).toBeLessThan(1e-12);
    });
  }

  it('SymmetricSpectrum gives every eigenvalue at once and vectors for any k ≤ n later, deterministically', () => {
    const A = withSpectrum(Array.from({ length: 30 }, (_, i) => 1 / (i + 1)), 9);
    const s = new SymmetricSpectrum(A, 30);
    expect(s.values.length).toBe(30);
    for (let i = 1; i < 30; i++) expect(s.values[i]).toBeLessThanOrEqual(s.values[i - 1]);
    const v3 = s.topVectors(3);
    expect(Array.from(s.topVectors(12).subarray(0, 90))).toEqual(Array.from(v3));
    expect(Array.from(new SymmetricSpectrum(A, 30).topVectors(3))).toEqual(Array.from(v3));
    expect(Array.from(A)).toEqual(Array.from(withSpectrum(Array.from({ length: 30 }, (_, i) => 1 / (i + 1)), 9))); // input untouched
  });

  it('bad k and n are ValueErrors naming the function, the range and the value', () => {
    const A = uniformSymmetric(4, 1);
    expectPointwiseError(() => symmetricEigenTop(A, 4, 0), ValueError, 'symmetricEigenTop: k must be an integer in [1, n = 4]; got 0');
    expectPointwiseError(() => symmetricEigenTop(A, 4, 5), ValueError, 'symmetricEigenTop: k must be an integer in [1, n = 4]; got 5');
    expectPointwiseError(() => symmetricEigenTop(A, 4, 1.5), ValueError, /k must be an integer in \[1, n = 4\]; got 1\.5/);
    expectPointwiseError(() => new SymmetricSpectrum(A, 4).topVectors(0), ValueError, 'SymmetricSpectrum.topVectors: k must be an integer in [1, n = 4]; got 0');
    expectPointwiseError(() => new SymmetricSpectrum(A, 0), ValueError, 'SymmetricSpectrum: n must be a positive integer; got 0');
    expectPointwiseError(() => new SymmetricSpectrum(A, 5), ValueError, /SymmetricSpectrum: a must be a Float64Array of n² = 25 entries; got 16/);
  });
});
