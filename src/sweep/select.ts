/**
 * The sweep's pick, and how sure it is. Pure: finished runs in, the table's numbers out.
 *
 * - The best: the highest `select-by` value among the checkpoints that produced a result (ties: the other
 *   metric, then the earlier checkpoint). A checkpoint that failed to start or ended in error is never it.
 * - Each other checkpoint against the best, on the videos both scored, with the gate's paired statistics:
 *   select-by accuracy reads the exact McNemar test (two-sided), select-by pearson the paired bootstrap
 *   interval of the Pearson delta (two-sided percentile).
 * - A finished checkpoint without a select-by value (nothing parsed; Pearson of constant replies) is listed but
 *   neither compared nor in the set: there is nothing to rank it by.
 * - Indistinguishable from the best: the paired test cannot show the best better, i.e. NOT (the best is
 *   ahead on the paired videos and McNemar's p < alpha/m), resp. NOT (the interval's lower end > 0 at
 *   level 1 - alpha/m), where m is the number of comparisons (Bonferroni). Two-sided because the best was
 *   picked after looking at the same data (a one-sided test would favour the pick), and alpha/m because a
 *   checkpoint is called worse only when the family of m comparisons holds its error rate at alpha. The set
 *   (the best with these) is the honest answer: within it the data cannot rank checkpoints.
 * - Each checkpoint's own intervals, at 1 - alpha: accuracy Wilson's score interval, Pearson Fisher's z
 *   (scipy's binomtest(...).proportion_ci(method='wilson') and pearsonr(...).confidence_interval()).
 */
import type { SelectBy } from '../config/config.js';
import { toPredictions } from '../core/baseline.js';
import type { Summary } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import { analyzePairs, normalQuantile, pairResults } from '../stats/index.js';
import type { Verdict } from '../core/verdict.js';
import type { SweepCheckpoint } from './checkpoints.js';

/** One checkpoint as the sweep ended it: a finished run, or why there is none. */
export interface CheckpointRun {
  checkpoint: SweepCheckpoint;
  summary?: Summary;
  rows?: readonly ResultRow[];
  /** Why there is no result (failed to start, cancelled ...); a summary with verdict error says its own. */
  error?: string;
}

export type Interval = [number, number];

/** The best against one other checkpoint on the videos both scored (`delta` = best minus the other). */
export interface VersusBest {
  paired: number;
  accuracy_delta: number | null;
  mcnemar_p: number;
  pearson_delta: number | null;
  pearson_interval: Interval | null;
}

export interface SweepRow {
  name: string;
  path: string;
  step: number | null;
  status: 'ok' | 'error';
  error?: string;
  accuracy: number | null;
  accuracy_interval: Interval | null;
  pearson: number | null;
  pearson_interval: Interval | null;
  /** Why Pearson is undefined for this checkpoint (constant replies ...), when it is. */
  pearson_undefined?: string;
  parse_rate: number | null;
  num_samples: number;
  /** The checkpoint's verdict against the baseline, and its deltas (as its own summary has them). */
  verdict: Verdict;
  accuracy_delta: number | null;
  pearson_delta: number | null;
  best: boolean;
  /** The best itself, and those the paired test cannot tell from it. */
  indistinguishable: boolean;
  versus_best?: VersusBest;
}

