/**
 * pointwise — fast convolution and 1×1 channel mixing on one multichannel array type.
 *
 * The public API, by module: a deliberate list of what a scientist calls (docs/API.md describes
 * each group; test/api/public-index.test.ts pins the list). Validators, unchecked kernels (`gemm`)
 * and plumbing stay inside the package, which imports them from their files.
 * @packageDocumentation
 */
// core: the Multichannel type, the error family, a seeded random generator
export {
  Multichannel, ShapeError, ValueError, ArgumentTypeError, FormatError, FileError, NumericalError,
  isPointwiseError, Rng,
} from './core/index.js';
export type {
  Dtype, ChannelCoords, MultichannelMeta, MultichannelOptions, SignalLike, SampleArray,
} from './core/index.js';

// io: WAV, NPY, MATLAB (v5, v7.3), FLAC, GeoTIFF, Zarr, HDF5/NetCDF-4
export {
  readWav, decodeWav, encodeWav, writeWav, readWavInfo, WavReader, WavWriter, WAV_FORMATS, readNpy,
  decodeNpy, writeNpy, encodeNpy, readFlac, decodeFlac, readFlacInfo, FlacReader, readGeoTiff, decodeGeoTiff,
  readGeoTiffInfo, GeoTiffReader, writeGeoTiff, encodeGeoTiff, readZarr, readZarrLines, writeZarr, zarrChunkSource, ZarrReader,
  ZarrWriter, loadHdf5, openHdf5, listHdf5, readHdf5, writeHdf5, Hdf5File, isHdf5File, readMat73, decodeMat,
  readMat, readMatAsync, matToMultichannel,
} from './io/index.js';
export type {
  WavFormat, WavInfo, WavReadOptions, WavWriteOptions, WavWriterOptions, FlacInfo, FlacReadOptions,
  GeoTiffInfo, GeoTiffReadOptions, GeoTiffWindow, GeoTiffWriteOptions, ZarrArrayInfo, ZarrDataType, ZarrLayout, ZarrReadOptions,
  ZarrWriteOptions, Hdf5AttrValue, Hdf5Entry, Hdf5ReadOptions, Hdf5Array, Hdf5WriteOptions, MatClass,
  MatArray, MatFile, MatReadOptions, MatToMultichannelOptions,
} from './io/index.js';

// io: PNG, atomic writes, SOFA (kept out of io/index.ts: sofa.ts imports beamform's ArrayGeometry, which loads mathjs)
export { encodePng, writePng, decodePng } from './io/png.js';
export { writeFileAtomic } from './io/atomic.js';
export { readSofa, sofaFromHdf5 } from './io/sofa.js';
export type { SofaFile, SofaPositions, SofaReadOptions } from './io/sofa.js';
// io: ranges of files (ENVI lines, WAV frames or times), read without reading the rest
export { readEnviLines, enviLineBlocks, readWavRange, framesOf } from './io/ranges.js';
export type { WavRange, TimeOrFrames } from './io/ranges.js';
// io: models and partial results as .npz files (kept out of io/index.ts: models.ts imports the science modules)
export { encodeNpz, decodeNpz, writeNpz, readNpz } from './io/npz.js';
export type { NpzArray, NpzContents, NpzReadOptions } from './io/npz.js';
export {
  saveModel, loadModel, loadModelWithMetadata, encodeModel, decodeModel, savePartial, loadPartial, mergePartials,
  mergePartialFiles, MODEL_FORMAT_VERSION,
} from './io/models.js';
export type {
  ModelKind, ModelKinds, SavedModel, PartialResult, GroupedMixerModel, ConstrainedFitModel, StochasticFitModel,
  ModelDescription, SaveModelOptions, LoadModelOptions, ModelMetadata,
} from './io/models.js';

// fft: transforms of any length, windows, STFT
export {
  fft, ifft, rfft, irfft, nextFastLength, RealFft, ComplexFft, getWindow, stft, istft, stftTimes, checkCola,
  checkNola, fftfreq, rfftfreq, fftshift, ifftshift, fft2, ifft2, rfft2, irfft2,
} from './fft/index.js';
export type {
  FftNorm, Complex, FftOptions, WindowName, WindowSpec, WindowParams, WindowTuple, WindowOptions,
  ParametricWindowName, StftOptions, Stft, StftBoundary, StftScaling, Array2D, Array2DLike, Complex2D,
  Fft2Options,
} from './fft/index.js';

// convolve: direct, FFT, overlap-add, streaming, 2-D and complex convolution
export {
  convolve, correlate, correlationLags, StreamingConvolver, convolveWavFiles, syntheticRoomResponse,
  convolve2d, correlate2d, convolveComplex, correlateComplex,
} from './convolve/index.js';
export type {
  ConvolveMode, ConvolveMethod, ConvolveOptions, StreamingConvolverOptions, Precision, ConvolveWavOptions,
  ConvolveWavResult, SyntheticRoomOptions, Convolve2dOptions, Convolve2dBoundary, Convolve2dMethod,
  ImageLike, ComplexMultichannel, ComplexSignal, ComplexSignalLike,
} from './convolve/index.js';

