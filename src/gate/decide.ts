/**
 * The run's verdict: which rule decides it (threshold, the paired significance test, or its sequential
 * looks with stop-early) and the summary's record of it. Pure: metrics, rows and baseline in, Decision out;
 * the rules themselves live in src/verdict and src/sequential.
 */
import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import type { Metrics } from '../core/metrics.js';
import type { SignificanceRecord } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import {
  decideVerdict,
  describeCheck,
  type Check,
  type VerdictResult,
} from '../verdict/threshold.js';
import { pairResults, pairingProblem } from '../stats/index.js';
import { comparePaired } from '../verdict/compare-paired.js';
import type { MetricDecision, Tolerance } from '../verdict/significance.js';
import { replaySequential, type MonitorOptions } from '../sequential/monitor.js';
import type { LookDecision } from '../sequential/decide-look.js';

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
  /** stop-early: the look order and design; the verdict is then the sequential one (src/sequential). */
  sequential?: MonitorOptions;
}

/** The tolerances of the paired tests, from the inputs: the parse rate shares the accuracy tolerance. */
export function tolerances(t: Config['thresholds']): Tolerance {
  return { accuracy: t.maxAccuracyDrop, pearson: t.maxPearsonDrop, parseRate: t.maxAccuracyDrop };
}

/** The look a stop-early run is decided at: the one it stopped at, or the last look of a run that scored all. */
function decisiveLook(
  rows: readonly ResultRow[],
  o: MonitorOptions,
): { look: LookDecision; rows: ResultRow[]; taken: number } | undefined {
  const outcome = replaySequential(rows, o);
  const final = outcome.last && outcome.last.look === outcome.last.looks ? outcome.last : undefined;
  const look = outcome.stopped ?? (o.finalDecides === false ? undefined : final);
  if (!look) return undefined;
  const inLook = new Set(o.order.slice(0, look.videos));
  return { look, rows: rows.filter((r) => inLook.has(r.video_url)), taken: outcome.taken.length };
}

const roundAlpha = (a: number): string => Number(a.toPrecision(3)).toString();

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
  const sequential = i.sequential ? decisiveLook(i.rows, i.sequential) : undefined;
  // With stop-early the report's intervals, Spearman and counts are those of the videos the look read.
  const compared = sequential ? pairResults(sequential.rows, i.baseline.predictions) : pairing;
  const fixed = comparePaired(compared, {
    tolerance: tolerances(config.thresholds),
    alpha: config.alpha,
    datasetSize: Math.max(i.numRows, 3397),
  });
  const { analysis } = fixed;
  const decision = sequential?.look ?? fixed.decision;
  const floors = threshold.checks.filter((c) => c.kind === 'floor');
  const failedFloors = floors.filter((f) => !f.ok).map(describeCheck);
  const floorFailed = floors.some((f) => !f.ok);
  const look = sequential?.look;
  const stopLine =
    look && look.look < look.looks && i.sequential
      ? [
          `${i.sequential.label ? `${i.sequential.label} ` : ''}stopped early after ${look.videos} of ${i.sequential.design.planned} videos at look ${look.look} of ${look.looks} (stop-early${i.sequential.stopOn?.length === 1 ? `: ${i.sequential.stopOn[0]} only, each metric at alpha ${roundAlpha(i.sequential.alpha)} / ${look.familySize}` : ''})`,
        ]
      : [];
  return {
    decision: mode,
    verdict: floorFailed ? 'regression' : decision.verdict,
    reasons: floorFailed
      ? [...failedFloors, ...stopLine, ...decision.reasons]
      : [...stopLine, ...decision.reasons],
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
      only_candidate: compared.counts.onlyCandidate,
      only_baseline: compared.counts.onlyBaseline,
      spearman: { baseline: analysis.spearman.baseline, candidate: analysis.spearman.candidate },
      mean_absolute_error: {
        baseline: analysis.meanAbsoluteError.baseline,
        candidate: analysis.meanAbsoluteError.candidate,
      },
      ...(decision.explanation ? { explanation: decision.explanation } : {}),
      ...(sequential && i.sequential
        ? {
            sequential: {
              look: sequential.look.look,
              looks: sequential.look.looks,
              videos: sequential.look.videos,
              planned: i.sequential.design.planned,
              stopped: sequential.look.look < sequential.look.looks,
              spending: i.sequential.design.spending,
              boundaries: sequential.look.boundaries,
              looks_taken: sequential.taken,
            },
          }
        : {}),
    },
  };
}
