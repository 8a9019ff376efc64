import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseBaseline, type BaselineData } from '../core/baseline.js';
import { parseRecipeDir } from '../core/recipe-layout.js';

/**
 * Read the baseline: a file (this project's baseline or summary, or the recipe's summary.json) or a
 * directory of the recipe's per-video results. A path that does not exist is no baseline (verdict
 * no-baseline), not an error.
 */
export function readBaseline(path: string): BaselineData | null {
  let text: string;
  try {
    if (statSync(path).isDirectory()) return readRecipeDir(path);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (e instanceof Error && e.name === 'BaselineError') throw e;
    throw new Error(`cannot read baseline ${path}: ${(e as Error).message}`);
  }
  return parseBaseline(text, path);
}

function readRecipeDir(dir: string): BaselineData {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  return parseRecipeDir(dir, files);
}
