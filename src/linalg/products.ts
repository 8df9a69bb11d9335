/**
 * Dense products beside {@link gemm} (which has its own file with its WebAssembly kernel): `A·Bᵀ`
 * over long rows, the symmetric Gram `X Xᵀ` (SYRK), the time-blocked Gram sums of paired samples,
 * small row-major products and transposes. Row-major Float64Arrays, unchecked (the public functions
 * validate).
 * @module
 * @internal
 */
import type { SampleArray } from '../core/multichannel.js';

/**
 * `out[a, b] = Σ_t A[a, t] · B[b, t]` (A·Bᵀ) for row-major `A [na × T]`, `B [nb × T]`; float64
 * accumulation, 2×2 register tiles. Unchecked.
 * @example gemmNT(Float64Array.of(1, 2), 1, Float64Array.of(3, 4), 1, 2, out) // out = [11]
 */
export function gemmNT(A: SampleArray, na: number, B: SampleArray, nb: number, T: number, out: Float64Array): void {
  let a = 0;
  for (; a + 2 <= na; a += 2) {
    const a0 = a * T;
    const a1 = a0 + T;
    let b = 0;
    for (; b + 2 <= nb; b += 2) {
      const b0 = b * T;
      const b1 = b0 + T;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let t = 0; t < T; t++) {
        const p = A[a0 + t];
        const q = A[a1 + t];
        const u = B[b0 + t];
        const v = B[b1 + t];
        s00 += p * u;
        s01 += p * v;
        s10 += q * u;
        s11 += q * v;
      }
      out[a * nb + b] = s00;
      out[a * nb + b + 1] = s01;
      out[(a + 1) * nb + b] = s10;
      out[(a + 1) * nb + b + 1] = s11;
    }
    for (; b < nb; b++) {
      const b0 = b * T;
      let s0 = 0, s1 = 0;
      for (let t = 0; t < T; t++) {
        const u = B[b0 + t];
        s0 += A[a0 + t] * u;
        s1 += A[a1 + t] * u;
      }
      out[a * nb + b] = s0;
      out[(a + 1) * nb + b] = s1;
    }
  }
  for (; a < na; a++) {
    const a0 = a * T;
    for (let b = 0; b < nb; b++) {
      const b0 = b * T;
      let s = 0;
      for (let t = 0; t < T; t++) s += A[a0 + t] * B[b0 + t];
      out[a * nb + b] = s;
    }
  }
}

/**
 * Transpose of a row-major `rows × cols` matrix.
 * @example transpose(Float64Array.of(1, 2, 3), 1, 3) // [1, 2, 3] as 3 × 1
 */
export function transpose(W: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let o = 0; o < rows; o++) for (let i = 0; i < cols; i++) t[i * rows + o] = W[o * cols + i];
  return t;
}

/**
 * Adds the upper triangle (i ≤ j) of `X Xᵀ` into `G` (n×n row-major), where `X` is `n × P` row-major
 * (rows = bands, contiguous pixels). 4×4 register tiles: 16 accumulators, 8 loads per 16 FMAs.
 * The caller mirrors the upper triangle when done ({@link mirrorUpper}).
 * @example syrkUpper(X, n, P, G); mirrorUpper(G, n); // G += X Xᵀ
 */
export function syrkUpper(X: Float64Array, n: number, P: number, G: Float64Array): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < n4; i += 4) {
    const r0 = i * P;
    const r1 = r0 + P;
    const r2 = r1 + P;
    const r3 = r2 + P;
    for (let j = i; j < n4; j += 4) {
      const q0 = j * P;
      const q1 = q0 + P;
      const q2 = q1 + P;
      const q3 = q2 + P;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let p = 0; p < P; p++) {
        const a0 = X[r0 + p], a1 = X[r1 + p], a2 = X[r2 + p], a3 = X[r3 + p];
        const b0 = X[q0 + p], b1 = X[q1 + p], b2 = X[q2 + p], b3 = X[q3 + p];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
      }
      let g = i * n + j;
      G[g] += s00; G[g + 1] += s01; G[g + 2] += s02; G[g + 3] += s03;
      g += n;
      G[g] += s10; G[g + 1] += s11; G[g + 2] += s12; G[g + 3] += s13;
      g += n;
      G[g] += s20; G[g + 1] += s21; G[g + 2] += s22; G[g + 3] += s23;
      g += n;
      G[g] += s30; G[g + 1] += s31; G[g + 2] += s32; G[g + 3] += s33;
    }
  }
  // remainder rows/cols: plain dot products for pairs involving an index ≥ n4
  for (let i = 0; i < n; i++) {
    const r = i * P;
    for (let j = Math.max(i, n4); j < n; j++) {
      const q = j * P;
      let s = 0;
      for (let p = 0; p < P; p++) s += X[r + p] * X[q + p];
      G[i * n + j] += s;
    }
  }
}

