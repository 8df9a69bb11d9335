import { describe, expect, it } from 'vitest';
import { convolve, correlate, correlationLags } from '../../src/convolve/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { flat, maxAbs, refSources, sumAbs } from '../helpers/index.js';

const METHODS = ['direct', 'fft', 'overlap-add', 'auto'] as const;
type Mode = 'full' | 'same' | 'valid';

function mc(rows: number[] | number[][]): Multichannel {
  const r = Array.isArray(rows[0]) ? (rows as number[][]) : [rows as number[]];
  return new Multichannel(flat(r), r.length, r[0].length);
}

/** Asserts max error ≤ 1e-12 · Σ|x| · max|h| (+ a floor for all-zero cases). */
function expectWithinBound(got: ArrayLike<number>, want: ArrayLike<number>, x: ArrayLike<number>, h: ArrayLike<number>, label: string): void {
  expect(got.length, label).toBe(want.length);
  const bound = 1e-12 * sumAbs(x) * maxAbs(h) + 1e-300;
  let worst = 0, at = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]);
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  expect(worst, `${label}: worst error at ${at}`).toBeLessThanOrEqual(bound);
}

for (const { label: source, ref } of refSources<{ cases: { x: number[]; h: number[]; mode: Mode; convolve: number[]; correlate: number[] }[] }>('convolve_1d.json')) {
  describe(`convolve_1d.json (scipy.signal.convolve / correlate) [${source}]`, () => {
    it('every case, every method', () => {
      for (const c of ref.cases) {
        for (const method of METHODS) {
          const label = `N=${c.x.length} M=${c.h.length} ${c.mode} ${method}`;
          expectWithinBound(convolve(c.x, c.h, { mode: c.mode, method }).data, c.convolve, c.x, c.h, `convolve ${label}`);
          expectWithinBound(correlate(c.x, c.h, { mode: c.mode, method }).data, c.correlate, c.x, c.h, `correlate ${label}`);
        }
      }
    });
  });
}

for (const { label: source, ref } of refSources<{ cases: { x: number[][]; h: number[][]; mode: Mode; kernel: string; convolve: number[][] }[] }>('convolve_multichannel.json')) {
  describe(`convolve_multichannel.json (fftconvolve axes=-1) [${source}]`, () => {
    it('broadcast and per-channel kernels, every method', () => {
      for (const c of ref.cases) {
        for (const method of METHODS) {
          const x = new Multichannel(flat(c.x), c.x.length, c.x[0].length, { sampleRate: 8000, labels: c.x.map((_, i) => `m${i}`) });
          const y = convolve(x, mc(c.h), { mode: c.mode, method });
          expect(y.channels).toBe(c.x.length);
          expect(y.sampleRate).toBe(8000);
          expect(y.labels).toEqual(x.labels);
          expectWithinBound(y.data, flat(c.convolve), flat(c.x), flat(c.h), `${c.kernel} ${c.mode} ${method}`);
        }
      }
    });
  });
}

type FftconvolveCasesCase = { name: string; mode: Mode; axes: number | null; in1: unknown; in2: unknown; out: unknown };
for (const { label: source, ref } of refSources<{ cases: FftconvolveCasesCase[] }>('fftconvolve_cases.json')) {
  describe(`fftconvolve_cases.json [${source}]`, () => {
    it('1-D and axes=-1 real cases, every method (complex and 2-D-over-both-axes cases are out of scope: real 1-D-along-time API)', () => {
      let n = 0;
      for (const c of ref.cases) {
        if (c.name.includes('complex') || (c.name.startsWith('2d') && c.axes !== -1)) continue;
        for (const method of METHODS) {
          const y = convolve(mc(c.in1 as number[][]), mc(c.in2 as number[][]), { mode: c.mode, method });
          expectWithinBound(y.data, flat(c.out), flat(c.in1), flat(c.in2), `${c.name} ${method}`);
        }
        n++;
      }
      expect(n).toBeGreaterThanOrEqual(45);
    });
  });
}

type OaconvolveCase = { name: string; in1: unknown; in2: unknown; out: Record<Mode, unknown> };
for (const { label: source, ref } of refSources<{ cases: OaconvolveCase[] }>('oaconvolve.json')) {
  describe(`oaconvolve.json [${source}]`, () => {
    it('all modes, every method', () => {
      for (const c of ref.cases) {
        for (const mode of ['full', 'same', 'valid'] as const) {
          for (const method of METHODS) {
            const y = convolve(mc(c.in1 as number[][]), mc(c.in2 as number[][]), { mode, method });
            expectWithinBound(y.data, flat(c.out[mode]), flat(c.in1), flat(c.in2), `${c.name} ${mode} ${method}`);
          }
        }
      }
    });
  });
}

type CorrelateLagsCase = { name: string; mode: Mode; in1: unknown; in2: unknown; out: unknown; lags: number[]; argmax_lag?: number };
for (const { label: source, ref } of refSources<{ cases: CorrelateLagsCase[] }>('correlate_lags.json')) {
  describe(`correlate_lags.json [${source}]`, () => {
    it('values and lags of the real cases, every method', () => {
      for (const c of ref.cases) {
        if (c.name.includes('complex')) continue;
        const x = mc(c.in1 as number[][]), h = mc(c.in2 as number[][]);
        for (const method of METHODS) {
          const y = correlate(x, h, { mode: c.mode, method });
          expectWithinBound(y.data, flat(c.out), flat(c.in1), flat(c.in2), `${c.name} ${method}`);
        }
        expect(Array.from(correlationLags(x.length, h.length, c.mode)), c.name).toEqual(c.lags);
        if (c.argmax_lag !== undefined) {
          const y = correlate(x, h, { mode: c.mode });
          let best = 0;
          for (let i = 1; i < y.length; i++) if (y.data[i] > y.data[best]) best = i;
          expect(correlationLags(x.length, h.length)[best]).toBe(c.argmax_lag);
        }
      }
    });
  });
}
