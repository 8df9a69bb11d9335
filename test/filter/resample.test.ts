import { describe, expect, it } from 'vitest';
import { upfirdn, resample, type UpfirdnOptions, type ResampleOptions } from '../../src/filter/resample.js';
import { resamplePoly, type ResamplePolyOptions } from '../../src/beamform/resample.js';
import { besselI0 } from '../../src/fft/window.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng, expectClose, expectPointwiseError, loadFixture } from '../helpers/index.js';

/** scipy 1.10 references written by scripts/fixtures/make_fir.py. */
const fixture = loadFixture<{
  meta: { signals: { upfirdn_x: number[][]; upfirdn_h: number[]; resample_x: number[][]; resample_poly_x: number[][] } };
  cases: {
    upfirdn: { h?: number[]; up: number; down: number; options: UpfirdnOptions; y: number[][]; length?: number }[];
    resample: { length: number; num: number; options: ResampleOptions; y: number[][] }[];
    resample_poly: { up: number; down: number; options: ResamplePolyOptions; y: number[][] }[];
  };
}>('fir.json');
const sig = fixture.meta.signals;
const refs = fixture.cases;

function signal(rows: number[][], length = rows[0].length, sampleRate?: number): Multichannel {
  return Multichannel.fromChannels(rows.map((r) => r.slice(0, length)), { sampleRate });
}

describe('upfirdn against scipy.signal.upfirdn', () => {
  for (const c of refs.upfirdn) {
    const label = `up=${c.up} down=${c.down} ${JSON.stringify(c.options)}${c.h ? ` h ${c.h.length} taps, x ${c.length} samples` : ''}`;
    it(label, () => {
      const y = upfirdn(c.h ?? sig.upfirdn_h, signal(sig.upfirdn_x, c.length, 1000), c.up, c.down, c.options);
      expect(y.channels).toBe(2);
      expect(y.length).toBe(c.y[0].length);
      expect(y.sampleRate).toBe((1000 * c.up) / c.down);
      expectClose(y.data, c.y.flat(), { atol: 1e-13, rtol: 1e-12, label });
    });
  }
  it('upsampling by 2 with a box filter (hand-worked)', () => {
    expect(Array.from(upfirdn([1, 1, 1], [1, 2, 3], 2).data)).toEqual([1, 1, 3, 2, 5, 3, 3]);
  });
  it('keeps float32', () => {
    const y = upfirdn([0.5, 0.5], Float32Array.of(1, 2, 3, 4), 1, 2);
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.data)).toEqual([0.5, 2.5, 2]);
  });
});

describe('resample (Fourier method) against scipy.signal.resample', () => {
  for (const c of refs.resample) {
    const label = `N=${c.length} → ${c.num} ${JSON.stringify(c.options)}`;
    it(label, () => {
      const y = resample(signal(sig.resample_x, c.length, 100), c.num, c.options);
      expect(y.length).toBe(c.num);
      expect(y.sampleRate).toBeCloseTo((100 * c.num) / c.length, 12);
      expectClose(y.data, c.y.flat(), { atol: 1e-13, rtol: 1e-12, label });
    });
  }
  it('round trip of a band-limited periodic signal is exact', () => {
    const N = 32;
    const x = Float64Array.from({ length: N }, (_, i) => Math.sin((2 * Math.PI * 3 * i) / N) + 0.5 * Math.cos((2 * Math.PI * 5 * i) / N));
    const up = resample(x, 96);
    for (let i = 0; i < 96; i++) expect(Math.abs(up.data[i] - (Math.sin((2 * Math.PI * 3 * i) / 96) + 0.5 * Math.cos((2 * Math.PI * 5 * i) / 96)))).toBeLessThan(1e-13);
    expectClose(resample(up, N).data, x, { atol: 1e-13 });
  });
  it('keeps float32', () => {
    expect(resample(Float32Array.of(1, 2, 3, 4), 8).dtype).toBe('float32');
  });
});

