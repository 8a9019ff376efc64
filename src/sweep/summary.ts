/**
 * sweep.json, in output-dir beside the checkpoints' own directories: every checkpoint's row, the best, the
 * set the paired tests cannot tell from it, and the best's verdict against the baseline (the job's). Pure:
 * built here, written by run-sweep.ts and merge-sweep.ts.
 */
import type { Verdict } from '../core/verdict.js';
import type { BestDecision } from './best-verdict.js';
import type { SweepRow, SweepSelection } from './select.js';

export const SWEEP_SCHEMA = 'videophy-gate/sweep';
export const SWEEP_VERSION = 1;
export const SWEEP_FILE = 'sweep.json';

export interface SweepSummary extends Omit<SweepSelection, 'rows' | 'best'> {
  schema: typeof SWEEP_SCHEMA;
  version: typeof SWEEP_VERSION;
  /** The job's verdict: the best checkpoint's against the baseline; error when none produced a result. */
  verdict: Verdict;
  reasons: string[];
  /**
   * The best's decision as the job takes it, when picking it changed the level (best-verdict.ts): pass and
   * improvement at alpha / M. Its row keeps its verdict as a lone checkpoint.
   */
  best_decision?: BestDecision;
  best: string | null;
  best_checkpoint: string | null;
  indistinguishable: string[];
  /** Each row with the directory its results are in, and whether this run reused a finished one. */
  rows: (SweepRow & { dir: string; reused: boolean })[];
  started_at: string;
  finished_at: string;
}

export function buildSweepSummary(
  selection: SweepSelection,
  where: readonly { dir: string; reused: boolean }[],
  startedAt: Date,
  finishedAt: Date,
): SweepSummary {
  const rows = selection.rows.map((r, i) => ({
    ...r,
    dir: where[i]?.dir ?? r.name,
    reused: where[i]?.reused ?? false,
  }));
  const best = selection.best === null ? undefined : rows[selection.best];
  const failed = rows.filter((r) => r.status === 'error');
  const reasons = best
    ? [
        `best by ${selection.select_by}: ${best.name}${failed.length > 0 ? `; ${failed.length} of ${rows.length} checkpoints failed (${failed.map((f) => f.name).join(', ')})` : ''}`,
      ]
    : failed.length < rows.length
      ? [
          // Finished, but none has the metric to rank by (Pearson of constant replies is undefined).
          `no checkpoint has a ${selection.select_by} to rank by: ${rows
            .filter((r) => r.status === 'ok')
            .map((r) => `${r.name}: ${r.pearson_undefined ?? `${selection.select_by} undefined`}`)
            .join(
              '; ',
            )}${failed.length > 0 ? `; ${failed.length} failed (${failed.map((f) => f.name).join(', ')})` : ''}`,
        ]
      : [
          `no checkpoint produced a result: ${failed.map((f) => `${f.name}: ${f.error ?? 'error'}`).join('; ')}`,
        ];
  return {
    schema: SWEEP_SCHEMA,
    version: SWEEP_VERSION,
    select_by: selection.select_by,
    alpha: selection.alpha,
    comparisons: selection.comparisons,
    comparison_level: selection.comparison_level,
    rule: selection.rule,
    verdict: best ? best.verdict : 'error',
    reasons,
    best: best?.name ?? null,
    best_checkpoint: best?.path ?? null,
    indistinguishable: rows.filter((r) => r.indistinguishable).map((r) => r.name),
    rows,
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
  };
}

/** What sweep.json says while a sweep runs: no verdict of an earlier sweep survives this one, however it ends. */
export function runningSweep(startedAt: Date): Record<string, unknown> {
  return {
    schema: SWEEP_SCHEMA,
    version: SWEEP_VERSION,
    state: 'running',
    verdict: 'error',
    started_at: startedAt.toISOString(),
  };
}
