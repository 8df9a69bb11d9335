/**
 * Shared test helpers: a seeded RNG that prints its seed on failure, tolerance checks that report
 * the worst index, reference-vector loading (test/fixtures/refs, and ../shared/refs when present) and
 * the location of ../shared (real data).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { isPointwiseError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';

/** Root of the repository (tests run from it). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The shared folder (the one holding data/ and refs/): POINTWISE_SHARED when set, else ../shared beside
 * the repository. Tests on real recordings read its data/ and skip visibly without it; the reference
 * vectors in its refs/ are a second check beside the repository's own test/fixtures/refs.
 */
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

/**
 * Folder of the repository's own reference vectors: JSON files made by scripts/fixtures/make_*.py
 * (scipy, numpy, scikit-learn; seeded) in the layout of ../shared/refs, committed with the tests.
 */
export const FIXTURE_REFS_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'refs');

/** Parsed JSON of test/fixtures/refs/<name>; throws when the file is missing (it is part of the repo). */
export function loadFixture<T = any>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_REFS_DIR, name), 'utf8')) as T;
}

/** One source of a reference file: where it came from (for test titles) and its parsed JSON. */
export interface RefSource<T> {
  label: string;
  ref: T;
}

/**
 * Every source of the reference file `name`: the repository's fixture (always) and then
 * ../shared/refs/<name> as a second, independent check when it is present (a note is printed once
 * when it is absent). Tests loop over the result, so they never depend on ../shared.
 */
export function refSources<T = any>(name: string): RefSource<T>[] {
  const out: RefSource<T>[] = [{ label: 'test/fixtures/refs', ref: loadFixture<T>(name) }];
  const shared = loadRef<T>(name);
  if (shared) out.push({ label: 'shared/refs', ref: shared });
  return out;
}

/** Parsed JSON of ../shared/refs/<name>, or null (with a note, once) when absent. Tests use `refSources`. */
export function loadRef<T = any>(name: string): T | null {
  const p = path.join(SHARED_DIR, 'refs', name);
  if (!fs.existsSync(p)) {
    if (!noted.has(name)) {
      noted.add(name);
      console.log(`[pointwise tests] NOTE: reference file ${p} is absent; its tests run on test/fixtures/refs/${name} only.`);
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

/** A fresh temporary folder for a test's files, removed once the test file has run. */
export function tempDir(prefix = 'pointwise-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/** Folders made by {@link tempDir} in this test file, removed after it (test/helpers/setup.ts). */
const madeDirs: string[] = [];

/** Removes the folders {@link tempDir} made (called after each test file by test/helpers/setup.ts). */
export function removeTempDirs(): void {
  for (const d of madeDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
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

/** The pieces of a stream (same channel count) joined along time, as float64. */
export function concatInTime(parts: readonly Multichannel[]): Multichannel {
  const C = parts[0].channels;
  const L = parts.reduce((a, p) => a + p.length, 0);
  const out = new Float64Array(C * L);
  let o = 0;
  for (const p of parts) {
    for (let c = 0; c < C; c++) out.set(p.channel(c), c * L + o);
    o += p.length;
  }
  return new Multichannel(out, C, L);
}
