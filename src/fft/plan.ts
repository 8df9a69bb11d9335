/**
 * FFT plans for any length, built on a power-of-two kernel (the float64 SIMD kernel of
 * src/fft/fft64-wasm.ts from 64 points where it loads, else fft.js's {@link Pow2Fft}):
 * - {@link ComplexFft}: complex DFT of any n — fft.js directly for powers of two; one mixed-radix
 *   step over fft.js for n = 3·2^k and 5·2^k (p transforms of n/p, then twiddles and a p-point DFT:
 *   the sizes {@link nextFastLength} adds between powers of two); Bluestein's chirp-z algorithm
 *   (three power-of-two FFTs of size ≥ 2n−1) for every other n;
 * - {@link RealFft}: real DFT of any n, via a complex FFT of half the size for even n (the classic
 *   "pack even/odd samples as re/im" split) and a full complex FFT for odd n.
 * Plans hold precomputed twiddles and scratch buffers; {@link complexPlan} and {@link realPlan}
 * cache them per size. Plans are not re-entrant (they own scratch), which is fine in single-threaded
 * JavaScript as long as a transform does not call itself.
 * @module
 */
import { assertInteger } from '../core/validate.js';
import { Pow2Fft, isPowerOfTwo } from './fftjs.js';
import { ComplexFft64 } from './fft64-wasm.js';

/** The power-of-two complex transform both kernels provide: `out ← DFT(data)`, interleaved, unnormalised. */
interface Pow2Transform {
  transform(out: Float64Array, data: Float64Array): void;
}

/**
 * Sizes for which the WebAssembly kernel runs the power-of-two transforms: below SIMD_MIN its call
 * and copies cost more than fft.js; above SIMD_MAX its instance (twiddles and three buffers, ≈ 80
 * bytes a point, kept while the plan is cached) would hold more memory than fft.js's tables.
 */
const SIMD_MIN = 64;
const SIMD_MAX = 1 << 20;

/**
 * The power-of-two transform of size n: the float64 SIMD kernel of src/fft/fft64-wasm.ts for
 * n in [{@link SIMD_MIN}, {@link SIMD_MAX}] where it loads (`fft64Kernel.status()` says why not),
 * else fft.js. Both are exact to rounding; they agree to ~1e-15 relative.
 */
function pow2Transform(n: number): Pow2Transform {
  return (n >= SIMD_MIN && n <= SIMD_MAX ? ComplexFft64.create(n) : null) ?? new Pow2Fft(n);
}

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Complex DFT of length n on interleaved Float64Arrays (`[re0, im0, re1, im1, …]`, length 2n).
 * `forward` computes `X[k] = Σ_j x[j] e^{−2πi jk/n}`, `inverse` computes `x[j] = Σ_k X[k] e^{+2πi jk/n}`
 * (unnormalised: no 1/n). Input and output may be the same array.
 */
export class ComplexFft {
  readonly n: number;
  private readonly pow2: Pow2Transform | null;
  private readonly mixed: MixedRadixStep | null;
  // Bluestein state (non-power-of-two n)
  private readonly m: number;
  private readonly inner: Pow2Transform | null;
  private readonly chirp: Float64Array; // w[j] = e^{−πi j²/n}, interleaved
  private readonly kernelSpec: Float64Array; // FFT_m of conj(w) wrapped, pre-scaled by 1/m
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly tmp: Float64Array;

