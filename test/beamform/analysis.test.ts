import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { ArrayGeometry, direction, point, speedOfSound, toMetres } from '../../src/beamform/geometry.js';
import { arrayGain, beamPattern, directivityIndex, whiteNoiseGain } from '../../src/beamform/pattern.js';
import { directionGrid, gccPhat, linspaceStep, pointGrid, srpPhat } from '../../src/beamform/localize.js';
import { delayAndSum } from '../../src/beamform/das.js';
import { fractionalDelay, simulatePlaneWave, simulatePointSource } from '../../src/beamform/simulate.js';
import { Rng, expectClose, flat, refSources } from '../helpers/index.js';

type DasRef = { meta: { c: number; fs: number }; cases: { mic_x: number[]; theta_deg: number; X: number[][]; beam_pattern: { angles_deg: number[]; freqs_hz: number[]; magnitude_angles_x_freqs: number[][] }; doa_scan: { angles_deg: number[]; argmax_deg: number } }[] };
const dasRefs = refSources<DasRef>('das.json');

describe('geometry and units', () => {
  it('mathjs quantities: lengths, speeds, temperatures', () => {
    expect(toMetres('3 cm')).toBeCloseTo(0.03, 15);
    expect(speedOfSound('343 m/s')).toBe(343);
    expect(speedOfSound('20 degC')).toBeCloseTo(331.3 * Math.sqrt(1 + 20 / 273.15), 12);
    expect(speedOfSound('0 degC')).toBeCloseTo(331.3, 12);
    expect(() => speedOfSound('3 kg')).toThrow(/speedOfSound must be a speed/);
  });
  it('constructors: ULA spacing, UCA radius, grid, aliasing frequency', () => {
    const ula = ArrayGeometry.linear(4, '5 cm');
    expectClose(ula.positions, [-0.075, 0, 0, -0.025, 0, 0, 0.025, 0, 0, 0.075, 0, 0], { atol: 1e-15 });
    expect(ula.aliasingFrequency()).toBeCloseTo(343 / 0.1, 9);
    const uca = ArrayGeometry.circular(6, 0.1);
    for (let m = 0; m < 6; m++) expect(Math.hypot(...uca.position(m))).toBeCloseTo(0.1, 15);
    expect(uca.minSpacing).toBeCloseTo(0.1, 12); // hexagon side = radius
    expect(ArrayGeometry.grid(2, 3, 0.02).count).toBe(6);
  });
  it('bad geometry: coincident microphones, NaN positions (class and message)', () => {
    expect(() => ArrayGeometry.fromPositions([[0, 0, 0], [0.1, 0, 0], [0, 0, 0]])).toThrow(ValueError);
    expect(() => ArrayGeometry.fromPositions([[0, 0, 0], [0.1, 0, 0], [0, 0, 0]])).toThrow(/^ArrayGeometry: microphones must not coincide \(distance ≥ 1 µm\); got microphones 0 and 2 both at \(0, 0, 0\)$/);
    expect(() => ArrayGeometry.fromPositions([[0, 0, 0], [NaN, 0, 0]])).toThrow(/^ArrayGeometry: microphone positions must be finite numbers \(metres\); got NaN at microphone 1, coordinate x$/);
    expect(() => ArrayGeometry.fromPositions([])).toThrow(ShapeError);
  });
});

