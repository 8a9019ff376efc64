import type { Metrics } from './metrics.js';
import type { ReplyStats } from './replies.js';
import type { SkippedRow } from './types.js';
import type { Verdict, VerdictResult } from './verdict.js';

export const SUMMARY_SCHEMA = 'videophy-gate/summary';
export const SUMMARY_VERSION = 1;

/** How a run was made: two runs are comparable only when these agree (issue 4 builds on this). */
export interface RunSettings {
  model: string;
  dataset: string;
  dataset_revision: string;
  dataset_resolved_revision: string | null;
  split: string;
  video_column: string;
  score_column: string;
  prompt_file: string;
  prompt_sha256: string;
  parser: string;
  /** How total_pixels becomes the server's size limits (src/vision/plan.ts); absent before version 0.2. */
  vision_rule?: string;
  /** fps, max tokens, temperature and seed as sent (after extra-body), not as the inputs said. */
  fps: number;
  total_pixels: number;
  max_tokens: number;
  temperature: number;
  sampling_seed: number;
  extra_body: Record<string, unknown>;
  /**
   * The request body less the conversation, as sent for a video of unknown size (per-video pixel limits,
   * when the video's frames are known, are in each results row).
   */
  request?: Record<string, unknown>;
  limit: number;
  subset_seed: number;
}

export interface ServerInfo {
  base_url: string;
  vllm_version: string | null;
  max_model_len: number | null;
  root: string | null;
  /** The vllm serve command line (secrets masked) when the gate started the server itself. */
  command_line?: string;
  /** GPUs as nvidia-smi reported them, when the gate started the server and nvidia-smi was on the PATH. */
  gpu?: { name: string; driver: string; memory_total_mib: number | null }[];
  /** The fidelity check per endpoint (src/fidelity): probe prompt tokens, expected video tokens, findings. */
  fidelity?: FidelityRecord[];
}

/** What summary.json keeps of the fidelity check (src/fidelity/guard.ts), per endpoint. */
export interface FidelityRecord {
  endpoint: string;
  level: 'ok' | 'warning' | 'error';
  findings: string[];
  prompt_tokens: (number | null)[];
  expected_video_tokens: number[];
}

/** What summary.json records of a significance decision. */
export interface SignificanceRecord {
  alpha: number;
  resamples: number;
  seed: number;
  paired: number;
  both_answered: number;
  both_parsed: number;
  excluded_errors: number;
  only_candidate: number;
  only_baseline: number;
  spearman: { baseline: number | null; candidate: number | null };
  mean_absolute_error: { baseline: number | null; candidate: number | null };
  explanation?: string;
  /** stop-early: the look the verdict was reached at (src/sequential). */
  sequential?: SequentialRecord;
}

/** What summary.json records of a stop-early decision. */
export interface SequentialRecord {
  /** The deciding look (1-based) of `looks`, and the videos of the look order it read. */
  look: number;
  looks: number;
  videos: number;
  /** Videos the run was asked to score. */
  planned: number;
  /** Decided before the last look: the rest was not scored. */
  stopped: boolean;
  spending: string;
  /** z boundaries of the deciding look: regression and improvement (alpha/k), pass (alpha). */
  boundaries: { family: number; pass: number };
  looks_taken: number;
  /** Estimated from this run's measured throughput (videos/s over its scoring time), when it stopped. */
  saved?: { videos: number; seconds: number | null };
}
/** What was compared with the baseline's settings before results were compared. */
export interface ComparabilityRecord {
  comparable: boolean;
  /** Differences that block the comparison, and those only reported (the model name). */
  differences: { key: string; baseline: unknown; candidate: unknown; blocking: boolean }[];
  /** Keys the baseline does not record. */
  unverified: string[];
  /** allow-incomparable was set and the run was compared anyway. */
  overridden: boolean;
}

