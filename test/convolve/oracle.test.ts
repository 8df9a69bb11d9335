import { describe, expect, it } from 'vitest';
import { convolve, correlate } from '../../src/convolve/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { Rng, maxAbs, sumAbs } from '../helpers/index.js';

/** Direct O(N·M) full convolution oracle (plain loops, independent of src/). */
function oracle(x: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length + h.length - 1);
  for (let i = 0; i < x.length; i++) for (let k = 0; k < h.length; k++) out[i + k] += x[i] * h[k];
  return out;
}

function worstErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

const METHODS = ['direct', 'fft', 'overlap-add', 'auto'] as const;

describe('every length pair 1..64, every method, against the oracle (seed 31)', () => {
  it('full mode', () => {
    const rng = new Rng(31);
    for (let N = 1; N <= 64; N++) {
      for (let M = 1; M <= 64; M++) {
        const x = rng.normals(N), h = rng.normals(M);
        const want = oracle(x, h);
        const bound = 1e-12 * sumAbs(x) * maxAbs(h);
        for (const method of METHODS) {
          const y = convolve(x, h, { method });
          expect(y.length).toBe(N + M - 1);
          const e = worstErr(y.data, want);
          if (!(e <= bound)) throw new Error(`seed 31 N=${N} M=${M} ${method}: error ${e} > ${bound}`);
        }
      }
    }
  });
  it('same and valid modes slice the oracle as scipy (start floor((M−1)/2); min(N,M)−1)', () => {
    const rng = new Rng(32);
    for (let N = 1; N <= 40; N++) {
      for (let M = 1; M <= 40; M++) {
        const x = rng.normals(N), h = rng.normals(M);
        const full = oracle(x, h);
        const bound = 1e-12 * sumAbs(x) * maxAbs(h);
        const same = full.subarray((M - 1) >> 1, ((M - 1) >> 1) + N);
        const valid = full.subarray(Math.min(N, M) - 1, Math.max(N, M));
        for (const method of METHODS) {
          const s = convolve(x, h, { mode: 'same', method });
          const v = convolve(x, h, { mode: 'valid', method });
          if (!(worstErr(s.data, same) <= bound) || s.length !== N) throw new Error(`seed 32 N=${N} M=${M} same ${method}`);
          if (!(worstErr(v.data, valid) <= bound) || v.length !== Math.abs(N - M) + 1) throw new Error(`seed 32 N=${N} M=${M} valid ${method}`);
        }
      }
    }
  });
});

describe('2^k ± 1 up to 2^14, a sample of pairs (seed 33)', () => {
  it('every method agrees with the direct method within 1e-12·Σ|x|·max|h|', () => {
    const rng = new Rng(33);
    const sizes: number[] = [];
    for (let k = 1; k <= 14; k++) sizes.push((1 << k) - 1, 1 << k, (1 << k) + 1);
    for (let trial = 0; trial < 40; trial++) {
      const N = sizes[rng.int(0, sizes.length - 1)];
      const M = sizes[rng.int(0, Math.min(sizes.length - 1, 30))];
      const x = rng.normals(N), h = rng.normals(M);
      const ref = convolve(x, h, { method: 'direct' }).data;
      const bound = 1e-12 * sumAbs(x) * maxAbs(h);
      for (const method of ['fft', 'overlap-add', 'auto'] as const) {
        const e = worstErr(convolve(x, h, { method }).data, ref);
        if (!(e <= bound)) throw new Error(`seed 33 N=${N} M=${M} ${method}: ${e} > ${bound}`);
      }
    }
  });
});

describe('float32', () => {
  it('float32 in → float32 out, within 1e-5 relative of float64 (seed 34)', () => {
    const rng = new Rng(34);
    for (const [N, M] of [[100, 7], [5000, 300], [3000, 3000], [20, 200]]) {
      const x32 = Float32Array.from(rng.normals(N)), h32 = Float32Array.from(rng.normals(M));
      const want = oracle(x32, h32);
      const scale = maxAbs(want);
      for (const method of METHODS) {
        const y = convolve(x32, h32, { method });
        expect(y.dtype).toBe('float32');
        expect(worstErr(y.data, want) / scale, `N=${N} M=${M} ${method}`).toBeLessThanOrEqual(1e-5);
      }
      expect(convolve(x32, h32, { dtype: 'float64' }).dtype).toBe('float64');
      const mcx = new Multichannel(Float32Array.from(rng.normals(2 * N)), 2, N);
      expect(convolve(mcx, Array.from(h32), { mode: 'same' }).dtype).toBe('float32');
    }
  });
});

