import { describe, expect, it } from 'vitest';
import * as os from 'node:os';
import { Multichannel } from '../../src/core/index.js';
import { mix } from '../../src/mixing/index.js';
import { gemmOnThreads, runGemmTask, splitsNewResult } from '../../src/linalg/gemm.js';
import { SHARED_ARRAY_MIN_BYTES } from '../../src/core/shared.js';
import { Rng } from '../helpers/index.js';

const twoCores = (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length) >= 2;

describe('mix: a new result of 32 MiB or more is computed on two threads into shared memory', () => {
  // 8 → 8 over 2^19 + 3 samples: 32 MiB + 192 bytes of float64 result (the threshold, just over).
  const T = (SHARED_ARRAY_MIN_BYTES >> 6) + 3;
  const rng = new Rng(11);
  const x = new Multichannel(rng.normals(8 * T), 8, T);
  const W = { data: rng.normals(64), rows: 8, cols: 8 };
  const b = Array.from(rng.normals(8));

  it('splitsNewResult draws the line at SHARED_ARRAY_MIN_BYTES', () => {
    expect(splitsNewResult('float64', 8, T)).toBe(twoCores);
    expect(splitsNewResult('float64', 8, (SHARED_ARRAY_MIN_BYTES >> 6) - 1)).toBe(false);
    expect(splitsNewResult('float32', 8, T)).toBe(false); // half the bytes
  });

  it.runIf(twoCores)('the split result is bit-identical to options.workers = 0, and lives on a SharedArrayBuffer', () => {
    const split = mix(x, W, b);
    const one = mix(x, W, b, { workers: 0 });
    expect(split.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(one.data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    let differ = -1;
    for (let j = 0; j < one.data.length && differ < 0; j++) if (!Object.is(one.data[j], split.data[j])) differ = j;
    expect(differ).toBe(-1);
  });

  it('a result below the threshold, or written into options.out, is an ordinary ArrayBuffer', () => {
    const short = x.slice(0, 4096);
    expect(mix(short, W, b).data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const out = new Float64Array(8 * T);
    expect(mix(x, W, b, { out }).data).toBe(out);
  });
});

describe('split products: pieces claimed by whichever thread gets there first', () => {
  it("a worker computes its share's pieces back to front and stops at the first one the calling thread took", () => {
    const rng = new Rng(4);
    const rows = 5, cols = 7, n = 1000;
    const W = rng.normals(rows * cols);
    const X = new Float64Array(new SharedArrayBuffer(8 * cols * n));
    X.set(rng.normals(cols * n));
    const expected = new Float64Array(rows * n);
    gemmOnThreads(W, rows, cols, X, n, expected, undefined, 0);
    const out = new Float64Array(new SharedArrayBuffer(8 * rows * n)).fill(NaN);
    const claims = new Int32Array(new SharedArrayBuffer(4 * 8));
    const cuts = [0, 250, 500, 750, 1000];
    Atomics.store(claims, 4 + 1, 1); // share 1, piece 1: taken by the calling thread
    runGemmTask({ W, rows, cols, bias: undefined, simd: false, n, X, ldx: n, xFrom: 0, out, ldo: n, outFrom: 0, claims, share: 1, cuts });
    expect(Array.from(claims.subarray(4))).toEqual([0, 1, 2, 2]);
    for (let o = 0; o < rows; o++) {
      for (let t = 0; t < n; t++) {
        if (t >= 500) expect(out[o * n + t]).toBe(expected[o * n + t]);
        else expect(out[o * n + t]).toBeNaN();
      }
    }
  });
});

