import type { RawRow } from '../dataset/types.js';
import type { EvalItem, SkippedRow } from './types.js';
import { normalizeVideoUrl } from './video-url.js';

/** Columns carried into results for breakdowns (issue: by generator, category, difficulty). */
const META_COLUMNS = ['caption', 'model_name', 'category', 'is_hard'] as const;

export interface RowSelection {
  items: EvalItem[];
  skipped: SkippedRow[];
  duplicates: SkippedRow[];
}

/**
 * Ground truth must be an integer 1..5. CSV cells are strings; "3" and "3.0" are accepted, "3.5", "", "0",
 * "6" are not. (The recipe casts nothing and would silently compare floats; we refuse instead.)
 */
export function parseGroundTruth(value: unknown): number | string {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  const empty =
    value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
  if (empty) return 'empty score';
  if (!Number.isInteger(n) || n < 1 || n > 5)
    return `score ${JSON.stringify(value)} is not an integer 1-5`;
  return n;
}

/** Validate dataset rows into items; every rejected row is reported with its 1-based row number and why. */
export function selectRows(rows: RawRow[], videoColumn: string, scoreColumn: string): RowSelection {
  const items: EvalItem[] = [];
  const skipped: SkippedRow[] = [];
  const duplicates: SkippedRow[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const rowNo = index + 1;
    const rawUrl = row[videoColumn];
    if (typeof rawUrl !== 'string' || rawUrl.trim() === '') {
      skipped.push({ row: rowNo, reason: `no video URL in column '${videoColumn}'` });
      return;
    }
    const gt = parseGroundTruth(row[scoreColumn]);
    if (typeof gt === 'string') {
      skipped.push({ row: rowNo, reason: `${gt} in column '${scoreColumn}'` });
      return;
    }
    let requestUrl: string;
    try {
      requestUrl = normalizeVideoUrl(rawUrl);
    } catch (e) {
      skipped.push({ row: rowNo, reason: `video URL ${(e as Error).message}` });
      return;
    }
    const videoUrl = rawUrl.trim();
    const first = seen.get(videoUrl);
    if (first !== undefined) {
      // Results and baselines are keyed by URL; a second copy would be scored twice and counted twice.
      duplicates.push({ row: rowNo, reason: `duplicate of row ${first} (same video URL)` });
      return;
    }
    seen.set(videoUrl, rowNo);
    const meta: Record<string, string> = {};
    for (const col of META_COLUMNS) {
      const v = row[col];
      if (
        typeof v === 'string' ||
        typeof v === 'number' ||
        typeof v === 'boolean' ||
        typeof v === 'bigint'
      ) {
        if (v !== '') meta[col] = String(v);
      }
    }
    items.push({ index, videoUrl, requestUrl, groundTruth: gt, meta });
  });
  return { items, skipped, duplicates };
}

/** "rows 3, 7, 12 and 40 more" — row numbers for a warning without flooding the log. */
export function describeRows(rows: SkippedRow[], max = 20): string {
  const shown = rows.slice(0, max).map((r) => r.row);
  const more = rows.length - shown.length;
  return `row${rows.length === 1 ? '' : 's'} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
