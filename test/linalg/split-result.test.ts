import { describe, expect, it } from 'vitest';
import * as os from 'node:os';
import { Multichannel } from '../../src/core/index.js';
import { mix } from '../../src/mixing/index.js';
import { SPLIT_RESULT_MIN_BYTES, splitsNewResult } from '../../src/linalg/gemm.js';
import { Rng } from '../helpers/index.js';

const twoCores = (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length) >= 2;

describe('mix: a new result of 32 MiB or more is computed on two threads into shared memory', () => {
  // 8 → 8 over 2^19 + 3 samples: 32 MiB + 192 bytes of float64 result (the threshold, just over).
  const T = (SPLIT_RESULT_MIN_BYTES >> 6) + 3;
  const rng = new Rng(11);
  const x = new Multichannel(rng.normals(8 * T), 8, T);
  const W = { data: rng.normals(64), rows: 8, cols: 8 };
  const b = Array.from(rng.normals(8));

  it('splitsNewResult draws the line at SPLIT_RESULT_MIN_BYTES', () => {
    expect(splitsNewResult('float64', 8, T)).toBe(twoCores);
    expect(splitsNewResult('float64', 8, (SPLIT_RESULT_MIN_BYTES >> 6) - 1)).toBe(false);
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
