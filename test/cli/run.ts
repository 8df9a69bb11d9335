/**
 * Runs the `pointwise` CLI as a user would. By default the BUILT bin (`node dist/src/cli/main.js`),
 * rebuilt once with `npx tsc -p tsconfig.json` when dist is missing or older than any source file;
 * set POINTWISE_CLI_TSX=1 to spawn `npx tsx src/cli/main.ts` instead (no build).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/index.js';

export const BIN = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const USE_TSX = process.env.POINTWISE_CLI_TSX === '1';

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Makes sure dist/src/cli/main.js exists and is newer than every file under src/. tsc emits even
 * when another module is mid-edit and has type errors, so the exit code is not what decides; the
 * presence and freshness of the bin is.
 */
export function ensureBuilt(): void {
  if (USE_TSX) return;
  const stale = !fs.existsSync(BIN) || fs.statSync(BIN).mtimeMs < newestSource(path.join(REPO_ROOT, 'src'));
  if (!stale) return;
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (!fs.existsSync(BIN)) throw new Error(`building the CLI failed:\n${r.stdout}\n${r.stderr}`);
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pointwise ...args` in `cwd` (stdout not a TTY, so no progress bars). */
export function cli(args: readonly string[], cwd = REPO_ROOT): CliResult {
  const cmd = USE_TSX ? 'npx' : process.execPath;
  const argv = USE_TSX ? ['tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args] : [BIN, ...args];
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Files in `dir` (to assert that a failed command left nothing behind, not even a temp file). */
export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}
