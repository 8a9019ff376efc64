import type { BaselineKind, ResultRow } from './types.js';
import { SUMMARY_SCHEMA, type RunSettings, type Summary } from './summary.js';

export const BASELINE_SCHEMA = 'videophy-gate/baseline';
export const BASELINE_VERSION = 1;

export interface BaselinePrediction {
  video_url: string;
  ground_truth: number;
  pred_score: number | null;
  /** True when the video's request failed (no reply): kept so later comparisons can tell it from unparsed. */
  error?: boolean;
}

/** One accepted run, kept in the baseline file for the trend of accuracy and Pearson across checkpoints. */
export interface HistoryEntry {
  created_at: string;
  model: string;
  accuracy: number | null;
  pearson_correlation: number | null;
  parse_rate: number | null;
  num_samples: number;
  verdict: string;
}

/** This project's baseline file: the run's summary plus every video's prediction (for paired comparison). */
export interface BaselineFile {
  schema: typeof BASELINE_SCHEMA;
  version: typeof BASELINE_VERSION;
  created_at: string;
  summary: Summary;
  predictions: BaselinePrediction[];
  /** Earlier baselines, oldest first, this one last (bounded by baseline-history). */
  history?: HistoryEntry[];
}

/** A baseline as the verdict sees it, whatever file it came from. */
export interface BaselineData {
  source: string;
  /** recipe-results: a directory of the recipe's per-video files (core/recipe-layout.ts). */
  kind: BaselineKind;
  accuracy: number | null;
  pearson: number | null;
  parseRate: number | null;
  numSamples: number;
  createdAt?: string;
  settings?: RunSettings;
  /** vLLM version that served the baseline (comparability), when recorded. */
  vllmVersion?: string | null;
  predictions?: BaselinePrediction[];
  history?: HistoryEntry[];
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

export function historyEntry(summary: Summary, createdAt: string): HistoryEntry {
  return {
    created_at: createdAt,
    model: summary.settings?.model ?? 'unknown',
    accuracy: summary.accuracy,
    pearson_correlation: summary.pearson_correlation,
    parse_rate: summary.parse_rate,
    num_samples: summary.num_samples,
    verdict: summary.verdict,
  };
}

/** A baseline from this run; the `previous` history is carried over with this run appended, the last `keep`. */
export function makeBaselineFile(
  summary: Summary,
  rows: readonly ResultRow[],
  now: Date,
  previous: readonly HistoryEntry[] = [],
  keep = 20,
): BaselineFile {
  const history = [...previous, historyEntry(summary, now.toISOString())].slice(-Math.max(1, keep));
  return {
    schema: BASELINE_SCHEMA,
    version: BASELINE_VERSION,
    created_at: now.toISOString(),
    summary,
    history,
    predictions: toPredictions(rows),
  };
}

/** What a baseline file keeps of each video (and what pairing reads of a run compared with another). */
export function toPredictions(rows: readonly ResultRow[]): BaselinePrediction[] {
  return rows.map((r) => ({
    video_url: r.video_url,
    ground_truth: r.ground_truth,
    pred_score: r.pred_score,
    ...(r.error ? { error: true } : {}),
  }));
}

/** Per-video predictions as result rows (for metrics and pairing): what a baseline file keeps of each video. */
export function predictionRows(predictions: readonly BaselinePrediction[]): ResultRow[] {
  return predictions.map((p, index) => ({
    video_url: p.video_url,
    ground_truth: p.ground_truth,
    output_text: null,
    pred_score: p.pred_score,
    index,
    latency_ms: 0,
    finish_reason: null,
    usage: null,
    error: p.error
      ? { kind: 'connection', message: 'failed request (as the baseline file records it)' }
      : null,
  }));
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function metric(
  file: string,
  obj: Record<string, unknown>,
  key: string,
  where: string,
): number | null {
  const v = obj[key];
  // The recipe's json.dump writes NaN for an undefined Pearson; JSON.parse cannot read NaN, so a recipe
  // summary with NaN never reaches here (it fails as invalid JSON with a hint below). null means undefined.
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new BaselineError(
      `baseline ${file}: '${where}${key}' must be a number, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function count(file: string, obj: Record<string, unknown>, key: string, where: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new BaselineError(
      `baseline ${file}: '${where}${key}' must be a non-negative integer, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function fromSummary(file: string, s: Record<string, unknown>, where: string) {
  return {
    accuracy: metric(file, s, 'accuracy', where),
    pearson: metric(file, s, 'pearson_correlation', where),
    numSamples: count(file, s, 'num_samples', where),
    parseRate: typeof s.parse_rate === 'number' ? s.parse_rate : null,
    settings: isObj(s.settings) ? (s.settings as unknown as RunSettings) : undefined,
    vllmVersion:
      isObj(s.server) && typeof s.server.vllm_version === 'string' ? s.server.vllm_version : null,
  };
}

function parsePredictions(file: string, value: unknown): BaselinePrediction[] {
  if (!Array.isArray(value))
    throw new BaselineError(`baseline ${file}: 'predictions' must be a list`);
  return value.map((p, i) => {
    if (!isObj(p) || typeof p.video_url !== 'string' || typeof p.ground_truth !== 'number') {
      throw new BaselineError(
        `baseline ${file}: predictions[${i}] must have a string 'video_url' and a number 'ground_truth'`,
      );
    }
    if (p.pred_score !== null && typeof p.pred_score !== 'number') {
      throw new BaselineError(
        `baseline ${file}: predictions[${i}].pred_score must be a number or null`,
      );
    }
    return p as unknown as BaselinePrediction;
  });
}

/**
 * Read a baseline from its text. Accepted: this project's baseline file (versioned), this project's
 * summary.json, and the recipe's summary.json ({accuracy, pearson_correlation, num_samples}).
 */
export function parseBaseline(text: string, file: string): BaselineData {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const hint = /\bNaN\b/.test(text)
      ? ' (it contains NaN, which JSON does not allow: the recipe writes NaN when Pearson is undefined; replace it with null)'
      : '';
    throw new BaselineError(`baseline ${file} is not valid JSON: ${(e as Error).message}${hint}`);
  }
  if (!isObj(doc)) throw new BaselineError(`baseline ${file}: expected a JSON object`);

  if (doc.schema === BASELINE_SCHEMA) {
    if (doc.version !== BASELINE_VERSION) {
      throw new BaselineError(
        `baseline ${file} has version ${JSON.stringify(doc.version)}; this videophy-gate reads version ${BASELINE_VERSION} (upgrade the action or regenerate the baseline)`,
      );
    }
    if (!isObj(doc.summary))
      throw new BaselineError(`baseline ${file}: 'summary' must be an object`);
    return {
      source: file,
      kind: 'gate-baseline',
      ...fromSummary(file, doc.summary, 'summary.'),
      createdAt: typeof doc.created_at === 'string' ? doc.created_at : undefined,
      predictions: parsePredictions(file, doc.predictions),
      history: Array.isArray(doc.history) ? (doc.history as HistoryEntry[]).filter(isObj) : [],
    };
  }
  if (doc.schema === SUMMARY_SCHEMA) {
    if (doc.version !== 1) {
      throw new BaselineError(
        `baseline ${file} is a summary of version ${JSON.stringify(doc.version)}; expected 1`,
      );
    }
    return { source: file, kind: 'gate-summary', ...fromSummary(file, doc, '') };
  }
  if (doc.schema !== undefined) {
    throw new BaselineError(
      `baseline ${file} has unknown schema ${JSON.stringify(doc.schema)}; expected '${BASELINE_SCHEMA}', '${SUMMARY_SCHEMA}' or a recipe summary.json`,
    );
  }
  if ('accuracy' in doc && 'pearson_correlation' in doc && 'num_samples' in doc) {
    return { source: file, kind: 'recipe-summary', ...fromSummary(file, doc, '') };
  }
  throw new BaselineError(
    `baseline ${file}: not a videophy-gate baseline (no 'schema') nor a recipe summary.json (needs accuracy, pearson_correlation, num_samples); found keys ${Object.keys(doc).slice(0, 10).join(', ')}`,
  );
}
