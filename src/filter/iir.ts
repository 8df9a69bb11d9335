/**
 * IIR filter design — scipy.signal's `butter`, `cheby1`, `cheby2`, `ellip`, `bessel`, `iirfilter`,
 * `iirnotch`, `iirpeak` and `sosfreqz`, following scipy's path step for step: analog lowpass prototype
 * (`buttap`, `cheb1ap`, `cheb2ap`, `ellipap`, `besselap`) → frequency transform (`lp2lp`, `lp2hp`,
 * `lp2bp`, `lp2bs` on zeros/poles/gain) at pre-warped edges `4·tan(π·Wn/2)` (Wn normalised to Nyquist)
 * → bilinear transform → {@link zpk2sos} with scipy's 'nearest' pairing. The resulting sections agree
 * with `scipy.signal.<design>(..., output='sos')` row for row.
 *
 * Output: second-order sections by default — a flat `Float64Array` of `6·nSections`, row `s` at
 * `[6s … 6s+5]` = `[b0, b1, b2, 1, a1, a2]` (scipy's `(n, 6)` array, row-major; the form `sosfilt`
 * takes). scipy's default output is 'ba'; here 'sos' is the default because the polynomial form loses
 * precision quickly with order. `output: 'zpk'` and `output: 'ba'` give the other forms.
 * @module
 */
import { ArgumentTypeError, NumericalError, ValueError, message } from '../core/errors.js';
import type { Complex } from '../fft/transforms.js';
import { ellipj, ellipk, ellipkm1 } from './ellip.js';
import {
  type Cx,
  type SosInput,
  type TransferFunction,
  type Zpk,
  type ZpkCx,
  aberth,
  bilinearZpk,
  cadd,
  cabs,
  cconj,
  cdiv,
  cmul,
  cneg,
  cprod,
  cscale,
  csub,
  cx,
  lp2bpZpk,
  lp2bsZpk,
  lp2hpZpk,
  lp2lpZpk,
  toPlanes,
  toSos,
  zpkToSos,
  zpkToTf,
} from './zpk.js';

/** Filter band type (scipy's `btype`, full names). */
export type BandType = 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';

/** Output form of a design: second-order sections (default), zeros/poles/gain, or polynomials. */
export type IirOutput = 'sos' | 'zpk' | 'ba';

/** What a design returns for each {@link IirOutput}. */
export type IirResult<O extends IirOutput> = O extends 'zpk' ? Zpk : O extends 'ba' ? TransferFunction : Float64Array;

/** Critical frequency: one edge for lowpass/highpass, `[low, high]` for bandpass/bandstop. */
export type CriticalFrequency = number | readonly [number, number] | ArrayLike<number>;

/** Options shared by every IIR design. */
export interface IirOptions<O extends IirOutput = 'sos'> {
  /** Band type (default 'lowpass'; 'bandpass' in {@link iirfilter}, as scipy); scipy's aliases 'low', 'high', 'band', 'stop', 'lp', 'hp', 'bp', 'bs'… are accepted. */
  btype?: BandType | 'low' | 'high' | 'band' | 'pass' | 'stop' | 'bands' | 'lp' | 'hp' | 'bp' | 'bs' | 'l' | 'h';
  /** Sampling rate in Hz; `Wn` is then in Hz and must lie in (0, fs/2). Without it `Wn` is normalised: (0, 1), 1 = Nyquist. */
  fs?: number;
  /** Analog design: `Wn` in rad/s, no `fs`, poles in the left half s-plane (default false). */
  analog?: boolean;
  /** Output form (default 'sos'). */
  output?: O;
}

/** Analog prototype families (scipy's `ftype`). */
export type IirFamily = 'butter' | 'cheby1' | 'cheby2' | 'ellip' | 'bessel';

/** Frequency normalisation of the Bessel prototype (scipy's `norm`). */
export type BesselNorm = 'phase' | 'delay' | 'mag';

/** Options of {@link iirfilter}: a family and its parameters besides the shared ones. */
export interface IirFilterOptions<O extends IirOutput = 'sos'> extends IirOptions<O> {
  /** Prototype family (default 'butter'). */
  ftype?: IirFamily;
  /** Passband ripple in dB (cheby1, ellip), > 0. */
  rp?: number;
  /** Stopband attenuation in dB (cheby2, ellip), > 0. */
  rs?: number;
  /** Bessel normalisation (default 'phase'). */
  norm?: BesselNorm;
}

const BAND_ALIASES: Record<string, BandType> = {
  band: 'bandpass', bandpass: 'bandpass', pass: 'bandpass', bp: 'bandpass',
  bs: 'bandstop', bandstop: 'bandstop', bands: 'bandstop', stop: 'bandstop',
  l: 'lowpass', low: 'lowpass', lowpass: 'lowpass', lp: 'lowpass',
  h: 'highpass', high: 'highpass', highpass: 'highpass', hp: 'highpass',
};

// ---------------------------------------------------------------- analog prototypes (cutoff 1 rad/s)

const range = (start: number, stop: number, step: number): number[] => {
  const out: number[] = [];
  for (let v = start; v < stop; v += step) out.push(v);
  return out;
};

/** expm1(x·ln 10) = 10^x − 1 without cancellation (scipy's `_pow10m1`). */
const pow10m1 = (x: number): number => Math.expm1(x * Math.LN10);

