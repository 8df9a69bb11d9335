/**
 * bench/convolve: convolve() by method against ml-convolution and scipy.signal (fftconvolve,
 * oaconvolve, convolve) on the same inputs in the same run, plus the targets of issue 22:
 * - N = 1e6, M = 1001, 1 channel, and 8 channels × N = 1e6 with M = 4096 per-channel kernels:
 *   within 1.2× of the fastest scipy route (oaconvolve, fftconvolve, convolve; run with the default
 *   threads and with one, the faster counts), and ≥ 10× faster than ml-convolution (1 channel);
 * - StreamingConvolver, 8 channels at 48 kHz, 1 s impulse response: float64 ≥ 100× real time,
 *   float32 ≥ 200×.
 * The table also says which method 'auto' picked and whether it is within 20 % of the fastest
 * measured method: the constants of src/convolve/cost.ts come from these rows.
 *
 * Run: `flock /tmp/bench.lock npx tsx bench/convolve.ts` (BENCH_SMOKE=1 for a few-second smoke run).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { directConvolution, fftConvolution } from 'ml-convolution';
import { StreamingConvolver, type Precision } from '../src/convolve/streaming.js';
import { convolveWavFiles } from '../src/convolve/wavfile.js';
import { syntheticRoomResponse } from '../src/convolve/room.js';
import { WavWriter, writeWav } from '../src/io/wav.js';
import { terminateWorkers } from '../src/convolve/pool.js';
import { convolve, plannedMethod } from '../src/convolve/convolve.js';
import { Multichannel } from '../src/core/multichannel.js';
import { Rng } from '../src/core/random.js';
import { CALLS, SMOKE, TARGET_HEADER, flopsNote, measure, medianMs, mm, peakRssMb, printCeilings, printTable, pythonHas, runAnchors, targetRow, type AnchorStats, type Ceilings } from './lib.js';

const METHODS = ['direct', 'fft', 'overlap-add', 'auto'] as const;
/** Skip runs estimated above this many ms (direct at ~0.75 ns per multiply-add). */
const MAX_MS = 2000;

const SCIPY = `
from scipy import signal
x = load('x').reshape(C, N)
h = load('h').reshape(K, M)
if C == 1:
    x = x[0]; h = h[0]
T['fftconvolve'] = measure(lambda: signal.fftconvolve(x, h, axes=-1))
T['oaconvolve'] = measure(lambda: signal.oaconvolve(x, h, axes=-1))
if C == 1 or K == 1:
    T['convolve'] = measure(lambda: signal.convolve(x, h))  # 2-D full convolution with a [1, M] kernel = row-wise
`;

/**
 * scipy.signal's routes on the same inputs (median / min of `calls`); `threads: 'both'` runs them
 * with the default threads and with one as well (the faster counts).
 */
function scipyTimes(x: Multichannel, h: Multichannel, calls: number, threads: 'both' | 'default' = 'default'): Record<string, AnchorStats> | null {
  if (!pythonHas('numpy', 'scipy')) return null;
  const header = `C = ${x.channels}\nN = ${x.length}\nK = ${h.channels}\nM = ${h.length}\n`;
  return runAnchors(header + SCIPY, { x: x.data, h: h.data }, { calls, threads })?.times ?? null;
}

/** The fastest of scipy's routes, by median. */
function fastestScipy(py: Record<string, AnchorStats>): { name: string; stats: AnchorStats } {
  const [name, stats] = Object.entries(py).reduce((a, b) => (b[1].median < a[1].median ? b : a));
  return { name: `scipy.signal.${name} (${stats.threads})`, stats };
}

/**
 * Approximate flops of an FFT convolution done in blocks: per block a real FFT and an inverse of size
 * F (2.5 F log2 F flops each, the usual count) and F/2 complex products (3 F flops).
 */
function fftFlops(blocks: number, F: number): number {
  return blocks * (5 * F * Math.log2(F) + 3 * F);
}

