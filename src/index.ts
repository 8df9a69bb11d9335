/**
 * pointwise — fast convolution and 1×1 channel mixing on one multichannel array type.
 *
 * The public API, by module; each module's room is its folder under src/.
 * @packageDocumentation
 */
// core: the Multichannel type and the error family
export * from './core/index.js';
// io: WAV, NPY, .mat and atomic writes
export * from './io/index.js';
export { writeFileAtomic, AtomicWriter } from './io/atomic.js';
// fft: transforms of any length, STFT
export * from './fft/index.js';
// convolve: direct, FFT, overlap-add, streaming
export * from './convolve/index.js';
// mixing: the 1×1 operator, mixer layers, separable convolution, costs
export * from './mixing/index.js';
// train: losses, optimisers, closed-form fits
export * from './train/index.js';
// beamform: geometry, steering, delay-and-sum, patterns, localisation, simulation
export * from './beamform/index.js';
// spectral: ENVI, PCA, learned projection, comparisons
export * from './spectral/index.js';
// constrained: conservation-constrained mixers
export * from './constrained/index.js';
// plot: SVG/PNG figures
export * from './plot/index.js';
// notebook: figures, Multichannels and audio players as rich output in tslab
export * from './notebook/index.js';