/** Butterworth analog lowpass prototype: N poles evenly on the left unit semicircle, no zeros, k = 1. */
export function buttap(N: number): ZpkCx {
  const p = range(-N + 1, N, 2).map((m) => {
    const t = (Math.PI * m) / (2 * N);
    return cx(-Math.cos(t), -Math.sin(t));
  });
  return { z: [], p, k: 1 };
}

/** Chebyshev type I analog lowpass prototype with `rp` dB passband ripple (scipy's `cheb1ap`). */
export function cheb1ap(N: number, rp: number): ZpkCx {
  const eps = Math.sqrt(10 ** (0.1 * rp) - 1);
  const mu = (1 / N) * Math.asinh(1 / eps);
  const p = range(-N + 1, N, 2).map((m) => {
    const theta = (Math.PI * m) / (2 * N);
    return cx(-Math.sinh(mu) * Math.cos(theta), -Math.cosh(mu) * Math.sin(theta));
  });
  let k = cprod(p.map(cneg)).re;
  if (N % 2 === 0) k = k / Math.sqrt(1 + eps * eps);
  return { z: [], p, k };
}

/** Chebyshev type II analog lowpass prototype with `rs` dB stopband attenuation (scipy's `cheb2ap`). */
export function cheb2ap(N: number, rs: number): ZpkCx {
  const de = 1 / Math.sqrt(10 ** (0.1 * rs) - 1);
  const mu = Math.asinh(1 / de) / N;
  const m = N % 2 ? [...range(-N + 1, 0, 2), ...range(2, N, 2)] : range(-N + 1, N, 2);
  const z = m.map((mm) => cx(-0, 1 / Math.sin((mm * Math.PI) / (2 * N))));
  const p = range(-N + 1, N, 2).map((mm) => {
    const t = (Math.PI * mm) / (2 * N);
    const b = cx(-Math.cos(t), -Math.sin(t));
    return cdiv(cx(1), cx(Math.sinh(mu) * b.re, Math.cosh(mu) * b.im));
  });
  const k = cdiv(cprod(p.map(cneg)), cprod(z.map(cneg))).re;
  return { z, p, k };
}

/** Nome-series solution of the elliptic degree equation (scipy's `_ellipdeg`). */
function ellipdeg(n: number, m1: number): number {
  const K1 = ellipk(m1);
  const K1p = ellipkm1(m1);
  const q1 = Math.exp((-Math.PI * K1p) / K1);
  const q = q1 ** (1 / n);
  let num = 0;
  for (let m = 0; m <= 7; m++) num += q ** (m * (m + 1));
  let den = 0;
  for (let m = 1; m <= 8; m++) den += q ** (m * m);
  den = 1 + 2 * den;
  return 16 * q * (num / den) ** 4;
}

/**
 * Imaginary part of the inverse Jacobi `sn` at the imaginary point `i·w` — scipy's `_arc_jac_sc1(w, m)`,
 * by descending Landen transformations (real arithmetic: the argument stays on the imaginary axis).
 */
function arcJacSc1(fn: string, w: number, m: number): number {
  const complement = (kx: number): number => Math.sqrt((1 - kx) * (1 + kx));
  const k = Math.sqrt(m);
  if (k === 1) return Math.atan(w);
  const ks = [k];
  while (ks[ks.length - 1] !== 0) {
    const kp = complement(ks[ks.length - 1]);
    ks.push((1 - kp) / (1 + kp));
    if (ks.length > 11) throw new ValueError(message(fn, 'the Landen transformation must converge', m));
  }
  let K = 1;
  for (let i = 1; i < ks.length; i++) K *= 1 + ks[i];
  K *= Math.PI / 2;
  let y = w;
  for (let i = 0; i + 1 < ks.length; i++) {
    const a = ks[i] * y;
    y = (2 * y) / ((1 + ks[i + 1]) * (1 + Math.sqrt(1 + a * a)));
  }
  return K * ((2 / Math.PI) * Math.asinh(y));
}

/** Elliptic (Cauer) analog lowpass prototype, `rp` dB ripple, `rs` dB attenuation (scipy's `ellipap`). */
export function ellipap(N: number, rp: number, rs: number, fn = 'ellipap'): ZpkCx {
  if (N === 1) {
    const p = -Math.sqrt(1 / pow10m1(0.1 * rp));
    return { z: [], p: [cx(p)], k: -p };
  }
  const epsSq = pow10m1(0.1 * rp);
  const eps = Math.sqrt(epsSq);
  const ck1Sq = epsSq / pow10m1(0.1 * rs);
  if (ck1Sq === 0) throw new ValueError(message(fn, 'rp and rs must admit a design (rp/rs ratio underflows)', { verbatim: `rp=${rp}, rs=${rs}` }));
  const val0 = ellipk(ck1Sq);
  const m = ellipdeg(N, ck1Sq);
  const capk = ellipk(m);
  const js = range(1 - (N % 2), N, 2);
  const sj = js.map((j) => ellipj((j * capk) / N, m));
  const zHalf = sj.filter((e) => Math.abs(e.sn) > 2e-16).map((e) => cx(0, 1 / (Math.sqrt(m) * e.sn)));
  const z = [...zHalf, ...zHalf.map(cconj)];
  const r = arcJacSc1(fn, 1 / eps, ck1Sq);
  const v0 = (capk * r) / (N * val0);
  const { sn: sv, cn: cv, dn: dv } = ellipj(v0, 1 - m);
  let p = sj.map(({ sn: s, cn: c, dn: d }) => {
    const den = 1 - (d * sv) ** 2;
    return cx(-(c * d * sv * cv) / den, -(s * dv) / den);
  });
  if (N % 2) {
    const norm = Math.sqrt(p.reduce((acc, v) => acc + (v.re * v.re + v.im * v.im), 0));
    const newp = p.filter((v) => Math.abs(v.im) > 2e-16 * norm);
    p = [...p, ...newp.map(cconj)];
  } else p = [...p, ...p.map(cconj)];
  let k = cdiv(cprod(p.map(cneg)), cprod(z.map(cneg))).re;
  if (N % 2 === 0) k = k / Math.sqrt(1 + epsSq);
  return { z, p, k };
}

