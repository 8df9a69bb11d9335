/**
 * Shared test helpers: a seeded RNG that prints its seed on failure, tolerance checks that report
 * the worst index, reference-vector loading and the location of ../shared (real data).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { isPointwiseError } from '../../src/core/errors.js';

/** Root of the repository (tests run from it). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** ../shared beside the repository, or POINTWISE_SHARED if set. */
export const SHARED_DIR = process.env.POINTWISE_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');

const noted = new Set<string>();

/**
 * Path of a file under ../shared/data, or null (with a visible note, once per file) when absent.
 * Tests that need real data call this and skip with `it.skipIf(!p)`.
 */
export function sharedData(rel: string): string | null {
  const p = path.join(SHARED_DIR, 'data', rel);
  if (fs.existsSync(p)) return p;
  if (!noted.has(rel)) {
    noted.add(rel);
    console.log(`[pointwise tests] NOTE: real-data file ${p} is absent; the tests that need it are skipped.`);
  }
  return null;
}

/** Parsed JSON of ../shared/refs/<name>, or null (with a note) when absent. */
export function loadRef<T = any>(name: string): T | null {
  const p = path.join(SHARED_DIR, 'refs', name);
  if (!fs.existsSync(p)) {
    if (!noted.has(name)) {
      noted.add(name);
      console.log(`[pointwise tests] NOTE: reference file ${p} is absent; the tests that need it are skipped.`);
    }
    return null;
  }
  return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
}

/** The package's seeded generator, re-exported for tests (print `rng.seed` in failure labels). */
export { Rng } from '../../src/core/random.js';

/**
 * Asserts |actual[i] − expected[i]| ≤ atol + rtol·|expected[i]| everywhere; on failure the message
 * names the worst index, both values and `label` (put the RNG seed in it).
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, opts: { atol?: number; rtol?: number; label?: string } = {}): void {
  const { atol = 0, rtol = 0, label = '' } = opts;
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const err = Math.abs(a - e);
    const tol = atol + rtol * Math.abs(e);
    const excess = Number.isNaN(err) ? Infinity : err - tol;
    if (excess > worstExcess || (Number.isNaN(err) && worst < 0)) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    throw new Error(`${label}: mismatch at index ${worst}: actual ${actual[worst]}, expected ${expected[worst]} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Largest absolute value of an array. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Sum of absolute values. */
export function sumAbs(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
}

/** Flattens nested number arrays (reference JSON) into one Float64Array, row-major. */
export function flat(a: unknown): Float64Array {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else out.push(v as number);
  };
  walk(a);
  return Float64Array.from(out);
}

/** A fresh temporary folder for a test's files. */
export function tempDir(prefix = 'pointwise-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Calls `f`, which must throw, and asserts the error: an instance of `cls`, a pointwise error
 * (`isPointwiseError`), and a message matching `pattern` — a RegExp is matched with `toMatch`, a
 * string must equal the message exactly (not a substring). Returns the error for further checks.
 */
export function expectPointwiseError(f: () => unknown, cls: new (...a: never[]) => Error, pattern: RegExp | string, label?: string): Error {
  let err: unknown;
  let threw = false;
  try {
    f();
  } catch (e) {
    threw = true;
    err = e;
  }
  expect(threw, `${label ?? cls.name}: expected a throw`).toBe(true);
  expect(err, label).toBeInstanceOf(cls);
  expect(isPointwiseError(err), `${label ?? cls.name}: isPointwiseError`).toBe(true);
  const message = (err as Error).message;
  if (typeof pattern === 'string') expect(message, label).toBe(pattern);
  else expect(message, label).toMatch(pattern);
  return err as Error;
}

/**
 * Central differences (f(p + h·e_k) − f(p − h·e_k)) / 2h of the scalar `f` with respect to every
 * entry of `p`, which is perturbed in place and restored afterwards. O(p.length) calls of f, twice.
 */
export function centralDifference(p: Float64Array, f: () => number, h: number): Float64Array {
  const g = new Float64Array(p.length);
  for (let k = 0; k < p.length; k++) {
    const v = p[k];
    p[k] = v + h;
    const a = f();
    p[k] = v - h;
    const b = f();
    p[k] = v;
    g[k] = (a - b) / (2 * h);
  }
  return g;
}
