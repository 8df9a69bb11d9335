/**
 * What every `pointwise` command shares: turning errors into one line and an exit code, progress
 * bars that only appear on a terminal, and parsers for the small option grammars (number lists,
 * grids, JSON files). The CLI is thin: it parses, calls the library, prints.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { isPointwiseError } from '../core/errors.js';

/** Exit code for bad input (a pointwise error or a usage error). */
export const EXIT_BAD_INPUT = 2;
/** Exit code for an unexpected failure (a bug): the message says to rerun with --debug. */
export const EXIT_INTERNAL = 1;

/** A usage error raised by the CLI itself (bad option value); reported like a library error. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** True when `--debug` was given anywhere on the command line. */
export function debugRequested(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--debug');
}

/**
 * Prints `pointwise <cmd>: <message>` on stderr (the stack too with --debug) and returns the exit
 * code: 2 for bad input (pointwise errors, usage errors, file-system refusals), 1 otherwise.
 */
export function reportError(cmd: string, err: unknown, debug = debugRequested()): number {
  const e = err instanceof Error ? err : new Error(String(err));
  const fsCode = (e as NodeJS.ErrnoException).code;
  const badInput = isPointwiseError(err) || err instanceof UsageError || (typeof fsCode === 'string' && /^E[A-Z]+$/.test(fsCode));
  const firstLine = (e.message || e.name).split('\n')[0];
  const hint = badInput || debug ? '' : ' (unexpected; rerun with --debug for the stack)';
  process.stderr.write(`pointwise ${cmd}: ${firstLine}${hint}\n`);
  if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
  return badInput ? EXIT_BAD_INPUT : EXIT_INTERNAL;
}

/**
 * Wraps a command's action: runs it, and on error reports one line and sets the exit code (the
 * process then ends naturally, so atomic writers have already cleaned up in their `finally`s).
 */
export function action<A extends unknown[]>(cmd: string, run: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (err) {
      process.exitCode = reportError(cmd, err);
    }
  };
}

/** A progress reporter: a cli-progress bar on a terminal, nothing otherwise. */
export interface Progress {
  /** Sets the fraction done (0…1) or the count done (when a total was given). */
  update(value: number): void;
  /** Removes the bar. Safe to call twice. */
  stop(): void;
}

/** True when progress bars should be drawn (stdout and stderr are terminals, not under test). */
export function progressEnabled(): boolean {
  return Boolean(process.stdout.isTTY && process.stderr.isTTY) && process.env.POINTWISE_NO_PROGRESS !== '1';
}