/** (2n)!/(2ⁿ·n!) — the constant coefficient of the reverse Bessel polynomial θₙ — exactly, as a double. */
function besselConstant(n: number): number {
  let v = 1n;
  for (let k = n + 1; k <= 2 * n; k++) v *= BigInt(k);
  return Number(v / 2n ** BigInt(n));
}

/**
 * The ordinary Bessel polynomial yₙ and its derivative at a complex point, by the three-term recurrence
 * yₖ = (2k−1)·x·yₖ₋₁ + yₖ₋₂ (y₀ = 1, y₁ = 1 + x) — stable near the zeros, unlike the expanded
 * coefficients, which grow like (2n)!/n!.
 */
function besselY(n: number, x: Cx): [Cx, Cx] {
  let y0 = cx(1);
  let d0 = cx(0);
  let y1 = cx(1 + x.re, x.im);
  let d1 = cx(1);
  for (let k = 2; k <= n; k++) {
    const y2 = cadd(cscale(cmul(x, y1), 2 * k - 1), y0);
    const d2 = cadd(cscale(cadd(y1, cmul(x, d1)), 2 * k - 1), d0);
    y0 = y1;
    d0 = d1;
    y1 = y2;
    d1 = d2;
  }
  return [y1, d1];
}

/** A double-double number hi + lo (|lo| ≤ ulp(hi)/2): about 32 significant digits. */
type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const split = 134217729; // 2^27 + 1 (Dekker)
  const ta = split * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = split * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  return twoSum(s, e + a[1] + b[1]);
}

function ddMul(a: DD, b: number): DD {
  const [p, e] = twoProd(a[0], b);
  return twoSum(p, e + a[1] * b);
}

/**
 * yₙ(x) by the same recurrence in double-double arithmetic, rounded to double: near a zero the last
 * step cancels almost completely, and the extra precision keeps the value accurate to full double
 * precision relative to the terms, so Newton's method converges to the correctly rounded zero.
 */
function besselYAccurate(n: number, x: Cx): Cx {
  let r0: DD = [1, 0];
  let i0: DD = [0, 0];
  let r1: DD = twoSum(1, x.re);
  let i1: DD = [x.im, 0];
  for (let k = 2; k <= n; k++) {
    const c = 2 * k - 1;
    const re = ddAdd(ddMul(r1, x.re), ddMul(i1, -x.im));
    const im = ddAdd(ddMul(i1, x.re), ddMul(r1, x.im));
    const r2 = ddAdd(ddMul(re, c), r0);
    const i2 = ddAdd(ddMul(im, c), i0);
    r0 = r1;
    i0 = i1;
    r1 = r2;
    i1 = i2;
  }
  return cx(r1[0] + r1[1], i1[0] + i1[1]);
}

/** Campos–Calderón starting points for the zeros of yₙ (scipy's `_campos_zeros`). */
function camposZeros(n: number): Cx[] {
  if (n === 1) return [cx(-1)];
  const pv = (x: number, c: number[]): number => c.reduceRight((acc, ci) => acc * x + ci, 0);
  const s = pv(n, [0, 0, 2, 0, -3, 1]);
  const b3 = pv(n, [16, -8]) / s;
  const b2 = pv(n, [-24, -12, 12]) / s;
  const b1 = pv(n, [8, 24, -12, -2]) / s;
  const b0 = pv(n, [0, -6, 0, 5, -1]) / s;
  const r = pv(n, [0, 0, 2, 1]);
  const a1 = pv(n, [-6, -6]) / r;
  const a2 = 6 / r;
  return Array.from({ length: n }, (_, i) => {
    const k = i + 1;
    return cx(pv(k, [0, a1, a2]), pv(k, [b0, b1, b2, b3]));
  });
}

/** Secant iteration as scipy.optimize.newton without a derivative (tol 1.48e-8), for the 'mag' norm. */
function secant(f: (x: number) => number, x0: number): number {
  let p0 = x0;
  let p1 = x0 * (1 + 1e-4) + (x0 >= 0 ? 1e-4 : -1e-4);
  let q0 = f(p0);
  let q1 = f(p1);
  if (Math.abs(q1) < Math.abs(q0)) [p0, p1, q0, q1] = [p1, p0, q1, q0];
  for (let it = 0; it < 50; it++) {
    let p: number;
    if (q1 === q0) p = (p1 + p0) / 2;
    else if (Math.abs(q1) > Math.abs(q0)) p = ((-q0 / q1) * p1 + p0) / (1 - q0 / q1);
    else p = ((-q1 / q0) * p0 + p1) / (1 - q1 / q0);
    if (Math.abs(p - p1) < 1.48e-8) return p;
    p0 = p1;
    q0 = q1;
    p1 = p;
    q1 = f(p1);
  }
  return p1;
}

