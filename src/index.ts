/**
 * pointwise — fast convolution and 1×1 channel mixing on one multichannel array type.
 *
 * The public API, by module; each module's room is its folder under src/.
 * @packageDocumentation
 */
// core: the Multichannel type and the error family
export * from './core/index.js';
// io: WAV, NPY, MATLAB (v5, v7.3), FLAC, GeoTIFF, Zarr, HDF5/NetCDF-4, size budgets and atomic writes
export * from './io/index.js';
export { writeFileAtomic, AtomicWriter } from './io/atomic.js';
// io: SOFA (kept out of io/index.ts: sofa.ts imports beamform's ArrayGeometry, which loads mathjs)
export { readSofa, sofaFromHdf5 } from './io/sofa.js';
export type { SofaFile, SofaPositions, SofaReadOptions } from './io/sofa.js';
// fft: transforms of any length, STFT
export * from './fft/index.js';
// convolve: direct, FFT, overlap-add, streaming
export * from './convolve/index.js';
// linalg: the numeric layer's public kernel (gemm)
export * from './linalg/index.js';
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
// filter: IIR/FIR design, filtering with state, resampling
export * from './filter/index.js';
// spectrum: Welch/CSD/coherence, spectrograms, analytic signals, peaks
export * from './spectrum/index.js';
// notebook: figures, Multichannels and audio players as rich output in tslab
export * from './notebook/index.js';
// io: models and partial results as .npz files (kept out of io/index.ts: models.ts imports the science modules)
export { encodeNpz, decodeNpz, writeNpz, readNpz, encodeNpyArray } from './io/npz.js';
export type { NpzArray, NpzContents, NpzReadOptions } from './io/npz.js';
export { saveModel, loadModel, loadModelWithMetadata, encodeModel, decodeModel, savePartial, loadPartial, mergePartials, mergePartialFiles, MODEL_FORMAT_VERSION } from './io/models.js';
export type { ModelKind, ModelKinds, SavedModel, PartialResult, GroupedMixerModel, ConstrainedFitModel, StochasticFitModel, ModelDescription, SaveModelOptions, LoadModelOptions, ModelMetadata } from './io/models.js';
// io: ranges of files (ENVI lines, WAV frames or times), read without reading the rest
export { readEnviLines, enviLineBlocks, readWavRange, wavRangeFrames, framesOf, parseIndexRange } from './io/ranges.js';
export type { WavRange, TimeOrFrames } from './io/ranges.js';
// cluster: BullMQ jobs on Redis — PCA tiles, beamforming and convolving files; workers with path roots
export * from './cluster/index.js';
