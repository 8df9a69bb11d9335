/**
 * Streaming convolution: uniformly partitioned overlap-save in the frequency domain.
 * @module
 */
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { NumericalError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, allocate, asMultichannel, dtypeOf, type Dtype, type MultichannelMeta, type SignalLike } from '../core/multichannel.js';
import type { SampleArray } from '../core/validate.js';
import { assertInteger, assertOneOf, firstNonFinite } from '../core/validate.js';
import { realPlan, type RealFft } from '../fft/plan.js';
import { pffft, type PffftModule } from '../fft/pffft.js';
import { CMAC_SPAN, fft64Kernel, RealFft64, type Fft64Instance } from '../fft/fft64-wasm.js';
import { fftNs } from './cost.js';
import { ERROR_BYTES, awaitFlag, errorText, spawnWorker, split } from '../core/workers.js';
import { sharedArray } from '../core/shared.js';
import type { StreamWorkerRequest } from './stream-worker.js';

/** The arithmetic a {@link StreamingConvolver} can run in (see {@link StreamingConvolverOptions.precision}). */
export const PRECISIONS = ['float64', 'float32'] as const;
/** The arithmetic of a streaming convolver: 'float64' (double precision: this package's SIMD FFT in WebAssembly, or fft.js) or 'float32' (PFFFT SIMD in WebAssembly). */
export type Precision = (typeof PRECISIONS)[number];

/** Options of {@link StreamingConvolver}. */
export interface StreamingConvolverOptions {
  /** Channels of the input stream (default: the kernel's channel count). A 1-channel kernel is broadcast. */
  channels?: number;
  /** Partition / block size in samples, a power of two ≥ 16 (default: the cheapest by the running engine's cost model, src/convolve/streaming.ts). */
  blockSize?: number;
  /**
   * Arithmetic of the transforms. 'float64' (default): double precision, equal to one-shot
   * `convolve` to ≤ 1e-12 · Σ|x| · max|h|; the FFT and the spectral multiply-accumulate run in
   * WebAssembly SIMD (src/fft/fft64-wasm.ts), or in fft.js where that kernel cannot load
   * (`fft64Kernel.status()`, `kernelStatus()` say why). 'float32': PFFFT's SIMD single-precision FFT in
   * WebAssembly (src/fft/pffft.ts), about 2× faster than float64 (docs/PERFORMANCE.md, streaming convolution), within 1e-5
   * of the output's peak — ample for audio, whose samples carry 16–24 bits. Falls
   * back to 'float64' where WebAssembly SIMD is unavailable; {@link StreamingConvolver.precision}
   * tells which ran.
   */
  precision?: Precision;
  /**
   * Worker threads (default 0). With w > 0 the channels are split into w + 1 contiguous groups: the
   * first is convolved on the calling thread, each other one by its own StreamingConvolver in a
   * worker thread, the chunks and results crossing on SharedArrayBuffers. The API stays synchronous
   * and the output is identical to `workers: 0`. Pays for several channels and blocks of thousands
   * of samples (bench/convolve, streaming rows); call {@link StreamingConvolver.close} to stop the
   * threads early (they never keep the process alive).
   */
  workers?: number;
}

/** ns per complex multiply-add of the fft.js engine's spectral accumulation loop (bench/convolve.ts, streaming rows). */
const CMAC_NS = 3;

/**
 * ns per block of the fft.js engine for FFT size F, besides its accumulation: a forward and an
 * inverse real FFT (two fft.js complex FFTs of F/2, {@link fftNs}), 1.6 ns per sample for its
 * packing loops and 400 ns per block (fitted together with {@link CMAC_NS}).
 */
function fftjsBlockNs(F: number): number {
  return 2 * fftNs(F) + 1.6 * F + 400;
}

/**
 * The float64 WebAssembly engine's costs (src/fft/fft64-wasm.ts), fitted to its B sweep
 * (docs/PERFORMANCE.md, streaming convolution; 8 channels, 1 s response): a real forward + inverse
 * pair of size F ≈ 0.4 ns · F log2 F, and the multiply-accumulate ≈ 1.3 ns per bin and partition
 * when one kernel serves every channel, 2.5 ns when each channel has its own (its spectra then
 * stream from memory every block).
 */