/** summary.json: the recipe's three keys first (so tools reading the recipe's file read ours), then the rest. */
export interface Summary {
  accuracy: number | null;
  pearson_correlation: number | null;
  num_samples: number;
  schema: typeof SUMMARY_SCHEMA;
  version: typeof SUMMARY_VERSION;
  verdict: Verdict;
  /** 'finished' once the run wrote its result; a run writes 'running' (verdict error) when it starts. */
  state?: 'finished';
  reasons: string[];
  /** How the verdict was reached. */
  decision: 'threshold' | 'significance';
  significance?: SignificanceRecord;
  comparability?: ComparabilityRecord;
  pearson_undefined?: string;
  parse_rate: number | null;
  num_rows: number;
  num_videos: number;
  num_errors: number;
  num_unparsed: number;
  num_skipped_rows: number;
  num_duplicate_rows: number;
  /** Replies a server-side reasoning parser had split, rebuilt before parsing (core/reply.ts). */
  num_reasoning_split: number;
  /** usage.prompt_tokens of the answered requests (what the model was shown), and max_tokens stops. */
  replies: ReplyStats;
  skipped_rows: SkippedRow[];
  error_rate: number;
  errors_by_kind: Record<string, number>;
  complete: boolean;
  run_error?: string;
  confusion_matrix: number[][];
  predicted_distribution: number[];
  human_distribution: number[];
  baseline: VerdictResult['baseline'];
  checks: VerdictResult['checks'];
  settings: RunSettings;
  server: ServerInfo;
  started_at: string;
  finished_at: string;
  duration_s: number;
  /** Seconds from the first request to the last answer (duration_s also counts dataset and server start). */
  scoring_s: number;
  /** Videos whose results were taken over from an earlier, interrupted run in the same output directory. */
  resumed: number;
  /** `i/n` for one shard of a sharded run, `merged from n shards` for a merge, null otherwise. */
  shard: string | null;
  /** Endpoints taken out during the run, with why. */
  removed_endpoints: { name: string; reason: string }[];
}

export interface SummaryInput {
  metrics: Metrics;
  replies: ReplyStats;
  verdict: VerdictResult & {
    decision: 'threshold' | 'significance';
    significance?: SignificanceRecord;
  };
  comparability?: ComparabilityRecord;
  numRows: number;
  skipped: SkippedRow[];
  duplicates: SkippedRow[];
  errorsByKind: Record<string, number>;
  complete: boolean;
  runError?: string;
  settings: RunSettings;
  server: ServerInfo;
  startedAt: Date;
  finishedAt: Date;
  scoringS: number;
  removedEndpoints: { name: string; reason: string }[];
  resumed: number;
  shard: string | null;
}

/** Kept in summary.json; the full list would bloat it and the log already named them. */
const MAX_SKIPPED_LISTED = 200;

export function buildSummary(i: SummaryInput): Summary {
  const m = i.metrics;
  return {
    accuracy: m.accuracy,
    pearson_correlation: m.pearson,
    num_samples: m.numSamples,
    schema: SUMMARY_SCHEMA,
    version: SUMMARY_VERSION,
    verdict: i.verdict.verdict,
    state: 'finished',
    reasons: i.verdict.reasons,
    decision: i.verdict.decision,
    ...(i.verdict.significance ? { significance: i.verdict.significance } : {}),
    ...(i.comparability ? { comparability: i.comparability } : {}),
    ...(m.pearsonUndefined ? { pearson_undefined: m.pearsonUndefined } : {}),
    parse_rate: m.parseRate,
    num_rows: i.numRows,
    num_videos: m.numVideos,
    num_errors: m.numErrors,
    num_unparsed: m.numUnparsed,
    num_skipped_rows: i.skipped.length,
    num_duplicate_rows: i.duplicates.length,
    num_reasoning_split: i.replies.reasoning_split,
    replies: i.replies,
    skipped_rows: [...i.skipped, ...i.duplicates].slice(0, MAX_SKIPPED_LISTED),
    error_rate: m.errorRate,
    errors_by_kind: i.errorsByKind,
    complete: i.complete,
    ...(i.runError ? { run_error: i.runError } : {}),
    confusion_matrix: m.confusion,
    predicted_distribution: m.predicted,
    human_distribution: m.human,
    baseline: i.verdict.baseline,
    checks: i.verdict.checks,
    settings: i.settings,
    server: i.server,
    started_at: i.startedAt.toISOString(),
    finished_at: i.finishedAt.toISOString(),
    duration_s: Math.round((i.finishedAt.getTime() - i.startedAt.getTime()) / 10) / 100,
    scoring_s: Math.round(i.scoringS * 1000) / 1000,
    resumed: i.resumed,
    shard: i.shard,
    removed_endpoints: i.removedEndpoints,
  };
}

/**
 * What summary.json says while a run is under way: an error verdict, so a script (or a later job) that
 * reads the file of a run that crashed or was killed never sees the previous run's pass.
 */
export interface RunningSummary {
  accuracy: null;
  pearson_correlation: null;
  num_samples: 0;
  schema: typeof SUMMARY_SCHEMA;
  version: typeof SUMMARY_VERSION;
  verdict: 'error';
  state: 'running';
  reasons: string[];
  started_at: string;
}

export function runningSummary(startedAt: Date): RunningSummary {
  return {
    accuracy: null,
    pearson_correlation: null,
    num_samples: 0,
    schema: SUMMARY_SCHEMA,
    version: SUMMARY_VERSION,
    verdict: 'error',
    state: 'running',
    reasons: [
      `the run started at ${startedAt.toISOString()} has not finished (or did not: it crashed or was killed)`,
    ],
    started_at: startedAt.toISOString(),
  };
}
