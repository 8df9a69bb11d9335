/**
 * A reaction-network mixer that conserves atoms. Synthetic species concentrations (CH4, O2, CO2,
 * H2O) pass through one step of methane combustion, CH4 + 2 O2 → CO2 + 2 H2O, whose extent is
 * first-order in CH4 — a linear map y = W_true x that conserves C, H and O. The measured outputs
 * carry sensor noise that does not. We learn W from (x, y) pairs:
 * - unconstrained least squares: fits the noise, creates and destroys atoms;
 * - constrained fit with the element laws written as equations (parsed with mathjs): every sample
 *   conserves C, H and O to rounding level, and W is closer to the truth;
 * - a trainable ConstrainedMixer under Adam: the laws hold at every one of its steps.
 *
 * Imports `pointwise` by name, which resolves to the build in dist/: run `npm run build` once first.
 * Run: npx tsx examples/constrained-reaction.ts
 */
import {
  Multichannel, Rng, Adam, fitLeastSquares, ConstrainedMixer, conservationReport,
  fitConstrainedMixer, parseConservationLaws,
} from 'pointwise';

const SPECIES = ['CH4', 'O2', 'CO2', 'H2O'];
const LAWS = ['C: CH4 + CO2 = const', 'H: 4*CH4 + 2*H2O = const', 'O: 2*O2 + 2*CO2 + H2O = const'];

function main(): void {
  const rng = new Rng(2024);
  const T = 2000;
  // Inlet concentrations (mol/L): CH4 0–1, O2 1–3, some CO2 and H2O already present.
  const x = new Float64Array(4 * T);
  for (let t = 0; t < T; t++) {
    x[t] = rng.uniform(0, 1);
    x[T + t] = rng.uniform(1, 3);
    x[2 * T + t] = rng.uniform(0, 0.5);
    x[3 * T + t] = rng.uniform(0, 0.5);
  }
  const xm = new Multichannel(x, 4, T, { labels: SPECIES });
  // True step: 60 % of the CH4 reacts. Column CH4 of W: CH4 → 0.4 CH4 − 1.2 O2 + 0.6 CO2 + 1.2 H2O.
  const k = 0.6, nu = [-1, -2, 1, 2];
  const Wtrue = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  nu.forEach((v, o) => (Wtrue[o * 4 + 0] += k * v));
  const y = new Float64Array(4 * T);
  for (let o = 0; o < 4; o++) for (let t = 0; t < T; t++) {
    let s = 0.02 * rng.normal(); // sensor noise, 0.02 mol/L
    for (let i = 0; i < 4; i++) s += Wtrue[o * 4 + i] * x[i * T + t];
    y[o * T + t] = s;
  }
  const ym = new Multichannel(y, 4, T, { labels: SPECIES });

  const laws = parseConservationLaws(LAWS, SPECIES);
  console.log(`Laws: ${LAWS.join('; ')}\n→ ${laws.toString()}`);
  console.log(`A = B = ${JSON.stringify(Array.from({ length: 3 }, (_, r) => Array.from(laws.A.subarray(r * 4, r * 4 + 4))))}\n`);

  const free = fitLeastSquares(xm, ym, { bias: false });
  const con = fitConstrainedMixer(xm, ym, laws, { bias: false });
  const werr = (W: Float64Array): number => Math.sqrt(W.reduce((s, v, j) => s + (v - Wtrue[j]) ** 2, 0));
  const freeRep = conservationReport({ weights: free.weights, outChannels: 4, inChannels: 4 }, xm, laws);
  const conRep = conservationReport(con.mixer, xm, laws);
  console.log('| fit | ‖W − W_true‖_F | residual ‖Wx − y‖_F | worst C drift (rel) | worst H drift (rel) | worst O drift (rel) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const row = (name: string, W: Float64Array, res: number, rep: typeof conRep): void =>
    console.log(`| ${name} | ${werr(W).toExponential(3)} | ${res.toFixed(4)} | ${rep.quantities.map((q) => `${q.maxAbsolute.toExponential(2)} (${q.maxRelative.toExponential(2)})`).join(' | ')} |`);
  row('unconstrained least squares', free.weights, Math.sqrt(free.residual * 4 * T), freeRep);
  row('constrained (element laws)', con.weights, con.residual, conRep);

  // The same laws in a trainable mixer: W = W₀ + N z, trained by Adam on the MSE.
  const m = new ConstrainedMixer(laws, { seed: 1, bias: false });
  let worst = 0;
  const opt = new Adam({ learningRate: 0.05 });
  const steps = 1000;
  for (let s = 0; s < steps; s++) {
    const pred = m.forward(xm);
    const d = new Float64Array(pred.data.length);
    for (let j = 0; j < d.length; j++) d[j] = (2 * (pred.data[j] - y[j])) / d.length;
    m.step(opt, xm, new Multichannel(d, 4, T));
    worst = Math.max(worst, m.violation());
  }
  console.log(`\nConstrainedMixer (${m.freeParameters} free parameters: the one reaction direction × 4 inputs), ${steps} Adam steps:`);
  console.log(`  ‖W − W_true‖_F = ${werr(m.weights).toExponential(3)}; worst ‖A W − B‖∞ over all steps = ${worst.toExponential(2)}`);
  console.log(`  learned CH4 column: ${Array.from({ length: 4 }, (_, o) => m.weights[o * 4].toFixed(4)).join(', ')} (true ${nu.map((v, o) => (o === 0 ? 1 : 0) + k * v).join(', ')})`);
}

if (require.main === module) main();
