/**
 * The inputs contract: names, defaults, meaning and each input's validator, in one table. action.yml, the CLI
 * flags and the README document exactly these (test/config/inputs.test.ts checks action.yml against this
 * table); parseConfig reads them by name through `InputName`, so a misspelt name is a compile error and an
 * input cannot be documented without a validator (or the reverse).
 */
import { splitArgs } from './shell-words.js';
import { parseShard } from './shard-spec.js';
import { parseVideoTransport } from './video-transport.js';
import {
  ConfigError,
  boolean,
  httpUrl,
  jsonObject,
  nonEmpty,
  number,
  optionalNumber,
  redactCredentials,
} from './validate.js';

/** Turns an input's raw text (already defaulted and trimmed) into its typed value, or throws a ConfigError. */
export type InputParser<T> = (name: string, raw: string) => T;

export interface InputSpec {
  name: string;
  default: string;
  description: string;
  required?: boolean;
  /** Masked in every log line (core.setSecret and the masking logger). */
  secret?: boolean;
  parse: InputParser<unknown>;
}

type NumberRange = { min?: number; max?: number; integer?: boolean };

const text: InputParser<string> = (_name, raw) => raw;
const required: InputParser<string> = nonEmpty;
const num =
  (range: NumberRange): InputParser<number> =>
  (name, raw) =>
    number(name, raw, range);
const optionalNum =
  (range: NumberRange): InputParser<number | undefined> =>
  (name, raw) =>
    optionalNumber(name, raw, range);

/** One of a few words, case-insensitive; the message lists them ("a, b or c" unless `separator` says otherwise). */
function choice<const T extends string>(values: readonly T[], separator?: string): InputParser<T> {
  const listed = separator
    ? values.join(separator)
    : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
  return (name, raw) => {
    const v = raw.toLowerCase();
    if ((values as readonly string[]).includes(v)) return v as T;
    throw new ConfigError(`'${name}' must be ${listed}, got ${JSON.stringify(raw)}`);
  };
}

/** Several values, one per line or comma-separated. */
const list: InputParser<string[]> = (_name, raw) =>
  raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** One value per line (commas kept: a CUDA_VISIBLE_DEVICES group or a path may hold one). */
const lines: InputParser<string[]> = (_name, raw) =>
  raw
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** `base-url` takes one URL or several (vLLM replicas), separated by newlines or commas. */
const urlList: InputParser<string[]> = (name, raw) => {
  const urls = list(name, raw).map((u) => httpUrl(name, u));
  const seen = new Set<string>();
  for (const u of urls) {
    if (seen.has(u)) throw new ConfigError(`'${name}' lists ${redactCredentials(u)} twice`);
    seen.add(u);
  }
  return urls;
};

/** A parser of another module whose plain Error becomes a ConfigError naming the input. */
const rethrown =
  <T>(parse: (raw: string) => T, prefix = false): InputParser<T> =>
  (name, raw) => {
    try {
      return parse(raw);
    } catch (e) {
      const message = (e as Error).message;
      throw new ConfigError(prefix ? `'${name}': ${message}` : message);
    }
  };

const shellWords = rethrown(splitArgs, true);
const shard = rethrown(parseShard);
const transport = rethrown(parseVideoTransport);

const concurrency: InputParser<number | 'auto'> = (name, raw) =>
  raw.toLowerCase() === 'auto' ? 'auto' : number(name, raw, { min: 1, max: 4096, integer: true });

/** Outside Actions the action.yml default is the literal expression `${{ github.token }}`: no token. */
const token: InputParser<string | undefined> = (_name, raw) =>
  raw.startsWith('${{') || raw === '' ? undefined : raw;

