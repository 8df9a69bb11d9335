/**
 * The Householder reduction shared by symmetricEigen and SymmetricSpectrum is bit for bit JAMA's
 * column-by-column loops: `referenceReduce` below is that algorithm written plainly (one column at a
 * time), and the library's reduction must leave the very same W, d and e (`Object.is` on every
 * entry) for every order 1…200 and for matrices that take its special branches: zero rows
 * (scale = 0, no reflection), diagonal matrices, repeated eigenvalues, extreme magnitudes — on
 * both paths: the WebAssembly kernel (orders ≥ 16) and the JavaScript loops (`POINTWISE_WASM=0`).
 * The kernel's text is snapshotted in __snapshots__/wasm/householder-*.wat. The QL iteration's
 * `hypot` must give Math.hypot's values bit for bit, so the eigenvalues stay those of the
 * Math.hypot version too; `applyReflections` (topVectors' back-transformation) must give the
 * values of applying the reflections one row at a time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compile, encodeModule, functionText, moduleText } from '../../src/core/wasm.js';
import { applyReflections, householderReduce, hypot, wasmHouseholder } from '../../src/linalg/eigen.js';
import { HOUSEHOLDER_PAGES, householderKernelFunctions } from '../../src/linalg/householder-wasm.js';
import { Rng } from '../helpers/index.js';

/** JAMA's tred2 reduction on the transposed working matrix, one column at a time. */
function referenceReduce(n: number, W: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1];
        W[j * n + i] = 0;
        W[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        W[i * n + j] = f;
        const col = j * n;
        g = e[j] + W[col + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const v = W[col + k];
          g += v * d[k];
          e[k] += v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const col = j * n;
        for (let k = j; k <= i - 1; k++) W[col + k] -= f * e[k] + g * d[k];
        d[j] = W[col + i - 1];
        W[col + i] = 0;
      }
    }
    d[i] = h;
  }
}

type Kind = 'uniform' | 'zero rows' | 'diagonal' | 'repeated' | 'extreme';

function matrix(kind: Kind, n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const A = new Float64Array(n * n);
  const set = (i: number, j: number, v: number) => (A[i * n + j] = A[j * n + i] = v);
  switch (kind) {
    case 'uniform':
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) set(i, j, rng.uniform(-1, 1));
      break;
    case 'zero rows': // rows/columns 0, n/2 and n−1 zero: steps with scale = 0
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) set(i, j, i === 0 || j === 0 || i === n - 1 || j === n - 1 || i === n >> 1 || j === n >> 1 ? 0 : rng.uniform(-1, 1));
      break;
    case 'diagonal':
      for (let i = 0; i < n; i++) set(i, i, (i % 3) - 1);
      break;
    case 'repeated': { // 2I + u uᵀ + w wᵀ: eigenvalue 2 repeated n − 2 times
      const u = Array.from({ length: n }, () => rng.uniform(-1, 1));
      const w = Array.from({ length: n }, () => rng.uniform(-1, 1));
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) set(i, j, (i === j ? 2 : 0) + u[i] * u[j] + w[i] * w[j]);
      break;
    }
    case 'extreme': // entries spanning 1e-150 … 1e150
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) set(i, j, rng.uniform(-1, 1) * 10 ** (150 * Math.sin(i * 7 + j)));
      break;
  }
  return A;
}

function reduce(f: typeof referenceReduce, A: Float64Array, n: number): Float64Array[] {
  const W = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) W[c * n + r] = A[r * n + c];
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  f(n, W, d, e);
  return [W, d, e];
}