function wasm64PairNs(F: number): number {
  return 0.4 * F * Math.log2(F);
}
const CMAC64_SHARED_NS = 1.3;
const CMAC64_OWN_NS = 2.5;

/**
 * The float32 engine's costs, fitted to its B sweep in bench/convolve.ts (streaming rows; 8 channels,
 * 1 s response): a PFFFT real forward + inverse pair of size F takes ≈ 0.62 ns · F log2 F (size
 * 4096 to 32768; 20 % more beyond, out of cache) and its SIMD complex multiply-add ≈ 1 ns per bin.
 */
function pffftPairNs(F: number): number {
  return 0.62 * F * Math.log2(F) * (F > 32768 ? 1.2 : 1);
}
const CMAC32_NS = 1;

/**
 * The default block size for a kernel of M samples in the given precision: the smallest power of
 * two B ≥ 16 whose modelled ns per sample is within 10 % of the cheapest B's. Near its minimum the
 * modelled cost is flat (docs/PERFORMANCE.md, streaming convolution), so the smaller block wins:
 * less latency and memory. `sharedKernel`: one kernel channel serves every
 * stream channel (the float64 WebAssembly engine then reads its spectra once per block for all).
 */
export function defaultBlockSize(M: number, precision: Precision = 'float64', sharedKernel = true): number {
  const wasm64 = precision === 'float64' && fft64Kernel() !== null;
  const costs: [B: number, ns: number][] = [];
  for (let B = 16; B <= 65536; B *= 2) {
    const P = Math.ceil(M / B);
    const ns =
      precision === 'float32'
        ? (pffftPairNs(2 * B) + P * B * CMAC32_NS) / B
        : wasm64
          ? (wasm64PairNs(2 * B) + P * (B + 1) * (sharedKernel ? CMAC64_SHARED_NS : CMAC64_OWN_NS)) / B
          : (fftjsBlockNs(2 * B) + P * (B + 1) * CMAC_NS) / B;
    costs.push([B, ns]);
    if (P === 1) break;
  }
  const cheapest = Math.min(...costs.map(([, ns]) => ns));
  return costs.find(([, ns]) => ns <= 1.1 * cheapest)![0];
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
  /** The arithmetic actually used (see {@link StreamingConvolverOptions.precision}). */
  readonly precision: Precision;
  private readonly partitions: number;
  private readonly engine: BlockEngine;
  /** Channels [0, local) run here; the rest in {@link remotes}. */
  private readonly local: number;
  private readonly remotes: RemoteGroup[];
  private ring = 0;
  private fill = 0;
  private pushed = 0;
  private produced = 0;
  private dtype: Dtype = 'float64';
  private meta: MultichannelMeta | null = null;

  /**
   * @param h kernel: one channel (broadcast to every stream channel) or one per channel.
   * @throws ShapeError for an empty kernel or a channel count that does not fit; ValueError for
   *   non-finite kernel values, a blockSize that is not a power of two in [16, 2^20] or an unknown precision.
   */
  constructor(h: SignalLike, options: StreamingConvolverOptions = {}) {
    const fn = 'StreamingConvolver';
    const hm = asMultichannel(fn, 'h', h);
    const i = firstNonFinite(hm.data);
    if (i >= 0) throw new ValueError(message(fn, 'h must hold only finite values', { verbatim: `${hm.data[i]} at index ${i}` }));
    const C = options.channels ?? hm.channels;
    assertInteger(fn, 'options.channels', C, 1);
    if (hm.channels !== 1 && hm.channels !== C) throw new ShapeError(message(fn, `h must have 1 channel (broadcast) or options.channels = ${C}`, hm.channels));
    const precision = assertOneOf(fn, 'options.precision', options.precision ?? 'float64', PRECISIONS);
    const M = hm.length;
    const wasm = precision === 'float32' ? pffft() : null;
    this.precision = wasm !== null ? 'float32' : 'float64'; // float32 falls back where PFFFT cannot load
    const B = options.blockSize ?? defaultBlockSize(M, this.precision, hm.channels === 1 || C === 1);
    assertInteger(fn, 'options.blockSize', B, 16, 1 << 20);
    if ((B & (B - 1)) !== 0) throw new ValueError(message(fn, 'options.blockSize must be a power of two', B));
    this.channels = C;
    this.kernelLength = M;
    this.blockSize = B;
    this.partitions = Math.ceil(M / B);
    const workers = options.workers ?? 0;
    assertInteger(fn, 'options.workers', workers, 0, 64);
    const parts = Math.min(C, workers + 1);
    const bounds = split(C, parts);
    this.local = bounds[1];
    const rows = (c0: number, c1: number): Multichannel => (hm.channels === 1 ? hm : new Multichannel(hm.data.subarray(c0 * M, c1 * M), c1 - c0, M));
    const hLocal = rows(0, this.local);
    this.engine = wasm !== null ? new Float32Engine(wasm, hLocal, this.local, B, this.partitions) : float64Engine(hLocal, this.local, B, this.partitions);
    this.remotes = [];
    for (let p = 1; p < parts; p++) {
      const g = new RemoteGroup(bounds[p], bounds[p + 1], rows(bounds[p], bounds[p + 1]), { channels: bounds[p + 1] - bounds[p], blockSize: B, precision: this.precision });
      this.remotes.push(g);
    }
    if (this.remotes.length > 0) remoteCleanup.register(this, this.remotes.slice());
  }

  /** Stops the worker threads now (a later push or flush throws); a no-op without workers. */
  close(): void {
    for (const g of this.remotes) g.terminate();
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
    for (const g of this.remotes) g.push(x, this.dtype, outLen);
    let written = 0;
    for (let off = 0; off < L; ) {
      const take = Math.min(B - this.fill, L - off);
      for (let c = 0; c < this.local; c++) {
        this.engine.load(c, x.data.subarray(c * L + off, c * L + off + take), this.fill);
      }
      this.fill += take;
      off += take;
      if (this.fill === B) {
        this.processBlock(out, outLen, written);
        written += B;
      }
    }
    for (const g of this.remotes) g.collect(fn, out, outLen);
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
    for (const g of this.remotes) g.flush(this.dtype, remaining);
    const out = allocate(this.dtype, this.channels * remaining);
    for (let b = 0; b < blocks; b++) {
      this.engine.zeroFrom(this.fill);
      this.fill = B;
      const at = b * B, kept = Math.min(B, remaining - at);
      if (kept === B) this.processBlock(out, remaining, at);
      else {
        // the last block is cut short: it goes through a block-sized buffer
        const last = allocate(this.dtype, this.local * B);
        this.processBlock(last, B, 0);
        for (let c = 0; c < this.local; c++) out.set(last.subarray(c * B, c * B + kept), c * remaining + at);
      }
    }
    for (const g of this.remotes) g.collect('StreamingConvolver.flush', out, remaining);
    const meta = this.meta ?? {};
    this.resetState();
    return new Multichannel(out, this.channels, remaining, meta);
  }

  /** Forgets the stream so far (the kernel spectra are kept). */
  reset(): void {
    for (const g of this.remotes) g.reset();
    this.resetState();
  }

  private resetState(): void {
    this.engine.reset();
    this.ring = 0;
    this.fill = 0;
    this.pushed = 0;
    this.produced = 0;
    this.meta = null;
  }

  /** One block for every channel: writes B samples at `offset` of each channel row (row length `rowLen`) of `out`. */
  private processBlock(out: SampleArray, rowLen: number, offset: number): void {
    this.engine.blocks(this.ring, out, rowLen, offset);
    this.ring = this.ring + 1 === this.partitions ? 0 : this.ring + 1;
    this.fill = 0;
    this.produced += this.blockSize;
  }
}

