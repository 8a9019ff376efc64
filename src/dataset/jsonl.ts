/** JSON Lines reader: one JSON object per line; blank lines skipped; CRLF and a BOM tolerated. */
import { isRowObject, jsonTypeName, messageOf, unionColumns } from './table.js';
import { toText } from './utf8.js';
import { DatasetError, type ParsedTable, type RawRow } from './types.js';

/** Parses JSONL text (or UTF-8 bytes); errors are `<file>:<line>: ...`, like a compiler's. */
export function parseJsonl(input: string | Uint8Array, file: string): ParsedTable {
  const rows: RawRow[] = [];
  toText(input, file)
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new DatasetError(`${file}:${i + 1}: invalid JSON (${messageOf(error)})`);
      }
      if (!isRowObject(value)) {
        throw new DatasetError(
          `${file}:${i + 1}: expected one JSON object per line, found ${jsonTypeName(value)}`,
        );
      }
      rows.push(value);
    });
  return { columns: unionColumns(rows), rows };
}
