/**
 * bench/spectral: PCA of a pixels × bands cube against scikit-learn PCA(svd_solver='full') (same
 * inputs, same run) and ml-pca; ENVI BSQ read throughput; a large BSQ cube through the chunked PCA
 * with peak RSS (2 GB with BENCH_FULL=1, 256 MB otherwise; tiny with BENCH_SMOKE=1).
 *
 * Run: `flock /tmp/bench.lock npx tsx bench/spectral.ts`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Matrix } from 'ml-matrix';
import { PCA as MlPca } from 'ml-pca';
import { Multichannel } from '../src/core/multichannel.js';
import { pca, pcaStream, writeEnvi, readEnvi, EnviReader, syntheticCube, CovarianceAccumulator, accumulateParallel } from '../src/spectral/index.js';
import { AtomicWriter } from '../src/io/atomic.js';
import { Rng } from '../src/core/random.js';
import { sharedCopy } from '../src/core/workers.js';
import { SMOKE, parallelCeiling, medianMs, printTable, runPython, pythonHas, peakRssMb } from './lib.js';

const FULL = process.env.BENCH_FULL === '1';

/** A realistic cube: a 5-endmember linear mixture plus noise, `bands × pixels`. */
function cube(pixels: number, bands: number, seed: number): Multichannel {
  const side = Math.ceil(Math.sqrt(pixels));
  const { cube: c } = syntheticCube({ shape: [side, side], bands, endmembers: 6, noise: 0.01, seed });
  return c.slice(0, pixels);
}

