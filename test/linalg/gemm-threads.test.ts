import { describe, expect, it } from 'vitest';
import * as os from 'node:os';
import { Multichannel, ValueError, ArgumentTypeError } from '../../src/core/index.js';
import { SHARED_ARRAY_MIN_BYTES } from '../../src/core/shared.js';
import { mix } from '../../src/mixing/index.js';
import { PARALLEL_MIN_SAMPLES, defaultWorkers, gemm, gemmOnThreads, gemmScalar, gemmWorkerCount } from '../../src/linalg/gemm.js';
import { wasmGemm } from '../../src/linalg/gemm-wasm.js';
import { Rng } from '../helpers/index.js';

/** Index of the first element where a and b differ (bitwise, NaN-aware), or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) return j;
  return -1;
}

function inputs(rng: Rng, cin: number, cout: number, T: number) {
  return { W: rng.normals(cout * cin), X: rng.normals(cin * T), b: rng.normals(cout) };
}

describe('gemm on threads: the samples split over a worker, bit-identical to one thread', () => {
  // Shapes cover every tile height (rows mod 4), odd lengths whose split falls mid-tile, and the
  // input-group path (one row group, many inputs).
  const shapes: [cin: number, cout: number, T: number][] = [
    [64, 64, 2 * PARALLEL_MIN_SAMPLES + 13],
    [7, 11, 3 * PARALLEL_MIN_SAMPLES + 1],
    [200, 3, 2 * PARALLEL_MIN_SAMPLES + 5],
    [1, 1, 2 * PARALLEL_MIN_SAMPLES + 7],
  ];
  for (const [cin, cout, T] of shapes) {
    it(`${cin}→${cout} × ${T}, float64, with bias (seed 5)`, () => {
      const { W, X, b } = inputs(new Rng(5), cin, cout, T);
      const one = new Float64Array(cout * T);
      const two = new Float64Array(cout * T);
      gemmOnThreads(W, cout, cin, X, T, one, b, 0);
      gemmOnThreads(W, cout, cin, X, T, two, b, 1);
      expect(gemmWorkerCount()).toBeGreaterThanOrEqual(1);
      expect(firstDifference(one, two)).toBe(-1);
    });
  }

  it('float32 in and out, and float64 in with float32 out (seed 6)', () => {
    const [cin, cout, T] = [9, 6, 2 * PARALLEL_MIN_SAMPLES + 3];
    const { W, X, b } = inputs(new Rng(6), cin, cout, T);
    const X32 = Float32Array.from(X);
    for (const x of [X32, X]) {
      const one = new Float32Array(cout * T);
      const two = new Float32Array(cout * T);
      gemmOnThreads(W, cout, cin, x, T, one, b, 0);
      gemmOnThreads(W, cout, cin, x, T, two, b, 1);
      expect(firstDifference(one, two)).toBe(-1);
    }
  });

  it('reads inputs and writes results on shared memory in place (seed 7)', () => {
    const [cin, cout, T] = [12, 5, 2 * PARALLEL_MIN_SAMPLES + 9];
    const { W, X, b } = inputs(new Rng(7), cin, cout, T);
    const xs = new Float64Array(new SharedArrayBuffer(8 * X.length));
    xs.set(X);
    const one = new Float64Array(cout * T);
    gemmOnThreads(W, cout, cin, X, T, one, b, 0);
    const shared = new Float64Array(new SharedArrayBuffer(8 * cout * T));
    gemmOnThreads(W, cout, cin, xs, T, shared, b, 1);
    expect(firstDifference(one, shared)).toBe(-1);
    const plainOut = new Float64Array(cout * T);
    gemmOnThreads(W, cout, cin, xs, T, plainOut, b, 1);
    expect(firstDifference(one, plainOut)).toBe(-1);
  });

  it('equals the plain-JavaScript kernel to rounding (the split changes nothing but the thread)', () => {
    const [cin, cout, T] = [16, 16, 2 * PARALLEL_MIN_SAMPLES + 1];
    const { W, X, b } = inputs(new Rng(8), cin, cout, T);
    const js = new Float64Array(cout * T);
    gemmScalar(W, cout, cin, X, T, js, b);
    const two = new Float64Array(cout * T);
    gemmOnThreads(W, cout, cin, X, T, two, b, 1);
    let worst = 0;
    for (let j = 0; j < js.length; j++) worst = Math.max(worst, Math.abs(js[j] - two[j]));
    expect(worst).toBeLessThan(1e-12);
  });

  it('mix: options.workers 0, 1 and false give the same bits, into a new array or options.out (seed 9)', () => {
    const [cin, cout, T] = [33, 34, 2 * PARALLEL_MIN_SAMPLES + 11];
    const { W, X, b } = inputs(new Rng(9), cin, cout, T);
    const x = new Multichannel(X, cin, T);
    const Wd = { data: W, rows: cout, cols: cin };
    const ref = mix(x, Wd, b, { workers: 0 }).data;
    expect(firstDifference(ref, mix(x, Wd, b, { workers: 1 }).data)).toBe(-1);
    expect(firstDifference(ref, mix(x, Wd, b, { workers: false }).data)).toBe(-1);
    const out = new Float64Array(cout * T);
    mix(x, Wd, b, { out, workers: 1 });
    expect(firstDifference(ref, out)).toBe(-1);
    const ref32 = mix(x.astype('float32'), Wd, b, { workers: 0 }).data;
    expect(firstDifference(ref32, mix(x.astype('float32'), Wd, b, { workers: 1 }).data)).toBe(-1);
  });

  it('short products never split, whatever options.workers says', () => {
    const before = gemmWorkerCount();
    const { W, X } = inputs(new Rng(10), 4, 4, PARALLEL_MIN_SAMPLES + 100);
    const out = new Float64Array(4 * (PARALLEL_MIN_SAMPLES + 100));
    // fewer than PARALLEL_MIN_SAMPLES per thread: the calling thread does it all
    gemmOnThreads(W, 4, 4, X, PARALLEL_MIN_SAMPLES + 100, out, undefined, 3);
    mix(Multichannel.fromChannels([[1, 2, 3]]), [[2]], undefined, { workers: 4 });
    expect(gemmWorkerCount()).toBe(before);
  });

  it('default: one worker only for large compute-bound products on a multi-core machine', () => {
    const multi = (os.availableParallelism?.() ?? os.cpus().length) >= 2;
    expect(defaultWorkers(64, 64, 100_000)).toBe(multi ? 1 : 0);
    expect(defaultWorkers(8, 8, 1_000_000)).toBe(0); // memory-bound
    expect(defaultWorkers(8, 1, 1_000_000)).toBe(0);
    expect(defaultWorkers(64, 64, 1000)).toBe(0); // small
  });

  it('default: one worker for a memory-bound product whose X of 32 MiB or more lies on shared memory', () => {
    const multi = (os.availableParallelism?.() ?? os.cpus().length) >= 2;
    const T = SHARED_ARRAY_MIN_BYTES / 64; // 8 float64 rows: exactly 32 MiB
    const shared = new Float64Array(new SharedArrayBuffer(8 * 8 * T));
    expect(defaultWorkers(1, 8, T, shared)).toBe(multi ? 1 : 0);
    expect(defaultWorkers(8, 8, T, shared)).toBe(multi ? 1 : 0);
    expect(defaultWorkers(1, 8, T - 1, shared)).toBe(0); // reads less than 32 MiB of it
    expect(defaultWorkers(1, 8, T, new Float64Array(8))).toBe(0); // an ordinary array (its length does not matter here)
    expect(defaultWorkers(1, 8, T / 2, new Float32Array(new SharedArrayBuffer(4 * 8 * T)))).toBe(0); // 16 MiB of float32
  });

  it.runIf((os.availableParallelism?.() ?? os.cpus().length) >= 2)('mix 8→1 of a library-allocated 32 MiB x (shared) runs on two threads, bit-identical to one', () => {
    const T = SHARED_ARRAY_MIN_BYTES / 64 + 1001;
    const x = Multichannel.zeros(8, T);
    expect(x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    const rng = new Rng(31);
    for (let i = 0; i < x.data.length; i += 7) x.data[i] = rng.normal();
    const W = [Array.from({ length: 8 }, () => rng.normal())];
    const one = mix(x, W, [0.25], { workers: 0 });
    const before = gemmWorkerCount();
    const two = mix(x, W, [0.25]);
    expect(gemmWorkerCount()).toBeGreaterThanOrEqual(Math.max(1, before));
    expect(two.data.buffer).not.toBeInstanceOf(SharedArrayBuffer); // an 8 MB result: ordinary memory
    let diff = -1;
    for (let t = 0; t < T && diff < 0; t++) if (!Object.is(one.data[t], two.data[t])) diff = t;
    expect(diff).toBe(-1);
  });

  it('mix rejects a bad options.workers, naming it', () => {
    const x = Multichannel.fromChannels([[1, 2, 3]]);
    expect(() => mix(x, [[1]], undefined, { workers: -1 })).toThrow(ValueError);
    expect(() => mix(x, [[1]], undefined, { workers: 1.5 })).toThrow(/mix: options\.workers must be an integer/);
    expect(() => mix(x, [[1]], undefined, { workers: '2' as unknown as number })).toThrow(ArgumentTypeError);
  });
});

describe('gemm reads memory-bound float64 products in place (JavaScript kernel), bit-identical to the WebAssembly one', () => {
  // 8 inputs, outputs in 4-row and 1-row tiles: both kernels sum ((b + w0 x0) + w1 x1) + …
  for (const cout of [1, 4, 5, 8]) {
    it(`8→${cout} × 5003, with and without bias, threaded and not (seed 12)`, () => {
      const rng = new Rng(12);
      const T = 5003;
      const { W, X, b } = inputs(rng, 8, cout, T);
      const simd = wasmGemm();
      if (simd === null) return; // nothing to compare against (the JavaScript kernel runs everywhere then)
      for (const bias of [b, undefined]) {
        const viaWasm = new Float64Array(cout * T);
        expect(simd.run(W, cout, 8, X, T, viaWasm, bias)).toBe(true);
        const viaGemm = new Float64Array(cout * T);
        gemm(W, cout, 8, X, T, viaGemm, bias);
        expect(firstDifference(viaWasm, viaGemm)).toBe(-1);
        const x = new Multichannel(X, 8, T);
        expect(firstDifference(viaWasm, mix(x, { data: W, rows: cout, cols: 8 }, bias, { workers: 0 }).data)).toBe(-1);
      }
    });
  }
});
