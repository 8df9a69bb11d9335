/**
 * Result memory whose pages a helper thread maps while the calling thread fills it.
 *
 * Why: a decoder that writes a fresh result of hundreds of megabytes spends most of its time in
 * first-touch page faults (one per 4 KiB page), not in decoding (docs/PERFORMANCE.md, section
 * prefault). A helper thread on another core takes those faults: it writes to the result's pages
 * block by block from the start, a block ahead of the caller, which decodes into pages already
 * mapped. The caller waits for the helper only while the helper keeps advancing; when it stalls
 * (not started yet, or no core free), the caller maps the rest of the pages itself, as without it.
 *
 * How: the result lives on a `SharedArrayBuffer`. The helper touches each page with an atomic
 * `Atomics.add(…, 0)`: a write (so the kernel maps a private page) that leaves the value unchanged
 * even when the caller stores into the same word at the same moment, so results are identical with
 * and without the helper. The caller reports its progress through {@link FaultAhead.progress}.
 *
 * The helper is one `unref`'d thread running a few lines of inline script (no library code); it
 * never keeps the process alive, and if it cannot start or fails, this module switches itself off.
 * @module
 * @internal
 */
import { Worker } from 'node:worker_threads';
import type { Dtype, SampleArray } from '../core/multichannel.js';

/** Smallest result worth a helper: 4 MiB (1024 pages). */
export const FAULT_AHEAD_MIN_BYTES = 4 << 20;

/** How long the caller waits for the helper's next block before it stops waiting for this result. */
export const WAIT_MS = 3;

/**
 * The helper thread. Per job: a `[C, L]` channel-major result of `bytesPer`-byte samples on `sab`,
 * split into blocks of `block` frames (every channel's part of a block). From the first block on,
 * it touches each page the block covers and publishes the frames mapped so far in `ctl[1]`; it
 * skips ahead to the caller's progress (`ctl[0]`, frames written) when the caller has overtaken it.
 */
const HELPER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ sab, ctl, C, L, bytesPer, block }) => {
  const words = new Int32Array(sab);
  let t0 = 0;
  while (t0 < L) {
    t0 = Math.max(t0, Atomics.load(ctl, 0));
    if (t0 >= L) break;
    const t1 = Math.min(L, t0 + block);
    for (let c = 0; c < C; c++) {
      const p0 = Math.floor(((c * L + t0) * bytesPer) / 4096);
      const p1 = Math.floor(((c * L + t1) * bytesPer - 1) / 4096);
      for (let p = p0; p <= p1; p++) Atomics.add(words, p * 1024, 0);
    }
    Atomics.store(ctl, 1, t1);
    Atomics.notify(ctl, 1);
    t0 = t1;
  }
  Atomics.store(ctl, 1, L);
  Atomics.notify(ctl, 1);
});`;

let worker: Worker | null = null;
let disabled = false;

function helper(): Worker | null {
  if (disabled) return null;
  if (worker !== null) return worker;
  try {
    const w = new Worker(HELPER, { eval: true });
    w.unref();
    const off = (): void => {
      disabled = true;
      worker = null;
    };
    w.on('error', off);
    w.on('exit', off);
    worker = w;
    return w;
  } catch {
    disabled = true;
    return null;
  }
}

/** The caller's side of a result being filled from its first frame to its last. */
export interface FaultAhead {
  /** The result, `[C, L]` channel-major, zero-filled, on a SharedArrayBuffer. */
  readonly out: SampleArray;
  /**
   * Waits until the helper has mapped the pages of frames `[0, frames)`, unless it stalls (makes no
   * progress for {@link WAIT_MS} ms: not started yet, or no core free); from then on, for the rest
   * of this result, returns at once and the caller maps the pages it writes itself.
   */
  ready(frames: number): void;
  /** Reports that frames `[0, frames)` of every channel are written; the helper stops short of them. */
  progress(frames: number): void;
}

/**
 * A zeroed `[C, L]` result of `dtype` on a SharedArrayBuffer, whose pages a helper thread starts
 * mapping from the first frame, in blocks of `block` frames; or `null` when the result is smaller than
 * {@link FAULT_AHEAD_MIN_BYTES} or the helper is unavailable (the caller then allocates as usual).
 * The caller fills frames in increasing order, calling `ready` before and `progress` after each
 * step, and `progress(L)` when done.
 * @throws RangeError when the memory cannot be allocated.
 */
export function faultAhead(dtype: Dtype, C: number, L: number, block: number): FaultAhead | null {
  const bytesPer = dtype === 'float32' ? 4 : 8;
  const bytes = C * L * bytesPer;
  if (!(bytes >= FAULT_AHEAD_MIN_BYTES) || typeof SharedArrayBuffer !== 'function') return null;
  const w = helper();
  if (w === null) return null;
  const sab = new SharedArrayBuffer(bytes);
  const ctl = new Int32Array(new SharedArrayBuffer(8));
  w.postMessage({ sab, ctl, C, L, bytesPer, block: Math.max(1, Math.floor(block)) });
  let waiting = true;
  return {
    out: dtype === 'float32' ? new Float32Array(sab) : new Float64Array(sab),
    ready: (frames: number) => {
      while (waiting) {
        const v = Atomics.load(ctl, 1);
        if (v >= frames) return;
        if (Atomics.wait(ctl, 1, v, WAIT_MS) === 'timed-out') waiting = false;
      }
    },
    progress: (frames: number) => {
      Atomics.store(ctl, 0, frames);
    },
  };
}
