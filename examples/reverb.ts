/**
 * Convolution reverb: puts a dry recording into a room.
 *
 * Imports `pointwise` by name, which resolves to the build in dist/: run `npm run build` once first.
 *
 *   npx tsx examples/reverb.ts                                   # shared recordings if present, else synthetic
 *   npx tsx examples/reverb.ts --synthetic                       # synthetic dry pluck + synthetic room
 *   npx tsx examples/reverb.ts dry.wav room.wav [wet.wav]        # your files, e.g.
 *   npx tsx examples/reverb.ts ../shared/data/audio/xmas.wav ../shared/data/audio/rir_clap.wav wet.wav
 *
 * With no arguments it uses ../shared/data/audio/xmas.wav and rir_clap.wav when present, otherwise it
 * generates a dry signal and a seeded synthetic room (syntheticRoomResponse). The wet file is written
 * by convolveWavFiles (streaming, atomic), peak-normalised to 0.99 so nothing clips.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  convolveWavFiles, syntheticRoomResponse, Multichannel, Rng, readWavInfo, writeWav,
} from 'pointwise';

function dryPluck(sampleRate: number, seconds: number, seed: number): Multichannel {
  // a few Karplus–Strong-like decaying tones: a recognisable dry signal without any file
  const rng = new Rng(seed);
  const N = Math.round(seconds * sampleRate);
  const x = new Float64Array(N);
  const notes = [220, 277.18, 329.63, 440];
  notes.forEach((f, k) => {
    const start = Math.round(k * 0.4 * sampleRate);
    for (let i = start; i < N; i++) {
      const t = (i - start) / sampleRate;
      x[i] += 0.2 * Math.exp(-6 * t) * Math.sin(2 * Math.PI * f * t) + 0.002 * Math.exp(-40 * t) * rng.normal();
    }
  });
  return new Multichannel(x, 1, N, { sampleRate });
}

function main(): void {
  const synthetic = process.argv.includes('--synthetic');
  const args = process.argv.slice(2).filter((a) => a !== '--synthetic');
  const shared = path.join(process.env.POINTWISE_SHARED ?? path.resolve(__dirname, '..', '..', 'shared'), 'data', 'audio');
  let dryPath = args[0];
  let irPath = args[1];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-reverb-'));
  const outPath = args[2] ?? path.join(workDir, 'wet.wav');
  if (!dryPath || !irPath) {
    const xmas = path.join(shared, 'xmas.wav'), clap = path.join(shared, 'rir_clap.wav');
    if (!synthetic && fs.existsSync(xmas) && fs.existsSync(clap)) {
      dryPath = xmas;
      irPath = clap;
      console.log('Using the shared recordings (xmas.wav, rir_clap.wav).');
    } else {
      const sr = 44100;
      dryPath = path.join(workDir, 'dry.wav');
      irPath = path.join(workDir, 'room.wav');
      writeWav(dryPath, dryPluck(sr, 2.5, 3), { format: 'float32' });
      const room = syntheticRoomResponse({ sampleRate: sr, rt60Seconds: 0.9, seed: 7 });
      writeWav(irPath, room, { format: 'float32' });
      console.log(`Generated a dry pluck (2.5 s) and a synthetic room (RT60 0.9 s, ${room.length} samples, seed 7) in ${workDir}.`);
    }
  }
  const dry = readWavInfo(dryPath), ir = readWavInfo(irPath);
  console.log(`dry: ${dryPath} — ${dry.channels} ch, ${dry.sampleRate} Hz, ${(dry.frames / dry.sampleRate).toFixed(2)} s, ${dry.format}`);
  console.log(`room: ${irPath} — ${ir.channels} ch, ${ir.sampleRate} Hz, ${(ir.frames / ir.sampleRate).toFixed(2)} s`);
  let last = -1;
  const t0 = performance.now();
  const r = convolveWavFiles(dryPath, irPath, outPath, {
    normalize: 'peak',
    format: 'float32',
    onProgress: (f) => {
      const pct = Math.floor(f * 10) * 10;
      if (pct !== last) {
        last = pct;
        process.stdout.write(`${pct}% `);
      }
    },
  });
  const ms = performance.now() - t0;
  console.log(`\nwet: ${outPath} — ${r.channels} ch, ${r.frames} frames (${(r.frames / r.sampleRate).toFixed(2)} s = dry + room − 1 sample), ${r.format}`);
  console.log(`gain ${r.gain.toPrecision(4)} (peak-normalised to ${r.peak.toFixed(3)}), ${r.clippedSamples} clipped samples, ${ms.toFixed(0)} ms (two streaming passes)`);
}

main();