/** Terminates the worker threads of a garbage-collected parallel {@link StreamingConvolver}. */
const remoteCleanup = new FinalizationRegistry<RemoteGroup[]>((groups) => {
  for (const g of groups) g.terminate();
});

/**
 * Channels [c0, c1) of a parallel StreamingConvolver, convolved in a worker thread
 * (src/convolve/stream-worker.ts). Requests are posted; {@link collect} blocks until the reply.
 */
class RemoteGroup {
  private readonly worker: Worker;
  private readonly flag = new Int32Array(new SharedArrayBuffer(8));
  private readonly error = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
  private input: SampleArray = new Float64Array(0);
  private output: SampleArray = new Float64Array(0);
  private pending = false;
  private dead = false;

  constructor(readonly c0: number, readonly c1: number, h: Multichannel, options: StreamingConvolverOptions) {
    this.worker = spawnWorker(path.join(__dirname, 'stream-worker'));
    const shared = sharedArray('float64', h.data.length); // float64 whatever h's type
    shared.set(h.data);
    this.post({ kind: 'init', h: shared, hChannels: h.channels, options, flag: this.flag, error: this.error });
    this.wait('StreamingConvolver');
  }

  push(x: Multichannel, outDtype: Dtype, outLen: number): void {
    const n = (this.c1 - this.c0) * x.length;
    if (this.input.length < n || dtypeOf(this.input) !== x.dtype) this.input = sharedArray(x.dtype, n);
    this.input.set(x.data.subarray(this.c0 * x.length, this.c1 * x.length));
    this.ensureOutput(outDtype, (this.c1 - this.c0) * outLen);
    this.post({ kind: 'push', input: this.input, length: x.length, sampleRate: x.sampleRate, output: this.output });
  }

