/**
 * bench/spectral: PCA of a pixels × bands cube against SPy's `principal_components` (Debian's
 * python3-spectral), numpy `cov` + `eigh` and scikit-learn `PCA(svd_solver='full')`, all on the same
 * inputs in the same run (numpy with its default threads and with one; the faster counts), and
 * ml-pca. Targets (issue 22): 21025×200 (k=10) and 207400×103 (k=30) within 1.5× of SPy; the rows
 * also give the ratio to the fastest anchor. Then ENVI BSQ read throughput; a large BSQ cube through the chunked PCA
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
import { pca, pcaStream } from '../src/spectral/pca.js';
import { writeEnvi, readEnvi, EnviReader } from '../src/spectral/envi.js';
import { syntheticCube } from '../src/spectral/synthetic.js';
import { CovarianceAccumulator, accumulateParallel } from '../src/spectral/covariance.js';
import { AtomicWriter } from '../src/io/atomic.js';
import { Rng } from '../src/core/random.js';
import { sharedCopy } from '../src/core/shared.js';
import { CALLS, SMOKE, TARGET_HEADER, ceilings, flopsNote, fmt, measure, medianMs, mm, printCeilings, printTable, pythonHas, peakRssMb, runAnchors, targetRow, type Ceilings } from './lib.js';

const FULL = process.env.BENCH_FULL === '1';

/** A realistic cube: a 6-endmember linear mixture plus noise, `bands × (rows·cols)`. */
function cube(rows: number, cols: number, bands: number, seed: number): Multichannel {
  return syntheticCube({ shape: [rows, cols], bands, endmembers: 6, noise: 0.01, seed }).cube;
}

/**
 * The PCA anchors in one Python process (run twice, default threads and one BLAS thread; the
 * faster of each counts): SPy's `principal_components` (covariance and `eig` of the `rows × cols ×
 * bands` image), numpy `cov` + `eigh`, and scikit-learn `PCA(svd_solver='full')`.
 */
const PCA_PY = `
rows, cols, B, k = [int(v) for v in load('shape')]
X = load('x').reshape(rows * cols, B)
img = X.reshape(rows, cols, B)
def np_pca():
    w, V = np.linalg.eigh(np.cov(X, rowvar=False))
    return w[::-1][:k], V[:, ::-1][:, :k]
try:
    import spectral
    T['spy'] = measure(lambda: spectral.principal_components(img).reduce(num=k))
    V['spy_ev0'] = float(spectral.principal_components(img).eigenvalues[0])
except ImportError:
    pass
T['numpy'] = measure(np_pca)
V['np_ev0'] = float(np_pca()[0][0]); V['np_evk'] = float(np_pca()[0][k - 1])
if SKLEARN:
    from sklearn.decomposition import PCA
    T['sklearn'] = measure(lambda: PCA(n_components=k, svd_solver='full').fit(X))
`;

/** [rows, cols, bands, k] */
const PCA_CASES: [number, number, number, number][] = SMOKE
  ? [[40, 50, 40, 5], [80, 50, 20, 8]]
  : [[145, 145, 200, 10], [610, 340, 103, 30]];

