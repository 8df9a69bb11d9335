/**
 * Unchecked 2-D convolution kernels over the bands of a cube (the public wrapper in convolve2d.ts
 * validates and plans): direct summation and FFT convolution on {@link Real2dPlan}, both computing
 * a rectangle of the full convolution, with scipy's boundary extensions applied by padding.
 * @module
 * @internal
 */
import { Real2dPlan } from '../fft/fft2.js';

/** How the image continues outside its bounds (scipy.signal.convolve2d's `boundary`). */
export type Boundary2d = 'fill' | 'wrap' | 'symm';

/** A planned multiband job: everything {@link computeBands} needs, as plain data (it crosses to workers). */
export interface BandJob {
  /** Images, band-major, each `Nr × Nc` row-major; `xBands` of them (1 = broadcast). */
  x: Float64Array | Float32Array;
  xBands: number;
  Nr: number;
  Nc: number;
  /** Kernels (rotated by 180° for correlation), each `Mr × Mc` row-major; K = 1 (broadcast) or C. */
  h: Float64Array;
  K: number;
  Mr: number;
  Mc: number;
  /** Rectangle of the full convolution kept: rows `[sr, sr + Lr)`, columns `[sc, sc + Lc)`. */
  sr: number;
  Lr: number;
  sc: number;
  Lc: number;
  boundary: Boundary2d;
  fillvalue: number;
  method: 'direct' | 'fft';
  /** FFT size (rows R × columns W) when method is 'fft'. */
  R: number;
  W: number;
  /** Output, band-major `Lr × Lc` each; band c is written at band `c + outBandOffset` of this array. */
  out: Float64Array | Float32Array;
  outBandOffset: number;
}

/** Whether the boundary rule needs an explicitly padded image (anything but zero fill). */
export function needsPadding(boundary: Boundary2d, fillvalue: number): boolean {
  return boundary !== 'fill' || fillvalue !== 0;
}

/** Index `i` of an axis of length n continued by the boundary rule ('wrap': periodic; 'symm': mirrored with the edge repeated); −1 for 'fill'. */
function extend(i: number, n: number, boundary: Boundary2d): number {
  if (i >= 0 && i < n) return i;
  if (boundary === 'fill') return -1;
  if (boundary === 'wrap') return ((i % n) + n) % n;
  const p = 2 * n;
  const m = ((i % p) + p) % p;
  return m < n ? m : p - 1 - m;
}

/**
 * The image extended by the boundary rule over rows `[r0, r0 + Pr)` and columns `[c0, c0 + Pc)`
 * of its infinite continuation (fill value where the rule is 'fill').
 */
export function padBand(x: ArrayLike<number>, offset: number, Nr: number, Nc: number, r0: number, Pr: number, c0: number, Pc: number, boundary: Boundary2d, fillvalue: number): Float64Array {
  const P = new Float64Array(Pr * Pc);
  const cols = new Int32Array(Pc);
  for (let j = 0; j < Pc; j++) cols[j] = extend(c0 + j, Nc, boundary);
  for (let i = 0; i < Pr; i++) {
    const r = extend(r0 + i, Nr, boundary);
    const o = i * Pc;
    if (r < 0) {
      P.fill(fillvalue, o, o + Pc);
      continue;
    }
    const src = offset + r * Nc;
    for (let j = 0; j < Pc; j++) P[o + j] = cols[j] < 0 ? fillvalue : x[src + cols[j]];
  }
  return P;
}

/**
 * Direct 2-D convolution of one band: `out[o + i·Lc + j] = Σ_{a,b} h[a, b] · x[sr + i − a, sc + j − b]`
 * over the terms inside the image (zero outside), for `i < Lr`, `j < Lc`.
 */
