/**
 * Evaluation helpers: hand-worked values, properties (scale invariance, projections), bad inputs.
 */
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { directToReverberantRatio, measuredArrayGain, segmentalSnr, sir, snr } from '../../src/beamform/metrics.js';
import { Rng, expectPointwiseError } from '../helpers/index.js';

const rng = new Rng(11);
const noise = (n: number) => new Float64Array(n).map(() => rng.normal());

describe('snr / segmentalSnr', () => {
  it('hand-worked: [1,2,3] vs [1,2,3.1] is 10·log10(14/0.01)', () => {
    expect(snr([1, 2, 3.1], [1, 2, 3])).toBeCloseTo(10 * Math.log10(14 / 0.01), 9);
  });
  it('scale-invariant SNR ignores the estimate\'s gain; plain SNR does not', () => {
    const r = noise(1000);
    const e = r.map((v) => v + 0.1 * rng.normal());
    const e3 = e.map((v) => 3 * v);
    expect(snr(e3, r, { scaleInvariant: true })).toBeCloseTo(snr(e, r, { scaleInvariant: true }), 9);
    expect(snr(e3, r)).toBeLessThan(snr(e, r) - 5);
  });
  it('segmental SNR: per-frame values clamped to [−10, 35], silent frames skipped', () => {
    const r = new Float64Array(300);
    const e = new Float64Array(300);
    for (let i = 0; i < 100; i++) [r[i], e[i]] = [1, 1.01]; // 40 dB → 35
    for (let i = 100; i < 200; i++) [r[i], e[i]] = [1, 1.1]; // 20 dB
    // 200…299 all zero: skipped
    expect(segmentalSnr(e, r, { frameLength: 100 })).toBeCloseTo((35 + 20) / 2, 9);
    for (let i = 200; i < 300; i++) e[i] = 1; // reference silent, error present: clamped to −10
    expect(segmentalSnr(e, r, { frameLength: 100 })).toBeCloseTo((35 + 20 - 10) / 3, 9);
  });
});

describe('sir', () => {
  it('estimate = s + 0.1·i gives 20 dB (gain projection), independent of the target\'s gain', () => {
    const N = 4000;
    const s = noise(N);
    const i1 = noise(N);
    const est = s.map((v, t) => 2 * v + 0.2 * i1[t] + 0.01 * Math.sin(t));
    const I = new Multichannel(i1, 1, N);
    // ‖2s‖² / ‖0.2 i‖² up to the small cross-correlation of independent noises
    expect(sir(est, s, I)).toBeCloseTo(20, 0);
  });
  it('with taps, a delayed interferer is still found (gain-only projection misses it)', () => {
    const N = 4000;
    const s = noise(N);
    const i1 = noise(N);
    const est = s.map((v, t) => v + (t >= 3 ? 0.3 * i1[t - 3] : 0));
    const I = new Multichannel(i1, 1, N);
    expect(sir(est, s, I, { taps: 8 })).toBeCloseTo(10 * Math.log10(1 / 0.09), 0);
    expect(sir(est, s, I)).toBeGreaterThan(25);
  });
});

describe('directToReverberantRatio', () => {
  it('hand-worked: peak 1 at t=10, ±1 sample window holds 1 + 0.25, tail 0.5²·2', () => {
    const h = new Float64Array(40);
    h[10] = 1;
    h[11] = 0.5;
    h[20] = 0.5;
    h[30] = -0.5;
    const fs = 1000; // directMs 1 → ±1 sample
    expect(directToReverberantRatio(h, { sampleRate: fs, directMs: 1 })[0]).toBeCloseTo(10 * Math.log10(1.25 / 0.5), 12);
    const two = new Multichannel(Float64Array.from([...h, ...h.map((v) => 2 * v)]), 2, 40, { sampleRate: fs });
    const d = directToReverberantRatio(two, { directMs: 1 });
    expect(d[1]).toBeCloseTo(d[0], 12);
  });
});

describe('measuredArrayGain', () => {
  it('averaging M channels of a common signal in independent noise gains 10·log10(M)', () => {
    const M = 8;
    const N = 20000;
    const s = noise(N);
    const sIn = new Multichannel(new Float64Array(M * N).map((_, k) => s[k % N]), M, N);
    const nIn = new Multichannel(noise(M * N), M, N);
    const avg = (x: Multichannel) => {
      const y = new Float64Array(N);
      for (let m = 0; m < M; m++) for (let t = 0; t < N; t++) y[t] += x.data[m * N + t] / M;
      return new Multichannel(y, 1, N);
    };
    expect(measuredArrayGain(sIn, nIn, avg(sIn), avg(nIn))).toBeCloseTo(10 * Math.log10(M), 0);
  });
});

describe('metrics: bad input', () => {
  const a = [1, 2, 3];
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['snr type', () => snr('abc' as never, a), ArgumentTypeError, /snr: estimate must be/],
    ['snr empty', () => snr([], []), ShapeError, /snr: estimate must not be empty/],
    ['snr lengths', () => snr([1, 2], a), ShapeError, /snr: estimate must have as many samples as reference \(3\); got 2/],
    ['snr NaN', () => snr([1, NaN, 3], a), ValueError, /finite/],
    ['snr channels', () => snr(new Multichannel(new Float64Array(6), 2, 3), a), ShapeError, /one channel/],
    ['segmental frame', () => segmentalSnr(a, a, { frameLength: 0 }), ValueError, /frameLength/],
    ['segmental clamp', () => segmentalSnr(a, a, { minDb: 5, maxDb: 5 }), ValueError, /minDb must be below maxDb/],
    ['sir interference', () => sir(a, a, [1, 2, 3] as never), ArgumentTypeError, /sir: interference must be a Multichannel/],
    ['sir length', () => sir(a, a, new Multichannel(new Float64Array(2), 1, 2)), ShapeError, /as many samples as the estimate \(3\)/],
    ['drr rate', () => directToReverberantRatio(a), ValueError, /directToReverberantRatio: the sample rate/],
    ['drr window', () => directToReverberantRatio(a, { sampleRate: 10, directMs: 0 }), ValueError, /directMs/],
    ['gain type', () => measuredArrayGain(a as never, a as never, a as never, a as never), ArgumentTypeError, /measuredArrayGain: signalIn must be a Multichannel/],
    ['gain shapes', () => measuredArrayGain(new Multichannel(new Float64Array(4), 2, 2), new Multichannel(new Float64Array(2), 1, 2), new Multichannel(new Float64Array(2), 1, 2), new Multichannel(new Float64Array(2), 1, 2)), ShapeError, /noiseIn must have the shape of signalIn/],
  ];
  for (const [name, f, cls, re] of table) it(name, () => expectPointwiseError(f, cls, re));
});
