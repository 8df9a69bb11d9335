/**
 * Pointwise (1×1) channel mixing: the operator, its kernel, trainable layers, structured variants
 * (grouped, shuffled, depthwise-separable), costs and diagnostics.
 * @module
 */
export { mix, mixComplex, complexToRealWeights, mixPerBin } from './mix.js';
export type { ComplexPlanes, MixOptions } from './mix.js';
export type { WeightsLike, DenseWeights } from './weights.js';
export { PointwiseMixer } from './mixer.js';
export type { MixerGradients, MixerInitOptions } from './mixer.js';
export {
  groupedMix,
  blockDiagonal,
  channelShuffle,
  shufflePermutation,
  groupConnectivity,
  depthwiseConvolve,
  separableConvolve,
  fullConvolve,
  separableToFull,
  convolutionCost,
  randomGroupedWeights,
} from './structured.js';
// (the 'full' | 'same' | 'valid' mode type is the convolve module's ConvolveMode, exported there)
export type { KernelsLike, FullKernels, LayerConvolveOptions, LayerCost, ConvolutionCostOptions } from './structured.js';
export { ResidualMixer, OrthogonalMixer, singularValues, conditionNumber } from './families.js';
