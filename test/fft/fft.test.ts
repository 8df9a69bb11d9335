import { describe, expect, it } from 'vitest';
import { fft, ifft, rfft, irfft, nextFastLength, RealFft, ComplexFft, getWindow } from '../../src/fft/index.js';
import { ShapeError, ValueError, ArgumentTypeError } from '../../src/core/errors.js';
import { expectPointwiseError, Rng, expectClose, refSources } from '../helpers/index.js';

/** Naive O(n²) DFT oracle with exact angle reduction. sign −1 forward, +1 inverse (unnormalised). */
function naiveDft(re: ArrayLike<number>, im: ArrayLike<number>, sign: number): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const oRe = new Float64Array(n), oIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const ang = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(ang), s = Math.sin(ang);
      sr += re[j] * c - im[j] * s;
      si += re[j] * s + im[j] * c;
    }
    oRe[k] = sr;
    oIm[k] = si;
  }
  return { re: oRe, im: oIm };
}

const LENGTHS: number[] = [];
for (let n = 1; n <= 64; n++) LENGTHS.push(n);
for (let k = 7; k <= 11; k++) LENGTHS.push((1 << k) - 1, 1 << k, (1 << k) + 1);

function sumAbs2(re: ArrayLike<number>, im: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < re.length; i++) s += Math.abs(re[i]) + Math.abs(im[i]);
  return s;
}

describe('fft against a naive DFT (seed 11)', () => {
  const rng = new Rng(11);
  for (const n of LENGTHS) {
    it(`complex fft / ifft n=${n} (seed 11)`, () => {
      const re = rng.normals(n), im = rng.normals(n);
      const want = naiveDft(re, im, -1);
      const got = fft(re, im);
      const tol = 1e-14 * sumAbs2(re, im) + 1e-300;
      expectClose(got.re, want.re, { atol: tol, label: `fft re n=${n}` });
      expectClose(got.im, want.im, { atol: tol, label: `fft im n=${n}` });
      const back = ifft(got.re, got.im);
      expectClose(back.re, re, { atol: 1e-14 * sumAbs2(re, im), label: `ifft re n=${n}` });
      expectClose(back.im, im, { atol: 1e-14 * sumAbs2(re, im), label: `ifft im n=${n}` });
    });
    it(`rfft / irfft n=${n} (seed 11)`, () => {
      const x = rng.normals(n);
      const want = naiveDft(x, new Float64Array(n), -1);
      const got = rfft(x);
      const bins = Math.floor(n / 2) + 1;
      expect(got.re.length).toBe(bins);
      const tol = 1e-14 * sumAbs2(x, x);
      expectClose(got.re, want.re.subarray(0, bins), { atol: tol, label: `rfft re n=${n}` });
      expectClose(got.im, want.im.subarray(0, bins), { atol: tol, label: `rfft im n=${n}` });
      expectClose(irfft(got, { n }), x, { atol: tol, label: `irfft n=${n}` });
      const plan = new RealFft(n);
      const r = new Float64Array(plan.bins), i = new Float64Array(plan.bins), back = new Float64Array(n);
      plan.forward(x, r, i);
      expectClose(r, got.re, { atol: tol, label: `RealFft.forward n=${n}` });
      plan.inverse(r, i, back);
      expectClose(back, x, { atol: tol, label: `RealFft.inverse n=${n}` });
    });
  }
});

describe('hand-worked values', () => {
  it('fft([1,2,3]) and rfft([1,2,3,4])', () => {
    const X = fft([1, 2, 3]);
    expectClose(X.re, [6, -1.5, -1.5], { atol: 4e-15 });
    expectClose(X.im, [0, Math.sqrt(3) / 2, -Math.sqrt(3) / 2], { atol: 4e-15 });
    const R = rfft([1, 2, 3, 4]);
    expectClose(R.re, [10, -2, -2], { atol: 1e-15 });
    expectClose(R.im, [0, 2, 0], { atol: 1e-15 });
  });
  it('impulse has a flat spectrum; constant has one bin', () => {
    const R = rfft([1, 0, 0, 0, 0, 0, 0, 0]);
    expectClose(R.re, [1, 1, 1, 1, 1], { atol: 0 });
    const C = rfft(new Float64Array(12).fill(2));
    expect(C.re[0]).toBeCloseTo(24, 12);
    for (let k = 1; k < C.re.length; k++) expect(Math.abs(C.re[k]) + Math.abs(C.im[k])).toBeLessThan(1e-13);
  });
});

