/**
 * SRP-PHAT maps on both cores: {@link srpPhat}'s three phases, each split over the calling
 * thread and persistent worker threads (src/beamform/srp-worker.ts, a {@link WorkerPool}; see
 * src/core/workers.ts):
 *
 * 1. frame spectra, split by channels (each thread transforms its channels; spectra on shared memory);
 * 2. pair cross-spectra accumulated over frames, phase transform and inverse FFT, split by pairs;
 * 3. the grid evaluation, split into contiguous blocks of grid points.
 *
 * Every thread runs the single-thread path's own kernels (channelSpectra, pairCorrelate, srpKernel)
 * on whole channels, pairs and grid points, so the map is bit-identical to {@link srpPhat}'s.
 * @module
 */
import * as path from 'node:path';
import { Multichannel, type SampleArray } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { WorkerPool, cores, split } from '../core/workers.js';
import { shared, sharedArray, sharedCopy } from '../core/shared.js';
import { ArrayGeometry } from './geometry.js';
import { channelSpectra, srpResult, pairCorrelate, srpCheck, srpKernel, srpPairs, srpMap, type PairCorrelations, type SearchGrid, type SrpPhatOptions, type SrpPhatResult, type SrpPlan } from './localize.js';

/** Options of {@link srpPhatParallel}: those of srpPhat plus the number of worker threads. */
export interface SrpPhatParallelOptions extends SrpPhatOptions {
  /**
   * Worker threads besides the calling thread, which takes a share of every phase too (default:
   * available cores − 1, at most 7, so 1 on two cores); 0 computes everything on the calling thread.
   */
  workers?: number;
}

/** One share of one phase of srpPhatParallel (arrays on shared memory; see the kernels for the layouts). @internal */
export type SrpTask =
  /** Frame spectra of channels [c0, c1); `x` holds channels from `xc0` on. */
  | { kind: 'spectra'; plan: SrpPlan; x: SampleArray; xc0: number; c0: number; c1: number; Sr: Float64Array; Si: Float64Array }
  /** Correlations of pairs [p0, p1) into `values`. */
  | { kind: 'pairs'; plan: SrpPlan; Sr: Float64Array; Si: Float64Array; pairsI: Int32Array; pairsJ: Int32Array; p0: number; p1: number; values: Float64Array }
  /** Map values of grid points [g0, g1) into `out` (length g1 − g0). */
  | { kind: 'grid'; plan: SrpPlan; positions: Float64Array; gridKind: SearchGrid['kind']; grid: Float64Array; c: number; g0: number; g1: number; pairsI: Int32Array; pairsJ: Int32Array; values: Float64Array; out: Float64Array };

/** Runs one {@link SrpTask}: the body of the worker threads, and of the calling thread's share. @internal */
export function runSrpTask(t: SrpTask): void {
  if (t.kind === 'spectra') channelSpectra(t.plan, t.x, t.xc0, t.c0, t.c1, t.Sr, t.Si);
  else if (t.kind === 'pairs') pairCorrelate(t.plan, t.Sr, t.Si, t.pairsI, t.pairsJ, t.p0, t.p1, t.values);
  else srpKernel(t.positions, t.gridKind, t.grid, t.c, t.g0, t.g1, t.pairsI, t.pairsJ, t.values, t.plan.W, t.plan.half, t.plan.lagRate, t.out);
}

/** The SRP-PHAT workers, started on first use and kept (unref'd). */
const pool = new WorkerPool(path.join(__dirname, 'srp-worker'));

/**
 * Work (in the units of {@link runSplit}'s `unitCost`) below which a thread's share is not worth a
 * round trip to a worker (~0.1 ms): about 0.5 ms of single-thread time, from bench/beamform's
 * phase timings (≈ 30 ns per frame sample transformed, ≈ 15 ns per frame · bin of a pair's
 * cross-spectrum, ≈ 14 ns per grid point · pair).
 */
const MIN_SHARE = 20_000;

/**
 * Runs `task(a, b)` for the ranges of `[0, n)` split over the calling thread (the first range) and
 * up to `workers` worker threads, each share at least {@link MIN_SHARE} of work (`unitCost` per
 * unit of n), and waits for all of them.
 */
function runSplit(fn: string, n: number, unitCost: number, workers: number, task: (a: number, b: number) => SrpTask): void {
  const parts = Math.max(1, Math.min(n, workers + 1, Math.floor((n * unitCost) / MIN_SHARE)));
  const b = split(n, parts);
  const tasks: SrpTask[] = [];
  for (let p = 1; p < parts; p++) tasks.push(task(b[p], b[p + 1]));
  pool.run(fn, tasks, () => runSrpTask(task(b[0], b[1])), { retry: 'options.workers = 0' });
}

