import { describe, expect, it } from 'vitest';
import { pca, syntheticCube } from '../../src/spectral/index.js';
import { Multichannel } from '../../src/core/index.js';

describe("pca signs 'sklearn': the blocked sign pass against transform's scores", () => {
  // Invalid pixels carry huge values that would win the largest-|score| search were they scored;
  // pixel counts cover one short block, block edges and a merged last block.
  for (const N of [100, 1024, 2047, 2048, 3000, 5121]) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${N} pixels, ${dtype}: on each component the first valid pixel with the largest |score| scores positive, and the model equals max-loading's up to those signs`, () => {
        const { cube } = syntheticCube({ shape: [1, N], bands: 9, endmembers: 4, seed: N, noise: 0.02 });
        const d = dtype === 'float32' ? Float32Array.from(cube.data) : Float64Array.from(cube.data);
        const bad = [3, Math.floor(N / 2), N - 1];
        d[2 * N + bad[0]] = NaN;
        d[4 * N + bad[1]] = -1e6; // the ignore value
        d[6 * N + bad[2]] = Infinity;
        for (const p of bad) for (let b = 0; b < 9; b++) if (Number.isFinite(d[b * N + p]) && d[b * N + p] !== -1e6) d[b * N + p] = 1e5 * (b % 2 ? 1 : -1);
        const x = new Multichannel(d, 9, N);
        const m = pca(x, 5, { ignoreValue: -1e6 });
        const y = m.transform(x);
        for (let c = 0; c < 5; c++) {
          let bi = -1;
          for (let p = 0; p < N; p++) if (Number.isFinite(y.data[c * N + p]) && (bi < 0 || Math.abs(y.data[c * N + p]) > Math.abs(y.data[c * N + bi]))) bi = p;
          expect(bad).not.toContain(bi);
          expect(y.data[c * N + bi], `component ${c}`).toBeGreaterThan(0);
        }
        const ml = pca(x, 5, { ignoreValue: -1e6, signs: 'max-loading' });
        for (let c = 0; c < 5; c++) {
          const s = Math.sign(m.components[c * 9] * ml.components[c * 9]);
          for (let b = 0; b < 9; b++) expect(m.components[c * 9 + b]).toBe(s * ml.components[c * 9 + b] + 0);
        }
      });
    }
  }
});
