export { Multichannel, allocate, dtypeOf, asMultichannel } from './multichannel.js';
export type { Dtype, ChannelCoords, MultichannelMeta, MultichannelOptions, SignalLike, SampleArray } from './multichannel.js';
export { ShapeError, ValueError, ArgumentTypeError, FormatError, FileError, NumericalError, isPointwiseError, describeValue } from './errors.js';
export { Rng } from './random.js';
export { assertFinite, assertPositive, assertInteger, assertOneOf, assertAllFinite, assertNumericArray } from './validate.js';
