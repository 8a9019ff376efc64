/**
 * The decision at one look: the fixed-size rule (src/verdict/significance.ts), read from bounds widened to
 * the look's alpha-spending boundaries. Each of the rule's one-sided tests keeps its level across looks by
 * spending it (design.ts):
 *
 *   regression    centre + c_reg(j) se < -t      at alpha/k spent over the looks (Bonferroni over the k
 *   improvement   centre - c_reg(j) se > 0       metrics that can move, as in the fixed rule)
 *   pass          centre - c_pass(j) se >= -t    at alpha spent over the looks (pass needs every metric:
 *                                                an intersection, no correction)
 *
 * c(j) is the boundary of look j for a one-sided test at that level, so each test's chance of ever
 * claiming a false result over all looks is at most its level, and the run stops at the first look whose
 * overall verdict is not inconclusive. Stopping for one verdict only ends the other tests early, which can
 * only lower their error rates, so the three spendings need no adjustment for each other. Regression and
 * improvement rest on the z statistic alone: the exact McNemar agreement the fixed rule asks for has no
 * sequential boundaries, and with at least 50 videos per look the z test of paired proportions is its
 * normal approximation.
 *
 * k is counted at each look as in the fixed rule (metrics with a baseline value on which some video
 * differs). It can only grow as videos are added; when it does, the earlier looks were tested at the
 * larger alpha/k, an overspend of at most (1/k_before - 1/k_after) of what those looks were allotted (gamma
 * -4 spending allots 2.3% of alpha by a fifth of the videos; from 2 to 3 metrics that is an overspend of
 * 0.4% of alpha; a bound, not measured by the bench, whose pairs always parse) (and k grows only when a third
 * metric, the parse rate, first differs: Cosmos Reason 2 parses every reply, so k stays 2).
 */
import { normalCdf, normalQuantile } from '../stats/normal.js';
import {
  decideSignificance,
  familySize,
  type MetricEvidence,
  type SignificanceDecision,
  type Tolerance,
} from '../verdict/significance.js';
import type { SequentialDesign } from './design.js';
import type { LookStatistic } from './evidence.js';

export interface LookInput {
  statistics: readonly LookStatistic[];
  design: SequentialDesign;
  /** 1-based look index. */
  look: number;
  alpha: number;
  tolerance: Tolerance;
  /** Paired videos both runs answered at this look. */
  pairedVideos: number;
  datasetSize?: number;
}

export interface LookDecision extends SignificanceDecision {
  look: number;
  looks: number;
  /** Videos of the look order this look read. */
  videos: number;
  /** Boundaries (z) of this look: regression/improvement at alpha/k, pass at alpha. */
  boundaries: { family: number; pass: number };
}

const finite = (x: number): number => (Number.isFinite(x) ? x : Number.MAX_VALUE);

function evidenceAt(
  s: LookStatistic,
  alpha: number,
  cFamily: number,
  cPass: number,
): MetricEvidence {
  const z = normalQuantile(1 - alpha / 2);
  const defined = s.centre !== null && s.se !== null;
  const c = s.centre as number;
  const se = s.se as number;
  return {
    metric: s.metric,
    n: s.n,
    baseline: s.baseline,
    candidate: s.candidate,
    delta: s.delta,
    // Reported, not decided on: the two-sided normal interval at 1 - alpha.
    ci: defined ? { lower: c - z * se, upper: c + z * se, level: 1 - alpha } : null,
    bounds: defined
      ? {
          lower: c - finite(cPass) * se,
          upper: c + finite(cPass) * se,
          level: normalCdf(cPass),
          familyLower: c - finite(cFamily) * se,
          familyUpper: c + finite(cFamily) * se,
          familyLevel: normalCdf(cFamily),
        }
      : null,
    pValue: null,
    pWorse: null,
    pBetter: null,
    varies: s.varies,
    sdPerVideo: defined ? se * Math.sqrt(s.n) : null,
    ...(s.note ? { note: s.note } : {}),
  };
}

/** The verdict at look `look`: not inconclusive means the run may stop there. */
export function decideLook(i: LookInput): LookDecision {
  const look = i.design.looks[i.look - 1];
  if (!look) throw new Error(`look ${i.look} is not one of the ${i.design.looks.length} planned`);
  // Family size from what can move at this look, as the fixed rule counts it.
  const k = familySize(i.statistics);
  const cFamily = i.design.boundary(i.alpha / k, i.look);
  const cPass = i.design.boundary(i.alpha, i.look);
  const decision = decideSignificance({
    evidence: i.statistics.map((s) => evidenceAt(s, i.alpha, cFamily, cPass)),
    tolerance: i.tolerance,
    alpha: i.alpha,
    pairedVideos: i.pairedVideos,
    sequentialBounds: true,
    ...(i.datasetSize !== undefined ? { datasetSize: i.datasetSize } : {}),
  });
  return {
    ...decision,
    look: i.look,
    looks: i.design.looks.length,
    videos: look.videos,
    boundaries: { family: cFamily, pass: cPass },
  };
}
