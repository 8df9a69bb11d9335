import { describe, expect, it } from 'vitest';
import { firwin, firwin2, kaiserord, kaiserBeta, kaiserAtten, remez, type FirwinOptions, type Firwin2Options, type RemezOptions } from '../../src/filter/fir.js';
import { rfft } from '../../src/fft/transforms.js';
import { ArgumentTypeError, NumericalError, ShapeError, ValueError } from '../../src/core/errors.js';
import { expectClose, expectPointwiseError, loadFixture } from '../helpers/index.js';

/** scipy 1.10 references written by scripts/fixtures/make_fir.py. */
interface Snake {
  width?: number;
  window?: unknown;
  pass_zero?: FirwinOptions['passZero'];
  scale?: boolean;
  fs?: number;
  nfreqs?: number;
  antisymmetric?: boolean;
}
const refs = loadFixture<{
  cases: {
    firwin: { numtaps: number; cutoff: number | number[]; options: Snake; h: number[] }[];
    firwin2: { numtaps: number; freq: number[]; gain: number[]; options: Snake; h: number[] }[];
    kaiserord: { ripple: number; width: number; numtaps: number; beta: number }[];
    kaiser_beta: { a: number; beta: number }[];
    kaiser_atten: { numtaps: number; width: number; atten: number }[];
    remez: { numtaps: number; bands: number[]; desired: number[]; options: RemezOptions; h: number[] }[];
  };
}>('fir.json').cases;

function firwinOptions(o: Snake): FirwinOptions {
  return { width: o.width, window: o.window as FirwinOptions['window'], passZero: o.pass_zero, scale: o.scale, fs: o.fs };
}

/** |H(f)| of taps h at frequency f (relative to Nyquist = 1). */
function gainAt(h: Float64Array, f: number): number {
  let re = 0;
  let im = 0;
  for (let j = 0; j < h.length; j++) {
    re += h[j] * Math.cos(Math.PI * f * j);
    im -= h[j] * Math.sin(Math.PI * f * j);
  }
  return Math.hypot(re, im);
}

describe('firwin against scipy.signal.firwin', () => {
  for (const c of refs.firwin) {
    const label = `numtaps=${c.numtaps} cutoff=${JSON.stringify(c.cutoff)} ${JSON.stringify(c.options)}`;
    it(label, () => {
      expectClose(firwin(c.numtaps, c.cutoff, firwinOptions(c.options)), c.h, { atol: 1e-14, rtol: 1e-12, label });
    });
  }
  it('a low-pass has gain 1 at DC, linear phase (symmetric taps) and ≥ 50 dB stop band with a Hamming window', () => {
    const h = firwin(101, 0.2);
    expectClose([gainAt(h, 0)], [1], { atol: 1e-14 });
    for (let j = 0; j < 50; j++) expect(Math.abs(h[j] - h[100 - j])).toBeLessThan(1e-16);
    for (let f = 0.3; f <= 1; f += 0.01) expect(gainAt(h, f)).toBeLessThan(10 ** (-50 / 20));
  });
  it('kaiserord + firwin meet the requested ripple', () => {
    const { numtaps, beta } = kaiserord(60, 0.05);
    const h = firwin(numtaps | 1, 0.3, { window: ['kaiser', beta] });
    for (let f = 0.33; f <= 1; f += 0.005) expect(gainAt(h, f)).toBeLessThan(10 ** (-59 / 20));
  });
});

describe('firwin2 against scipy.signal.firwin2', () => {
  for (const c of refs.firwin2) {
    const label = `numtaps=${c.numtaps} freq=${JSON.stringify(c.freq)} gain=${JSON.stringify(c.gain)} ${JSON.stringify(c.options)}`;
    it(label, () => {
      const o: Firwin2Options = { nfreqs: c.options.nfreqs, window: c.options.window as Firwin2Options['window'], antisymmetric: c.options.antisymmetric, fs: c.options.fs };
      expectClose(firwin2(c.numtaps, c.freq, c.gain, o), c.h, { atol: 1e-14, rtol: 1e-12, label });
    });
  }
  it('an antisymmetric filter has antisymmetric taps', () => {
    const h = firwin2(33, [0, 0.5, 1], [0, 1, 0], { antisymmetric: true });
    for (let j = 0; j < 33; j++) expect(Math.abs(h[j] + h[32 - j])).toBeLessThan(1e-15);
    const s = rfft(h);
    expect(Math.abs(s.re[0])).toBeLessThan(1e-15);
  });
});

