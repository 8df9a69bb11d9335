/**
 * Validation helpers for public boundaries. Each throws a pointwise error whose message names the
 * function, what must hold and what was given. Internal kernels never call these: validate once at
 * the public boundary, then trust.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from './errors.js';

/** A real-valued typed array as used for samples. */
export type SampleArray = Float64Array | Float32Array;

/** Throws a `ValueError` unless `v` is a finite number. */
export function assertFinite(fn: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') throw new ArgumentTypeError(message(fn, `${name} must be a number`, v));
  if (!Number.isFinite(v)) throw new ValueError(message(fn, `${name} must be finite`, v));
}

/** Throws unless `v` is a finite number > 0 (or ≥ 0 with `allowZero`). */
export function assertPositive(fn: string, name: string, v: unknown, allowZero = false): asserts v is number {
  assertFinite(fn, name, v);
  if (allowZero ? v < 0 : v <= 0) throw new ValueError(message(fn, `${name} must be ${allowZero ? '≥ 0' : '> 0'}`, v));
}

/** Throws unless `v` is an integer in [min, max]. */
export function assertInteger(fn: string, name: string, v: unknown, min = -Infinity, max = Infinity): asserts v is number {
  if (typeof v !== 'number') throw new ArgumentTypeError(message(fn, `${name} must be an integer`, v));
  if (!Number.isInteger(v)) throw new ValueError(message(fn, `${name} must be an integer`, v));
  if (v < min || v > max) {
    const range = max === Infinity ? `≥ ${min}` : min === -Infinity ? `≤ ${max}` : `in [${min}, ${max}]`;
    throw new ValueError(message(fn, `${name} must be an integer ${range}`, v));
  }
}

/** Throws unless `v` is one of `options`; returns it typed as the union. */
export function assertOneOf<T extends string>(fn: string, name: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new ValueError(message(fn, `${name} must be one of ${options.map((o) => `'${o}'`).join(', ')}`, v));
  }
  return v as T;
}

/** Index of the first non-finite value in `a`, or -1. */
export function firstNonFinite(a: ArrayLike<number>): number {
  if (allFinite(a)) return -1;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!(v - v === 0)) return i; // NaN - NaN and ±Inf - ±Inf are NaN
  }
  return -1;
}

/**
 * True when every value of `a` is finite: `v·0` is 0 for finite v and NaN for NaN and ±Inf, so the
 * four running sums (independent, and free of branches) stay 0 exactly when all values are finite.
 */
function allFinite(a: ArrayLike<number>): boolean {
  const n = a.length, n4 = n - (n % 4);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i < n4; i += 4) {
    s0 += a[i] * 0;
    s1 += a[i + 1] * 0;
    s2 += a[i + 2] * 0;
    s3 += a[i + 3] * 0;
  }
  for (; i < n; i++) s0 += a[i] * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/** Throws a `ValueError` naming the first index holding NaN or ±Infinity. */
export function assertAllFinite(fn: string, name: string, a: ArrayLike<number>): void {
  const i = firstNonFinite(a);
  if (i >= 0) throw new ValueError(message(fn, `${name} must hold only finite values`, { verbatim: `${a[i]} at index ${i}` }));
}

/** True for `number[]`, Float64Array and Float32Array. */
export function isNumericArray(v: unknown): v is ArrayLike<number> {
  return v instanceof Float64Array || v instanceof Float32Array || (Array.isArray(v) && v.every((e) => typeof e === 'number'));
}

/** Throws unless `v` is a non-empty array-like of numbers; returns it. */
export function assertNumericArray(fn: string, name: string, v: unknown, allowEmpty = false): ArrayLike<number> {
  if (!isNumericArray(v)) throw new ArgumentTypeError(message(fn, `${name} must be a number[], Float64Array or Float32Array`, v));
  if (!allowEmpty && v.length === 0) throw new ShapeError(message(fn, `${name} must not be empty`, v));
  return v;
}
