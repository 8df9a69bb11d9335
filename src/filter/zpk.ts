/**
 * Zeros, poles and gain: the representation every IIR design in src/filter/iir.ts passes through.
 * Complex helpers, polynomial products and roots, the analog frequency transforms
 * (`lp2lpZpk`, `lp2hpZpk`, `lp2bpZpk`, `lp2bsZpk`), the bilinear transform, and the conversions between
 * zpk, transfer function (`ba`) and second-order sections (`sos`) — each following
 * scipy.signal's algorithm so that the section order and pole/zero pairing agree with scipy.
 *
 * **Second-order sections.** The canonical form is a `Float64Array` of length `6·nSections`, row `s` at
 * `[6s … 6s+5]` = `[b0, b1, b2, a0, a1, a2]` with `a0 = 1` — scipy's `(n_sections, 6)` array, row-major.
 * Functions that read sections also accept `number[][]` rows ({@link SosInput}).
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import type { Complex } from '../fft/transforms.js';

/** One complex number (internal working form; public arrays use {@link Complex} planes). */
export interface Cx {
  re: number;
  im: number;
}

/** Zeros, poles (as complex planes) and the real gain of `H(s) = k·Π(s − z)/Π(s − p)` (or in z). */
export interface Zpk {
  z: Complex;
  p: Complex;
  k: number;
}

/** Complex values as accepted by readers: `{ re, im }` planes (as {@link Complex}) or a real array. */
export type ComplexInput = ArrayLike<number> | { re: ArrayLike<number>; im: ArrayLike<number> };

/** A transfer function `b(x)/a(x)`, coefficients in descending powers (scipy's `(b, a)`). */
export interface TransferFunction {
  b: Float64Array;
  a: Float64Array;
}

/** Second-order sections as accepted by readers: flat `Float64Array` of 6·n (canonical) or `number[][]` rows. */
export type SosInput = Float64Array | ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

/** How {@link zpk2sos} pairs poles with zeros (scipy's `pairing`). */
export type SosPairing = 'nearest' | 'keep_odd' | 'minimal';

// ---------------------------------------------------------------- complex arithmetic (internal)

export const cx = (re: number, im = 0): Cx => ({ re, im });
export const cadd = (a: Cx, b: Cx): Cx => ({ re: a.re + b.re, im: a.im + b.im });
export const csub = (a: Cx, b: Cx): Cx => ({ re: a.re - b.re, im: a.im - b.im });
export const cmul = (a: Cx, b: Cx): Cx => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
export const cscale = (a: Cx, s: number): Cx => ({ re: a.re * s, im: a.im * s });
export const cconj = (a: Cx): Cx => ({ re: a.re, im: -a.im });
export const cneg = (a: Cx): Cx => ({ re: -a.re, im: -a.im });
export const cabs = (a: Cx): number => Math.hypot(a.re, a.im);

/** Complex division by Smith's algorithm (as numpy), safe from overflow in the intermediate products. */
export function cdiv(a: Cx, b: Cx): Cx {
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    if (b.re === 0 && b.im === 0) return { re: a.re / 0, im: a.im / 0 };
    const r = b.im / b.re;
    const d = b.re + b.im * r;
    return { re: (a.re + a.im * r) / d, im: (a.im - a.re * r) / d };
  }
  const r = b.re / b.im;
  const d = b.re * r + b.im;
  return { re: (a.re * r + a.im) / d, im: (a.im * r - a.re) / d };
}

/** Principal square root (branch cut on the negative real axis; the sign of a zero imaginary part picks the side, like C99 `csqrt` and numpy). */
export function csqrt(a: Cx): Cx {
  if (a.re === 0 && a.im === 0) return { re: 0, im: a.im };
  const t = Math.sqrt((Math.abs(a.re) + cabs(a)) / 2);
  if (a.re >= 0) return { re: t, im: a.im / (2 * t) };
  const negative = a.im < 0 || Object.is(a.im, -0);
  return { re: Math.abs(a.im) / (2 * t), im: negative ? -t : t };
}

/** Product of complex numbers, left to right. */
export function cprod(v: readonly Cx[]): Cx {
  let r = cx(1);
  for (const x of v) r = cmul(r, x);
  return r;
}

/** Complex planes → array of complex numbers. */
export function fromPlanes(c: Complex): Cx[] {
  return Array.from(c.re, (re, i) => ({ re, im: c.im[i] }));
}