/** Highest Bessel order designed (zeros accurate to ~1e-15 up to here; see `besselap`). */
export const BESSEL_MAX_ORDER = 30;

/**
 * Bessel–Thomson analog lowpass prototype (scipy's `besselap`): poles are the reciprocals of the zeros
 * of the Bessel polynomial yₙ (Aberth–Ehrlich from Campos–Calderón starting points, then Newton, with
 * yₙ evaluated by its three-term recurrence in double-double arithmetic), accurate to ~1e-15 for
 * N ≤ {@link BESSEL_MAX_ORDER},
 * normalised by `norm` — 'phase' (default: phase −Nπ/4 at 1 rad/s, Butterworth asymptotes),
 * 'delay' (group delay 1 s at DC), 'mag' (−3 dB at 1 rad/s).
 */
export function besselap(N: number, norm: BesselNorm = 'phase'): ZpkCx {
  const f = (x: Cx): [Cx, Cx] => [besselYAccurate(N, x), besselY(N, x)[1]];
  let x = aberth(f, camposZeros(N), 1e-15, 200);
  // Newton polishing, then exact conjugate symmetry.
  x = x.map((xi) => {
    let v = xi;
    for (let i = 0; i < 4; i++) {
      const [y, dy] = f(v);
      if (dy.re === 0 && dy.im === 0) break;
      v = csub(v, cdiv(y, dy));
    }
    return v;
  });
  x = x.map((xi, i) => cscale({ re: xi.re + x[N - 1 - i].re, im: xi.im - x[N - 1 - i].im }, 0.5));
  let p = x.map((xi) => cdiv(cx(1), xi));
  const aLast = besselConstant(N);
  let k: number;
  if (norm === 'phase') {
    const f = 10 ** (-Math.log10(aLast) / N);
    p = p.map((v) => cscale(v, f));
    k = 1;
  } else {
    k = aLast;
    if (norm === 'mag') {
      const gain = (w: number): number => Math.abs(k) / cabs(cprod(p.map((pi) => csub(cx(0, w), pi))));
      const nf = secant((w) => gain(w) - 1 / Math.sqrt(2), 1.5);
      p = p.map((v) => cscale(v, 1 / nf));
      k = nf ** -N * aLast;
    }
  }
  return { z: [], p, k };
}

// ---------------------------------------------------------------- validation

function assertOrder(fn: string, N: unknown): number {
  if (typeof N !== 'number') throw new ArgumentTypeError(message(fn, 'order N must be an integer', N));
  if (!Number.isInteger(N) || N < 1) throw new ValueError(message(fn, 'order N must be an integer ≥ 1', N));
  return N;
}

function assertDecibels(fn: string, name: string, v: unknown, what: string): number {
  if (v === undefined) throw new ValueError(message(fn, `${name} (${what} in dB) must be given`, v));
  if (typeof v !== 'number') throw new ArgumentTypeError(message(fn, `${name} (${what} in dB) must be a number`, v));
  if (!Number.isFinite(v) || v <= 0) throw new ValueError(message(fn, `${name} (${what} in dB) must be finite and > 0`, v));
  return v;
}

function readBand(fn: string, btype: unknown): BandType {
  const b = typeof btype === 'string' ? BAND_ALIASES[btype.toLowerCase()] : undefined;
  if (b === undefined) throw new ValueError(message(fn, "btype must be one of 'lowpass', 'highpass', 'bandpass', 'bandstop'", btype));
  return b;
}

/** Validates `Wn` against the band type and domain; returns the edges normalised to Nyquist (digital) or in rad/s (analog). */
function readEdges(fn: string, Wn: unknown, btype: BandType, fs: number | undefined, analog: boolean): number[] {
  const band = btype === 'bandpass' || btype === 'bandstop';
  let edges: number[];
  if (typeof Wn === 'number') edges = [Wn];
  else if (Array.isArray(Wn) || Wn instanceof Float64Array || Wn instanceof Float32Array) edges = Array.from(Wn as ArrayLike<number>);
  else throw new ArgumentTypeError(message(fn, 'Wn must be a number or a [low, high] pair', Wn));
  edges.forEach((e) => {
    if (typeof e !== 'number') throw new ArgumentTypeError(message(fn, 'Wn must hold numbers', e));
  });
  if (band && edges.length !== 2) throw new ValueError(message(fn, `Wn must be a [low, high] pair for a ${btype} filter`, Wn));
  if (!band && edges.length !== 1) throw new ValueError(message(fn, `Wn must be a single critical frequency for a ${btype} filter`, Wn));
  const shown = edges.length === 1 ? String(edges[0]) : `[${edges.join(', ')}]`;
  if (edges.some((e) => !Number.isFinite(e))) throw new ValueError(message(fn, 'Wn must be finite', { verbatim: shown }));
  if (fs !== undefined) {
    if (analog) throw new ValueError(message(fn, 'fs must not be given for an analog filter', fs));
    if (typeof fs !== 'number') throw new ArgumentTypeError(message(fn, 'fs must be a number', fs));
    if (!Number.isFinite(fs) || fs <= 0) throw new ValueError(message(fn, 'fs must be finite and > 0', fs));
  }
  if (analog) {
    if (edges.some((e) => e <= 0)) throw new ValueError(message(fn, 'analog critical frequencies Wn must be > 0 (rad/s)', { verbatim: shown }));
  } else {
    const norm = edges.map((e) => (fs === undefined ? e : (2 * e) / fs));
    if (norm.some((e) => !(e > 0 && e < 1))) {
      const domain = fs === undefined ? '(0, 1) (1 = Nyquist)' : `(0, fs/2) = (0, ${fs / 2})`;
      throw new ValueError(message(fn, `digital critical frequencies Wn must lie in ${domain}`, { verbatim: shown }));
    }
    edges = norm;
  }
  if (band && !(edges[0] < edges[1])) throw new ValueError(message(fn, 'Wn[0] must be less than Wn[1]', { verbatim: shown }));
  return edges;
}

