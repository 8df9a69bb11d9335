/**
 * Symmetric and Hermitian eigendecompositions, one convention throughout: eigenvalues in
 * DESCENDING order and eigenvectors as ROWS of a row-major `vectors` array (row i ↔ value i).
 * @module
 * @internal
 */
import { NumericalError, ValueError, message } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { lazyKernel } from '../core/wasm.js';
import { WasmHouseholder } from './householder-wasm.js';

/**
 * Eigen-decomposition of a symmetric n×n matrix `a` (row-major, not modified).
 * Returns eigenvalues in DESCENDING order and eigenvectors as ROWS of `vectors` (row i ↔ value i).
 * Accuracy: backward stable, eigenvalue errors ~ n·eps·‖A‖. Cost ~ (4/3 + 9)·n³ flops.
 * @throws NumericalError when the QL iteration has not converged after 100 sweeps for one eigenvalue.
 * @example symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values // [3, 1]
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  // V holds the matrix, column-major as in JAMA (V[i][j] → v[i * n + j]); we work on a copy.
  const V = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(n, V, d, e);
  tql2(n, V, d, e);
  // tql2 sorts ascending with eigenvectors in columns of V; return descending, as rows.
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = n - 1 - k;
    values[k] = d[src];
    for (let i = 0; i < n; i++) vectors[k * n + i] = V[i * n + src];
  }
  return { values, vectors };
}

function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  const W = transposed(V, n);
  householderReduce(n, W, d, e);
  V.set(transposed(W, n));
  accumulateHouseholder(n, V, d, e);
}

/** The transpose of the n×n row-major matrix `a` (a new array). */
function transposed(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) t[c * n + r] = a[r * n + c];
  return t;
}

/**
 * The reduction of {@link tred2} (JAMA's) on `W`, the working matrix V stored transposed (entry
 * (r, c) of V at `W[c·n + r]`, so that the inner loops, which walk down V's columns, read
 * contiguous memory): Householder steps i = n−1 … 1 bring the symmetric V to tridiagonal
 * T = Qᵀ V Q. Leaves T's diagonal on the diagonal, its subdiagonal in e[1…n−1] (e[i] couples i−1
 * and i), and reflection i (`I − u uᵀ / h`, i = 1 … n−1) as u = V[0…i−1, i] (column i above the
 * diagonal, i.e. `W[i·n + 0 … i·n + i − 1]`), h = d[i]; h = 0 means no reflection.
 * Q = P_{n−1} ··· P_1. The arithmetic is JAMA's, operation for operation (see
 * {@link symmetricProduct} and {@link rankTwoUpdate} for the two O(i²) loops of step i), whether
 * those loops run in JavaScript or, from order {@link WASM_FROM} on, in {@link wasmHouseholder}
 * (working on copies of W, d and e in its memory).
 */
export function householderReduce(n: number, W: Float64Array, d: Float64Array, e: Float64Array): void {
  const kernel = n >= WASM_FROM ? wasmHouseholder() : null;
  if (kernel !== null && kernel.begin(n)) {
    kernel.W.set(W);
    kernel.d.set(d);
    kernel.e.set(e);
    reduceSteps(n, kernel.W, kernel.d, kernel.e, kernel);
    W.set(kernel.W);
    d.set(kernel.d);
    e.set(kernel.e);
  } else {
    reduceSteps(n, W, d, e, null);
  }
}

/** The order from which {@link householderReduce} runs its O(i²) loops in WebAssembly. */
const WASM_FROM = 16;

/**
 * The SIMD kernel of {@link householderReduce}'s two O(i²) loops (src/linalg/householder-wasm.ts),
 * created on first use, or null when it cannot run here or its self-test (bit-for-bit agreement
 * with the JavaScript loops on small matrices, including a zero row) fails;
 * `wasmHouseholder.status()` gives the reason. `POINTWISE_WASM=0` forces JavaScript.
 */
export const wasmHouseholder = lazyKernel('householder', () => new WasmHouseholder(), householderSelfTest);