/** Array of complex numbers → complex planes. */
export function toPlanes(v: readonly Cx[]): Complex {
  return { re: Float64Array.from(v, (c) => c.re), im: Float64Array.from(v, (c) => c.im) };
}

// ---------------------------------------------------------------- polynomials

/** Monic polynomial with the given roots, descending powers (numpy's `poly`), complex coefficients. */
export function polyFromRoots(roots: readonly Cx[]): Cx[] {
  let a: Cx[] = [cx(1)];
  for (const r of roots) {
    const next: Cx[] = new Array(a.length + 1);
    next[0] = a[0];
    for (let i = 1; i < a.length; i++) next[i] = csub(a[i], cmul(a[i - 1], r));
    next[a.length] = cneg(cmul(a[a.length - 1], r));
    a = next;
  }
  return a;
}

/** Product of two real polynomials (numpy's `polymul` / `convolve`). */
export function polymul(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
  return out;
}

/** Value and derivative of a polynomial (descending real coefficients) at a complex point, by Horner. */
function hornerWithDerivative(c: ArrayLike<number>, x: Cx): [Cx, Cx] {
  let p = cx(c[0]);
  let dp = cx(0);
  for (let i = 1; i < c.length; i++) {
    dp = cadd(cmul(dp, x), p);
    p = cadd(cmul(p, x), cx(c[i]));
  }
  return [p, dp];
}

/** Value and derivative of a function at a complex point (for {@link aberth}). */
export type ValueAndDerivative = (x: Cx) => [Cx, Cx];

/**
 * Refines approximate roots of a polynomial of degree `x0.length` by the Aberth–Ehrlich simultaneous
 * iteration, stopping when every correction is ≤ `tol` relative. `f` is either the descending real
 * coefficients (evaluated by Horner) or a function giving the value and derivative at a point.
 * Returns the refined roots (same order as `x0`).
 */
export function aberth(f: ArrayLike<number> | ValueAndDerivative, x0: readonly Cx[], tol = 1e-15, maxIter = 200): Cx[] {
  const evaluate: ValueAndDerivative = typeof f === 'function' ? f : (x) => hornerWithDerivative(f, x);
  const x = x0.map((v) => ({ ...v }));
  const n = x.length;
  for (let it = 0; it < maxIter; it++) {
    let done = true;
    for (let k = 0; k < n; k++) {
      const [p, dp] = evaluate(x[k]);
      if (p.re === 0 && p.im === 0) continue;
      const alpha = cdiv(p, dp); // Newton step p/p'
      let beta = cx(0);
      for (let j = 0; j < n; j++) if (j !== k) beta = cadd(beta, cdiv(cx(1), csub(x[k], x[j])));
      const step = cdiv(alpha, csub(cx(1), cmul(alpha, beta)));
      x[k] = csub(x[k], step);
      if (!(cabs(step) <= tol * Math.max(cabs(x[k]), Number.MIN_VALUE))) done = false;
    }
    if (done) break;
  }
  return x;
}

/**
 * All roots of a real polynomial (descending coefficients, like `numpy.roots`): leading zeros are
 * dropped, trailing zeros give roots at 0, the rest are found by Aberth–Ehrlich iteration and complex
 * roots are returned as exact conjugate pairs. Order: unspecified (not numpy's eigenvalue order).
 */
export function polyRoots(coeffs: ArrayLike<number>): Cx[] {
  let lo = 0;
  let hi = coeffs.length;
  while (lo < hi && coeffs[lo] === 0) lo++;
  const zeros: Cx[] = [];
  while (hi > lo && coeffs[hi - 1] === 0) {
    hi--;
    zeros.push(cx(0));
  }
  const c = Array.from({ length: hi - lo }, (_, i) => coeffs[lo + i] / coeffs[lo]);
  const n = c.length - 1;
  if (n <= 0) return zeros;
  if (n === 1) return [cx(-c[1]), ...zeros];
  if (n === 2) return [...quadraticRoots(1, c[1], c[2]), ...zeros];
  // Start on a circle of the geometric-mean root radius, rotated off the real axis.
  const radius = Math.pow(Math.abs(c[n]), 1 / n) || 1;
  const x0 = Array.from({ length: n }, (_, k) => {
    const t = (2 * Math.PI * k) / n + 0.4;
    return cx(radius * Math.cos(t), radius * Math.sin(t));
  });
  const roots = conjugateSymmetric(aberth(c, x0, 1e-15, 500));
  return [...roots, ...zeros];
}

