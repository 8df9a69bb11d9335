/**
 * Analysis and filter-design windows with the values of scipy.signal.get_window (scipy 1.10).
 *
 * A window is named by a {@link WindowSpec}: a name for the windows that need no parameter
 * (`'hann'`), a scipy-style tuple (`['kaiser', 8.6]`), an object with named parameters
 * (`{ name: 'kaiser', beta: 8.6 }`) or, as in scipy, a bare number (the Kaiser β).
 * @module
 */
import { ArgumentTypeError, ValueError, message } from '../core/errors.js';
import { assertFinite, assertInteger } from '../core/validate.js';

/**
 * Windows that need no parameter (or whose parameters have scipy's defaults: tukey α = 0.5,
 * taylor nbar = 4 and sll = 30, exponential τ = 1 centred). 'rect' is scipy's alias of 'boxcar';
 * 'sqrt-hann' (the element-wise square root of 'hann', for analysis + synthesis pairs) is
 * pointwise's own.
 */
export type WindowName =
  | 'boxcar' | 'rect' | 'triang' | 'bartlett' | 'parzen' | 'bohman' | 'blackman' | 'nuttall'
  | 'blackmanharris' | 'flattop' | 'barthann' | 'cosine' | 'hann' | 'sqrt-hann' | 'hamming'
  | 'exponential' | 'lanczos' | 'tukey' | 'taylor';

/** Windows that cannot be named without a parameter. */
export type ParametricWindowName =
  | 'kaiser' | 'gaussian' | 'general_gaussian' | 'chebwin' | 'dpss' | 'general_hamming' | 'general_cosine'
  | 'kaiser_bessel_derived';

/**
 * A window with its parameters as named fields (the same parameters, in the same order, as the
 * scipy tuple form {@link WindowTuple}):
 * - `tukey`: `alpha` (taper fraction, default 0.5; ≤ 0 gives boxcar, ≥ 1 gives hann);
 * - `kaiser`: `beta`;
 * - `gaussian`: `std` (samples);
 * - `general_gaussian`: `p` (shape; 1 is gaussian) and `sig` (samples);
 * - `chebwin`: `at` (side-lobe attenuation in dB; its sign is ignored);
 * - `taylor`: `nbar` (default 4), `sll` (side-lobe level in dB, default 30), `norm` (default true:
 *   the centre value is 1);
 * - `dpss`: `NW` (time-half-bandwidth product, 0 < NW < n/2), the first Slepian sequence with
 *   scipy's `norm='approximate'` (max 1, then × n²/(n² + NW) for even n) as get_window gives it;
 * - `exponential`: `center` (sample; only for periodic windows, default the middle) and `tau`
 *   (decay in samples, default 1);
 * - `general_hamming`: `alpha` (`alpha − (1 − alpha) cos`; 0.54 is hamming, 0.5 hann);
 * - `general_cosine`: `a` (the cosine-series weights, `Σ_k a_k cos(k·x)`, x from −π to π);
 * - `kaiser_bessel_derived`: `beta`; symmetric and even lengths only, as scipy (it exists for
 *   MDCT-style Princen–Bradley pairs).
 */
export type WindowParams =
  | { name: Exclude<WindowName, 'tukey' | 'taylor' | 'exponential'> }
  | { name: 'tukey'; alpha?: number }
  | { name: 'kaiser'; beta: number }
  | { name: 'gaussian'; std: number }
  | { name: 'general_gaussian'; p: number; sig: number }
  | { name: 'chebwin'; at: number }
  | { name: 'taylor'; nbar?: number; sll?: number; norm?: boolean }
  | { name: 'dpss'; NW: number }
  | { name: 'exponential'; center?: number | null; tau?: number }
  | { name: 'general_hamming'; alpha: number }
  | { name: 'general_cosine'; a: readonly number[] }
  | { name: 'kaiser_bessel_derived'; beta: number };

