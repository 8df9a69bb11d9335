/**
 * `.mat` summaries for `info`: the variables of a MATLAB level-5 file with their shapes and classes,
 * read by the io module's `readMat`.
 * @module
 */
import { io } from './lazy.js';

/** One variable of a .mat file. */
export interface MatVariable {
  name: string;
  shape: number[];
  dtype: string;
}

/** Lists the variables of a MATLAB v5 file (numeric, logical and char arrays; others as skipped). */
export function readMatVariables(file: string): MatVariable[] {
  const m = io().readMat(file, { complex: 'split' });
  const vars: MatVariable[] = Object.values(m.arrays).map((a) => ({ name: a.name, shape: [...a.dims], dtype: a.complex ? `complex ${a.class}` : a.class }));
  for (const s of m.skipped) vars.push({ name: s.name, shape: [], dtype: `${s.class} (not read)` });
  return vars;
}
