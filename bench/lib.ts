/**
 * Benchmark helpers shared by bench/*.ts: {@link measure} (median and minimum of repeated calls), a
 * table printer, the Python anchors (numpy / scipy / SPy / scikit-learn / soundfile run on the same
 * inputs in the same run, when Debian's /usr/bin/python3 has them; BLAS-backed anchors run with
 * their default threads and with one thread, and the faster counts), the machine's ceilings measured
 * in the same run ({@link ceilings}: memory bandwidth and f64x2 arithmetic on one and two threads),
 * and target rows ({@link targetRow}) that say whether a target is met or what limits it.
 *
 * Absolute times on a shared machine are noise; ratios measured in the same run are what the
 * targets refer to. When bench/run.ts sets POINTWISE_BENCH_RECORD, every table and target is also
 * appended to that JSON-lines file (child processes inherit it), from which
 * `npm run bench -- --markdown` writes docs/PERFORMANCE.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { br_if, encodeModule, f64x2, FunctionBuilder, i32, v128 } from '../src/core/wasm.js';

/** True when CI asked for the tiny smoke size (BENCH_SMOKE=1 or CI=true without BENCH_FULL). */
export const SMOKE = process.env.BENCH_SMOKE === '1' || (process.env.CI === 'true' && process.env.BENCH_FULL !== '1');

/** Wall times of repeated calls, in milliseconds. */
export interface Stats {
  median: number;
  min: number;
  calls: number;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Timed calls (at least 7 unless smoke size; default 7). */
  calls?: number;
  /** Untimed calls first (default 1). */
  warmup?: number;
  /** Keep warming up until this many milliseconds have passed (default 0). */
  warmupMs?: number;
}

/**
 * Calls `f` `calls` times after `warmup` untimed calls (which go on, if `warmupMs` is given, until
 * that many milliseconds have passed) and returns the median and minimum wall time in ms.
 */
export function measure(f: () => unknown, options: MeasureOptions = {}): Stats {
  const calls = options.calls ?? 7;
  const warmup = options.warmup ?? 1;
  let sink = 0;
  const warmEnd = performance.now() + (options.warmupMs ?? 0);
  for (let i = 0; i < warmup || performance.now() < warmEnd; i++) sink += touch(f());
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    sink += touch(f());
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  if (sink === 0.123456789) console.log('');
  return statsOf(times);
}

/** Median (the upper one for an even count) and minimum of `times`. */
export function statsOf(times: number[]): Stats {
  const t = [...times].sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], min: t[0], calls: t.length };
}

/** The timed calls benches use: 7 at full size, 3 at smoke size. */
export const CALLS = SMOKE ? 3 : 7;

/**
 * Runs `f` `runs` times and returns the median wall time in milliseconds, after `warmup` untimed
 * calls that go on, if `warmupMs` is given, until that many milliseconds have passed
 * ({@link measure}'s median).
 */
export function medianMs(f: () => unknown, runs = 5, warmup = 1, warmupMs = 0): number {
  return measure(f, { calls: runs, warmup, warmupMs }).median;
}

/** Reads one value from a result so the work cannot be optimised away. */
function touch(r: unknown): number {
  if (r && typeof r === 'object' && 'data' in (r as object)) {
    const d = (r as { data: ArrayLike<number> }).data;
    return d.length ? d[0] : 0;
  }
  if (ArrayBuffer.isView(r)) return (r as unknown as ArrayLike<number>).length;
  return typeof r === 'number' ? r : 1;
}

/** Prints rows as an aligned Markdown table (also readable in a terminal), and records it. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  record({ kind: 'table', title, header, rows: cells.map((r) => r.map(String)) });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  console.log(`\n### ${title}\n`);
  console.log(line(header));
  console.log('| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |');
  for (const r of cells) console.log(line(r));
}

/** Formats a number for tables: 3 significant digits, no exponent for everyday sizes. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 1) return x.toPrecision(3);
  return x.toPrecision(2);
}

/** The Python interpreter with Debian's numpy/scipy/scikit-learn, or null. */
export const PYTHON = '/usr/bin/python3';

const moduleCache = new Map<string, boolean>();
/** True when /usr/bin/python3 can import every module named. */
export function pythonHas(...modules: string[]): boolean {
  const key = modules.join(',');
  if (!moduleCache.has(key)) {
    const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join(';')], { stdio: 'ignore' });
    moduleCache.set(key, r.status === 0);
  }
  return moduleCache.get(key)!;
}