/** scipy's tuple form: the name, then the parameters in scipy's positional order. */
export type WindowTuple =
  | readonly [WindowName]
  | readonly ['tukey', number]
  | readonly ['kaiser', number]
  | readonly ['gaussian', number]
  | readonly ['general_gaussian', number, number]
  | readonly ['chebwin', number]
  | readonly ['taylor', number, number?, boolean?]
  | readonly ['dpss', number]
  | readonly ['exponential', number | null, number?]
  | readonly ['general_hamming', number]
  | readonly ['general_cosine', readonly number[]]
  | readonly ['kaiser_bessel_derived', number];

/**
 * Any way of naming a window: a {@link WindowName}, a {@link WindowTuple} (`['kaiser', 8.6]`, as
 * scipy's `('kaiser', 8.6)`), a {@link WindowParams} object (`{ name: 'kaiser', beta: 8.6 }`), or a
 * number (the Kaiser β, as scipy's get_window accepts a float).
 */
export type WindowSpec = WindowName | WindowTuple | WindowParams | number;

/** Options of {@link getWindow}. */
export interface WindowOptions {
  /**
   * false (default): periodic, get_window's `fftbins=True` (for spectral analysis: the symmetric
   * window of length n + 1 without its last sample). true: symmetric, `fftbins=False` (for filter
   * design; the sym=True of scipy.signal.windows.*).
   */
  symmetric?: boolean;
  /** Alias of `symmetric` (the name of scipy.signal.windows' argument); give one or the other. */
  sym?: boolean;
}

const PLAIN: readonly WindowName[] = [
  'boxcar', 'rect', 'triang', 'bartlett', 'parzen', 'bohman', 'blackman', 'nuttall', 'blackmanharris',
  'flattop', 'barthann', 'cosine', 'hann', 'sqrt-hann', 'hamming', 'exponential', 'lanczos', 'tukey', 'taylor',
];
const PARAMETRIC: readonly ParametricWindowName[] = ['kaiser', 'gaussian', 'general_gaussian', 'chebwin', 'dpss', 'general_hamming', 'general_cosine', 'kaiser_bessel_derived'];

/** A window spec after validation: name and numeric parameters. */
interface Resolved {
  name: WindowName | ParametricWindowName;
  a: number;
  /** general_cosine weights. */
  coefs: number[];
  b: number;
  flag: boolean;
  center: number | null;
}

function fail(fn: string, what: string, got: unknown): never {
  throw new ValueError(message(fn, what, got));
}

function param(fn: string, label: string, v: unknown, check: 'finite' | 'positive' | 'nonzero'): number {
  assertFinite(fn, label, v);
  if (check === 'positive' && !(v > 0)) fail(fn, `${label} must be > 0`, v);
  if (check === 'nonzero' && v === 0) fail(fn, `${label} must be non-zero`, v);
  return v;
}

const NAME_HELP = `${PLAIN.map((s) => `'${s}'`).join(', ')} (${PARAMETRIC.join(', ')} need parameters: pass e.g. ['kaiser', beta] or { name: 'kaiser', beta })`;

