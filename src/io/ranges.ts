/**
 * Addressable pieces of files: a range of lines of an ENVI cube, a range of frames (samples or
 * seconds) of a WAV file. Each reads only the bytes of its range, through the streaming readers
 * ({@link EnviReader}, {@link WavReader}), so a cluster job or a CLI call can name a tile by a path
 * and a range instead of carrying samples.
 * @module
 */
import { ArgumentTypeError, ValueError, message } from '../core/errors.js';
import type { Multichannel } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { EnviReader, type EnviReadOptions } from '../spectral/envi.js';
import { WavReader, type WavInfo, type WavReadOptions } from './wav.js';

/**
 * Parses a half-open range `"START:END"` of non-negative integers (`":END"` starts at 0, `"START:"`
 * runs to `total`). Used for `--lines 0:512`.
 * @throws ValueError for malformed text, START ≥ END, or END > total.
 * @example parseIndexRange('lines', '0:512', 952) // [0, 512]
 */
export function parseIndexRange(name: string, text: string, total?: number): [number, number] {
  const fn = 'parseIndexRange';
  const m = typeof text === 'string' ? /^\s*(\d*)\s*:\s*(\d*)\s*$/.exec(text) : null;
  if (!m || (m[2] === '' && total === undefined)) throw new ValueError(message(fn, `${name} must be START:END (0-based, END exclusive)`, text));
  const start = m[1] === '' ? 0 : Number(m[1]);
  const end = m[2] === '' ? (total as number) : Number(m[2]);
  if (!(end > start)) throw new ValueError(message(fn, `${name} must have START < END`, text));
  if (total !== undefined && end > total) throw new ValueError(message(fn, `${name} must end at or before ${total}`, text));
  return [start, end];
}

/**
 * Reads lines `[start, end)` of an ENVI cube (all bands unless `options.bands`) as a Multichannel
 * `[bands, (end − start)·samples]` with `shape = [end − start, samples]`. Only those lines' bytes
 * are read (one positioned read per band for BSQ, one read for BIL/BIP).
 * @throws ValueError when the range is outside the cube; as {@link readEnvi} otherwise.
 * @example const tile = readEnviLines('samson.hdr', 0, 32); // [156, 32·95]
 */
export function readEnviLines(hdrPath: string, start: number, end: number, options: Omit<EnviReadOptions, 'lines'> = {}): Multichannel {
  const r = EnviReader.open(hdrPath, { dataPath: options.dataPath });
  try {
    return r.read({ ...options, lines: [start, end] });
  } finally {
    r.close();
  }
}

/**
 * Lines `[start, end)` of an open cube in blocks of at most `linesPerBlock` lines, in order (memory:
 * one block). The reader is not closed.
 * @example for (const block of enviLineBlocks(reader, 0, 512, 64)) acc.add(block);
 */
export function* enviLineBlocks(reader: EnviReader, start: number, end: number, linesPerBlock: number, options: Omit<EnviReadOptions, 'lines' | 'dataPath'> = {}): Generator<Multichannel> {
  assertInteger('enviLineBlocks', 'linesPerBlock', linesPerBlock, 1);
  for (let l = start; l < end; l += linesPerBlock) yield reader.read({ ...options, lines: [l, Math.min(end, l + linesPerBlock)] });
}

/** A bound of a WAV range: a frame index (number, or digits), or a time with a unit: `'10s'`, `'250ms'`, `'1.5min'`. */
export type TimeOrFrames = number | string;

/** A range of a WAV file, `[start, end)`; either bound may be omitted (start of file, end of file). */
export interface WavRange {
  start?: TimeOrFrames;
  end?: TimeOrFrames;
}

const TIME_UNITS: Record<string, number> = { s: 1, ms: 1e-3, min: 60, h: 3600 };

/**
 * A bound in frames at `sampleRate`: integers (or digit strings) are frames; `'10s'`, `'250ms'`,
 * `'2min'`, `'1h'` are times, rounded to the nearest frame.
 * @throws ValueError for malformed or negative bounds.
 * @example framesOf('10s', 48000) // 480000
 */
export function framesOf(bound: TimeOrFrames, sampleRate: number): number {
  const fn = 'framesOf';
  if (typeof bound === 'number') {
    assertInteger(fn, 'frame', bound, 0);
    return bound;
  }
  if (typeof bound !== 'string') throw new ArgumentTypeError(message(fn, 'a bound must be a frame number or a time string such as "10s"', bound));
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(s|ms|min|h)?\s*$/.exec(bound);
  if (!m) throw new ValueError(message(fn, 'a bound must be frames (digits) or a time with a unit: s, ms, min, h (e.g. "10s")', bound));
  const v = Number(m[1]);
  if (m[2] === undefined) {
    if (!Number.isInteger(v)) throw new ValueError(message(fn, 'a bound without a unit is a frame count and must be an integer (give a unit for times, e.g. "1.5s")', bound));
    return v;
  }
  return Math.round(v * TIME_UNITS[m[2]] * sampleRate);
}

/**
 * The frame range `[start, end)` that `range` names in a file with `info` (see {@link framesOf}).
 * @throws ValueError when the range is empty or runs past the end of the file.
 */
export function wavRangeFrames(info: Pick<WavInfo, 'frames' | 'sampleRate'>, range: WavRange = {}): [number, number] {
  const fn = 'wavRangeFrames';
  const start = range.start === undefined ? 0 : framesOf(range.start, info.sampleRate);
  const end = range.end === undefined ? info.frames : framesOf(range.end, info.sampleRate);
  if (end > info.frames) throw new ValueError(message(fn, `the range must end at or before the file's ${info.frames} frames`, { verbatim: `end ${JSON.stringify(range.end)} = frame ${end}` }));
  if (!(end > start)) throw new ValueError(message(fn, 'the range must have start < end', { verbatim: `frames ${start}:${end}` }));
  return [start, end];
}

/**
 * Reads frames `[start, end)` of a WAV file (bounds in frames or with a time unit, see
 * {@link framesOf}) as a Multichannel `[channels, end − start]` with `sampleRate`. Seeks and reads
 * only those frames' bytes.
 * @throws ValueError for a range outside the file; as {@link readWav} otherwise.
 * @example const x = readWavRange('long.wav', { start: '10s', end: '20s' }); // 10 s of every channel
 */
export function readWavRange(filePath: string, range: WavRange = {}, options?: WavReadOptions): Multichannel {
  const r = WavReader.openAs('readWavRange', filePath, options);
  try {
    const [start, end] = wavRangeFrames(r.info, range);
    r.seek(start);
    return r.read(end - start)!;
  } finally {
    r.close();
  }
}
