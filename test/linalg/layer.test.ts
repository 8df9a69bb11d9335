import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Multichannel, ValueError } from '../../src/core/index.js';
import { convolve } from '../../src/convolve/index.js';
import { depthwiseConvolve, fullConvolve } from '../../src/mixing/index.js';
import { hermitianEigen, symmetricEigen } from '../../src/linalg/eigen.js';
import { cholesky, forwardSubstitute } from '../../src/linalg/solve.js';
import { REPO_ROOT, Rng, expectPointwiseError } from '../helpers/index.js';

/** Every .ts file under src/, as [path relative to the repo, text]. */
function sourceFiles(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push([path.relative(REPO_ROOT, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8')]);
    }
  };
  walk(path.join(REPO_ROOT, 'src'));
  return out;
}

describe('one numeric layer', () => {
  it('only src/linalg imports ml-matrix', () => {
    const importers = sourceFiles().filter(([, text]) => /from 'ml-matrix'/.test(text)).map(([p]) => p);
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((p) => !p.startsWith('src/linalg/'))).toEqual([]);
  });

  it('no module outside src/linalg defines its own eigen, matmul, gemm, Cholesky or solve', () => {
    const twin = /^(?:export )?function (symmetricEigen|hermitianEigen|matmul|gemm|gemmNT|syrkUpper|cholesky\w*|solveSquare|solveComplex|orthonormalizeColumns|transpose)\(/m;
    const outside = sourceFiles().filter(([p, text]) => !p.startsWith('src/linalg/') && twin.test(text)).map(([p, text]) => `${p}: ${text.match(twin)![1]}`);
    expect(outside).toEqual([]);
    expect(sourceFiles().filter(([p]) => /(^|\/)linalg\.ts$/.test(p)).map(([p]) => p), 'no module keeps a private linalg.ts').toEqual([]);
  });
});

describe('symmetricEigen convention: values descending, eigenvectors as rows', () => {
  it('a random symmetric 7 × 7 matrix (seed 5): A vᵢ = λᵢ vᵢ for row i, rows orthonormal, values descending', () => {
    const n = 7;
    const rng = new Rng(5);
    const B = rng.normals(n * n);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = B[i * n + j] + B[j * n + i];
    const { values, vectors } = symmetricEigen(A, n);
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    for (let k = 0; k < n; k++) {
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += A[r * n + c] * vectors[k * n + c];
        expect(Math.abs(s - values[k] * vectors[k * n + r])).toBeLessThan(1e-12 * 20);
      }
      for (let l = 0; l < n; l++) {
        let d = 0;
        for (let c = 0; c < n; c++) d += vectors[k * n + c] * vectors[l * n + c];
        expect(Math.abs(d - (k === l ? 1 : 0))).toBeLessThan(1e-13);
      }
    }
  });

  it('diag(1, 3, 2) gives [3, 2, 1] with the unit vectors e1, e2, e0 as rows', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(1, 0, 0, 0, 3, 0, 0, 0, 2), 3);
    expect(Array.from(values)).toEqual([3, 2, 1]);
    expect(Array.from(vectors).map(Math.abs)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
  });
});

describe('hermitianEigen convention: values descending, eigenvectors [u; v] as rows', () => {
  it('[[2, i], [−i, 2]] has eigenvalues 3, 1; rows 0–1 span the λ = 3 subspace', () => {
    const Ar = Float64Array.of(2, 0, 0, 2);
    const Ai = Float64Array.of(0, 1, -1, 0);
    const { values, vectors } = hermitianEigen(Ar, Ai, 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    // each row q = [u; v] is an eigenvector u + i·v of A: (Ar + i·Ai)(u + i·v) = λ (u + i·v)
    for (let q = 0; q < 4; q++) {
      const u = vectors.subarray(q * 4, q * 4 + 2);
      const v = vectors.subarray(q * 4 + 2, q * 4 + 4);
      const lambda = q < 2 ? 3 : 1;
      for (let i = 0; i < 2; i++) {
        let re = 0, im = 0;
        for (let j = 0; j < 2; j++) {
          re += Ar[i * 2 + j] * u[j] - Ai[i * 2 + j] * v[j];
          im += Ar[i * 2 + j] * v[j] + Ai[i * 2 + j] * u[j];
        }
        expect(Math.abs(re - lambda * u[i])).toBeLessThan(1e-14);
        expect(Math.abs(im - lambda * v[i])).toBeLessThan(1e-14);
      }
    }
  });
});

describe('forwardSubstitute', () => {
  it('L = chol([[4, 2], [2, 5]]) = [[2, 0], [1, 2]]: v = [2, 5] becomes [1, 2], and ‖L⁻¹v‖² = vᵀ S⁻¹ v', () => {
    const S = Float64Array.of(4, 2, 2, 5);
    const L = cholesky(S, 2)!;
    expect(Array.from(L)).toEqual([2, 0, 1, 2]);
    const v = Float64Array.of(2, 5);
    forwardSubstitute(L, 2, v);
    expect(Array.from(v)).toEqual([1, 2]);
    // S⁻¹ = [[5, −2], [−2, 4]] / 16: [2, 5] S⁻¹ [2, 5]ᵀ = (20 − 40 + 100) / 16 = 5
    expect(v[0] * v[0] + v[1] * v[1]).toBe(5);
  });
});

describe('convolution layers call the convolve module', () => {
  it('depthwiseConvolve equals convolve per channel bit for bit, short (direct) and long (method chosen), every mode (seed 9)', () => {
    const rng = new Rng(9);
    for (const [n, k] of [[40, 7], [9000, 33], [5, 12]] as const) {
      const x = new Multichannel(rng.normals(2 * n), 2, n);
      const h = [rng.normals(k), rng.normals(k)];
      for (const mode of ['full', 'same', 'valid'] as const) {
        const y = depthwiseConvolve(x, h, { mode });
        const method = n * k > 1 << 16 ? 'auto' : 'direct';
        const expected = [0, 1].map((c) => Array.from(convolve(x.data.subarray(c * n, (c + 1) * n), h[c], { mode, method }).data));
        expect([Array.from(y.channel(0)), Array.from(y.channel(1))], `n=${n} k=${k} ${mode}`).toEqual(expected);
      }
    }
  });

  it('NaN or Infinity in x is rejected by the layer itself, short or long', () => {
    for (const n of [10, 70000]) {
      const data = new Float64Array(n);
      data[n - 1] = NaN;
      const x = new Multichannel(data, 1, n);
      expectPointwiseError(() => depthwiseConvolve(x, [[1, 2]]), ValueError, /^depthwiseConvolve: x must hold only finite values; got NaN at index/);
      data[n - 1] = Infinity;
      expectPointwiseError(() => fullConvolve(x, [[[1, 2]]]), ValueError, /^fullConvolve: x must hold only finite values; got Infinity at index/);
    }
  });
});
