import { existsSync, readFileSync, truncateSync } from 'node:fs';
import type { ResultRow } from '../core/types.js';

/** What an existing results.jsonl holds, as far as a resume or a merge can trust it. */
export interface ResultsRead {
  /** Valid rows in file order; a video_url written twice keeps its last row (a retry appended later). */
  rows: ResultRow[];
  /** The last line was cut off (killed mid-write: no newline and/or not JSON) and was left out. */
  tornLastLine: boolean;
  /** Errors naming the file and line: an invalid line before the last one, a row without the recipe keys. */
  problems: string[];
  /** How many earlier rows were replaced by a later row for the same video_url. */
  duplicates: number;
}

const NEWLINE = 0x0a;

interface Line {
  /** 1-based line number, for messages. */
  number: number;
  text: string;
  /** Byte offset just after this line's newline (where a file cut back to this line would end). */
  end: number;
}

/** Complete lines (each ended by a newline) and the bytes after the last newline, if any. */
function splitLines(buf: Buffer): { lines: Line[]; tail: string } {
  const lines: Line[] = [];
  let start = 0;
  let number = 1;
  for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
    lines.push({ number: number++, text: buf.toString('utf8', start, nl), end: nl + 1 });
    start = nl + 1;
  }
  return { lines, tail: buf.toString('utf8', start) };
}

const isBlank = (s: string): boolean => s.trim() === '';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; why: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, why: (e as Error).message };
  }
}

const isNumberOrNull = (v: unknown): boolean => v === null || typeof v === 'number';
const isStringOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

/** Why a parsed line is not a result row, or undefined when it is one. Checks what resume and merge use. */
function rowProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return `expected a JSON object, got ${Array.isArray(v) ? 'an array' : typeof v}`;
  const r = v as Record<string, unknown>;
  const wrong: string[] = [];
  if (typeof r.video_url !== 'string' || r.video_url === '')
    wrong.push('video_url (a non-empty string)');
  if (typeof r.ground_truth !== 'number') wrong.push('ground_truth (a number)');
  if (!('output_text' in r) || !isStringOrNull(r.output_text))
    wrong.push('output_text (a string or null)');
  if (!('pred_score' in r) || !isNumberOrNull(r.pred_score))
    wrong.push('pred_score (a number or null)');
  // Our own key: a row without it (a recipe file) counts as answered; one with it must be well formed.
  if (r.error !== undefined && r.error !== null) {
    const e = r.error as Record<string, unknown>;
    if (typeof e !== 'object' || typeof e.message !== 'string')
      wrong.push('error (null or an object with a message)');
  }
  return wrong.length > 0 ? `missing or invalid ${wrong.join(', ')}` : undefined;
}

interface Scan {
  read: ResultsRead;
  /** Byte length of the file without the torn last line. */
  goodLength: number;
  size: number;
}

function scan(path: string): Scan {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read results file ${path}: ${(e as Error).message}`);
  }
  const { lines, tail } = splitLines(buf);
  // The writer ends every row with a newline in one write, so bytes after the last newline are a row cut
  // short. A complete last line that is not JSON is the same accident on a filesystem that padded it.
  let tornLastLine = tail.length > 0;
  let goodLength = tail.length > 0 ? buf.length - Buffer.byteLength(tail) : buf.length;
  let lastFilled = lines.length - 1;
  while (lastFilled >= 0 && isBlank(lines[lastFilled]?.text ?? '')) lastFilled--;
  if (!tornLastLine && lastFilled >= 0) {
    const last = lines[lastFilled];
    if (last && !parseJson(last.text).ok) {
      tornLastLine = true;
      goodLength = lastFilled > 0 ? (lines[lastFilled - 1]?.end ?? 0) : 0;
      lastFilled--;
    }
  }

  const byUrl = new Map<string, ResultRow>();
  const problems: string[] = [];
  let duplicates = 0;
  for (const line of lines.slice(0, lastFilled + 1)) {
    if (isBlank(line.text)) continue;
    const parsed = parseJson(line.text);
    if (!parsed.ok) {
      problems.push(
        `results file ${path} line ${line.number}: not valid JSON (${parsed.why}); expected one JSON object per line`,
      );
      continue;
    }
    const why = rowProblem(parsed.value);
    if (why) {
      problems.push(`results file ${path} line ${line.number}: ${why}`);
      continue;
    }
    const row = parsed.value as ResultRow;
    // delete + set moves a replaced row to where its last copy was written.
    if (byUrl.delete(row.video_url)) duplicates++;
    byUrl.set(row.video_url, row);
  }
  return {
    read: { rows: [...byUrl.values()], tornLastLine, problems, duplicates },
    goodLength,
    size: buf.length,
  };
}

/** Read an existing results.jsonl. Throws only when the file cannot be read; content problems are listed. */
export function readResults(path: string): ResultsRead {
  return scan(path).read;
}

/** readResults, or null when there is no file (a first run). */
export function readResultsIfPresent(path: string): ResultsRead | null {
  return existsSync(path) ? readResults(path) : null;
}

/**
 * Cut a torn last line off the file, so rows appended by a resumed run start on a line of their own.
 * Returns the number of bytes removed (0 when the file ended cleanly).
 */
export function truncateTorn(path: string): number {
  const { goodLength, size } = scan(path);
  if (goodLength === size) return 0;
  try {
    truncateSync(path, goodLength);
  } catch (e) {
    throw new Error(`cannot truncate the torn last line of ${path}: ${(e as Error).message}`);
  }
  return size - goodLength;
}
