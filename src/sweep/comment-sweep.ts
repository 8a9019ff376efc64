import { join, relative, resolve, isAbsolute } from 'node:path';
import type { Config } from '../config/config.js';
import { loadFinishedRun } from '../gate/comment-mode.js';
import type { Logger } from '../log.js';
import type { SweepOutcome } from './finish-sweep.js';
import { withBestDecision, type BestDecision } from './best-verdict.js';
import { readSweep } from './merge-sweep.js';
import { SWEEP_FILE } from './summary.js';

/**
 * mode comment on a sweep's results directory (a fork's artifact, downloaded by a workflow_run job): the
 * report of its best checkpoint with the sweep table. The artifact is untrusted: the best's directory must
 * lie inside it (a sweep.json naming ../../somewhere would make this job read another run's files).
 */
export function loadFinishedSweep(config: Config, log: Logger): SweepOutcome {
  const dir = config.resultsDirs[0] ?? config.outputDir;
  const sweep = readSweep(dir);
  const best = sweep.rows.find((r) => r.best === true);
  if (!best)
    throw new Error(
      `mode comment: the sweep in ${dir} has no best checkpoint (${Array.isArray(sweep.reasons) ? sweep.reasons.join('; ') : 'no reasons'})`,
    );
  const bestDir = resolve(dir, String(best.dir));
  const inside = relative(resolve(dir), bestDir);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new Error(
      `mode comment: ${join(dir, SWEEP_FILE)} puts its best checkpoint outside the results directory (${String(best.dir)}); upload the sweep's whole output-dir as one artifact`,
    );
  const outcome = loadFinishedRun({ ...config, resultsDirs: [bestDir] }, log);
  // The job's decision (pass and improvement corrected for the pick), as checked as summary.json's own.
  const d = sweep.best_decision as Partial<BestDecision> | undefined;
  const decision =
    d && typeof d.verdict === 'string' && Array.isArray(d.reasons) && Array.isArray(d.checks)
      ? (d as BestDecision)
      : undefined;
  return {
    ...outcome,
    summary: withBestDecision(outcome.summary, decision),
    sweep,
    sweepPath: join(dir, SWEEP_FILE),
  };
}