export const INPUTS = [
  {
    name: 'base-url',
    parse: urlList,
    default: '',
    description:
      'Required unless checkpoint is set. OpenAI-compatible endpoint of vLLM, e.g. http://127.0.0.1:8000/v1. Several (replicas): one per line or comma-separated; requests go to the least loaded.',
  },
  {
    name: 'checkpoint',
    parse: text,
    default: '',
    description:
      'A local checkpoint path or Hub model id: when set and base-url is not, the action starts vllm serve itself on a free loopback port, waits for it, records what served and always stops it (also from a post step).',
  },
  {
    name: 'checkpoints',
    parse: lines,
    default: '',
    description:
      'A checkpoint sweep (instead of checkpoint): several checkpoint paths or Hub ids, one per line, or glob patterns (e.g. outputs/videophy2_sft/*/safetensors/step_*, matches sorted by step number). Each is served, scored and stopped in turn, its results in output-dir/<name>/ (a rerun skips finished ones and resumes a half-done one); the best by select-by decides the job against the baseline.',
  },
  {
    name: 'select-by',
    parse: choice(['accuracy', 'pearson']),
    default: 'accuracy',
    description:
      'With checkpoints: the metric that picks the best checkpoint (the recipe: accuracy peaks early, correlation later; pick by your primary metric). The report lists the checkpoints the paired tests cannot tell from the best.',
  },
  {
    name: 'sweep-gpus',
    parse: lines,
    default: '',
    description:
      'With checkpoints: GPU groups to run checkpoints side by side, one CUDA_VISIBLE_DEVICES value per line (e.g. 0,1 and 2,3 for two servers of tensor-parallel 2). Each group serves one checkpoint at a time; unset: one after another on the visible GPUs.',
  },
  {
    name: 'vllm-command',
    parse: required,
    default: 'vllm',
    description: 'The vLLM executable (split like a shell would, e.g. "uv run vllm").',
  },
  {
    name: 'vllm-args',
    parse: shellWords,
    default: '',
    description:
      'Extra vllm serve arguments, split like a shell splits words (no shell involved). They win over the defaults: --max-model-len 16384 --media-io-kwargs {"video":{"num_frames":-1}}.',
  },
  {
    name: 'server-shutdown-timeout',
    parse: num({ min: 0 }),
    default: '30',
    description: 'Seconds the vLLM process group gets after SIGTERM before SIGKILL.',
  },
  {
    name: 'model',
    parse: text,
    default: '',
    description: 'Served model name. Default: the first id of GET /v1/models.',
  },
  {
    name: 'api-key',
    secret: true,
    parse: text,
    default: '',
    description: 'Bearer token if the server wants one (vllm serve --api-key). Masked in logs.',
  },
  {
    name: 'dataset',
    parse: required,
    default: 'videophysics/videophy2_test',
    description: 'A Hugging Face dataset id, or a local .csv, .jsonl, .json or .parquet file.',
  },
  {
    name: 'dataset-revision',
    parse: required,
    default: 'main',
    description:
      'Hub revision (branch, tag or commit); the resolved commit is recorded in the summary.',
  },
  { name: 'split', parse: required, default: 'test', description: 'Dataset split.' },
  {
    name: 'video-column',
    parse: required,
    default: 'video_url',
    description: 'Column holding the video URL.',
  },
  {
    name: 'score-column',
    parse: required,
    default: 'pc',
    description: 'Column holding the human score 1-5 (VideoPhy-2 physical commonsense).',
  },
  {
    name: 'allow-non-http-videos',
    parse: boolean,
    default: 'false',
    description:
      "Accept file:// and data: video URLs in the dataset. By default such rows are skipped with a warning: a downloaded dataset must not make the server read the runner's disk.",
  },
  {
    name: 'prompt-file',
    parse: text,
    default: '',
    description:
      'YAML with system_prompt and user_prompt. Default: the bundled prompts/video_reward.yaml (the recipe prompt).',
  },
  {
    name: 'limit',
    parse: num({ min: 0, integer: true }),
    default: '0',
    description:
      'Evaluate a deterministic subset of this size, stratified by score (0 = all rows).',
  },
  {
    name: 'subset-seed',
    parse: num({ integer: true }),
    default: '0',
    description: 'Seed that chooses the subset when limit is set.',
  },
  {
    name: 'fps',
    parse: num({ min: 0.01, max: 240 }),
    default: '16',
    description: 'Frames per second sampled from each video (mm_processor_kwargs.fps).',
  },
  {
    name: 'total-pixels',
    parse: num({ min: 1, integer: true }),
    default: '6422528',
    description:
      "The recipe's pixel budget per video (qwen-vl-utils total_pixels, 8192*28*28). The server is asked for the frames the recipe's pipeline makes of it: mm_processor_kwargs.size.longest_edge = 2 x total-pixels, or exact per-video limits when the video's frames are known (see video-metadata).",
  },
  {
    name: 'video-metadata',
    parse: choice(['cache', 'range', 'none'], ', '),
    default: 'cache',
    description:
      "Where the gate learns each video's frame count, rate and size, for exact per-video pixel limits: cache (from the files video-cache downloads; without video-cache every video gets 2 x total-pixels), range (also read each video's MP4 moov box with HTTP Range requests, a few KB per video, when it is sent by URL) or none.",
  },
  {
    name: 'fidelity-check',
    parse: boolean,
    default: 'true',
    description:
      'Before scoring, send tiny probe requests (max_tokens 1) to prove the server samples frames at the requested fps and pixel limits (usage.prompt_tokens must move as the ported processor says); a server that ignores them ends the run as a configuration error naming the flag to add. false skips it (servers other than vLLM with Qwen3-VL).',
  },
  {
    name: 'max-tokens',
    parse: num({ min: 1, integer: true }),
    default: '2048',
    description: 'max_tokens per reply.',
  },
  {
    name: 'temperature',
    parse: num({ min: 0, max: 2 }),
    default: '0',
    description: 'Sampling temperature.',
  },
  {
    name: 'sampling-seed',
    parse: num({ integer: true }),
    default: '1',
    description: 'Per-request sampling seed.',
  },
  {
    name: 'extra-body',
    parse: jsonObject,
    default: '{}',
    description:
      'JSON object merged into every request body (top_p, top_k, presence_penalty, chat_template_kwargs ...).',
  },
  {
    name: 'concurrency',
    parse: concurrency,
    default: '16',
    description:
      'Requests in flight per endpoint, or auto (grow while throughput grows and the server queue is empty).',
  },
  {
    name: 'request-timeout',
    parse: num({ min: 0.001 }),
    default: '600',
    description: 'Seconds per request attempt.',
  },
  {
    name: 'max-retries',
    parse: num({ min: 0, max: 20, integer: true }),
    default: '3',
    description:
      'Retries per request, with backoff, for connection errors, timeouts, 408, 409, 429, 5xx and a 200 whose JSON was cut off.',
  },
  {
    name: 'server-timeout',
    parse: num({ min: 0 }),
    default: '900',
    description: 'Seconds to wait for the server to become ready before the first request.',
  },
  {
    name: 'baseline',
    parse: text,
    default: '',
    description:
      "Baseline: this project's baseline file, a summary.json (ours or the recipe's), or a directory of the recipe's per-video results. Unset: .github/videophy2-baseline.json, and its absence is verdict no-baseline (a warning on pull requests). A path that is given but does not exist is an error (unless update-baseline writes it).",
  },
  {
    name: 'max-accuracy-drop',
    parse: num({ min: 0, max: 1 }),
    default: '0.03',
    description:
      'Allowed absolute accuracy drop (and parse-rate drop) before it is a regression. The default is the smallest the full test set can confirm (README "What the gate can see").',
  },
  {
    name: 'max-pearson-drop',
    parse: num({ min: 0, max: 2 }),
    default: '0.06',
    description:
      'Allowed absolute Pearson drop before it is a regression. The default is the smallest the full test set can confirm (README "What the gate can see").',
  },
  {
    name: 'min-accuracy',
    parse: optionalNum({ min: 0, max: 1 }),
    default: '',
    description: 'Absolute accuracy floor (unset: none).',
  },
  {
    name: 'min-pearson',
    parse: optionalNum({ min: -1, max: 1 }),
    default: '',
    description: 'Absolute Pearson floor (unset: none).',
  },
  {
    name: 'fail-on-regression',
    parse: boolean,
    default: 'true',
    description: 'Fail the step when the verdict is regression.',
  },
  {
    name: 'decision',
    parse: choice(['auto', 'significance', 'threshold']),
    default: 'auto',
    description:
      "significance: paired tests against the baseline's per-video predictions (McNemar, paired bootstrap intervals); threshold: the plain drops above. auto: significance when the baseline has per-video predictions, else threshold.",
  },
  {
    name: 'alpha',
    parse: num({ min: 0.0001, max: 0.5 }),
    default: '0.05',
    description: 'Significance level of the paired tests and intervals (decision significance).',
  },
  {
    name: 'stop-early',
    parse: boolean,
    default: 'false',
    description:
      'Score the videos in a seeded stratified order and stop as soon as the paired tests are certain (regression, improvement, or a drop beyond the tolerance ruled out), with alpha spent across up to 20 looks: a clearly broken checkpoint costs a few hundred videos, an unchanged one about half the set. Needs decision significance (a baseline with per-video predictions). A run that stopped early is not written as a baseline. Not with checkpoints (a sweep ranks its checkpoints on the whole set).',
  },
  {
    name: 'fail-on-inconclusive',
    parse: boolean,
    default: 'false',
    description:
      'Fail the step when the verdict is inconclusive (the data can neither show nor rule out a drop beyond the tolerance).',
  },
  {
    name: 'allow-incomparable',
    parse: boolean,
    default: 'false',
    description:
      'Compare with a baseline made with other settings (prompt, sampling, fps, dataset revision, vLLM version ...) anyway, with a warning; by default such a run is refused.',
  },
  {
    name: 'update-baseline',
    parse: boolean,
    default: 'false',
    description:
      'Write this run as the new baseline (to baseline, or write-baseline when set) unless it is a regression or an error; keeps a bounded history for the trend line.',
  },
  {
    name: 'baseline-branch',
    parse: text,
    default: '',
    description:
      'With update-baseline: commit the baseline file to this branch through the GitHub API (needs contents: write; no git credentials).',
  },
  {
    name: 'baseline-history',
    parse: num({ min: 0, max: 1000, integer: true }),
    default: '20',
    description:
      'How many past runs the baseline file keeps for the trend of accuracy and Pearson across checkpoints.',
  },
  {
    name: 'max-error-rate',
    parse: num({ min: 0, max: 1 }),
    default: '0.05',
    description:
      'Share of videos that failed after retries (or dataset rows skipped) above which the run is an error, not a result.',
  },
  {
    name: 'mode',
    parse: choice(['eval', 'merge', 'comment']),
    default: 'eval',
    description:
      'eval: score the checkpoint. merge: combine the results directories of sharded jobs (results-dirs) into one summary and verdict. comment: report from a results directory (for the workflow_run pattern).',
  },
  {
    name: 'results-dirs',
    parse: list,
    default: '',
    description:
      'Results directories for mode merge (one per shard) or comment, one per line or comma-separated. Default for comment: output-dir.',
  },
  {
    name: 'shard',
    parse: shard,
    default: '',
    description:
      'i/n: evaluate a deterministic 1/n of the (subset of the) dataset, for a matrix of GPU jobs; merge with mode merge.',
  },
  {
    name: 'video-cache',
    parse: text,
    default: '',
    description:
      'Directory where each video is downloaded once per runner (atomic writes, sha256 recorded). Unset: the server fetches videos itself.',
  },
  {
    name: 'video-transport',
    parse: transport,
    default: 'url',
    description:
      'url: send the video URL; file: send file:// paths into video-cache (vLLM needs --allowed-local-media-path); data: send the bytes as a base64 data URL.',
  },
  {
    name: 'output-dir',
    parse: required,
    default: 'videophy2-results',
    description: 'Where results.jsonl and summary.json are written.',
  },
  {
    name: 'write-baseline',
    parse: text,
    default: '',
    description: 'If set, also write this run as a baseline file at this path.',
  },
  {
    name: 'comment',
    parse: choice(['always', 'on-regression', 'never']),
    default: 'always',
    description:
      'Pull-request comment: always, on-regression or never. One comment per comment-tag, updated in place. Without pull-requests: write (fork PRs) it is a warning, never a failure.',
  },
  {
    name: 'github-token',
    secret: true,
    parse: token,
    default: '${{ github.token }}',
    description: 'Token for the comment (needs pull-requests: write). Masked.',
  },
  {
    name: 'comment-tag',
    parse: required,
    default: 'videophy-gate',
    description:
      "Names this gate's comment (hidden marker): two gates in one workflow keep two comments.",
  },
  {
    name: 'artifact-url',
    parse: text,
    default: '',
    description:
      'URL of the uploaded results artifact (actions/upload-artifact output artifact-url), linked in the report.',
  },
  {
    name: 'cache-dir',
    parse: text,
    default: '',
    description:
      'Where Hub downloads are cached. Default: $RUNNER_TOOL_CACHE/videophy-gate, else ~/.cache/videophy-gate.',
  },
] as const satisfies readonly InputSpec[];

