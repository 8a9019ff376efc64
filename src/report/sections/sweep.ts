/**
 * A checkpoint sweep in the report: one row per checkpoint (its own metrics with their intervals, the parse
 * rate, the deltas to the baseline, the paired comparison with the best), and a chart of both metrics across
 * the steps marking the best and the checkpoints the paired tests cannot tell from it. In the workflow_run
 * pattern sweep.json comes from an artifact like summary.json: every name is escaped, every number checked.
 */
import type { SweepSummary } from '../../sweep/summary.js';
import { delta, isNum, NBSP, percent, signed } from '../format.js';
import { inline, table } from '../text.js';

type Row = SweepSummary['rows'][number];

const METRIC = { accuracy: 'accuracy', pearson: 'Pearson' } as const;

/** Most checkpoints a report lists (a sweep of hundreds is summarised, sweep.json has them all). */
const MAX_ROWS = 60;

const interval = (x: unknown, sign = false): string =>
  Array.isArray(x) && isNum(x[0]) && isNum(x[1])
    ? sign
      ? `${signed(x[0], 3)}${NBSP}…${NBSP}${signed(x[1], 3)}`
      : `${x[0].toFixed(3)}${NBSP}…${NBSP}${x[1].toFixed(3)}`
    : '—';

const withInterval = (value: unknown, ci: unknown): string =>
  isNum(value) ? `${value.toFixed(4)} (${interval(ci)})` : '—';

function mark(r: Row): string {
  if (r.status !== 'ok') return '⚠️ error';
  if (r.best) return '★ best';
  return r.indistinguishable ? '≈ best' : '';
}

const pValue = (p: unknown): string =>
  isNum(p) ? (p < 0.0001 ? `<${NBSP}0.0001` : p.toFixed(4)) : '—';

/**
 * The best minus this checkpoint on the videos both scored, both paired tests: accuracy with McNemar's p,
 * Pearson with its bootstrap interval (at the comparison's level). The set was decided on select-by's.
 */
function versusBest(r: Row): [string, string] {
  const v = r.versus_best;
  if (!v) return r.best ? ['—', '—'] : ['', ''];
  return [
    `${signed(v.accuracy_delta)}, p${NBSP}${pValue(v.mcnemar_p)}`,
    `${signed(v.pearson_delta)} (${interval(v.pearson_interval, true)})`,
  ];
}

function cells(r: Row): string[] {
  return [
    mark(r),
    inline(r.name, 60),
    isNum(r.step) ? String(r.step) : '—',
    withInterval(r.accuracy, r.accuracy_interval),
    withInterval(r.pearson, r.pearson_interval),
    percent(r.parse_rate),
    r.status === 'ok' ? delta(r.accuracy_delta, true) : inline(r.error ?? 'error', 160),
    r.status === 'ok' ? delta(r.pearson_delta, true) : '',
    ...versusBest(r),
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

/** A value of the chart; an undefined one (Pearson of constant replies, a bar outside the set) at the floor. */
const point = (x: unknown, floor: number): string => (isNum(x) ? x.toFixed(4) : floor.toFixed(1));

/**
 * Accuracy and Pearson across the checkpoints that produced a result (Mermaid xychart-beta, as the trend
 * chart), with a bar at the select-by value of each checkpoint in the indistinguishable set (the best's
 * included). Labels and title carry no name: steps, or names reduced to letters and digits.
 */
export function sweepChart(s: SweepSummary): string {
  const rows = s.rows.filter((r) => r.status === 'ok').slice(0, MAX_ROWS);
  if (rows.length < 2) return '';
  const by = s.select_by === 'pearson' ? 'pearson' : 'accuracy';
  const values = rows.flatMap((r) => [r.accuracy, r.pearson]).filter(isNum);
  if (values.length === 0) return '';
  // The axis spans the data (to the next 0.1), so a few points' difference is visible; a bar outside the
  // set stands at the axis' floor, i.e. is not drawn.
  const low = Math.max(-1, Math.floor(Math.min(...values) * 10 - 1e-9) / 10);
  const high = Math.min(1, Math.ceil(Math.max(...values) * 10 + 1e-9) / 10);
  return [
    '```mermaid',
    'xychart-beta',
    '    title "Accuracy and Pearson by step (★ best, ≈ indistinguishable)"',
    `    x-axis [${rows.map(label).join(', ')}]`,
    `    y-axis ${low.toFixed(1)} --> ${high.toFixed(1)}`,
    `    bar [${rows.map((r) => point(r.indistinguishable ? r[by] : null, low)).join(', ')}]`,
    `    line "accuracy" [${rows.map((r) => point(r.accuracy, low)).join(', ')}]`,
    `    line "Pearson" [${rows.map((r) => point(r.pearson, low)).join(', ')}]`,
    '```',
  ].join('\n');
}

/** How the verdict above allows for the pick (src/sweep/best-verdict.ts), when it had to. */
function pickNote(s: SweepSummary): string {
  const d = s.best_decision as
    { picked_from?: unknown; alpha?: unknown; uncorrected?: unknown } | undefined;
  if (!d || !isNum(d.picked_from)) return '';
  if (typeof d.uncorrected === 'string')
    return `, not corrected for being the best of ${d.picked_from} (${inline(d.uncorrected, 200)})`;
  return isNum(d.alpha)
    ? `, with pass and improvement decided at alpha ${Number(d.alpha.toPrecision(3))} because it is the best of ${d.picked_from} (a pick flatters its own numbers)`
    : '';
}

/** The sweep's section: the pick in one sentence, the table, the rule, and the chart when `charts`. */
export function sweepSection(s: SweepSummary, charts: boolean): string {
  const rows = Array.isArray(s.rows) ? s.rows : [];
  const by = s.select_by === 'pearson' ? 'pearson' : 'accuracy';
  const failed = rows.filter((r) => r.status !== 'ok').length;
  const set = rows.filter((r) => r.indistinguishable && !r.best).map((r) => inline(r.name, 60));
  const best = rows.find((r) => r.best);
  const pick = best
    ? `Best by ${METRIC[by]}: **${inline(best.name, 60)}** (${inline(best.path, 200)}); the verdict above is its own against the baseline${pickNote(s)}. ${set.length > 0 ? `The paired tests cannot tell it from ${set.join(', ')}: take the set, not the one winner, as the answer.` : 'The paired tests show it better than every other checkpoint.'}`
    : 'No checkpoint produced a result.';
  const shown = rows.slice(0, MAX_ROWS);
  const level = percent(1 - (isNum(s.alpha) ? s.alpha : 0.05), 0);
  const body = table(
    [
      '',
      'checkpoint',
      'step',
      `accuracy (${level} interval)`,
      `Pearson (${level} interval)`,
      'parse rate',
      'Δ accuracy vs baseline',
      'Δ Pearson vs baseline',
      'best − this: accuracy, McNemar p',
      `best − this: Pearson (${isNum(s.comparison_level) ? percent(s.comparison_level) : '—'} interval)`,
    ],
    shown.map(cells),
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
