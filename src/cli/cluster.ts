/**
 * The CLI's shared pieces for models, partial statistics, ranges and the cluster: the `pca` modes
 * `--save`, `--partial`, `--model`, `--lines`, `--redis` (called from commands/pca.ts), and the
 * progress display while a cluster job runs.
 * @module
 */
import type { Command } from 'commander';
import type { Multichannel } from '../core/multichannel.js';
import { io, spectral } from './lazy.js';
import { action, checkOutputs, extensionOf, fmt, out, parseComponents, parsePositiveInt, parseShape, progress, UsageError } from './common.js';
import { parseInputOptions, readInput } from './files.js';
import type { BeamformRequest } from './beam.js';

/* eslint-disable @typescript-eslint/no-require-imports */
const models = (): typeof import('../io/models.js') => require('../io/models.js') as typeof import('../io/models.js');
const ranges = (): typeof import('../io/ranges.js') => require('../io/ranges.js') as typeof import('../io/ranges.js');
const cluster = (): typeof import('../cluster/index.js') => require('../cluster/index.js') as typeof import('../cluster/index.js');
const envi = (): typeof import('../spectral/envi.js') => require('../spectral/envi.js') as typeof import('../spectral/envi.js');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Adds `--start T` and `--end T` (a WAV range: frames, or times such as 10s, 250ms, 2min) to a command. */
export function addRangeOptions(cmd: Command): Command {
  return cmd
    .option('--start <t>', 'WAV input: start at this frame, or time with a unit (10s, 250ms, 2min); reads only the range')
    .option('--end <t>', 'WAV input: end (exclusive) at this frame or time');
}

/** Reads a signal, or only frames [--start, --end) of a WAV file. */
export function readSignalRange(input: string, opts: { start?: string; end?: string }): Multichannel {
  if (opts.start === undefined && opts.end === undefined) return (require('./files.js') as typeof import('./files.js')).readSignal(input);
  if (extensionOf(input) !== 'wav') throw new UsageError(`--start/--end apply to WAV input; got ${JSON.stringify(input)}`);
  return ranges().readWavRange(input, { start: opts.start, end: opts.end });
}

/** Adds `--redis URL` and `--queue NAME` to a command. */
export function addClusterOptions(cmd: Command): Command {
  return cmd
    .option('--redis <url>', 'run on the cluster: Redis URL redis://[:password@]host:port (rediss:// for TLS) that `pointwise worker`s serve')
    .option('--queue <name>', 'cluster queue name (default pointwise)');
}

/** A progress display for cluster jobs: a bar on a terminal, else one line per tenth done on stderr. */
export function clusterProgress(label: string): { update: (done: number, total: number) => void; stop: () => void } {
  const bar = progress(label);
  let lastTenth = -1;
  return {
    update(done: number, total: number) {
      bar.update(total > 0 ? done / total : 1);
      const tenth = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (tenth !== lastTenth && process.env.POINTWISE_CLUSTER_LOG === '1') process.stderr.write(`${label}: ${done}/${total} jobs done\n`);
      lastTenth = tenth;
    },
    stop: () => bar.stop(),
  };
}

/** Options of `pca` that this module handles. */
export interface PcaModeOptions {
  components?: string;
  output?: string;
  whiten?: boolean;
  var?: string;
  shape?: string;
  save?: string;
  partial?: string;
  model?: string;
  lines?: string;
  redis?: string;
  queue?: string;
  tileLines?: string;
  dataset?: string;
  channelsAxis?: string;
}

function printVariance(model: { k: number; explainedVariance: Float64Array; explainedVarianceRatio: Float64Array }, what: string): void {
  out(`PCA of ${what}, k = ${model.k}`);
  out(`${'component'.padEnd(11)}${'variance'.padStart(12)}${'ratio'.padStart(10)}${'cumulative'.padStart(12)}`);
  let cum = 0;
  for (let i = 0; i < model.k; i++) {
    cum += model.explainedVarianceRatio[i];
    out(`${String(i + 1).padEnd(11)}${fmt(model.explainedVariance[i]).padStart(12)}${fmt(model.explainedVarianceRatio[i]).padStart(10)}${fmt(cum).padStart(12)}`);
  }
}