  flush(outDtype: Dtype, remaining: number): void {
    this.ensureOutput(outDtype, (this.c1 - this.c0) * remaining);
    this.post({ kind: 'flush', output: this.output });
  }

  reset(): void {
    this.post({ kind: 'reset', output: null });
    this.wait('StreamingConvolver.reset');
  }

  /** Waits for the pending push or flush and copies its `len` samples per channel into rows c0..c1 of `out` (row length `len`). */
  collect(fn: string, out: SampleArray, len: number): void {
    const got = this.wait(fn);
    if (got !== len) throw new NumericalError(message(fn, `a worker thread must return ${len} samples per channel`, got));
    out.set(this.output.subarray(0, (this.c1 - this.c0) * len), this.c0 * len);
  }

  terminate(): void {
    if (!this.dead) void this.worker.terminate();
    this.dead = true;
  }

  private ensureOutput(dtype: Dtype, n: number): void {
    if (this.output.length < n || dtypeOf(this.output) !== dtype) this.output = sharedArray(dtype, Math.max(n, 1));
  }

  private post(m: StreamWorkerRequest): void {
    if (this.dead) throw new ValueError(message('StreamingConvolver', 'the convolver was closed; its worker threads are stopped', { verbatim: 'a push, flush or reset after close()' }));
    Atomics.store(this.flag, 0, 0);
    this.pending = true;
    this.worker.postMessage(m);
  }

  /**
   * Blocks until the worker replies (at most {@link REPLY_LIMIT_MS}; a worker that does not answer
   * by then is stopped); returns the samples per channel it wrote.
   */
  private wait(fn: string): number {
    if (!this.pending) return 0;
    const status = awaitFlag(this.flag, 0, performance.now() + REPLY_LIMIT_MS);
    this.pending = false;
    if (status === 0) this.terminate();
    if (status !== 1) {
      const what = status === 0 ? `no answer in ${REPLY_LIMIT_MS / 1000} s` : `a worker thread failed (${errorText(this.error, 0)})`;
      throw new NumericalError(message(fn, `${what}; retry with options.workers = 0`, { verbatim: `channels ${this.c0}–${this.c1 - 1}` }));
    }
    return Atomics.load(this.flag, 1);
  }
}

/** Longest wait for a stream worker's reply (one chunk or a flush: milliseconds of work normally). */
const REPLY_LIMIT_MS = 60_000;

