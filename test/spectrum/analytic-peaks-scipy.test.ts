import { describe, expect, it } from 'vitest';
import { detrend, hilbert } from '../../src/spectrum/analytic.js';
import { findPeaks, peakProminences, peakWidths, type FindPeaksOptions, type PeakProperties } from '../../src/spectrum/peaks.js';
import { expectClose, loadFixture, maxAbs } from '../helpers/index.js';
import { signal, type SignalSpec } from './signals.js';

interface Refs {
  cases: {
    hilbert: { signal: SignalSpec; N: number | null; re: number[][]; im: number[][] }[];
    detrend: { signal: SignalSpec; options: { type?: 'linear' | 'constant'; bp?: number[] }; y: number[][] }[];
    find_peaks: { signal: SignalSpec; options: Record<string, unknown>; peaks: number[]; properties: Record<string, number[]> }[];
  };
}
const refs = loadFixture<Refs>('spectrum.json');

function close(actual: ArrayLike<number>, expected: number[] | number[][], label: string, floorScale?: number): void {
  const e = (expected as unknown[]).flat() as number[];
  expectClose(actual, e, { rtol: 1e-10, atol: 1e-12 * (floorScale ?? maxAbs(e)), label });
}

describe('hilbert against scipy.signal.hilbert', () => {
  for (const r of refs.cases.hilbert) {
    it(`n=${r.signal.n} N=${r.N}`, () => {
      const out = hilbert(signal(r.signal), r.N === null ? {} : { N: r.N });
      close(out.re.data, r.re, 're');
      close(out.im.data, r.im, 'im');
    });
  }
});

describe('detrend against scipy.signal.detrend', () => {
  for (const r of refs.cases.detrend) {
    it(JSON.stringify(r.options), () => {
      const x = signal(r.signal);
      // residuals are near 0: the floor is relative to the signal's scale
      close(detrend(x, r.options).data, r.y, 'y', maxAbs(x.data) * 10);
    });
  }
});

const PROPS: [string, keyof PeakProperties][] = [
  ['plateau_sizes', 'plateauSizes'], ['left_edges', 'leftEdges'], ['right_edges', 'rightEdges'], ['peak_heights', 'peakHeights'],
  ['left_thresholds', 'leftThresholds'], ['right_thresholds', 'rightThresholds'], ['prominences', 'prominences'],
  ['left_bases', 'leftBases'], ['right_bases', 'rightBases'], ['widths', 'widths'], ['width_heights', 'widthHeights'],
  ['left_ips', 'leftIps'], ['right_ips', 'rightIps'],
];

function peakOptions(o: Record<string, unknown>, n: number): FindPeaksOptions {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const { lo, hi } = v as { lo: number; hi: number };
      r[k] = Float64Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + (i * (hi - lo)) / (n - 1)));
    } else r[k] = v;
  }
  return r as FindPeaksOptions;
}

describe('findPeaks against scipy.signal.find_peaks', () => {
  for (const r of refs.cases.find_peaks) {
    it(`${r.signal.quantize ? 'quantized ' : ''}${JSON.stringify(r.options)}`, () => {
      const x = signal(r.signal).data as Float64Array;
      const { peaks, properties } = findPeaks(x, peakOptions(r.options, x.length));
      expect(Array.from(peaks)).toEqual(r.peaks);
      const expectedKeys = PROPS.filter(([py]) => py in r.properties).map(([, ts]) => ts).sort();
      expect(Object.keys(properties).sort()).toEqual(expectedKeys);
      for (const [py, ts] of PROPS) {
        if (!(py in r.properties)) continue;
        close(properties[ts]!, r.properties[py], ts, 1);
      }
    });
  }
  it('peakProminences and peakWidths equal the properties findPeaks reports', () => {
    const r = refs.cases.find_peaks.find((c) => 'width' in c.options && 'wlen' in c.options)!;
    const x = signal(r.signal).data as Float64Array;
    const o = r.options as { wlen: number; relHeight: number };
    const pr = peakProminences(x, r.peaks, { wlen: o.wlen });
    close(pr.prominences, r.properties.prominences, 'prominences', 1);
    expect(Array.from(pr.leftBases)).toEqual(r.properties.left_bases);
    const w = peakWidths(x, r.peaks, { wlen: o.wlen, relHeight: o.relHeight });
    close(w.widths, r.properties.widths, 'widths', 1);
    close(w.leftIps, r.properties.left_ips, 'left_ips', 1);
  });
});
