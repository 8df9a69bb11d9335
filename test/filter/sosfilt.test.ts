import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, NumericalError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { SosFilter, sosfilt, sosfiltZi } from '../../src/filter/sosfilt.js';
import { LFilter, lfilter, lfilterZi } from '../../src/filter/lfilter.js';
import { filtfilt, sosfiltfilt, type PadType } from '../../src/filter/filtfilt.js';
import { isStablePolynomial } from '../../src/filter/coefficients.js';
import { Rng, expectClose, expectPointwiseError, flat, loadFixture, maxAbs } from '../helpers/index.js';

/** scipy 1.10 references written by scripts/fixtures/make_sosfilt.py (layouts explained there). */
interface Pad {
  padtype: PadType | null;
  padlen: number | null;
  y: number[][];
}
interface SosCase {
  name: string;
  sos: number[][];
  x: number[][];
  y: number[][];
  zi: number[][][];
  y_zi: number[][];
  zf: number[][][];
  sosfilt_zi: number[][];
  filtfilt: Pad[];
}
interface BaCase {
  name: string;
  b: number[];
  a: number[];
  x: number[][];
  y: number[][];
  zi: number[][];
  y_zi: number[][];
  zf: number[][];
  lfilter_zi: number[];
  filtfilt: Pad[];
}
const refs = loadFixture<{ cases: { sos: SosCase[]; ba: BaCase[] } }>('sosfilt.json').cases;

/** 1e-10 relative to the reference's largest magnitude (entries near zero have no relative error). */
function near(actual: ArrayLike<number>, expected: unknown, label: string): void {
  const e = flat(expected);
  expectClose(actual, e, { rtol: 1e-10, atol: 1e-10 * maxAbs(e), label });
}

const signal = (x: number[][]) => Multichannel.fromChannels(x, { sampleRate: 1000 });

function bitEqual(a: ArrayLike<number>, b: ArrayLike<number>, label: string): void {
  expect(a.length, `${label}: length`).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`${label}: differs at ${i}: ${a[i]} vs ${b[i]}`);
  }
}

describe('sosfilt, sosfiltZi, sosfiltfilt against scipy 1.10', () => {
  it('fixture covers several designs and every padtype', () => {
    expect(refs.sos.length).toBeGreaterThanOrEqual(4);
    const pads = new Set(refs.sos[0].filtfilt.map((p) => p.padtype));
    for (const p of ['odd', 'even', 'constant', null]) expect(pads.has(p as PadType | null)).toBe(true);
  });
  for (const r of refs.sos) {
    it(`${r.name}: sosfilt without zi (zero state)`, () => {
      const { y, zf } = sosfilt(r.sos, signal(r.x));
      near(y.data, r.y, r.name);
      expect(zf.length).toBe(2 * r.sos.length * 2);
      expect(y.sampleRate).toBe(1000);
    });
    it(`${r.name}: sosfilt with zi returns scipy's y and zf`, () => {
      const { y, zf } = sosfilt(r.sos, signal(r.x), { zi: r.zi });
      near(y.data, r.y_zi, `${r.name} y`);
      near(zf, r.zf, `${r.name} zf`);
    });
    it(`${r.name}: sosfiltZi`, () => {
      near(sosfiltZi(r.sos), r.sosfilt_zi, r.name);
    });
    for (const p of r.filtfilt) {
      it(`${r.name}: sosfiltfilt padtype ${p.padtype} padlen ${p.padlen}`, () => {
        near(sosfiltfilt(r.sos, signal(r.x), { padtype: p.padtype, padlen: p.padlen }).data, p.y, `${r.name} ${p.padtype} ${p.padlen}`);
      });
    }
  }
});

describe('lfilter, lfilterZi, filtfilt against scipy 1.10', () => {
  it('fixture covers FIR, unequal lengths and a0 ≠ 1', () => {
    const names = refs.ba.map((r) => r.name);
    for (const n of ['fir3', 'long_b_short_a', 'short_b_long_a', 'a0_is_2']) expect(names).toContain(n);
  });
  for (const r of refs.ba) {
    it(`${r.name}: lfilter without zi`, () => {
      near(lfilter(r.b, r.a, signal(r.x)).y.data, r.y, r.name);
    });
    it(`${r.name}: lfilter with zi returns scipy's y and zf`, () => {
      const { y, zf } = lfilter(r.b, r.a, signal(r.x), { zi: r.zi });
      near(y.data, r.y_zi, `${r.name} y`);
      near(zf, r.zf, `${r.name} zf`);
    });
    it(`${r.name}: lfilterZi`, () => {
      near(lfilterZi(r.b, r.a), r.lfilter_zi, r.name);
    });
    for (const p of r.filtfilt) {
      it(`${r.name}: filtfilt padtype ${p.padtype} padlen ${p.padlen}`, () => {
        near(filtfilt(r.b, r.a, signal(r.x), { padtype: p.padtype, padlen: p.padlen }).data, p.y, `${r.name} ${p.padtype} ${p.padlen}`);
      });
    }
  }
});

