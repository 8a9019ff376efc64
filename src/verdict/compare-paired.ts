/** The whole significance mode for one pairing: the paired statistics (src/stats), then the rule (significance.ts). */
import { analyzePairs, type AnalyzeOptions, type PairedAnalysis } from '../stats/analyze.js';
import type { PairingResult } from '../stats/pairing.js';
import { decideSignificance, type SignificanceDecision, type Tolerance } from './significance.js';

export interface CompareOptions extends AnalyzeOptions {
  tolerance: Tolerance;
  /** Size of the whole test set, for the inconclusive sentence (3,397 for VideoPhy-2). */
  datasetSize?: number;
}

/** The whole significance mode in one call: pairing result in, analysis and decision out. */
export function comparePaired(
  pairing: PairingResult,
  opts: CompareOptions,
): { analysis: PairedAnalysis; decision: SignificanceDecision } {
  const alpha = opts.alpha ?? 0.05;
  const analysis = analyzePairs(pairing.pairs, { ...opts, alpha });
  const decision = decideSignificance({
    evidence: analysis.evidence,
    tolerance: opts.tolerance,
    alpha,
    pairedVideos: analysis.answered,
    ...(opts.datasetSize !== undefined ? { datasetSize: opts.datasetSize } : {}),
  });
  return { analysis, decision };
}
