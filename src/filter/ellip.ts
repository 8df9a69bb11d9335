/**
 * Complete elliptic integrals of the first kind and Jacobi elliptic functions, the special functions
 * behind the elliptic (Cauer) prototype in {@link ellipap}. Parameter convention as scipy.special:
 * `m = k²` (the parameter, not the modulus).
 * @module
 */

/** Arithmetic–geometric mean of two positive numbers (quadratically convergent). */
function agm(a: number, b: number): number {
  for (let i = 0; i < 64; i++) {
    const an = 0.5 * (a + b);
    const bn = Math.sqrt(a * b);
    if (Math.abs(an - bn) <= 2 * Number.EPSILON * an) return 0.5 * (an + bn);
    a = an;
    b = bn;
  }
  return 0.5 * (a + b);
}

/**
 * Complete elliptic integral of the first kind `K(m) = ∫₀^{π/2} dθ / √(1 − m sin²θ)` for `0 ≤ m ≤ 1`
 * (`K(1) = ∞`), as `scipy.special.ellipk`, computed as `π / (2·AGM(1, √(1−m)))`. NaN outside [0, 1].
 */
export function ellipk(m: number): number {
  return ellipkm1(1 - m);
}

/**
 * `K(1 − p)`, accurate for small `p` (scipy.special.ellipkm1): `π / (2·AGM(1, √p))`. NaN outside [0, 1].
 */
export function ellipkm1(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return Infinity;
  return Math.PI / (2 * agm(1, Math.sqrt(p)));
}

/** Jacobi elliptic functions at one argument: sn, cn, dn and the amplitude φ (sn = sin φ). */
export interface JacobiElliptic {
  sn: number;
  cn: number;
  dn: number;
  ph: number;
}

/**
 * Jacobi elliptic functions `sn(u|m)`, `cn(u|m)`, `dn(u|m)` and the amplitude `φ` for `0 ≤ m ≤ 1`, as
 * `scipy.special.ellipj` (Cephes `ellpj`: descending Landen/AGM sequence, then the amplitude by
 * backward recurrence; series expansions near m = 0 and m = 1). NaN outside [0, 1].
 */
export function ellipj(u: number, m: number): JacobiElliptic {
  if (!(m >= 0 && m <= 1) || Number.isNaN(u)) return { sn: NaN, cn: NaN, dn: NaN, ph: NaN };
  if (m < 1e-9) {
    const t = Math.sin(u);
    const b = Math.cos(u);
    const ai = 0.25 * m * (u - t * b);
    return { sn: t - ai * b, cn: b + ai * t, ph: u - ai, dn: 1 - 0.5 * m * t * t };
  }
  if (m >= 0.9999999999) {
    let ai = 0.25 * (1 - m);
    const b = Math.cosh(u);
    const t = Math.tanh(u);
    const phi = 1 / b;
    const twon = b * Math.sinh(u);
    const sn = t + (ai * (twon - u)) / (b * b);
    const ph = 2 * Math.atan(Math.exp(u)) - Math.PI / 2 + (ai * (twon - u)) / b;
    ai *= t * phi;
    return { sn, ph, cn: phi - ai * (twon - u), dn: phi + ai * (twon + u) };
  }
  const a = [1];
  const c = [Math.sqrt(m)];
  let b = Math.sqrt(1 - m);
  let twon = 1;
  let i = 0;
  while (Math.abs(c[i] / a[i]) > Number.EPSILON / 2) {
    if (i > 7) break;
    const ai = a[i];
    i++;
    c[i] = (ai - b) / 2;
    const t = Math.sqrt(ai * b);
    a[i] = (ai + b) / 2;
    b = t;
    twon *= 2;
  }
  let phi = twon * a[i] * u;
  let prev = phi;
  do {
    const t = (c[i] * Math.sin(phi)) / a[i];
    prev = phi;
    phi = (Math.asin(t) + phi) / 2;
  } while (--i);
  const t = Math.cos(phi);
  return { sn: Math.sin(phi), cn: t, dn: t / Math.cos(phi - prev), ph: phi };
}