describe('resamplePoly against scipy.signal.resample_poly', () => {
  for (const c of refs.resample_poly) {
    const label = `up=${c.up} down=${c.down} ${JSON.stringify(c.options).slice(0, 80)}`;
    it(label, () => {
      const y = resamplePoly(signal(sig.resample_poly_x, undefined, 16000), c.up, c.down, c.options);
      expect(y.length).toBe(c.y[0].length);
      expect(y.sampleRate).toBe((16000 * c.up) / c.down);
      expectClose(y.data, c.y.flat(), { atol: 1e-13, rtol: 1e-12, label });
    });
  }
  it('halfWidth/beta keep the Kaiser-sinc design: y[n] = Σ_k x[k]·fc·sinc(fc(t−k))·kaiser((t−k)/(reach+1)), t = n·down/up', () => {
    const rng = new Rng(7);
    const x = Float64Array.from({ length: 50 }, () => rng.normal());
    for (const [up, down, hw, beta] of [[3, 1, 32, 8.6], [2, 3, 8, 6], [5, 4, 4, 8.6]]) {
      const y = resamplePoly(x, up, down, { halfWidth: hw, beta });
      const fc = Math.min(1, up / down);
      const reach = Math.ceil(hw / fc);
      const expected = new Float64Array(Math.ceil((50 * up) / down));
      for (let n = 0; n < expected.length; n++) {
        const t = (n * down) / up;
        let s = 0;
        for (let k = 0; k < 50; k++) {
          const u = t - k;
          if (u < -reach || u >= reach) continue;
          const a = fc * u;
          const sinc = a === 0 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a);
          const r = u / (reach + 1);
          s += x[k] * fc * sinc * (besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta));
        }
        expected[n] = s;
      }
      expectClose(y.data, expected, { atol: 1e-12, label: `seed ${rng.seed} up=${up} down=${down}` });
    }
  });
  it('up = down returns a copy; float32 stays float32', () => {
    const x = Float32Array.of(1, 2, 3);
    const y = resamplePoly(x, 2, 2);
    expect(Array.from(y.data)).toEqual([1, 2, 3]);
    expect(y.data).not.toBe(x);
    expect(resamplePoly(Float32Array.from({ length: 30 }, (_, i) => i), 3, 2).dtype).toBe('float32');
  });
});

describe('rate-change bad input', () => {
  const x = [1, 2, 3, 4];
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['upfirdn empty h', () => upfirdn([], x), ShapeError, /^upfirdn: h must not be empty/],
    ['upfirdn NaN h', () => upfirdn([1, NaN], x), ValueError, /^upfirdn: h must hold only finite values; got NaN at index 1/],
    ['upfirdn up 0', () => upfirdn([1], x, 0), ValueError, /^upfirdn: up must be an integer ≥ 1; got 0/],
    ['upfirdn down 1.5', () => upfirdn([1], x, 1, 1.5), ValueError, /^upfirdn: down must be an integer; got 1.5/],
    ['upfirdn mode', () => upfirdn([1], x, 1, 1, { mode: 'mirror' as never }), ValueError, /^upfirdn: options.mode must be one of 'constant', 'wrap'/],
    ['upfirdn reflect on 1 sample', () => upfirdn([1, 1], [1], 1, 1, { mode: 'reflect' }), ValueError, /^upfirdn: options.mode 'reflect' needs a signal of at least 2 samples; got 1/],
    ['upfirdn cval NaN', () => upfirdn([1], x, 1, 1, { cval: NaN }), ValueError, /^upfirdn: options.cval must be finite; got NaN/],
    ['upfirdn x empty', () => upfirdn([1], []), ShapeError, /^upfirdn: x must not be empty/],
    ['upfirdn x string', () => upfirdn([1], 'x' as never), ArgumentTypeError, /^upfirdn: x must be a Multichannel/],
    ['resample num 0', () => resample(x, 0), ValueError, /^resample: num must be an integer ≥ 1; got 0/],
    ['resample window length', () => resample(x, 8, { window: [1, 1] }), ValueError, /^resample: options.window as an array must have the signal's length 4; got 2/],
    ['resample window name', () => resample(x, 8, { window: 'nope' as never }), ValueError, /^getWindow: name must be one of/],
    ['resamplePoly up 0', () => resamplePoly(x, 0, 1), ValueError, /^resamplePoly: up must be an integer ≥ 1; got 0/],
    ['resamplePoly padtype', () => resamplePoly(x, 2, 1, { padtype: 'zero' as never }), ValueError, /^resamplePoly: options.padtype must be one of 'constant'/],
    ['resamplePoly cval with edge', () => resamplePoly(x, 2, 1, { padtype: 'edge', cval: 1 }), ValueError, /^resamplePoly: options.cval can only be given with padtype 'constant'; got "edge"/],
    ['resamplePoly window + halfWidth', () => resamplePoly(x, 2, 1, { window: 'hann', halfWidth: 8 }), ValueError, /^resamplePoly: options.window cannot be combined with options.halfWidth/],
    ['resamplePoly NaN taps', () => resamplePoly(x, 2, 1, { window: [1, NaN, 1] }), ValueError, /^resamplePoly: options.window must hold only finite values; got NaN at index 1/],
    ['resamplePoly kaiser without beta', () => resamplePoly(x, 2, 1, { window: 'kaiser' as never }), ValueError, /^getWindow: window 'kaiser' needs its parameter beta/],
    ['resamplePoly halfWidth 0', () => resamplePoly(x, 2, 1, { halfWidth: 0 }), ValueError, /^resamplePoly: options.halfWidth must be an integer ≥ 1; got 0/],
    ['resamplePoly x null', () => resamplePoly(null as never, 2, 1), ArgumentTypeError, /^resamplePoly: x must be a Multichannel/],
  ];
  for (const [label, f, cls, re] of table) it(label, () => void expectPointwiseError(f, cls, re, label));
});
