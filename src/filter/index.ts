/**
 * Digital filters with scipy.signal's conventions: IIR design to second-order sections and the
 * conversions between sections, zeros/poles/gain and transfer functions.
 * @module
 */
export { butter, cheby1, cheby2, ellip, bessel, iirfilter, iirnotch, iirpeak, sosfreqz, BESSEL_MAX_ORDER } from './iir.js';
export type { BandType, IirOutput, IirResult, IirOptions, IirFilterOptions, IirFamily, BesselNorm, CriticalFrequency, SosFreqzOptions } from './iir.js';
export { zpk2sos, zpk2tf, tf2zpk, sos2tf, sos2zpk } from './zpk.js';
export type { Zpk, TransferFunction, SosInput, SosPairing, ComplexInput } from './zpk.js';
