/**
 * `pointwise convolve <in> <kernel> -o <out> [--mode --method]`: convolution of a WAV or NPY signal
 * with a kernel (one channel broadcast, or one per channel; a mono signal with a C-channel kernel
 * gives C channels). Sample rates must agree. WAV → WAV in 'full' mode streams
 * disk to disk in bounded memory (convolution reverb on long recordings); everything else is one
 * call to the library's `convolve`. WAV ⊛ WAV → WAV goes through the convolve module's
 * `convolveWavFiles` (StreamingConvolver, atomic WavWriter, progress callback).
 * @module
 */
import type { Command } from 'commander';
import type { Multichannel } from '../../core/multichannel.js';
import { convolveModule } from '../lazy.js';
import { action, checkOutputs, extensionOf, fmt, out, progress, UsageError } from '../common.js';
import { inputFormat, inputFormatsHelp, parseInputOptions, parseWavFormat, readInput, writeSignal } from '../files.js';
import { addClusterOptions, runConvolveModes } from '../cluster.js';

const MODES = ['full', 'same', 'valid'] as const;
const METHODS = ['auto', 'direct', 'fft', 'overlap-add'] as const;
const NORMALIZE = ['none', 'peak', 'kernel'] as const;
const PRECISIONS = ['float64', 'float32'] as const;
type Mode = (typeof MODES)[number];
type Method = (typeof METHODS)[number];

