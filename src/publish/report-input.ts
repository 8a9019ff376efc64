import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import type { Summary } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import { workflowRunUrl } from '../github/index.js';
import type { ReportInput } from '../report/index.js';

/** What the report renders, from a finished run and the workflow context. */
export function reportInput(
  config: Config,
  summary: Summary,
  rows: readonly ResultRow[],
  baseline: BaselineData | null,
): ReportInput {
  return {
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
