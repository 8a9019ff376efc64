import type { EvalItem } from '../core/types.js';
import type { RunSettings } from '../core/summary.js';
import { readResultsIfPresent, truncateTorn } from '../io/results-reader.js';
import { setAside } from '../io/output-dir.js';
import { readRunFile } from '../io/run-file.js';
import type { Logger } from '../log.js';
import { describeChanges, diffSettings, settingsFingerprint } from '../settings/fingerprint.js';
import { planResume, type ResumePlan } from './plan.js';

/**
 * What a run in `outputDir` still has to do. A rerun with the same settings (run.json's fingerprint) keeps
 * the videos already answered in results.jsonl, as the recipe's script skips existing files; a torn last
 * line (killed mid-write) is cut off and not fatal. A changed setting (or a file that cannot be resumed)
 * starts afresh, and the previous results are moved aside, never deleted: on the full set they are an hour
 * of GPU, and the user may have changed the setting by mistake. Moving aside rather than refusing keeps a CI
 * job on a reused workspace running; the log says where the files went.
 */
export function planOutputDir(
  outputDir: string,
  resultsPath: string,
  settings: RunSettings,
  items: readonly EvalItem[],
  log: Logger,
  previousSummary: string | null = null,
): ResumePlan & { append: boolean } {
  const previous = readRunFile(outputDir);
  const read = readResultsIfPresent(resultsPath);
  if (!previous || !read || read.rows.length === 0)
    return { ...planResume([], items, true), append: false };
  const when = new Date(previous.started_at ?? Date.now());
  const stamp = Number.isNaN(when.getTime()) ? new Date() : when;
  if (read.problems.length > 0) {
    const aside = setAside(outputDir, 'unreadable', stamp, previousSummary);
    log.warning(
      `${resultsPath} cannot be resumed (${read.problems.slice(0, 3).join('; ')}): moved to ${aside}; scoring every video afresh`,
    );
    return { ...planResume([], items, true), append: false };
  }
  const same = previous.fingerprint === settingsFingerprint(settings);
  if (!same) {
    const changes = diffSettings(previous.settings, settings);
    const why = `other-${[...new Set(changes.map((c) => c.key.split('.')[0]))].join('-')}`;
    const aside = setAside(outputDir, why, stamp, previousSummary);
    log.notice(
      `Previous results in ${outputDir} (${read.rows.length} videos) were made with other settings (${describeChanges(changes)}): moved to ${aside}, nothing deleted; starting afresh`,
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
