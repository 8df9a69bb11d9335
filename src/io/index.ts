export { readWav, decodeWav, encodeWav, writeWav, readWavInfo, WavReader, WavWriter, WAV_FORMATS, needsRf64 } from './wav.js';
export type { WavFormat, WavInfo, WavReadOptions, WavWriteOptions, WavWriterOptions } from './wav.js';
export { readNpy, decodeNpy, writeNpy, encodeNpy, parseNpyHeader } from './npy.js';
export type { NpyHeader } from './npy.js';
export * from './mat.js';
export { loadHdf5, hdf5Loaded, hdf5Status, openHdf5, listHdf5, readHdf5, writeHdf5, Hdf5File, hdf5SignatureOffset, isHdf5File } from './hdf5.js';
export type { Hdf5AttrValue, Hdf5Entry, Hdf5ReadOptions, Hdf5Array, Hdf5WriteOptions } from './hdf5.js';
export { readMat73, isMat73Header } from './mat73.js';
