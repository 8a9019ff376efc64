import { sampleCorrelation } from 'simple-statistics';
import type { ResultRow } from './types.js';

export interface Metrics {
  /** Share of exact matches among parsed rows (recipe: mean(gt == pred)). Null when nothing parsed. */
  accuracy: number | null;
  /** Sample Pearson correlation (recipe: np.corrcoef). Null when undefined; see pearsonUndefined. */
  pearson: number | null;
  /** Why Pearson is undefined ("constant predictions", "fewer than 2 samples"), when it is. */
  pearsonUndefined?: string;
  /** Rows that parsed: the recipe's num_samples. */
  numSamples: number;
  /** Videos scored (answered or failed). */
  numVideos: number;
  /** Videos whose request failed after retries (infrastructure, not the model). */
  numErrors: number;
  /** Videos the server answered but whose reply did not parse. */
  numUnparsed: number;
  /** Parsed / answered: a checkpoint that stops answering would otherwise look better on the rest. */
  parseRate: number | null;
  /** errors / videos. */
  errorRate: number;
  /** confusion[gt-1][pred-1] over parsed rows. */
  confusion: number[][];
  /** Count of each predicted score 1..5 and of each human score 1..5 among parsed rows. */
  predicted: number[];
  human: number[];
}

function pearsonOf(
  gt: number[],
  pred: number[],
): { value: number | null; undefinedBecause?: string } {
  if (gt.length < 2) return { value: null, undefinedBecause: 'fewer than 2 parsed replies' };
  const constant = (xs: number[]): boolean => xs.every((x) => x === xs[0]);
  if (constant(pred))
    return { value: null, undefinedBecause: `constant predictions (every reply is ${pred[0]})` };
  if (constant(gt))
    return {
      value: null,
      undefinedBecause: `constant ground truth (every human score is ${gt[0]})`,
    };
  // np.corrcoef clips to [-1, 1]; so do we, for the same last decimal on degenerate data.
  return { value: Math.max(-1, Math.min(1, sampleCorrelation(gt, pred))) };
}

/** The recipe's compute_metrics, plus the counts a gate needs. Pure: rows in, numbers out. */
export function computeMetrics(rows: readonly ResultRow[]): Metrics {
  const gt: number[] = [];
  const pred: number[] = [];
  const confusion = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
  const predicted = [0, 0, 0, 0, 0];
  const human = [0, 0, 0, 0, 0];
  let numErrors = 0;
  let numUnparsed = 0;
  let correct = 0;
  for (const r of rows) {
    if (r.error) {
      numErrors++;
      continue;
    }
    if (r.pred_score === null) {
      numUnparsed++;
      continue;
    }
    gt.push(r.ground_truth);
    pred.push(r.pred_score);
    if (r.ground_truth === r.pred_score) correct++;
    const row = confusion[r.ground_truth - 1];
    if (row) row[r.pred_score - 1] = (row[r.pred_score - 1] ?? 0) + 1;
    predicted[r.pred_score - 1] = (predicted[r.pred_score - 1] ?? 0) + 1;
    human[r.ground_truth - 1] = (human[r.ground_truth - 1] ?? 0) + 1;
  }
  const numSamples = gt.length;
  const answered = rows.length - numErrors;
  const p = pearsonOf(gt, pred);
  return {
    accuracy: numSamples > 0 ? correct / numSamples : null,
    pearson: p.value,
    ...(p.undefinedBecause ? { pearsonUndefined: p.undefinedBecause } : {}),
    numSamples,
    numVideos: rows.length,
    numErrors,
    numUnparsed,
    parseRate: answered > 0 ? numSamples / answered : null,
    errorRate: rows.length > 0 ? numErrors / rows.length : 0,
    confusion,
    predicted,
    human,
  };
}
