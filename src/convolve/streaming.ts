/**
 * Streaming convolution: uniformly partitioned overlap-save in the frequency domain.
 * @module
 */
import { ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, allocate, asMultichannel, type Dtype, type MultichannelMeta, type SignalLike } from '../core/multichannel.js';
import { assertInteger, firstNonFinite } from '../core/validate.js';
import { realPlan, type RealFft } from '../fft/plan.js';
import { blockNs } from './cost.js';

/** Options of {@link StreamingConvolver}. */
export interface StreamingConvolverOptions {
  /** Channels of the input stream (default: the kernel's channel count). A 1-channel kernel is broadcast. */
  channels?: number;
  /** Partition / block size in samples, a power of two ≥ 16 (default: the cheapest by the cost model of src/convolve/cost.ts). */
  blockSize?: number;
}

/** ns per complex multiply-add of the spectral accumulation loop (bench/convolve.ts, streaming rows). */
const CMAC_NS = 3;

/** Block size minimising modelled ns per sample for a kernel of M samples. */
export function defaultBlockSize(M: number): number {
  let best = 16, bestCost = Infinity;
  for (let B = 16; B <= 65536; B *= 2) {
    const P = Math.ceil(M / B);
    const cost = (blockNs(2 * B) + P * (B + 1) * CMAC_NS) / B;
    if (cost < bestCost) {
      bestCost = cost;
      best = B;
    }
    if (P === 1) break;
  }
  return best;
}

/**
 * Convolves an unbounded multichannel stream with a fixed kernel, chunk by chunk, with exactly the
 * samples of one-shot `convolve(x, h, { mode: 'full' })` (to ≤ 1e-12 · Σ|x| · max|h|).
 *
 * Algorithm: uniformly partitioned overlap-save. The kernel is cut into P = ceil(M / B) partitions of
 * B samples whose spectra (FFT size 2B) are computed once; every B input samples, one real FFT, P
 * complex multiply-adds against a frequency-domain delay line and one inverse FFT give B output
 * samples. Memory is O(C · (M + B)) whatever the stream length; time per sample
 * O(log B + M / B).
 *
 * Latency: output comes out in whole blocks, so {@link push} returns between 0 and
 * `chunk.length + B − 1` samples per channel (everything completed so far); {@link flush} returns the
 * rest, so that the total is N + M − 1 for N pushed samples. After flush the convolver is reset and
 * can take a new stream.
 *
 * Output element type follows the chunks (float32 chunks → float32 output); sampleRate and labels of
 * the first chunk are kept.
 *
 * @example
 * const sc = new StreamingConvolver(rir, { channels: 2 });
 * for (const chunk of chunks) writer.write(sc.push(chunk));
 * writer.write(sc.flush());
 */
export class StreamingConvolver {
  /** Input (and output) channels. */
  readonly channels: number;
  /** Kernel length M. */
  readonly kernelLength: number;
  /** Block (partition) size B; the FFT size is 2B. */
  readonly blockSize: number;
  private readonly partitions: number;
  private readonly plan: RealFft;
  private readonly spectra: Float64Array[]; // per kernel channel: P × 2(B+1), pre-scaled by 1/(2B)
  private readonly time: Float64Array[]; // per channel: 2B, [previous block | current block]
  private readonly fdl: Float64Array[]; // per channel: P × 2(B+1) ring of input spectra
  private readonly acc: Float64Array;
  private readonly y: Float64Array;
  private ring = 0;
  private fill = 0;
  private pushed = 0;
  private produced = 0;
  private dtype: Dtype = 'float64';
  private meta: MultichannelMeta | null = null;

  /**
   * @param h kernel: one channel (broadcast to every stream channel) or one per channel.
   * @throws ShapeError for an empty kernel or a channel count that does not fit; ValueError for
   *   non-finite kernel values or a blockSize that is not a power of two in [16, 2^20].
   */
  constructor(h: SignalLike, options: StreamingConvolverOptions = {}) {
    const fn = 'StreamingConvolver';
    const hm = asMultichannel(fn, 'h', h);
    const i = firstNonFinite(hm.data);
    if (i >= 0) throw new ValueError(message(fn, 'h must hold only finite values', { verbatim: `${hm.data[i]} at index ${i}` }));
    const C = options.channels ?? hm.channels;
    assertInteger(fn, 'options.channels', C, 1);
    if (hm.channels !== 1 && hm.channels !== C) throw new ShapeError(message(fn, `h must have 1 channel (broadcast) or options.channels = ${C}`, hm.channels));
    const M = hm.length;
    const B = options.blockSize ?? defaultBlockSize(M);
    assertInteger(fn, 'options.blockSize', B, 16, 1 << 20);
    if ((B & (B - 1)) !== 0) throw new ValueError(message(fn, 'options.blockSize must be a power of two', B));
    this.channels = C;
    this.kernelLength = M;
    this.blockSize = B;
    const P = Math.ceil(M / B);
    this.partitions = P;
    const F = 2 * B;
    const plan = realPlan(F);
    this.plan = plan;
    const stride = 2 * (B + 1);
    this.spectra = [];
    const hk = new Float64Array(M);
    const tmp = new Float64Array(stride);
    for (let k = 0; k < hm.channels; k++) {
      hk.set(hm.channel(k));
      const s = new Float64Array(P * stride);
      for (let p = 0; p < P; p++) {
        const len = Math.min(B, M - p * B);
        plan.forwardInterleaved(hk, p * B, len, tmp);
        for (let j = 0; j < stride; j++) s[p * stride + j] = tmp[j] / F;
      }
      this.spectra.push(s);
    }
    this.time = [];
    this.fdl = [];
    for (let c = 0; c < C; c++) {
      this.time.push(new Float64Array(F));
      this.fdl.push(new Float64Array(P * stride));
    }
    this.acc = new Float64Array(stride);
    this.y = new Float64Array(F);
  }

