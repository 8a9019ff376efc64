/**
 * JSON reader: an array of row objects, or an object holding one under `rows` or `data` (the
 * shapes exports tend to take). Rows shaped `{row_idx, row: {...}}`, as the Hub's dataset viewer
 * API returns them under `rows`, are unwrapped.
 */
import { isRowObject, jsonTypeName, messageOf, unionColumns } from './table.js';
import { toText } from './utf8.js';
import { DatasetError, type ParsedTable, type RawRow } from './types.js';

/** Parses JSON text (or UTF-8 bytes); an empty (whitespace-only) file gives no rows. */
export function parseJson(input: string | Uint8Array, file: string): ParsedTable {
  const text = toText(input, file);
  if (text.trim() === '') return { columns: [], rows: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`${file}: invalid JSON (${messageOf(error)})`);
  }
  const items = rowArray(value, file);
  const rows = items.map((item, i): RawRow => {
    if (!isRowObject(item)) {
      throw new DatasetError(`${file}: row ${i + 1} is ${jsonTypeName(item)}, expected an object`);
    }
    return item;
  });
  return { columns: unionColumns(rows), rows };
}

function rowArray(value: unknown, file: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRowObject(value)) {
    if (Array.isArray(value.rows)) return unwrapViewerRows(value.rows);
    if (Array.isArray(value.data)) return value.data;
  }
  const found = isRowObject(value)
    ? `an object with keys ${Object.keys(value).slice(0, 10).join(', ') || '(none)'}`
    : jsonTypeName(value);
  throw new DatasetError(
    `${file}: expected a JSON array of row objects (or an object with a "rows" or "data" array), ` +
      `found ${found}`,
  );
}

/** `{row_idx, row}` wrappers (dataset viewer API) -> the inner rows; anything else unchanged. */
function unwrapViewerRows(items: unknown[]): unknown[] {
  const wrapped = (item: unknown): item is { row: RawRow } =>
    isRowObject(item) && typeof item.row_idx === 'number' && isRowObject(item.row);
  return items.length > 0 && items.every(wrapped) ? items.map((item) => item.row) : items;
}
