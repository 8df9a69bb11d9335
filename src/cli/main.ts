#!/usr/bin/env node
/**
 * The `pointwise` command-line tool: a thin front end over the library. Each command lives in its
 * own file under ./commands; this file only assembles them.
 *
 * Exit codes: 0 success, 2 bad input (one line `pointwise <cmd>: <message>` on stderr; the stack
 * only with --debug), 1 an unexpected failure.
 * @module
 */
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

if (require.main === module) {
  void main();
}
