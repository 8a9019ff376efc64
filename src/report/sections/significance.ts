import type { HistoryEntry } from '../../core/baseline.js';
import type { Summary } from '../../core/summary.js';
import type { Check } from '../../verdict/threshold.js';
import { count, delta, fixed, isNum, NBSP } from '../format.js';
import { inline, table } from '../text.js';
import { levelText } from '../../verdict/significance.js';

const signed = (x: number): string => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(4)}`;

const NAMES = { accuracy: 'Accuracy', pearson: 'Pearson', parse_rate: 'Parse rate' } as const;
const VERDICT = {
  pass: 'pass',
  improvement: 'improvement',
  regression: '**regression**',
  inconclusive: 'inconclusive',
} as const;

/** The cells of one paired check; the verdict table (verdict.ts) shows them, less `n`. */
export interface PairedCells {
  metric: string;
  n: string;
  baseline: string;
  candidate: string;
  delta: string;
  ci: string;
  p: string;
  verdict: string;
}

/**
 * The one-sided bound a paired verdict rests on, as `lower −0.0123 ≥ −0.0300, 95%`: pass needs the lower
 * bound at or above -tolerance, improvement above 0, regression the upper bound below -tolerance.
 */
function boundText(p: Check['paired']): string | null {
  const b = p?.bound;
  if (!b) return null;
  const op = p?.verdict === 'pass' ? '≥' : p?.verdict === 'improvement' ? '>' : '<';
  return `${b.side}${NBSP}${signed(b.value)}${NBSP}${op}${NBSP}${signed(b.against)}, ${levelText(b.level)}`;
}

/** One paired check as cells; no-break spaces where a cell must not wrap (`< 0.0001`, the interval). */
export function pairedRow(c: Check): PairedCells {
  const p = c.paired;
  const ci = p?.ci ? `${signed(p.ci.lower)}${NBSP}…${NBSP}${signed(p.ci.upper)}` : '—';
  const pv = isNum(p?.p_value)
    ? p.p_value < 0.0001
      ? `<${NBSP}0.0001`
      : p.p_value.toFixed(4)
    : '—';
  return {
    metric: NAMES[c.metric] ?? inline(c.metric, 20),
    n: count(p?.n ?? 0),
    baseline: fixed(c.baseline),
    candidate: fixed(c.candidate),
    delta: delta(c.delta, true),
    ci,
    p: pv,
    verdict: `${VERDICT[p?.verdict ?? 'inconclusive'] ?? '—'} (${boundText(p) ?? `tolerance ${fixed(c.limit, 3)}`})`,
  };
}

/** The checks with a paired comparison behind them (decision significance). */
export const pairedChecks = (s: Summary): Check[] =>
  (Array.isArray(s.checks) ? s.checks : []).filter((c) => c.kind === 'drop' && c.paired);

/** The confidence level of the paired intervals (0.95 unless the summary says otherwise). */
export const pairedLevel = (s: Summary): number =>
  pairedChecks(s).find((c) => c.paired?.ci)?.paired?.ci?.level ?? 0.95;

/**
 * The paired comparison (decision significance): each metric on the videos both runs parsed (parse rate:
 * both answered), with the two-sided bootstrap interval of the delta, the exact McNemar p-value, and in the
 * verdict cell the one-sided bootstrap bound the verdict rests on (src/verdict/significance.ts: pass reads the lower
 * bound against -tolerance, regression the upper bound, improvement the lower bound against 0). These paired
 * numbers differ from each run's headline figures, which are computed on everything each run parsed.
 * The comment shows these rows in its verdict table (verdict.ts); this whole table is for other callers.
 */
export function significanceTable(s: Summary): string {
  const rows = pairedChecks(s).map((c) => {
    const r = pairedRow(c);
    return [r.metric, r.n, r.baseline, r.candidate, r.delta, r.ci, r.p, r.verdict];
  });
  if (rows.length === 0) return '';
  const level = pairedLevel(s);
  return [
    '**Paired against the baseline** (bootstrap interval of the delta, exact McNemar test; each verdict with the one-sided bound it rests on):',
    '',
    table(
      [
        'Metric',
        'videos',
        'baseline',
        'candidate',
        'delta',
        `${Math.round(level * 100)}% interval`,
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
    `    line "accuracy" [${acc.join(', ')}]`,
    `    line "Pearson" [${r.join(', ')}]`,
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
