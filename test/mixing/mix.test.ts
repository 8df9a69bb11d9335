import { Matrix } from 'ml-matrix';
import { describe, expect, it, vi } from 'vitest';
import { ArgumentTypeError, Multichannel, ShapeError, ValueError } from '../../src/core/index.js';
import { complexToRealWeights, mix, mixComplex, mixPerBin } from '../../src/mixing/index.js';
import { gemm } from '../../src/linalg/index.js';
import { gemmScalar } from '../../src/linalg/gemm.js';
import { WasmGemm, touchBlock, wasmGemm } from '../../src/linalg/gemm-wasm.js';
import { Rng, expectClose, flat, refSources, sumAbs } from '../helpers/index.js';

/** Oracle: the naive triple loop y[o,t] = Σ_i W[o,i] x[i,t] + b[o]. */
function naiveMix(W: Float64Array, rows: number, cols: number, x: ArrayLike<number>, T: number, b?: ArrayLike<number>): Float64Array {
  const y = new Float64Array(rows * T);
  for (let o = 0; o < rows; o++) {
    for (let t = 0; t < T; t++) {
      let s = b ? b[o] : 0;
      for (let i = 0; i < cols; i++) s += W[o * cols + i] * x[i * T + t];
      y[o * T + t] = s;
    }
  }
  return y;
}

function randomCase(rng: Rng, cin: number, cout: number, T: number) {
  const W = rng.normals(cout * cin);
  const x = new Multichannel(rng.normals(cin * T), cin, T);
  const b = rng.normals(cout);
  return { W, x, b };
}

