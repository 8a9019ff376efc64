import { homedir } from 'node:os';
import { join } from 'node:path';
import { flagValue, splitArgs } from '../server/args.js';
import { pidDirFor } from '../server/pid-file.js';
import { parseShard, type ShardSpec } from '../shard/spec.js';
import { parseVideoTransport, type VideoTransport } from '../video-cache/transport.js';
import type { CommentPolicy, Config, DecisionMode } from './config.js';
import { INPUTS, inputDefault } from './inputs.js';
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

function decisionMode(raw: string): DecisionMode {
  const v = raw.trim().toLowerCase();
  if (v === 'auto' || v === 'significance' || v === 'threshold') return v;
  throw new ConfigError(
    `'decision' must be auto, significance or threshold, got ${JSON.stringify(raw)}`,
  );
}

function commentPolicy(raw: string): CommentPolicy {
  const v = raw.trim().toLowerCase();
  if (v === 'always' || v === 'on-regression' || v === 'never') return v;
  throw new ConfigError(
    `'comment' must be always, on-regression or never, got ${JSON.stringify(raw)}`,
  );
}

function list(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseShardInput(raw: string): ShardSpec | null {
  try {
    return parseShard(raw);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

function transportInput(raw: string): VideoTransport {
  try {
    return parseVideoTransport(raw);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

const VIDEO_METADATA = ['cache', 'range', 'none'] as const;
function videoMetadataInput(raw: string): Config['videoMetadata'] {
  const v = (raw.trim() || 'cache').toLowerCase();
  if ((VIDEO_METADATA as readonly string[]).includes(v)) return v as Config['videoMetadata'];
  throw new ConfigError(
    `'video-metadata' must be ${VIDEO_METADATA.join(', ')}, got ${JSON.stringify(raw)}`,
  );
}

/** `base-url` takes one URL or several (vLLM replicas), separated by newlines or commas. */
function baseUrlList(raw: string): string[] {
  const urls = list(raw).map((u) => httpUrl('base-url', u));
  const seen = new Set<string>();
  for (const u of urls) {
    if (seen.has(u)) throw new ConfigError(`'base-url' lists ${redactCredentials(u)} twice`);
    seen.add(u);
  }
  return urls;
}

/** Where the baseline is looked for when `baseline` is not set. */
export const DEFAULT_BASELINE = '.github/videophy2-baseline.json';

/**
 * Turn raw inputs into the typed Config, validating each once. Unset inputs take the default from the
 * inputs table, so the action behaves the same whether or not the runner filled in action.yml defaults.
 */
export function parseConfig(read: InputReader, env: ConfigEnv = {}): Config {
  const known = new Set(INPUTS.map((i) => i.name));
  const get = (name: string): string => {
    if (!known.has(name)) throw new Error(`internal: unknown input '${name}'`);
    const raw = read(name).trim();
    return raw === '' ? inputDefault(name) : raw;
  };

  const baseUrlRaw = get('base-url');
  const checkpoint = get('checkpoint');
  if (baseUrlRaw === '' && checkpoint === '' && ['', 'eval'].includes(get('mode').toLowerCase())) {
    throw new ConfigError(
      `'base-url' or 'checkpoint' is required: the OpenAI-compatible endpoint of a running vLLM (e.g. http://127.0.0.1:8000/v1), or a checkpoint for the action to serve`,
    );
  }
  if (baseUrlRaw !== '' && checkpoint !== '') {
    throw new ConfigError(
      `'checkpoint' and 'base-url' are both set: give checkpoint for the action to start vLLM itself, or base-url for a server that already runs, not both`,
    );
  }
  const model = get('model');
  let vllmArgs: string[];
  try {
    vllmArgs = splitArgs(get('vllm-args'));
  } catch (e) {
    throw new ConfigError(`'vllm-args': ${(e as Error).message}`);
  }
  // A key given to the server on its command line is the key the client must send.
  const apiKey =
    get('api-key') || (checkpoint !== '' ? (flagValue(vllmArgs, '--api-key') ?? '') : '');
  const cacheDir =
    get('cache-dir') ||
    (env.RUNNER_TOOL_CACHE
      ? join(env.RUNNER_TOOL_CACHE, 'videophy-gate')
      : join(env.HOME ?? homedir(), '.cache', 'videophy-gate'));

  const mode = get('mode').toLowerCase();
  if (mode !== 'eval' && mode !== 'merge' && mode !== 'comment') {
    throw new ConfigError(
      `'mode' must be eval, merge or comment, got ${JSON.stringify(get('mode'))}`,
    );
  }
  const resultsDirs = list(get('results-dirs'));
  if (mode === 'merge' && resultsDirs.length < 1) {
    throw new ConfigError(
      `mode merge needs 'results-dirs': the results directories of the shards, one per line`,
    );
  }
  const config: Config = {
    mode,
    resultsDirs,
    shard: parseShardInput(get('shard')),
    videoCache: get('video-cache') || undefined,
    videoTransport: transportInput(get('video-transport')),
    videoMetadata: videoMetadataInput(get('video-metadata')),
    baseUrls: baseUrlRaw === '' ? [] : baseUrlList(baseUrlRaw),
    server:
      checkpoint !== '' && baseUrlRaw === ''
        ? {
            checkpoint,
            command: nonEmpty('vllm-command', get('vllm-command')),
            args: vllmArgs,
            shutdownTimeoutS: number('server-shutdown-timeout', get('server-shutdown-timeout'), {
              min: 0,
            }),
            pidDir: env.RUNNER_TEMP ? pidDirFor(env.RUNNER_TEMP) : undefined,
            path: env.PATH,
          }
        : undefined,
    model: model === '' ? undefined : model,
    apiKey: apiKey === '' ? undefined : apiKey,
    dataset: nonEmpty('dataset', get('dataset')),
    datasetRevision: nonEmpty('dataset-revision', get('dataset-revision')),
    split: nonEmpty('split', get('split')),
    videoColumn: nonEmpty('video-column', get('video-column')),
    allowNonHttpVideos: boolean('allow-non-http-videos', get('allow-non-http-videos')),
    scoreColumn: nonEmpty('score-column', get('score-column')),
    hub: {
      endpoint: (env.HF_ENDPOINT?.trim() || 'https://huggingface.co').replace(/\/+$/, ''),
      token: env.HF_TOKEN?.trim() || undefined,
      offline: ['1', 'true', 'yes'].includes((env.HF_HUB_OFFLINE ?? '').trim().toLowerCase()),
      cacheDir,
    },
    promptFile: get('prompt-file') || undefined,
    limit: number('limit', get('limit'), { min: 0, integer: true }),
    subsetSeed: number('subset-seed', get('subset-seed'), { integer: true }),
    sampling: {
      fps: number('fps', get('fps'), { min: 0.01, max: 240 }),
      totalPixels: number('total-pixels', get('total-pixels'), { min: 1, integer: true }),
      maxTokens: number('max-tokens', get('max-tokens'), { min: 1, integer: true }),
      temperature: number('temperature', get('temperature'), { min: 0, max: 2 }),
      seed: number('sampling-seed', get('sampling-seed'), { integer: true }),
      extraBody: jsonObject('extra-body', get('extra-body')),
    },
    concurrency:
      get('concurrency').toLowerCase() === 'auto'
        ? 'auto'
        : number('concurrency', get('concurrency'), { min: 1, max: 4096, integer: true }),
    requestTimeoutS: number('request-timeout', get('request-timeout'), { min: 0.001 }),
    maxRetries: number('max-retries', get('max-retries'), { min: 0, max: 20, integer: true }),
    serverTimeoutS: number('server-timeout', get('server-timeout'), { min: 0 }),
    baselinePath: get('baseline') || DEFAULT_BASELINE,
    baselineExplicit: get('baseline') !== '',
    thresholds: {
      maxAccuracyDrop: number('max-accuracy-drop', get('max-accuracy-drop'), { min: 0, max: 1 }),
      maxPearsonDrop: number('max-pearson-drop', get('max-pearson-drop'), { min: 0, max: 2 }),
      minAccuracy: optionalNumber('min-accuracy', get('min-accuracy'), { min: 0, max: 1 }),
      minPearson: optionalNumber('min-pearson', get('min-pearson'), { min: -1, max: 1 }),
      maxErrorRate: number('max-error-rate', get('max-error-rate'), { min: 0, max: 1 }),
    },
    failOnRegression: boolean('fail-on-regression', get('fail-on-regression')),
    decision: decisionMode(get('decision')),
    alpha: number('alpha', get('alpha'), { min: 0.0001, max: 0.5 }),
    failOnInconclusive: boolean('fail-on-inconclusive', get('fail-on-inconclusive')),
    allowIncomparable: boolean('allow-incomparable', get('allow-incomparable')),
    fidelityCheck: boolean('fidelity-check', get('fidelity-check')),
    updateBaseline: boolean('update-baseline', get('update-baseline')),
    baselineBranch: get('baseline-branch') || undefined,
    baselineHistory: number('baseline-history', get('baseline-history'), {
      min: 0,
      max: 1000,
      integer: true,
    }),
    outputDir: nonEmpty('output-dir', get('output-dir')),
    writeBaseline: get('write-baseline') || undefined,
    comment: commentPolicy(get('comment')),
    commentTag: nonEmpty('comment-tag', get('comment-tag')),
    // Outside Actions the default is the literal expression: no token.
    githubToken: get('github-token').startsWith('${{')
      ? undefined
      : get('github-token') || undefined,
    artifactUrl: get('artifact-url') || undefined,
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
  };
  return config;
}
