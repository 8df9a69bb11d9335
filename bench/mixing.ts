/**
 * bench/mixing: the 1×1 mix `Y = W·X` (`mix`, through the blocked register-tiled `gemm`) against
 * numpy `W @ X` and ml-matrix `mmul` on the same inputs in the same run, float64 and float32.
 * Cases (Cin → Cout, T): 8→1 × 1e6, 8→8 × 1e6, 64→64 × 1e5, and 200→3 × 21025 (a 145×145
 * hyperspectral cube to 3 components).
 *
 * Targets (issue 22, float64, ratio of medians to the best numpy anchor): 64→64 within 3×, 8→8 and
 * 8→1 within 2×; ≥ 10× faster than ml-matrix on every case. numpy runs twice, with its default two
 * OpenBLAS threads and with one, and the faster counts (its two-thread `W @ X` into a new array is
 * sometimes slower, /work/shared/FACTS.md).
 *
 * X comes from the library's `Rng.array`, so the three large cases' inputs (≥ 32 MiB) lie on shared
 * memory, as every array the library allocates at that size does, and mix reads them from both
 * threads; those cases are also timed with the same samples in a caller's own ordinary
 * Float64Array, which only the calling thread can read.
 *
 * Each case is also timed writing into a reused `options.out` (as `np.matmul(W, X, out=o)`), since
 * first-touch page faults on fresh memory cost Node as much as the arithmetic on the big cases
 * (src/linalg/prefault.ts; docs/PERFORMANCE.md, section prefault). The "check" column is the
 * relative difference between our result's sum and numpy's. `BENCH_SMOKE=1` runs tiny sizes.
 */
import { Matrix } from 'ml-matrix';
import { Multichannel } from '../src/core/multichannel.js';
import { sharedArray } from '../src/core/shared.js';
import { Rng } from '../src/core/random.js';
import { mix } from '../src/mixing/mix.js';
import { wasmGemm } from '../src/linalg/gemm-wasm.js';
import { defaultWorkers, splitsNewResult } from '../src/linalg/gemm.js';
import { CALLS, SMOKE, TARGET_HEADER, bandwidthNote, flopsNote, fmt, measure, mm, printCeilings, printTable, runAnchors, targetRow, type Ceilings, type Stats } from './lib.js';

/** [Cin, Cout, T, largest time / numpy for the float64 target (undefined: ml-matrix target only)]. */
const CASES: [number, number, number, number | undefined][] = SMOKE
  ? [[8, 1, 2000, 2], [8, 8, 2000, 2], [64, 64, 500, 3], [200, 3, 400, undefined]]
  : [[8, 1, 1_000_000, 2], [8, 8, 1_000_000, 2], [64, 64, 100_000, 3], [200, 3, 21_025, undefined]];

const PY = `
W = load('W'); X = load('X')
cout, cin, n = int(load('shape')[0]), int(load('shape')[1]), int(load('shape')[2])
W = W.reshape(cout, cin); X = X.reshape(cin, n)
W32 = W.astype(np.float32); X32 = X.astype(np.float32)
T['f64'] = measure(lambda: W @ X)
T['f32'] = measure(lambda: W32 @ X32)
o64 = np.empty((cout, n)); o32 = np.empty((cout, n), dtype=np.float32)
T['f64out'] = measure(lambda: np.matmul(W, X, out=o64))
T['f32out'] = measure(lambda: np.matmul(W32, X32, out=o32))
V['sum64'] = float((W @ X).sum())
V['sum32'] = float((W32 @ X32).astype(np.float64).sum())
`;

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** What limits a float64 mix of this shape: memory traffic or arithmetic, whichever takes longer at the ceilings. */
function limitNote(cin: number, cout: number, T: number, ms: number, c: Ceilings, bytesPerSample: number, threads: 1 | 2): string {
  const bytes = bytesPerSample * (cin * T + cout * T + cin * cout);
  const flops = 2 * cin * cout * T;
  return bytes / c.triadGBs[0] > flops / c.simdGflops[0] ? bandwidthNote(bytes, ms, c, threads) : flopsNote(flops, ms, c, threads);
}

