/**
 * Structured 1×1 mixes from the field: grouped mixing (block-diagonal W), channel shuffle,
 * depthwise convolution, depthwise-separable convolution, the full multichannel convolution it
 * factorises, and their costs.
 * @module
 */
import { convolve, type ConvolveMode } from '../convolve/index.js';
import { modeRange } from '../convolve/convolve.js';
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, allocate } from '../core/multichannel.js';
import { Rng } from '../core/random.js';
import { assertAllFinite, assertInteger, assertOneOf } from '../core/validate.js';
import { gemm } from '../linalg/gemm.js';
import { assertMultichannel, mixDense, mixedMeta } from './mix.js';
import { toBias, toDenseWeights, type DenseWeights, type WeightsLike } from './weights.js';

const MODES = ['full', 'same', 'valid'] as const;

function checkGroups(fn: string, groups: unknown, cin: number, cout: number): number {
  assertInteger(fn, 'groups', groups, 1);
  if (cin % groups !== 0) throw new ShapeError(message(fn, `groups must divide the input channels (${cin})`, groups));
  if (cout % groups !== 0) throw new ShapeError(message(fn, `groups must divide the output channels (${cout})`, groups));
  return groups;
}

/**
 * Grouped 1×1 mix (a 1×1 convolution with `groups`, as torch `conv1d(groups=g)`): the channels are
 * cut into `g` consecutive groups and group `k`'s outputs mix only group `k`'s inputs, i.e. `W` is
 * block diagonal. `W` is given compactly as `Cout × (Cin/g)` (torch's weight layout: row `o` belongs
 * to group `⌊o/(Cout/g)⌋` and column `j` multiplies input channel `k·Cin/g + j`).
 *
 * Shapes `[Cin, T] → [Cout, T]`; cost `Cout·Cin·T/g` multiply-adds (g times fewer than {@link mix}).
 * Equals `mix(x, blockDiagonal(W, groups, Cin))` exactly; matches torch (../shared/refs/mix_grouped_shuffle.json).
 * @throws ShapeError when `groups` does not divide Cin or Cout, or W is not `Cout × Cin/g`; ValueError for non-finite weights.
 * @example
 * // 4 channels, 2 groups: outputs 0–1 mix inputs 0–1, outputs 2–3 mix inputs 2–3
 * groupedMix(x4, [[1, 1], [1, -1], [1, 1], [1, -1]], 2);
 */
export function groupedMix(x: Multichannel, W: WeightsLike, groups: number, bias?: ArrayLike<number>): Multichannel {
  const fn = 'groupedMix';
  assertMultichannel(fn, 'x', x);
  const w = toDenseWeights(fn, 'W', W);
  checkGroups(fn, groups, x.channels, w.rows);
  const cinG = x.channels / groups;
  if (w.cols !== cinG) {
    throw new ShapeError(message(fn, `W must be Cout × (Cin/groups) = ${w.rows} × ${cinG}`, { verbatim: `W of ${w.rows} × ${w.cols}` }));
  }
  const b = toBias(fn, 'bias', bias, w.rows);
  const T = x.length;
  const coutG = w.rows / groups;
  const out = allocate(x.dtype, w.rows * T);
  for (let k = 0; k < groups; k++) {
    const wk = w.data.subarray(k * coutG * cinG, (k + 1) * coutG * cinG);
    const xk = x.data.subarray(k * cinG * T, (k + 1) * cinG * T);
    const yk = out.subarray(k * coutG * T, (k + 1) * coutG * T);
    gemm(wk, coutG, cinG, xk, T, yk, b ? b.subarray(k * coutG, (k + 1) * coutG) : undefined);
  }
  return new Multichannel(out, w.rows, T, mixedMeta(x));
}

/**
 * The full `Cout × Cin` block-diagonal matrix of a grouped mix whose compact weights are
 * `Cout × (Cin/groups)` (see {@link groupedMix}).
 * @throws ShapeError when groups does not divide the channel counts.
 * @example blockDiagonal([[1, 2], [3, 4]], 2, 4).data // [1, 2, 0, 0,  0, 0, 3, 4]
 */
