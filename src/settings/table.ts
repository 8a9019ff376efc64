/**
 * Every run setting in one table: how it is read from the request actually sent (or the inputs), whether
 * two runs must share it to pool their rows (the fingerprint: resume, merge), how it takes part when a
 * candidate is compared with its baseline, and where the report shows it. The run record
 * (run-settings.ts), the fingerprint (fingerprint.ts), the comparison (comparability.ts) and the report's
 * settings table (report/sections/settings.ts) all derive from it: a new setting is one row here (and its
 * field in RunSettings, which the type check below insists on).
 */
import type { Config } from '../config/config.js';
import { PARSER_ID } from '../core/parse-score.js';
import type { Prompt } from '../core/prompt.js';
import { requestTemplate, type SentSettings } from '../core/request.js';
import type { RunSettings } from '../core/summary.js';
import type { LoadedDataset } from '../dataset/types.js';
import { basename } from 'node:path';

/** What a setting's value is read from. */
export interface SettingSource {
  config: Config;
  data: LoadedDataset;
  prompt: Prompt;
  promptPath: string;
  model: string;
  /** The body sent for a video of unknown size, and what it asks for, read back (after extra-body). */
  template: Record<string, unknown>;
  sent: SentSettings;
  visionRule: string;
}

/**
 * Comparing with a baseline: `blocks` (a different value makes the numbers incomparable), `reported` (a
 * difference is shown, never blocks: the served model name, since comparing checkpoints is the point),
 * `subset` (recorded and shown as the subset; a subset run is compared on the videos both scored, by
 * design), `no` (not compared: a path that differs between checkouts, a column name, or a key compared
 * through another).
 */
export type Comparison = 'blocks' | 'reported' | 'subset' | 'no';

export interface SettingRow<K extends keyof RunSettings = keyof RunSettings> {
  key: K;
  /** The name a reader sees, in the report. */
  label: string;
  fingerprint: boolean;
  comparison: Comparison;
  /** The report's settings line it is shown on (several settings share a line); null: not shown. */
  line: string | null;
  read: (s: SettingSource) => RunSettings[K];
}

const row = <K extends keyof RunSettings>(r: SettingRow<K>): SettingRow<K> => r;

