import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import { computeMetrics } from '../core/metrics.js';
import { replyStats } from '../core/replies.js';
import { buildSummary, type Summary, type SummaryInput } from '../core/summary.js';
import { writeBaselines } from '../baseline/update.js';
import { decide } from './decide.js';
import type { ResultRow } from '../core/types.js';
import { writeJsonFile } from '../io/json-file.js';
import type { Logger } from '../log.js';
import type { MonitorOptions } from '../sequential/monitor.js';

/** What a mode returns: data only. main.ts and the CLI render the report and publish it. */
export interface GateOutcome {
  summary: Summary;
  summaryPath: string;
  resultsPath: string;
  /** Every video's row, in dataset order (for the report's breakdowns and changed videos). */
  rows: ResultRow[];
  baseline: BaselineData | null;
  baselineWritten?: string;
}

/** What the pipelines hand over: the summary's inputs less what is computed here, plus rows and baseline. */
export type FinishInput = Omit<SummaryInput, 'metrics' | 'replies' | 'verdict' | 'finishedAt'> & {
  rows: ResultRow[];
  baseline: BaselineData | null;
  /** stop-early: the look order and design the verdict is replayed with. */
  sequential?: MonitorOptions;
  /** A look decided before every video was scored: the rest was not needed, so not an error. */
  stoppedEarly?: boolean;
};

/** What stopping early saved: the videos not scored, at this run's measured throughput. */
function savedBy(
  stopped: { planned: number },
  rows: number,
  fresh: number,
  scoringS: number | undefined,
): { videos: number; seconds: number | null } {
  const videos = Math.max(0, stopped.planned - rows);
  const perVideoS = fresh > 0 && scoringS !== undefined && scoringS > 0 ? scoringS / fresh : null;
  return { videos, seconds: perVideoS === null ? null : videos * perVideoS };
}

/** Metrics, verdict and summary from the rows; summary.json and the baseline files written. */
export async function finishRun(
  config: Config,
  input: FinishInput,
  log: Logger,
): Promise<GateOutcome> {
  // Dataset order, not completion order: float sums then come out the same to the last bit on every run,
  // resumed, sharded or not.
  const i = { ...input, rows: [...input.rows].sort((a, b) => a.index - b.index) };
  const metrics = computeMetrics(i.rows);
  const verdict = decide(config, {
    metrics,
    rows: i.rows,
    baseline: i.baseline,
    numRows: i.numRows,
    numSkipped: i.skipped.length,
    runError:
      i.runError ??
      (i.complete || i.stoppedEarly ? undefined : 'the run ended before every video was scored'),
    ...(i.sequential ? { sequential: i.sequential } : {}),
  });
  const sequential = verdict.significance?.sequential;
  if (sequential?.stopped && i.scoringS > 0) {
    sequential.saved = savedBy(
      sequential,
      i.rows.length,
      i.rows.length - (i.resumed ?? 0),
      i.scoringS,
    );
  }
  if (i.comparability && !i.comparability.comparable) {
    verdict.reasons.push(
      `compared although the baseline was made differently (allow-incomparable): ${i.comparability.differences
        .filter((d) => d.blocking)
        .map((d) => d.key)
        .join(', ')}`,
    );
  }
  const finishedAt = new Date();
  const summary = buildSummary({ ...i, metrics, replies: replyStats(i.rows), verdict, finishedAt });
  const summaryPath = join(config.outputDir, 'summary.json');
  writeJsonFile(summaryPath, summary);
  const baselineWritten = await writeBaselines(config, summary, i.rows, i.baseline, log);
  return {
    summary,
    summaryPath,
    resultsPath: join(config.outputDir, 'results.jsonl'),
    rows: i.rows,
    baseline: i.baseline,
    baselineWritten,
  };
}
