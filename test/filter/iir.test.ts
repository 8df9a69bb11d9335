import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, NumericalError, ShapeError, ValueError } from '../../src/core/errors.js';
import { bessel, butter, cheby1, cheby2, ellip, iirfilter, iirnotch, iirpeak, sosfreqz } from '../../src/filter/iir.js';
import type { IirFamily } from '../../src/filter/iir.js';
import { sos2tf, sos2zpk, tf2zpk, zpk2sos, zpk2tf } from '../../src/filter/zpk.js';
import { ellipj, ellipk } from '../../src/filter/ellip.js';
import { expectClose, expectPointwiseError, flat, loadFixture } from '../helpers/index.js';

type Planes = [number[], number[]];
interface Design {
  family: IirFamily;
  params: { rp?: number; rs?: number };
  btype: 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';
  N: number;
  Wn: number | [number, number];
  fs: number | null;
}
const ref = loadFixture('iir.json').cases;

/** Tolerance per family: 1e-10 relative, 1e-8 where scipy's own design iterates (ellip). */
const rtolOf = (family: string): number => (family === 'ellip' ? 1e-8 : 1e-10);

/**
 * Section-by-section comparison: each numerator and denominator triple within `rtol` of its largest
 * coefficient (a coefficient that is exactly 0 in theory comes out as ±1e-17 in either code).
 */
function expectSos(actual: Float64Array, expected: number[][], rtol: number, label: string): void {
  expect(actual.length, `${label}: sections`).toBe(6 * expected.length);
  expected.forEach((row, s) => {
    for (const off of [0, 3]) {
      const want = row.slice(off, off + 3);
      const scale = Math.max(...want.map(Math.abs));
      expectClose(actual.subarray(6 * s + off, 6 * s + off + 3), want, { atol: rtol * scale, label: `${label} section ${s} ${off ? 'a' : 'b'}` });
    }
  });
}

/** Frequency responses of two section sets agree within rtol of the peak gain. */
function expectSameResponse(actual: Float64Array, expected: number[][], rtol: number, label: string): void {
  const fs = 1000;
  const ha = sosfreqz(actual, { worN: 256, fs }).h;
  const he = sosfreqz(expected, { worN: 256, fs }).h;
  const mag = Array.from(he.re, (r, i) => Math.hypot(r, he.im[i]));
  const peak = Math.max(...mag);
  expectClose(ha.re, he.re, { atol: rtol * peak, label: `${label} Re H` });
  expectClose(ha.im, he.im, { atol: rtol * peak, label: `${label} Im H` });
}

function designOf(d: Design, extra: Record<string, unknown> = {}): Float64Array {
  const opts = { btype: d.btype, ...(d.fs === null ? {} : { fs: d.fs }), ...extra };
  switch (d.family) {
    case 'butter':
      return butter(d.N, d.Wn, opts);
    case 'cheby1':
      return cheby1(d.N, d.params.rp as number, d.Wn, opts);
    case 'cheby2':
      return cheby2(d.N, d.params.rs as number, d.Wn, opts);
    case 'ellip':
      return ellip(d.N, d.params.rp as number, d.params.rs as number, d.Wn, opts);
    case 'bessel':
      return bessel(d.N, d.Wn, opts);
  }
}

/** Sorts complex values by (re, im) for set comparison. */
function sortedPlanes(re: ArrayLike<number>, im: ArrayLike<number>): [number[], number[]] {
  const idx = Array.from(re, (_, i) => i).sort((a, b) => re[a] - re[b] || im[a] - im[b]);
  return [idx.map((i) => re[i]), idx.map((i) => im[i])];
}

function expectSameSet(actual: { re: ArrayLike<number>; im: ArrayLike<number> }, expected: Planes, atol: number, label: string): void {
  // Round tiny parts before sorting so that ±1e-17 imaginary parts do not reorder pairs.
  const r = (v: number): number => Math.round(v / atol) * atol;
  const [ar, ai] = sortedPlanes(Array.from(actual.re, r), Array.from(actual.im, r));
  const [er, ei] = sortedPlanes(expected[0].map(r), expected[1].map(r));
  expectClose(ar, er, { atol: 2 * atol, label: `${label} re` });
  expectClose(ai, ei, { atol: 2 * atol, label: `${label} im` });
}

