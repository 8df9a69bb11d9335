/**
 * Rate changes as scipy.signal: `upfirdn` (upsample, FIR filter, downsample — the polyphase kernel
 * that resamplePoly also runs on) and `resample` (the Fourier method).
 * @module
 */
import { Multichannel, allocate, asMultichannel, type SignalLike } from '../core/multichannel.js';
import { ValueError, message } from '../core/errors.js';
import { assertAllFinite, assertFinite, assertInteger, assertNumericArray, assertOneOf, isNumericArray, type SampleArray } from '../core/validate.js';
import { irfft, rfft } from '../fft/transforms.js';
import { getWindow, type WindowSpec } from '../fft/window.js';

/**
 * How the signal continues beyond its ends (scipy.signal.upfirdn's `mode`), for x = [1 2 3]:
 * 'constant' (cval … | 1 2 3 | cval …), 'edge' (1 1 | 1 2 3 | 3 3), 'wrap' (2 3 | 1 2 3 | 1 2),
 * 'symmetric' (2 1 | 1 2 3 | 3 2), 'reflect' (3 2 | 1 2 3 | 2 1), 'antisymmetric' (−2 −1 | 1 2 3 | −3 −2),
 * 'antireflect' (−1 0 | 1 2 3 | 4 5), 'smooth' (the line through the two end samples at each end),
 * 'line' (the line through the first and last samples).
 */
export type ExtensionMode = 'constant' | 'wrap' | 'edge' | 'smooth' | 'symmetric' | 'reflect' | 'antisymmetric' | 'antireflect' | 'line';

/** Every {@link ExtensionMode}, in scipy's order (for validation and option lists). */
export const EXTENSION_MODES: readonly ExtensionMode[] = ['constant', 'wrap', 'edge', 'smooth', 'symmetric', 'reflect', 'antisymmetric', 'antireflect', 'line'];

/** Modes that read two distinct samples (they need a signal of at least 2 samples). */
const NEEDS_TWO: readonly ExtensionMode[] = ['smooth', 'reflect', 'antireflect', 'line'];

/** Options of {@link upfirdn}. */
export interface UpfirdnOptions {
  /** Signal extension beyond both ends (default 'constant'). */
  mode?: ExtensionMode;
  /** The value of 'constant' extension (default 0). */
  cval?: number;
}

/** Sample k (< 0) of x continued to the left (scipy's _extend_left). */
function extendLeft(x: SampleArray, idx: number, mode: ExtensionMode, cval: number): number {
  const n = x.length;
  switch (mode) {
    case 'constant':
      return cval;
    case 'edge':
      return x[0];
    case 'symmetric': {
      const k = (-idx - 1) % (2 * n);
      return k < n ? x[k] : x[2 * n - 1 - k];
    }
    case 'antisymmetric': {
      const k = (-idx - 1) % (2 * n);
      return k < n ? -x[k] : x[2 * n - 1 - k];
    }
    case 'reflect': {
      const k = (-idx - 1) % (2 * (n - 1));
      return k < n - 1 ? x[k + 1] : x[2 * n - 3 - k];
    }
    case 'antireflect': {
      if (-idx < n) return x[0] - (x[-idx] - x[0]);
      const le = x[0] + (x[0] - x[n - 1]) * Math.floor((-idx - 1) / (n - 1));
      const k = (-idx - 1) % (2 * (n - 1));
      return k < n - 1 ? le - (x[k + 1] - x[0]) : le - (x[n - 1] - x[2 * n - 3 - k]);
    }
    case 'wrap':
      return x[n - 1 - ((-idx - 1) % n)];
    case 'smooth':
      return x[0] + idx * (x[1] - x[0]);
    case 'line':
      return x[0] + idx * ((x[n - 1] - x[0]) / (n - 1));
  }
}

/** Sample k (≥ n) of x continued to the right (scipy's _extend_right). */
function extendRight(x: SampleArray, idx: number, mode: ExtensionMode, cval: number): number {
  const n = x.length;
  switch (mode) {
    case 'constant':
      return cval;
    case 'edge':
      return x[n - 1];
    case 'symmetric': {
      const k = idx % (2 * n);
      return k < n ? x[k] : x[2 * n - 1 - k];
    }
    case 'antisymmetric': {
      if (idx < 2 * n) return -x[2 * n - 1 - idx];
      const k = idx % (2 * n);
      return k < n ? x[k] : -x[2 * n - 1 - k];
    }
    case 'reflect': {
      if (idx < 2 * n - 1) return x[2 * n - 2 - idx];
      const k = idx % (2 * (n - 1));
      return k < n - 1 ? x[k] : x[2 * n - 2 - k];
    }
    case 'antireflect': {
      if (idx < 2 * n - 1) return x[n - 1] - (x[2 * n - 2 - idx] - x[n - 1]);
      const re = x[n - 1] + (x[n - 1] - x[0]) * (Math.floor(idx / (n - 1)) - 1);
      const k = idx % (2 * (n - 1));
      return k < n - 1 ? re + (x[k] - x[0]) : re + (x[n - 1] - x[2 * n - 2 - k]);
    }
    case 'wrap':
      return x[idx % n];
    case 'smooth':
      return x[n - 1] + (idx - n + 1) * (x[n - 1] - x[n - 2]);
    case 'line':
      return x[n - 1] + (idx - n + 1) * ((x[n - 1] - x[0]) / (n - 1));
  }
}

