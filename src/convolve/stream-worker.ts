/**
 * Worker-thread body of a parallel {@link StreamingConvolver} (its `workers` option): owns an
 * ordinary StreamingConvolver for a contiguous group of the stream's channels, and answers
 * push / flush / reset requests whose samples travel on SharedArrayBuffers. The calling thread
 * blocks on an Int32Array flag (Atomics.wait) until the reply is written, so the public API stays
 * synchronous. Every group runs the same code as the single-thread path, so results are identical.
 * @module
 * @internal
 */
import { parentPort } from 'node:worker_threads';
import { writeError } from '../core/workers.js';
import { Multichannel } from '../core/multichannel.js';
import type { SampleArray } from '../core/validate.js';
import { StreamingConvolver, type StreamingConvolverOptions } from './streaming.js';

/** Messages to a stream worker. */
export type StreamWorkerRequest =
  | { kind: 'init'; h: Float64Array; hChannels: number; options: StreamingConvolverOptions; flag: Int32Array; error: Uint8Array }
  | { kind: 'push'; input: SampleArray; length: number; sampleRate: number | undefined; output: SampleArray }
  | { kind: 'flush' | 'reset'; output: SampleArray | null };

/**
 * Flag protocol (one Int32Array of 2): [0] = 0 while working, 1 done, 2 failed (the error's text in
 * the shared `error` bytes given at init); [1] = samples per channel written to `output` (push / flush).
 */
let sc: StreamingConvolver | null = null;
let flag: Int32Array | null = null;
let error: Uint8Array | null = null;

function reply(status: 1 | 2, length = 0): void {
  Atomics.store(flag!, 1, length);
  Atomics.store(flag!, 0, status);
  Atomics.notify(flag!, 0);
}

parentPort?.on('message', (m: StreamWorkerRequest) => {
  try {
    if (m.kind === 'init') {
      flag = m.flag;
      error = m.error;
      sc = new StreamingConvolver(new Multichannel(m.h, m.hChannels, m.h.length / m.hChannels), m.options);
      reply(1);
      return;
    }
    const conv = sc!;
    if (m.kind === 'reset') {
      conv.reset();
      reply(1);
      return;
    }
    const C = conv.channels;
    const y =
      m.kind === 'push'
        ? conv.push(new Multichannel(m.input.subarray(0, C * m.length), C, m.length, m.sampleRate !== undefined ? { sampleRate: m.sampleRate } : {}))
        : conv.flush();
    m.output!.set(y.data);
    reply(1, y.length);
  } catch (e) {
    writeError(error!, 0, e);
    reply(2);
  }
});