describe('IIR designs agree with scipy.signal (sections row for row, and responses)', () => {
  for (const d of ref.designs as (Design & { sos: number[][] })[]) {
    const label = `${d.family} ${d.btype} N=${d.N} Wn=${JSON.stringify(d.Wn)} fs=${d.fs}`;
    it(label, () => {
      const sos = designOf(d);
      expectSos(sos, d.sos, rtolOf(d.family), label);
      expectSameResponse(sos, d.sos, rtolOf(d.family), label);
    });
  }

  it('iirfilter with ftype equals the named designers', () => {
    expect(iirfilter(5, [100, 300], { ftype: 'ellip', rp: 0.5, rs: 60, btype: 'bandpass', fs: 1000 })).toEqual(ellip(5, 0.5, 60, [100, 300], { btype: 'bandpass', fs: 1000 }));
    expect(iirfilter(3, [0.2, 0.4])).toEqual(butter(3, [0.2, 0.4], { btype: 'bandpass' })); // scipy's default btype 'band'
    expect(iirfilter(3, 0.4, { btype: 'lowpass' })).toEqual(butter(3, 0.4));
    expect(iirfilter(3, 0.4, { ftype: 'bessel', norm: 'mag', btype: 'highpass' })).toEqual(bessel(3, 0.4, { norm: 'mag', btype: 'highpass' }));
  });

  it("bessel norms 'delay' and 'mag', and orders up to 30", () => {
    for (const d of ref.bessel_norms) {
      const label = `bessel ${d.norm} ${d.btype} N=${d.N}`;
      const sos = bessel(d.N, d.Wn, { btype: d.btype, ...(d.fs === null ? {} : { fs: d.fs }), norm: d.norm });
      expectSos(sos, d.sos, 1e-10, label);
    }
  });

  it('analog designs: zpk as sets, sections with minimal pairing', () => {
    for (const d of ref.analog as (Design & { z: Planes; p: Planes; k: number; sos: number[][] | null })[]) {
      const label = `analog ${d.family} ${d.btype} N=${d.N}`;
      const rtol = rtolOf(d.family);
      const opts = { btype: d.btype, analog: true, output: 'zpk' as const };
      const zpk =
        d.family === 'butter' ? butter(d.N, d.Wn, opts)
        : d.family === 'cheby1' ? cheby1(d.N, 1, d.Wn, opts)
        : d.family === 'cheby2' ? cheby2(d.N, 40, d.Wn, opts)
        : d.family === 'ellip' ? ellip(d.N, 0.5, 60, d.Wn, opts)
        : bessel(d.N, d.Wn, opts);
      const scale = Math.max(1, ...d.p[0].map(Math.abs), ...d.p[1].map(Math.abs), ...d.z[1].map(Math.abs));
      expectSameSet(zpk.z, d.z, rtol * scale * 10, `${label} z`);
      expectSameSet(zpk.p, d.p, rtol * scale * 10, `${label} p`);
      expect(Math.abs(zpk.k - d.k)).toBeLessThanOrEqual(rtol * Math.abs(d.k));
      const sos = designOf({ ...d, fs: null }, { analog: true });
      if (d.sos !== null) expectSos(sos, d.sos, rtol, `${label} sos`);
      // Either way the sections multiply out to the zpk's transfer function.
      const tf = sos2tf(sos);
      const want = zpk2tf(zpk.z, zpk.p, zpk.k);
      const lead = (v: Float64Array): number[] => {
        const a = Array.from(v);
        while (a.length > 1 && Math.abs(a[0]) < 1e-300) a.shift();
        return a;
      };
      const [ta, wa] = [lead(tf.a), lead(want.a)];
      expectClose(ta, wa, { atol: rtol * Math.max(...wa.map(Math.abs)), label: `${label} a` });
    }
  });
});

