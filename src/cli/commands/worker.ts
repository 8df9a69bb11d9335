/**
 * `pointwise worker --redis URL --root DIR [--root DIR…] [--concurrency N]`: serves the cluster's
 * jobs (PCA tiles and merges, beamforming and convolving files) until SIGINT or SIGTERM, acting only
 * on paths under the given roots. `--concurrency N` runs N worker processes (the work is CPU-bound).
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Command } from 'commander';
import { action, parsePositiveInt, UsageError } from '../common.js';

/** Registers `worker`. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('serve cluster jobs from Redis (PCA tiles, beamforming, convolution) on paths under --root')
    .requiredOption('--redis <url>', 'Redis URL: redis://[:password@]host:port, or rediss://… for TLS')
    .option('--root <dir>', 'a folder the worker may read and write under (repeatable; required)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--concurrency <n>', 'worker processes to run (one per core)', '1')
    .option('--queue <name>', 'queue name (default pointwise)')
    .option('--lock-duration <ms>', "milliseconds before a silent worker's job is handed to another worker (must exceed one job's compute time)", '30000')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise worker --redis redis://:secret@10.0.0.5:6379 --root /data --concurrency $(nproc)
  $ pointwise worker --redis rediss://:secret@redis.example:6380 --root /data/cubes --root /data/audio

A job naming a path outside the roots (also through a symlink), an unknown job kind or a
malformed payload fails with a clear error and touches nothing.`,
    )
    .action(
      action('worker', async (opts: { redis: string; root?: string[]; concurrency: string; queue?: string; lockDuration: string }) => {
        if (!opts.root || opts.root.length === 0) throw new UsageError('give at least one --root DIR: the worker acts only on paths under its roots');
        const n = parsePositiveInt('--concurrency', opts.concurrency);
        const lockDuration = parsePositiveInt('--lock-duration', opts.lockDuration);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { startWorker, redactUrl } = require('../../cluster/index.js') as typeof import('../../cluster/index.js');
        const children: ChildProcess[] = [];
        if (n > 1) {
          const args = process.argv.slice(2).filter((a, i, all) => a !== '--concurrency' && all[i - 1] !== '--concurrency' && !a.startsWith('--concurrency='));
          for (let i = 1; i < n; i++) children.push(fork(process.argv[1], [...args, '--concurrency', '1'], { stdio: 'inherit' }));
        }
        const w = await startWorker({
          redis: opts.redis,
          roots: opts.root,
          queue: opts.queue,
          lockDuration,
          stalledInterval: Math.min(30000, lockDuration),
          onEvent: (line) => process.stderr.write(`pointwise worker ${process.pid}: ${line}\n`),
        });
        process.stdout.write(`pointwise worker ${process.pid}: ready on ${redactUrl(opts.redis)}, roots ${opts.root.join(', ')}\n`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        for (const c of children) c.kill('SIGTERM');
        await w.close();
      }),
    );
}
