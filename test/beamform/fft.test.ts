import { describe, it } from 'vitest';
import { RealFft } from '../../src/fft/index.js';
import { Rfft } from '../../src/beamform/_fft.js';
import { Rng, expectClose } from '../helpers/index.js';

describe('private power-of-two Rfft (cross-check of src/fft RealFft)', () => {
  for (const n of [2, 8, 64, 4096]) {
    it(`forward and inverse agree with RealFft and a direct DFT, n = ${n} (seed 71)`, () => {
      const x = new Rng(71).normals(n);
      const a = new Rfft(n);
      const b = new RealFft(n);
      const ar = new Float64Array(a.bins);
      const ai = new Float64Array(a.bins);
      const br = new Float64Array(b.bins);
      const bi = new Float64Array(b.bins);
      a.forward(x, ar, ai);
      b.forward(x, br, bi);
      expectClose(ar, br, { atol: 1e-9, label: `re n=${n}` });
      expectClose(ai, bi, { atol: 1e-9, label: `im n=${n}` });
      if (n <= 64) {
        const dr = new Float64Array(a.bins);
        for (let k = 0; k < a.bins; k++) for (let t = 0; t < n; t++) dr[k] += x[t] * Math.cos((2 * Math.PI * k * t) / n);
        expectClose(ar, dr, { atol: 1e-12, label: `dft n=${n}` });
      }
      const y = new Float64Array(n);
      a.inverse(ar, ai, y);
      expectClose(y, x, { atol: 1e-12, label: `round trip n=${n}` });
    });
  }
});
