/**
 * Disk-to-disk convolution of WAV files (convolution reverb) through {@link StreamingConvolver}.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel } from '../core/multichannel.js';
import { assertFinite, assertInteger, assertOneOf } from '../core/validate.js';
import { WAV_FORMATS, WavReader, WavWriter, needsRf64, readWav, type WavFormat } from '../io/wav.js';
import { PRECISIONS, StreamingConvolver, type Precision, type StreamingConvolverOptions } from './streaming.js';

/** Options of {@link convolveWavFiles}. */
export interface ConvolveWavOptions {
  /** Called after every chunk with the fraction of output frames written, in (0, 1]; last call is 1. */
  onProgress?: (fraction: number) => void;
  /** Output sample encoding (default: the input file's). */
  format?: WavFormat;
  /**
   * Output level. 'none' (default): gain 1 — PCM output clips at full scale (samples are clamped by
   *   the WAV writer and counted in `clippedSamples`); float output keeps every value.
   * 'peak': two passes — the first measures the peak of the convolution without writing, the second
   *   writes it scaled so the peak is `peakLevel` (default 0.99); never clips; twice the time.
   * 'kernel': one pass with the impulse response scaled by 1 / max_c Σ|h_c|, which bounds every
   *   output sample by the input's peak, so full-scale input never clips (usually quieter than 'peak').
   * a number: a fixed linear gain.
   */
  normalize?: 'none' | 'peak' | 'kernel' | number;
  /** Target peak for normalize 'peak' (default 0.99, in (0, 1]). */
  peakLevel?: number;
  /** Frames read per chunk (default 65536). Memory is O(chunk + impulse response + block), not O(file). */
  chunkFrames?: number;
  /** Block size of the StreamingConvolver (default: by its cost model). */
  blockSize?: number;
  /**
   * Arithmetic of the StreamingConvolver (see its `precision` option). Default: 'float32' for pcm8
   * and pcm16 output, whose quantisation step (≥ 3e-5 of full scale) dwarfs single precision's error
   * (≈ 3e-7 of the peak, bench/convolve), and 'float64' for pcm24, pcm32 and float output.
   */
  precision?: Precision;
}

/** What {@link convolveWavFiles} did. */
export interface ConvolveWavResult {
  /** Output frames: input frames + impulse-response frames − 1 (the full convolution, tail included). */
  frames: number;
  channels: number;
  sampleRate: number;
  format: WavFormat;
  /** Linear gain applied (1 for 'none'). */
  gain: number;
  /** Largest |sample| of the output before the writer's clipping (after gain). */
  peak: number;
  /** Output samples with |value| > 1 that a PCM writer clamped (0 for float formats). */
  clippedSamples: number;
}

const NORMALIZE = ['none', 'peak', 'kernel'] as const;

/**
 * Convolves the WAV at `inputPath` with the impulse response WAV at `impulseResponsePath` and writes
 * the full convolution (input frames + IR frames − 1) to `outputPath`, streaming: the input is read
 * in chunks, convolved by a {@link StreamingConvolver} and written by a {@link WavWriter} (atomic:
 * the target appears complete or not at all). The impulse response is read whole.
 *
 * Channels: the impulse response has 1 channel (applied to every input channel), as many channels
 * as the input (one per channel), or — for a 1-channel input — any number K (the mono input feeds
 * K outputs, e.g. a stereo room). Sample rates must be equal: a mismatch is an error (no resampling).
 * Clipping: see {@link ConvolveWavOptions.normalize}; the result reports the peak and the number of
 * clipped samples. Size: an output past RIFF's 4 GiB is written as RF64 (EBU Tech 3306), which this
 * package, libsndfile and sox read; a 2-hour 8-channel 48 kHz pcm16 file convolves in ~145 MB.
 *
 * Complexity O((N + M) · (log B + M / B)) per channel, memory O(C · (M + chunk)).
 * @throws ValueError when the sample rates differ, for bad options, or for non-finite IR samples;
 *   ShapeError for channel counts that do not fit; FileError / FormatError from the WAV reader and
 *   writer (missing files, corrupt headers).
 * @example
 * const r = convolveWavFiles('dry.wav', 'rir.wav', 'wet.wav', { normalize: 'peak', onProgress: (f) => bar.update(f) });
 * console.log(`${r.frames} frames, gain ${r.gain}`);
 */