/** Validates a window spec and fills in scipy's defaults. */
function resolveWindow(fn: string, spec: unknown, n: number, symmetric: boolean): Resolved {
  const r: Resolved = { name: 'boxcar', a: 0, coefs: [], b: 0, flag: true, center: null };
  if (typeof spec === 'number') {
    r.name = 'kaiser';
    r.a = param(fn, 'window (a number is the Kaiser beta)', spec, 'finite');
    return r;
  }
  let name: unknown;
  let fields: Record<string, unknown>;
  if (typeof spec === 'string') {
    name = spec;
    fields = {};
  } else if (Array.isArray(spec)) {
    name = spec[0];
    const order: Record<string, string[]> = {
      tukey: ['alpha'], kaiser: ['beta'], gaussian: ['std'], general_gaussian: ['p', 'sig'], chebwin: ['at'],
      taylor: ['nbar', 'sll', 'norm'], dpss: ['NW'], exponential: ['center', 'tau'], general_hamming: ['alpha'],
      general_cosine: ['a'], kaiser_bessel_derived: ['beta'],
    };
    const keys = typeof name === 'string' ? order[name] ?? [] : [];
    if (spec.length - 1 > keys.length) {
      fail(fn, `window ${JSON.stringify(name)} takes at most ${keys.length} parameter${keys.length === 1 ? '' : 's'}${keys.length ? ` (${keys.join(', ')})` : ''}`, { verbatim: `${spec.length - 1}` });
    }
    fields = {};
    keys.forEach((k, i) => {
      if (i + 1 < spec.length) fields[k] = spec[i + 1];
    });
  } else if (typeof spec === 'object' && spec !== null && 'name' in spec) {
    name = (spec as { name: unknown }).name;
    fields = spec as Record<string, unknown>;
  } else {
    throw new ArgumentTypeError(message(fn, 'window must be a name, a [name, ...parameters] tuple, a { name, ...parameters } object or a number (Kaiser beta)', spec));
  }
  if (typeof name !== 'string' || !((PLAIN as readonly string[]).includes(name) || (PARAMETRIC as readonly string[]).includes(name))) {
    fail(fn, `name must be one of ${NAME_HELP}`, name);
  }
  r.name = name as Resolved['name'];
  const need = (k: string): unknown => {
    if (fields[k] === undefined) fail(fn, `window '${name}' needs its parameter ${k} (pass e.g. ['${name}', ...] or { name: '${name}', ${k} })`, { verbatim: typeof spec === 'string' ? JSON.stringify(spec) : 'no ' + k });
    return fields[k];
  };
  switch (r.name) {
    case 'tukey':
      r.a = param(fn, 'tukey alpha', fields.alpha ?? 0.5, 'finite');
      break;
    case 'kaiser':
      r.a = param(fn, 'kaiser beta', need('beta'), 'finite');
      break;
    case 'gaussian':
      r.a = param(fn, 'gaussian std', need('std'), 'positive');
      break;
    case 'general_gaussian':
      r.a = param(fn, 'general_gaussian p', need('p'), 'finite');
      r.b = param(fn, 'general_gaussian sig', need('sig'), 'positive');
      break;
    case 'chebwin':
      r.a = param(fn, 'chebwin at', need('at'), 'nonzero');
      break;
    case 'taylor': {
      const nbar = fields.nbar ?? 4;
      assertInteger(fn, 'taylor nbar', nbar, 1);
      r.a = nbar;
      r.b = param(fn, 'taylor sll', fields.sll ?? 30, 'positive');
      const norm = fields.norm ?? true;
      if (typeof norm !== 'boolean') throw new ArgumentTypeError(message(fn, 'taylor norm must be a boolean', norm));
      r.flag = norm;
      break;
    }
    case 'dpss':
      r.a = param(fn, 'dpss NW', need('NW'), 'positive');
      if (n > 1 && r.a >= n / 2) fail(fn, `dpss NW must be < n/2 = ${n / 2}`, r.a);
      break;
    case 'general_hamming':
      r.a = param(fn, 'general_hamming alpha', need('alpha'), 'finite');
      break;
    case 'general_cosine': {
      const a = need('a');
      if (!Array.isArray(a) || a.length === 0 || !a.every((v) => typeof v === 'number')) throw new ArgumentTypeError(message(fn, 'general_cosine a must be a non-empty number[]', a));
      a.forEach((v: number, i: number) => param(fn, `general_cosine a[${i}]`, v, 'finite'));
      r.coefs = a.slice();
      break;
    }
    case 'kaiser_bessel_derived':
      r.a = param(fn, 'kaiser_bessel_derived beta', need('beta'), 'finite');
      if (!symmetric) fail(fn, 'kaiser_bessel_derived is defined only as a symmetric window (pass { symmetric: true }), as scipy', 'periodic');
      if (n % 2) fail(fn, 'kaiser_bessel_derived needs an even length', n);
      break;
    case 'exponential': {
      r.b = param(fn, 'exponential tau', fields.tau ?? 1, 'positive');
      const c = fields.center ?? null;
      if (c !== null) {
        if (symmetric) fail(fn, 'exponential center must be left out (null) for a symmetric window, as scipy requires', c);
        r.center = param(fn, 'exponential center', c, 'finite');
      }
      break;
    }
    default:
      break;
  }
  return r;
}

