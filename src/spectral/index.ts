/**
 * Hyperspectral cubes: ENVI files, PCA from mergeable covariance sums, a learned 1×1 projection,
 * comparisons between them, false-colour pictures and a synthetic scene generator.
 * @module
 */
export { readEnvi, writeEnvi, readEnviHeader, parseEnviHeader, wavelengthCoords, EnviReader, ENVI_BYTES_PER_VALUE } from './envi.js';
export type { EnviHeader, EnviInterleave, EnviDataType, EnviReadOptions, EnviWriteOptions } from './envi.js';
export { CovarianceAccumulator, SEGMENT_PIXELS } from './covariance.js';
export type { MaskOptions } from './covariance.js';
export { pca, pcaStream, pcaFromAccumulator, PcaModel } from './pca.js';
export type { PcaOptions, PcaSolver, PcaSigns } from './pca.js';
export { syntheticCube } from './synthetic.js';
export type { SyntheticCubeOptions, SyntheticScene } from './synthetic.js';