  constructor(n: number) {
    assertInteger('ComplexFft', 'n', n, 1);
    this.n = n;
    const p = smallRadix(n);
    const pow2 = isPowerOfTwo(n);
    if (pow2 || p !== 0) {
      this.pow2 = pow2 ? pow2Transform(n) : null;
      this.mixed = p !== 0 ? new MixedRadixStep(n, p) : null;
      this.m = 0;
      this.inner = null;
      this.chirp = this.kernelSpec = this.a = this.b = new Float64Array(0);
      this.tmp = new Float64Array(2 * n);
      return;
    }
    this.pow2 = null;
    this.mixed = null;
    const m = nextPow2(2 * n - 1);
    this.m = m;
    this.inner = pow2Transform(m);
    const chirp = new Float64Array(2 * n);
    const twoN = 2 * n;
    for (let j = 0; j < n; j++) {
      // j² mod 2n keeps the angle argument small and exact (j² < 2^53 for n < 2^26).
      const r = (j * j) % twoN;
      const ang = (Math.PI * r) / n;
      chirp[2 * j] = Math.cos(ang);
      chirp[2 * j + 1] = -Math.sin(ang);
    }
    this.chirp = chirp;
    const b = new Float64Array(2 * m);
    b[0] = chirp[0];
    b[1] = -chirp[1];
    for (let j = 1; j < n; j++) {
      b[2 * j] = b[2 * (m - j)] = chirp[2 * j];
      b[2 * j + 1] = b[2 * (m - j) + 1] = -chirp[2 * j + 1];
    }
    const spec = new Float64Array(2 * m);
    this.inner.transform(spec, b);
    for (let i = 0; i < 2 * m; i++) spec[i] /= m;
    this.kernelSpec = spec;
    this.a = new Float64Array(2 * m);
    this.b = new Float64Array(2 * m);
    this.tmp = new Float64Array(2 * n);
  }

  /** `out ← DFT(data)` (unnormalised). */
  forward(data: Float64Array, out: Float64Array): void {
    if (this.pow2 !== null) {
      if (out === data) {
        this.tmp.set(data.subarray(0, 2 * this.n));
        this.pow2.transform(out, this.tmp);
      } else this.pow2.transform(out, data);
      return;
    }
    if (this.mixed !== null) {
      this.mixed.transform(data, out);
      return;
    }
    this.bluestein(data, out);
  }

  /** `out ← n · IDFT(data)` (unnormalised inverse: the sign flips, no 1/n). */
  inverse(data: Float64Array, out: Float64Array): void {
    // IDFT(x) = swap(DFT(swap(x))) where swap exchanges re and im.
    const n2 = 2 * this.n;
    const t = this.tmp;
    for (let i = 0; i < n2; i += 2) {
      t[i] = data[i + 1];
      t[i + 1] = data[i];
    }
    if (this.pow2 !== null) this.pow2.transform(out, t);
    else if (this.mixed !== null) this.mixed.transform(t, out);
    else this.bluestein(t, out);
    for (let i = 0; i < n2; i += 2) {
      const re = out[i];
      out[i] = out[i + 1];
      out[i + 1] = re;
    }
  }

  private bluestein(data: Float64Array, out: Float64Array): void {
    const { n, m, chirp, a, b, kernelSpec } = this;
    const inner = this.inner!;
    // a[j] = x[j] · w[j], zero-padded to m
    for (let j = 0; j < n; j++) {
      const xr = data[2 * j], xi = data[2 * j + 1];
      const wr = chirp[2 * j], wi = chirp[2 * j + 1];
      a[2 * j] = xr * wr - xi * wi;
      a[2 * j + 1] = xr * wi + xi * wr;
    }
    a.fill(0, 2 * n);
    inner.transform(b, a);
    // pointwise product with the chirp spectrum, then inverse via the conjugate trick
    for (let k = 0; k < 2 * m; k += 2) {
      const pr = b[k], pi = b[k + 1];
      const qr = kernelSpec[k], qi = kernelSpec[k + 1];
      a[k] = pr * qr - pi * qi;
      a[k + 1] = -(pr * qi + pi * qr); // conjugated
    }
    inner.transform(b, a);
    for (let k = 0; k < n; k++) {
      const cr = b[2 * k], ci = -b[2 * k + 1]; // conjugate back
      const wr = chirp[2 * k], wi = chirp[2 * k + 1];
      out[2 * k] = cr * wr - ci * wi;
      out[2 * k + 1] = cr * wi + ci * wr;
    }
  }
}

/** 3 or 5 when n = 3·2^k or 5·2^k (k ≥ 0) and n is not a power of two; otherwise 0. */
export function smallRadix(n: number): 0 | 3 | 5 {
  if (n % 3 === 0 && isPowerOfTwo(n / 3)) return 3;
  if (n % 5 === 0 && isPowerOfTwo(n / 5)) return 5;
  return 0;
}