describe('properties (seeded)', () => {
  const rng = new Rng(35);
  const pick = (): [Float64Array, Float64Array] => [rng.normals(rng.int(1, 300)), rng.normals(rng.int(1, 300))];
  it('commutativity x⊛h = h⊛x (seed 35)', () => {
    for (let t = 0; t < 30; t++) {
      const [x, h] = pick();
      for (const method of METHODS) {
        const e = worstErr(convolve(x, h, { method }).data, convolve(h, x, { method }).data);
        expect(e).toBeLessThanOrEqual(1e-12 * sumAbs(x) * maxAbs(h));
      }
    }
  });
  it('linearity a·x1 + b·x2 (seed 35)', () => {
    for (let t = 0; t < 20; t++) {
      const N = rng.int(1, 500), M = rng.int(1, 200);
      const x1 = rng.normals(N), x2 = rng.normals(N), h = rng.normals(M);
      const a = rng.normal(), b = rng.normal();
      const mix = x1.map((v, i) => a * v + b * x2[i]);
      for (const method of METHODS) {
        const y1 = convolve(x1, h, { method }).data, y2 = convolve(x2, h, { method }).data;
        const lhs = convolve(mix, h, { method }).data;
        const rhs = y1.map((v, i) => a * v + b * y2[i]);
        expect(worstErr(lhs, rhs)).toBeLessThanOrEqual(1e-12 * sumAbs(mix) * maxAbs(h) * (1 + Math.abs(a) + Math.abs(b)));
      }
    }
  });
  it('delta identity and shift equivariance (seed 35)', () => {
    for (let t = 0; t < 20; t++) {
      const N = rng.int(1, 400), s = rng.int(0, 50);
      const x = rng.normals(N);
      const delta = new Float64Array(s + 1);
      delta[s] = 1;
      for (const method of METHODS) {
        const y = convolve(x, delta, { method }).data;
        for (let i = 0; i < s; i++) expect(Math.abs(y[i])).toBeLessThanOrEqual(1e-13 * sumAbs(x));
        for (let i = 0; i < N; i++) expect(Math.abs(y[i + s] - x[i])).toBeLessThanOrEqual(1e-13 * sumAbs(x));
        // shift equivariance: convolving a shifted x shifts the output
        const h = rng.normals(rng.int(1, 40));
        const xs = new Float64Array(N + s);
        xs.set(x, s);
        const a = convolve(x, h, { method }).data, b = convolve(xs, h, { method }).data;
        for (let i = 0; i < a.length; i++) expect(Math.abs(b[i + s] - a[i])).toBeLessThanOrEqual(1e-12 * sumAbs(x) * maxAbs(h));
      }
    }
  });
  it('correlate(x, h) = convolve(x, reverse(h)) and the autocorrelation peaks at lag 0 (seed 35)', () => {
    for (let t = 0; t < 10; t++) {
      const [x, h] = pick();
      const r = correlate(x, h).data, c = convolve(x, h.slice().reverse()).data;
      expect(worstErr(r, c)).toBeLessThanOrEqual(1e-12 * sumAbs(x) * maxAbs(h));
      const a = correlate(x, x).data;
      let best = 0;
      for (let i = 0; i < a.length; i++) if (a[i] > a[best]) best = i;
      expect(best).toBe(x.length - 1);
    }
  });
  it('multichannel: per-channel and broadcast kernels equal per-row 1-D convolutions (seed 36)', () => {
    const r = new Rng(36);
    const C = 5, N = 777, M = 65;
    const x = new Multichannel(r.normals(C * N), C, N, { sampleRate: 48000, labels: ['a', 'b', 'c', 'd', 'e'] });
    const hs = new Multichannel(r.normals(C * M), C, M);
    for (const method of METHODS) {
      const y = convolve(x, hs, { method, mode: 'same' });
      const yb = convolve(x, hs.channel(2), { method });
      expect(y.sampleRate).toBe(48000);
      expect(y.labels).toEqual(['a', 'b', 'c', 'd', 'e']);
      for (let c = 0; c < C; c++) {
        const one = convolve(x.channel(c), hs.channel(c), { method: 'direct', mode: 'same' }).data;
        expect(worstErr(y.channel(c), one)).toBeLessThanOrEqual(1e-12 * sumAbs(x.channel(c)) * maxAbs(hs.channel(c)));
        const b = convolve(x.channel(c), hs.channel(2), { method: 'direct' }).data;
        expect(worstErr(yb.channel(c), b)).toBeLessThanOrEqual(1e-12 * sumAbs(x.channel(c)) * maxAbs(hs.channel(2)));
      }
    }
  });
  it('inputs are not mutated', () => {
    const x = Float64Array.from([1, 2, 3]), h = Float32Array.from([1, -1]);
    convolve(x, h, { method: 'fft' });
    correlate(x, h, { method: 'overlap-add' });
    expect(Array.from(x)).toEqual([1, 2, 3]);
    expect(Array.from(h)).toEqual([1, -1]);
  });
  it('hand-worked: [1,2,3] ⊛ [1,2,3] = [1,4,10,12,9]', () => {
    for (const method of METHODS) {
      const y = convolve([1, 2, 3], [1, 2, 3], { method }).data;
      expect(worstErr(y, [1, 4, 10, 12, 9])).toBeLessThan(1e-13);
    }
  });
});

describe('huge dynamic range and denormals (seed 37)', () => {
  it('relative error stays within 1e-12·Σ|x|·max|h| across 1e-300..1e300 scales', () => {
    const rng = new Rng(37);
    for (const [sx, sh] of [[1e-300, 1], [1e-160, 1e-160], [1e150, 1e150], [1e-310, 1], [1, 5e-324]]) {
      const x = rng.normals(500).map((v) => v * sx), h = rng.normals(40).map((v) => v * sh);
      const want = oracle(x, h);
      const bound = 1e-12 * sumAbs(x) * maxAbs(h);
      for (const method of METHODS) {
        const y = convolve(x, h, { method }).data;
        for (const v of y) expect(Number.isFinite(v)).toBe(true);
        // with subnormal products the exact result is itself rounded to the subnormal grid
        expect(worstErr(y, want), `${sx} ${sh} ${method}`).toBeLessThanOrEqual(Math.max(bound, 1e3 * Number.MIN_VALUE));
      }
    }
  });
  it('a mixture of 1e12 and 1e-12 samples keeps the small part to the stated bound', () => {
    const rng = new Rng(38);
    const x = rng.normals(4096).map((v, i) => (i % 2 ? v * 1e12 : v * 1e-12));
    const h = rng.normals(128);
    const want = oracle(x, h);
    const bound = 1e-12 * sumAbs(x) * maxAbs(h);
    for (const method of METHODS) expect(worstErr(convolve(x, h, { method }).data, want)).toBeLessThanOrEqual(bound);
  });
});