async function readOne(cube: string, opts: PcaModeOptions): Promise<Multichannel> {
  if (opts.lines !== undefined) {
    if (extensionOf(cube) !== 'hdr') throw new UsageError(`--lines applies to ENVI cubes (.hdr); got ${JSON.stringify(cube)}`);
    const h = envi().readEnviHeader(cube);
    const [a, b] = ranges().parseIndexRange('--lines', opts.lines, h.lines);
    return ranges().readEnviLines(cube, a, b);
  }
  return readInput(cube, 'cube', { ...parseInputOptions(opts), variable: opts.var, shape: opts.shape === undefined ? undefined : parseShape('--shape', opts.shape) }, 'the cube');
}

/**
 * Runs `pca` when any of --save, --partial, --model, --lines, --redis or several cubes were given;
 * returns false (nothing done) for the plain one-cube command.
 */
export async function runPcaModes(cubes: string[], opts: PcaModeOptions): Promise<boolean> {
  const modal = opts.save !== undefined || opts.partial !== undefined || opts.model !== undefined || opts.lines !== undefined || opts.redis !== undefined || cubes.length > 1;
  if (!modal) return false;
  checkOutputs([
    { option: '-o', path: opts.output, extensions: ['npy'] },
    { option: '--save', path: opts.save, extensions: ['npz'] },
    { option: '--partial', path: opts.partial, extensions: ['npz'] },
  ]);
  if (opts.tileLines !== undefined && opts.redis === undefined) throw new UsageError('--tile-lines applies to --redis');
  if (opts.model !== undefined) {
    if (cubes.length !== 1) throw new UsageError('--model applies a saved model to one cube; give one cube');
    if (opts.output === undefined) throw new UsageError('--model needs -o scores.npy');
    if (opts.save !== undefined || opts.partial !== undefined || opts.redis !== undefined) throw new UsageError('--model applies a saved model; it does not combine with --save, --partial or --redis');
    const model = models().loadModel(opts.model, { kind: 'pca' });
    const x = await readOne(cubes[0], opts);
    const y = model.transform(x);
    io().writeNpy(opts.output, y);
    out(`applied the PCA model ${opts.model} (k = ${model.k}) to ${x.channels} bands × ${x.length} pixels; wrote scores [${y.channels}, ${y.length}] to ${opts.output}`);
    return true;
  }
  if (opts.partial === undefined && opts.components === undefined) throw new UsageError('give -k K, the number of components (or --partial part.npz for the statistics alone)');
  const k = opts.partial !== undefined && opts.components === undefined ? 0 : parsePositiveInt('-k', opts.components!);
  if (opts.partial !== undefined && opts.save !== undefined) throw new UsageError('give --partial (the statistics) or --save (the model), not both');
  if (opts.output !== undefined && (cubes.length > 1 || opts.partial !== undefined)) throw new UsageError('-o writes the scores of one cube; with several cubes use --save, then `pointwise pca --model model.npz CUBE -o scores.npy`');
  const description: { wavelengths?: number[]; units?: string } = {};
  let acc: import('../spectral/covariance.js').CovarianceAccumulator | undefined;
  let model: import('../spectral/pca.js').PcaModel | undefined;
  if (opts.redis !== undefined) {
    for (const c of cubes) if (extensionOf(c) !== 'hdr') throw new UsageError(`--redis runs on ENVI cubes (.hdr) on shared storage; got ${JSON.stringify(c)}`);
    const h = envi().readEnviHeader(cubes[0]);
    const lines = opts.lines !== undefined ? ranges().parseIndexRange('--lines', opts.lines, h.lines) : undefined;
    const tileLines = opts.tileLines !== undefined ? parsePositiveInt('--tile-lines', opts.tileLines) : undefined;
    const bar = clusterProgress('tiles');
    try {
      const o = { redis: opts.redis, queue: opts.queue, tileLines, lines, whiten: Boolean(opts.whiten), onProgress: bar.update };
      if (k === 0) acc = await cluster().clusterCovariance(cubes, o);
      else model = await cluster().clusterPca(cubes, k, o);
    } finally {
      bar.stop();
    }
    const r = envi().EnviReader.open(cubes[0]);
    if (r.coords) Object.assign(description, { wavelengths: Array.from(r.coords.values), units: r.coords.unit });
    r.close();
  } else {
    const bar = progress('statistics', cubes.length);
    try {
      for (const [i, c] of cubes.entries()) {
        if (extensionOf(c) === 'hdr') {
          const r = envi().EnviReader.open(c);
          try {
            if (i === 0 && r.coords) Object.assign(description, { wavelengths: Array.from(r.coords.values), units: r.coords.unit });
            const h = r.header;
            const [a, b] = opts.lines !== undefined ? ranges().parseIndexRange('--lines', opts.lines, h.lines) : [0, h.lines];
            acc ??= new (spectral().CovarianceAccumulator)(h.bands);
            if (acc.bands !== h.bands) throw new UsageError(`every cube must have the ${acc.bands} bands of ${JSON.stringify(cubes[0])}; ${JSON.stringify(c)} has ${h.bands}`);
            for (const block of ranges().enviLineBlocks(r, a, b, Math.max(1, Math.floor((1 << 23) / (h.samples * h.bands))))) acc.add(block);
          } finally {
            r.close();
          }
        } else {
          const x = await readOne(c, opts);
          acc ??= new (spectral().CovarianceAccumulator)(x.channels);
          if (acc.bands !== x.channels) throw new UsageError(`every cube must have the ${acc.bands} bands of ${JSON.stringify(cubes[0])}; ${JSON.stringify(c)} has ${x.channels}`);
          acc.add(x);
        }
        bar.update(i + 1);
      }
    } finally {
      bar.stop();
    }
    if (k > 0) model = spectral().pcaFromAccumulator(acc!, k, { whiten: Boolean(opts.whiten), signs: 'max-loading' });
  }
  const what = `${cubes.length === 1 ? cubes[0] : `${cubes.length} cubes`}`;
  if (acc !== undefined && opts.partial !== undefined) {
    models().savePartial(opts.partial, acc, description);
    out(`wrote the covariance statistics of ${what} (${acc.count} valid pixels, ${acc.bands} bands) to ${opts.partial}`);
  }
  if (model !== undefined) {
    printVariance(model, `${what}: ${model.nSamples} pixels`);
    if (opts.save !== undefined) {
      models().saveModel(opts.save, model, description);
      out(`wrote the model to ${opts.save}`);
    }
    if (opts.output !== undefined) {
      const y = model.transform(await readOne(cubes[0], opts));
      io().writeNpy(opts.output, y);
      out(`wrote scores [${y.channels}, ${y.length}] to ${opts.output}`);
    }
  }
  return true;
}

