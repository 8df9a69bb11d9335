import { describe, expect, it } from 'vitest';
import { ArrayGeometry, point } from '../../src/beamform/geometry.js';
import { directionGrid, linspaceStep, pointGrid, srpPhat } from '../../src/beamform/localize.js';
import { srpPhatParallel } from '../../src/beamform/parallel.js';
import { simulatePointSource } from '../../src/beamform/simulate.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { Rng } from '../helpers/index.js';

describe('srpPhatParallel (worker threads)', () => {
  const rng = new Rng(51);
  const g = ArrayGeometry.linear(8, 0.05, { axis: 'y' });
  const x = simulatePointSource(rng.normals(4096), g, point(0.6, 0.1), { sampleRate: 16000, snrDb: 10, seed: 3 });
  it('near-field map is bit-identical to srpPhat with 2 and 3 workers (seed 51)', async () => {
    const grid = pointGrid(linspaceStep(0.1, 1, 0.02), linspaceStep(-0.5, 0.5, 0.02));
    const one = srpPhat(x, g, grid, { peaks: 2 });
    for (const workers of [2, 3]) {
      const par = await srpPhatParallel(x, g, grid, { peaks: 2, workers });
      expect(Array.from(par.map)).toEqual(Array.from(one.map));
      expect(par.peaks.map((p) => p.index)).toEqual(one.peaks.map((p) => p.index));
    }
  });
  it('far-field map is bit-identical (3-D direction grid)', async () => {
    const grid = directionGrid(linspaceStep(-180, 179, 3), [-30, 0, 30]);
    const one = srpPhat(x, g, grid);
    const par = await srpPhatParallel(x, g, grid, { workers: 2 });
    expect(Array.from(par.map)).toEqual(Array.from(one.map));
  });
  it('stays bit-identical over repeated calls, with frame options, float32 samples on shared memory, and more threads than channels or pairs', async () => {
    const grid = pointGrid(linspaceStep(0.2, 1, 0.05), linspaceStep(-0.4, 0.4, 0.05));
    const options = { zeroPad: true, interp: 8, frameLength: 256, minFrequency: 300, maxFrequency: 6000, peaks: 3 };
    const one = srpPhat(x, g, grid, options);
    const sab = new Float32Array(new SharedArrayBuffer(4 * x.data.length));
    sab.set(x.data);
    const x32 = new Multichannel(sab, x.channels, x.length, { sampleRate: 16000 });
    const one32 = srpPhat(x32, g, grid, options);
    for (let call = 0; call < 3; call++) {
      expect(Array.from((await srpPhatParallel(x, g, grid, { ...options, workers: 1 })).map), `call ${call}`).toEqual(Array.from(one.map));
      expect(Array.from((await srpPhatParallel(x32, g, grid, { ...options, workers: 1 })).map)).toEqual(Array.from(one32.map));
    }
    // 2 channels and 1 pair for 5 threads; long enough (and a grid large enough) that the spectra and grid phases split
    const g2 = ArrayGeometry.linear(2, 0.1, { axis: 'y' });
    const x2 = simulatePointSource(rng.normals(3 * 16000), g2, point(0.6, 0.1), { sampleRate: 16000, seed: 4 });
    const big = pointGrid(linspaceStep(0, 2, 0.01), linspaceStep(-1, 1, 0.01));
    const two = await srpPhatParallel(x2, g2, big, { workers: 4 });
    expect(Array.from(two.map)).toEqual(Array.from(srpPhat(x2, g2, big).map));
    expect(two.map.buffer).toBeInstanceOf(ArrayBuffer); // a plain array, not shared memory
    // tiny inputs stay on the calling thread (no share is worth a round trip) and agree too
    const tiny = await srpPhatParallel(x2.slice(0, 500), g2, grid, { workers: 4 });
    expect(Array.from(tiny.map)).toEqual(Array.from(srpPhat(x2.slice(0, 500), g2, grid).map));
  });
  it('rejects a bad workers option', async () => {
    const grid = directionGrid([0, 90]);
    await expect(srpPhatParallel(x, g, grid, { workers: -1 })).rejects.toThrow(/^srpPhatParallel: options\.workers must be an integer in \[0, 64\]; got -1$/);
    await expect(srpPhatParallel(x, g, grid, { workers: 1.5 })).rejects.toThrow(/^srpPhatParallel: options\.workers must be an integer; got 1\.5$/);
    await expect(srpPhatParallel(x, g, grid, { frameLength: 100, workers: 1 })).rejects.toThrow(/^srpPhatParallel: options\.frameLength must be a power of two; got 100$/);
  });
  it('workers: 0 runs on the calling thread; an empty grid is rejected', async () => {
    const grid = directionGrid([0, 90]);
    expect(Array.from((await srpPhatParallel(x, g, grid, { workers: 0 })).map)).toEqual(Array.from(srpPhat(x, g, grid).map));
    await expect(srpPhatParallel(x, g, { kind: 'points', size: 0, values: new Float64Array(0), shape: [0] })).rejects.toThrow(/^srpPhatParallel: the grid must not be empty; got 0$/);
  });
});
