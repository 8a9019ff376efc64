import type { Config } from '../config/config.js';
import { META_LIMIT, describeRows, selectRows, type RowSelection } from '../core/rows.js';
import { stratifiedSubset } from '../core/subset.js';
import type { LoadedDataset } from './types.js';
import type { Logger } from '../log.js';

/** Dataset rows -> the videos to score: columns checked, bad rows reported by number, subset applied. */
export function selectItems(
  config: Pick<
    Config,
    'allowNonHttpVideos' | 'limit' | 'scoreColumn' | 'subsetSeed' | 'videoColumn'
  >,
  data: LoadedDataset,
  log: Logger,
): RowSelection {
  if (data.rows.length === 0)
    throw new Error(`dataset ${data.id} (${data.files.join(', ')}) has no rows`);
  for (const col of [config.videoColumn, config.scoreColumn]) {
    if (!data.columns.includes(col)) {
      throw new Error(
        `dataset ${data.id} has no column '${col}' (columns: ${data.columns.map((c) => `'${c}'`).join(', ')}); set video-column / score-column`,
      );
    }
  }
  const selection = selectRows(data.rows, config.videoColumn, config.scoreColumn, {
    allowNonHttp: config.allowNonHttpVideos,
  });
  if (selection.oversized.length > 0) {
    const o = selection.oversized[0];
    log.warning(
      `dataset ${data.id}: row ${o?.row}: column '${o?.column}' is ${((o?.length ?? 0) / 2 ** 20).toFixed(1)} MB of text, over the ${META_LIMIT}-character limit for kept columns; cut in results (${selection.oversized.length} such cells)`,
    );
  }
  if (selection.skipped.length > 0) {
    const reasons = [...new Set(selection.skipped.map((s) => s.reason))].slice(0, 5).join('; ');
    log.warning(
      `dataset ${data.id}: skipped ${selection.skipped.length} invalid ${describeRows(selection.skipped)} (${reasons})`,
    );
  }
  if (selection.duplicates.length > 0) {
    log.warning(
      `dataset ${data.id}: skipped ${selection.duplicates.length} duplicate ${describeRows(selection.duplicates)} (same video URL as an earlier row)`,
    );
  }
  return {
    ...selection,
    items: stratifiedSubset(selection.items, config.limit, config.subsetSeed),
  };
}
