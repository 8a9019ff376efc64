import type { BaselinePrediction } from '../core/baseline.js';
import type { ResultRow } from '../core/types.js';
import { isNum } from './format.js';

/** How one side did on one video. Failed requests are infrastructure: never "wrong", never "newly" anything. */
export type Outcome = 'right' | 'wrong' | 'unparsed' | 'error';

/** One video scored by both the baseline and the candidate (matched by video_url, as the recipe keys them). */
export interface Pair {
  row: ResultRow;
  baselinePred: number | null;
  was: Outcome;
  now: Outcome;
}

export interface Comparison {
  pairs: Pair[];
  /** Candidate videos the baseline did not score, and the reverse. */
  candidateOnly: number;
  baselineOnly: number;
  /** Paired videos whose human score differs between the two files (a different dataset revision). */
  truthMismatch: number;
  /** Baseline predictions that were failed requests (for the errors row of the metrics table). */
  baselineErrors: number;
  /** Right before, not now (wrong or unparsed); worst miss first. */
  newlyWrong: Pair[];
  /** Not right before (wrong or unparsed), right now; biggest fix first. */
  newlyRight: Pair[];
  /**
   * Wrong both times with a different score, largest |candidate - baseline| first: the moves that are not
   * already in newlyWrong or newlyRight, so no video is listed twice.
   */
  moves: Pair[];
}

function outcome(groundTruth: unknown, pred: unknown, failed: boolean): Outcome {
  if (failed) return 'error';
  if (!isNum(pred)) return 'unparsed';
  return pred === groundTruth ? 'right' : 'wrong';
}

/** Distance from the truth for ordering; an unparsed reply counts as the farthest miss. */
const miss = (pred: number | null, gt: number): number => (pred === null ? 5 : Math.abs(pred - gt));

const byIndex = (a: Pair, b: Pair): number =>
  (isNum(a.row.index) ? a.row.index : 0) - (isNum(b.row.index) ? b.row.index : 0);

/** Pair the candidate's rows with the baseline's per-video predictions. Pure; sorts copies only. */
export function compare(
  rows: readonly ResultRow[],
  predictions: readonly BaselinePrediction[],
): Comparison {
  const base = new Map<string, BaselinePrediction>();
  let baselineErrors = 0;
  for (const p of predictions) {
    if (p.error === true) baselineErrors++;
    base.set(p.video_url, p);
  }
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  let truthMismatch = 0;
  for (const row of rows) {
    const b = base.get(row.video_url);
    if (b === undefined || seen.has(row.video_url)) continue;
    seen.add(row.video_url);
    if (b.ground_truth !== row.ground_truth) truthMismatch++;
    const baselinePred = isNum(b.pred_score) ? b.pred_score : null;
    pairs.push({
      row,
      baselinePred,
      was: outcome(b.ground_truth, baselinePred, b.error === true),
      now: outcome(row.ground_truth, row.pred_score, row.error !== null && row.error !== undefined),
    });
  }
  const answered = (o: Outcome): boolean => o !== 'error';
  const candPred = (p: Pair): number | null => (isNum(p.row.pred_score) ? p.row.pred_score : null);
  const newlyWrong = pairs
    .filter((p) => p.was === 'right' && p.now !== 'right' && answered(p.now))
    .sort(
      (a, b) =>
        miss(candPred(b), b.row.ground_truth) - miss(candPred(a), a.row.ground_truth) ||
        byIndex(a, b),
    );
  const newlyRight = pairs
    .filter((p) => p.now === 'right' && p.was !== 'right' && answered(p.was))
    .sort(
      (a, b) =>
        miss(b.baselinePred, b.row.ground_truth) - miss(a.baselinePred, a.row.ground_truth) ||
        byIndex(a, b),
    );
  const move = (p: Pair): number => Math.abs((candPred(p) ?? 0) - (p.baselinePred ?? 0));
  const moves = pairs
    .filter((p) => p.was === 'wrong' && p.now === 'wrong' && move(p) > 0)
    .sort((a, b) => move(b) - move(a) || byIndex(a, b));
  return {
    pairs,
    candidateOnly: rows.length - pairs.length,
    baselineOnly: base.size - pairs.length,
    truthMismatch,
    baselineErrors,
    newlyWrong,
    newlyRight,
    moves,
  };
}