function householderSelfTest(k: WasmHouseholder): boolean {
  for (const n of [6, 7]) {
    const A = new Float64Array(n * n);
    for (let r = 0; r < n; r++) for (let c = 0; c <= r; c++) A[r * n + c] = A[c * n + r] = r === 2 || c === 2 ? 0 : Math.sin(r * 7 + c + 1) * 1e3 + 1 / (r + c + 3);
    const W = transposed(A, n);
    const d = new Float64Array(n);
    const e = new Float64Array(n);
    reduceSteps(n, W, d, e, null);
    if (!k.begin(n)) return false;
    k.W.set(transposed(A, n));
    reduceSteps(n, k.W, k.d, k.e, k);
    for (const [x, y] of [[W, k.W], [d, k.d], [e, k.e]]) for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}

/** {@link householderReduce} on W, d, e, with the O(i²) loops of each step in `kernel` (its own views) when given. */
function reduceSteps(n: number, W: Float64Array, d: Float64Array, e: Float64Array, kernel: WasmHouseholder | null): void {
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1];
        W[j * n + i] = 0;
        W[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      const f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      if (kernel === null) symmetricProduct(n, i, W, d, e, 0);
      else {
        kernel.product(i);
        symmetricProduct(n, i, W, d, e, i & ~1);
      }
      let s = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        s += e[j] * d[j];
      }
      const hh = s / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      if (kernel === null) rankTwoUpdate(n, i, W, d, e, 0);
      else {
        kernel.update(i);
        rankTwoUpdate(n, i, W, d, e, i & ~1);
      }
    }
    d[i] = h;
  }
}

/**
 * Step i's product `e[0…i−1] += V[0…i−1, 0…i−1] · d[0…i−1]` (V's lower triangle, read down its
 * columns in W) and the copy of u = d[0…i−1] into row i of W, two columns at a time: each entry of e
 * takes the same additions in the same order as JAMA's column-by-column loop, and each column's dot
 * product stays one sequential sum, so the results are bit for bit JAMA's; the pairing only shares
 * the loads of d and e and runs two independent sums side by side. Starts at column `from` (even;
 * the columns before it are done).
 */
function symmetricProduct(n: number, i: number, W: Float64Array, d: Float64Array, e: Float64Array, from: number): void {
  const row = i * n;
  let j = from;
  for (; j + 1 < i; j += 2) {
    const a = j * n;
    const b = a + n;
    const fa = d[j];
    const fb = d[j + 1];
    W[row + j] = fa;
    W[row + j + 1] = fb;
    let ga = e[j] + W[a + j] * fa;
    const v = W[a + j + 1];
    ga += v * fb;
    const ej1 = e[j + 1] + v * fa;
    let gb = ej1 + W[b + j + 1] * fb;
    for (let k = j + 2; k < i; k++) {
      const va = W[a + k];
      const vb = W[b + k];
      const dk = d[k];
      ga += va * dk;
      gb += vb * dk;
      e[k] = e[k] + va * fa + vb * fb;
    }
    e[j] = ga;
    e[j + 1] = gb;
  }
  if (j < i) {
    const f = d[j];
    W[row + j] = f;
    e[j] = e[j] + W[j * n + j] * f;
  }
}

/**
 * Step i's rank-2 update `V[k, j] −= d[j]·e[k] + e[j]·d[k]` (k ≥ j, columns j < i of W), then
 * `d[j] = V[i−1, j]` and `V[i, j] = 0`, two columns at a time (same operations, same order per
 * entry), from column `from` (even) on.
 */
function rankTwoUpdate(n: number, i: number, W: Float64Array, d: Float64Array, e: Float64Array, from: number): void {
  let j = from;
  for (; j + 1 < i; j += 2) {
    const a = j * n;
    const b = a + n;
    const fa = d[j], ga = e[j];
    const fb = d[j + 1], gb = e[j + 1];
    W[a + j] -= fa * e[j] + ga * d[j];
    for (let k = j + 1; k < i; k++) {
      const ek = e[k];
      const dk = d[k];
      W[a + k] -= fa * ek + ga * dk;
      W[b + k] -= fb * ek + gb * dk;
    }
    d[j] = W[a + i - 1];
    d[j + 1] = W[b + i - 1];
    W[a + i] = 0;
    W[b + i] = 0;
  }
  if (j < i) {
    const a = j * n;
    W[a + j] -= d[j] * e[j] + e[j] * d[j];
    d[j] = W[a + i - 1];
    W[a + i] = 0;
  }
}

