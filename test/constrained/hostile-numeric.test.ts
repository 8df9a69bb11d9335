/**
 * Issue 19, hostile numbers: least-squares fits on data near the ends of the float64 range, and a
 * conservation law with 20,000 terms.
 */
import { describe, expect, it } from 'vitest';
import { NumericalError, ValueError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { fitLeastSquares } from '../../src/train/leastsq.js';
import { fitConstrainedMixer, fitPenaltyMixer } from '../../src/constrained/fit.js';
import { totalConservation } from '../../src/constrained/constraints.js';
import { parseConservationLaws } from '../../src/constrained/parse.js';

const base = {
  x: [[1, 2, -3, 4, 5, 1.5], [2, -1, 3, 1, 0.5, 7]],
  y: [[3, 1, 0, 5, 5.5, 2], [0, 1, 0, 0, 0, 6.5]],
};
const scaled = (rows: number[][], s: number) => Multichannel.fromChannels(rows.map((r) => r.map((v) => v * s)));

describe('fitLeastSquares at the ends of the float64 range', () => {
  const ref = fitLeastSquares(scaled(base.x, 1), scaled(base.y, 1));
  for (const s of [1e155, 1e300, 1e-170, 1e-300]) {
    it(`|x|, |y| ≈ ${s}: the same weights as at scale 1 (to 1e-13), bias scaled by ${s}`, () => {
      const f = fitLeastSquares(scaled(base.x, s), scaled(base.y, s));
      for (let i = 0; i < 4; i++) expect(Math.abs(f.weights[i] - ref.weights[i])).toBeLessThan(1e-13);
      for (let o = 0; o < 2; o++) expect(Math.abs(f.bias[o] / s - ref.bias[o])).toBeLessThan(1e-13);
      expect(f.conditionNumber / ref.conditionNumber).toBeCloseTo(1, 10);
    });
  }

  it('x at 1e155 and y at 1: weights scale by 1e-155 exactly as the model says', () => {
    const f = fitLeastSquares(scaled(base.x, 1e155), scaled(base.y, 1));
    for (let i = 0; i < 4; i++) expect(Math.abs(f.weights[i] * 1e155 - ref.weights[i])).toBeLessThan(1e-12);
  });

  it('NaN or Infinity in x is a ValueError', () => {
    const x = scaled(base.x, 1);
    x.data[3] = Infinity;
    expect(() => fitLeastSquares(x, scaled(base.y, 1))).toThrow(ValueError);
  });
});

describe('fitConstrainedMixer with |x| ≳ 1e155', () => {
  for (const fit of [fitConstrainedMixer, (x: Multichannel, y: Multichannel, c: ReturnType<typeof totalConservation>) => fitPenaltyMixer(x, y, c, 1)]) {
    it(`${fit === fitConstrainedMixer ? 'fitConstrainedMixer' : 'fitPenaltyMixer'} throws a NumericalError naming the sizes (not a TypeError from ml-matrix)`, () => {
      expect(() => fit(scaled(base.x, 1e155), scaled(base.y, 1e155), totalConservation(2))).toThrow(NumericalError);
      expect(() => fit(scaled(base.x, 1e155), scaled(base.y, 1e155), totalConservation(2))).toThrow(/: the products x xᵀ, y xᵀ and y yᵀ must be finite in float64 .*; got max \|x\| = 7\.000e\+155, max \|y\| = 6\.500e\+155$/);
    });
  }
  it('at 1e100 (without a bias, whose ones row would dwarf) it still fits', () => {
    const f = fitConstrainedMixer(scaled(base.x, 1e100), scaled(base.y, 1e100), totalConservation(2), { bias: false });
    expect(f.violation).toBeLessThan(1e-12);
  });
});

describe('parseConservationLaws with very long equations', () => {
  it('a 20,000-term equation parses (no stack overflow) in well under 10 s, with the summed coefficients', () => {
    const terms = Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? `${(i % 3) + 1}*A` : '- B + (C - A)'));
    const t0 = performance.now();
    const c = parseConservationLaws([`m: ${terms.join(' + ')} = const`], ['A', 'B', 'C']);
    expect(performance.now() - t0).toBeLessThan(10_000);
    // even i: coefficient (i mod 3) + 1 on A; odd i: −B, +C, −A
    let a = 0;
    for (let i = 0; i < 20_000; i += 2) a += (i % 3) + 1;
    a -= 10_000;
    expect(Array.from(c.A)).toEqual([a, -10_000, 10_000]);
  });

  it('signs and parentheses nest as before', () => {
    const c = parseConservationLaws(['m: -(A - (B + -C)) + +A - 2*(B - C)/4 = const'], ['A', 'B', 'C']);
    expect(Array.from(c.A)).toEqual([0, 0.5, -0.5]); // −A + B − C + A − B/2 + C/2
  });
});
