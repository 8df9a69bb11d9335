/**
 * Sediment composition under a column-stochastic mixer: fractions stay fractions.
 *
 * Data: 39 Arctic lake sediment samples, sand / silt / clay percentages (Aitchison 1986, data set 5;
 * ../shared/data/compositional/arctic_lake_sand_silt_clay.csv). As a model of transport with
 * abrasion, each sample's grains are redistributed by a column-stochastic W_true (sand → silt,
 * silt → clay; column sums 1: grains are routed between size classes, never created), and the
 * resulting compositions are measured with noise. From the 39 (before, after) pairs we learn W:
 * - fitColumnStochasticMixer: W ≥ 0 with columns summing to one (projected gradient, exact simplex
 *   projection), so any composition it maps is again a composition;
 * - unconstrained least squares: fits the noise and maps some compositions outside the simplex.
 * Both maps are then applied to the 39 samples and to extreme compositions (pure sand, silt, clay).
 *
 * Imports `pointwise` by name, which resolves to the build in dist/: run `npm run build` once first.
 * Run: npx tsx examples/constrained-sediment.ts [path/to/arctic_lake_sand_silt_clay.csv]
 * (generates 39 compositions when the file is absent).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Multichannel, Rng, fitLeastSquares, fitColumnStochasticMixer, projectToSimplex } from 'pointwise';

function readCompositions(file: string): Multichannel | null {
  if (!fs.existsSync(file)) return null;
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1);
  const rows = lines.map((l) => l.split(',').slice(1, 4).map(Number));
  const T = rows.length, x = new Float64Array(3 * T);
  rows.forEach((r, t) => {
    const s = r[0] + r[1] + r[2]; // rows sum to about 100: close them exactly
    for (let c = 0; c < 3; c++) x[c * T + t] = r[c] / s;
  });
  return new Multichannel(x, 3, T, { labels: ['sand', 'silt', 'clay'] });
}

function stats(name: string, y: Multichannel): string {
  let sumErr = 0, minFrac = Infinity, maxFrac = -Infinity;
  for (let t = 0; t < y.length; t++) {
    let s = 0;
    for (let c = 0; c < y.channels; c++) {
      const v = y.data[c * y.length + t];
      s += v;
      minFrac = Math.min(minFrac, v);
      maxFrac = Math.max(maxFrac, v);
    }
    sumErr = Math.max(sumErr, Math.abs(s - 1));
  }
  return `| ${name} | ${sumErr.toExponential(2)} | ${minFrac.toFixed(4)} | ${maxFrac.toFixed(4)} |`;
}

function main(): void {
  const file = process.argv[2] ?? path.join(process.env.POINTWISE_SHARED ?? path.resolve(__dirname, '..', '..', 'shared'), 'data', 'compositional', 'arctic_lake_sand_silt_clay.csv');
  const rng = new Rng(5);
  let x = readCompositions(file);
  if (x) {
    console.log(`Read ${x.length} samples (sand, silt, clay) from ${file}; closed to fractions.`);
  } else {
    const T = 39, d = new Float64Array(3 * T);
    for (let t = 0; t < T; t++) {
      const p = projectToSimplex(rng.array(3, 0, 1).map((v) => 1.3 * v));
      for (let c = 0; c < 3; c++) d[c * T + t] = p[c];
    }
    x = new Multichannel(d, 3, T, { labels: ['sand', 'silt', 'clay'] });
    console.log(`${file} absent: 39 generated compositions (seed 5).`);
  }
  const T = x.length;
  // Abrasion: 30 % of sand becomes silt, 5 % clay; 20 % of silt becomes clay; clay stays.
  const Wtrue = new Float64Array([0.65, 0, 0, 0.30, 0.80, 0, 0.05, 0.20, 1]);
  const y = new Float64Array(3 * T);
  for (let o = 0; o < 3; o++) for (let t = 0; t < T; t++) {
    let s = 0.01 * rng.normal();
    for (let i = 0; i < 3; i++) s += Wtrue[o * 3 + i] * x.data[i * T + t];
    y[o * T + t] = s;
  }
  const ym = new Multichannel(y, 3, T);
  const sto = fitColumnStochasticMixer(x, ym, { maxIterations: 50000 });
  const free = fitLeastSquares(x, ym, { bias: false, maxConditionNumber: Infinity });
  const fmt = (W: Float64Array): string => [0, 1, 2].map((o) => `[${[0, 1, 2].map((i) => W[o * 3 + i].toFixed(3).padStart(6)).join(' ')}]`).join(' ');
  console.log(`\nW_true            ${fmt(Wtrue)}`);
  console.log(`column-stochastic ${fmt(sto.weights)}  (converged ${sto.converged} in ${sto.iterations} iterations; column sums − 1 ≤ ${sto.columnSumError.toExponential(1)}; min entry ${sto.minEntry.toFixed(4)})`);
  console.log(`unconstrained     ${fmt(free.weights)}`);
  const err = (W: Float64Array): number => Math.sqrt(W.reduce((s, v, j) => s + (v - Wtrue[j]) ** 2, 0));
  console.log(`‖W − W_true‖_F: column-stochastic ${err(sto.weights).toFixed(4)}, unconstrained ${err(free.weights).toFixed(4)}`);

  const apply = (W: Float64Array, inp: Multichannel): Multichannel => {
    const n = inp.length, out = new Float64Array(3 * n);
    for (let o = 0; o < 3; o++) for (let i = 0; i < 3; i++) for (let t = 0; t < n; t++) out[o * n + t] += W[o * 3 + i] * inp.data[i * n + t];
    return new Multichannel(out, 3, n);
  };
  // Extreme compositions: pure sand, silt, clay and the 39 samples, repeatedly transported 5 times.
  const pure = new Multichannel(new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), 3, 3);
  console.log('\n| mapped compositions | max |Σ − 1| | min fraction | max fraction |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, inp] of [['39 samples', x], ['pure sand / silt / clay', pure]] as const) {
    let a = inp, b = inp;
    for (let k = 0; k < 5; k++) {
      a = apply(sto.weights, a);
      b = apply(free.weights, b);
    }
    console.log(stats(`${label}, 5 steps, column-stochastic`, a));
    console.log(stats(`${label}, 5 steps, unconstrained`, b));
  }
  console.log('\nThe column-stochastic W keeps every mapped composition non-negative and summing to one (to rounding);');
  console.log('the unconstrained W drifts off the simplex — mass appears or vanishes and fractions can go negative.');
}

if (require.main === module) main();