async function pcaTable(): Promise<void> {
  const c = await ceilings();
  const targets: string[][] = [];
  const rows: (string | number)[][] = [];
  let first = true;
  for (const [R, Cc, B, k] of PCA_CASES) {
    const N = R * Cc;
    const x = cube(R, Cc, B, 1);
    // pixels × bands, row-major, for Python and ml-pca
    const pxb = new Float64Array(N * B);
    for (let b = 0; b < B; b++) for (let p = 0; p < N; p++) pxb[p * B + b] = x.data[b * N + p];
    // scikit-learn's full SVD takes seconds at 207400 × 103: timed at the first shape only
    const py = pythonHas('numpy') ? runAnchors(`SKLEARN = ${first && pythonHas('sklearn') ? 'True' : 'False'}\n` + PCA_PY, { x: pxb, shape: Float64Array.of(R, Cc, B, k) }) : null;
    const name = `${N}×${B} (${R}×${Cc} pixels), k=${k}`;
    const ours = measure(() => pca(x, k));
    const oursNoSign = measure(() => pca(x, k, { signs: 'max-loading' }));
    const anchors = (['spy', 'numpy', 'sklearn'] as const).filter((a) => py?.times[a]);
    const label: Record<string, string> = { spy: 'SPy principal_components', numpy: 'numpy cov + eigh', sklearn: "scikit-learn PCA(svd_solver='full')" };
    const spy = py?.times.spy;
    const best = anchors.length ? anchors.reduce((a, b) => (py!.times[a].median <= py!.times[b].median ? a : b)) : undefined;
    // The covariance dominates: syrk forms B(B+1)/2 · N multiply-adds, about B² · N flops.
    const flops = B * B * N;
    const limit = `${flopsNote(flops, ours.median, c)}; the ${fmt((8 * N * B) / 1e6)} MB cube read once is ${fmt((8 * N * B) / 1e6 / c.triadGBs[0])} ms at the measured bandwidth`;
    targets.push(
      targetRow({
        id: `spectral pca ${N}×${B} k=${k} vs SPy`,
        workload: `pca ${name}`,
        ours,
        anchor: spy ? { name: `SPy principal_components (${spy.threads})`, stats: spy } : null,
        goal: { metric: 'time / SPy', value: spy ? ours.median / spy.median : NaN, op: '<=', bound: 1.5 },
        limit,
      }),
    );
    if (best && best !== 'spy') {
      const b = py!.times[best];
      targets.push(
        targetRow({
          id: `spectral pca ${N}×${B} k=${k} vs best anchor`,
          workload: `pca ${name} (against the fastest anchor, ${label[best]})`,
          ours,
          anchor: { name: `${label[best]} (${b.threads})`, stats: b },
          goal: { metric: 'time / best anchor', value: ours.median / b.median, op: '<=', bound: 1.5 },
          limit,
        }),
      );
    }
    rows.push([name, 'pointwise pca (sklearn signs)', mm(ours), spy ? ours.median / spy.median : '—']);
    rows.push([name, "pointwise pca (signs 'max-loading', no score pass)", mm(oursNoSign), spy ? oursNoSign.median / spy.median : '—']);
    if (first) {
      const sub = measure(() => pca(x, k, { solver: 'subspace' }));
      const two = measure(() => pca(x, k, { threads: 2 }));
      rows.push([name, 'pointwise pca (subspace solver)', mm(sub), spy ? sub.median / spy.median : '—']);
      rows.push([name, `pointwise pca, covariance on 2 threads (${(ours.median / two.median).toFixed(2)}× vs 1; ceiling ${(c.simdGflops[1] / c.simdGflops[0]).toFixed(2)}×)`, mm(two), spy ? two.median / spy.median : '—']);
    }
    for (const a of anchors) rows.push([name, `${label[a]} (${py!.times[a].threads})`, mm(py!.times[a]), spy ? py!.times[a].median / spy.median : '—']);
    if (py?.values.np_ev0) {
      const m = pca(x, k);
      const rel = Math.abs(m.explainedVariance[0] - py.values.np_ev0) / py.values.np_ev0;
      const relK = Math.abs(m.explainedVariance[k - 1] - py.values.np_evk) / py.values.np_evk;
      rows.push([name, `accuracy: explained variance vs numpy eigh, relative: first ${rel.toExponential(1)}, k-th ${relK.toExponential(1)}`, '', '']);
    }
    if (first) {
      // ml-pca takes ~10 s at full size here: one timed call after no warm-up (stated in the row)
      const rowsArr: number[][] = [];
      for (let p = 0; p < N; p++) rowsArr.push(Array.from(pxb.subarray(p * B, (p + 1) * B)));
      const m = new Matrix(rowsArr);
      const ml = measure(() => new MlPca(m, { method: 'SVD', center: true, scale: false }), { calls: SMOKE ? 3 : 1, warmup: 0 });
      rows.push([name, `ml-pca 4 (SVD; ${SMOKE ? '3 calls' : '1 call'}; ${fmt(ml.median / ours.median)}× pointwise's time)`, mm(ml), spy ? ml.median / spy.median : '—']);
      covarianceRows(x, rows, c);
    }
    first = false;
  }
  printTable(`PCA targets${SMOKE ? ' (smoke size: the targets do not apply)' : ''}: median / min of ${CALLS} calls`, TARGET_HEADER, targets);
  printTable(`PCA of a pixels × bands cube (median / min ms of ${CALLS} calls; ratio of medians to SPy in this run)`, ['case', 'method', 'median / min ms', '× SPy'], rows);
}

/** The covariance accumulation alone: one thread (acc.add) vs two (accumulateParallel: this thread + 1 worker). */
function covarianceRows(x: Multichannel, rows: (string | number)[][], c: Ceilings): void {
  const B = x.channels;
  const name = `${x.length}×${B}`;
  const same = (a: CovarianceAccumulator, b: CovarianceAccumulator) => a.count === b.count && a.gram.every((v, i) => v === b.gram[i]) && a.sum.every((v, i) => v === b.sum[i]);
  const one = new CovarianceAccumulator(B).add(x);
  const add = measure(() => new CovarianceAccumulator(B).add(x).count);
  const two = () => {
    const acc = new CovarianceAccumulator(B);
    accumulateParallel(acc, x, 2);
    return acc;
  };
  const par = measure(() => two().count);
  const xs = new Multichannel(sharedCopy(x.data), B, x.length);
  const twoShared = () => {
    const acc = new CovarianceAccumulator(B);
    accumulateParallel(acc, xs, 2);
    return acc;
  };
  const shared = measure(() => twoShared().count);
  const ceiling = (c.simdGflops[1] / c.simdGflops[0]).toFixed(2);
  rows.push([name, `covariance alone, 1 thread (CovarianceAccumulator.add): ${flopsNote(B * B * x.length, add.median, c)}`, mm(add), '']);
  rows.push([name, `covariance alone, 2 threads (accumulateParallel): ${(add.median / par.median).toFixed(2)}× vs 1 thread (machine ceiling ${ceiling}×); ${same(two(), one) ? 'bit-identical' : 'DIFFERS'}`, mm(par), '']);
  rows.push([name, `covariance alone, 2 threads, cube on a SharedArrayBuffer: ${(add.median / shared.median).toFixed(2)}× vs 1 thread; ${same(twoShared(), one) ? 'bit-identical' : 'DIFFERS'}`, mm(shared), '']);
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
  await printCeilings();
  await pcaTable();
  enviTable();
  bigCubeInChild();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
