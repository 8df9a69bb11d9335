import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/index.js';
import { sharedCopy } from '../../src/core/shared.js';
import { encodeModule, functionText } from '../../src/core/wasm.js';
import { pca, syntheticCube } from '../../src/spectral/index.js';
import { largestScores, type SignProjection } from '../../src/spectral/signs.js';
import { signKernelFunctions, wasmSigns } from '../../src/spectral/signs-wasm.js';
import { Rng } from '../helpers/index.js';

/**
 * The definition the sign pass must meet: for each component, the float64 score (bias, then the
 * products in band order, as transform computes it) of the first valid pixel with the largest |score|.
 */
function reference(proj: SignProjection, chunks: Multichannel[]): Float64Array {
  const { k, Wu, bias, usedBands: U } = proj;
  const nu = U.length;
  const best = new Float64Array(k).fill(-1);
  const bestScore = new Float64Array(k);
  for (const x of chunks) {
    const N = x.length;
    for (let p = 0; p < N; p++) {
      let valid = true;
      for (let j = 0; j < nu; j++) {
        const v = x.data[U[j] * N + p];
        if (!Number.isFinite(v) || v === proj.ignoreValue) valid = false;
      }
      if (!valid) continue;
      for (let c = 0; c < k; c++) {
        let v = bias[c];
        for (let j = 0; j < nu; j++) v += Wu[c * nu + j] * x.data[U[j] * N + p];
        if (Math.abs(v) > best[c]) {
          best[c] = Math.abs(v);
          bestScore[c] = v;
        }
      }
    }
  }
  return bestScore;
}

/** The projection of a PCA fitted to `x` (max-loading signs), with the scale `scale`. */
function projectionOf(x: Multichannel, k: number, scale: number, options: { ignoreValue?: number; badBands?: number[] } = {}): SignProjection {
  const m = pca(x, k, { signs: 'max-loading', threads: 1, ...options });
  const { Wu, bias } = m.projection();
  const mean = Float64Array.from(m.usedBands, (b) => m.mean[b]);
  return { k, bands: x.channels, usedBands: m.usedBands, Wu, bias, mean, scale, ignoreValue: options.ignoreValue };
}

/**
 * A cube whose winners have near-ties: for each component, copies of its winning pixel (exact
 * duplicates, later and earlier), its reflection through the mean (the same |score| up to rounding,
 * opposite sign), and copies with one band moved by one ulp either way — all within the float32
 * prefilter's error of the winner, so only the float64 scores can decide. Plus invalid pixels with
 * huge values (NaN, Infinity, the ignore value) that would win were they scored.
 */
function adversarial(B: number, N: number, k: number, seed: number): { x: Multichannel; proj: SignProjection } {
  const rng = new Rng(seed);
  const d = new Float64Array(B * N);
  for (let b = 0; b < B; b++) for (let p = 0; p < N; p++) d[b * N + p] = 10 + b + rng.normal() * (1 + (b % 3));
  const base = new Multichannel(d, B, N);
  const proj = projectionOf(base, k, 1 / 8);
  const { Wu, bias } = proj;
  const score = (p: number, c: number) => {
    let v = bias[c];
    for (let j = 0; j < B; j++) v += Wu[c * B + j] * d[j * N + p];
    return v;
  };
  let slot = 0;
  const put = (src: number, f: (b: number, v: number) => number) => {
    // overwrite pixel slot·(N / 64) + 1 (spread over the cube, before and after the winners)
    const p = (slot++ * Math.floor(N / 64) + 1) % N;
    if (p === src) return;
    for (let b = 0; b < B; b++) d[b * N + p] = f(b, d[b * N + src]);
  };
  const ulp = (v: number, dir: number) => {
    const a = new Float64Array([v]);
    const i = new BigInt64Array(a.buffer);
    i[0] += BigInt(v >= 0 ? dir : -dir);
    return a[0];
  };
  for (let c = 0; c < k; c++) {
    let w = 0;
    for (let p = 1; p < N; p++) if (Math.abs(score(p, c)) > Math.abs(score(w, c))) w = p;
    put(w, (_, v) => v);
    put(w, (b, v) => 2 * proj.mean[b] - v);
    for (const dir of [1, -1]) for (const band of [0, B - 1]) put(w, (b, v) => (b === band ? ulp(v, dir) : v));
  }
  const huge = [NaN, Infinity, -1e6];
  for (let i = 0; i < huge.length; i++) {
    const p = (17 + i * 997) % N;
    for (let b = 0; b < B; b++) d[b * N + p] = 1e5 * (b % 2 ? 1 : -1);
    d[(i % B) * N + p] = huge[i];
  }
  return { x: base, proj: { ...proj, ignoreValue: -1e6 } };
}

