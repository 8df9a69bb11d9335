import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Multichannel, NumericalError } from '../../src/core/index.js';
import { mix } from '../../src/mixing/index.js';
import { fitLeastSquares } from '../../src/train/index.js';
import { Rng, expectClose, sharedData, expectPointwiseError } from '../helpers/index.js';

/** Minimal reader for the little-endian float64, C-order .npy files beside the cube (test-only). */
function readF64Npy(p: string): Float64Array {
  const b = fs.readFileSync(p);
  const hl = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + hl).toString('latin1');
  expect(header).toContain("'descr': '<f8'");
  expect(header).toContain("'fortran_order': False");
  const off = 10 + hl;
  return new Float64Array(b.buffer.slice(b.byteOffset + off, b.byteOffset + b.length));
}

const img = sharedData('hyperspectral/samson_bsq_f32.img');
const abund = sharedData('hyperspectral/samson_bsq_f32.abundances.npy');

describe('real data: the Samson hyperspectral cube (156 bands × 95 × 95 pixels, ENVI BSQ float32)', () => {
  // BSQ float32 little endian is exactly the channel-major Multichannel layout [bands, pixels].
  const load = () => {
    const raw = fs.readFileSync(img!);
    const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    return new Multichannel(data, 156, 95 * 95, { shape: [95, 95] });
  };

  it.skipIf(!img)('a float32 projection of every pixel (156 → 3) equals the naive loop and keeps the image shape (seed 131)', () => {
    const cube = load();
    const W = new Rng(131).normals(3 * 156);
    const y = mix(cube, { data: W, rows: 3, cols: 156 });
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([95, 95]);
    const T = cube.length;
    const ref = new Float64Array(3 * T);
    for (let o = 0; o < 3; o++) for (let t = 0; t < T; t++) {
      let s = 0;
      for (let i = 0; i < 156; i++) s += W[o * 156 + i] * cube.data[i * T + t];
      ref[o * T + t] = s;
    }
    expectClose(y.data, Float32Array.from(ref), { rtol: 2.4e-7, atol: 1e-6, label: 'Samson 156→3 float32' });
  });

  it.skipIf(!img || !abund)('linear unmixing by least squares (bands → abundances): conditioning reported, guard and ridge behave', () => {
    const cube = load().astype('float64');
    const a = new Multichannel(readF64Npy(abund!), 3, 95 * 95);
    const fit = fitLeastSquares(cube, a);
    // 156 strongly correlated bands: far from orthogonal, yet under the default 1e12 guard
    expect(fit.conditionNumber).toBeGreaterThan(1e5);
    expect(fit.conditionNumber).toBeLessThan(1e12);
    // the fitted linear unmixing explains most of the abundance variance
    let v = 0;
    for (let c = 0; c < 3; c++) {
      let m = 0;
      for (let t = 0; t < a.length; t++) m += a.data[c * a.length + t];
      m /= a.length;
      for (let t = 0; t < a.length; t++) v += (a.data[c * a.length + t] - m) ** 2;
    }
    v /= a.data.length;
    expect(fit.residual / v).toBeLessThan(0.2);
    // a stricter guard turns the same problem into a NumericalError that names the condition number
    expectPointwiseError(() => fitLeastSquares(cube, a, { maxConditionNumber: 1e4 }), NumericalError, /try \{ ridge: .*got condition number \d\.\d+e\+\d+/);
    const ridged = fitLeastSquares(cube, a, { ridge: 1e-3 });
    expect(ridged.conditionNumber).toBeLessThan(fit.conditionNumber);
    expect(ridged.residual).toBeGreaterThanOrEqual(fit.residual);
  });
});
