import { describe, expect, it } from 'vitest';
import { stft, istft, rfft, getWindow } from '../../src/fft/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { expectPointwiseError, Rng, expectClose, maxAbs } from '../helpers/index.js';

function randomSignal(rng: Rng, C: number, N: number): Multichannel {
  return new Multichannel(rng.normals(C * N), C, N, { sampleRate: 16000 });
}

describe('stft / istft perfect reconstruction', () => {
  const configs = [
    { window: 'hann' as const, windowLength: 64, hop: 32 },
    { window: 'sqrt-hann' as const, windowLength: 64, hop: 32 },
    { window: 'hann' as const, windowLength: 256, hop: 64 },
    { window: 'hann' as const, windowLength: 100, hop: 50, nfft: 128 },
    { window: 'hamming' as const, windowLength: 30, hop: 15 },
    { window: 'sqrt-hann' as const, windowLength: 63, hop: 21, center: true },
  ];
  for (const cfg of configs) {
    for (const N of [1, 17, 1000, 4097]) {
      it(`${JSON.stringify(cfg)} N=${N} (seed 21)`, () => {
        const rng = new Rng(21);
        const x = randomSignal(rng, 2, N);
        const s = stft(x, cfg);
        expect(s.channels).toBe(2);
        expect(s.bins).toBe(Math.floor((cfg.nfft ?? cfg.windowLength) / 2) + 1);
        const y = istft(s);
        expect(y.length).toBe(N);
        expect(y.sampleRate).toBe(16000);
        const err = maxAbs(y.data.map((v, i) => v - x.data[i]));
        expect(err).toBeLessThanOrEqual(1e-12);
      });
    }
  }
});

describe('stft layout', () => {
  it('frame f of channel c at (c*frames+f)*bins equals rfft of the windowed centred frame (seed 22)', () => {
    const rng = new Rng(22);
    const x = randomSignal(rng, 3, 200);
    const wl = 32, hop = 8;
    const s = stft(x, { windowLength: wl, hop });
    expect(s.frames).toBe(1 + Math.ceil((200 + 32 - 32) / 8));
    const w = getWindow('hann', wl);
    for (const [c, f] of [[0, 0], [1, 5], [2, s.frames - 1]]) {
      const frame = new Float64Array(wl);
      for (let j = 0; j < wl; j++) {
        const t = f * hop - wl / 2 + j;
        frame[j] = t >= 0 && t < 200 ? x.data[c * 200 + t] * w[j] : 0;
      }
      const R = rfft(frame);
      const o = (c * s.frames + f) * s.bins;
      expectClose(s.re.subarray(o, o + s.bins), R.re, { atol: 1e-12, label: `c=${c} f=${f}` });
      expectClose(s.im.subarray(o, o + s.bins), R.im, { atol: 1e-12, label: `c=${c} f=${f}` });
    }
  });
  it('a sinusoid at bin 4 peaks at bin 4', () => {
    const N = 1024, wl = 64;
    const d = new Float64Array(N).map((_, t) => Math.cos((2 * Math.PI * 4 * t) / wl));
    const s = stft(new Multichannel(d, 1, N), { windowLength: wl, hop: 16 });
    const f = 10, o = f * s.bins;
    let best = 0;
    for (let k = 0; k < s.bins; k++) if (Math.hypot(s.re[o + k], s.im[o + k]) > Math.hypot(s.re[o + best], s.im[o + best])) best = k;
    expect(best).toBe(4);
  });
  it('istft length option pads/crops', () => {
    const x = randomSignal(new Rng(23), 1, 100);
    const s = stft(x, { windowLength: 16, hop: 8 });
    const y = istft(s, { length: 50 });
    expectClose(y.data, x.data.subarray(0, 50), { atol: 1e-12 });
  });
});

describe('stft bad input', () => {
  const x = new Multichannel(new Float64Array(10), 1, 10);
  const cases: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['hop 0', () => stft(x, { windowLength: 4, hop: 0 }), ValueError, /^stft: options.hop must be an integer ≥ 1; got 0/],
    ['windowLength 2.5', () => stft(x, { windowLength: 2.5, hop: 1 }), ValueError, /^stft: options.windowLength must be an integer; got 2.5/],
    ['nfft < wl', () => stft(x, { windowLength: 8, hop: 1, nfft: 4 }), ValueError, /^stft: options.nfft must be an integer ≥ 8; got 4/],
    ['window length', () => stft(x, { windowLength: 8, hop: 1, window: new Float64Array(3) }), ShapeError, /^stft: options.window must have windowLength = 8 samples; got 3/],
    ['NaN', () => stft(new Multichannel(Float64Array.from([1, NaN]), 1, 2), { windowLength: 2, hop: 1 }), ValueError, /^stft: x must hold only finite values; got NaN at index 1/],
    ['istft bad s', () => istft({} as never), Error, /^istft: s must be an Stft/],
  ];
  for (const [label, f, cls, re] of cases) {
    it(label, () => {
      expectPointwiseError(f, cls, re, label);
    });
  }
});
