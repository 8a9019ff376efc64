/**
 * CSV reader (RFC 4180 via csv-parse): quoted fields may hold commas, doubled quotes and newlines;
 * CRLF or LF; a UTF-8 BOM is dropped. The VideoPhy-2 header has an empty column name (between
 * `category` and `metadata_rules`): it is kept as the key '' rather than rejected. All cells stay
 * strings; typing them is the caller's business.
 */
import { parse } from 'csv-parse/sync';
import { messageOf } from './table.js';
import { toText } from './utf8.js';
import { DatasetError, type ParsedTable, type RawRow } from './types.js';

interface Record_ {
  record: string[];
  info: { bytes: number };
}

/** Parses CSV text (or UTF-8 bytes, decoded strictly); `file` is only used in error messages. */
export function parseCsv(input: string | Uint8Array, file: string): ParsedTable {
  // Parse UTF-8 bytes so that csv-parse's `info.bytes` (a byte count) indexes this buffer.
  const bytes = Buffer.from(toText(input, file), 'utf8');
  let records: Record_[];
  try {
    records = parse(bytes, {
      info: true,
      // Field counts are checked below, with a message that names the row and the line.
      relax_column_count: true,
      // Blank lines are not rows (Python's csv module and pandas skip them too).
      skip_empty_lines: true,
    }) as unknown as Record_[];
  } catch (error) {
    throw new DatasetError(`${file}: malformed CSV (${messageOf(error)})`);
  }
  const [header, ...data] = records;
  if (!header) return { columns: [], rows: [] };
  const columns = uniqueNames(header.record);

  const rows: RawRow[] = [];
  let previousEnd = header.info.bytes;
  data.forEach(({ record, info }, i) => {
    if (record.length !== columns.length) {
      throw new DatasetError(
        `${file}: data row ${i + 1} (line ${startLine(bytes, previousEnd)}) has ` +
          `${record.length} fields, expected ${columns.length} (the header's count)`,
      );
    }
    const row: RawRow = {};
    columns.forEach((name, c) => (row[name] = record[c]));
    rows.push(row);
    previousEnd = info.bytes;
  });
  return { columns, rows };
}

/**
 * Header names made unique so no column is silently overwritten: the first occurrence keeps its
 * name (so the lone empty name stays ''), later duplicates get `_2`, `_3`... appended ('' -> '_2').
 */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 2; used.has(unique); n++) unique = `${name}_${n}`;
    used.add(unique);
    return unique;
  });
}

/**
 * 1-based line on which the record after byte `end` starts: skips the blank lines csv-parse
 * skipped, then counts line breaks (CRLF, LF or a lone CR) before it. Only used for messages.
 */
function startLine(bytes: Uint8Array, end: number): number {
  let start = end;
  while (bytes[start] === 0x0a || bytes[start] === 0x0d) start++;
  let line = 1;
  for (let i = 0; i < start; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}
