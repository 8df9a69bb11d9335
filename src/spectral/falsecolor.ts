/**
 * False-colour pictures of a cube (three bands, or three components of a projection) and the data of
 * an explained-variance curve.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { writePng } from '../io/png.js';
import type { PcaModel } from './pca.js';

/** Options of {@link falseColor}. */
export interface FalseColorOptions {
  /** Lower and upper percentile of each channel mapped to 0 and 255 (default [2, 98]). */
  percentiles?: readonly [number, number];
  /** Image `[rows, cols]` when `x.shape` is absent. */
  shape?: readonly [number, number];
  /** Gamma applied after the stretch (default 1). */
  gamma?: number;
}

/** An RGBA image, row-major, 4 bytes per pixel. */
export interface RgbaImage {
  rgba: Uint8Array;
  width: number;
  height: number;
}

/** The `q`-th percentile (0–100, linear interpolation as numpy's default) of the finite values of `a` (sampled to ≤ 2^16 values). */
export function percentile(a: ArrayLike<number>, q: number): number {
  const step = Math.max(1, Math.floor(a.length / 65536));
  const vals: number[] = [];
  for (let i = 0; i < a.length; i += step) if (Number.isFinite(a[i])) vals.push(a[i]);
  if (vals.length === 0) return NaN;
  const s = Float64Array.from(vals).sort();
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}

/**
 * Maps channels `[r, g, b]` of `x` (bands of a cube, or components of `pca(x).transform(x)`) to an
 * RGBA image with a per-channel percentile stretch: the `percentiles[0]`-th value → 0, the
 * `percentiles[1]`-th → 255, clipped between. NaN pixels are transparent (alpha 0).
 * Shapes: `[C, rows·cols]` → `rows × cols × 4` bytes.
 * @throws ValueError for channel indices out of range or bad percentiles; ShapeError without a 2-D shape.
 * @example const { rgba, width, height } = falseColor(cube, [60, 35, 15]);
 */
export function falseColor(x: Multichannel, channels: readonly [number, number, number], options: FalseColorOptions = {}): RgbaImage {
  const fn = 'falseColor';
  assertMultichannel(fn, 'x', x);
  if (!Array.isArray(channels) || channels.length !== 3) throw new ArgumentTypeError(message(fn, 'channels must be [r, g, b] channel indices', channels));
  channels.forEach((c, i) => assertInteger(fn, `channels[${i}]`, c, 0, x.channels - 1));
  const shape = options.shape ?? (x.shape && x.shape.length === 2 ? (x.shape as readonly [number, number]) : undefined);
  if (!shape || shape[0] * shape[1] !== x.length) throw new ShapeError(message(fn, `x must have a 2-D shape [rows, cols] (or options.shape) multiplying to ${x.length}`, x.shape ? { verbatim: `[${x.shape.join(', ')}]` } : undefined));
  const [plo, phi] = options.percentiles ?? [2, 98];
  if (!(plo >= 0 && phi <= 100 && plo < phi)) throw new ValueError(message(fn, 'percentiles must satisfy 0 ≤ low < high ≤ 100', { verbatim: `[${plo}, ${phi}]` }));
  const gamma = options.gamma ?? 1;
  if (!(gamma > 0 && Number.isFinite(gamma))) throw new ValueError(message(fn, 'options.gamma must be > 0', gamma));
  const [H, W] = shape;
  const N = x.length;
  const rgba = new Uint8Array(N * 4);
  const alpha = new Uint8Array(N).fill(255);
  for (let j = 0; j < 3; j++) {
    const ch = x.data.subarray(channels[j] * N, (channels[j] + 1) * N);
    const lo = percentile(ch, plo);
    const hi = percentile(ch, phi);
    const span = hi > lo ? hi - lo : 1;
    for (let p = 0; p < N; p++) {
      const v = ch[p];
      if (v !== v) {
        alpha[p] = 0;
        continue;
      }
      let u = (v - lo) / span;
      u = u < 0 ? 0 : u > 1 ? 1 : u;
      if (gamma !== 1) u = Math.pow(u, 1 / gamma);
      rgba[4 * p + j] = Math.round(255 * u);
    }
  }
  for (let p = 0; p < N; p++) {
    rgba[4 * p + 3] = alpha[p];
    if (alpha[p] === 0) rgba[4 * p] = rgba[4 * p + 1] = rgba[4 * p + 2] = 0;
  }
  return { rgba, width: W, height: H };
}