/**
 * The arithmetic of one uniformly partitioned overlap-save convolver, per channel: a time buffer of
 * 2B samples (previous block | current block), a frequency-domain delay line of P input spectra
 * (a ring; `slot` is where the newest goes) and the P kernel partition spectra.
 */
interface BlockEngine {
  /** Copies `samples` into channel c's current block, starting at position `at`. */
  load(c: number, samples: SampleArray, at: number): void;
  /** Zeroes every channel's current block from position `at` on (the end of the stream). */
  zeroFrom(at: number): void;
  /**
   * For every channel c: transforms its block into ring slot `slot`, accumulates the P products and
   * writes the B new output samples to `out[c·rowLen + offset …)`; then shifts the time buffer.
   */
  blocks(slot: number, out: SampleArray, rowLen: number, offset: number): void;
  reset(): void;
}

/** The float64 engine: WebAssembly SIMD ({@link Wasm64Engine}) where it loads and its memory fits, else fft.js ({@link Float64Engine}). */
function float64Engine(hm: Multichannel, C: number, B: number, P: number): BlockEngine {
  const k = fft64Kernel();
  if (k !== null) {
    const inst = k.instance(Wasm64Engine.bytes(hm.channels, C, B, P));
    if (inst !== null) return new Wasm64Engine(inst, hm, C, B, P);
  }
  return new Float64Engine(hm, C, B, P);
}

/**
 * Double precision in WebAssembly SIMD (src/fft/fft64-wasm.ts), every buffer in one instance's
 * memory: the plan's tables and work buffers, then per kernel channel P partition spectra
 * (pre-scaled by 1/(2B)), per channel its time
 * buffer (2B samples), its delay line of P input spectra and its accumulator. The two halves of a
 * time buffer take turns holding the previous and the current block (`current` is the offset of
 * the current one, 0 or B), so a block is never shifted: the forward FFT reads the halves in order
 * wherever they are. Spectra are rows of
 * `bins` = B + 2 complex numbers (the B + 1 bins of a real FFT of 2B, then a zero, so that `cmac`
 * takes whole pairs), which `cmac` takes in runs of {@link CMAC_SPAN} bins and one shorter run.
 */
class Wasm64Engine implements BlockEngine {
  /** Bytes of memory for K kernel channels, C channels, block B, P partitions. */
  static bytes(K: number, C: number, B: number, P: number): number {
    return RealFft64.bytes(2 * B) + 16 * (B + 2) * (K * P + C * P + C) + 16 * B * C;
  }
  private readonly plan: RealFft64;
  private readonly f64: Float64Array;
  private readonly bins: number;
  private readonly spectra: number; // byte address of K × P rows
  private readonly broadcast: boolean;
  private readonly time: number; // C × 2B samples
  private readonly fdl: number; // C × P rows
  private readonly acc: number; // C rows
  private current = 0; // sample offset of the current block in every time buffer: B or 0

  constructor(private readonly k: Fft64Instance, hm: Multichannel, private readonly C: number, private readonly B: number, private readonly P: number) {
    const F = 2 * B, K = hm.channels, M = hm.length;
    const bins = B + 2;
    this.bins = bins;
    this.broadcast = K === 1;
    this.plan = new RealFft64(k, F, 0);
    this.f64 = new Float64Array(k.memory.buffer);
    let at = RealFft64.bytes(F);
    const take = (bytes: number): number => ((at += bytes), at - bytes);
    this.spectra = take(16 * K * P * bins);
    this.time = take(8 * F * C);
    this.fdl = take(16 * C * P * bins);
    this.acc = take(16 * C * bins);
    const f64 = this.f64, t = this.time / 8;
    f64.fill(0, this.spectra / 8, this.spectra / 8 + 2 * K * P * bins);
    for (let c = 0; c < K; c++) {
      const hk = hm.channel(c);
      for (let p = 0; p < P; p++) {
        f64.fill(0, t, t + F);
        f64.set(hk.subarray(p * B, Math.min(M, (p + 1) * B)), t);
        const row = this.spectra + 16 * (c * P + p) * bins;
        this.plan.forward(this.time, row);
        for (let j = row / 8; j < row / 8 + 2 * (B + 1); j++) f64[j] /= F;
      }
    }
    this.reset();
  }

