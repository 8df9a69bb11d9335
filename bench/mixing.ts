/**
 * bench/mixing: the 1×1 mix `Y = W·X` (`mix`, through the blocked register-tiled `gemm`) against
 * numpy `W @ X` (same inputs, same run, /usr/bin/python3) and ml-matrix `mmul`, float64 and
 * float32. Cases (Cin, Cout, T) from issue 4: (8, 1, 1e6), (8, 8, 1e6), (64, 64, 1e5),
 * (200, 3, 21025) (a 145×145 hyperspectral cube to 3 components). Targets: float64 within 3× of
 * numpy for 8→1, 8→8, 200→3 and within 6× for 64→64; ≥ 10× faster than ml-matrix everywhere.
 * numpy's OpenBLAS uses both cores here; its time with one BLAS thread (threadpoolctl, shipped
 * with scikit-learn) is printed for reference, since pointwise's mix runs on one thread (the
 * targets are against the default).
 *
 * Each case is timed twice: returning a new array (as `W @ X` does) and writing into a reused
 * `options.out` (as `np.matmul(W, X, out=o)`), because first-touch page faults on fresh memory cost
 * Node as much as the arithmetic on the big cases; new results avoid most of them through a helper
 * thread that maps the next result's pages (src/linalg/prefault.ts; see mix's doc). `BENCH_SMOKE=1`
 * runs tiny sizes. The "check" column is the relative difference between our result's sum and numpy's (the
 * results are compared, not just timed).
 */
import { Matrix } from 'ml-matrix';
import { Multichannel } from '../src/core/index.js';
import { Rng } from '../src/core/random.js';
import { mix } from '../src/mixing/index.js';
import { wasmGemm } from '../src/linalg/gemm-wasm.js';
import { SMOKE, fmt, medianMs, printTable, runPython } from './lib.js';

const CASES: [number, number, number][] = SMOKE
  ? [[8, 1, 2000], [8, 8, 2000], [64, 64, 500], [200, 3, 400]]
  : [[8, 1, 1_000_000], [8, 8, 1_000_000], [64, 64, 100_000], [200, 3, 21_025]];

const PY = `
W = load('W'); X = load('X')
cout, cin, T = int(load('shape')[0]), int(load('shape')[1]), int(load('shape')[2])
W = W.reshape(cout, cin); X = X.reshape(cin, T)
W32 = W.astype(np.float32); X32 = X.astype(np.float32)
r = {}
r['f64'] = median_ms(lambda: W @ X, RUNS)
r['f32'] = median_ms(lambda: W32 @ X32, RUNS)
o64 = np.empty((cout, T)); o32 = np.empty((cout, T), dtype=np.float32)
r['f64out'] = median_ms(lambda: np.matmul(W, X, out=o64), RUNS)
r['f32out'] = median_ms(lambda: np.matmul(W32, X32, out=o32), RUNS)
try:
    from threadpoolctl import threadpool_limits  # ships with scikit-learn
    with threadpool_limits(1):
        r['f64one'] = median_ms(lambda: W @ X, RUNS)
except ImportError:
    pass
r['sum64'] = float((W @ X).sum())
r['sum32'] = float((W32 @ X32).astype(np.float64).sum())
print(json.dumps(r))
`;

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

