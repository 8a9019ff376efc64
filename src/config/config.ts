import type { ShardSpec } from './shard-spec.js';
import type { VideoTransport } from './video-transport.js';

/** The one typed configuration object. Built once from inputs (action) or flags (CLI); nothing deeper reads the environment. */

export interface SamplingSettings {
  fps: number;
  totalPixels: number;
  maxTokens: number;
  temperature: number;
  seed: number;
  /** JSON object merged over every request body (top_p, top_k, presence_penalty, chat_template_kwargs ...). */
  extraBody: Record<string, unknown>;
}

export interface Thresholds {
  maxAccuracyDrop: number;
  maxPearsonDrop: number;
  minAccuracy?: number;
  minPearson?: number;
  maxErrorRate: number;
}

export type Mode = 'eval' | 'merge' | 'comment';

export type CommentPolicy = 'always' | 'on-regression' | 'never';

/** The workflow run, from the runner's GITHUB_* variables (all absent outside Actions). */
export interface GitHubContext {
  apiUrl: string;
  serverUrl?: string;
  repository?: string;
  runId?: string;
  runAttempt?: string;
  eventName?: string;
  eventPath?: string;
  /** The checked-out repository (GITHUB_WORKSPACE, else the working directory): paths committed are relative to it. */
  workspace: string;
}

/** How the verdict is reached: paired statistics against per-video baseline predictions, or plain drops. */
export type DecisionMode = 'auto' | 'significance' | 'threshold';

/** What picks the best checkpoint of a sweep. */
export type SelectBy = 'accuracy' | 'pearson';

export interface SweepSettings {
  /** The `checkpoints` lines as written: paths, Hub ids or glob patterns (expanded when the sweep starts). */
  entries: string[];
  selectBy: SelectBy;
  /** CUDA_VISIBLE_DEVICES per side-by-side server; empty: one server at a time on the visible GPUs. */
  gpuGroups: string[];
}

export interface Config {
  /** eval: score a checkpoint; merge: combine shard results directories; comment: report from a results directory. */
  mode: Mode;
  /** Results directories read by merge (each shard's output-dir) and comment modes. */
  resultsDirs: string[];
  /** This job's part of a sharded run (`i/n`), or null. */
  shard: ShardSpec | null;
  /** Per-runner video cache directory (downloads each video once), or undefined. */
  videoCache?: string;
  /** How a video reaches the server: its URL, a file:// path into the cache, or inline base64. */
  videoTransport: VideoTransport;
  /** The action starts vLLM itself from `checkpoint` when no base-url is given. */
  server?: {
    checkpoint: string;
    command: string;
    args: string[];
    shutdownTimeoutS: number;
    /** Where pid files go for the post step (RUNNER_TEMP), when known. */
    pidDir?: string;
    /** PATH, to find nvidia-smi for the record of what served. */
    path?: string;
    /** Variables set for the server over this process's environment (a sweep's CUDA_VISIBLE_DEVICES group). */
    env?: Record<string, string>;
  };
  /**
   * A checkpoint sweep (input `checkpoints`): each entry served in turn from the `server` template (whose
   * checkpoint is then the first entry as written; src/sweep sets each one's own).
   */
  sweep?: SweepSettings;
  /** One or more OpenAI-compatible endpoints (vLLM replicas); requests go to the least loaded. */
  baseUrls: string[];
  /** Served model name; undefined = first id of GET /v1/models. */
  model?: string;
  /** Bearer token for the server. Masked in logs; never written to any file. */
  apiKey?: string;

  dataset: string;
  datasetRevision: string;
  split: string;
  videoColumn: string;
  /** Accept file:// and data: video URLs in the dataset (refused by default: a downloaded dataset must not read the runner's disk). */
  allowNonHttpVideos: boolean;
  scoreColumn: string;
  /** Hugging Face Hub settings, from HF_ENDPOINT / HF_TOKEN / HF_HUB_OFFLINE. */
  hub: { endpoint: string; token?: string; offline: boolean; cacheDir: string };

  /** Path of the prompt YAML; undefined = the bundled prompts/video_reward.yaml. */
  promptFile?: string;
  /** Evaluate a stratified deterministic subset of this size (0 = all). */
  limit: number;
  subsetSeed: number;

  sampling: SamplingSettings;
  /** Where per-video frame metadata comes from (exact pixel limits): cached files, also HTTP Range reads, or nowhere. */
  videoMetadata: 'cache' | 'range' | 'none';
  /** Probe each server before scoring: does it honour the requested fps and pixel limits? */
  fidelityCheck: boolean;

  /** Requests in flight per endpoint, or `auto` (adaptive). */
  concurrency: number | 'auto';
  requestTimeoutS: number;
  maxRetries: number;
  serverTimeoutS: number;

  baselinePath: string;
  /** The user named the baseline (then a missing file is an error, not no-baseline). */
  baselineExplicit: boolean;
  thresholds: Thresholds;
  failOnRegression: boolean;
  /** auto: significance when the baseline has per-video predictions, threshold otherwise. */
  decision: DecisionMode;
  /** Significance level of the paired tests and intervals. */
  alpha: number;
  failOnInconclusive: boolean;
  /** Score in the look order and stop at the first look whose sequential verdict is certain (src/sequential). */
  stopEarly: boolean;
  /** Compare with a baseline made with other settings anyway (with a warning in the report). */
  allowIncomparable: boolean;
  /** Make this run the new baseline (on the default branch) when it is accepted. */
  updateBaseline: boolean;
  /** Commit the updated baseline to this branch through the GitHub API (needs contents: write). */
  baselineBranch?: string;
  /** Past runs kept in the baseline file for the trend line. */
  baselineHistory: number;

  outputDir: string;
  writeBaseline?: string;

  /** The sticky pull-request comment. */
  comment: CommentPolicy;
  commentTag: string;
  /** Masked; never written anywhere. */
  githubToken?: string;
  /** Every secret found in the inputs and environment (findSecrets): masked in every log line. */
  secrets: readonly string[];
  /** Link to the uploaded results artifact, shown in the report. */
  artifactUrl?: string;
  github: GitHubContext;
}
