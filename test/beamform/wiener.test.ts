/**
 * Learned beamformers: the multichannel Wiener filter against per-bin numpy.linalg.lstsq
 * (test/fixtures/refs/mwf.json), its SIR on held-out simulated audio against delay-and-sum, the
 * learned filter-and-sum (trained vs closed form), and bad inputs.
 */
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { ArgumentTypeError, NumericalError, ShapeError, ValueError } from '../../src/core/errors.js';
import { ArrayGeometry, direction } from '../../src/beamform/geometry.js';
import { simulatePlaneWave } from '../../src/beamform/simulate.js';
import { delayAndSum } from '../../src/beamform/das.js';
import { applyFilterAndSum, applyPerBinFilter, fitFilterAndSum, fitLeastSquaresPerBin, fitMultichannelWiener, tapStack } from '../../src/beamform/wiener.js';
import { stft } from '../../src/fft/index.js';
import { Rng, expectPointwiseError, loadFixture } from '../helpers/index.js';

interface MwfRef {
  meta: { fs: number; window_length: number; hop: number; x: number[][]; target: number[] };
  cases: { name: string; weights_re: number[][]; weights_im: number[][] }[];
}

describe('multichannel Wiener filter: per-bin numpy.linalg.lstsq (mwf.json)', () => {
  const ref = loadFixture<MwfRef>('mwf.json');
  const m = ref.meta;
  const x = new Multichannel(Float64Array.from(m.x.flat()), m.x.length, m.x[0].length, { sampleRate: m.fs });
  const d = new Multichannel(Float64Array.from(m.target), 1, m.target.length, { sampleRate: m.fs });
  it('weights equal the reference to 1e-10 (relative to the largest weight), no ridge', () => {
    const f = fitMultichannelWiener(x, d, { windowLength: m.window_length, hop: m.hop, diagonalLoading: 0 });
    const re = ref.cases[0].weights_re.flat();
    const im = ref.cases[0].weights_im.flat();
    const scale = Math.max(...re.map(Math.abs), ...im.map(Math.abs));
    let worst = 0;
    let at = -1;
    for (let i = 0; i < re.length; i++) {
      const e = Math.hypot(f.re[i] - re[i], f.im[i] - im[i]) / scale;
      if (e > worst) [worst, at] = [e, i];
    }
    expect(worst, `worst at bin ${Math.floor(at / 4)}, mic ${at % 4}`).toBeLessThan(1e-10);
  });
  it('a target that is a per-bin mix of the channels is recovered exactly', () => {
    const X = stft(x, { windowLength: 128, hop: 64, window: 'sqrt-hann' });
    const y = stft(new Multichannel(Float64Array.from(x.data.subarray(0, x.length)).map((v, i) => 0.5 * v - 0.25 * x.data[x.length + i]), 1, x.length), { windowLength: 128, hop: 64, window: 'sqrt-hann' });
    const W = fitLeastSquaresPerBin(X, y);
    for (let k = 1; k < X.bins; k++) {
      expect(W.re[k * 4]).toBeCloseTo(0.5, 9);
      expect(W.re[k * 4 + 1]).toBeCloseTo(-0.25, 9);
      expect(Math.abs(W.im[k * 4]) + Math.abs(W.re[k * 4 + 2]) + Math.abs(W.re[k * 4 + 3])).toBeLessThan(1e-9);
    }
  });
});

/** Two talkers (coloured noise) on an 8-mic line, simulated component by component. */
function scene() {
  const rng = new Rng(23);
  const fs = 16000;
  const N = 2 * fs;
  const colour = (a: number) => {
    const s = new Float64Array(N);
    let p = 0;
    for (let t = 0; t < N; t++) s[t] = p = a * p + rng.normal();
    return s;
  };
  const g = ArrayGeometry.linear(8, 0.04);
  const look = direction(60);
  const xs = simulatePlaneWave(colour(0.9), g, look, { sampleRate: fs });
  const xi = simulatePlaneWave(colour(0.8), g, direction(125), { sampleRate: fs });
  const half = (x: Multichannel, h: 0 | 1) => {
    const n = N / 2;
    const out = new Float64Array(x.channels * n);
    for (let c = 0; c < x.channels; c++) out.set(x.data.subarray(c * N + h * n, c * N + (h + 1) * n), c * n);
    return new Multichannel(out, x.channels, n, { sampleRate: fs });
  };
  const add = (a: Multichannel, b: Multichannel) => new Multichannel(a.data.map((v, i) => v + b.data[i]), a.channels, a.length, { sampleRate: fs });
  return { g, look, fs, xs, xi, half, add };
}

const powerDb = (a: Multichannel, b: Multichannel) => {
  let p = 0;
  let q = 0;
  for (const v of a.data) p += v * v;
  for (const v of b.data) q += v * v;
  return 10 * Math.log10(p / q);
};