  /**
   * Feeds `chunk` (`[channels, L]`, any L ≥ 0; a plain array for a 1-channel stream) and returns
   * the output samples completed so far (`[channels, k·B]` for some k ≥ 0).
   * @throws ShapeError for a channel count other than `channels`; ValueError for non-finite samples.
   */
  push(chunk: SignalLike): Multichannel {
    const fn = 'StreamingConvolver.push';
    const x = asMultichannel(fn, 'chunk', chunk, true);
    if (x.channels !== this.channels) throw new ShapeError(message(fn, `chunk must have ${this.channels} channels`, x.channels));
    const bad = firstNonFinite(x.data);
    if (bad >= 0) throw new ValueError(message(fn, 'chunk must hold only finite values', { verbatim: `${x.data[bad]} at channel ${Math.floor(bad / x.length)}, sample ${bad % x.length}` }));
    if (this.meta === null) {
      this.meta = {};
      if (x.sampleRate !== undefined) this.meta.sampleRate = x.sampleRate;
      if (x.labels !== undefined) this.meta.labels = x.labels;
      this.dtype = x.dtype;
    }
    const B = this.blockSize;
    const L = x.length;
    const blocks = Math.floor((this.fill + L) / B);
    const outLen = blocks * B;
    const out = allocate(this.dtype, this.channels * outLen);
    let written = 0;
    for (let off = 0; off < L; ) {
      const take = Math.min(B - this.fill, L - off);
      for (let c = 0; c < this.channels; c++) {
        const src = x.data.subarray(c * L + off, c * L + off + take);
        this.time[c].set(src, B + this.fill);
      }
      this.fill += take;
      off += take;
      if (this.fill === B) {
        this.processBlock(out, outLen, written);
        written += B;
      }
    }
    this.pushed += L;
    return new Multichannel(out, this.channels, outLen, this.meta);
  }

  /**
   * Ends the stream: returns the remaining samples so that everything returned since the start
   * totals N + M − 1 per channel (N = samples pushed; nothing if N = 0), and resets the convolver.
   */
  flush(): Multichannel {
    const B = this.blockSize;
    const required = this.pushed === 0 ? 0 : this.pushed + this.kernelLength - 1;
    const remaining = required - this.produced;
    const blocks = Math.ceil(remaining / B);
    const buf = allocate(this.dtype, this.channels * blocks * B);
    for (let b = 0; b < blocks; b++) {
      for (let c = 0; c < this.channels; c++) this.time[c].fill(0, B + this.fill);
      this.fill = B;
      this.processBlock(buf, blocks * B, b * B);
    }
    const out = allocate(this.dtype, this.channels * remaining);
    for (let c = 0; c < this.channels; c++) out.set(buf.subarray(c * blocks * B, c * blocks * B + remaining), c * remaining);
    const meta = this.meta ?? {};
    this.reset();
    return new Multichannel(out, this.channels, remaining, meta);
  }

  /** Forgets the stream so far (the kernel spectra are kept). */
  reset(): void {
    for (const t of this.time) t.fill(0);
    for (const f of this.fdl) f.fill(0);
    this.ring = 0;
    this.fill = 0;
    this.pushed = 0;
    this.produced = 0;
    this.meta = null;
  }

  /** One block for every channel: writes B samples at `offset` of each channel row (row length `rowLen`) of `out`. */
  private processBlock(out: Float64Array | Float32Array, rowLen: number, offset: number): void {
    const B = this.blockSize, P = this.partitions, stride = 2 * (B + 1);
    const plan = this.plan, acc = this.acc, y = this.y;
    const slot = this.ring;
    for (let c = 0; c < this.channels; c++) {
      const t = this.time[c];
      const fdl = this.fdl[c];
      const H = this.spectra.length === 1 ? this.spectra[0] : this.spectra[c];
      plan.forwardInterleaved(t, 0, 2 * B, fdl.subarray(slot * stride, (slot + 1) * stride));
      acc.fill(0);
      for (let p = 0; p < P; p++) {
        let s = slot - p;
        if (s < 0) s += P;
        const xo = s * stride, ho = p * stride;
        for (let k = 0; k < stride; k += 2) {
          const xr = fdl[xo + k], xi = fdl[xo + k + 1];
          const hr = H[ho + k], hi = H[ho + k + 1];
          acc[k] += xr * hr - xi * hi;
          acc[k + 1] += xr * hi + xi * hr;
        }
      }
      plan.inverseInterleaved(acc, y, 1);
      const base = c * rowLen + offset;
      for (let j = 0; j < B; j++) out[base + j] = y[B + j];
      t.copyWithin(0, B, 2 * B);
    }
    this.ring = slot + 1 === P ? 0 : slot + 1;
    this.fill = 0;
    this.produced += B;
  }
}
