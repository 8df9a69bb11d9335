/**
 * WAV → delay-and-sum → WAV in bounded memory, through WavReader / WavWriter (atomic writes).
 * @module
 */
import { ShapeError, message } from '../core/errors.js';
import { assertInteger } from '../core/validate.js';
import { WavReader, WavWriter, needsRf64, type WavFormat } from '../io/index.js';
import { ArrayGeometry, type Target } from './geometry.js';
import { DelayAndSumStream, type DelayAndSumStreamOptions } from './das.js';

/** Options of {@link beamformWav}. */
export interface BeamformWavOptions extends Omit<DelayAndSumStreamOptions, 'sampleRate'> {
  /** Frames read per chunk (default 65 536). */
  chunkFrames?: number;
  /** Output sample format (default: the input's). */
  format?: WavFormat;
}

/**
 * Streams a multichannel WAV (one channel per microphone) through {@link DelayAndSumStream} toward
 * `target` and writes the one-channel result to `outPath` (atomically: on error the target is left
 * untouched). Output equals `delayAndSum(readWav(inPath), …)` for the same time-domain method.
 * Memory O(M · chunkFrames). Returns the frames written and the sample rate.
 * @throws FileError / FormatError from the reader and writer; ShapeError when channels ≠ microphones.
 * @example beamformWav('array.wav', 'beam.wav', geom, point(0.4, 0.3), { method: 'sinc' })
 */
export function beamformWav(inPath: string, outPath: string, geometry: ArrayGeometry, target: Target, options: BeamformWavOptions = {}): { frames: number; sampleRate: number } {
  const fn = 'beamformWav';
  const chunk = options.chunkFrames ?? 65536;
  assertInteger(fn, 'options.chunkFrames', chunk, 1);
  const reader = WavReader.open(inPath);
  let writer: WavWriter | null = null;
  try {
    const info = reader.info;
    if (info.channels !== geometry.count) throw new ShapeError(message(fn, `the WAV must have one channel per microphone (${geometry.count})`, info.channels));
    const stream = new DelayAndSumStream(geometry, target, { ...options, sampleRate: info.sampleRate });
    const format = options.format ?? info.format;
    // the output has exactly the input's frame count (the stream's look-ahead comes back in flush)
    writer = new WavWriter(outPath, { channels: 1, sampleRate: info.sampleRate, format, rf64: needsRf64(format, 1, info.frames) });
    let frames = 0;
    for (let x = reader.read(chunk); x !== null; x = reader.read(chunk)) {
      const y = stream.push(x);
      if (y.length) writer.write(y);
      frames += y.length;
    }
    const tail = stream.flush();
    if (tail.length) writer.write(tail);
    frames += tail.length;
    writer.commit();
    writer = null;
    return { frames, sampleRate: info.sampleRate };
  } finally {
    if (writer) writer.abort();
    reader.close();
  }
}
