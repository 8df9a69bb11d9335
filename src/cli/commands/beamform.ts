/**
 * `pointwise beamform <in.wav> --geometry g.json (--direction AZ[,EL] | --point X,Y[,Z] | --source NAME)
 * -o out.wav`: delay-and-sum toward a far-field direction (degrees: azimuth from +x toward +y,
 * elevation up from the x–y plane), a near-field point (metres, or lengths with units) or a source
 * named in the geometry file, written as a one-channel WAV.
 * @module
 */
import type { Command } from 'commander';
import { action, checkOutputs, out, UsageError } from '../common.js';
import { addInputOptions, inputFormat, inputFormatsHelp, parseInputOptions, parseWavFormat, readInput } from '../files.js';
import { beamformFile, BEAMFORM_METHODS, readGeometry } from '../beam.js';
import { parseAngleList, parseLengthList, parseSpeedOfSound } from '../units.js';
import { addClusterOptions, addRangeOptions, runBeamformModes } from '../cluster.js';

/** Registers `beamform`. */
export function registerBeamform(program: Command): void {
  const cmd = program
    .command('beamform')
    .description('delay-and-sum a microphone-array WAV toward a direction or a point; writes one channel')
    .argument('<in...>', 'multichannel recording (.wav; one file also .flac, .npy, .h5/.nc, .zarr), one channel per microphone in geometry order (several WAVs: -o is a folder)')
    .requiredOption('--geometry <file>', 'microphone positions as JSON ("units": m, cm or mm; optional "speedOfSound", "sampleRate", "sources"), or a .sofa file (its receivers, in the listener\u2019s frame)')
    .option('--direction <az[,el]>', 'far-field look direction in degrees (or with units, 0.5rad): azimuth from +x toward +y[, elevation]')
    .option('--point <x,y[,z]>', 'near-field focus point in metres or with units (60cm,10cm)')
    .option('--source <name>', 'focus on a source named in the geometry file\'s "sources"')
    .option('--method <method>', `delay method: ${BEAMFORM_METHODS.join(', ')}`)
    .requiredOption('-o, --output <file>', 'output .wav (one channel)')
    .option('--format <fmt>', 'WAV sample format: pcm16, pcm24, pcm32, float32 (default), float64')
    .option('--speed-of-sound <c>', "m/s, a speed with a unit ('343 m/s') or an air temperature ('20 degC'); default the geometry file's, else 343")
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise beamform array.wav --geometry geometry.json --direction 30 -o beam.wav
  $ pointwise beamform array.wav --geometry geometry.json --direction 30,10 --method fft -o beam.wav
  $ pointwise beamform office.wav --geometry geometry.json --point 60cm,10cm -o talker.wav
  $ pointwise beamform office.wav --geometry geometry.json --source 1 --speed-of-sound '20 degC' -o talker1.wav
  $ pointwise beamform srir.sofa --measurement 0 --geometry srir.sofa --direction 30 -o beam.wav   # a measured array response

geometry.json: {"microphones": [[x, y, z], ...], "units": "m", "speedOfSound": 343,
"sampleRate": 48000, "sources": {"1": [x, y, z], ...}} (the layout of
../shared/data/mic_array/*/geometry.json; only "microphones" is required).
Several files: -o names a folder, each output keeps its input's name; --redis URL runs
one job per file on the cluster's workers (outputs written atomically by the workers).
${inputFormatsHelp('signal')}
--start/--end and several inputs apply to WAV recordings.`,
    );
  addInputOptions(addRangeOptions(addClusterOptions(cmd)), 'signal').action(
      action('beamform', async (inputs: string[], opts: { geometry: string; direction?: string; point?: string; source?: string; method?: string; output: string; format?: string; speedOfSound?: string; redis?: string; queue?: string; start?: string; end?: string; dataset?: string; channelsAxis?: string; measurement?: string; emitter?: string }) => {
        const input = inputs[0];
        if (inputs.length === 1 && opts.redis === undefined) checkOutputs([{ option: '-o', path: opts.output, extensions: ['wav'] }]);
        const format = parseWavFormat(opts.format);
        if ([opts.direction, opts.point, opts.source].filter((v) => v !== undefined).length !== 1) throw new UsageError('give exactly one of --direction AZ[,EL], --point X,Y[,Z] or --source NAME');
        const direction = opts.direction !== undefined ? parseAngleList('--direction', opts.direction, { min: 1, max: 2 }) : undefined;
        const point = opts.point !== undefined ? parseLengthList('--point', opts.point, { min: 2, max: 3 }) : undefined;
        const speedOfSound = opts.speedOfSound !== undefined ? parseSpeedOfSound('--speed-of-sound', opts.speedOfSound) : undefined;
        if (await runBeamformModes(inputs, { ...opts, direction, point, speedOfSound, format })) return;
        const inputOptions = parseInputOptions(opts);
        let signal;
        if (inputFormat(input) !== 'wav' || Object.values(inputOptions).some((v) => v !== undefined)) {
          if (opts.start !== undefined || opts.end !== undefined) throw new UsageError(`--start/--end apply to WAV input; got ${JSON.stringify(input)}`);
          signal = await readInput(input, 'signal', inputOptions, 'the recording');
        }
        const geometryLoaded = await readGeometry(opts.geometry);
        const r = beamformFile({ geometryLoaded, signal, input, geometry: opts.geometry, direction, point, source: opts.source, method: opts.method, output: opts.output, format, speedOfSound, start: opts.start, end: opts.end });
        for (const w of r.warnings) process.stderr.write(`pointwise beamform: warning: ${w}\n`);
        out(`beamformed ${r.channels} microphones toward ${r.target} (${r.method}, speed of sound ${Number(r.speedOfSound.toPrecision(6))} m/s); wrote ${r.frames} frames at ${r.sampleRate} Hz to ${opts.output}`);
      }),
    );
}
