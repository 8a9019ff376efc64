import { createHash } from 'node:crypto';
import type { RunSettings } from '../core/summary.js';
import { canonicalJson, keysWhere } from './table.js';

/**
 * The settings two runs must share for their rows to be pooled (resume, merge): the rows of table.ts marked
 * `fingerprint` (all but prompt_file, a path that differs between checkouts; prompt_sha256 covers it).
 */
export const FINGERPRINT_KEYS = keysWhere((r) => r.fingerprint);

function pick(settings: Partial<RunSettings>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
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
