import type { EvalItem, RawRow, SkippedRow } from './types.js';
import { normalizeVideoUrl, videoUrlScheme } from './video-url.js';

/** Columns carried into results for breakdowns (issue: by generator, category, difficulty). */
const META_COLUMNS = ['caption', 'model_name', 'category', 'is_hard'] as const;

export interface RowSelection {
  items: EvalItem[];
  skipped: SkippedRow[];
  duplicates: SkippedRow[];
  /** Rows whose kept text (caption ...) was cut to META_LIMIT characters. */
  oversized: { row: number; column: string; length: number }[];
}

/** Kept columns longer than this are cut: a caption is a sentence, and results.jsonl must stay a log. */
export const META_LIMIT = 4096;

export interface SelectOptions {
  /** Also accept file:// and data: video URLs (a dataset of local or inline videos); http(s) always. */
  allowNonHttp?: boolean;
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
export function selectRows(
  rows: RawRow[],
  videoColumn: string,
  scoreColumn: string,
  opts: SelectOptions = {},
): RowSelection {
  const items: EvalItem[] = [];
  const skipped: SkippedRow[] = [];
  const duplicates: SkippedRow[] = [];
  const oversized: RowSelection['oversized'] = [];
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
    // A downloaded dataset must not make the server read the runner's disk (file://) or anything but the web.
    const scheme = videoUrlScheme(requestUrl);
    if (scheme !== 'http' && !(opts.allowNonHttp && (scheme === 'file' || scheme === 'data'))) {
      const shown = requestUrl.slice(0, requestUrl.indexOf(':') + 1);
      skipped.push({
        row: rowNo,
        reason: `video URL scheme ${shown} is not http(s)${scheme === 'file' || scheme === 'data' ? ' (set allow-non-http-videos to accept file: and data: URLs)' : ''}`,
      });
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
        const text = String(v);
        if (text.length > META_LIMIT)
          oversized.push({ row: rowNo, column: col, length: text.length });
        if (text !== '')
          meta[col] = text.length > META_LIMIT ? `${text.slice(0, META_LIMIT)}…` : text;
      }
    }
    items.push({ index, videoUrl, requestUrl, groundTruth: gt, meta });
  });
  return { items, skipped, duplicates, oversized };
}

/** "rows 3, 7, 12 and 40 more" — row numbers for a warning without flooding the log. */
export function describeRows(rows: SkippedRow[], max = 20): string {
  const shown = rows.slice(0, max).map((r) => r.row);
  const more = rows.length - shown.length;
  return `row${rows.length === 1 ? '' : 's'} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
