import { describe, expect, it } from 'vitest';
import { getWindow, chebyshevWeights, type WindowSpec } from '../../src/fft/window.js';
import { chebyshevWeights as dasChebyshevWeights } from '../../src/beamform/das.js';
import { ArgumentTypeError, ValueError } from '../../src/core/errors.js';
import { expectClose, expectPointwiseError, loadFixture } from '../helpers/index.js';

/** scipy 1.10 get_window for every name × n ∈ {0, 1, 2, 7, 64} × both conventions (scripts/fixtures/make_windows_full.py). */
interface Case {
  window: string | (string | number | boolean | null)[];
  n: number;
  symmetric: boolean;
  values: number[];
}
const cases = loadFixture<{ cases: Case[] }>('windows_full.json').cases;

function nameOf(w: Case['window']): string {
  return typeof w === 'string' ? w : (w[0] as string);
}

/** Absolute tolerance per window: closed forms to 1e-15; chebwin (an O(n²) DFT) and dpss (an eigenvector) to 1e-13. */
function tolerance(name: string): number {
  return name === 'chebwin' || name === 'dpss' ? 1e-13 : 1e-15;
}

describe('getWindow against scipy.signal.get_window (every name)', () => {
  it('the fixture covers every scipy name of the issue, n ∈ {0, 1, 2, 7, 64}, both conventions', () => {
    const names = new Set(cases.map((c) => nameOf(c.window)));
    for (const n of ['boxcar', 'triang', 'bartlett', 'parzen', 'bohman', 'blackman', 'nuttall', 'blackmanharris', 'flattop', 'barthann', 'cosine', 'hann', 'hamming', 'exponential', 'lanczos', 'tukey', 'kaiser', 'gaussian', 'general_gaussian', 'chebwin', 'taylor', 'dpss']) {
      expect(names.has(n), n).toBe(true);
      for (const len of [0, 1, 2, 7, 64]) for (const sym of [false, true]) expect(cases.some((c) => nameOf(c.window) === n && c.n === len && c.symmetric === sym), `${n} ${len} ${sym}`).toBe(true);
    }
  });
  for (const c of cases) {
    const label = `${JSON.stringify(c.window)} n=${c.n} ${c.symmetric ? 'symmetric' : 'periodic'}`;
    it(label, () => {
      const w = getWindow(c.window as unknown as WindowSpec, c.n, { symmetric: c.symmetric });
      expect(w).toBeInstanceOf(Float64Array);
      expectClose(w, c.values, { atol: tolerance(nameOf(c.window)), rtol: 0, label });
    });
  }
});

describe('getWindow spec forms', () => {
  it('tuple, object and bare number name the same Kaiser window', () => {
    const a = getWindow(['kaiser', 8.6], 33, { symmetric: true });
    expect(Array.from(getWindow({ name: 'kaiser', beta: 8.6 }, 33, { symmetric: true }))).toEqual(Array.from(a));
    expect(Array.from(getWindow(8.6, 33, { symmetric: true }))).toEqual(Array.from(a));
  });
  it('object fields follow the tuple order for every parametric window', () => {
    const pairs: [WindowSpec, WindowSpec][] = [
      [['tukey', 0.3], { name: 'tukey', alpha: 0.3 }],
      [['gaussian', 3], { name: 'gaussian', std: 3 }],
      [['general_gaussian', 2, 5], { name: 'general_gaussian', p: 2, sig: 5 }],
      [['chebwin', 70], { name: 'chebwin', at: 70 }],
      [['taylor', 5, 40, false], { name: 'taylor', nbar: 5, sll: 40, norm: false }],
      [['dpss', 2], { name: 'dpss', NW: 2 }],
      [['exponential', 4, 2], { name: 'exponential', center: 4, tau: 2 }],
      [['hann'], 'hann'],
      ['tukey', { name: 'tukey', alpha: 0.5 }],
      ['taylor', ['taylor', 4, 30, true]],
    ];
    for (const [t, o] of pairs) expect(Array.from(getWindow(o, 16)), JSON.stringify(t)).toEqual(Array.from(getWindow(t, 16)));
  });
  it("'rect' is boxcar and 'sqrt-hann' is the square root of hann", () => {
    expect(Array.from(getWindow('rect', 9))).toEqual(Array.from(getWindow('boxcar', 9)));
    expectClose(getWindow('sqrt-hann', 9, { symmetric: true }), getWindow('hann', 9, { symmetric: true }).map(Math.sqrt), { atol: 1e-16 });
  });
  it('sym is an alias of symmetric', () => {
    expect(Array.from(getWindow('blackman', 10, { sym: true }))).toEqual(Array.from(getWindow('blackman', 10, { symmetric: true })));
    expect(Array.from(getWindow('blackman', 10, { sym: false, symmetric: false }))).toEqual(Array.from(getWindow('blackman', 10)));
  });
  it('tukey with alpha ≥ 1 is hann and with alpha ≤ 0 is boxcar, as scipy', () => {
    expect(Array.from(getWindow(['tukey', 1], 12))).toEqual(Array.from(getWindow('hann', 12)));
    expect(Array.from(getWindow(['tukey', 0], 12))).toEqual(Array.from(getWindow('boxcar', 12)));
  });
  it('a periodic window is the symmetric window of n + 1 without its last sample', () => {
    for (const spec of ['parzen', ['dpss', 2], ['chebwin', 80], 'lanczos'] as WindowSpec[]) {
      expect(Array.from(getWindow(spec, 20)), JSON.stringify(spec)).toEqual(Array.from(getWindow(spec, 21, { symmetric: true }).slice(0, 20)));
    }
  });
  it('chebyshevWeights (beamform) is the one chebwin routine', () => {
    expect(dasChebyshevWeights).toBe(chebyshevWeights);
    expect(Array.from(chebyshevWeights(11, 60))).toEqual(Array.from(getWindow(['chebwin', 60], 11, { symmetric: true })));
  });
  it('dpss of a long window stays accurate (unit-energy Slepian concentrates ≥ its eigenvalue bound)', () => {
    const w = getWindow(['dpss', 4], 1024, { symmetric: true });
    expect(w.every(Number.isFinite)).toBe(true);
    expect(Math.max(...w)).toBeCloseTo(1024 ** 2 / (1024 ** 2 + 4), 14);
    for (let i = 0; i < 512; i++) expect(Math.abs(w[i] - w[1023 - i])).toBeLessThan(1e-12);
  });
});