/** Help text of the `pca` modes. */
export const pcaModesHelp = `
Several cubes, partial statistics, saved models, line ranges and the cluster:
  $ pointwise pca a.hdr b.hdr -k 10 --save model.npz        # one model over every cube's pixels
  $ pointwise pca a.hdr --lines 0:512 --partial part0.npz    # the statistics of lines 0-511
  $ pointwise merge part*.npz -k 10 -o model.npz             # merged into a model
  $ pointwise pca --model model.npz c.hdr -o scores.npy      # a saved model applied
  $ pointwise pca /data/*.hdr -k 10 --save model.npz --redis redis://:secret@10.0.0.5:6379 --tile-lines 64
Models fitted from statistics (--save, --partial, merge, --redis, several cubes) take
'max-loading' signs (each component's largest loading positive), so a model is the same
however its statistics were split; the plain one-cube command uses scikit-learn's signs.`;

/** Registers `merge`. */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge partial statistics (.npz from pca --partial or savePartial) into a model, or into one partial')
    .argument('<parts...>', 'partial files (.npz)')
    .requiredOption('-o, --output <file.npz>', 'the model (with -k) or the merged partial')
    .option('-k, --components <K>', 'fit a PCA model with K components from merged covariance statistics')
    .option('--whiten', 'the model scales scores to unit variance')
    .addHelpText('after', `
Examples:
  $ pointwise pca cube.hdr --lines 0:512 --partial p0.npz
  $ pointwise pca cube.hdr --lines 512:1024 --partial p1.npz
  $ pointwise merge p0.npz p1.npz -k 10 -o model.npz
  $ pointwise merge p0.npz p1.npz -o all.npz                # one partial, merge more later`)
    .action(
      action('merge', (parts: string[], opts: { output: string; components?: string; whiten?: boolean }) => {
          checkOutputs([{ option: '-o', path: opts.output, extensions: ['npz'] }]);
          const m = models();
          const acc = m.mergePartialFiles(parts);
          const { metadata } = m.loadModelWithMetadata(parts[0], { kind: ['covariance-partial', 'gram-partial'] });
          const description = { wavelengths: metadata.wavelengths, units: metadata.units, labels: metadata.labels };
          if (opts.components === undefined) {
            m.savePartial(opts.output, acc, description);
            out(`merged ${parts.length} partials; wrote ${opts.output}`);
            return;
          }
          const k = parseComponents('-k', opts.components);
          if (!(acc instanceof spectral().CovarianceAccumulator)) throw new UsageError('-k fits a PCA model and needs covariance statistics (pca --partial); these are Gram sums');
          const model = spectral().pcaFromAccumulator(acc, k, { whiten: Boolean(opts.whiten), signs: 'max-loading' });
          printVariance(model, `${parts.length} partials: ${model.nSamples} pixels`);
          m.saveModel(opts.output, model, description);
          out(`wrote the model to ${opts.output}`);
      }),
    );
}

