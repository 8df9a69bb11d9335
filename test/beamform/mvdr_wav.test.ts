import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { Multichannel } from '../../src/core/multichannel.js';
import { ShapeError } from '../../src/core/errors.js';
import { mix } from '../../src/mixing/index.js';
import { readWav, writeWav } from '../../src/io/index.js';
import { ArrayGeometry, direction } from '../../src/beamform/geometry.js';
import { alignChannels, delayAndSum, taperWeights } from '../../src/beamform/das.js';
import { mvdr } from '../../src/beamform/mvdr.js';
import { beamformWav } from '../../src/beamform/wav.js';
import { simulatePlaneWave } from '../../src/beamform/simulate.js';
import { Rng, expectClose, tempDir } from '../helpers/index.js';

const power = (x: Multichannel) => {
  let p = 0;
  for (let i = 0; i < x.data.length; i++) p += x.data[i] * x.data[i];
  return p / x.data.length;
};

describe('mixing view', () => {
  it('delayAndSum = mix(alignChannels(x), 1×M weight row) for every method (seed 41)', () => {
    const rng = new Rng(41);
    const g = ArrayGeometry.linear(5, '5 cm');
    const x = new Multichannel(rng.normals(5 * 2048), 5, 2048, { sampleRate: 16000 });
    for (const method of ['integer', 'sinc', 'lagrange', 'fft'] as const) {
      const w = taperWeights(5, 'hann');
      const y = delayAndSum(x, g, direction(70), { method, weights: 'hann' });
      const z = mix(alignChannels(x, g, direction(70), { method }), [Array.from(w)]);
      expectClose(z.data, y.data, { atol: 1e-12, label: method });
      expect(z.sampleRate).toBe(16000);
    }
  });
});

describe('MVDR', () => {
  it('suppresses a strong interferer far more than DAS, distortionless toward the target (seed 42)', () => {
    const rng = new Rng(42);
    const g = ArrayGeometry.linear(8, '4 cm');
    const fs = 16000;
    const N = 16384;
    const tgt = simulatePlaneWave(rng.normals(N), g, direction(90), { sampleRate: fs });
    const itf = simulatePlaneWave(rng.normals(N).map((v) => 10 * v), g, direction(30), { sampleRate: fs, snrDb: 30, seed: 9 });
    const opts = { noise: itf, diagonalLoading: 1e-3 };
    const tOut = mvdr(tgt, g, direction(90), opts);
    const iOut = mvdr(itf, g, direction(90), opts);
    const sirMvdr = 10 * Math.log10(power(tOut) / power(iOut));
    const sirDas = 10 * Math.log10(power(delayAndSum(tgt, g, direction(90))) / power(delayAndSum(itf, g, direction(90))));
    expect(sirMvdr - sirDas).toBeGreaterThan(10);
    // distortionless: the target passes as delay-and-sum passes it (interior, STFT edges aside)
    const d = delayAndSum(tgt, g, direction(90), { method: 'stft' });
    let e = 0;
    let p = 0;
    for (let i = 2048; i < N - 2048; i++) {
      e += (tOut.data[i] - d.data[i]) ** 2;
      p += d.data[i] ** 2;
    }
    expect(Math.sqrt(e / p)).toBeLessThan(0.05);
  });
  it('bad input: channel mismatch', () => {
    expect(() => mvdr(Multichannel.zeros(3, 100, { sampleRate: 8000 }), ArrayGeometry.linear(4, 0.05), direction(0))).toThrow(ShapeError);
  });
});

describe('beamformWav', () => {
  it('WAV → streaming DAS → WAV equals one-shot delayAndSum (float32, seed 43)', () => {
    const rng = new Rng(43);
    const g = ArrayGeometry.linear(4, '6 cm');
    const x = new Multichannel(rng.normals(4 * 10000).map((v) => 0.2 * v), 4, 10000, { sampleRate: 16000 });
    const dir = tempDir();
    const inp = path.join(dir, 'in.wav');
    const out = path.join(dir, 'out.wav');
    writeWav(inp, x, { format: 'float32' });
    const xr = readWav(inp);
    const r = beamformWav(inp, out, g, direction(20), { method: 'sinc', chunkFrames: 777, format: 'float64' });
    expect(r.frames).toBe(10000);
    const y = readWav(out);
    expectClose(y.data, delayAndSum(xr, g, direction(20), { method: 'sinc' }).data, { atol: 1e-12 });
    expect(() => beamformWav(inp, path.join(dir, 'bad.wav'), ArrayGeometry.linear(3, 0.05), direction(0))).toThrow(/^beamformWav: the WAV must have one channel per microphone \(3\); got 4$/);
    expect(fs.existsSync(path.join(dir, 'bad.wav'))).toBe(false);
  });
});
