import { describe, expect, it } from 'vitest';
import { checkCola, checkNola, istft, stft, stftTimes, type StftOptions } from '../../src/fft/stft.js';
import { fftfreq, rfftfreq } from '../../src/fft/freqs.js';
import { getWindow, type WindowName } from '../../src/fft/window.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { expectClose, expectPointwiseError, loadFixture, maxAbs, Rng } from '../helpers/index.js';
import { signal, type SignalSpec } from './signals.js';

interface StftRef {
  signal: SignalSpec;
  options: { nperseg: number; noverlap?: number; nfft?: number; window?: string; boundary?: string | null; padded?: boolean; detrend?: 'constant' | 'linear'; returnOnesided?: boolean; scaling?: 'psd'; fs?: number };
  f: number[];
  t: number[];
  re: number[][];
  im: number[][];
  istft?: number[];
}
const refs = loadFixture<{ cases: { stft: StftRef[] } }>('spectrum.json').cases.stft;

/** scipy.signal.stft's arguments → ours (scipy shortens nperseg to the signal length; so do we here). */
function ours(r: StftRef): StftOptions {
  const o = r.options;
  const nperseg = Math.min(o.nperseg, r.signal.n);
  const noverlap = o.noverlap ?? Math.floor(nperseg / 2);
  const opts: StftOptions = { windowLength: nperseg, hop: nperseg - noverlap, scaling: o.scaling ?? 'spectrum' };
  if (o.window) opts.window = o.window as WindowName;
  if (o.nfft) opts.nfft = o.nfft;
  if ('boundary' in o) opts.boundary = o.boundary as StftOptions['boundary'];
  if (o.padded !== undefined) opts.padded = o.padded;
  if (o.detrend) opts.detrend = o.detrend;
  if (o.returnOnesided !== undefined) opts.returnOnesided = o.returnOnesided;
  if (o.fs) opts.fs = o.fs;
  return opts;
}

/** [F, T] (scipy) → our (t, f) order. */
function swap(a: number[][], frames: number, bins: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < frames; j++) for (let k = 0; k < bins; k++) out.push(a[k][j]);
  return out;
}

describe('stft against scipy.signal.stft (scaling: spectrum / psd)', () => {
  for (const r of refs) {
    it(JSON.stringify(r.options), () => {
      const s = stft(signal(r.signal), ours(r));
      expect(s.frames).toBe(r.t.length);
      expect(s.bins).toBe(r.f.length);
      const scale = Math.max(maxAbs(r.re.flat()), maxAbs(r.im.flat()));
      expectClose(s.re, swap(r.re, s.frames, s.bins), { rtol: 1e-10, atol: 1e-12 * scale, label: 're' });
      expectClose(s.im, swap(r.im, s.frames, s.bins), { rtol: 1e-10, atol: 1e-12 * scale, label: 'im' });
      expectClose(stftTimes(s), r.t, { rtol: 1e-12, label: 't' });
      const fs = r.options.fs ?? 1;
      expectClose(s.onesided === false ? fftfreq(s.nfft, 1 / fs) : rfftfreq(s.nfft, 1 / fs), r.f, { rtol: 1e-15, label: 'f' });
      if (r.istft) {
        // scipy's istft returns the whole padded span; ours the input length (and the same samples)
        const y = istft(s);
        const x = signal(r.signal).data;
        expectClose(y.data, r.istft.slice(0, y.length), { atol: 1e-12, label: 'istft vs scipy' });
        // without boundary extension sample 0 lies under the Hann window's zero (0 in both)
        const from = r.options.boundary === null ? 1 : 0;
        expectClose(y.data.subarray(from), x.subarray(from), { atol: 1e-12, label: 'istft vs x' });
      }
    });
  }
});

describe('stft options: round trips and the default convention', () => {
  const rng = new Rng(2020);
  const x = new Multichannel(rng.normals(2 * 301), 2, 301, { sampleRate: 100 });
  const grid: StftOptions[] = [];
  for (const boundary of ['zeros', 'even', 'odd', 'constant', null] as const) {
    for (const scaling of ['none', 'spectrum', 'psd'] as const) {
      for (const returnOnesided of [true, false]) grid.push({ windowLength: 32, hop: 12, nfft: 45, boundary, scaling, returnOnesided });
    }
  }
  for (const o of grid) {
    it(`istft(stft(x)) = x for ${JSON.stringify(o)} (seed ${rng.seed})`, () => {
      const s = stft(x, o);
      const y = istft(s);
      // without extension sample 0 lies under the Hann window's zero: it comes back as 0
      const from = o.boundary === null ? 1 : 0;
      expectClose(y.data.filter((_, i) => i % 301 >= from), x.data.filter((_, i) => i % 301 >= from), { atol: 1e-12, label: 'round trip' });
    });
  }
  it("the default is unchanged: unscaled rfft frames, zero extension; 'spectrum' divides by Σw", () => {
    const a = stft(x, { windowLength: 32, hop: 16 });
    const b = stft(x, { windowLength: 32, hop: 16, scaling: 'spectrum', boundary: 'zeros', padded: true, detrend: false, returnOnesided: true });
    const sum = getWindow('hann', 32).reduce((p, v) => p + v, 0);
    expect(a.scale).toBe(1);
    expectClose(b.re, a.re.map((v) => v / sum), { atol: 1e-15 * maxAbs(a.re) });
  });
  it('two-sided bins k ≥ nfft/2 are the conjugates of bins nfft − k', () => {
    const s = stft(x, { windowLength: 16, hop: 8, returnOnesided: false });
    expect(s.bins).toBe(16);
    for (let k = 9; k < 16; k++) {
      expect(s.re[k]).toBe(s.re[16 - k]);
      expect(s.im[k]).toBe(-s.im[16 - k]);
    }
  });
});