export const SETTINGS = [
  row({
    key: 'model',
    label: 'model',
    fingerprint: true,
    comparison: 'reported',
    line: 'model',
    read: (s) => s.model,
  }),
  row({
    key: 'dataset',
    label: 'dataset',
    fingerprint: true,
    comparison: 'blocks',
    line: 'dataset',
    // A local file is named by its file name (its content hash is the revision); a Hub dataset by its id.
    read: (s) => (s.data.kind === 'hub' ? s.config.dataset : basename(s.config.dataset)),
  }),
  row({
    key: 'dataset_revision',
    label: 'revision',
    fingerprint: true,
    // Compared as the resolved commit when both runs recorded one (comparability.ts).
    comparison: 'blocks',
    line: 'dataset',
    read: (s) => s.data.revision,
  }),
  row({
    key: 'dataset_resolved_revision',
    label: 'resolved',
    fingerprint: true,
    comparison: 'no',
    line: 'dataset',
    read: (s) => s.data.resolvedRevision ?? null,
  }),
  row({
    key: 'split',
    label: 'split',
    fingerprint: true,
    comparison: 'blocks',
    line: 'dataset',
    read: (s) => s.config.split,
  }),
  row({
    key: 'video_column',
    label: 'video column',
    fingerprint: true,
    comparison: 'no',
    line: 'columns',
    read: (s) => s.config.videoColumn,
  }),
  row({
    key: 'score_column',
    label: 'score column',
    fingerprint: true,
    // Another column is another ground truth.
    comparison: 'blocks',
    line: 'columns',
    read: (s) => s.config.scoreColumn,
  }),
  row({
    key: 'prompt_file',
    label: 'prompt file',
    // A path that differs between checkouts; prompt_sha256 covers its content.
    fingerprint: false,
    comparison: 'no',
    line: 'prompt file',
    read: (s) => s.promptPath,
  }),
  row({
    key: 'prompt_sha256',
    label: 'prompt sha256',
    fingerprint: true,
    comparison: 'blocks',
    line: 'prompt sha256',
    read: (s) => s.prompt.sha256,
  }),
  row({
    key: 'parser',
    label: 'parser',
    fingerprint: true,
    comparison: 'blocks',
    line: 'parser',
    read: () => PARSER_ID,
  }),
  row({
    key: 'vision_rule',
    label: 'vision rule',
    fingerprint: true,
    // How total pixels become the server's size limits: settings without one were made under the old rule.
    comparison: 'blocks',
    line: 'vision rule',
    read: (s) => s.visionRule,
  }),
  row({
    key: 'fps',
    label: 'fps',
    fingerprint: true,
    comparison: 'blocks',
    line: 'frames',
    // As sent: an extra-body that overrides it is recorded (and compared) as what the server was asked.
    read: (s) => s.sent.fps ?? s.config.sampling.fps,
  }),
  row({
    key: 'total_pixels',
    label: 'total pixels',
    fingerprint: true,
    comparison: 'blocks',
    line: 'frames',
    read: (s) => s.config.sampling.totalPixels,
  }),
  row({
    key: 'max_tokens',
    label: 'max tokens',
    fingerprint: true,
    comparison: 'blocks',
    line: 'sampling',
    read: (s) => s.sent.max_tokens ?? s.config.sampling.maxTokens,
  }),
  row({
    key: 'temperature',
    label: 'temperature',
    fingerprint: true,
    comparison: 'blocks',
    line: 'sampling',
    read: (s) => s.sent.temperature ?? s.config.sampling.temperature,
  }),
  row({
    key: 'sampling_seed',
    label: 'seed',
    fingerprint: true,
    comparison: 'blocks',
    line: 'sampling',
    read: (s) => s.sent.seed ?? s.config.sampling.seed,
  }),
  row({
    key: 'extra_body',
    label: 'extra body',
    fingerprint: true,
    comparison: 'blocks',
    line: 'extra body',
    read: (s) => s.config.sampling.extraBody,
  }),
  row({
    key: 'request',
    label: 'request',
    fingerprint: true,
    // The body as sent, less the conversation (deep, key order ignored): in summary.json, too long to show.
    comparison: 'blocks',
    line: null,
    read: (s) => requestTemplate(s.template),
  }),
  row({
    key: 'limit',
    label: 'limit',
    fingerprint: true,
    comparison: 'subset',
    line: 'subset',
    read: (s) => s.config.limit,
  }),
  row({
    key: 'subset_seed',
    label: 'subset seed',
    fingerprint: true,
    comparison: 'subset',
    line: 'subset',
    read: (s) => s.config.subsetSeed,
  }),
] as const;

// Every field of RunSettings has its row (a setting added to the type without one fails to compile).
type Listed = (typeof SETTINGS)[number]['key'];
const everySettingListed: [Exclude<keyof RunSettings, Listed>] extends [never] ? true : never =
  true;
void everySettingListed;

/**
 * Compared with the baseline, beside the run settings: the vLLM version (kernels and video processors change
 * between releases), recorded in the summary's server block.
 */
export const SERVER_SETTINGS = ['vllm_version'] as const;

export type SettingKey = keyof RunSettings;

/** The keys with a property, in table order. */
export function keysWhere(ok: (r: SettingRow) => boolean): SettingKey[] {
  return (SETTINGS as readonly SettingRow[]).filter(ok).map((r) => r.key);
}

/** The run's settings as the table reads them, in table order. */
export function readSettings(source: SettingSource): RunSettings {
  const out: Record<string, unknown> = {};
  for (const r of SETTINGS as readonly SettingRow[]) out[r.key] = r.read(source);
  return out as unknown as RunSettings;
}

/** JSON with object keys sorted at every depth, so equal settings give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  // undefined (absent) and null are the same to a reader of the JSON files the settings come from.
  return JSON.stringify(value ?? null);
}