/**
 * Copies the upper triangle of `G` (n×n) into the lower triangle.
 * @example mirrorUpper(G, n) // G[j, i] = G[i, j] for i < j
 */
export function mirrorUpper(G: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) G[j * n + i] = G[i * n + j];
}

/**
 * C = A (m × k) · B (k × n), row-major.
 * @example matmul(Float64Array.of(1, 2), 1, 2, Float64Array.of(3, 4), 1) // [11]
 */
export function matmul(A: Float64Array, m: number, k: number, B: Float64Array, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      if (a === 0) continue;
      const bo = p * n;
      const co = i * n;
      for (let j = 0; j < n; j++) C[co + j] += a * B[bo + j];
    }
  }
  return C;
}

/**
 * max |a_i|.
 * @example maxAbs([1, -3, 2]) // 3 (Infinity when an entry is NaN)
 */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m || v !== v) m = v !== v ? Infinity : v;
  }
  return m;
}

/** Samples per time block of the Gram kernel: 2 × 33 rows × 512 × 8 B ≈ 270 kB stays in L2. */
const BLOCK = 512;

/**
 * Accumulates `out[i*q + j] += Σ_t P[i, t] · Q[j, t]` over `t ∈ [t0, t1)` for rows of P (p × T) and
 * Q (q × T), both channel-major with row stride `T`. 2×2 register tiles. When `symmetric` (P === Q),
 * only tiles with j ≥ i are computed and mirrored by the caller.
 */
function dotBlock(
  P: Float64Array | Float32Array, p: number, Q: Float64Array | Float32Array, q: number, T: number,
  t0: number, t1: number, out: Float64Array, symmetric: boolean,
): void {
  let i = 0;
  for (; i + 1 < p; i += 2) {
    const pi0 = i * T;
    const pi1 = pi0 + T;
    let j = symmetric ? i : 0;
    for (; j + 1 < q; j += 2) {
      const qj0 = j * T;
      const qj1 = qj0 + T;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let t = t0; t < t1; t++) {
        const a0 = P[pi0 + t], a1 = P[pi1 + t], b0 = Q[qj0 + t], b1 = Q[qj1 + t];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      out[i * q + j] += s00;
      out[i * q + j + 1] += s01;
      out[(i + 1) * q + j] += s10;
      out[(i + 1) * q + j + 1] += s11;
    }
    if (j < q) {
      const qj0 = j * T;
      let s0 = 0, s1 = 0;
      for (let t = t0; t < t1; t++) {
        const b = Q[qj0 + t];
        s0 += P[pi0 + t] * b;
        s1 += P[pi1 + t] * b;
      }
      out[i * q + j] += s0;
      out[(i + 1) * q + j] += s1;
    }
  }
  if (i < p) {
    const pi0 = i * T;
    for (let j = symmetric ? i : 0; j < q; j++) {
      const qj0 = j * T;
      let s = 0;
      for (let t = t0; t < t1; t++) s += P[pi0 + t] * Q[qj0 + t];
      out[i * q + j] += s;
    }
  }
}

/** Uncentred sums of paired samples: `xx = Σ x xᵀ` (Cin × Cin), `yx = Σ y xᵀ` (Cout × Cin), `sx`, `sy`, `yy = Σ ‖y‖²`, `n`. */
export interface GramStats {
  xx: Float64Array;
  yx: Float64Array;
  sx: Float64Array;
  sy: Float64Array;
  yy: number;
  n: number;
}

/**
 * One pass over X (Cin × T) and Y (Cout × T), time-blocked: X Xᵀ, Y Xᵀ, row sums, ‖Y‖².
 * @example const { xx, yx } = gramStats(x.data, x.channels, y.data, y.channels, x.length);
 */
export function gramStats(X: Float64Array | Float32Array, cin: number, Y: Float64Array | Float32Array, cout: number, T: number): GramStats {
  const xx = new Float64Array(cin * cin);
  const yx = new Float64Array(cout * cin);
  const sx = new Float64Array(cin);
  const sy = new Float64Array(cout);
  let yy = 0;
  for (let t0 = 0; t0 < T; t0 += BLOCK) {
    const t1 = Math.min(T, t0 + BLOCK);
    dotBlock(X, cin, X, cin, T, t0, t1, xx, true);
    dotBlock(Y, cout, X, cin, T, t0, t1, yx, false);
    for (let c = 0; c < cin; c++) {
      let s = 0;
      const o = c * T;
      for (let t = t0; t < t1; t++) s += X[o + t];
      sx[c] += s;
    }
    for (let c = 0; c < cout; c++) {
      let s = 0, s2 = 0;
      const o = c * T;
      for (let t = t0; t < t1; t++) {
        const v = Y[o + t];
        s += v;
        s2 += v * v;
      }
      sy[c] += s;
      yy += s2;
    }
  }
  for (let i = 0; i < cin; i++) for (let j = 0; j < i; j++) xx[i * cin + j] = xx[j * cin + i];
  return { xx, yx, sx, sy, yy, n: T };
}
