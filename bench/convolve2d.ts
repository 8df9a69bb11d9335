/**
 * bench/convolve2d: convolve2d of a hyperspectral-sized cube against scipy.signal on the same
 * inputs in the same run, and the measurements behind the 'auto' cost model (src/convolve/cost2d.ts).
 *
 * - target (issue 20): a 512 × 512 × 200 cube, 31 × 31 kernel, mode 'same', against
 *   `scipy.signal.fftconvolve(cube, k[None], axes=(1, 2), mode='same')` and `oaconvolve` (same
 *   call), float64 on both sides (the ratio's anchor is the faster of the two); float32 rows are
 *   printed too (pointwise computes in float64 and stores float32; scipy computes in float32).
 *   pointwise runs on this thread alone and with one worker thread (2 cores here).
 *   The cube is one random 512 × 512 band scaled by (1 + b/100) for band b, built the same way in
 *   Python, so both sides see identical inputs without writing the cube to disk.
 * - method choice: direct and fft per band over image and kernel sizes, the model's prediction
 *   for each, the method 'auto' picks and whether it is within 20 % of the faster measured one.
 *
 * Run: `flock /tmp/bench.lock npx tsx bench/convolve2d.ts` (BENCH_SMOKE=1 for a few-second run).
 */
import { convolve2d, plan2d } from '../src/convolve/convolve2d.js';
import { model2dNs } from '../src/convolve/cost2d.js';
import { Multichannel, type Dtype } from '../src/core/multichannel.js';
import { Rng } from '../src/core/random.js';
import { SMOKE, medianMs, parallelCeiling, printTable, pythonHas, runPython, printCeilings } from './lib.js';

const SCIPY = `
from scipy import signal
band = load('band').reshape(ROWS, COLS)
k = load('k').reshape(KR, KC)
out = {}
for dt in ('float64', 'float32'):
    cube = (band[None] * (1 + np.arange(BANDS)[:, None, None] / 100)).astype(dt)
    kk = k.astype(dt)[None]
    out['fftconvolve ' + dt] = median_ms(lambda: signal.fftconvolve(cube, kk, axes=(1, 2), mode='same'), RUNS)
    out['oaconvolve ' + dt] = median_ms(lambda: signal.oaconvolve(cube, kk, axes=(1, 2), mode='same'), RUNS)
    del cube
print(json.dumps(out))
`;

function cube(band: Float64Array, rows: number, cols: number, bands: number, dtype: Dtype): Multichannel {
  const n = rows * cols;
  const data = dtype === 'float32' ? new Float32Array(bands * n) : new Float64Array(bands * n);
  for (let b = 0; b < bands; b++) {
    const s = 1 + b / 100;
    for (let i = 0; i < n; i++) data[b * n + i] = band[i] * s;
  }
  return new Multichannel(data, bands, n, { shape: [rows, cols] });
}

function target(rng: Rng): void {
  const rows = SMOKE ? 64 : 512, cols = rows, bands = SMOKE ? 4 : 200, K = SMOKE ? 7 : 31;
  const runs = SMOKE ? 3 : 3;
  const band = rng.normals(rows * cols);
  const k = rng.normals(K * K);
  const kernel = { data: k, rows: K, cols: K };
  const py = pythonHas('numpy', 'scipy') ? runPython(`ROWS = ${rows}\nCOLS = ${cols}\nBANDS = ${bands}\nKR = ${K}\nKC = ${K}\nRUNS = ${runs}\n` + SCIPY, { band, k }) : null;
  const anchor64 = Math.min(py?.['fftconvolve float64'] ?? NaN, py?.['oaconvolve float64'] ?? NaN);
  const anchor32 = Math.min(py?.['fftconvolve float32'] ?? NaN, py?.['oaconvolve float32'] ?? NaN);
  const rowsOut: (string | number)[][] = [];
  const plan = plan2d(rows, cols, K, K, 'same', 'fill', 0, 'auto');
  for (const dtype of ['float64', 'float32'] as const) {
    const x = cube(band, rows, cols, bands, dtype);
    const anchor = dtype === 'float64' ? anchor64 : anchor32;
    for (const workers of [0, 1]) {
      const t = medianMs(() => convolve2d(x, kernel, { mode: 'same', workers }), runs);
      const note = dtype === 'float64' && workers === 1 && !SMOKE ? `target ≤ 2× the faster scipy anchor: ${t / anchor <= 2 ? 'met' : 'NOT met'}` : '';
      rowsOut.push([dtype, `pointwise convolve2d auto (${plan.method} ${plan.R}×${plan.W}), ${workers} worker${workers === 1 ? '' : 's'}`, t, t / anchor, note]);
    }
    if (py) {
      for (const name of ['fftconvolve', 'oaconvolve']) {
        const v = py[`${name} ${dtype}`];
        rowsOut.push([dtype, `scipy ${name}(axes=(1, 2))`, v, v / anchor, '']);
      }
    }
  }
  printTable(`target: ${bands} bands × ${rows} × ${cols}, ${K} × ${K} kernel, mode 'same' (${runs} runs; ratio = time / faster scipy anchor of the same dtype)`, ['dtype', 'method', 'median ms', 'ratio', 'note'], rowsOut);
  console.log(`two-thread ceiling of this machine now: ${parallelCeiling().toFixed(2)}× (2.0 on two idle cores)`);
}

function methodChoice(rng: Rng): void {
  const sizes = SMOKE ? [32, 64] : [64, 128, 256, 512];
  const kernels = SMOKE ? [3, 9] : [3, 5, 7, 9, 13, 17, 31];
  const rows: (string | number)[][] = [];
  let ok = 0, total = 0;
  for (const n of sizes) {
    const bands = Math.max(1, Math.round((SMOKE ? 64 : 256) ** 2 / (n * n)));
    const x = new Multichannel(rng.normals(bands * n * n), bands, n * n, { shape: [n, n] });
    for (const m of kernels) {
      const kernel = { data: rng.normals(m * m), rows: m, cols: m };
      const p = plan2d(n, n, m, m, 'same', 'fill', 0, 'auto');
      const model = model2dNs(n, n, m, m, n, n, p.R, p.W);
      const t = { direct: 0, fft: 0 };
      for (const method of ['direct', 'fft'] as const) t[method] = medianMs(() => convolve2d(x, kernel, { mode: 'same', method }), 3) / bands;
      const fastest = Math.min(t.direct, t.fft);
      const within = t[p.method] <= 1.2 * fastest;
      total++;
      if (within) ok++;
      rows.push([`${n}×${n} k ${m}×${m}`, t.direct, model.direct / 1e6, t.fft, model.fft / 1e6, `${p.method}${within ? '' : ` (NOT within 20%: ${(t[p.method] / fastest).toFixed(2)}×)`}`]);
    }
  }
  printTable("method choice, mode 'same', per band (model = src/convolve/cost2d.ts)", ['case', 'direct ms', 'direct model ms', 'fft ms', 'fft model ms', 'auto picks'], rows);
  console.log(`\nauto within 20% of the faster method: ${ok}/${total} cases`);
}

export async function main(): Promise<void> {
  await printCeilings();
  const rng = new Rng(2020);
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  if (only !== 'target') methodChoice(rng);
  if (only !== 'choice') target(rng);
}

if (require.main === module) void main();