/** Options of {@link writeFalseColorPng}: those of {@link falseColor} plus the size of the file. */
export interface FalseColorPngOptions extends FalseColorOptions {
  /** Integer upscale factor (default 1): each pixel becomes a `scale × scale` block (nearest neighbour). */
  scale?: number;
  /**
   * Target size in pixels of the image's longer side: the image is upscaled by the largest integer
   * factor that keeps that side ≤ `size` (at least 1), so pixels stay square, equal blocks.
   * Give `scale` or `size`, not both.
   */
  size?: number;
}

/**
 * `img` enlarged `factor` times in each direction by nearest neighbour (every pixel → a factor ×
 * factor block). `factor` must be an integer ≥ 1 (1 returns `img` itself).
 */
function upscaleNearest(img: RgbaImage, factor: number): RgbaImage {
  if (factor === 1) return img;
  const { width: W, height: H, rgba } = img;
  const W2 = W * factor;
  const out = new Uint8Array(W2 * H * factor * 4);
  const src = new Uint32Array(rgba.buffer, rgba.byteOffset, W * H);
  const dst = new Uint32Array(out.buffer);
  for (let r = 0; r < H; r++) {
    const row = dst.subarray(r * factor * W2, (r * factor + 1) * W2);
    for (let c = 0; c < W; c++) row.fill(src[r * W + c], c * factor, (c + 1) * factor);
    for (let k = 1; k < factor; k++) dst.copyWithin((r * factor + k) * W2, r * factor * W2, (r * factor + 1) * W2);
  }
  return { rgba: out, width: W2, height: H * factor };
}

/**
 * Writes {@link falseColor} of `x` as a PNG file (atomically, through the plot module's writePng),
 * optionally enlarged by nearest neighbour so a small cube (e.g. 50 × 50 pixels) is visible:
 * `scale: 4`, or `size: 512` for the largest integer factor whose longer side fits in 512 pixels.
 * Returns the image written.
 * @throws as {@link falseColor}; ValueError for a scale that is not an integer in [1, 64], a size
 *   that is not an integer ≥ 1, or both given.
 * @example writeFalseColorPng('samson.png', cube, [60, 35, 15], { size: 480 }); // 95 × 95 → 475 × 475
 */
export function writeFalseColorPng(path: string, x: Multichannel, channels: readonly [number, number, number], options: FalseColorPngOptions = {}): RgbaImage {
  const fn = 'writeFalseColorPng';
  const { scale, size, ...rest } = options;
  if (scale !== undefined && size !== undefined) throw new ValueError(message(fn, 'give options.scale or options.size, not both', { verbatim: `scale ${scale}, size ${size}` }));
  if (scale !== undefined) assertInteger(fn, 'options.scale', scale, 1, 64);
  if (size !== undefined) assertInteger(fn, 'options.size', size, 1);
  const img = falseColor(x, channels, rest);
  const factor = scale ?? (size !== undefined ? Math.max(1, Math.floor(size / Math.max(img.width, img.height))) : 1);
  const big = upscaleNearest(img, factor);
  writePng(path, big.rgba, big.width, big.height);
  return big;
}

/** The bands whose wavelengths are closest to `targetsNm` (e.g. [640, 550, 460] for true colour). */
export function bandsNearest(x: Multichannel, targetsNm: readonly [number, number, number]): [number, number, number] {
  const fn = 'bandsNearest';
  if (!x.coords || x.coords.name !== 'wavelength' || x.coords.unit !== 'nm') throw new ValueError(message(fn, 'x must carry wavelength coordinates in nm', x.coords ? `${x.coords.name} in ${x.coords.unit}` : undefined));
  const wl = x.coords.values;
  return targetsNm.map((t) => {
    let best = 0;
    for (let b = 1; b < wl.length; b++) if (Math.abs(wl[b] - t) < Math.abs(wl[best] - t)) best = b;
    return best;
  }) as [number, number, number];
}

/** Explained-variance curve data: per-component ratio and cumulative ratio (for plots and tables). */
export function explainedVarianceCurve(model: PcaModel): { component: Int32Array; ratio: Float64Array; cumulative: Float64Array } {
  const k = model.k;
  const cumulative = new Float64Array(k);
  let s = 0;
  for (let i = 0; i < k; i++) cumulative[i] = s += model.explainedVarianceRatio[i];
  return { component: Int32Array.from({ length: k }, (_, i) => i + 1), ratio: Float64Array.from(model.explainedVarianceRatio), cumulative };
}
