import { describe, expect, it } from 'vitest';
import { coherence, csd, medianBias, periodogram, spectrogram, welch } from '../../src/spectrum/spectral.js';
import { detrend, hilbert } from '../../src/spectrum/analytic.js';
import { findPeaks, peakProminences, peakWidths } from '../../src/spectrum/peaks.js';
import { fftfreq, fftshift, ifftshift, rfftfreq } from '../../src/fft/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { expectClose, expectPointwiseError, Rng } from '../helpers/index.js';

function sum(a: ArrayLike<number>, f: (v: number) => number = (v) => v): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += f(a[i]);
  return s;
}

describe('fftfreq / rfftfreq / fftshift / ifftshift', () => {
  it('hand-worked values (numpy.fft docs)', () => {
    expect(Array.from(fftfreq(4, 0.1))).toEqual([0, 2.5, -5, -2.5]);
    expect(Array.from(fftfreq(5))).toEqual([0, 0.2, 0.4, -0.4, -0.2]);
    expect(Array.from(rfftfreq(5, 0.5))).toEqual([0, 0.4, 0.8]);
    expect(Array.from(rfftfreq(8, 1 / 8))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(fftshift([0, 1, 2, -2, -1]))).toEqual([-2, -1, 0, 1, 2]);
    expect(Array.from(ifftshift([-2, -1, 0, 1, 2]))).toEqual([0, 1, 2, -2, -1]);
    expect(Array.from(fftshift([0, 1, -2, -1]))).toEqual([-2, -1, 0, 1]);
  });
  for (let n = 1; n <= 12; n++) {
    it(`n=${n}: fftshift(fftfreq) increases; ifftshift inverts fftshift; rfftfreq is the head of fftfreq (up to the sign of n/2)`, () => {
      const f = fftshift(fftfreq(n, 0.25));
      for (let i = 1; i < n; i++) expect(f[i]).toBeGreaterThan(f[i - 1]);
      const a = Float64Array.from({ length: n }, (_, i) => i * i + 1);
      expect(Array.from(ifftshift(fftshift(a)))).toEqual(Array.from(a));
      const r = rfftfreq(n, 0.25), full = fftfreq(n, 0.25);
      for (let k = 0; k < r.length; k++) expect(Math.abs(r[k])).toBe(Math.abs(full[k]));
    });
  }
  it('bad input', () => {
    expectPointwiseError(() => fftfreq(0), ValueError, /^fftfreq: n must be an integer ≥ 1; got 0/);
    expectPointwiseError(() => rfftfreq(4, 0), ValueError, /^rfftfreq: d \(sample spacing\) must be non-zero; got 0/);
    expectPointwiseError(() => fftfreq(4, NaN), ValueError, /^fftfreq: d must be finite; got NaN/);
    expectPointwiseError(() => fftshift('abc' as never), ArgumentTypeError, /^fftshift: x must be a Float64Array/);
  });
});