// mixing: the 1×1 operator, mixer layers, grouped/shuffled/separable variants, costs
export {
  mix, mixComplex, complexToRealWeights, mixPerBin, PointwiseMixer, groupedMix, blockDiagonal,
  channelShuffle, shufflePermutation, groupConnectivity, depthwiseConvolve, separableConvolve, fullConvolve,
  separableToFull, convolutionCost, randomGroupedWeights, ResidualMixer, OrthogonalMixer, singularValues,
  conditionNumber,
} from './mixing/index.js';
export type {
  ComplexPlanes, MixOptions, WeightsLike, DenseWeights, MixerGradients, MixerInitOptions, KernelsLike,
  FullKernels, LayerConvolveOptions, LayerCost, ConvolutionCostOptions,
} from './mixing/index.js';

// train: losses, optimisers, closed-form least squares, the mini-batch trainer
export {
  mseLoss, softmaxCrossEntropy, SGD, Adam, fitLeastSquares, fitLeastSquaresFromGram, GramAccumulator,
  trainMixer,
} from './train/index.js';
export type {
  LossResult, Optimizer, SgdOptions, AdamOptions, RawGramSums, CentredGramSums, LeastSquaresOptions,
  LeastSquaresFit, TrainOptions, TrainResult, TrainProgress, LossName,
} from './train/index.js';

// beamform: geometry, steering, delay-and-sum, patterns, localisation, simulation, MVDR, Wiener, metrics
export {
  ArrayGeometry, DEFAULT_SPEED_OF_SOUND, direction, geometryScaleWarnings, mirrorDirection, point,
  speedOfSound, toMetres, toDegrees, unitVector, arrivalTimes, farFieldDelays, nearFieldDelays,
  nearFieldGains, steeringDelays, steeringVector, alignChannels, chebyshevWeights, delayAndSum,
  delayAndSumWithDelays, DelayAndSumStream, lagrangeFir, sincFir, taperWeights, fractionalDelay,
  simulatePlaneWave, simulatePointSource, arrayGain, beamformerWeights, beamPattern, directivityIndex,
  whiteNoiseGain, DEFAULT_MAX_GRID_POINTS, DEFAULT_MAX_SRP_WORK, directionGrid, findGridPeaks, gccPhat,
  gridTarget, linspaceStep, pairCorrelations, pointGrid, srpPhat, resamplePoly, mvdr, beamformWav,
  srpPhatParallel, spatialCovariance, estimateSourceCount, music, normMusic, applyFilterAndSum,
  applyPerBinFilter, fitFilterAndSum, fitLeastSquaresPerBin, fitMultichannelWiener, tapStack,
  directToReverberantRatio, measuredArrayGain, segmentalSnr, sir, snr,
} from './beamform/index.js';
export type {
  AngleLike, FarFieldTarget, GeometryMeta, GeometryScaleOptions, LengthLike, NearFieldTarget, SourceMap,
  SpeedLike, Target, SteeringOptions, DelayAndSumOptions, DelayAndSumStreamOptions, DelayMethod,
  FractionalFir, TaperName, SimulateOptions, BeamformerSpec, BeamPattern, NoiseField, PatternOptions,
  GridOptions, GccPhatOptions, GccPhatResult, PairCorrelations, SearchGrid, SrpPeak, SrpPhatOptions,
  SrpPhatResult, PadType, ResamplePolyOptions, MvdrOptions, BeamformWavOptions, SrpPhatParallelOptions,
  SpatialCovariance, SpatialCovarianceOptions, MusicOptions, MusicResult, SourceCountCriterion, FilterAndSum,
  FilterAndSumOptions, MultichannelWienerOptions, PerBinFilter, PerBinLeastSquaresOptions,
  SegmentalSnrOptions, CovarianceInput,
} from './beamform/index.js';

// spectral: ENVI cubes, PCA, learned projection, MNF, detectors, endmembers, false colour
export {
  readEnvi, writeEnvi, readEnviHeader, parseEnviHeader, wavelengthCoords, EnviReader, CovarianceAccumulator,
  DEFAULT_MAX_COVARIANCE_BYTES, accumulateParallel, pca, pcaStream, pcaFromAccumulator, PcaModel,
  syntheticCube, fitProjection, fitProjectionFromGram, ProjectionModel, compareProjections, falseColor,
  writeFalseColorPng, bandsNearest, explainedVarianceCurve, percentile, rx, matchedFilter, ace,
  backgroundStats, mnf, noiseFromDiffs, MnfModel, vca, nfindr, ppi, unmix, refineEndmembers,
} from './spectral/index.js';
export type {
  EnviHeader, EnviInterleave, EnviDataType, EnviReadOptions, EnviWriteOptions, CovarianceOptions,
  MaskOptions, PcaOptions, PcaSolver, PcaSigns, SyntheticCubeOptions, SyntheticScene, ProjectionOptions,
  ProjectionKind, ProjectionComparison, CompareOptions, FalseColorOptions, RgbaImage, BackgroundStats,
  RxOptions, DetectorOptions, MnfOptions, DiffDirection, EndmemberResult, VcaOptions, NfindrOptions,
  PpiOptions, UnmixOptions, UnmixResult,
} from './spectral/index.js';