/**
 * One decimation-in-time Cooley–Tukey step of radix p ∈ {3, 5} over power-of-two transforms of
 * L = n/p: with `F_r = DFT_L(x[p·j + r])`, `X[k + L·q] = Σ_r (W_n^{rk} F_r[k]) · W_p^{rq}` for k < L,
 * q < p. Cost: p fft.js transforms of L plus p² complex multiply-adds per k (p·n in all), against
 * the next power of two's 4/3 or 8/5 times larger transform, or Bluestein's three of ≥ 2n.
 * Exact to rounding, like the power-of-two path.
 */
class MixedRadixStep {
  private readonly L: number;
  private readonly sub: Pow2Transform;
  private readonly twiddles: Float64Array; // (p−1) rows of L: W_n^{rk}, interleaved
  private readonly gathered: Float64Array; // p rows of L complex inputs
  private readonly spectra: Float64Array; // p rows of L complex outputs
  private readonly rows: [spectrum: Float64Array, gathered: Float64Array][] = []; // views of row r of each

  constructor(n: number, private readonly p: number) {
    const L = n / p;
    this.L = L;
    this.sub = pow2Transform(L);
    this.twiddles = new Float64Array(2 * (p - 1) * L);
    for (let r = 1; r < p; r++) {
      for (let k = 0; k < L; k++) {
        const ang = (-2 * Math.PI * ((r * k) % n)) / n;
        this.twiddles[2 * ((r - 1) * L + k)] = Math.cos(ang);
        this.twiddles[2 * ((r - 1) * L + k) + 1] = Math.sin(ang);
      }
    }
    this.gathered = new Float64Array(2 * n);
    this.spectra = new Float64Array(2 * n);
    for (let r = 0; r < p; r++) {
      const g = 2 * r * L;
      this.rows.push([this.spectra.subarray(g, g + 2 * L), this.gathered.subarray(g, g + 2 * L)]);
    }
  }

  /** `out ← DFT_n(data)`, both interleaved; `out` may equal `data`. */
  transform(data: Float64Array, out: Float64Array): void {
    const { L, p, sub, gathered, rows } = this;
    for (let r = 0; r < p; r++) {
      const g = 2 * r * L;
      for (let j = 0, i = 2 * r; j < L; j++, i += 2 * p) {
        gathered[g + 2 * j] = data[i];
        gathered[g + 2 * j + 1] = data[i + 1];
      }
      sub.transform(rows[r][0], rows[r][1]);
    }
    if (p === 3) this.butterflies3(out);
    else this.butterflies5(out);
  }

  /** Twiddle, then the 3-point DFT (W_3 = −1/2 − i√3/2) for every k. */
  private butterflies3(out: Float64Array): void {
    const { L, spectra: F, twiddles: tw } = this;
    const c = Math.sqrt(3) / 2;
    const o1 = 2 * L, o2 = 4 * L, w2 = 2 * L;
    for (let k = 0; k < L; k++) {
      const a = 2 * k;
      const t0r = F[a], t0i = F[a + 1];
      const f1r = F[o1 + a], f1i = F[o1 + a + 1], f2r = F[o2 + a], f2i = F[o2 + a + 1];
      const t1r = f1r * tw[a] - f1i * tw[a + 1], t1i = f1r * tw[a + 1] + f1i * tw[a];
      const t2r = f2r * tw[w2 + a] - f2i * tw[w2 + a + 1], t2i = f2r * tw[w2 + a + 1] + f2i * tw[w2 + a];
      const sr = t1r + t2r, si = t1i + t2i, dr = t1r - t2r, di = t1i - t2i;
      const mr = t0r - 0.5 * sr, mi = t0i - 0.5 * si;
      out[a] = t0r + sr;
      out[a + 1] = t0i + si;
      out[o1 + a] = mr + c * di;
      out[o1 + a + 1] = mi - c * dr;
      out[o2 + a] = mr - c * di;
      out[o2 + a + 1] = mi + c * dr;
    }
  }