export function directBand(x: ArrayLike<number>, xo: number, Nr: number, Nc: number, h: Float64Array, ho: number, Mr: number, Mc: number, sr: number, Lr: number, sc: number, Lc: number, out: { [i: number]: number }, oo: number, acc: Float64Array): void {
  for (let i = 0; i < Lr; i++) {
    acc.fill(0, 0, Lc);
    const n = sr + i;
    const a0 = Math.max(0, n - Nr + 1), a1 = Math.min(Mr - 1, n);
    for (let a = a0; a <= a1; a++) {
      const xr = xo + (n - a) * Nc;
      const hr = ho + a * Mc;
      for (let b = 0; b < Mc; b++) {
        const hv = h[hr + b];
        // x column sc + j − b must lie in [0, Nc)
        const j0 = Math.max(0, b - sc), j1 = Math.min(Lc, b - sc + Nc);
        const base = xr + sc - b;
        for (let j = j0; j < j1; j++) acc[j] += hv * x[base + j];
      }
    }
    const o = oo + i * Lc;
    for (let j = 0; j < Lc; j++) out[o + j] = acc[j];
  }
}

/** Transforms each of `K` kernels once for FFT convolution at `R × W`, pre-scaled by 1/(R·W). */
function kernelSpectra(plan: Real2dPlan, h: Float64Array, K: number, Mr: number, Mc: number, k0: number, k1: number): Float64Array[] {
  const s = 1 / (plan.R * plan.W);
  const out: Float64Array[] = [];
  for (let k = k0; k < k1; k++) {
    const spec = new Float64Array(plan.specLength);
    plan.forward(h, k * Mr * Mc, Mr, Mc, spec);
    for (let i = 0; i < spec.length; i++) spec[i] *= s;
    out.push(spec);
  }
  void K;
  return out;
}

/**
 * Bands `[c0, c1)` of a multiband 2-D convolution: band c of the result is image `c or 0`
 * convolved with kernel `c or 0`, cut to the job's rectangle. The single-thread path and the worker
 * threads both run exactly this, so their results are identical.
 */
export function computeBands(job: BandJob, c0: number, c1: number): void {
  const { x, xBands, Nr, Nc, h, K, Mr, Mc, boundary, fillvalue, method, out, outBandOffset } = job;
  let { sr, sc } = job;
  const { Lr, Lc } = job;
  const pad = needsPadding(boundary, fillvalue);
  // a padded image covers exactly the inputs the rectangle reads: rows sr − (Mr − 1) … sr + Lr − 1
  const Pr = pad ? Lr + Mr - 1 : Nr, Pc = pad ? Lc + Mc - 1 : Nc;
  const r0 = sr - (Mr - 1), col0 = sc - (Mc - 1);
  if (pad) {
    sr = Mr - 1;
    sc = Mc - 1;
  }
  const band = Nr * Nc, outBand = Lr * Lc, kernel = Mr * Mc;
  if (method === 'direct') {
    const acc = new Float64Array(Lc);
    for (let c = c0; c < c1; c++) {
      const xo = (xBands === 1 ? 0 : c) * band;
      const ho = (K === 1 ? 0 : c) * kernel;
      const oo = (c + outBandOffset) * outBand;
      if (pad) directBand(padBand(x, xo, Nr, Nc, r0, Pr, col0, Pc, boundary, fillvalue), 0, Pr, Pc, h, ho, Mr, Mc, sr, Lr, sc, Lc, out, oo, acc);
      else directBand(x, xo, Nr, Nc, h, ho, Mr, Mc, sr, Lr, sc, Lc, out, oo, acc);
    }
    return;
  }
  const plan = new Real2dPlan(job.R, job.W);
  const shared = K === 1 ? kernelSpectra(plan, h, K, Mr, Mc, 0, 1)[0] : null;
  const spec = new Float64Array(plan.specLength);
  for (let c = c0; c < c1; c++) {
    const xo = (xBands === 1 ? 0 : c) * band;
    const H = shared ?? kernelSpectra(plan, h, K, Mr, Mc, c, c + 1)[0];
    const oo = (c + outBandOffset) * outBand;
    if (pad) plan.convolve(padBand(x, xo, Nr, Nc, r0, Pr, col0, Pc, boundary, fillvalue), 0, Pr, Pc, H, spec, sr, Lr, sc, Lc, out, oo);
    else plan.convolve(x, xo, Nr, Nc, H, spec, sr, Lr, sc, Lc, out, oo);
  }
}