/** Roots of `a x² + b x + c` (real coefficients, a ≠ 0), without cancellation. */
export function quadraticRoots(a: number, b: number, c: number): Cx[] {
  const disc = b * b - 4 * a * c;
  if (disc >= 0) {
    const q = -0.5 * (b + (b >= 0 ? Math.sqrt(disc) : -Math.sqrt(disc)));
    if (q === 0) return [cx(0), cx(0)];
    return [cx(q / a), cx(c / q)];
  }
  const re = -b / (2 * a);
  const im = Math.sqrt(-disc) / (2 * Math.abs(a));
  return [cx(re, im), cx(re, -im)];
}

/**
 * Makes the roots of a real polynomial exactly conjugate-symmetric: each root with positive imaginary
 * part is matched with the nearest conjugate of a root with negative imaginary part and both are
 * replaced by their average; a root left without partner is made real.
 */
function conjugateSymmetric(roots: Cx[]): Cx[] {
  const pos = roots.filter((r) => r.im > 0);
  const neg = roots.filter((r) => r.im < 0);
  const out = roots.filter((r) => r.im === 0);
  const used = new Array<boolean>(neg.length).fill(false);
  const unmatched: Cx[] = [];
  for (const r of pos) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < neg.length; j++) {
      if (used[j]) continue;
      const d = cabs(csub(r, cconj(neg[j])));
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    if (best < 0 || bestD > 1e-6 * Math.max(cabs(r), 1e-300)) {
      unmatched.push(r);
      continue;
    }
    used[best] = true;
    const m = cscale(cadd(r, cconj(neg[best])), 0.5);
    out.push(m, cconj(m));
  }
  neg.forEach((r, j) => {
    if (!used[j]) unmatched.push(r);
  });
  for (const r of unmatched) out.push(cx(r.re));
  return out;
}

// ---------------------------------------------------------------- pairing helpers (scipy's _cplxreal)

/**
 * Splits `z` into complex conjugate pairs (one representative each, positive imaginary part, sorted
 * by real part and then |imag|, pairs averaged) and real values (sorted), as scipy's `_cplxreal`
 * with its default tolerance 100·ε relative.
 * @throws {ValueError} when a complex value has no matching conjugate.
 */
export function cplxreal(fn: string, zIn: readonly Cx[]): { zc: Cx[]; zr: number[] } {
  if (zIn.length === 0) return { zc: [], zr: [] };
  const tol = 100 * Number.EPSILON;
  const z = zIn
    .map((v, i) => ({ v, i }))
    .sort((a, b) => a.v.re - b.v.re || Math.abs(a.v.im) - Math.abs(b.v.im) || a.i - b.i)
    .map((e) => e.v);
  const isReal = z.map((v) => Math.abs(v.im) <= tol * cabs(v));
  const zr = z.filter((_, i) => isReal[i]).map((v) => v.re);
  if (zr.length === z.length) return { zc: [], zr };
  const rest = z.filter((_, i) => !isReal[i]);
  const zp = rest.filter((v) => v.im > 0);
  const zn = rest.filter((v) => v.im < 0);
  const noMatch = (): ValueError => new ValueError(message(fn, 'every complex zero and pole must have a matching conjugate', { verbatim: `${zp.length} with positive and ${zn.length} with negative imaginary part` }));
  if (zp.length !== zn.length) throw noMatch();
  // Within runs of (nearly) equal real part, order each half by |imag|.
  const n = zp.length;
  let i = 0;
  while (i < n - 1) {
    if (zp[i + 1].re - zp[i].re <= tol * cabs(zp[i])) {
      let j = i + 1;
      while (j < n - 1 && zp[j + 1].re - zp[j].re <= tol * cabs(zp[j])) j++;
      for (const half of [zp, zn]) {
        const chunk = half.slice(i, j + 1).sort((a, b) => Math.abs(a.im) - Math.abs(b.im));
        half.splice(i, chunk.length, ...chunk);
      }
      i = j;
    } else i++;
  }
  for (let m = 0; m < n; m++) {
    if (cabs(csub(zp[m], cconj(zn[m]))) > tol * cabs(zn[m])) throw noMatch();
  }
  const zc = zp.map((v, m) => cscale(cadd(v, cconj(zn[m])), 0.5));
  return { zc, zr };
}

