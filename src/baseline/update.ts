import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Config } from '../config/config.js';
import { makeBaselineFile, type BaselineData } from '../core/baseline.js';
import type { Summary } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import { commitFile } from '../github/index.js';
import { writeJsonFile } from '../io/json-file.js';
import type { Logger } from '../log.js';

/** The baseline's path inside the repository, as the contents API wants it. */
function repoPath(workspace: string, target: string): string {
  const rel = relative(workspace, resolve(workspace, target));
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(
      `baseline-branch: the baseline ${target} is outside the repository (${workspace}); give a path inside it`,
    );
  }
  return rel.split(sep).join('/');
}

/** Verdicts that make a run acceptable as the next baseline. */
const ACCEPTED = new Set(['pass', 'improvement', 'no-baseline', 'inconclusive']);

/**
 * The baseline lifecycle. `write-baseline` writes this run as a baseline wherever asked (not after an
 * error). `update-baseline` makes the accepted run the baseline at `baseline` (or `write-baseline`),
 * carrying the bounded history forward for the trend line, and with `baseline-branch` commits it there
 * through the GitHub API with a message naming the checkpoint.
 */
export async function writeBaselines(
  config: Config,
  summary: Summary,
  rows: readonly ResultRow[],
  previous: BaselineData | null,
  log: Logger,
): Promise<string | undefined> {
  const now = new Date();
  if (summary.verdict === 'error') {
    if (config.writeBaseline || config.updateBaseline)
      log.warning(
        'Not writing a baseline: this run ended in error and its numbers are not a baseline.',
      );
    return undefined;
  }
  const stopped = summary.significance?.sequential;
  if (stopped?.stopped) {
    if (config.writeBaseline || config.updateBaseline)
      log.warning(
        `Not writing a baseline: this run stopped early (stop-early) after ${stopped.videos} of ${stopped.planned} videos, and a baseline needs every video's prediction.`,
      );
    return undefined;
  }
  const file = makeBaselineFile(
    summary,
    rows,
    now,
    previous?.history ?? [],
    config.baselineHistory,
  );
  let written: string | undefined;
  if (config.writeBaseline) {
    writeJsonFile(config.writeBaseline, file);
    written = config.writeBaseline;
  }
  if (!config.updateBaseline) return written;
  if (!ACCEPTED.has(summary.verdict)) {
    log.warning(`Not updating the baseline: the verdict is ${summary.verdict}.`);
    return written;
  }
  const target = config.writeBaseline ?? config.baselinePath;
  if (target !== written) writeJsonFile(target, file);
  log.info(`Baseline updated: ${target} (${file.history?.length ?? 0} runs of history)`);
  const branch = config.baselineBranch;
  if (branch) {
    const [owner = '', repo = ''] = (config.github.repository ?? '').split('/');
    const fmt = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(4));
    const commit = await Promise.resolve()
      .then(() =>
        commitFile({
          token: config.githubToken,
          apiUrl: config.github.apiUrl,
          repo: { owner, repo },
          branch,
          path: repoPath(config.github.workspace, target),
          content: `${JSON.stringify(file, null, 2)}\n`,
          message: `videophy-gate: baseline from ${summary.settings.model} (accuracy ${fmt(summary.accuracy)}, Pearson ${fmt(summary.pearson_correlation)})`,
        }),
      )
      .catch((e: unknown) => {
        // The gate's result stands; the baseline file is written; only the commit is missing, and says why.
        log.warning(
          `The baseline was written to ${target} but not committed to ${config.baselineBranch}: ${(e as Error).message}`,
        );
        return undefined;
      });
    if (commit)
      log.info(`Baseline committed to ${config.baselineBranch}: ${commit.url || commit.commitSha}`);
  }
  return target;
}
