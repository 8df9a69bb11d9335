import { describe, expect, it } from 'vitest';
import { convolveComplex, correlateComplex, type ComplexMultichannel } from '../../src/convolve/complex.js';
import { convolve } from '../../src/convolve/convolve.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng, expectClose, expectPointwiseError, flat, loadFixture, maxAbs } from '../helpers/index.js';

type Cx<T> = { re: T; im: T };
type Mode = 'full' | 'same' | 'valid';
interface Case1d {
  kind: '1d';
  x: Cx<number[]>;
  h: Cx<number[]>;
  hr: number[];
  xr: number[];
  results: { mode: Mode; convolve: Cx<number[]>; correlate: Cx<number[]>; convolve_real_h: Cx<number[]>; correlate_real_h: Cx<number[]>; convolve_real_x: Cx<number[]>; correlate_real_x: Cx<number[]> }[];
}
interface CaseMc {
  kind: 'multichannel';
  x: Cx<number[][]>;
  h: Cx<number[][]>;
  results: { mode: Mode; convolve: Cx<number[][]>; correlate: Cx<number[][]> }[];
}
const ref = loadFixture<{ cases: { complex: (Case1d | CaseMc)[] } }>('conv2d.json');
const METHODS = ['direct', 'fft', 'overlap-add', 'auto'] as const;

function mc(rows: number[][]): Multichannel {
  return new Multichannel(flat(rows), rows.length, rows[0].length);
}

/** Both planes within 1e-12 · max|want| (+ 1e-14). */
function expectCx(got: ComplexMultichannel, want: Cx<unknown>, label: string): void {
  const wr = flat(want.re), wi = flat(want.im);
  const atol = 1e-12 * Math.max(maxAbs(wr), maxAbs(wi), 1) + 1e-14;
  expectClose(got.re.data, wr, { atol, label: `${label} re` });
  expectClose(got.im.data, wi, { atol, label: `${label} im` });
}

describe('convolveComplex / correlateComplex against scipy.signal (test/fixtures/refs/conv2d.json)', () => {
  for (const c of ref.cases.complex) {
    if (c.kind === '1d') {
      it(`1-D N=${c.x.re.length} M=${c.h.re.length}`, () => {
        for (const r of c.results) {
          for (const method of METHODS) {
            const o = { mode: r.mode, method };
            const l = `${r.mode} ${method}`;
            expectCx(convolveComplex(c.x, c.h, o), r.convolve, `convolve ${l}`);
            expectCx(correlateComplex(c.x, c.h, o), r.correlate, `correlate ${l}`);
            expectCx(convolveComplex(c.x, c.hr, o), r.convolve_real_h, `convolve real h ${l}`);
            expectCx(correlateComplex(c.x, { re: c.hr }, o), r.correlate_real_h, `correlate real h ${l}`);
            expectCx(convolveComplex(c.xr, c.h, o), r.convolve_real_x, `convolve real x ${l}`);
            expectCx(correlateComplex(Float64Array.from(c.xr), c.h, o), r.correlate_real_x, `correlate real x ${l}`);
          }
        }
      });
    } else {
      it(`multichannel [${c.x.re.length}, ${c.x.re[0].length}] with ${c.h.re.length} kernel(s)`, () => {
        const x = { re: mc(c.x.re), im: mc(c.x.im) }, h = { re: mc(c.h.re), im: mc(c.h.im) };
        for (const r of c.results) {
          for (const method of METHODS) {
            expectCx(convolveComplex(x, h, { mode: r.mode, method }), r.convolve, `convolve ${r.mode} ${method}`);
            expectCx(correlateComplex(x, h, { mode: r.mode, method, workers: 1 }), r.correlate, `correlate ${r.mode} ${method}`);
          }
        }
      });
    }
  }
});