  /** Twiddle, then the 5-point DFT (W_5 = e^{−2πi/5}, symmetric/antisymmetric pairs) for every k. */
  private butterflies5(out: Float64Array): void {
    const { L, spectra: F, twiddles: tw } = this;
    const c1 = Math.cos((2 * Math.PI) / 5), c2 = Math.cos((4 * Math.PI) / 5);
    const s1 = Math.sin((2 * Math.PI) / 5), s2 = Math.sin((4 * Math.PI) / 5);
    const o1 = 2 * L, o2 = 4 * L, o3 = 6 * L, o4 = 8 * L;
    const w2 = 2 * L, w3 = 4 * L, w4 = 6 * L;
    for (let k = 0; k < L; k++) {
      const a = 2 * k;
      const t0r = F[a], t0i = F[a + 1];
      let fr = F[o1 + a], fi = F[o1 + a + 1];
      const t1r = fr * tw[a] - fi * tw[a + 1], t1i = fr * tw[a + 1] + fi * tw[a];
      fr = F[o2 + a];
      fi = F[o2 + a + 1];
      const t2r = fr * tw[w2 + a] - fi * tw[w2 + a + 1], t2i = fr * tw[w2 + a + 1] + fi * tw[w2 + a];
      fr = F[o3 + a];
      fi = F[o3 + a + 1];
      const t3r = fr * tw[w3 + a] - fi * tw[w3 + a + 1], t3i = fr * tw[w3 + a + 1] + fi * tw[w3 + a];
      fr = F[o4 + a];
      fi = F[o4 + a + 1];
      const t4r = fr * tw[w4 + a] - fi * tw[w4 + a + 1], t4i = fr * tw[w4 + a + 1] + fi * tw[w4 + a];
      const a1r = t1r + t4r, a1i = t1i + t4i, b1r = t1r - t4r, b1i = t1i - t4i;
      const a2r = t2r + t3r, a2i = t2i + t3i, b2r = t2r - t3r, b2i = t2i - t3i;
      // X1,4 = t0 + c1 a1 + c2 a2 ∓ i (s1 b1 + s2 b2); X2,3 = t0 + c2 a1 + c1 a2 ∓ i (s2 b1 − s1 b2)
      const p1r = t0r + c1 * a1r + c2 * a2r, p1i = t0i + c1 * a1i + c2 * a2i;
      const q1r = s1 * b1r + s2 * b2r, q1i = s1 * b1i + s2 * b2i;
      const p2r = t0r + c2 * a1r + c1 * a2r, p2i = t0i + c2 * a1i + c1 * a2i;
      const q2r = s2 * b1r - s1 * b2r, q2i = s2 * b1i - s1 * b2i;
      out[a] = t0r + a1r + a2r;
      out[a + 1] = t0i + a1i + a2i;
      out[o1 + a] = p1r + q1i; // −i·q = (q_im, −q_re)
      out[o1 + a + 1] = p1i - q1r;
      out[o4 + a] = p1r - q1i;
      out[o4 + a + 1] = p1i + q1r;
      out[o2 + a] = p2r + q2i;
      out[o2 + a + 1] = p2i - q2r;
      out[o3 + a] = p2r - q2i;
      out[o3 + a + 1] = p2i + q2r;
    }
  }
}

/**
 * Real DFT of any length n. The spectrum has `bins = floor(n/2) + 1` entries (numpy's rfft layout).
 * `forward` is unnormalised; `inverse` divides by n (numpy's default 'backward' norm), so
 * `inverse(forward(x)) = x`. For even n it runs one complex FFT of size n/2; powers of two are the
 * fast sizes (see {@link nextFastLength}).
 *
 * @example
 * const f = new RealFft(8); const re = new Float64Array(f.bins), im = new Float64Array(f.bins);
 * f.forward([1, 0, 0, 0, 0, 0, 0, 0], re, im); // re = [1,1,1,1,1], im = 0
 */
export class RealFft {
  /** Transform length. */
  readonly n: number;
  /** Number of spectrum bins, floor(n/2) + 1. */
  readonly bins: number;
  private readonly half: number;
  private readonly cplx: ComplexFft;
  private readonly twiddle: Float64Array; // e^{−2πik/n}, k = 0..h, interleaved (even n)
  private readonly z: Float64Array;
  private readonly zf: Float64Array;
  private readonly spec: Float64Array; // interleaved bins, for the split-array API