export async function main(): Promise<void> {
  const runs = SMOKE ? 5 : 7;
  const rows: (string | number)[][] = [];
  const rng = new Rng(2026);
  for (const [cin, cout, T] of CASES) {
    const W = rng.array(cout * cin);
    const X = rng.array(cin * T);
    const x64 = new Multichannel(X, cin, T);
    const x32 = x64.astype('float32');
    const Wd = { data: W, rows: cout, cols: cin };
    const name = `${cin}→${cout}, T=${T}`;

    const py = runPython(PY.replace(/RUNS/g, String(runs)), { W, X, shape: Float64Array.of(cout, cin, T) });

    let y64: Multichannel = x64;
    const warm = SMOKE ? 5 : 1;
    // New results of 1–64 MiB come from the helper thread of src/linalg/prefault.ts once it is up
    // (started by the first such call in the process, 50–90 ms here) and has one of this size ready;
    // every warm-up here lasts long enough for that, so steady state is what is timed.
    const ours64 = medianMs(() => (y64 = mix(x64, Wd)), runs, warm, 200);
    let y32: Multichannel = x32;
    const ours32 = medianMs(() => (y32 = mix(x32, Wd)), runs, warm, 200);
    const out64 = new Float64Array(cout * T);
    const out32 = new Float32Array(cout * T);
    const ours64out = medianMs(() => mix(x64, Wd, undefined, { out: out64 }), runs, warm, 200);
    const ours32out = medianMs(() => mix(x32, Wd, undefined, { out: out32 }), runs, warm, 200);

    // ml-matrix: rows as arrays; mmul of Cout×Cin by Cin×T. Build once outside the timing.
    const mW = new Matrix(cout, cin);
    for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) mW.set(o, i, W[o * cin + i]);
    const mX = new Matrix(cin, T);
    for (let i = 0; i < cin; i++) mX.setRow(i, X.subarray(i * T, (i + 1) * T));
    let mY: Matrix | null = null;
    const mlm = medianMs(() => (mY = mW.mmul(mX)), SMOKE ? 3 : 5, SMOKE ? 1 : 0);
    const mlmSum = mY ? sum((mY as Matrix).to1DArray()) : NaN;

    const s64 = sum(y64.data);
    const s32 = sum(y32.data);
    const check = (s: number, ref: number | undefined) => (ref === undefined ? '—' : fmt(Math.abs(s - ref) / Math.max(1e-300, Math.abs(ref))));
    const np64 = py?.f64;
    const np32 = py?.f32;
    rows.push([name, 'float64', 'pointwise mix', ours64, np64 ? ours64 / np64 : '—', mlm / ours64, check(s64, py?.sum64)]);
    rows.push([name, 'float64', 'numpy W @ X', np64 ?? '—', np64 ? 1 : '—', np64 ? mlm / np64 : '—', '']);
    if (py?.f64one) rows.push([name, 'float64', 'numpy W @ X, one BLAS thread (for reference)', py.f64one, np64 ? py.f64one / np64 : '—', '', '']);
    rows.push([name, 'float64', 'ml-matrix mmul', mlm, np64 ? mlm / np64 : '—', 1, check(mlmSum, py?.sum64)]);
    rows.push([name, 'float64', 'pointwise mix, options.out reused', ours64out, py ? ours64out / py.f64out : '—', mlm / ours64out, check(sum(out64), py?.sum64)]);
    rows.push([name, 'float64', 'numpy matmul(W, X, out=)', py?.f64out ?? '—', py ? 1 : '—', '', '']);
    rows.push([name, 'float32', 'pointwise mix', ours32, np32 ? ours32 / np32 : '—', mlm / ours32, check(s32, py?.sum32)]);
    rows.push([name, 'float32', 'numpy W @ X (float32)', np32 ?? '—', np32 ? 1 : '—', '', '']);
    rows.push([name, 'float32', 'pointwise mix, options.out reused', ours32out, py ? ours32out / py.f32out : '—', mlm / ours32out, check(sum(out32), py?.sum32)]);
    rows.push([name, 'float32', 'numpy matmul(W, X, out=) (float32)', py?.f32out ?? '—', py ? 1 : '—', '', '']);
  }
  printTable(
    `1×1 mix Y = W·X${SMOKE ? ' (smoke size)' : ''}: median ms of ${runs} runs (ml-matrix: 5), ratio to numpy in the same run (new output vs W @ X; reused output vs matmul(out=)); kernel: ${wasmGemm() ? 'WebAssembly SIMD' : 'JavaScript (no WebAssembly SIMD here)'}`,
    ['case (Cin→Cout, T)', 'dtype', 'method', 'median ms', '× numpy', 'ml-matrix ÷ this', 'check (rel. sum diff)'],
    rows,
  );
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
