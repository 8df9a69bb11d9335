/**
 * SRP-PHAT maps on worker threads (issue 9, "both cores"): the pair correlations are computed once on
 * the calling thread, then the grid is split into contiguous blocks evaluated by `workers` threads
 * (node:worker_threads, self-contained worker code, no build step). Each worker runs the same
 * arithmetic in the same order as {@link srpEvaluate}, so the map is bit-identical to
 * {@link srpPhat}'s.
 * @module
 */
import { Worker } from 'node:worker_threads';
import * as os from 'node:os';
import { Multichannel } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { ArrayGeometry } from './geometry.js';
import { findPeaks, srpAccumulatePairs, srpEvaluate, srpSetup, type SearchGrid, type SrpPhatOptions, type SrpPhatResult } from './localize.js';

/** The worker: mirrors arrivalTimesUnchecked + srpEvaluate exactly (same operations, same order); the pair kernel is srpAccumulatePairs's own source. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { positions, kind, values, c, g0, g1, pairsI, pairsJ, corr, W, half, lagRate } = workerData;
const M = positions.length / 3;
const accumulate = (${srpAccumulatePairs.toString()});
const out = new Float64Array(g1 - g0);
const BLOCK = 256;
const t = new Float64Array(BLOCK * M);
const tg = new Float64Array(M);
for (let b0 = g0; b0 < g1; b0 += BLOCK) {
  const b1 = Math.min(g1, b0 + BLOCK);
  out.fill(0, b0 - g0, b1 - g0);
  for (let g = b0; g < b1; g++) {
    if (kind === 'directions') {
      const az = (values[2 * g] * Math.PI) / 180;
      const el = (values[2 * g + 1] * Math.PI) / 180;
      const ux = Math.cos(el) * Math.cos(az), uy = Math.cos(el) * Math.sin(az), uz = Math.sin(el);
      for (let m = 0; m < M; m++) tg[m] = -(positions[3 * m] * ux + positions[3 * m + 1] * uy + positions[3 * m + 2] * uz) / c;
    } else {
      const sx = values[3 * g], sy = values[3 * g + 1], sz = values[3 * g + 2];
      for (let m = 0; m < M; m++) {
        const dx = positions[3 * m] - sx, dy = positions[3 * m + 1] - sy, dz = positions[3 * m + 2] - sz;
        tg[m] = Math.sqrt(dx * dx + dy * dy + dz * dz) / c;
      }
    }
    const o = (g - b0) * M;
    for (let m = 0; m < M; m++) t[o + m] = tg[m] * lagRate;
  }
  accumulate(t, M, b0, b1, g0, pairsI, pairsJ, corr, W, half, out);
}
parentPort.postMessage(out, [out.buffer]);
`;

/** Options of {@link srpPhatParallel}: those of srpPhat plus the number of worker threads. */
export interface SrpPhatParallelOptions extends SrpPhatOptions {
  /** Worker threads (default: available cores, at most 8); 0 evaluates on the calling thread. */
  workers?: number;
}

/**
 * {@link srpPhat} with the grid evaluation spread over worker threads; resolves to the same result,
 * bit for bit. Worth it for large grids (≳ 10⁴ points × 10² pairs); the set-up (pair correlations)
 * stays on the calling thread.
 * @throws as {@link srpPhat} (the promise rejects).
 */
export async function srpPhatParallel(x: Multichannel, geometry: ArrayGeometry, grid: SearchGrid, options: SrpPhatParallelOptions = {}): Promise<SrpPhatResult> {
  const fn = 'srpPhatParallel';
  const nw = options.workers ?? Math.min(8, Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
  assertInteger(fn, 'workers', nw, 0, 64);
  const { pc, c, g } = srpSetup(fn, x, geometry, grid, options);
  const map = new Float64Array(grid.size);
  if (nw === 0) {
    srpEvaluate(pc, g.positions, grid, c, 0, grid.size, map);
  } else {
    const per = Math.ceil(grid.size / nw);
    const jobs: Promise<void>[] = [];
    for (let w = 0; w < nw; w++) {
      const g0 = w * per;
      const g1 = Math.min(grid.size, g0 + per);
      if (g0 >= g1) break;
      jobs.push(
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(WORKER_SOURCE, {
            eval: true,
            workerData: { positions: g.positions, kind: grid.kind, values: grid.values, c, g0, g1, pairsI: pc.pairsI, pairsJ: pc.pairsJ, corr: pc.values, W: pc.width, half: pc.half, lagRate: pc.lagRate },
          });
          worker.once('message', (part: Float64Array) => {
            map.set(part, g0);
            resolve();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`${fn}: worker exited with code ${code}`));
          });
        }),
      );
    }
    await Promise.all(jobs);
  }
  return { map, shape: grid.shape, peaks: findPeaks(map, grid, options.peaks ?? 1, options.minSeparation) };
}