/**
 * Output samples `first … first + count − 1` of upfirdn on one channel:
 * `y[n] = Σ_i h[t + i·up] · x̃[k − i]` with `n·down = k·up + t` (0 ≤ t < up) and x̃ the extended x.
 * Sums in float64.
 * @internal
 */
export function upfirdnKernel(h: Float64Array, x: SampleArray, up: number, down: number, mode: ExtensionMode, cval: number, first: number, count: number, out: SampleArray, outOffset: number): void {
  const N = x.length;
  const L = h.length;
  const per = Math.ceil(L / up); // taps per phase
  // polyphase table, reversed so that x is read forwards: phase t, slot j holds h[t + (per − 1 − j)·up]
  const ph = new Float64Array(up * per);
  for (let t = 0; t < up; t++) {
    for (let j = 0; j < per; j++) {
      const q = t + (per - 1 - j) * up;
      if (q < L) ph[t * per + j] = h[q];
    }
  }
  const zero = mode === 'constant' && cval === 0;
  const m0 = first * down;
  let k = Math.floor(m0 / up); // output n·down = k·up + t
  let t = m0 - k * up;
  for (let n = 0; n < count; n++) {
    const base = t * per;
    const x0 = k - per + 1; // x index of slot 0
    const j0 = x0 < 0 ? Math.min(per, -x0) : 0; // slots before j0 read x[< 0]
    const j1 = Math.max(j0, Math.min(per, N - x0)); // slots from j1 on read x[≥ N]
    let s0 = 0;
    let s1 = 0;
    let j = j0;
    for (; j + 1 < j1; j += 2) {
      s0 += ph[base + j] * x[x0 + j];
      s1 += ph[base + j + 1] * x[x0 + j + 1];
    }
    if (j < j1) s0 += ph[base + j] * x[x0 + j];
    let s = s0 + s1;
    if (!zero) {
      for (let i = 0; i < j0; i++) s += ph[base + i] * extendLeft(x, x0 + i, mode, cval);
      for (let i = j1; i < per; i++) s += ph[base + i] * extendRight(x, x0 + i, mode, cval);
    }
    out[outOffset + n] = s;
    t += down;
    if (t >= up) {
      const q = Math.floor(t / up);
      k += q;
      t -= q * up;
    }
  }
}

/**
 * Validates an extension mode for a signal of `length` samples.
 * @internal
 */
export function checkExtension(fn: string, name: string, mode: unknown, length: number): ExtensionMode {
  const m = assertOneOf(fn, name, mode, EXTENSION_MODES);
  if (length < 2 && NEEDS_TWO.includes(m)) throw new ValueError(message(fn, `${name} '${m}' needs a signal of at least 2 samples`, length));
  return m;
}

/**
 * Upsample by zero insertion, FIR filter, downsample — `scipy.signal.upfirdn(h, x, up, down,
 * axis=-1, mode, cval)` on every channel: `y = (h ∗ (x ↑ up)) ↓ down`,
 * `[C, N] → [C, ((N − 1)·up + len(h) − 1) // down + 1]`, computed polyphase (only the needed
 * products: O(C · N·up/down · len(h)/up)). `mode` continues x beyond its ends ({@link ExtensionMode}).
 * The sample rate (if set) is multiplied by up/down; the element type of x is kept (sums in
 * float64). Matches scipy 1.10 to 1e-13 (test/fixtures/refs/fir.json).
 * @throws ValueError for up/down not integers ≥ 1, empty or non-finite h, an unknown mode, a
 *   non-finite cval, or a mode that needs 2 samples on a 1-sample signal.
 * @throws ArgumentTypeError / ShapeError for an x that is not a signal or is empty.
 * @example
 * upfirdn([1, 1, 1], [1, 2, 3], 2);      // [1, 1, 3, 2, 5, 3, 3]: upsample by 2, box filter
 * upfirdn(firwin(31, 0.25), x, 1, 4);    // low-pass and keep every 4th sample
 */