/**
 * A window of `n` samples with the values of `scipy.signal.get_window(window, n, fftbins=not
 * symmetric)` (scipy 1.10). Periodic by default (get_window's default, for spectral analysis: the
 * symmetric window of n + 1 samples without its last one, so Hann at hop n/2 sums to exactly 1);
 * `{ symmetric: true }` (alias `{ sym: true }`) gives the symmetric window used in filter design.
 *
 * The window is a {@link WindowSpec}: `'hann'`, `['kaiser', 8.6]`, `{ name: 'kaiser', beta: 8.6 }`
 * or `8.6`; see {@link WindowName} and {@link WindowParams} for the names and parameters. n = 0
 * gives an empty array and n = 1 gives `[1]` for every window, as scipy.
 *
 * Agreement with scipy 1.10 for every name × n ∈ {0, 1, 2, 7, 64} × both conventions
 * (test/fixtures/refs/windows_full.json): 1e-15 absolute for the closed forms, 1e-13 for
 * chebwin (an O(n²) DFT) and dpss (an eigenvector: bisection for the largest eigenvalue of
 * scipy's tridiagonal matrix, then inverse iteration; 2e-14 on those fixtures). Complexity O(n) for the closed
 * forms, O(n²) for chebwin and dpss.
 * @throws ValueError for n not an integer ≥ 0, an unknown name, a name that needs parameters given
 *   without them, a parameter out of its domain (gaussian std ≤ 0, dpss NW ∉ (0, n/2), taylor nbar
 *   not an integer ≥ 1, a non-finite value), `symmetric` and `sym` both given and different, or an
 *   exponential `center` with a symmetric window.
 * @throws ArgumentTypeError for a spec that is not a string, tuple, object or number.
 * @example
 * getWindow('hann', 4);                         // [0, 0.5, 1, 0.5]
 * getWindow('hann', 4, { symmetric: true });    // [0, 0.75, 0.75, 0]
 * getWindow(['kaiser', 8.6], 64, { sym: true });
 * getWindow({ name: 'dpss', NW: 2.5 }, 128);
 * getWindow(['taylor', 4, 35], 32);
 */
export function getWindow(window: WindowSpec, n: number, options: WindowOptions = {}): Float64Array {
  const fn = 'getWindow';
  assertInteger(fn, 'length', n, 0);
  const { symmetric: s1, sym: s2 } = options;
  if (s1 !== undefined && s2 !== undefined && s1 !== s2) fail(fn, 'options.symmetric and options.sym must agree (sym is an alias)', { verbatim: `symmetric ${s1}, sym ${s2}` });
  const symmetric = (s1 ?? s2) === true;
  const r = resolveWindow(fn, window, n, symmetric);
  if (n <= 1) return new Float64Array(n).fill(1);
  const M = symmetric ? n : n + 1;
  const w = symmetricWindow(r, M);
  return symmetric ? w : w.slice(0, n);
}

/** numpy.linspace(start, stop, M)[j]. */
function linspaceAt(start: number, stop: number, M: number, j: number): number {
  return j === M - 1 ? stop : j * ((stop - start) / (M - 1)) + start;
}

