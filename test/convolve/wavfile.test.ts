import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convolveWavFiles, convolve } from '../../src/convolve/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { readWav, writeWav } from '../../src/io/wav.js';
import { Rng, maxAbs, sharedData, tempDir, expectPointwiseError } from '../helpers/index.js';

function signal(rng: Rng, C: number, N: number, sr: number, amp = 0.5): Multichannel {
  return new Multichannel(rng.array(C * N, -amp, amp), C, N, { sampleRate: sr });
}

describe('convolveWavFiles', () => {
  const dir = tempDir('pointwise-convolve-');
  const rng = new Rng(51);
  const dry = signal(rng, 2, 30000, 16000);
  const ir = signal(rng, 1, 3001, 16000, 0.05);
  const irStereo = signal(rng, 2, 500, 16000, 0.1);
  const dryPath = path.join(dir, 'dry.wav'), irPath = path.join(dir, 'ir.wav'), ir2Path = path.join(dir, 'ir2.wav');
  writeWav(dryPath, dry, { format: 'float64' });
  writeWav(irPath, ir, { format: 'float64' });
  writeWav(ir2Path, irStereo, { format: 'float64' });

  it('streams disk to disk and equals the in-memory full convolution (float64, small chunks) (seed 51)', () => {
    const out = path.join(dir, 'wet.wav');
    const fractions: number[] = [];
    const r = convolveWavFiles(dryPath, irPath, out, { chunkFrames: 777, onProgress: (f) => fractions.push(f) });
    expect(r).toMatchObject({ frames: 30000 + 3000, channels: 2, sampleRate: 16000, format: 'float64', gain: 1, clippedSamples: 0 });
    const wet = readWav(out);
    const want = convolve(readWav(dryPath), readWav(irPath));
    expect(wet.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(wet.data[i] - want.data[i]));
    expect(worst).toBeLessThan(1e-12);
    expect(fractions.length).toBeGreaterThan(10);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(r.peak).toBeCloseTo(maxAbs(want.data), 12);
  });
  it('per-channel IR and mono input to a stereo room', () => {
    const out = path.join(dir, 'wet2.wav');
    convolveWavFiles(dryPath, ir2Path, out);
    const want = convolve(readWav(dryPath), readWav(ir2Path));
    const got = readWav(out);
    let worst = 0;
    for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - want.data[i]));
    expect(worst).toBeLessThan(1e-12);
    const mono = path.join(dir, 'mono.wav');
    writeWav(mono, dry.selectChannels([0]), { format: 'float32' });
    const out3 = path.join(dir, 'wet3.wav');
    const r = convolveWavFiles(mono, ir2Path, out3);
    expect(r.channels).toBe(2);
    expect(r.format).toBe('float32');
    const w3 = readWav(out3);
    const want3 = convolve(new Multichannel(Float64Array.from([...readWav(mono).data, ...readWav(mono).data]), 2, 30000), readWav(ir2Path));
    let w = 0;
    for (let i = 0; i < want3.data.length; i++) w = Math.max(w, Math.abs(w3.data[i] - want3.data[i]));
    expect(w).toBeLessThan(1e-6);
  });
  it("normalize 'peak' reaches peakLevel exactly; 'none' on PCM counts clipped samples; 'kernel' never clips", () => {
    const loud = path.join(dir, 'loud.wav');
    writeWav(loud, signal(rng, 1, 5000, 16000, 0.99), { format: 'pcm16' });
    const boom = path.join(dir, 'boom.wav');
    writeWav(boom, new Multichannel(new Float64Array(50).fill(0.5), 1, 50, { sampleRate: 16000 }), { format: 'float32' });
    const a = convolveWavFiles(loud, boom, path.join(dir, 'a.wav'));
    expect(a.format).toBe('pcm16');
    expect(a.peak).toBeGreaterThan(1);
    expect(a.clippedSamples).toBeGreaterThan(0);
    const b = convolveWavFiles(loud, boom, path.join(dir, 'b.wav'), { normalize: 'peak', peakLevel: 0.9, format: 'float32' });
    expect(b.peak).toBeCloseTo(0.9, 10);
    expect(maxAbs(readWav(path.join(dir, 'b.wav')).data)).toBeCloseTo(0.9, 6);
    const c = convolveWavFiles(loud, boom, path.join(dir, 'c.wav'), { normalize: 'kernel' });
    expect(c.clippedSamples).toBe(0);
    expect(c.gain).toBeCloseTo(1 / 25, 6);
  });
  it('pcm16 output runs the float32 engine by default: the written samples match the float64 engine within one LSB', () => {
    const quiet = path.join(dir, 'quiet16.wav');
    writeWav(quiet, signal(rng, 2, 20000, 16000, 0.5), { format: 'pcm16' });
    const a = path.join(dir, 'q32.wav'), b = path.join(dir, 'q64.wav');
    convolveWavFiles(quiet, irPath, a, { normalize: 'kernel' });
    convolveWavFiles(quiet, irPath, b, { normalize: 'kernel', precision: 'float64' });
    const ya = readWav(a, { dtype: 'float64' }).data, yb = readWav(b, { dtype: 'float64' }).data;
    let worst = 0, differing = 0;
    for (let i = 0; i < yb.length; i++) {
      const d = Math.abs(ya[i] - yb[i]);
      worst = Math.max(worst, d);
      if (d > 0) differing++;
    }
    expect(worst).toBeLessThanOrEqual(1 / 32768 + 1e-12);
    expect(differing / yb.length).toBeLessThan(0.01); // only samples at a rounding boundary move
  });
  it('rejects a sample-rate mismatch, channel counts that do not fit, bad options; leaves no output', () => {
    const other = path.join(dir, 'ir44.wav');
    writeWav(other, signal(rng, 1, 10, 44100), { format: 'pcm16' });
    const out = path.join(dir, 'never.wav');
    expectPointwiseError(() => convolveWavFiles(dryPath, other, out), ValueError, /^convolveWavFiles: the impulse response's sample rate must equal the input's 16000 Hz \(no resampling is done\); got 44100/);
    const ir3 = path.join(dir, 'ir3.wav');
    writeWav(ir3, signal(rng, 3, 10, 16000), { format: 'pcm16' });
    expectPointwiseError(() => convolveWavFiles(dryPath, ir3, out), ShapeError, /^convolveWavFiles: the impulse response must have 1 channel or one per input channel \(2\); got 3/);
    expect(() => convolveWavFiles(dryPath, irPath, out, { normalize: 'loud' as never })).toThrow(/^convolveWavFiles: options.normalize must be one of 'none', 'peak', 'kernel'; got "loud"/);
    expect(() => convolveWavFiles(dryPath, irPath, out, { precision: 'half' as never })).toThrow(/^convolveWavFiles: options.precision must be one of 'float64', 'float32'; got "half"/);
    expect(() => convolveWavFiles(dryPath, irPath, out, { chunkFrames: 0.5 })).toThrow(/^convolveWavFiles: options.chunkFrames must be an integer; got 0.5/);
    expect(fs.existsSync(out)).toBe(false);
  });
  const clap = sharedData('audio/rir_clap.wav');
  const xmas = sharedData('audio/xmas.wav');
  it.skipIf(!clap || !xmas)('real data: xmas.wav through rir_clap.wav when their rates match', () => {
    const a = readWav(xmas!), b = readWav(clap!);
    const out = path.join(dir, 'xmas_wet.wav');
    if (a.sampleRate !== b.sampleRate) {
      expect(() => convolveWavFiles(xmas!, clap!, out)).toThrow(ValueError);
      return;
    }
    const r = convolveWavFiles(xmas!, clap!, out, { normalize: 'peak', format: 'float32' });
    expect(r.frames).toBe(a.length + b.length - 1);
    expect(r.peak).toBeCloseTo(0.99, 6);
  });
});