  load(c: number, samples: SampleArray, at: number): void {
    this.f64.set(samples, this.time / 8 + c * 2 * this.B + this.current + at);
  }

  zeroFrom(at: number): void {
    const B = this.B;
    for (let c = 0; c < this.C; c++) {
      const block = this.time / 8 + c * 2 * B + this.current;
      this.f64.fill(0, block + at, block + B);
    }
  }

  blocks(slot: number, out: SampleArray, rowLen: number, offset: number): void {
    const { k, f64, B, P, C, bins } = this;
    const row = 16 * bins, ring = P * row, hChan = this.broadcast ? 0 : ring;
    // the previous block is the other half: its byte offset from the current one is ∓8B
    const previous = 8 * (B - this.current), half2 = this.current === B ? 8 * B : -8 * B;
    for (let c = 0; c < C; c++) this.plan.forward(this.time + 16 * B * c + previous, this.fdl + c * ring + slot * row, half2);
    const full = Math.floor(bins / CMAC_SPAN), rest = 16 * (bins - full * CMAC_SPAN), done = 16 * full * CMAC_SPAN;
    if (full > 0) k.cmac(full, 16 * CMAC_SPAN, C, P, slot * row, this.fdl, ring, row, this.spectra, hChan, ring, this.acc, row);
    if (rest > 0) k.cmac(1, rest, C, P, slot * row, this.fdl + done, ring, row, this.spectra + done, hChan, ring, this.acc + done, row);
    for (let c = 0; c < C; c++) {
      const y = this.plan.inverse(this.acc + c * row) / 8;
      out.set(f64.subarray(y + B, y + 2 * B), c * rowLen + offset);
    }
    this.current = B - this.current;
  }

  reset(): void {
    this.current = this.B;
    this.f64.fill(0, this.time / 8, this.time / 8 + 2 * this.B * this.C);
    this.f64.fill(0, this.fdl / 8, this.fdl / 8 + 2 * this.C * this.P * this.bins);
  }
}

/** Double precision on src/fft's fft.js plans (where {@link Wasm64Engine} cannot run). */
class Float64Engine implements BlockEngine {
  private readonly plan: RealFft;
  private readonly spectra: Float64Array[]; // per kernel channel: P × 2(B+1), pre-scaled by 1/(2B)
  private readonly time: Float64Array[]; // per channel: 2B, [previous block | current block]
  private readonly fdl: Float64Array[]; // per channel: P × 2(B+1) ring of input spectra
  private readonly acc: Float64Array;
  private readonly y: Float64Array;

  constructor(hm: Multichannel, C: number, private readonly B: number, private readonly P: number) {
    const M = hm.length;
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

  load(c: number, samples: SampleArray, at: number): void {
    this.time[c].set(samples, this.B + at);
  }

  zeroFrom(at: number): void {
    for (const t of this.time) t.fill(0, this.B + at);
  }

  blocks(slot: number, out: SampleArray, rowLen: number, offset: number): void {
    for (let c = 0; c < this.time.length; c++) this.block(c, slot, out, c * rowLen + offset);
  }

  private block(c: number, slot: number, out: SampleArray, base: number): void {
    const B = this.B, P = this.P, stride = 2 * (B + 1);
    const acc = this.acc, y = this.y;
    const t = this.time[c];
    const fdl = this.fdl[c];
    const H = this.spectra.length === 1 ? this.spectra[0] : this.spectra[c];
    this.plan.forwardInterleaved(t, 0, 2 * B, fdl.subarray(slot * stride, (slot + 1) * stride));
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
    this.plan.inverseInterleaved(acc, y, 1);
    out.set(y.subarray(B, 2 * B), base);
    t.copyWithin(0, B, 2 * B);
  }

  reset(): void {
    for (const t of this.time) t.fill(0);
    for (const f of this.fdl) f.fill(0);
  }
}

/** Frees the WebAssembly memory of a garbage-collected {@link Float32Engine}. */
const wasmCleanup = new FinalizationRegistry<{ m: PffftModule; ptr: number; setup: number }>(({ m, ptr, setup }) => {
  m.free(ptr);
  m.destroySetup(setup);
});

/**
 * Single precision on PFFFT (SIMD WebAssembly). Every buffer lives in the module's linear memory,
 * one allocation per engine (freed when the engine is garbage-collected); spectra stay in PFFFT's
 * internal order, which its own complex multiply-add understands.
 */
class Float32Engine implements BlockEngine {
  private readonly setup: number;
  // float offsets into the module's heap
  private readonly spectra: number[]; // per kernel channel: P × 2B
  private readonly time: number[]; // per channel: 2B
  private readonly fdl: number[]; // per channel: P × 2B
  private readonly acc: number;
  private readonly work: number;