function readOutput(fn: string, output: unknown): IirOutput {
  if (output === undefined) return 'sos';
  if (output !== 'sos' && output !== 'zpk' && output !== 'ba') throw new ValueError(message(fn, "output must be one of 'sos', 'zpk', 'ba'", output));
  return output;
}

// ---------------------------------------------------------------- the design path

function design(fn: string, N: unknown, Wn: unknown, family: IirFamily, opts: IirFilterOptions<IirOutput>): Float64Array | Zpk | TransferFunction {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw new ArgumentTypeError(message(fn, 'options must be an object', opts));
  const order = assertOrder(fn, N);
  const btype = readBand(fn, opts.btype ?? 'lowpass');
  const analog = opts.analog ?? false;
  if (typeof analog !== 'boolean') throw new ArgumentTypeError(message(fn, 'analog must be a boolean', analog));
  const output = readOutput(fn, opts.output);
  const edges = readEdges(fn, Wn, btype, opts.fs, analog);
  let proto: ZpkCx;
  switch (family) {
    case 'butter':
      proto = buttap(order);
      break;
    case 'cheby1':
      proto = cheb1ap(order, assertDecibels(fn, 'rp', opts.rp, 'passband ripple'));
      break;
    case 'cheby2':
      proto = cheb2ap(order, assertDecibels(fn, 'rs', opts.rs, 'stopband attenuation'));
      break;
    case 'ellip': {
      const rp = assertDecibels(fn, 'rp', opts.rp, 'passband ripple');
      const rs = assertDecibels(fn, 'rs', opts.rs, 'stopband attenuation');
      if (!(rp < rs)) throw new ValueError(message(fn, 'passband ripple rp must be less than stopband attenuation rs', { verbatim: `rp=${rp}, rs=${rs}` }));
      proto = ellipap(order, rp, rs, fn);
      break;
    }
    case 'bessel': {
      if (order > BESSEL_MAX_ORDER) throw new ValueError(message(fn, `Bessel order N must be ≤ ${BESSEL_MAX_ORDER} (beyond it the double-double evaluation of the Bessel polynomial cannot place its zeros to full precision)`, order));
      const norm = opts.norm ?? 'phase';
      if (norm !== 'phase' && norm !== 'delay' && norm !== 'mag') throw new ValueError(message(fn, "norm must be one of 'phase', 'delay', 'mag'", norm));
      proto = besselap(order, norm);
      break;
    }
    default:
      throw new ValueError(message(fn, "ftype must be one of 'butter', 'cheby1', 'cheby2', 'ellip', 'bessel'", family));
  }
  const fsDesign = 2;
  const warped = analog ? edges : edges.map((w) => 2 * fsDesign * Math.tan((Math.PI * w) / fsDesign));
  let zpk: ZpkCx;
  if (btype === 'lowpass') zpk = lp2lpZpk(proto, warped[0]);
  else if (btype === 'highpass') zpk = lp2hpZpk(proto, warped[0]);
  else {
    const bw = warped[1] - warped[0];
    const wo = Math.sqrt(warped[0] * warped[1]);
    zpk = btype === 'bandpass' ? lp2bpZpk(proto, wo, bw) : lp2bsZpk(proto, wo, bw);
  }
  if (!analog) zpk = bilinearZpk(zpk, fsDesign);
  checkDesign(fn, zpk, analog);
  if (output === 'zpk') return { z: toPlanes(zpk.z), p: toPlanes(zpk.p), k: zpk.k };
  if (output === 'ba') return zpkToTf(zpk.z, zpk.p, zpk.k);
  return zpkToSos(fn, zpk.z, zpk.p, zpk.k, analog ? 'minimal' : 'nearest', analog);
}

/**
 * Refuses a design that double precision could not deliver: non-finite poles, zeros or gain, or a pole
 * on or beyond the stability boundary (|p| ≥ 1 digital, Re p ≥ 0 analog) — extreme ripple,
 * attenuation or edges make the prototype's poles collapse onto the boundary.
 */
