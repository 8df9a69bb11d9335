/**
 * bench/detect: RX anomaly detection of a Pavia-University-size cube (610 × 340 pixels × 103 bands,
 * synthetic) against Spectral Python's `rx` and a plain numpy implementation (cov, inv, einsum) on
 * the same cube in the same run; also the matched filter, ACE and MNF at the same size. BENCH_SMOKE=1:
 * 60 × 40 × 20.
 *
 * Run: `flock /tmp/bench.lock npx tsx bench/detect.ts`.
 */
import { syntheticCube } from '../src/spectral/synthetic.js';
import { rx, matchedFilter, ace } from '../src/spectral/detect.js';
import { mnf } from '../src/spectral/mnf.js';
import { SMOKE, medianMs, printTable, runPython, pythonHas, printCeilings } from './lib.js';

export async function main(): Promise<void> {
  await printCeilings();
  const [R, C, B] = SMOKE ? [60, 40, 20] : [610, 340, 103];
  const N = R * C;
  const { cube, endmembers } = syntheticCube({ shape: [R, C], bands: B, endmembers: 6, noise: 0.01, seed: 5 });
  const target = Array.from(endmembers.data.subarray(0, B));
  // pixels × bands (row-major) for Python: reshaped there to (rows, cols, bands) as SPy expects
  const pxb = new Float64Array(N * B);
  for (let b = 0; b < B; b++) for (let p = 0; p < N; p++) pxb[p * B + b] = cube.data[b * N + p];
  const runs = SMOKE ? 3 : 5;
  const py = pythonHas('spectral')
    ? runPython(
        [
          'import spectral',
          "if 'bool' not in np.__dict__: np.bool = bool",
          `X = load('x').reshape(${R}, ${C}, ${B})`,
          `t = load('t')`,
          'def np_rx(X):',
          `    Y = X.reshape(-1, ${B})`,
          '    mu = Y.mean(axis=0)',
          '    Yc = Y - mu',
          '    Ci = np.linalg.inv(np.cov(Yc, rowvar=False))',
          "    return np.einsum('ij,ij->i', Yc @ Ci, Yc)",
          'out = {}',
          `out['spy'] = median_ms(lambda: spectral.rx(X), ${runs})`,
          `out['numpy'] = median_ms(lambda: np_rx(X), ${runs})`,
          `out['spyMf'] = median_ms(lambda: spectral.matched_filter(X, t), ${runs})`,
          `out['spyAce'] = median_ms(lambda: spectral.ace(X, t), ${runs})`,
          `out['spyMnf'] = median_ms(lambda: spectral.mnf(spectral.calc_stats(X), spectral.noise_from_diffs(X)), ${runs})`,
          'r = spectral.rx(X).ravel()',
          "out['r0'] = float(r[0]); out['rMid'] = float(r[len(r) // 2]); out['rMax'] = float(r.max())",
          'print(json.dumps(out))',
        ].join('\n'),
        { x: pxb, t: Float64Array.from(target) },
      )
    : null;
  const ms = medianMs(() => rx(cube), runs, 1);
  const msMf = medianMs(() => matchedFilter(cube, target), runs, 1);
  const msAce = medianMs(() => ace(cube, target), runs, 1);
  const msMnf = medianMs(() => mnf(cube), runs, 1);
  const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : 'n/a');
  const size = `${R}×${C}×${B}`;
  const rows: (string | number)[][] = [
    [size, 'pointwise rx (covariance + Σ^{-1/2} mix, blocks of 4096 pixels)', ms, ratio(ms, py?.spy), ratio(ms, py?.numpy)],
    [size, 'Spectral Python rx', py?.spy ?? NaN, '1', ratio(py?.spy ?? NaN, py?.numpy)],
    [size, 'numpy: cov, inv, einsum', py?.numpy ?? NaN, ratio(py?.numpy ?? NaN, py?.spy), '1'],
    [size, 'pointwise matchedFilter', msMf, ratio(msMf, py?.spyMf), ''],
    [size, 'Spectral Python matched_filter', py?.spyMf ?? NaN, '1', ''],
    [size, 'pointwise ace (one target)', msAce, ratio(msAce, py?.spyAce), ''],
    [size, 'Spectral Python ace', py?.spyAce ?? NaN, '1', ''],
    [size, 'pointwise mnf (noise from diffs)', msMnf, ratio(msMnf, py?.spyMnf), ''],
    [size, 'Spectral Python mnf(calc_stats, noise_from_diffs)', py?.spyMnf ?? NaN, '1', ''],
  ];
  if (py) {
    const r = rx(cube).data;
    let mx = -Infinity;
    for (const v of r) mx = Math.max(mx, v);
    const rel = Math.max(Math.abs(r[0] - py.r0) / py.r0, Math.abs(r[N >> 1] - py.rMid) / py.rMid, Math.abs(mx - py.rMax) / py.rMax);
    rows.push(['accuracy', 'rx vs SPy (first, middle, largest score; relative)', NaN, rel.toExponential(1), '']);
  }
  printTable(`Detection on a ${size} cube (median ms of ${runs} runs; ratios measured in this run)`, ['case', 'method', 'median ms', 'ratio to SPy', 'ratio to numpy'], rows);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