  /** @throws ValueError unless n is an integer ≥ 1. */
  constructor(n: number) {
    assertInteger('RealFft', 'n', n, 1);
    this.n = n;
    this.bins = Math.floor(n / 2) + 1;
    if (n % 2 === 0) {
      const h = n / 2;
      this.half = h;
      this.cplx = complexPlan(h);
      const tw = new Float64Array(2 * (h + 1));
      for (let k = 0; k <= h; k++) {
        const ang = (2 * Math.PI * k) / n;
        tw[2 * k] = Math.cos(ang);
        tw[2 * k + 1] = -Math.sin(ang);
      }
      this.twiddle = tw;
      this.z = new Float64Array(2 * h);
      this.zf = new Float64Array(2 * h);
    } else {
      this.half = 0;
      this.cplx = complexPlan(n);
      this.twiddle = new Float64Array(0);
      this.z = new Float64Array(2 * n);
      this.zf = new Float64Array(2 * n);
    }
    this.spec = new Float64Array(2 * this.bins);
  }

  /**
   * Unnormalised forward transform of `x` (zero-padded or truncated to n) into `outRe`, `outIm`
   * (each of length ≥ bins).
   */
  forward(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    const s = this.spec;
    this.forwardInterleaved(x, 0, Math.min(x.length, this.n), s);
    for (let k = 0; k < this.bins; k++) {
      outRe[k] = s[2 * k];
      outIm[k] = s[2 * k + 1];
    }
  }

  /**
   * Inverse transform of the half spectrum (`re`, `im`, length ≥ bins), divided by n, into `out`
   * (length ≥ n). The imaginary parts of bin 0 and (for even n) bin n/2 are ignored, as numpy does.
   */
  inverse(re: Float64Array, im: Float64Array, out: Float64Array): void {
    const s = this.spec;
    for (let k = 0; k < this.bins; k++) {
      s[2 * k] = re[k];
      s[2 * k + 1] = im[k];
    }
    this.inverseInterleaved(s, out, 1 / this.n);
  }

  /**
   * Hot-loop form of {@link forward}: transforms `x[start .. start+len)` zero-padded to n into the
   * interleaved half spectrum `out` (length ≥ 2·bins). Unchecked.
   * @internal
   */
  forwardInterleaved(x: ArrayLike<number>, start: number, len: number, out: Float64Array): void {
    if (this.half === 0) {
      const z = this.z;
      for (let j = 0; j < len; j++) {
        z[2 * j] = x[start + j];
        z[2 * j + 1] = 0;
      }
      z.fill(0, 2 * len);
      this.cplx.forward(z, this.zf);
      const zf = this.zf;
      for (let k = 0; k < 2 * this.bins; k++) out[k] = zf[k];
      return;
    }
    const h = this.half;
    const Z = this.packedForward(x, start, len);
    const tw = this.twiddle;
    // k = 0 and k = h
    out[0] = Z[0] + Z[1];
    out[1] = 0;
    out[2 * h] = Z[0] - Z[1];
    out[2 * h + 1] = 0;
    for (let k = 1; k < h; k++) {
      const a = 2 * k, b = 2 * (h - k);
      const zr = Z[a], zi = Z[a + 1];
      const cr = Z[b], ci = -Z[b + 1];
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const dr = zr - cr, di = zi - ci;
      const or = 0.5 * di, oi = -0.5 * dr; // (Zk − conj Z_{h−k}) / 2i
      const wr = tw[a], wi = tw[a + 1];
      out[a] = er + wr * or - wi * oi;
      out[a + 1] = ei + wr * oi + wi * or;
    }
  }

