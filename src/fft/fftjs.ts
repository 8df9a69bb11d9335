/**
 * The one adapter around fft.js (the package's only importer of it). fft.js is an untyped radix-4
 * kernel for power-of-two sizes ≥ 2 on interleaved complex arrays (`[re0, im0, re1, im1, …]`); its
 * `realTransform` fills only half the spectrum and its `inverseTransform` divides by N. Nothing of
 * that leaks out of this file: {@link Pow2Fft} exposes one unnormalised forward transform on
 * interleaved Float64Arrays for every power of two ≥ 1 (size 1 is the identity), and the rest of
 * src/fft builds inverses, real transforms and arbitrary lengths on top of it.
 * @module
 * @internal
 */
import FFTJS from 'fft.js';

/** The part of fft.js this package uses, typed. */
interface FftJsInstance {
  readonly size: number;
  transform(out: Float64Array, data: Float64Array): void;
}
type FftJsConstructor = new (size: number) => FftJsInstance;

const FftJs = FFTJS as unknown as FftJsConstructor;

/** True when `n` is a power of two (1, 2, 4, …). */
export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && Number.isInteger(n) && (n & (n - 1)) === 0 && n <= 0x40000000;
}

/**
 * Unnormalised forward DFT `X[k] = Σ_j x[j] e^{−2πi jk/n}` for a power-of-two `n`, on interleaved
 * complex Float64Arrays of length 2n. `out` and `data` must be different arrays.
 */
export class Pow2Fft {
  readonly n: number;
  private readonly impl: FftJsInstance | null;

  constructor(n: number) {
    if (!isPowerOfTwo(n)) throw new RangeError(`Pow2Fft: n must be a power of two; got ${n}`);
    this.n = n;
    this.impl = n >= 2 ? new FftJs(n) : null;
  }

  /** `out ← DFT(data)`; both interleaved, length ≥ 2n (only the first 2n entries are used). */
  transform(out: Float64Array, data: Float64Array): void {
    if (this.impl === null) {
      out[0] = data[0];
      out[1] = data[1];
      return;
    }
    this.impl.transform(out, data);
  }
}