describe('getWindow bad input', () => {
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['unknown name', () => getWindow('hanning' as never, 4), ValueError, /^getWindow: name must be one of 'boxcar'.*; got "hanning"/],
    ['kaiser without beta', () => getWindow('kaiser' as never, 4), ValueError, /^getWindow: window 'kaiser' needs its parameter beta/],
    ['kaiser object without beta', () => getWindow({ name: 'kaiser' } as never, 4), ValueError, /needs its parameter beta/],
    ['too many tuple params', () => getWindow(['kaiser', 1, 2] as never, 4), ValueError, /^getWindow: window "kaiser" takes at most 1 parameter \(beta\); got 2/],
    ['NaN beta', () => getWindow(['kaiser', NaN], 4), ValueError, /^getWindow: kaiser beta must be finite; got NaN/],
    ['string beta', () => getWindow(['kaiser', '8' as never], 4), ArgumentTypeError, /^getWindow: kaiser beta must be a number/],
    ['gaussian std 0', () => getWindow(['gaussian', 0], 4), ValueError, /^getWindow: gaussian std must be > 0; got 0/],
    ['general_gaussian sig -1', () => getWindow(['general_gaussian', 1, -1], 4), ValueError, /sig must be > 0/],
    ['chebwin at 0', () => getWindow(['chebwin', 0], 4), ValueError, /^getWindow: chebwin at must be non-zero/],
    ['taylor nbar 0', () => getWindow(['taylor', 0], 4), ValueError, /^getWindow: taylor nbar must be an integer ≥ 1; got 0/],
    ['taylor nbar 2.5', () => getWindow(['taylor', 2.5], 4), ValueError, /^getWindow: taylor nbar must be an integer/],
    ['dpss NW ≥ n/2', () => getWindow(['dpss', 2], 4), ValueError, /^getWindow: dpss NW must be < n\/2 = 2; got 2/],
    ['dpss NW 0', () => getWindow(['dpss', 0], 4), ValueError, /^getWindow: dpss NW must be > 0/],
    ['exponential center with sym', () => getWindow(['exponential', 2, 1], 4, { symmetric: true }), ValueError, /center must be left out/],
    ['length -1', () => getWindow('hann', -1), ValueError, /^getWindow: length must be an integer ≥ 0; got -1/],
    ['length 2.5', () => getWindow('hann', 2.5), ValueError, /^getWindow: length must be an integer/],
    ['sym and symmetric disagree', () => getWindow('hann', 4, { sym: true, symmetric: false }), ValueError, /options.symmetric and options.sym must agree/],
    ['NaN as kaiser beta', () => getWindow(NaN, 4), ValueError, /^getWindow: window \(a number is the Kaiser beta\) must be finite/],
    ['null spec', () => getWindow(null as never, 4), ArgumentTypeError, /^getWindow: window must be a name, a \[name, \.\.\.parameters\] tuple/],
    ['chebyshevWeights M 0', () => chebyshevWeights(0), ValueError, /^chebyshevWeights: M must be an integer ≥ 1/],
  ];
  for (const [label, f, cls, re] of table) it(label, () => void expectPointwiseError(f, cls, re, label));
});