describe('spectral estimators: properties', () => {
  const rng = new Rng(707);
  const N = 4096, fs = 1000;
  it(`Parseval: Σ periodogram · Δf = mean(x²) for boxcar, no detrend, density (even and odd N, seed ${rng.seed})`, () => {
    for (const n of [N, N - 1]) {
      const x = new Multichannel(rng.normals(2 * n), 2, n, { sampleRate: fs });
      const { f, pxx } = periodogram(x, { detrend: false });
      for (let c = 0; c < 2; c++) {
        const p = pxx.channel(c);
        const total = sum(p) * (f[1] - f[0]);
        const ms = sum(x.channel(c), (v) => v * v) / n;
        expect(Math.abs(total - ms) / ms).toBeLessThan(1e-12);
      }
    }
  });
  it("welch 'spectrum' scaling shows a bin-centred sinusoid of amplitude A as A²/2; 'density' integrates to A²/2", () => {
    const A = 3, k0 = 64, nperseg = 512;
    const x = Float64Array.from({ length: N }, (_, t) => A * Math.cos((2 * Math.PI * k0 * t) / nperseg));
    const s = welch(new Multichannel(x, 1, N, { sampleRate: fs }), { nperseg, scaling: 'spectrum' });
    expect(s.f[k0]).toBeCloseTo((k0 * fs) / nperseg, 12);
    expect(s.pxx.data[k0]).toBeCloseTo((A * A) / 2, 10);
    const d = welch(new Multichannel(x, 1, N, { sampleRate: fs }), { nperseg });
    const total = sum(d.pxx.data) * (d.f[1] - d.f[0]);
    expect(total).toBeCloseTo((A * A) / 2, 8);
  });
  it('medianBias: scipy values (1 for one and two segments, 1 + 1/3 − 1/2 for three)', () => {
    expect(medianBias(1)).toBe(1);
    expect(medianBias(2)).toBe(1);
    expect(medianBias(3)).toBeCloseTo(1 + 1 / 3 - 1 / 2, 15);
    expect(Math.abs(medianBias(1001) - Math.log(2))).toBeLessThan(1e-3); // tends to ln 2
  });
  it('csd(x, x) is welch(x) with zero imaginary part; coherence(x, 2x + 1) = 1; coherence of independent noise is small', () => {
    const x = new Multichannel(rng.normals(3 * N), 3, N);
    const w = welch(x, { nperseg: 256 });
    const c = csd(x, x, { nperseg: 256 });
    expectClose(c.re.data, w.pxx.data, { rtol: 1e-12 });
    expect(Math.max(...c.im.data.map(Math.abs))).toBe(0);
    const y = new Multichannel(x.data.map((v) => 2 * v + 1), 3, N);
    expectClose(coherence(x, y, { nperseg: 256 }).cxy.data, new Float64Array(3 * 129).fill(1), { atol: 1e-12 });
    const z = new Multichannel(rng.normals(N), 1, N);
    const noise = coherence(x, z, { nperseg: 256 });
    expect(noise.cxy.channels).toBe(3);
    expect(sum(noise.cxy.data) / noise.cxy.data.length).toBeLessThan(0.1);
  });
  it('a one-channel y pairs with every channel of x; the shorter signal is zero-padded (as scipy)', () => {
    const x = new Multichannel(rng.normals(2 * 300), 2, 300);
    const y = rng.normals(250);
    const c = csd(x, y, { nperseg: 64 });
    const padded = new Float64Array(300);
    padded.set(y);
    const c1 = csd(x.slice(0, 300), new Multichannel(padded, 1, 300), { nperseg: 64 });
    expect(Array.from(c.re.data)).toEqual(Array.from(c1.re.data));
    const c0 = csd(new Multichannel(x.channel(1), 1, 300), new Multichannel(padded, 1, 300), { nperseg: 64 });
    expect(Array.from(c.re.channel(1))).toEqual(Array.from(c0.re.channel(0)));
  });
  it('nperseg longer than the signal is shortened to its length, as scipy does (reported in the result)', () => {
    const x = rng.normals(100);
    const a = welch(x, { nperseg: 1000 });
    const b = welch(x, { nperseg: 100 });
    expect(a.nperseg).toBe(100);
    expect(a.segments).toBe(1);
    expect(Array.from(a.pxx.data)).toEqual(Array.from(b.pxx.data));
    expect(welch(x).nperseg).toBe(100); // default 256
  });
  it('fs defaults to x.sampleRate, else 1; spectrogram times are segment centres', () => {
    const x = new Multichannel(rng.normals(1000), 1, 1000, { sampleRate: 250 });
    expect(welch(x, { nperseg: 100 }).f[1]).toBe(2.5);
    expect(welch(x.data, { nperseg: 100 }).f[1]).toBe(0.01);
    const s = spectrogram(x, { nperseg: 100, noverlap: 50 });
    expect(s.t[0]).toBe(50 / 250);
    expect(s.t[1] - s.t[0]).toBeCloseTo(50 / 250, 15);
    expect(s.frames).toBe(19);
  });
});

describe('hilbert / detrend: properties', () => {
  it('hilbert(cos) = cos + i·sin over whole periods; the envelope of A·cos is A', () => {
    const n = 64;
    const x = Float64Array.from({ length: n }, (_, t) => 2 * Math.cos((2 * Math.PI * 5 * t) / n));
    const { re, im } = hilbert(x);
    expectClose(re.data, x, { atol: 1e-13 });
    expectClose(im.data, x.map((_, t) => 2 * Math.sin((2 * Math.PI * 5 * t) / n)), { atol: 1e-13 });
  });
  it('detrend removes lines exactly and keeps sampleRate; constant removes the mean', () => {
    const x = new Multichannel(Float64Array.from({ length: 20 }, (_, t) => 3 - 0.5 * t), 1, 20, { sampleRate: 8 });
    const y = detrend(x);
    expect(y.sampleRate).toBe(8);
    expectClose(y.data, new Float64Array(20), { atol: 1e-13 });
    const z = detrend([1, 2, 3, 6], { type: 'constant' });
    expect(Array.from(z.data)).toEqual([-2, -1, 0, 3]);
    // two pieces, each a line of its own
    const v = Float64Array.from({ length: 20 }, (_, t) => (t < 10 ? t : 50 - 2 * t));
    expectClose(detrend(v, { bp: [10] }).data, new Float64Array(20), { atol: 1e-13 });
  });
});

