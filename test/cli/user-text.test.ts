/**
 * Text users read — the demo report, examples, CLI help and the TSDoc of src/ (which typedoc
 * publishes) — speaks about the package, not the project's internal bookkeeping: no "issue N" or
 * "§N" references to the tracker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/index.js';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|mts|ipynb)$/.test(e.name)) out.push(p);
  }
  return out;
}

const INTERNAL = /\bissues? *#? *\d+|§ *\d+/i;

describe('user-visible text has no internal tracker references', () => {
  for (const top of ['src', 'examples', 'notebooks']) {
    it(`${top}/ mentions no "issue N"`, () => {
      const root = path.join(REPO_ROOT, top);
      if (!fs.existsSync(root)) return;
      const hits: string[] = [];
      for (const file of sources(root)) {
        fs.readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (INTERNAL.test(line)) hits.push(`${path.relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`);
          });
      }
      expect(hits).toEqual([]);
    });
  }
});
