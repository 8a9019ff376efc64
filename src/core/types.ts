/** Data shapes shared by the pure core and the I/O edges. */

/** One video to score, after the dataset row was validated. */
export interface EvalItem {
  /** 0-based position in the dataset as loaded (stable across runs of the same revision). */
  index: number;
  /** The URL exactly as in the dataset: the key of results and baselines, as in the recipe. */
  videoUrl: string;
  /** The URL as sent to the server (percent-encoded where needed). */
  requestUrl: string;
  groundTruth: number;
  /** Columns kept for breakdowns in reports (caption, model_name, category, is_hard) when present. */
  meta: Record<string, string>;
}

export type ErrorKind =
  | 'connection'
  | 'timeout'
  | 'http_4xx'
  | 'http_5xx'
  | 'bad_response'
  /** The video could not be prepared for the request (its download failed with transport file or data). */
  | 'video_unavailable'
  | 'aborted';

/** One line of results.jsonl: the recipe's keys first, then what the gate adds. */
export interface ResultRow {
  video_url: string;
  ground_truth: number;
  output_text: string | null;
  pred_score: number | null;
  index: number;
  latency_ms: number;
  finish_reason: string | null;
  /**
   * True when the server's reasoning parser had split the reply (`message.reasoning` / `reasoning_content`):
   * output_text is then the generation rebuilt from its parts, as the recipe's offline script saw it
   * (core/reply.ts). Rows of earlier versions may carry the split-off text as `reasoning` instead.
   */
  reasoning_split?: boolean;
  /** What the request asked of the server's frame sampler (mm_processor_kwargs as sent, after extra-body). */
  vision?: { fps: number | null; shortest_edge: number | null; longest_edge: number | null };
  reasoning?: string | null;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
  /** Null on success; otherwise what failed after retries. */
  error: { kind: ErrorKind; status?: number; message: string } | null;
  meta?: Record<string, string>;
}

export interface SkippedRow {
  /** 1-based data row number (header excluded). */
  row: number;
  reason: string;
}

/** What a baseline file turned out to be (core/baseline.ts reads all four). */
export type BaselineKind = 'gate-baseline' | 'gate-summary' | 'recipe-summary' | 'recipe-results';

/** One raw row as a dataset source read it: column name -> cell value (strings for CSV, any JSON value otherwise). */
export type RawRow = Record<string, unknown>;