describe('numpy normalisation and n', () => {
  const rng = new Rng(12);
  const x = rng.normals(10);
  it('norm backward/ortho/forward scale as numpy (seed 12)', () => {
    const b = fft(x), o = fft(x, null, { norm: 'ortho' }), f = fft(x, null, { norm: 'forward' });
    expectClose(o.re, b.re.map((v) => v / Math.sqrt(10)), { atol: 1e-14 });
    expectClose(f.re, b.re.map((v) => v / 10), { atol: 1e-15 });
    for (const norm of ['backward', 'ortho', 'forward'] as const) {
      const X = fft(x, null, { norm });
      expectClose(ifft(X.re, X.im, { norm }).re, x, { atol: 1e-14, label: norm });
      const R = rfft(x, { norm });
      expectClose(irfft(R, { n: 10, norm }), x, { atol: 1e-14, label: `r ${norm}` });
    }
    // ifft with 'forward' is unscaled: ifft(ones) = n·δ
    const d = ifft(new Float64Array(8).fill(1), new Float64Array(8), { norm: 'forward' });
    expectClose(d.re, [8, 0, 0, 0, 0, 0, 0, 0], { atol: 1e-14 });
  });
  it('ortho is unitary: Parseval Σ|x|² = Σ|X|² (seed 12)', () => {
    for (const n of [7, 16, 33, 100]) {
      const re = rng.normals(n), im = rng.normals(n);
      const X = fft(re, im, { norm: 'ortho' });
      let a = 0, b = 0;
      for (let i = 0; i < n; i++) {
        a += re[i] ** 2 + im[i] ** 2;
        b += X.re[i] ** 2 + X.im[i] ** 2;
      }
      expect(Math.abs(a - b) / a).toBeLessThan(1e-13);
    }
  });
  it('Parseval for rfft with the half spectrum counted twice (seed 12)', () => {
    for (const n of [9, 16, 31]) {
      const y = rng.normals(n);
      const R = rfft(y);
      let e = 0, E = 0;
      for (const v of y) e += v * v;
      for (let k = 0; k < R.re.length; k++) {
        const w = k === 0 || (n % 2 === 0 && k === n / 2) ? 1 : 2;
        E += (w * (R.re[k] ** 2 + R.im[k] ** 2)) / n;
      }
      expect(Math.abs(e - E) / e).toBeLessThan(1e-13);
    }
  });
  it('n crops and zero-pads as numpy', () => {
    const a = fft([1, 2, 3, 4], null, { n: 2 });
    expectClose(a.re, [3, -1], { atol: 1e-15 });
    const b = rfft([1, 2], { n: 4 });
    expectClose(b.re, [3, 1, -1], { atol: 1e-15 });
    expectClose(b.im, [0, -2, 0], { atol: 1e-15 });
    // irfft ignores bins beyond n/2+1 and zero-pads missing ones
    const c = irfft({ re: Float64Array.from([4, 0, 0, 99]), im: new Float64Array(4) }, { n: 4 });
    expectClose(c, [1, 1, 1, 1], { atol: 1e-15 });
    // imaginary parts of DC and Nyquist are ignored
    const d = irfft({ re: Float64Array.from([4, 0, 0]), im: Float64Array.from([5, 0, 7]) });
    expectClose(d, [1, 1, 1, 1], { atol: 1e-15 });
  });
});

describe('ComplexFft plans', () => {
  it('inverse(forward(x)) = n·x for Bluestein and power-of-two sizes (seed 13)', () => {
    const rng = new Rng(13);
    for (const n of [1, 2, 3, 5, 6, 1000, 1024, 4097]) {
      const p = new ComplexFft(n);
      const x = rng.normals(2 * n), X = new Float64Array(2 * n), y = new Float64Array(2 * n);
      p.forward(x, X);
      p.inverse(X, y);
      expectClose(y.map((v) => v / n), x, { atol: 1e-12, label: `n=${n}` });
    }
  });
  it('mixed-radix sizes 3·2^k and 5·2^k equal the naive DFT and the Bluestein path (seed 14)', () => {
    const rng = new Rng(14);
    for (const n of [3, 5, 6, 10, 12, 20, 48, 80, 96, 160, 768, 1280]) {
      const x = rng.normals(2 * n), X = new Float64Array(2 * n);
      new ComplexFft(n).forward(x, X);
      const want = new Float64Array(2 * n);
      for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * ((j * k) % n)) / n, c = Math.cos(a), s = Math.sin(a);
          want[2 * k] += x[2 * j] * c - x[2 * j + 1] * s;
          want[2 * k + 1] += x[2 * j] * s + x[2 * j + 1] * c;
        }
      }
      expectClose(X, want, { atol: 1e-12 * Math.sqrt(n) * 4, label: `n=${n}` });
    }
  });
});