/** scipy's general_cosine: Σ_k a_k cos(k · linspace(−π, π, M)). */
function generalCosine(a: readonly number[], M: number): Float64Array {
  const w = new Float64Array(M);
  for (let j = 0; j < M; j++) {
    const fac = linspaceAt(-Math.PI, Math.PI, M, j);
    let s = 0;
    for (let k = 0; k < a.length; k++) s += a[k] * Math.cos(k * fac);
    w[j] = s;
  }
  return w;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

/** The symmetric window of M ≥ 2 samples (scipy's sym=True). */
function symmetricWindow(r: Resolved, M: number): Float64Array {
  const w = new Float64Array(M);
  const half = (M - 1) / 2;
  switch (r.name) {
    case 'boxcar':
    case 'rect':
      return w.fill(1);
    case 'hann':
    case 'sqrt-hann':
    case 'hamming': {
      const a0 = r.name === 'hamming' ? 0.54 : 0.5;
      for (let j = 0; j < M; j++) {
        const v = a0 - (1 - a0) * Math.cos((2 * Math.PI * j) / (M - 1));
        w[j] = r.name === 'sqrt-hann' ? Math.sqrt(v) : v;
      }
      return w;
    }
    case 'blackman':
      return generalCosine([0.42, 0.5, 0.08], M);
    case 'nuttall':
      return generalCosine([0.3635819, 0.4891775, 0.1365995, 0.0106411], M);
    case 'blackmanharris':
      return generalCosine([0.35875, 0.48829, 0.14128, 0.01168], M);
    case 'flattop':
      return generalCosine([0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368], M);
    case 'triang': {
      const h = Math.floor((M + 1) / 2);
      for (let i = 0; i < h; i++) {
        const k = i + 1;
        const v = M % 2 === 0 ? (2 * k - 1) / M : (2 * k) / (M + 1);
        w[i] = v;
        w[M - 1 - i] = v;
      }
      return w;
    }
    case 'bartlett':
      for (let j = 0; j < M; j++) w[j] = j <= half ? (2 * j) / (M - 1) : 2 - (2 * j) / (M - 1);
      return w;
    case 'parzen':
      for (let j = 0; j < M; j++) {
        const x = Math.abs(-half + j);
        const u = x / (M / 2);
        w[j] = x <= half / 2 ? 1 - 6 * u ** 2 + 6 * u ** 3 : 2 * (1 - u) ** 3;
      }
      return w;
    case 'bohman':
      for (let j = 1; j < M - 1; j++) {
        const f = Math.abs(linspaceAt(-1, 1, M, j));
        w[j] = (1 - f) * Math.cos(Math.PI * f) + (1 / Math.PI) * Math.sin(Math.PI * f);
      }
      return w;
    case 'barthann':
      for (let j = 0; j < M; j++) {
        const f = Math.abs(j / (M - 1) - 0.5);
        w[j] = 0.62 - 0.48 * f + 0.38 * Math.cos(2 * Math.PI * f);
      }
      return w;
    case 'cosine':
      for (let j = 0; j < M; j++) w[j] = Math.sin((Math.PI / M) * (j + 0.5));
      return w;
    case 'exponential': {
      const c = r.center ?? half;
      for (let j = 0; j < M; j++) w[j] = Math.exp(-Math.abs(j - c) / r.b);
      return w;
    }
    case 'lanczos': {
      // right half sinc(2j/(M−1) − 1) for j ≥ M/2, mirrored (and 1 in the middle for odd M)
      const start = Math.ceil(M / 2);
      for (let j = start; j < M; j++) {
        const v = sinc((2 * j) / (M - 1) - 1);
        w[j] = v;
        w[M - 1 - j] = v;
      }
      if (M % 2) w[half] = 1;
      return w;
    }
    case 'tukey': {
      const alpha = r.a;
      if (alpha <= 0) return w.fill(1);
      if (alpha >= 1) return symmetricWindow({ ...r, name: 'hann' }, M);
      const width = Math.floor((alpha * (M - 1)) / 2);
      for (let j = 0; j < M; j++) {
        if (j <= width) w[j] = 0.5 * (1 + Math.cos(Math.PI * (-1 + (2 * j) / alpha / (M - 1))));
        else if (j < M - width - 1) w[j] = 1;
        else w[j] = 0.5 * (1 + Math.cos(Math.PI * (-2 / alpha + 1 + (2 * j) / alpha / (M - 1))));
      }
      return w;
    }
    case 'kaiser': {
      const i0b = besselI0(r.a);
      for (let j = 0; j < M; j++) w[j] = besselI0(r.a * Math.sqrt(1 - ((j - half) / half) ** 2)) / i0b;
      return w;
    }
    case 'gaussian': {
      const sig2 = 2 * r.a * r.a;
      for (let j = 0; j < M; j++) w[j] = Math.exp(-((j - half) ** 2) / sig2);
      return w;
    }
    case 'general_gaussian':
      for (let j = 0; j < M; j++) w[j] = Math.exp(-0.5 * Math.abs((j - half) / r.b) ** (2 * r.a));
      return w;
    case 'chebwin':
      return chebwinSymmetric(M, r.a);
    case 'taylor':
      return taylorSymmetric(M, r.a, r.b, r.flag);
    case 'dpss':
      return dpssSymmetric(M, r.a);
    case 'general_hamming':
      return generalCosine([r.a, 1 - r.a], M);
    case 'general_cosine':
      return generalCosine(r.coefs, M);
    case 'kaiser_bessel_derived': {
      // sqrt of the normalised running sum of a Kaiser window of M/2 + 1, mirrored
      const k = symmetricWindow({ ...r, name: 'kaiser' }, M / 2 + 1);
      const csum = new Float64Array(k.length);
      let acc = 0;
      for (let i = 0; i < k.length; i++) csum[i] = acc += k[i];
      for (let i = 0; i < M / 2; i++) w[i] = w[M - 1 - i] = Math.sqrt(csum[i] / csum[k.length - 1]);
      return w;
    }
  }
}

/** scipy.signal.windows.taylor(M, nbar, sll, norm), M ≥ 2. */
function taylorSymmetric(M: number, nbar: number, sll: number, norm: boolean): Float64Array {
  const B = 10 ** (sll / 20);
  const A = Math.acosh(B) / Math.PI;
  const s2 = nbar ** 2 / (A ** 2 + (nbar - 0.5) ** 2);
  const K = nbar - 1;
  const Fm = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    const m2 = (i + 1) ** 2;
    let numer = i % 2 === 0 ? 1 : -1;
    for (let j = 0; j < K; j++) numer *= 1 - m2 / s2 / (A ** 2 + (j + 1 - 0.5) ** 2);
    let d1 = 1;
    for (let j = 0; j < i; j++) d1 *= 1 - m2 / (j + 1) ** 2;
    let d2 = 1;
    for (let j = i + 1; j < K; j++) d2 *= 1 - m2 / (j + 1) ** 2;
    Fm[i] = numer / (2 * d1 * d2);
  }
  const W = (t: number): number => {
    let s = 0;
    for (let i = 0; i < K; i++) s += Fm[i] * Math.cos((2 * Math.PI * (i + 1) * (t - M / 2 + 0.5)) / M);
    return 1 + 2 * s;
  };
  const w = new Float64Array(M);
  for (let j = 0; j < M; j++) w[j] = W(j);
  if (norm) {
    const scale = 1 / W((M - 1) / 2);
    for (let j = 0; j < M; j++) w[j] *= scale;
  }
  return w;
}

