import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, ValueError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { checkCola, istft, stft } from '../../src/fft/stft.js';
import { getWindow, type WindowSpec } from '../../src/fft/window.js';
import { spectrogram } from '../../src/spectrum/spectral.js';
import { Rng, expectClose, expectPointwiseError } from '../helpers/index.js';

const rng = new Rng(2026120620);
const N = 200;
const x = Multichannel.fromChannels([Float64Array.from({ length: N }, () => rng.normal()), Float64Array.from({ length: N }, () => rng.normal())], { sampleRate: 1000 });

/** Frame-by-frame naive DFT of x[c, f·hop + j]·w[j] (no boundary extension, no padding), one-sided. */
function manualStft(w: Float64Array, hop: number): { re: Float64Array; im: Float64Array; frames: number; bins: number } {
  const wl = w.length;
  const frames = 1 + Math.floor((N - wl) / hop);
  const bins = Math.floor(wl / 2) + 1;
  const re = new Float64Array(2 * frames * bins);
  const im = new Float64Array(2 * frames * bins);
  for (let c = 0; c < 2; c++) {
    const ch = x.channel(c);
    for (let f = 0; f < frames; f++) {
      for (let k = 0; k < bins; k++) {
        let sr = 0, si = 0;
        for (let j = 0; j < wl; j++) {
          const v = ch[f * hop + j] * w[j];
          sr += v * Math.cos((2 * Math.PI * k * j) / wl);
          si -= v * Math.sin((2 * Math.PI * k * j) / wl);
        }
        re[(c * frames + f) * bins + k] = sr;
        im[(c * frames + f) * bins + k] = si;
      }
    }
  }
  return { re, im, frames, bins };
}

describe('stft: any WindowSpec getWindow accepts', () => {
  const specs: [string, WindowSpec, Float64Array][] = [
    ["['kaiser', 8]", ['kaiser', 8], getWindow(['kaiser', 8], 32)],
    ["{ name: 'tukey', alpha: 0.25 }", { name: 'tukey', alpha: 0.25 }, getWindow(['tukey', 0.25], 32)],
    ["['dpss', 3]", ['dpss', 3], getWindow(['dpss', 3], 32)],
    ['8.6 (a Kaiser β)', 8.6, getWindow(['kaiser', 8.6], 32)],
    ["'blackmanharris'", 'blackmanharris', getWindow('blackmanharris', 32)],
  ];
  for (const [label, spec, w] of specs) {
    it(`${label} equals a frame-by-frame DFT of the windowed frames`, () => {
      const s = stft(x, { windowLength: 32, hop: 12, window: spec, boundary: null, padded: false });
      const ref = manualStft(w, 12);
      expect([s.frames, s.bins]).toEqual([ref.frames, ref.bins]);
      expectClose(s.re, ref.re, { atol: 1e-12, label: `${label} re` });
      expectClose(s.im, ref.im, { atol: 1e-12, label: `${label} im` });
      expect(Array.from(s.window)).toEqual(Array.from(w));
    });
  }
  it("['kaiser', 8] has the window's spec as its name and inverts with istft", () => {
    const s = stft(x, { windowLength: 32, hop: 8, window: ['kaiser', 8] });
    expect(s.windowName).toBe('kaiser(8)');
    expectClose(istft(s, { length: N }).data, x.data, { atol: 1e-12, label: 'round trip' });
  });
  it('checkCola accepts a tuple: tukey(0.5) at 75 % overlap is COLA, kaiser(8) at 50 % is not', () => {
    expect(checkCola(['tukey', 0.5], 64, 48)).toBe(true);
    expect(checkCola(['kaiser', 8], 64, 32)).toBe(false);
  });
  const bad: [string, unknown, new (...a: never[]) => Error, RegExp][] = [
    ['unknown name', 'hanning', ValueError, /^stft: options\.window is not a window getWindow knows: name must be one of 'boxcar', .*; got "hanning"$/],
    ['kaiser without β', ['kaiser'], ValueError, /^stft: options\.window is not a window getWindow knows: /],
    ['gaussian std ≤ 0', ['gaussian', -1], ValueError, /^stft: options\.window is not a window getWindow knows: /],
    ['a boolean', true, ArgumentTypeError, /^stft: options\.window must be a window spec \(a name, a \[name, \.\.\.parameters\] tuple, a \{ name, \.\.\. \} object or a Kaiser β\) or a Float64Array; got true$/],
    ['a Float32Array', new Float32Array(32), ArgumentTypeError, /^stft: options\.window must be a window spec/],
  ];
  for (const [label, window, cls, pattern] of bad) {
    it(`bad window: ${label}`, () => expectPointwiseError(() => stft(x, { windowLength: 32, hop: 8, window: window as WindowSpec }), cls, pattern, label));
  }
});

describe("spectrogram's default window is getWindow(['tukey', 0.25], nperseg)", () => {
  it('the default equals the explicit tuple, bit for bit, with nperseg given, defaulted and shortened to N', () => {
    for (const nperseg of [64, undefined, 500]) {
      const a = spectrogram(x, nperseg === undefined ? {} : { nperseg });
      const b = spectrogram(x, { window: ['tukey', 0.25], ...(nperseg === undefined ? {} : { nperseg }) });
      expect(a.nperseg).toBe(Math.min(nperseg ?? 256, N));
      expect(Array.from(a.sxx)).toEqual(Array.from(b.sxx));
    }
  });
});
