/**
 * bench/spectrum: welch (8 channels × 1e6 samples, nperseg 4096, Hann, 50 % overlap, constant
 * detrend) against scipy.signal.welch(axis=-1) on the same input in the same run — the target of
 * issue 20 is ≤ 2× scipy — plus median averaging, csd and a spectrogram at the same size.
 *
 * Run: `flock /tmp/bench.lock npx tsx bench/spectrum.ts` (BENCH_SMOKE=1 for a smoke run).
 */
import { Multichannel } from '../src/core/multichannel.js';
import { Rng } from '../src/core/random.js';
import { csd, spectrogram, welch } from '../src/spectrum/spectral.js';
import { SMOKE, medianMs, printTable, pythonHas, runPython, printCeilings } from './lib.js';

const SCIPY = `
from scipy import signal
x = load('x').reshape(C, N)
y = x[::-1].copy()
out = {}
out['welch'] = median_ms(lambda: signal.welch(x, nperseg=NPERSEG, axis=-1), RUNS)
out['welch median'] = median_ms(lambda: signal.welch(x, nperseg=NPERSEG, average='median', axis=-1), RUNS)
out['csd'] = median_ms(lambda: signal.csd(x, y, nperseg=NPERSEG, axis=-1), RUNS)
out['spectrogram'] = median_ms(lambda: signal.spectrogram(x, nperseg=NPERSEG, axis=-1), RUNS)
print(json.dumps(out))
`;

/** Untimed calls before each measurement go on this long, so the small smoke sizes are timed after V8 has optimised the loops. */
const WARMUP_MS = 300;

export async function main(): Promise<void> {
  await printCeilings();
  const C = SMOKE ? 2 : 8, N = SMOKE ? 20000 : 1000000, nperseg = SMOKE ? 256 : 4096;
  const runs = SMOKE ? 3 : 5;
  const rng = new Rng(20);
  const x = new Multichannel(rng.normals(C * N), C, N);
  const y = new Multichannel(x.data.slice(), C, N);
  for (let c = 0; c < C; c++) y.data.set(x.data.subarray((C - 1 - c) * N, (C - c) * N), c * N);
  const py = pythonHas('numpy', 'scipy') ? runPython(`C = ${C}\nN = ${N}\nNPERSEG = ${nperseg}\nRUNS = ${runs}\n` + SCIPY, { x: x.data as Float64Array }) : null;
  const label = `C=${C} N=${N} nperseg=${nperseg}`;
  const ours: Record<string, number> = {
    welch: medianMs(() => welch(x, { nperseg }).pxx, runs, 1, WARMUP_MS),
    'welch median': medianMs(() => welch(x, { nperseg, average: 'median' }).pxx, runs, 1, WARMUP_MS),
    csd: medianMs(() => csd(x, y, { nperseg }).re, runs, 1, WARMUP_MS),
    spectrogram: medianMs(() => spectrogram(x, { nperseg }).sxx, runs, 1, WARMUP_MS),
  };
  const rows: (string | number)[][] = [];
  for (const [k, t] of Object.entries(ours)) {
    const anchor = py?.[k] ?? NaN;
    const note = k === 'welch' && !SMOKE ? `target ≤ 2× scipy.signal.welch(axis=-1): ${t / anchor <= 2 ? 'met' : 'NOT met'}` : '';
    rows.push([label, `pointwise ${k}`, t, t / anchor, note]);
    if (py) rows.push([label, `scipy ${k}`, anchor, 1, '']);
  }
  printTable('spectral estimation (ratio = time / scipy.signal in the same run)', ['case', 'method', 'median ms', 'ratio', 'note'], rows);
}

if (require.main === module) main().catch((e) => {
  console.error(e);
  process.exit(1);
});
