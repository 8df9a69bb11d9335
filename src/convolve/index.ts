/**
 * src/convolve — scipy.signal-grade convolution: convolve / correlate with 'full' | 'same' | 'valid',
 * direct, FFT and overlap-add methods with an 'auto' choice by a benchmark-fitted cost model, multichannel broadcasting.
 * @module
 */
export { convolve, correlate, correlationLags } from './convolve.js';
export type { ConvolveMode, ConvolveMethod, ConvolveOptions } from './convolve.js';
export { StreamingConvolver } from './streaming.js';
export type { StreamingConvolverOptions, Precision } from './streaming.js';
export { convolveWavFiles } from './wavfile.js';
export type { ConvolveWavOptions, ConvolveWavResult } from './wavfile.js';
export { syntheticRoomResponse } from './room.js';
export type { SyntheticRoomOptions } from './room.js';
export { convolve2d, correlate2d } from './convolve2d.js';
export type { Convolve2dOptions, Convolve2dBoundary, Convolve2dMethod, ImageLike } from './convolve2d.js';
export { convolveComplex, correlateComplex } from './complex.js';
export type { ComplexMultichannel, ComplexSignal, ComplexSignalLike } from './complex.js';
