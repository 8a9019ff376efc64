/** Which reader a file name calls for; shared by the local loader and the Hub file chooser. */

export type DataFormat = 'parquet' | 'csv' | 'jsonl' | 'json';

/** Order of preference when a Hub repo holds the same split in several formats. */
export const FORMAT_PREFERENCE: readonly DataFormat[] = ['parquet', 'csv', 'jsonl', 'json'];

/** The data format named by a path's extension (case-insensitive), or undefined. */
export function formatOf(path: string): DataFormat | undefined {
  const m = /\.(parquet|csv|jsonl|json)$/i.exec(path);
  return m?.[1] ? (m[1].toLowerCase() as DataFormat) : undefined;
}
