/**
 * FFT plumbing for src/beamform: {@link rfftOf} hands out cached src/fft `RealFft` plans (any n).
 * {@link Rfft} is the module's own power-of-two real FFT, written while src/fft was not yet
 * available; it is kept as a cross-check in the tests. Same conventions: forward unnormalised,
 * inverse divides by n and ignores the imaginary parts of the DC and Nyquist bins (as numpy's irfft).
 * Not exported from the package.
 * @internal
 * @module
 */
import { RealFft } from '../fft/index.js';

/** Smallest power of two ≥ n (≥ 2). */
export function nextPow2(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/** What the module needs from a real FFT plan. */
export interface RealPlan {
  readonly n: number;
  readonly bins: number;
  forward(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void;
  inverse(re: Float64Array, im: Float64Array, out: Float64Array): void;
}

const cache = new Map<number, RealPlan>();

/** A cached src/fft RealFft plan of size n (any n ≥ 1; powers of two are fastest). */
export function rfftOf(n: number): RealPlan {
  let f = cache.get(n);
  if (!f) {
    f = new RealFft(n);
    if (cache.size > 32) cache.clear();
    cache.set(n, f);
  }
  return f;
}

/** Real FFT of power-of-two size n ≥ 2 through a complex FFT of size n/2. */
export class Rfft {
  readonly n: number;
  readonly bins: number;
  private readonly h: number;
  private readonly rev: Uint32Array;
  private readonly cosT: Float64Array; // cos(2πk/h), k < h/2
  private readonly sinT: Float64Array;
  private readonly wr: Float64Array; // cos(2πk/n), k ≤ h
  private readonly wi: Float64Array; // -sin(2πk/n)
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;

  constructor(n: number) {
    if (!(n >= 2 && (n & (n - 1)) === 0)) throw new RangeError(`Rfft: n must be a power of two ≥ 2; got ${n}`);
    this.n = n;
    this.bins = n / 2 + 1;
    const h = n / 2;
    this.h = h;
    const bits = Math.round(Math.log2(h));
    this.rev = new Uint32Array(h);
    for (let i = 0; i < h; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cosT = new Float64Array(Math.max(1, h / 2));
    this.sinT = new Float64Array(Math.max(1, h / 2));
    for (let k = 0; k < h / 2; k++) {
      this.cosT[k] = Math.cos((2 * Math.PI * k) / h);
      this.sinT[k] = Math.sin((2 * Math.PI * k) / h);
    }
    this.wr = new Float64Array(h + 1);
    this.wi = new Float64Array(h + 1);
    for (let k = 0; k <= h; k++) {
      this.wr[k] = Math.cos((2 * Math.PI * k) / n);
      this.wi[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    this.zr = new Float64Array(h);
    this.zi = new Float64Array(h);
  }

  /** In-place complex FFT of size h on (re, im); sign −1 forward, +1 inverse (unnormalised). */
  private cfft(re: Float64Array, im: Float64Array, sign: number): void {
    const h = this.h;
    const rev = this.rev;
    for (let i = 0; i < h; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    const cosT = this.cosT;
    const sinT = this.sinT;
    for (let size = 2; size <= h; size *= 2) {
      const half = size / 2;
      const step = h / size;
      for (let start = 0; start < h; start += size) {
        for (let k = 0, tw = 0; k < half; k++, tw += step) {
          const c = cosT[tw];
          const s = sign * sinT[tw];
          const a = start + k;
          const b = a + half;
          const br = re[b];
          const bi = im[b];
          const tr = br * c - bi * s;
          const ti = br * s + bi * c;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
  }

  /** X = rfft(x) with x zero-padded (or truncated) to n; writes `bins` values. */
  forward(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    const h = this.h;
    const zr = this.zr;
    const zi = this.zi;
    const L = Math.min(x.length, this.n);
    for (let k = 0; k < h; k++) {
      const i = 2 * k;
      zr[k] = i < L ? x[i] : 0;
      zi[k] = i + 1 < L ? x[i + 1] : 0;
    }
    this.cfft(zr, zi, -1);
    const wr = this.wr;
    const wi = this.wi;
    for (let k = 0; k <= h; k++) {
      const a = k === h ? 0 : k;
      const b = k === 0 ? 0 : h - k;
      const ar = zr[a];
      const ai = zi[a];
      const br = zr[b];
      const bi = -zi[b];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      // (Z[k] − conj Z[h−k]) / 2j
      const dr = 0.5 * (ai - bi);
      const di = -0.5 * (ar - br);
      outRe[k] = er + wr[k] * dr - wi[k] * di;
      outIm[k] = ei + wr[k] * di + wi[k] * dr;
    }
  }

  /** x = irfft(X) (divided by n); imaginary parts of DC and Nyquist are ignored. Writes n values. */
  inverse(re: Float64Array, im: Float64Array, out: Float64Array): void {
    const h = this.h;
    const zr = this.zr;
    const zi = this.zi;
    const wr = this.wr;
    const wi = this.wi;
    for (let k = 0; k < h; k++) {
      const xr = re[k];
      const xi = k === 0 ? 0 : im[k];
      const yr = re[h - k];
      const yi = k === 0 ? 0 : -im[h - k]; // conj(X[h−k]); X[h] imaginary ignored
      const er = xr + yr;
      const ei = xi + yi;
      const fr = xr - yr;
      const fi = xi - yi;
      // Fo = (X[k] − conj X[h−k]) e^{+2πjk/n}: multiply by (wr, −wi)
      const or = fr * wr[k] + fi * wi[k];
      const oi = fi * wr[k] - fr * wi[k];
      // Z = Fe + j Fo (times 2, compensated below)
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    this.cfft(zr, zi, 1);
    const s = 1 / this.n;
    for (let k = 0; k < h; k++) {
      out[2 * k] = zr[k] * s;
      out[2 * k + 1] = zi[k] * s;
    }
  }
}
