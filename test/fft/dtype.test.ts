import { describe, expect, it } from 'vitest';
import { stft, istft } from '../../src/fft/index.js';
import { resamplePoly } from '../../src/beamform/resample.js';
import { convolve } from '../../src/convolve/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ValueError } from '../../src/core/errors.js';
import { expectPointwiseError, Rng } from '../helpers/index.js';

/** The same seeded 2-channel signal in float64 and (rounded) float32. */
function pair(seed: number, N: number): { x64: Multichannel; x32: Multichannel } {
  const d32 = Float32Array.from(new Rng(seed).normals(2 * N));
  return { x64: new Multichannel(Float64Array.from(d32), 2, N, { sampleRate: 16000 }), x32: new Multichannel(d32, 2, N, { sampleRate: 16000 }) };
}

describe('stft / istft keep the signal dtype', () => {
  it('float32 in → Stft.dtype float32 with float64 planes → istft float32 (seed 31)', () => {
    const { x64, x32 } = pair(31, 300);
    const s32 = stft(x32, { windowLength: 64, hop: 16 });
    expect(s32.dtype).toBe('float32');
    expect(s32.re).toBeInstanceOf(Float64Array);
    const y32 = istft(s32);
    expect(y32.dtype).toBe('float32');
    expect(y32.data).toBeInstanceOf(Float32Array);
    const y64 = istft(stft(x64, { windowLength: 64, hop: 16 }));
    expect(y64.dtype).toBe('float64');
    // same float64 arithmetic, rounded once at the end
    expect(Array.from(y32.data)).toEqual(Array.from(y64.data, Math.fround));
    expect(Array.from(y32.data)).toEqual(Array.from(x32.data));
  });
  it('options.dtype overrides, and an Stft without dtype inverts to float64', () => {
    const { x32 } = pair(32, 100);
    const s = stft(x32, { windowLength: 16, hop: 4 });
    expect(istft(s, { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    const { dtype: _drop, ...bare } = s;
    expect(istft(bare).data).toBeInstanceOf(Float64Array);
    expectPointwiseError(() => istft(s, { dtype: 'int16' as never }), ValueError, /^istft: options\.dtype must be one of 'float64', 'float32'/);
  });
});

describe('resamplePoly keeps the dtype', () => {
  for (const [up, down] of [[3, 1], [2, 3], [1, 2]]) {
    it(`float32 ${up}/${down} gives float32, the float64 result rounded (seed 33)`, () => {
      const { x64, x32 } = pair(33, 97);
      const y32 = resamplePoly(x32, up, down);
      const y64 = resamplePoly(x64, up, down);
      expect(y32.dtype).toBe('float32');
      expect(y64.dtype).toBe('float64');
      expect(y32.sampleRate).toBe((16000 * up) / down);
      expect(Array.from(y32.data)).toEqual(Array.from(y64.data, Math.fround));
    });
  }
});

describe('dtype is consistent with convolve', () => {
  it('convolve, resamplePoly and istft(stft) all return float32 for float32 input', () => {
    const { x32 } = pair(34, 64);
    expect(convolve(x32, [1, 0.5]).dtype).toBe('float32');
    expect(resamplePoly(x32, 2, 1).dtype).toBe('float32');
    expect(istft(stft(x32, { windowLength: 8, hop: 2 })).dtype).toBe('float32');
  });
});