describe('checkCola / checkNola (values of scipy.signal.check_COLA / check_NOLA 1.10)', () => {
  const table: [WindowName | Float64Array, number, number, boolean, boolean][] = [
    ['hann', 64, 32, true, true],
    ['hann', 64, 48, true, true],
    ['hann', 64, 16, false, true],
    ['hann', 64, 0, false, false],
    ['rect', 16, 0, true, true],
    ['hamming', 30, 15, true, true],
    ['sqrt-hann', 64, 32, false, true],
    [new Float64Array([1, 1, 0, 0]), 4, 2, true, true],
    [new Float64Array([1, 0, 0, 0]), 4, 3, true, true],
    [new Float64Array([1, 0, 0, 0]), 4, 2, false, false],
  ];
  for (const [w, n, ov, cola, nola] of table) {
    it(`${typeof w === 'string' ? w : `[${Array.from(w)}]`} nperseg ${n} noverlap ${ov}: COLA ${cola}, NOLA ${nola}`, () => {
      expect(checkCola(w, n, ov)).toBe(cola);
      expect(checkNola(w, n, ov)).toBe(nola);
    });
  }
});

describe('stft / istft bad input', () => {
  const x = new Multichannel(Float64Array.from({ length: 20 }, (_, i) => Math.sin(i)), 1, 20);
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['istft NOLA violation names the window', () => istft(stft(x, { windowLength: 8, hop: 8 })), ValueError,
      /^istft: the window must satisfy NOLA .* window 'hann', nperseg 8, noverlap 0 gives 0 at every sample t ≡ 0 \(mod 8\)/],
    ['istft with gaps', () => istft(stft(x, { windowLength: 4, hop: 6, window: 'rect' })), ValueError, /^istft: frames must overlap or touch to be inverted \(hop ≤ windowLength\): window 'rect', nperseg 4, noverlap -2 leaves 2 samples/],
    ['istft NOLA with a window array', () => istft(stft(x, { windowLength: 4, hop: 2, window: new Float64Array([1, 0, 0, 0]) })), ValueError, /window \(array\), nperseg 4, noverlap 2/],
    ['odd boundary too long', () => stft(x, { windowLength: 48, hop: 4, boundary: 'odd' }), ValueError, /^stft: an 'odd' boundary extends by floor\(windowLength\/2\) = 24 samples, which must be less than the signal length 20/],
    ['unknown boundary', () => stft(x, { windowLength: 8, hop: 4, boundary: 'wrap' as never }), ValueError, /^stft: options.boundary must be one of 'zeros', 'even', 'odd', 'constant'/],
    ['center contradicts boundary', () => stft(x, { windowLength: 8, hop: 4, center: false, boundary: 'even' }), ValueError, /^stft: options.center \(false\) must agree with options.boundary/],
    ['unpadded signal shorter than a frame', () => stft(x, { windowLength: 32, hop: 4, boundary: null, padded: false }), ShapeError, /^stft: without padding the signal must hold one frame of windowLength = 32 samples; got 20/],
    ['unknown scaling', () => stft(x, { windowLength: 8, hop: 4, scaling: 'density' as never }), ValueError, /^stft: options.scaling must be one of 'none', 'spectrum', 'psd'/],
    ['unknown detrend', () => stft(x, { windowLength: 8, hop: 4, detrend: 'quadratic' as never }), ValueError, /^stft: options.detrend must be one of 'constant', 'linear'/],
    ['fs 0', () => stft(x, { windowLength: 8, hop: 4, scaling: 'psd', fs: 0 }), ValueError, /^stft: options\.fs must be > 0; got 0/],
    ['checkNola noverlap ≥ nperseg', () => checkNola('hann', 8, 8), ValueError, /^checkNola: noverlap must be less than nperseg = 8; got 8/],
    ['checkCola window length', () => checkCola(new Float64Array(3), 8, 4), ShapeError, /^checkCola: options.window must have windowLength = 8 samples; got 3/],
    ['istft two-sided bins', () => istft({ ...stft(x, { windowLength: 8, hop: 4, returnOnesided: false }), onesided: true }), ShapeError, /^istft: s.bins must be floor\(nfft\/2\)\+1 = 5; got 8/],
  ];
  for (const [label, f, cls, re] of cases) it(label, () => expectPointwiseError(f, cls, re, label));
});
