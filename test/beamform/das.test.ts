import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { ArrayGeometry, direction, point } from '../../src/beamform/geometry.js';
import { steeringDelays } from '../../src/beamform/steering.js';
import { chebyshevWeights, delayAndSum, delayAndSumWithDelays, DelayAndSumStream, taperWeights, sincFir, lagrangeFir } from '../../src/beamform/das.js';
import { simulatePlaneWave, simulatePointSource, fractionalDelay } from '../../src/beamform/simulate.js';
import { Rng, expectClose, maxAbs, refSources } from '../helpers/index.js';

interface DasRef {
  meta: { fs: number; c: number };
  cases: { mic_x: number[]; theta_deg: number; X: number[][]; steer_delay_s: number[]; steer_delay_samples_int: number[]; y_integer_das: number[]; y_fractional_das_nfft128: number[]; source_delayed_by_max_tau: number[] }[];
}

/** das.json's frame: mics on x, angle from broadside (+y) toward +x → our azimuth = 90° − θ. */
function refSetup(c: DasRef['cases'][number], fs: number) {
  const g = ArrayGeometry.fromPositions(c.mic_x.map((x) => [x, 0, 0]));
  const x = Multichannel.fromChannels(c.X, { sampleRate: fs });
  return { g, x, target: direction(90 - c.theta_deg) };
}

for (const { label: source, ref } of refSources<DasRef>('das.json')) describe(`delayAndSum against das.json (numpy) [${source}]`, () => {
  it('steering delays match steer_delay_s (far field, angle converted from broadside)', () => {
    const c = ref.cases[0];
    const { g, target } = refSetup(c, ref.meta.fs);
    expectClose(steeringDelays(g, target, { speedOfSound: ref.meta.c }), c.steer_delay_s, { atol: 1e-15, label: 'delays' });
  });
  it('integer DAS matches y_integer_das', () => {
    const c = ref.cases[0];
    const { g, x, target } = refSetup(c, ref.meta.fs);
    const y = delayAndSum(x, g, target, { method: 'integer', speedOfSound: ref.meta.c });
    expect(y.channels).toBe(1);
    expect(y.sampleRate).toBe(ref.meta.fs);
    expectClose(y.data, c.y_integer_das, { atol: 1e-12, label: 'integer' });
  });
  it('FFT DAS with nfft 128 matches y_fractional_das_nfft128', () => {
    const c = ref.cases[0];
    const { g, x, target } = refSetup(c, ref.meta.fs);
    const y = delayAndSum(x, g, target, { method: 'fft', nfft: 128, speedOfSound: ref.meta.c });
    expectClose(y.data, c.y_fractional_das_nfft128, { atol: 1e-12, label: 'fft' });
  });
  it('every method recovers the source (delayed by max τ) in the interior', () => {
    const c = ref.cases[0];
    const { g, x, target } = refSetup(c, ref.meta.fs);
    for (const [method, tol] of [['sinc', 0.05], ['lagrange', 0.15], ['fft', 0.05]] as const) {
      const y = delayAndSum(x, g, target, { method, speedOfSound: ref.meta.c, firLength: 32 });
      const e = y.data.subarray(20, 76).map((v, i) => v - c.source_delayed_by_max_tau[20 + i]);
      expect(maxAbs(e) / maxAbs(c.source_delayed_by_max_tau), method).toBeLessThan(tol);
    }
  });
});

describe('delayAndSum: gain 1 toward the look direction', () => {
  for (const seed of [1, 2, 3]) {
    it(`plane wave from the look direction passes with gain 1 in FFT mode (≤ 1e-9), seed ${seed}`, () => {
      const rng = new Rng(seed);
      const N = 1024;
      const fs = 16000;
      const s = noNyquist(rng.normals(N));
      const g = ArrayGeometry.circular(7, '5 cm');
      const target = direction(rng.uniform(-180, 180), rng.uniform(-60, 60));
      const x = simulatePlaneWave(s, g, target, { sampleRate: fs, circular: true });
      const y = delayAndSum(x, g, target, { method: 'fft', circular: true });
      // output = source delayed by the latest arrival time relative to the origin
      const ref0 = fractionalDelay(s, latest(g, target) * fs, { circular: true });
      expect(maxAbs(y.data.map((v, i) => v - ref0[i]))).toBeLessThan(1e-9);
    });
  }
  it('near-field point source with 1/r spreading: amplitude option restores gain 1 (FFT)', () => {
    const rng = new Rng(7);
    const N = 2048;
    const s = noNyquist(rng.normals(N));
    const g = ArrayGeometry.linear(8, '4 cm', { axis: 'y' });
    const target = point(0.5, 0.1, 0);
    const x = simulatePointSource(s, g, target, { sampleRate: 16000, circular: true, spreading: true });
    const y = delayAndSum(x, g, target, { method: 'fft', circular: true, amplitude: true });
    const rMax = Math.max(...Array.from({ length: 8 }, (_, m) => Math.hypot(g.positions[3 * m] - 0.5, g.positions[3 * m + 1] - 0.1)));
    const expected = fractionalDelay(s, (rMax / 343) * 16000, { circular: true });
    expect(maxAbs(y.data.map((v, i) => v - expected[i]))).toBeLessThan(1e-9);
  });
});