describe('beam pattern, WNG, directivity', () => {
  it('ULA pattern matches |sin(Nψ/2)/(N sin(ψ/2))| (N=8, d=4 cm, steered 60°)', () => {
    const N = 8;
    const d = 0.04;
    const g = ArrayGeometry.linear(N, d);
    const angles = linspaceStep(0, 180, 1);
    const freqs = [500, 1500, 4000];
    const bp = beamPattern(g, direction(60), freqs, angles);
    const expected: number[] = [];
    for (const f of freqs) {
      for (const a of angles) {
        const psi = (2 * Math.PI * f * d * (Math.cos((a * Math.PI) / 180) - Math.cos(Math.PI / 3))) / 343;
        expected.push(Math.abs(psi) < 1e-12 ? 1 : Math.abs(Math.sin((N * psi) / 2) / (N * Math.sin(psi / 2))));
      }
    }
    expectClose(bp.magnitude, expected, { atol: 1e-12, label: 'ULA pattern' });
  });
  for (const { label: source, ref } of dasRefs) it(`matches das.json beam_pattern (angle from broadside converted) [${source}]`, () => {
    const c = ref.cases[0];
    const g = ArrayGeometry.fromPositions(c.mic_x.map((x) => [x, 0, 0]));
    const bp = ref.cases[0].beam_pattern;
    const az = bp.angles_deg.map((t) => 90 - t);
    const r = beamPattern(g, direction(90 - c.theta_deg), bp.freqs_hz, az, { speedOfSound: ref.meta.c });
    // ref: [angles × freqs]; ours: [freqs × angles]
    const ours = new Float64Array(az.length * bp.freqs_hz.length);
    for (let f = 0; f < bp.freqs_hz.length; f++) for (let a = 0; a < az.length; a++) ours[a * bp.freqs_hz.length + f] = r.magnitude[f * az.length + a];
    expectClose(ours, flat(bp.magnitude_angles_x_freqs), { atol: 1e-12 });
  });
  it('white-noise gain of uniform DAS is 10·log10 M; tapers lose some; DI of a ULA end-fire exceeds broadside', () => {
    const g = ArrayGeometry.linear(8, 0.04);
    const wng = whiteNoiseGain(g, direction(30), direction(30), [1000, 3000]);
    expectClose(wng, [10 * Math.log10(8), 10 * Math.log10(8)], { atol: 1e-12 });
    const wngHann = whiteNoiseGain(g, { target: direction(30), weights: 'hann' }, direction(30), [1000]);
    expect(wngHann[0]).toBeLessThan(10 * Math.log10(8));
    const diB = directivityIndex(g, direction(90), direction(90), [2000]);
    const diE = directivityIndex(g, direction(0), direction(0), [2000]);
    expect(diE[0]).toBeGreaterThan(diB[0]);
    // a single microphone has gain 0 dB against every field
    expect(arrayGain(ArrayGeometry.fromPositions([[0, 0, 0]]), direction(0), direction(0), [1000], 'diffuse')[0]).toBeCloseTo(0, 12);
  });
});

