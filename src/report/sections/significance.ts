import type { HistoryEntry } from '../../core/baseline.js';
import type { Summary } from '../../core/summary.js';
import { count, delta, fixed, isNum } from '../format.js';
import { inline, table } from '../text.js';
import { levelText } from '../../stats/decide.js';

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
 * both answered), with the one-sided bootstrap bound its verdict rests on (src/stats/decide.ts: pass reads
 * the lower bound against -tolerance, regression the upper bound, improvement the lower bound against 0)
 * and the exact two-sided McNemar p-value. These paired numbers differ from each run's headline figures,
 * which are computed on everything each run parsed.
 */
export function significanceTable(s: Summary): string {
  const rows = (Array.isArray(s.checks) ? s.checks : [])
    .filter((c) => c.kind === 'drop' && c.paired)
    .map((c) => {
      const p = c.paired;
      const b = p?.bound;
      // pass: lower ≥ -t; improvement: lower > 0; regression: upper < -t; inconclusive: lower < -t.
      const op = p?.verdict === 'pass' ? '≥' : p?.verdict === 'improvement' ? '>' : '<';
      const bound = b
        ? `${b.side} ${signed(b.value)} ${op} ${signed(b.against)} (${levelText(b.level)})`
        : '—';
      const pv = isNum(p?.p_value) ? (p.p_value < 0.0001 ? '< 0.0001' : p.p_value.toFixed(4)) : '—';
      return [
        NAMES[c.metric] ?? inline(c.metric, 20),
        count(p?.n ?? 0),
        fixed(c.baseline),
        fixed(c.candidate),
        delta(c.delta, true),
        bound,
        pv,
        `${VERDICT[p?.verdict ?? 'inconclusive'] ?? '—'} (tolerance ${fixed(c.limit, 3)})`,
      ];
    });
  if (rows.length === 0) return '';
  return [
    '**Paired against the baseline** (one-sided bootstrap bound each verdict rests on, exact McNemar test):',
    '',
    table(
      ['Metric', 'videos', 'baseline', 'candidate', 'delta', 'one-sided bound', 'p', 'verdict'],
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
