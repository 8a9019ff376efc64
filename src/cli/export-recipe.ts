import { exportRecipe } from '../io/recipe-export.js';
import type { Logger } from '../log.js';
import { EXIT } from './eval.js';
import { parseCommand, type CommandSpec } from './flags.js';

export const EXPORT_RECIPE: CommandSpec = {
  name: 'export-recipe',
  usage: 'videophy-gate export-recipe OUT_DIR [--results-dir videophy2-results]',
  summary:
    "A run's results as the recipe's {i}.json files (video_url, ground_truth, output_text, pred_score): its compute_metrics.py reads them as they are, and the directory is a baseline (--baseline OUT_DIR).",
  flags: [
    {
      name: 'results-dir',
      type: 'string',
      value: 'DIR',
      description: 'The results directory to export (default: videophy2-results).',
    },
  ],
  positionals: { min: 1, max: 1 },
};

/**
 * `videophy-gate export-recipe OUT_DIR`: a run's results as the recipe's `{i}.json` files (video_url,
 * ground_truth, output_text, pred_score), for its compute_metrics.py or for a baseline directory.
 */
export function exportRecipeCommand(argv: string[], log: Logger): number {
  const { values, positionals } = parseCommand(EXPORT_RECIPE, argv);
  const outDir = positionals[0] ?? '';
  const resultsDir = (values['results-dir'] as string | undefined) ?? 'videophy2-results';
  const { files, skipped } = exportRecipe(resultsDir, outDir);
  log.info(
    `Wrote ${files} recipe result files to ${outDir}${skipped > 0 ? ` (${skipped} failed requests have none, as in the recipe)` : ''}; the recipe's compute_metrics.py reads them as they are.`,
  );
  return EXIT.ok;
}
