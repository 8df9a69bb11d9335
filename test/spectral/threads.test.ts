import { describe, expect, it } from 'vitest';
import { CovarianceAccumulator, SEGMENT_PIXELS, accumulateParallel, pca, pcaStream, syntheticCube } from '../../src/spectral/index.js';
import { addOnThreads } from '../../src/spectral/covariance.js';
import { Multichannel } from '../../src/core/index.js';
import { expectPointwiseError } from '../helpers/index.js';

/** The accumulator's whole state as bits, for identity checks. */
function state(a: CovarianceAccumulator): unknown {
  return { count: a.count, shift: Array.from(a.shift ?? []), sum: Array.from(a.sum), gram: Array.from(a.gram) };
}

/** A cube with NaN pixels, ignore-value pixels and a bad band's garbage (seed 17). */
function messyCube(dtype: 'float64' | 'float32', shared: boolean): Multichannel {
  const { cube } = syntheticCube({ shape: [97, 101], bands: 12, seed: 17, noise: 0.02 }); // 9797 pixels: 5 segments, the last short
  const N = cube.length;
  const d = shared ? (dtype === 'float32' ? new Float32Array(new SharedArrayBuffer(4 * 12 * N)) : new Float64Array(new SharedArrayBuffer(8 * 12 * N))) : dtype === 'float32' ? new Float32Array(12 * N) : new Float64Array(12 * N);
  d.set(cube.data);
  for (const p of [5, 2048, 4100, 9000]) d[3 * N + p] = NaN; // NaN in a used band: pixel dropped
  for (const p of [17, 6000, 9796]) d[7 * N + p] = -9999; // ignore value
  for (let p = 0; p < N; p += 7) d[10 * N + p] = p % 2 ? NaN : 1e6; // band 10 is bad: its NaNs must not drop pixels
  return new Multichannel(d, 12, N);
}

describe('covariance on worker threads', () => {
  const badBands = Array.from({ length: 12 }, (_, b) => (b === 10 ? 0 : 1));
  const opts = { ignoreValue: -9999, badBands };

  it('accumulateParallel is bit-identical to add for 2 and 3 threads, float64/float32, shared or not, NaN/ignoreValue/badBands, on repeated calls', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const shared of [false, true]) {
        const x = messyCube(dtype, shared);
        const ref = new CovarianceAccumulator(12, opts).add(x);
        expect(ref.count).toBe(x.length - 4 - 3);
        for (let call = 0; call < 3; call++) {
          for (const threads of [2, 3]) {
            const acc = new CovarianceAccumulator(12, opts);
            accumulateParallel(acc, x, threads);
            expect(state(acc), `${dtype} shared=${shared} threads=${threads} call ${call}`).toEqual(state(ref));
          }
        }
      }
    }
  });

  it('several chunks into one accumulator, and small rounds (many round trips), stay identical', () => {
    const x = messyCube('float64', false);
    const ref = new CovarianceAccumulator(12, opts);
    const par = new CovarianceAccumulator(12, opts);
    const rounds = new CovarianceAccumulator(12, opts);
    for (const [a, b] of [[0, 5000], [5000, 5001], [5001, 9797]]) {
      const chunk = x.slice(a, b);
      ref.add(chunk);
      accumulateParallel(par, chunk, 2);
      addOnThreads('test', 'threads = 1', rounds, chunk, 2, 1); // one segment per thread per round
    }
    expect(state(par)).toEqual(state(ref));
    expect(state(rounds)).toEqual(state(ref));
  });

  it('pca and pcaStream with threads: 2 give the same model as one thread, bit for bit', () => {
    const x = messyCube('float32', false);
    const a = pca(x, 3, opts);
    const b = pca(x, 3, { ...opts, threads: 2 });
    expect(Array.from(b.components)).toEqual(Array.from(a.components));
    expect(Array.from(b.explainedVariance)).toEqual(Array.from(a.explainedVariance));
    const chunks = () => [x.slice(0, 3 * SEGMENT_PIXELS), x.slice(3 * SEGMENT_PIXELS, x.length)];
    const s1 = pcaStream(chunks, 12, 3, opts);
    const s2 = pcaStream(chunks, 12, 3, { ...opts, threads: 2 });
    expect(Array.from(s2.components)).toEqual(Array.from(s1.components));
    expect(Array.from(s2.mean)).toEqual(Array.from(s1.mean));
  });

  it('one segment, or an all-NaN cube, runs on the calling thread as add does', () => {
    const small = messyCube('float64', false).slice(0, SEGMENT_PIXELS);
    const a = new CovarianceAccumulator(12, opts);
    accumulateParallel(a, small, 2);
    expect(state(a)).toEqual(state(new CovarianceAccumulator(12, opts).add(small)));
    const nan = new Multichannel(new Float64Array(12 * 3 * SEGMENT_PIXELS).fill(NaN), 12, 3 * SEGMENT_PIXELS);
    const b = new CovarianceAccumulator(12, opts);
    accumulateParallel(b, nan, 2);
    expect(b.count).toBe(0);
  });

  it('rejects bad arguments', () => {
    const x = messyCube('float64', false);
    expectPointwiseError(() => accumulateParallel(new CovarianceAccumulator(12), x, 0), RangeError, /^accumulateParallel: threads must be an integer in \[1, 64\]; got 0$/);
    expectPointwiseError(() => accumulateParallel(new CovarianceAccumulator(12), x, 1.5), RangeError, /^accumulateParallel: threads must be an integer; got 1\.5$/);
    expectPointwiseError(() => accumulateParallel(new CovarianceAccumulator(11), x, 2), RangeError, /^accumulateParallel: x must have 11 bands; got 12$/);
    expectPointwiseError(() => accumulateParallel(new CovarianceAccumulator(12), [1, 2] as unknown as Multichannel, 2), TypeError, /^accumulateParallel: x must be a Multichannel; got an array of length 2$/);
    expectPointwiseError(() => pca(x, 2, { threads: 0 }), RangeError, /^pca: threads must be an integer in \[1, 64\]; got 0$/);
    expectPointwiseError(() => pcaStream(() => [x], 12, 2, { threads: 65 }), RangeError, /^pcaStream: threads must be an integer in \[1, 64\]; got 65$/);
  });
});