describe('hand-worked values', () => {
  it('lfilter of a one-pole filter is the geometric impulse response', () => {
    expect(Array.from(lfilter([1], [1, -0.5], [1, 0, 0]).y.data)).toEqual([1, 0.5, 0.25]);
  });
  it('lfilterZi and sosfiltZi of 1 / (1 − 0.5 z⁻¹) give the steady state of a unit step (y = 2)', () => {
    expect(Array.from(lfilterZi([1], [1, -0.5]))).toEqual([1]);
    expect(Array.from(sosfiltZi([[1, 0, 0, 1, -0.5, 0]]))).toEqual([1, 0]);
    const { y } = sosfilt([[1, 0, 0, 1, -0.5, 0]], [1, 1, 1], { zi: sosfiltZi([[1, 0, 0, 1, -0.5, 0]]) });
    expect(Array.from(y.data)).toEqual([2, 2, 2]);
  });
  it('an empty signal returns an empty output and zi unchanged as zf', () => {
    const { y, zf } = sosfilt([[1, 0, 0, 1, -0.5, 0]], new Multichannel(new Float64Array(0), 2, 0), { zi: [[[1, 2]], [[3, 4]]] });
    expect(y.length).toBe(0);
    expect(Array.from(zf)).toEqual([1, 2, 3, 4]);
  });
});

/** Seeded signals and a 4-section (8th-order Butterworth, scipy's design) cascade for properties. */
const sos8 = refs.sos.find((r) => r.name === 'butter8_low_0.125')!.sos;
const band = refs.sos.find((r) => r.name === 'cheby1_5_band_0.2_0.4')!.sos; // 5 sections: an odd count

describe('properties', () => {
  it('a cascade equals its sections applied one after the other, bit for bit (even and odd section counts)', () => {
    const rng = new Rng(7);
    for (const sos of [sos8, band]) {
      const x = new Multichannel(rng.normals(3 * 500), 3, 500);
      let y = x;
      for (const row of sos) y = sosfilt([row], y).y;
      bitEqual(sosfilt(sos, x).y.data, y.data, `seed ${rng.seed}, ${sos.length} sections`);
    }
  });
  it('flat Float64Array and rows of 6 give the same bits; a0 ≠ 1 is divided out', () => {
    const x = new Rng(3).normals(300);
    const ref = sosfilt(sos8, x).y.data;
    bitEqual(sosfilt(Float64Array.from(sos8.flat()), x).y.data, ref, 'flat');
    const scaled = sos8.map((row, i) => row.map((v) => v * (i + 2)));
    expectClose(sosfilt(scaled, x).y.data, ref, { rtol: 1e-12, atol: 1e-14 * maxAbs(ref), label: 'a0 = i + 2' });
  });
  it('one channel\'s zi is used for every channel, as if repeated', () => {
    const rng = new Rng(11);
    const x = new Multichannel(rng.normals(2 * 64), 2, 64);
    const zi1 = Array.from({ length: sos8.length }, () => [rng.normal(), rng.normal()]);
    const a = sosfilt(sos8, x, { zi: zi1 });
    const b = sosfilt(sos8, x, { zi: [zi1, zi1] });
    bitEqual(a.y.data, b.y.data, 'y');
    bitEqual(a.zf, b.zf, 'zf');
  });
  it('float32 in gives float32 out: float64 arithmetic rounded once', () => {
    const x64 = Float64Array.from(new Rng(5).normals(400), Math.fround);
    const y32 = sosfilt(sos8, Float32Array.from(x64)).y;
    expect(y32.dtype).toBe('float32');
    bitEqual(y32.data, Float32Array.from(sosfilt(sos8, x64).y.data), 'float32');
    const f32 = filtfilt([0.25, 0.5, 0.25], [1], Float32Array.from(x64));
    expect(f32.dtype).toBe('float32');
    bitEqual(f32.data, Float32Array.from(filtfilt([0.25, 0.5, 0.25], [1], x64).data), 'filtfilt float32');
  });
  it('metadata (sampleRate, labels) is kept by every function', () => {
    const x = Multichannel.fromChannels([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]], { sampleRate: 48000, labels: ['mic'] });
    for (const y of [sosfilt([[1, 0, 0, 1, -0.5, 0]], x).y, lfilter([1], [1, -0.5], x).y, sosfiltfilt([[1, 0, 0, 1, -0.5, 0]], x), filtfilt([1], [1, -0.5], x)]) {
      expect(y.sampleRate).toBe(48000);
      expect(y.labels).toEqual(['mic']);
    }
  });
  it('sosfiltfilt is zero-phase: a symmetric pulse stays symmetric', () => {
    const x = new Float64Array(2001);
    for (let t = 0; t < 2001; t++) x[t] = Math.exp(-(((t - 1000) / 8) ** 2));
    const y = sosfiltfilt(sos8, x).data;
    for (let k = 1; k <= 100; k++) expect(Math.abs(y[1000 - k] - y[1000 + k])).toBeLessThan(1e-14);
  });
  it('isStablePolynomial agrees with the roots of a few polynomials', () => {
    expect(isStablePolynomial([1, -0.5])).toBe(true);
    expect(isStablePolynomial([1, -1])).toBe(false); // pole at 1
    expect(isStablePolynomial([1, 0, 0.81])).toBe(true); // ±0.9i
    expect(isStablePolynomial([1, 0, 1.21])).toBe(false); // ±1.1i
    expect(isStablePolynomial([1, -2.5, 1])).toBe(false); // 2, 0.5
    expect(isStablePolynomial([1, -1.5, 0.56, 0])).toBe(true); // 0.7, 0.8, 0
  });
});

