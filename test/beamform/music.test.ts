/**
 * MUSIC / NormMUSIC against numpy implementations of pyroomacoustics' formulas
 * (scripts/fixtures/make_music.py → test/fixtures/refs/music.json), MDL/AIC source counts, the
 * covariance object, properties and bad inputs.
 */
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { ArrayGeometry, direction } from '../../src/beamform/geometry.js';
import { directionGrid, linspaceStep, pointGrid } from '../../src/beamform/localize.js';
import { estimateSourceCount, music, normMusic } from '../../src/beamform/music.js';
import { spatialCovariance } from '../../src/beamform/covariance.js';
import { simulatePlaneWave } from '../../src/beamform/simulate.js';
import { stft } from '../../src/fft/index.js';
import { Rng, expectPointwiseError, loadFixture } from '../helpers/index.js';

interface MusicRef {
  meta: { fs: number; c: number; window_length: number; hop: number; k_lo: number; k_hi: number; mics: number[][]; azimuths_deg: number[]; xs: number[]; ys: number[]; x_far: number[][]; x_near: number[][] };
  cases: { name: string; signal: 'far' | 'near'; grid: 'directions' | 'points'; sources: number; normalize: boolean; map: number[]; mdl: number[]; aic: number[] }[];
}

const ref = loadFixture<MusicRef>('music.json');
const m = ref.meta;
const geom = ArrayGeometry.fromPositions(m.mics, {}, { speedOfSound: m.c } as never);
const toX = (rows: number[][]) => new Multichannel(Float64Array.from(rows.flat()), rows.length, rows[0].length, { sampleRate: m.fs });
const band = { windowLength: m.window_length, hop: m.hop, minFrequency: (m.k_lo * m.fs) / m.window_length, maxFrequency: (m.k_hi * m.fs) / m.window_length, speedOfSound: m.c };

describe('music / normMusic: numpy implementation of pyroomacoustics formulas (music.json)', () => {
  for (const c of ref.cases) {
    it(`${c.name}: map equals the reference to 1e-9 (relative to its maximum)`, () => {
      const x = toX(c.signal === 'far' ? m.x_far : m.x_near);
      const grid = c.grid === 'directions' ? directionGrid(m.azimuths_deg) : pointGrid(m.xs, m.ys);
      const f = c.normalize ? normMusic : music;
      const r = f(x, geom, grid, { ...band, sources: c.sources });
      expect(r.binRange).toEqual([m.k_lo, m.k_hi]);
      expect(r.sources).toBe(c.sources);
      const scale = Math.max(...c.map);
      let worst = 0;
      let at = -1;
      for (let g = 0; g < c.map.length; g++) {
        const e = Math.abs(r.map[g] - c.map[g]) / scale;
        if (e > worst) [worst, at] = [e, g];
      }
      expect(worst, `worst at grid index ${at}`).toBeLessThan(1e-9);
    });
    it(`${c.name}: per-bin MDL and AIC counts equal the reference`, () => {
      const x = toX(c.signal === 'far' ? m.x_far : m.x_near);
      const grid = directionGrid([0]);
      for (const crit of ['mdl', 'aic'] as const) {
        const r = music(x, geom, grid, { ...band, sources: crit });
        expect(Array.from(r.binSourceCounts!), crit).toEqual(c[crit]);
        const sorted = [...c[crit]].sort((a, b) => a - b);
        expect(r.sources).toBe(Math.min(m.mics.length - 1, Math.max(1, sorted[Math.floor((sorted.length - 1) / 2)])));
      }
    });
  }
  it('far-field K=2: the two peaks are the two sources (40°, 150°)', () => {
    const r = normMusic(toX(m.x_far), geom, directionGrid(linspaceStep(0, 359, 1)), { ...band, sources: 2 });
    const az = r.peaks.map((p) => (p.refined.kind === 'far-field' ? p.refined.azimuthDeg : NaN)).sort((a, b) => a - b);
    expect(az[0]).toBeCloseTo(40, 0);
    expect(az[1]).toBeCloseTo(150, 0);
  });
  it('a covariance computed once gives the same map as the recording', () => {
    const x = toX(m.x_far);
    const R = spatialCovariance({ ...stft(x, { windowLength: m.window_length, hop: m.hop }), sampleRate: m.fs });
    const grid = directionGrid(m.azimuths_deg);
    const a = music(x, geom, grid, band);
    const b = music(R, geom, grid, band);
    expect(Array.from(b.map)).toEqual(Array.from(a.map));
  });
});

