import { describe, expect, it } from 'vitest';
import { convolve2d, correlate2d, plan2d, type Convolve2dBoundary } from '../../src/convolve/convolve2d.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng, expectClose, expectPointwiseError, flat, loadFixture, maxAbs, sumAbs } from '../helpers/index.js';

type Mode = 'full' | 'same' | 'valid';
interface Result {
  mode: Mode;
  boundary: Convolve2dBoundary;
  fillvalue: number;
  convolve2d?: number[][];
  correlate2d?: number[][];
  error?: string;
}
const ref = loadFixture<{ cases: { conv2d: { x: number[][]; h: number[][]; results: Result[] }[] } }>('conv2d.json');
const METHODS = ['direct', 'fft', 'auto'] as const;

/** |got − want| ≤ 1e-10 · scale, scale = (Σ|x| + fill·|grid|) · max|h|: the size of the sums. */
function expectNear(got: Multichannel, want: number[][], scale: number, label: string): void {
  expect(got.shape, label).toEqual([want.length, want[0].length]);
  expectClose(got.data, flat(want), { atol: 1e-10 * scale + 1e-300, label });
}

describe('convolve2d / correlate2d against scipy.signal (test/fixtures/refs/conv2d.json)', () => {
  for (const c of ref.cases.conv2d) {
    const size = `image ${c.x.length}×${c.x[0].length} kernel ${c.h.length}×${c.h[0].length}`;
    it(size, () => {
      const x = flat(c.x), h = flat(c.h);
      for (const r of c.results) {
        const opts = { mode: r.mode, boundary: r.boundary, fillvalue: r.fillvalue };
        const label = `${size} ${r.mode} ${r.boundary} ${r.fillvalue}`;
        if (r.error !== undefined) {
          for (const f of [convolve2d, correlate2d]) {
            expectPointwiseError(() => f(c.x, c.h, opts), ValueError, /for 'valid' mode the image must be at least as large as the kernel in every dimension, or the kernel at least as large/, label);
          }
          continue;
        }
        const scale = (sumAbs(x) + Math.abs(r.fillvalue) * x.length * 9) * maxAbs(h);
        for (const method of METHODS) {
          expectNear(convolve2d(c.x, c.h, { ...opts, method }), r.convolve2d!, scale, `convolve2d ${label} ${method}`);
          expectNear(correlate2d(c.x, c.h, { ...opts, method }), r.correlate2d!, scale, `correlate2d ${label} ${method}`);
        }
      }
    });
  }
});

describe('convolve2d over the bands of a cube', () => {
  const rng = new Rng(31);
  const rows = 9, cols = 11, C = 4;
  const cube = new Multichannel(rng.normals(C * rows * cols), C, rows * cols, {
    shape: [rows, cols],
    labels: ['b0', 'b1', 'b2', 'b3'],
    coords: { name: 'wavelength', unit: 'nm', width: 1, values: Float64Array.from([400, 500, 600, 700]) },
  });
  const kernel = Array.from({ length: 4 }, () => Array.from(rng.normals(5)));

  it('band c equals the single-image result of band c, every mode, boundary and method; metadata kept', () => {
    for (const mode of ['full', 'same', 'valid'] as const) {
      for (const boundary of ['fill', 'wrap', 'symm'] as const) {
        for (const method of METHODS) {
          const y = convolve2d(cube, kernel, { mode, boundary, method });
          expect(y.channels).toBe(C);
          expect(y.labels).toEqual(cube.labels);
          expect(y.coords).toBe(cube.coords);
          for (let c = 0; c < C; c++) {
            const one = convolve2d({ data: cube.channel(c), rows, cols }, kernel, { mode, boundary, method: 'direct' });
            expect(y.shape).toEqual(one.shape);
            expectClose(y.channel(c), one.data, { atol: 1e-12 * 60, label: `seed ${rng.seed} band ${c} ${mode} ${boundary} ${method}` });
          }
        }
      }
    }
  });

  it('per-band kernels, a broadcast image, float32 in → float32 out, and workers give identical bits', () => {
    const perBand = new Multichannel(rng.normals(C * 9), C, 9, { shape: [3, 3] });
    const y = convolve2d(cube, perBand, { mode: 'same', method: 'fft' });
    for (let c = 0; c < C; c++) {
      const one = convolve2d({ data: cube.channel(c), rows, cols }, { data: perBand.channel(c), rows: 3, cols: 3 }, { mode: 'same', method: 'direct' });
      expectClose(y.channel(c), one.data, { atol: 1e-12 * 30, label: `per-band kernel ${c}` });
    }
    const mono = new Multichannel(cube.channel(0).slice(), 1, rows * cols, { shape: [rows, cols] });
    const fan = convolve2d(mono, perBand, { mode: 'full' });
    expect(fan.channels).toBe(C);
    expectClose(fan.channel(2), convolve2d(mono, { data: perBand.channel(2), rows: 3, cols: 3 }).data, { atol: 1e-12 * 30, label: 'broadcast image' });
    const f32 = cube.astype('float32');
    const y32 = convolve2d(f32, kernel, { mode: 'same' });
    expect(y32.dtype).toBe('float32');
    expect(convolve2d(f32, kernel, { mode: 'same', dtype: 'float64' }).dtype).toBe('float64');
    for (const method of ['direct', 'fft'] as const) {
      const single = convolve2d(cube, perBand, { mode: 'same', boundary: 'symm', method });
      const multi = convolve2d(cube, perBand, { mode: 'same', boundary: 'symm', method, workers: 1 });
      expect(Array.from(multi.data)).toEqual(Array.from(single.data));
      const single1 = convolve2d(cube, kernel, { mode: 'full', method });
      const multi1 = convolve2d(cube, kernel, { mode: 'full', method, workers: 2 });
      expect(Array.from(multi1.data)).toEqual(Array.from(single1.data));
    }
  });

  it('properties: a delta kernel is the identity in same mode; convolution is commutative in full mode', () => {
    const delta = [[0, 0, 0], [0, 1, 0], [0, 0, 0]];
    for (const method of METHODS) {
      expectClose(convolve2d(cube, delta, { mode: 'same', method }).data, cube.data, { atol: 1e-13, label: method });
    }
    const a = Array.from({ length: 4 }, () => Array.from(rng.normals(6)));
    const b = Array.from({ length: 3 }, () => Array.from(rng.normals(2)));
    expectClose(convolve2d(a, b, { method: 'fft' }).data, convolve2d(b, a, { method: 'direct' }).data, { atol: 1e-12 * 40, label: `seed ${rng.seed}` });
  });

  it('hand-worked vectors', () => {
    const y = convolve2d([[1, 2], [3, 4]], [[1, 1]]);
    expect(Array.from(y.data)).toEqual([1, 3, 2, 3, 7, 4]);
    expect(y.shape).toEqual([2, 3]);
    const z = correlate2d([[0, 0, 0], [0, 1, 0], [0, 0, 0]], [[1, 2], [3, 4]], { mode: 'same', method: 'direct' });
    expect(Array.from(z.data)).toEqual([4, 3, 0, 2, 1, 0, 0, 0, 0]); // scipy.signal.correlate2d(…, "same")
  });

  it("'auto' picks direct for a 3 × 3 kernel and fft for 31 × 31 on 512 × 512", () => {
    expect(plan2d(512, 512, 3, 3, 'same', 'fill', 0, 'auto').method).toBe('direct');
    expect(plan2d(512, 512, 31, 31, 'same', 'fill', 0, 'auto').method).toBe('fft');
  });
});