describe('GCC-PHAT', () => {
  for (const seed of [21, 22, 23]) {
    it(`recovers integer and fractional delays within 0.05 samples (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const s = rng.normals(4096);
      for (const d of [0, 3, -7, 2.5, 10.3, -4.77]) {
        const b = fractionalDelay(s, d);
        const r = gccPhat(s, b, { sampleRate: 16000, maxDelaySamples: 50 });
        expect(Math.abs(r.delaySamples - d), `d=${d}`).toBeLessThan(0.05);
        expect(r.delaySeconds).toBeCloseTo(r.delaySamples / 16000, 15);
      }
    });
  }
  it('no NaN on all-zero or constant channels', () => {
    const z = new Float64Array(512);
    const c = new Float64Array(512).fill(3);
    for (const [a, b] of [[z, z], [c, c], [z, c]]) {
      const r = gccPhat(a, b, { sampleRate: 8000 });
      expect(Number.isNaN(r.delaySamples)).toBe(false);
      expect(Number.isNaN(r.peak)).toBe(false);
    }
  });
});

describe('SRP-PHAT', () => {
  it('far field: finds two simulated plane waves (UCA 8, 5 cm radius, seed 31)', () => {
    const rng = new Rng(31);
    const g = ArrayGeometry.circular(8, 0.05);
    const fs = 16000;
    const a = simulatePlaneWave(rng.normals(8192), g, direction(40), { sampleRate: fs });
    const b = simulatePlaneWave(rng.normals(8192), g, direction(-120), { sampleRate: fs });
    const x = new Multichannel(a.data.map((v, i) => v + b.data[i]), 8, 8192, { sampleRate: fs });
    const r = srpPhat(x, g, directionGrid(linspaceStep(-180, 179, 1)), { peaks: 2, minSeparation: 20 });
    const az = r.peaks.map((p) => (p.target.kind === 'far-field' ? p.target.azimuthDeg : NaN)).sort((p, q) => p - q);
    expect(Math.abs(az[0] + 120)).toBeLessThanOrEqual(2);
    expect(Math.abs(az[1] - 40)).toBeLessThanOrEqual(2);
  });
  it('near field 2-D: finds a simulated point source within 2 cm (ULA 16 × 4 cm, seed 32)', () => {
    const rng = new Rng(32);
    const g = ArrayGeometry.linear(16, 0.04, { axis: 'y', centred: false });
    const x = simulatePointSource(rng.normals(8192), g, point(0.45, 0.3), { sampleRate: 48000, snrDb: 20, seed: 5 });
    const r = srpPhat(x, g, pointGrid(linspaceStep(0.1, 1, 0.01), linspaceStep(-0.2, 0.8, 0.01)));
    const p = r.peaks[0].target;
    expect(p.kind).toBe('near-field');
    if (p.kind === 'near-field') expect(Math.hypot(p.point[0] - 0.45, p.point[1] - 0.3)).toBeLessThan(0.02);
  });
  it('peak refinement moves a coarse-grid peak toward the true point (seed 33)', () => {
    const rng = new Rng(33);
    const g = ArrayGeometry.linear(16, 0.04, { axis: 'y', centred: false });
    const x = simulatePointSource(rng.normals(8192), g, point(0.437, 0.262), { sampleRate: 48000, seed: 5 });
    const r = srpPhat(x, g, pointGrid(linspaceStep(0.1, 1, 0.05), linspaceStep(-0.2, 0.8, 0.05)));
    const { target, refined } = r.peaks[0];
    if (target.kind === 'near-field' && refined.kind === 'near-field') {
      const e0 = Math.hypot(target.point[0] - 0.437, target.point[1] - 0.262);
      const e1 = Math.hypot(refined.point[0] - 0.437, refined.point[1] - 0.262);
      expect(e1).toBeLessThan(e0);
    } else expect.unreachable();
  });
  for (const { label: source, ref } of dasRefs) it(`das.json doa_scan: the steered-response-power argmax (DAS output power, FFT mode) is 40° from broadside [${source}]`, () => {
    const c = ref.cases[0];
    const g = ArrayGeometry.fromPositions(c.mic_x.map((x) => [x, 0, 0]));
    const x = Multichannel.fromChannels(c.X, { sampleRate: ref.meta.fs });
    let best = NaN;
    let bestP = -Infinity;
    for (const th of c.doa_scan.angles_deg) {
      const y = delayAndSum(x, g, direction(90 - th), { method: 'fft', nfft: 128, speedOfSound: ref.meta.c });
      let pw = 0;
      for (let i = 0; i < y.length; i++) pw += y.data[i] * y.data[i];
      if (pw > bestP) {
        bestP = pw;
        best = th;
      }
    }
    expect(Math.abs(best - c.doa_scan.argmax_deg)).toBeLessThanOrEqual(2);
  });
  it('bad input: empty grid, channel mismatch, missing sampleRate', () => {
    const g = ArrayGeometry.linear(4, 0.05);
    expect(() => directionGrid([])).toThrow(/^directionGrid: the grid must not be empty; got 1 elevations × 0 azimuths$/);
    expect(() => pointGrid([0.1], [], [0])).toThrow(ShapeError);
    const grid = directionGrid([0, 90]);
    expect(() => srpPhat(Multichannel.zeros(3, 512, { sampleRate: 8000 }), g, grid)).toThrow(/^srpPhat: x must have one channel per microphone \(4\); got 3$/);
    expect(() => srpPhat(Multichannel.zeros(4, 512), g, grid)).toThrow(/^srpPhat: x.sampleRate \(Hz\) must be set/);
  });
});