/** Where each of several inputs' output goes: `-o` is a folder, the output keeps the input's name. */
function outputsFor(inputs: readonly string[], output: string, cmd: string): string[] {
  const path = require('node:path') as typeof import('node:path');
  const fs = require('node:fs') as typeof import('node:fs');
  if (inputs.length === 1 && extensionOf(output) === 'wav') return [output];
  let isDir = false;
  try {
    isDir = fs.statSync(output).isDirectory();
  } catch {
    /* not there */
  }
  if (!isDir) throw new UsageError(`with several inputs, -o must be an existing folder (each output keeps its input's name); got ${JSON.stringify(output)}`);
  const outs = inputs.map((f) => path.join(output, path.basename(f)));
  inputs.forEach((f, i) => {
    if (path.resolve(f) === path.resolve(outs[i])) throw new UsageError(`${cmd}: the output ${JSON.stringify(outs[i])} would replace its input; give another -o folder`);
  });
  if (new Set(outs).size !== outs.length) throw new UsageError(`${cmd}: two inputs have the same file name, so their outputs would collide in ${JSON.stringify(output)}`);
  return outs;
}

/** Options of `beamform` that {@link runBeamformModes} reads: one file's request without its input, plus the cluster's. */
export type BeamformModeOptions = Omit<BeamformRequest, 'input' | 'format'> & { format: string; redis?: string; queue?: string };

/**
 * `beamform` over several files, or on the cluster (--redis): one job per file; returns false for
 * the plain one-file command. Outputs go into the -o folder under their inputs' names (one input:
 * -o may be the file).
 */
export async function runBeamformModes(inputs: string[], opts: BeamformModeOptions): Promise<boolean> {
  if (inputs.length === 1 && opts.redis === undefined) return false;
  const outs = outputsFor(inputs, opts.output, 'beamform');
  const jobs = inputs.map((input, i) => ({ input, output: outs[i], geometry: opts.geometry, direction: opts.direction, point: opts.point, source: opts.source, method: opts.method, format: opts.format, speedOfSound: opts.speedOfSound, start: opts.start, end: opts.end }));
  if (opts.redis !== undefined) {
    const bar = clusterProgress('files');
    try {
      await cluster().clusterBeamform(jobs, { redis: opts.redis, queue: opts.queue, onProgress: bar.update });
    } finally {
      bar.stop();
    }
  } else {
    const { beamformFile } = require('./beam.js') as typeof import('./beam.js');
    for (const j of jobs) {
      const r = beamformFile({ ...j, format: j.format as import('../io/wav.js').WavFormat });
      for (const w of r.warnings) process.stderr.write(`pointwise beamform: warning: ${w}\n`);
    }
  }
  out(`beamformed ${inputs.length} file(s)${opts.redis !== undefined ? ' on the cluster' : ''}; wrote ${outs.join(', ')}`);
  return true;
}

/** Options of `convolve` that {@link runConvolveModes} reads. */
export interface ConvolveModeOptions {
  output: string;
  mode?: string;
  format?: string;
  normalize?: string;
  precision?: string;
  redis?: string;
  queue?: string;
}

/**
 * `convolve SIGNAL... KERNEL -o DIR` (several signals, the last argument the kernel) or on the
 * cluster (--redis): WAV ⊛ WAV streamed per file, one job each; returns false for the plain command.
 */