describe('design properties (independent of scipy)', () => {
  /** |H| at a band edge: −3 dB (butter), −rp dB (cheby1, ellip), −rs dB (cheby2). */
  const edgeGain = (d: Design): number | null =>
    d.family === 'butter' ? Math.SQRT1_2
    : d.family === 'cheby1' || d.family === 'ellip' ? 10 ** (-(d.params.rp as number) / 20)
    : d.family === 'cheby2' ? 10 ** (-(d.params.rs as number) / 20)
    : null;

  it('every digital design is stable and meets its defining gain at the band edges', () => {
    for (const d of ref.designs as Design[]) {
      const label = `${d.family} ${d.btype} N=${d.N} fs=${d.fs}`;
      const sos = designOf(d);
      const { p } = sos2zpk(sos);
      for (let i = 0; i < p.re.length; i++) expect(Math.hypot(p.re[i], p.im[i]), `${label} pole ${i}`).toBeLessThan(1);
      const want = edgeGain(d);
      if (want === null) continue;
      const fs = d.fs ?? 2;
      const edges = typeof d.Wn === 'number' ? [d.Wn] : d.Wn;
      const { h } = sosfreqz(sos, { worN: edges, fs });
      edges.forEach((_, i) => expect(Math.hypot(h.re[i], h.im[i]), `${label} |H| at edge ${i}`).toBeCloseTo(want, 10));
    }
  });

  it('sections are ordered with the poles nearest the unit circle last', () => {
    const sos = ellip(8, 0.5, 60, 100, { fs: 1000 });
    const radius = Array.from({ length: 4 }, (_, s) => Math.sqrt(sos[6 * s + 5]));
    for (let s = 1; s < 4; s++) expect(radius[s]).toBeGreaterThan(radius[s - 1]);
  });

  it("output 'zpk' and 'ba' describe the same filter as the sections", () => {
    const zpk = cheby2(5, 40, [100, 300], { btype: 'bandstop', fs: 1000, output: 'zpk' });
    const ba = cheby2(5, 40, [100, 300], { btype: 'bandstop', fs: 1000, output: 'ba' });
    const tf = sos2tf(cheby2(5, 40, [100, 300], { btype: 'bandstop', fs: 1000 }));
    const fromZpk = zpk2tf(zpk.z, zpk.p, zpk.k);
    expectClose(ba.b, tf.b, { atol: 1e-12 * Math.max(...Array.from(tf.b, Math.abs)), label: 'ba b' });
    expectClose(ba.a, tf.a, { atol: 1e-12 * Math.max(...Array.from(tf.a, Math.abs)), label: 'ba a' });
    expectClose(fromZpk.a, tf.a, { atol: 1e-12 * Math.max(...Array.from(tf.a, Math.abs)), label: 'zpk a' });
  });
});

describe('iirnotch / iirpeak', () => {
  for (const c of ref.notch) {
    it(`${c.kind} w0=${c.w0} Q=${c.Q} fs=${c.fs}`, () => {
      const { b, a } = (c.kind === 'notch' ? iirnotch : iirpeak)(c.w0, c.Q, c.fs);
      expectClose(b, c.b, { rtol: 1e-12, atol: 1e-300, label: 'b' });
      expectClose(a, c.a, { rtol: 1e-12, atol: 1e-300, label: 'a' });
    });
  }

  it('the notch has a zero at w0 and unit gain at DC; the peak has unit gain at w0', () => {
    const n = iirnotch(50, 30, 1000);
    const p = iirpeak(50, 30, 1000);
    const h = (tf: { b: Float64Array; a: Float64Array }, f: number): number => sosfreqz(Float64Array.of(...tf.b, ...tf.a), { worN: [f], fs: 1000 }).h.re[0] ** 2 + sosfreqz(Float64Array.of(...tf.b, ...tf.a), { worN: [f], fs: 1000 }).h.im[0] ** 2;
    expect(h(n, 50)).toBeLessThan(1e-24);
    expect(h(n, 0)).toBeCloseTo(1, 12);
    expect(h(p, 50)).toBeCloseTo(1, 12);
  });
});

describe('sosfreqz', () => {
  for (const c of ref.sosfreqz) {
    it(`options ${JSON.stringify(c.options)}`, () => {
      const { w, h } = sosfreqz(ref.sosfreqz_sos, c.options);
      expectClose(w, c.w, { rtol: 1e-14, atol: 1e-14, label: 'w' });
      const peak = Math.max(...c.h[0].map((r: number, i: number) => Math.hypot(r, c.h[1][i])));
      expectClose(h.re, c.h[0], { atol: 1e-12 * peak, label: 'Re h' });
      expectClose(h.im, c.h[1], { atol: 1e-12 * peak, label: 'Im h' });
    });
  }

  it('accepts rows and the flat form alike', () => {
    const rows = [[1, 2, 1, 1, -0.5, 0.25], [1, 0, -1, 1, 0.1, 0.3]];
    expect(sosfreqz(rows, { worN: 8 })).toEqual(sosfreqz(flat(rows), { worN: 8 }));
  });
});

