/**
 * Result memory whose pages are already mapped: a helper thread allocates the next large result
 * buffer while the calling thread computes the current one.
 *
 * Why: writing a fresh multi-megabyte result costs one page fault per 4 KiB page the first time each
 * page is touched, a large share of a memory-bound mix's time (docs/PERFORMANCE.md, section
 * prefault). numpy rarely pays them: it frees each result the moment the last reference goes, so
 * `malloc` hands the next result the same, already-mapped pages. JavaScript frees a dropped array only at a later garbage collection, after
 * which the C allocator has often returned the pages to the kernel, so each new result starts cold.
 *
 * How: {@link takePrefaulted}(bytes) returns a buffer of that size that the helper thread allocated
 * and wrote one byte of per page (the faults were paid there, on the other core), and asks the
 * helper for the next one. The buffer is transferred, not shared: it is an ordinary `ArrayBuffer`,
 * owned by the caller alone from then on, never handed out twice and never reused by this module.
 * The first request of a size (or a request made before the helper has finished) returns
 * `undefined`, and the caller allocates as usual.
 *
 * Costs, bounded: only sizes from {@link PREFAULT_MIN_BYTES} to {@link PREFAULT_MAX_BYTES} are
 * prepared; at most one spare per size and {@link PREFAULT_SIZES} sizes are held; and spares not
 * taken within {@link prefaultSettings}`.idleMs` (1 s) are dropped, so idle programs hold no extra
 * memory. The helper is `unref`'d: it never keeps the process alive. If it cannot start or fails,
 * this module switches itself off and every call returns `undefined`.
 *
 * Not a `WorkerPool` (core/workers.ts): the helper runs no library code (a few lines of
 * inline script), and nothing ever waits for it; the calling thread only picks up what has arrived.
 *
 * The gains for mix's results, and why they stop short of a reused `out`, are in
 * docs/PERFORMANCE.md, section prefault.
 * @module
 * @internal
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { allocate, type Dtype, type SampleArray } from '../core/multichannel.js';

/** Smallest buffer worth preparing: 1 MiB is 256 pages (their fault cost: docs/PERFORMANCE.md, section prefault). */
export const PREFAULT_MIN_BYTES = 1 << 20;
/**
 * Largest buffer prepared: 64 MiB, the most glibc itself keeps of freed memory before returning it
 * to the kernel (twice its largest dynamic mmap threshold of 32 MiB).
 */
export const PREFAULT_MAX_BYTES = 64 << 20;
/** Distinct sizes with a spare held at once (e.g. a mix's result and its scratch). */
export const PREFAULT_SIZES = 2;
/** Tunable for tests: a spare not taken within `idleMs` milliseconds of the last request is dropped. */
export const prefaultSettings = { idleMs: 1000 };

/**
 * The helper thread: for each requested size, allocate a zeroed buffer, write one byte per 4 KiB
 * page (zero over zero: the value is unchanged, but a write makes the kernel map a private page),
 * and transfer the buffer back.
 */
const HELPER = `
const { workerData } = require('node:worker_threads');
const port = workerData.port;
port.on('message', (bytes) => {
  const buffer = new ArrayBuffer(bytes);
  const u8 = new Uint8Array(buffer);
  for (let i = 0; i < bytes; i += 4096) u8[i] = 0;
  port.postMessage(buffer, [buffer]);
});`;

interface Helper {
  port: MessagePort;
  /** Spares received, by size in bytes, oldest first. */
  ready: Map<number, ArrayBuffer>;
  /** Sizes requested and not yet received. */
  pending: Set<number>;
  idle: NodeJS.Timeout | undefined;
}

let helper: Helper | null = null;
let disabled = false;

function start(): Helper | null {
  if (disabled) return null;
  if (helper !== null) return helper;
  try {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(HELPER, { eval: true, workerData: { port: port2 }, transferList: [port2] });
    worker.unref();
    const h: Helper = { port: port1, ready: new Map(), pending: new Set(), idle: undefined };
    const off = (): void => {
      disabled = true;
      helper = null;
      clearTimeout(h.idle);
      port1.close();
    };
    worker.on('error', off);
    worker.on('exit', off);
    helper = h;
    return h;
  } catch {
    disabled = true;
    return null;
  }
}