/**
 * Phase 1 on `workers` worker threads plus the calling thread: frame spectra `[F·C·B]` (real and
 * imaginary parts, on shared memory) of the checked signal `x`, split by channels. The calling
 * thread reads `x` in place; workers get a shared copy of their channels (none when `x` is shared).
 * @internal
 */
export function spectraOnThreads(fn: string, plan: SrpPlan, x: SampleArray, workers: number): { Sr: Float64Array; Si: Float64Array } {
  const { C, N, F, B } = plan;
  const Sr = sharedArray('float64', F * C * B);
  const Si = sharedArray('float64', F * C * B);
  const xShared = x.buffer instanceof SharedArrayBuffer;
  runSplit(fn, C, F * plan.nfft, workers, (c0, c1) =>
    c0 === 0 || xShared
      ? { kind: 'spectra', plan, x, xc0: 0, c0, c1, Sr, Si }
      : { kind: 'spectra', plan, x: sharedCopy(x.subarray(c0 * N, c1 * N)), xc0: c0, c0, c1, Sr, Si },
  );
  return { Sr, Si };
}

/** Phase 2 on threads: the pair correlations (`[P × W]`, shared memory) from the frame spectra, split by pairs. @internal */
export function pairsOnThreads(fn: string, plan: SrpPlan, Sr: Float64Array, Si: Float64Array, workers: number): PairCorrelations {
  const { pairsI, pairsJ } = srpPairs(plan.C);
  const values = sharedArray('float64', pairsI.length * plan.W);
  runSplit(fn, pairsI.length, plan.F * (plan.kHi - plan.kLo + 1), workers, (p0, p1) => ({ kind: 'pairs', plan, Sr, Si, pairsI, pairsJ, p0, p1, values }));
  return { pairsI, pairsJ, values, width: plan.W, half: plan.half, lagRate: plan.lagRate };
}

/** Phase 3 on threads: the map over `grid` from the pair correlations, split into blocks of grid points. @internal */
export function gridOnThreads(fn: string, plan: SrpPlan, pc: PairCorrelations, positions: Float64Array, grid: SearchGrid, c: number, workers: number): Float64Array {
  const out = sharedArray('float64', grid.size);
  const pos = shared(positions);
  const values = shared(pc.values);
  const gridValues = shared(grid.values);
  runSplit(fn, grid.size, pc.pairsI.length, workers, (g0, g1) => ({ kind: 'grid', plan, positions: pos, gridKind: grid.kind, grid: gridValues, c, g0, g1, pairsI: pc.pairsI, pairsJ: pc.pairsJ, values, out: out.subarray(g0, g1) }));
  return out.slice(); // a plain (unshared) array for the caller
}

/**
 * {@link srpPhat} with its set-up (frame spectra, pair correlations) and its grid evaluation spread
 * over the calling thread and `workers` persistent worker threads; resolves to the same result, bit
 * for bit. On two cores about 1.7–1.9× faster than srpPhat for 32 microphones × 1 s and 10⁴ points
 * (see bench/beamform). The calling thread is busy until the map is done (it computes a share and
 * blocks on Atomics.wait for the rest); the promise is for API compatibility.
 * Memory: the frame spectra (16·F·C·B bytes, 25 MB for 32 mics × 1 s at 48 kHz) live on shared
 * memory, plus a shared copy of the workers' channels when `x.data` is not already shared.
 * @throws as {@link srpPhat} (the promise rejects), naming srpPhatParallel; NumericalError when a
 * worker thread fails.
 */
export async function srpPhatParallel(x: Multichannel, geometry: ArrayGeometry, grid: SearchGrid, options: SrpPhatParallelOptions = {}): Promise<SrpPhatResult> {
  const fn = 'srpPhatParallel';
  const nw = options.workers ?? Math.min(7, Math.max(0, cores() - 1));
  assertInteger(fn, 'options.workers', nw, 0, 64);
  let map: Float64Array;
  if (nw === 0) map = srpMap(fn, x, geometry, grid, options);
  else {
    const { plan, c, g } = srpCheck(fn, x, geometry, grid, options);
    const { Sr, Si } = spectraOnThreads(fn, plan, x.data, nw);
    const pc = pairsOnThreads(fn, plan, Sr, Si, nw);
    map = gridOnThreads(fn, plan, pc, g.positions, grid, c, nw);
  }
  return srpResult(map, geometry, grid, options);
}
