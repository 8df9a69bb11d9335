/**
 * Assertions shared by the CLI tests (test/cli/*.test.ts).
 */
import { expect } from 'vitest';
import { cli, listFiles } from './run.js';

/**
 * Runs `pointwise ...args` and asserts a bad-input run: exit code 2, exactly one line on stderr that
 * starts with `pointwise <cmd>: ` and matches `re`, no stack trace, and `dir` unchanged (no output
 * file, not even a temp file).
 */
export function expectBadInput(dir: string, args: string[], re: RegExp, cmd: string): void {
  const before = listFiles(dir);
  const r = cli(args);
  expect(r.status, `${args.join(' ')}\nstderr: ${r.stderr}`).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0].startsWith(`pointwise ${cmd}: `), lines[0]).toBe(true);
  expect(lines[0]).toMatch(re);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(listFiles(dir)).toEqual(before);
}