// ---------------------------------------------------------------- conversions

/** Real part of a complex polynomial whose roots come in conjugate pairs. */
function realPoly(c: readonly Cx[]): Float64Array {
  return Float64Array.from(c, (v) => v.re);
}

/** zpk (internal complex arrays) → transfer function `b = k·poly(z)`, `a = poly(p)`. */
export function zpkToTf(z: readonly Cx[], p: readonly Cx[], k: number): TransferFunction {
  const b = realPoly(polyFromRoots(z)).map((v) => v * k);
  return { b, a: realPoly(polyFromRoots(p)) };
}

/** One section `[b0, b1, b2, a0, a1, a2]` from up to two zeros and two poles (scipy's `_single_zpksos`). */
function singleSection(z: readonly Cx[], p: readonly Cx[]): number[] {
  const row = [0, 0, 0, 0, 0, 0];
  const b = realPoly(polyFromRoots(z));
  const a = realPoly(polyFromRoots(p));
  b.forEach((v, i) => (row[3 - b.length + i] = v));
  a.forEach((v, i) => (row[6 - a.length + i] = v));
  return row;
}

/** Index into `from` of the element nearest to `to` that is real, complex or either (stable on ties). */
function nearestIdx(from: readonly Cx[], to: Cx, which: 'real' | 'complex' | 'any'): number {
  const order = from
    .map((v, i) => ({ d: cabs(csub(v, to)), i }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((e) => e.i);
  if (which === 'any') return order[0];
  const want = which === 'real';
  // Callers guarantee an element of the wanted kind exists.
  return order.find((i) => (from[i].im === 0) === want) as number;
}

function argmin(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] < v[best]) best = i;
  return best;
}

/**
 * Second-order sections from zeros, poles and gain (internal complex arrays); scipy's `zpk2sos`
 * algorithm step for step. `fn` names the public caller in errors.
 */
export function zpkToSos(fn: string, zIn: readonly Cx[], pIn: readonly Cx[], k: number, pairing: SosPairing, analog: boolean): Float64Array {
  if (analog && pairing !== 'minimal') throw new ValueError(message(fn, "pairing must be 'minimal' for an analog system", pairing));
  if (zIn.length === 0 && pIn.length === 0) return Float64Array.from(analog ? [0, 0, k, 0, 0, 1] : [k, 0, 0, 1, 0, 0]);
  let z = zIn.slice();
  let p = pIn.slice();
  let nSections: number;
  if (pairing !== 'minimal') {
    while (p.length < z.length) p.push(cx(0));
    while (z.length < p.length) z.push(cx(0));
    nSections = (p.length + 1) >> 1;
    if (p.length % 2 === 1 && pairing === 'nearest') {
      p.push(cx(0));
      z.push(cx(0));
    }
  } else {
    if (p.length < z.length) throw new ValueError(message(fn, "pairing 'minimal' needs at least as many poles as zeros", { verbatim: `${p.length} poles, ${z.length} zeros` }));
    nSections = (p.length + 1) >> 1;
  }
  const split = (v: Cx[]): Cx[] => {
    const { zc, zr } = cplxreal(fn, v);
    return [...zc, ...zr.map((r) => cx(r))];
  };
  z = split(z);
  p = split(p);
  const isReal = (v: Cx): boolean => v.im === 0;
  const idxWorst = analog ? (v: readonly Cx[]) => argmin(v.map((x) => Math.abs(x.re))) : (v: readonly Cx[]) => argmin(v.map((x) => Math.abs(1 - cabs(x))));
  const take = (v: Cx[], i: number): Cx => v.splice(i, 1)[0];
  const sos = new Float64Array(6 * nSections);
  for (let si = nSections - 1; si >= 0; si--) {
    const p1 = take(p, idxWorst(p));
    const nRealP = p.filter(isReal).length;
    let row: number[];
    if (isReal(p1) && nRealP === 0) {
      // Last remaining real pole: a first-order section.
      if (pairing !== 'minimal') {
        const z1 = take(z, nearestIdx(z, p1, 'real'));
        row = singleSection([z1, cx(0)], [p1, cx(0)]);
      } else if (z.some(isReal)) {
        const z1 = take(z, nearestIdx(z, p1, 'real'));
        row = singleSection([z1], [p1]);
      } else row = singleSection([], [p1]); // (scipy 1.10 raises IndexError when only complex zeros remain)
    } else if (p.length + 1 === z.length && !isReal(p1) && nRealP === 1 && z.filter(isReal).length === 1) {
      // One real pole and one real zero remain for a final first-order section: pair with a complex zero.
      const z1 = take(z, nearestIdx(z, p1, 'complex'));
      row = singleSection([z1, cconj(z1)], [p1, cconj(p1)]);
    } else {
      let p2: Cx;
      if (isReal(p1)) {
        const realIdx = p.map((v, i) => (isReal(v) ? i : -1)).filter((i) => i >= 0);
        p2 = take(p, realIdx[idxWorst(realIdx.map((i) => p[i]))]);
      } else p2 = cconj(p1);
      if (z.length > 0) {
        const z1 = take(z, nearestIdx(z, p1, 'any'));
        if (!isReal(z1)) row = singleSection([z1, cconj(z1)], [p1, p2]);
        else if (z.some(isReal)) {
          const z2 = take(z, nearestIdx(z, p1, 'real'));
          row = singleSection([z1, z2], [p1, p2]);
        } else row = singleSection([z1], [p1, p2]); // (scipy 1.10 raises IndexError when complex zeros remain)
      } else row = singleSection([], [p1, p2]);
    }
    sos.set(row, 6 * si);
  }
  for (let i = 0; i < 3; i++) sos[i] *= k;
  return sos;
}

