import { describe, expect, it } from 'vitest';
import { Multichannel, ShapeError, ValueError } from '../../src/core/index.js';
import {
  blockDiagonal,
  channelShuffle,
  convolutionCost,
  depthwiseConvolve,
  fullConvolve,
  groupConnectivity,
  groupedMix,
  mix,
  randomGroupedWeights,
  separableConvolve,
  separableToFull,
  singularValues,
} from '../../src/mixing/index.js';
import { Rng, expectClose, flat, refSources, expectPointwiseError } from '../helpers/index.js';

/** Oracle: direct full convolution. */
function conv(x: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length + h.length - 1);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < h.length; j++) y[i + j] += x[i] * h[j];
  return y;
}

interface GroupedCase { name: string; Cin: number; Cout: number; groups: number; X: number[][]; weight_grouped: number[][]; W_block_diagonal: number[][]; Y: number[][] }
interface ShuffleCase { name: string; X: number[][]; Y: number[][]; out_channel_from_in_channel: number[] }

describe('groupedMix, blockDiagonal, channelShuffle', () => {
  for (const { label: source, ref } of refSources<{ cases: (GroupedCase | ShuffleCase)[] }>('mix_grouped_shuffle.json')) {
  it(`grouped 1×1 convolution matches torch conv1d(groups=2) and its block-diagonal W [${source}]`, () => {
    const c = ref.cases.find((c) => c.name.includes('groups=2')) as GroupedCase;
    const x = Multichannel.fromChannels(c.X);
    const y = groupedMix(x, c.weight_grouped, c.groups);
    expectClose(y.data, flat(c.Y), { rtol: 1e-12, atol: 1e-12, label: c.name });
    const bd = blockDiagonal(c.weight_grouped, c.groups, c.Cin);
    expectClose(bd.data, flat(c.W_block_diagonal), { atol: 0, label: 'block diagonal' });
    expectClose(mix(x, bd).data, flat(c.Y), { rtol: 1e-12, atol: 1e-12, label: 'mix with block diagonal' });
  });

  it(`channelShuffle matches torch ChannelShuffle(groups=2) [${source}]`, () => {
    const c = ref.cases.find((c) => c.name.includes('ChannelShuffle')) as ShuffleCase;
    const y = channelShuffle(Multichannel.fromChannels(c.X), 2);
    expectClose(y.data, flat(c.Y), { atol: 0, label: c.name });
  });
  }

  it('hand-worked shuffle order and labels follow their channels', () => {
    const x = new Multichannel(Float64Array.of(0, 1, 2, 3, 4, 5), 6, 1, { labels: ['a', 'b', 'c', 'd', 'e', 'f'] });
    const y = channelShuffle(x, 2);
    expect(Array.from(y.data)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(y.labels).toEqual(['a', 'd', 'b', 'e', 'c', 'f']);
    expect(Array.from(channelShuffle(x, 3).data)).toEqual([0, 2, 4, 1, 3, 5]);
  });

  it('groupedMix equals mix with the block-diagonal matrix, with bias (seed 81)', () => {
    const rng = new Rng(81);
    for (const [cin, cout, g] of [[8, 4, 2], [12, 6, 3], [8, 8, 8], [6, 9, 3]] as const) {
      const w = randomGroupedWeights(cin, cout, g, 81 + g);
      const x = new Multichannel(rng.normals(cin * 100), cin, 100);
      const b = rng.normals(cout);
      expectClose(groupedMix(x, w, g, b).data, mix(x, blockDiagonal(w, g, cin), b).data, { rtol: 1e-13, atol: 1e-13, label: `seed 81 ${cin}→${cout}/${g}` });
    }
  });

  it('demonstration: grouped layers alone never cross groups; one shuffle between two does', () => {
    for (const [C, g] of [[6, 2], [12, 3], [16, 4]] as const) {
      for (const layers of [1, 2, 5]) expect(groupConnectivity(C, g, { layers }).crossesGroups).toBe(false);
      const s = groupConnectivity(C, g, { layers: 2, shuffle: true });
      expect(s.crossesGroups).toBe(true);
      expect(s.fullyConnected).toBe(true); // C/g ≥ g here
    }
    // The same numerically: an impulse in channel 0 through two random grouped layers.
    const C = 8, g = 2, T = 1;
    const w1 = randomGroupedWeights(C, C, g, 1);
    const w2 = randomGroupedWeights(C, C, g, 2);
    const impulse = new Multichannel(Float64Array.from({ length: C }, (_, c) => (c === 0 ? 1 : 0)), C, T);
    const plain = groupedMix(groupedMix(impulse, w1, g), w2, g);
    const shuffled = groupedMix(channelShuffle(groupedMix(impulse, w1, g), g), w2, g);
    const reached = (y: Multichannel) => Array.from(y.data).map((v) => v !== 0);
    expect(reached(plain)).toEqual([true, true, true, true, false, false, false, false]);
    expect(reached(shuffled).every(Boolean)).toBe(true);
  });

  it('bad input: groups that do not divide the channels, wrong grouped W shape', () => {
    const x = Multichannel.zeros(6, 4);
    expectPointwiseError(() => groupedMix(x, [[1, 1, 1]], 4), ShapeError, /^groupedMix: groups must divide the input channels \(6\); got 4/);
    expect(() => groupedMix(x, [[1, 1, 1], [1, 1, 1], [1, 1, 1]], 2)).toThrow(/^groupedMix: groups must divide the output channels \(3\); got 2/);
    expect(() => groupedMix(x, [[1, 1], [1, 1]], 2)).toThrow(/^groupedMix: W must be Cout × \(Cin\/groups\) = 2 × 3; got W of 2 × 2/);
    expect(() => groupedMix(x, [[1, 1, NaN], [1, 1, 1]], 2)).toThrow(ValueError);
    expect(() => channelShuffle(x, 4)).toThrow(/^channelShuffle: groups must divide x.channels \(6\); got 4/);
    expect(() => channelShuffle(x, 0)).toThrow(/^channelShuffle: groups must be an integer ≥ 1; got 0/);
  });
});

describe('depthwise, separable and full convolution', () => {
  it('depthwiseConvolve convolves each channel with its own FIR (all modes, seed 91)', () => {
    const rng = new Rng(91);
    const x = new Multichannel(rng.normals(3 * 20), 3, 20, { sampleRate: 1000 });
    const h = [rng.normals(4), rng.normals(4), rng.normals(4)];
    const y = depthwiseConvolve(x, h);
    expect([y.channels, y.length, y.sampleRate]).toEqual([3, 23, 1000]);
    for (let c = 0; c < 3; c++) expectClose(y.channel(c), conv(x.channel(c), h[c]), { rtol: 1e-13, atol: 1e-13, label: `channel ${c}` });
    const same = depthwiseConvolve(x, h, { mode: 'same' });
    expectClose(same.channel(1), conv(x.channel(1), h[1]).subarray(1, 21), { atol: 1e-13, label: 'same' });
    const valid = depthwiseConvolve(x, h, { mode: 'valid' });
    expectClose(valid.channel(2), conv(x.channel(2), h[2]).subarray(3, 20), { atol: 1e-13, label: 'valid' });
    // hand-worked [1,2,3] * [1,2,3]
    expect(Array.from(depthwiseConvolve(Multichannel.fromChannels([[1, 2, 3]]), [[1, 2, 3]]).data)).toEqual([1, 4, 10, 12, 9]);
  });

  it('long channels (through the convolve module when present) agree with the direct oracle (seed 92)', () => {
    const rng = new Rng(92);
    const x = new Multichannel(rng.normals(2 * 3000), 2, 3000);
    const h = [rng.normals(40), rng.normals(40)];
    const y = depthwiseConvolve(x, h);
    for (let c = 0; c < 2; c++) expectClose(y.channel(c), conv(x.channel(c), h[c]), { rtol: 1e-10, atol: 1e-10, label: `long channel ${c}` });
  });

  it('a separable layer equals the full layer whose per-input kernel blocks are rank 1 (seed 93)', () => {
    const rng = new Rng(93);
    const cin = 4, cout = 3, k = 5, n = 30;
    const x = new Multichannel(rng.normals(cin * n), cin, n);
    const d = Array.from({ length: cin }, () => rng.normals(k));
    const W = { data: rng.normals(cout * cin), rows: cout, cols: cin };
    const b = rng.normals(cout);
    const sep = separableConvolve(x, d, W, { bias: b });
    const h = separableToFull(d, W);
    const full = fullConvolve(x, h, { bias: b });
    expectClose(sep.data, full.data, { rtol: 1e-12, atol: 1e-12, label: 'separable vs full' });
    for (let i = 0; i < cin; i++) {
      const block = h.map((row) => Array.from(row[i])); // Cout × k
      const s = singularValues(block);
      expect(s[1] / s[0]).toBeLessThan(1e-14);
    }
    // and a generic full layer (random kernels, rank > 1 blocks) is NOT separable
    const hr = Array.from({ length: cout }, () => Array.from({ length: cin }, () => rng.normals(k)));
    expect(singularValues(hr.map((row) => Array.from(row[0])))[1]).toBeGreaterThan(1e-3);
    // full against the direct definition
    const y = fullConvolve(x, hr);
    for (let o = 0; o < cout; o++) {
      const e = new Float64Array(n + k - 1);
      for (let i = 0; i < cin; i++) conv(x.channel(i), hr[o][i]).forEach((v, t) => (e[t] += v));
      expectClose(y.channel(o), e, { rtol: 1e-12, atol: 1e-12, label: `full o=${o}` });
    }
  });

  it('convolutionCost: separable/standard = 1/Cout + 1/k² for k×k kernels (and 1/Cout + 1/k in 1-D)', () => {
    for (const [cin, cout, k] of [[32, 64, 3], [3, 16, 5], [128, 256, 7], [1, 1, 1]] as const) {
      const c = convolutionCost({ inChannels: cin, outChannels: cout, kernelSize: [k, k], outputPositions: 56 * 56 });
      expect(c.macRatio).toBeCloseTo(1 / cout + 1 / (k * k), 14);
      expect(c.parameterRatio).toBeCloseTo(1 / cout + 1 / (k * k), 14);
      expect(c.standard.parameters).toBe(cout * cin * k * k);
      expect(c.separable.parameters).toBe(cin * k * k + cout * cin);
      expect(c.standard.macs).toBe(cout * cin * k * k * 56 * 56);
      expect(convolutionCost({ inChannels: cin, outChannels: cout, kernelSize: k }).macRatio).toBeCloseTo(1 / cout + 1 / k, 14);
    }
    expect(convolutionCost({ inChannels: 2, outChannels: 4, kernelSize: 3, bias: true }).standard.parameters).toBe(28);
    expect(() => convolutionCost({ inChannels: 2, outChannels: 4, kernelSize: [3, 0] })).toThrow(/^convolutionCost: kernelSize\[1\] must be an integer ≥ 1; got 0/);
  });

  it('bad input: kernel count, ragged kernels, non-finite taps, unknown mode', () => {
    const x = Multichannel.zeros(2, 10);
    expect(() => depthwiseConvolve(x, [[1, 2]])).toThrow(/^depthwiseConvolve: kernels must have one kernel per channel \(2\); got 1/);
    expect(() => depthwiseConvolve(x, [[1, 2], [1]])).toThrow(/^depthwiseConvolve: every kernel in kernels must have length 2; got kernel 1 of length 1/);
    expect(() => depthwiseConvolve(x, [[1, NaN], [1, 1]])).toThrow(ValueError);
    expect(() => depthwiseConvolve(x, [[1], [1]], { mode: 'circular' as never })).toThrow(/^depthwiseConvolve: options\.mode must be one of 'full', 'same', 'valid'; got "circular"/);
    expect(() => separableConvolve(x, [[1], [1]], [[1, 2, 3]])).toThrow(/^separableConvolve: W must have one column per input channel \(x.channels = 2\)/);
    expect(() => fullConvolve(x, [[[1]]])).toThrow(/^fullConvolve: h\[0\] must hold one kernel per input channel \(2\); got 1/);
  });
});
