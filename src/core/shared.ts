/**
 * Shared memory that the garbage collector can see.
 *
 * V8 does not count a SharedArrayBuffer's bytes toward the external memory that decides when to
 * collect garbage (a shared backing store's per-isolate accounting length is 0; nodejs/node#34703).
 * A loop that drops one large shared result per call therefore allocates gigabytes before the next
 * collection frees any of them. {@link sharedBuffer} pairs every shared buffer of
 * {@link SHARED_ARRAY_MIN_BYTES} or more with an ordinary ArrayBuffer of the same size, held in a
 * WeakMap for exactly as long as the shared buffer lives: V8 counts the ordinary one, so collections
 * come as often as for ordinary arrays of that size. The ordinary buffer is never written or read;
 * at this size the C allocator maps it fresh from the operating system, whose pages cost memory
 * only when touched, so it takes address space but no memory. Every shared array of the library
 * comes from here ({@link sharedArray}, {@link sharedCopy}, {@link shared}), and worker threads
 * count the large buffers they receive ({@link sharedNames}, {@link countReceived}).
 * @module
 * @internal
 */
import type { Dtype, SampleArray } from './multichannel.js';

/**
 * Size, in bytes, from which the library's new arrays live on a SharedArrayBuffer: 32 MiB, the C
 * allocator's largest threshold above which every new array is fresh memory anyway
 * (docs/PERFORMANCE.md, section prefault). Such an array is an ordinary typed array to its user,
 * except that posting it to a worker shares it instead of copying it; the library's two-thread
 * kernels (mix, the PCA passes) read it in place from a worker instead of copying their share.
 */
export const SHARED_ARRAY_MIN_BYTES = 32 << 20;

/** Each large shared buffer's same-sized ordinary twin, which V8 counts for the garbage collector. */
const counted = new WeakMap<SharedArrayBuffer, ArrayBuffer>();

/**
 * A zero-filled SharedArrayBuffer of `bytes` bytes; from {@link SHARED_ARRAY_MIN_BYTES} up, the
 * garbage collector counts its size as it counts an ordinary ArrayBuffer's (see the module notes).
 */
export function sharedBuffer(bytes: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(bytes);
  if (bytes >= SHARED_ARRAY_MIN_BYTES) counted.set(buffer, new ArrayBuffer(bytes));
  return buffer;
}

/** `n` zeros of element type `dtype` on shared memory ({@link sharedBuffer}: counted for the garbage collector). */
export function sharedArray(dtype: 'float64', n: number): Float64Array;
export function sharedArray(dtype: 'float32', n: number): Float32Array;
export function sharedArray(dtype: Dtype, n: number): SampleArray;
export function sharedArray(dtype: Dtype, n: number): SampleArray {
  return dtype === 'float32' ? new Float32Array(sharedBuffer(4 * n)) : new Float64Array(sharedBuffer(8 * n));
}

/** A copy of `a` on shared memory, same element type (one native `set`). */
export function sharedCopy<A extends Float64Array | Float32Array>(a: A): A {
  const s = sharedArray(a instanceof Float32Array ? 'float32' : 'float64', a.length);
  s.set(a);
  return s as A;
}

/** `a` itself when it already lives on shared memory, else a shared copy. */
export function shared<A extends Float64Array | Float32Array>(a: A): A {
  return a.buffer instanceof SharedArrayBuffer ? a : sharedCopy(a);
}

/** Names of the large shared buffers posted to workers from this thread ({@link sharedNames}). */
const names = new WeakMap<SharedArrayBuffer, number>();
let nextName = 1;

/**
 * The large shared buffers (of {@link SHARED_ARRAY_MIN_BYTES} or more) that `value` holds, itself or
 * among the properties of `value` and of their plain objects and arrays, `depth` levels down, each
 * with a number that names it on this thread for as long as it lives. A thread posts this list with
 * a task so that the worker can count each buffer once ({@link countReceived}).
 */
export function sharedNames(value: unknown, depth = 2, found: [SharedArrayBuffer, number][] = []): [SharedArrayBuffer, number][] {
  if (value === null || typeof value !== 'object') return found;
  const buffer = value instanceof SharedArrayBuffer ? value : ArrayBuffer.isView(value) ? value.buffer : null;
  if (buffer !== null) {
    if (buffer instanceof SharedArrayBuffer && buffer.byteLength >= SHARED_ARRAY_MIN_BYTES && !found.some(([b]) => b === buffer)) {
      let name = names.get(buffer);
      if (name === undefined) names.set(buffer, (name = nextName++));
      found.push([buffer, name]);
    }
    return found;
  }
  if (depth > 0) for (const v of Array.isArray(value) ? value : Object.values(value)) sharedNames(v, depth - 1, found);
  return found;
}

/** On a worker: the handle through which each named buffer is counted now. */
const received = new Map<number, WeakRef<SharedArrayBuffer>>();

/**
 * On a worker thread, counts for its garbage collector the large shared buffers a message brought
 * ({@link sharedNames}). Each message gives the worker new handles on the buffers, and any live
 * handle keeps a buffer's memory alive, for every thread, until this worker's collector frees it;
 * V8 would not hurry that collection. A buffer already counted through a live earlier handle (the
 * same input, posted call after call) is not counted again.
 */
export function countReceived(buffers: readonly [SharedArrayBuffer, number][]): void {
  for (const [buffer, name] of buffers) {
    if (received.get(name)?.deref() !== undefined) continue;
    counted.set(buffer, new ArrayBuffer(buffer.byteLength));
    received.set(name, new WeakRef(buffer));
  }
  if (received.size > 256) for (const [name, ref] of received) if (ref.deref() === undefined) received.delete(name);
}

/** Whether `buffer` is counted for this thread's garbage collector (for tests). */
export function isCounted(buffer: SharedArrayBuffer): boolean {
  return counted.has(buffer);
}
