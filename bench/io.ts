/**
 * bench/io: WAV and NPY throughput on a generated 32-channel, 48 kHz 16-bit recording (20 s: 61 MB
 * of WAV bytes, 246 MB as float64 samples; 0.5 s × 4 channels at smoke size). MB/s counts WAV (or
 * NPY) file bytes.
 *
 * Targets (issue 22): `readWav` to float64 and to float32 at ≥ 50 % of python-soundfile's MB/s
 * (`sf.read(path, dtype=...)` on the same file in the same run). The rows say what limits them:
 * the bytes moved (file bytes read, result bytes written) against the measured bandwidth, and the
 * time that only allocating, writing and dropping a shared result of the same size takes here in a
 * loop: its page faults and the unmapping of each collected result (numpy asks for transparent huge
 * pages on large arrays, which a Node ArrayBuffer cannot by default). Two
 * rows repeat `readWav` in a child process started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1
 * (glibc ≥ 2.35: malloc asks for transparent huge pages too), for information: the targets are
 * measured in the default environment.
 */

/** The glibc setting under which malloc'd memory (and so large ArrayBuffers) gets transparent huge pages. */
const HUGE_PAGES_ENV = 'glibc.malloc.hugetlb=1';

/** `readWav` to float64 and float32 in a child process with {@link HUGE_PAGES_ENV}; null if it fails. */
function readWavHugePages(file: string): { read64: Stats; read32: Stats } | null {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--read-only', file], {
    encoding: 'utf8',
    env: { ...process.env, GLIBC_TUNABLES: HUGE_PAGES_ENV },
    maxBuffer: 1 << 24,
  });
  try {
    return JSON.parse((r.stdout ?? '').trim().split('\n').pop() ?? '') as { read64: Stats; read32: Stats };
  } catch {
    console.log(`(huge-page child failed: ${(r.stderr ?? '').trim().split('\n').pop()})`);
    return null;
  }
}
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Multichannel } from '../src/core/multichannel.js';
import { sharedArray } from '../src/core/shared.js';
import { Rng } from '../src/core/random.js';
import { decodeWav, encodeWav, readWav, writeWav, WavReader } from '../src/io/wav.js';
import { decodeNpy, encodeNpy } from '../src/io/npy.js';
import { CALLS, SMOKE, TARGET_HEADER, bandwidthNote, fmt, measure, mm, printCeilings, printTable, pythonHas, runAnchors, targetRow, type Stats } from './lib.js';

