/**
 * `pointwise pca <cube> -k K [-o out.npy] [--plot ev.png [--log]]`: principal components of a
 * hyperspectral cube (ENVI, NPY or MATLAB .mat; bands as channels, pixels as samples); prints the
 * explained variance, writes the k component scores per pixel as NPY [k, pixels] and the
 * explained-variance curve as PNG (bars, or points on a log axis with --log).
 * @module
 */
import type { Command } from 'commander';
import { io, plot, spectral } from '../lazy.js';
import { action, checkOutputs, fmt, out, parseComponents, parseShape, progress, UsageError } from '../common.js';
import { addInputOptions, cubeOptionsHelp, inputFormatsHelp, parseInputOptions, readInput } from '../files.js';
import { addClusterOptions, pcaModesHelp, runPcaModes, type PcaModeOptions } from '../cluster.js';

/** Registers `pca`. */
export function registerPca(program: Command): void {
  const cmd = program
    .command('pca')
    .description('principal component analysis of a hyperspectral cube: explained variance, component scores, a variance plot')
    .argument('<cube...>', 'ENVI header (.hdr), .npy [bands, pixels], MATLAB .mat, HDF5/NetCDF-4, GeoTIFF or a .zarr folder (several: one model over all their pixels, with --save)')
    .option('-k, --components <K>', 'number of components to keep, or the fraction of the variance to keep (0.99)')
    .option('--save <model.npz>', 'fit from streamed statistics and save the model (several cubes: one model)')
    .option('--partial <part.npz>', 'write the partial statistics instead of a model (merge them with `pointwise merge`)')
    .option('--model <model.npz>', 'apply a saved PCA model to the cube (with -o)')
    .option('--lines <start:end>', 'only lines [start, end) of an ENVI cube (reads only those bytes)')
    .option('--tile-lines <n>', 'with --redis: lines per tile (default 64)')
    .option('-o, --output <file.npy>', 'write the scores [k, pixels] (with the cube\u2019s [rows, cols] grid)')
    .option('--plot <file.png>', 'write the explained-variance curve as a PNG')
    .option('--log', 'plot the explained variance on a log axis (shows the small components)')
    .option('--whiten', 'scale the scores to unit variance')
    .option('--var <name>', '.mat: the variable holding the cube (default: the largest array)')
    .option('--shape <rows,cols>', 'the image grid of a [bands, pixels] cube (.mat: when the file does not give it)')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise pca samson.hdr -k 3
  $ pointwise pca samson.hdr -k 0.99                      # as many as explain 99 % of the variance
  $ pointwise pca samson.hdr -k 10 -o scores.npy --plot ev.png --log
  $ pointwise pca Samson.mat -k 3 -o scores.npy          # Y [bands, pixels], grid from the file
  $ pointwise pca scene.nc --dataset /radiance -k 3       # NetCDF-4 [bands, rows, cols]
  $ pointwise pca scene.tif -k 3 -o scores.npy            # multiband GeoTIFF

Pixels holding NaN or the header's "data ignore value" are left out of the fit and come
back as NaN; bands flagged 0 in "bbl" are excluded.
${cubeOptionsHelp}${inputFormatsHelp('cube')}${pcaModesHelp}`,
    );
  addInputOptions(addClusterOptions(cmd), 'cube').action(
      action('pca', async (cubes: string[], opts: PcaModeOptions & { components: string; output?: string; plot?: string; log?: boolean; whiten?: boolean; var?: string; shape?: string; dataset?: string; channelsAxis?: string }) => {
        if (await runPcaModes(cubes, opts)) return;
        const cube = cubes[0];
        if (opts.components === undefined) throw new UsageError('give -k K, the number of components (or --model model.npz to apply a saved model)');
        const kAsked = parseComponents('-k', opts.components);
        if (opts.log && opts.plot === undefined) throw new UsageError('--log applies to --plot; give --plot <file.png> too');
        checkOutputs([
          { option: '-o', path: opts.output, extensions: ['npy'] },
          { option: '--plot', path: opts.plot, extensions: ['png'] },
        ]);
        const x = await readInput(cube, 'cube', { ...parseInputOptions(opts), variable: opts.var, shape: opts.shape === undefined ? undefined : parseShape('--shape', opts.shape) }, 'the cube');
        const bar = progress('fitting PCA');
        let model: ReturnType<ReturnType<typeof spectral>['pca']>;
        try {
          model = spectral().pca(x, kAsked, { whiten: Boolean(opts.whiten) });
        } finally {
          bar.stop();
        }
        const ratio = model.explainedVarianceRatio;
        if (ratio[0] === 0) process.stderr.write('pointwise pca: warning: the cube has no variance (every valid pixel is the same spectrum); explained variance and ratios are 0\n');
        let cum = 0;
        const k = model.k;
        out(`PCA of ${x.channels} bands × ${x.length} pixels, k = ${k}${kAsked < 1 ? ` (the fewest components explaining more than ${kAsked} of the variance)` : ''}`);
        out(`${'component'.padEnd(11)}${'variance'.padStart(12)}${'ratio'.padStart(10)}${'cumulative'.padStart(12)}`);
        for (let i = 0; i < k; i++) {
          cum += ratio[i];
          out(`${String(i + 1).padEnd(11)}${fmt(model.explainedVariance[i]).padStart(12)}${fmt(ratio[i]).padStart(10)}${fmt(cum).padStart(12)}`);
        }
        if (opts.output !== undefined) {
          io().writeNpy(opts.output, model.transform(x));
          out(`wrote scores [${k}, ${x.length}] to ${opts.output}`);
        }
        if (opts.plot !== undefined) {
          plot().explainedVariancePlot(ratio, { title: `PCA of ${cube.split(/[\\/]/).pop() ?? cube}`, yScale: opts.log ? 'log' : 'linear' }).savePng(opts.plot);
          out(`wrote ${opts.plot}`);
        }
      }),
    );
}
