/**
 * Library modules loaded on first use, so `pointwise --help` and light commands do not pay for
 * heavy dependencies they never touch (mathjs alone takes over a second to load). Each getter is
 * typed as the module it returns.
 * @module
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const io = (): typeof import('../io/index.js') => require('../io/index.js') as typeof import('../io/index.js');
export const convolveModule = (): typeof import('../convolve/index.js') => require('../convolve/index.js') as typeof import('../convolve/index.js');
export const mixing = (): typeof import('../mixing/index.js') => require('../mixing/index.js') as typeof import('../mixing/index.js');
export const beamform = (): typeof import('../beamform/index.js') => require('../beamform/index.js') as typeof import('../beamform/index.js');
export const spectral = (): typeof import('../spectral/index.js') => require('../spectral/index.js') as typeof import('../spectral/index.js');
export const plot = (): typeof import('../plot/index.js') => require('../plot/index.js') as typeof import('../plot/index.js');