/**
 * Dolph–Chebyshev window of M ≥ 2 samples (scipy.signal.windows.chebwin(M, at)): the DFT of the
 * Chebyshev polynomial sampled on the unit circle, max-normalised; the sign of `at` is ignored.
 * O(M²).
 */
function chebwinSymmetric(M: number, at: number): Float64Array {
  const order = M - 1;
  const beta = Math.cosh(Math.acosh(10 ** (Math.abs(at) / 20)) / order);
  const p = new Float64Array(M);
  for (let k = 0; k < M; k++) {
    const x = beta * Math.cos((Math.PI * k) / M);
    if (x > 1) p[k] = Math.cosh(order * Math.acosh(x));
    else if (x < -1) p[k] = (2 * (M % 2) - 1) * Math.cosh(order * Math.acosh(-x));
    else p[k] = Math.cos(order * Math.acos(x));
  }
  // real(fft(p)) (odd M) or real(fft(p · e^{jπk/M})) (even M)
  const W = new Float64Array(M);
  for (let n = 0; n < M; n++) {
    let s = 0;
    for (let k = 0; k < M; k++) {
      const ph = (-2 * Math.PI * k * n) / M + (M % 2 ? 0 : (Math.PI * k) / M);
      s += p[k] * Math.cos(ph);
    }
    W[n] = s;
  }
  const out = new Float64Array(M);
  let j = 0;
  if (M % 2) {
    const h = (M + 1) / 2; // concat(w[h-1:0:-1], w[:h])
    for (let i = h - 1; i >= 1; i--) out[j++] = W[i];
    for (let i = 0; i < h; i++) out[j++] = W[i];
  } else {
    const h = M / 2 + 1; // concat(w[h-1:0:-1], w[1:h])
    for (let i = h - 1; i >= 1; i--) out[j++] = W[i];
    for (let i = 1; i < h; i++) out[j++] = W[i];
  }
  let mx = -Infinity;
  for (let i = 0; i < M; i++) mx = Math.max(mx, out[i]);
  for (let i = 0; i < M; i++) out[i] /= mx;
  return out;
}