/**
 * Reads second-order sections in either accepted shape into the canonical flat `Float64Array`
 * (a copy), checking the shape, finiteness and — unless `requireMonic` is false — `a0 = 1` of every
 * row (as scipy's `_validate_sos`; analog sections from 'minimal' pairing may start with zeros).
 * @throws {ArgumentTypeError} for something that is not an array of numbers or of rows.
 * @throws {ShapeError} for no sections, a flat length not a multiple of 6, or a row not of length 6.
 * @throws {ValueError} for a non-finite coefficient or a row with `a0 ≠ 1`.
 */
export function toSos(fn: string, sos: unknown, requireMonic = true): Float64Array {
  let flat: Float64Array;
  if (Array.isArray(sos) && sos.length > 0 && typeof sos[0] !== 'number') {
    const rows = sos as unknown[];
    flat = new Float64Array(6 * rows.length);
    rows.forEach((r, s) => {
      if (!(Array.isArray(r) || ArrayBuffer.isView(r))) throw new ArgumentTypeError(message(fn, 'sos rows must be arrays of 6 numbers', r));
      const row = r as ArrayLike<unknown>;
      if (row.length !== 6) throw new ShapeError(message(fn, `sos row ${s} must have 6 coefficients [b0, b1, b2, a0, a1, a2]`, { verbatim: `length ${row.length}` }));
      for (let i = 0; i < 6; i++) {
        if (typeof row[i] !== 'number') throw new ArgumentTypeError(message(fn, `sos[${s}][${i}] must be a number`, row[i]));
        flat[6 * s + i] = row[i] as number;
      }
    });
  } else if (Array.isArray(sos) || sos instanceof Float64Array || sos instanceof Float32Array) {
    const a = sos as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number') throw new ArgumentTypeError(message(fn, `sos[${i}] must be a number`, a[i]));
    flat = Float64Array.from(a as ArrayLike<number>);
  } else {
    throw new ArgumentTypeError(message(fn, 'sos must be a Float64Array of 6·n coefficients or an array of [b0, b1, b2, a0, a1, a2] rows', sos));
  }
  if (flat.length === 0) throw new ShapeError(message(fn, 'sos must hold at least one section', sos));
  if (flat.length % 6 !== 0) throw new ShapeError(message(fn, 'a flat sos must have length 6·n_sections', { verbatim: `length ${flat.length}` }));
  for (let i = 0; i < flat.length; i++) {
    if (!Number.isFinite(flat[i])) throw new ValueError(message(fn, 'sos coefficients must be finite', { verbatim: `${flat[i]} at section ${Math.floor(i / 6)}, column ${i % 6}` }));
  }
  for (let s = 0; requireMonic && s < flat.length / 6; s++) {
    if (flat[6 * s + 3] !== 1) throw new ValueError(message(fn, `sos[${s}][3] (a0) must be 1`, flat[6 * s + 3]));
  }
  return flat;
}

