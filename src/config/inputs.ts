/**
 * The inputs contract: names, defaults and meaning, in one table. action.yml, the CLI flags and the README
 * document exactly these (test/config/inputs.test.ts checks action.yml against this table).
 */
export interface InputSpec {
  name: string;
  default: string;
  description: string;
  required?: boolean;
}

export const INPUTS: readonly InputSpec[] = [
  {
    name: 'base-url',
    default: '',
    description:
      'Required unless checkpoint is set. OpenAI-compatible endpoint of vLLM, e.g. http://127.0.0.1:8000/v1. Several (replicas): one per line or comma-separated; requests go to the least loaded.',
  },
  {
    name: 'checkpoint',
    default: '',
    description:
      'A local checkpoint path or Hub model id: when set and base-url is not, the action starts vllm serve itself on a free loopback port, waits for it, records what served and always stops it (also from a post step).',
  },
  {
    name: 'vllm-command',
    default: 'vllm',
    description: 'The vLLM executable (split like a shell would, e.g. "uv run vllm").',
  },
  {
    name: 'vllm-args',
    default: '',
    description:
      'Extra vllm serve arguments, split like a shell splits words (no shell involved). They win over the defaults: --max-model-len 16384 --media-io-kwargs {"video":{"num_frames":-1}}.',
  },
  {
    name: 'server-shutdown-timeout',
    default: '30',
    description: 'Seconds the vLLM process group gets after SIGTERM before SIGKILL.',
  },
  {
    name: 'model',
    default: '',
    description: 'Served model name. Default: the first id of GET /v1/models.',
  },
  {
    name: 'api-key',
    default: '',
    description: 'Bearer token if the server wants one (vllm serve --api-key). Masked in logs.',
  },
  {
    name: 'dataset',
    default: 'videophysics/videophy2_test',
    description: 'A Hugging Face dataset id, or a local .csv, .jsonl, .json or .parquet file.',
  },
  {
    name: 'dataset-revision',
    default: 'main',
    description:
      'Hub revision (branch, tag or commit); the resolved commit is recorded in the summary.',
  },
  { name: 'split', default: 'test', description: 'Dataset split.' },
  { name: 'video-column', default: 'video_url', description: 'Column holding the video URL.' },
  {
    name: 'score-column',
    default: 'pc',
    description: 'Column holding the human score 1-5 (VideoPhy-2 physical commonsense).',
  },
  {
    name: 'allow-non-http-videos',
    default: 'false',
    description:
      "Accept file:// and data: video URLs in the dataset. By default such rows are skipped with a warning: a downloaded dataset must not make the server read the runner's disk.",
  },
  {
    name: 'prompt-file',
    default: '',
    description:
      'YAML with system_prompt and user_prompt. Default: the bundled prompts/video_reward.yaml (the recipe prompt).',
  },
  {
    name: 'limit',
    default: '0',
    description:
      'Evaluate a deterministic subset of this size, stratified by score (0 = all rows).',
  },
  {
    name: 'subset-seed',
    default: '0',
    description: 'Seed that chooses the subset when limit is set.',
  },
  {
    name: 'fps',
    default: '16',
    description: 'Frames per second sampled from each video (mm_processor_kwargs.fps).',
  },
  {
    name: 'total-pixels',
    default: '6422528',
    description:
      "The recipe's pixel budget per video (qwen-vl-utils total_pixels, 8192*28*28). The server is asked for the frames the recipe's pipeline makes of it: mm_processor_kwargs.size.longest_edge = 2 x total-pixels, or exact per-video limits when the video's frames are known (see video-metadata).",
  },
  {
    name: 'video-metadata',
    default: 'cache',
    description:
      "Where the gate learns each video's frame count, rate and size, for exact per-video pixel limits: cache (from the files video-cache downloads; without video-cache every video gets 2 x total-pixels), range (also read each video's MP4 moov box with HTTP Range requests, a few KB per video, when it is sent by URL) or none.",
  },
  {
    name: 'fidelity-check',
    default: 'true',
    description:
      'Before scoring, send tiny probe requests (max_tokens 1) to prove the server samples frames at the requested fps and pixel limits (usage.prompt_tokens must move as the ported processor says); a server that ignores them ends the run as a configuration error naming the flag to add. false skips it (servers other than vLLM with Qwen3-VL).',
  },
  { name: 'max-tokens', default: '2048', description: 'max_tokens per reply.' },
  { name: 'temperature', default: '0', description: 'Sampling temperature.' },
  { name: 'sampling-seed', default: '1', description: 'Per-request sampling seed.' },
  {
    name: 'extra-body',
    default: '{}',
    description:
      'JSON object merged into every request body (top_p, top_k, presence_penalty, chat_template_kwargs ...).',
  },
  {
    name: 'concurrency',
    default: '16',
    description:
      'Requests in flight per endpoint, or auto (grow while throughput grows and the server queue is empty).',
  },
  { name: 'request-timeout', default: '600', description: 'Seconds per request attempt.' },
  {
    name: 'max-retries',
    default: '3',
    description:
      'Retries per request, with backoff, for connection errors, timeouts, 408, 409, 429, 5xx and a 200 whose JSON was cut off.',
  },
  {
    name: 'server-timeout',
    default: '900',
    description: 'Seconds to wait for the server to become ready before the first request.',
  },
  {
    name: 'baseline',
    default: '',
    description:
      "Baseline: this project's baseline file, a summary.json (ours or the recipe's), or a directory of the recipe's per-video results. Unset: .github/videophy2-baseline.json, and its absence is verdict no-baseline (a warning on pull requests). A path that is given but does not exist is an error (unless update-baseline writes it).",
  },
  {
    name: 'max-accuracy-drop',
    default: '0.03',
    description:
      'Allowed absolute accuracy drop (and parse-rate drop) before it is a regression. The default is the smallest the full test set can confirm (README "What the gate can see").',
  },
  {
    name: 'max-pearson-drop',
    default: '0.06',
    description:
      'Allowed absolute Pearson drop before it is a regression. The default is the smallest the full test set can confirm (README "What the gate can see").',
  },
  { name: 'min-accuracy', default: '', description: 'Absolute accuracy floor (unset: none).' },
  { name: 'min-pearson', default: '', description: 'Absolute Pearson floor (unset: none).' },
  {
    name: 'fail-on-regression',
    default: 'true',
    description: 'Fail the step when the verdict is regression.',
  },
  {
    name: 'decision',
    default: 'auto',
    description:
      "significance: paired tests against the baseline's per-video predictions (McNemar, paired bootstrap intervals); threshold: the plain drops above. auto: significance when the baseline has per-video predictions, else threshold.",
  },
  {
    name: 'alpha',
    default: '0.05',
    description: 'Significance level of the paired tests and intervals (decision significance).',
  },
  {
    name: 'fail-on-inconclusive',
    default: 'false',
    description:
      'Fail the step when the verdict is inconclusive (the data can neither show nor rule out a drop beyond the tolerance).',
  },
  {
    name: 'allow-incomparable',
    default: 'false',
    description:
      'Compare with a baseline made with other settings (prompt, sampling, fps, dataset revision, vLLM version ...) anyway, with a warning; by default such a run is refused.',
  },
  {
    name: 'update-baseline',
    default: 'false',
    description:
      'Write this run as the new baseline (to baseline, or write-baseline when set) unless it is a regression or an error; keeps a bounded history for the trend line.',
  },
  {
    name: 'baseline-branch',
    default: '',
    description:
      'With update-baseline: commit the baseline file to this branch through the GitHub API (needs contents: write; no git credentials).',
  },
  {
    name: 'baseline-history',
    default: '20',
    description:
      'How many past runs the baseline file keeps for the trend of accuracy and Pearson across checkpoints.',
  },
  {
    name: 'max-error-rate',
    default: '0.05',
    description:
      'Share of videos that failed after retries (or dataset rows skipped) above which the run is an error, not a result.',
  },
  {
    name: 'mode',
    default: 'eval',
    description:
      'eval: score the checkpoint. merge: combine the results directories of sharded jobs (results-dirs) into one summary and verdict. comment: report from a results directory (for the workflow_run pattern).',
  },
  {
    name: 'results-dirs',
    default: '',
    description:
      'Results directories for mode merge (one per shard) or comment, one per line or comma-separated. Default for comment: output-dir.',
  },
  {
    name: 'shard',
    default: '',
    description:
      'i/n: evaluate a deterministic 1/n of the (subset of the) dataset, for a matrix of GPU jobs; merge with mode merge.',
  },
  {
    name: 'video-cache',
    default: '',
    description:
      'Directory where each video is downloaded once per runner (atomic writes, sha256 recorded). Unset: the server fetches videos itself.',
  },
  {
    name: 'video-transport',
    default: 'url',
    description:
      'url: send the video URL; file: send file:// paths into video-cache (vLLM needs --allowed-local-media-path); data: send the bytes as a base64 data URL.',
  },
  {
    name: 'output-dir',
    default: 'videophy2-results',
    description: 'Where results.jsonl and summary.json are written.',
  },
  {
    name: 'write-baseline',
    default: '',
    description: 'If set, also write this run as a baseline file at this path.',
  },
  {
    name: 'comment',
    default: 'always',
    description:
      'Pull-request comment: always, on-regression or never. One comment per comment-tag, updated in place. Without pull-requests: write (fork PRs) it is a warning, never a failure.',
  },
  {
    name: 'github-token',
    default: '${{ github.token }}',
    description: 'Token for the comment (needs pull-requests: write). Masked.',
  },
  {
    name: 'comment-tag',
    default: 'videophy-gate',
    description:
      "Names this gate's comment (hidden marker): two gates in one workflow keep two comments.",
  },
  {
    name: 'artifact-url',
    default: '',
    description:
      'URL of the uploaded results artifact (actions/upload-artifact output artifact-url), linked in the report.',
  },
  {
    name: 'cache-dir',
    default: '',
    description:
      'Where Hub downloads are cached. Default: $RUNNER_TOOL_CACHE/videophy-gate, else ~/.cache/videophy-gate.',
  },
];

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
];

export function inputDefault(name: string): string {
  const spec = INPUTS.find((i) => i.name === name);
  if (!spec) throw new Error(`unknown input '${name}'`);
  return spec.default;
}
