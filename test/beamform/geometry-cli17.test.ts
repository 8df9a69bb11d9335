/**
 * Issue 17 §2, library side: geometry files' speedOfSound / sampleRate / units, the scale check,
 * the mirror ambiguity of linear arrays in srpPhat, and SRP map plots of signed maps with the
 * microphones drawn and labels that do not overlap.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ArrayGeometry,
  delayAndSum,
  direction,
  directionGrid,
  geometryScaleWarnings,
  linspaceStep,
  mirrorDirection,
  point,
  pointGrid,
  simulatePlaneWave,
  simulatePointSource,
  srpPhat,
} from '../../src/beamform/index.js';
import { srpPhatParallel } from '../../src/beamform/parallel.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ValueError } from '../../src/core/errors.js';
import { srpMapPlot, placeLabels } from '../../src/plot/heatmap.js';
import { Rng, expectPointwiseError, sharedData, tempDir } from '../helpers/index.js';

const FS = 16000;
const ula = (): ArrayGeometry => ArrayGeometry.linear(8, 0.05, { axis: 'y', centred: false });
const micsOf = (g: ArrayGeometry): number[][] => Array.from({ length: g.count }, (_, i) => g.position(i));

describe('ArrayGeometry.fromJson: speedOfSound, sampleRate, units', () => {
  const mics = [[0, 0, 0], [0, 5, 0], [0, 10, 0]];

  it('keeps the file speedOfSound and sample rate, and delayAndSum uses that speed by default', () => {
    const g = ArrayGeometry.fromJson({ microphones: mics, units: 'cm', speedOfSound: 300, sampleRate: 16000 });
    expect(g.speedOfSound).toBe(300);
    expect(g.sampleRate).toBe(16000);
    expect(g.units).toBe('cm');
    const plain = ArrayGeometry.fromJson({ microphones: mics, units: 'cm' });
    expect(plain.speedOfSound).toBeUndefined();
    const x = simulatePlaneWave(new Rng(3).normals(2000), plain, direction(60), { sampleRate: FS, speedOfSound: 300 });
    const fromFile = delayAndSum(x, g, direction(60), { method: 'integer' });
    const explicit = delayAndSum(x, plain, direction(60), { method: 'integer', speedOfSound: 300 });
    const dflt = delayAndSum(x, plain, direction(60), { method: 'integer' });
    expect(Array.from(fromFile.data)).toEqual(Array.from(explicit.data));
    expect(Array.from(fromFile.data)).not.toEqual(Array.from(dflt.data));
    // an explicit option still wins over the file
    expect(Array.from(delayAndSum(x, g, direction(60), { method: 'integer', speedOfSound: 343 }).data)).toEqual(Array.from(dflt.data));
  });

  it('accepts a temperature, keeps the metadata through select/translate/toJSON, rejects bad values', () => {
    const g = ArrayGeometry.fromJson({ microphones: mics, speedOfSound: '20 degC' });
    expect(g.speedOfSound).toBeCloseTo(331.3 * Math.sqrt(1 + 20 / 273.15), 12);
    expect(g.select([0, 2]).speedOfSound).toBe(g.speedOfSound);
    expect(g.translate(1, 0).speedOfSound).toBe(g.speedOfSound);
    expect(ArrayGeometry.fromJson(JSON.parse(JSON.stringify(g.toJSON())) as Record<string, unknown>).speedOfSound).toBe(g.speedOfSound);
    expect(() => ArrayGeometry.fromJson({ microphones: mics, speedOfSound: -3 })).toThrow(/speedOfSound/);
    expect(() => ArrayGeometry.fromJson({ microphones: mics, speedOfSound: '3 cm' })).toThrow(/speedOfSound/);
    expect(() => ArrayGeometry.fromJson({ microphones: mics, sampleRate: 0 })).toThrow(/sampleRate/);
  });
});

describe('geometryScaleWarnings', () => {
  // the ula32_office layout: 32 microphones 3 cm apart (0.93 m)
  const rows = (scale: number): number[][] => Array.from({ length: 32 }, (_, i) => [0, i * 0.03 * scale, 0]);

  it('is silent for a 0.93 m array at 48 kHz and warns for the same numbers read as metres instead of cm', () => {
    expect(geometryScaleWarnings(ArrayGeometry.fromJson({ microphones: rows(1), sampleRate: 48000 }))).toEqual([]);
    const w = geometryScaleWarnings(ArrayGeometry.fromJson({ microphones: rows(100), units: 'm', sampleRate: 48000 }));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/aperture is 93 m/);
    expect(w[0]).toMatch(/93 cm if they are cm/);
    expect(w[0]).toMatch(/"units"/);
  });

  it('needs a sample rate for the delay check; flags sub-millimetre spacing; validates', () => {
    expect(geometryScaleWarnings(ArrayGeometry.fromJson({ microphones: rows(100) }))).toEqual([]);
    expect(geometryScaleWarnings(ArrayGeometry.fromJson({ microphones: rows(100) }), { sampleRate: 48000 })).toHaveLength(1);
    const tiny = geometryScaleWarnings(ArrayGeometry.fromJson({ microphones: rows(0.01), sampleRate: 48000 }));
    expect(tiny).toHaveLength(1);
    expect(tiny[0]).toMatch(/0\.3 mm apart/);
    expectPointwiseError(() => geometryScaleWarnings(ula(), { sampleRate: -1 }), ValueError, /sampleRate/);
  });
});

describe('linear arrays: axis and mirror ambiguity', () => {
  it('linearAxis finds the line of a ULA and nothing for a circle', () => {
    expect(ula().linearAxis).toEqual([0, 1, 0]);
    expect(ArrayGeometry.linear(4, 0.1).linearAxis?.map(Math.abs)).toEqual([1, 0, 0]);
    expect(ArrayGeometry.circular(6, 0.1).linearAxis).toBeUndefined();
    expect(ArrayGeometry.fromPositions([[0, 0, 0]]).linearAxis).toBeUndefined();
  });

  it('mirrorDirection: θ ↔ 180° − θ about y, θ ↔ −θ about x, and the mirror has the same delays', () => {
    expect(mirrorDirection([0, 1, 0], direction(30)).azimuthDeg).toBeCloseTo(150, 10);
    expect(mirrorDirection([0, 1, 0], direction(181)).azimuthDeg).toBeCloseTo(359, 10);
    expect(mirrorDirection([1, 0, 0], direction(30)).azimuthDeg).toBeCloseTo(330, 10);
    expect(mirrorDirection([1, 0, 0], direction(-30)).azimuthDeg).toBeCloseTo(30, 10);
    const g = ula();
    const s = new Rng(8).normals(1000);
    const a = simulatePlaneWave(s, g, direction(40), { sampleRate: FS });
    const b = simulatePlaneWave(s, g, mirrorDirection(g.linearAxis!, direction(40)), { sampleRate: FS });
    for (let i = 0; i < a.data.length; i++) expect(b.data[i]).toBeCloseTo(a.data[i], 9);
    expect(() => mirrorDirection([0, 2, 0], direction(0))).toThrow(/unit vector/);
  });

  it('srpPhat over directions with a linear array reports the axis, each peak mirror and the mirror peak', async () => {
    const g = ula();
    const x = simulatePlaneWave(new Rng(9).normals(FS / 4), g, direction(30), { sampleRate: FS });
    const grid = directionGrid(linspaceStep(0, 359, 1));
    const r = srpPhat(x, g, grid, { peaks: 2 });
    expect(r.linearAxis).toEqual([0, 1, 0]);
    const [p1, p2] = r.peaks;
    const az1 = (p1.refined as { azimuthDeg: number }).azimuthDeg;
    expect(Math.min(Math.abs(az1 - 30), Math.abs(az1 - 150))).toBeLessThan(1);
    expect(p1.mirror!.azimuthDeg).toBeCloseTo(180 - az1, 9);
    expect(p1.mirrorPeak).toBe(1);
    expect(p2.mirrorPeak).toBe(0);
    const par = await srpPhatParallel(x, g, grid, { peaks: 2, workers: 0 });
    expect(par.linearAxis).toEqual([0, 1, 0]);
    expect(par.peaks[0].mirror).toEqual(p1.mirror);
    // not for a circular array, and not for point grids
    const c = ArrayGeometry.circular(6, 0.08);
    const xc = simulatePlaneWave(new Rng(9).normals(FS / 4), c, direction(30), { sampleRate: FS });
    const rc = srpPhat(xc, c, grid);
    expect(rc.linearAxis).toBeUndefined();
    expect(rc.peaks[0].mirror).toBeUndefined();
    const rp = srpPhat(x, g, pointGrid(linspaceStep(0.1, 0.5, 0.1), linspaceStep(0, 0.4, 0.1)));
    expect(rp.linearAxis).toBeUndefined();
  });
});

describe('srpMapPlot: signed maps, microphones, labels', () => {
  /** Two talkers in front of an 8-microphone ULA: an SRP-PHAT map with negative values. */
  function signedMap(): { map: Float64Array; nx: number; ny: number; g: ArrayGeometry } {
    const g = ula();
    const r = new Rng(5);
    const a = simulatePointSource(r.normals(FS / 4), g, point(0.4, 0.1), { sampleRate: FS });
    const b = simulatePointSource(r.normals(FS / 4), g, point(0.3, 0.3), { sampleRate: FS });
    const d = new Float64Array(a.data.length);
    for (let i = 0; i < d.length; i++) d[i] = a.data[i] + b.data[i];
    const xs = linspaceStep(0.1, 0.6, 0.02);
    const ys = linspaceStep(-0.1, 0.5, 0.02);
    const res = srpPhat(new Multichannel(d, 8, a.length, { sampleRate: FS }), g, pointGrid(xs, ys));
    return { map: res.map, nx: xs.length, ny: ys.length, g };
  }

  it('plots a map with negative values on a linear scale by default; db: true still refuses it', () => {
    const { map, nx, ny } = signedMap();
    expect(Math.min(...map)).toBeLessThan(0);
    const fig = srpMapPlot(map, ny, nx, { xRangeM: [0.1, 0.6], yRangeM: [-0.1, 0.5] });
    expect(fig.svg).toContain('SRP (linear)');
    expect(srpMapPlot(map.map(Math.abs), ny, nx, { xRangeM: [0.1, 0.6], yRangeM: [-0.1, 0.5] }).svg).toContain('dB re peak');
    expect(() => srpMapPlot(map, ny, nx, { xRangeM: [0.1, 0.6], yRangeM: [-0.1, 0.5], db: true })).toThrow(/power must be ≥ 0/);
  });

  it('draws every microphone (outside the grid too), labels the ends, and writes a PNG', () => {
    const { map, nx, ny, g } = signedMap();
    const fig = srpMapPlot(map, ny, nx, { xRangeM: [0.1, 0.6], yRangeM: [-0.1, 0.5], microphones: micsOf(g), markers: [{ x: 0.4, y: 0.1, label: 'talker' }] });
    expect(fig.svg.match(/<circle [^>]*r="3"/g)).toHaveLength(g.count);
    expect(fig.svg).toContain('>mic 0<');
    expect(fig.svg).toContain('>mic 7<');
    expect(fig.svg).toContain('>talker<');
    const file = path.join(tempDir('pointwise-srpmap-'), 'map.png');
    fig.savePng(file);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    expect(() => srpMapPlot(map, ny, nx, { xRangeM: [0.1, 0.6], yRangeM: [-0.1, 0.5], microphones: [[0, Number.NaN]] })).toThrow(/microphones\[0\]/);
  });

  it('placeLabels: labels of crowded points do not overlap each other, other symbols or the border', () => {
    const at = [
      { X: 100, Y: 100 },
      { X: 104, Y: 102 },
      { X: 98, Y: 106 },
      { X: 110, Y: 96 },
      { X: 395, Y: 5 },
    ];
    const labels = ['peak 1', 'peak 2', 'source 1', 'peak 3', 'edge'];
    const avoid = at.map(({ X, Y }) => ({ x: X - 7, y: Y - 7, w: 14, h: 14 }));
    const placed = placeLabels(at, labels, avoid, 400, 300);
    expect(placed).toHaveLength(5);
    const ov = (a: { x: number; y: number; w: number; h: number }, b: typeof a): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    for (let i = 0; i < placed.length; i++) {
      const b = placed[i].box;
      expect(b.x >= 0 && b.y >= 0 && b.x + b.w <= 400 && b.y + b.h <= 300, labels[i]).toBe(true);
      for (let j = 0; j < placed.length; j++) if (j !== i) expect(ov(b, placed[j].box), `${labels[i]} / ${labels[j]}`).toBe(false);
      for (let j = 0; j < avoid.length; j++) if (j !== placed[i].index) expect(ov(b, avoid[j]), `${labels[i]} over symbol ${j}`).toBe(false);
    }
  });
});

describe('real data: ula32_office geometry', () => {
  const geo = sharedData('mic_array/ula32_office/geometry.json');
  it.skipIf(!geo)('reads speedOfSound 343 and 48 kHz, is linear along y, and raises no scale warning', () => {
    const g = ArrayGeometry.fromJson(geo!);
    expect(g.speedOfSound).toBe(343);
    expect(g.sampleRate).toBe(48000);
    expect(g.linearAxis).toEqual([0, 1, 0]);
    expect(geometryScaleWarnings(g)).toEqual([]);
    const obj = JSON.parse(fs.readFileSync(geo!, 'utf8')) as { microphones: number[][] };
    const asCm = ArrayGeometry.fromJson({ ...obj, microphones: obj.microphones.map((r) => r.map((v) => v * 100)) });
    expect(geometryScaleWarnings(asCm)[0]).toMatch(/aperture is 93 m/);
  });
});
