/**
 * `pointwise mix <in> --weights W.json|W.npy [--bias b.json] -o out`: the 1×1 channel mix
 * `y[o, t] = Σ_i W[o, i] · x[i, t] + b[o]` applied to a WAV or NPY file.
 * @module
 */
import type { Command } from 'commander';
import type { Multichannel } from '../../core/multichannel.js';
import { io, mixing } from '../lazy.js';
import { action, checkOutputs, extensionOf, out, readJsonFile, UsageError } from '../common.js';
import { addInputOptions, inputFormatsHelp, parseInputOptions, parseWavFormat, readInput, writeSignal, type InputOptions } from '../files.js';
import { addRangeOptions, applyMixModel, readSignalRange } from '../cluster.js';

/** A weight matrix in row-major form. */
export interface Weights {
  data: Float64Array;
  rows: number;
  cols: number;
}

function isNumberRow(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((e) => typeof e === 'number' && Number.isFinite(e));
}

/**
 * Reads weights from `.json` (`[[…], …]` rows = outputs, or `{ "weights": [[…]], "bias": […] }`)
 * or `.npy` (a 2-D array [Cout, Cin]). Returns the matrix and the bias when the JSON holds one.
 */
export function readWeights(filePath: string): { W: Weights; bias?: Float64Array } {
  const ext = extensionOf(filePath);
  if (ext === 'npy') {
    const a = io().readNpy(filePath);
    return { W: { data: Float64Array.from(a.data), rows: a.channels, cols: a.length } };
  }
  if (ext !== 'json') throw new UsageError(`--weights must be a .json or .npy file; got ${JSON.stringify(filePath)}`);
  const j = readJsonFile('--weights', filePath);
  const obj = j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, unknown>) : null;
  const rows = obj ? obj.weights : j;
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every(isNumberRow)) {
    throw new UsageError(`--weights must hold a non-empty array of rows of finite numbers (one row per output channel), or { "weights": rows, "bias": [...] }; got ${JSON.stringify(filePath)}`);
  }
  const cols = rows[0].length;
  if (cols === 0 || rows.some((r) => r.length !== cols)) throw new UsageError(`--weights rows must all have the same, non-zero length; got lengths ${rows.map((r) => r.length).join(', ')}`);
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => data.set(r, i * cols));
  const result: { W: Weights; bias?: Float64Array } = { W: { data, rows: rows.length, cols } };
  if (obj && obj.bias !== undefined) result.bias = parseBias(obj.bias, filePath);
  return result;
}

function parseBias(v: unknown, filePath: string): Float64Array {
  if (!isNumberRow(v)) throw new UsageError(`the bias in ${JSON.stringify(filePath)} must be an array of finite numbers`);
  return Float64Array.from(v);
}

/** Reads a bias vector from `.json` (`[…]` or `{ "bias": […] }`) or `.npy` (1-D). */
export function readBias(filePath: string): Float64Array {
  const ext = extensionOf(filePath);
  if (ext === 'npy') return Float64Array.from(io().readNpy(filePath).data);
  if (ext !== 'json') throw new UsageError(`--bias must be a .json or .npy file; got ${JSON.stringify(filePath)}`);
  const j = readJsonFile('--bias', filePath);
  const v = j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, unknown>).bias : j;
  return parseBias(v, filePath);
}

/** A `--start/--end` range of a WAV input (the container options do not apply). */
function readRange(input: string, opts: { start?: string; end?: string }, inputOptions: InputOptions): Multichannel {
  if (Object.values(inputOptions).some((v) => v !== undefined)) throw new UsageError('--start/--end read a WAV range; --dataset, --channels-axis, --measurement and --emitter do not apply');
  return readSignalRange(input, opts);
}

/** Registers `mix`. */
export function registerMix(program: Command): void {
  const cmd = program
    .command('mix')
    .description('apply a 1×1 channel mix y = W·x + b at every sample (WAV) or pixel (NPY)')
    .argument('<in>', 'input [Cin, T]: .wav, .flac, .npy, .h5/.nc, .sofa or .zarr')
    .option('--weights <file>', 'W as .json (rows = output channels) or .npy [Cout, Cin]')
    .option('--model <model.npz>', 'apply a saved mixer or mixing fit (saveModel) instead of --weights')
    .option('--bias <file>', 'b as .json or .npy, one value per output channel')
    .requiredOption('-o, --output <file>', 'output .wav or .npy [Cout, T]')
    .option('--format <fmt>', 'WAV sample format: pcm16, pcm24, pcm32, float32 (default), float64')
    .addHelpText(
      'after',
      `
Examples:
  $ echo '[[0.5, 0.5], [0.5, -0.5]]' > ms.json
  $ pointwise mix stereo.wav --weights ms.json -o mid_side.wav
  $ pointwise mix cube.npy --weights W.npy --bias b.json -o reduced.npy
  $ pointwise mix in.wav --model fit.npz -o out.wav                # a saved mixer or fit
  $ pointwise mix long.wav --weights W.json --start 10s --end 20s -o part.wav
  $ pointwise mix rec.flac --weights ms.json -o mid_side.wav
${inputFormatsHelp('signal')}`,
    );
  addInputOptions(addRangeOptions(cmd), 'signal').action(
      action('mix', async (input: string, opts: { weights?: string; model?: string; bias?: string; output: string; format?: string; start?: string; end?: string; dataset?: string; channelsAxis?: string; measurement?: string; emitter?: string }) => {
        const inputOptions = parseInputOptions(opts);
        const read = (): Promise<Multichannel> | Multichannel => (opts.start === undefined && opts.end === undefined ? readInput(input, 'signal', inputOptions) : readRange(input, opts, inputOptions));
        checkOutputs([{ option: '-o', path: opts.output, extensions: ['wav', 'npy'] }]);
        const format = parseWavFormat(opts.format);
        if (opts.model !== undefined) {
          if (opts.weights !== undefined || opts.bias !== undefined) throw new UsageError('--model holds the weights and bias; do not combine it with --weights or --bias');
          const xm = await read();
          const { y: ym, what } = applyMixModel(opts.model, xm);
          writeSignal(opts.output, ym, format);
          out(`mixed [${xm.channels}, ${xm.length}] → [${ym.channels}, ${ym.length}] with the ${what} in ${opts.model}; wrote ${opts.output}`);
          return;
        }
        if (opts.weights === undefined) throw new UsageError('give --weights W.json|W.npy or --model model.npz');
        const { W, bias: jsonBias } = readWeights(opts.weights);
        const bias = opts.bias !== undefined ? readBias(opts.bias) : jsonBias;
        const x = await read();
        const y = mixing().mix(x, W, bias);
        writeSignal(opts.output, y, format);
        out(`mixed [${x.channels}, ${x.length}] → [${y.channels}, ${y.length}] with W ${W.rows}×${W.cols}${bias ? ' + b' : ''}; wrote ${opts.output}`);
      }),
    );
}
