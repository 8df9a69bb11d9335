/**
 * bench/constrained: a 32 → 32 conservation-constrained least-squares fit on 1e6 samples against
 * this package's unconstrained fitLeastSquares in the same run (issue 7 target: ≤ 2×), plus a
 * general-form fit (forbidden pathways), and numpy's Gram + projection solve as the same-run anchor.
 * SMOKE (BENCH_SMOKE=1): 8 → 8 on 2e4 samples.
 */
import { Multichannel } from '../src/core/multichannel.js';
import { Rng } from '../src/core/random.js';
import { fitLeastSquares } from '../src/train/leastsq.js';
import { fitConstrainedMixer } from '../src/constrained/fit.js';
import { forbiddenPathways, totalConservation, weightedConservation } from '../src/constrained/constraints.js';
import { SMOKE, medianMs, printTable, pythonHas, runPython, printCeilings } from './lib.js';

export async function main(): Promise<void> {
  await printCeilings();
  const C = SMOKE ? 8 : 32;
  const T = SMOKE ? 20_000 : 1_000_000;
  const runs = 5;
  const rng = new Rng(7);
  const x = new Multichannel(rng.array(C * T), C, T);
  const Wtrue = rng.normals(C * C);
  const y = new Float64Array(C * T);
  for (let o = 0; o < C; o++) {
    const yo = y.subarray(o * T, (o + 1) * T);
    for (let i = 0; i < C; i++) {
      const w = Wtrue[o * C + i];
      const xi = x.data.subarray(i * T, (i + 1) * T);
      for (let t = 0; t < T; t++) yo[t] += w * xi[t];
    }
    for (let t = 0; t < T; t++) yo[t] += 0.1 * rng.normal();
  }
  const ym = new Multichannel(y, C, T);
  const mass = rng.array(C, 1, 2);
  const laws = totalConservation(C).and(weightedConservation(mass, mass, { name: 'mass' }));
  const pathways = laws.and(forbiddenPathways(C, C, [[0, 1], [1, 0], [2, 3], [3, 2]]));

  const rows: (string | number)[][] = [];
  const tLs = medianMs(() => fitLeastSquares(x, ym, { bias: true }).weights, runs);
  rows.push([`${C}→${C}, T=${T}`, 'fitLeastSquares (unconstrained, package)', tLs, 1]);
  let violation = 0;
  const tCon = medianMs(() => {
    const f = fitConstrainedMixer(x, ym, laws, { bias: true });
    violation = f.violation;
    return f.weights;
  }, runs);
  rows.push([`${C}→${C}, T=${T}`, 'fitConstrainedMixer, 2 laws (projection)', tCon, tCon / tLs]);
  let violation2 = 0;
  const tGen = medianMs(() => {
    const f = fitConstrainedMixer(x, ym, pathways, { bias: true });
    violation2 = f.violation;
    return f.weights;
  }, runs);
  rows.push([`${C}→${C}, T=${T}`, 'fitConstrainedMixer, 2 laws + 4 forbidden (range-space KKT)', tGen, tGen / tLs]);

  if (pythonHas('numpy')) {
    const r = runPython(
      [
        `C, T = ${C}, ${T}`,
        "X = load('x').reshape(C, T); Y = load('y').reshape(C, T); m = load('m')",
        'A = np.vstack([np.ones(C), m]); B = A.copy()',
        'def fit():',
        '    G = X @ X.T; S = Y @ X.T',
        '    W = np.linalg.solve(G, S.T).T',
        '    return W - A.T @ np.linalg.solve(A @ A.T, A @ W - B)',
        'def lstsq():',
        '    return np.linalg.lstsq(X.T, Y.T, rcond=None)[0].T',
        'print(json.dumps({"gram": median_ms(fit), "lstsq": median_ms(lstsq, 3)}))',
      ].join('\n'),
      { x: x.data, y, m: mass },
    );
    if (r) {
      rows.push([`${C}→${C}, T=${T}`, 'numpy Gram + projection (anchor, no bias)', r.gram, r.gram / tLs]);
      rows.push([`${C}→${C}, T=${T}`, 'numpy lstsq unconstrained (anchor)', r.lstsq, r.lstsq / tLs]);
    }
  }
  printTable(`constrained fit (ratio to the package's fitLeastSquares in the same run; target ≤ 2)`, ['case', 'method', 'median ms', 'ratio'], rows);
  console.log(`violation ‖A W − B‖∞: laws ${violation.toExponential(2)}, laws + forbidden ${violation2.toExponential(2)}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
