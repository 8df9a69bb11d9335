/**
 * SRP-PHAT maps on worker threads (issue 9, "both cores"): the pair correlations are computed once on
 * the calling thread, then the grid is split into contiguous blocks evaluated by `workers` threads
 * (node:worker_threads, self-contained worker code, no build step). Each worker runs the source
 * text of the very kernel {@link srpEvaluate} calls (srpKernel), so the map is bit-identical to
 * {@link srpPhat}'s.
 * @module
 */
import { Worker } from 'node:worker_threads';
import * as os from 'node:os';
import { Multichannel } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { ArrayGeometry } from './geometry.js';
import { findPeaks, srpEvaluate, srpKernel, srpSetup, type SearchGrid, type SrpPhatOptions, type SrpPhatResult } from './localize.js';

/** The worker: runs srpKernel (its own source text) on its block of the grid and posts the map part back. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { positions, kind, values, c, g0, g1, pairsI, pairsJ, corr, W, half, lagRate } = workerData;
const kernel = (${srpKernel.toString()});
const out = new Float64Array(g1 - g0);
kernel(positions, kind, values, c, g0, g1, pairsI, pairsJ, corr, W, half, lagRate, out);
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