describe('convolve2d bad input', () => {
  const flatCube = new Multichannel(new Float64Array(12), 2, 6);
  const cube = new Multichannel(new Float64Array(12), 2, 6, { shape: [2, 3] });
  const cases: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['image without shape', () => convolve2d(flatCube, [[1]]), ShapeError, /^convolve2d: x must have a 2-D shape \[rows, cols\] \(set shape on the Multichannel\); got a Multichannel \[2, 6\] without shape/],
    ['kernel without shape', () => convolve2d(cube, new Multichannel(new Float64Array(4), 1, 4)), ShapeError, /^convolve2d: h must have a 2-D shape \[rows, cols\]/],
    ['3-D shape', () => convolve2d(new Multichannel(new Float64Array(8), 1, 8, { shape: [2, 2, 2] }), [[1]]), ShapeError, /^convolve2d: x must have a 2-D shape \[rows, cols\] .*; got shape \[2, 2, 2\]/],
    ['flat array', () => convolve2d([1, 2, 3] as never, [[1]]), ArgumentTypeError, /^convolve2d: x must be a number\[\]\[\] \(rows of numbers\) or \{ data, rows, cols \}/],
    ['string', () => correlate2d('img' as never, [[1]]), ArgumentTypeError, /^correlate2d: x must be a Multichannel with shape \[rows, cols\], a number\[\]\[\] or \{ data, rows, cols \}; got "img"/],
    ['empty kernel', () => convolve2d([[1]], []), ShapeError, /^convolve2d: h must not be empty; got 0 × 0/],
    ['ragged kernel', () => convolve2d([[1]], [[1, 2], [3]]), ShapeError, /^convolve2d: every row of h must have 2 entries/],
    ['band counts', () => convolve2d(cube, new Multichannel(new Float64Array(3), 3, 1, { shape: [1, 1] })), ShapeError, /^convolve2d: h must have 1 channel \(broadcast\) or one per band of x \(2\); got 3/],
    ['valid, each larger in one axis', () => convolve2d([[1, 2, 3]], [[1], [2]], { mode: 'valid' }), ValueError, /^convolve2d: for 'valid' mode .*; got image 1 × 3, kernel 2 × 1/],
    ['NaN in a band', () => convolve2d(new Multichannel(Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NaN, 0]), 2, 6, { shape: [2, 3] }), [[1]]), ValueError, /^convolve2d: x must hold only finite values \(NaN and ±Infinity are rejected, not propagated\); got NaN at band 1, row 1, column 1/],
    ['Infinity in the kernel', () => convolve2d([[1]], [[1, -Infinity]]), ValueError, /^convolve2d: h must hold only finite values; got -Infinity at index 1/],
    ['mode', () => convolve2d([[1]], [[1]], { mode: 'circular' as never }), ValueError, /^convolve2d: options.mode must be one of 'full', 'same', 'valid'; got "circular"/],
    ['boundary', () => convolve2d([[1]], [[1]], { boundary: 'reflect' as never }), ValueError, /^convolve2d: options.boundary must be one of 'fill', 'wrap', 'symm'; got "reflect"/],
    ['method', () => convolve2d([[1]], [[1]], { method: 'overlap-add' as never }), ValueError, /^convolve2d: options.method must be one of 'auto', 'direct', 'fft'; got "overlap-add"/],
    ['fillvalue NaN', () => convolve2d([[1]], [[1]], { fillvalue: NaN }), ValueError, /^convolve2d: options.fillvalue must be finite; got NaN/],
    ['workers', () => convolve2d([[1]], [[1]], { workers: -1 }), ValueError, /^convolve2d: options.workers must be an integer in \[0, 64\]; got -1/],
  ];
  for (const [label, f, cls, re] of cases) it(label, () => void expectPointwiseError(f, cls, re, label));
});
