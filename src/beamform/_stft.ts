/**
 * Private STFT / ISTFT for src/beamform (square-root periodic Hann analysis and synthesis windows,
 * power-of-two FFT sizes), used because src/fft's stft/istft were not yet available when this module
 * was written. Perfect reconstruction for hop = windowLength / 2^k (k ≥ 1).
 * @internal
 * @module
 */
import type { SampleArray } from '../core/validate.js';
import { rfftOf } from './_fft.js';

/** A multichannel STFT: value (c, f, k) at index (c * frames + f) * bins + k. */
export interface Spec {
  channels: number;
  frames: number;
  bins: number;
  nfft: number;
  hop: number;
  windowLength: number;
  length: number;
  window: Float64Array;
  re: Float64Array;
  im: Float64Array;
}

/** Square root of the periodic Hann window. */
export function sqrtHann(L: number): Float64Array {
  const w = new Float64Array(L);
  for (let n = 0; n < L; n++) w[n] = Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * n) / L));
  return w;
}

/** Frame f starts at sample f·hop − (L − hop); frames cover [0, N) completely. */
export function frameCount(N: number, L: number, hop: number): number {
  return Math.ceil((N + L - hop) / hop);
}

/** STFT of C channels of length N stored channel-major in `data`. */
export function stftPrivate(data: SampleArray, C: number, N: number, L: number, hop: number, nfft: number): Spec {
  const F = frameCount(N, L, hop);
  const bins = nfft / 2 + 1;
  const fft = rfftOf(nfft);
  const w = sqrtHann(L);
  const re = new Float64Array(C * F * bins);
  const im = new Float64Array(C * F * bins);
  const buf = new Float64Array(nfft);
  const tr = new Float64Array(bins);
  const ti = new Float64Array(bins);
  for (let c = 0; c < C; c++) {
    const base = c * N;
    for (let f = 0; f < F; f++) {
      const s = f * hop - (L - hop);
      buf.fill(0);
      for (let n = 0; n < L; n++) {
        const t = s + n;
        if (t >= 0 && t < N) buf[n] = data[base + t] * w[n];
      }
      fft.forward(buf, tr, ti);
      const o = (c * F + f) * bins;
      re.set(tr, o);
      im.set(ti, o);
    }
  }
  return { channels: C, frames: F, bins, nfft, hop, windowLength: L, length: N, window: w, re, im };
}

/** Inverse of {@link stftPrivate} for one channel spectrum `[frames × bins]` (weighted overlap-add). */
export function istftPrivate(re: Float64Array, im: Float64Array, s: Pick<Spec, 'frames' | 'bins' | 'nfft' | 'hop' | 'windowLength' | 'length' | 'window'>): Float64Array {
  const { frames: F, bins, nfft, hop, windowLength: L, length: N, window: w } = s;
  const fft = rfftOf(nfft);
  const out = new Float64Array(N);
  const buf = new Float64Array(nfft);
  const scale = (2 * hop) / L; // Σ_j w²(n − j·hop) = L / (2·hop) for the periodic Hann
  for (let f = 0; f < F; f++) {
    fft.inverse(re.subarray(f * bins, (f + 1) * bins), im.subarray(f * bins, (f + 1) * bins), buf);
    const st = f * hop - (L - hop);
    for (let n = 0; n < L; n++) {
      const t = st + n;
      if (t >= 0 && t < N) out[t] += buf[n] * w[n] * scale;
    }
  }
  return out;
}