/** The rest of {@link tred2}: forms Q from {@link householderReduce}'s reflections in V, T's diagonal in d, e[0] = 0. */
function accumulateHouseholder(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * √(x² + y²) without overflow or underflow: both magnitudes divided by the larger one, whose ratio is
 * exactly 1, then `√(a² + b²) · max`. This is the arithmetic of V8's `Math.hypot` for two arguments
 * (its compensated sum is exact for two terms), so the values are the same bit for bit
 * (test/linalg/eigen-bits checks it), without the cost of the variadic built-in.
 */
export function hypot(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (ax === Infinity || ay === Infinity) return Infinity;
  if (ax !== ax || ay !== ay) return NaN;
  const max = ax > ay ? ax : ay;
  if (max === 0) return 0;
  const a = ax / max;
  const b = ay / max;
  return Math.sqrt(a * a + b * b) * max;
}

/** Implicit QL on the tridiagonal (d, e); rotates the columns of V when given (eigenvalues only when null). */
function tql2(n: number, V: Float64Array | null, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > 100) throw new NumericalError(`symmetricEigen: the QL iteration must converge within 100 sweeps; eigenvalue ${l} of ${n} did not`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (V !== null) for (let k = 0; k < n; k++) {
            h = V[k * n + i + 1];
            V[k * n + i + 1] = s * V[k * n + i] + c * h;
            V[k * n + i] = c * V[k * n + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  // sort ascending
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      if (V !== null) for (let j = 0; j < n; j++) {
        const t = V[j * n + i];
        V[j * n + i] = V[j * n + k];
        V[j * n + k] = t;
      }
    }
  }
}

/**
 * Eigendecomposition of the Hermitian `M × M` matrix `A = Ar + i·Ai` (row-major planes) through its
 * real symmetric embedding `[[Ar, −Ai], [Ai, Ar]]` (2M × 2M), whose eigenvalues are those of A, each
 * twice. Returns A's M eigenvalues descending (`values`, the mean of each pair) and the embedding's
 * 2M orthonormal eigenvectors as rows of `vectors` (`[2M × 2M]` row-major, descending): a row
 * `[u; v]` is the complex vector `u + i·v`, and the rows 0…2K−1 span the dominant K-dimensional
 * complex subspace, so `Σ_q (qᵀ[ar; ai])²` over them is `aᴴ E_s E_sᴴ a`.
 * @example
 * const { values } = hermitianEigen(Float64Array.of(2, 0, 0, 1), Float64Array.of(0, 1, -1, 0), 2);
 */
export function hermitianEigen(Ar: Float64Array, Ai: Float64Array, M: number): { values: Float64Array; vectors: Float64Array } {
  const n = 2 * M;
  const e = new Float64Array(n * n);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      const r = Ar[i * M + j];
      const c = Ai[i * M + j];
      e[i * n + j] = r;
      e[(i + M) * n + j + M] = r;
      e[i * n + j + M] = -c;
      e[(i + M) * n + j] = c;
    }
  }
  const { values: v2, vectors } = symmetricEigen(e, n);
  const values = new Float64Array(M);
  for (let j = 0; j < M; j++) values[j] = 0.5 * (v2[2 * j] + v2[2 * j + 1]);
  return { values, vectors };
}

/**
 * 2-norm condition number of a symmetric matrix (ratio of extreme |eigenvalues|; Infinity when singular).
 * @example symmetricConditionNumber(Float64Array.of(4, 0, 0, 1), 2) // 4
 */