  /**
   * Hot-loop form of {@link inverse}: `out[0..n) ← scale · Σ_k X[k] e^{+2πi jk/n}` over the full
   * Hermitian spectrum described by the interleaved half spectrum `spec` (so `scale = 1/n` is the
   * normalised inverse). `spec` is not modified. Unchecked.
   * @internal
   */
  inverseInterleaved(spec: Float64Array, out: Float64Array, scale: number): void {
    const n = this.n;
    if (this.half === 0) {
      // odd n: rebuild the full Hermitian spectrum and run the complex inverse
      const z = this.z;
      const bins = this.bins;
      z[0] = spec[0];
      z[1] = 0;
      for (let k = 1; k < bins; k++) {
        z[2 * k] = spec[2 * k];
        z[2 * k + 1] = spec[2 * k + 1];
        z[2 * (n - k)] = spec[2 * k];
        z[2 * (n - k) + 1] = -spec[2 * k + 1];
      }
      this.cplx.inverse(z, this.zf);
      const zf = this.zf;
      for (let j = 0; j < n; j++) out[j] = scale * zf[2 * j];
      return;
    }
    const h = this.half;
    const Z = this.z;
    const tw = this.twiddle;
    {
      // k = 0 (imaginary parts of bins 0 and h ignored)
      const x0 = spec[0], xh = spec[2 * h];
      Z[1] = 0.5 * (x0 + xh); // stored swapped (im, re), see below
      Z[0] = 0.5 * (x0 - xh);
    }
    for (let k = 1; k < h; k++) {
      const a = 2 * k, b = 2 * (h - k);
      const xr = spec[a], xi = spec[a + 1];
      const cr = spec[b], ci = -spec[b + 1];
      const er = 0.5 * (xr + cr), ei = 0.5 * (xi + ci);
      const dr = 0.5 * (xr - cr), di = 0.5 * (xi - ci);
      const wr = tw[a], wi = -tw[a + 1]; // conj(W^k)
      const or = dr * wr - di * wi, oi = dr * wi + di * wr;
      Z[a + 1] = er - oi; // Ze + i·Zo, stored swapped (im, re)
      Z[a] = ei + or;
    }
    const zf = this.zf;
    // IDFT(Z) = swap(DFT(swap(Z))): Z was written swapped above, so one forward transform suffices
    this.cplx.forward(Z, zf);
    const s = 2 * scale; // unnormalised real inverse = 2 · IDFT_h(Z) (z packs x[2j] + i·x[2j+1])
    for (let j = 0; j < n; j += 2) {
      out[j] = s * zf[j + 1];
      out[j + 1] = s * zf[j];
    }
  }
  /**
   * Even n: the complex FFT of size n/2 of `x[start .. start+len)` zero-padded to n and packed as
   * `x[2j] + i·x[2j+1]` (the packed array is x itself, read as interleaved complex). Returns the
   * plan's scratch spectrum (valid until the next call).
   */
  private packedForward(x: ArrayLike<number>, start: number, len: number): Float64Array {
    const n = this.n;
    const z = this.z;
    const m = Math.min(len, n);
    for (let j = 0; j < m; j++) z[j] = x[start + j];
    if (m < n) z.fill(0, m);
    this.cplx.forward(z, this.zf);
    return this.zf;
  }