/** Reads a public complex argument (planes, or a real array) into internal complex numbers. */
export function readComplex(fn: string, name: string, v: unknown): Cx[] {
  let out: Cx[];
  if (Array.isArray(v) || v instanceof Float64Array || v instanceof Float32Array) {
    const a = v as ArrayLike<unknown>;
    out = [];
    for (let i = 0; i < a.length; i++) {
      if (typeof a[i] !== 'number') throw new ArgumentTypeError(message(fn, `${name} must be real numbers or { re, im } planes`, v));
      out.push(cx(a[i] as number));
    }
  } else if (typeof v === 'object' && v !== null && 're' in v && 'im' in v) {
    const c = v as { re: ArrayLike<number>; im: ArrayLike<number> };
    if (c.re.length !== c.im.length) throw new ShapeError(message(fn, `${name}.re and ${name}.im must have the same length`, { verbatim: `${c.re.length} and ${c.im.length}` }));
    out = Array.from({ length: c.re.length }, (_, i) => cx(c.re[i], c.im[i]));
  } else {
    throw new ArgumentTypeError(message(fn, `${name} must be a real array or { re, im } planes`, v));
  }
  out.forEach((c, i) => {
    if (!Number.isFinite(c.re) || !Number.isFinite(c.im)) throw new ValueError(message(fn, `${name} must hold only finite values`, { verbatim: `${c.re}${c.im >= 0 ? '+' : '-'}${Math.abs(c.im)}j at index ${i}` }));
  });
  return out;
}

// ---------------------------------------------------------------- public conversions

/**
 * Second-order sections from zeros, poles and gain — `scipy.signal.zpk2sos`, same algorithm, so the
 * section order and pairing agree with scipy (worst poles — nearest the unit circle, or the imaginary
 * axis when analog — in the last section; gain in the first).
 *
 * @param z zeros: `{ re, im }` planes or a real array.
 * @param p poles: `{ re, im }` planes or a real array.
 * @param k real gain.
 * @param options `pairing` ('nearest' default for digital, must be 'minimal' for `analog: true`).
 * @returns flat `Float64Array` of `6·nSections`, rows `[b0, b1, b2, 1, a1, a2]`.
 * @throws {ValueError} for non-finite input, unmatched complex values, an unknown pairing, or 'minimal' with more zeros than poles.
 * @example
 * zpk2sos({ re: [-1, -1], im: [0, 0] }, { re: [0.5, 0.5], im: [0.2, -0.2] }, 0.1);
 * // Float64Array [0.1, 0.2, 0.1, 1, -1, 0.29]
 */
export function zpk2sos(z: ComplexInput, p: ComplexInput, k: number, options: { pairing?: SosPairing; analog?: boolean } = {}): Float64Array {
  const fn = 'zpk2sos';
  const zz = readComplex(fn, 'z', z);
  const pp = readComplex(fn, 'p', p);
  if (typeof k !== 'number') throw new ArgumentTypeError(message(fn, 'k must be a number', k));
  if (!Number.isFinite(k)) throw new ValueError(message(fn, 'k must be finite', k));
  const analog = options.analog ?? false;
  const pairing = options.pairing ?? (analog ? 'minimal' : 'nearest');
  if (!['nearest', 'keep_odd', 'minimal'].includes(pairing)) throw new ValueError(message(fn, "options.pairing must be one of 'nearest', 'keep_odd', 'minimal'", pairing));
  return zpkToSos(fn, zz, pp, k, pairing, analog);
}

/**
 * Transfer function of zeros, poles and gain — `scipy.signal.zpk2tf` for one numerator:
 * `b = k·poly(z)`, `a = poly(p)` (descending powers; real when roots come in conjugate pairs).
 * @throws {ValueError} for non-finite input.
 * @example
 * zpk2tf([-1], [0.5], 2); // { b: [2, 2], a: [1, -0.5] }
 */
export function zpk2tf(z: ComplexInput, p: ComplexInput, k: number): TransferFunction {
  const fn = 'zpk2tf';
  const zz = readComplex(fn, 'z', z);
  const pp = readComplex(fn, 'p', p);
  if (typeof k !== 'number') throw new ArgumentTypeError(message(fn, 'k must be a number', k));
  if (!Number.isFinite(k)) throw new ValueError(message(fn, 'k must be finite', k));
  return zpkToTf(zz, pp, k);
}

