/**
 * A synthetic room impulse response for examples, tests and benchmarks.
 * @module
 */
import { Multichannel } from '../core/multichannel.js';
import { Rng } from '../core/random.js';
import { assertInteger, assertPositive } from '../core/validate.js';

/** Options of {@link syntheticRoomResponse}. */
export interface SyntheticRoomOptions {
  /** Samples per second (Hz, default 48000). */
  sampleRate?: number;
  /** Reverberation time RT60 in seconds: the tail decays by 60 dB over this time (default 0.6). */
  rt60Seconds?: number;
  /** Length of the response in seconds (default min(rt60, 2) — at least the −60 dB point up to 2 s). */
  lengthSeconds?: number;
  /** Number of discrete early reflections in the first `earlyWindowSeconds` (default 8). */
  earlyReflections?: number;
  /** Span of the early reflections after the direct path, in seconds (default 0.05). */
  earlyWindowSeconds?: number;
  /** Channels (independent tails, shared direct path; default 1). */
  channels?: number;
  /** Seed of the noise (default 1). */
  seed?: number;
}

/**
 * A room-like impulse response: a unit direct path at t = 0, `earlyReflections` sparse echoes of
 * random sign with amplitudes decaying as the tail does, and a diffuse tail of Gaussian noise with
 * an exponential envelope `0.1 · 10^(−3 t / rt60)` (−60 dB at rt60) starting after the first
 * reflection. Seeded, so the same options give the same response.
 *
 * Shapes: `→ [channels, round(lengthSeconds · sampleRate)]`, sampleRate set. Complexity O(length).
 * @throws ValueError for non-positive times or rates and non-integer counts.
 * @example
 * const rir = syntheticRoomResponse({ sampleRate: 44100, rt60Seconds: 0.8, seed: 7 });
 */
export function syntheticRoomResponse(options: SyntheticRoomOptions = {}): Multichannel {
  const fn = 'syntheticRoomResponse';
  const sr = options.sampleRate ?? 48000;
  assertPositive(fn, 'options.sampleRate', sr);
  const rt60 = options.rt60Seconds ?? 0.6;
  assertPositive(fn, 'options.rt60Seconds', rt60);
  const lengthSeconds = options.lengthSeconds ?? Math.min(rt60, 2);
  assertPositive(fn, 'options.lengthSeconds', lengthSeconds);
  const early = options.earlyReflections ?? 8;
  assertInteger(fn, 'options.earlyReflections', early, 0);
  const earlyWindow = options.earlyWindowSeconds ?? 0.05;
  assertPositive(fn, 'options.earlyWindowSeconds', earlyWindow);
  const C = options.channels ?? 1;
  assertInteger(fn, 'options.channels', C, 1);
  const seed = options.seed ?? 1;
  assertInteger(fn, 'options.seed', seed);
  const N = Math.max(1, Math.round(lengthSeconds * sr));
  const rng = new Rng(seed);
  const data = new Float64Array(C * N);
  const decay = (t: number): number => Math.pow(10, (-3 * t) / rt60);
  for (let c = 0; c < C; c++) {
    const base = c * N;
    data[base] = 1;
    let first = N;
    for (let e = 0; e < early; e++) {
      const t = rng.uniform(0.002, earlyWindow);
      const i = Math.min(N - 1, Math.round(t * sr));
      first = Math.min(first, i);
      data[base + i] += (rng.next() < 0.5 ? -1 : 1) * 0.6 * decay(t) * rng.uniform(0.5, 1);
    }
    for (let i = Math.min(first, N); i < N; i++) data[base + i] += 0.1 * decay(i / sr) * rng.normal();
  }
  return new Multichannel(data, C, N, { sampleRate: sr });
}