/**
 * Dolph–Chebyshev taper of `M` points with side lobes `|sidelobeDb|` dB below the main lobe,
 * max-normalised: scipy.signal.windows.chebwin(M, at) (symmetric), the same routine as
 * `getWindow(['chebwin', at], M, { symmetric: true })`. Like chebwin, the sign of the attenuation
 * is ignored (−30 and 30 give the same taper); scipy warns below 45 dB, this function does not.
 * Matches scipy to 1e-12 (M 1–16, at ±30–100; test/fixtures/refs/windows.json). O(M²).
 * @throws ValueError for M not an integer ≥ 1 or a non-finite sidelobeDb.
 * @example chebyshevWeights(5, 30); // [0.3185, 0.7683, 1, 0.7683, 0.3185]
 */
export function chebyshevWeights(M: number, sidelobeDb = 30): Float64Array {
  const fn = 'chebyshevWeights';
  assertInteger(fn, 'M', M, 1);
  assertFinite(fn, 'sidelobeDb', sidelobeDb);
  if (M === 1) return Float64Array.of(1);
  return chebwinSymmetric(M, sidelobeDb);
}

/**
 * The first discrete prolate spheroidal (Slepian) sequence of M ≥ 2 samples with
 * time-half-bandwidth NW, as scipy.signal.windows.dpss(M, NW) (norm 'approximate'): the
 * eigenvector of the largest eigenvalue of scipy's symmetric tridiagonal matrix
 * (diagonal ((M−1−2i)/2)² cos 2πW, off-diagonal i(M−i)/2, W = NW/M), found by Sturm-sequence
 * bisection and inverse iteration; sign so that its sum is positive, max 1, then × M²/(M² + NW)
 * for even M. O(M²) at most (bisection O(M · 60), each inverse iteration O(M)).
 */
function dpssSymmetric(M: number, NW: number): Float64Array {
  const W = NW / M;
  const d = new Float64Array(M);
  const e = new Float64Array(M); // e[i] couples i−1 and i (e[0] unused)
  const cw = Math.cos(2 * Math.PI * W);
  for (let i = 0; i < M; i++) d[i] = ((M - 1 - 2 * i) / 2) ** 2 * cw;
  for (let i = 1; i < M; i++) e[i] = (i * (M - i)) / 2;
  const v = tridiagonalTopEigenvector(d, e);
  let sum = 0;
  for (let i = 0; i < M; i++) sum += v[i];
  if (sum < 0) for (let i = 0; i < M; i++) v[i] = -v[i];
  let mx = -Infinity;
  for (let i = 0; i < M; i++) mx = Math.max(mx, v[i]);
  const corr = M % 2 === 0 ? M ** 2 / (M ** 2 + NW) : 1;
  for (let i = 0; i < M; i++) v[i] = (v[i] / mx) * corr;
  return v;
}

/**
 * Unit eigenvector of the largest eigenvalue of the symmetric tridiagonal matrix with diagonal d
 * and off-diagonal e (e[i] between rows i−1 and i): the eigenvalue by bisection on the Sturm count,
 * the vector by inverse iteration with a partially pivoted tridiagonal LU.
 */
