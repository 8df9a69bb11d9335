/**
 * Inequality-constrained mixing: column-stochastic mixers (mass routed, never created) and fully
 * constrained abundances (non-negative, summing to one).
 * @module
 */
import { ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { assertAllFinite, assertInteger, assertPositive } from '../core/validate.js';
import { PointwiseMixer } from '../mixing/mixer.js';
import { readMatrix, type MatrixInput } from './constraints.js';
import { gramStats } from '../linalg/products.js';

/**
 * Euclidean projection of `v` onto the simplex {a ≥ 0, Σ a = total} (sort-based, Held–Wolfe–Crowder /
 * Duchi et al. 2008), O(n log n). Writes into `out` (may be `v`) and returns it.
 * @throws ValueError for total ≤ 0.
 */
export function projectToSimplex(v: ArrayLike<number>, total = 1, out: Float64Array = new Float64Array(v.length)): Float64Array {
  assertPositive('projectToSimplex', 'total', total);
  const n = v.length;
  const u = Float64Array.from(v).sort().reverse();
  let css = 0, theta = 0;
  for (let k = 0; k < n; k++) {
    css += u[k];
    const t = (css - total) / (k + 1);
    if (u[k] - t > 0) theta = t;
  }
  for (let i = 0; i < n; i++) out[i] = Math.max(v[i] - theta, 0);
  return out;
}

/** Projects every column of W (Cout × Cin row-major, in place) onto the probability simplex. */
function projectColumns(W: Float64Array, cout: number, cin: number, col: Float64Array): void {
  for (let i = 0; i < cin; i++) {
    for (let o = 0; o < cout; o++) col[o] = W[o * cin + i];
    projectToSimplex(col, 1, col);
    for (let o = 0; o < cout; o++) W[o * cin + i] = col[o];
  }
}

/** Options of {@link fitColumnStochasticMixer}. */
export interface StochasticFitOptions {
  /** Iteration cap of the accelerated projected gradient (default 5000). */
  maxIterations?: number;
  /** Stop when the largest change of an entry of W in one step is below this (default 1e-12). */
  tolerance?: number;
  /** Ridge λ ≥ 0 on ‖W‖²_F (default 0). */
  ridge?: number;
}

/** Result of {@link fitColumnStochasticMixer}. */
export interface StochasticFit {
  mixer: PointwiseMixer;
  /** Cout × Cin row-major, every entry ≥ 0 and every column summing to 1. */
  weights: Float64Array;
  outChannels: number;
  inChannels: number;
  /** ‖W x − y‖_F (from the Gram matrices). */
  residual: number;
  /** max_i |Σ_o W[o, i] − 1|. */
  columnSumError: number;
  /** Smallest entry of W (≥ 0). */
  minEntry: number;
  iterations: number;
  converged: boolean;
}

/**
 * Fits a column-stochastic mixer — `W ≥ 0` and `1ᵀW = 1ᵀ`, so each input's mass is routed to the
 * outputs and never created or destroyed (MC-LSTM's redistribution matrix) — by least squares:
 * `min ‖W x − y‖²_F + λ‖W‖²_F`. No bias (a bias would create mass).
 *
 * Method: one pass for the Gram matrices, then FISTA (accelerated projected gradient, step 1/L with
 * L = 2λmax(X Xᵀ + λI) from power iteration) with the exact Euclidean projection of every column
 * onto the probability simplex after each step, so every iterate is exactly feasible (non-negative;
 * column sums 1 to rounding). Convex problem: converges to the global optimum.
 * Complexity O((Cin + Cout)·Cin·T) + O(iterations · Cout·Cin²).
 * @param x `[Cin, T]`; @param y `[Cout, T]`.
 * @example const fit = fitColumnStochasticMixer(fractionsIn, fractionsOut); // outputs stay fractions
 * @throws ShapeError for different lengths or empty input; ValueError for non-finite data or bad options.
 */
export function fitColumnStochasticMixer(x: Multichannel, y: Multichannel, options: StochasticFitOptions = {}): StochasticFit {
  const fn = 'fitColumnStochasticMixer';
  assertMultichannel(fn, 'x', x);
  assertMultichannel(fn, 'y', y);
  if (x.length === 0) throw new ShapeError(message(fn, 'x must not be empty', x));
  if (y.length !== x.length) throw new ShapeError(message(fn, `y must have as many samples as x (${x.length})`, y.length));
  assertAllFinite(fn, 'x', x.data);
  assertAllFinite(fn, 'y', y.data);
  const maxIt = options.maxIterations ?? 5000;
  assertInteger(fn, 'options.maxIterations', maxIt, 1);
  const tol = options.tolerance ?? 1e-12;
  assertPositive(fn, 'options.tolerance', tol);
  const ridge = options.ridge ?? 0;
  assertPositive(fn, 'options.ridge', ridge, true);
  const cin = x.channels, cout = y.channels;
  const st = gramStats(x.data, cin, y.data, cout, x.length);
  const G = st.xx.slice();
  for (let i = 0; i < cin; i++) G[i * cin + i] += ridge;
  // Power iteration for λmax(G).
  let v = new Float64Array(cin).fill(1 / Math.sqrt(cin));
  let lmax = 0;
  for (let it = 0; it < 200; it++) {
    const w = new Float64Array(cin);
    for (let i = 0; i < cin; i++) for (let j = 0; j < cin; j++) w[i] += G[i * cin + j] * v[j];
    let nrm = 0;
    for (let i = 0; i < cin; i++) nrm += w[i] * w[i];
    nrm = Math.sqrt(nrm);
    if (nrm === 0) break;
    const prev = lmax;
    lmax = nrm;
    v = w.map((e) => e / nrm);
    if (Math.abs(lmax - prev) <= 1e-10 * lmax) break;
  }
  const step = lmax > 0 ? 1 / (2 * lmax * 1.01) : 1;
  const col = new Float64Array(cout);
  let W = new Float64Array(cout * cin).fill(1 / cout);
  let Yk = W.slice();
  let tk = 1;
  let it = 0, converged = false, plain = true;
  const grad = new Float64Array(cout * cin);
  for (; it < maxIt; it++) {
    // grad = 2 (Yk G − S)
    for (let o = 0; o < cout; o++) for (let j = 0; j < cin; j++) {
      let s = -st.yx[o * cin + j];
      for (let i = 0; i < cin; i++) s += Yk[o * cin + i] * G[i * cin + j];
      grad[o * cin + j] = 2 * s;
    }
    const Wn = new Float64Array(cout * cin);
    for (let k = 0; k < Wn.length; k++) Wn[k] = Yk[k] - step * grad[k];
    projectColumns(Wn, cout, cin, col);
    let change = 0;
    for (let k = 0; k < Wn.length; k++) change = Math.max(change, Math.abs(Wn[k] - W[k]));
    if (change <= tol) {
      // Momentum can pin an iterate on a face without convergence: restart, and stop only when a
      // plain projected-gradient step does not move.
      if (plain) {
        converged = true;
        it++;
        break;
      }
      Yk = W.slice();
      tk = 1;
      plain = true;
      continue;
    }
    const tn = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
    const beta = (tk - 1) / tn;
    Yk = new Float64Array(cout * cin);
    for (let k = 0; k < Wn.length; k++) Yk[k] = Wn[k] + beta * (Wn[k] - W[k]);
    W = Wn;
    tk = tn;
    plain = beta === 0;
  }
  let quad = 0, cross = 0;
  for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) {
    cross += W[o * cin + i] * st.yx[o * cin + i];
    let s = 0;
    for (let j = 0; j < cin; j++) s += st.xx[i * cin + j] * W[o * cin + j];
    quad += W[o * cin + i] * s;
  }
  let colErr = 0, minEntry = Infinity;
  for (let i = 0; i < cin; i++) {
    let s = 0;
    for (let o = 0; o < cout; o++) {
      s += W[o * cin + i];
      minEntry = Math.min(minEntry, W[o * cin + i]);
    }
    colErr = Math.max(colErr, Math.abs(s - 1));
  }
  return {
    mixer: new PointwiseMixer(W, cout, cin), weights: W, outChannels: cout, inChannels: cin,
    residual: Math.sqrt(Math.max(0, st.yy - 2 * cross + quad)), columnSumError: colErr, minEntry, iterations: it, converged,
  };
}