/**
 * Zeros, poles and gain of a transfer function — `scipy.signal.tf2zpk`: both polynomials are divided
 * by `a[0]` (after dropping leading zeros), `k = b[0]/a[0]`, and the roots are found by Aberth–Ehrlich
 * iteration (complex roots in exact conjugate pairs). Root order differs from numpy's eigenvalue order.
 * @throws {ValueError} for an all-zero denominator or numerator, or non-finite coefficients.
 * @example
 * tf2zpk([2, 2], [1, -0.5]); // z = [-1], p = [0.5], k = 2
 */
export function tf2zpk(b: ArrayLike<number>, a: ArrayLike<number>): Zpk {
  const fn = 'tf2zpk';
  const bb = readReal(fn, 'b', b);
  const aa = readReal(fn, 'a', a);
  const a0 = aa.find((v) => v !== 0);
  const b0 = bb.find((v) => v !== 0);
  if (a0 === undefined) throw new ValueError(message(fn, 'a must have at least one nonzero coefficient', a));
  if (b0 === undefined) throw new ValueError(message(fn, 'b must have at least one nonzero coefficient', b));
  return { z: toPlanes(polyRoots(bb)), p: toPlanes(polyRoots(aa)), k: b0 / a0 };
}

function readReal(fn: string, name: string, v: unknown): number[] {
  if (!(Array.isArray(v) || v instanceof Float64Array || v instanceof Float32Array)) throw new ArgumentTypeError(message(fn, `${name} must be a number[] or Float64Array`, v));
  const a = Array.from(v as ArrayLike<unknown>);
  if (a.length === 0) throw new ShapeError(message(fn, `${name} must not be empty`, v));
  a.forEach((x, i) => {
    if (typeof x !== 'number') throw new ArgumentTypeError(message(fn, `${name}[${i}] must be a number`, x));
    if (!Number.isFinite(x)) throw new ValueError(message(fn, `${name} must hold only finite values`, { verbatim: `${x} at index ${i}` }));
  });
  return a as number[];
}

/**
 * One transfer function from second-order sections — `scipy.signal.sos2tf`: the product of the
 * section numerators and denominators (polynomials of degree 2·nSections).
 * @throws {ShapeError | ValueError} for malformed sections (see `toSos`).
 * @example
 * sos2tf([[1, 2, 1, 1, 0, 0.25]]); // { b: [1, 2, 1], a: [1, 0, 0.25] }
 */
export function sos2tf(sos: SosInput): TransferFunction {
  const s = toSos('sos2tf', sos, false);
  let b: Float64Array = Float64Array.of(1);
  let a: Float64Array = Float64Array.of(1);
  for (let i = 0; i < s.length; i += 6) {
    b = polymul(b, s.subarray(i, i + 3));
    a = polymul(a, s.subarray(i + 3, i + 6));
  }
  return { b, a };
}

/**
 * Zeros, poles and gain of second-order sections — `scipy.signal.sos2zpk`: two zeros and two poles
 * per section (a first-order section's missing root is reported at 0, as scipy), gain the product of
 * the sections' `b0`s (the first nonzero numerator coefficient of each).
 * @throws {ShapeError | ValueError} for malformed sections (see `toSos`) or an all-zero denominator.
 * @example
 * sos2zpk([[1, 2, 1, 1, 0, 0.25]]); // z = [-1, -1], p = [±0.5j], k = 1
 */
export function sos2zpk(sos: SosInput): Zpk {
  const fn = 'sos2zpk';
  const s = toSos(fn, sos, false);
  const n = s.length / 6;
  const z: Cx[] = [];
  const p: Cx[] = [];
  let k = 1;
  for (let i = 0; i < n; i++) {
    const rootsOf = (c: Float64Array): [Cx[], number] => {
      let lo = 0;
      while (lo < 2 && c[lo] === 0) lo++;
      if (c[lo] === 0) return [[], 0];
      const deg = 2 - lo;
      const r = deg === 2 ? quadraticRoots(c[0], c[1], c[2]) : deg === 1 ? [cx(-c[2] / c[1])] : [];
      return [r, c[lo]];
    };
    const [zr, kb] = rootsOf(s.subarray(6 * i, 6 * i + 3));
    const [pr, ka] = rootsOf(s.subarray(6 * i + 3, 6 * i + 6));
    if (ka === 0) throw new ValueError(message(fn, `section ${i} must have a nonzero denominator`, { verbatim: '[a0, a1, a2] = [0, 0, 0]' }));
    k *= kb / ka;
    for (let j = 0; j < 2; j++) {
      z.push(zr[j] ?? cx(0));
      p.push(pr[j] ?? cx(0));
    }
  }
  return { z: toPlanes(z), p: toPlanes(p), k };
}