describe('findPeaks: hand-worked', () => {
  it('scipy docstring-style example: plateaus count once at their middle, ends are never peaks', () => {
    const x = [0, 1, 0, 2, 2, 2, 0, 3, 3, 0, 5];
    const { peaks, properties } = findPeaks(x, { plateauSize: 1 });
    expect(Array.from(peaks)).toEqual([1, 4, 7]);
    expect(Array.from(properties.plateauSizes!)).toEqual([1, 3, 2]);
    expect(Array.from(properties.leftEdges!)).toEqual([1, 3, 7]);
    expect(Array.from(properties.rightEdges!)).toEqual([1, 5, 8]);
  });
  it('prominence and width of simple peaks', () => {
    const pr = peakProminences([0, 2, 1, 3, 0], [1, 3]);
    expect(Array.from(pr.prominences)).toEqual([1, 3]);
    expect(Array.from(pr.leftBases)).toEqual([0, 0]);
    expect(Array.from(pr.rightBases)).toEqual([2, 4]);
    const w = peakWidths([0, 1, 2, 1, 0], [2]);
    expect(Array.from(w.widths)).toEqual([2]);
    expect(Array.from(w.widthHeights)).toEqual([1]);
  });
  it('distance keeps the highest peak of a cluster', () => {
    const x = [0, 3, 0, 5, 0, 4, 0, 0, 0, 2, 0];
    expect(Array.from(findPeaks(x, { distance: 3 }).peaks)).toEqual([3, 9]);
    expect(Array.from(findPeaks(x, { distance: 1 }).peaks)).toEqual([1, 3, 5, 9]);
  });
});

