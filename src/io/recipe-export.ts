import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recipeFiles } from '../core/recipe-layout.js';
import { readResults } from './results-reader.js';

/**
 * Write a results directory's rows in the recipe's per-video layout, so its own compute_metrics.py reads
 * our run. The target must be new or empty: its files are the user's, and are never overwritten.
 */
export function exportRecipe(
  resultsDir: string,
  outDir: string,
): { files: number; skipped: number } {
  const path = join(resultsDir, 'results.jsonl');
  if (!existsSync(path)) {
    throw new Error(
      `export-recipe: no results at ${path} (give the output-dir of a run with --results-dir)`,
    );
  }
  const read = readResults(path);
  if (read.problems.length > 0) {
    throw new Error(
      `export-recipe: ${path} has invalid rows: ${read.problems.slice(0, 3).join('; ')}`,
    );
  }
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new Error(
      `export-recipe: ${outDir} is not empty; choose a new directory (nothing in it is overwritten)`,
    );
  }
  const files = recipeFiles(read.rows);
  mkdirSync(outDir, { recursive: true });
  for (const f of files) writeFileSync(join(outDir, f.name), f.text);
  return { files: files.length, skipped: read.rows.length - files.length };
}
