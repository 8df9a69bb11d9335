/**
 * bench/io: WAV and NPY throughput on a generated 32-channel, 60 s, 48 kHz 16-bit recording
 * (184 MB of WAV bytes, 737 MB as float64 samples). MB/s counts WAV (or NPY) file bytes.
 * Targets (issue 2): decode ≥ 200 MB/s, encode ≥ 150 MB/s.
 * Anchor: python-soundfile (libsndfile) reading and writing the same file in the same run.
 *
 * Note: on this VM, first-touching freshly allocated memory costs about 1 ms per MB (page
 * faults); the float64 result of a decode is 4× the file size, so a decode is partly bound by
 * allocating its result. The float32 row shows the same decode with half the result memory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Multichannel } from '../src/core/multichannel.js';
import { Rng } from '../src/core/random.js';
import { decodeWav, encodeWav, readWav, writeWav, WavReader } from '../src/io/wav.js';
import { decodeNpy, encodeNpy } from '../src/io/npy.js';
import { SMOKE, medianMs, printTable, pythonHas, runPython } from './lib.js';

export async function main(): Promise<void> {
  const C = SMOKE ? 4 : 32;
  const seconds = SMOKE ? 0.5 : 60;
  const rate = 48000;
  const N = Math.round(seconds * rate);
  const runs = 5;
  const warm = SMOKE ? 3 : 1; // small inputs need a few calls before the JIT settles
  const rng = new Rng(2);
  const x = Multichannel.zeros(C, N, { sampleRate: rate });
  const d = x.data;
  // Band-limited noise at −6 dBFS: cheap to generate, not compressible by accident.
  for (let c = 0; c < C; c++) {
    let y = 0;
    for (let t = 0; t < N; t++) {
      y = 0.9 * y + 0.05 * rng.uniform();
      d[c * N + t] = y;
    }
  }
  const bytes = encodeWav(x);
  const mb = bytes.length / 1e6;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-io-'));
  const file = path.join(dir, 'x.wav');
  try {
    const rows: (string | number)[][] = [];
    const tEnc = medianMs(() => encodeWav(x), runs, warm);
    const tDec = medianMs(() => decodeWav(bytes), runs, warm);
    const tDec32 = medianMs(() => decodeWav(bytes, { dtype: 'float32' }), runs, warm);
    // Reference: only allocating and first-touching a float64 result of the same size (page faults).
    const tTouch = medianMs(() => new Float64Array(C * N).fill(0.5), runs, warm);
    const tWrite = medianMs(() => writeWav(file, x), runs, warm);
    const tRead = medianMs(() => readWav(file), runs, warm);
    const tChunk = medianMs(() => {
      const r = WavReader.open(file);
      let s = 0;
      try {
        for (let p = r.read(48000); p; p = r.read(48000)) s += p.data[0];
      } finally {
        r.close();
      }
      return s;
    }, runs, warm);
    const npy = encodeNpy(x);
    const npyMb = npy.length / 1e6;
    const tNpyEnc = medianMs(() => encodeNpy(x), runs, warm);
    const tNpyDec = medianMs(() => decodeNpy(npy), runs, warm);

    let anchor: Record<string, number> | null = null;
    if (pythonHas('numpy', 'soundfile')) {
      const out = path.join(dir, 'py.wav');
      anchor = runPython(
        [
          'import soundfile as sf',
          `x, sr = sf.read(${JSON.stringify(file)}, dtype='float64')`,
          `r = median_ms(lambda: sf.read(${JSON.stringify(file)}, dtype='float64'), ${runs})`,
          `w = median_ms(lambda: sf.write(${JSON.stringify(out)}, x, sr, subtype='PCM_16'), ${runs})`,
          "print(json.dumps({'read': r, 'write': w}))",
        ].join('\n'),
      );
    }
    const ratio = (ms: number, key: string) => (anchor && anchor[key] ? (ms / anchor[key]).toFixed(2) + '×' : 'n/a');
    const mbps = (ms: number, size = mb) => size / (ms / 1000);
    rows.push([`${C} ch × ${seconds} s pcm16 (${mb.toFixed(1)} MB)`, 'encodeWav', tEnc, mbps(tEnc), '≥ 150', 'n/a']);
    rows.push(['', 'decodeWav → float64', tDec, mbps(tDec), '≥ 200', 'n/a']);
    rows.push(['', 'decodeWav → float32', tDec32, mbps(tDec32), '≥ 200', 'n/a']);
    rows.push(['', '(allocate + touch a float64 result only)', tTouch, mbps(tTouch), '', 'n/a']);
    rows.push(['', 'writeWav (disk, atomic)', tWrite, mbps(tWrite), '', ratio(tWrite, 'write')]);
    rows.push(['', 'readWav → float64 (disk)', tRead, mbps(tRead), '', ratio(tRead, 'read')]);
    rows.push(['', 'WavReader 1 s pieces', tChunk, mbps(tChunk), '', ratio(tChunk, 'read')]);
    if (anchor) {
      rows.push(['', 'soundfile.write PCM_16 (anchor)', anchor.write, mbps(anchor.write), '', '1×']);
      rows.push(['', 'soundfile.read float64 (anchor)', anchor.read, mbps(anchor.read), '', '1×']);
    }
    rows.push([`same as float64 .npy (${npyMb.toFixed(0)} MB)`, 'encodeNpy', tNpyEnc, mbps(tNpyEnc, npyMb), '', 'n/a']);
    rows.push(['', 'decodeNpy', tNpyDec, mbps(tNpyDec, npyMb), '', 'n/a']);
    printTable('WAV / NPY throughput (MB/s of file bytes; ratio = time / python-soundfile time, same run)', ['case', 'method', 'median ms', 'MB/s', 'target', 'vs anchor'], rows);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
