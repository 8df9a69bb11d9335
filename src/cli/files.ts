/**
 * Reading and writing the files the CLI accepts, chosen by extension: `.wav` (audio), `.npy`
 * (NumPy arrays, [C, T] or [T]), `.hdr` (ENVI cubes). Every write goes through the library's atomic
 * writers, so a failed command never leaves a partial output file.
 * @module
 */
import type { Multichannel } from '../core/multichannel.js';
import type { WavFormat } from '../io/index.js';
import { UsageError, extensionOf } from './common.js';
import { io, spectral } from './lazy.js';

/** The WAV sample formats accepted by `--format`. */
export const WAV_FORMATS: readonly WavFormat[] = ['pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];

/** Reads a signal from a WAV or NPY file (by extension). */
export function readSignal(filePath: string, what = 'input'): Multichannel {
  const ext = extensionOf(filePath);
  if (ext === 'wav') return io().readWav(filePath);
  if (ext === 'npy') return io().readNpy(filePath);
  throw new UsageError(`${what} must be a .wav or .npy file; got ${JSON.stringify(filePath)}`);
}

/** Reads a cube from an ENVI header (`.hdr`) or an NPY array [bands, pixels]. */
export function readCube(filePath: string): Multichannel {
  const ext = extensionOf(filePath);
  if (ext === 'hdr') return spectral().readEnvi(filePath);
  if (ext === 'npy') return io().readNpy(filePath);
  throw new UsageError(`the cube must be an ENVI header (.hdr) or a .npy array [bands, pixels]; got ${JSON.stringify(filePath)}`);
}

/** Checks up front that an output path has an extension we can write (before any work is done). */
export function checkOutputPath(filePath: string, allowed: readonly string[]): string {
  const ext = extensionOf(filePath);
  if (!allowed.includes(ext)) throw new UsageError(`-o must end in ${allowed.map((a) => '.' + a).join(' or ')}; got ${JSON.stringify(filePath)}`);
  return ext;
}

/** Parses `--format`, or returns the default. */
export function parseWavFormat(text: string | undefined, fallback: WavFormat = 'float32'): WavFormat {
  if (text === undefined) return fallback;
  if (!(WAV_FORMATS as readonly string[]).includes(text)) throw new UsageError(`--format must be one of ${WAV_FORMATS.join(', ')}; got ${JSON.stringify(text)}`);
  return text as WavFormat;
}

/** Writes a signal as WAV (needs a sample rate) or NPY, atomically. */
export function writeSignal(filePath: string, x: Multichannel, format: WavFormat = 'float32'): void {
  const ext = checkOutputPath(filePath, ['wav', 'npy']);
  if (ext === 'wav') io().writeWav(filePath, x, { format });
  else io().writeNpy(filePath, x);
}