export function blockDiagonal(W: WeightsLike, groups: number, inChannels: number): DenseWeights {
  const fn = 'blockDiagonal';
  const w = toDenseWeights(fn, 'W', W);
  assertInteger(fn, 'inChannels', inChannels, 1);
  checkGroups(fn, groups, inChannels, w.rows);
  const cinG = inChannels / groups;
  if (w.cols !== cinG) throw new ShapeError(message(fn, `W must be Cout × (inChannels/groups) = ${w.rows} × ${cinG}`, { verbatim: `W of ${w.rows} × ${w.cols}` }));
  const coutG = w.rows / groups;
  const data = new Float64Array(w.rows * inChannels);
  for (let o = 0; o < w.rows; o++) {
    const k = Math.floor(o / coutG);
    for (let j = 0; j < cinG; j++) data[o * inChannels + k * cinG + j] = w.data[o * cinG + j];
  }
  return { data, rows: w.rows, cols: inChannels };
}

/**
 * The channel-shuffle permutation of ShuffleNet (torch `nn.ChannelShuffle`): view the channels as
 * `(groups, C/groups)`, transpose, flatten. Output channel `i` is input channel
 * `(i mod g)·(C/g) + ⌊i/g⌋`. Returns that source index per output channel.
 * @throws ShapeError when groups does not divide channels.
 * @example shufflePermutation(6, 2) // Int32Array [0, 3, 1, 4, 2, 5]
 */
export function shufflePermutation(channels: number, groups: number): Int32Array {
  const fn = 'shufflePermutation';
  assertInteger(fn, 'channels', channels, 1);
  checkGroups(fn, groups, channels, channels);
  const per = channels / groups;
  const p = new Int32Array(channels);
  for (let i = 0; i < channels; i++) p[i] = (i % groups) * per + Math.floor(i / groups);
  return p;
}

/**
 * Channel shuffle (ShuffleNet; torch `nn.ChannelShuffle(groups)`): `y[i] = x[(i mod g)·(C/g) + ⌊i/g⌋]`,
 * so that after it each group of a following grouped layer sees one channel from every group.
 * Shapes `[C, T] → [C, T]` (a copy; labels and coordinates follow their channels).
 * Matches ../shared/refs/mix_grouped_shuffle.json.
 * @throws ShapeError when groups does not divide x.channels.
 * @example channelShuffle(x6, 2) // channel order 0, 3, 1, 4, 2, 5
 */
export function channelShuffle(x: Multichannel, groups: number): Multichannel {
  const fn = 'channelShuffle';
  assertMultichannel(fn, 'x', x);
  assertInteger(fn, 'groups', groups, 1);
  if (x.channels % groups !== 0) throw new ShapeError(message(fn, `groups must divide x.channels (${x.channels})`, groups));
  return x.selectChannels(Array.from(shufflePermutation(x.channels, groups)));
}

/**
 * Which inputs can reach which outputs through `layers` grouped 1×1 layers on `channels` channels
 * (`groups` groups, every weight in the blocks non-zero), with or without a channel shuffle between
 * consecutive layers. `reach[o·C + i] = 1` when output `o` depends on input `i`.
 *
 * The point it demonstrates (ShuffleNet): stacked grouped layers alone never let information cross
 * groups (`reach` stays block diagonal whatever the depth), while one shuffle between two grouped
 * layers connects every output to every group (to every input when `C/g ≥ g`).
 * Complexity `O(layers · C³ / g)`.
 * @throws ShapeError when groups does not divide channels.
 * @example
 * groupConnectivity(8, 2).crossesGroups                   // false
 * groupConnectivity(8, 2, { shuffle: true }).fullyConnected // true
 */