export async function main(): Promise<void> {
  const c = await printCeilings();
  const calls = CALLS;
  const rows: (string | number)[][] = [];
  const targets: string[][] = [];
  const rng = new Rng(2026);
  for (const [cin, cout, T, within] of CASES) {
    const W = rng.array(cout * cin);
    const X = rng.array(cin * T);
    const x64 = new Multichannel(X, cin, T);
    const x32 = x64.astype('float32');
    const Wd = { data: W, rows: cout, cols: cin };
    const name = `${cin}→${cout} × ${T}`;

    const py = runAnchors(PY, { W, X, shape: Float64Array.of(cout, cin, T) }, { calls });
    const np = (k: string) => py?.times[k];
    const npName = (k: string, what: string) => (np(k) ? `numpy ${what} (${np(k)!.threads})` : `numpy ${what}`);

    let y64: Multichannel = x64;
    const warmup = SMOKE ? 5 : 1;
    // New results of 1–64 MiB come from the helper thread of src/linalg/prefault.ts once it is up
    // (started by the first such call in the process) and has one of this size ready; each warm-up
    // lasts long enough for that, so steady state is what is timed.
    const ours64 = measure(() => (y64 = mix(x64, Wd)), { calls, warmup, warmupMs: 200 });
    let y32: Multichannel = x32;
    const ours32 = measure(() => (y32 = mix(x32, Wd)), { calls, warmup, warmupMs: 200 });
    const out64 = new Float64Array(cout * T);
    const out32 = new Float32Array(cout * T);
    const ours64out = measure(() => mix(x64, Wd, undefined, { out: out64 }), { calls, warmup, warmupMs: 200 });
    const ours32out = measure(() => mix(x32, Wd, undefined, { out: out32 }), { calls, warmup, warmupMs: 200 });
    // X as the library allocates it (Rng.array: shared memory from 32 MiB), and, when that is
    // shared, the same samples in a caller's own ordinary Float64Array, which only this thread reads.
    const xShared = X.buffer instanceof SharedArrayBuffer;
    const xPlain = xShared ? new Multichannel(new Float64Array(X), cin, T) : null;
    const plain64 = xPlain ? measure(() => mix(xPlain, Wd), { calls, warmup, warmupMs: 200 }) : null;

    // ml-matrix: mmul of Cout×Cin by Cin×T, both built once outside the timing.
    const mW = new Matrix(cout, cin);
    for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) mW.set(o, i, W[o * cin + i]);
    const mX = new Matrix(cin, T);
    for (let i = 0; i < cin; i++) mX.setRow(i, X.subarray(i * T, (i + 1) * T));
    let mY: Matrix | null = null;
    const mlm = measure(() => (mY = mW.mmul(mX)), { calls, warmup: SMOKE ? 1 : 0 });
    const mlmSum = mY ? sum((mY as Matrix).to1DArray()) : NaN;

    const check = (s: number, ref: number | undefined) => (ref === undefined ? '—' : fmt(Math.abs(s - ref) / Math.max(1e-300, Math.abs(ref))));
    const ratio = (ours: Stats, anchor: Stats | undefined) => (anchor ? ours.median / anchor.median : '—');
    rows.push([name, 'float64', `pointwise mix${xShared ? ' (x on shared memory, as allocated by the library)' : ''}`, mm(ours64), ratio(ours64, np('f64')), check(sum(y64.data), py?.values.sum64)]);
    if (plain64) rows.push([name, 'float64', "pointwise mix, x in a caller's ordinary Float64Array", mm(plain64), ratio(plain64, np('f64')), '']);
    rows.push([name, 'float64', npName('f64', 'W @ X'), mm(np('f64')), 1, '']);
    rows.push([name, 'float64', 'ml-matrix mmul', mm(mlm), ratio(mlm, np('f64')), check(mlmSum, py?.values.sum64)]);
    rows.push([name, 'float64', 'pointwise mix, options.out reused', mm(ours64out), ratio(ours64out, np('f64out')), check(sum(out64), py?.values.sum64)]);
    rows.push([name, 'float64', npName('f64out', 'matmul(W, X, out=)'), mm(np('f64out')), 1, '']);
    rows.push([name, 'float32', 'pointwise mix', mm(ours32), ratio(ours32, np('f32')), check(sum(y32.data), py?.values.sum32)]);
    rows.push([name, 'float32', npName('f32', 'W @ X'), mm(np('f32')), 1, '']);
    rows.push([name, 'float32', 'pointwise mix, options.out reused', mm(ours32out), ratio(ours32out, np('f32out')), check(sum(out32), py?.values.sum32)]);
    rows.push([name, 'float32', npName('f32out', 'matmul(W, X, out=)'), mm(np('f32out')), 1, '']);

    // Only allocating, writing and dropping a float64 result of the same size, in a loop, as mix
    // allocates it (shared memory from 32 MiB): its page faults, and the unmapping of each result
    // the collector frees.
    const splitResult = splitsNewResult('float64', cout, T);
    const touch = measure(() => (splitResult ? sharedArray('float64', cout * T) : new Float64Array(cout * T)).fill(0.5), { calls, warmup: 3 });
    const resultMb = (8 * cout * T) / 1e6;
    const faults = resultMb >= 1
      ? splitResult
        ? `; a fresh ${fmt(resultMb)} MB shared result, written by one thread and dropped, costs ${fmt(touch.median)} ms per call in a loop here (4 KiB page faults, and unmapping each result the collector frees; numpy's arrays get huge pages); mix computes a new result this large on 2 threads, each faulting in half`
        : `; allocating and first-touching the ${fmt(resultMb)} MB result alone takes ${fmt(touch.median)} ms on one thread here (4 KiB page faults; numpy's arrays get huge pages)`
      : '';
    const threads = defaultWorkers(cout, cin, T, X) + (splitsNewResult('float64', cout, T) ? 1 : 0) > 0 ? 2 : 1;
    const memory = xShared
      ? `; X (${fmt((8 * cin * T) / 1e6)} MB) lies on shared memory as the library allocates arrays of 32 MiB or more, so both threads read it in place; from a caller's ordinary Float64Array ${mm(plain64!)} ms (${np('f64') ? (plain64!.median / np('f64')!.median).toFixed(2) : '—'}× numpy${defaultWorkers(cout, cin, T) === 0 && !splitResult ? ', one thread reads X' : ', the worker reads a copy of its share'})`
      : '';
    const limit = limitNote(cin, cout, T, ours64.median, c, 8, threads) + faults + memory;
    if (within !== undefined) {
      const anchor = np('f64');
      targets.push(
        targetRow({
          id: `mixing ${cin}→${cout} × ${T} float64 vs numpy`,
          workload: `mix ${name}, float64, new result${xShared ? ', x allocated by the library' : ''}`,
          ours: ours64,
          anchor: anchor ? { name: npName('f64', 'W @ X'), stats: anchor } : null,
          goal: { metric: 'time / numpy', value: anchor ? ours64.median / anchor.median : NaN, op: '<=', bound: within },
          limit,
        }),
      );
    }
    targets.push(
      targetRow({
        id: `mixing ${cin}→${cout} × ${T} float64 vs ml-matrix`,
        workload: `mix ${name}, float64, new result`,
        ours: ours64,
        anchor: { name: 'ml-matrix mmul', stats: mlm },
        goal: { metric: 'ml-matrix time / pointwise time', value: mlm.median / ours64.median, op: '>=', bound: 10 },
        limit,
      }),
    );
  }
  printTable(
    `mixing targets${SMOKE ? ' (smoke size: the targets do not apply)' : ''}: median / min of ${calls} calls; kernel ${wasmGemm() ? 'WebAssembly SIMD' : 'JavaScript (no WebAssembly SIMD here)'}`,
    TARGET_HEADER,
    targets,
  );
  printTable(
    `1×1 mix Y = W·X${SMOKE ? ' (smoke size)' : ''}: median / min ms of ${calls} calls, ratio of medians to the best numpy anchor (new output vs W @ X; reused output vs matmul(out=))`,
    ['case (Cin→Cout × T)', 'dtype', 'method', 'median / min ms', '× numpy', 'check (rel. sum diff)'],
    rows,
  );
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