export interface SweepSelection {
  select_by: SelectBy;
  alpha: number;
  /** Comparisons with the best (m), and the level each is made at (1 - alpha / m). */
  comparisons: number;
  comparison_level: number;
  rule: string;
  rows: SweepRow[];
  /** Index into rows; null when no checkpoint produced a result. */
  best: number | null;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Wilson's score interval for k of n; null for n = 0. */
export function wilsonInterval(k: number, n: number, level: number): Interval | null {
  if (n <= 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = k / n;
  const z2n = (z * z) / n;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/** Fisher's z interval for a Pearson r of n pairs; null when undefined (n <= 3, no r, |r| = 1). */
export function fisherInterval(r: number | null, n: number, level: number): Interval | null {
  if (!isNum(r) || n <= 3 || Math.abs(r) >= 1) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const zr = Math.atanh(r);
  const se = 1 / Math.sqrt(n - 3);
  return [Math.tanh(zr - z * se), Math.tanh(zr + z * se)];
}

const dropDelta = (s: Summary, metric: string): number | null => {
  const d = (Array.isArray(s.checks) ? s.checks : []).find(
    (c) => c.metric === metric && c.kind === 'drop',
  )?.delta;
  return isNum(d) ? d : null;
};

function rowOf(run: CheckpointRun, level: number): SweepRow {
  const { name, path, step } = run.checkpoint;
  const s = run.summary;
  const base = { name, path, step, best: false, indistinguishable: false };
  if (!s || s.verdict === 'error' || run.error) {
    return {
      ...base,
      status: 'error',
      error: run.error ?? s?.reasons?.[0] ?? 'no result',
      accuracy: s?.accuracy ?? null,
      accuracy_interval: null,
      pearson: s?.pearson_correlation ?? null,
      pearson_interval: null,
      parse_rate: s?.parse_rate ?? null,
      num_samples: s?.num_samples ?? 0,
      verdict: 'error',
      accuracy_delta: null,
      pearson_delta: null,
    };
  }
  const n = s.num_samples;
  return {
    ...base,
    status: 'ok',
    accuracy: s.accuracy,
    accuracy_interval: isNum(s.accuracy)
      ? wilsonInterval(Math.round(s.accuracy * n), n, level)
      : null,
    pearson: s.pearson_correlation,
    pearson_interval: fisherInterval(s.pearson_correlation, n, level),
    ...(s.pearson_undefined ? { pearson_undefined: s.pearson_undefined } : {}),
    parse_rate: s.parse_rate,
    num_samples: n,
    verdict: s.verdict,
    accuracy_delta: dropDelta(s, 'accuracy'),
    pearson_delta: dropDelta(s, 'pearson'),
  };
}

/** Higher is better; an undefined value (Pearson of constant replies) ranks below every defined one. */
const rank = (x: number | null): number => (isNum(x) ? x : -Infinity);

function pickBest(rows: readonly SweepRow[], by: SelectBy): number | null {
  const other: SelectBy = by === 'accuracy' ? 'pearson' : 'accuracy';
  let best: number | null = null;
  rows.forEach((r, i) => {
    if (r.status !== 'ok' || !isNum(r[by])) return;
    const b = best === null ? undefined : rows[best];
    if (
      !b ||
      rank(r[by]) > rank(b[by]) ||
      (rank(r[by]) === rank(b[by]) && rank(r[other]) > rank(b[other]))
    )
      best = i;
  });
  return best;
}

function versus(
  best: readonly ResultRow[],
  other: readonly ResultRow[],
  alpha: number,
): VersusBest {
  const analysis = analyzePairs(pairResults(best, toPredictions(other)).pairs, { alpha });
  const acc = analysis.evidence.find((e) => e.metric === 'accuracy');
  const cor = analysis.bootstrap.pearson;
  return {
    paired: analysis.bothParsed,
    accuracy_delta: acc?.delta ?? null,
    mcnemar_p: analysis.mcnemar.accuracy.pValue,
    pearson_delta: cor.estimate,
    pearson_interval: cor.lower === null || cor.upper === null ? null : [cor.lower, cor.upper],
  };
}

/** Whether the paired test shows the best better than this checkpoint at the comparison's level. */
function bestShownBetter(v: VersusBest, by: SelectBy, alphaEach: number): boolean {
  if (by === 'accuracy')
    return isNum(v.accuracy_delta) && v.accuracy_delta > 0 && v.mcnemar_p < alphaEach;
  return v.pearson_interval !== null && v.pearson_interval[0] > 0;
}

export function selectCheckpoint(
  runs: readonly CheckpointRun[],
  opts: { selectBy: SelectBy; alpha: number },
): SweepSelection {
  const { selectBy, alpha } = opts;
  const rows = runs.map((r) => rowOf(r, 1 - alpha));
  const best = pickBest(rows, selectBy);
  // Only a checkpoint with a select-by value is compared (and counted in m): one whose replies never parsed,
  // or whose Pearson is undefined, has nothing to rank, and an empty paired test must not call it "≈ best".
  const ranked = (r: SweepRow): boolean => r.status === 'ok' && isNum(r[selectBy]);
  const others = rows.filter((r, i) => ranked(r) && i !== best).length;
  const m = Math.max(1, others);
  const alphaEach = alpha / m;
  const rule =
    selectBy === 'accuracy'
      ? `indistinguishable: exact McNemar (two-sided) cannot show the best more accurate at ${alphaEach.toPrecision(3)} (alpha ${alpha} / ${m} comparisons)`
      : `indistinguishable: the paired bootstrap interval of the Pearson delta at ${((1 - alphaEach) * 100).toPrecision(4)}% (alpha ${alpha} / ${m} comparisons) reaches 0`;
  if (best !== null) {
    const b = rows[best] as SweepRow;
    b.best = true;
    b.indistinguishable = true;
    const bestRows = runs[best]?.rows ?? [];
    rows.forEach((r, i) => {
      if (i === best || !ranked(r)) return;
      r.versus_best = versus(bestRows, runs[i]?.rows ?? [], alphaEach);
      r.indistinguishable = !bestShownBetter(r.versus_best, selectBy, alphaEach);
    });
  }
  return {
    select_by: selectBy,
    alpha,
    comparisons: others,
    comparison_level: 1 - alphaEach,
    rule,
    rows,
    best,
  };
}