export function groupConnectivity(channels: number, groups: number, options: { layers?: number; shuffle?: boolean } = {}): {
  reach: Uint8Array;
  crossesGroups: boolean;
  fullyConnected: boolean;
} {
  const fn = 'groupConnectivity';
  assertInteger(fn, 'channels', channels, 1);
  checkGroups(fn, groups, channels, channels);
  const layers = options.layers ?? 2;
  assertInteger(fn, 'options.layers', layers, 1);
  const C = channels;
  const per = C / groups;
  const perm = shufflePermutation(C, groups);
  // reach starts as identity; each layer: reach ← M · reach with M the block-diagonal mask.
  let reach = new Uint8Array(C * C);
  for (let c = 0; c < C; c++) reach[c * C + c] = 1;
  for (let l = 0; l < layers; l++) {
    if (l > 0 && options.shuffle) {
      const s = new Uint8Array(C * C);
      for (let o = 0; o < C; o++) s.set(reach.subarray(perm[o] * C, (perm[o] + 1) * C), o * C);
      reach = s;
    }
    const next = new Uint8Array(C * C);
    for (let o = 0; o < C; o++) {
      const k = Math.floor(o / per);
      for (let j = k * per; j < (k + 1) * per; j++) {
        for (let i = 0; i < C; i++) if (reach[j * C + i]) next[o * C + i] = 1;
      }
    }
    reach = next;
  }
  let crosses = false;
  let full = true;
  for (let o = 0; o < C; o++) {
    for (let i = 0; i < C; i++) {
      if (reach[o * C + i]) {
        if (Math.floor(o / per) !== Math.floor(i / per)) crosses = true;
      } else full = false;
    }
  }
  return { reach, crossesGroups: crosses, fullyConnected: full };
}

/** Per-channel kernels: a Multichannel `[C, k]` or one array per channel (equal lengths). */
export type KernelsLike = Multichannel | readonly ArrayLike<number>[];

function toKernels(fn: string, name: string, h: unknown, channels: number): { data: Float64Array; k: number } {
  let data: Float64Array;
  let C: number;
  let k: number;
  if (h instanceof Multichannel) {
    C = h.channels;
    k = h.length;
    data = Float64Array.from(h.data);
  } else if (Array.isArray(h)) {
    C = h.length;
    if (C === 0) throw new ShapeError(message(fn, `${name} must have one kernel per channel (${channels})`, 0));
    const first = h[0] as unknown;
    if (!(first instanceof Float64Array || first instanceof Float32Array || Array.isArray(first))) {
      throw new ArgumentTypeError(message(fn, `${name}[0] must be an array of numbers`, first));
    }
    k = (first as ArrayLike<number>).length;
    data = new Float64Array(C * k);
    h.forEach((row: unknown, c: number) => {
      if (!(row instanceof Float64Array || row instanceof Float32Array || Array.isArray(row))) throw new ArgumentTypeError(message(fn, `${name}[${c}] must be an array of numbers`, row));
      const r = row as ArrayLike<number>;
      if (r.length !== k) throw new ShapeError(message(fn, `every kernel in ${name} must have length ${k}`, { verbatim: `kernel ${c} of length ${r.length}` }));
      for (let j = 0; j < k; j++) data[c * k + j] = Number(r[j]);
    });
  } else {
    throw new ArgumentTypeError(message(fn, `${name} must be a Multichannel [C, k] or an array of per-channel kernels`, h));
  }
  if (C !== channels) throw new ShapeError(message(fn, `${name} must have one kernel per channel (${channels})`, C));
  if (k === 0) throw new ShapeError(message(fn, `${name} kernels must not be empty`, 0));
  for (let j = 0; j < data.length; j++) {
    if (!Number.isFinite(data[j])) throw new ValueError(message(fn, `${name} must hold only finite values`, { verbatim: `${data[j]} in kernel ${Math.floor(j / k)} at tap ${j % k}` }));
  }
  return { data, k };
}

/** Above this many multiply-adds per channel pair, the convolve module chooses its method ('auto': FFT or overlap-add when faster); up to it, its direct method. */
const DIRECT_LIMIT = 1 << 16;

