/**
 * Digital filters with scipy.signal's conventions: IIR design to second-order sections and the
 * conversions between sections, zeros/poles/gain and transfer functions; FIR design; filtering with
 * state (one call or streamed), zero-phase filtering; rate changes (upfirdn, Fourier resampling).
 * @module
 */
export { butter, cheby1, cheby2, ellip, bessel, iirfilter, iirnotch, iirpeak, sosfreqz, BESSEL_MAX_ORDER } from './iir.js';
export type { BandType, IirOutput, IirResult, IirOptions, IirFilterOptions, IirFamily, BesselNorm, CriticalFrequency, SosFreqzOptions } from './iir.js';
export { zpk2sos, zpk2tf, tf2zpk, sos2tf, sos2zpk } from './zpk.js';
export type { Zpk, TransferFunction, SosInput, SosPairing, ComplexInput } from './zpk.js';
export { firwin, firwin2, kaiserord, kaiserBeta, kaiserAtten, remez } from './fir.js';
export type { FirwinOptions, Firwin2Options, PassZero, RemezOptions } from './fir.js';
export { upfirdn, resample, EXTENSION_MODES } from './resample.js';
export type { ExtensionMode, UpfirdnOptions, ResampleOptions } from './resample.js';
export { sosfilt, sosfiltZi, SosFilter } from './sosfilt.js';
export type { SosfiltOptions, SosFilterOptions, FilterResult, SosLike, StateLike } from './sosfilt.js';
export { lfilter, lfilterZi, LFilter } from './lfilter.js';
export type { LfilterOptions, LFilterOptions } from './lfilter.js';
export { sosfiltfilt, filtfilt } from './filtfilt.js';
export { decimate } from './decimate.js';
export type { DecimateOptions } from './decimate.js';
export type { PadType as FiltfiltPadType, FiltfiltOptions, FiltfiltBaOptions, SosfiltfiltOptions } from './filtfilt.js';
export { isStablePolynomial, StreamFilter } from './coefficients.js';
