/**
 * bench/filters: IIR filtering against scipy.signal on the same inputs in the same run. Target of
 * issue 20: `sosfilt` of an 8th-order Butterworth lowpass (4 sections) over 8 channels × 1e6
 * samples within 2× of `scipy.signal.sosfilt(sos, x, axis=-1)`. Also: the streaming SosFilter in
 * 4096-sample chunks, float32 input, sosfiltfilt and lfilter (same filter as b, a) against their
 * scipy counterparts.
 *
 * The coefficients are scipy's `butter(8, 0.125, output='sos')` and `butter(8, 0.125)` (fixed
 * tables below, so the bench needs no IIR designer).
 *
 * Run: `flock /tmp/bench.lock npx tsx bench/filters.ts` (BENCH_SMOKE=1 for a tiny smoke run).
 */
import { Multichannel } from '../src/core/multichannel.js';
import { Rng } from '../src/core/random.js';
import { SosFilter, sosfilt } from '../src/filter/sosfilt.js';
import { lfilter } from '../src/filter/lfilter.js';
import { sosfiltfilt } from '../src/filter/filtfilt.js';
import { SMOKE, medianMs, printTable, pythonHas, runPython, printCeilings } from './lib.js';

/** scipy.signal.butter(8, 0.125, output='sos'), scipy 1.10. */
const SOS = Float64Array.from([
  8.881993221155296e-7, 1.7763986442310592e-6, 8.881993221155296e-7, 1.0, -1.3435020629061747, 0.45419615396638463,
  1.0, 2.0, 1.0, 1.0, -1.4017399331200422, 0.5172323704475157,
  1.0, 2.0, 1.0, 1.0, -1.5237898734101736, 0.6493382738637062,
  1.0, 2.0, 1.0, 1.0, -1.7193929141691948, 0.8610574795347461,
]);
/** scipy.signal.butter(8, 0.125), scipy 1.10. */
const B = [8.881993221155296e-7, 7.105594576924237e-6, 2.486958101923483e-5, 4.973916203846966e-5, 6.217395254808707e-5, 4.973916203846966e-5, 2.486958101923483e-5, 7.105594576924237e-6, 8.881993221155296e-7];
const A = [1.0, -5.988424783605585, 15.888379869893575, -24.35723742416695, 23.570379365379882, -14.729383342367475, 5.8001901435917675, -1.3150271205082897, 0.13135067080953627];

const SCIPY = `
from scipy import signal
x = load('x').reshape(C, N)
sos = load('sos').reshape(-1, 6)
b = load('b'); a = load('a')
x32 = x.astype(np.float32)
out = {}
out['sosfilt'] = median_ms(lambda: signal.sosfilt(sos, x, axis=-1), RUNS)
def median_cpu_ms(f, runs):
    f()
    ts = []
    for _ in range(runs):
        t0 = time.process_time(); f(); ts.append((time.process_time() - t0) * 1e3)
    ts.sort(); return ts[len(ts) // 2]
out['sosfilt_cpu'] = median_cpu_ms(lambda: signal.sosfilt(sos, x, axis=-1), RUNS)
out['sosfilt32'] = median_ms(lambda: signal.sosfilt(sos.astype(np.float32), x32, axis=-1), RUNS)
out['sosfiltfilt'] = median_ms(lambda: signal.sosfiltfilt(sos, x, axis=-1), RUNS)
out['lfilter'] = median_ms(lambda: signal.lfilter(b, a, x, axis=-1), RUNS)
print(json.dumps(out))
`;

const CHUNK = 4096;

/**
 * Median CPU time (user + system) of `runs` calls after one warm-up: on a shared, loaded machine
 * it tracks the work done better than wall time, which also counts waiting for a core.
 */
function medianCpuMs(f: () => unknown, runs: number): number {
  f();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(t0);
    ts.push((d.user + d.system) / 1000);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

export async function main(): Promise<void> {
  await printCeilings();
  const C = 8, N = SMOKE ? 20000 : 1000000, runs = SMOKE ? 3 : 5;
  const rng = new Rng(20);
  const x = new Multichannel(rng.normals(C * N), C, N, { sampleRate: 48000 });
  const x32 = x.astype('float32');
  const py = pythonHas('numpy', 'scipy') ? runPython(`C = ${C}\nN = ${N}\nRUNS = ${runs}\n` + SCIPY, { x: x.data, sos: SOS, b: Float64Array.from(B), a: Float64Array.from(A) }) : null;

  const streamed = () => {
    const f = new SosFilter(SOS, { channels: C });
    let last: Multichannel | null = null;
    for (let t = 0; t < N; t += CHUNK) last = f.process(x.slice(t, Math.min(N, t + CHUNK)));
    return last;
  };
  const t = {
    sosfilt: medianMs(() => sosfilt(SOS, x), runs),
    sosfiltCpu: medianCpuMs(() => sosfilt(SOS, x), runs),
    sosfilt32: medianMs(() => sosfilt(SOS, x32), runs),
    stream: medianMs(streamed, runs),
    sosfiltfilt: medianMs(() => sosfiltfilt(SOS, x), runs),
    lfilter: medianMs(() => lfilter(B, A, x), runs),
  };
  const ratio = (ms: number, k: string) => (py?.[k] !== undefined ? ms / py[k] : NaN);
  const seconds = N / 48000;
  const target = ratio(t.sosfilt, 'sosfilt');
  printTable(`IIR filtering, 8th-order Butterworth (4 sections), ${C} ch × ${N} (ratio = pointwise / scipy in the same run)`, ['case', 'pointwise ms', 'scipy ms', 'ratio', 'note'], [
    ['sosfilt float64', t.sosfilt, py?.sosfilt ?? NaN, target, `target ≤ 2×: ${target <= 2 ? 'met' : Number.isNaN(target) ? 'no scipy' : 'NOT met'}`],
    ['sosfilt float64, CPU time', t.sosfiltCpu, py?.sosfilt_cpu ?? NaN, ratio(t.sosfiltCpu, 'sosfilt_cpu'), 'user + system CPU ms: robust to a loaded machine'],
    ['sosfilt float32 in/out', t.sosfilt32, py?.sosfilt32 ?? NaN, ratio(t.sosfilt32, 'sosfilt32'), 'pointwise computes in float64, scipy in float32'],
    [`SosFilter, chunks of ${CHUNK}`, t.stream, py?.sosfilt ?? NaN, ratio(t.stream, 'sosfilt'), `${(seconds / (t.stream / 1000)).toFixed(0)}× real time at 48 kHz; vs one-shot scipy`],
    ['sosfiltfilt (odd, default padlen)', t.sosfiltfilt, py?.sosfiltfilt ?? NaN, ratio(t.sosfiltfilt, 'sosfiltfilt'), ''],
    ['lfilter (b, a of order 8)', t.lfilter, py?.lfilter ?? NaN, ratio(t.lfilter, 'lfilter'), ''],
  ]);
}

if (require.main === module) void main();
