/**
 * Were the baseline and the candidate scored the same way? A delta between runs with different prompts,
 * frame rates or sampling measures the settings, not the checkpoint, so such a comparison is refused unless
 * the user allows it.
 *
 * Blocking keys: dataset, dataset revision (the resolved commit when both runs recorded one, else the
 * requested revision), split, score column (another column is another ground truth), prompt SHA-256, parser,
 * vision rule (how total pixels become the server's size limits; settings without one were made under the
 * old rule, which showed the model half the recipe's pixels), fps, total pixels, temperature, sampling seed,
 * max tokens (these four as sent, after extra-body), extra body and the request body as sent (deep, key order
 * ignored) and the vLLM version (kernels and video processors change between releases).
 *
 * Not blocking, but reported: the served model name (a new checkpoint is often served under a new name,
 * and comparing checkpoints is the point; pass { modelMustMatch: true } to make it blocking), and the
 * subset (limit, subset seed): a subset run is compared with a baseline on the videos both scored, by
 * design. Keys the baseline does not record (older files, a recipe summary.json) are listed as unverified.
 */
import { LEGACY_VISION_RULE } from '../vision/rule.js';
import type { RunSettings } from '../core/summary.js';
import { canonicalJson, keysWhere, SERVER_SETTINGS } from './table.js';

/**
 * The keys compared, in table order (table.ts: the rows that block or are reported), then the vLLM version,
 * which comes from the server info, passed separately.
 */
export const COMPARED_KEYS = [
  ...keysWhere((r) => r.comparison === 'blocks' || r.comparison === 'reported'),
  ...SERVER_SETTINGS,
] as const;
export type ComparedKey = (typeof COMPARED_KEYS)[number];

/** Reported, never blocking unless asked (the served model name). */
const REPORTED = new Set<string>(keysWhere((r) => r.comparison === 'reported'));

export interface SettingDifference {
  key: ComparedKey;
  baseline: unknown;
  candidate: unknown;
  /** True when the difference makes the runs incomparable. */
  blocking: boolean;
}

export interface SubsetInfo {
  limit: number | null;
  subset_seed: number | null;
}

export interface Comparability {
  /** No blocking difference (unverified keys do not block: there is nothing to compare them with). */
  comparable: boolean;
  differences: SettingDifference[];
  /** Keys one side does not record. */
  unverified: ComparedKey[];
  /** Recorded and shown, never a difference. */
  subset: { baseline: SubsetInfo; candidate: SubsetInfo };
}

export interface CompareSettingsOptions {
  /** vLLM version of each run (summary.server.vllm_version); null or absent when unknown. */
  vllmVersion?: { baseline?: string | null; candidate?: string | null };
  /** Treat a different served model name as incomparable. Default false. */
  modelMustMatch?: boolean;
}

type Settings = Partial<RunSettings>;

function valueOf(
  s: Settings | undefined,
  key: ComparedKey,
  vllm: string | null | undefined,
  useResolved: boolean,
): unknown {
  if (key === 'vllm_version') return vllm ?? undefined;
  if (!s) return undefined;
  // Settings recorded before the rule existed were made under the old one (it is not unknown).
  if (key === 'vision_rule' && s.vision_rule === undefined && typeof s.fps === 'number')
    return LEGACY_VISION_RULE;
  if (key === 'dataset_revision') {
    return useResolved ? (s.dataset_resolved_revision ?? undefined) : s.dataset_revision;
  }
  return s[key];
}

export function compareSettings(
  baseline: Settings | undefined,
  candidate: Settings,
  opts: CompareSettingsOptions = {},
): Comparability {
  // The resolved commit decides when both runs have one: 'main' today and a sha from last week may be the
  // same data, and 'main' twice may not be.
  const useResolved =
    typeof baseline?.dataset_resolved_revision === 'string' &&
    typeof candidate.dataset_resolved_revision === 'string';
  const differences: SettingDifference[] = [];
  const unverified: ComparedKey[] = [];
  for (const key of COMPARED_KEYS) {
    const b = valueOf(baseline, key, opts.vllmVersion?.baseline, useResolved);
    const c = valueOf(candidate, key, opts.vllmVersion?.candidate, useResolved);
    if (b === undefined || c === undefined || b === null || c === null) {
      unverified.push(key);
      continue;
    }
    if (canonicalJson(b) !== canonicalJson(c)) {
      differences.push({
        key,
        baseline: b,
        candidate: c,
        blocking: !REPORTED.has(key) || opts.modelMustMatch === true,
      });
    }
  }
  const subsetOf = (s: Settings | undefined): SubsetInfo => ({
    limit: typeof s?.limit === 'number' ? s.limit : null,
    subset_seed: typeof s?.subset_seed === 'number' ? s.subset_seed : null,
  });
  return {
    comparable: differences.every((d) => !d.blocking),
    differences,
    unverified,
    subset: { baseline: subsetOf(baseline), candidate: subsetOf(candidate) },
  };
}

function show(v: unknown): string {
  const text = typeof v === 'string' ? v : canonicalJson(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function subsetText(s: SubsetInfo): string {
  if (s.limit === null) return 'not recorded';
  if (s.limit === 0) return 'all videos';
  return `${s.limit} videos, subset seed ${s.subset_seed ?? 'not recorded'}`;
}

/**
 * The comparability as report lines: first, when incomparable, the refusal naming every difference; then
 * differences that do not block, unverified keys and the subsets.
 */
export function formatComparability(c: Comparability): string[] {
  const lines: string[] = [];
  const line = (d: SettingDifference): string =>
    `- ${d.key}: baseline ${show(d.baseline)}, candidate ${show(d.candidate)}`;
  const blocking = c.differences.filter((d) => d.blocking);
  const other = c.differences.filter((d) => !d.blocking);
  if (blocking.length > 0) {
    lines.push(
      `The candidate was not scored like the baseline, so the numbers are not comparable (${blocking.length} difference${blocking.length > 1 ? 's' : ''}):`,
      ...blocking.map(line),
      'Score both the same way (or make a new baseline with these settings), or set allow-incomparable: true to compare anyway.',
    );
  }
  if (other.length > 0)
    lines.push('Also different (does not prevent the comparison):', ...other.map(line));
  if (c.unverified.length > 0) {
    lines.push(`Not recorded by both runs, so not checked: ${c.unverified.join(', ')}.`);
  }
  lines.push(
    `Subset: candidate ${subsetText(c.subset.candidate)}; baseline ${subsetText(c.subset.baseline)} (runs are compared on the videos both scored).`,
  );
  return lines;
}
