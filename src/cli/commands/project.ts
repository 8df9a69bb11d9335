/**
 * `pointwise project <cube> -k K [--target abund.npy|.mat] -o out.npy`: a learned 1×1 projection of
 * a hyperspectral cube (ENVI, NPY or MATLAB .mat) to k channels — a linear autoencoder
 * (reconstruction) by default, or a mapping through k channels trained toward per-pixel targets
 * such as abundances [m, pixels].
 * @module
 */
import type { Command } from 'commander';
import { io, spectral } from '../lazy.js';
import { action, checkOutputs, fmt, out, parsePositiveInt, parseShape, progress, UsageError } from '../common.js';
import { addInputOptions, cubeOptionsHelp, inputFormatsHelp, parseInputOptions, readInput, readTarget } from '../files.js';
import { applyProjectionModel } from '../cluster.js';

/** Registers `project`. */
export function registerProject(program: Command): void {
  const cmd = program
    .command('project')
    .description('learn a 1×1 projection of a cube to k channels (autoencoder, or toward --target) and write the projected cube')
    .argument('<cube>', 'ENVI header (.hdr), .npy [bands, pixels], MATLAB .mat, HDF5/NetCDF-4, GeoTIFF or a .zarr folder')
    .option('-k, --components <K>', 'number of channels of the projection (the bottleneck)')
    .option('--model <model.npz>', 'apply a saved projection model (saveModel) instead of training one')
    .option('--target <file>', 'per-pixel targets to train toward: .npy [m, pixels] or [m, rows, cols] (m any count, e.g. 3 abundances), or a .mat holding them')
    .option('--target-var <name>', '.mat target: the variable (default: the one 3-D [rows, cols, m] array with the cube\u2019s pixel count)')
    .requiredOption('-o, --output <file.npy>', 'the k projected channels [k, pixels]; with --target, the prediction [m, pixels]')
    .option('--epochs <n>', 'passes over the pixels', '60')
    .option('--seed <n>', 'random seed of the initial weights', '0')
    .option('--var <name>', '.mat cube: the variable holding the cube (default: the largest array)')
    .option('--shape <rows,cols>', 'the image grid of a [bands, pixels] cube (.mat: when the file does not give it)')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise project samson.hdr -k 3 -o codes.npy                     # linear autoencoder
  $ pointwise project samson.hdr -k 3 --target abundances.npy -o pred.npy
  $ pointwise project Samson.mat -k 3 --target Samson.mat -o pred.npy  # Y toward S_GT
  $ pointwise project --model projection.npz cube.hdr -o codes.npy      # a saved model applied

The target has one row per predicted quantity and one column per pixel of the cube,
[m, pixels] (or [m, rows, cols]); m need not equal k: the projection maps the bands
through k channels to m outputs, and -o then holds the prediction [m, pixels].
${cubeOptionsHelp}${inputFormatsHelp('cube')}`,
    );
  addInputOptions(cmd, 'cube').action(
      action('project', async (cube: string, opts: { model?: string; components?: string; target?: string; targetVar?: string; output: string; epochs: string; seed: string; var?: string; shape?: string; dataset?: string; channelsAxis?: string }) => {
        if (opts.model !== undefined) {
          checkOutputs([{ option: '-o', path: opts.output, extensions: ['npy'] }]);
          const xm = await readInput(cube, 'cube', { ...parseInputOptions(opts), variable: opts.var, shape: opts.shape === undefined ? undefined : parseShape('--shape', opts.shape) }, 'the cube');
          const ym = applyProjectionModel(opts.model, xm);
          io().writeNpy(opts.output, ym);
          out(`applied the projection model ${opts.model} to [${xm.channels}, ${xm.length}]; wrote [${ym.channels}, ${ym.length}] to ${opts.output}`);
          return;
        }
        if (opts.components === undefined) throw new UsageError('give -k K (or --model model.npz to apply a saved projection)');
        const k = parsePositiveInt('-k', opts.components);
        const epochs = parsePositiveInt('--epochs', opts.epochs);
        const seed = Number(opts.seed);
        if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer; got ${JSON.stringify(opts.seed)}`);
        checkOutputs([{ option: '-o', path: opts.output, extensions: ['npy'] }]);
        if (opts.targetVar !== undefined && opts.target === undefined) throw new UsageError('--target-var applies to --target; give --target <file> too');
        const x = await readInput(cube, 'cube', { ...parseInputOptions(opts), variable: opts.var, shape: opts.shape === undefined ? undefined : parseShape('--shape', opts.shape) }, 'the cube');
        const target = opts.target !== undefined ? readTarget(opts.target, x.length, opts.targetVar) : undefined;
        if (target && target.length !== x.length) {
          throw new UsageError(`--target must be [m, pixels] with the cube's ${x.length} pixels (one column per pixel); got [${target.channels}, ${target.length}]`);
        }
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
