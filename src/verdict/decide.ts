import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import type { Metrics } from '../core/metrics.js';
import type { SignificanceRecord } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import { decideVerdict, describeCheck, type Check, type VerdictResult } from './threshold.js';
import { comparePaired, pairResults, pairingProblem } from '../stats/index.js';
import type { MetricDecision } from './significance.js';

export interface Decision extends VerdictResult {
  decision: 'threshold' | 'significance';
  significance?: SignificanceRecord;
}

export interface DecideInput {
  metrics: Metrics;
  rows: readonly ResultRow[];
  baseline: BaselineData | null;
  numRows: number;
  numSkipped: number;
  runError?: string;
}

/** Which decision this run uses: significance needs per-video baseline predictions. */
export function decisionMode(
  config: Pick<Config, 'decision'>,
  baseline: BaselineData | null,
): 'threshold' | 'significance' {
  const hasPredictions = (baseline?.predictions?.length ?? 0) > 0;
  if (config.decision === 'significance' && baseline && !hasPredictions) {
    throw new Error(
      `decision significance needs a baseline with per-video predictions; ${baseline.source} is a ${baseline.kind} (set decision: threshold, or make the baseline with write-baseline/update-baseline)`,
    );
  }
  if (config.decision === 'threshold') return 'threshold';
  return hasPredictions ? 'significance' : 'threshold';
}

function pairedCheck(d: MetricDecision): Check {
  return {
    metric: d.metric,
    kind: 'drop',
    baseline: d.baseline,
    candidate: d.candidate,
    delta: d.delta,
    limit: d.tolerance,
    ok: d.verdict !== 'regression',
    ...(d.note ? { note: d.note } : {}),
    paired: {
      n: d.n,
      ci: d.ci,
      p_value: d.pValue,
      bound: d.bound,
      verdict: d.verdict,
      required_videos: d.requiredVideos,
    },
  };
}

/**
 * The verdict. Infrastructure errors and missed floors are decided as in threshold mode; then, with a
 * baseline that kept per-video predictions, the paired statistics decide between pass, improvement,
 * regression and inconclusive (src/verdict/significance.ts states the rule).
 */
export function decide(
  config: Pick<Config, 'alpha' | 'decision' | 'thresholds'>,
  i: DecideInput,
): Decision {
  const threshold = decideVerdict({
    metrics: i.metrics,
    baseline: i.baseline,
    thresholds: config.thresholds,
    numRows: i.numRows,
    numSkipped: i.numSkipped,
    runError: i.runError,
  });
  const mode = decisionMode(config, i.baseline);
  if (threshold.verdict === 'error' || !i.baseline?.predictions?.length)
    return { ...threshold, decision: mode };
  // In either mode: a baseline whose videos carry other human scores is for another dataset.
  const pairing = pairResults(i.rows, i.baseline.predictions);
  const problem = pairingProblem(pairing);
  if (problem) {
    return {
      ...threshold,
      decision: mode,
      verdict: 'error',
      reasons: [`the baseline cannot be paired with this run: ${problem}`],
    };
  }
  if (mode === 'threshold') return { ...threshold, decision: mode };
  const t = config.thresholds;
  const { analysis, decision } = comparePaired(pairing, {
    tolerance: {
      accuracy: t.maxAccuracyDrop,
      pearson: t.maxPearsonDrop,
      parseRate: t.maxAccuracyDrop,
    },
    alpha: config.alpha,
    datasetSize: Math.max(i.numRows, 3397),
  });
  const floors = threshold.checks.filter((c) => c.kind === 'floor');
  const failedFloors = floors.filter((f) => !f.ok).map(describeCheck);
  const floorFailed = floors.some((f) => !f.ok);
  return {
    decision: mode,
    verdict: floorFailed ? 'regression' : decision.verdict,
    reasons: floorFailed ? [...failedFloors, ...decision.reasons] : decision.reasons,
    checks: [...decision.perMetric.map(pairedCheck), ...floors],
    baseline: threshold.baseline,
    significance: {
      alpha: config.alpha,
      resamples: analysis.bootstrap.resamples,
      seed: analysis.bootstrap.seed,
      paired: analysis.paired,
      both_answered: analysis.answered,
      both_parsed: analysis.bothParsed,
      excluded_errors: analysis.excludedErrors,
      only_candidate: pairing.counts.onlyCandidate,
      only_baseline: pairing.counts.onlyBaseline,
      spearman: { baseline: analysis.spearman.baseline, candidate: analysis.spearman.candidate },
      mean_absolute_error: {
        baseline: analysis.meanAbsoluteError.baseline,
        candidate: analysis.meanAbsoluteError.candidate,
      },
      ...(decision.explanation ? { explanation: decision.explanation } : {}),
    },
  };
}
