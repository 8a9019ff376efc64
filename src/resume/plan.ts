import type { EvalItem, ResultRow } from '../core/types.js';

export interface ResumePlan {
  /** Rows of the previous run to count as done, in item order. */
  keep: ResultRow[];
  /** Items still to score, in item order. */
  todo: EvalItem[];
  /** One sentence for the log. */
  reason: string;
  /** Previous rows that failed and are scored again. */
  retried: number;
  /** Previous rows not reused for another reason: not in this selection, or a different ground truth. */
  dropped: number;
}

/**
 * What a rerun in the same output directory still has to do, as the recipe's script skips videos whose
 * output file exists. Answered rows are kept whether or not their reply parsed (the same settings would give
 * the same reply); failed requests are tried again. A row whose ground truth no longer matches its item
 * means the data changed under the same name (a local file edited in place) and is not reused.
 */
export function planResume(
  existing: readonly ResultRow[],
  items: readonly EvalItem[],
  sameSettings: boolean,
): ResumePlan {
  if (existing.length === 0) {
    return {
      keep: [],
      todo: [...items],
      reason: 'no previous results: scoring every video',
      retried: 0,
      dropped: 0,
    };
  }
  if (!sameSettings) {
    return {
      keep: [],
      todo: [...items],
      reason: `the settings differ from the previous run's, so its ${existing.length} rows are not reused: scoring every video afresh`,
      retried: 0,
      dropped: existing.length,
    };
  }
  const byUrl = new Map(existing.map((r) => [r.video_url, r]));
  const keep: ResultRow[] = [];
  const todo: EvalItem[] = [];
  let retried = 0;
  let changed = 0;
  for (const item of items) {
    const row = byUrl.get(item.videoUrl);
    byUrl.delete(item.videoUrl);
    if (!row) todo.push(item);
    else if (row.ground_truth !== item.groundTruth) {
      changed++;
      todo.push(item);
    } else if (row.error) {
      retried++;
      todo.push(item);
    } else keep.push(row);
  }
  const outside = byUrl.size;
  const notes = [
    retried > 0 ? `${retried} failed earlier and are retried` : '',
    changed > 0 ? `${changed} have a different ground truth now and are scored again` : '',
    outside > 0 ? `${outside} previous rows are not in this selection and are dropped` : '',
  ].filter((s) => s !== '');
  return {
    keep,
    todo,
    reason: `resuming: ${keep.length} of ${items.length} videos already scored, ${todo.length} to do${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    retried,
    dropped: changed + outside,
  };
}
