import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/core/errors.js';
import { ArrayGeometry, direction } from '../../src/beamform/geometry.js';
import { simulatePlaneWave } from '../../src/beamform/simulate.js';
import { Rng } from '../helpers/index.js';

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('simulation noise', () => {
  const g = ArrayGeometry.fromPositions([[0, 0, 0], [0.005, 0, 0], [0.5, 0, 0]]);
  const fs = 16000;
  it('sensor noise hits the requested SNR (±0.3 dB) and is reproducible by seed', () => {
    const s = new Rng(61).normals(32768);
    const clean = simulatePlaneWave(s, g, direction(20), { sampleRate: fs });
    const noisy = simulatePlaneWave(s, g, direction(20), { sampleRate: fs, snrDb: 10, seed: 4 });
    let ps = 0;
    let pn = 0;
    for (let i = 0; i < clean.data.length; i++) {
      ps += clean.data[i] ** 2;
      pn += (noisy.data[i] - clean.data[i]) ** 2;
    }
    expect(Math.abs(10 * Math.log10(ps / pn) - 10)).toBeLessThan(0.3);
    expect(Array.from(simulatePlaneWave(s, g, direction(20), { sampleRate: fs, snrDb: 10, seed: 4 }).data)).toEqual(Array.from(noisy.data));
  });
  for (const model of ['sinc', 'plane-waves'] as const) {
    it(`diffuse noise (${model}): 5 mm apart strongly coherent, 50 cm apart nearly incoherent (seed 62)`, () => {
      const s = new Float64Array(16384);
      s[0] = 1e-3; // a faint click: the noise is scaled against the signal power
      const x = simulatePlaneWave(s, g, direction(0), { sampleRate: fs, diffuse: { snrDb: -60, model, planeWaves: 64 }, seed: 62 });
      const c0 = x.channel(0);
      expect(corr(c0, x.channel(1))).toBeGreaterThan(0.8);
      expect(Math.abs(corr(c0, x.channel(2)))).toBeLessThan(0.15);
    });
  }
  it('bad input: missing sampleRate, unknown diffuse model', () => {
    expect(() => simulatePlaneWave([1, 2, 3], g, direction(0), {} as { sampleRate: number })).toThrow(/^simulatePlaneWave: options\.sampleRate must be a number; got undefined$/);
    expect(() => simulatePlaneWave([1, 2, 3], g, direction(0), { sampleRate: 8000, diffuse: { snrDb: 0, model: 'pink' as 'sinc' } })).toThrow(ValueError);
  });
});