export async function main(): Promise<void> {
  const c = await printCeilings();
  const rng = new Rng(2024);
  // `npx tsx bench/convolve.ts --only=multichannel` runs just the 8-channel target (and workers)
  // section; `--only=target` the N = 1e6, M = 1001 target; `--only=streaming` the StreamingConvolver
  // and memory sections.
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  if (only === 'multichannel') {
    await multichannelTarget(rng, c);
    return;
  }
  if (only === 'target') {
    singleTarget(rng, c);
    return;
  }
  if (only === 'streaming') {
    printTable('StreamingConvolver (8 channels, 48 kHz, 1 s impulse response)', ['case', 'method', 'median / min ms', 'x real time', 'note'], await streamingRows(rng, c));
    printTable('memory: WAV → convolveWavFiles → WAV', ['case', 'peak RSS MB', 'ms', 'note'], await memoryRows());
    return;
  }
  const Ns = SMOKE ? [1000, 10000] : [1000, 100000, 1000000];
  const Ms = SMOKE ? [16, 101] : [16, 101, 1001, 10000, 100000];
  const Cs = SMOKE ? [1, 2] : [1, 8];
  const runs = SMOKE ? 3 : 5;
  const rows: (string | number)[][] = [];
  let autoOk = 0, autoTotal = 0;
  for (const C of Cs) {
    for (const N of Ns) {
      for (const M of Ms) {
        if (M > N) continue;
        const x = new Multichannel(rng.normals(C * N), C, N);
        const h = new Multichannel(rng.normals(M), 1, M);
        const label = `C=${C} N=${N} M=${M}`;
        const py = scipyTimes(x, h, runs);
        const anchor = py?.oaconvolve?.median ?? NaN;
        const t: Record<string, number> = {};
        for (const method of METHODS) {
          const plan = plannedMethod(N, M, C, 1, 'full', method);
          if (plan.method === 'direct' && 0.75e-6 * N * M * C > MAX_MS) continue;
          const r = runs;
          t[method] = medianMs(() => convolve(x, h, { method }), r);
        }
        const measured = (['direct', 'fft', 'overlap-add'] as const).filter((m) => t[m] !== undefined);
        const fastest = Math.min(...measured.map((m) => t[m]));
        const pick = plannedMethod(N, M, C, 1, 'full', 'auto');
        const pickMs = t[pick.method] ?? t.auto;
        const within = pickMs <= 1.2 * fastest || t.auto <= 1.2 * fastest;
        autoTotal++;
        if (within) autoOk++;
        for (const method of METHODS) {
          if (t[method] === undefined) continue;
          const note = method === 'auto' ? `picks ${pick.method}${pick.fftSize ? ` F=${pick.fftSize}` : ''}; ${within ? 'within 20% of fastest' : `NOT within 20% (${(pickMs / fastest).toFixed(2)}×)`}` : method === 'overlap-add' ? `F=${plannedMethod(N, M, C, 1, 'full', 'overlap-add').fftSize}` : '';
          rows.push([label, `pointwise ${method}`, t[method], t[method] / anchor, note]);
        }
        if (C === 1 && M % 2 === 1) {
          const xs = x.channel(0), hs = h.channel(0);
          if (2e-6 * N * M <= MAX_MS) rows.push([label, 'ml-convolution direct', medianMs(() => directConvolution(xs, hs), Math.min(runs, 3)), NaN, 'same-size output (odd kernels only)']);
          const ml = medianMs(() => fftConvolution(xs, hs), runs);
          rows.push([label, 'ml-convolution fft', ml, ml / anchor, `auto is ${(ml / t.auto).toFixed(1)}× faster`]);
        }
        if (py) {
          for (const [k, v] of Object.entries(py)) rows.push([label, `scipy ${k}`, v.median, v.median / anchor, k === 'convolve' ? 'scipy method=auto' : '']);
        }
        console.log(`(done ${label}: auto ${t.auto.toFixed(2)} ms, scipy oaconvolve ${anchor.toFixed(2)} ms)`);
      }
    }
  }
  printTable('convolve, full mode, broadcast kernel (ratio = time / scipy.signal.oaconvolve in the same run)', ['case', 'method', 'median ms', 'ratio', 'note'], rows);
  console.log(`\nauto within 20% of the fastest method: ${autoOk}/${autoTotal} cases`);

  // The target sections run in fresh processes: after the grid's hundreds of large allocations this
  // process's heap makes later timings up to 1.7x slower (seen here), which would measure the
  // benchmark's own garbage rather than the code. scipy's anchors run in fresh processes too.
  for (const section of ['target', 'multichannel', 'streaming']) {
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, `--only=${section}`], { stdio: 'inherit', env: process.env });
    if (r.status !== 0) throw new Error(`bench/convolve --only=${section} failed (exit ${r.status})`);
  }
}

