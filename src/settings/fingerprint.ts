import { createHash } from 'node:crypto';
import type { RunSettings } from '../core/summary.js';

/**
 * The settings two runs must share for their rows to be pooled (resume, merge). Left out: prompt_file (a
 * path that differs between checkouts; prompt_sha256 covers its content).
 */
export const FINGERPRINT_KEYS = [
  'model',
  'dataset',
  'dataset_revision',
  'dataset_resolved_revision',
  'split',
  'video_column',
  'score_column',
  'prompt_sha256',
  'parser',
  'vision_rule',
  'fps',
  'total_pixels',
  'max_tokens',
  'temperature',
  'sampling_seed',
  'extra_body',
  'request',
  'limit',
  'subset_seed',
] as const satisfies readonly (keyof RunSettings)[];

export type FingerprintKey = (typeof FINGERPRINT_KEYS)[number];

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

function pick(settings: Partial<RunSettings>): Record<FingerprintKey, unknown> {
  const out = {} as Record<FingerprintKey, unknown>;
  for (const k of FINGERPRINT_KEYS) out[k] = settings[k] ?? null;
  return out;
}

/** sha256 (hex) of the canonical JSON of the settings that must match. */
export function settingsFingerprint(settings: Partial<RunSettings>): string {
  return createHash('sha256')
    .update(canonicalJson(pick(settings)))
    .digest('hex');
}

export interface SettingChange {
  /** A fingerprint key, or `extra_body.<path>` for a change inside extra_body. */
  key: string;
  before: unknown;
  after: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Changes between two plain values, descending into objects so a message names `extra_body.top_p`. */
function diffValues(key: string, a: unknown, b: unknown, out: SettingChange[]): void {
  if (canonicalJson(a) === canonicalJson(b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diffValues(`${key}.${k}`, a[k], b[k], out);
    return;
  }
  out.push({ key, before: a ?? null, after: b ?? null });
}

/** The fingerprint settings that differ from `a` (before) to `b` (after), in FINGERPRINT_KEYS order. */
export function diffSettings(a: Partial<RunSettings>, b: Partial<RunSettings>): SettingChange[] {
  const out: SettingChange[] = [];
  for (const k of FINGERPRINT_KEYS) diffValues(k, a[k] ?? null, b[k] ?? null, out);
  return out;
}

const show = (v: unknown): string => {
  const s = canonicalJson(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/** `model: "a" -> "b"; fps: 16 -> 8`, for "a changed setting starts afresh and says why". */
export function describeChanges(changes: readonly SettingChange[]): string {
  return changes.map((c) => `${c.key}: ${show(c.before)} -> ${show(c.after)}`).join('; ');
}
