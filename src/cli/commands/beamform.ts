/**
 * `pointwise beamform <in.wav> --geometry g.json (--direction AZ[,EL] | --point X,Y[,Z]) -o out.wav`:
 * delay-and-sum toward a far-field direction (degrees: azimuth from +x toward +y, elevation up from
 * the x–y plane) or a near-field point (metres), written as a one-channel WAV.
 * @module
 */
import type { Command } from 'commander';
import { action, out, parseNumberList, UsageError } from '../common.js';
import { checkOutputPath, parseWavFormat } from '../files.js';
import { beamformFile, BEAMFORM_METHODS } from '../beam.js';

/** Registers `beamform`. */
export function registerBeamform(program: Command): void {
  program
    .command('beamform')
    .description('delay-and-sum a microphone-array WAV toward a direction or a point; writes one channel')
    .argument('<in>', 'multichannel .wav, one channel per microphone in geometry order')
    .requiredOption('--geometry <file>', 'microphone positions as JSON (metres)')
    .option('--direction <az[,el]>', 'far-field look direction in degrees: azimuth from +x toward +y[, elevation]')
    .option('--point <x,y[,z]>', 'near-field focus point in metres')
    .option('--method <method>', `delay method: ${BEAMFORM_METHODS.join(', ')}`)
    .requiredOption('-o, --output <file>', 'output .wav (one channel)')
    .option('--format <fmt>', 'WAV sample format: pcm16, pcm24, pcm32, float32 (default), float64')
    .option('--speed-of-sound <m/s>', 'speed of sound in m/s (default 343)')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise beamform array.wav --geometry geometry.json --direction 30 -o beam.wav
  $ pointwise beamform array.wav --geometry geometry.json --direction 30,10 --method fft -o beam.wav
  $ pointwise beamform office.wav --geometry geometry.json --point 0.5,0.8,1.2 -o talker.wav

geometry.json: {"positions": [[x, y, z], ...]} in metres (also accepts a bare array of
positions, or the "mics"/"microphones" key of ../shared/data/mic_array/*/geometry.json).`,
    )
    .action(
      action('beamform', (input: string, opts: { geometry: string; direction?: string; point?: string; method?: string; output: string; format?: string; speedOfSound?: string }) => {
        checkOutputPath(opts.output, ['wav']);
        const format = parseWavFormat(opts.format);
        if ((opts.direction === undefined) === (opts.point === undefined)) throw new UsageError('give exactly one of --direction AZ[,EL] or --point X,Y[,Z]');
        const direction = opts.direction !== undefined ? parseNumberList('--direction', opts.direction, { min: 1, max: 2 }) : undefined;
        const point = opts.point !== undefined ? parseNumberList('--point', opts.point, { min: 2, max: 3 }) : undefined;
        const speedOfSound = opts.speedOfSound !== undefined ? parseNumberList('--speed-of-sound', opts.speedOfSound, { min: 1, max: 1 })[0] : undefined;
        const r = beamformFile({ input, geometry: opts.geometry, direction, point, method: opts.method, output: opts.output, format, speedOfSound });
        out(`beamformed ${r.channels} microphones toward ${r.target} (${r.method}); wrote ${r.frames} frames at ${r.sampleRate} Hz to ${opts.output}`);
      }),
    );
}
