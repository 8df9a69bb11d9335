/**
 * The cost model behind `convolve2d(…, { method: 'auto' })`, in the form of src/convolve/cost.ts and
 * reusing its FFT timing table ({@link fftNs}).
 *
 * Model, in nanoseconds per band, for an `Nr × Nc` image (padded when the boundary rule needs it),
 * an `Mr × Mc` kernel and an `Lr × Lc` output rectangle:
 * - direct: `DIRECT2D_NS_PER_MAC` per multiply-add (`Lr·Lc·min(Mr, Nr)·min(Mc, Nc)` bounds their
 *   number from above) plus `DIRECT2D_NS_PER_LOOP` per inner loop (one per output row and kernel tap);
 * - fft on an `R × W` grid: `Nr` forward and `Lr` inverse real row transforms of W, `2·bins` complex
 *   column transforms of R (bins = W/2 + 1), and `FFT2D_NS_PER_POINT` per spectrum point for the
 *   transposes and the spectral product, `FFT2D_NS_PER_TRANSFORM` per 1-D transform called; the
 *   transforms are scaled by `FFT2D_FACTOR`.
 * The constants were fitted to the 'model vs measured' table that bench/convolve2d.ts prints (its
 * `method choice` section times both methods over a grid of image and kernel sizes and says whether
 * 'auto' is within 20 % of the faster one). Fitted to the ratio of the two methods, which is what the
 * choice needs: the crossover on square images sits between 5 × 5 and 7 × 7 kernels at every size
 * from 64 × 64 to 512 × 512 in that table.
 * @module
 * @internal
 */
import { fftNs } from './cost.js';

/** ns per multiply-add of the direct 2-D kernel (bench/convolve2d.ts, method choice table). */
export const DIRECT2D_NS_PER_MAC = 1.8;
/** ns per inner loop of the direct kernel (one per output row and kernel tap; bench/convolve2d.ts). */
export const DIRECT2D_NS_PER_LOOP = 20;
/** ns per spectrum point (R · bins) for the transposes and the product (bench/convolve2d.ts). */
export const FFT2D_NS_PER_POINT = 6;
/** Fixed ns per 1-D transform (calls, twiddle set-up), which decides tiny images (bench/convolve2d.ts smoke rows). */
export const FFT2D_NS_PER_TRANSFORM = 150;
/** Scale of the 1-D FFT table for the strided 2-D transforms (bench/convolve2d.ts). */
export const FFT2D_FACTOR = 1.3;

/** ns of a real FFT of length W (one complex FFT of W/2 plus its split loop). */
function rfftNs(W: number): number {
  return fftNs(W) + 2 * W;
}

/** Modelled ns per band of the two methods. */
export function model2dNs(Nr: number, Nc: number, Mr: number, Mc: number, Lr: number, Lc: number, R: number, W: number): { direct: number; fft: number } {
  const bins = Math.floor(W / 2) + 1;
  const taps = Math.min(Mr, Nr) * Math.min(Mc, Nc);
  const direct = DIRECT2D_NS_PER_MAC * Lr * Lc * taps + DIRECT2D_NS_PER_LOOP * Lr * taps;
  const transforms = Nr + Lr + 2 * bins;
  const fft = FFT2D_FACTOR * ((Nr + Lr) * rfftNs(W) + 2 * bins * fftNs(2 * R)) + FFT2D_NS_PER_POINT * R * bins + FFT2D_NS_PER_TRANSFORM * transforms;
  return { direct, fft };
}
