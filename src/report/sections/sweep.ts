/**
 * A checkpoint sweep in the report: one row per checkpoint (its own metrics with their intervals, the parse
 * rate, the deltas to the baseline, the paired comparison with the best), and a chart of both metrics across
 * the steps marking the best and the checkpoints the paired tests cannot tell from it. In the workflow_run
 * pattern sweep.json comes from an artifact like summary.json: every name is escaped, every number checked.
 */
import type { SweepSummary } from '../../sweep/summary.js';
import { delta, fixed, isNum, NBSP, percent } from '../format.js';
import { inline, table } from '../text.js';

type Row = SweepSummary['rows'][number];

const METRIC = { accuracy: 'accuracy', pearson: 'Pearson' } as const;

/** Most checkpoints a report lists (a sweep of hundreds is summarised, sweep.json has them all). */
const MAX_ROWS = 60;

const interval = (x: unknown): string =>
  Array.isArray(x) && isNum(x[0]) && isNum(x[1])
    ? `${x[0].toFixed(3)}${NBSP}…${NBSP}${x[1].toFixed(3)}`
    : '—';

const withInterval = (value: unknown, ci: unknown): string =>
  isNum(value) ? `${value.toFixed(4)} (${interval(ci)})` : '—';

function mark(r: Row): string {
  if (r.status !== 'ok') return '⚠️ error';
  if (r.best) return '★ best';
  return r.indistinguishable ? '≈ best' : '';
}

/** The best minus this checkpoint on the videos both scored: the number the set was decided on. */
function versusBest(r: Row, by: SweepSummary['select_by']): string {
  const v = r.versus_best;
  if (!v) return r.best ? '—' : '';
  if (by === 'accuracy') {
    const p = isNum(v.mcnemar_p)
      ? v.mcnemar_p < 0.0001
        ? `<${NBSP}0.0001`
        : v.mcnemar_p.toFixed(4)
      : '—';
    return `${fixed(v.accuracy_delta)}, p${NBSP}${p}`;
  }
  return `${fixed(v.pearson_delta)} (${interval(v.pearson_interval)})`;
}

function cells(r: Row, by: SweepSummary['select_by']): string[] {
  return [
    mark(r),
    inline(r.name, 60),
    isNum(r.step) ? String(r.step) : '—',
    withInterval(r.accuracy, r.accuracy_interval),
    withInterval(r.pearson, r.pearson_interval),
    percent(r.parse_rate),
    r.status === 'ok' ? delta(r.accuracy_delta, true) : inline(r.error ?? 'error', 160),
    r.status === 'ok' ? delta(r.pearson_delta, true) : '',
    versusBest(r, by),
  ];
}

/** An x-axis label Mermaid cannot misread: the step, else the name, as letters, digits, `_ . -` only. */
function label(r: Row): string {
  const base = isNum(r.step)
    ? String(r.step)
    : String(r.name)
        .replace(/[^A-Za-z0-9_.-]/g, '')
        .slice(0, 16) || '?';
  return `"${base}${r.best ? ' ★' : r.indistinguishable ? ' ≈' : ''}"`;
}

const point = (x: unknown): string => (isNum(x) ? x.toFixed(4) : '0');

/**
 * Accuracy and Pearson across the checkpoints that produced a result (Mermaid xychart-beta, as the trend
 * chart), with a bar at the select-by value of each checkpoint in the indistinguishable set.
 */
export function sweepChart(s: SweepSummary): string {
  const rows = s.rows.filter((r) => r.status === 'ok').slice(0, MAX_ROWS);
  if (rows.length < 2) return '';
  const by = s.select_by === 'pearson' ? 'pearson' : 'accuracy';
  const values = rows.flatMap((r) => [r.accuracy, r.pearson]).filter(isNum);
  const low = Math.min(0, ...values);
  return [
    '```mermaid',
    'xychart-beta',
    `    title "Accuracy and Pearson by step (★ best by ${METRIC[by]}, ≈ indistinguishable; bars: that set)"`,
    `    x-axis [${rows.map(label).join(', ')}]`,
    `    y-axis ${low < 0 ? Math.floor(low * 10) / 10 : 0} --> 1`,
    `    bar [${rows.map((r) => (r.indistinguishable ? point(r[by]) : '0')).join(', ')}]`,
    `    line "accuracy" [${rows.map((r) => point(r.accuracy)).join(', ')}]`,
    `    line "Pearson" [${rows.map((r) => point(r.pearson)).join(', ')}]`,
    '```',
  ].join('\n');
}

/** The sweep's section: the pick in one sentence, the table, the rule, and the chart when `charts`. */
export function sweepSection(s: SweepSummary, charts: boolean): string {
  const rows = Array.isArray(s.rows) ? s.rows : [];
  const by = s.select_by === 'pearson' ? 'pearson' : 'accuracy';
  const failed = rows.filter((r) => r.status !== 'ok').length;
  const set = rows.filter((r) => r.indistinguishable && !r.best).map((r) => inline(r.name, 60));
  const best = rows.find((r) => r.best);
  const pick = best
    ? `Best by ${METRIC[by]}: **${inline(best.name, 60)}** (${inline(best.path, 200)}); the verdict above is its own against the baseline. ${set.length > 0 ? `The paired tests cannot tell it from ${set.join(', ')}: take the set, not the one winner, as the answer.` : 'The paired tests show it better than every other checkpoint.'}`
    : 'No checkpoint produced a result.';
  const shown = rows.slice(0, MAX_ROWS);
  const body = table(
    [
      '',
      'checkpoint',
      'step',
      `accuracy (${percent(1 - (isNum(s.alpha) ? s.alpha : 0.05), 0)} interval)`,
      'Pearson (interval)',
      'parse rate',
      'Δ accuracy vs baseline',
      'Δ Pearson vs baseline',
      by === 'accuracy' ? 'best − this: accuracy, McNemar p' : 'best − this: Pearson (interval)',
    ],
    shown.map((r) => cells(r, by)),
  );
  const chart = charts ? sweepChart(s) : '';
  return [
    `**Checkpoint sweep**: ${rows.length} checkpoints${failed > 0 ? `, ${failed} without a result` : ''}. ${pick}`,
    '',
    body,
    ...(rows.length > shown.length
      ? ['', `… ${rows.length - shown.length} more in sweep.json.`]
      : []),
    '',
    `<sub>${inline(s.rule, 300)}; intervals: accuracy Wilson, Pearson Fisher z.</sub>`,
    ...(chart ? ['', chart] : []),
  ].join('\n');
}
