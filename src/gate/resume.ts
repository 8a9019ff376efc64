import type { EvalItem } from '../core/types.js';
import type { RunSettings } from '../core/summary.js';
import { readResultsIfPresent, truncateTorn } from '../io/results-reader.js';
import { readRunFile } from '../io/run-file.js';
import type { Logger } from '../run/logger.js';
import {
  describeChanges,
  diffSettings,
  planResume,
  settingsFingerprint,
  type ResumePlan,
} from '../shard/index.js';

/**
 * What a run in `outputDir` still has to do. A rerun with the same settings (run.json's fingerprint) keeps
 * the videos already answered in results.jsonl, as the recipe's script skips existing files; a changed
 * setting starts afresh and says which; a torn last line (killed mid-write) is cut off and not fatal.
 */
export function planOutputDir(
  outputDir: string,
  resultsPath: string,
  settings: RunSettings,
  items: readonly EvalItem[],
  log: Logger,
): ResumePlan & { append: boolean } {
  const previous = readRunFile(outputDir);
  const read = readResultsIfPresent(resultsPath);
  if (!previous || !read || read.rows.length === 0)
    return { ...planResume([], items, true), append: false };
  if (read.problems.length > 0) {
    log.warning(
      `${resultsPath} cannot be resumed (${read.problems.slice(0, 3).join('; ')}): scoring every video afresh`,
    );
    return { ...planResume([], items, true), append: false };
  }
  const same = previous.fingerprint === settingsFingerprint(settings);
  if (!same) {
    log.notice(
      `Previous results in ${outputDir} were made with other settings (${describeChanges(diffSettings(previous.settings, settings))}): starting afresh`,
    );
    return { ...planResume(read.rows, items, false), append: false };
  }
  if (read.tornLastLine) {
    truncateTorn(resultsPath);
    log.warning(`${resultsPath}: dropped a torn last line (the previous run was killed mid-write)`);
  }
  const plan = planResume(read.rows, items, true);
  log.info(plan.reason);
  return { ...plan, append: true };
}
