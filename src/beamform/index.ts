/**
 * beamform: microphone-array geometry, steering, delay-and-sum (time, FFT, STFT, streaming), beam
 * patterns, localisation (GCC-PHAT, SRP-PHAT), simulation and MVDR.
 * @module
 */
export { ArrayGeometry, DEFAULT_SPEED_OF_SOUND, direction, geometryScaleWarnings, mirrorDirection, point, speedOfSound, toMetres, toDegrees, unitVector } from './geometry.js';
export type { AngleLike, FarFieldTarget, GeometryMeta, GeometryScaleOptions, LengthLike, NearFieldTarget, SourceMap, SpeedLike, Target } from './geometry.js';
export { arrivalTimes, farFieldDelays, nearFieldDelays, nearFieldGains, steeringDelays, steeringVector } from './steering.js';
export type { SteeringOptions } from './steering.js';
export { alignChannels, chebyshevWeights, delayAndSum, delayAndSumWithDelays, DelayAndSumStream, lagrangeFir, sincFir, taperWeights } from './das.js';
export type { DelayAndSumOptions, DelayAndSumStreamOptions, DelayMethod, FractionalFir, TaperName } from './das.js';
export { fractionalDelay, simulatePlaneWave, simulatePointSource } from './simulate.js';
export type { SimulateOptions } from './simulate.js';
export { arrayGain, beamformerWeights, beamPattern, directivityIndex, whiteNoiseGain } from './pattern.js';
export type { BeamformerSpec, BeamPattern, NoiseField, PatternOptions } from './pattern.js';
export { DEFAULT_MAX_GRID_POINTS, DEFAULT_MAX_SRP_WORK, directionGrid, findGridPeaks, gccPhat, gridTarget, linspaceCount, linspaceStep, pairCorrelations, pointGrid, srpEvaluate, srpPhat } from './localize.js';
export type { GridOptions } from './localize.js';
export type { GccPhatOptions, GccPhatResult, PairCorrelations, SearchGrid, SrpPeak, SrpPhatOptions, SrpPhatResult } from './localize.js';
export { resamplePoly } from './resample.js';
export type { PadType, ResamplePolyOptions } from './resample.js';
export { mvdr } from './mvdr.js';
export type { MvdrOptions } from './mvdr.js';
export { beamformWav } from './wav.js';
export type { BeamformWavOptions } from './wav.js';
export { srpPhatParallel } from './parallel.js';
export type { SrpPhatParallelOptions } from './parallel.js';
export { spatialCovariance } from './covariance.js';
export type { SpatialCovariance, SpatialCovarianceOptions } from './covariance.js';
export { estimateSourceCount, music, normMusic } from './music.js';
export type { MusicOptions, MusicResult, SourceCountCriterion } from './music.js';
export { applyFilterAndSum, applyPerBinFilter, fitFilterAndSum, fitLeastSquaresPerBin, fitMultichannelWiener, tapStack } from './wiener.js';
export type { FilterAndSum, FilterAndSumOptions, MultichannelWienerOptions, PerBinFilter, PerBinLeastSquaresOptions } from './wiener.js';
export { directToReverberantRatio, measuredArrayGain, segmentalSnr, sir, snr } from './metrics.js';
export type { SegmentalSnrOptions } from './metrics.js';
export type { CovarianceInput } from './covariance.js';
