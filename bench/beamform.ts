/**
 * bench/beamform: delay-and-sum (8 mics × 10 s at 16 kHz, integer and FFT fractional delays) against
 * numpy in the same run, and SRP-PHAT (32 mics × 1 s at 48 kHz over 10 000 near-field grid points).
 * Targets (issue 5): integer ≥ 1000× real time, FFT ≥ 100× real time, SRP ≤ 2 s; (issue 9) SRP on two
 * threads ≥ 1.6× one thread, bit-identical, with its three phases timed alone.
 */
import { Multichannel } from '../src/core/multichannel.js';
import { Rng } from '../src/core/random.js';
import { ArrayGeometry, direction, point } from '../src/beamform/geometry.js';
import { delayAndSum } from '../src/beamform/das.js';
import { channelSpectra, linspaceStep, pairCorrelate, pointGrid, srpCheck, srpEvaluate, srpPairs, srpPhat } from '../src/beamform/localize.js';
import { gridOnThreads, pairsOnThreads, spectraOnThreads, srpPhatParallel } from '../src/beamform/parallel.js';
import { steeringDelays } from '../src/beamform/steering.js';
import { simulatePointSource } from '../src/beamform/simulate.js';
import { SMOKE, fmt, parallelCeiling, medianMs, printTable, runPython, printCeilings } from './lib.js';

