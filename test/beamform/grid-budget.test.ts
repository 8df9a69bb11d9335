/**
 * Grids are sized before they are allocated (issue 19): linspaceStep, pointGrid and directionGrid
 * refuse more than `maxPoints` points, naming the size and the budget; srpPhat refuses more than
 * `maxWork` grid points × microphone pairs before computing any cross-correlation.
 */
import { describe, expect, it } from 'vitest';
import { ArrayGeometry, DEFAULT_MAX_GRID_POINTS, directionGrid, linspaceCount, linspaceStep, pointGrid, srpPhat } from '../../src/beamform/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ValueError } from '../../src/core/errors.js';
import { expectPointwiseError, Rng } from '../helpers/index.js';

describe('linspaceStep: the axis is counted before it is allocated', () => {
  it('a 1e-9 step over 1 m (1e9 + 1 values, 8 GB) is a ValueError naming the count and the budget', () => {
    expectPointwiseError(() => linspaceStep(0, 1, 1e-9), ValueError, `linspaceStep: the grid must have at most maxPoints = ${DEFAULT_MAX_GRID_POINTS} points (raise maxPoints for a larger grid, or use a coarser step); got 0…1 in steps of 1e-9 = 1000000001 points`);
  });
  it('a step so small that the count is beyond any budget (1e-300 over 1 m) is refused too', () => {
    expectPointwiseError(() => linspaceStep(0, 1, 1e-300), ValueError, /linspaceStep: the grid must have at most maxPoints = 2000000 points .*= 1\.00e\+300 points/);
    expectPointwiseError(() => linspaceStep(-1e308, 1e308, 1), ValueError, /= too many points/);
  });
  it('maxPoints raises or lowers the budget; exactly maxPoints values pass', () => {
    expect(linspaceStep(0, 1, 0.25, { maxPoints: 5 })).toEqual(Float64Array.from([0, 0.25, 0.5, 0.75, 1]));
    expectPointwiseError(() => linspaceStep(0, 1, 0.25, { maxPoints: 4 }), ValueError, /at most maxPoints = 4 points .*= 5 points/);
    expect(linspaceStep(0, 3e6 - 1, 1, { maxPoints: 3e6 }).length).toBe(3e6);
    expectPointwiseError(() => linspaceStep(0, 1, 0.5, { maxPoints: 0 }), ValueError, 'linspaceStep: options.maxPoints must be a positive integer; got 0');
  });
  it('linspaceCount agrees with linspaceStep', () => {
    for (const [a, b, s] of [[0.1, 1.2, 0.01], [0, 359, 1], [-0.2, 1.1, 0.01], [0, 1, 0.3], [1, 0, 0.1]]) {
      expect(linspaceCount(a, b, s)).toBe(linspaceStep(a, b, s).length);
    }
  });
});

describe('pointGrid / directionGrid: the product of the axes is checked before the grid is allocated', () => {
  const axis = linspaceStep(0, 1, 1e-4); // 10 001 values: fine alone
  it('10 001 × 10 001 points (1e8, 2.4 GB of coordinates) is a ValueError naming the size', () => {
    expectPointwiseError(() => pointGrid(axis, axis), ValueError, `pointGrid: the grid must have at most maxPoints = ${DEFAULT_MAX_GRID_POINTS} points (raise maxPoints for a larger grid, or use a coarser step); got 1 × 10001 × 10001 = 100020001 points`);
  });
  it('a third axis counts', () => {
    const a = linspaceStep(0, 1, 0.01); // 101
    expect(pointGrid(a, a, a.subarray(0, 50)).size).toBe(101 * 101 * 50);
    expectPointwiseError(() => pointGrid(a, a, a, { maxPoints: 1e6 }), ValueError, /at most maxPoints = 1000000 points .*101 × 101 × 101 = 1030301 points/);
  });
  it('directionGrid refuses 360 000 azimuths × 181 elevations', () => {
    expectPointwiseError(() => directionGrid(linspaceStep(0, 359.999, 0.001), linspaceStep(-90, 90, 1)), ValueError, /directionGrid: the grid must have at most maxPoints = 2000000 points .*181 elevations × 360000 azimuths = 65160000 points/);
  });
});

describe('srpPhat: grid points × microphone pairs within maxWork', () => {
  const geometry = ArrayGeometry.linear(8, 0.05); // 28 pairs
  const x = new Multichannel(new Rng(1).normals(8 * 2048), 8, 2048, { sampleRate: 16000 });
  const grid = pointGrid(linspaceStep(0, 1, 0.01), linspaceStep(0, 1, 0.01)); // 10 201 points
  it('refuses before computing when points × pairs exceed maxWork, naming both', () => {
    expectPointwiseError(() => srpPhat(x, geometry, grid, { maxWork: 100_000 }), ValueError, 'srpPhat: grid points × microphone pairs must be at most maxWork = 100000 (raise maxWork, use a coarser grid or fewer microphones); got 10201 points × 28 pairs = 285628');
  });
  it('runs at the default budget, and with maxWork exactly the work', () => {
    expect(srpPhat(x, geometry, grid).map.length).toBe(10201);
    expect(srpPhat(x, geometry, grid, { maxWork: 285628 }).map.length).toBe(10201);
  });
});
