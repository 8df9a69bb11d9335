/**
 * Persistent worker threads for the library's parallel paths (convolution, PCA covariance,
 * SRP-PHAT). One pattern everywhere:
 *
 * - each parallel module has a worker file beside it (`src/convolve/worker.ts`,
 *   `src/spectral/covariance-worker.ts`, `src/beamform/srp-worker.ts`) that imports the module's
 *   own kernels and calls {@link serveTasks}, so workers run the very code of the single-thread path;
 * - the module keeps one {@link WorkerPool} of that file: threads start on first use, stay alive
 *   between calls (no start-up or cold JIT per call) and are `unref`'d (they never keep the process
 *   alive);
 * - {@link WorkerPool.run} posts one task per worker (bulk data on SharedArrayBuffer), computes the
 *   calling thread's own share meanwhile, then blocks on `Atomics.wait` until every worker has
 *   signalled through an Int32Array flag (1 = done, 2 = failed, with the error text in shared bytes).
 *   It never hangs: a worker thread that throws outside a task or exits marks its task failed at once
 *   (its bootstrap's `uncaughtException` and `exit` handlers write the message and flag 2), the pool
 *   drops and replaces it, and a worker that neither finishes nor fails within the time limit is
 *   terminated and reported as an error. Every worker has `error` and `exit` listeners, so a dying
 *   thread never takes the process down with it.
 *
 * Calls stay synchronous, and results are bit-identical to the single-thread path as long as every
 * task computes whole units of the canonical order (channels, segments, pairs, grid points) with the
 * same kernels; that is each module's business.
 * @module
 * @internal
 */
import * as os from 'node:os';
import { Worker, parentPort } from 'node:worker_threads';
import { NumericalError } from './errors.js';
import { countReceived, sharedNames } from './shared.js';

/** Bytes of shared memory per worker for its error text (UTF-8, cut at this length). */
export const ERROR_BYTES = 1024;

/** What the calling thread posts to a pool worker. */
export interface TaskMessage<T> {
  task: T;
  /** One Int32 per worker: 0 running, 1 done, 2 failed. */
  flag: Int32Array;
  slot: number;
  /** ERROR_BYTES per worker: the failure's text, UTF-8, zero-padded. */
  error: Uint8Array;
  /** The task's large shared buffers, named for the worker's garbage-collector accounting (src/core/shared.ts). */
  shared: [SharedArrayBuffer, number][];
}

/**
 * The bootstrap every worker runs: loads the worker module (through tsx's CommonJS hook when the
 * sources are TypeScript, under tsx or vitest). If loading fails, the worker stays up and answers
 * every request with status 2 and the load error, so the caller gets a clear error at once instead
 * of waiting for a thread that will never answer. Works for {@link TaskMessage}s and for any
 * protocol whose messages carry `flag` (status at `slot`, default 0).
 */