/**
 * Target: N = 1e6, M = 1001, 1 channel, against the fastest scipy route (default threads and one
 * thread) and ml-convolution.
 */
function singleTarget(rng: Rng, c: Ceilings): void {
  const N = SMOKE ? 20000 : 1000000, M = 1001;
  const x = new Multichannel(rng.normals(N), 1, N);
  const h = rng.normals(M);
  const ours = measure(() => convolve(x, h));
  const py = scipyTimes(x, new Multichannel(h, 1, M), CALLS, 'both');
  const ml = measure(() => fftConvolution(x.channel(0), h), { calls: SMOKE ? 3 : 5 });
  const best = py ? fastestScipy(py) : null;
  const plan = plannedMethod(N, M, 1, 1, 'full', 'auto');
  const blocks = plan.method === 'fft' ? 1 : Math.ceil(N / (plan.fftSize - M + 1));
  const limit = `${plan.method} F=${plan.fftSize}: ${flopsNote(fftFlops(blocks, plan.fftSize), ours.median, c)} (≈ flops of the FFTs and products)`;
  const name = `convolve 1 ch, N=${N}, M=${M}`;
  const rows = [
    targetRow({ id: 'convolve 1 ch N=1e6 M=1001 vs scipy', workload: name, ours, anchor: best, goal: { metric: 'time / fastest scipy', value: best ? ours.median / best.stats.median : NaN, op: '<=', bound: 1.2 }, limit }),
    targetRow({ id: 'convolve 1 ch N=1e6 M=1001 vs ml-convolution', workload: name, ours, anchor: { name: 'ml-convolution fftConvolution', stats: ml }, goal: { metric: 'ml-convolution time / pointwise time', value: ml.median / ours.median, op: '>=', bound: 10 }, limit }),
  ];
  printTable(`target: 1 channel${SMOKE ? ' (smoke size: the targets do not apply)' : ''}; scipy routes: ${py ? Object.entries(py).map(([k, v]) => `${k} ${mm(v)} ms (${v.threads})`).join(', ') : 'unavailable'}`, TARGET_HEADER, rows);
}

/**
 * Target: 8 channels × 1e6, per-channel kernels of 4096, against the fastest scipy route
 * (oaconvolve / fftconvolve with axes=-1), plus the worker-thread speed-up.
 */
async function multichannelTarget(rng: Rng, c: Ceilings): Promise<void> {
  const C = SMOKE ? 2 : 8, N = SMOKE ? 20000 : 1000000, M = SMOKE ? 256 : 4096;
  const x = new Multichannel(rng.normals(C * N), C, N);
  const h = new Multichannel(rng.normals(C * M), C, M);
  const py = scipyTimes(x, h, CALLS, 'both');
  const ours = measure(() => convolve(x, h));
  const best = py ? fastestScipy(py) : null;
  const plan = plannedMethod(N, M, C, C, 'full', 'auto');
  const blocks = C * (plan.method === 'fft' ? 1 : Math.ceil(N / (plan.fftSize - M + 1)));
  const limit = `${plan.method} F=${plan.fftSize}: ${flopsNote(fftFlops(blocks, plan.fftSize), ours.median, c)} (≈ flops of the FFTs and products)`;
  const rows = [
    targetRow({
      id: 'convolve 8 ch N=1e6 M=4096 per-channel vs scipy',
      workload: `convolve ${C} ch × ${N}, M=${M} per channel`,
      ours,
      anchor: best,
      goal: { metric: 'time / fastest scipy', value: best ? ours.median / best.stats.median : NaN, op: '<=', bound: 1.2 },
      limit,
    }),
  ];
  printTable(`target: ${C} channels${SMOKE ? ' (smoke size: the targets do not apply)' : ''}; scipy routes: ${py ? Object.entries(py).map(([k, v]) => `${k} ${mm(v)} ms (${v.threads})`).join(', ') : 'unavailable'}`, TARGET_HEADER, rows);
  printTable('multichannel on worker threads', ['case', 'method', 'median ms', 'note'], await workerRows(x, h, ours.median, SMOKE ? 3 : 5, c));
}

