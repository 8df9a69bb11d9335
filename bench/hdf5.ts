/**
 * bench/hdf5: a hyperslab of a 2 GiB HDF5 file is read without reading the file. The file (16
 * channels × 16 Mi float64 samples, contiguous, x[c, t] = c·1e9 + t) is written by h5py into a temp
 * folder (skipped when /usr/bin/python3 lacks h5py or the disk has < 3 GiB free); a fresh process
 * then reads one channel × 1 Mi samples (8 MiB) with readHdf5 and reports its peak RSS, which must
 * stay far below the file size (target: < 300 MB). BENCH_SMOKE=1 uses a 64 MiB file. The child runs
 * from dist/ (npm run build first) so that tsx's own memory is not counted.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PYTHON, SMOKE, printTable, pythonHas, printCeilings } from './lib.js';

export async function main(): Promise<void> {
  await printCeilings();
  const C = 16;
  const N = SMOKE ? 1 << 19 : 1 << 24;
  const bytes = C * N * 8;
  if (!pythonHas('h5py', 'numpy')) {
    console.log('(skipped: /usr/bin/python3 with h5py is needed to write the big file)');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-h5-'));
  try {
    const st = fs.statfsSync(dir);
    if (st.bavail * st.bsize < bytes + 2 ** 30) {
      console.log(`(skipped: ${((st.bavail * st.bsize) / 2 ** 30).toFixed(1)} GiB free in ${dir}, need ${(bytes / 2 ** 30 + 1).toFixed(1)})`);
      return;
    }
    const file = path.join(dir, 'big.h5');
    const py = [
      'import sys, h5py, numpy as np',
      `C, N = ${C}, ${N}`,
      "with h5py.File(sys.argv[1], 'w') as f:",
      "    d = f.create_dataset('x', shape=(C, N), dtype='<f8')",
      '    step = 1 << 22',
      '    for c in range(C):',
      '        for s in range(0, N, step):',
      '            d[c, s:s + step] = c * 1e9 + np.arange(s, min(N, s + step), dtype=np.float64)',
    ].join('\n');
    const w = spawnSync(PYTHON, ['-c', py, file], { encoding: 'utf8' });
    if (w.status !== 0) throw new Error(`writing the big file failed: ${w.stderr}`);
    const rows: (string | number)[][] = [];
    // The child runs compiled (npm run build) under plain node, so its RSS is the reader's, not tsx's.
    const built = path.join(__dirname, '..', 'dist', 'bench', '_hdf5-child.js');
    const child = fs.existsSync(path.join(__dirname, '_hdf5-child.js')) ? [path.join(__dirname, '_hdf5-child.js')] : fs.existsSync(built) ? [built] : ['--import', 'tsx', path.join(__dirname, '_hdf5-child.ts')];
    const L = Math.min(1 << 20, N / 4);
    for (const [c, s] of [[3, L], [15, N - L]]) {
      const r = spawnSync(process.execPath, [...child, file, String(c), String(s), String(s + L)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`the reader failed: ${r.stderr}`);
      const o = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; peakRssMb: number; rssBeforeMb: number; ok: boolean };
      rows.push([`channel ${c}, samples ${s}…${s + L}`, (fs.statSync(file).size / 2 ** 20).toFixed(0), o.ms.toFixed(0), o.rssBeforeMb.toFixed(0), o.peakRssMb.toFixed(0), o.ok ? 'exact' : 'WRONG']);
    }
    printTable(`hyperslab read (1 channel × ${L} float64 samples) from a big HDF5 file`, ['selection', 'file MiB', 'ms', 'RSS before MB', 'peak RSS MB', 'values'], rows);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
