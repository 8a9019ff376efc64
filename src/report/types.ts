import type { BaselinePrediction, HistoryEntry } from '../core/baseline.js';
import type { RunSettings, Summary } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import type { SweepSummary } from '../sweep/summary.js';

/**
 * What the report needs of the baseline. `BaselineData` (from parseBaseline) fits as is; a recipe
 * summary has no predictions, and then the per-video sections are left out.
 */
export interface ReportBaseline {
  predictions?: readonly BaselinePrediction[];
  /** Earlier accepted runs, oldest first (the trend chart). */
  history?: readonly HistoryEntry[];
  settings?: RunSettings;
  createdAt?: string;
}

export interface ReportLinks {
  /** The workflow run: `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`. */
  runUrl?: string;
  /** The uploaded results artifact (actions/upload-artifact's `artifact-url` output). */
  artifactUrl?: string;
}

export interface ReportInput {
  summary: Summary;
  /** The candidate's results.jsonl rows (their `meta` carries caption, model_name, category, is_hard). */
  rows: readonly ResultRow[];
  baseline?: ReportBaseline | null;
  links?: ReportLinks;
  /** The comment tag: it goes into the hidden marker that finds the comment again. */
  tag: string;
  /** A checkpoint sweep's sweep.json: the run above is its best checkpoint's. */
  sweep?: SweepSummary;
}

/** How many items the long sections may show; shrunk until the report fits its limit. */
export interface ListSizes {
  /** Per list of changed videos (newly wrong, newly right, largest moves). */
  changes: number;
  /** Per breakdown table (generator, category, difficulty). */
  slices: number;
  /** Whether the folded confusion matrix and chart are included. */
  charts: boolean;
}
