import { describe, expect, it } from 'vitest';
import { coherence, csd, periodogram, spectrogram, welch, type SpectralOptions } from '../../src/spectrum/spectral.js';
import { getWindow, type WindowName } from '../../src/fft/window.js';
import { expectClose, loadFixture, maxAbs } from '../helpers/index.js';
import { signal, type SignalSpec } from './signals.js';

/** scipy 1.10 reference values written by scripts/fixtures/make_spectrum.py. */
type Opts = Record<string, unknown> & { window?: string | { array: string; n: number } };
interface Refs {
  cases: {
    welch: { signal: SignalSpec; options: Opts; f: number[]; pxx: number[][] | number[] }[];
    csd: { x: SignalSpec; y: SignalSpec; options: Opts; f: number[]; re: number[]; im: number[] }[];
    coherence: { x: SignalSpec; y: SignalSpec; options: Opts; f: number[]; cxy: number[] }[];
    periodogram: { signal: SignalSpec; options: Opts; f: number[]; pxx: number[][] }[];
    spectrogram: { signal: SignalSpec; options: Opts; f: number[]; t: number[]; sxx?: number[][]; re?: number[][]; im?: number[][] }[];
  };
}
const refs = loadFixture<Refs>('spectrum.json');

/** Fixture options → ours (a window given as {array, n} becomes that window's samples). */
export function options(o: Opts): SpectralOptions & Record<string, unknown> {
  const r: Record<string, unknown> = { ...o };
  if (typeof o.window === 'object') r.window = getWindow(o.window.array as WindowName, o.window.n);
  return r as SpectralOptions & Record<string, unknown>;
}

/** 1e-10 relative, with an absolute floor of 1e-12 of the array's largest value. */
export function close(actual: ArrayLike<number>, expected: number[] | number[][], label: string): void {
  const e = (expected as unknown[]).flat(2) as number[];
  expectClose(actual, e, { rtol: 1e-10, atol: 1e-12 * maxAbs(e), label });
}

/** [C, F, T] (scipy) → (c, t, f) order of our spectrogram. */
function swapFT(a: number[][], frames: number, bins: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < frames; j++) for (let k = 0; k < bins; k++) out.push(a[k][j]);
  return out;
}

const name = (o: Opts): string => JSON.stringify(o);

describe('welch against scipy.signal.welch', () => {
  for (const r of refs.cases.welch) {
    it(`${r.signal.n}×${r.signal.channels} ${name(r.options)}`, () => {
      const out = welch(signal(r.signal), options(r.options));
      close(out.f, r.f, 'f');
      close(out.pxx.data, r.pxx, 'pxx');
    });
  }
});

describe('csd against scipy.signal.csd', () => {
  for (const r of refs.cases.csd) {
    it(name(r.options), () => {
      const out = csd(signal(r.x), signal(r.y), options(r.options));
      close(out.f, r.f, 'f');
      close(out.re.data, r.re, 're');
      close(out.im.data, r.im, 'im');
    });
  }
});

describe('coherence against scipy.signal.coherence', () => {
  for (const r of refs.cases.coherence) {
    it(name(r.options), () => {
      const out = coherence(signal(r.x), signal(r.y), options(r.options));
      close(out.f, r.f, 'f');
      close(out.cxy.data, r.cxy, 'cxy');
    });
  }
});

describe('periodogram against scipy.signal.periodogram', () => {
  for (const r of refs.cases.periodogram) {
    it(name(r.options), () => {
      const out = periodogram(signal(r.signal), options(r.options));
      close(out.f, r.f, 'f');
      close(out.pxx.data, r.pxx, 'pxx');
    });
  }
});

describe('spectrogram against scipy.signal.spectrogram', () => {
  for (const r of refs.cases.spectrogram) {
    it(name(r.options), () => {
      const out = spectrogram(signal(r.signal), options(r.options) as SpectralOptions & { mode?: 'psd' });
      close(out.f, r.f, 'f');
      close(out.t, r.t, 't');
      expect(out.frames).toBe(r.t.length);
      expect(out.bins).toBe(r.f.length);
      if (r.sxx) close(out.sxx, swapFT(r.sxx, out.frames, out.bins), 'sxx');
      else {
        close(out.sxx, swapFT(r.re!, out.frames, out.bins), 're');
        close(out.sxxIm!, swapFT(r.im!, out.frames, out.bins), 'im');
      }
    });
  }
});