describe('zpk2sos and conversions', () => {
  for (const c of ref.zpk2sos) {
    it(`zpk2sos ${c.z[0].length} zeros, ${c.p[0].length} poles, pairing ${c.pairing}`, () => {
      const sos = zpk2sos({ re: c.z[0], im: c.z[1] }, { re: c.p[0], im: c.p[1] }, c.k, { pairing: c.pairing });
      expectSos(sos, c.sos, 1e-12, `zpk2sos ${c.pairing}`);
    });
  }

  it("'minimal' pairing of a real pole when only complex zeros remain gives a pole-only first-order section", () => {
    // scipy 1.10 raises IndexError here; the product of the sections is still the system.
    const z = { re: [0.3, 0.3], im: [0.4, -0.4] };
    const p = { re: [0.95, 0.2, 0.2], im: [0, 0.3, -0.3] }; // the real pole is the worst: paired first
    const sos = zpk2sos(z, p, 2, { pairing: 'minimal' });
    const tf = sos2tf(sos);
    const want = zpk2tf(z, p, 2);
    const strip = (v: Float64Array): number[] => Array.from(v).slice(Array.from(v).findIndex((x) => x !== 0));
    expectClose(strip(tf.b), strip(want.b), { atol: 1e-15, label: 'b' });
    expectClose(strip(tf.a), strip(want.a), { atol: 1e-15, label: 'a' });
  });

  it('empty zpk gives one constant section (digital and analog)', () => {
    expect(Array.from(zpk2sos([], [], 3))).toEqual([3, 0, 0, 1, 0, 0]);
    expect(Array.from(zpk2sos([], [], 3, { analog: true }))).toEqual([0, 0, 3, 0, 0, 1]);
  });

  for (const [i, c] of (ref.conversions as { sos: number[][]; b: number[]; a: number[]; z: Planes; p: Planes; k: number }[]).entries()) {
    it(`sos2tf / sos2zpk / tf2zpk round trip #${i}`, () => {
      const tf = sos2tf(c.sos);
      expectClose(tf.b, c.b, { atol: 1e-14 * Math.max(...c.b.map(Math.abs)), label: 'b' });
      expectClose(tf.a, c.a, { atol: 1e-14 * Math.max(...c.a.map(Math.abs)), label: 'a' });
      const zpk = sos2zpk(c.sos);
      expectSameSet(zpk.z, c.z, 1e-12, 'sos2zpk z');
      expectSameSet(zpk.p, c.p, 1e-12, 'sos2zpk p');
      expect(zpk.k).toBeCloseTo(c.k, 14);
      // tf2zpk of the product: well-separated poles come back accurately.
      const back = tf2zpk(c.b, c.a);
      expectSameSet(back.p, c.p, 1e-7, 'tf2zpk p');
      expect(back.k).toBeCloseTo(c.k, 14);
    });
  }
});

describe('special functions behind ellip', () => {
  it('ellipk(0) = π/2, ellipk(0.5) and the sn/cn/dn identities', () => {
    expect(ellipk(0)).toBe(Math.PI / 2);
    expect(ellipk(0.5)).toBeCloseTo(1.8540746773013719, 15);
    for (const m of [0.1, 0.5, 0.9, 0.999]) {
      for (const u of [0.3, 1.1, 2.5]) {
        const { sn, cn, dn } = ellipj(u, m);
        expect(sn * sn + cn * cn).toBeCloseTo(1, 14);
        expect(dn * dn + m * sn * sn).toBeCloseTo(1, 14);
      }
    }
    expect(ellipj(ellipk(0.7), 0.7).sn).toBeCloseTo(1, 14);
  });
});