describe('bad input', () => {
  const x = new Multichannel(Float64Array.from({ length: 64 }, (_, i) => Math.sin(i)), 1, 64);
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['welch empty', () => welch(new Float64Array(0)), ShapeError, /^welch: x must not be empty/],
    ['welch NaN', () => welch([1, NaN, 2]), ValueError, /^welch: x must hold only finite values; got NaN at index 1/],
    ['welch noverlap = nperseg', () => welch(x, { nperseg: 16, noverlap: 16 }), ValueError, /^welch: options.noverlap must be less than nperseg = 16; got 16/],
    ['welch noverlap ≥ shortened nperseg', () => welch(x, { nperseg: 100, noverlap: 64 }), ValueError, /^welch: options.noverlap must be less than nperseg = 64; got 64/],
    ['welch negative noverlap', () => welch(x, { nperseg: 16, noverlap: -1 }), ValueError, /^welch: options.noverlap must be an integer ≥ 0; got -1/],
    ['welch nfft < nperseg', () => welch(x, { nperseg: 16, nfft: 8 }), ValueError, /^welch: options.nfft must be an integer ≥ 16; got 8/],
    ['welch nperseg 0', () => welch(x, { nperseg: 0 }), ValueError, /^welch: options.nperseg must be an integer ≥ 1; got 0/],
    ['welch window array longer than x', () => welch(x, { window: new Float64Array(65).fill(1) }), ShapeError, /^welch: the window \(65 samples\) must not be longer than the signal \(64 samples\)/],
    ['welch nperseg ≠ window length', () => welch(x, { window: new Float64Array(8).fill(1), nperseg: 16 }), ShapeError, /^welch: options.nperseg must equal the window's length 8; got 16/],
    ['welch unknown window', () => welch(x, { window: 'blackmanish' }), ValueError, /^welch: options.window must be a window getWindow knows/],
    ['welch unknown scaling', () => welch(x, { scaling: 'power' as never }), ValueError, /^welch: options.scaling must be one of 'density', 'spectrum'; got "power"/],
    ['welch unknown average', () => welch(x, { average: 'mode' as never }), ValueError, /^welch: options.average must be one of 'mean', 'median'; got "mode"/],
    ['welch unknown detrend', () => welch(x, { detrend: 'quadratic' as never }), ValueError, /^welch: options.detrend must be one of 'constant', 'linear'; got "quadratic"/],
    ['welch fs 0', () => welch(x, { fs: 0 }), ValueError, /^welch: fs must be > 0; got 0/],
    ['welch options not an object', () => welch(x, 5 as never), ArgumentTypeError, /^welch: options must be an object; got 5/],
    ['csd channel mismatch', () => csd(new Multichannel(new Float64Array(128), 2, 64), new Multichannel(new Float64Array(192), 3, 64)), ShapeError, /^csd: y must have 1 channel or as many as x \(2\); got 3/],
    ['csd sample rates differ', () => csd(new Multichannel(new Float64Array(64), 1, 64, { sampleRate: 8 }), new Multichannel(new Float64Array(64), 1, 64, { sampleRate: 16 })), ValueError, /^csd: x and y must have the same sampleRate \(x: 8 Hz\) unless options.fs is given; got 16/],
    ['periodogram window length', () => periodogram(x, { window: new Float64Array(10) }), ShapeError, /^periodogram: options.window must have 64 samples \(the analysed length\); got 10/],
    ['spectrogram unknown mode', () => spectrogram(x, { mode: 'power' as never }), ValueError, /^spectrogram: options.mode must be one of 'psd', 'complex', 'magnitude', 'angle', 'phase'; got "power"/],
    ['coherence y not a signal', () => coherence(x, 'y' as never), ArgumentTypeError, /^coherence: y must be a Multichannel/],
    ['hilbert N 0', () => hilbert(x, { N: 0 }), ValueError, /^hilbert: options.N must be an integer ≥ 1; got 0/],
    ['hilbert NaN', () => hilbert([1, Infinity]), ValueError, /^hilbert: x must hold only finite values; got Infinity at index 1/],
    ['detrend bp beyond N', () => detrend(x, { bp: [65] }), ValueError, /^detrend: options.bp\[i\] must be an integer in \[0, 64\]; got 65/],
    ['detrend bp with constant', () => detrend(x, { type: 'constant', bp: [3] }), ValueError, /^detrend: options.bp applies to type 'linear' only/],
    ['detrend unknown type', () => detrend(x, { type: 'quadratic' as never }), ValueError, /^detrend: options.type must be one of 'linear', 'constant'; got "quadratic"/],
    ['findPeaks distance < 1', () => findPeaks([0, 1, 0], { distance: 0.5 }), ValueError, /^findPeaks: options.distance must be ≥ 1; got 0.5/],
    ['findPeaks wlen 1', () => findPeaks([0, 1, 0], { prominence: 0, wlen: 1 }), ValueError, /^findPeaks: options.wlen must be larger than 1; got 1/],
    ['findPeaks relHeight < 0', () => findPeaks([0, 1, 0], { width: 0, relHeight: -0.5 }), ValueError, /^findPeaks: options.relHeight must be ≥ 0; got -0.5/],
    ['findPeaks per-sample bounds of the wrong length', () => findPeaks([0, 1, 0, 2, 0], { height: [0, 0, 0] }), ShapeError, /^findPeaks: options.height: the array of lower bounds must have one value per sample of x \(5\); got 3/],
    ['findPeaks NaN', () => findPeaks([0, NaN, 0]), ValueError, /^findPeaks: x must hold only finite values; got NaN at index 1/],
    ['findPeaks x not an array', () => findPeaks('abc' as never), ArgumentTypeError, /^findPeaks: x must be a number\[\], Float64Array or Float32Array/],
    ['findPeaks malformed condition', () => findPeaks([0, 1, 0], { height: 'high' as never }), ArgumentTypeError, /^findPeaks: options.height must be a number, an array as long as x, or \[min, max\]/],
    ['peakProminences peak out of range', () => peakProminences([0, 1, 0], [3]), ValueError, /^peakProminences: peaks must be indices of x, integers in \[0, 2\]; got 3 at index 0/],
  ];
  for (const [label, f, cls, re] of cases) it(label, () => expectPointwiseError(f, cls, re, label));
});

describe('finite results where scipy gives NaN', () => {
  it('coherence is 0 (not NaN) at bins without power (a silent channel)', () => {
    const rng = new Rng(808);
    const x = new Multichannel(Float64Array.from([...rng.normals(256), ...new Float64Array(256)]), 2, 256);
    const y = rng.normals(256);
    const c = coherence(x, y, { nperseg: 64, window: 'boxcar' });
    expect(c.cxy.data.every(Number.isFinite)).toBe(true);
    expect(Array.from(c.cxy.channel(1))).toEqual(new Array(33).fill(0));
    expect(c.cxy.data[5]).toBeGreaterThan(0);
  });
  it('spectrogram validates nperseg before building its default window', () => {
    expectPointwiseError(() => spectrogram(rng10(), { nperseg: -5 }), ValueError, /^spectrogram: options.nperseg must be an integer ≥ 1; got -5/);
  });
});

function rng10(): Float64Array {
  return new Rng(9).normals(10);
}