function checkDesign(fn: string, { z, p, k }: ZpkCx, analog: boolean): void {
  const bad = [...z, ...p].find((v) => !Number.isFinite(v.re) || !Number.isFinite(v.im));
  if (bad !== undefined || !Number.isFinite(k)) throw new NumericalError(message(fn, 'the design must have finite zeros, poles and gain (the specification is too extreme for double precision)', { verbatim: bad ? `${bad.re}${bad.im < 0 ? '-' : '+'}${Math.abs(bad.im)}j` : String(k) }));
  for (const v of p) {
    const unstable = analog ? v.re >= 0 : cabs(v) >= 1;
    if (unstable) throw new NumericalError(message(fn, `every pole must lie ${analog ? 'in the left half-plane' : 'inside the unit circle'} (the specification is too extreme for double precision)`, { verbatim: `pole ${v.re}${v.im < 0 ? '-' : '+'}${Math.abs(v.im)}j with |p| = ${cabs(v)}` }));
  }
}

/**
 * IIR design of any family — `scipy.signal.iirfilter`, including its default `btype` 'bandpass' (the
 * named designers default to 'lowpass', as scipy's). The default output is 'sos' (scipy's is 'ba'), here
 * and in every designer, because the polynomial form loses precision quickly with order.
 *
 * @param N filter order ≥ 1 (band filters get 2N poles).
 * @param Wn critical frequency: a number (lowpass/highpass) or `[low, high]` (bandpass/bandstop); in Hz
 *   with `fs`, else normalised to Nyquist (0 < Wn < 1); rad/s when `analog`.
 * @param options `ftype` family, its `rp`/`rs`/`norm`, and {@link IirOptions}.
 * @returns sections `Float64Array(6·nSections)` (default), or `Zpk` / `TransferFunction` per `output`.
 * @throws {ValueError} for an order that is not an integer ≥ 1, an edge outside (0, fs/2) or (0, 1), band
 *   edges not increasing, a missing or non-positive `rp`/`rs`, an unknown `btype`/`ftype`/`output`/`norm`.
 * @throws {ArgumentTypeError} for arguments of the wrong kind.
 * @example
 * const sos = iirfilter(4, [1, 10], { ftype: 'cheby1', rp: 1, btype: 'bandpass', fs: 100 }); // 4 sections
 */
export function iirfilter<O extends IirOutput = 'sos'>(N: number, Wn: CriticalFrequency, options: IirFilterOptions<O> = {}): IirResult<O> {
  const fn = 'iirfilter';
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
  const ftype = options.ftype ?? 'butter';
  if (!['butter', 'cheby1', 'cheby2', 'ellip', 'bessel'].includes(ftype)) throw new ValueError(message(fn, "ftype must be one of 'butter', 'cheby1', 'cheby2', 'ellip', 'bessel'", ftype));
  return design(fn, N, Wn, ftype, { btype: 'bandpass', ...options } as IirFilterOptions<IirOutput>) as IirResult<O>;
}

/**
 * Butterworth filter — `scipy.signal.butter(N, Wn, btype, analog, output='sos', fs)`: maximally flat
 * passband, −3 dB at `Wn`. Matches scipy's sections to ~1e-14 relative.
 *
 * @param N order ≥ 1 (bandpass/bandstop have 2N poles, N sections).
 * @param Wn cutoff: a number, or `[low, high]` for band filters; Hz with `fs`, else normalised (1 = Nyquist).
 * @returns flat sections `Float64Array(6·⌈N/2⌉)` (or 6·N for band filters), rows `[b0, b1, b2, 1, a1, a2]`;
 *   `output: 'zpk' | 'ba'` gives the other forms.
 * @throws {ValueError} bad order, edges outside (0, fs/2), unordered band edges, unknown options.
 * @throws {NumericalError} when double precision cannot deliver the design (a pole on the unit circle), for
 *   every designer: e.g. `cheby1(4, 400, 0.3)`.
 * @example
 * const sos = butter(4, 10, { fs: 100 });            // 4th-order lowpass at 10 Hz, 2 sections
 * const bp = butter(2, [5, 15], { btype: 'bandpass', fs: 100 });
 */
export function butter<O extends IirOutput = 'sos'>(N: number, Wn: CriticalFrequency, options: IirOptions<O> = {}): IirResult<O> {
  return design('butter', N, Wn, 'butter', (options ?? {}) as IirFilterOptions<IirOutput>) as IirResult<O>;
}

/**
 * Chebyshev type I filter — `scipy.signal.cheby1(N, rp, Wn, ...)`: equiripple passband with `rp` dB
 * peak-to-peak ripple, gain −rp dB at `Wn`. Matches scipy's sections to ~1e-13 relative.
 *
 * @param N order ≥ 1. @param rp passband ripple in dB (> 0). @param Wn edge(s), see {@link butter}.
 * @throws {ValueError} as {@link butter}, and for `rp` not finite and > 0.
 * @example
 * const sos = cheby1(5, 0.5, [0.2, 0.4], { btype: 'bandstop' });
 */
export function cheby1<O extends IirOutput = 'sos'>(N: number, rp: number, Wn: CriticalFrequency, options: IirOptions<O> = {}): IirResult<O> {
  return design('cheby1', N, Wn, 'cheby1', { ...(options ?? {}), rp } as IirFilterOptions<IirOutput>) as IirResult<O>;
}

