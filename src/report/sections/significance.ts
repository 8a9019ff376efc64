import type { HistoryEntry } from '../../core/baseline.js';
import type { Summary } from '../../core/summary.js';
import { count, delta, fixed, isNum } from '../format.js';
import { inline, table } from '../text.js';

const signed = (x: number): string => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(4)}`;

const NAMES = { accuracy: 'Accuracy', pearson: 'Pearson', parse_rate: 'Parse rate' } as const;
const VERDICT = {
  pass: 'pass',
  improvement: 'improvement',
  regression: '**regression**',
  inconclusive: 'inconclusive',
} as const;

/**
 * The paired comparison (decision significance): each metric on the videos both runs parsed (parse rate:
 * both answered), with the bootstrap interval of the delta and the exact McNemar p-value. These paired
 * numbers differ from each run's headline figures, which are computed on everything each run parsed.
 */
export function significanceTable(s: Summary): string {
  const rows = (Array.isArray(s.checks) ? s.checks : [])
    .filter((c) => c.kind === 'drop' && c.paired)
    .map((c) => {
      const p = c.paired;
      const ci = p?.ci ? `${signed(p.ci.lower)} … ${signed(p.ci.upper)}` : '—';
      const pv = isNum(p?.p_value) ? (p.p_value < 0.0001 ? '< 0.0001' : p.p_value.toFixed(4)) : '—';
      return [
        NAMES[c.metric] ?? inline(c.metric, 20),
        count(p?.n ?? 0),
        fixed(c.baseline),
        fixed(c.candidate),
        delta(c.delta, true),
        ci,
        pv,
        `${VERDICT[p?.verdict ?? 'inconclusive'] ?? '—'} (tolerance ${fixed(c.limit, 3)})`,
      ];
    });
  if (rows.length === 0) return '';
  const level = s.checks.find((c) => c.paired?.ci)?.paired?.ci?.level ?? 0.95;
  return [
    `**Paired against the baseline** (${Math.round(level * 100)}% bootstrap intervals, exact McNemar test):`,
    '',
    table(
      [
        'Metric',
        'videos',
        'baseline',
        'candidate',
        'delta',
        `${Math.round(level * 100)}% CI`,
        'p',
        'verdict',
      ],
      rows,
    ),
  ].join('\n');
}

/** Accuracy and Pearson across the accepted checkpoints (the baseline's history) and this run. */
export function trendChart(history: readonly HistoryEntry[] | undefined, s: Summary): string {
  const points = [
    ...(history ?? []).filter((h) => isNum(h.accuracy)),
    { accuracy: s.accuracy, pearson_correlation: s.pearson_correlation },
  ];
  if (points.length < 3) return '';
  const acc = points.map((p) => (isNum(p.accuracy) ? p.accuracy.toFixed(4) : '0'));
  const r = points.map((p) =>
    isNum(p.pearson_correlation) ? p.pearson_correlation.toFixed(4) : '0',
  );
  const labels = points.map((_, i) => (i === points.length - 1 ? '"this run"' : `"${i + 1}"`));
  return [
    '```mermaid',
    'xychart-beta',
    '    title "Accuracy and Pearson across baselines (oldest first), then this run"',
    `    x-axis [${labels.join(', ')}]`,
    '    y-axis 0 --> 1',
    `    line [${acc.join(', ')}]`,
    `    line [${r.join(', ')}]`,
    '```',
    '',
    table(
      ['', ...points.map((_, i) => (i === points.length - 1 ? 'this run' : String(i + 1)))],
      [
        ['accuracy', ...acc],
        ['Pearson', ...r],
      ],
    ),
  ].join('\n');
}