function tridiagonalTopEigenvector(d: Float64Array, e: Float64Array): Float64Array {
  const M = d.length;
  let lo = Infinity;
  let hi = -Infinity;
  let norm = 0;
  for (let i = 0; i < M; i++) {
    const r = (i > 0 ? Math.abs(e[i]) : 0) + (i < M - 1 ? Math.abs(e[i + 1]) : 0);
    lo = Math.min(lo, d[i] - r);
    hi = Math.max(hi, d[i] + r);
    norm = Math.max(norm, Math.abs(d[i]) + r);
  }
  const tiny = Number.MIN_VALUE * 1e10;
  // number of eigenvalues < x
  const below = (x: number): number => {
    let count = 0;
    let q = 1;
    for (let i = 0; i < M; i++) {
      q = d[i] - x - (i > 0 ? (e[i] * e[i]) / q : 0);
      if (q === 0) q = -tiny;
      if (q < 0) count++;
    }
    return count;
  };
  for (let it = 0; it < 2000 && hi - lo > 2 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi)); it++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (below(mid) === M) hi = mid;
    else lo = mid;
  }
  const lambda = 0.5 * (lo + hi);
  // LU of T − λI with partial pivoting (LAPACK dgttrf), then repeated solves (dgtts2)
  const dl = new Float64Array(M - 1);
  const dd = new Float64Array(M);
  const du = new Float64Array(M - 1);
  const du2 = new Float64Array(Math.max(0, M - 2));
  const swap = new Uint8Array(M);
  for (let i = 0; i < M; i++) dd[i] = d[i] - lambda;
  for (let i = 0; i < M - 1; i++) {
    dl[i] = e[i + 1];
    du[i] = e[i + 1];
  }
  for (let i = 0; i < M - 1; i++) {
    if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
      if (dd[i] !== 0) {
        const f = dl[i] / dd[i];
        dl[i] = f;
        dd[i + 1] -= f * du[i];
      }
    } else {
      const f = dd[i] / dl[i];
      dd[i] = dl[i];
      dl[i] = f;
      const t = du[i];
      du[i] = dd[i + 1];
      dd[i + 1] = t - f * dd[i + 1];
      if (i < M - 2) {
        du2[i] = du[i + 1];
        du[i + 1] = -f * du[i + 1];
      }
      swap[i] = 1;
    }
  }
  const eps = Number.EPSILON * norm;
  for (let i = 0; i < M; i++) if (Math.abs(dd[i]) < eps) dd[i] = dd[i] < 0 ? -eps : eps;
  const b = new Float64Array(M).fill(1 / Math.sqrt(M));
  for (let it = 0; it < 4; it++) {
    for (let i = 0; i < M - 1; i++) {
      if (!swap[i]) b[i + 1] -= dl[i] * b[i];
      else {
        const t = b[i];
        b[i] = b[i + 1];
        b[i + 1] = t - dl[i] * b[i];
      }
    }
    b[M - 1] /= dd[M - 1];
    if (M > 1) b[M - 2] = (b[M - 2] - du[M - 2] * b[M - 1]) / dd[M - 2];
    for (let i = M - 3; i >= 0; i--) b[i] = (b[i] - du[i] * b[i + 1] - du2[i] * b[i + 2]) / dd[i];
    let s = 0;
    for (let i = 0; i < M; i++) s += b[i] * b[i];
    s = 1 / Math.sqrt(s);
    for (let i = 0; i < M; i++) b[i] *= s;
  }
  return b;
}

/**
 * Modified Bessel function of the first kind, order 0, by its power series (relative accuracy
 * ~1e-16 for the Kaiser-window arguments used here, |x| ≲ 50). Shared by the Kaiser-windowed sinc
 * filters of the beamforming and resampling code.
 * @internal
 */
export function besselI0(x: number): number {
  let s = 1;
  let t = 1;
  for (let k = 1; k < 60; k++) {
    t *= (x / (2 * k)) ** 2;
    s += t;
    if (t < 1e-17 * s) break;
  }
  return s;
}