describe('streaming: chunked output is bit-identical to one call', () => {
  const chunks = (rng: Rng, N: number): number[] => {
    const sizes: number[] = [];
    for (let left = N; left > 0; ) {
      const k = rng.next() < 0.1 ? 0 : Math.min(left, rng.int(1, 97));
      sizes.push(k);
      left -= k;
    }
    return sizes;
  };
  function run(filter: { process(c: Multichannel): Multichannel }, x: Multichannel, sizes: number[]): Float64Array {
    const out = new Float64Array(x.data.length);
    let t = 0;
    for (const k of sizes) {
      const y = filter.process(x.slice(t, t + k));
      expect(y.length).toBe(k);
      for (let c = 0; c < x.channels; c++) out.set(y.data.subarray(c * k, (c + 1) * k), c * x.length + t);
      t += k;
    }
    return out;
  }
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`SosFilter, random chunk sizes (seed ${seed}), with and without zi, float64 and float32`, () => {
      const rng = new Rng(seed);
      const N = 1000, C = 3;
      const sos = seed % 2 ? sos8 : band;
      const x = new Multichannel(rng.normals(C * N), C, N);
      const zi = rng.normals(C * sos.length * 2);
      for (const opts of [{}, { zi }]) {
        const whole = sosfilt(sos, x, opts);
        const f = new SosFilter(sos, { channels: C, ...opts });
        bitEqual(run(f, x, chunks(rng, N)), whole.y.data, `seed ${seed}`);
        bitEqual(f.state, whole.zf, `seed ${seed} state`);
        f.reset();
        bitEqual(run(f, x, chunks(rng, N)), whole.y.data, `seed ${seed} after reset`);
      }
      const x32 = x.astype('float32');
      const f32 = new SosFilter(sos, { channels: C });
      bitEqual(Float32Array.from(run(f32, x32, chunks(rng, N))), sosfilt(sos, x32).y.data, `seed ${seed} float32`);
    });
    it(`LFilter, random chunk sizes (seed ${seed})`, () => {
      const rng = new Rng(100 + seed);
      const r = refs.ba[seed % refs.ba.length];
      const x = new Multichannel(rng.normals(2 * 800), 2, 800);
      const whole = lfilter(r.b, r.a, x);
      const f = new LFilter(r.b, r.a, { channels: 2 });
      bitEqual(run(f, x, chunks(rng, 800)), whole.y.data, r.name);
      bitEqual(f.state, whole.zf, `${r.name} state`);
    });
  }
  it('state continues across calls of sosfilt: zf of the first half is zi of the second', () => {
    const x = new Rng(9).normals(500);
    const whole = sosfilt(sos8, x).y.data;
    const first = sosfilt(sos8, x.subarray(0, 237));
    const second = sosfilt(sos8, x.subarray(237), { zi: first.zf });
    bitEqual([...first.y.data, ...second.y.data], whole, 'halves');
  });
});