export async function runConvolveModes(args: string[], opts: ConvolveModeOptions, format: string): Promise<boolean> {
  if (args.length === 2 && opts.redis === undefined) return false;
  const kernel = args[args.length - 1];
  const inputs = args.slice(0, -1);
  for (const f of args) if (extensionOf(f) !== 'wav') throw new UsageError(`several signals or --redis: every signal and the kernel must be .wav (streamed full convolution); got ${JSON.stringify(f)}`);
  if (opts.mode !== undefined && opts.mode !== 'full') throw new UsageError('several signals or --redis: the convolution is the streamed full one (--mode full)');
  const normalize = opts.normalize as 'none' | 'peak' | 'kernel' | undefined;
  if (normalize !== undefined && !['none', 'peak', 'kernel'].includes(normalize)) throw new UsageError(`--normalize must be one of none, peak, kernel; got ${JSON.stringify(opts.normalize)}`);
  const precision = opts.precision as 'float32' | 'float64' | undefined;
  if (precision !== undefined && !['float32', 'float64'].includes(precision)) throw new UsageError(`--precision must be float32 or float64; got ${JSON.stringify(opts.precision)}`);
  const outs = outputsFor(inputs, opts.output, 'convolve');
  const jobs = inputs.map((input, i) => ({ input, kernel, output: outs[i], format, normalize, precision }));
  if (opts.redis !== undefined) {
    const bar = clusterProgress('files');
    try {
      await cluster().clusterConvolve(jobs, { redis: opts.redis, queue: opts.queue, onProgress: bar.update });
    } finally {
      bar.stop();
    }
  } else {
    const { convolveWavFiles } = require('../convolve/wavfile.js') as typeof import('../convolve/wavfile.js');
    for (const j of jobs) convolveWavFiles(j.input, j.kernel, j.output, { format: j.format as import('../io/wav.js').WavFormat, normalize: j.normalize, precision: j.precision });
  }
  out(`convolved ${inputs.length} file(s) with ${kernel}${opts.redis !== undefined ? ' on the cluster' : ''}; wrote ${outs.join(', ')}`);
  return true;
}

/**
 * Applies a saved 1×1 mixing model to `x`: a mixer layer (pointwise, residual, orthogonal,
 * constrained: its forward pass), a fit (least-squares, constrained, column-stochastic: W·x + b), or
 * a grouped mixer. Returns the output and a description of the model.
 */
export function applyMixModel(modelPath: string, x: Multichannel): { y: Multichannel; what: string } {
  const { model, metadata } = models().loadModelWithMetadata(modelPath);
  const kind = metadata.kind;
  const m = model as unknown as Record<string, unknown>;
  const mixingModule = require('../mixing/index.js') as typeof import('../mixing/index.js');
  switch (kind) {
    case 'pointwise-mixer':
    case 'residual-mixer':
    case 'orthogonal-mixer':
    case 'constrained-mixer':
      return { y: (model as { forward(x: Multichannel): Multichannel }).forward(x), what: kind };
    case 'least-squares-fit':
    case 'constrained-fit':
    case 'column-stochastic-fit': {
      const W = { data: m.weights as Float64Array, rows: m.outChannels as number, cols: m.inChannels as number };
      return { y: mixingModule.mix(x, W, m.bias as Float64Array | undefined), what: `${kind} ${W.rows}×${W.cols}` };
    }
    case 'grouped-mixer': {
      const g = model as import('../io/models.js').GroupedMixerModel;
      return { y: mixingModule.groupedMix(x, { data: g.weights, rows: g.outChannels, cols: g.inChannels / g.groups }, g.groups, g.bias), what: `grouped mixer, ${g.groups} groups` };
    }
    default:
      throw new UsageError(`--model must hold a mixer or a mixing fit (pointwise-mixer, residual-mixer, orthogonal-mixer, constrained-mixer, grouped-mixer, least-squares-fit, constrained-fit, column-stochastic-fit); ${JSON.stringify(modelPath)} holds a ${kind}`);
  }
}

/** Applies a saved projection model (`project --model`): the prediction when it was trained toward targets, else the k projected channels. */
export function applyProjectionModel(modelPath: string, x: Multichannel): Multichannel {
  const model = models().loadModel(modelPath, { kind: 'projection' });
  return model.kind === 'autoencoder' ? model.transform(x) : model.predict(x);
}
