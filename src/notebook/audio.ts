/**
 * An audio player for notebooks (what `IPython.display.Audio` is to Python): the signal encoded as
 * a 16-bit PCM WAV, embedded as a `data:` URI in an `<audio controls>` element under a caption.
 * Embedding stores the sound in the notebook file (base64: 4/3 of the WAV size), so the WAV may be
 * at most `maxBytes` (default {@link DEFAULT_AUDIO_MAX_BYTES}).
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { asMultichannel, Multichannel } from '../core/multichannel.js';
import { assertInteger, assertPositive } from '../core/validate.js';
import { buildHeader, encodeWav } from '../io/wav.js';
import { esc } from '../plot/svg.js';
import { displayInNotebook } from './tslab.js';

/**
 * Default largest embedded WAV: 2 MB (about 62 s of 16 kHz mono, 10 s of 48 kHz stereo). Jupyter
 * servers also drop outputs that exceed their IOPub data rate (1 MB/s over 3 s by default), which
 * a larger player can hit.
 */
export const DEFAULT_AUDIO_MAX_BYTES = 2_000_000;

/** Options of {@link audio}. */
export interface AudioOptions {
  /** Sample rate in Hz (integer); default `x.sampleRate`. Required for plain arrays. */
  sampleRate?: number;
  /**
   * Scale so that the largest |sample| over all channels is 1, keeping the channels' relative
   * levels (default true). With false, samples must lie in [-1, 1].
   */
  normalize?: boolean;
  /** Largest WAV in bytes that may be embedded (default {@link DEFAULT_AUDIO_MAX_BYTES}). */
  maxBytes?: number;
  /** Caption above the player (default: none; the format line is always shown). */
  label?: string;
}

const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** A playable sound: the WAV bytes and the HTML that plays them. Made by {@link audio}. */
export class AudioPlayer {
  /** The embedded WAV file (16-bit PCM). */
  readonly wav: Uint8Array;
  readonly channels: number;
  /** Frames per channel. */
  readonly length: number;
  /** Hz. */
  readonly sampleRate: number;
  /** The factor the samples were multiplied by (1 without normalisation or for silence). */
  readonly gain: number;
  /** Caption given in the options, if any. */
  readonly label: string | undefined;

  /** @internal Use {@link audio}. */
  constructor(wav: Uint8Array, channels: number, length: number, sampleRate: number, gain: number, label: string | undefined) {
    this.wav = wav;
    this.channels = channels;
    this.length = length;
    this.sampleRate = sampleRate;
    this.gain = gain;
    this.label = label;
  }

  /** Seconds. */
  get duration(): number {
    return this.length / this.sampleRate;
  }

  /** `data:audio/wav;base64,…`, for an `<audio src>`. */
  get dataUri(): string {
    return `data:audio/wav;base64,${Buffer.from(this.wav.buffer, this.wav.byteOffset, this.wav.byteLength).toString('base64')}`;
  }

  /** A `<div>` with the caption, the format line and an `<audio controls>` element. */
  get html(): string {
    const label = this.label === undefined ? '' : `<div style="font-weight:bold">${esc(this.label)}</div>`;
    return (
      `<div class="pointwise-audio" style="font-size:12px">${label}` +
      `<div style="color:#555">${esc(this.toString())}</div>` +
      `<audio controls preload="metadata" src="${this.dataUri}"></audio></div>`
    );
  }

  /** One line: `audio: 1 channel, 16000 Hz, 2 s, 64 kB WAV (pcm16), normalised ×3.2`. */
  toString(): string {
    const ch = this.channels === 1 ? '1 channel' : `${this.channels} channels`;
    const gain = this.gain === 1 ? '' : `, normalised ×${Number(this.gain.toPrecision(3))}`;
    return `audio: ${ch}, ${this.sampleRate} Hz, ${Number(this.duration.toPrecision(4))} s, ${kB(this.wav.byteLength)} WAV (pcm16)${gain}`;
  }