/**
 * Chebyshev type II filter — `scipy.signal.cheby2(N, rs, Wn, ...)`: monotone passband, equiripple
 * stopband at least `rs` dB down, reached at `Wn`. Matches scipy's sections to ~1e-13 relative.
 *
 * @param N order ≥ 1. @param rs stopband attenuation in dB (> 0). @param Wn edge(s), see {@link butter}.
 * @throws {ValueError} as {@link butter}, and for `rs` not finite and > 0.
 * @example
 * const sos = cheby2(6, 40, 1000, { btype: 'highpass', fs: 8000 });
 */
export function cheby2<O extends IirOutput = 'sos'>(N: number, rs: number, Wn: CriticalFrequency, options: IirOptions<O> = {}): IirResult<O> {
  return design('cheby2', N, Wn, 'cheby2', { ...(options ?? {}), rs } as IirFilterOptions<IirOutput>) as IirResult<O>;
}

/**
 * Elliptic (Cauer) filter — `scipy.signal.ellip(N, rp, rs, Wn, ...)`: equiripple passband (`rp` dB) and
 * stopband (≥ `rs` dB down), the steepest transition for the order. The prototype solves the degree
 * equation with Jacobi elliptic functions (scipy's `ellipap`); sections agree with scipy to ~1e-12.
 *
 * @param N order ≥ 1. @param rp passband ripple dB (> 0). @param rs stopband attenuation dB (> 0).
 * @param Wn passband edge(s), see {@link butter}.
 * @throws {ValueError} as {@link butter}, for `rp`/`rs` not finite and > 0, and for rp ≥ rs.
 * @example
 * const sos = ellip(6, 0.087, 90, 1000, { fs: 8000 }); // scipy's zpk2sos docstring example
 */
export function ellip<O extends IirOutput = 'sos'>(N: number, rp: number, rs: number, Wn: CriticalFrequency, options: IirOptions<O> = {}): IirResult<O> {
  return design('ellip', N, Wn, 'ellip', { ...(options ?? {}), rp, rs } as IirFilterOptions<IirOutput>) as IirResult<O>;
}

/**
 * Bessel–Thomson filter — `scipy.signal.bessel(N, Wn, ..., norm='phase')`: maximally flat group delay.
 * `norm` 'phase' (default, as scipy) puts the phase midpoint at `Wn`; 'delay' makes the group delay
 * 1/Wn s; 'mag' puts −3 dB at `Wn`. Poles from the Bessel polynomial by Aberth–Ehrlich iteration;
 * sections agree with scipy to ~1e-14 for orders up to {@link BESSEL_MAX_ORDER} = 30 (the limit here;
 * scipy goes higher).
 *
 * @param N order ≥ 1. @param Wn edge(s), see {@link butter}.
 * @throws {ValueError} as {@link butter}, for N > 30 and for an unknown `norm`.
 * @example
 * const sos = bessel(4, 0.2, { norm: 'mag' });
 */
export function bessel<O extends IirOutput = 'sos'>(N: number, Wn: CriticalFrequency, options: IirOptions<O> & { norm?: BesselNorm } = {}): IirResult<O> {
  return design('bessel', N, Wn, 'bessel', (options ?? {}) as IirFilterOptions<IirOutput>) as IirResult<O>;
}

// ---------------------------------------------------------------- notch and peak

function notchPeak(fn: string, kind: 'notch' | 'peak', w0: unknown, Q: unknown, fs: unknown): TransferFunction {
  if (typeof fs !== 'number') throw new ArgumentTypeError(message(fn, 'fs must be a number', fs));
  if (!Number.isFinite(fs) || fs <= 0) throw new ValueError(message(fn, 'fs must be finite and > 0', fs));
  if (typeof w0 !== 'number') throw new ArgumentTypeError(message(fn, 'w0 must be a number', w0));
  if (!(w0 > 0 && w0 < fs / 2)) throw new ValueError(message(fn, `w0 must lie in (0, fs/2) = (0, ${fs / 2})`, w0));
  if (typeof Q !== 'number') throw new ArgumentTypeError(message(fn, 'Q must be a number', Q));
  if (!Number.isFinite(Q) || Q <= 0) throw new ValueError(message(fn, 'quality factor Q must be finite and > 0', Q));
  const wn = (2 * w0) / fs;
  const bw = (wn / Q) * Math.PI;
  const w = wn * Math.PI;
  const gb = 1 / Math.sqrt(2);
  const beta = kind === 'notch' ? (Math.sqrt(1 - gb ** 2) / gb) * Math.tan(bw / 2) : (gb / Math.sqrt(1 - gb ** 2)) * Math.tan(bw / 2);
  const gain = 1 / (1 + beta);
  const b = kind === 'notch' ? Float64Array.of(gain, gain * (-2 * Math.cos(w)), gain) : Float64Array.of(1 - gain, 0, (1 - gain) * -1);
  return { b, a: Float64Array.of(1, -2 * gain * Math.cos(w), 2 * gain - 1) };
}

