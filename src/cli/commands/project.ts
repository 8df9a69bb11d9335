/**
 * `pointwise project <cube.hdr> -k K [--target abund.npy] -o out.npy`: a learned 1×1 projection of
 * a hyperspectral cube to k channels — a linear autoencoder (reconstruction) by default, or a
 * mapping trained toward per-pixel targets such as abundances [k, pixels].
 * @module
 */
import type { Command } from 'commander';
import { io, spectral } from '../lazy.js';
import { action, fmt, out, parsePositiveInt, progress, UsageError } from '../common.js';
import { checkOutputPath, readCube } from '../files.js';

/** Registers `project`. */
export function registerProject(program: Command): void {
  program
    .command('project')
    .description('learn a 1×1 projection of a cube to k channels (autoencoder, or toward --target) and write the projected cube')
    .argument('<cube>', 'ENVI header (.hdr) or .npy [bands, pixels]')
    .requiredOption('-k, --components <K>', 'number of output channels')
    .option('--target <file.npy>', 'per-pixel targets [k, pixels] (e.g. abundances) to train toward')
    .requiredOption('-o, --output <file.npy>', 'the k projected channels [k, pixels]; with --target, the prediction [m, pixels]')
    .option('--epochs <n>', 'passes over the pixels', '60')
    .option('--seed <n>', 'random seed of the initial weights', '0')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise project samson.hdr -k 3 -o codes.npy                     # linear autoencoder
  $ pointwise project samson.hdr -k 3 --target abundances.npy -o pred.npy`,
    )
    .action(
      action('project', (cube: string, opts: { components: string; target?: string; output: string; epochs: string; seed: string }) => {
        const k = parsePositiveInt('-k', opts.components);
        const epochs = parsePositiveInt('--epochs', opts.epochs);
        const seed = Number(opts.seed);
        if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer; got ${JSON.stringify(opts.seed)}`);
        checkOutputPath(opts.output, ['npy']);
        const x = readCube(cube);
        const target = opts.target !== undefined ? io().readNpy(opts.target) : undefined;
        const bar = progress('training');
        let model: ReturnType<ReturnType<typeof spectral>['fitProjection']>;
        try {
          model = spectral().fitProjection(x, k, { target: target ?? 'reconstruct', epochs, seed });
        } finally {
          bar.stop();
        }
        const y = target ? model.predict(x) : model.transform(x);
        const loss = model.lossHistory.length > 0 ? model.lossHistory[model.lossHistory.length - 1] : NaN;
        let rmse = '';
        if (target && target.channels === y.channels && target.length === y.length) {
          let s = 0;
          for (let i = 0; i < y.data.length; i++) s += (y.data[i] - target.data[i]) ** 2;
          rmse = `, RMSE to the target ${fmt(Math.sqrt(s / y.data.length))}`;
        }
        io().writeNpy(opts.output, y);
        out(`learned projection ${x.channels} → ${k} bands (${target ? 'toward the target' : 'autoencoder'}) in ${fmt(model.fitSeconds)} s, final loss ${fmt(loss)}${rmse}; wrote [${y.channels}, ${y.length}] to ${opts.output}`);
      }),
    );
}
