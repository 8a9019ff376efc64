/** Small helpers shared by the JSON-shaped readers (JSONL, JSON). */
import type { RawRow } from './types.js';

/** A plain JSON object (not null, not an array): the only thing that can be a row. */
export function isRowObject(value: unknown): value is RawRow {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value's type in words, for error messages ("array", "null", "string" ...). */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Union of the rows' keys in first-seen order: JSON rows need not all have the same keys. */
export function unionColumns(rows: readonly RawRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/** The message of whatever was thrown, for wrapping third-party errors. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
