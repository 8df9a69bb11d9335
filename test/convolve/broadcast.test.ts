/**
 * Channel broadcasting and sample-rate checks of convolve / correlate: a 1-channel signal against a
 * C-channel kernel gives C outputs (scipy's `oaconvolve(x[None, :], h, axes=1)`), each equal to the
 * single-channel result, for every method and mode and on worker threads; sample rates must agree.
 */
import { describe, expect, it } from 'vitest';
import { convolve, correlate } from '../../src/convolve/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng, expectClose, expectPointwiseError } from '../helpers/index.js';

const METHODS = ['direct', 'fft', 'overlap-add', 'auto'] as const;
const MODES = ['full', 'same', 'valid'] as const;

function signal(channels: number, length: number, seed: number, meta: { sampleRate?: number; labels?: string[] } = {}): Multichannel {
  return new Multichannel(new Rng(seed).array(channels * length, -1, 1), channels, length, meta);
}

describe('convolve broadcasts a 1-channel signal against a C-channel kernel', () => {
  for (const [N, M] of [[200, 17], [9, 40], [1, 1], [64, 64]] as const) {
    for (const mode of MODES) {
      it(`[1, ${N}] ⊛ [3, ${M}] ${mode}: channel c equals x ⊛ h_c for every method`, () => {
        const x = signal(1, N, 11);
        const h = signal(3, M, 12);
        for (const method of METHODS) {
          const y = convolve(x, h, { mode, method });
          expect(y.channels, method).toBe(3);
          for (let c = 0; c < 3; c++) {
            const want = convolve(x.channel(0), h.channel(c), { mode, method: 'direct' });
            expectClose(y.channel(c), want.data, { atol: 1e-12 * N * M, label: `${method} ${mode} channel ${c}` });
          }
        }
      });
    }
  }

  it('correlate broadcasts the same way (each channel is correlate(x, h_c))', () => {
    const x = signal(1, 150, 21);
    const h = signal(4, 23, 22);
    for (const mode of MODES) {
      const y = correlate(x, h, { mode });
      expect(y.channels).toBe(4);
      for (let c = 0; c < 4; c++) expectClose(y.channel(c), correlate(x.channel(0), h.channel(c), { mode, method: 'direct' }).data, { atol: 1e-10, label: `${mode} ${c}` });
    }
  });

  it('worker threads give the identical broadcast result', () => {
    const x = signal(1, 3000, 31);
    const h = signal(4, 101, 32);
    const a = convolve(x, h, { method: 'overlap-add' });
    const b = convolve(x, h, { method: 'overlap-add', workers: 2 });
    expect(b.channels).toBe(4);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('the result takes the kernel labels when the signal is the broadcast one, and x sample rate (else h)', () => {
    const x = signal(1, 50, 41, { sampleRate: 16000 });
    const h = signal(2, 5, 42, { sampleRate: 16000, labels: ['left', 'right'] });
    const y = convolve(x, h);
    expect(y.labels).toEqual(['left', 'right']);
    expect(y.sampleRate).toBe(16000);
    const z = convolve(signal(1, 50, 43), h);
    expect(z.sampleRate).toBe(16000);
  });

  it('a float32 mono signal gives float32 outputs', () => {
    const x = new Multichannel(Float32Array.from([1, 2, 3]), 1, 3);
    const y = convolve(x, new Multichannel(Float64Array.from([1, 0, 0, 1]), 2, 2));
    expect(y.data).toBeInstanceOf(Float32Array);
    expect(Array.from(y.data)).toEqual([1, 2, 3, 0, 0, 1, 2, 3]);
  });
});

describe('convolve / correlate reject what does not broadcast or has different sample rates', () => {
  const cases: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['3 vs 2 channels', () => convolve(signal(3, 10, 1), signal(2, 3, 2)), ShapeError, /^convolve: h must have 1 channel \(broadcast\) or one per channel of x \(3\); got 2/],
    ['2 vs 3 channels (correlate)', () => correlate(signal(2, 10, 1), signal(3, 3, 2)), ShapeError, /^correlate: h must have 1 channel \(broadcast\) or one per channel of x \(2\); got 3/],
    ['48 kHz signal, 44.1 kHz kernel', () => convolve(signal(1, 10, 1, { sampleRate: 48000 }), signal(1, 3, 2, { sampleRate: 44100 })), ValueError, /^convolve: h's sample rate must equal x's 48000 Hz \(no resampling is done\); got 44100/],
    ['rates differ (correlate, broadcast)', () => correlate(signal(1, 10, 1, { sampleRate: 8000 }), signal(2, 3, 2, { sampleRate: 16000 })), ValueError, /^correlate: h's sample rate must equal x's 8000 Hz/],
  ];
  for (const [label, f, cls, re] of cases) it(label, () => expectPointwiseError(f, cls, re, label));

  it('a kernel without a sample rate is accepted against a signal with one (and the reverse)', () => {
    expect(convolve(signal(1, 10, 1, { sampleRate: 48000 }), [1, 2]).sampleRate).toBe(48000);
    expect(convolve([1, 2, 3], signal(1, 2, 2, { sampleRate: 48000 })).sampleRate).toBe(48000);
  });
});