function pcaTable(): void {
  const N = SMOKE ? 2000 : 21025;
  const B = SMOKE ? 40 : 200;
  const ks = SMOKE ? [5] : [10, 30];
  const x = cube(N, B, 1);
  const rows: (string | number)[][] = [];
  // pixels × bands, row-major, for Python and ml-pca
  const pxb = new Float64Array(N * B);
  for (let b = 0; b < B; b++) for (let p = 0; p < N; p++) pxb[p * B + b] = x.data[b * N + p];
  const py = pythonHas('sklearn')
    ? runPython(
        [
          'from sklearn.decomposition import PCA',
          `X = load('x').reshape(${N}, ${B})`,
          'out = {}',
          ...ks.map((k) => `out['k${k}'] = median_ms(lambda: PCA(n_components=${k}, svd_solver='full').fit(X))`),
          `p = PCA(n_components=${ks[0]}, svd_solver='full').fit(X)`,
          "out['ev0'] = float(p.explained_variance_[0]); out['evLast'] = float(p.explained_variance_[-1])",
          'print(json.dumps(out))',
        ].join('\n'),
        { x: pxb },
      )
    : null;
  let mlMs: number;
  {
    const rowsArr: number[][] = [];
    for (let p = 0; p < N; p++) rowsArr.push(Array.from(pxb.subarray(p * B, (p + 1) * B)));
    const m = new Matrix(rowsArr);
    // ml-pca takes ~10 s at full size here: one timed run after no warm-up (stated in the table)
    mlMs = medianMs(() => new MlPca(m, { method: 'SVD', center: true, scale: false }), SMOKE ? 3 : 1, 0);
  }
  const ceiling = parallelCeiling(); // the machine's two-thread speed-up ceiling in this run
  for (const k of ks) {
    const ms = medianMs(() => pca(x, k), 5, 1);
    const msSub = medianMs(() => pca(x, k, { solver: 'subspace' }), 5, 1);
    const msNoSign = medianMs(() => pca(x, k, { signs: 'max-loading' }), 5, 1);
    const msThreads = medianMs(() => pca(x, k, { threads: 2 }), 5, 1);
    const sk = py ? py[`k${k}`] : NaN;
    rows.push([`${N}×${B}, k=${k}`, 'pointwise pca (full EVD, sklearn signs)', ms, sk ? `${(ms / sk).toFixed(2)}× sklearn` : 'n/a', `${(mlMs / ms).toFixed(1)}× faster than ml-pca`]);
    rows.push([`${N}×${B}, k=${k}`, 'pointwise pca (subspace solver)', msSub, sk ? `${(msSub / sk).toFixed(2)}× sklearn` : 'n/a', '']);
    rows.push([`${N}×${B}, k=${k}`, "pointwise pca (signs 'max-loading', no score pass)", msNoSign, sk ? `${(msNoSign / sk).toFixed(2)}× sklearn` : 'n/a', '']);
    rows.push([`${N}×${B}, k=${k}`, 'pointwise pca, covariance on 2 threads (threads: 2; identical result)', msThreads, sk ? `${(msThreads / sk).toFixed(2)}× sklearn` : 'n/a', `${(ms / msThreads).toFixed(2)}× vs 1 thread (machine ceiling for two threads ${ceiling.toFixed(2)}×; the eigensolver and sign pass stay on one thread)`]);
    rows.push([`${N}×${B}, k=${k}`, "sklearn PCA(svd_solver='full')", sk, '1', '']);
  }
  // the covariance accumulation alone: one thread (acc.add) vs two (accumulateParallel: this thread + 1 worker)
  {
    const same = (a: CovarianceAccumulator, b: CovarianceAccumulator) => a.count === b.count && a.gram.every((v, i) => v === b.gram[i]) && a.sum.every((v, i) => v === b.sum[i]);
    const one = new CovarianceAccumulator(B).add(x);
    const msAdd = medianMs(() => new CovarianceAccumulator(B).add(x).count, 5, 1);
    const two = () => {
      const acc = new CovarianceAccumulator(B);
      accumulateParallel(acc, x, 2);
      return acc;
    };
    const msPar = medianMs(() => two().count, 5, 1);
    const xs = new Multichannel(sharedCopy(x.data), B, N);
    const twoShared = () => {
      const acc = new CovarianceAccumulator(B);
      accumulateParallel(acc, xs, 2);
      return acc;
    };
    const msShared = medianMs(() => twoShared().count, 5, 1);
    rows.push([`${N}×${B}`, 'covariance alone, 1 thread (CovarianceAccumulator.add)', msAdd, '', '']);
    rows.push([`${N}×${B}`, 'covariance alone, 2 threads (accumulateParallel(acc, x, 2))', msPar, '', `${(msAdd / msPar).toFixed(2)}× vs 1 thread (aim ≥ 1.6×; machine ceiling ${ceiling.toFixed(2)}×); ${same(two(), one) ? 'bit-identical' : 'DIFFERS'}`]);
    rows.push([`${N}×${B}`, 'covariance alone, 2 threads, cube on a SharedArrayBuffer (no copy)', msShared, '', `${(msAdd / msShared).toFixed(2)}× vs 1 thread; ${same(twoShared(), one) ? 'bit-identical' : 'DIFFERS'}`]);
  }
  rows.push([`${N}×${B}`, `ml-pca 4 (SVD; ${SMOKE ? 'median of 3' : '1 run'})`, mlMs, py ? `${(mlMs / py[`k${ks[0]}`]).toFixed(1)}× sklearn` : 'n/a', '']);
  if (py) {
    const m = pca(x, ks[0]);
    const rel = Math.abs(m.explainedVariance[0] - py.ev0) / py.ev0;
    const relLast = Math.abs(m.explainedVariance[ks[0] - 1] - py.evLast) / py.evLast;
    rows.push(['accuracy', 'explained variance vs sklearn (relative)', NaN, `first ${rel.toExponential(1)}, k-th ${relLast.toExponential(1)}`, '']);
  }
  printTable('PCA of a pixels × bands cube (median ms of 5 runs; ratios measured in this run)', ['case', 'method', 'median ms', 'ratio to sklearn', 'vs ml-pca'], rows);
}

