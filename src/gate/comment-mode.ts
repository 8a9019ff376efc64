import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { SUMMARY_SCHEMA, SUMMARY_VERSION, type Summary } from '../core/summary.js';
import { readBaseline } from '../baseline/file.js';
import { readResults } from '../io/results-reader.js';
import type { Logger } from '../log.js';
import type { GateOutcome } from './finish.js';

/**
 * mode comment: the report of a run that already finished, read from its results directory (typically an
 * artifact of a fork's pull_request run, downloaded by a workflow_run job). Those files come from untrusted
 * code: the summary's shape is checked here, and the renderer escapes every string it shows.
 */
export function loadFinishedRun(config: Config, log: Logger): GateOutcome {
  const dir = config.resultsDirs[0] ?? config.outputDir;
  const summaryPath = join(dir, 'summary.json');
  let summary: Summary;
  try {
    summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary;
  } catch (e) {
    throw new Error(`mode comment: cannot read ${summaryPath}: ${(e as Error).message}`);
  }
  if ((summary as { state?: unknown } | null)?.state === 'running')
    throw new Error(
      `mode comment: the run in ${dir} did not finish (summary.json says state: running): nothing to report; look at the evaluating job's log`,
    );
  const ok =
    summary?.schema === SUMMARY_SCHEMA &&
    summary.version === SUMMARY_VERSION &&
    typeof summary.verdict === 'string' &&
    Array.isArray(summary.reasons) &&
    typeof summary.settings === 'object' &&
    summary.settings !== null &&
    typeof summary.server === 'object' &&
    summary.server !== null &&
    Array.isArray(summary.checks);
  if (!ok)
    throw new Error(
      `mode comment: ${summaryPath} is not a videophy-gate summary (schema ${SUMMARY_SCHEMA}, version ${SUMMARY_VERSION})`,
    );
  const resultsPath = join(dir, 'results.jsonl');
  const read = readResults(resultsPath);
  if (read.problems.length > 0)
    log.warning(`${resultsPath}: ${read.problems.slice(0, 3).join('; ')}`);
  const baseline = readBaseline(config.baselinePath);
  return { summary, summaryPath, resultsPath, rows: read.rows, baseline };
}