/** Removes the Nyquist component (a fractional delay cannot be a pure delay there for a real signal). */
function noNyquist(s: Float64Array): Float64Array {
  let a = 0;
  for (let n = 0; n < s.length; n++) a += (n % 2 ? -1 : 1) * s[n];
  a /= s.length;
  return s.map((v, n) => v - (n % 2 ? -a : a));
}

function latest(g: ArrayGeometry, t: ReturnType<typeof direction>): number {
  const az = (t.azimuthDeg * Math.PI) / 180;
  const el = (t.elevationDeg * Math.PI) / 180;
  const u = [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)];
  let mx = -Infinity;
  for (let m = 0; m < g.count; m++) mx = Math.max(mx, -(g.positions[3 * m] * u[0] + g.positions[3 * m + 1] * u[1] + g.positions[3 * m + 2] * u[2]) / 343);
  return mx;
}

describe('fractional-delay FIRs and tapers', () => {
  it('sinc and Lagrange FIRs reproduce a slow sinusoid delayed by μ', () => {
    for (const mu of [0, 0.25, 0.5, 0.9]) {
      for (const fir of [sincFir(mu, 32), lagrangeFir(mu, 3)]) {
        const f = 0.05;
        let y = 0;
        const n = 100;
        fir.h.forEach((h, i) => (y += h * Math.cos(2 * Math.PI * f * (n - (fir.kmin + i)))));
        expect(Math.abs(y - Math.cos(2 * Math.PI * f * (n - mu))), `mu ${mu}`).toBeLessThan(fir.h.length > 8 ? 1e-4 : 2e-3);
      }
    }
  });
  it('Dolph–Chebyshev weights match scipy.signal.windows.chebwin(M, 30)', () => {
    // values from scipy 1.10 chebwin(5, 30) and chebwin(6, 30)
    expectClose(chebyshevWeights(5, 30), [0.31850184222822825, 0.7683220643250819, 1.0, 0.7683220643250819, 0.31850184222822825], { atol: 1e-12, label: 'M=5' });
    expectClose(chebyshevWeights(6, 30), [0.29561625023555166, 0.6837250956205404, 1.0, 1.0, 0.6837250956205404, 0.29561625023555166], { atol: 1e-12, label: 'M=6' });
  });
  it('tapers sum to 1; explicit weights are normalised', () => {
    for (const t of ['uniform', 'hann', 'dolph-chebyshev'] as const) expect(taperWeights(9, t).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expectClose(taperWeights(3, [1, 2, 1]), [0.25, 0.5, 0.25], { atol: 1e-15 });
  });
});

describe('streaming delay-and-sum', () => {
  for (const method of ['integer', 'sinc', 'lagrange'] as const) {
    it(`${method}: concatenated chunks equal the one-shot output exactly (seed 11)`, () => {
      const rng = new Rng(11);
      const g = ArrayGeometry.linear(6, '5 cm');
      const target = direction(35);
      const N = 3000;
      const x = new Multichannel(rng.normals(6 * N), 6, N, { sampleRate: 16000 });
      const one = delayAndSum(x, g, target, { method });
      const st = new DelayAndSumStream(g, target, { method, sampleRate: 16000 });
      const parts: Float64Array[] = [];
      let t = 0;
      while (t < N) {
        const n = Math.min(N - t, rng.int(1, 700));
        parts.push(Float64Array.from(st.push(x.slice(t, t + n)).data));
        t += n;
      }
      parts.push(Float64Array.from(st.flush().data));
      const cat = new Float64Array(N);
      let o = 0;
      for (const p of parts) {
        cat.set(p, o);
        o += p.length;
      }
      expect(o).toBe(N);
      expectClose(cat, one.data, { atol: 0, label: method });
    });
  }
});

describe('delayAndSum: bad input', () => {
  const g = ArrayGeometry.linear(4, 0.05);
  const x = Multichannel.zeros(4, 256, { sampleRate: 8000 });
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['channel count ≠ microphone count', () => delayAndSum(Multichannel.zeros(3, 256, { sampleRate: 8000 }), g, direction(0)), ShapeError, /^delayAndSum: x must have one channel per microphone \(4\); got 3$/],
    ['missing sampleRate', () => delayAndSum(Multichannel.zeros(4, 256), g, direction(0)), ValueError, /^delayAndSum: x.sampleRate \(Hz\) must be set/],
    ['delays longer than the signal', () => delayAndSum(Multichannel.zeros(4, 2, { sampleRate: 48000 }), g, direction(0)), ShapeError, /^delayAndSum: the largest steering delay \(20\.99 samples\) must be shorter than the signal; got 2 samples$/],
    ['unknown method', () => delayAndSum(x, g, direction(0), { method: 'magic' as 'fft' }), ValueError, /^delayAndSum: options\.method must be one of/],
    ['weights of the wrong length', () => delayAndSum(x, g, direction(0), { weights: [1, 2] }), ShapeError, /^delayAndSum: weights must have one value per microphone \(4\); got 2$/],
    ['negative explicit delay', () => delayAndSumWithDelays(x, [0, -1, 0, 0], [1, 1, 1, 1]), ValueError, /^delayAndSumWithDelays: delays must be finite and ≥ 0 \(samples\); got -1 at channel 1$/],
    ['stream without sampleRate', () => new DelayAndSumStream(g, direction(0), {} as { sampleRate: number }), ValueError, /^DelayAndSumStream: x.sampleRate \(Hz\) must be set|sampleRate/],
  ];
  for (const [name, f, cls, re] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(cls);
      expect((err as Error).message).toMatch(re);
    });
  }
});
