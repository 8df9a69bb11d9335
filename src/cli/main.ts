#!/usr/bin/env node
/**
 * The `pointwise` command-line tool: a thin front end over the library. Each command lives in its
 * own file under ./commands; this file only assembles them.
 *
 * Exit codes: 0 success, 2 bad input (one line `pointwise <cmd>: <message>` on stderr; the stack
 * only with --debug), 1 an unexpected failure.
 * @module
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT_BAD_INPUT } from './common.js';
import { registerInfo } from './commands/info.js';
import { registerConvolve } from './commands/convolve.js';
import { registerBeamform } from './commands/beamform.js';
import { registerLocalize } from './commands/localize.js';
import { registerPca } from './commands/pca.js';
import { registerProject } from './commands/project.js';
import { registerMix } from './commands/mix.js';
import { registerWorker } from './commands/worker.js';
import { registerMerge } from './cluster.js';

/** Builds the program (exported for tests that want to inspect the help without spawning). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('pointwise')
    .description('Fast convolution and 1×1 channel mixing on WAV, NPY and ENVI files: convolve, beamform, localise, reduce hyperspectral cubes, mix channels.')
    .version(readVersion(), '-V, --version')
    .option('--debug', 'print the stack trace of an error')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise info recording.wav
  $ pointwise convolve dry.wav room.wav -o wet.wav
  $ pointwise beamform array.wav --geometry geometry.json --direction 30 -o beam.wav
  $ pointwise localize array.wav --geometry geometry.json --far-field --peaks 2
  $ pointwise pca cube.hdr -k 3 -o scores.npy --plot ev.png
  $ pointwise mix in.wav --weights W.json -o out.wav

Exit status: 0 on success, 2 on bad input (one line on stderr), 1 on an unexpected failure.`,
    );
  const cmds = [registerInfo, registerConvolve, registerBeamform, registerLocalize, registerPca, registerProject, registerMix, registerMerge, registerWorker];
  for (const register of cmds) register(program);
  // Usage errors (unknown option, missing argument) exit 2 like other bad input.
  // Their messages take the same one-line form `pointwise <cmd>: <message>`.
  const oneLine = (name: string) => (str: string, write: (s: string) => void) => write(`pointwise${name ? ' ' + name : ''}: ${str.replace(/^error:\s*/, '')}`);
  program.exitOverride().configureOutput({ outputError: oneLine('') });
  for (const c of program.commands) c.exitOverride().configureOutput({ outputError: oneLine(c.name()) });
  return program;
}

function readVersion(): string {
  try {
    // dist/src/cli/main.js and src/cli/main.ts are both three levels below the package root.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../../../package.json') as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('../../package.json') as { version?: string }).version ?? '0.0.0';
    } catch {
      return '0.0.0';
    }
  }
}

/** Runs the CLI on `argv` (process.argv form); resolves when the command has finished. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its message for usage errors.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
      return;
    }
    throw err;
  }
}

/** Commands that write files: they run under {@link supervise}. */
const WRITING_COMMANDS = new Set(['convolve', 'beamform', 'localize', 'pca', 'project', 'mix']);
/** Set in the environment of the supervised child. */
const CHILD_ENV = 'POINTWISE_CLI_CHILD';

/**
 * Removes the temporary files (`.<name>.<pid>.<hex>.tmp`) that process `pid` left in the folders of
 * the paths named in `args`, in folders named in `args`, and in the working folder. Returns the
 * paths removed.
 */
export function removeTempsOf(pid: number, args: readonly string[]): string[] {
  const dirs = new Set<string>([process.cwd()]);
  for (const a of args) {
    const v = a.startsWith('-') && a.includes('=') ? a.slice(a.indexOf('=') + 1) : a;
    if (v.length === 0 || v.startsWith('-')) continue;
    dirs.add(path.dirname(path.resolve(v)));
    // `-o DIR` (several inputs): the outputs and their temporaries are inside the folder
    if (fs.existsSync(v) && fs.statSync(v).isDirectory()) dirs.add(path.resolve(v));
  }
  const re = new RegExp(`^\\..+\\.${pid}\\.[0-9a-f]+\\.tmp$`);
  const removed: string[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) {
      if (!re.test(n)) continue;
      try {
        fs.unlinkSync(path.join(d, n));
        removed.push(path.join(d, n));
      } catch {
        /* gone already */
      }
    }
  }
  return removed;
}

/**
 * Runs a writing command in a child process and waits for it. The commands are synchronous, so a
 * signal handler in the process doing the work would only run once the work is done; here the
 * child dies at once on SIGINT, SIGTERM or SIGHUP (forwarded to it), and this process removes the
 * temporary files the child left and exits with 128 + the signal number, as a shell expects.
 */
function supervise(argv: readonly string[]): void {
  const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], { stdio: 'inherit', env: { ...process.env, [CHILD_ENV]: '1' } });
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let received: NodeJS.Signals | null = null;
  for (const sig of signals) {
    process.on(sig, () => {
      received = received ?? sig;
      child.kill(sig);
    });
  }
  child.on('error', (err) => {
    process.stderr.write(`pointwise: could not start the command: ${err.message}\n`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    if (code !== 0) removeTempsOf(child.pid ?? -1, argv.slice(2));
    const sig = signal ?? received;
    if (sig !== null && code === null) process.exitCode = 128 + (os.constants.signals[sig] ?? 0);
    else process.exitCode = code ?? 1;
  });
}

if (require.main === module) {
  const sub = process.argv[2];
  if (process.env[CHILD_ENV] === undefined && sub !== undefined && WRITING_COMMANDS.has(sub) && !process.argv.includes('--help') && !process.argv.includes('-h')) supervise(process.argv);
  else void main();
}
