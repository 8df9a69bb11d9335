/**
 * The signal toolbox on an 8-microphone recording: Welch PSD, coherence between microphones, peaks
 * of a spectrum, a Butterworth band-pass streamed WAV → WAV, and decimation.
 *
 * Imports `pointwise` by name, which resolves to the build in dist/: run `npm run build` once first.
 *
 *   npx tsx examples/signal-toolbox.ts                  # the shared recording when present, else generated data
 *   npx tsx examples/signal-toolbox.ts --synthetic      # always the generated 8-channel signal
 *   npx tsx examples/signal-toolbox.ts --out DIR        # where the files go (default ./out/signal-toolbox)
 *
 * Data: ../shared/data/mic_array/ula8_seminar/noise_rec_one.wav (8 microphones 12 cm apart, 44.1 kHz,
 * one loudspeaker playing noise; POINTWISE_SHARED names the folder holding data/). Without it, a
 * generated stand-in: a noise source reaching 8 microphones with growing delays, two tones (1 kHz,
 * 3.2 kHz) and independent sensor noise.
 *
 * Prints: the PSD level per microphone, the strongest spectral peaks (findPeaks on the channel-mean
 * PSD in dB), the mean coherence of microphone 0 with each other microphone in three bands, and the
 * in-band / out-of-band power of the band-passed file. Writes into the output folder: psd.svg,
 * coherence.svg, input.wav (generated data only), bandpass_300_3000.wav (the streamed filter output,
 * float32) and decimated_by_4.wav.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Multichannel, Rng, SosFilter, WavReader, WavWriter, butter, coherence, decimate, findPeaks,
  linePlot, sosfilt, welch, writeWav,
} from 'pointwise';

const SHARED = process.env.POINTWISE_SHARED ?? path.resolve(__dirname, '..', '..', 'shared');
const RECORDING = path.join(SHARED, 'data', 'mic_array', 'ula8_seminar', 'noise_rec_one.wav');
const SPACING_M = 0.12;

/** 8 channels, 2 s at 44.1 kHz: a noise source with per-microphone delays, two tones, sensor noise. */
function generated(): Multichannel {
  const sampleRate = 44100, N = 2 * sampleRate, C = 8;
  const rng = new Rng(20);
  const source = rng.normals(N + 64);
  const data = new Float64Array(C * N);
  for (let c = 0; c < C; c++) {
    const delay = 3 * c; // samples: a source off to one side of the array
    for (let t = 0; t < N; t++) {
      const tones = 0.05 * Math.sin((2 * Math.PI * 1000 * t) / sampleRate) + 0.03 * Math.sin((2 * Math.PI * 3200 * t) / sampleRate + c);
      data[c * N + t] = 0.1 * source[t + 64 - delay] + tones + 0.05 * rng.normal();
    }
  }
  return new Multichannel(data, C, N, { sampleRate });
}

const dB = (v: number): number => 10 * Math.log10(Math.max(v, 1e-30));
/** A change in dB with one decimal, without a "-0.0". */
const change = (a: number, b: number): string => (Math.round((dB(a) - dB(b)) * 10) / 10 || 0).toFixed(1);

/** Mean of `values` over the bins of `f` in [lo, hi) Hz. */
function bandMean(f: Float64Array, values: ArrayLike<number>, lo: number, hi: number): number {
  let s = 0, n = 0;
  for (let k = 0; k < f.length; k++) if (f[k] >= lo && f[k] < hi) (s += values[k]), n++;
  return n ? s / n : NaN;
}

