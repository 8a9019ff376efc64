import { escapeMarkdown, table } from './markdown.js';
import type { Summary } from './summary.js';
import type { Check, Verdict } from './verdict.js';

const ICON: Record<Verdict, string> = {
  pass: '✅',
  regression: '❌',
  'no-baseline': 'ℹ️',
  error: '⚠️',
};

const TITLE: Record<Verdict, string> = {
  pass: 'pass',
  regression: 'regression',
  'no-baseline': 'no baseline',
  error: 'error (infrastructure, not a model result)',
};

const num = (x: number | null | undefined, digits = 4): string =>
  x === null || x === undefined ? '—' : x.toFixed(digits);
const signed = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;

function checkFor(s: Summary, metric: Check['metric']): Check | undefined {
  return s.checks.find((c) => c.metric === metric && c.kind === 'drop');
}

function status(s: Summary, metric: Check['metric']): string {
  const related = s.checks.filter((c) => c.metric === metric);
  if (related.length === 0) return '';
  return related.every((c) => c.ok) ? 'ok' : '**fail**';
}

/** The job-summary / terminal report: a pure function of the summary. */
export function renderReport(s: Summary): string {
  const b = s.baseline;
  const pearsonCell =
    s.pearson_correlation === null
      ? `undefined (${escapeMarkdown(s.pearson_undefined ?? 'n/a')})`
      : num(s.pearson_correlation);
  const rows = [
    [
      'Accuracy',
      num(b?.accuracy),
      num(s.accuracy),
      signed(checkFor(s, 'accuracy')?.delta),
      status(s, 'accuracy'),
    ],
    [
      'Pearson',
      num(b?.pearson_correlation),
      pearsonCell,
      signed(checkFor(s, 'pearson')?.delta),
      status(s, 'pearson'),
    ],
    [
      'Parse rate',
      num(b?.parse_rate),
      num(s.parse_rate),
      signed(checkFor(s, 'parse_rate')?.delta),
      status(s, 'parse_rate'),
    ],
    ['Samples (parsed)', b ? String(b.num_samples) : '—', String(s.num_samples), '', ''],
    ['Errors', '', `${s.num_errors} (${(s.error_rate * 100).toFixed(1)}%)`, '', ''],
  ];
  const set = s.settings;
  const lines = [
    `### ${ICON[s.verdict]} VideoPhy-2 gate: ${TITLE[s.verdict]}`,
    '',
    `**${escapeMarkdown(set.model, 120)}** on ${escapeMarkdown(set.dataset, 120)} @ ${escapeMarkdown(set.dataset_resolved_revision ?? set.dataset_revision, 60)} (${set.split}), ` +
      `${s.num_videos} videos${set.limit > 0 ? ` (subset of ${s.num_rows - s.num_skipped_rows - s.num_duplicate_rows}, seed ${set.subset_seed})` : ''}, ${s.duration_s.toFixed(1)} s`,
    '',
    table(['Metric', 'Baseline', 'Candidate', 'Delta', 'Check'], rows),
    '',
    ...s.reasons.map((r) => `- ${escapeMarkdown(r, 500)}`),
  ];
  if (!s.complete)
    lines.push(
      '',
      `> Partial run: ${s.num_videos} of ${s.num_rows - s.num_skipped_rows - s.num_duplicate_rows} videos scored.`,
    );
  if (s.num_skipped_rows + s.num_duplicate_rows > 0) {
    lines.push(
      '',
      `Skipped dataset rows: ${s.num_skipped_rows} invalid, ${s.num_duplicate_rows} duplicate (listed in summary.json).`,
    );
  }
  lines.push(
    '',
    `<sub>Baseline: ${b ? escapeMarkdown(`${b.source} (${b.kind})`, 200) : 'none'} · prompt sha256 ${set.prompt_sha256.slice(0, 12)} · fps ${set.fps} · total pixels ${set.total_pixels} · ` +
      `temperature ${set.temperature} · seed ${set.sampling_seed} · max tokens ${set.max_tokens} · vLLM ${escapeMarkdown(s.server.vllm_version ?? 'unknown', 40)}</sub>`,
  );
  return lines.join('\n');
}
