/**
 * `pointwise pca <cube.hdr> -k K [-o out.npy] [--plot ev.png]`: principal components of a
 * hyperspectral cube (bands as channels, pixels as samples); prints the explained variance, writes
 * the k component scores per pixel as NPY [k, pixels] and the explained-variance curve as PNG.
 * @module
 */
import type { Command } from 'commander';
import { io, plot, spectral } from '../lazy.js';
import { action, fmt, out, parsePositiveInt, progress } from '../common.js';
import { checkOutputPath, readCube } from '../files.js';

/** Registers `pca`. */
export function registerPca(program: Command): void {
  program
    .command('pca')
    .description('principal component analysis of a hyperspectral cube: explained variance, component scores, a variance plot')
    .argument('<cube>', 'ENVI header (.hdr) or .npy [bands, pixels]')
    .requiredOption('-k, --components <K>', 'number of components to keep')
    .option('-o, --output <file.npy>', 'write the scores [k, pixels] (with the cube\u2019s [lines, samples] grid)')
    .option('--plot <file.png>', 'write the explained-variance curve as a PNG')
    .option('--whiten', 'scale the scores to unit variance')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise pca samson.hdr -k 3
  $ pointwise pca samson.hdr -k 10 -o scores.npy --plot ev.png

Pixels holding NaN or the header's "data ignore value" are left out of the fit and come
back as NaN; bands flagged 0 in "bbl" are excluded.`,
    )
    .action(
      action('pca', (cube: string, opts: { components: string; output?: string; plot?: string; whiten?: boolean }) => {
        const k = parsePositiveInt('-k', opts.components);
        if (opts.output !== undefined) checkOutputPath(opts.output, ['npy']);
        if (opts.plot !== undefined) checkOutputPath(opts.plot, ['png']);
        const x = readCube(cube);
        const bar = progress('fitting PCA');
        let model: ReturnType<ReturnType<typeof spectral>['pca']>;
        try {
          model = spectral().pca(x, k, { whiten: Boolean(opts.whiten) });
        } finally {
          bar.stop();
        }
        const ratio = model.explainedVarianceRatio;
        let cum = 0;
        out(`PCA of ${x.channels} bands × ${x.length} pixels, k = ${k}`);
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
          plot().explainedVariancePlot(ratio, { title: `PCA of ${cube.split(/[\\/]/).pop() ?? cube}` }).savePng(opts.plot);
          out(`wrote ${opts.plot}`);
        }
      }),
    );
}