export function convolveWavFiles(inputPath: string, impulseResponsePath: string, outputPath: string, options: ConvolveWavOptions = {}): ConvolveWavResult {
  const fn = 'convolveWavFiles';
  if (typeof options !== 'object' || options === null) throw new ArgumentTypeError(message(fn, 'options must be an object', options));
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new ArgumentTypeError(message(fn, 'options.onProgress must be a function', onProgress));
  const normalize = options.normalize ?? 'none';
  if (typeof normalize === 'number') {
    assertFinite(fn, 'options.normalize', normalize);
    if (normalize <= 0) throw new ValueError(message(fn, 'options.normalize as a gain must be > 0', normalize));
  } else assertOneOf(fn, 'options.normalize', normalize, NORMALIZE);
  const peakLevel = options.peakLevel ?? 0.99;
  assertFinite(fn, 'options.peakLevel', peakLevel);
  if (!(peakLevel > 0 && peakLevel <= 1)) throw new ValueError(message(fn, 'options.peakLevel must be in (0, 1]', peakLevel));
  const chunkFrames = options.chunkFrames ?? 65536;
  assertInteger(fn, 'options.chunkFrames', chunkFrames, 1);
  if (options.format !== undefined) assertOneOf(fn, 'options.format', options.format, WAV_FORMATS);
  if (options.precision !== undefined) assertOneOf(fn, 'options.precision', options.precision, PRECISIONS);

  const ir = readWav(impulseResponsePath);
  const probe = WavReader.open(inputPath);
  const info = probe.info;
  probe.close();
  if (ir.sampleRate !== info.sampleRate) {
    throw new ValueError(message(fn, `the impulse response's sample rate must equal the input's ${info.sampleRate} Hz (no resampling is done)`, ir.sampleRate));
  }
  const Cin = info.channels;
  const K = ir.channels;
  if (K !== 1 && K !== Cin && Cin !== 1) {
    throw new ShapeError(message(fn, `the impulse response must have 1 channel or one per input channel (${Cin})`, K));
  }
  const C = Math.max(Cin, K);
  const format = options.format ?? info.format;
  const isFloat = format === 'float32' || format === 'float64';
  const precision = options.precision ?? (format === 'pcm8' || format === 'pcm16' ? 'float32' : 'float64');
  const total = info.frames === 0 ? 0 : info.frames + ir.length - 1;

  let gain = 1;
  if (typeof normalize === 'number') gain = normalize;
  else if (normalize === 'kernel') {
    let worst = 0;
    for (let c = 0; c < K; c++) {
      let s = 0;
      for (const v of ir.channel(c)) s += Math.abs(v);
      worst = Math.max(worst, s);
    }
    gain = worst > 0 ? 1 / worst : 1;
  } else if (normalize === 'peak') {
    const peak = runPass(inputPath, ir, C, chunkFrames, { blockSize: options.blockSize, precision }, null, total, onProgress ? (f) => onProgress(0.5 * f) : undefined).peak;
    gain = peak > 0 ? peakLevel / peak : 1;
  }
  const kernel = gain === 1 ? ir : ir.withData(ir.data.map((v) => v * gain));
  // Past RIFF's 4 GiB (e.g. 2 h of 8-channel 48 kHz pcm16 is 5.5 GB) the output is written as RF64.
  const writer = new WavWriter(outputPath, { channels: C, sampleRate: info.sampleRate, format, rf64: needsRf64(format, C, total) });
  let stats: { peak: number; clipped: number };
  try {
    const progress = onProgress ? (normalize === 'peak' ? (f: number) => onProgress(0.5 + 0.5 * f) : onProgress) : undefined;
    stats = runPass(inputPath, kernel, C, chunkFrames, { blockSize: options.blockSize, precision }, writer, total, progress);
    writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  return { frames: total, channels: C, sampleRate: info.sampleRate, format, gain, peak: stats.peak, clippedSamples: isFloat ? 0 : stats.clipped };
}

/** One streaming pass; writes to `writer` when given. Returns the output peak and samples beyond ±1. */
function runPass(inputPath: string, kernel: Multichannel, C: number, chunkFrames: number, engine: Pick<StreamingConvolverOptions, 'blockSize' | 'precision'>, writer: WavWriter | null, total: number, onProgress?: (f: number) => void): { peak: number; clipped: number } {
  const sc = new StreamingConvolver(kernel, { channels: C, ...engine });
  const reader = WavReader.open(inputPath);
  let peak = 0, clipped = 0, done = 0;
  const emit = (y: Multichannel): void => {
    const d = y.data;
    for (let i = 0; i < d.length; i++) {
      const a = Math.abs(d[i]);
      if (a > peak) peak = a;
      if (a > 1) clipped++;
    }
    if (writer && y.length > 0) writer.write(y);
    done += y.length;
    if (onProgress && y.length > 0 && total > 0) onProgress(Math.min(1, done / total));
  };
  try {
    for (let x = reader.read(chunkFrames); x !== null; x = reader.read(chunkFrames)) {
      emit(sc.push(x.channels === C ? x : broadcastChannels(x, C)));
    }
  } finally {
    reader.close();
  }
  emit(sc.flush());
  return { peak, clipped };
}

function broadcastChannels(x: Multichannel, C: number): Multichannel {
  const d = new Float64Array(C * x.length);
  for (let c = 0; c < C; c++) d.set(x.data, c * x.length);
  return new Multichannel(d, C, x.length, x.sampleRate !== undefined ? { sampleRate: x.sampleRate } : {});
}