export function symmetricConditionNumber(M: Float64Array, n: number): number {
  const ev = symmetricEigen(M, n).values;
  let lo = Infinity, hi = 0;
  for (const v of ev) {
    const a = Math.abs(v);
    lo = Math.min(lo, a);
    hi = Math.max(hi, a);
  }
  return lo === 0 ? Infinity : hi / lo;
}

/**
 * All eigenvalues of a symmetric n×n matrix and, on request, eigenvectors for the largest few: the
 * route of LAPACK's dsytrd + dsterf + dstein + dormtr. The constructor reduces `a` (row-major, not
 * modified) to tridiagonal form T = Qᵀ A Q by Householder reflections ({@link symmetricEigen}'s own
 * reduction, ~4/3·n³ flops) and finds T's eigenvalues by implicit QL without eigenvectors (O(n²));
 * {@link topVectors} then finds k eigenvectors of T by inverse iteration (O(n·k), re-orthogonalised
 * within clusters of close eigenvalues) and applies Q to them (2·n²·k flops). Against
 * {@link symmetricEigen}, which also accumulates Q and rotates it along the QL sweeps (~9·n³ more
 * flops), this is several times faster when k is well below n.
 *
 * Agreement with {@link symmetricEigen}: the same eigenvalues, bit for bit (same reduction, same QL
 * sweeps); eigenvectors with residuals `‖A v − λ v‖ ≲ n·ε·‖A‖` and orthonormal to ~n·ε, so each one
 * is within about `n·ε·‖A‖ / gap` of symmetricEigen's up to sign (gap: the distance from λ to the
 * rest of the spectrum); within a cluster of (nearly) equal eigenvalues both return some orthonormal
 * basis of the same invariant subspace. Signs are those inverse iteration lands on (deterministic).
 * @example
 * const s = new SymmetricSpectrum(Float64Array.of(2, 1, 1, 2), 2);
 * s.values; // [3, 1]
 * s.topVectors(1); // one row ±[0.7071, 0.7071]
 */
export class SymmetricSpectrum {
  /** Matrix order n. */
  readonly n: number;
  /** All n eigenvalues, DESCENDING. */
  readonly values: Float64Array;
  /** T's diagonal and subdiagonal (sub[i] couples i−1 and i; sub[0] = 0). */
  private readonly diag: Float64Array;
  private readonly sub: Float64Array;
  /** The reflections, stored transposed: u_i = W[i·n + 0 … i·n + i − 1], h_i = h[i] (see householderReduce). */
  private readonly W: Float64Array;
  private readonly h: Float64Array;

  /**
   * @param a symmetric n×n matrix, row-major (only read).
   * @throws ValueError when n is not a positive integer or a has fewer than n² entries.
   * @throws Error when the QL iteration has not converged after 100 sweeps for one eigenvalue.
   */
  constructor(a: Float64Array, n: number) {
    const fn = 'SymmetricSpectrum';
    if (!Number.isInteger(n) || n < 1) throw new ValueError(message(fn, 'n must be a positive integer', n));
    if (!(a instanceof Float64Array) || a.length < n * n) throw new ValueError(message(fn, `a must be a Float64Array of n² = ${n * n} entries`, a instanceof Float64Array ? a.length : a));
    this.n = n;
    const W = transposed(a, n);
    const d = new Float64Array(n);
    const e = new Float64Array(n);
    householderReduce(n, W, d, e);
    this.W = W;
    this.h = d;
    this.diag = new Float64Array(n);
    for (let j = 0; j < n; j++) this.diag[j] = W[j * n + j];
    e[0] = 0;
    this.sub = Float64Array.from(e);
    const w = Float64Array.from(this.diag);
    tql2(n, null, w, e);
    this.values = w.reverse();
  }

