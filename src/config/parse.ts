import { homedir } from 'node:os';
import { join } from 'node:path';
import { pidDirFor } from './paths.js';
import { flagValue, splitArgs } from './shell-words.js';
import type { Config, SelectBy, SweepSettings } from './config.js';
import { INPUTS, type InputName, type InputSpec, type InputValue } from './inputs.js';
import { ConfigError } from './validate.js';

/** Reads one raw input by its action.yml name; returns '' when unset. */
export type InputReader = (name: string) => string;

/** The environment variables the configuration may use (Hub settings and the runner's cache dir). */
export interface ConfigEnv {
  HF_ENDPOINT?: string;
  HF_TOKEN?: string;
  HF_HUB_OFFLINE?: string;
  RUNNER_TOOL_CACHE?: string;
  RUNNER_TEMP?: string;
  PATH?: string;
  GITHUB_API_URL?: string;
  GITHUB_SERVER_URL?: string;
  GITHUB_REPOSITORY?: string;
  GITHUB_RUN_ID?: string;
  GITHUB_RUN_ATTEMPT?: string;
  GITHUB_EVENT_NAME?: string;
  GITHUB_EVENT_PATH?: string;
  GITHUB_WORKSPACE?: string;
  HOME?: string;
}

/** Where the baseline is looked for when `baseline` is not set. */
export const DEFAULT_BASELINE = '.github/videophy2-baseline.json';

/**
 * Turn raw inputs into the typed Config, validating each once. Unset inputs take the default from the
 * inputs table, so the action behaves the same whether or not the runner filled in action.yml defaults.
 */
/** Raw inputs: trimmed, '' replaced by the table's default (the runner fills action.yml defaults; the CLI does not). */
function rawInputs(read: InputReader): (name: InputName) => string {
  const specs = new Map<string, InputSpec>(INPUTS.map((i) => [i.name, i]));
  return (name) => {
    const spec = specs.get(name);
    if (!spec) throw new Error(`internal: unknown input '${name}'`);
    const raw = read(name).trim();
    return raw === '' ? spec.default : raw;
  };
}

/**
 * Every secret the inputs and environment carry: the inputs marked secret, HF_TOKEN, and an `--api-key`
 * given to the server inside `vllm-args` (which then reaches the log in the server's command line). Read
 * before anything is validated, so that even a configuration error's message is masked.
 */
