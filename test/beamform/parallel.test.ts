import { describe, expect, it } from 'vitest';
import { ArrayGeometry, point } from '../../src/beamform/geometry.js';
import { directionGrid, linspaceStep, pointGrid, srpPhat } from '../../src/beamform/localize.js';
import { srpPhatParallel } from '../../src/beamform/parallel.js';
import { simulatePointSource } from '../../src/beamform/simulate.js';
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
  it('workers: 0 runs on the calling thread; an empty grid is rejected', async () => {
    const grid = directionGrid([0, 90]);
    expect(Array.from((await srpPhatParallel(x, g, grid, { workers: 0 })).map)).toEqual(Array.from(srpPhat(x, g, grid).map));
    await expect(srpPhatParallel(x, g, { kind: 'points', size: 0, values: new Float64Array(0), shape: [0] })).rejects.toThrow(/^srpPhatParallel: the grid must not be empty; got 0$/);
  });
});
