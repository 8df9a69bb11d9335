import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getWindow, stft, istft } from '../../src/fft/index.js';
import { chebyshevWeights } from '../../src/beamform/das.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ValueError } from '../../src/core/errors.js';
import { expectClose, expectPointwiseError } from '../helpers/index.js';

/** scipy 1.10 reference vectors written by scripts/fixtures/make_windows.py. */
interface WindowRefs {
  windows: { name: 'hann' | 'hamming' | 'rect'; n: number; symmetric: boolean; values: number[] }[];
  chebwin: { n: number; at: number; values: number[] }[];
}
const refs = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/refs/windows.json'), 'utf8')) as WindowRefs;

describe('getWindow against scipy.signal.get_window', () => {
  it('fixture covers lengths 0–3, even and odd, both conventions', () => {
    const ns = new Set(refs.windows.map((r) => r.n));
    for (const n of [0, 1, 2, 3, 4, 5, 16, 17]) expect(ns.has(n)).toBe(true);
  });
  for (const r of refs.windows) {
    it(`${r.name} n=${r.n} ${r.symmetric ? 'symmetric (fftbins=False)' : 'periodic (fftbins=True)'}`, () => {
      const w = getWindow(r.name, r.n, { symmetric: r.symmetric });
      expect(w.length).toBe(r.n);
      expectClose(w, r.values, { atol: 1e-15, label: `${r.name} ${r.n}` });
    });
  }
  it("sqrt-hann is the square root of hann, [1] at length 1 and empty at 0", () => {
    for (const symmetric of [false, true]) {
      for (const n of [0, 1, 2, 3, 8]) {
        const h = getWindow('hann', n, { symmetric });
        expectClose(getWindow('sqrt-hann', n, { symmetric }), h.map(Math.sqrt), { atol: 1e-15, label: `n=${n} sym=${symmetric}` });
      }
    }
    expect(Array.from(getWindow('sqrt-hann', 1))).toEqual([1]);
  });
  it('rejects negative and fractional lengths', () => {
    expectPointwiseError(() => getWindow('hann', -1), ValueError, /^getWindow: length must be an integer ≥ 0/);
    expectPointwiseError(() => getWindow('hann', 1.5), ValueError, /^getWindow: length must be an integer/);
  });
});

describe('stft / istft with a one-sample window', () => {
  for (const window of ['hann', 'sqrt-hann', 'hamming', 'rect'] as const) {
    it(`${window}: windowLength 1, hop 1 is the identity (rfft of one sample is the sample)`, () => {
      const x = Multichannel.fromChannels([[1, -2, 3.5, 0.25]]);
      const s = stft(x, { windowLength: 1, hop: 1, window });
      expect(Array.from(s.re)).toEqual([1, -2, 3.5, 0.25]);
      expect(Array.from(istft(s).data)).toEqual([1, -2, 3.5, 0.25]);
    });
  }
});

describe('chebyshevWeights against scipy.signal.windows.chebwin', () => {
  for (const r of refs.chebwin) {
    it(`n=${r.n} at=${r.at}`, () => {
      expectClose(chebyshevWeights(r.n, r.at), r.values, { atol: 1e-12, label: `chebwin(${r.n}, ${r.at})` });
    });
  }
  it('a negative attenuation gives the same taper as its absolute value', () => {
    expect(Array.from(chebyshevWeights(7, -40))).toEqual(Array.from(chebyshevWeights(7, 40)));
  });
  it('rejects a non-finite attenuation', () => {
    expectPointwiseError(() => chebyshevWeights(5, NaN), ValueError, /^chebyshevWeights: sidelobeDb must be/);
    expectPointwiseError(() => chebyshevWeights(5, Infinity), ValueError, /^chebyshevWeights: sidelobeDb must be/);
  });
});