describe('nextFastLength', () => {
  it('is the smallest power of two, 3·2^k or 5·2^k ≥ n (our fast sizes), for real and complex', () => {
    const table = [[1, 1], [2, 2], [3, 3], [4, 4], [7, 8], [9, 10], [11, 12], [13, 16], [17, 20], [1000, 1024], [1024, 1024], [1025, 1280], [1537, 2048], [1500, 1536], [160080, 163840], [1048577, 1310720]] as const;
    for (const [n, want] of table) {
      expect(nextFastLength(n), `n=${n}`).toBe(want);
      expect(nextFastLength(n, false)).toBe(want);
    }
  });
  it('agrees with a brute-force search of the family up to 5000', () => {
    const family = (m: number) => [1, 3, 5].some((p) => m % p === 0 && ((m / p) & (m / p - 1)) === 0);
    for (let n = 1; n <= 5000; n++) {
      let m = n;
      while (!family(m)) m++;
      expect(nextFastLength(n)).toBe(m);
    }
  });
  for (const { label: source, ref } of refSources<{ cases: { target: number; real: number; complex: number }[] }>('next_fast_len.json')) it(`is never below scipy next_fast_len and less than 4/3 of the target (next_fast_len.json) [${source}]`, () => {
    for (const c of ref.cases) {
      const v = nextFastLength(c.target);
      expect(v).toBeGreaterThanOrEqual(c.target);
      expect(v).toBeGreaterThanOrEqual(c.real >= c.target ? c.target : c.real);
      expect(v).toBeLessThanOrEqual(Math.max(2, (4 / 3) * c.target));
    }
  });
});

describe('windows', () => {
  it('hand values and COLA sums', () => {
    expectClose(getWindow('hann', 4), [0, 0.5, 1, 0.5], { atol: 1e-15 });
    expectClose(getWindow('hamming', 4), [0.08, 0.54, 1, 0.54], { atol: 1e-15 });
    expectClose(getWindow('hann', 5, { symmetric: true }), [0, 0.5, 1, 0.5, 0], { atol: 1e-15 });
    expectClose(getWindow('rect', 3), [1, 1, 1], { atol: 0 });
    const w = getWindow('hann', 16), s = getWindow('sqrt-hann', 16);
    for (let j = 0; j < 8; j++) {
      expect(w[j] + w[j + 8]).toBeCloseTo(1, 14);
      expect(s[j] ** 2 + s[j + 8] ** 2).toBeCloseTo(1, 14);
    }
  });
});

describe('bad input', () => {
  const cases: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['fft empty', () => fft([]), ShapeError, /^fft: re must not be empty/],
    ['fft NaN', () => fft([1, NaN]), ValueError, /^fft: re must hold only finite values; got NaN at index 1/],
    ['fft im length', () => fft([1, 2], [1]), ShapeError, /^fft: im must have the length of re \(2\); got 1/],
    ['fft n=0', () => fft([1], null, { n: 0 }), ValueError, /^fft: options.n must be an integer ≥ 1; got 0/],
    ['fft n=2.5', () => fft([1], null, { n: 2.5 }), ValueError, /^fft: options.n must be an integer; got 2.5/],
    ['fft norm', () => fft([1], null, { norm: 'unitary' as never }), ValueError, /^fft: options.norm must be one of 'backward', 'ortho', 'forward'; got "unitary"/],
    ['fft string', () => fft('abc' as never), ArgumentTypeError, /^fft: re must be an array of numbers/],
    ['ifft Infinity', () => ifft([1], [Infinity]), ValueError, /^ifft: im must hold only finite values; got Infinity at index 0/],
    ['rfft empty', () => rfft([]), ShapeError, /^rfft: x must not be empty/],
    ['irfft one bin', () => irfft({ re: new Float64Array(1), im: new Float64Array(1) }), ShapeError, /^irfft: spec needs at least 2 bins/],
    ['irfft not spec', () => irfft(null as never), ArgumentTypeError, /^irfft: spec must be \{ re, im \}/],
    ['nextFastLength 0', () => nextFastLength(0), ValueError, /^nextFastLength: n must be an integer in \[1, 1073741824\]; got 0/],
    ['RealFft 1.5', () => new RealFft(1.5), ValueError, /^RealFft: n must be an integer; got 1.5/],
    ['getWindow name', () => getWindow('nope' as never, 4), ValueError, /^getWindow: name must be one of/],
  ];
  for (const [label, f, cls, re] of cases) {
    it(label, () => {
      expectPointwiseError(f, cls, re, label);
    });
  }
});