function bootstrap(file: string, ts: boolean): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
let current = null;
let thrown = null;
parentPort.on('message', (m) => { if (m && m.flag instanceof Int32Array) current = m; });
process.on('uncaughtException', (e) => { thrown = e; process.exit(1); });
process.on('exit', (code) => {
  const text = new TextEncoder().encode(thrown ? 'the worker thread threw ' + String((thrown && thrown.name) || 'Error') + ': ' + String((thrown && thrown.message) || thrown) : 'the worker thread exited with code ' + code).subarray(0, ${ERROR_BYTES});
  const life = workerData && workerData.life;
  if (life) { life.text.set(text); Atomics.store(life.state, 0, 1); Atomics.notify(life.state, 0); }
  if (current) {
    const slot = current.slot || 0;
    if (Atomics.load(current.flag, slot) === 0) {
      if (current.error instanceof Uint8Array) { current.error.fill(0, slot * ${ERROR_BYTES}, (slot + 1) * ${ERROR_BYTES}); current.error.set(text, slot * ${ERROR_BYTES}); }
      Atomics.store(current.flag, slot, 2);
      Atomics.notify(current.flag, slot);
    }
  }
});
try {
  ${ts ? "require('tsx/cjs/api').register();" : ''}
  require(${JSON.stringify(file)});
} catch (e) {
  const text = 'could not load ' + ${JSON.stringify(file)} + ': ' + String((e && e.message) || e);
  parentPort.on('message', (m) => {
    if (!m || !(m.flag instanceof Int32Array)) return;
    const slot = m.slot || 0;
    if (m.error instanceof Uint8Array) m.error.set(new TextEncoder().encode(text).subarray(0, ${ERROR_BYTES}), slot * ${ERROR_BYTES});
    Atomics.store(m.flag, slot, 2);
    Atomics.notify(m.flag, slot);
  });
}`;
}

/**
 * Starts a worker thread running the module `file` (an absolute path without extension: `.ts` is
 * appended under tsx / vitest, `.js` in the built package), `unref`'d so it never keeps the process
 * alive. Callers pass `path.join(__dirname, 'name')`.
 */
export function spawnWorker(file: string): Worker {
  const ts = __filename.endsWith('.ts');
  const life: Life = { state: new Int32Array(new SharedArrayBuffer(4)), text: new Uint8Array(new SharedArrayBuffer(ERROR_BYTES)) };
  const w = new Worker(bootstrap(`${file}${ts ? '.ts' : '.js'}`, ts), { eval: true, workerData: { life } });
  lives.set(w, life);
  // The thread's end is recorded (by its bootstrap, or here when it could not run its handlers);
  // with these listeners an error in the thread never becomes an unhandled 'error' event.
  const ended = (text: string): void => {
    if (Atomics.load(life.state, 0) !== 0) return;
    life.text.set(new TextEncoder().encode(text).subarray(0, ERROR_BYTES));
    Atomics.store(life.state, 0, 1);
  };
  w.on('error', (e: Error) => ended(`the worker thread failed: ${e.name}: ${e.message}`));
  w.on('exit', (code: number) => ended(`the worker thread exited with code ${code}`));
  w.unref();
  return w;
}

/** Shared state of one worker thread: `state[0]` becomes 1 when the thread has ended, `text` says why. */
interface Life {
  state: Int32Array;
  text: Uint8Array;
}
const lives = new WeakMap<Worker, Life>();

/**
 * Why the worker thread `w` (from {@link spawnWorker}) has ended — it threw outside a task, called
 * `process.exit`, or was terminated — or null while it runs.
 */
export function workerEnded(w: Worker): string | null {
  const life = lives.get(w);
  if (!life || Atomics.load(life.state, 0) === 0) return null;
  return errorText(life.text, 0);
}

/** Options of {@link WorkerPool.run}. */
export interface RunOptions {
  /**
   * How to turn the threads off, for the error message (e.g. `'options.threads = 1'`): failures
   * read `fn: a worker thread failed (…); retry with <this>`.
   */
  retry: string;
  /**
   * Longest wait for the workers after the calling thread has finished its own share, in ms:
   * at least this (default 60 000, which also covers a first start-up under tsx), and at least 20×
   * the calling thread's own time, so long jobs on slow machines are not cut off.
   */
  timeoutMs?: number;
}

/** A persistent, growable set of worker threads running one worker module (see the module notes). */
export class WorkerPool {
  private readonly workers: Worker[] = [];

  /** @param file the worker module, an absolute path without extension (see {@link spawnWorker}). */
  constructor(readonly file: string) {}

  /** Threads started so far. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Posts `tasks[i]` to worker i (starting threads as needed), runs `own()` on the calling thread
   * meanwhile, then blocks until every worker has signalled. Typed arrays on SharedArrayBuffer in a
   * task are shared, everything else is copied (structured clone).
   * @throws NumericalError naming `fn` when a worker failed, its thread threw or exited (reported at
   * once, with the thread's message), or it did not answer in time; a thread that ended or hung is
   * dropped and replaced on the next call. An error of `own()` is rethrown after the workers have
   * finished.
   */
  run<T>(fn: string, tasks: readonly T[], own: () => void, options: RunOptions): void {
    const n = tasks.length;
    for (let i = this.workers.length - 1; i >= 0; i--) if (workerEnded(this.workers[i]) !== null) this.workers.splice(i, 1);
    while (this.workers.length < n) this.workers.push(spawnWorker(this.file));
    const flag = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, n)));
    const error = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES * Math.max(1, n)));
    for (let i = 0; i < n; i++) this.workers[i].postMessage({ task: tasks[i], flag, slot: i, error, shared: sharedNames(tasks[i]) } satisfies TaskMessage<T>);
    const t0 = performance.now();
    let ownError: unknown = null;
    try {
      own();
    } catch (e) {
      ownError = e ?? new Error('unknown error');
    }
    const t1 = performance.now();
    const deadline = t1 + Math.max(options.timeoutMs ?? 60_000, 20 * (t1 - t0));
    const failures: string[] = [];
    const stuck: number[] = [];
    for (let i = 0; i < n; i++) {
      // Short waits, so a thread that ended before it took the task is noticed at once.
      let status = 0;
      let ended: string | null = null;
      while (status === 0 && ended === null && performance.now() < deadline) {
        status = awaitFlag(flag, i, Math.min(deadline, performance.now() + 50));
        if (status === 0) ended = workerEnded(this.workers[i]);
      }
      if (status === 0 && ended === null) status = Atomics.load(flag, i);
      if (status === 2) failures.push(errorText(error, i));
      else if (status !== 1) failures.push(ended ?? `no answer after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if (status !== 1 && status !== 2) stuck.push(i);
      else if (status === 2 && workerEnded(this.workers[i]) !== null) stuck.push(i);
    }
    for (const i of stuck.reverse()) void this.workers.splice(i, 1)[0].terminate();
    if (ownError !== null) throw ownError;
    if (failures.length > 0) throw new NumericalError(`${fn}: a worker thread failed (${failures[0]}); retry with ${options.retry}`);
  }

  /** Terminates the threads (they are unref'd, so this only frees them early); the next run starts new ones. */
  async terminate(): Promise<void> {
    const ws = this.workers.splice(0, this.workers.length);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

/** The error text a worker wrote at `slot` of `error` (see {@link writeError}). */
export function errorText(error: Uint8Array, slot: number): string {
  const bytes = error.slice(slot * ERROR_BYTES, (slot + 1) * ERROR_BYTES); // a copy: TextDecoder refuses shared memory
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end)) || 'unknown error';
}

