/**
 * A small seeded mutation fuzzer for the package's readers (issue 9), reusable by every format.
 *
 * Engine: {@link mutate} applies 1…`maxMutations` random edits to a valid seed file — bit flips,
 * byte sets to boundary values, 16/32-bit little- and big-endian integers set to huge, negative or
 * overflowing counts (0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, the file size ± 1, …), truncation,
 * extension with random bytes, deletion or duplication of a byte range, ASCII number tokens
 * replaced (for text headers: ENVI, NPY dicts), and — when the caller gives `spans` (chunk or
 * section boundaries, e.g. {@link riffSpans}) — whole chunks duplicated, deleted or swapped.
 * Everything is driven by {@link Rng}, so iteration `i` of a run with seed `s` is reproducible.
 *
 * Harness: {@link fuzzTarget} runs `parse` on the seeds, then on mutants until the time budget is
 * spent, and throws (failing the vitest test) when an input
 * - throws anything for which `isPointwiseError(e)` is false (a crash or an unplanned TypeError),
 * - takes longer than `maxParseMs` (a parse must be bounded in time), or
 * - returns a result whose byte size exceeds `maxExpansion × input + slackBytes`, or grows
 *   `process.memoryUsage().arrayBuffers` by more than that plus 64 MiB (a header that lied about
 *   a size was believed).
 * The failing input is saved under `os.tmpdir()/pointwise-fuzz-<uid>/` (one folder per user, so
 * several users' runs never share it) and its path is in the message:
 * copy it to test/fixtures/fuzz/ and add it to a replay test once fixed.
 *
 * Usage (see test/fuzz/wav-npy.test.ts):
 * ```ts
 * it('fuzz: WAV', () => {
 *   const report = fuzzTarget('wav', seeds, (b) => decodeWav(b), fuzzBudgetMs(), { spans: riffSpans });
 *   expect(report.iterations).toBeGreaterThan(0);
 * });
 * ```
 * Budget: `FUZZ_SECONDS` (env) seconds per target, default 2; `npm run fuzz` sets 60.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isPointwiseError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';

/** A byte range `[start, end)` of a seed that forms a unit (a RIFF chunk, a header section). */
export interface Span {
  start: number;
  end: number;
}

/** Options of {@link mutate}. */
export interface MutateOptions {
  /** Most edits stacked on one mutant (default 4; each mutant gets 1…maxMutations). */
  maxMutations?: number;
  /** Chunk boundaries of the seed, enabling chunk duplication, deletion and swapping. */
  spans?: (bytes: Uint8Array) => Span[];
}

/** Values that break size and count fields. */
const INTERESTING_32 = [0, 1, 2, 3, 4, 7, 8, 16, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x40000000, 0x3fffffff];
const INTERESTING_16 = [0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];
const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x20, 0x30, 0x39];
const NUMBER_TOKENS = ['0', '-1', '1', '65536', '2147483647', '2147483648', '4294967296', '-4294967297', '99999999999999999999', '1e308', '-0', 'NaN', '1.5', '', '00000000000000000000000000000007'];