  /**
   * Eigenvectors of the k largest eigenvalues, as ROWS of a k×n row-major array (row i ↔ values[i]).
   * @throws ValueError when k is not an integer in [1, n].
   */
  topVectors(k: number): Float64Array {
    const { n, diag, sub, values } = this;
    if (!Number.isInteger(k) || k < 1 || k > n) throw new ValueError(message('SymmetricSpectrum.topVectors', `k must be an integer in [1, n = ${n}]`, k));
    let norm = 0; // ‖T‖₁
    for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(diag[i]) + Math.abs(sub[i]) + (i + 1 < n ? Math.abs(sub[i + 1]) : 0));
    const eps = 2 ** -52;
    // Pivots below `tiny` are raised to it; shifts of (nearly) equal eigenvalues are kept `separate`
    // apart; vectors of eigenvalues within `cluster` of each other are re-orthogonalised (dstein's choices).
    const tiny = norm > 0 ? eps * norm : 1;
    const separate = 10 * tiny;
    const cluster = 1e-3 * norm;
    const Z = new Float64Array(k * n);
    const lu = new TridiagonalLu(n);
    const rng = new Rng(1);
    let shiftBefore = Infinity;
    let first = 0; // first vector of the current cluster
    for (let j = 0; j < k; j++) {
      let shift = values[j];
      if (j > 0 && values[j - 1] - values[j] > cluster) first = j;
      if (shiftBefore - shift < separate) shift = shiftBefore - separate;
      shiftBefore = shift;
      lu.factor(diag, sub, shift, tiny);
      const z = Z.subarray(j * n, (j + 1) * n);
      for (let i = 0; i < n; i++) z[i] = rng.uniform(-1, 1);
      for (let it = 0; it < 3; it++) {
        lu.solve(z);
        for (let pass = 0; pass < 2; pass++) {
          for (let c = first; c < j; c++) {
            const y = Z.subarray(c * n, (c + 1) * n);
            let dot = 0;
            for (let i = 0; i < n; i++) dot += y[i] * z[i];
            for (let i = 0; i < n; i++) z[i] -= dot * y[i];
          }
        }
        let s = 0;
        for (let i = 0; i < n; i++) s = Math.max(s, Math.abs(z[i]));
        let ss = 0;
        for (let i = 0; i < n; i++) ss += (z[i] / s) ** 2;
        const inv = 1 / (s * Math.sqrt(ss));
        for (let i = 0; i < n; i++) z[i] *= inv;
      }
    }
    applyReflections(n, this.W, this.h, Z, k);
    return Z;
  }
}

/**
 * Back to A's basis: each of the k rows z of Z (k×n) becomes Q z = P_{n−1} ··· P_1 z, reflection i
 * (`z −= (uᵀz / h_i) u`, u = W[i·n + 0 … i·n + i − 1]) applied as a sequential dot product, one
 * division and an update. Rows are independent, so they go two at a time, sharing the loads of u
 * (in the WebAssembly kernel, the two lanes of one register, from order {@link WASM_FROM} on).
 */
export function applyReflections(n: number, W: Float64Array, h: Float64Array, Z: Float64Array, k: number): void {
  const kernel = n >= WASM_FROM ? wasmHouseholder() : null;
  if (kernel !== null && kernel.applyReflections(n, W, h, Z, k)) return;
  for (let i = 1; i < n; i++) {
    const hi = h[i];
    if (hi === 0) continue;
    const u = i * n;
    let j = 0;
    for (; j + 1 < k; j += 2) {
      const a = j * n;
      const b = a + n;
      let ga = 0;
      let gb = 0;
      for (let r = 0; r < i; r++) {
        const w = W[u + r];
        ga += w * Z[a + r];
        gb += w * Z[b + r];
      }
      ga /= hi;
      gb /= hi;
      for (let r = 0; r < i; r++) {
        const w = W[u + r];
        Z[a + r] -= ga * w;
        Z[b + r] -= gb * w;
      }
    }
    if (j < k) {
      const o = j * n;
      let g = 0;
      for (let r = 0; r < i; r++) g += W[u + r] * Z[o + r];
      g /= hi;
      for (let r = 0; r < i; r++) Z[o + r] -= g * W[u + r];
    }
  }
}

