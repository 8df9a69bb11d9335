import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { decimate } from '../../src/filter/decimate.js';
import { expectClose, expectPointwiseError, flat, loadFixture, maxAbs } from '../helpers/index.js';

/** scipy 1.10 references written by scripts/fixtures/make_decimate.py. */
interface Case {
  q: number;
  ftype: 'iir' | 'fir';
  zero_phase: boolean;
  n: number | null;
  y: number[][];
}
const ref = loadFixture<{ meta: { x: number[][] }; cases: Case[] }>('decimate.json');
const x = Multichannel.fromChannels(ref.meta.x, { sampleRate: 3000 });

describe('decimate against scipy 1.10', () => {
  it('fixture covers both filter types, both phases and explicit orders', () => {
    expect(ref.cases.length).toBe(20);
    expect(new Set(ref.cases.map((c) => `${c.ftype}/${c.zero_phase}/${c.n === null}`)).size).toBe(8);
  });
  for (const c of ref.cases) {
    it(`q=${c.q} ftype=${c.ftype} zeroPhase=${c.zero_phase} n=${c.n}`, () => {
      const y = decimate(x, c.q, { ftype: c.ftype, zeroPhase: c.zero_phase, ...(c.n === null ? {} : { n: c.n }) });
      const e = flat(c.y);
      expect(y.channels).toBe(2);
      expect(y.length).toBe(Math.ceil(x.length / c.q));
      expect(y.sampleRate).toBe(3000 / c.q);
      expectClose(y.data, e, { rtol: 1e-10, atol: 1e-10 * maxAbs(e), label: `q=${c.q} ${c.ftype}` });
    });
  }
});

describe('decimate: types and metadata', () => {
  it('float32 in gives float32 out, the float64 result rounded once', () => {
    const x32 = Float32Array.from(ref.meta.x[0]);
    for (const ftype of ['iir', 'fir'] as const) {
      for (const zeroPhase of [true, false]) {
        const y32 = decimate(x32, 3, { ftype, zeroPhase });
        expect(y32.data).toBeInstanceOf(Float32Array);
        const y64 = decimate(Float64Array.from(x32), 3, { ftype, zeroPhase });
        expect(Array.from(y32.data)).toEqual(Array.from(y64.data, Math.fround));
      }
    }
  });
  it('keeps labels, drops shape, divides sampleRate', () => {
    const m = Multichannel.fromChannels(ref.meta.x, { sampleRate: 48000, labels: ['a', 'b'] });
    const y = decimate(m, 4, { ftype: 'fir' });
    expect(y.labels).toEqual(['a', 'b']);
    expect(y.sampleRate).toBe(12000);
    expect(y.shape).toBeUndefined();
  });
  it('a constant signal comes out scaled by the DC gain: 10^(−0.05/10) for iir (even-order Chebyshev I, twice), 1 for fir', () => {
    const c = new Float64Array(200).fill(2.5);
    const iir = decimate(c, 4);
    for (const v of iir.data) expect(Math.abs(v - 2.5 * 10 ** (-0.05 / 10))).toBeLessThan(1e-9);
    // the FIR path pads with zeros as scipy does: only samples whose 81 taps lie inside are the constant
    const fir = decimate(c, 4, { ftype: 'fir' });
    for (const v of fir.data.subarray(10, 40)) expect(Math.abs(v - 2.5)).toBeLessThan(1e-9);
    expect(Math.abs(fir.data[0] - 2.5)).toBeGreaterThan(0.1);
  });
});

describe('decimate: bad input', () => {
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['q = 1', () => decimate(x, 1), ValueError, /^decimate: q must be an integer ≥ 2; got 1$/],
    ['q = 0', () => decimate(x, 0), ValueError, /^decimate: q must be an integer ≥ 2; got 0$/],
    ['q = 2.5', () => decimate(x, 2.5), ValueError, /^decimate: q must be an integer; got 2\.5$/],
    ['q a string', () => decimate(x, '2' as unknown as number), ArgumentTypeError, /^decimate: q must be an integer/],
    ['ftype unknown', () => decimate(x, 2, { ftype: 'fft' as 'fir' }), ValueError, /^decimate: options\.ftype must be one of/],
    ['n = 0', () => decimate(x, 2, { n: 0 }), ValueError, /^decimate: options\.n must be an integer ≥ 1; got 0$/],
    ['n = 1.5', () => decimate(x, 2, { ftype: 'fir', n: 1.5 }), ValueError, /^decimate: options\.n must be an integer; got 1\.5$/],
    ['zeroPhase a string', () => decimate(x, 2, { zeroPhase: 'yes' as unknown as boolean }), ArgumentTypeError, /^decimate: options\.zeroPhase must be a boolean/],
    ['NaN sample', () => decimate([1, 2, NaN, ...new Array(40).fill(0)], 2), ValueError, /^decimate: x must/],
    ['empty', () => decimate([], 2), ShapeError, /^decimate: /],
    [
      'too short for sosfiltfilt',
      () => decimate(new Float64Array(27), 2),
      ShapeError,
      /^decimate: with ftype 'iir' and zeroPhase the signal must be longer than sosfiltfilt's edge padding of 27 samples \(order n = 8\); use a longer signal, ftype 'fir' or zeroPhase: false; got 27 samples$/,
    ],
    ['too short for order 4', () => decimate(new Float64Array(15), 2, { n: 4 }), ShapeError, /edge padding of 15 samples \(order n = 4\)/],
  ];
  for (const [label, f, cls, pattern] of table) it(label, () => expectPointwiseError(f, cls, pattern, label));
  it('just long enough, and short signals without zero phase or with FIR, work', () => {
    expect(decimate(new Float64Array(28), 2).length).toBe(14);
    expect(decimate(new Float64Array(5), 2, { zeroPhase: false }).length).toBe(3);
    expect(decimate(new Float64Array(5), 2, { ftype: 'fir' }).length).toBe(3);
    expect(decimate(new Float64Array(5), 2, { ftype: 'fir', zeroPhase: false }).length).toBe(3);
  });
});
