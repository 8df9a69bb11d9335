/**
 * `pointwise convolve <in> <kernel> -o <out> [--mode --method]`: convolution of a WAV or NPY signal
 * with a kernel (one channel broadcast, or one per channel). WAV → WAV in 'full' mode streams
 * disk to disk in bounded memory (convolution reverb on long recordings); everything else is one
 * call to the library's `convolve`.
 * @module
 */
import type { Command } from 'commander';
import { Multichannel } from '../../core/multichannel.js';
import type { WavFormat, WavWriter } from '../../io/index.js';
import { convolveModule, io } from '../lazy.js';
import { action, extensionOf, out, progress, UsageError } from '../common.js';
import { checkOutputPath, parseWavFormat, readSignal, writeSignal } from '../files.js';

const MODES = ['full', 'same', 'valid'] as const;
const METHODS = ['auto', 'direct', 'fft', 'overlap-add'] as const;
type Mode = (typeof MODES)[number];
type Method = (typeof METHODS)[number];

function pick<T extends string>(option: string, v: string | undefined, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}; got ${JSON.stringify(v)}`);
  return v as T;
}

const BLOCK = 16384;

/**
 * Overlap-add streaming over the library's one-shot `convolve`: each pushed block is convolved in
 * 'full' mode and its tail carried into the next output, so the concatenated outputs equal one-shot
 * 'full' convolution exactly (up to rounding) with memory O(channels · (block + kernel)).
 * (Private stand-in while the convolve module has no StreamingConvolver export.)
 */
class OverlapAddStream {
  private tail: Float64Array;
  private readonly channels: number;
  private readonly taps: number;

  constructor(
    private readonly h: Multichannel,
    channels: number,
  ) {
    this.channels = channels;
    this.taps = h.length;
    this.tail = new Float64Array(channels * Math.max(0, h.length - 1));
  }

  /** Convolves `x` and returns the samples that are now final (as many as `x` has). */
  push(x: Multichannel): Multichannel {
    const y = convolveModule().convolve(x, this.h, { mode: 'full' });
    const C = this.channels;
    const N = x.length;
    const M1 = this.taps - 1;
    const L = y.length; // N + M1
    const outData = new Float64Array(C * N);
    const nextTail = new Float64Array(C * M1);
    for (let c = 0; c < C; c++) {
      const yc = y.data.subarray(c * L, (c + 1) * L);
      const tc = this.tail.subarray(c * M1, (c + 1) * M1);
      // full result of this block plus the carried tail, laid out over N + M1 samples
      for (let t = 0; t < N; t++) outData[c * N + t] = yc[t] + (t < M1 ? tc[t] : 0);
      for (let t = 0; t < M1; t++) nextTail[c * M1 + t] = yc[N + t] + (N + t < M1 ? tc[N + t] : 0);
    }
    this.tail = nextTail;
    return new Multichannel(outData, C, N, x.meta);
  }

  /** The last `kernel − 1` samples. */
  flush(): Multichannel {
    return new Multichannel(this.tail, this.channels, this.taps - 1);
  }
}

/**
 * Streams `input` (WAV) through an overlap-add block convolver with kernel `h` into `output` (WAV),
 * never holding the whole recording. The writer is atomic: on any error the target is untouched.
 */
export function convolveWavStreaming(input: string, h: Multichannel, output: string, format: WavFormat): { channels: number; frames: number; sampleRate: number } {
  const info = io().readWavInfo(input);
  const conv = new OverlapAddStream(h, info.channels);
  const reader = io().WavReader.open(input);
  const bar = progress('convolving', info.frames + h.length - 1 || 1);
  let writer: WavWriter | null = null;
  let frames = 0;
  try {
    writer = new (io().WavWriter)(output, { channels: info.channels, sampleRate: info.sampleRate, format });
    for (let x = reader.read(BLOCK); x !== null; x = reader.read(BLOCK)) {
      const y = conv.push(x);
      if (y.length > 0) writer.write(y);
      frames += y.length;
      bar.update(frames);
    }
    const tail = conv.flush();
    if (tail.length > 0) writer.write(tail);
    frames += tail.length;
    writer.commit();
    writer = null;
  } finally {
    bar.stop();
    reader.close();
    if (writer) writer.abort();
  }
  return { channels: info.channels, frames, sampleRate: info.sampleRate };
}

/** Registers `convolve`. */
export function registerConvolve(program: Command): void {
  program
    .command('convolve')
    .description('convolve a signal with a kernel (impulse response); one kernel channel is applied to every signal channel')
    .argument('<in>', 'signal: .wav or .npy [C, N]')
    .argument('<kernel>', 'kernel: .wav or .npy [1 or C, M]')
    .requiredOption('-o, --output <file>', 'output .wav or .npy')
    .option('--mode <mode>', 'output length: full (N+M−1), same (N, centred as scipy), valid', 'full')
    .option('--method <method>', 'auto, direct, fft or overlap-add', 'auto')
    .option('--format <fmt>', 'WAV sample format of the output: pcm16, pcm24, pcm32, float32 (default), float64')
    .option('--no-stream', 'load the whole WAV instead of streaming it (WAV → WAV, full mode)')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise convolve dry.wav room_ir.wav -o wet.wav              # convolution reverb, streamed
  $ pointwise convolve x.npy h.npy --mode same --method fft -o y.npy

WAV → WAV in full mode streams disk to disk in bounded memory; the output
defaults to 32-bit float so reverb tails above full scale are not clipped.`,
    )
    .action(
      action('convolve', (input: string, kernel: string, opts: { output: string; mode?: string; method?: string; format?: string; stream: boolean }) => {
        const outExt = checkOutputPath(opts.output, ['wav', 'npy']);
        const mode: Mode = pick('--mode', opts.mode, MODES, 'full');
        const method: Method = pick('--method', opts.method, METHODS, 'auto');
        const format = parseWavFormat(opts.format);
        const h = readSignal(kernel, 'the kernel');
        if (opts.stream && mode === 'full' && extensionOf(input) === 'wav' && outExt === 'wav') {
          const r = convolveWavStreaming(input, h, opts.output, format);
          out(`convolved ${r.channels} channel(s) with a ${h.length}-tap kernel (streamed); wrote ${r.frames} frames at ${r.sampleRate} Hz to ${opts.output}`);
          return;
        }
        const x = readSignal(input);
        const bar = progress('convolving');
        let y: Multichannel;
        try {
          y = convolveModule().convolve(x, h, { mode, method });
        } finally {
          bar.stop();
        }
        writeSignal(opts.output, y, format);
        out(`convolved [${x.channels}, ${x.length}] with [${h.channels}, ${h.length}] (${mode}, ${method}) → [${y.channels}, ${y.length}]; wrote ${opts.output}`);
      }),
    );
}