/**
 * StreamingConvolver throughput: 8 channels at 48 kHz with a 1 s impulse response, 100 ms chunks, for
 * both engines (float64 fft.js; float32 PFFFT on float32 chunks, as WAV audio arrives) and a sweep of
 * block sizes (the float32 cost constants of src/convolve/streaming.ts come from this sweep). The
 * float32 rows also give the largest deviation from the float64 one-shot result, relative to its peak.
 */
async function streamingRows(rng: Rng, c: Ceilings): Promise<(string | number)[][]> {
  const sr = 48000, C = SMOKE ? 2 : 8, seconds = SMOKE ? 1 : 10;
  const h = syntheticRoomResponse({ sampleRate: sr, rt60Seconds: 1, lengthSeconds: 1, seed: 5 });
  const x = new Multichannel(rng.normals(C * sr * seconds), C, sr * seconds, { sampleRate: sr });
  const x32 = x.astype('float32');
  const chunk = sr / 10;
  const reference = convolve(x32.astype('float64'), h);
  const peak = maxAbsOf(reference.data);
  const rows: (string | number)[][] = [];
  const targets: string[][] = [];
  // [precision, block size (undefined = default), worker threads]
  const configs: [Precision, number | undefined, number][] = SMOKE
    ? [['float64', undefined, 0], ['float32', undefined, 0], ['float32', undefined, 1]]
    : [
        ['float64', undefined, 0], ['float64', 4096, 0], ['float64', undefined, 1],
        ['float32', undefined, 0], ['float32', 4096, 0], ['float32', 8192, 0], ['float32', 32768, 0], ['float32', undefined, 1],
      ];
  const single: Record<string, number> = {};
  const bound: Record<Precision, number> = { float64: 100, float32: 200 };
  for (const [precision, blockSize, workers] of configs) {
    const input = precision === 'float32' ? x32 : x;
    const chunks: Multichannel[] = [];
    for (let t = 0; t < input.length; t += chunk) chunks.push(input.slice(t, t + chunk));
    const sc = new StreamingConvolver(h, { channels: C, blockSize, precision, workers });
    const streamed: Multichannel[] = [];
    const st = measure(() => {
      streamed.length = 0;
      for (const part of chunks) streamed.push(sc.push(part));
      streamed.push(sc.flush());
    });
    sc.close();
    const ms = st.median;
    const rt = (seconds * 1000) / ms;
    const err = precision === 'float32' ? `; max |error| / peak ${(maxDeviation(streamed, reference) / peak).toExponential(1)}` : '';
    const speedup = workers > 0 ? `; speed-up ${(single[precision] / ms).toFixed(2)}× over workers: 0` : '';
    const label = `${sc.precision} B=${sc.blockSize}${blockSize === undefined ? ' (default)' : ''}${workers > 0 ? `, workers: ${workers}` : ''}`;
    rows.push([`C=${C}, ${seconds} s at 48 kHz, IR 1 s, 100 ms chunks`, label, mm(st), rt, `${err.slice(2)}${speedup}`]);
    if (workers === 0 && blockSize === undefined) {
      single[precision] = ms;
      // Uniformly partitioned overlap-save: per block of B samples and channel, an FFT of 2B and its
      // inverse, and one complex multiply-add per bin and partition (8 flops).
      const B = sc.blockSize;
      const partitions = Math.ceil(h.length / B);
      const blocks = C * Math.ceil(input.length / B);
      const flops = blocks * (2 * 2.5 * 2 * B * Math.log2(2 * B) + 8 * (B + 1) * partitions);
      targets.push(
        targetRow({
          id: `convolve streaming ${precision} 8 ch 48 kHz IR 1 s`,
          workload: `StreamingConvolver ${C} ch, ${seconds} s at 48 kHz, IR 1 s, ${label}`,
          ours: st,
          anchor: null,
          goal: { metric: '× real time', value: rt, op: '>=', bound: bound[precision] },
          limit: `${flopsNote(flops, ms, c)} (≈ flops of the FFTs and products)`,
        }),
      );
    }
  }
  printTable(`streaming targets${SMOKE ? ' (smoke size: the targets do not apply)' : ''}: median / min of ${CALLS} calls`, TARGET_HEADER, targets);
  const one = measure(() => convolve(x, h), { calls: SMOKE ? 3 : 5 });
  rows.push([`C=${C}, ${seconds} s at 48 kHz, IR 1 s`, 'one-shot convolve auto, float64 (for comparison)', mm(one), (seconds * 1000) / one.median, '']);
  const py = scipyTimes(x, h, SMOKE ? 3 : 5);
  if (py) rows.push([`C=${C}, ${seconds} s at 48 kHz, IR 1 s`, `scipy oaconvolve, one shot (${py.oaconvolve.threads})`, mm(py.oaconvolve), (seconds * 1000) / py.oaconvolve.median, 'same run']);
  return rows;
}

function maxAbsOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Largest |streamed − reference| over the concatenated stream parts. */
function maxDeviation(parts: Multichannel[], reference: Multichannel): number {
  let worst = 0, offset = 0;
  for (const p of parts) {
    for (let c = 0; c < p.channels; c++) {
      const got = p.channel(c), want = reference.channel(c);
      for (let j = 0; j < p.length; j++) worst = Math.max(worst, Math.abs(got[j] - want[offset + j]));
    }
    offset += p.length;
  }
  return worst;
}

/** Multichannel convolution on worker threads (issue 9): speed-up over the single-thread run of the same case. */
async function workerRows(x: Multichannel, h: Multichannel, single: number, runs: number, c: Ceilings): Promise<(string | number)[][]> {
  const label = `C=${x.channels} N=${x.length} M=${h.length} per-channel`;
  convolve(x, h, { workers: 1 }); // start the pool outside the timing
  const t1 = medianMs(() => convolve(x, h, { workers: 1 }), runs);
  const same = Buffer.from(convolve(x, h, { workers: 1 }).data.buffer).equals(Buffer.from(convolve(x, h).data.buffer));
  const ceiling = c.simdGflops[1] / c.simdGflops[0];
  const rows: (string | number)[][] = [[label, 'pointwise auto, workers: 1 (2 threads)', t1, `speed-up ${(single / t1).toFixed(2)}× over workers: false (aim ≥ 1.6× on 2 cores; this machine's two-thread f64x2 ceiling in this run: ${ceiling.toFixed(2)}×); identical result: ${same}`]];
  await terminateWorkers();
  return rows;
}

/**
 * Peak RSS of convolveWavFiles on a long 8-channel 48 kHz pcm16 WAV with a 1 s response, measured in
 * a child process (VmHWM is per process). 2 minutes by default, the full 2 hours with BENCH_FULL=1.
 */
async function memoryRows(): Promise<(string | number)[][]> {
  const minutes = process.env.BENCH_FULL === '1' ? 120 : SMOKE ? 0.1 : 2;
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--memory-case', String(minutes)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const m = JSON.parse(last) as { rss: number; ms: number; baseline: number; frames: number };
    return [[`8 ch × ${minutes} min at 48 kHz pcm16 (${((m.frames * 16) / 1e6).toFixed(0)} MB), IR 1 s`, m.rss, m.ms, `baseline RSS before the call ${m.baseline.toFixed(0)} MB; target < 300 MB: ${m.rss < 300 ? 'met' : 'NOT met'}${minutes < 120 ? ' (BENCH_FULL=1 for 2 h)' : ''}`]];
  } catch {
    return [['memory case', NaN, NaN, `child failed: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`]];
  }
}

/** Child-process body of memoryRows: writes the long WAV in pieces, convolves it disk to disk, prints JSON. */
function memoryCase(minutes: number): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-membench-'));
  try {
    const sr = 48000, C = 8, frames = Math.round(minutes * 60 * sr);
    const input = path.join(dir, 'long.wav'), irPath = path.join(dir, 'ir.wav'), out = path.join(dir, 'wet.wav');
    const rng = new Rng(9);
    const w = new WavWriter(input, { channels: C, sampleRate: sr, format: 'pcm16', rf64: true });
    const piece = new Multichannel(rng.array(C * sr, -0.3, 0.3), C, sr, { sampleRate: sr });
    for (let t = 0; t < frames; t += sr) w.write(t + sr <= frames ? piece : piece.slice(0, frames - t));
    w.commit();
    writeWav(irPath, syntheticRoomResponse({ sampleRate: sr, rt60Seconds: 1, lengthSeconds: 1, seed: 5 }), { format: 'float32' });
    const baseline = peakRssMb();
    const t0 = performance.now();
    convolveWavFiles(input, irPath, out, { normalize: 'kernel' });
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ rss: peakRssMb(), baseline, ms, frames: frames * C }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === '--memory-case') {
  memoryCase(Number(process.argv[3]));
} else if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