describe('learned beamformers on a simulated two-talker scene (train on the first half, test on the second)', () => {
  const { g, look, xs, xi, half, add } = scene();
  const train = add(half(xs, 0), half(xi, 0));
  const ref = new Multichannel(half(xs, 0).data.slice(0, half(xs, 0).length), 1, half(xs, 0).length);
  const sTest = half(xs, 1);
  const iTest = half(xi, 1);
  const dasSir = powerDb(delayAndSum(sTest, g, look), delayAndSum(iTest, g, look));
  it('MWF improves SIR over delay-and-sum by ≥ 10 dB on held-out audio', () => {
    const f = fitMultichannelWiener(train, ref, { windowLength: 512 });
    const mwfSir = powerDb(applyPerBinFilter(f, sTest), applyPerBinFilter(f, iTest));
    expect(mwfSir - dasSir, `MWF ${mwfSir.toFixed(1)} dB, DAS ${dasSir.toFixed(1)} dB`).toBeGreaterThan(10);
  });
  it('learned filter-and-sum (trained) improves SIR over delay-and-sum and approaches the closed form', () => {
    const trained = fitFilterAndSum(train, ref, { taps: 16, train: { epochs: 8 } });
    const ls = fitFilterAndSum(train, ref, { taps: 16, method: 'least-squares', ridge: 1 });
    const sirT = powerDb(applyFilterAndSum(trained, sTest), applyFilterAndSum(trained, iTest));
    const sirL = powerDb(applyFilterAndSum(ls, sTest), applyFilterAndSum(ls, iTest));
    expect(trained.training!.trainLoss.at(-1)!).toBeLessThan(trained.training!.trainLoss[0]);
    expect(sirT - dasSir, `trained ${sirT.toFixed(1)} dB, LS ${sirL.toFixed(1)} dB, DAS ${dasSir.toFixed(1)} dB`).toBeGreaterThan(3);
    expect(sirL).toBeGreaterThan(sirT - 1);
  });
});

describe('tapStack', () => {
  it('channel m·taps + j is x_m(t + lookahead − j)', () => {
    const x = new Multichannel(Float64Array.from([1, 2, 3, 4, 10, 20, 30, 40]), 2, 4);
    const s = tapStack(x, 3, 1);
    expect(Array.from(s.data)).toEqual([2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 20, 30, 40, 0, 10, 20, 30, 40, 0, 10, 20, 30]);
  });
});

describe('wiener: bad input', () => {
  const x = new Multichannel(new Float64Array(2 * 256).map((_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.011 * i)), 2, 256, { sampleRate: 8000 });
  const d = new Multichannel(new Float64Array(256).fill(1), 1, 256);
  const X = stft(x, { windowLength: 64, hop: 32 });
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['x', () => fitMultichannelWiener([] as never, d), ArgumentTypeError, /fitMultichannelWiener: x must be a Multichannel/],
    ['target length', () => fitMultichannelWiener(x, new Multichannel(new Float64Array(10), 1, 10)), ShapeError, /target must have as many samples as x \(256\)/],
    ['hop', () => fitMultichannelWiener(x, d, { hop: 0 }), ValueError, /hop/],
    ['loading', () => fitMultichannelWiener(x, d, { diagonalLoading: -1 }), ValueError, /diagonalLoading/],
    ['silent', () => fitMultichannelWiener(new Multichannel(new Float64Array(512), 2, 256), d, { diagonalLoading: 0, windowLength: 64 }), NumericalError, /singular at bin 0/],
    ['planes', () => fitLeastSquaresPerBin({} as never, X), ArgumentTypeError, /fitLeastSquaresPerBin: x must have Float64Array/],
    ['frames', () => fitLeastSquaresPerBin(X, stft(d, { windowLength: 64, hop: 16 })), ShapeError, /d must have the frames × bins of x/],
    ['apply channels', () => applyPerBinFilter(fitMultichannelWiener(x, d, { windowLength: 64 }), d), ShapeError, /applyPerBinFilter: x must have the filter's 2 channels/],
    ['apply filter', () => applyPerBinFilter({} as never, x), ArgumentTypeError, /filter must come from fitMultichannelWiener/],
    ['fs target', () => fitFilterAndSum(x, x), ShapeError, /fitFilterAndSum: target must be \[1, 256\]/],
    ['taps', () => fitFilterAndSum(x, d, { taps: 0 }), ValueError, /taps/],
    ['lookahead', () => fitFilterAndSum(x, d, { taps: 4, lookahead: 4 }), ValueError, /lookahead/],
    ['method', () => fitFilterAndSum(x, d, { method: 'sgd' as never }), ValueError, /method/],
    ['apply fs', () => applyFilterAndSum(fitFilterAndSum(x, d, { taps: 2, method: 'least-squares', ridge: 1e-9 }), d), ShapeError, /applyFilterAndSum: x must have the filter's 2 channels/],
  ];
  for (const [name, f, cls, re] of table) it(name, () => expectPointwiseError(f, cls, re));
});
