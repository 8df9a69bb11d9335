/**
 * bench/fft: pointwise rfft / fft against numpy.fft on the same sizes in the same run, and the
 * evidence for nextFastLength's claim: through this package its family (2^k, 3·2^k, 5·2^k) beats
 * scipy's 5-smooth choice (next_fast_len), whose other sizes go through Bluestein, and 3·2^k / 5·2^k
 * beat the next power of two. Also PFFFT's float32 SIMD transform pair (the float32 convolution
 * engine) against ours.
 *
 * Run: `flock /tmp/bench.lock npx tsx bench/fft.ts` (BENCH_SMOKE=1 for a smoke run).
 */
import { fft, rfft, nextFastLength } from '../src/fft/transforms.js';
import { RealFft } from '../src/fft/plan.js';
import { nextPow2, smallRadix } from '../src/fft/plan.js';
import { pffft } from '../src/fft/pffft.js';
import { Rng } from '../src/core/random.js';
import { SMOKE, medianMs as medianOnce, printTable, pythonHas, runPython, printCeilings } from './lib.js';

/** Median ms per call, with calls batched so each timed run lasts long enough to measure (small n). */
function medianMs(f: () => unknown, runs: number, n = 1 << 20): number {
  const reps = Math.max(1, Math.floor(200000 / n));
  return medianOnce(() => {
    for (let i = 0; i < reps; i++) f();
  }, runs) / reps;
}

export async function main(): Promise<void> {
  await printCeilings();
  const rng = new Rng(77);
  const sizes = SMOKE ? [1000, 1024, 1280] : [1000, 1024, 1080, 1280, 4096, 65536, 100000, 101250, 131072, 163840, 196608, 262144, 1048576];
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
    const kind = (n & (n - 1)) === 0 ? 'power of two' : smallRadix(n / 2) !== 0 ? `${smallRadix(n / 2)}·2^k` : 'Bluestein';
    rows.push([`n=${n} (${kind})`, 'RealFft.forward', tPlan, py ? tPlan / py.rfft : NaN]);
    rows.push([`n=${n} (${kind})`, 'rfft', tR, py ? tR / py.rfft : NaN]);
    rows.push([`n=${n} (${kind})`, 'fft (complex)', tC, py ? tC / py.fft : NaN]);
    if (py) rows.push([`n=${n}`, 'numpy rfft / fft', `${py.rfft.toPrecision(3)} / ${py.fft.toPrecision(3)}`, 1]);
  }
  printTable('FFT (ratio = time / numpy.fft in the same run)', ['case', 'method', 'median ms', 'ratio'], rows);

  // nextFastLength: pointwise's choice vs scipy's 5-smooth choice and the next power of two, all through RealFft
  const targets = SMOKE ? [1025] : [1025, 10007, 100099, 160080, 1000999];
  // scipy.fft.next_fast_len(t, real=True) (../shared/refs/next_fast_len.json; 160080, delay-and-sum's 10 s at 16 kHz, from scipy 1.10)
  const smooth: Record<number, number> = { 1025: 1080, 10007: 10125, 100099: 101250, 160080: 162000, 1000999: 1012500 };
  const rows2: (string | number)[][] = [];
  for (const t of targets) {
    const ours = nextFastLength(t), theirs = smooth[t];
    const a = new RealFft(ours), b = new RealFft(theirs);
    const x = rng.normals(t);
    const ra = new Float64Array(a.bins), ia = new Float64Array(a.bins), rb = new Float64Array(b.bins), ib = new Float64Array(b.bins);
    const ta = medianMs(() => a.forward(x, ra, ia), 5, ours), tb = medianMs(() => b.forward(x, rb, ib), 5, theirs);
    const p2 = nextPow2(t);
    const c = new RealFft(p2), rc = new Float64Array(c.bins), ic = new Float64Array(c.bins);
    const tc = medianMs(() => c.forward(x, rc, ic), 5, p2);
    rows2.push([t, `${ours} (nextFastLength)`, ta, `${theirs} (scipy 5-smooth)`, tb, (tb / ta).toFixed(2), `${p2}: ${(tc / ta).toFixed(2)}`]);
  }
  printTable('nextFastLength: our size vs scipy 5-smooth and the next power of two, all through pointwise RealFft', ['target', 'pointwise size', 'ms', 'scipy size', 'ms', 'scipy size / ours', 'power of two: time / ours'], rows2);

  // PFFFT (float32, SIMD WebAssembly): the float32 StreamingConvolver's transform pair vs ours (float64)
  const m = pffft();
  if (m) {
    const rows3: (string | number)[][] = [];
    for (const n of SMOKE ? [4096] : [4096, 32768, 131072]) {
      const setup = m.newSetup(n, true);
      const buf = m.malloc(12 * n);
      const x = rng.normals(n);
      m.heap().set(x, buf / 4);
      const tp = medianMs(() => {
        m.transform(setup, buf, buf + 4 * n, buf + 8 * n, true);
        m.transform(setup, buf + 4 * n, buf + 4 * n, buf + 8 * n, false);
      }, 9, n);
      m.free(buf);
      m.destroySetup(setup);
      const plan = new RealFft(n), s = new Float64Array(n + 2), y = new Float64Array(n);
      const to = medianMs(() => {
        plan.forwardInterleaved(x, 0, n, s);
        plan.inverseInterleaved(s, y, 1 / n);
      }, 9, n);
      rows3.push([n, tp, to, (to / tp).toFixed(1)]);
    }
    printTable('real forward + inverse pair: PFFFT float32 SIMD vs pointwise float64 (fft.js)', ['n', 'PFFFT ms', 'pointwise ms', 'PFFFT speed-up'], rows3);
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