function setU32(b: Uint8Array, o: number, v: number, bigEndian: boolean): void {
  for (let i = 0; i < 4; i++) b[o + (bigEndian ? 3 - i : i)] = (v >>> (8 * i)) & 0xff;
}
function setU16(b: Uint8Array, o: number, v: number, bigEndian: boolean): void {
  b[o + (bigEndian ? 1 : 0)] = v & 0xff;
  b[o + (bigEndian ? 0 : 1)] = (v >>> 8) & 0xff;
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The names of the edits {@link mutate} can make. */
export const MUTATIONS = ['bitflip', 'byte', 'int16', 'int32', 'size-field', 'truncate', 'extend', 'delete', 'duplicate', 'number', 'chunk-duplicate', 'chunk-delete', 'chunk-swap'] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Applies one edit of kind `kind` (a no-op edit is possible on tiny inputs). */
function applyOne(b: Uint8Array, kind: Mutation, rng: Rng, spans: Span[]): Uint8Array {
  const n = b.length;
  const pos = () => rng.int(0, Math.max(0, n - 1));
  switch (kind) {
    case 'bitflip': {
      if (n === 0) return b;
      const out = b.slice();
      const p = pos();
      out[p] ^= 1 << rng.int(0, 7);
      return out;
    }
    case 'byte': {
      if (n === 0) return b;
      const out = b.slice();
      out[pos()] = rng.next() < 0.5 ? INTERESTING_8[rng.int(0, INTERESTING_8.length - 1)] : rng.int(0, 255);
      return out;
    }
    case 'int16': {
      if (n < 2) return b;
      const out = b.slice();
      setU16(out, rng.int(0, n - 2), INTERESTING_16[rng.int(0, INTERESTING_16.length - 1)], rng.next() < 0.3);
      return out;
    }
    case 'int32':
    case 'size-field': {
      if (n < 4) return b;
      const out = b.slice();
      // size-field: aligned offsets, values near the real sizes (the lies headers tell).
      const o = kind === 'size-field' ? 4 * rng.int(0, Math.floor((n - 4) / 4)) : rng.int(0, n - 4);
      const near = [n, n + 1, n - 1, n * 2, n - 8, 0x7fffffff - rng.int(0, 8), 0x100000000 - n];
      const v = kind === 'size-field' ? near[rng.int(0, near.length - 1)] >>> 0 : INTERESTING_32[rng.int(0, INTERESTING_32.length - 1)];
      setU32(out, o, v, rng.next() < 0.2);
      return out;
    }
    case 'truncate':
      return b.slice(0, rng.next() < 0.5 ? rng.int(0, n) : Math.max(0, n - rng.int(1, 16)));
    case 'extend': {
      const extra = new Uint8Array(rng.next() < 0.7 ? rng.int(1, 16) : rng.int(1, 4096));
      for (let i = 0; i < extra.length; i++) extra[i] = rng.next() < 0.5 ? 0 : rng.int(0, 255);
      return concat(b, extra);
    }
    case 'delete': {
      if (n === 0) return b;
      const s = pos();
      const e = Math.min(n, s + rng.int(1, 64));
      return concat(b.subarray(0, s), b.subarray(e));
    }
    case 'duplicate': {
      if (n === 0) return b;
      const s = pos();
      const e = Math.min(n, s + rng.int(1, 64));
      const at = rng.int(0, n);
      return concat(b.subarray(0, at), b.subarray(s, e), b.subarray(at));
    }
    case 'number': {
      // Replace one ASCII digit run (with its sign) by a hostile token.
      const runs: Span[] = [];
      for (let i = 0; i < n && runs.length < 256; i++) {
        if (b[i] >= 0x30 && b[i] <= 0x39) {
          let j = i;
          while (j < n && b[j] >= 0x30 && b[j] <= 0x39) j++;
          runs.push({ start: i > 0 && b[i - 1] === 0x2d ? i - 1 : i, end: j });
          i = j;
        }
      }
      if (runs.length === 0) return applyOne(b, 'int32', rng, spans);
      const r = runs[rng.int(0, runs.length - 1)];
      const tok = new TextEncoder().encode(NUMBER_TOKENS[rng.int(0, NUMBER_TOKENS.length - 1)]);
      return concat(b.subarray(0, r.start), tok, b.subarray(r.end));
    }
    case 'chunk-duplicate':
    case 'chunk-delete':
    case 'chunk-swap': {
      const ok = spans.filter((s) => s.start >= 0 && s.end <= n && s.end > s.start);
      if (ok.length === 0) return applyOne(b, 'duplicate', rng, spans);
      const a = ok[rng.int(0, ok.length - 1)];
      if (kind === 'chunk-delete') return concat(b.subarray(0, a.start), b.subarray(a.end));
      if (kind === 'chunk-duplicate') {
        const at = ok[rng.int(0, ok.length - 1)];
        const where = rng.next() < 0.5 ? at.start : at.end;
        return concat(b.subarray(0, where), b.subarray(a.start, a.end), b.subarray(where));
      }
      const c = ok[rng.int(0, ok.length - 1)];
      if (c === a || (c.start < a.end && a.start < c.end)) return b;
      const [x, y] = a.start < c.start ? [a, c] : [c, a];
      return concat(b.subarray(0, x.start), b.subarray(y.start, y.end), b.subarray(x.end, y.start), b.subarray(x.start, x.end), b.subarray(y.end));
    }
  }
}

/**
 * One mutant of `seed`: 1…maxMutations stacked edits chosen by `rng`. Returns the bytes and the
 * list of edits (for failure messages). Never modifies `seed`.
 */
export function mutate(seed: Uint8Array, rng: Rng, options: MutateOptions = {}): { bytes: Uint8Array; ops: Mutation[] } {
  const maxM = options.maxMutations ?? 4;
  const spans = options.spans ? options.spans(seed) : [];
  const k = rng.int(1, maxM);
  let b = seed;
  const ops: Mutation[] = [];
  for (let i = 0; i < k; i++) {
    const kinds = spans.length ? MUTATIONS : MUTATIONS.filter((m) => !m.startsWith('chunk-'));
    const kind = kinds[rng.int(0, kinds.length - 1)];
    ops.push(kind);
    b = applyOne(b, kind, rng, spans);
  }
  return { bytes: b === seed ? seed.slice() : b, ops };
}

/** Chunk spans of a RIFF file (each chunk header + body + pad), for {@link MutateOptions.spans}. */
export function riffSpans(bytes: Uint8Array): Span[] {
  const spans: Span[] = [];
  let off = 12;
  while (off + 8 <= bytes.length && spans.length < 64) {
    const size = (bytes[off + 4] | (bytes[off + 5] << 8) | (bytes[off + 6] << 16) | (bytes[off + 7] << 24)) >>> 0;
    const end = Math.min(bytes.length, off + 8 + size + (size & 1));
    spans.push({ start: off, end });
    off = end;
  }
  return spans;
}

/** Byte size of a parse result: typed arrays, a Multichannel's data, nested objects/arrays (depth ≤ 4). */
export function resultBytes(r: unknown, depth = 0): number {
  if (r === null || typeof r !== 'object' || depth > 4) return typeof r === 'string' ? r.length * 2 : 0;
  if (ArrayBuffer.isView(r)) return r.byteLength;
  if (r instanceof ArrayBuffer) return r.byteLength;
  let total = 0;
  const values = Array.isArray(r) ? r : Object.values(r as Record<string, unknown>);
  for (const v of values.slice(0, 10000)) total += resultBytes(v, depth + 1);
  return total;
}

/** The per-target budget in ms: `FUZZ_SECONDS` (env) × 1000, or `defaultSeconds`. */
export function fuzzBudgetMs(defaultSeconds = 2): number {
  const s = Number(process.env.FUZZ_SECONDS);
  return (Number.isFinite(s) && s > 0 ? s : defaultSeconds) * 1000;
}

/** Options of {@link fuzzTarget}. */
export interface FuzzOptions extends MutateOptions {
  /** Base seed; iteration i uses `new Rng(seed + i)` (default 1). */
  seed?: number;
  /** Longest allowed single parse in ms (default 1000). */
  maxParseMs?: number;
  /** Allowed result bytes per input byte (default 8: int8/pcm8 → float64). */
  maxExpansion?: number;
  /** Allowed result bytes on top (default 4096). */
  slackBytes?: number;
  /** Stop after this many mutants even if time remains. */
  maxIterations?: number;
}

/** What a fuzz run did. */
export interface FuzzReport {
  name: string;
  /** Mutants tried (seeds excluded). */
  iterations: number;
  /** Inputs that parsed. */
  parsed: number;
  /** Inputs rejected with a pointwise error. */
  rejected: number;
  /** Count of rejections by error class name. */
  errors: Record<string, number>;
  /** Slowest parse in ms. */
  slowestMs: number;
}

function saveFailure(name: string, bytes: Uint8Array): string {
  const dir = path.join(os.tmpdir(), `pointwise-fuzz-${os.userInfo().uid}`);
  fs.mkdirSync(dir, { recursive: true });
  const hash = crypto.createHash('sha1').update(bytes).digest('hex').slice(0, 12);
  const p = path.join(dir, `${name}-${hash}.bin`);
  fs.writeFileSync(p, bytes);
  return p;
}

/**
 * Checks one input against the harness rules; returns 'parsed' or the error class name, or
 * throws an Error describing the violation (with the saved input's path).
 */
export function checkInput(name: string, bytes: Uint8Array, parse: (bytes: Uint8Array) => unknown, label: string, options: FuzzOptions = {}): { outcome: string; ms: number } {
  const maxParseMs = options.maxParseMs ?? 1000;
  const limit = (options.maxExpansion ?? 8) * bytes.length + (options.slackBytes ?? 4096);
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  let outcome: string;
  let result: unknown;
  try {
    result = parse(bytes);
    outcome = 'parsed';
  } catch (e) {
    if (!isPointwiseError(e)) {
      const p = saveFailure(name, bytes);
      const err = e as Error;
      throw new Error(`fuzz ${name}: ${label}: threw a non-pointwise ${err?.name ?? typeof e}: ${err?.message ?? String(e)}\n  input saved to ${p}\n  ${String(err?.stack ?? '').split('\n').slice(1, 4).join('\n  ')}`);
    }
    outcome = (e as Error).name;
  }
  const ms = performance.now() - t0;
  const grown = process.memoryUsage().arrayBuffers - before;
  if (ms > maxParseMs) throw new Error(`fuzz ${name}: ${label}: parse took ${ms.toFixed(0)} ms (> ${maxParseMs}); input saved to ${saveFailure(name, bytes)}`);
  const size = resultBytes(result);
  if (size > limit) throw new Error(`fuzz ${name}: ${label}: result holds ${size} bytes for a ${bytes.length}-byte input (> ${limit}); input saved to ${saveFailure(name, bytes)}`);
  if (grown > limit + 64 * 1048576) throw new Error(`fuzz ${name}: ${label}: array-buffer memory grew by ${grown} bytes for a ${bytes.length}-byte input; input saved to ${saveFailure(name, bytes)}`);
  return { outcome, ms };
}

/**
 * Runs `parse` on every seed, then on seeded mutants of them for `budgetMs`, and throws on the
 * first input that crashes (non-pointwise error), is slow, or allocates beyond the input's size
 * (see the module notes). Returns counts for the test to report.
 */
export function fuzzTarget(name: string, seeds: Uint8Array[], parse: (bytes: Uint8Array) => unknown, budgetMs: number, options: FuzzOptions = {}): FuzzReport {
  if (seeds.length === 0) throw new Error(`fuzzTarget ${name}: at least one seed is required`);
  const report: FuzzReport = { name, iterations: 0, parsed: 0, rejected: 0, errors: {}, slowestMs: 0 };
  const tally = (outcome: string, ms: number) => {
    if (outcome === 'parsed') report.parsed++;
    else {
      report.rejected++;
      report.errors[outcome] = (report.errors[outcome] ?? 0) + 1;
    }
    report.slowestMs = Math.max(report.slowestMs, ms);
  };
  seeds.forEach((s, i) => {
    const r = checkInput(name, s, parse, `seed ${i}`, options);
    tally(r.outcome, r.ms);
  });
  const base = options.seed ?? 1;
  const maxIt = options.maxIterations ?? Infinity;
  const t0 = performance.now();
  for (let i = 0; i < maxIt && performance.now() - t0 < budgetMs; i++) {
    const rng = new Rng((base + i) | 0);
    const which = rng.int(0, seeds.length - 1);
    const { bytes, ops } = mutate(seeds[which], rng, options);
    const r = checkInput(name, bytes, parse, `seed ${base} iteration ${i} (seed file ${which}, edits ${ops.join('+')})`, options);
    tally(r.outcome, r.ms);
    report.iterations++;
  }
  return report;
}

/** Reproduces iteration `i` of a run (same rng stream as {@link fuzzTarget}). */
export function mutantAt(seeds: Uint8Array[], i: number, options: FuzzOptions = {}): Uint8Array {
  const rng = new Rng(((options.seed ?? 1) + i) | 0);
  const which = rng.int(0, seeds.length - 1);
  return mutate(seeds[which], rng, options).bytes;
}
