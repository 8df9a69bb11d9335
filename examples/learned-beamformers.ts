/**
 * Learned beamformers against fixed ones on the same recording: delay-and-sum, MVDR, the
 * multichannel Wiener filter (per-bin complex least squares) and a learned time-domain
 * filter-and-sum (1×1 mix of 16 delayed taps per microphone, trained with trainMixer).
 *
 * Imports `pointwise` by name, which resolves to the build in dist/: run `npm run build` once first.
 *
 *   npx tsx examples/learned-beamformers.ts
 *
 * Scene (simulated, src/beamform/simulate): 8 microphones on a line (4 cm), 16 kHz, 4 s; a target
 * talker at 60° and an interfering talker at 125° (the dry female / male speech of
 * ../shared/data/mic_array/ula32_office when present, else coloured noise), plus sensor noise at
 * 20 dB. The learned beamformers are fitted on the first half with the clean target image at
 * microphone 0 as the training target, and every method is evaluated on the second half.
 * Every beamformer here is linear with fixed weights, so it is applied to the target, interferer
 * and noise parts separately to measure SIR and array gain exactly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Multichannel, Rng, readWav, ArrayGeometry, direction, simulatePlaneWave, delayAndSum, mvdr,
  applyFilterAndSum, applyPerBinFilter, fitFilterAndSum, fitMultichannelWiener, measuredArrayGain,
  sir,
} from 'pointwise';

const DATA = path.join(process.env.POINTWISE_SHARED ?? path.resolve(__dirname, '..', '..', 'shared'), 'data', 'mic_array', 'ula32_office');
const fsHz = 16000;
const N = 4 * fsHz;
const rng = new Rng(42);

/** Dry speech (16 kHz) when available, else AR(1) coloured noise; N samples, unit power. */
function source(name: string, a: number): { data: Float64Array; kind: string } {
  const file = path.join(DATA, `${name}.wav`);
  let s = new Float64Array(N);
  let kind = 'coloured noise';
  if (fs.existsSync(file)) {
    const w = readWav(file);
    for (let t = 0; t < N; t++) s[t] = w.data[t % w.length];
    kind = name;
  } else {
    let p = 0;
    s = s.map(() => (p = a * p + rng.normal()));
  }
  let pw = 0;
  for (const v of s) pw += v * v;
  return { data: s.map((v) => v / Math.sqrt(pw / N)), kind };
}

const g = ArrayGeometry.linear(8, '4 cm');
const look = direction(60);
const target = source('dry_female_1', 0.9);
const interferer = source('dry_male_1', 0.8);
const xs = simulatePlaneWave(target.data, g, look, { sampleRate: fsHz });
const xi = simulatePlaneWave(interferer.data, g, direction(125), { sampleRate: fsHz });
const xn = new Multichannel(new Float64Array(8 * N).map(() => 0.1 * rng.normal()), 8, N, { sampleRate: fsHz }); // 20 dB below the (unit-power) target

const half = (x: Multichannel, h: 0 | 1): Multichannel => {
  const n = N / 2;
  const out = new Float64Array(x.channels * n);
  for (let c = 0; c < x.channels; c++) out.set(x.data.subarray(c * N + h * n, c * N + (h + 1) * n), c * n);
  return new Multichannel(out, x.channels, n, { sampleRate: fsHz });
};
const sum = (...xs: Multichannel[]): Multichannel => new Multichannel(xs[0].data.map((_, i) => xs.reduce((s, x) => s + x.data[i], 0)), xs[0].channels, xs[0].length, { sampleRate: fsHz });
const power = (y: Multichannel): number => {
  let a = 0;
  for (let k = 0; k < y.data.length; k++) a += y.data[k] * y.data[k];
  return a;
};
const mic0 = (x: Multichannel): Multichannel => new Multichannel(x.data.slice(0, x.length), 1, x.length, { sampleRate: fsHz });

const train = sum(half(xs, 0), half(xi, 0), half(xn, 0));
const trainRef = mic0(half(xs, 0));
const parts = { s: half(xs, 1), i: half(xi, 1), n: half(xn, 1) };
const noiseTrain = sum(half(xi, 0), half(xn, 0));

const t0 = Date.now();
const mwf = fitMultichannelWiener(train, trainRef, { windowLength: 512 });
const tMwf = Date.now() - t0;
const t1 = Date.now();
const fas = fitFilterAndSum(train, trainRef, { taps: 16, train: { epochs: 10 } });
const tFas = Date.now() - t1;

const methods: [string, (x: Multichannel) => Multichannel, string][] = [
  ['delay-and-sum', (x) => delayAndSum(x, g, look), 'fixed'],
  ['MVDR (noise covariance from the training half)', (x) => mvdr(x, g, look, { noise: noiseTrain, windowLength: 512 }), 'fixed per bin'],
  ['multichannel Wiener filter (512-sample frames)', (x) => applyPerBinFilter(mwf, x), `fitted in ${tMwf} ms`],
  ['learned filter-and-sum (8 × 16 taps, Adam)', (x) => applyFilterAndSum(fas, x), `trained in ${tFas} ms, MSE ${fas.training!.trainLoss[0].toPrecision(3)} → ${fas.training!.finalLoss.toPrecision(3)}`],
];

console.log(`target: ${target.kind} at 60°, interferer: ${interferer.kind} at 125°, sensor noise 20 dB below; 8 mics, 4 cm, 16 kHz`);
console.log('evaluated on the held-out second half (2 s):\n');
console.log('| method | SIR (dB, parts) | SIR (dB, BSS-style, 32 taps) | array gain vs interferer + noise (dB) | note |');
console.log('| --- | --- | --- | --- | --- |');
const inSir = 10 * Math.log10(power(mic0(parts.s)) / power(mic0(parts.i)));
console.log(`| microphone 0 (input) | ${inSir.toFixed(1)} | | 0 | |`);
const refs = new Multichannel(mic0(parts.i).data, 1, N / 2);
for (const [name, f, note] of methods) {
  const ys = f(parts.s);
  const yi = f(parts.i);
  const yn = f(parts.n);
  const sirParts = 10 * Math.log10(power(ys) / power(yi));
  const yMix = sum(ys, yi, yn);
  const sirBss = sir(yMix, mic0(parts.s), refs, { taps: 32 });
  const gain = measuredArrayGain(parts.s, sum(parts.i, parts.n), ys, sum(yi, yn));
  console.log(`| ${name} | ${sirParts.toFixed(1)} | ${sirBss.toFixed(1)} | ${gain.toFixed(1)} | ${note} |`);
}
