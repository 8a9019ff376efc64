import type { Summary } from '../../core/summary.js';
import { COMPARED_KEYS, type ComparedKey } from '../../settings/comparability.js';
import { count, DASH } from '../format.js';
import type { ReportBaseline, ReportLinks } from '../types.js';
import { inline, link, table } from '../text.js';

/**
 * Settings that make two runs comparable: the gate's own list (src/settings/comparability.ts), less the model,
 * which is what a gate compares, and the vLLM version, which lives in the summary's server block.
 */
const COMPARABLE = COMPARED_KEYS.filter(
  (k): k is Exclude<ComparedKey, 'model' | 'vllm_version'> => k !== 'model' && k !== 'vllm_version',
);

const show = (v: unknown, max = 80): string =>
  v === null || v === undefined ? DASH : inline(typeof v === 'string' ? v : JSON.stringify(v), max);

/** Settings in which the baseline run differs from this one: its numbers are then not like for like. */
export function settingsDiff(s: Summary, baseline?: ReportBaseline | null): string[] {
  const b = baseline?.settings;
  if (!b) return [];
  return COMPARABLE.filter((k) => JSON.stringify(s.settings[k]) !== JSON.stringify(b[k])).map(
    (k) => `\`${k}\` ${show(b[k], 60)} → ${show(s.settings[k], 60)}`,
  );
}

/** The fingerprint of the run: what a reviewer checks before trusting a delta. */
export function settingsTable(s: Summary, baseline?: ReportBaseline | null): string {
  const set = s.settings;
  const b = s.baseline;
  const rows: [string, string][] = [
    ['model', show(set.model, 200)],
    [
      'dataset',
      `${show(set.dataset, 120)} @ ${show(set.dataset_revision, 60)} (${show(set.dataset_resolved_revision, 60)}), split ${show(set.split, 40)}`,
    ],
    [
      'prompt sha256',
      show(
        typeof set.prompt_sha256 === 'string' ? set.prompt_sha256.slice(0, 12) : set.prompt_sha256,
        12,
      ),
    ],
    ['parser', show(set.parser, 80)],
    ['frames', `fps ${show(set.fps, 20)}, total pixels ${show(set.total_pixels, 20)}`],
    [
      'sampling',
      `temperature ${show(set.temperature, 20)}, seed ${show(set.sampling_seed, 20)}, max tokens ${show(set.max_tokens, 20)}`,
    ],
    ['extra body', show(set.extra_body, 300)],
    [
      'subset',
      set.limit > 0
        ? `${show(set.limit, 20)} videos, seed ${show(set.subset_seed, 20)}`
        : 'all rows',
    ],
    [
      'vLLM',
      `${show(s.server?.vllm_version, 40)}, max_model_len ${count(s.server?.max_model_len)}`,
    ],
    [
      'baseline',
      b
        ? `${show(b.source, 200)} (${show(b.kind, 40)})${baseline?.createdAt ? `, created ${show(baseline.createdAt, 40)}` : ''}`
        : 'none',
    ],
  ];
  // Absent from summaries written before the gate recorded them.
  const replies: Partial<Summary['replies']> | undefined = (s as Partial<Summary>).replies;
  const tokens = replies?.prompt_tokens;
  if (tokens) {
    rows.push([
      'prompt tokens',
      `median ${count(tokens.median)} (10-90%: ${count(tokens.p10)}-${count(tokens.p90)}; ${count(tokens.min)}-${count(tokens.max)}) over ${count(tokens.count)} requests`,
    ]);
  }
  if (replies && ((replies.reasoning_split ?? 0) > 0 || (replies.finish_length ?? 0) > 0)) {
    rows.push([
      'replies',
      `${count(replies.reasoning_split ?? 0)} split by a reasoning parser (rebuilt before parsing), ${count(replies.finish_length ?? 0)} stopped at max tokens`,
    ]);
  }
  // Absent from summaries written before endpoints could be removed mid-run.
  const removed: unknown = (s as Partial<Summary>).removed_endpoints;
  if (Array.isArray(removed) && removed.length > 0) {
    const named = (removed as { name?: unknown; reason?: unknown }[])
      .slice(0, 5)
      .map((r) => `${show(r.name, 60)} (${show(r.reason, 120)})`);
    rows.push([
      'endpoints removed',
      `${named.join('; ')}${removed.length > 5 ? `; … ${count(removed.length - 5)} more` : ''}`,
    ]);
  }
  const diff = settingsDiff(s, baseline);
  const parts = [table(['setting', 'value'], rows)];
  if (diff.length > 0) {
    parts.push(
      '',
      '⚠️ The baseline was made with different settings:',
      '',
      ...diff.map((d) => `- ${d}`),
    );
  }
  return parts.join('\n');
}

/**
 * One visible line of links (workflow run, results artifact), or '' without any. The run's settings are
 * in the folded Run settings table only.
 */
export function footer(links?: ReportLinks): string {
  const items: string[] = [];
  if (links?.runUrl) items.push(link('workflow run', links.runUrl));
  if (links?.artifactUrl) items.push(link('results artifact', links.artifactUrl));
  return items.length > 0 ? `<sub>${items.join(' · ')}</sub>` : '';
}