export function upfirdn(h: ArrayLike<number>, x: SignalLike, up = 1, down = 1, options: UpfirdnOptions = {}): Multichannel {
  const fn = 'upfirdn';
  const hh = Float64Array.from(assertNumericArray(fn, 'h', h));
  assertAllFinite(fn, 'h', hh);
  const m = asMultichannel(fn, 'x', x);
  assertInteger(fn, 'up', up, 1);
  assertInteger(fn, 'down', down, 1);
  const mode = checkExtension(fn, 'options.mode', options.mode ?? 'constant', m.length);
  const cval = options.cval ?? 0;
  assertFinite(fn, 'options.cval', cval);
  const N = m.length;
  const No = Math.floor(((N - 1) * up + hh.length - 1) / down) + 1;
  const out = allocate(m.dtype, m.channels * No);
  for (let c = 0; c < m.channels; c++) {
    upfirdnKernel(hh, m.data.subarray(c * N, (c + 1) * N), up, down, mode, cval, 0, No, out, c * No);
  }
  const meta = m.meta;
  delete meta.shape;
  if (m.sampleRate !== undefined) meta.sampleRate = (m.sampleRate * up) / down;
  return new Multichannel(out, m.channels, No, meta);
}

/** Options of {@link resample}. */
export interface ResampleOptions {
  /**
   * A spectral window applied to the spectrum before it is cut or padded, as scipy's `window`:
   * a {@link WindowSpec} (a periodic window of N samples, ifftshifted so its centre is at DC), or
   * N numbers already in FFT order. Default none.
   */
  window?: WindowSpec | ArrayLike<number>;
}

/**
 * Resamples every channel to `num` samples by the Fourier method, as
 * `scipy.signal.resample(x, num, axis=-1, window)` for real input: the real spectrum is cut
 * (downsampling) or zero-padded (upsampling), the Nyquist bin of an even length split or folded as
 * scipy does, and inverse-transformed, scaled by num/N. The signal is treated as periodic.
 * `[C, N] → [C, num]`; the sample rate (if set) is multiplied by num/N and the element type kept
 * (transforms in float64). O(C · (N log N + num log num)). Matches scipy 1.10 to 1e-12
 * (test/fixtures/refs/fir.json).
 * @throws ValueError for num not an integer ≥ 1, a bad window, or a window array whose length
 *   is not N.
 * @throws ArgumentTypeError / ShapeError for an x that is not a signal or is empty.
 * @example resample(x, 2 * x.length); // band-limited 2× upsampling
 */
export function resample(x: SignalLike, num: number, options: ResampleOptions = {}): Multichannel {
  const fn = 'resample';
  const m = asMultichannel(fn, 'x', x);
  assertInteger(fn, 'num', num, 1);
  const Nx = m.length;
  const bins = Math.floor(Nx / 2) + 1;
  let Wr: Float64Array | null = null;
  if (options.window !== undefined) {
    let W: Float64Array;
    if (isNumericArray(options.window)) {
      if (options.window.length !== Nx) throw new ValueError(message(fn, `options.window as an array must have the signal's length ${Nx}`, options.window.length));
      W = Float64Array.from(options.window);
      assertAllFinite(fn, 'options.window', W);
    } else {
      const w = getWindow(options.window as WindowSpec, Nx);
      W = new Float64Array(Nx); // ifftshift
      const s = Math.floor(Nx / 2);
      for (let i = 0; i < Nx; i++) W[i] = w[(i + s) % Nx];
    }
    // the real-input spectrum sees the average of the window's positive and negative frequencies
    Wr = new Float64Array(bins);
    Wr[0] = W[0];
    for (let k = 1; k < bins; k++) Wr[k] = 0.5 * (W[k] + W[Nx - k]);
  }
  const N = Math.min(num, Nx);
  const nyq = Math.floor(N / 2) + 1;
  const outBins = Math.floor(num / 2) + 1;
  const out = allocate(m.dtype, m.channels * num);
  const scale = num / Nx;
  for (let c = 0; c < m.channels; c++) {
    const X = rfft(m.data.subarray(c * Nx, (c + 1) * Nx));
    const re = new Float64Array(outBins);
    const im = new Float64Array(outBins);
    for (let k = 0; k < nyq; k++) {
      const w = Wr ? Wr[k] : 1;
      re[k] = X.re[k] * w;
      im[k] = X.im[k] * w;
    }
    if (N % 2 === 0 && num !== Nx) {
      const f = num < Nx ? 2 : 0.5;
      re[N / 2] *= f;
      im[N / 2] *= f;
    }
    const y = irfft({ re, im }, { n: num });
    const o = c * num;
    for (let i = 0; i < num; i++) out[o + i] = y[i] * scale;
  }
  const meta = m.meta;
  delete meta.shape;
  if (m.sampleRate !== undefined) meta.sampleRate = m.sampleRate * scale;
  return new Multichannel(out, m.channels, num, meta);
}