export async function main(): Promise<void> {
  const c = await printCeilings();
  const C = SMOKE ? 4 : 32;
  const seconds = SMOKE ? 0.5 : 20;
  const rate = 48000;
  const N = Math.round(seconds * rate);
  const calls = CALLS;
  const warmup = SMOKE ? 3 : 1; // small inputs need a few calls before the JIT settles
  const rng = new Rng(2);
  const x = Multichannel.zeros(C, N, { sampleRate: rate });
  const d = x.data;
  // Band-limited noise at −6 dBFS: cheap to generate, not compressible by accident.
  for (let ch = 0; ch < C; ch++) {
    let y = 0;
    for (let t = 0; t < N; t++) {
      y = 0.9 * y + 0.05 * rng.uniform();
      d[ch * N + t] = y;
    }
  }
  const bytes = encodeWav(x);
  const mb = bytes.length / 1e6;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-io-'));
  const file = path.join(dir, 'x.wav');
  try {
    writeWav(file, x);
    const opts = { calls, warmup };
    const read64 = measure(() => readWav(file), opts);
    const read32 = measure(() => readWav(file, { dtype: 'float32' }), opts);
    const read64One = measure(() => readWav(file, { workers: 0 }), opts);
    const read32One = measure(() => readWav(file, { dtype: 'float32', workers: 0 }), opts);
    // Only allocating, writing and dropping a result of the same size in a loop, on shared memory
    // as readWav allocates it: its page faults, and the unmapping of each result the collector frees.
    const touch64 = measure(() => sharedArray('float64', C * N).fill(0.5), { calls, warmup: 3 });
    const touch32 = measure(() => sharedArray('float32', C * N).fill(0.5), { calls, warmup: 3 });
    const enc = measure(() => encodeWav(x), opts);
    const dec64 = measure(() => decodeWav(bytes), opts);
    const dec32 = measure(() => decodeWav(bytes, { dtype: 'float32' }), opts);
    const write = measure(() => writeWav(file + '.out', x), opts);
    const chunked = measure(() => {
      const r = WavReader.open(file);
      let s = 0;
      try {
        for (let p = r.read(48000); p; p = r.read(48000)) s += p.data[0];
      } finally {
        r.close();
      }
      return s;
    }, opts);
    const npy = encodeNpy(x);
    const npyMb = npy.length / 1e6;
    const npyEnc = measure(() => encodeNpy(x), opts);
    const npyDec = measure(() => decodeNpy(npy), opts);

    const out = path.join(dir, 'py.wav');
    const sf = pythonHas('numpy', 'soundfile')
      ? runAnchors(
          [
            'import soundfile as sf',
            `x, sr = sf.read(${JSON.stringify(file)}, dtype='float64')`,
            `T['read64'] = measure(lambda: sf.read(${JSON.stringify(file)}, dtype='float64'))`,
            `T['read32'] = measure(lambda: sf.read(${JSON.stringify(file)}, dtype='float32'))`,
            `T['write'] = measure(lambda: sf.write(${JSON.stringify(out)}, x, sr, subtype='PCM_16'))`,
          ].join('\n'),
          {},
          { calls, threads: 'default' },
        )
      : null;
    const huge = readWavHugePages(file);
    const mbps = (s: Stats | undefined, size = mb) => (s ? fmt(size / (s.median / 1000)) : '—');
    const targets: string[][] = [];
    for (const [dtype, ours, touch, key, k] of [['float64', read64, touch64, 'read64', 8], ['float32', read32, touch32, 'read32', 4]] as const) {
      const anchor = sf?.times[key];
      const resultBytes = C * N * k;
      targets.push(
        targetRow({
          id: `io readWav ${C} ch pcm16 to ${dtype} vs soundfile`,
          workload: `readWav ${C} ch × ${seconds} s pcm16 (${fmt(mb)} MB) → ${dtype}: ${mbps(ours)} MB/s`,
          ours,
          anchor: anchor ? { name: `soundfile.read dtype=${dtype}: ${mbps(anchor)} MB/s`, stats: anchor } : null,
          goal: { metric: 'MB/s / soundfile MB/s', value: anchor ? anchor.median / ours.median : NaN, op: '>=', bound: 0.5 },
          limit: `${bandwidthNote(bytes.length + resultBytes, ours.median, c)}; a fresh ${fmt(resultBytes / 1e6)} MB shared result, written by one thread and dropped, costs ${fmt(touch.median)} ms per call in a loop here (4 KiB page faults, and unmapping each result the collector frees; numpy's arrays get huge pages); readWav decodes and faults in half the frames on each of 2 threads`,
        }),
      );
    }
    printTable(`WAV read targets${SMOKE ? ' (smoke size: the targets do not apply)' : ''}: median / min of ${calls} calls, page cache warm`, TARGET_HEADER, targets);
    const rows: (string | number)[][] = [
      [`${C} ch × ${seconds} s pcm16 (${fmt(mb)} MB)`, 'readWav → float64 (disk)', mm(read64), mbps(read64)],
      ['', 'readWav → float32 (disk)', mm(read32), mbps(read32)],
      ['', 'readWav → float64, options.workers = 0 (one thread)', mm(read64One), mbps(read64One)],
      ['', 'readWav → float32, options.workers = 0 (one thread)', mm(read32One), mbps(read32One)],
      ['', `readWav → float64, GLIBC_TUNABLES=${HUGE_PAGES_ENV} (child process)`, mm(huge?.read64), mbps(huge?.read64)],
      ['', `readWav → float32, GLIBC_TUNABLES=${HUGE_PAGES_ENV} (child process)`, mm(huge?.read32), mbps(huge?.read32)],
      ['', 'soundfile.read float64 (anchor)', mm(sf?.times.read64), mbps(sf?.times.read64)],
      ['', 'soundfile.read float32 (anchor)', mm(sf?.times.read32), mbps(sf?.times.read32)],
      ['', 'WavReader, 1 s pieces → float64', mm(chunked), mbps(chunked)],
      ['', 'decodeWav (in memory) → float64', mm(dec64), mbps(dec64)],
      ['', 'decodeWav (in memory) → float32', mm(dec32), mbps(dec32)],
      ['', '(a fresh shared float64 result only: allocate, write, drop, in a loop)', mm(touch64), mbps(touch64)],
      ['', '(a fresh shared float32 result only: allocate, write, drop, in a loop)', mm(touch32), mbps(touch32)],
      ['', 'encodeWav', mm(enc), mbps(enc)],
      ['', 'writeWav (disk, atomic)', mm(write), mbps(write)],
      ['', 'soundfile.write PCM_16 (anchor)', mm(sf?.times.write), mbps(sf?.times.write)],
      [`same as float64 .npy (${fmt(npyMb)} MB)`, 'encodeNpy', mm(npyEnc), mbps(npyEnc, npyMb)],
      ['', 'decodeNpy', mm(npyDec), mbps(npyDec, npyMb)],
    ];
    printTable(`WAV / NPY throughput (median / min ms of ${calls} calls; MB/s of file bytes from the median)`, ['case', 'method', 'median / min ms', 'MB/s'], rows);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === '--read-only') {
  const file = process.argv[3];
  const opts = { calls: CALLS, warmup: SMOKE ? 3 : 1 };
  const read64 = measure(() => readWav(file), opts);
  const read32 = measure(() => readWav(file, { dtype: 'float32' }), opts);
  console.log(JSON.stringify({ read64, read32 }));
} else if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
