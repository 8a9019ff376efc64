/**
 * Parquet reader (hyparquet, pure JS: snappy and uncompressed files; other codecs are reported as
 * errors). The Hub stores scores as int64, which arrive as BigInt: converted to Number when exact.
 */
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
} from 'hyparquet';
import { messageOf } from './table.js';
import { DatasetError, type ParsedTable, type RawRow } from './types.js';

/** Reads a local parquet file; columns are the schema's top-level fields in file order. */
export async function readParquet(path: string): Promise<ParsedTable> {
  try {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    const columns = parquetSchema(metadata).children.map((child) => child.element.name);
    const objects = await parquetReadObjects({ file, metadata });
    const rows = objects.map((object) => {
      const row: RawRow = {};
      for (const name of columns) row[name] = plain(object[name]);
      return row;
    });
    return { columns, rows };
  } catch (error) {
    throw new DatasetError(`${path}: cannot read parquet (${messageOf(error)})`);
  }
}

/**
 * BigInt -> Number when no precision is lost (otherwise left a BigInt, so nothing is silently
 * rounded); lists and structs are converted recursively. Other values pass through.
 */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (Array.isArray(value)) return value.map(plain);
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