/** `out[outOff + m] += (x ⊛ h)[m]` over the samples that `mode` keeps, by the convolve module. */
function convolveAdd(x: Float64Array, h: Float64Array, mode: ConvolveMode, out: Float64Array, outOff: number): void {
  const d = convolve(x, h, { mode, method: x.length * h.length > DIRECT_LIMIT ? 'auto' : 'direct' }).data;
  for (let m = 0; m < d.length; m++) out[outOff + m] += d[m];
}

/** Options of the convolution layers. */
export interface LayerConvolveOptions {
  /** Output length convention (default 'full': n + k − 1). */
  mode?: ConvolveMode;
}

/**
 * Depthwise convolution: channel `c` convolved with its own FIR `h_c` (`y_c = h_c * x_c`).
 * Shapes `[C, n]` and kernels `[C, k]` → `[C, L]` with L = n + k − 1 ('full'), n ('same') or
 * |n − k| + 1 ('valid'), float64. Each channel goes through the convolve module's `convolve`: its
 * direct method for short channels (n·k ≤ 65536), its method choice (FFT or overlap-add when
 * faster) for long ones. Complexity `C·n·k` direct.
 * @throws ShapeError when the number of kernels ≠ x.channels; ValueError for NaN / ±Infinity in x or the taps, or an unknown mode.
 * @example depthwiseConvolve(Multichannel.fromChannels([[1, 2, 3]]), [[1, 2, 3]]).data // [1, 4, 10, 12, 9]
 */
export function depthwiseConvolve(x: Multichannel, kernels: KernelsLike, options: LayerConvolveOptions = {}): Multichannel {
  const fn = 'depthwiseConvolve';
  assertMultichannel(fn, 'x', x);
  const mode = assertOneOf(fn, 'options.mode', options.mode ?? 'full', MODES);
  const { data: h, k } = toKernels(fn, 'kernels', kernels, x.channels);
  const n = x.length;
  if (n === 0) throw new ShapeError(message(fn, 'x must not be empty', x));
  assertAllFinite(fn, 'x', x.data);
  const L = modeRange(n, k, mode).length;
  const out = new Float64Array(x.channels * L);
  for (let c = 0; c < x.channels; c++) {
    const xc = Float64Array.from(x.data.subarray(c * n, (c + 1) * n));
    convolveAdd(xc, h.subarray(c * k, (c + 1) * k), mode, out, c * L);
  }
  return new Multichannel(out, x.channels, L, x.sampleRate !== undefined ? { sampleRate: x.sampleRate } : {});
}

/**
 * Depthwise-separable convolution (MobileNet / Xception): {@link depthwiseConvolve} with one FIR per
 * input channel, then the pointwise mix `W` (`Cout × Cin`) and optional bias.
 * Equals the full convolution whose kernels are `h_{o,i} = W[o,i]·d_i` — a rank-1 per-input block —
 * (tested against {@link fullConvolve}). Shapes `[Cin, n]`, `[Cin, k]`, `Cout × Cin` → `[Cout, L]`.
 * Cost `Cin·k·L + Cout·Cin·L` multiply-adds against `Cout·Cin·k·L` for the full layer
 * ({@link convolutionCost}).
 * @throws ShapeError / ValueError as depthwiseConvolve and mix.
 * @example separableConvolve(x3, [d0, d1, d2], W, { mode: 'same' }) // W is Cout × 3
 */
export function separableConvolve(x: Multichannel, depthwiseKernels: KernelsLike, W: WeightsLike, options: LayerConvolveOptions & { bias?: ArrayLike<number> } = {}): Multichannel {
  const fn = 'separableConvolve';
  assertMultichannel(fn, 'x', x);
  const w = toDenseWeights(fn, 'W', W);
  if (w.cols !== x.channels) throw new ShapeError(message(fn, `W must have one column per input channel (x.channels = ${x.channels})`, { verbatim: `W of ${w.rows} × ${w.cols}` }));
  const b = toBias(fn, 'options.bias', options.bias, w.rows);
  const d = depthwiseConvolve(x, depthwiseKernels, { mode: options.mode });
  return mixDense(d, w, b);
}