// ---------------------------------------------------------------- analog transforms and the bilinear map

/** Internal zpk with complex arrays. */
export interface ZpkCx {
  z: Cx[];
  p: Cx[];
  k: number;
}

function relativeDegree(fn: string, z: readonly Cx[], p: readonly Cx[]): number {
  const d = p.length - z.length;
  if (d < 0) throw new ValueError(message(fn, 'the transfer function must have at least as many poles as zeros', { verbatim: `${p.length} poles, ${z.length} zeros` }));
  return d;
}

/** Lowpass prototype (cutoff 1 rad/s) → lowpass at `wo` rad/s (scipy's `lp2lp_zpk`). */
export function lp2lpZpk({ z, p, k }: ZpkCx, wo: number): ZpkCx {
  const degree = relativeDegree('lp2lpZpk', z, p);
  return { z: z.map((v) => cscale(v, wo)), p: p.map((v) => cscale(v, wo)), k: k * wo ** degree };
}

/** Lowpass prototype → highpass at `wo` rad/s (scipy's `lp2hp_zpk`). */
export function lp2hpZpk({ z, p, k }: ZpkCx, wo: number): ZpkCx {
  const degree = relativeDegree('lp2hpZpk', z, p);
  const inv = (v: Cx): Cx => cdiv(cx(wo), v);
  const kk = k * cdiv(cprod(z.map(cneg)), cprod(p.map(cneg))).re;
  return { z: [...z.map(inv), ...Array.from({ length: degree }, () => cx(0))], p: p.map(inv), k: kk };
}

function shiftPair(v: Cx, wo: number): [Cx, Cx] {
  const r = csqrt(csub(cmul(v, v), cx(wo * wo)));
  return [cadd(v, r), csub(v, r)];
}

function duplicateShift(v: readonly Cx[], wo: number): Cx[] {
  const pairs = v.map((x) => shiftPair(x, wo));
  return [...pairs.map((q) => q[0]), ...pairs.map((q) => q[1])];
}

/** Lowpass prototype → bandpass centred at `wo` rad/s with bandwidth `bw` rad/s (scipy's `lp2bp_zpk`). */
export function lp2bpZpk({ z, p, k }: ZpkCx, wo: number, bw: number): ZpkCx {
  const degree = relativeDegree('lp2bpZpk', z, p);
  const zl = z.map((v) => cscale(v, bw / 2));
  const pl = p.map((v) => cscale(v, bw / 2));
  return { z: [...duplicateShift(zl, wo), ...Array.from({ length: degree }, () => cx(0))], p: duplicateShift(pl, wo), k: k * bw ** degree };
}

/** Lowpass prototype → bandstop centred at `wo` rad/s with bandwidth `bw` rad/s (scipy's `lp2bs_zpk`). */
export function lp2bsZpk({ z, p, k }: ZpkCx, wo: number, bw: number): ZpkCx {
  const degree = relativeDegree('lp2bsZpk', z, p);
  const zh = z.map((v) => cdiv(cx(bw / 2), v));
  const ph = p.map((v) => cdiv(cx(bw / 2), v));
  const zs = [...duplicateShift(zh, wo), ...Array.from({ length: degree }, () => cx(0, wo)), ...Array.from({ length: degree }, () => cx(0, -wo))];
  const kk = k * cdiv(cprod(z.map(cneg)), cprod(p.map(cneg))).re;
  return { z: zs, p: duplicateShift(ph, wo), k: kk };
}

/** Analog zpk → digital zpk by the bilinear transform `s = 2fs·(z − 1)/(z + 1)` (scipy's `bilinear_zpk`). */
export function bilinearZpk({ z, p, k }: ZpkCx, fs: number): ZpkCx {
  const degree = relativeDegree('bilinearZpk', z, p);
  const fs2 = cx(2 * fs);
  const map = (v: Cx): Cx => cdiv(cadd(fs2, v), csub(fs2, v));
  const kk = k * cdiv(cprod(z.map((v) => csub(fs2, v))), cprod(p.map((v) => csub(fs2, v)))).re;
  return { z: [...z.map(map), ...Array.from({ length: degree }, () => cx(-1))], p: p.map(map), k: kk };
}
