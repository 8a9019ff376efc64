/**
 * What the paired statistics hand to the decision, one record per metric (built by analyze.ts, read by
 * src/verdict/significance.ts and src/sequential), and the family the one-sided bounds are computed for.
 * Here, not in the verdict, because the bounds at 1 - alpha/k are computed with the family's size.
 */
export type MetricName = 'accuracy' | 'pearson' | 'parse_rate';

/** One-sided bootstrap bounds of the delta, all from the same resamples (analyze.ts). */
export interface OneSidedBounds {
  /** At `level` = 1 - alpha: the pass test reads `lower`. */
  lower: number;
  upper: number;
  level: number;
  /** At `familyLevel` = 1 - alpha/k: regression reads `familyUpper`, improvement `familyLower`. */
  familyLower: number;
  familyUpper: number;
  familyLevel: number;
}

/** What the decision needs to know about one metric's comparison (built by analyzePairs). */
export interface MetricEvidence {
  metric: MetricName;
  /** Videos the delta is computed on (both parsed for accuracy and Pearson, both answered for parse rate). */
  n: number;
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  /** Two-sided bootstrap percentile interval at `level` = 1 - alpha: reported, not decided on. */
  ci: { lower: number; upper: number; level: number } | null;
  /** The one-sided bounds the decision uses; null when no resample gave a defined delta. */
  bounds: OneSidedBounds | null;
  /** Exact McNemar p-values (accuracy, parse rate; null for Pearson): two-sided (reported), one-sided (decided on). */
  pValue: number | null;
  pWorse: number | null;
  pBetter: number | null;
  /** Whether any video differs between the runs in what this metric counts; one that cannot move is not in the family. */
  varies: boolean;
  /** Standard deviation of one video's contribution to the delta, for the sample-size estimate. */
  sdPerVideo: number | null;
  /** Why a value is undefined, when one is. */
  note?: string;
}

/**
 * The metrics that can move (src/verdict/significance.ts states the rule): regression and improvement each
 * get alpha / familySize.
 * At least 1, so a comparison where nothing moved still has a level.
 */
export function familySize(
  evidence: readonly Pick<MetricEvidence, 'baseline' | 'varies'>[],
): number {
  return Math.max(1, evidence.filter((e) => e.baseline !== null && e.varies).length);
}
