/**
 * src/fft — the FFT layer (the package's only importer of fft.js): numpy-compatible transforms of any
 * length, cached plans, a reusable {@link RealFft} for hot loops, windows and the STFT.
 * @module
 */
export { fft, ifft, rfft, irfft, nextFastLength } from './transforms.js';
export type { FftNorm, Complex, FftOptions } from './transforms.js';
export { RealFft, ComplexFft } from './plan.js';
export { getWindow } from './window.js';
export type { WindowName, WindowSpec, WindowParams, WindowTuple, WindowOptions, ParametricWindowName } from './window.js';
export { stft, istft, stftTimes, checkCola, checkNola } from './stft.js';
export type { StftOptions, Stft, StftBoundary, StftScaling } from './stft.js';
export { fftfreq, rfftfreq, fftshift, ifftshift } from './freqs.js';
export { fft2, ifft2, rfft2, irfft2 } from './fft2.js';
export type { Array2D, Array2DLike, Complex2D, Fft2Options } from './fft2.js';
