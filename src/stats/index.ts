/** Paired statistics for the significance gate (issue 4): pure functions, data in, data out. */
export {
  pairResults,
  pairingProblem,
  type CandidatePrediction,
  type GroundTruthMismatch,
  type PairedVideo,
  type PairingResult,
} from './pairing.js';
export { mcnemarExact, type McNemarResult } from './mcnemar.js';
export {
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  pairedBootstrap,
  pairedValues,
  quantileSorted,
  toColumns,
  type BootstrapInterval,
  type BootstrapOptions,
  type BootstrapResult,
  type PairColumns,
  type PairedValues,
} from './bootstrap.js';
export { pearson, pearsonFromSums } from './correlation.js';
export { averageRanks, meanAbsoluteError, spearman } from './rank.js';
export {
  analyzePairs,
  type AnalyzeOptions,
  type PairedAnalysis,
  type PairedTest,
  type Reported,
} from './analyze.js';
export { normalCdf, normalQuantile } from './normal.js';
export { createRng, type Rng } from './prng.js';
