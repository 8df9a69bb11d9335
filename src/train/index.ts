/**
 * Training of 1×1 mixers: losses, optimisers, the closed-form least-squares reference and a
 * mini-batch trainer with early stopping.
 * @module
 */
export { mseLoss, softmaxCrossEntropy } from './losses.js';
export type { LossResult } from './losses.js';
export { SGD, Adam } from './optimizers.js';
export type { Optimizer, SgdOptions, AdamOptions } from './optimizers.js';
export { fitLeastSquares, fitLeastSquaresFromGram } from './leastsq.js';
export { GramAccumulator } from './gram.js';
export type { RawGramSums, CentredGramSums } from './gram.js';
export type { LeastSquaresOptions, LeastSquaresFit } from './leastsq.js';
export { trainMixer } from './trainer.js';
export type { TrainOptions, TrainResult, TrainProgress, LossName } from './trainer.js';