/** A progress bar labelled `label` counting to `total` (default 1, for fractions), or a no-op. */
export function progress(label: string, total = 1): Progress {
  if (!progressEnabled()) return { update: () => undefined, stop: () => undefined };
  const scale = total === 1 ? 100 : 1;
  const bar = new SingleBar(
    { format: `${label.padEnd(12)} [{bar}] {percentage}% | ETA {eta_formatted}`, clearOnComplete: true, hideCursor: true, stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(Math.max(1, Math.round(total * scale)), 0);
  let stopped = false;
  return {
    update: (v: number) => {
      if (!stopped) bar.update(Math.round(v * scale));
    },
    stop: () => {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}

/** Parses `"1,2,3"` into numbers; every item must be finite. */
export function parseNumberList(name: string, text: string, count?: { min: number; max: number }): number[] {
  const parts = String(text).split(',').map((s) => s.trim());
  const values = parts.map(Number);
  if (parts.some((s) => s === '') || values.some((v) => !Number.isFinite(v))) {
    throw new UsageError(`${name} must be comma-separated numbers; got ${JSON.stringify(text)}`);
  }
  if (count && (values.length < count.min || values.length > count.max)) {
    const want = count.min === count.max ? `${count.min}` : `${count.min} to ${count.max}`;
    throw new UsageError(`${name} must have ${want} numbers; got ${values.length} in ${JSON.stringify(text)}`);
  }
  return values;
}

/** Parses a positive integer option such as `-k 3`. */
export function parsePositiveInt(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`${name} must be a positive integer; got ${JSON.stringify(text)}`);
  return v;
}

/**
 * Parses a number of components: a positive integer, or a fraction in (0, 1) of the variance to
 * keep (scikit-learn's `n_components=0.99`).
 */
export function parseComponents(name: string, text: string): number {
  const v = Number(text);
  if (!((Number.isInteger(v) && v >= 1) || (v > 0 && v < 1))) {
    throw new UsageError(`${name} must be a positive integer, or a fraction in (0, 1) of the variance to keep; got ${JSON.stringify(text)}`);
  }
  return v;
}

/** Parses `--shape ROWS,COLS` (two positive integers) into `[rows, cols]`. */
export function parseShape(name: string, text: string): [number, number] {
  const parts = String(text).split(/[,x×]/).map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new UsageError(`${name} must be two positive integers ROWS,COLS; got ${JSON.stringify(text)}`);
  }
  return [parts[0], parts[1]];
}

/** One axis of a grid: `min:max:step` (inclusive of max up to rounding). */
export interface GridAxis {
  min: number;
  max: number;
  step: number;
}

/** Parses `xmin:xmax:step,ymin:ymax:step[,zmin:zmax:step]`. */
export function parseGrid(text: string): GridAxis[] {
  const axes = String(text).split(',').map((a) => a.trim());
  if (axes.length < 2 || axes.length > 3) throw new UsageError(`--grid must be 2 or 3 axes min:max:step separated by commas; got ${JSON.stringify(text)}`);
  return axes.map((a, i) => {
    const p = a.split(':').map(Number);
    if (p.length !== 3 || p.some((v) => !Number.isFinite(v)) || !(p[2] > 0) || p[1] < p[0]) {
      throw new UsageError(`--grid axis ${i + 1} must be min:max:step with max ≥ min and step > 0; got ${JSON.stringify(a)}`);
    }
    return { min: p[0], max: p[1], step: p[2] };
  });
}

/** Reads and parses a JSON file; a missing file or bad JSON is a usage error naming the option. */
export function readJsonFile(option: string, filePath: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${option} file ${JSON.stringify(filePath)} must exist and be readable (${code === 'ENOENT' ? 'it does not exist' : code ?? String(err)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${option} file ${JSON.stringify(filePath)} must be valid JSON (${(err as Error).message})`);
  }
}

/** Lower-case extension without the dot (`'wav'`, `'npy'`, `'hdr'`, `'mat'`). */
export function extensionOf(filePath: string): string {
  const m = /\.([^./\\]+)$/.exec(filePath);
  return m ? m[1].toLowerCase() : '';
}

/** One output file a command will write: the option that names it, the path, the extensions allowed. */
export interface OutputSpec {
  /** The option as the user typed it (`-o`, `--plot`). */
  option: string;
  /** The path given, or undefined when the option was not given (then it is skipped). */
  path: string | undefined;
  /** Allowed extensions without the dot (`['npy']`, `['wav', 'npy']`). */
  extensions: readonly string[];
}

/**
 * Checks every output of a command before it reads its inputs or writes anything, so that a bad
 * second output never leaves the first one written: each path has an allowed extension, is not a
 * directory, lies in an existing directory this process may write to, and no two outputs are the
 * same file. Returns the extension of each output (in order; '' for a skipped one).
 * @throws UsageError naming the option, the path and what must hold.
 */
export function checkOutputs(outputs: readonly OutputSpec[]): string[] {
  const seen = new Map<string, string>();
  return outputs.map(({ option, path: file, extensions }) => {
    if (file === undefined) return '';
    const ext = extensionOf(file);
    if (!extensions.includes(ext)) throw new UsageError(`${option} must end in ${extensions.map((a) => '.' + a).join(' or ')}; got ${JSON.stringify(file)}`);
    const full = path.resolve(file);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(full);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) throw new UsageError(`${option} must name a file, not a directory; got ${JSON.stringify(file)}`);
    const dir = path.dirname(full);
    let dirStat: fs.Stats | undefined;
    try {
      dirStat = fs.statSync(dir);
    } catch {
      dirStat = undefined;
    }
    if (!dirStat) throw new UsageError(`${option} must be in an existing directory; ${JSON.stringify(path.dirname(file))} does not exist (for ${JSON.stringify(file)})`);
    if (!dirStat.isDirectory()) throw new UsageError(`${option} must be in a directory; ${JSON.stringify(path.dirname(file))} is not one (for ${JSON.stringify(file)})`);
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      throw new UsageError(`${option} must be in a directory this user can write to; ${JSON.stringify(path.dirname(file))} is not writable (for ${JSON.stringify(file)})`);
    }
    const other = seen.get(full);
    if (other !== undefined) throw new UsageError(`${option} and ${other} must be different files; both are ${JSON.stringify(file)}`);
    seen.set(full, option);
    return ext;
  });
}

/** Formats a number for terminal output: 4 significant digits, no exponent for ordinary sizes. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** Writes a line to stdout. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}
