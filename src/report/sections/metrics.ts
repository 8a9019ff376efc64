import type { Summary } from '../../core/summary.js';
import type { Check } from '../../core/verdict.js';
import { DASH, count, delta, fixed, isNum, percent } from '../format.js';
import { inline, table } from '../text.js';

function status(s: Summary, metric: Check['metric']): string {
  const related = (Array.isArray(s.checks) ? s.checks : []).filter((c) => c.metric === metric);
  if (related.length === 0) return '';
  return related.every((c) => c.ok === true) ? 'ok' : '**fail**';
}

const diff = (candidate: unknown, baseline: unknown): number | null =>
  isNum(candidate) && isNum(baseline) ? candidate - baseline : null;

/**
 * metric | baseline | candidate | delta | check. `baselineErrors` is known only when the baseline kept
 * per-video predictions.
 */
export function metricsTable(s: Summary, baselineErrors?: number): string {
  const b = s.baseline;
  const pearson = isNum(s.pearson_correlation)
    ? fixed(s.pearson_correlation)
    : `undefined (${inline(s.pearson_undefined ?? 'n/a', 120)})`;
  const rows = [
    [
      'Accuracy',
      fixed(b?.accuracy),
      fixed(s.accuracy),
      delta(diff(s.accuracy, b?.accuracy), true),
      status(s, 'accuracy'),
    ],
    [
      'Pearson',
      fixed(b?.pearson_correlation),
      pearson,
      delta(diff(s.pearson_correlation, b?.pearson_correlation), true),
      status(s, 'pearson'),
    ],
    [
      'Parse rate',
      fixed(b?.parse_rate),
      fixed(s.parse_rate),
      delta(diff(s.parse_rate, b?.parse_rate), true),
      status(s, 'parse_rate'),
    ],
    ['Samples (parsed)', b ? count(b.num_samples) : DASH, count(s.num_samples), '', ''],
    [
      'Errors',
      baselineErrors === undefined ? DASH : count(baselineErrors),
      `${count(s.num_errors)} (${percent(s.error_rate)})`,
      baselineErrors === undefined ? '' : delta(diff(s.num_errors, baselineErrors), false, 0),
      '',
    ],
  ];
  return table(['Metric', 'Baseline', 'Candidate', 'Delta', 'Check'], rows);
}