describe("the sign pass (scikit-learn's svd_flip signs): float32 prefilter and two threads against the float64 definition", () => {
  it('the float32 SIMD kernel loads here', () => {
    expect(wasmSigns()).not.toBeNull();
    expect(wasmSigns.status().state).toBe('loaded');
  });

  for (const [B, N, k, seed] of [[16, 3000, 5, 1], [7, 1500, 7, 2], [40, 5000, 3, 3]] as const) {
    it(`near-ties, reflected and duplicated winners, invalid pixels: ${B} bands × ${N} pixels, k = ${k}: equals the definition bit for bit`, () => {
      const { x, proj } = adversarial(B, N, k, seed);
      const want = reference(proj, [x]);
      for (const threads of [1, 2]) expect(Array.from(largestScores(proj, [x], threads)), `threads ${threads}`).toEqual(Array.from(want));
      // float32 data and bad bands take the same path
      const x32 = new Multichannel(Float32Array.from(x.data), B, N);
      expect(Array.from(largestScores(proj, [x32], 1))).toEqual(Array.from(reference(proj, [x32])));
      const badBands = Array.from({ length: B }, (_, b) => (b === 1 ? 0 : 1));
      const pb = { ...projectionOf(x, Math.min(k, B - 1), 1 / 8, { badBands, ignoreValue: -1e6 }), ignoreValue: -1e6 };
      expect(Array.from(largestScores(pb, [x], 1))).toEqual(Array.from(reference(pb, [x])));
    });
  }

  it('whatever the scale: values beyond float32 (an exact winner whose float32 score is Infinity or NaN) and values that underflow float32', () => {
    const { cube } = syntheticCube({ shape: [1, 2000], bands: 12, endmembers: 3, seed: 5, noise: 0.05 });
    const proj = projectionOf(cube, 4, 1);
    const big = Float64Array.from(cube.data);
    for (let b = 0; b < 12; b++) big[b * 2000 + 1234] = proj.mean[b] + (b % 2 ? 1e200 : -3e199); // finite in float64, not in float32
    const xb = new Multichannel(big, 12, 2000);
    for (const scale of [1, 2 ** -600, 2 ** 600]) expect(Array.from(largestScores({ ...proj, scale }, [xb], 1))).toEqual(Array.from(reference(proj, [xb])));
    const tiny = new Multichannel(cube.data.map((v) => v * 1e-300), 12, 2000);
    const pt = projectionOf(tiny, 4, 1);
    for (const scale of [1, 2 ** 990]) expect(Array.from(largestScores({ ...pt, scale }, [tiny], 1))).toEqual(Array.from(reference(pt, [tiny])));
  });

  it('two threads in several rounds (and a last round on this thread), shared or not, chunked: equal to one thread and to the definition', () => {
    const { x, proj } = adversarial(9, 40000, 4, 7);
    // winners in every part: pixels pushed away from the mean, late in the cube (the last round,
    // on this thread) and in the workers' and this thread's parts of the rounds before
    const d = x.data as Float64Array;
    for (const [c, p, gain] of [[0, 39990, 3], [1, 30000, 2.5], [2, 20000, 2], [3, 9000, 1.5]] as const) {
      const pp = Math.floor(c * 997) + 5;
      for (let j = 0; j < 9; j++) d[j * 40000 + p] = proj.mean[j] + gain * (d[j * 40000 + pp] - proj.mean[j]) * (1 + c);
    }
    const want = Array.from(reference(proj, [x]));
    const roundBytes = 9 * 8 * 8192; // rounds of 16 384 pixels: two split, then 7 232 on this thread
    expect(Array.from(largestScores(proj, [x], 2, roundBytes))).toEqual(want);
    expect(Array.from(largestScores(proj, [x], 1))).toEqual(want);
    expect(Array.from(largestScores(proj, [new Multichannel(sharedCopy(x.data as Float64Array), 9, 40000)], 2, roundBytes))).toEqual(want);
    // the same pixels in three chunks
    const parts = [[0, 17000], [17000, 17100], [17100, 40000]].map(([a, b]) => {
      const d = new Float64Array(9 * (b - a));
      for (let j = 0; j < 9; j++) d.set(x.data.subarray(j * 40000 + a, j * 40000 + b), j * (b - a));
      return new Multichannel(d, 9, b - a);
    });
    expect(Array.from(largestScores(proj, parts, 2))).toEqual(want);
  });

  it("with the covariance pass's shared copy of the worker's pixels: equal to the definition (the worker scores the copy, not the cube)", () => {
    const { x, proj } = adversarial(9, 30000, 4, 9);
    const p0 = 12288;
    const n = 30000 - p0;
    const data = new Float64Array(new SharedArrayBuffer(8 * 9 * n));
    for (let j = 0; j < 9; j++) data.set(x.data.subarray(j * 30000 + p0, (j + 1) * 30000), j * n);
    const want = Array.from(reference(proj, [x]));
    expect(Array.from(largestScores(proj, [x], 2, undefined, { chunk: x, data, p0, p1: 30000 }))).toEqual(want);
    // the copy is what the worker reads: a copy of other pixels changes the result
    const other = new Float64Array(new SharedArrayBuffer(8 * 9 * n)).fill(1e3);
    expect(Array.from(largestScores(proj, [x], 2, undefined, { chunk: x, data: other, p0, p1: 30000 }))).not.toEqual(want);
  });

  it('pca: the default (two threads, prefilter) gives the model of threads: 1, bit for bit, on a cube of 3 × 2^14 pixels', () => {
    const { cube } = syntheticCube({ shape: [96, 512], bands: 20, endmembers: 5, seed: 8, noise: 0.01 });
    const a = pca(cube, 6);
    const b = pca(cube, 6, { threads: 1 });
    expect(Array.from(a.components)).toEqual(Array.from(b.components));
    expect(Array.from(a.explainedVariance)).toEqual(Array.from(b.explainedVariance));
  });

  it('kernel text (snapshot) and a valid module', async () => {
    const fns = signKernelFunctions();
    for (const f of fns) await expect(functionText(f)).toMatchFileSnapshot(`__snapshots__/wasm/signs-${f.name}.wat`);
    const WA = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(WA.validate(encodeModule(fns, 1))).toBe(true);
  });
});