/** Index of the first entry where the two arrays differ (Object.is), or −1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

function mismatchesFor(kind: Kind): string[] {
  const mismatches: string[] = [];
  for (let n = 1; n <= 200; n++) {
    const A = matrix(kind, n, 1000 + n);
    const want = reduce(referenceReduce, A, n);
    const got = reduce(householderReduce, A, n);
    ['W', 'd', 'e'].forEach((name, q) => {
      const at = firstDifference(got[q], want[q]);
      if (at >= 0) mismatches.push(`n = ${n}: ${name}[${at}] = ${got[q][at]}, want ${want[q][at]}`);
    });
  }
  return mismatches;
}

const kinds: Kind[] = ['uniform', 'zero rows', 'diagonal', 'repeated', 'extreme'];

describe('householderReduce: bit for bit the column-by-column reduction', () => {
  it('the WebAssembly kernel loads (its self-test passes)', () => {
    expect(wasmHouseholder()).not.toBeNull();
    expect(wasmHouseholder.status()).toEqual({ name: 'householder', state: 'loaded' });
  });

  it.each(kinds)('%s matrices of order 1…200: the same W, d and e', (kind) => {
    expect(mismatchesFor(kind)).toEqual([]);
  });

  it('orders taken in descending order reuse the kernel memory without stale entries', () => {
    const mismatches: string[] = [];
    for (const kind of kinds) {
      for (const n of [120, 64, 17, 16]) {
        const A = matrix(kind, n, n);
        const want = reduce(referenceReduce, A, n);
        const got = reduce(householderReduce, A, n);
        for (let q = 0; q < 3; q++) if (firstDifference(got[q], want[q]) >= 0) mismatches.push(`${kind} n = ${n}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('householderReduce with POINTWISE_WASM=0 (the JavaScript loops)', () => {
  const saved = process.env.POINTWISE_WASM;
  afterAll(() => {
    if (saved === undefined) delete process.env.POINTWISE_WASM;
    else process.env.POINTWISE_WASM = saved;
    wasmHouseholder.reset();
  });

  it.each(kinds)('%s matrices of order 1…200: the same W, d and e', (kind) => {
    process.env.POINTWISE_WASM = '0';
    wasmHouseholder.reset();
    expect(wasmHouseholder()).toBeNull();
    expect(mismatchesFor(kind)).toEqual([]);
  });
});

describe('householder kernel text', () => {
  it.each(['product', 'update', 'reflect'])('%s (snapshot)', async (name) => {
    const f = householderKernelFunctions().find((g) => g.name === name)!;
    await expect(functionText(f)).toMatchFileSnapshot(`__snapshots__/wasm/householder-${name}.wat`);
  });

  it('the module compiles and its text names both functions', () => {
    expect(() => compile(encodeModule(householderKernelFunctions(), HOUSEHOLDER_PAGES))).not.toThrow();
    expect(moduleText(householderKernelFunctions(), HOUSEHOLDER_PAGES).match(/\(func \$(product|update|reflect)/g)).toHaveLength(3);
  });
});

describe('hypot: the value of Math.hypot(x, y), bit for bit', () => {
  it('on zeros, signed zeros, subnormals, the extremes, infinities and NaN', () => {
    const special = [0, -0, 1, -1, 3, -4, 5e-324, -1e-310, 2 ** -1022, 1.7976931348623157e308, -1e300, Infinity, -Infinity, NaN];
    const differ: string[] = [];
    for (const x of special) for (const y of special) if (!Object.is(hypot(x, y), Math.hypot(x, y))) differ.push(`hypot(${x}, ${y}) = ${hypot(x, y)}, Math.hypot: ${Math.hypot(x, y)}`);
    expect(differ).toEqual([]);
  });

  it('on 200 000 random pairs spanning 1e-300 … 1e300, and (x, 1) as in the QL shift', () => {
    const rng = new Rng(7);
    const differ: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const x = rng.uniform(-1, 1) * 10 ** rng.uniform(-300, 300);
      const y = i % 3 === 0 ? 1 : rng.uniform(-1, 1) * 10 ** (i % 2 ? rng.uniform(-300, 300) : rng.uniform(-5, 5));
      if (!Object.is(hypot(x, y), Math.hypot(x, y)) && differ.length < 5) differ.push(`hypot(${x}, ${y})`);
    }
    expect(differ).toEqual([]);
  });
});

function reflectionMismatches(k: number): string[] {
  const differ: string[] = [];
  for (let n = 1; n <= 60; n++) {
    const rng = new Rng(n * 100 + k);
    const W = Float64Array.from({ length: n * n }, () => rng.uniform(-1, 1));
    const h = Float64Array.from({ length: n }, (_, i) => (i % 5 === 3 ? 0 : rng.uniform(0.5, 2)));
    const Z = Float64Array.from({ length: k * n }, () => rng.uniform(-1, 1));
    const want = Z.slice();
    for (let i = 1; i < n; i++) {
      if (h[i] === 0) continue;
      for (let j = 0; j < k; j++) {
        let g = 0;
        for (let r = 0; r < i; r++) g += W[i * n + r] * want[j * n + r];
        g /= h[i];
        for (let r = 0; r < i; r++) want[j * n + r] -= g * W[i * n + r];
      }
    }
    applyReflections(n, W, h, Z, k);
    const at = firstDifference(Z, want);
    if (at >= 0) differ.push(`n = ${n}: Z[${at}] = ${Z[at]}, want ${want[at]}`);
  }
  return differ;
}

describe('applyReflections: bit for bit one row at a time', () => {
  const saved = process.env.POINTWISE_WASM;
  afterAll(() => {
    if (saved === undefined) delete process.env.POINTWISE_WASM;
    else process.env.POINTWISE_WASM = saved;
    wasmHouseholder.reset();
  });

  it.each([
    [1, 'WebAssembly'], [2, 'WebAssembly'], [3, 'WebAssembly'], [10, 'WebAssembly'], [31, 'WebAssembly'],
    [1, 'JavaScript'], [2, 'JavaScript'], [3, 'JavaScript'], [10, 'JavaScript'], [31, 'JavaScript'],
  ])('k = %i rows, n = 1…60, some h_i = 0 (no reflection), %s', (k, path) => {
    process.env.POINTWISE_WASM = path === 'JavaScript' ? '0' : '';
    wasmHouseholder.reset();
    expect(wasmHouseholder() === null).toBe(path === 'JavaScript');
    expect(reflectionMismatches(k)).toEqual([]);
  });
});
