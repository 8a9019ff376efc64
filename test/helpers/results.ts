/** The one reader of a run's files in tests: results.jsonl rows (none when the file is absent) and summary.json. */
import { readFileSync } from 'node:fs';
import type { ResultRow } from '../../src/core/types.js';
import type { Summary } from '../../src/core/summary.js';

export function readResults(path: string): ResultRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ResultRow);
}

export function readSummary(path: string): Summary {
  return JSON.parse(readFileSync(path, 'utf8')) as Summary;
}
