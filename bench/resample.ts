/**
 * bench/resample: rate changes and FIR design against scipy.signal in the same run —
 * resamplePoly (scipy.signal.resample_poly, default Kaiser β = 5 filter), upfirdn, the Fourier
 * resample, and the design routines firwin / remez. Ratios are pointwise ÷ scipy (lower is better).
 *
 * Run: `npx tsx bench/resample.ts` (BENCH_SMOKE=1 for a few-second smoke run).
 */
import { Multichannel } from '../src/core/multichannel.js';
import { Rng } from '../src/core/random.js';
import { resamplePoly } from '../src/beamform/resample.js';
import { upfirdn, resample } from '../src/filter/resample.js';
import { firwin, remez } from '../src/filter/fir.js';
import { SMOKE, medianMs, printTable, pythonHas, runPython, printCeilings } from './lib.js';

const SCIPY = `
from scipy import signal
x = load('x').reshape(C, N)
h = load('h')
out = {}
for (u, d) in [(3, 2), (1, 3), (3, 1)]:
    out['poly %d/%d' % (u, d)] = median_ms(lambda: signal.resample_poly(x, u, d, axis=-1), RUNS)
out['upfirdn 1/4'] = median_ms(lambda: signal.upfirdn(h, x, 1, 4, axis=-1), RUNS)
out['resample'] = median_ms(lambda: signal.resample(x, N * 3 // 2, axis=-1), RUNS)
out['firwin'] = median_ms(lambda: signal.firwin(1001, 0.1, window=('kaiser', 8.0)), RUNS)
out['remez'] = median_ms(lambda: signal.remez(101, [0, 0.1, 0.15, 0.5], [1, 0]), RUNS)
print(json.dumps(out))
`;

export async function main(): Promise<void> {
  await printCeilings();
  const C = SMOKE ? 2 : 8;
  const N = SMOKE ? 20_000 : 1_000_000;
  const runs = SMOKE ? 3 : 5;
  const rng = new Rng(20261220);
  const x = new Multichannel(Float64Array.from({ length: C * N }, () => rng.normal()), C, N, { sampleRate: 48000 });
  const h = firwin(63, 0.25);
  const ours: [string, () => unknown][] = [
    ['poly 3/2', () => resamplePoly(x, 3, 2)],
    ['poly 1/3', () => resamplePoly(x, 1, 3)],
    ['poly 3/1', () => resamplePoly(x, 3, 1)],
    ['upfirdn 1/4', () => upfirdn(h, x, 1, 4)],
    ['resample', () => resample(x, Math.floor((N * 3) / 2))],
    ['firwin', () => firwin(1001, 0.1, { window: ['kaiser', 8.0] })],
    ['remez', () => remez(101, [0, 0.1, 0.15, 0.5], [1, 0])],
  ];
  const py = pythonHas('numpy', 'scipy') ? runPython(`C = ${C}\nN = ${N}\nRUNS = ${runs}\n` + SCIPY, { x: x.data, h }) : null;
  const rows = ours.map(([name, f]) => {
    const ms = medianMs(f, runs);
    const ref = py?.[name];
    return [name, ms, ref ?? 'n/a', ref ? ms / ref : 'n/a'];
  });
  printTable(`rate changes and FIR design, ${C} ch × ${N} samples (float64)`, ['case', 'pointwise ms', 'scipy ms', 'ratio'], rows);
}

if (require.main === module) void main();
