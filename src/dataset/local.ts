/** Local dataset files: pick the reader by extension, read, wrap with provenance. */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { parseCsv } from './csv.js';
import { formatOf, type DataFormat } from './format.js';
import { parseJson } from './json.js';
import { parseJsonl } from './jsonl.js';
import { readParquet } from './parquet.js';
import {
  DatasetError,
  type DatasetRequest,
  type LoadedDataset,
  type ParsedTable,
} from './types.js';

export const LOCAL_FORMATS_HINT =
  'expected a local .csv/.jsonl/.json/.parquet file or a Hugging Face dataset id like owner/name';

/** Reads one data file with the reader its format calls for (also used for Hub cache files). */
export async function readTable(path: string, format: DataFormat): Promise<ParsedTable> {
  if (format === 'parquet') return readParquet(path);
  const bytes = await readFile(path);
  if (format === 'csv') return parseCsv(bytes, path);
  return format === 'jsonl' ? parseJsonl(bytes, path) : parseJson(bytes, path);
}

/** Loads `req.dataset` as a local file; revision is 'local' and the split is only recorded. */
export async function loadLocalDataset(req: DatasetRequest): Promise<LoadedDataset> {
  const path = req.dataset;
  const format = formatOf(path);
  if (!format) throw new DatasetError(`${path}: not a data file (${LOCAL_FORMATS_HINT})`);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      throw new DatasetError(`dataset file not found: ${path} (${LOCAL_FORMATS_HINT})`);
    }
    throw new DatasetError(`${path}: cannot read (${error.message})`);
  });
  if (!info.isFile()) throw new DatasetError(`${path}: not a regular file (${LOCAL_FORMATS_HINT})`);
  const { columns, rows } = await readTable(path, format);
  // A local file has no commit: its content hash plays that part, so two runs on the same bytes compare
  // as the same dataset wherever the file lies, and an edited file does not.
  const digest = createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
  return {
    id: path,
    kind: format,
    revision: 'local',
    resolvedRevision: `sha256:${digest}`,
    split: req.split,
    files: [path],
    columns,
    rows,
    notes: [`read ${rows.length} rows from ${path}`],
  };
}