/**
 * Eigenvalues (all n, DESCENDING) of a symmetric n×n matrix `a` (row-major, not modified) and the
 * eigenvectors of the k largest as ROWS of `vectors` (k×n): {@link SymmetricSpectrum}, ~4/3·n³ +
 * 2·n²·k flops against ~(4/3 + 9)·n³ for {@link symmetricEigen}, whose values it returns bit for bit
 * and whose top-k vectors it matches up to sign, to about n·ε·‖A‖ / gap.
 * @throws ValueError when k is not an integer in [1, n] (or n not a positive integer).
 * @example symmetricEigenTop(Float64Array.of(2, 1, 1, 2), 2, 1).values // [3, 1]
 */
export function symmetricEigenTop(a: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array } {
  if (!Number.isInteger(k) || k < 1 || k > n) throw new ValueError(message('symmetricEigenTop', `k must be an integer in [1, n = ${n}]`, k));
  const s = new SymmetricSpectrum(a, n);
  return { values: s.values, vectors: s.topVectors(k) };
}

/**
 * LU factors of `T − σI` for a symmetric tridiagonal T, with partial pivoting (LAPACK's dgttrf):
 * unit lower bidiagonal L (multipliers `l`, row swaps `swap`), upper U with diagonal `u0` and two
 * superdiagonals `u1`, `u2`. Pivots smaller than `tiny` in magnitude are raised to ±tiny, so the
 * solves stay finite at a shift that is an eigenvalue (inverse iteration's case).
 */
class TridiagonalLu {
  private readonly l: Float64Array;
  private readonly u0: Float64Array;
  private readonly u1: Float64Array;
  private readonly u2: Float64Array;
  private readonly swap: Uint8Array;

  constructor(private readonly n: number) {
    this.l = new Float64Array(n);
    this.u0 = new Float64Array(n);
    this.u1 = new Float64Array(n);
    this.u2 = new Float64Array(n);
    this.swap = new Uint8Array(n);
  }

  /** Factors T − σI, T given by its diagonal and subdiagonal (sub[i] couples i−1 and i). */
  factor(diag: Float64Array, sub: Float64Array, sigma: number, tiny: number): void {
    const { n, l, u0, u1, u2, swap } = this;
    for (let i = 0; i < n; i++) u0[i] = diag[i] - sigma;
    for (let i = 0; i + 1 < n; i++) {
      u1[i] = sub[i + 1];
      u2[i] = 0;
    }
    for (let i = 0; i + 1 < n; i++) {
      const below = sub[i + 1];
      if (Math.abs(u0[i]) >= Math.abs(below)) {
        if (Math.abs(u0[i]) < tiny) u0[i] = u0[i] < 0 ? -tiny : tiny;
        const f = below / u0[i];
        l[i] = f;
        u0[i + 1] -= f * u1[i];
        swap[i] = 0;
      } else {
        // swap rows i and i+1
        const f = u0[i] / below;
        u0[i] = below;
        l[i] = f;
        const t = u1[i];
        u1[i] = u0[i + 1];
        u0[i + 1] = t - f * u0[i + 1];
        if (i + 2 < n) {
          u2[i] = u1[i + 1];
          u1[i + 1] = -f * u1[i + 1];
        }
        swap[i] = 1;
      }
    }
    if (Math.abs(u0[n - 1]) < tiny) u0[n - 1] = u0[n - 1] < 0 ? -tiny : tiny;
  }

  /** Overwrites y with (T − σI)⁻¹ y. */
  solve(y: Float64Array): void {
    const { n, l, u0, u1, u2, swap } = this;
    for (let i = 0; i + 1 < n; i++) {
      if (swap[i]) {
        const t = y[i];
        y[i] = y[i + 1];
        y[i + 1] = t - l[i] * y[i + 1];
      } else {
        y[i + 1] -= l[i] * y[i];
      }
    }
    y[n - 1] /= u0[n - 1];
    if (n > 1) y[n - 2] = (y[n - 2] - u1[n - 2] * y[n - 1]) / u0[n - 2];
    for (let i = n - 3; i >= 0; i--) y[i] = (y[i] - u1[i] * y[i + 1] - u2[i] * y[i + 2]) / u0[i];
  }
}
