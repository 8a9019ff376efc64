import { join, relative } from 'node:path';
import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import type { GateOutcome } from '../gate/finish.js';
import { writeBaselines } from '../baseline/update.js';
import { writeJsonFile } from '../io/json-file.js';
import type { Logger } from '../log.js';
import { bestDecision, withBestDecision } from './best-verdict.js';
import { selectCheckpoint, type CheckpointRun } from './select.js';
import { buildSweepSummary, SWEEP_FILE, type SweepSummary } from './summary.js';

/** A sweep's outcome: the best checkpoint's run (outputs, verdict, exit status), plus the whole sweep. */
export type SweepOutcome = GateOutcome & { sweep: SweepSummary; sweepPath: string };

export interface SweepEnd {
  runs: CheckpointRun[];
  /** Per run: where its results are, and whether they were reused from an earlier run. */
  where: { dir: string; reused: boolean }[];
  baseline: BaselineData | null;
  startedAt: Date;
  /** Why the sweep did not run every checkpoint (cancelled): then the job's verdict is error. */
  incomplete?: string;
}

/**
 * The sweep's end, for a run (run-sweep.ts) and a merge of sweeps (merge-sweep.ts): the pick, sweep.json,
 * and the best's run as the gate's outcome. The best becomes the baseline when update-baseline or
 * write-baseline asks (the checkpoints' own runs never write one: each would compare with the one before).
 * No checkpoint with a result is an error, thrown after sweep.json records why.
 */
export async function finishSweep(
  config: Config,
  end: SweepEnd,
  log: Logger,
): Promise<SweepOutcome> {
  const selectBy = config.sweep?.selectBy ?? 'accuracy';
  const selection = selectCheckpoint(end.runs, { selectBy, alpha: config.alpha });
  // Directories relative to output-dir in sweep.json, so a downloaded artifact of it still finds them.
  const where = end.where.map((w) => ({ ...w, dir: relative(config.outputDir, w.dir) || '.' }));
  const sweep = buildSweepSummary(selection, where, end.startedAt, new Date());
  const best = selection.best === null ? undefined : end.runs[selection.best];
  // The job's verdict: the best's, with pass and improvement at alpha / M for having been picked.
  const corrected =
    best?.summary && best.rows
      ? bestDecision(
          config,
          { summary: best.summary, rows: best.rows },
          end.baseline,
          selection.comparisons + 1,
        )
      : undefined;
  if (corrected) {
    sweep.best_decision = corrected;
    sweep.verdict = corrected.verdict;
    sweep.reasons.push(corrected.reasons[0] as string);
  }
  if (end.incomplete) {
    sweep.verdict = 'error';
    sweep.reasons.unshift(end.incomplete);
  }
  const sweepPath = join(config.outputDir, SWEEP_FILE);
  writeJsonFile(sweepPath, sweep);
  const dir = selection.best === null ? undefined : end.where[selection.best]?.dir;
  if (!best?.summary || !best.rows || dir === undefined)
    throw new Error(`${sweep.reasons.join('; ')} (see ${sweepPath})`);
  log.info(
    `Sweep: best by ${selectBy} is ${best.checkpoint.name}; indistinguishable from it: ${sweep.indistinguishable.join(', ')}`,
  );
  const job = withBestDecision(best.summary, corrected);
  const summary = end.incomplete
    ? { ...job, verdict: 'error' as const, reasons: [end.incomplete, ...job.reasons] }
    : job;
  const baselineWritten =
    config.updateBaseline || config.writeBaseline
      ? await writeBaselines(config, summary, best.rows, end.baseline, log)
      : undefined;
  return {
    summary,
    summaryPath: join(dir, 'summary.json'),
    resultsPath: join(dir, 'results.jsonl'),
    rows: [...best.rows],
    baseline: end.baseline,
    ...(baselineWritten ? { baselineWritten } : {}),
    sweep,
    sweepPath,
  };
}
