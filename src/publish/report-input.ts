import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import type { Summary } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import { workflowRunUrl } from '../github/index.js';
import type { ModeOutcome } from '../modes.js';
import type { SweepSummary } from '../sweep/summary.js';
import { renderReport, type ReportInput } from '../report/index.js';

/** What the report renders, from a finished run and the workflow context. */
export function reportInput(
  config: Pick<Config, 'commentTag' | 'github' | 'artifactUrl'>,
  summary: Summary,
  rows: readonly ResultRow[],
  baseline: BaselineData | null,
  sweep?: SweepSummary,
): ReportInput {
  return {
    ...(sweep ? { sweep } : {}),
    summary,
    rows,
    baseline,
    tag: config.commentTag,
    links: {
      runUrl: workflowRunUrl({
        serverUrl: config.github.serverUrl,
        repository: config.github.repository,
        runId: config.github.runId,
        runAttempt: config.github.runAttempt,
      }),
      artifactUrl: config.artifactUrl,
    },
  };
}

/** The report for the job summary, the terminal and report.md: rendered once, from what the gate returned. */
export function outcomeReport(
  config: Pick<Config, 'commentTag' | 'github' | 'artifactUrl'>,
  outcome: Pick<ModeOutcome, 'summary' | 'rows' | 'baseline' | 'sweep'>,
): { input: ReportInput; markdown: string } {
  const input = reportInput(config, outcome.summary, outcome.rows, outcome.baseline, outcome.sweep);
  return { input, markdown: renderReport(input) };
}
