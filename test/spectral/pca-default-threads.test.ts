import { describe, expect, it } from 'vitest';
import { pca, syntheticCube } from '../../src/spectral/index.js';
import { PCA_DEFAULT_THREADS } from '../../src/spectral/pca.js';
import { Multichannel } from '../../src/core/index.js';
import { availableParallelism } from 'node:os';

describe('pca: the covariance runs on two threads by default', () => {
  it('the default is 2 threads where there are two cores (1 on one core)', () => {
    expect(PCA_DEFAULT_THREADS).toBe(availableParallelism() >= 2 ? 2 : 1);
  });

  it('the default model equals the one-thread model bit for bit (multi-segment cube with NaN and ignore-value pixels, float32)', () => {
    const { cube } = syntheticCube({ shape: [90, 100], bands: 16, seed: 4, noise: 0.02 }); // 9000 pixels: 5 segments
    const N = cube.length;
    const d = Float32Array.from(cube.data);
    for (const p of [3, 2047, 2048, 7000]) d[5 * N + p] = NaN;
    for (const p of [100, 8999]) d[0 * N + p] = -1;
    const x = new Multichannel(d, 16, N);
    const one = pca(x, 4, { threads: 1, ignoreValue: -1 });
    const dflt = pca(x, 4, { ignoreValue: -1 });
    expect(dflt.nSamples).toBe(N - 6);
    for (const key of ['components', 'explainedVariance', 'explainedVarianceRatio', 'mean', 'singularValues'] as const) {
      expect(Array.from(dflt[key]), key).toEqual(Array.from(one[key]));
    }
    expect(dflt.noiseVariance).toBe(one.noiseVariance);
  });
});