export const OUTPUTS: readonly { name: string; description: string }[] = [
  { name: 'accuracy', description: 'Share of exact matches among parsed replies.' },
  {
    name: 'pearson',
    description: 'Pearson correlation of predicted and human scores (empty when undefined).',
  },
  { name: 'num-samples', description: "Videos whose reply parsed (the recipe's num_samples)." },
  { name: 'num-errors', description: 'Videos whose request failed after retries.' },
  { name: 'num-unparsed', description: 'Videos whose reply did not parse.' },
  { name: 'baseline-accuracy', description: 'Baseline accuracy (empty without a baseline).' },
  { name: 'baseline-pearson', description: 'Baseline Pearson (empty without a baseline).' },
  {
    name: 'accuracy-delta',
    description:
      'Candidate minus baseline accuracy (decision significance: on the videos both runs parsed).',
  },
  {
    name: 'pearson-delta',
    description:
      'Candidate minus baseline Pearson (decision significance: on the videos both runs parsed).',
  },
  {
    name: 'verdict',
    description: 'pass, improvement, regression, inconclusive, no-baseline or error.',
  },
  { name: 'summary-path', description: 'Path of summary.json.' },
  { name: 'results-path', description: 'Path of results.jsonl.' },
  {
    name: 'comment-url',
    description: 'URL of the pull-request comment, when one was created or updated.',
  },
  {
    name: 'best-checkpoint',
    description:
      'With checkpoints: the path or Hub id of the best checkpoint by select-by (unset without checkpoints, and when every checkpoint failed).',
  },
];

export type InputName = (typeof INPUTS)[number]['name'];

/** The typed value of one input, as its row's parser returns it. */
export type InputValue<N extends InputName> = ReturnType<
  Extract<(typeof INPUTS)[number], { name: N }>['parse']
>;

export function inputDefault(name: string): string {
  const spec = INPUTS.find((i) => i.name === name);
  if (!spec) throw new Error(`unknown input '${name}'`);
  return spec.default;
}
