/**
 * `pointwise localize <in.wav> --geometry g.json [--near-field --grid …] [--far-field] [--peaks K]
 * [--speed-of-sound C] [--source NAME] [--plot map.png]`: SRP-PHAT source localisation over a grid of
 * directions (far field, default) or points (near field). Prints the K strongest peaks (the refined
 * estimate first, the grid point in brackets), the front/back ambiguity of a linear array, and the
 * error to a named source; only then plots, so a failing plot never loses the numbers.
 * @module
 */
import type { Command } from 'commander';
import { isPointwiseError } from '../../core/errors.js';
import { action, checkOutputs, EXIT_BAD_INPUT, EXIT_INTERNAL, out, parsePositiveInt, UsageError, fmt } from '../common.js';
import { localizeFile, plotLocalization, readGeometry } from '../beam.js';
import { addInputOptions, inputFormat, inputFormatsHelp, parseInputOptions, readInput } from '../files.js';
import { beamform } from '../lazy.js';
import type { LocalizePeak, LocalizeResult } from '../beam.js';
import { parseLengthGrid, parseSpeedOfSound } from '../units.js';

const metres = (p: number[]): string => `x ${fmt(p[0])} m, y ${fmt(p[1])} m${p.length > 2 && p[2] !== 0 ? `, z ${fmt(p[2])} m` : ''}`;
const degrees = (p: number[]): string => `azimuth ${fmt(p[0])}°${p[1] !== 0 ? `, elevation ${fmt(p[1])}°` : ''}`;

/** The report `localize` prints (without --json), one line per item. */
export function localizeReport(r: LocalizeResult): string[] {
  const lines: string[] = [];
  const where = r.nearField ? metres : degrees;
  lines.push(`SRP-PHAT over ${r.gridPoints} ${r.nearField ? 'points' : 'directions'} (speed of sound ${fmt(r.speedOfSound)} m/s); ${r.peaks.length} peak(s), refined estimate [grid point]:`);
  r.peaks.forEach((p: LocalizePeak, i: number) => {
    lines.push(`  ${i + 1}. ${where(p.refined)}  [${where(p.position)}]  (power ${fmt(p.power)})`);
  });
  if (r.linearAxis) {
    const a = r.linearAxis;
    const horizontal = Math.abs(a[2]) < 1e-9;
    const alpha = (Math.atan2(a[1], a[0]) * 180) / Math.PI;
    const rule = horizontal ? `azimuth θ and ${fmt(((2 * alpha) % 360 + 360) % 360)}° − θ` : 'a direction and its mirror about the axis';
    lines.push(`front/back ambiguity: the array is linear (axis (${a.map((v) => fmt(v)).join(', ')})), so ${rule} give the same map:`);
    r.peaks.forEach((p, i) => {
      if (p.mirror) lines.push(`  peak ${i + 1} may equally be at ${degrees(p.mirror)}${p.mirrorOfPeak !== undefined ? ` (that is peak ${p.mirrorOfPeak})` : ''}`);
    });
  }
  if (r.source) {
    const s = r.source;
    const pos = metres(s.position);
    if (s.errorUnit === 'm') {
      lines.push(`source ${JSON.stringify(s.name)} at ${pos}: nearest is peak ${s.nearestPeak}, error ${fmt(s.error * 100)} cm`);
    } else {
      lines.push(`source ${JSON.stringify(s.name)} at ${pos} (${degrees(s.direction ?? [0, 0])} from the array centre): nearest is peak ${s.nearestPeak}${s.viaMirror ? "'s mirror" : ''}, error ${fmt(s.error)}°`);
    }
  }
  return lines;
}

