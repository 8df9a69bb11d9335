/**
 * Spectral estimation and signal analysis with scipy.signal's semantics: Welch/CSD/coherence,
 * periodograms and spectrograms, analytic signals, detrending and peak finding.
 * @module
 */
export { welch, csd, coherence, periodogram, spectrogram, medianBias } from './spectral.js';
export type { SpectralOptions, SpectralWindow, SegmentParameters, PowerSpectrum, CrossSpectrum, CoherenceResult, CoherenceOptions, Spectrogram, SpectrogramOptions, SpectrogramMode } from './spectral.js';
export { hilbert, detrend } from './analytic.js';
export type { AnalyticSignal, DetrendOptions } from './analytic.js';
export { findPeaks, peakProminences, peakWidths } from './peaks.js';
export type { FindPeaksOptions, FoundPeaks, PeakProperties, PeakCondition } from './peaks.js';