/** Options of {@link fullyConstrainedAbundances}. */
export interface AbundanceOptions {
  /** Iteration cap per pixel (default 2000). */
  maxIterations?: number;
  /** Stop when no abundance changes by more than this in one step (default 1e-10). */
  tolerance?: number;
}

/**
 * Fully constrained least-squares unmixing (FCLS), pixel by pixel: for each sample `y_t` (bands),
 * `min_a ‖E a − y_t‖²` subject to `a ≥ 0` and `Σ a = 1`, with E the endmember spectra
 * (bands × endmembers). Solved by accelerated projected gradient on the k-dimensional simplex using
 * EᵀE (k × k) and Eᵀy_t, exact simplex projection each step — every returned pixel is non-negative
 * and sums to one to rounding. This is a per-pixel optimisation (non-linear in y); for a *linear*
 * 1×1 map whose outputs sum to one exactly, fit with {@link outputSum} constraints instead.
 *
 * @param y `[bands, pixels]`; @param endmembers bands × k (nested rows or `{data, rows, cols}`).
 * @returns `[k, pixels]` abundances (shape kept).
 * @throws ShapeError when the endmember rows differ from the band count; ValueError for non-finite data.
 * Complexity O(bands·k·pixels + iterations·k²·pixels).
 */
export function fullyConstrainedAbundances(y: Multichannel, endmembers: MatrixInput, options: AbundanceOptions = {}): Multichannel {
  const fn = 'fullyConstrainedAbundances';
  assertMultichannel(fn, 'y', y);
  const E = readMatrix(fn, 'endmembers', endmembers);
  if (E.rows !== y.channels) throw new ShapeError(message(fn, `endmembers must have one row per band (${y.channels})`, E.rows));
  assertAllFinite(fn, 'y', y.data);
  const maxIt = options.maxIterations ?? 2000;
  assertInteger(fn, 'options.maxIterations', maxIt, 1);
  const tol = options.tolerance ?? 1e-10;
  assertPositive(fn, 'options.tolerance', tol);
  const bands = y.channels, k = E.cols, T = y.length;
  // EᵀE and Eᵀ Y.
  const EtE = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    let s = 0;
    for (let r = 0; r < bands; r++) s += E.data[r * k + a] * E.data[r * k + b];
    EtE[a * k + b] = s;
  }
  let lmax = 0;
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += Math.abs(EtE[a * k + b]);
    lmax = Math.max(lmax, s); // Gershgorin bound ≥ λmax
  }
  if (!(lmax > 0)) throw new ValueError(message(fn, 'endmembers must not be all zero', 'a zero matrix'));
  const step = 1 / lmax;
  const EtY = new Float64Array(k * T);
  for (let a = 0; a < k; a++) {
    for (let r = 0; r < bands; r++) {
      const e = E.data[r * k + a];
      if (e === 0) continue;
      const yo = r * T;
      for (let t = 0; t < T; t++) EtY[a * T + t] += e * y.data[yo + t];
    }
  }
  const out = new Float64Array(k * T);
  const a = new Float64Array(k), an = new Float64Array(k), z = new Float64Array(k), g = new Float64Array(k);
  for (let t = 0; t < T; t++) {
    a.fill(1 / k);
    z.set(a);
    let tk = 1;
    let plain = true;
    for (let it = 0; it < maxIt; it++) {
      for (let i = 0; i < k; i++) {
        let s = -EtY[i * T + t];
        for (let j = 0; j < k; j++) s += EtE[i * k + j] * z[j];
        g[i] = z[i] - step * s;
      }
      projectToSimplex(g, 1, an);
      let change = 0;
      for (let i = 0; i < k; i++) change = Math.max(change, Math.abs(an[i] - a[i]));
      if (change <= tol) {
        // A step from the extrapolated point can land on the same vertex without convergence:
        // restart the momentum and stop only when a plain projected-gradient step does not move.
        if (plain) break;
        z.set(a);
        tk = 1;
        plain = true;
        continue;
      }
      const tn = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
      const beta = (tk - 1) / tn;
      for (let i = 0; i < k; i++) {
        z[i] = an[i] + beta * (an[i] - a[i]);
        a[i] = an[i];
      }
      tk = tn;
      plain = beta === 0;
    }
    for (let i = 0; i < k; i++) out[i * T + t] = a[i];
  }
  return new Multichannel(out, k, T, y.shape ? { shape: y.shape } : {});
}