function enviTable(): void {
  const N = SMOKE ? 4096 : 21025 * 4;
  const B = SMOKE ? 32 : 200;
  const side = Math.round(Math.sqrt(N));
  const rng = new Rng(3);
  const d = new Float32Array(B * side * side);
  for (let i = 0; i < d.length; i++) d[i] = rng.next();
  const x = new Multichannel(d, B, side * side, { shape: [side, side] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-envi-'));
  try {
    const rows: (string | number)[][] = [];
    for (const il of ['bsq', 'bil', 'bip'] as const) {
      const hdr = path.join(dir, `c_${il}.hdr`);
      writeEnvi(hdr, x, { interleave: il, dataType: 4 });
      const mb = (d.length * 4) / 1e6;
      for (const dtype of ['float32', 'float64'] as const) {
        const ms = medianMs(() => readEnvi(hdr, { dtype }), 5, 1);
        rows.push([`${il} float32 → ${dtype}`, `${mb.toFixed(1)} MB`, ms, (mb / ms) * 1000]);
      }
    }
    const hdr = path.join(dir, 'c_be.hdr');
    writeEnvi(hdr, x, { interleave: 'bsq', dataType: 4, byteOrder: 1 });
    const ms = medianMs(() => readEnvi(hdr), 5, 1);
    rows.push(['bsq float32 big endian → float64', `${((d.length * 4) / 1e6).toFixed(1)} MB`, ms, ((d.length * 4) / 1e6 / ms) * 1000]);
    printTable('ENVI read throughput (page cache warm; target ≥ 300 MB/s for BSQ)', ['case', 'file size', 'median ms', 'MB/s'], rows);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a BSQ float32 cube of `lines × samples × bands` band by band in bounded memory. */
function writeBigBsq(hdr: string, lines: number, samples: number, bands: number): void {
  const img = hdr.replace(/\.hdr$/, '.img');
  const w = new AtomicWriter(img, 'bench');
  const rng = new Rng(9);
  // 6 smooth endmember spectra; abundance fields vary with line/sample
  const E = Array.from({ length: 6 }, (_, k) => Float32Array.from({ length: bands }, (_, b) => 0.3 + 0.25 * Math.sin((b / bands) * (k + 1) * 3 + k)));
  const rowBuf = new Float32Array(samples * 256);
  for (let b = 0; b < bands; b++) {
    for (let l0 = 0; l0 < lines; l0 += 256) {
      const nl = Math.min(256, lines - l0);
      for (let l = 0; l < nl; l++) {
        const L = l0 + l;
        for (let s = 0; s < samples; s++) {
          let v = 0;
          for (let k = 0; k < 6; k++) v += E[k][b] * (1 + Math.sin(0.01 * (k + 1) * L + 0.013 * (k + 2) * s)) / 6;
          rowBuf[l * samples + s] = v + 0.01 * (rng.next() - 0.5);
        }
      }
      w.write(new Uint8Array(rowBuf.buffer, 0, nl * samples * 4));
    }
  }
  w.commit();
  fs.writeFileSync(hdr, `ENVI\nsamples = ${samples}\nlines = ${lines}\nbands = ${bands}\nheader offset = 0\ndata type = 4\ninterleave = bsq\nbyte order = 0\n`);
}

function bigCube(): void {
  const bands = SMOKE ? 16 : 200;
  const bytes = SMOKE ? 8e6 : FULL ? 2 * 1024 ** 3 : 256 * 1024 ** 2;
  const samples = 1024;
  const lines = Math.floor(bytes / (samples * bands * 4));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-big-'));
  try {
    const hdr = path.join(dir, 'big.hdr');
    const t0 = Date.now();
    writeBigBsq(hdr, lines, samples, bands);
    const genS = (Date.now() - t0) / 1000;
    const rssBefore = peakRssMb();
    const linesPerChunk = Math.max(1, Math.floor((16 * 1024 ** 2) / (samples * bands * 8)));
    const r = EnviReader.open(hdr);
    const t1 = Date.now();
    let model;
    try {
      model = pcaStream(() => (function* () { for (const c of r.chunks(linesPerChunk)) yield c.cube; })(), bands, 10, { signs: 'max-loading' });
    } finally {
      r.close();
    }
    const pcaS = (Date.now() - t1) / 1000;
    const size = (lines * samples * bands * 4) / 1024 ** 3;
    printTable(
      `Chunked PCA of a BSQ cube on disk (${FULL ? 'BENCH_FULL' : SMOKE ? 'smoke size' : 'default size; BENCH_FULL=1 for 2 GB'})`,
      ['cube', 'file GB', 'chunk', 'generate s', 'PCA s (1 pass)', 'peak RSS MB (child process)', 'RSS before PCA MB', 'first 3 PCs variance'],
      [[`${lines}×${samples}×${bands} f32`, size.toFixed(2), `${linesPerChunk} lines`, genS, pcaS, peakRssMb(), rssBefore, (model.explainedVarianceRatio[0] + model.explainedVarianceRatio[1] + model.explainedVarianceRatio[2]).toFixed(4)]],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs {@link bigCube} in a child process so its peak RSS (VmHWM) is the chunked PCA's own, not the
 * in-memory benchmarks' that ran before it in this process.
 */
function bigCubeInChild(): void {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--big-only'], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error(`bench/spectral: the big-cube child process failed (status ${r.status})`);
}

export async function main(): Promise<void> {
  if (process.argv.includes('--big-only')) {
    bigCube();
    return;
  }
  pcaTable();
  enviTable();
  bigCubeInChild();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