/** Kernels of a full multichannel convolution: `h[o][i]` the FIR from input i to output o (all of length k). */
export type FullKernels = readonly (readonly ArrayLike<number>[])[];

/**
 * Full multichannel convolution (a standard 1-D convolution layer): `y_o = Σ_i h_{o,i} * x_i (+ b_o)`.
 * `h` is nested `h[o][i]` (Cout × Cin FIRs of equal length k). Shapes `[Cin, n]` → `[Cout, L]`
 * (L by `mode`, as {@link depthwiseConvolve}), float64. Cost `Cout·Cin·k·L` multiply-adds direct
 * (each pair through the convolve module when long).
 * @throws ShapeError when h is not Cout × Cin kernels of one length; ValueError for NaN / ±Infinity in x or the taps.
 * @example fullConvolve(x2, [[[1, 1], [0, 1]]]) // one output: (x0 * [1, 1]) + (x1 * [0, 1])
 */
export function fullConvolve(x: Multichannel, h: FullKernels, options: LayerConvolveOptions & { bias?: ArrayLike<number> } = {}): Multichannel {
  const fn = 'fullConvolve';
  assertMultichannel(fn, 'x', x);
  const mode = assertOneOf(fn, 'options.mode', options.mode ?? 'full', MODES);
  if (!Array.isArray(h) || h.length === 0) throw new ArgumentTypeError(message(fn, 'h must be nested arrays h[out][in] of kernels', h));
  const Cout = h.length;
  const Cin = x.channels;
  const n = x.length;
  if (n === 0) throw new ShapeError(message(fn, 'x must not be empty', x));
  assertAllFinite(fn, 'x', x.data);
  const rows = h.map((row: unknown, o: number) => {
    if (!Array.isArray(row)) throw new ArgumentTypeError(message(fn, `h[${o}] must be an array of Cin = ${Cin} kernels`, row));
    if (row.length !== Cin) throw new ShapeError(message(fn, `h[${o}] must hold one kernel per input channel (${Cin})`, row.length));
    return toKernels(fn, `h[${o}]`, row, Cin);
  });
  const k = rows[0].k;
  rows.forEach((r, o) => {
    if (r.k !== k) throw new ShapeError(message(fn, `every kernel must have length ${k}`, { verbatim: `h[${o}] kernels of length ${r.k}` }));
  });
  const b = toBias(fn, 'options.bias', options.bias, Cout);
  const L = modeRange(n, k, mode).length;
  const out = new Float64Array(Cout * L);
  const xs: Float64Array[] = [];
  for (let i = 0; i < Cin; i++) xs.push(Float64Array.from(x.data.subarray(i * n, (i + 1) * n)));
  for (let o = 0; o < Cout; o++) {
    if (b) out.fill(b[o], o * L, (o + 1) * L);
    for (let i = 0; i < Cin; i++) convolveAdd(xs[i], rows[o].data.subarray(i * k, (i + 1) * k), mode, out, o * L);
  }
  return new Multichannel(out, Cout, L, x.sampleRate !== undefined ? { sampleRate: x.sampleRate } : {});
}

/**
 * The full kernels `h[o][i] = W[o,i]·d_i` of the standard convolution that a separable layer
 * (depthwise kernels `d`, pointwise `W`) equals. Each per-input block `[h_{0,i}; …; h_{Cout−1,i}]`
 * (Cout × k) is the rank-1 outer product `W[:, i] ⊗ d_i`.
 * @example fullConvolve(x, separableToFull(d, W)) // equals separableConvolve(x, d, W)
 */
export function separableToFull(depthwiseKernels: KernelsLike, W: WeightsLike): Float64Array[][] {
  const fn = 'separableToFull';
  const w = toDenseWeights(fn, 'W', W);
  const { data: d, k } = toKernels(fn, 'depthwiseKernels', depthwiseKernels, w.cols);
  const h: Float64Array[][] = [];
  for (let o = 0; o < w.rows; o++) {
    const row: Float64Array[] = [];
    for (let i = 0; i < w.cols; i++) {
      const f = new Float64Array(k);
      for (let j = 0; j < k; j++) f[j] = w.data[o * w.cols + i] * d[i * k + j];
      row.push(f);
    }
    h.push(row);
  }
  return h;
}

