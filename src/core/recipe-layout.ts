/**
 * The recipe's per-video result files (cosmos-cookbook inference_videophy2.py): `{i}.json` for the i-th
 * dataset row (1-based), holding `video_url`, `ground_truth`, `output_text`, `pred_score`; a failed inference
 * leaves no file; compute_metrics.py reads every `*.json` but `summary.json`, drops rows whose ground truth
 * or prediction is None, and computes accuracy and np.corrcoef. Pure: text in, text or data out.
 */
import { computeMetrics } from './metrics.js';
import type { BaselineData, BaselinePrediction } from './baseline.js';
import { BaselineError, predictionRows } from './baseline.js';
import type { ResultRow } from './types.js';

export interface RecipeFile {
  name: string;
  text: string;
}

/** Python's json.dump escapes every non-ASCII character (ensure_ascii=True) as \uXXXX (UTF-16 units). */
function asciiJson(value: unknown, indent: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * One file per answered video, named by its 1-based dataset row, byte for byte as the recipe's
 * `json.dump(result_entry, f, indent=2)` writes it. Failed requests get no file, as in the recipe.
 */
export function recipeFiles(rows: readonly ResultRow[]): RecipeFile[] {
  return [...rows]
    .filter((r) => r.error === null)
    .sort((a, b) => a.index - b.index)
    .map((r) => {
      const entry = {
        video_url: r.video_url,
        ground_truth: r.ground_truth,
        output_text: r.output_text ?? '',
        pred_score: r.pred_score,
      };
      // pred_score is the last key; the recipe's parser returns float(match), which Python writes `4.0`.
      const text = asciiJson(entry, 2).replace(/("pred_score": )(\d+)\n\}$/, '$1$2.0\n}');
      return { name: `${r.index + 1}.json`, text };
    });
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A score as the recipe keeps it (a float or None); must be 1..5 to be compared video by video. */
function score(file: string, key: string, v: unknown, nullable: boolean): number | null {
  if (v === null && nullable) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) {
    throw new BaselineError(
      `recipe result ${file}: '${key}' must be ${nullable ? 'null or ' : ''}a score 1-5, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/**
 * A directory in the recipe's layout as a paired baseline (per-video predictions). Files are read in the
 * recipe's order (sorted names) and every file but summary.json must be one video's result; two files for
 * one URL are refused (the pairing is by URL).
 */
export function parseRecipeDir(dir: string, files: readonly RecipeFile[]): BaselineData {
  const results = files
    .filter((f) => f.name.endsWith('.json') && f.name !== 'summary.json')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (results.length === 0) {
    throw new BaselineError(
      `baseline ${dir}: a directory, but it holds no recipe result files ({i}.json with video_url, ground_truth, pred_score)`,
    );
  }
  const seen = new Map<string, string>();
  const predictions: BaselinePrediction[] = [];
  for (const f of results) {
    const where = `${dir}/${f.name}`;
    let doc: unknown;
    try {
      doc = JSON.parse(f.text);
    } catch (e) {
      throw new BaselineError(`recipe result ${where} is not valid JSON: ${(e as Error).message}`);
    }
    if (!isObj(doc) || typeof doc.video_url !== 'string' || doc.video_url === '') {
      throw new BaselineError(
        `recipe result ${where}: expected an object with a string 'video_url' (the recipe's layout)`,
      );
    }
    const first = seen.get(doc.video_url);
    if (first !== undefined) {
      throw new BaselineError(`recipe result ${where}: same video_url as ${first}`);
    }
    seen.set(doc.video_url, f.name);
    predictions.push({
      video_url: doc.video_url,
      ground_truth: score(where, 'ground_truth', doc.ground_truth, false) ?? 0,
      pred_score: score(where, 'pred_score', doc.pred_score, true),
    });
  }
  // The metrics exactly as compute_metrics.py computes them from these files (rows with no prediction out).
  const rows = predictionRows(predictions);
  const m = computeMetrics(rows);
  return {
    source: dir,
    kind: 'recipe-results',
    accuracy: m.accuracy,
    pearson: m.pearson,
    parseRate: m.parseRate,
    numSamples: m.numSamples,
    predictions,
  };
}
