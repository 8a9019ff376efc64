/**
 * The job's verdict in a sweep: the best checkpoint against the baseline, corrected for having been picked.
 * The best of M checkpoints is chosen on the same videos it is then compared on, so its delta is flattered
 * (the winner's curse): tested as a lone checkpoint, the best of 5 checkpoints that each sit exactly at the
 * tolerance passes 12% to 17% of the time instead of 5% (bench/winners-curse.py, one simulation). So the two
 * verdicts selection flatters, pass and improvement, are decided at alpha / M: the best passes falsely only
 * if one of the M would have at alpha / M, which happens at most M x alpha / M = alpha of the time. A
 * regression is kept as the usual rule decides it (at alpha): picking the highest select-by value makes a
 * drop in that metric harder to show, not easier, and a regression fails the job, the safe side of a gate
 * (for the other metric the pick is neither; not measured).
 * Pure: the rows and the baseline in, the decision out (src/gate/decide.ts, at both levels).
 */
import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import { computeMetrics } from '../core/metrics.js';
import type { Summary } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import { decide, type Decision } from '../gate/decide.js';

/** What sweep.json keeps of the job's decision (mode comment renders it without the baseline). */
export interface BestDecision {
  /** Checkpoints the best was picked from (M), and the level pass and improvement were decided at. */
  picked_from: number;
  alpha: number;
  verdict: Summary['verdict'];
  reasons: string[];
  checks: Summary['checks'];
  significance?: Summary['significance'];
  /** Whether the correction changed the verdict the best had as a lone checkpoint. */
  changed: boolean;
  /** Why the best's verdict could not be re-decided here (a merge job without the runs' baseline). */
  uncorrected?: string;
}

const decideAt = (
  config: Pick<Config, 'alpha' | 'decision' | 'thresholds'>,
  alpha: number,
  summary: Summary,
  rows: readonly ResultRow[],
  baseline: BaselineData | null,
): Decision =>
  decide(
    { ...config, alpha },
    {
      metrics: computeMetrics(rows),
      rows,
      baseline,
      numRows: summary.num_rows,
      numSkipped: summary.num_skipped_rows,
      ...(summary.run_error ? { runError: summary.run_error } : {}),
    },
  );

/**
 * The best's decision for the job; undefined when nothing is corrected: one checkpoint ranked, a verdict of
 * its own that is not pass or improvement, or a threshold decision (point drops, no level to correct).
 */
export function bestDecision(
  config: Pick<Config, 'alpha' | 'decision' | 'thresholds'>,
  best: { summary: Summary; rows: readonly ResultRow[] },
  baseline: BaselineData | null,
  pickedFrom: number,
): BestDecision | undefined {
  const own = best.summary;
  if (pickedFrom < 2 || (own.verdict !== 'pass' && own.verdict !== 'improvement')) return undefined;
  if (own.decision !== 'significance') return undefined;
  const alpha = config.alpha / pickedFrom;
  const uncorrected = (why: string): BestDecision => ({
    picked_from: pickedFrom,
    alpha: config.alpha,
    verdict: own.verdict,
    reasons: [
      `the best of ${pickedFrom} checkpoints, picked on these videos; its ${own.verdict} is NOT corrected for the pick (${why}): read it as weaker evidence than a lone checkpoint's`,
      ...own.reasons,
    ],
    checks: own.checks,
    ...(own.significance ? { significance: own.significance } : {}),
    changed: false,
    uncorrected: why,
  });
  if (!baseline?.predictions?.length)
    return uncorrected('this job has no baseline with per-video predictions to decide it again');
  const alone = decideAt(config, config.alpha, own, best.rows, baseline);
  if (alone.verdict !== own.verdict)
    return uncorrected(
      `this job's baseline gives it ${alone.verdict}, not the verdict of its own run: not the baseline it was decided against`,
    );
  const picked = decideAt(config, alpha, own, best.rows, baseline);
  // Lines the run added beyond its decision (allow-incomparable's) are kept after the corrected ones.
  const extra = own.reasons.filter((r) => !alone.reasons.includes(r));
  const level = Number(alpha.toPrecision(3));
  return {
    picked_from: pickedFrom,
    alpha,
    verdict: picked.verdict,
    reasons: [
      `the best of ${pickedFrom} checkpoints, picked on these videos: pass and improvement decided at alpha ${config.alpha} / ${pickedFrom} = ${level} (a lone checkpoint's verdict would be ${own.verdict})`,
      ...picked.reasons,
      ...extra,
    ],
    checks: picked.checks,
    ...(picked.significance ? { significance: picked.significance } : {}),
    changed: picked.verdict !== own.verdict,
  };
}

/** The best's summary as the job reports it: its own run, with the corrected decision. */
export function withBestDecision(summary: Summary, d: BestDecision | undefined): Summary {
  if (!d) return summary;
  const { significance, ...rest } = summary;
  return {
    ...rest,
    verdict: d.verdict,
    reasons: d.reasons,
    checks: d.checks,
    ...(d.significance ? { significance: d.significance } : significance ? { significance } : {}),
  };
}