  constructor(private readonly m: PffftModule, hm: Multichannel, C: number, private readonly B: number, private readonly P: number) {
    const F = 2 * B;
    const K = hm.channels;
    const floats = F * (K * P + C + C * P + 2);
    const setup = m.newSetup(F, true);
    const ptr = m.malloc(4 * floats);
    if (setup === 0 || ptr === 0) {
      throw new ValueError(message('StreamingConvolver', "the float32 engine must fit in WebAssembly memory (use a smaller blockSize or precision: 'float64')", { verbatim: `${((4 * floats) / 1e6).toFixed(0)} MB requested` }));
    }
    wasmCleanup.register(this, { m, ptr, setup });
    this.setup = setup;
    let at = ptr / 4;
    const take = (n: number): number => ((at += n), at - n);
    this.spectra = Array.from({ length: K }, () => take(P * F));
    this.time = Array.from({ length: C }, () => take(F));
    this.fdl = Array.from({ length: C }, () => take(P * F));
    this.acc = take(F);
    this.work = take(F);
    const M = hm.length;
    for (let k = 0; k < K; k++) {
      const hk = hm.channel(k);
      for (let p = 0; p < P; p++) {
        const heap = m.heap();
        heap.fill(0, this.acc, this.acc + F);
        heap.set(hk.subarray(p * B, Math.min(M, (p + 1) * B)), this.acc);
        m.transform(setup, 4 * this.acc, 4 * (this.spectra[k] + p * F), 4 * this.work, true);
      }
    }
    this.reset();
  }

  load(c: number, samples: SampleArray, at: number): void {
    this.m.heap().set(samples, this.time[c] + this.B + at);
  }

  zeroFrom(at: number): void {
    const heap = this.m.heap();
    for (const t of this.time) heap.fill(0, t + this.B + at, t + 2 * this.B);
  }

  blocks(slot: number, out: SampleArray, rowLen: number, offset: number): void {
    for (let c = 0; c < this.time.length; c++) this.block(c, slot, out, c * rowLen + offset);
  }

  private block(c: number, slot: number, out: SampleArray, base: number): void {
    const { m, setup, B, P, acc, work } = this;
    const F = 2 * B;
    const t = this.time[c];
    const fdl = this.fdl[c];
    const H = this.spectra.length === 1 ? this.spectra[0] : this.spectra[c];
    m.transform(setup, 4 * t, 4 * (fdl + slot * F), 4 * work, true);
    const heap = m.heap();
    heap.fill(0, acc, acc + F);
    for (let p = 0; p < P; p++) {
      let s = slot - p;
      if (s < 0) s += P;
      m.zconvolveAccumulate(setup, 4 * (fdl + s * F), 4 * (H + p * F), 4 * acc, 1 / F);
    }
    m.transform(setup, 4 * acc, 4 * acc, 4 * work, false);
    out.set(heap.subarray(acc + B, acc + F), base);
    heap.copyWithin(t, t + B, t + F);
  }

  reset(): void {
    const heap = this.m.heap();
    for (const t of this.time) heap.fill(0, t, t + 2 * this.B);
    for (const f of this.fdl) heap.fill(0, f, f + this.P * 2 * this.B);
  }
}
