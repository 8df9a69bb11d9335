/**
 * Benchmark helpers shared by bench/*.ts: medians of repeated runs, a table printer, and the
 * Python anchor (numpy / scipy / scikit-learn run on the same inputs in the same run, when Debian's
 * /usr/bin/python3 has them). Absolute times on a shared machine are noise; ratios measured in the
 * same run are what the issues' targets refer to.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/** True when CI asked for the tiny smoke size (BENCH_SMOKE=1 or CI=true without BENCH_FULL). */
export const SMOKE = process.env.BENCH_SMOKE === '1' || (process.env.CI === 'true' && process.env.BENCH_FULL !== '1');

/**
 * Runs `f` `runs` times and returns the median wall time in milliseconds, after `warmup` untimed
 * calls that go on, if `warmupMs` is given, until that many milliseconds have passed.
 */
export function medianMs(f: () => unknown, runs = 5, warmup = 1, warmupMs = 0): number {
  let sink = 0;
  const warmEnd = performance.now() + warmupMs;
  for (let i = 0; i < warmup || performance.now() < warmEnd; i++) sink += touch(f());
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    sink += touch(f());
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  if (sink === 0.123456789) console.log('');
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
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

/** Prints rows as an aligned Markdown table (also readable in a terminal). */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
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

/**
 * Runs a Python timing script. `arrays` are written as raw float64 .bin files into a temp folder
 * whose path the script gets as sys.argv[1] (read them with numpy.fromfile(path, dtype='<f8')).
 * The script must print one JSON object on its last line; it is returned parsed, or null if python
 * or its modules are missing or the script failed (the reason is printed).
 */
export function runPython(script: string, arrays: Record<string, Float64Array | Float32Array> = {}): Record<string, number> | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-'));
  try {
    for (const [name, a] of Object.entries(arrays)) {
      const f64 = a instanceof Float64Array ? a : Float64Array.from(a);
      fs.writeFileSync(path.join(dir, `${name}.bin`), Buffer.from(f64.buffer, f64.byteOffset, f64.byteLength));
    }
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