/** Writes each array as raw little-endian float64 `<name>.bin` in `dir`, for the Python anchor scripts. */
function writeArrays(dir: string, arrays: Record<string, Float64Array | Float32Array>): void {
  for (const [name, a] of Object.entries(arrays)) {
    const f64 = a instanceof Float64Array ? a : Float64Array.from(a);
    fs.writeFileSync(path.join(dir, `${name}.bin`), Buffer.from(f64.buffer, f64.byteOffset, f64.byteLength));
  }
}

/**
 * Runs a Python timing script. `arrays` are written as raw float64 .bin files into a temp folder
 * whose path the script gets as sys.argv[1] (read them with numpy.fromfile(path, dtype='<f8')).
 * The script must print one JSON object on its last line; it is returned parsed, or null if python
 * or its modules are missing or the script failed (the reason is printed).
 */
export function runPython(script: string, arrays: Record<string, Float64Array | Float32Array> = {}): Record<string, number> | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-'));
  try {
    writeArrays(dir, arrays);
    const scriptPath = path.join(dir, 'anchor.py');
    const prelude = [
      'import sys, json, time, os',
      'import numpy as np',
      'D = sys.argv[1]',
      "def load(name): return np.fromfile(os.path.join(D, name + '.bin'), dtype='<f8')",
      'def median_ms(f, runs=5):',
      '    f()',
      '    ts = []',
      '    for _ in range(runs):',
      '        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1e3)',
      '    ts.sort(); return ts[len(ts) // 2]',
      '',
    ].join('\n');
    fs.writeFileSync(scriptPath, prelude + script);
    const r = spawnSync(PYTHON, [scriptPath, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      console.log(`(python anchor unavailable: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
      return null;
    }
    const last = r.stdout.trim().split('\n').pop() ?? '{}';
    return JSON.parse(last) as Record<string, number>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak resident set size of this process so far, in MB (Linux: VmHWM). */
export function peakRssMb(): number {
  try {
    const s = fs.readFileSync('/proc/self/status', 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(s);
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.memoryUsage().rss / 1048576;
}

/**
 * What two threads buy on this machine at best: the same pure-arithmetic loop (no memory traffic,
 * nothing shared) run once on this thread alone, then on this thread and a worker thread at once.
 * Returns the aggregate speed-up (2 · alone / together; 2.0 on two idle physical cores). Worker
 * speed-ups in the benches are bounded by it: two vCPUs that share a physical core, or a host that
 * throttles the VM, give well under 2.
 */
export function parallelCeiling(): number {
  const body = `
    const a = new Float64Array(4096).map((_, i) => Math.sin(i));
    let s = 0;
    for (let r = 0; r < 20000; r++) for (let i = 0; i < 4096; i++) s += a[i] * a[(i * 7) & 4095];
    return s;`;
  const spin = new Function(body) as () => number;
  spin();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    spin();
    runs.push(performance.now() - t0);
  }
  const alone = runs.sort((a, b) => a - b)[1];
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(`const { workerData } = require('node:worker_threads'); const f = new Function(${JSON.stringify(body)}); f(); Atomics.store(workerData, 0, 1); Atomics.notify(workerData, 0); f(); f(); f(); Atomics.store(workerData, 0, 2); Atomics.notify(workerData, 0);`, { eval: true, workerData: flag });
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 1000); // worker warmed up, now running its 3 timed loops
  const t0 = performance.now();
  spin();
  spin();
  const together = (performance.now() - t0) / 2;
  while (Atomics.load(flag, 0) !== 2) Atomics.wait(flag, 0, 1, 1000);
  void w.terminate();
  return (2 * alone) / together;
}

// ---------------------------------------------------------------------------------------------
// Records for the generated docs/PERFORMANCE.md

/** One line of the record file: a printed table, a target row, or the run's ceilings. */
export type RecordEntry =
  | { kind: 'table'; title: string; header: string[]; rows: string[][] }
  | { kind: 'target'; target: TargetRecord }
  | { kind: 'ceilings'; ceilings: Ceilings };

/** Appends `entry` (tagged with the module and run that bench/run.ts set) to POINTWISE_BENCH_RECORD, if set. */
function record(entry: RecordEntry): void {
  const file = process.env.POINTWISE_BENCH_RECORD;
  if (!file) return;
  const tagged = { module: process.env.POINTWISE_BENCH_MODULE ?? '', run: Number(process.env.POINTWISE_BENCH_RUN ?? 1), ...entry };
  fs.appendFileSync(file, JSON.stringify(tagged) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Python anchors, best of default threads and one thread

/** An anchor's timing: which thread setting gave it (`default` or `1 thread`). */
export interface AnchorStats extends Stats {
  threads: 'default' | '1 thread';
}

/** What {@link runAnchors} returns: times by key and the script's other values. */
export interface AnchorResult {
  times: Record<string, AnchorStats>;
  values: Record<string, number>;
}

const ONE_THREAD_ENV = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/**
 * Runs a Python timing script and returns the times it measured. `arrays` are written as raw
 * float64 .bin files; the script reads them with `load(name)`, times a call with
 * `T['key'] = measure(lambda: ..., CALLS)` (median and minimum of CALLS calls after one warm-up)
 * and may put other numbers in `V['key']`. With `threads: 'both'` (the default) the script runs
 * twice, in separate processes, once with numpy's default threads and once with
 * OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1, and each key keeps the run with the lower median: the
 * fastest anchor a user could pick. Returns null if python, its modules or the script fail (the
 * reason is printed).
 */
export function runAnchors(script: string, arrays: Record<string, Float64Array | Float32Array> = {}, options: { calls?: number; threads?: 'both' | 'default' } = {}): AnchorResult | null {
  const calls = options.calls ?? CALLS;
  const envs: [AnchorStats['threads'], NodeJS.ProcessEnv][] = [['default', process.env]];
  if ((options.threads ?? 'both') === 'both') envs.push(['1 thread', { ...process.env, ...ONE_THREAD_ENV }]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-'));
  try {
    writeArrays(dir, arrays);
    const scriptPath = path.join(dir, 'anchor.py');
    const prelude = [
      'import sys, json, time, os',
      'import numpy as np',
      'D = sys.argv[1]',
      `CALLS = ${calls}`,
      'T = {}',
      'V = {}',
      "def load(name): return np.fromfile(os.path.join(D, name + '.bin'), dtype='<f8')",
      'def measure(f, calls=CALLS):',
      '    f()',
      '    ts = []',
      '    for _ in range(calls):',
      '        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1e3)',
      '    ts.sort(); return [ts[len(ts) // 2], ts[0], len(ts)]',
      '',
    ].join('\n');
    fs.writeFileSync(scriptPath, prelude + script + "\nprint(json.dumps({'t': T, 'v': V}))\n");
    const out: AnchorResult = { times: {}, values: {} };
    for (const [threads, env] of envs) {
      const r = spawnSync(PYTHON, [scriptPath, dir], { encoding: 'utf8', maxBuffer: 1 << 26, env });
      if (r.status !== 0) {
        console.log(`(python anchor unavailable: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
        return null;
      }
      const got = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { t: Record<string, [number, number, number]>; v: Record<string, number> };
      for (const [k, [median, min, n]] of Object.entries(got.t)) {
        if (!out.times[k] || median < out.times[k].median) out.times[k] = { median, min, calls: n, threads };
      }
      Object.assign(out.values, got.v);
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Versions of python and the anchor libraries, for the generated header ('' where missing). */
export function pythonVersions(): string {
  const r = spawnSync(
    PYTHON,
    ['-c', "import importlib, sys\nout = ['python ' + sys.version.split()[0]]\nfor m in ['numpy', 'scipy', 'spectral', 'sklearn', 'soundfile']:\n    try: out.append(m + ' ' + importlib.import_module(m).__version__)\n    except Exception: out.append(m + ' missing')\nprint(', '.join(out))"],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? r.stdout.trim() : `${PYTHON} unavailable`;
}

// ---------------------------------------------------------------------------------------------
// Ceilings: what this machine gives one and two threads, measured in the same run

/** The machine's ceilings measured in this run. */
export interface Ceilings {
  /** STREAM-style triad `a = b + s·c` on arrays far larger than the caches, GB/s (24 bytes per element). */
  triadGBs: [number, number];
  /** Copy `a = b`, GB/s (16 bytes per element). */
  copyGBs: [number, number];
  /** Independent f64x2.mul and f64x2.add chains in a WebAssembly loop, GFLOP/s. */
  simdGflops: [number, number];
}

/**
 * Worker body of the probes: warm up, say ready, wait for the start flag, then time `reps` runs and
 * post the best. The wasm module (when given) exports `spin(n)`: n iterations of 6 f64x2.mul and 6
 * f64x2.add on independent registers (24 flops each).
 */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const { kind, n, reps, wasm, flag } = workerData;
let run;
if (kind === 'simd') {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  run = () => inst.exports.spin(n);
} else {
  const a = new Float64Array(n), b = new Float64Array(n).fill(1), c = new Float64Array(n).fill(2);
  run = kind === 'copy' ? () => a.set(b) : () => { for (let i = 0; i < n; i++) a[i] = b[i] + 0.5 * c[i]; };
}
for (let i = 0; i < 3; i++) run();
parentPort.postMessage('ready');
while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 50);
let best = Infinity;
for (let r = 0; r < reps; r++) { const t0 = performance.now(); run(); best = Math.min(best, performance.now() - t0); }
parentPort.postMessage(best);`;

/** The probe's wasm: `spin(n)` as described at {@link PROBE}, built with src/core/wasm.ts's encoder (exported for its test). */
export function spinModule(): Uint8Array {
  // Twelve chains (six f64x2.mul, six f64x2.add; latency 3–4 cycles each) and two constants: 14
  // v128 locals, so that all of them stay in x86-64's 16 vector registers.
  const f = new FunctionBuilder('spin');
  const [n] = f.params('n');
  const acc = Array.from({ length: 12 }, (_, k) => f.local(`acc${k}`, 'v128'));
  const factor = f.local('factor', 'v128'); // 1.0 in both lanes: the mul chains stay finite
  const term = f.local('term', 'v128'); // 2^-60 in both lanes: the add chains stay normal
  const splat = (v: number) => v128.const([...new Uint8Array(new Float64Array([v, v]).buffer)]);
  for (const a of acc) f.emit(splat(1), a.set);
  f.emit(splat(1), factor.set, splat(2 ** -60), term.set);
  f.loop('spin', (again) => {
    for (let k = 0; k < 6; k++) f.emit(acc[k].get, factor.get, f64x2.mul, acc[k].set);
    for (let k = 6; k < 12; k++) f.emit(acc[k].get, term.get, f64x2.add, acc[k].set);
    f.emit(n.get, i32.const(1), i32.sub, n.tee, br_if(again));
  });
  acc.forEach((a, k) => f.emit(i32.const(16 * k), a.get, v128.store()));
  return encodeModule([f.finish()], 1);
}

/** Runs the probe on `threads` workers at once and returns the slowest worker's best time, ms. */
async function probe(kind: 'triad' | 'copy' | 'simd', threads: number, n: number, reps: number, wasm?: Uint8Array): Promise<number> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from({ length: threads }, () => new Worker(PROBE, { eval: true, workerData: { kind, n, reps, wasm, flag } }));
  try {
    const states = workers.map((w) => {
      let ready!: () => void, done!: (ms: number) => void, fail!: (e: Error) => void;
      const isReady = new Promise<void>((resolve, reject) => ((ready = resolve), (fail = reject)));
      const result = new Promise<number>((resolve, reject) => {
        done = resolve;
        w.on('error', (e) => (fail(e), reject(e)));
      });
      w.on('message', (m: 'ready' | number) => (m === 'ready' ? ready() : done(m)));
      return { isReady, result };
    });
    await Promise.all(states.map((st) => st.isReady));
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    return Math.max(...(await Promise.all(states.map((st) => st.result))));
  } finally {
    for (const w of workers) void w.terminate();
  }
}

let ceilingsCache: Ceilings | undefined;

/**
 * Measures (once per `npm run bench` process: cached here and, for child processes, in the
 * environment) memory bandwidth (triad and copy over 3 × 64 MB arrays; 3 × 4 MB at smoke size) and
 * f64x2 arithmetic throughput, each on one worker thread and on two at once.
 */
export async function ceilings(): Promise<Ceilings> {
  if (ceilingsCache) return ceilingsCache;
  const inherited = process.env.POINTWISE_BENCH_CEILINGS;
  if (inherited) return (ceilingsCache = JSON.parse(inherited) as Ceilings);
  const n = SMOKE ? 1 << 19 : 1 << 23;
  const reps = SMOKE ? 3 : 7;
  const spins = SMOKE ? 1e5 : 4e6;
  const wasm = spinModule();
  const c: Ceilings = { triadGBs: [0, 0], copyGBs: [0, 0], simdGflops: [0, 0] };
  for (const threads of [1, 2]) {
    c.triadGBs[threads - 1] = (threads * 24 * n) / 1e6 / (await probe('triad', threads, n, reps));
    c.copyGBs[threads - 1] = (threads * 16 * n) / 1e6 / (await probe('copy', threads, n, reps));
    c.simdGflops[threads - 1] = (threads * 24 * spins) / 1e6 / (await probe('simd', threads, spins, reps, wasm));
  }
  ceilingsCache = c;
  process.env.POINTWISE_BENCH_CEILINGS = JSON.stringify(c);
  record({ kind: 'ceilings', ceilings: c });
  return c;
}

/** One line describing `c`, printed at the top of each bench module. */
export function ceilingsLine(c: Ceilings): string {
  const f = (p: [number, number], unit: string) => `${fmt(p[0])} ${unit} on 1 thread, ${fmt(p[1])} on 2 (${(p[1] / p[0]).toFixed(2)}×)`;
  return `ceilings measured in this run: memory triad ${f(c.triadGBs, 'GB/s')}; copy ${f(c.copyGBs, 'GB/s')}; f64x2 mul+add ${f(c.simdGflops, 'GFLOP/s')}`;
}

/** Measures the ceilings (first call per process) and prints them; bench modules call it first. */
export async function printCeilings(): Promise<Ceilings> {
  const c = await ceilings();
  console.log(`(${ceilingsLine(c)})`);
  return c;
}

/** "moves X MB: Y GB/s = P % of the measured triad bandwidth on `threads` thread(s)". */
export function bandwidthNote(bytes: number, ms: number, c: Ceilings, threads: 1 | 2 = 1): string {
  const gbs = bytes / 1e6 / ms;
  const ceil = c.triadGBs[threads - 1];
  return `memory-bound: moves ${fmt(bytes / 1e6)} MB, ${fmt(gbs)} GB/s = ${Math.round((100 * gbs) / ceil)} % of the measured ${threads}-thread triad bandwidth (${fmt(ceil)} GB/s)`;
}

/** "G GFLOP/s = P % of the measured f64x2 mul+add ceiling on `threads` thread(s)". */
export function flopsNote(flops: number, ms: number, c: Ceilings, threads: 1 | 2 = 1): string {
  const g = flops / 1e6 / ms;
  const ceil = c.simdGflops[threads - 1];
  return `compute: ${fmt(g)} GFLOP/s = ${Math.round((100 * g) / ceil)} % of the measured ${threads}-thread f64x2 mul+add ceiling (${fmt(ceil)} GFLOP/s)`;
}

// ---------------------------------------------------------------------------------------------
// Target rows

/** A target: `value` (computed from medians) compared with `bound`. */
export interface Goal {
  /** What `value` is, e.g. 'time / SPy' or '× real time'. */
  metric: string;
  value: number;
  op: '<=' | '>=';
  bound: number;
}

/** A target row as recorded for the generated targets table. */
export interface TargetRecord {
  /** Stable across runs: the key the `--runs N` summary groups by. */
  id: string;
  workload: string;
  ours: Stats;
  anchor: { name: string; stats: Stats } | null;
  goal: Goal;
  met: boolean;
  /** What limits the row, measured (bandwidth or throughput against the ceilings). */
  limit: string;
}

/** Header of {@link targetRow}'s rows. */
export const TARGET_HEADER = ['workload', 'pointwise median / min ms', 'best anchor', 'anchor median / min ms', 'ratio (median / median)', 'target', 'met? / what limits it'];

/** "median / min" with 3 significant digits. */
export function mm(s: Stats | null | undefined): string {
  return s ? `${fmt(s.median)} / ${fmt(s.min)}` : '—';
}

/** True when `g.value` meets `g.bound`. */
export function goalMet(g: Goal): boolean {
  return Number.isFinite(g.value) && (g.op === '<=' ? g.value <= g.bound : g.value >= g.bound);
}

/** "time / SPy ≤ 1.5" */
export function goalText(g: Goal): string {
  return `${g.metric} ${g.op === '<=' ? '≤' : '≥'} ${g.bound}`;
}

/** Builds a table row for a target (see {@link TARGET_HEADER}) and records it. */
export function targetRow(t: Omit<TargetRecord, 'met'>): string[] {
  const met = goalMet(t.goal);
  const full: TargetRecord = { ...t, met };
  record({ kind: 'target', target: full });
  const ratio = t.anchor ? fmt(t.ours.median / t.anchor.stats.median) : '—';
  const noAnchor = t.goal.metric.includes('/') ? '(anchor unavailable)' : '— (absolute target)';
  return [t.workload, mm(t.ours), t.anchor?.name ?? noAnchor, mm(t.anchor?.stats), ratio, `${goalText(t.goal)} (measured ${fmt(t.goal.value)})`, `${met ? 'met' : 'NOT met'}; ${t.limit}`];
}
