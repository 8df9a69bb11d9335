/**
 * Physics-constrained 1×1 mixers: linear conservation laws that hold exactly (constraint specs,
 * a mathjs equation parser, constrained least squares, projection, a trainable null-space mixer,
 * column-stochastic mixers, fully constrained abundances and a per-sample conservation report).
 * @module
 */
export {
  LinearConstraints, totalConservation, weightedConservation, elementConservation, fixedEntries, forbiddenPathways, outputSum,
} from './constraints.js';
export type { MatrixInput, RankDeficientPolicy, ConstraintOptions, LinearConstraintsInit, FixedEntry } from './constraints.js';
export { parseConservationLaws } from './parse.js';
export type { ChannelLabels } from './parse.js';
export { fitConstrainedMixer, fitConstrainedMixerFromGram, fitPenaltyMixer, projectOntoConstraints } from './fit.js';
export type { ConstrainedFit, ConstrainedFitOptions } from './fit.js';
export { ConstrainedMixer } from './trainable.js';
export type { ConstrainedMixerOptions, ConstrainedTrainOptions, LossFunction } from './trainable.js';
export { projectToSimplex, fitColumnStochasticMixer, fullyConstrainedAbundances } from './stochastic.js';
export type { StochasticFitOptions, StochasticFit, AbundanceOptions } from './stochastic.js';
export { conservationReport } from './report.js';
export type { ConservationReport, ConservedQuantityReport, MixerLike } from './report.js';
