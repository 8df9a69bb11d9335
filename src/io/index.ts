export { readWav, decodeWav, encodeWav, writeWav, readWavInfo, WavReader, WavWriter, WAV_FORMATS, needsRf64 } from './wav.js';
export type { WavFormat, WavInfo, WavReadOptions, WavWriteOptions, WavWriterOptions } from './wav.js';
export { readNpy, decodeNpy, writeNpy, encodeNpy, parseNpyHeader } from './npy.js';
export type { NpyHeader } from './npy.js';
export * from './mat.js';