/** Registers `localize`. */
export function registerLocalize(program: Command): void {
  const cmd = program
    .command('localize')
    .description('find sound sources with SRP-PHAT: far-field directions (default) or near-field points on a grid')
    .argument('<in>', 'multichannel recording (.wav, .flac, .npy, .h5/.nc, .zarr), one channel per microphone in geometry order')
    .requiredOption('--geometry <file>', 'microphone positions as JSON ("units": m, cm or mm; optional "speedOfSound", "sampleRate", "sources"), or a .sofa file (its receivers, in the listener\u2019s frame)')
    .option('--far-field', 'search directions (azimuth 0–359° in 1° steps; the default)')
    .option('--near-field', 'search points on --grid instead of directions')
    .option('--grid <spec>', 'near-field grid xmin:xmax:step,ymin:ymax:step[,zmin:zmax:step] in metres or with units (10cm:120cm:1cm,…)')
    .option('--peaks <K>', 'number of peaks to report', '1')
    .option('--speed-of-sound <c>', "m/s, a speed with a unit ('343 m/s') or an air temperature ('20 degC'); default the geometry file's, else 343")
    .option('--source <name>', 'a source named in the geometry file: report the error of the nearest peak to it (and mark it on the plot)')
    .option('--plot <file.png>', 'write the SRP map as a PNG (after the results are printed)')
    .option('--json', 'print the results as JSON')
    .option('--max-grid-points <N>', 'most near-field grid points allowed (default 2000000; checked before any memory is taken)')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise localize array.wav --geometry geometry.json --peaks 2
  $ pointwise localize office.wav --geometry geometry.json --near-field \\
        --grid 10cm:120cm:1cm,-20cm:110cm:1cm --peaks 2 --source 1 \\
        --speed-of-sound '20 degC' --plot srp.png
  $ pointwise localize rec.flac --geometry array.sofa --peaks 2       # microphones from a SOFA file

A 2-D grid lies in the plane z = 0 unless a third axis is given. Each peak prints the library's
refined (sub-grid) estimate and, in brackets, the grid point it refines. A linear array cannot tell
a direction from its mirror about the array axis; the far-field report lists each peak's mirror.
The plot is written after the results are printed; if it fails, the error is reported and the
exit status is nonzero, but the results stand (its path is checked before anything is computed).
A grid of more than --max-grid-points points is refused before it is built.
${inputFormatsHelp('signal')}`,
    );
  addInputOptions(cmd, 'signal').action(
      action('localize', async (input: string, opts: { dataset?: string; channelsAxis?: string; measurement?: string; emitter?: string; geometry: string; farField?: boolean; nearField?: boolean; grid?: string; peaks: string; speedOfSound?: string; source?: string; plot?: string; json?: boolean; maxGridPoints?: string }) => {
        if (opts.farField && opts.nearField) throw new UsageError('give only one of --far-field or --near-field');
        if (opts.nearField && opts.grid === undefined) throw new UsageError('--near-field needs --grid xmin:xmax:step,ymin:ymax:step[,zmin:zmax:step]');
        if (!opts.nearField && opts.grid !== undefined) throw new UsageError('--grid applies only with --near-field');
        const grid = opts.grid !== undefined ? parseLengthGrid('--grid', opts.grid) : undefined;
        const bf = beamform();
        const maxGridPoints = opts.maxGridPoints !== undefined ? parsePositiveInt('--max-grid-points', opts.maxGridPoints) : bf.DEFAULT_MAX_GRID_POINTS;
        if (grid) {
          const counts = grid.map((a) => bf.linspaceCount(a.min, a.max, a.step));
          const points = counts.reduce((p, n) => p * n, 1);
          if (!(points <= maxGridPoints)) {
            const size = counts.map((n) => (Number.isFinite(n) ? String(n) : 'too many')).join(' × ');
            throw new UsageError(`--grid must have at most --max-grid-points = ${maxGridPoints} points; got ${size} = ${Number.isFinite(points) ? points : 'too many'} (use a coarser step, or raise --max-grid-points)`);
          }
        }
        const peaks = parsePositiveInt('--peaks', opts.peaks);
        const speedOfSound = opts.speedOfSound !== undefined ? parseSpeedOfSound('--speed-of-sound', opts.speedOfSound) : undefined;
        checkOutputs([{ option: '--plot', path: opts.plot, extensions: ['png'] }]);
        const inputOptions = parseInputOptions(opts);
        const signal = inputFormat(input) !== 'wav' || Object.values(inputOptions).some((v) => v !== undefined) ? await readInput(input, 'signal', inputOptions, 'the recording') : undefined;
        const geometryLoaded = await readGeometry(opts.geometry);
        const { result, map } = localizeFile({ geometryLoaded, signal, input, geometry: opts.geometry, grid, peaks, speedOfSound, source: opts.source, maxGridPoints });
        for (const w of result.warnings) process.stderr.write(`pointwise localize: warning: ${w}\n`);
        if (opts.json) out(JSON.stringify(result, null, 2));
        else for (const line of localizeReport(result)) out(line);
        if (opts.plot === undefined) return;
        try {
          plotLocalization(opts.plot, result, map);
        } catch (err) {
          const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
          process.stderr.write(`pointwise localize: the results above stand, but the plot ${opts.plot} was not written: ${msg}\n`);
          process.exitCode = isPointwiseError(err) ? EXIT_BAD_INPUT : EXIT_INTERNAL;
          return;
        }
        if (!opts.json) out(`wrote ${opts.plot}`);
      }),
    );
}
