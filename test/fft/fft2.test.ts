import { describe, expect, it } from 'vitest';
import { fft2, ifft2, irfft2, rfft2, type Complex2D } from '../../src/fft/fft2.js';
import { fft } from '../../src/fft/transforms.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng, expectClose, expectPointwiseError, flat, loadFixture, maxAbs } from '../helpers/index.js';

type Cx = { re: number[][]; im: number[][] };
type Norm = 'backward' | 'ortho' | 'forward';
interface FftCase {
  shape: [number, number];
  s: [number, number] | null;
  norm: Norm;
  x: number[][];
  xc: Cx;
  fft2: Cx;
  ifft2: Cx;
  rfft2: Cx;
  irfft2_roundtrip: number[][];
  spec: Cx;
  irfft2: number[][];
  irfft2_odd: number[][];
}
const ref = loadFixture<{ cases: { fft: FftCase[] } }>('conv2d.json');

function c2d(c: Cx): Complex2D {
  return { re: flat(c.re), im: flat(c.im), rows: c.re.length, cols: c.re[0].length };
}

/** |got − want| ≤ 1e-10 · max|want| + 1e-13 everywhere, for both planes. */
function expectComplex(got: Complex2D, want: Cx, label: string): void {
  expect([got.rows, got.cols], label).toEqual([want.re.length, want.re[0].length]);
  const wr = flat(want.re), wi = flat(want.im);
  const atol = 1e-10 * Math.max(maxAbs(wr), maxAbs(wi)) + 1e-13;
  expectClose(got.re, wr, { atol, label: `${label} re` });
  expectClose(got.im, wi, { atol, label: `${label} im` });
}

describe('fft2 / ifft2 / rfft2 / irfft2 against numpy.fft (test/fixtures/refs/conv2d.json)', () => {
  for (const c of ref.cases.fft) {
    const s = c.s ?? undefined;
    const label = `shape ${c.shape} s ${c.s} ${c.norm}`;
    it(label, () => {
      const opts = { s: s as [number, number] | undefined, norm: c.norm };
      expectComplex(fft2(c2d(c.xc), opts), c.fft2, `fft2 ${label}`);
      expectComplex(ifft2(c2d(c.xc), opts), c.ifft2, `ifft2 ${label}`);
      expectComplex(rfft2(c.x, opts), c.rfft2, `rfft2 ${label}`);
      const back = irfft2(rfft2(c.x, opts), { s: (s ?? c.shape) as [number, number], norm: c.norm });
      expectClose(back.data, flat(c.irfft2_roundtrip), { atol: 1e-12 * maxAbs(flat(c.irfft2_roundtrip)), label: `irfft2 round trip ${label}` });
      const ir = irfft2(c2d(c.spec), { norm: c.norm });
      expect([ir.rows, ir.cols]).toEqual([c.irfft2.length, c.irfft2[0].length]);
      expectClose(ir.data, flat(c.irfft2), { atol: 1e-10 * maxAbs(flat(c.irfft2)) + 1e-13, label: `irfft2 ${label}` });
      const odd = irfft2(c2d(c.spec), { norm: c.norm, s: [c.irfft2_odd.length, c.irfft2_odd[0].length] });
      expectClose(odd.data, flat(c.irfft2_odd), { atol: 1e-10 * maxAbs(flat(c.irfft2_odd)) + 1e-13, label: `irfft2 odd ${label}` });
    });
  }

  it('hand-worked 2 × 2 and the separable property fft2(u vᵀ) = fft(u) fft(v)ᵀ', () => {
    expect(Array.from(fft2([[1, 2], [3, 4]]).re)).toEqual([10, -2, -4, 0]);
    const rng = new Rng(5);
    const u = Array.from(rng.normals(6)), v = Array.from(rng.normals(5));
    const X = fft2(u.map((a) => v.map((b) => a * b)));
    const U = fft(u), V = fft(v);
    const wantRe: number[] = [], wantIm: number[] = [];
    for (let k = 0; k < 6; k++) for (let l = 0; l < 5; l++) {
      wantRe.push(U.re[k] * V.re[l] - U.im[k] * V.im[l]);
      wantIm.push(U.re[k] * V.im[l] + U.im[k] * V.re[l]);
    }
    expectClose(X.re, wantRe, { atol: 1e-12, label: `re seed ${rng.seed}` });
    expectClose(X.im, wantIm, { atol: 1e-12, label: `im seed ${rng.seed}` });
  });

  it('accepts { data, rows, cols } with a Float32Array and keeps rfft2 = the left bins of fft2', () => {
    const rng = new Rng(9);
    const data = Float32Array.from(rng.normals(7 * 9));
    const R = rfft2({ data, rows: 7, cols: 9 }), F = fft2({ data, rows: 7, cols: 9 });
    expect([R.rows, R.cols]).toEqual([7, 5]);
    for (let k = 0; k < 7; k++) for (let l = 0; l < 5; l++) {
      expect(Math.abs(R.re[k * 5 + l] - F.re[k * 9 + l])).toBeLessThan(1e-12);
      expect(Math.abs(R.im[k * 5 + l] - F.im[k * 9 + l])).toBeLessThan(1e-12);
    }
  });
});

describe('fft2 bad input', () => {
  const cases: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['a flat array', () => fft2([1, 2, 3] as never), ArgumentTypeError, /^fft2: x must be a number\[\]\[\] \(rows of numbers\) or \{ data, rows, cols \}; got an array of length 3/],
    ['ragged rows', () => rfft2([[1, 2], [3]]), ShapeError, /^rfft2: every row of x must have 2 entries \(row 0\); got row 1 of length 1/],
    ['empty', () => rfft2([]), ShapeError, /^rfft2: x must not be empty; got 0 × 0/],
    ['NaN', () => fft2([[1, NaN]]), ValueError, /^fft2: x must hold only finite values; got NaN at index 1/],
    ['data length', () => rfft2({ data: [1, 2, 3], rows: 2, cols: 2 }), ShapeError, /^rfft2: x.data must hold rows × cols = 2 × 2 = 4 values; got 3/],
    ['im length', () => ifft2({ re: new Float64Array(4), im: new Float64Array(3), rows: 2, cols: 2 }), ShapeError, /^ifft2: x.im must hold rows × cols = 2 × 2 = 4 values; got 3/],
    ['bad s', () => fft2([[1]], { s: [0, 2] }), ValueError, /^fft2: options.s\[0\] must be an integer ≥ 1; got 0/],
    ['s not a pair', () => fft2([[1]], { s: [2] as never }), ShapeError, /^fft2: options.s must be \[rows, cols\]/],
    ['norm', () => rfft2([[1]], { norm: 'unitary' as never }), ValueError, /^rfft2: options.norm must be one of 'backward', 'ortho', 'forward'; got "unitary"/],
    ['irfft2 of a real array', () => irfft2([[1, 2]] as never), ArgumentTypeError, /^irfft2: X must be \{ re, im, rows, cols \}/],
    ['irfft2 one column', () => irfft2({ re: new Float64Array(2), im: new Float64Array(2), rows: 2, cols: 1 }), ShapeError, /^irfft2: X needs at least 2 columns of bins/],
  ];
  for (const [label, f, cls, re] of cases) it(label, () => void expectPointwiseError(f, cls, re, label));
});