export async function main(): Promise<void> {
  await printCeilings();
  const rng = new Rng(5);
  const fs = 16000;
  const seconds = SMOKE ? 0.5 : 10;
  const N = Math.round(fs * seconds);
  const M = 8;
  const g = ArrayGeometry.linear(M, '4 cm');
  const target = direction(60);
  const x = new Multichannel(rng.normals(M * N), M, N, { sampleRate: fs });
  const dSamples = steeringDelays(g, target);
  for (let m = 0; m < M; m++) dSamples[m] *= fs;
  const rows: (string | number)[][] = [];
  const tInt = medianMs(() => delayAndSum(x, g, target, { method: 'integer' }), 7);
  const tSinc = medianMs(() => delayAndSum(x, g, target, { method: 'sinc' }), 5);
  const tFft = medianMs(() => delayAndSum(x, g, target, { method: 'fft' }), 5);
  const tStft = medianMs(() => delayAndSum(x, g, target, { method: 'stft' }), 5);
  const py = runPython(
    `
M = ${M}; N = ${N}
X = load('x').reshape(M, N)
d = load('d')
di = np.round(d).astype(int)
w = np.full(M, 1.0 / M)
def das_int():
    y = np.zeros(N)
    for m in range(M):
        y[di[m]:] += w[m] * X[m, :N - di[m]]
    return y
nfft = 1 << int(np.ceil(np.log2(N + np.ceil(d.max()) + 64)))
f = np.arange(nfft // 2 + 1)
def das_fft():
    S = np.fft.rfft(X, nfft, axis=1)
    Y = (w[:, None] * S * np.exp(-2j * np.pi * f[None, :] * d[:, None] / nfft)).sum(axis=0)
    return np.fft.irfft(Y, nfft)[:N]
print(json.dumps({'int': median_ms(das_int, 7), 'fft': median_ms(das_fft, 5)}))
`,
    { x: x.data as Float64Array, d: dSamples },
  );
  const rt = (ms: number) => `${fmt((seconds * 1000) / ms)}× real time`;
  rows.push([`DAS ${M} mics × ${seconds} s @ 16 kHz`, 'integer delays', tInt, py ? fmt(tInt / py.int) : 'n/a', rt(tInt)]);
  rows.push(['', 'numpy integer (anchor)', py ? py.int : NaN, '1', py ? rt(py.int) : 'n/a']);
  rows.push(['', 'FFT fractional (exact phase shift)', tFft, py ? fmt(tFft / py.fft) : 'n/a', rt(tFft)]);
  rows.push(['', 'numpy rfft fractional (anchor)', py ? py.fft : NaN, '1', py ? rt(py.fft) : 'n/a']);
  rows.push(['', 'windowed-sinc FIR (32 taps)', tSinc, '', rt(tSinc)]);
  rows.push(['', 'STFT (1024, hop 512)', tStft, '', rt(tStft)]);

  // SRP-PHAT: 32 mics (ULA, 3 cm) × 1 s @ 48 kHz over 10 000 points (100 × 100 grid)
  const fs2 = 48000;
  const C = SMOKE ? 8 : 32;
  const N2 = SMOKE ? 4800 : 48000;
  const side = SMOKE ? 20 : 100;
  const g2 = ArrayGeometry.linear(C, '3 cm', { axis: 'y', centred: false });
  const x2 = simulatePointSource(rng.normals(N2), g2, point(0.5, 0.4), { sampleRate: fs2, snrDb: 10, seed: 3 });
  const dx = 1.1 / (side - 1);
  const dy = 1.3 / (side - 1);
  const grid = pointGrid(linspaceStep(0.1, 1.2 + dx / 2, dx), linspaceStep(-0.2, 1.1 + dy / 2, dy));
  let found = '';
  const tSrp = medianMs(() => {
    const r = srpPhat(x2, g2, grid);
    const p = r.peaks[0].target;
    if (p.kind === 'near-field') found = `peak (${p.point[0].toFixed(2)}, ${p.point[1].toFixed(2)}) m, true (0.50, 0.40)`;
    return r.map;
  }, 5);
  rows.push([`SRP-PHAT ${C} mics × ${N2 / fs2} s @ 48 kHz, ${grid.size} points`, 'pair GCC once + interpolated sums', tSrp, '', `target ≤ 2000 ms; ${found}`]);
  // 2 threads (the calling thread + 1 persistent worker): async, so time by hand (median of 5 after a warm-up)
  const times: number[] = [];
  let same = true;
  const ref = srpPhat(x2, g2, grid).map;
  for (let i = 0; i < 6; i++) {
    const t0 = process.hrtime.bigint();
    const r = await srpPhatParallel(x2, g2, grid, { workers: 1 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i > 0) times.push(ms);
    for (let k = 0; k < ref.length; k++) if (r.map[k] !== ref[k]) same = false;
  }
  times.sort((a, b) => a - b);
  const tPar = times[Math.floor(times.length / 2)];
  const ceiling = parallelCeiling();
  rows.push(['', 'same on 2 threads (srpPhatParallel, workers: 1)', tPar, '', `speed-up ${fmt(tSrp / tPar)}× (aim ≥ 1.6×; machine ceiling for two threads ${fmt(ceiling)}×); map ${same ? 'bit-identical' : 'DIFFERS'}`]);
  // the three phases alone, 1 thread (srpPhat's kernels) vs 2 threads (srpPhatParallel's steps)
  const { plan, c, g: geo } = srpCheck('bench', x2, g2, grid, {});
  const { C: nC, F, B, W } = plan;
  const Sr = new Float64Array(F * nC * B), Si = new Float64Array(F * nC * B);
  const { pairsI, pairsJ } = srpPairs(nC);
  const values = new Float64Array(pairsI.length * W);
  const pc = { pairsI, pairsJ, values, width: W, half: plan.half, lagRate: plan.lagRate };
  const map = new Float64Array(grid.size);
  const sp = spectraOnThreads('bench', plan, x2.data, 1);
  const phases: [string, () => unknown, () => unknown][] = [
    [`frame spectra (${nC} channels × ${F} frames)`, () => channelSpectra(plan, x2.data, 0, 0, nC, Sr, Si), () => spectraOnThreads('bench', plan, x2.data, 1).Sr],
    [`pair correlations (${pairsI.length} pairs: cross-spectra + inverse FFTs)`, () => pairCorrelate(plan, Sr, Si, pairsI, pairsJ, 0, pairsI.length, values), () => pairsOnThreads('bench', plan, sp.Sr, sp.Si, 1).values],
    [`grid (${grid.size} points)`, () => srpEvaluate(pc, geo.positions, grid, c, 0, grid.size, map), () => gridOnThreads('bench', plan, pc, geo.positions, grid, c, 1)],
  ];
  for (const [label, one, two] of phases) {
    const t1 = medianMs(one, 5);
    const t2 = medianMs(two, 5);
    rows.push(['', `  phase: ${label}`, t1, '', `2 threads ${fmt(t2)} ms: ${fmt(t1 / t2)}× (2-thread time includes shared-memory allocation and copies)`]);
  }
  printTable(`beamform${SMOKE ? ' (smoke size)' : ''}`, ['case', 'method', 'median ms', 'ratio to numpy', 'note'], rows);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