describe('remez against scipy.signal.remez', () => {
  for (const c of refs.remez) {
    const label = `numtaps=${c.numtaps} bands=${JSON.stringify(c.bands)} desired=${JSON.stringify(c.desired)} ${JSON.stringify(c.options)}`;
    it(label, () => {
      expectClose(remez(c.numtaps, c.bands, c.desired, c.options), c.h, { atol: 1e-9, rtol: 1e-9, label });
    });
  }
  it('the weighted error equioscillates: pass- and stop-band ripples in the ratio of the weights', () => {
    const h = remez(61, [0, 0.15, 0.2, 0.5], [1, 0], { weight: [1, 5] });
    let pass = 0;
    let stop = 0;
    for (let f = 0; f <= 0.15; f += 0.0005) pass = Math.max(pass, Math.abs(gainAt(h, 2 * f) - 1));
    for (let f = 0.2; f <= 0.5; f += 0.0005) stop = Math.max(stop, gainAt(h, 2 * f));
    expect(pass / stop).toBeGreaterThan(4.9);
    expect(pass / stop).toBeLessThan(5.1);
  });
});

describe('Kaiser formulas against scipy', () => {
  for (const c of refs.kaiserord) {
    it(`kaiserord(${c.ripple}, ${c.width})`, () => {
      const r = kaiserord(c.ripple, c.width);
      expect(r.numtaps).toBe(c.numtaps);
      expect(r.beta).toBe(c.beta);
    });
  }
  it('kaiserBeta and kaiserAtten are exact', () => {
    for (const c of refs.kaiser_beta) expect(kaiserBeta(c.a)).toBe(c.beta);
    for (const c of refs.kaiser_atten) expect(kaiserAtten(c.numtaps, c.width)).toBe(c.atten);
  });
});