describe('bad input', () => {
  const good = [[1, 0, 0, 1, -0.5, 0]];
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['sos not an array', () => sosfilt('abc' as never, x), ArgumentTypeError, /^sosfilt: sos must be a flat/],
    ['sos empty', () => sosfilt([], x), ShapeError, /^sosfilt: sos must hold at least one section/],
    ['flat sos not 6·n', () => sosfilt([1, 0, 0, 1, 0], x), ShapeError, /6 coefficients per section.*got 5 numbers/],
    ['sos row of 5', () => sosfilt([[1, 0, 0, 1, 0]], x), ShapeError, /every sos row must hold 6 coefficients.*got row 0 of length 5/],
    ['sos NaN', () => sosfilt([[1, NaN, 0, 1, 0, 0]], x), ValueError, /sos coefficients must be finite; got NaN in section 0, column 1/],
    ['sos Infinity', () => sosfilt([[1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, Infinity]], x), ValueError, /got Infinity in section 1, column 5/],
    ['a0 = 0', () => sosfilt([[1, 0, 0, 0, 0.5, 0]], x), ValueError, /a0 ≠ 0.*got a0 = 0 in section 0/],
    ['unstable section (pole 1.1)', () => sosfilt([[1, 0, 0, 1, -1.1, 0]], x), ValueError, /must be stable.*allowUnstable.*got a1 = -1.1, a2 = 0 in section 0/],
    ['pole on the circle (|a2| = 1)', () => sosfilt([[1, 0, 0, 1, 0, 1]], x), ValueError, /must be stable/],
    ['x NaN', () => sosfilt(good, [1, NaN]), ValueError, /^sosfilt: x must hold only finite samples; got NaN at channel 0, sample 1$/],
    ['x not a signal', () => sosfilt(good, 'x' as never), ArgumentTypeError, /^sosfilt: x must be a Multichannel/],
    ['zi wrong shape', () => sosfilt(good, new Multichannel(new Float64Array(20), 2, 10), { zi: [1, 2, 3] }), ShapeError, /zi must have shape \[2, 1, 2\].*got 3 numbers/],
    ['zi nested wrong', () => sosfilt(good, x, { zi: [[1, 2, 3]] }), ShapeError, /got shape \[1, 3\]/],
    ['zi ragged', () => sosfilt(good, x, { zi: [[1, 2], [3]] as never }), ArgumentTypeError, /zi must be a Float64Array or \(nested\) number array of shape \[1, 1, 2\]/],
    ['zi NaN', () => sosfilt(good, x, { zi: [0, NaN] }), ValueError, /zi must hold only finite values; got NaN at flat index 1/],
    ['lfilter a[0] = 0', () => lfilter([1], [0, 1], x), ValueError, /^lfilter: a\[0\] must be nonzero; got 0$/],
    ['lfilter empty b', () => lfilter([], [1], x), ShapeError, /^lfilter: b must hold at least one coefficient/],
    ['lfilter non-finite a', () => lfilter([1], [1, Infinity], x), ValueError, /a must hold only finite coefficients; got Infinity at index 1/],
    ['lfilter unstable (integrator)', () => lfilter([1], [1, -1], x), ValueError, /^lfilter: the filter must be stable.*got a = \[1, -1\]$/],
    ['lfilter zi wrong length', () => lfilter([1, 1, 1], [1], x, { zi: [1] }), ShapeError, /zi must have shape \[1, 2\]/],
    ['lfilterZi pole at 1 is unstable', () => lfilterZi([1], [1, -1]), ValueError, /^lfilterZi: the filter must be stable/],
    ['sosfiltfilt signal too short for the default padlen', () => sosfiltfilt([[1, 2, 1, 1, -0.5, 0]], x.slice(0, 9)), ShapeError, /^sosfiltfilt: the signal must be longer than padlen, which is 9 \(the default 3·\(2·sections \+ 1 − min\(#\(b2 = 0\), #\(a2 = 0\)\)\) = 3·3\); .*got 9 samples$/],
    ['filtfilt signal too short', () => filtfilt([1, 2], [1], x, { padlen: 10 }), ShapeError, /^filtfilt: the signal must be longer than padlen, which is 10 \(given\).*got 10 samples$/],
    ['filtfilt unknown padtype', () => filtfilt([1], [1], x, { padtype: 'wrap' as never }), ValueError, /padtype must be one of 'odd', 'even', 'constant'; got "wrap"/],
    ['filtfilt gust', () => filtfilt([1], [1], x, { method: 'gust' as never }), ValueError, /method must be one of 'pad'; got "gust"/],
    ['filtfilt negative padlen', () => filtfilt([1], [1], x, { padlen: -1 }), ValueError, /padlen must be an integer ≥ 0; got -1/],
    ['filtfilt empty x', () => filtfilt([1], [1], [], { padtype: null }), ShapeError, /x must not be empty/],
    ['SosFilter channels 0', () => new SosFilter(good, { channels: 0 }), ValueError, /^SosFilter: channels must be an integer ≥ 1; got 0$/],
    ['SosFilter chunk channels', () => new SosFilter(good, { channels: 2 }).process([1, 2]), ShapeError, /^SosFilter.process: chunk must have 2 channels; got 1$/],
    ['SosFilter NaN chunk', () => new SosFilter(good).process([1, NaN]), ValueError, /^SosFilter.process: chunk must hold only finite samples/],
    ['SosFilter.reset bad zi', () => new SosFilter(good).reset([1, 2, 3]), ShapeError, /^SosFilter.reset: zi must have shape \[1, 1, 2\]/],
    ['LFilter unstable', () => new LFilter([1], [1, 0, 1.21]), ValueError, /^LFilter: the filter must be stable/],
  ];
  for (const [name, f, cls, pattern] of table) it(name, () => expectPointwiseError(f, cls, pattern, name));

  it('allowUnstable filters an integrator (cumulative sum) and an unstable section', () => {
    expect(Array.from(lfilter([1], [1, -1], [1, 2, 3], { allowUnstable: true }).y.data)).toEqual([1, 3, 6]);
    expect(Array.from(sosfilt([[1, 0, 0, 1, -2, 0]], [1, 0, 0], { allowUnstable: true }).y.data)).toEqual([1, 2, 4]);
  });
  it('a non-finite sample anywhere is reported with its position (found from the final state)', () => {
    const rng = new Rng(12);
    for (const [c, t, v] of [[0, 0, NaN], [1, 499, Infinity], [0, 499, -Infinity], [1, 250, NaN]] as const) {
      const data = rng.normals(2 * 500);
      data[c * 500 + t] = v;
      const x = new Multichannel(data, 2, 500);
      const where = `${v} at channel ${c}, sample ${t}`;
      expectPointwiseError(() => sosfilt(sos8, x), ValueError, `sosfilt: x must hold only finite samples; got ${where}`);
      expectPointwiseError(() => sosfilt(band, x.astype('float32')), ValueError, `sosfilt: x must hold only finite samples; got ${where}`);
      expectPointwiseError(() => lfilter(refs.ba[1].b, refs.ba[1].a, x), ValueError, `lfilter: x must hold only finite samples; got ${where}`);
      expectPointwiseError(() => lfilter([2], [1], x), ValueError, `lfilter: x must hold only finite samples; got ${where}`);
      expectPointwiseError(() => sosfiltfilt(sos8, x), ValueError, `sosfiltfilt: x must hold only finite samples; got ${where}`);
    }
  });
  it('an unstable filter whose output overflows is a NumericalError, not Infinity', () => {
    const x = new Float64Array(2000).fill(1);
    expectPointwiseError(() => sosfilt([[1, 0, 0, 1, -2, 0]], x, { allowUnstable: true }), NumericalError, /^sosfilt: the filter overflowed.*got max \|x\| = 1$/);
    expectPointwiseError(() => new LFilter([1], [1, -2], { allowUnstable: true }).process(x), NumericalError, /^LFilter.process: the filter overflowed/);
  });
  it('a NaN chunk leaves SosFilter state untouched', () => {
    const f = new SosFilter(sos8);
    f.process([1, 2, 3]);
    const before = f.state;
    expect(() => f.process([1, NaN])).toThrow(ValueError);
    bitEqual(f.state, before, 'state');
  });
  it('sosfiltZi of a section with a pole at z = 1 and allowUnstable off is refused', () => {
    expectPointwiseError(() => sosfiltZi([[1, 0, 0, 1, -1, 0]]), ValueError, /must be stable/);
  });
  it('filtfilt with allowUnstable and a pole at z = 1 has no steady state: NumericalError', () => {
    expectPointwiseError(() => filtfilt([1], [1, -1], x, { allowUnstable: true }), NumericalError, /^filtfilt: the filter must not have a pole at z = 1/);
    expectPointwiseError(() => sosfiltfilt([[1, 0, 0, 1, -1, 0]], x, { allowUnstable: true }), NumericalError, /^sosfiltfilt: the filter must not have a pole at z = 1/);
  });
});
