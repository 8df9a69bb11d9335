/**
 * The package's error family. Every error thrown on purpose by pointwise is one of these, so callers
 * (and the fuzz tests) can tell "the input was bad" from "the library broke":
 *
 * | class          | extends     | when                                                        |
 * | -------------- | ----------- | ----------------------------------------------------------- |
 * | `ShapeError`   | RangeError  | sizes, channel counts or lengths that do not fit together   |
 * | `ValueError`   | RangeError  | a value out of its domain: NaN, negative, unknown option    |
 * | `ArgumentTypeError` | TypeError | an argument of the wrong kind (string where array expected) |
 * | `FormatError`  | Error       | a file or byte buffer that is corrupt or unsupported         |
 * | `FileError`    | Error       | the file system refused: missing file or folder, permissions |
 * | `NumericalError` | RangeError | a problem that is singular, inconsistent or ill-conditioned |
 *
 * Messages read `functionName: what must hold; got value` (see {@link fail}).
 * @module
 */

/** Marker shared by every pointwise error; test with {@link isPointwiseError}. */
const BRAND = Symbol.for('pointwise.error');

function brand(e: Error, name: string): void {
  Object.defineProperty(e, BRAND, { value: true });
  e.name = name;
}

/** Sizes, channel counts or lengths that do not fit together. */
export class ShapeError extends RangeError {
  constructor(message: string) {
    super(message);
    brand(this, 'ShapeError');
  }
}

/** A value outside its domain: NaN or Infinity where not allowed, a negative size, an unknown option. */
export class ValueError extends RangeError {
  constructor(message: string) {
    super(message);
    brand(this, 'ValueError');
  }
}

/** An argument of the wrong kind. */
export class ArgumentTypeError extends TypeError {
  constructor(message: string) {
    super(message);
    brand(this, 'ArgumentTypeError');
  }
}

/** A file or byte buffer that is corrupt, truncated or uses an unsupported encoding. */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    brand(this, 'FormatError');
  }
}

/** The file system refused an operation (missing file or folder, permissions). `code` is Node's errno code. */
export class FileError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
    brand(this, 'FileError');
  }
}

/** A numerical problem that has no (stable) answer: singular or inconsistent systems, ill-conditioning. */
export class NumericalError extends RangeError {
  constructor(message: string) {
    super(message);
    brand(this, 'NumericalError');
  }
}

/** True when `e` was thrown on purpose by pointwise (any class of the family above). */
export function isPointwiseError(e: unknown): e is Error {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * A short, readable description of a value for error messages: numbers as written, arrays by kind
 * and length, strings quoted, objects by constructor name.
 */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) {
    const len = (v as unknown as { length?: number }).length ?? v.byteLength;
    return `a ${v.constructor.name} of length ${len}`;
  }
  const name = (v as object).constructor?.name;
  if (name === 'Multichannel') {
    const m = v as { channels: number; length: number };
    return `a Multichannel [${m.channels}, ${m.length}]`;
  }
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/**
 * Builds a message in the house form `fn: what must hold; got value`. `got` is described with
 * {@link describeValue} unless it is already a string meant verbatim (pass `{ verbatim: '…' }`).
 */
export function message(fn: string, mustHold: string, got: unknown): string {
  const g = typeof got === 'object' && got !== null && 'verbatim' in got ? String((got as { verbatim: unknown }).verbatim) : describeValue(got);
  return `${fn}: ${mustHold}; got ${g}`;
}