describe('complex convolution properties', () => {
  it('hand-worked vectors', () => {
    const y = convolveComplex({ re: [1, 0], im: [0, 1] }, [1, 1]);
    expect(Array.from(y.re.data)).toEqual([1, 1, 0]);
    expect(Array.from(y.im.data)).toEqual([0, 1, 1]);
    const z = correlateComplex({ re: [0, 1], im: [1, 0] }, { re: [0, 1], im: [1, 0] });
    expect(Array.from(z.re.data)).toEqual([0, 2, 0]);
    expect(Array.from(z.im.data)).toEqual([1, 0, -1]);
  });

  it('real inputs give the real convolution and a zero imaginary part; autocorrelation peaks at lag 0 with Σ|x|²', () => {
    const rng = new Rng(12);
    const a = rng.normals(50), b = rng.normals(7);
    const y = convolveComplex(a, b);
    expect(Array.from(y.re.data)).toEqual(Array.from(convolve(a, b).data));
    expect(y.im.data.every((v) => v === 0)).toBe(true);
    const x = { re: rng.normals(40), im: rng.normals(40) };
    const r = correlateComplex(x, x);
    let energy = 0;
    for (let i = 0; i < 40; i++) energy += x.re[i] ** 2 + x.im[i] ** 2;
    expect(Math.abs(r.re.data[39] - energy)).toBeLessThan(1e-12 * energy);
    expect(Math.abs(r.im.data[39])).toBeLessThan(1e-12 * energy);
    for (let i = 0; i < 79; i++) expect(Math.hypot(r.re.data[i], r.im.data[i])).toBeLessThanOrEqual(energy * (1 + 1e-12));
  });

  it('keeps metadata and float32, and a Multichannel pair with a mono kernel broadcasts', () => {
    const rng = new Rng(3);
    const meta = { sampleRate: 48000, labels: ['i0', 'i1'] };
    const re = new Multichannel(Float32Array.from(rng.normals(20)), 2, 10, meta);
    const im = new Multichannel(Float32Array.from(rng.normals(20)), 2, 10, meta);
    const y = convolveComplex({ re, im }, { re: [1, 2], im: [0, 1] }, { mode: 'same' });
    expect(y.re.dtype).toBe('float32');
    expect(y.im.dtype).toBe('float32');
    expect(y.re.sampleRate).toBe(48000);
    expect(y.im.labels).toEqual(['i0', 'i1']);
    expect(y.re.channels).toBe(2);
    expect(convolveComplex({ re, im }, [1], { dtype: 'float64' }).re.dtype).toBe('float64');
  });
});

describe('complex convolution bad input', () => {
  const two = new Multichannel(new Float64Array(6), 2, 3);
  const cases: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['object without re', () => convolveComplex({ im: [1] } as never, [1]), ArgumentTypeError, /^convolveComplex: x must be \{ re, im \} \(complex\) or a real signal; got an object/],
    ['plane not a signal', () => correlateComplex({ re: 'a' as never, im: [1] }, [1]), ArgumentTypeError, /^correlateComplex: x.re must be a Multichannel, Float64Array, Float32Array or number\[\]; got "a"/],
    ['im size', () => convolveComplex({ re: [1, 2, 3], im: [1, 2] }, [1]), ShapeError, /^convolveComplex: x.im must have the size of x.re \[1, 3\]; got \[1, 2\]/],
    ['im channels', () => convolveComplex([1], { re: two, im: [1, 2, 3] }), ShapeError, /^convolveComplex: h.im must have the size of h.re \[2, 3\]; got \[1, 3\]/],
    ['empty h.re', () => convolveComplex([1], { re: [], im: [] }), ShapeError, /^convolveComplex: h.re must not be empty/],
    ['NaN in an imaginary plane', () => convolveComplex({ re: [1, 2], im: [0, NaN] }, [1]), ValueError, /^convolveComplex: x.im must hold only finite values; got NaN at index 1/],
    ['Infinity in a real kernel', () => correlateComplex([1], [Infinity]), ValueError, /^correlate: h must hold only finite values .*; got Infinity at index 0/],
    ['dtype', () => correlateComplex([1], [1], { dtype: 'complex64' as never }), ValueError, /^correlateComplex: options.dtype must be one of 'float64', 'float32'; got "complex64"/],
  ];
  for (const [label, f, cls, re] of cases) it(label, () => void expectPointwiseError(f, cls, re, label));
});
