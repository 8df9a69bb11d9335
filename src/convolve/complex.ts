/**
 * Convolution and correlation of complex signals (analytic signals, IQ recordings): a complex
 * signal is a pair of Multichannels `{ re, im }` of equal size, the planar layout the rest of the
 * package uses (a channel of each plane is a zero-copy view). Results are computed from real
 * convolutions by {@link convolve} / {@link correlate}, so modes, methods, broadcasting, workers and
 * metadata are exactly theirs.
 * @module
 */
import { ArgumentTypeError, ShapeError, message } from '../core/errors.js';
import { Multichannel, asMultichannel, type Dtype, type SignalLike } from '../core/multichannel.js';
import { assertAllFinite, assertOneOf } from '../core/validate.js';
import { convolve, correlate, type ConvolveOptions } from './convolve.js';

/** A complex multichannel signal: real and imaginary planes of the same channels × length. */
export interface ComplexMultichannel {
  re: Multichannel;
  im: Multichannel;
}

/** A complex signal as given to {@link convolveComplex}: planes as any {@link SignalLike}; a missing `im` is zero. */
export interface ComplexSignal {
  re: SignalLike;
  im?: SignalLike;
}

/** What {@link convolveComplex} accepts: a complex pair, or a real signal (imaginary part zero). */
export type ComplexSignalLike = ComplexSignal | SignalLike;

interface Planes {
  re: Multichannel;
  im: Multichannel | null;
}

function asPlanes(fn: string, name: string, v: unknown): Planes {
  if (typeof v === 'object' && v !== null && !(v instanceof Multichannel) && !ArrayBuffer.isView(v) && !Array.isArray(v)) {
    if (!('re' in v)) throw new ArgumentTypeError(message(fn, `${name} must be { re, im } (complex) or a real signal`, v));
    const p = v as ComplexSignal;
    const re = asMultichannel(fn, `${name}.re`, p.re);
    if (p.im === undefined) return { re, im: null };
    const im = asMultichannel(fn, `${name}.im`, p.im);
    if (im.channels !== re.channels || im.length !== re.length) {
      throw new ShapeError(message(fn, `${name}.im must have the size of ${name}.re [${re.channels}, ${re.length}]`, { verbatim: `[${im.channels}, ${im.length}]` }));
    }
    assertAllFinite(fn, `${name}.re`, re.data);
    assertAllFinite(fn, `${name}.im`, im.data);
    return { re, im };
  }
  return { re: asMultichannel(fn, name, v), im: null };
}

/** `a ± b` element-wise into a new float64 array (one of them may be absent). */
function combine(a: Multichannel | null, b: Multichannel | null, sign: 1 | -1): Float64Array {
  const ref = (a ?? b)!;
  const out = new Float64Array(ref.data.length);
  if (a !== null) out.set(a.data);
  if (b !== null) for (let i = 0; i < out.length; i++) out[i] += sign * b.data[i];
  return out;
}

function run(fn: string, x: unknown, h: unknown, options: ConvolveOptions | undefined, correlation: boolean): ComplexMultichannel {
  const xp = asPlanes(fn, 'x', x);
  const hp = asPlanes(fn, 'h', h);
  const o = { ...(options ?? {}) };
  const dtype: Dtype = o.dtype === undefined ? xp.re.dtype : assertOneOf(fn, 'options.dtype', o.dtype, ['float64', 'float32'] as const);
  const f64: ConvolveOptions = { ...o, dtype: 'float64' };
  const op = (a: Multichannel, b: Multichannel): Multichannel => (correlation ? correlate : convolve)(a, b, f64);
  // (a + ib) ⊛ (c + id) = (a⊛c − b⊛d) + i(a⊛d + b⊛c); correlation conjugates h: (a⋆c + b⋆d) + i(b⋆c − a⋆d)
  const { re: a, im: b } = xp, { re: c, im: d } = hp;
  const ac = op(a, c);
  const bd = b !== null && d !== null ? op(b, d) : null;
  const ad = d !== null ? op(a, d) : null;
  const bc = b !== null ? op(b, c) : null;
  const re = combine(ac, bd, correlation ? 1 : -1);
  const im = ad === null && bc === null ? new Float64Array(re.length) : correlation ? combine(bc, ad, -1) : combine(ad, bc, 1);
  const cast = (v: Float64Array) => (dtype === 'float32' ? Float32Array.from(v) : v);
  return { re: ac.withData(cast(re)), im: ac.withData(cast(im)) };
}

/**
 * Convolution of complex signals along time, channel by channel, as `scipy.signal.convolve(x, h, mode)`
 * with complex arrays: `y[c, n] = Σ_k h[c', k] · x[c'', n − k]` in complex arithmetic, channels
 * broadcasting exactly as {@link convolve}. Either argument may be real (a plain signal, or a pair
 * without `im`), e.g. a complex IQ recording filtered by a real FIR.
 *
 * Layout: `{ re, im }`, each a Multichannel (or any {@link SignalLike}) of the same `[C, N]`; the
 * result is `{ re, im }` of Multichannels of `[C, L]` (L per mode as {@link convolve}), float32 when
 * x.re is float32 (unless `dtype`), with x's sample rate, labels and coords. Computed as up to four
 * real convolutions `a⊛c − b⊛d`, `a⊛d + b⊛c` (x = a + ib, h = c + id) with the same method; matches
 * scipy's complex results within 1e-12 of the largest output (test/fixtures/refs/conv2d.json).
 *
 * @throws ArgumentTypeError for an object without `re` or a plane that is not a signal; ShapeError
 *   when `im` and `re` differ in size; ValueError for NaN / ±Infinity in a plane (named, with its flat
 *   index); and everything else {@link convolve} throws (naming convolve).
 * @example
 * convolveComplex({ re: [1, 0], im: [0, 1] }, { re: [1, 1], im: [0, 0] }); // re [1, 1, 0], im [0, 1, 1]
 */
export function convolveComplex(x: ComplexSignalLike, h: ComplexSignalLike, options?: ConvolveOptions): ComplexMultichannel {
  return run('convolveComplex', x, h, options, false);
}

/**
 * Cross-correlation of complex signals, as `scipy.signal.correlate(x, h, mode)` with complex arrays:
 * `z[c, k] = Σ_l x[c, l] · conj(h[c', l − k + M − 1])` ('full'), i.e. h is conjugated and reversed,
 * so `correlateComplex(x, x)` peaks at lag 0 with the real energy Σ|x|². Output sample i of 'full' is
 * lag `i − (M − 1)` ({@link correlationLags}); 'same' and 'valid' cut as {@link correlate}.
 *
 * Layout, shapes, dtype and errors as {@link convolveComplex}.
 * @example
 * correlateComplex({ re: [0, 1], im: [1, 0] }, { re: [0, 1], im: [1, 0] }); // re [0, 2, 0], im [1, 0, -1]
 */
export function correlateComplex(x: ComplexSignalLike, h: ComplexSignalLike, options?: ConvolveOptions): ComplexMultichannel {
  return run('correlateComplex', x, h, options, true);
}
