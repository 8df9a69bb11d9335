/**
 * `pointwise localize <in.wav> --geometry g.json [--near-field --grid …] [--far-field] [--peaks K]
 * [--plot map.png]`: SRP-PHAT source localisation over a grid of directions (far field, default) or
 * points (near field), printing the K strongest peaks and optionally plotting the map.
 * @module
 */
import type { Command } from 'commander';
import { action, out, parseGrid, parsePositiveInt, UsageError, fmt } from '../common.js';
import { checkOutputPath } from '../files.js';
import { localizeFile } from '../beam.js';
import type { LocalizePeak } from '../beam.js';

/** Registers `localize`. */
export function registerLocalize(program: Command): void {
  program
    .command('localize')
    .description('find sound sources with SRP-PHAT: far-field directions (default) or near-field points on a grid')
    .argument('<in>', 'multichannel .wav, one channel per microphone in geometry order')
    .requiredOption('--geometry <file>', 'microphone positions as JSON (metres)')
    .option('--far-field', 'search directions (azimuth 0–359° in 1° steps; the default)')
    .option('--near-field', 'search points on --grid instead of directions')
    .option('--grid <spec>', 'near-field grid in metres: xmin:xmax:step,ymin:ymax:step[,zmin:zmax:step]')
    .option('--peaks <K>', 'number of peaks to report', '1')
    .option('--plot <file.png>', 'write the SRP map as a PNG')
    .option('--json', 'print the peaks as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise localize array.wav --geometry geometry.json --peaks 2
  $ pointwise localize office.wav --geometry geometry.json --near-field \\
        --grid 0.1:1.2:0.01,-0.2:1.1:0.01 --peaks 2 --plot srp.png

A 2-D grid lies in the plane z = 0 unless a third axis is given.`,
    )
    .action(
      action('localize', (input: string, opts: { geometry: string; farField?: boolean; nearField?: boolean; grid?: string; peaks: string; plot?: string; json?: boolean }) => {
        if (opts.farField && opts.nearField) throw new UsageError('give only one of --far-field or --near-field');
        if (opts.nearField && opts.grid === undefined) throw new UsageError('--near-field needs --grid xmin:xmax:step,ymin:ymax:step[,zmin:zmax:step]');
        if (!opts.nearField && opts.grid !== undefined) throw new UsageError('--grid applies only with --near-field');
        const grid = opts.grid !== undefined ? parseGrid(opts.grid) : undefined;
        const peaks = parsePositiveInt('--peaks', opts.peaks);
        if (opts.plot !== undefined) checkOutputPath(opts.plot, ['png']);
        const r = localizeFile({ input, geometry: opts.geometry, grid, peaks, plot: opts.plot });
        if (opts.json) {
          out(JSON.stringify(r, null, 2));
          return;
        }
        out(`SRP-PHAT over ${r.gridPoints} ${r.nearField ? 'points' : 'directions'}; ${r.peaks.length} peak(s):`);
        r.peaks.forEach((p: LocalizePeak, i: number) => {
          const where = r.nearField ? `x ${fmt(p.position[0])} m, y ${fmt(p.position[1])} m${p.position.length > 2 ? `, z ${fmt(p.position[2])} m` : ''}` : `azimuth ${fmt(p.position[0])}°${p.position.length > 1 ? `, elevation ${fmt(p.position[1])}°` : ''}`;
          out(`  ${i + 1}. ${where}  (power ${fmt(p.power)})`);
        });
        if (opts.plot !== undefined) out(`wrote ${opts.plot}`);
      }),
    );
}
