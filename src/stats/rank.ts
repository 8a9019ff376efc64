/** Spearman's rho (scipy.stats.spearmanr) and mean absolute error: reported next to accuracy and Pearson. */
import { checkLengths, pearson } from './correlation.js';

/** 1-based ranks with ties given their average rank (scipy.stats.rankdata(method='average')). */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (x[i] as number) - (x[j] as number),
  );
  const ranks = new Float64Array(n);
  for (let start = 0; start < n;) {
    let end = start + 1;
    const v = x[order[start] as number] as number;
    while (end < n && x[order[end] as number] === v) end++;
    // positions start..end-1 (0-based) hold ranks start+1..end: their mean is (start + 1 + end) / 2
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] as number] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman's rho as scipy.stats.spearmanr: Pearson of average ranks. Null where spearmanr gives NaN. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  checkLengths('spearman', x, y);
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) {
      throw new Error(`spearman: value ${i} is NaN; drop unparsed rows before ranking`);
    }
  }
  return pearson(averageRanks(x), averageRanks(y));
}

/** mean(|pred - truth|); null on no data. */
export function meanAbsoluteError(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
): number | null {
  checkLengths('meanAbsoluteError', truth, pred);
  if (truth.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < truth.length; i++)
    sum += Math.abs((pred[i] as number) - (truth[i] as number));
  return sum / truth.length;
}
