/**
 * Kernels shared by the STFT (src/fft/stft.ts) and the spectral estimators (src/spectrum): removing
 * a trend from a segment in place, and scipy's boundary extensions of a signal. Unchecked: the
 * public functions validate their arguments before calling these.
 * @internal
 * @module
 */

/** What is removed from each segment: its mean, its least-squares line, or nothing. */
export type DetrendType = 'constant' | 'linear' | false;

/** Extensions of a signal at both ends (scipy.signal's zero_ext, even_ext, odd_ext, const_ext). */
export type BoundaryType = 'zeros' | 'even' | 'odd' | 'constant';

/**
 * Subtracts the mean (`'constant'`) or the least-squares straight line (`'linear'`) from
 * `a[off .. off+len)` in place. The line is fitted in centred coordinates (`t − mean(t)`), which gives
 * scipy.signal.detrend's residual (an lstsq fit of `[t/len, 1]`) to rounding. `false` leaves `a` alone.
 */
export function detrendInPlace(a: Float64Array, off: number, len: number, type: DetrendType): void {
  if (type === false || len === 0) return;
  let s = 0;
  for (let j = 0; j < len; j++) s += a[off + j];
  const mean = s / len;
  if (type === 'constant' || len === 1) {
    for (let j = 0; j < len; j++) a[off + j] -= mean;
    return;
  }
  const tm = (len - 1) / 2;
  let sty = 0;
  for (let j = 0; j < len; j++) sty += (j - tm) * (a[off + j] - mean);
  const stt = (len * (len * len - 1)) / 12; // Σ (j − tm)²
  const slope = sty / stt;
  for (let j = 0; j < len; j++) a[off + j] -= mean + slope * (j - tm);
}

/**
 * `x[off .. off+n)` extended by `ext` samples at each end: zeros, its even or odd reflection about the
 * end samples (not repeating them), or copies of the end samples. Even and odd need `ext < n`.
 */
export function extendBoundary(x: ArrayLike<number>, off: number, n: number, ext: number, type: BoundaryType): Float64Array {
  const out = new Float64Array(n + 2 * ext);
  for (let j = 0; j < n; j++) out[ext + j] = x[off + j];
  if (ext === 0 || type === 'zeros') return out;
  const first = x[off], last = x[off + n - 1];
  for (let j = 1; j <= ext; j++) {
    const head = ext - j, tail = ext + n - 1 + j;
    switch (type) {
      case 'even':
        out[head] = x[off + j];
        out[tail] = x[off + n - 1 - j];
        break;
      case 'odd':
        out[head] = 2 * first - x[off + j];
        out[tail] = 2 * last - x[off + n - 1 - j];
        break;
      case 'constant':
        out[head] = first;
        out[tail] = last;
        break;
    }
  }
  return out;
}