describe('mix', () => {
  it('hand-worked: [[1,1],[1,-1]] on two channels', () => {
    const x = Multichannel.fromChannels([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(mix(x, [[1, 1], [1, -1]]).data)).toEqual([5, 7, 9, -3, -3, -3]);
    expect(Array.from(mix(x, [[2, 0]], [10]).data)).toEqual([12, 14, 16]);
  });

  it('equals the naive triple loop to 1e-12 relative over seeded shapes, incl. block edges (seed 11)', () => {
    const rng = new Rng(11);
    const shapes: [number, number, number][] = [
      [1, 1, 1], [1, 5, 7], [3, 1, 300], [8, 1, 4097], [8, 8, 4096], [5, 7, 1000], [9, 6, 257], [13, 11, 2049],
      [64, 64, 1000], [200, 3, 1025], [2, 9, 4095], [4, 4, 8193],
    ];
    for (const [cin, cout, T] of shapes) {
      const { W, x, b } = randomCase(rng, cin, cout, T);
      const y = mix(x, { data: W, rows: cout, cols: cin }, b);
      const ref = naiveMix(W, cout, cin, x.data, T, b);
      const scale = (sumAbs(W) / cout) * 4 + 1;
      expectClose(y.data, ref, { rtol: 1e-12, atol: 1e-12 * scale, label: `seed 11, (${cin}→${cout}, T=${T})` });
      expect([y.channels, y.length]).toEqual([cout, T]);
    }
  });

  it('a new result overwrites every element of its unzeroed memory (allocateEmpty filled with NaN first; seed 12)', () => {
    const rng = new Rng(12);
    const dirty = vi.spyOn(Buffer, 'allocUnsafeSlow').mockImplementation((n: number) => Buffer.alloc(n, 0xff)); // 0xff… is a NaN
    try {
      for (const [cin, cout, T] of [[8, 1, 17001], [8, 8, 4097], [200, 3, 6001], [5, 7, 3001]] as const) {
        const { W, x, b } = randomCase(rng, cin, cout, T);
        for (const xs of [x, x.astype('float32')]) {
          const calls = dirty.mock.calls.length;
          const y = mix(xs, { data: W, rows: cout, cols: cin }, b);
          expect(dirty.mock.calls.length, `${cin}→${cout} × ${T} took unzeroed memory`).toBe(calls + 1);
          expect(y.data.every(Number.isFinite), `${cin}→${cout} × ${T} ${xs.dtype}: an element was left unwritten`).toBe(true);
          expectClose(y.data, naiveMix(W, cout, cin, xs.data, T, b), { rtol: 1e-6, atol: 1e-6, label: `${cin}→${cout} × ${T} ${xs.dtype}` });
        }
      }
    } finally {
      dirty.mockRestore();
    }
  });

  it('matches numpy W @ x + b (mix.json and mix_grouped_shuffle.json, test/fixtures/refs and ../shared/refs)', () => {
    for (const { label: source, ref } of refSources<{ cases: { W: number[][]; x: number[][]; bias: number[]; y: number[][] }[] }>('mix.json')) {
      for (const [k, c] of ref.cases.entries()) {
        const y = mix(Multichannel.fromChannels(c.x), c.W, c.bias);
        expectClose(y.data, flat(c.y), { rtol: 1e-12, atol: 1e-12, label: `mix.json case ${k} [${source}]` });
      }
    }
    for (const { label: source, ref } of refSources<{ cases: { name: string; W?: number[][]; X: number[][]; bias?: number[]; Y: number[][] }[] }>('mix_grouped_shuffle.json')) {
      const cases = ref.cases.filter((c) => c.name.startsWith('W@X'));
      expect(cases.length, source).toBeGreaterThan(0);
      for (const c of cases) {
        const y = mix(Multichannel.fromChannels(c.X), c.W!, c.bias);
        expectClose(y.data, flat(c.Y), { rtol: 1e-12, atol: 1e-12, label: `${c.name} [${source}]` });
      }
    }
  });

  it('accepts ml-matrix Matrix, nested arrays and {data, rows, cols} (float32 data) alike', () => {
    const rng = new Rng(5);
    const { W, x } = randomCase(rng, 3, 2, 10);
    const nested = [Array.from(W.subarray(0, 3)), Array.from(W.subarray(3, 6))];
    const a = mix(x, nested);
    const b = mix(x, new Matrix(nested));
    const c = mix(x, { data: W, rows: 2, cols: 3 });
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(Array.from(c.data)).toEqual(Array.from(a.data));
    const w32 = Float32Array.from(W);
    const d = mix(x, { data: w32, rows: 2, cols: 3 });
    expectClose(d.data, naiveMix(Float64Array.from(w32), 2, 3, x.data, 10), { rtol: 1e-14, atol: 1e-14, label: 'float32 weights' });
  });

  it('float32 in → float32 out, equal to the float64 mix rounded once (seed 21)', () => {
    const rng = new Rng(21);
    for (const [cin, cout, T] of [[8, 8, 5000], [200, 3, 999], [3, 5, 17]] as const) {
      const { W, x, b } = randomCase(rng, cin, cout, T);
      const x32 = x.astype('float32');
      const y = mix(x32, { data: W, rows: cout, cols: cin }, b);
      expect(y.dtype).toBe('float32');
      const ref = naiveMix(W, cout, cin, x32.data, T, b);
      const want = Float32Array.from(ref);
      // float64 accumulation, rounded once: equal to the rounded oracle up to one float32 ulp
      expectClose(y.data, want, { rtol: 1.2e-7, atol: 1e-6, label: `seed 21 float32 ${cin}→${cout}` });
    }
  });

  it('keeps sampleRate and shape, drops labels; never mutates its inputs', () => {
    const x = new Multichannel(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8), 2, 4, { sampleRate: 8000, shape: [2, 2], labels: ['a', 'b'] });
    const W = [[1, 2], [3, 4], [5, 6]];
    const before = x.data.slice();
    const y = mix(x, W, [1, 2, 3]);
    expect(y.sampleRate).toBe(8000);
    expect(y.shape).toEqual([2, 2]);
    expect(y.labels).toBeUndefined();
    expect(Array.from(x.data)).toEqual(Array.from(before));
    expect(W).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('works for length 0 and for T = 1', () => {
    const x0 = new Multichannel(new Float64Array(0), 3, 0);
    expect(mix(x0, [[1, 2, 3]]).length).toBe(0);
    const x1 = Multichannel.fromChannels([[2], [3]]);
    expect(Array.from(mix(x1, [[1, 1], [2, -1]], [0.5, 0]).data)).toEqual([5.5, 1]);
  });

  it('gemm writes bias-only rows when cols = 0 and handles float32 output', () => {
    const out = new Float32Array(4);
    gemm(new Float64Array(0), 2, 0, new Float64Array(0), 2, out, Float64Array.of(1, 2));
    expect(Array.from(out)).toEqual([1, 1, 2, 2]);
    const o2 = new Float32Array(3);
    gemm(Float64Array.of(1, 2), 1, 2, Float64Array.of(1, 2, 3, 4, 5, 6), 3, o2);
    expect(Array.from(o2)).toEqual([9, 12, 15]);
    // float32 X into float64 out, across several T-blocks
    const rng = new Rng(22);
    const T = 9000;
    const X32 = Float32Array.from(rng.normals(3 * T));
    const W = rng.normals(6);
    const o64 = new Float64Array(2 * T);
    gemm(W, 2, 3, X32, T, o64, Float64Array.of(1, -1));
    expectClose(o64, naiveMix(W, 2, 3, X32, T, [1, -1]), { rtol: 1e-13, atol: 1e-13, label: 'seed 22 float32 X → float64 out' });
  });

  it('the WebAssembly SIMD and JavaScript kernels each equal the triple loop: every row tile, element type and block edge (seed 23)', () => {
    // gemm's kernel passed its load-time self-test (unless the JS kernel was forced)
    if (process.env.POINTWISE_WASM !== '0') expect(wasmGemm(), 'WebAssembly SIMD kernel should load on Node ≥ 16').not.toBeNull();
    const simd = new WasmGemm(); // directly, so POINTWISE_WASM=0 (which only steers gemm) does not skip this
    const rng = new Rng(23);
    // rows 1–9 cover the 4/3/2/1-row tiles and their combinations; T crosses block and 8-sample edges
    const shapes: [number, number, number][] = [[1, 1, 1], [3, 2, 9], [5, 3, 17], [8, 4, 4097], [7, 5, 33], [2, 6, 8195], [64, 7, 300], [200, 8, 1321], [9, 9, 15]];
    for (const [cin, cout, T] of shapes) {
      const W = rng.normals(cout * cin);
      const X = rng.normals(cin * T);
      const b = rng.normals(cout);
      const X32 = Float32Array.from(X);
      const ref64 = naiveMix(W, cout, cin, X, T, b);
      const ref32 = naiveMix(W, cout, cin, X32, T, b);
      const scale = sumAbs(W) + 1;
      for (const [name, kernel] of [['wasm', (...a: Parameters<typeof gemm>) => simd.run(...a)], ['js', gemmScalar]] as const) {
        const label = `seed 23 ${name} ${cin}→${cout}, T=${T}`;
        const y = new Float64Array(cout * T);
        kernel(W, cout, cin, X, T, y, b);
        expectClose(y, ref64, { rtol: 1e-13, atol: 1e-13 * scale, label: `${label} f64→f64` });
        const y1 = new Float64Array(cout * T);
        kernel(W, cout, cin, X32, T, y1, b);
        expectClose(y1, ref32, { rtol: 1e-13, atol: 1e-13 * scale, label: `${label} f32→f64` });
        const y2 = new Float32Array(cout * T);
        kernel(W, cout, cin, X32, T, y2, b);
        expectClose(y2, Float32Array.from(ref32), { rtol: 1.2e-7, atol: 1e-6 * scale, label: `${label} f32→f32` });
        const y3 = new Float32Array(cout * T);
        kernel(W, cout, cin, X, T, y3);
        expectClose(y3, Float32Array.from(naiveMix(W, cout, cin, X, T)), { rtol: 1.2e-7, atol: 1e-6 * scale, label: `${label} f64→f32, no bias` });
      }
    }
  });

  it('the SIMD kernel\'s input-group path (one row group, many inputs) equals the triple loop bit for bit: rows 1–4, group sizes, element types, block edges (seed 26)', () => {
    const simd = new WasmGemm();
    const rng = new Rng(26);
    let cases = 0;
    for (const rows of [1, 2, 3, 4]) {
      for (const [cols, T, tb, perGroup] of [[5, 9, 8, 2], [17, 40, 16, 4], [40, 1001, 64, 16], [7, 3, 8, 1], [33, 200, 200, 32]] as const) {
        const W = rng.normals(rows * cols);
        const X = rng.normals(cols * T);
        const b = rng.normals(rows);
        const X32 = Float32Array.from(X);
        const label = `seed 26: ${cols}→${rows}, T=${T}, blocks of ${tb}, groups of ${perGroup}`;
        for (const [xa, ya, ref] of [
          [X, new Float64Array(rows * T), naiveMix(W, rows, cols, X, T, b)],
          [X32, new Float64Array(rows * T), naiveMix(W, rows, cols, X32, T, b)],
          [X32, new Float32Array(rows * T), Float32Array.from(naiveMix(W, rows, cols, X32, T, b))],
          [X, new Float32Array(rows * T), Float32Array.from(naiveMix(W, rows, cols, X, T, b))],
        ] as const) {
          expect(simd.runInputGroups(W, rows, cols, xa, T, ya, b, tb, perGroup)).toBe(true);
          expect(Array.from(ya), `${label}, ${xa.constructor.name} → ${ya.constructor.name}`).toEqual(Array.from(ref));
          cases++;
        }
      }
    }
    expect(cases).toBe(80);
    // and run routes a 200-input, 3-output product longer than one block through it
    const W = rng.normals(3 * 200);
    const X = rng.normals(200 * 4100);
    const y = new Float64Array(3 * 4100);
    expect(simd.run(W, 3, 200, X, 4100, y)).toBe(true);
    expect(Array.from(y)).toEqual(Array.from(naiveMix(W, 3, 200, X, 4100)));
  });

  it('the SIMD kernel\'s read-ahead touches one element per cache line of the block, eight input rows interleaved, nothing outside it', () => {
    // 11 rows of T = 100, block [16, 56): one read per 64 bytes, i.e. every 8 float64 (16 float32) samples from the block's start
    for (const [X, step] of [[new Float64Array(11 * 100), 8], [new Float32Array(11 * 100), 16]] as const) {
      const read: number[] = [];
      const spy = new Proxy(X, {
        get: (target, key) => {
          if (typeof key === 'string' && /^\d+$/.test(key)) read.push(Number(key));
          return Reflect.get(target, key);
        },
      });
      touchBlock(spy, 100, 11, 16, 40);
      const lines = Array.from({ length: Math.ceil(40 / step) }, (_, k) => 16 + k * step);
      const rowsThen = (rows: number[]) => lines.flatMap((t) => rows.map((i) => i * 100 + t));
      expect(read, X.constructor.name).toEqual([...rowsThen([0, 1, 2, 3, 4, 5, 6, 7]), ...rowsThen([8, 9, 10])]);
    }
  });

  it('the SIMD kernel leaves memory past the output untouched and is exact on integer data (seed 24)', () => {
    const simd = new WasmGemm();
    const rng = new Rng(24);
    const W = Float64Array.from(rng.normals(6 * 5), (v) => Math.round(v * 4));
    const X = Float64Array.from(rng.normals(5 * 11), (v) => Math.round(v * 8));
    const out = new Float64Array(6 * 11 + 3).fill(7);
    simd.run(W, 6, 5, X, 11, out.subarray(0, 66));
    expect(Array.from(out.subarray(0, 66))).toEqual(Array.from(naiveMix(W, 6, 5, X, 11)));
    expect(Array.from(out.subarray(66))).toEqual([7, 7, 7]);
  });

  it('the SIMD kernel declines (returns false, writes nothing) when the weights cannot fit in WebAssembly memory', () => {
    const simd = new WasmGemm();
    const out = new Float64Array(4).fill(7);
    // 30000 × 30000 weights = 7.2 GB packed: past WebAssembly's 4 GiB (the arrays are never read)
    expect(simd.run(new Float64Array(0), 30000, 30000, new Float64Array(0), 1, out)).toBe(false);
    expect(Array.from(out)).toEqual([7, 7, 7, 7]);
    expect(simd.run(Float64Array.of(2), 1, 1, Float64Array.of(1, 2, 3, 4), 4, out)).toBe(true); // still usable
    expect(Array.from(out)).toEqual([2, 4, 6, 8]);
  });

  it('options.out: writes into the caller\'s array (reused across calls), any element type (seed 25)', () => {
    const rng = new Rng(25);
    const out = new Float64Array(5 * 300).fill(NaN);
    for (let k = 0; k < 3; k++) {
      const { W, x, b } = randomCase(rng, 7, 5, 300);
      const y = mix(x, { data: W, rows: 5, cols: 7 }, b, { out });
      expect(y.data).toBe(out);
      expect([y.channels, y.length]).toEqual([5, 300]);
      expectClose(y.data, naiveMix(W, 5, 7, x.data, 300, b), { rtol: 1e-13, atol: 1e-12, label: `seed 25 call ${k}` });
    }
    const { W, x } = randomCase(rng, 2, 1, 50);
    const o32 = new Float32Array(50);
    const y32 = mix(x, { data: W, rows: 1, cols: 2 }, undefined, { out: o32 });
    expect(y32.dtype).toBe('float32');
    expectClose(y32.data, Float32Array.from(naiveMix(W, 1, 2, x.data, 50)), { rtol: 1.2e-7, atol: 1e-6, label: 'seed 25 float32 out' });
  });

  const bad: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['x not a Multichannel', () => mix([1, 2, 3] as never, [[1]]), ArgumentTypeError, /^mix: x must be a Multichannel; got an array of length 3/],
    ['W columns ≠ x.channels', () => mix(Multichannel.zeros(3, 4), [[1, 2]]), ShapeError, /^mix: W must have one column per input channel \(x.channels = 3\); got W of 1 × 2/],
    ['bias length ≠ Cout', () => mix(Multichannel.zeros(2, 4), [[1, 2]], [1, 2]), ShapeError, /^mix: bias length must equal the output channels \(1\); got 2/],
    ['NaN in W', () => mix(Multichannel.zeros(2, 4), [[1, NaN]]), ValueError, /^mix: W must hold only finite values; got NaN at \[0\]\[1\]/],
    ['Infinity in W', () => mix(Multichannel.zeros(2, 4), [[1, 2], [Infinity, 0]]), ValueError, /^mix: W must hold only finite values; got Infinity at \[1\]\[0\]/],
    ['NaN in bias', () => mix(Multichannel.zeros(2, 4), [[1, 2]], [NaN]), ValueError, /^mix: bias must hold only finite values; got NaN at index 0/],
    ['ragged W', () => mix(Multichannel.zeros(2, 4), [[1, 2], [3]]), ShapeError, /^mix: every row of W must have 2 entries \(row 0\); got row 1 of length 1/],
    ['empty W', () => mix(Multichannel.zeros(2, 4), []), ShapeError, /^mix: W must have at least one row/],
    ['W of wrong kind', () => mix(Multichannel.zeros(2, 4), 'abc' as never), ArgumentTypeError, /^mix: W must be an ml-matrix Matrix, nested arrays or \{data, rows, cols\}; got "abc"/],
    ['flat W of wrong size', () => mix(Multichannel.zeros(2, 4), { data: new Float64Array(3), rows: 1, cols: 2 }), ShapeError, /^mix: W.data must hold rows × cols = 1 × 2 = 2 numbers; got 3/],
    ['out of wrong kind', () => mix(Multichannel.zeros(2, 4), [[1, 2]], undefined, { out: [0, 0, 0, 0] as never }), ArgumentTypeError, /^mix: options.out must be a Float64Array or Float32Array; got an array of length 4/],
    ['out of wrong length', () => mix(Multichannel.zeros(2, 4), [[1, 2]], undefined, { out: new Float64Array(5) }), ShapeError, /^mix: options.out must hold Cout × T = 1 × 4 = 4 elements; got 5/],
    ['out overlapping x', () => { const x = Multichannel.zeros(2, 4); return mix(x, [[1, 2]], undefined, { out: (x.data as Float64Array).subarray(2, 6) }); }, ValueError, /^mix: options.out must not share memory with x/],
    ['bias of wrong kind', () => mix(Multichannel.zeros(2, 4), [[1, 2]], 'x' as never), ArgumentTypeError, /^mix: bias must be a number\[\], Float64Array or Float32Array/],
  ];
  it.each(bad)('bad input: %s', (_name, f, cls, re) => {
    expect(f).toThrow(cls);
    expect(f).toThrow(re);
  });
});

describe('mixComplex', () => {
  it('hand-worked: multiplying by i, and by (1 + i)', () => {
    const r = mixComplex(Multichannel.fromChannels([[1]]), Multichannel.fromChannels([[2]]), [[0]], [[1]]);
    expect([r.re.data[0], r.im.data[0]]).toEqual([-2, 1]);
    const s = mixComplex(Multichannel.fromChannels([[1, 0]]), Multichannel.fromChannels([[0, 1]]), [[1]], [[1]]);
    expect(Array.from(s.re.data)).toEqual([1, -1]);
    expect(Array.from(s.im.data)).toEqual([1, 1]);
  });

  it('equals a direct complex loop and the stacked real form (seed 31)', () => {
    const rng = new Rng(31);
    const cin = 5, cout = 3, T = 700;
    const xr = new Multichannel(rng.normals(cin * T), cin, T);
    const xi = new Multichannel(rng.normals(cin * T), cin, T);
    const wr = rng.normals(cout * cin);
    const wi = rng.normals(cout * cin);
    const { re, im } = mixComplex(xr, xi, { data: wr, rows: cout, cols: cin }, { data: wi, rows: cout, cols: cin });
    const er = new Float64Array(cout * T);
    const ei = new Float64Array(cout * T);
    for (let o = 0; o < cout; o++) for (let t = 0; t < T; t++) {
      let a = 0, b = 0;
      for (let i = 0; i < cin; i++) {
        const p = wr[o * cin + i], q = wi[o * cin + i], u = xr.data[i * T + t], v = xi.data[i * T + t];
        a += p * u - q * v;
        b += p * v + q * u;
      }
      er[o * T + t] = a;
      ei[o * T + t] = b;
    }
    expectClose(re.data, er, { rtol: 1e-12, atol: 1e-12, label: 'seed 31 re' });
    expectClose(im.data, ei, { rtol: 1e-12, atol: 1e-12, label: 'seed 31 im' });
    const stackedW = complexToRealWeights({ data: wr, rows: cout, cols: cin }, { data: wi, rows: cout, cols: cin });
    const stackedX = new Multichannel(Float64Array.of(...xr.data, ...xi.data), 2 * cin, T);
    const y = mix(stackedX, stackedW);
    expectClose(y.data.subarray(0, cout * T), er, { rtol: 1e-12, atol: 1e-12, label: 'stacked re' });
    expectClose(y.data.subarray(cout * T), ei, { rtol: 1e-12, atol: 1e-12, label: 'stacked im' });
  });

  it('bad input: mismatched planes and weights', () => {
    const a = Multichannel.zeros(2, 3);
    expect(() => mixComplex(a, Multichannel.zeros(2, 4), [[1, 1]], [[1, 1]])).toThrow(/^mixComplex: xIm must have the shape of xRe \[2, 3\]/);
    expect(() => mixComplex(a, a, [[1, 1]], [[1]])).toThrow(/^mixComplex: Wim must have the shape of Wre \(1 × 2\); got 1 × 1/);
    expect(() => mixComplex(a, a, [[1, 1, 1]], [[1, 1, 1]])).toThrow(ShapeError);
  });
});

describe('mixPerBin', () => {
  it('applies bin k\'s complex matrix to bin k of every frame, equal to mixComplex per bin (seed 33)', () => {
    const rng = new Rng(33);
    const C = 3, O = 2, F = 4, K = 5;
    const x = { re: rng.normals(C * F * K), im: rng.normals(C * F * K), channels: C, frames: F, bins: K };
    const wr = rng.normals(K * O * C);
    const wi = rng.normals(K * O * C);
    const y = mixPerBin(x, wr, wi, O);
    expect([y.channels, y.frames, y.bins]).toEqual([O, F, K]);
    for (let k = 0; k < K; k++) {
      // gather bin k as [C, F] planes and mix with W_k
      const xr = new Float64Array(C * F), xi = new Float64Array(C * F);
      for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) {
        xr[c * F + f] = x.re[(c * F + f) * K + k];
        xi[c * F + f] = x.im[(c * F + f) * K + k];
      }
      const Wk = { data: wr.slice(k * O * C, (k + 1) * O * C), rows: O, cols: C };
      const Wik = { data: wi.slice(k * O * C, (k + 1) * O * C), rows: O, cols: C };
      const r = mixComplex(new Multichannel(xr, C, F), new Multichannel(xi, C, F), Wk, Wik);
      for (let o = 0; o < O; o++) for (let f = 0; f < F; f++) {
        expect(y.re[(o * F + f) * K + k]).toBeCloseTo(r.re.data[o * F + f], 13);
        expect(y.im[(o * F + f) * K + k]).toBeCloseTo(r.im.data[o * F + f], 13);
      }
    }
  });

  it('bad input', () => {
    const x = { re: new Float64Array(6), im: new Float64Array(6), channels: 2, frames: 1, bins: 3 };
    expect(() => mixPerBin(x, new Float64Array(5), new Float64Array(6), 1)).toThrow(/^mixPerBin: Wre must hold bins × outChannels × channels = 3 × 1 × 2 = 6 values; got 5/);
    expect(() => mixPerBin({ ...x, re: new Float64Array(5) }, new Float64Array(6), new Float64Array(6), 1)).toThrow(ShapeError);
    expect(() => mixPerBin(x, new Float64Array(6).fill(NaN), new Float64Array(6), 1)).toThrow(ValueError);
  });
});
