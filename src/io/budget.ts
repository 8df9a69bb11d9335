/**
 * Memory budgets for the readers: a size read from a file or an argument is a claim, so the bytes
 * a read would allocate are compared with a stated budget before anything is allocated, and an
 * output beyond it is a {@link ShapeError} naming the size, the budget and the option that raises it.
 * @module
 */
import { ShapeError, ValueError, message } from '../core/errors.js';

/** Default budget of one reader's result (and of a MAT-file's inflated bytes): 2 GiB. */
export const DEFAULT_MAX_BYTES = 2 ** 31;

/**
 * The budget in `options[option]`, or {@link DEFAULT_MAX_BYTES} when absent.
 * @throws ValueError when it is not a positive integer.
 */
export function budgetOption(fn: string, option: string, value: unknown, def = DEFAULT_MAX_BYTES): number {
  if (value === undefined) return def;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new ValueError(message(fn, `options.${option} must be a positive integer (bytes)`, value));
  return value;
}

/**
 * Throws unless `bytes` ≤ `budget`. `what` describes the allocation (`'the result (3 bands × 100 × 100
 * samples × 8 bytes)'`), `option` the option that raises the budget.
 * @throws ShapeError `fn: what must fit in options.option = budget bytes (raise it to read this); got bytes`.
 * @example checkBudget('readEnvi', 'the result', 8 * n, budget, 'maxBytes')
 */
export function checkBudget(fn: string, what: string, bytes: number, budget: number, option: string): void {
  if (!(bytes <= budget)) {
    throw new ShapeError(message(fn, `${what} must fit in options.${option} = ${budget} bytes (raise options.${option} to allow more)`, { verbatim: `${bytes} bytes` }));
  }
}