// constrained: conservation-constrained mixers
export {
  LinearConstraints, totalConservation, weightedConservation, elementConservation, fixedEntries,
  forbiddenPathways, outputSum, parseConservationLaws, fitConstrainedMixer, fitConstrainedMixerFromGram,
  fitPenaltyMixer, projectOntoConstraints, ConstrainedMixer, projectToSimplex, fitColumnStochasticMixer,
  fullyConstrainedAbundances, conservationReport,
} from './constrained/index.js';
export type {
  MatrixInput, RankDeficientPolicy, ConstraintOptions, LinearConstraintsInit, FixedEntry, ChannelLabels,
  ConstrainedFit, ConstrainedFitOptions, ConstrainedMixerOptions, ConstrainedTrainOptions, LossFunction,
  StochasticFitOptions, StochasticFit, AbundanceOptions, ConservationReport, ConservedQuantityReport,
  MixerLike,
} from './constrained/index.js';

// plot: SVG/PNG figures
export {
  svgToPng, linePlot, signalPlot, spectraPlot, barChart, explainedVariancePlot, heatmap, srpMapPlot,
  spectrogramPlot, rgbImagePlot, falseColorPlot, abundanceMapsPlot, beamPatternPlot, colormapColor,
  COLORMAPS, SERIES_COLORS,
} from './plot/index.js';
export type {
  Figure, PngOptions, FigureOptions, AxesOptions, LineSeries, LinePlotOptions, SignalPlotOptions,
  SpectraPlotOptions, BarChartOptions, ExplainedVariancePlotOptions, Marker, HeatmapOptions,
  SrpMapPlotOptions, StftLike, SpectrogramPlotOptions, ImagePlotOptions, FalseColorPlotOptions,
  AbundanceMapsPlotOptions, PatternSeries, BeamPatternPlotOptions, ColormapName,
} from './plot/index.js';

// filter: IIR/FIR design, filtering with state, zero-phase filtering, resampling
export {
  butter, cheby1, cheby2, ellip, bessel, iirfilter, iirnotch, iirpeak, sosfreqz, BESSEL_MAX_ORDER, zpk2sos,
  zpk2tf, tf2zpk, sos2tf, sos2zpk, firwin, firwin2, kaiserord, kaiserBeta, kaiserAtten, remez, upfirdn,
  resample, EXTENSION_MODES, sosfilt, sosfiltZi, SosFilter, lfilter, lfilterZi, LFilter, sosfiltfilt,
  filtfilt, decimate, isStablePolynomial,
} from './filter/index.js';
export type {
  BandType, IirOutput, IirResult, IirOptions, IirFilterOptions, IirFamily, BesselNorm, CriticalFrequency,
  SosFreqzOptions, Zpk, TransferFunction, SosInput, SosPairing, ComplexInput, FirwinOptions, Firwin2Options,
  PassZero, RemezOptions, ExtensionMode, UpfirdnOptions, ResampleOptions, SosfiltOptions, SosFilterOptions,
  FilterResult, SosLike, StateLike, LfilterOptions, LFilterOptions, DecimateOptions, FiltfiltPadType,
  FiltfiltOptions, FiltfiltBaOptions, SosfiltfiltOptions,
} from './filter/index.js';

// spectrum: Welch/CSD/coherence, spectrograms, analytic signals, peaks
export {
  welch, csd, coherence, periodogram, spectrogram, hilbert, detrend, findPeaks, peakProminences, peakWidths,
} from './spectrum/index.js';
export type {
  SpectralOptions, SpectralWindow, SegmentParameters, PowerSpectrum, CrossSpectrum, CoherenceResult,
  CoherenceOptions, Spectrogram, SpectrogramOptions, SpectrogramMode, AnalyticSignal, DetrendOptions,
  FindPeaksOptions, FoundPeaks, PeakProperties, PeakCondition,
} from './spectrum/index.js';

// notebook: figures, Multichannels and audio players as rich output in tslab
export {
  audio, AudioPlayer, DEFAULT_AUDIO_MAX_BYTES, multichannelHtml, show,
} from './notebook/index.js';
export type {
  AudioOptions, SummaryOptions, Showable,
} from './notebook/index.js';

// cluster: BullMQ jobs on Redis — PCA tiles, least-squares Gram sums, beamforming and convolving files
export {
  DEFAULT_QUEUE, JobRefusedError, connectRedis, startWorker, clusterPca, clusterCovariance,
  clusterLeastSquares, clusterGram, clusterBeamform, clusterConvolve, JobFailedError,
} from './cluster/index.js';
export type {
  JobKind, ClusterWorker, ClusterWorkerOptions, ClusterOptions, ClusterPcaOptions, ClusterFitOptions,
  GramPair, BeamformJob, ConvolveJob,
} from './cluster/index.js';