/**
 * Worker side of {@link WorkerPool}: answers every {@link TaskMessage} with `handler(task)`,
 * signalling done (1) or failed (2, with the error's message) through the shared flag. The task's
 * large shared buffers are counted for this thread's garbage collector first ({@link countReceived}).
 * Call it once at the top level of a worker file; a no-op on the main thread.
 */
export function serveTasks<T>(handler: (task: T) => void): void {
  parentPort?.on('message', (m: TaskMessage<T>) => {
    countReceived(m.shared);
    let status = 1;
    try {
      handler(m.task);
    } catch (e) {
      status = 2;
      writeError(m.error, m.slot, e);
    }
    Atomics.store(m.flag, m.slot, status);
    Atomics.notify(m.flag, m.slot);
  });
}

/** Writes `e`'s name and message (UTF-8, at most {@link ERROR_BYTES}) at `slot` of the shared `error` bytes. */
export function writeError(error: Uint8Array, slot: number, e: unknown): void {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  error.fill(0, slot * ERROR_BYTES, (slot + 1) * ERROR_BYTES);
  error.set(new TextEncoder().encode(text).subarray(0, ERROR_BYTES), slot * ERROR_BYTES);
}

/**
 * Blocks until `flag[slot]` is no longer 0 or the time `deadline` (a `performance.now()` value, ms)
 * has passed; returns the flag's value, 0 when nothing came in time.
 */
export function awaitFlag(flag: Int32Array, slot: number, deadline: number): number {
  for (;;) {
    const status = Atomics.load(flag, slot);
    if (status !== 0) return status;
    const left = deadline - performance.now();
    if (left <= 0) return 0;
    Atomics.wait(flag, slot, 0, Math.min(left, 1000));
  }
}

let coreCount = 0;

/** Logical cores this process may use (`os.availableParallelism`, read once). */
export function cores(): number {
  if (coreCount === 0) coreCount = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return coreCount;
}

/** Claim mark of a piece taken by the calling thread ({@link claimPieces}); 0 means not taken yet. */
export const CLAIMED_BY_CALLER = 1;
/** Claim mark of a piece taken by a worker thread ({@link claimPieces}). */
export const CLAIMED_BY_WORKER = 2;

/**
 * Runs `run(j)` for the pieces `j` of `[0, count)` that this thread claims, marking `claims[at + j]`
 * with `compareExchange`: the calling thread front to back, a worker (`fromEnd`) back to front,
 * each stopping at the first piece already taken. Each thread's pieces stay contiguous, and a thread
 * that gets little CPU leaves its pieces to the other instead of holding up the call.
 */
export function claimPieces(claims: Int32Array, at: number, count: number, fromEnd: boolean, run: (j: number) => void): void {
  const mark = fromEnd ? CLAIMED_BY_WORKER : CLAIMED_BY_CALLER;
  for (let i = 0; i < count; i++) {
    const j = fromEnd ? count - 1 - i : i;
    if (Atomics.compareExchange(claims, at + j, 0, mark) !== 0) return;
    run(j);
  }
}

/**
 * `[0, n)` cut into `parts` contiguous ranges of near-equal size: range p is `bounds[p]` …
 * `bounds[p + 1]` (the way every parallel path divides channels, pairs or grid points).
 */
export function split(n: number, parts: number): number[] {
  return Array.from({ length: parts + 1 }, (_, p) => Math.round((p * n) / parts));
}
