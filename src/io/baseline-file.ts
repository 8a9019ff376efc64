import { readFileSync } from 'node:fs';
import { parseBaseline, type BaselineData } from '../core/baseline.js';

/** Read the baseline file; a file that does not exist is no baseline (verdict no-baseline), not an error. */
export function readBaseline(path: string): BaselineData | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read baseline ${path}: ${(e as Error).message}`);
  }
  return parseBaseline(text, path);
}