/** Moves the spares the helper has sent so far into `ready`, keeping the newest PREFAULT_SIZES sizes. */
function receive(h: Helper): void {
  for (let m = receiveMessageOnPort(h.port); m !== undefined; m = receiveMessageOnPort(h.port)) {
    const buffer = m.message as ArrayBuffer;
    h.pending.delete(buffer.byteLength);
    h.ready.delete(buffer.byteLength);
    h.ready.set(buffer.byteLength, buffer);
    if (h.ready.size > PREFAULT_SIZES) h.ready.delete(h.ready.keys().next().value as number);
  }
}

/** (Re)starts the countdown to {@link drop}. */
function armIdle(h: Helper): void {
  clearTimeout(h.idle);
  h.idle = setTimeout(() => drop(h), prefaultSettings.idleMs).unref();
}

/** Drops every spare (after `idleMs` without a request), and again later if some are still on the way. */
function drop(h: Helper): void {
  receive(h);
  h.ready.clear();
  if (h.pending.size > 0) armIdle(h);
}

/**
 * A buffer of exactly `bytes` bytes whose pages are already mapped, or `undefined` when none is
 * ready (the caller then allocates as usual). Either way, a spare of this size is prepared for
 * the next call. Contents are zero. The caller owns the buffer outright.
 */
export function takePrefaulted(bytes: number): ArrayBuffer | undefined {
  if (!(Number.isInteger(bytes) && bytes >= PREFAULT_MIN_BYTES && bytes <= PREFAULT_MAX_BYTES)) return undefined;
  const h = start();
  if (h === null) return undefined;
  receive(h);
  const buffer = h.ready.get(bytes);
  h.ready.delete(bytes);
  if (!h.pending.has(bytes)) {
    h.pending.add(bytes);
    h.port.postMessage(bytes);
  }
  armIdle(h);
  return buffer;
}

/** Sizes of the spares held and of those on the way, after receiving what has arrived (for tests). */
export function prefaultState(): { running: boolean; ready: number[]; pending: number[] } {
  if (helper === null) return { running: false, ready: [], pending: [] };
  receive(helper);
  return { running: true, ready: [...helper.ready.keys()], pending: [...helper.pending] };
}

/**
 * Allocates a typed array whose contents are unspecified, like numpy's `empty`: for results that a
 * kernel overwrites entirely before anyone sees them. **Every element must be written** before the
 * array leaves the function that allocated it.
 *
 * Why: a zeroed `new Float64Array(n)` of megabytes comes either from fresh pages, each 4 KiB paying
 * a first-touch fault when first written, or from recently freed memory that must be cleared first. From 1 MiB to 64 MiB this takes a buffer whose pages a
 * helper thread has already mapped ({@link takePrefaulted}), when one of that size is ready.
 * Otherwise, above 64 KiB it asks Node for unzeroed memory (`Buffer.allocUnsafeSlow`, the C
 * allocator's `malloc`), which reuses freed, already-mapped pages when the allocator still has
 * them, as numpy's `malloc` does (docs/PERFORMANCE.md, section prefault). Small arrays, and
 * runtimes without `Buffer`, get a zeroed array. Not part of the public API: only
 * kernels that write every element may use it.
 *
 * With `helper: false` it never asks the helper thread: for results computed on both cores, where
 * the helper's page faults would take CPU from the computation.
 * @internal
 */
export function allocateEmpty(dtype: Dtype, n: number, helper = true): SampleArray {
  const bytesPer = dtype === 'float32' ? 4 : 8;
  const bytes = n * bytesPer;
  const mapped = helper ? takePrefaulted(bytes) : undefined;
  if (mapped !== undefined) return dtype === 'float32' ? new Float32Array(mapped) : new Float64Array(mapped);
  if (bytes < 65536 || typeof Buffer === 'undefined') return allocate(dtype, n);
  const { buffer, byteOffset } = Buffer.allocUnsafeSlow(bytes);
  if (byteOffset % bytesPer !== 0) return allocate(dtype, n);
  return dtype === 'float32' ? new Float32Array(buffer, byteOffset, n) : new Float64Array(buffer, byteOffset, n);
}