describe('FIR design bad input', () => {
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['firwin numtaps 0', () => firwin(0, 0.5), ValueError, /^firwin: numtaps must be an integer ≥ 1; got 0/],
    ['firwin cutoff 0', () => firwin(11, 0), ValueError, /^firwin: cutoff frequencies must be > 0 and < fs\/2 = 1; got 0 at index 0/],
    ['firwin cutoff at Nyquist (fs)', () => firwin(11, 4000, { fs: 8000 }), ValueError, /^firwin: cutoff frequencies must be > 0 and < fs\/2 = 4000; got 4000 at index 0/],
    ['firwin cutoff NaN', () => firwin(11, NaN), ValueError, /^firwin: cutoff must hold only finite values; got NaN at index 0/],
    ['firwin cutoff empty', () => firwin(11, []), ShapeError, /^firwin: cutoff must hold at least one frequency/],
    ['firwin cutoff unsorted', () => firwin(11, [0.5, 0.3]), ValueError, /^firwin: cutoff frequencies must be strictly increasing; got 0.3 after 0.5 at index 1/],
    ['firwin cutoff string', () => firwin(11, 'x' as never), ArgumentTypeError, /^firwin: cutoff must be a number\[\]/],
    ['firwin even highpass', () => firwin(10, 0.3, { passZero: false }), ValueError, /^firwin: a filter with a pass band at Nyquist needs an odd numtaps.*; got 10/],
    ['firwin lowpass two edges', () => firwin(11, [0.2, 0.4], { passZero: 'lowpass' }), ValueError, /^firwin: cutoff must have one element when passZero is 'lowpass'; got 2 elements/],
    ['firwin bandpass one edge', () => firwin(11, 0.2, { passZero: 'bandpass' }), ValueError, /^firwin: cutoff must have at least two elements when passZero is 'bandpass'/],
    ['firwin passZero junk', () => firwin(11, 0.2, { passZero: 'low' as never }), ValueError, /^firwin: options.passZero must be true, false/],
    ['firwin width 0', () => firwin(11, 0.2, { width: 0 }), ValueError, /^firwin: options.width must be > 0; got 0/],
    ['firwin fs negative', () => firwin(11, 0.2, { fs: -1 }), ValueError, /^firwin: options.fs must be > 0; got -1/],
    ['firwin bad window', () => firwin(11, 0.2, { window: 'nope' as never }), ValueError, /^getWindow: name must be one of/],
    ['firwin2 length mismatch', () => firwin2(11, [0, 1], [1, 1, 0]), ShapeError, /^firwin2: gain must have the length of freq \(2\); got 3/],
    ['firwin2 not ending at fs/2', () => firwin2(11, [0, 0.9], [1, 0]), ValueError, /^firwin2: freq must start with 0 and end with fs\/2 = 1; got \[0, …, 0.9\]/],
    ['firwin2 decreasing', () => firwin2(11, [0, 0.6, 0.4, 1], [1, 1, 0, 0]), ValueError, /^firwin2: freq must be non-decreasing; got 0.4 after 0.6 at index 2/],
    ['firwin2 triple', () => firwin2(11, [0, 0.5, 0.5, 0.5, 1], [1, 1, 0, 0, 0]), ValueError, /^firwin2: a value in freq must not occur more than twice; got 0.5/],
    ['firwin2 repeated 0', () => firwin2(11, [0, 0, 1], [1, 1, 0]), ValueError, /^firwin2: the value 0 must not be repeated in freq/],
    ['firwin2 type II at Nyquist', () => firwin2(10, [0, 1], [1, 1]), ValueError, /^firwin2: a type II filter .* must have zero gain at Nyquist; got 1/],
    ['firwin2 type III', () => firwin2(11, [0, 1], [1, 0], { antisymmetric: true }), ValueError, /^firwin2: a type III filter .* must have zero gain at 0 and Nyquist; got 1 and 0/],
    ['firwin2 type IV', () => firwin2(10, [0, 1], [1, 1], { antisymmetric: true }), ValueError, /^firwin2: a type IV filter .* must have zero gain at 0; got 1/],
    ['firwin2 nfreqs ≤ numtaps', () => firwin2(11, [0, 1], [1, 0], { nfreqs: 11 }), ValueError, /^firwin2: options.nfreqs must be an integer ≥ 12; got 11/],
    ['firwin2 gain Infinity', () => firwin2(11, [0, 1], [Infinity, 0]), ValueError, /^firwin2: gain must hold only finite values; got Infinity at index 0/],
    ['remez numtaps 2', () => remez(2, [0, 0.5], [1]), ValueError, /^remez: numtaps must be an integer ≥ 3; got 2/],
    ['remez odd bands', () => remez(11, [0, 0.1, 0.2], [1, 0]), ShapeError, /^remez: bands must hold pairs of edges \(an even count\); got 3/],
    ['remez desired length', () => remez(11, [0, 0.1, 0.2, 0.5], [1]), ShapeError, /^remez: desired must hold one gain per band \(2\); got 1/],
    ['remez edge beyond fs/2', () => remez(11, [0, 0.1, 0.2, 0.6], [1, 0]), ValueError, /^remez: band edges must lie in \[0, fs\/2 = 0.5\]; got 0.6 at index 3/],
    ['remez decreasing edges', () => remez(11, [0, 0.3, 0.2, 0.5], [1, 0]), ValueError, /^remez: band edges must be non-decreasing; got 0.2 after 0.3 at index 2/],
    ['remez weight 0', () => remez(11, [0, 0.1, 0.2, 0.5], [1, 0], { weight: [1, 0] }), ValueError, /^remez: options.weight must be > 0; got 0 at index 1/],
    ['remez type', () => remez(11, [0, 0.5], [1], { type: 'lowpass' as never }), ValueError, /^remez: options.type must be 'bandpass', 'differentiator' or 'hilbert'/],
    ['remez NaN desired', () => remez(11, [0, 0.5], [NaN]), ValueError, /^remez: desired must hold only finite values/],
    ['remez no convergence', () => remez(201, [0, 0.2, 0.2001, 0.5], [1, 0], { maxiter: 2 }), NumericalError, /^remez: the Remez exchange did not settle in 2 iterations/],
    ['kaiserord ripple 5', () => kaiserord(5, 0.1), ValueError, /^kaiserord: ripple must be at least 8 dB in absolute value \(Kaiser formula\); got 5/],
    ['kaiserord width 0', () => kaiserord(60, 0), ValueError, /^kaiserord: width must be > 0; got 0/],
    ['kaiserBeta NaN', () => kaiserBeta(NaN), ValueError, /^kaiserBeta: a must be finite; got NaN/],
    ['kaiserAtten string', () => kaiserAtten('3' as never, 0.1), ArgumentTypeError, /^kaiserAtten: numtaps must be a number/],
  ];
  for (const [label, f, cls, re] of table) it(label, () => void expectPointwiseError(f, cls, re, label));
});