function pick<T extends string>(option: string, v: string | undefined, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}; got ${JSON.stringify(v)}`);
  return v as T;
}

/** Registers `convolve`. */
export function registerConvolve(program: Command): void {
  const cmd = program
    .command('convolve')
    .description('convolve a signal with a kernel (impulse response); one kernel channel is applied to every signal channel, and a mono signal feeds every kernel channel')
    .argument('<in>', 'signal [C, N] (or [1, N] with a C-channel kernel): .wav, .flac, .npy, .h5/.nc, .sofa or .zarr')
    .argument('<kernel>', 'kernel [1 or C, M] at the signal\u2019s sample rate: .wav, .flac, .npy, .h5/.nc, a .sofa measurement or .zarr')
    .argument('[more...]', 'several WAV signals: `convolve a.wav b.wav … kernel.wav -o DIR` (the last is the kernel)')
    .requiredOption('-o, --output <file>', 'output .wav or .npy')
    .option('--mode <mode>', 'output length: full (N+M−1), same (N, centred as scipy), valid', 'full')
    .option('--method <method>', 'auto, direct, fft or overlap-add', 'auto')
    .option('--format <fmt>', 'WAV sample format of the output: pcm16, pcm24, pcm32, float32 (default), float64')
    .option('--normalize <how>', 'streamed WAV output level: none (default), peak (two passes, peak 0.99), kernel (IR scaled by 1/Σ|h|)')
    .option('--precision <p>', 'streamed WAV → WAV arithmetic: float32 (SIMD FFT, ~7x faster, error ~3e-7 of the peak) or float64; default float32 for pcm8 and pcm16 output, float64 otherwise')
    .option('--no-stream', 'load the whole WAV instead of streaming it (WAV → WAV, full mode)')
    .option('--dataset <path>', 'HDF5 / NetCDF-4 signal: the dataset (default the only numeric one)')
    .option('--kernel-dataset <path>', 'HDF5 / NetCDF-4 kernel: the dataset (default the only numeric one)')
    .option('--channels-axis <n>', 'HDF5 / NetCDF-4 inputs: the axis holding the channels (default 0)')
    .option('--measurement <m>', 'SOFA input: the measurement whose impulse responses are read (receivers as channels)')
    .option('--emitter <e>', 'SOFA input with several emitters: the emitter (default 0 when there is one)')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise convolve dry.wav room_ir.wav -o wet.wav              # convolution reverb, streamed
  $ pointwise convolve long.wav room_ir.wav --precision float32 -o wet.wav
  $ pointwise convolve x.npy h.npy --mode same --method fft -o y.npy
  $ pointwise convolve dry.flac hrir.sofa --measurement 12 -o binaural.wav   # one HRIR pair
  $ pointwise convolve x.h5 h.wav --dataset /audio --channels-axis 1 -o y.wav

WAV → WAV in full mode streams disk to disk in bounded memory; the output
defaults to 32-bit float so reverb tails above full scale are not clipped.
A mono signal with a C-channel kernel (e.g. a stereo room) gives C channels;
the signal and kernel must have the same sample rate (no resampling is done).
Several signals (the last argument is the kernel): -o names a folder, each output keeps
its input's name; --redis URL runs one job per file on the cluster's workers.
${inputFormatsHelp('signal')}
--dataset picks the signal's dataset, --kernel-dataset the kernel's; --channels-axis,
--measurement and --emitter apply to whichever input is of that format.`,
    );
  addClusterOptions(cmd).action(
      action('convolve', async (input: string, kernel: string, more: string[], opts: { output: string; mode?: string; method?: string; format?: string; normalize?: string; precision?: string; stream: boolean; redis?: string; queue?: string; dataset?: string; kernelDataset?: string; channelsAxis?: string; measurement?: string; emitter?: string }) => {
        if (await runConvolveModes([input, kernel, ...more], opts, parseWavFormat(opts.format))) return;
        const [outExt] = checkOutputs([{ option: '-o', path: opts.output, extensions: ['wav', 'npy'] }]);
        const mode: Mode = pick('--mode', opts.mode, MODES, 'full');
        const method: Method = pick('--method', opts.method, METHODS, 'auto');
        const format = parseWavFormat(opts.format);
        const normalize = pick('--normalize', opts.normalize, NORMALIZE, 'none');
        const precision = opts.precision === undefined ? undefined : pick('--precision', opts.precision, PRECISIONS, 'float64');
        if (opts.stream && mode === 'full' && extensionOf(input) === 'wav' && extensionOf(kernel) === 'wav' && outExt === 'wav') {
          const bar = progress('convolving');
          let r: ReturnType<ReturnType<typeof convolveModule>['convolveWavFiles']>;
          try {
            r = convolveModule().convolveWavFiles(input, kernel, opts.output, { format, normalize, precision, onProgress: (f: number) => bar.update(f) });
          } finally {
            bar.stop();
          }
          const level = r.gain !== 1 ? `, gain ${fmt(r.gain)}` : '';
          const clip = r.clippedSamples > 0 ? `, ${r.clippedSamples} samples clipped` : '';
          out(`convolved ${r.channels} channel(s) (streamed${level}${clip}); wrote ${r.frames} frames at ${r.sampleRate} Hz (${r.format}) to ${opts.output}`);
          return;
        }
        if (normalize !== 'none') throw new UsageError('--normalize applies only to streamed WAV ⊛ WAV → WAV in full mode');
        if (precision !== undefined) throw new UsageError('--precision applies only to streamed WAV ⊛ WAV → WAV in full mode');
        const inputOptions = parseInputOptions(opts);
        const pickFor = (file: string, dataset: string | undefined) => {
          const fmt = inputFormat(file);
          return {
            dataset,
            channelsAxis: fmt === 'hdf5' ? inputOptions.channelsAxis : undefined,
            measurement: fmt === 'sofa' ? inputOptions.measurement : undefined,
            emitter: fmt === 'sofa' ? inputOptions.emitter : undefined,
          };
        };
        const formats = [inputFormat(input), inputFormat(kernel)];
        if (inputOptions.channelsAxis !== undefined && !formats.includes('hdf5')) throw new UsageError('--channels-axis applies only to HDF5 / NetCDF-4 input');
        if ((inputOptions.measurement ?? inputOptions.emitter) !== undefined && !formats.includes('sofa')) throw new UsageError('--measurement and --emitter apply only to SOFA input');
        const h = await readInput(kernel, 'signal', pickFor(kernel, opts.kernelDataset), 'the kernel');
        const x = await readInput(input, 'signal', pickFor(input, opts.dataset), 'the signal');
        const bar = progress('convolving');
        let y: Multichannel;
        try {
          y = convolveModule().convolve(x, h, { mode, method });
        } finally {
          bar.stop();
        }
        writeSignal(opts.output, y, format);
        out(`convolved [${x.channels}, ${x.length}] with [${h.channels}, ${h.length}] (${mode}, ${method}) → [${y.channels}, ${y.length}]; wrote ${opts.output}`);
      }),
    );
}