describe('music: properties', () => {
  it('a plane wave on an 8-mic circular array peaks at its direction (2-D grid, refined within 1°), mirror-free', () => {
    const rng = new Rng(7);
    const g = ArrayGeometry.circular(8, 0.05);
    const s = new Float64Array(8000).map(() => rng.normal());
    const x = simulatePlaneWave(s, g, direction(123, 0), { sampleRate: 16000 });
    const r = normMusic(x, g, directionGrid(linspaceStep(0, 358, 2)), { windowLength: 256, maxFrequency: 6000 });
    expect(r.peaks[0].refined.kind).toBe('far-field');
    if (r.peaks[0].refined.kind === 'far-field') expect(Math.abs(r.peaks[0].refined.azimuthDeg - 123)).toBeLessThan(1);
    expect(r.linearAxis).toBeUndefined();
  });
  it('estimateSourceCount: clear gaps give the number of large eigenvalues, white noise gives 0', () => {
    expect(estimateSourceCount([10, 9, 0.11, 0.1, 0.09], 200, 'mdl')).toBe(2);
    expect(estimateSourceCount([0.09, 10, 0.1, 9, 0.11], 200, 'aic')).toBe(2);
    expect(estimateSourceCount([1, 1, 1, 1], 100)).toBe(0);
  });
  it('spatialCovariance: Hermitian, real non-negative diagonal, loading adds δ·tr/M', () => {
    const rng = new Rng(3);
    const x = new Multichannel(new Float64Array(3 * 500).map(() => rng.normal()), 3, 500, { sampleRate: 1000 });
    const S = stft(x, { windowLength: 64, hop: 32 });
    const R = spatialCovariance(S);
    const Rl = spatialCovariance(S, { diagonalLoading: 0.1 });
    for (let k = 0; k < R.bins; k++) {
      let tr = 0;
      for (let i = 0; i < 3; i++) {
        tr += R.re[(k * 3 + i) * 3 + i];
        expect(R.im[(k * 3 + i) * 3 + i]).toBe(0);
        expect(R.re[(k * 3 + i) * 3 + i]).toBeGreaterThanOrEqual(0);
        for (let j = 0; j < 3; j++) {
          expect(R.re[(k * 3 + i) * 3 + j]).toBe(R.re[(k * 3 + j) * 3 + i]);
          expect(R.im[(k * 3 + i) * 3 + j] + R.im[(k * 3 + j) * 3 + i]).toBe(0);
        }
      }
      for (let i = 0; i < 3; i++) expect(Rl.re[(k * 3 + i) * 3 + i] - R.re[(k * 3 + i) * 3 + i]).toBeCloseTo((0.1 * tr) / 3, 12);
    }
    // entry (0, 1) at bin 5 is the frame mean of X_0 conj(X_1)
    let sr = 0;
    let si = 0;
    for (let f = 0; f < S.frames; f++) {
      const a = [S.re[(0 * S.frames + f) * S.bins + 5], S.im[(0 * S.frames + f) * S.bins + 5]];
      const b = [S.re[(1 * S.frames + f) * S.bins + 5], S.im[(1 * S.frames + f) * S.bins + 5]];
      sr += a[0] * b[0] + a[1] * b[1];
      si += a[1] * b[0] - a[0] * b[1];
    }
    expect(R.re[(5 * 3 + 0) * 3 + 1]).toBeCloseTo(sr / S.frames, 12);
    expect(R.im[(5 * 3 + 0) * 3 + 1]).toBeCloseTo(si / S.frames, 12);
  });
});

describe('music / spatialCovariance / estimateSourceCount: bad input', () => {
  const x = toX(m.x_far);
  const grid = directionGrid([0, 90]);
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['x not a signal', () => music([1, 2] as never, geom, grid), ArgumentTypeError, /music: x must be a Multichannel/],
    ['geometry', () => music(x, {} as never, grid), ArgumentTypeError, /music: geometry must be an ArrayGeometry/],
    ['grid', () => music(x, geom, {} as never), ArgumentTypeError, /music: grid must come from directionGrid/],
    ['channels', () => music(new Multichannel(new Float64Array(30), 3, 10, { sampleRate: 8000 }), geom, grid), ShapeError, /one channel per microphone \(4\)/],
    ['no sampleRate', () => music(new Multichannel(new Float64Array(40), 4, 10), geom, grid), ValueError, /sampleRate/],
    ['sources 0', () => music(x, geom, grid, { sources: 0 }), ValueError, /sources must be an integer in 1…3/],
    ['sources M', () => normMusic(x, geom, grid, { sources: 4 }), ValueError, /normMusic: options\.sources must be an integer in 1…3/],
    ['sources name', () => music(x, geom, grid, { sources: 'bic' as never }), ValueError, /'mdl' \/ 'aic'/],
    ['empty band', () => music(x, geom, grid, { windowLength: 128, minFrequency: 3010, maxFrequency: 3050 }), ValueError, /at least one bin/],
    ['NaN sample', () => music(new Multichannel(new Float64Array(40).fill(NaN), 4, 10, { sampleRate: 8000 }), geom, grid), ValueError, /finite samples/],
    ['maxWork', () => music(x, geom, grid, { maxWork: 10 }), ValueError, /maxWork = 10/],
    ['covariance', () => spatialCovariance({} as never), ArgumentTypeError, /spatialCovariance: stft must be an Stft/],
    ['loading', () => spatialCovariance(stft(x, { windowLength: 64, hop: 32 }), { diagonalLoading: -1 }), ValueError, /diagonalLoading/],
    ['frameRange', () => spatialCovariance(stft(x, { windowLength: 64, hop: 32 }), { frameRange: [5, 5] }), ValueError, /frameRange/],
    ['eigen empty', () => estimateSourceCount([], 10), ShapeError, /estimateSourceCount: eigenvalues must not be empty/],
    ['eigen NaN', () => estimateSourceCount([1, NaN], 10), ValueError, /finite/],
    ['snapshots', () => estimateSourceCount([1, 2], 0), ValueError, /snapshots/],
  ];
  for (const [name, f, cls, re] of table) it(name, () => expectPointwiseError(f, cls, re));
});