describe('bad input', () => {
  const V = ValueError;
  const T = ArgumentTypeError;
  const S = ShapeError;
  const N = NumericalError;
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['order 0', () => butter(0, 0.3), V, /^butter: order N must be an integer ≥ 1; got 0$/],
    ['fractional order', () => cheby1(2.5, 1, 0.3), V, /^cheby1: order N must be an integer ≥ 1; got 2\.5$/],
    ['order as string', () => butter('4' as unknown as number, 0.3), T, /^butter: order N must be an integer; got "4"$/],
    ['edge at Nyquist', () => butter(4, 500, { fs: 1000 }), V, /^butter: digital critical frequencies Wn must lie in \(0, fs\/2\) = \(0, 500\); got 500$/],
    ['edge above 1', () => butter(4, 1.2), V, /^butter: digital critical frequencies Wn must lie in \(0, 1\) \(1 = Nyquist\); got 1\.2$/],
    ['edge 0', () => ellip(4, 1, 40, 0), V, /^ellip: digital critical frequencies Wn must lie in/],
    ['negative edge', () => butter(4, [-0.1, 0.3], { btype: 'bandpass' }), V, /^butter: digital critical frequencies .*got \[-0\.1, 0\.3\]$/],
    ['NaN edge', () => butter(4, NaN), V, /^butter: Wn must be finite; got NaN$/],
    ['band edges reversed', () => cheby2(4, 40, [0.5, 0.2], { btype: 'bandstop' }), V, /^cheby2: Wn\[0\] must be less than Wn\[1\]; got \[0\.5, 0\.2\]$/],
    ['band with one edge', () => butter(4, 0.3, { btype: 'bandpass' }), V, /^butter: Wn must be a \[low, high\] pair for a bandpass filter; got 0\.3$/],
    ['lowpass with two edges', () => butter(4, [0.1, 0.3]), V, /^butter: Wn must be a single critical frequency for a lowpass filter/],
    ['Wn a string', () => butter(4, 'x' as unknown as number), T, /^butter: Wn must be a number or a \[low, high\] pair; got "x"$/],
    ['unknown btype', () => butter(4, 0.3, { btype: 'notch' as 'lowpass' }), V, /^butter: btype must be one of 'lowpass', 'highpass', 'bandpass', 'bandstop'; got "notch"$/],
    ['unknown output', () => butter(4, 0.3, { output: 'xyz' as 'sos' }), V, /^butter: output must be one of 'sos', 'zpk', 'ba'; got "xyz"$/],
    ['fs with analog', () => butter(4, 3, { analog: true, fs: 100 }), V, /^butter: fs must not be given for an analog filter; got 100$/],
    ['fs negative', () => butter(4, 10, { fs: -100 }), V, /^butter: fs must be finite and > 0; got -100$/],
    ['analog edge ≤ 0', () => butter(4, -3, { analog: true }), V, /^butter: analog critical frequencies Wn must be > 0 \(rad\/s\); got -3$/],
    ['rp = 0', () => cheby1(4, 0, 0.3), V, /^cheby1: rp \(passband ripple in dB\) must be finite and > 0; got 0$/],
    ['rs negative', () => cheby2(4, -40, 0.3), V, /^cheby2: rs \(stopband attenuation in dB\) must be finite and > 0; got -40$/],
    ['rs Infinity', () => ellip(4, 1, Infinity, 0.3), V, /^ellip: rs \(stopband attenuation in dB\) must be finite and > 0; got Infinity$/],
    ['iirfilter default bandpass needs two edges', () => iirfilter(4, 0.3), V, /^iirfilter: Wn must be a \[low, high\] pair for a bandpass filter; got 0\.3$/],
    ['ellip rp ≥ rs', () => ellip(4, 60, 0.5, 0.3), V, /^ellip: passband ripple rp must be less than stopband attenuation rs; got rp=60, rs=0\.5$/],
    ['cheby1 ripple too extreme', () => cheby1(4, 400, 0.3), N, /^cheby1: every pole must lie inside the unit circle \(the specification is too extreme for double precision\); got pole .* with \|p\| = 1/],
    ['iirfilter cheby1 without rp', () => iirfilter(4, 0.3, { ftype: 'cheby1', btype: 'lowpass' }), V, /^iirfilter: rp \(passband ripple in dB\) must be given; got undefined$/],
    ['iirfilter unknown ftype', () => iirfilter(4, 0.3, { ftype: 'chebyshev' as 'cheby1', btype: 'lowpass' }), V, /^iirfilter: ftype must be one of/],
    ['bessel order 31', () => bessel(31, 0.3), V, /^bessel: Bessel order N must be ≤ 30 .*; got 31$/],
    ['bessel unknown norm', () => bessel(4, 0.3, { norm: 'phse' as 'phase' }), V, /^bessel: norm must be one of 'phase', 'delay', 'mag'; got "phse"$/],
    ['iirnotch w0 at Nyquist', () => iirnotch(500, 30, 1000), V, /^iirnotch: w0 must lie in \(0, fs\/2\) = \(0, 500\); got 500$/],
    ['iirnotch w0 = 0', () => iirnotch(0, 30), V, /^iirnotch: w0 must lie in \(0, fs\/2\) = \(0, 1\); got 0$/],
    ['iirpeak Q = 0', () => iirpeak(0.3, 0), V, /^iirpeak: quality factor Q must be finite and > 0; got 0$/],
    ['iirpeak NaN fs', () => iirpeak(0.3, 5, NaN), V, /^iirpeak: fs must be finite and > 0; got NaN$/],
    ['sosfreqz empty', () => sosfreqz([]), S, /^sosfreqz: sos must hold at least one section/],
    ['sosfreqz length 7', () => sosfreqz(new Float64Array(7)), S, /^sosfreqz: a flat sos must have length 6·n_sections; got length 7$/],
    ['sosfreqz row of 5', () => sosfreqz([[1, 0, 0, 1, 0]]), S, /^sosfreqz: sos row 0 must have 6 coefficients/],
    ['sosfreqz a0 ≠ 1', () => sosfreqz([[1, 0, 0, 2, 0, 0]]), V, /^sosfreqz: sos\[0\]\[3\] \(a0\) must be 1; got 2$/],
    ['sosfreqz NaN coefficient', () => sosfreqz([[1, NaN, 0, 1, 0, 0]]), V, /^sosfreqz: sos coefficients must be finite; got NaN at section 0, column 1$/],
    ['sosfreqz negative worN', () => sosfreqz([[1, 0, 0, 1, 0, 0]], { worN: -1 }), V, /^sosfreqz: worN must be an integer ≥ 0/],
    ['sosfreqz not an array', () => sosfreqz('x' as unknown as number[]), T, /^sosfreqz: sos must be a Float64Array/],
    ['zpk2sos unmatched conjugate', () => zpk2sos({ re: [0.5], im: [0.5] }, [0.1, 0.2], 1), V, /^zpk2sos: every complex zero and pole must have a matching conjugate; got 1 with positive and 0 with negative imaginary part$/],
    ['zpk2sos unknown pairing', () => zpk2sos([0.1], [0.2], 1, { pairing: 'best' as 'nearest' }), V, /^zpk2sos: options\.pairing must be one of/],
    ['zpk2sos analog nearest', () => zpk2sos([0.1], [0.2], 1, { analog: true, pairing: 'nearest' }), V, /^zpk2sos: pairing must be 'minimal' for an analog system; got "nearest"$/],
    ['zpk2sos minimal with more zeros', () => zpk2sos([0.1, 0.3], [0.2], 1, { pairing: 'minimal' }), V, /^zpk2sos: pairing 'minimal' needs at least as many poles as zeros; got 1 poles, 2 zeros$/],
    ['zpk2sos NaN zero', () => zpk2sos([NaN], [0.2], 1), V, /^zpk2sos: z must hold only finite values; got NaN\+0j at index 0$/],
    ['zpk2sos k NaN', () => zpk2sos([0.1], [0.2], NaN), V, /^zpk2sos: k must be finite; got NaN$/],
    ['sos2zpk zero denominator', () => sos2zpk([[1, 0, 0, 0, 0, 0]]), V, /^sos2zpk: section 0 must have a nonzero denominator/],
    ['sos2tf row of 7', () => sos2tf([[1, 0, 0, 1, 0, 0, 0]]), S, /^sos2tf: sos row 0 must have 6 coefficients/],
    ['tf2zpk zero denominator', () => tf2zpk([1], [0, 0]), V, /^tf2zpk: a must have at least one nonzero coefficient/],
    ['tf2zpk empty numerator', () => tf2zpk([], [1]), S, /^tf2zpk: b must not be empty/],
  ];
  for (const [name, f, cls, pattern] of table) {
    it(name, () => {
      expectPointwiseError(f, cls, pattern, name);
    });
  }
});