  /** In a tslab kernel, shows the player (a `text/html` output); elsewhere prints {@link toString}. */
  [INSPECT](depth: number | null, options: { depth?: number | null }): string {
    if (depth === (options?.depth ?? 2) && displayInNotebook('html', this.html)) return '';
    return this.toString();
  }
}

/**
 * Makes a player for `x` (`[C, N]` at `x.sampleRate`, or a plain array with `options.sampleRate`).
 * As the last expression of a tslab cell it plays in the browser; `player.html` is the HTML.
 * Browsers play one or two channels; select channels of a larger array first.
 * O(C·N).
 * @throws ValueError when the WAV would exceed `maxBytes` (the message says how to raise it), for
 * a missing or non-integer sample rate, NaN/Infinity samples, or, with `normalize: false`, samples
 * outside [-1, 1]. ShapeError for an empty signal; ArgumentTypeError for a wrong type.
 * @example audio(recording.selectChannels([0]), { label: 'Microphone 0' })
 */
export function audio(x: Multichannel | Float64Array | Float32Array | readonly number[], options: AudioOptions = {}): AudioPlayer {
  const fn = 'audio';
  const m = asMultichannel(fn, 'x', x);
  const rate = options.sampleRate ?? m.sampleRate;
  if (rate === undefined) throw new ValueError(message(fn, 'a sample rate is needed: x.sampleRate or options.sampleRate (Hz)', rate));
  assertInteger(fn, options.sampleRate !== undefined ? 'options.sampleRate' : 'x.sampleRate', rate, 1, 0xffffffff);
  const maxBytes = options.maxBytes ?? DEFAULT_AUDIO_MAX_BYTES;
  assertPositive(fn, 'options.maxBytes', maxBytes);
  if (options.label !== undefined && typeof options.label !== 'string') throw new ArgumentTypeError(message(fn, 'options.label must be a string', options.label));
  if (m.channels > 65535) throw new ShapeError(message(fn, 'a WAV file holds at most 65535 channels', m.channels));
  const size = buildHeader('pcm16', m.channels, rate, m.length).length + 2 * m.channels * m.length;
  if (size > maxBytes) {
    const frames = Math.floor((maxBytes - (size - 2 * m.channels * m.length)) / (2 * m.channels));
    throw new ValueError(
      message(fn, `the WAV to embed must be at most maxBytes = ${kB(maxBytes)}, as it is stored in the notebook`, {
        verbatim:
          `${kB(size)} (${m.channels} × ${m.length} samples, 16-bit). Pass { maxBytes: ${Math.ceil(size / 1e6)}e6 } to raise the limit ` +
          `(Jupyter may also drop outputs over its iopub_data_rate_limit), or play a part: x.slice(0, ${frames}) is ${Number((frames / rate).toPrecision(3))} s`,
      }),
    );
  }
  let peak = 0;
  for (let i = 0; i < m.data.length; i++) {
    const a = Math.abs(m.data[i]);
    if (!(a <= peak)) {
      if (!Number.isFinite(a)) {
        const c = Math.floor(i / m.length);
        throw new ValueError(message(fn, 'samples must be finite', { verbatim: `${m.data[i]} at channel ${c}, sample ${i - c * m.length}` }));
      }
      peak = a;
    }
  }
  const normalize = options.normalize ?? true;
  if (!normalize && peak > 1) throw new ValueError(message(fn, 'samples must lie in [-1, 1] with normalize: false (or leave normalize on)', { verbatim: `peak |sample| ${peak}` }));
  const gain = normalize && peak > 0 ? 1 / peak : 1;
  const scaled = gain === 1 ? m : new Multichannel(Float64Array.from(m.data, (v) => v * gain), m.channels, m.length);
  const wav = encodeWav(scaled, { format: 'pcm16', sampleRate: rate });
  return new AudioPlayer(wav, m.channels, m.length, rate, gain, options.label);
}

function kB(n: number): string {
  if (n < 1000) return `${n} B`;
  return n < 1e6 ? `${Number((n / 1e3).toPrecision(3))} kB` : `${Number((n / 1e6).toPrecision(3))} MB`;
}
