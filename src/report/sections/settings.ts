import type { Summary } from '../../core/summary.js';
import { canonicalJson, SETTINGS, type SettingKey, type SettingRow } from '../../settings/table.js';
import { count, DASH } from '../format.js';
import type { ReportBaseline, ReportLinks } from '../types.js';
import { inline, link, table } from '../text.js';

/** Settings whose difference makes two runs not like for like (table.ts), less what the report shows elsewhere. */
const COMPARABLE = (SETTINGS as readonly SettingRow[]).filter((r) => r.comparison === 'blocks');

const show = (v: unknown, max = 80): string =>
  v === null || v === undefined ? DASH : inline(typeof v === 'string' ? v : JSON.stringify(v), max);

/** How a few values read better than their JSON. */
const SHOW: Partial<Record<SettingKey, (v: unknown) => string>> = {
  prompt_sha256: (v) => show(typeof v === 'string' ? v.slice(0, 12) : v, 12),
  limit: (v) => (v === 0 ? '0 (all videos)' : show(v, 20)),
  model: (v) => show(v, 200),
  dataset: (v) => show(v, 120),
  extra_body: (v) => show(v, 300),
};

/** Settings in which the baseline run differs from this one: its numbers are then not like for like. */
export function settingsDiff(s: Summary, baseline?: ReportBaseline | null): string[] {
  const b = baseline?.settings;
  if (!b) return [];
  return COMPARABLE.filter((r) => canonicalJson(s.settings[r.key]) !== canonicalJson(b[r.key])).map(
    (r) => `\`${r.key}\` ${show(b[r.key], 60)} → ${show(s.settings[r.key], 60)}`,
  );
}

/**
 * The settings' lines of the report, as table.ts groups them: `label value` parts, the value alone where the
 * label is the line's name.
 */
function settingLines(set: Summary['settings']): [string, string][] {
  const lines = new Map<string, string[]>();
  for (const r of SETTINGS as readonly SettingRow[]) {
    if (r.line === null) continue;
    // A seed of no subset says nothing.
    if (r.key === 'subset_seed' && set.limit === 0) continue;
    const value = (SHOW[r.key] ?? ((v: unknown) => show(v, 60)))(set[r.key]);
    const parts = lines.get(r.line) ?? [];
    parts.push(r.label === r.line ? value : `${r.label} ${value}`);
    lines.set(r.line, parts);
  }
  return [...lines].map(([line, parts]) => [line, parts.join(', ')]);
}

/** The fingerprint of the run: what a reviewer checks before trusting a delta. */
export function settingsTable(s: Summary, baseline?: ReportBaseline | null): string {
  const set = s.settings;
  const b = s.baseline;
  const rows: [string, string][] = [
    ...settingLines(set),
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
