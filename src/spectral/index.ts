/**
 * Hyperspectral cubes: ENVI files, PCA from mergeable covariance sums, a learned 1×1 projection,
 * comparisons between them, false-colour pictures and a synthetic scene generator.
 * @module
 */
export { readEnvi, writeEnvi, readEnviHeader, parseEnviHeader, wavelengthCoords, EnviReader, ENVI_BYTES_PER_VALUE } from './envi.js';
export type { EnviHeader, EnviInterleave, EnviDataType, EnviReadOptions, EnviWriteOptions } from './envi.js';
export { CovarianceAccumulator, DEFAULT_MAX_COVARIANCE_BYTES, SEGMENT_PIXELS, accumulateParallel } from './covariance.js';
export type { CovarianceOptions } from './covariance.js';
export type { MaskOptions } from './covariance.js';
export { pca, pcaStream, pcaFromAccumulator, PcaModel } from './pca.js';
export type { PcaOptions, PcaSolver, PcaSigns } from './pca.js';
export { syntheticCube } from './synthetic.js';
export type { SyntheticCubeOptions, SyntheticScene } from './synthetic.js';
export { fitProjection, fitProjectionFromGram, ProjectionModel } from './projection.js';
export type { ProjectionOptions, ProjectionKind } from './projection.js';
export { compareProjections } from './compare.js';
export type { ProjectionComparison, CompareOptions } from './compare.js';
export { falseColor, writeFalseColorPng, bandsNearest, explainedVarianceCurve, percentile } from './falsecolor.js';
export type { FalseColorOptions, RgbaImage } from './falsecolor.js';
export { rx, matchedFilter, ace, backgroundStats } from './detect.js';
export type { BackgroundStats, RxOptions, DetectorOptions } from './detect.js';
export { mnf, noiseFromDiffs, MnfModel } from './mnf.js';
export type { MnfOptions, DiffDirection } from './mnf.js';
export { vca, nfindr, ppi, unmix, refineEndmembers } from './endmembers.js';
export type { EndmemberResult, VcaOptions, NfindrOptions, PpiOptions, UnmixOptions, UnmixResult } from './endmembers.js';