function main(): void {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const outDir = path.resolve(outAt >= 0 && args[outAt + 1] ? args[outAt + 1] : path.join('out', 'signal-toolbox'));
  fs.mkdirSync(outDir, { recursive: true });
  const real = !args.includes('--synthetic') && fs.existsSync(RECORDING);

  let inputPath: string;
  if (real) {
    inputPath = RECORDING;
    console.log(`data: ${RECORDING}`);
  } else {
    inputPath = path.join(outDir, 'input.wav');
    writeWav(inputPath, generated(), { format: 'float32' });
    console.log(`data: generated 8-channel signal (noise source, tones at 1 kHz and 3.2 kHz) → ${inputPath}${args.includes('--synthetic') ? '' : ` (${RECORDING} absent)`}`);
  }
  const reader = WavReader.open(inputPath);
  const x = reader.read(reader.info.frames) as Multichannel;
  reader.close();
  const fsHz = x.sampleRate as number;
  console.log(`  ${x.channels} channels × ${x.length} samples at ${fsHz} Hz (${(x.length / fsHz).toFixed(2)} s)`);

  // 1. Welch PSD of every microphone, and the peaks of their mean in dB.
  const psd = welch(x, { nperseg: 4096 });
  const levels = Array.from({ length: x.channels }, (_, c) => dB(bandMean(psd.f, psd.pxx.channel(c), 0, Infinity) * (fsHz / 2)));
  console.log(`\nWelch PSD (Hann, nperseg 4096, ${psd.segments} segments, ${(fsHz / 4096).toFixed(1)} Hz bins): power per microphone (dB re 1 full scale²)`);
  console.log('  ' + levels.map((l, c) => `mic ${c}: ${l.toFixed(1)}`).join(', '));
  const meanDb = new Float64Array(psd.f.length);
  for (let k = 0; k < meanDb.length; k++) {
    let s = 0;
    for (let c = 0; c < x.channels; c++) s += psd.pxx.channel(c)[k];
    meanDb[k] = dB(s / x.channels);
  }
  const { peaks, properties } = findPeaks(meanDb, { prominence: 6, distance: 5 });
  const strongest = Array.from(peaks, (p, i) => ({ p, prom: properties.prominences![i] })).sort((a, b) => b.prom - a.prom).slice(0, 5);
  console.log(`findPeaks on the mean PSD in dB (prominence ≥ 6 dB): ${peaks.length} peaks; the most prominent:`);
  for (const { p, prom } of strongest) console.log(`  ${psd.f[p].toFixed(1)} Hz: ${meanDb[p].toFixed(1)} dB/Hz, prominence ${prom.toFixed(1)} dB`);
  linePlot(
    [0, 3, 7].map((c) => ({ x: psd.f.subarray(1), y: psd.pxx.channel(c).subarray(1), label: `mic ${c}` })),
    { title: 'Welch PSD', xLabel: 'Frequency (Hz)', yLabel: 'PSD (1/Hz)', xScale: 'log', yScale: 'log' },
  ).saveSvg(path.join(outDir, 'psd.svg'));

  // 2. Coherence of microphone 0 with each other microphone.
  const ref = x.selectChannels([0]);
  const others = x.selectChannels(Array.from({ length: x.channels - 1 }, (_, i) => i + 1));
  const coh = coherence(ref, others, { nperseg: 1024 });
  const bands: [number, number][] = [[100, 1000], [1000, 4000], [4000, 10000]];
  console.log(`\nCoherence of mic 0 with mic m (nperseg 1024), mean over ${bands.map(([a, b]) => `${a}–${b} Hz`).join(' / ')}:`);
  for (let i = 0; i < others.channels; i++) {
    const c = coh.cxy.channel(i);
    console.log(`  mic ${i + 1} (${((i + 1) * SPACING_M * 100).toFixed(0)} cm): ${bands.map(([a, b]) => bandMean(coh.f, c, a, b).toFixed(3)).join(' / ')}`);
  }
  linePlot(
    [0, 2, 6].map((i) => ({ x: coh.f, y: coh.cxy.channel(i), label: `mic 0 – mic ${i + 1}` })),
    { title: 'Magnitude-squared coherence', xLabel: 'Frequency (Hz)', yLabel: 'Coherence', yLimits: [0, 1] },
  ).saveSvg(path.join(outDir, 'coherence.svg'));

  // 3. A Butterworth band-pass, streamed WAV → WAV in chunks with SosFilter (state carried across chunks).
  const sos = butter(4, [300, 3000], { btype: 'bandpass', fs: fsHz });
  const filter = new SosFilter(sos, { channels: x.channels });
  const bandPath = path.join(outDir, 'bandpass_300_3000.wav');
  const r = WavReader.open(inputPath);
  const w = new WavWriter(bandPath, { channels: r.info.channels, sampleRate: r.info.sampleRate, format: 'float32' });
  let chunks = 0;
  try {
    for (let piece; (piece = r.read(8192)); chunks++) w.write(filter.process(piece));
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  } finally {
    r.close();
  }
  const y = WavReader.open(bandPath);
  const yb = y.read(y.info.frames) as Multichannel;
  y.close();
  const oneShot = sosfilt(sos, x).y;
  let maxDiff = 0;
  for (let i = 0; i < oneShot.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(yb.data[i] - Math.fround(oneShot.data[i])));
  const py = welch(yb, { nperseg: 4096 });
  const inBand = bandMean(py.f, py.pxx.channel(0), 500, 2500), below = bandMean(py.f, py.pxx.channel(0), 20, 100), above = bandMean(py.f, py.pxx.channel(0), 8000, 16000);
  const pxIn = bandMean(psd.f, psd.pxx.channel(0), 500, 2500), pxBelow = bandMean(psd.f, psd.pxx.channel(0), 20, 100), pxAbove = bandMean(psd.f, psd.pxx.channel(0), 8000, 16000);
  console.log(`\nButterworth band-pass 300–3000 Hz (order 4 → 8, ${sos.length / 6} sections), streamed in ${chunks} chunks of 8192 frames → ${bandPath}`);
  console.log(`  the file vs one sosfilt call on the whole signal (rounded to float32): max |difference| ${maxDiff}`);
  console.log(`  mic 0 PSD change: 20–100 Hz ${change(below, pxBelow)} dB, 500–2500 Hz ${change(inBand, pxIn)} dB, 8–16 kHz ${change(above, pxAbove)} dB`);

  // 4. Decimation by 4 (Chebyshev I anti-aliasing, zero phase).
  const d = decimate(x, 4);
  const decPath = path.join(outDir, 'decimated_by_4.wav');
  writeWav(decPath, d, { format: 'float32' });
  console.log(`\ndecimate(x, 4): ${x.length} samples at ${fsHz} Hz → ${d.length} at ${d.sampleRate} Hz → ${decPath}`);
  console.log(`\nfigures: ${path.join(outDir, 'psd.svg')}, ${path.join(outDir, 'coherence.svg')}`);
}

main();