export function findSecrets(read: InputReader, env: ConfigEnv = {}): string[] {
  const raw = rawInputs(read);
  const found = INPUTS.filter((i) => 'secret' in i && i.secret)
    .map((i) => raw(i.name))
    .filter((v) => v !== '' && !v.startsWith('${{'));
  if (env.HF_TOKEN?.trim()) found.push(env.HF_TOKEN.trim());
  try {
    const key = flagValue(splitArgs(raw('vllm-args')), '--api-key');
    if (key) found.push(key);
  } catch {
    // Unsplittable vllm-args: parseConfig reports it; a quoted key is still caught word by word.
    const words = raw('vllm-args').split(/\s+/);
    const at = words.findIndex((w) => w === '--api-key' || w.startsWith('--api-key='));
    const word = words[at] ?? '';
    const key = word.includes('=') ? word.slice(word.indexOf('=') + 1) : words[at + 1];
    if (at >= 0 && key) found.push(key.replace(/^['"]|['"]$/g, ''));
  }
  return [...new Set(found)];
}

/**
 * `checkpoints` (a sweep) with what it cannot go with: the action serves each checkpoint itself, one whole
 * run each, so neither a single checkpoint, a running server nor a shard of the dataset fits beside it.
 */
function sweepSettings(
  entries: string[],
  selectBy: SelectBy,
  gpuGroups: string[],
  other: { checkpoint: string; baseUrl: string; shard: string; stopEarly: boolean },
): SweepSettings | undefined {
  if (entries.length === 0) {
    if (gpuGroups.length > 0)
      throw new ConfigError(
        `'sweep-gpus' is set without 'checkpoints': GPU groups are for running the checkpoints of a sweep side by side; give checkpoints, or for one checkpoint set CUDA_VISIBLE_DEVICES in the step's env`,
      );
    return undefined;
  }
  const clash = other.checkpoint
    ? `'checkpoint' (one checkpoint; list it in checkpoints instead)`
    : other.baseUrl
      ? `'base-url' (a sweep serves each checkpoint itself; for a running server use base-url without checkpoints)`
      : other.shard
        ? `'shard' (a sweep scores every checkpoint whole; to spread a sweep over jobs give each job its own checkpoints and combine them with mode merge)`
        : other.stopEarly
          ? // The pick ranks checkpoints against each other on the videos both scored; a checkpoint stopped at a
            // look (each against the baseline) would be ranked on a fraction of the set, and its interval widen.
            `'stop-early' (a sweep ranks its checkpoints against each other on the whole set; stopping one at a look against the baseline would rank it on part of the set. Set stop-early: false, or use stop-early on the chosen checkpoint's own run)`
          : undefined;
  if (clash) throw new ConfigError(`'checkpoints' cannot be combined with ${clash}`);
  return { entries, selectBy, gpuGroups };
}

/**
 * Turn raw inputs into the typed Config, validating each once with its row's parser. Unset inputs take the
 * default from the inputs table, so the action behaves the same whether or not the runner filled in
 * action.yml defaults. Inputs that only matter in some setups (the server's) are validated only there.
 */
export function parseConfig(read: InputReader, env: ConfigEnv = {}): Config {
  const raw = rawInputs(read);
  const specs = new Map<string, InputSpec>(INPUTS.map((i) => [i.name, i]));
  // rawInputs has already refused a name outside the table, so the row exists.
  const input = <N extends InputName>(name: N): InputValue<N> =>
    (specs.get(name) as InputSpec).parse(name, raw(name)) as InputValue<N>;

  const baseUrlRaw = raw('base-url');
  const checkpoint = input('checkpoint');
  const sweep = sweepSettings(input('checkpoints'), input('select-by'), input('sweep-gpus'), {
    checkpoint,
    baseUrl: baseUrlRaw,
    shard: raw('shard'),
    stopEarly: input('stop-early'),
  });
  if (
    baseUrlRaw === '' &&
    checkpoint === '' &&
    !sweep &&
    ['', 'eval'].includes(raw('mode').toLowerCase())
  ) {
    throw new ConfigError(
      `'base-url' or 'checkpoint' is required: the OpenAI-compatible endpoint of a running vLLM (e.g. http://127.0.0.1:8000/v1), or a checkpoint for the action to serve`,
    );
  }
  if (baseUrlRaw !== '' && checkpoint !== '') {
    throw new ConfigError(
      `'checkpoint' and 'base-url' are both set: give checkpoint for the action to start vLLM itself, or base-url for a server that already runs, not both`,
    );
  }
  const model = input('model');
  const vllmArgs = input('vllm-args');
  // A key given to the server on its command line is the key the client must send.
  const served = checkpoint || sweep?.entries[0] || '';
  const apiKey =
    input('api-key') || (served !== '' ? (flagValue(vllmArgs, '--api-key') ?? '') : '');
  const cacheDir =
    input('cache-dir') ||
    (env.RUNNER_TOOL_CACHE
      ? join(env.RUNNER_TOOL_CACHE, 'videophy-gate')
      : join(env.HOME ?? homedir(), '.cache', 'videophy-gate'));

  const mode = input('mode');
  const resultsDirs = input('results-dirs');
  if (mode === 'merge' && resultsDirs.length < 1) {
    throw new ConfigError(
      `mode merge needs 'results-dirs': the results directories of the shards, one per line`,
    );
  }
  if (input('stop-early') && input('decision') === 'threshold') {
    throw new ConfigError(
      `'stop-early' needs the paired tests to decide when to stop: set decision to auto or significance (got threshold), or stop-early: false`,
    );
  }
  const config: Config = {
    mode,
    resultsDirs,
    shard: input('shard'),
    videoCache: input('video-cache') || undefined,
    videoTransport: input('video-transport'),
    videoMetadata: input('video-metadata'),
    baseUrls: input('base-url'),
    ...(sweep ? { sweep } : {}),
    server:
      served !== '' && baseUrlRaw === ''
        ? {
            checkpoint: served,
            command: input('vllm-command'),
            args: vllmArgs,
            shutdownTimeoutS: input('server-shutdown-timeout'),
            pidDir: env.RUNNER_TEMP ? pidDirFor(env.RUNNER_TEMP) : undefined,
            path: env.PATH,
          }
        : undefined,
    model: model === '' ? undefined : model,
    apiKey: apiKey === '' ? undefined : apiKey,
    dataset: input('dataset'),
    datasetRevision: input('dataset-revision'),
    split: input('split'),
    videoColumn: input('video-column'),
    allowNonHttpVideos: input('allow-non-http-videos'),
    scoreColumn: input('score-column'),
    hub: {
      endpoint: (env.HF_ENDPOINT?.trim() || 'https://huggingface.co').replace(/\/+$/, ''),
      token: env.HF_TOKEN?.trim() || undefined,
      offline: ['1', 'true', 'yes'].includes((env.HF_HUB_OFFLINE ?? '').trim().toLowerCase()),
      cacheDir,
    },
    promptFile: input('prompt-file') || undefined,
    limit: input('limit'),
    subsetSeed: input('subset-seed'),
    sampling: {
      fps: input('fps'),
      totalPixels: input('total-pixels'),
      maxTokens: input('max-tokens'),
      temperature: input('temperature'),
      seed: input('sampling-seed'),
      extraBody: input('extra-body'),
    },
    concurrency: input('concurrency'),
    requestTimeoutS: input('request-timeout'),
    maxRetries: input('max-retries'),
    serverTimeoutS: input('server-timeout'),
    baselinePath: input('baseline') || DEFAULT_BASELINE,
    baselineExplicit: input('baseline') !== '',
    thresholds: {
      maxAccuracyDrop: input('max-accuracy-drop'),
      maxPearsonDrop: input('max-pearson-drop'),
      minAccuracy: input('min-accuracy'),
      minPearson: input('min-pearson'),
      maxErrorRate: input('max-error-rate'),
    },
    failOnRegression: input('fail-on-regression'),
    decision: input('decision'),
    alpha: input('alpha'),
    stopEarly: input('stop-early'),
    failOnInconclusive: input('fail-on-inconclusive'),
    allowIncomparable: input('allow-incomparable'),
    fidelityCheck: input('fidelity-check'),
    updateBaseline: input('update-baseline'),
    baselineBranch: input('baseline-branch') || undefined,
    baselineHistory: input('baseline-history'),
    outputDir: input('output-dir'),
    writeBaseline: input('write-baseline') || undefined,
    comment: input('comment'),
    commentTag: input('comment-tag'),
    githubToken: input('github-token'),
    artifactUrl: input('artifact-url') || undefined,
    github: {
      apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
      serverUrl: env.GITHUB_SERVER_URL,
      repository: env.GITHUB_REPOSITORY,
      runId: env.GITHUB_RUN_ID,
      runAttempt: env.GITHUB_RUN_ATTEMPT,
      eventName: env.GITHUB_EVENT_NAME,
      eventPath: env.GITHUB_EVENT_PATH,
      workspace: env.GITHUB_WORKSPACE || process.cwd(),
    },
    secrets: findSecrets(read, env),
  };
  return config;
}
