import { parseArgs } from 'node:util';
import { exportRecipe } from '../io/recipe-export.js';
import type { Logger } from '../run/logger.js';
import { EXIT } from './eval.js';

export const EXPORT_RECIPE_USAGE =
  'videophy-gate export-recipe OUT_DIR [--results-dir videophy2-results]';

/**
 * `videophy-gate export-recipe OUT_DIR`: a run's results as the recipe's `{i}.json` files (video_url,
 * ground_truth, output_text, pred_score), for its compute_metrics.py or for a baseline directory.
 */
export function exportRecipeCommand(argv: string[], log: Logger): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'results-dir': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [outDir, ...extra] = positionals;
  if (!outDir || extra.length > 0) {
    throw new Error(`expected one output directory: ${EXPORT_RECIPE_USAGE}`);
  }
  const resultsDir = values['results-dir'] ?? 'videophy2-results';
  const { files, skipped } = exportRecipe(resultsDir, outDir);
  log.info(
    `Wrote ${files} recipe result files to ${outDir}${skipped > 0 ? ` (${skipped} failed requests have none, as in the recipe)` : ''}; the recipe's compute_metrics.py reads them as they are.`,
  );
  return EXIT.ok;
}
