/**
 * Finding the tslab kernel's display from inside the package, and nothing else: this file depends
 * on no other module, so that plot/ and notebook/ can both use it.
 *
 * How: tslab's executor stores `{ exports, require }` in `globalThis.__tslab__` before it runs a
 * cell, and that `require('tslab')` returns the kernel's own tslab module, whose `display` writes
 * to the cell being executed. A plain `require('tslab')` from this package would not do: it resolves
 * from the package's folder (maybe a different copy of tslab, or none), and a copy that is not the
 * kernel's throws "Not ready". Outside a kernel (Node, the REPL, vitest) `__tslab__` is absent and
 * every function here reports that nothing was displayed.
 * @module
 */

/** The part of tslab's `display` that pointwise uses (tslab ≥ 1.0). */
export interface TslabDisplay {
  svg(s: string): void;
  html(s: string): void;
}

interface TslabGlobal {
  require?: (id: string) => unknown;
}

/**
 * The running tslab kernel's `display`, or undefined outside a tslab kernel.
 * @example if (notebookDisplay()) console.log('in a notebook');
 */
export function notebookDisplay(): TslabDisplay | undefined {
  const g = (globalThis as { __tslab__?: TslabGlobal }).__tslab__;
  if (typeof g !== 'object' || g === null || typeof g.require !== 'function') return undefined;
  let mod: unknown;
  try {
    mod = g.require('tslab');
  } catch {
    return undefined;
  }
  const display = (mod as { display?: Partial<TslabDisplay> } | null)?.display;
  if (typeof display?.svg !== 'function' || typeof display.html !== 'function') return undefined;
  return display as TslabDisplay;
}

/**
 * Shows `content` as rich output of the running notebook cell (`'svg'` → `image/svg+xml`,
 * `'html'` → `text/html`). Returns true when it was displayed, false outside a tslab kernel or when
 * the kernel is not executing a cell (tslab then refuses with "Not ready").
 * @example displayInNotebook('html', '<b>done</b>');
 */
export function displayInNotebook(kind: 'svg' | 'html', content: string): boolean {
  const display = notebookDisplay();
  if (display === undefined) return false;
  try {
    if (kind === 'svg') display.svg(content);
    else display.html(content);
    return true;
  } catch {
    return false;
  }
}