/** Parameters and multiply-adds of one layer. */
export interface LayerCost {
  parameters: number;
  macs: number;
}

/** Options of {@link convolutionCost}. */
export interface ConvolutionCostOptions {
  inChannels: number;
  outChannels: number;
  /** Kernel size: `k` for 1-D, `[kh, kw]` for 2-D (k² taps when square), any dimensions. */
  kernelSize: number | readonly number[];
  /** Output positions (samples or pixels) the MACs are counted over (default 1: MACs per position). */
  outputPositions?: number;
  /** Count a bias per output channel (default false). */
  bias?: boolean;
}

/**
 * Parameters and MACs of a standard convolution layer versus its depthwise-separable factorisation
 * (without bias unless asked): with K = ∏ kernelSize taps and P output positions,
 * standard: `Cout·Cin·K` parameters, `Cout·Cin·K·P` MACs;
 * separable: depthwise `Cin·K` + pointwise `Cout·Cin` parameters, `(Cin·K + Cout·Cin)·P` MACs.
 * Without bias both ratios are exactly `1/Cout + 1/K` (`1/Cout + 1/k²` for a k×k kernel).
 * @example convolutionCost({ inChannels: 32, outChannels: 64, kernelSize: [3, 3] }).macRatio // 1/64 + 1/9
 */
export function convolutionCost(options: ConvolutionCostOptions): {
  standard: LayerCost;
  separable: LayerCost & { depthwise: LayerCost; pointwise: LayerCost };
  parameterRatio: number;
  macRatio: number;
} {
  const fn = 'convolutionCost';
  const { inChannels: cin, outChannels: cout } = options;
  assertInteger(fn, 'options.inChannels', cin, 1);
  assertInteger(fn, 'options.outChannels', cout, 1);
  const ks = typeof options.kernelSize === 'number' ? [options.kernelSize] : options.kernelSize;
  if (!Array.isArray(ks) || ks.length === 0) throw new ArgumentTypeError(message(fn, 'options.kernelSize must be a number or a non-empty array of sizes', options.kernelSize));
  ks.forEach((s, j) => assertInteger(fn, `kernelSize[${j}]`, s, 1));
  const K = ks.reduce((a: number, b: number) => a * b, 1);
  const P = options.outputPositions ?? 1;
  assertInteger(fn, 'options.outputPositions', P, 0);
  const nb = options.bias ? cout : 0;
  const standard = { parameters: cout * cin * K + nb, macs: cout * cin * K * P };
  const depthwise = { parameters: cin * K, macs: cin * K * P };
  const pointwise = { parameters: cout * cin + nb, macs: cout * cin * P };
  const separable = { parameters: depthwise.parameters + pointwise.parameters, macs: depthwise.macs + pointwise.macs, depthwise, pointwise };
  return {
    standard,
    separable,
    parameterRatio: separable.parameters / standard.parameters,
    macRatio: P === 0 ? NaN : separable.macs / standard.macs,
  };
}

/**
 * Random grouped weights `Cout × Cin/g` (Glorot-uniform per group, seeded), for demonstrations and tests.
 * @example groupedMix(x, randomGroupedWeights(8, 8, 2, 1), 2)
 */
export function randomGroupedWeights(inChannels: number, outChannels: number, groups: number, seed = 0): DenseWeights {
  const fn = 'randomGroupedWeights';
  assertInteger(fn, 'options.inChannels', inChannels, 1);
  assertInteger(fn, 'options.outChannels', outChannels, 1);
  checkGroups(fn, groups, inChannels, outChannels);
  const cinG = inChannels / groups;
  const a = Math.sqrt(6 / (cinG + outChannels / groups));
  return { data: new Rng(seed).array(outChannels * cinG, -a, a), rows: outChannels, cols: cinG };
}