/**
 * Second-order IIR notch filter — `scipy.signal.iirnotch(w0, Q, fs)`: unit gain except a zero at `w0`,
 * −3 dB bandwidth `w0/Q`. Returns `{ b, a }` (3 coefficients each, `a[0] = 1`); the single section for
 * `sosfilt` is `Float64Array.of(...b, ...a)`. Agrees with scipy to ~1e-15.
 *
 * @param w0 notch frequency, in (0, fs/2) (Hz with `fs`; with the default fs = 2, normalised to Nyquist).
 * @param Q quality factor w0/bandwidth, > 0.
 * @param fs sampling rate (default 2).
 * @throws {ValueError} for w0 outside (0, fs/2), Q or fs not finite and > 0.
 * @example
 * const { b, a } = iirnotch(50, 30, 1000); // mains hum at 50 Hz
 */
export function iirnotch(w0: number, Q: number, fs = 2): TransferFunction {
  return notchPeak('iirnotch', 'notch', w0, Q, fs);
}

/**
 * Second-order IIR peak (resonator) filter — `scipy.signal.iirpeak(w0, Q, fs)`: unit gain at `w0`,
 * −3 dB bandwidth `w0/Q`, zeros at DC and Nyquist. Returns `{ b, a }` as {@link iirnotch}.
 *
 * @param w0 centre frequency in (0, fs/2). @param Q quality factor > 0. @param fs sampling rate (default 2).
 * @throws {ValueError} for w0 outside (0, fs/2), Q or fs not finite and > 0.
 * @example
 * const { b, a } = iirpeak(1000, 10, 8000);
 */
export function iirpeak(w0: number, Q: number, fs = 2): TransferFunction {
  return notchPeak('iirpeak', 'peak', w0, Q, fs);
}

// ---------------------------------------------------------------- frequency response

/** Options of {@link sosfreqz}. */
export interface SosFreqzOptions {
  /** Number of frequencies (default 512), or the frequencies themselves (in the units of `fs`). */
  worN?: number | ArrayLike<number>;
  /** Integer `worN` spans [0, fs) instead of [0, fs/2) (default false). */
  whole?: boolean;
  /** Sampling rate (default 2π: frequencies in rad/sample). */
  fs?: number;
}

/**
 * Frequency response of second-order sections — `scipy.signal.sosfreqz`:
 * `H(e^{jω}) = Π_s (b0 + b1 e^{−jω} + b2 e^{−2jω}) / (1 + a1 e^{−jω} + a2 e^{−2jω})`.
 *
 * @param sos flat `Float64Array(6·n)` or `number[][]` rows `[b0, b1, b2, 1, a1, a2]`.
 * @param options `worN` (count, default 512, or explicit frequencies), `whole`, `fs` (default 2π).
 * @returns `w` (frequencies in the units of `fs`; for a count N: `i·(fs/2)/N`, or `i·fs/N` when whole)
 *   and the complex response `h` as planes.
 * @throws {ShapeError | ValueError} for malformed sections (see `toSos`), a negative or non-integer
 *   count, non-finite frequencies or `fs`.
 * @example
 * const { w, h } = sosfreqz(butter(4, 10, { fs: 100 }), { worN: 256, fs: 100 });
 * const gainDb = Array.from(w, (_, i) => 20 * Math.log10(Math.hypot(h.re[i], h.im[i])));
 */
export function sosfreqz(sos: SosInput, options: SosFreqzOptions = {}): { w: Float64Array; h: Complex } {
  const fn = 'sosfreqz';
  const s = toSos(fn, sos);
  const { worN = 512, whole = false, fs = 2 * Math.PI } = options ?? {};
  if (typeof fs !== 'number') throw new ArgumentTypeError(message(fn, 'fs must be a number', fs));
  if (!Number.isFinite(fs) || fs <= 0) throw new ValueError(message(fn, 'fs must be finite and > 0', fs));
  let w: Float64Array;
  if (typeof worN === 'number') {
    if (!Number.isInteger(worN) || worN < 0) throw new ValueError(message(fn, 'worN must be an integer ≥ 0 or an array of frequencies', worN));
    const step = (whole ? 2 * Math.PI : Math.PI) / worN;
    w = Float64Array.from({ length: worN }, (_, i) => i * step);
  } else if (Array.isArray(worN) || worN instanceof Float64Array || worN instanceof Float32Array) {
    w = Float64Array.from(worN as ArrayLike<number>, (f, i) => {
      if (typeof f !== 'number' || !Number.isFinite(f)) throw new ValueError(message(fn, 'worN frequencies must be finite numbers', { verbatim: `${f} at index ${i}` }));
      return (2 * Math.PI * f) / fs;
    });
  } else throw new ArgumentTypeError(message(fn, 'worN must be a count or an array of frequencies', worN));
  const re = new Float64Array(w.length);
  const im = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const x = cx(Math.cos(w[i]), -Math.sin(w[i]));
    let h = cx(1);
    for (let o = 0; o < s.length; o += 6) {
      // Horner in x = e^{−jω}: c0 + x·(c1 + x·c2), numerator and denominator.
      const numH = cmul(x, { re: s[o + 1] + x.re * s[o + 2], im: x.im * s[o + 2] });
      const den = cmul(x, { re: s[o + 4] + x.re * s[o + 5], im: x.im * s[o + 5] });
      h = cmul(h, cdiv({ re: s[o] + numH.re, im: numH.im }, { re: s[o + 3] + den.re, im: den.im }));
    }
    re[i] = h.re;
    im[i] = h.im;
  }
  return { w: w.map((v) => (v * fs) / (2 * Math.PI)), h: { re, im } };
}
