/**
 * Worker-thread body of readWav's pool (src/io/wav.ts): decodes one share of a file's frames into
 * shared memory with the same code as the calling thread.
 * @module
 * @internal
 */
import { serveTasks } from '../core/workers.js';
import { readWavShare, type WavShare } from './wav.js';

serveTasks((t: WavShare) => readWavShare(t));
