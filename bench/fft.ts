/**
 * bench/fft: pointwise rfft / fft against numpy.fft on the same sizes in the same run, and the
 * evidence for nextFastLength's claim: through this package a power of two beats scipy's 5-smooth
 * choice (next_fast_len) because non-powers of two go through Bluestein.
 *
 * Run: `flock /tmp/bench.lock npx tsx bench/fft.ts` (BENCH_SMOKE=1 for a smoke run).
 */
import { fft, rfft, RealFft, nextFastLength } from '../src/fft/index.js';
import { Rng } from '../src/core/random.js';
import { SMOKE, medianMs as medianOnce, printTable, pythonHas, runPython } from './lib.js';

/** Median ms per call, with calls batched so each timed run lasts long enough to measure (small n). */
function medianMs(f: () => unknown, runs: number, n = 1 << 20): number {
  const reps = Math.max(1, Math.floor(200000 / n));
  return medianOnce(() => {
    for (let i = 0; i < reps; i++) f();
  }, runs) / reps;
}

export async function main(): Promise<void> {
  const rng = new Rng(77);
  const sizes = SMOKE ? [1000, 1024] : [1000, 1024, 1080, 4096, 65536, 100000, 101250, 131072, 1048576];
  const rows: (string | number)[][] = [];
  for (const n of sizes) {
    const x = rng.normals(n);
    const runs = n > 200000 ? 5 : 9;
    const py = pythonHas('numpy')
      ? runPython(`x = load('x')\nprint(json.dumps({'rfft': median_ms(lambda: np.fft.rfft(x), ${runs}), 'fft': median_ms(lambda: np.fft.fft(x), ${runs})}))`, { x })
      : null;
    const plan = new RealFft(n);
    const re = new Float64Array(plan.bins), im = new Float64Array(plan.bins);
    const tPlan = medianMs(() => plan.forward(x, re, im), runs, n);
    const tR = medianMs(() => rfft(x), runs, n);
    const tC = medianMs(() => fft(x), runs, n);
    const kind = (n & (n - 1)) === 0 ? 'power of two' : 'Bluestein';
    rows.push([`n=${n} (${kind})`, 'RealFft.forward', tPlan, py ? tPlan / py.rfft : NaN]);
    rows.push([`n=${n} (${kind})`, 'rfft', tR, py ? tR / py.rfft : NaN]);
    rows.push([`n=${n} (${kind})`, 'fft (complex)', tC, py ? tC / py.fft : NaN]);
    if (py) rows.push([`n=${n}`, 'numpy rfft / fft', `${py.rfft.toPrecision(3)} / ${py.fft.toPrecision(3)}`, 1]);
  }
  printTable('FFT (ratio = time / numpy.fft in the same run)', ['case', 'method', 'median ms', 'ratio'], rows);

  // nextFastLength: pointwise's choice (power of two) vs scipy's 5-smooth choice, both through RealFft
  const targets = SMOKE ? [1025] : [1025, 10007, 100099, 1000999];
  const smooth: Record<number, number> = { 1025: 1080, 10007: 10125, 100099: 101250, 1000999: 1012500 }; // scipy.fft.next_fast_len(real=True), ../shared/refs/next_fast_len.json
  const rows2: (string | number)[][] = [];
  for (const t of targets) {
    const ours = nextFastLength(t), theirs = smooth[t];
    const a = new RealFft(ours), b = new RealFft(theirs);
    const x = rng.normals(t);
    const ra = new Float64Array(a.bins), ia = new Float64Array(a.bins), rb = new Float64Array(b.bins), ib = new Float64Array(b.bins);
    const ta = medianMs(() => a.forward(x, ra, ia), 5, ours), tb = medianMs(() => b.forward(x, rb, ib), 5, theirs);
    rows2.push([t, `${ours} (nextFastLength)`, ta, `${theirs} (scipy 5-smooth)`, tb, (tb / ta).toFixed(2)]);
  }
  printTable('nextFastLength: our power of two vs scipy 5-smooth, both through pointwise RealFft', ['target', 'pointwise size', 'ms', 'scipy size', 'ms', 'scipy size / ours'], rows2);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