  /** See {@link convolveBlock}. @internal */
  convolveBlock(x: ArrayLike<number>, start: number, len: number, H: Float64Array, acc: Float64Array, accOffset: number, count: number): void {
    const n = this.n;
    const h = this.half;
    if (h === 0 || h === 1) {
      // odd n or n = 2: unfused path (never used by src/convolve, which picks powers of two ≥ 4)
      const spec = new Float64Array(2 * this.bins);
      this.forwardInterleaved(x, start, len, spec);
      for (let k = 0; k < 2 * this.bins; k += 2) {
        const xr = spec[k], xi = spec[k + 1];
        spec[k] = xr * H[k] - xi * H[k + 1];
        spec[k + 1] = xr * H[k + 1] + xi * H[k];
      }
      const y = new Float64Array(n);
      this.inverseInterleaved(spec, y, 0.5); // H carries 2/n
      for (let j = 0; j < count; j++) acc[accOffset + j] += y[j];
      return;
    }
    const z = this.z;
    const Z = this.packedForward(x, start, len);
    const tw = this.twiddle;
    // bins 0 and h are real: X0 = Re Z0 + Im Z0, Xh = Re Z0 − Im Z0
    {
      const y0 = (Z[0] + Z[1]) * H[0];
      const yh = (Z[0] - Z[1]) * H[2 * h];
      Z[1] = 0.5 * (y0 + yh); // repacked and stored swapped (im, re) for the inverse
      Z[0] = 0.5 * (y0 - yh);
    }
    const lim = h >> 1;
    for (let k = 1; k <= lim; k++) {
      const a = 2 * k, b = 2 * (h - k);
      const zr = Z[a], zi = Z[a + 1];
      const cr = Z[b], ci = -Z[b + 1];
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
      const wr = tw[a], wi = tw[a + 1];
      const tr = wr * or - wi * oi, ti = wr * oi + wi * or; // W^k · Zo
      // X[k] = Ze + W Zo ; X[h−k] = conj(Ze − W Zo)
      const xkr = er + tr, xki = ei + ti;
      const xmr = er - tr, xmi = -(ei - ti);
      const hkr = H[a], hki = H[a + 1], hmr = H[b], hmi = H[b + 1];
      const ykr = xkr * hkr - xki * hki, yki = xkr * hki + xki * hkr;
      const ymr = xmr * hmr - xmi * hmi, ymi = xmr * hmi + xmi * hmr;
      // Ye = (Y[k] + conj Y[h−k]) / 2 ; Yo = (Y[k] − conj Y[h−k]) · conj(W) / 2
      const yer = 0.5 * (ykr + ymr), yei = 0.5 * (yki - ymi);
      const dr = 0.5 * (ykr - ymr), di = 0.5 * (yki + ymi);
      const yor = dr * wr + di * wi, yoi = di * wr - dr * wi;
      // Z'[k] = Ye + i Yo ; Z'[h−k] = conj(Ye) + i conj(Yo); stored swapped (im, re)
      Z[a] = yei + yor;
      Z[a + 1] = yer - yoi;
      Z[b] = -yei + yor;
      Z[b + 1] = yer + yoi;
    }
    this.cplx.forward(Z, z);
    const o = accOffset;
    const c2 = count & ~1;
    for (let j = 0; j < c2; j += 2) {
      acc[o + j] += z[j + 1];
      acc[o + j + 1] += z[j];
    }
    if (c2 < count) acc[o + c2] += z[c2 + 1];
  }
}

/**
 * The fused overlap-add block of fast convolution for an even transform length (the hot loop of
 * src/convolve): `acc[accOffset + j] += (x[start .. start+len) ⊛ h)[j]` for `j < count`, where the
 * kernel is given by its spectrum from {@link blockKernelSpectrum} (same plan). One forward complex
 * FFT of n/2, one loop that unpacks the real spectrum, multiplies by the kernel and repacks for the
 * inverse, one more complex FFT of n/2. Unchecked: `len + kernel length − 1 ≤ n` must hold.
 * @internal
 */
export function convolveBlock(plan: RealFft, x: ArrayLike<number>, start: number, len: number, H: Float64Array, acc: Float64Array, accOffset: number, count: number): void {
  plan.convolveBlock(x, start, len, H, acc, accOffset, count);
}

/**
 * Kernel spectrum for {@link convolveBlock}: the interleaved half spectrum of `h` zero-padded to
 * `plan.n`, pre-scaled by 2/n (the inverse's normalisation and the real-packing factor folded in).
 * @internal
 */
export function blockKernelSpectrum(plan: RealFft, h: ArrayLike<number>, start = 0, len = h.length): Float64Array {
  const H = new Float64Array(2 * plan.bins);
  plan.forwardInterleaved(h, start, len, H);
  const s = 2 / plan.n;
  for (let i = 0; i < H.length; i++) H[i] *= s;
  return H;
}

const complexCache = new Map<number, ComplexFft>();
const realCache = new Map<number, RealFft>();
const CACHE_LIMIT = 64;

function cached<T>(cache: Map<number, T>, n: number, make: (n: number) => T): T {
  let p = cache.get(n);
  if (p === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as number);
    p = make(n);
    cache.set(n, p);
  }
  return p;
}

/** The cached {@link ComplexFft} of size n (at most 64 sizes are kept, oldest evicted first). */
export function complexPlan(n: number): ComplexFft {
  return cached(complexCache, n, (k) => new ComplexFft(k));
}

/** The cached {@link RealFft} of size n (at most 64 sizes are kept, oldest evicted first). */
export function realPlan(n: number): RealFft {
  return cached(realCache, n, (k) => new RealFft(k));
}
