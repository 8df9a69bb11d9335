/**
 * Dense solves, row-major Float64Arrays, unchecked (the public functions validate): Cholesky
 * factorisations and solves, LU with partial pivoting for real and complex square systems.
 * @module
 * @internal
 */

/**
 * Lower Cholesky factor of a symmetric n × n matrix, or null when it is not positive definite.
 * @example cholesky(Float64Array.of(4, 2, 2, 5), 2) // [2, 0, 1, 2]
 */
export function cholesky(M: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = M[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = M[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/**
 * Solves (L Lᵀ) x = b in place for each of the `m` right-hand sides stored as rows of `B` (m × n).
 * @example const L = cholesky(G, n)!; choleskySolveRows(L, n, B, m); // rows of B now solve G x = b
 */
export function choleskySolveRows(L: Float64Array, n: number, B: Float64Array, m: number): void {
  for (let r = 0; r < m; r++) {
    const o = r * n;
    for (let i = 0; i < n; i++) {
      let s = B[o + i];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * B[o + k];
      B[o + i] = s / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = B[o + i];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * B[o + k];
      B[o + i] = s / L[i * n + i];
    }
  }
}

/**
 * Solves `L y = v` in place for a lower-triangular `L` (n × n, row-major; only its lower triangle is
 * read) by forward substitution: `v` becomes `y = L⁻¹ v`.
 * @example forwardSubstitute(cholesky(S, n)!, n, v); // ‖v‖² is now the Mahalanobis form vᵀ S⁻¹ v
 */
export function forwardSubstitute(L: Float64Array, n: number, v: Float64Array): void {
  for (let a = 0; a < n; a++) {
    let t = v[a];
    for (let k = 0; k < a; k++) t -= L[a * n + k] * v[k];
    v[a] = t / L[a * n + a];
  }
}

/**
 * Lower Cholesky factor of a symmetric positive semi-definite matrix (tiny pivots clamped to 0).
 * @example choleskySemidefinite(Float64Array.of(1, 1, 1, 1), L, 2) // L = [1, 0, 1, 0]
 */
export function choleskySemidefinite(A: Float64Array, L: Float64Array, M: number): void {
  L.fill(0);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * M + j];
      for (let k = 0; k < j; k++) s -= L[i * M + k] * L[j * M + k];
      if (i === j) L[i * M + i] = s > 0 ? Math.sqrt(s) : 0;
      else L[i * M + j] = L[j * M + j] > 0 ? s / L[j * M + j] : 0;
    }
  }
}

/**
 * Solves `A X = B` for square `A` (n × n) and `B` (n × m), row-major, by LU with partial pivoting. Returns null when singular.
 * @example solveSquare(Float64Array.of(2, 0, 0, 4), 2, Float64Array.of(2, 4), 1) // [1, 1]
 */
export function solveSquare(A: Float64Array, n: number, B: Float64Array, m: number): Float64Array | null {
  const a = A.slice();
  const x = B.slice();
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[k * n + k]);
    for (let r = k + 1; r < n; r++) {
      const v = Math.abs(a[r * n + k]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (best === 0) return null;
    if (p !== k) {
      for (let c = 0; c < n; c++) {
        const t = a[k * n + c];
        a[k * n + c] = a[p * n + c];
        a[p * n + c] = t;
      }
      for (let c = 0; c < m; c++) {
        const t = x[k * m + c];
        x[k * m + c] = x[p * m + c];
        x[p * m + c] = t;
      }
    }
    const piv = a[k * n + k];
    for (let r = k + 1; r < n; r++) {
      const f = a[r * n + k] / piv;
      if (f === 0) continue;
      for (let c = k; c < n; c++) a[r * n + c] -= f * a[k * n + c];
      for (let c = 0; c < m; c++) x[r * m + c] -= f * x[k * m + c];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const piv = a[k * n + k];
    for (let c = 0; c < m; c++) {
      let s = x[k * m + c];
      for (let j = k + 1; j < n; j++) s -= a[k * n + j] * x[j * m + c];
      x[k * m + c] = s / piv;
    }
  }
  return x;
}

/**
 * Solves the complex system `A u = b` in place (A `M × M` row-major as separate real and imaginary
 * planes, overwritten; b overwritten by u) by Gaussian elimination with partial pivoting.
 * Returns false when a pivot is zero (singular A).
 * @example solveComplex(Float64Array.of(0), Float64Array.of(1), br, bi, 1) // u = b / i
 */
export function solveComplex(ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array, M: number): boolean {
  for (let col = 0; col < M; col++) {
    let piv = col;
    let best = 0;
    for (let r = col; r < M; r++) {
      const v = Math.hypot(ar[r * M + col], ai[r * M + col]);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (!(best > 1e-300)) return false;
    if (piv !== col) {
      for (let k = 0; k < M; k++) {
        let t = ar[col * M + k];
        ar[col * M + k] = ar[piv * M + k];
        ar[piv * M + k] = t;
        t = ai[col * M + k];
        ai[col * M + k] = ai[piv * M + k];
        ai[piv * M + k] = t;
      }
      let t = br[col];
      br[col] = br[piv];
      br[piv] = t;
      t = bi[col];
      bi[col] = bi[piv];
      bi[piv] = t;
    }
    const pr = ar[col * M + col];
    const pi = ai[col * M + col];
    const den = pr * pr + pi * pi;
    for (let r = col + 1; r < M; r++) {
      const xr = ar[r * M + col];
      const xi = ai[r * M + col];
      // f = x / p
      const fr = (xr * pr + xi * pi) / den;
      const fi = (xi * pr - xr * pi) / den;
      for (let k = col; k < M; k++) {
        const cr = ar[col * M + k];
        const ci = ai[col * M + k];
        ar[r * M + k] -= fr * cr - fi * ci;
        ai[r * M + k] -= fr * ci + fi * cr;
      }
      br[r] -= fr * br[col] - fi * bi[col];
      bi[r] -= fr * bi[col] + fi * br[col];
    }
  }
  for (let r = M - 1; r >= 0; r--) {
    let sr = br[r];
    let si = bi[r];
    for (let k = r + 1; k < M; k++) {
      sr -= ar[r * M + k] * br[k] - ai[r * M + k] * bi[k];
      si -= ar[r * M + k] * bi[k] + ai[r * M + k] * br[k];
    }
    const pr = ar[r * M + r];
    const pi = ai[r * M + r];
    const den = pr * pr + pi * pi;
    br[r] = (sr * pr + si * pi) / den;
    bi[r] = (si * pr - sr * pi) / den;
  }
  return true;
}
