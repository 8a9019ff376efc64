import type { Summary } from '../../core/summary.js';
import type { Check } from '../../verdict/threshold.js';
import { DASH, count, delta, fixed, isNum, percent } from '../format.js';
import { inline, table } from '../text.js';
import { pairedLevel, pairedRow } from './significance.js';

type Metric = Check['metric'];

const METRICS: readonly {
  metric: Metric;
  name: string;
  key: keyof NonNullable<Summary['baseline']>;
}[] = [
  { metric: 'accuracy', name: 'Accuracy', key: 'accuracy' },
  { metric: 'pearson', name: 'Pearson', key: 'pearson_correlation' },
  { metric: 'parse_rate', name: 'Parse rate', key: 'parse_rate' },
];

const diff = (candidate: unknown, baseline: unknown): number | null =>
  isNum(candidate) && isNum(baseline) ? candidate - baseline : null;

function checksOf(s: Summary, metric: Metric): Check[] {
  return (Array.isArray(s.checks) ? s.checks : []).filter((c) => c.metric === metric);
}

/** A floor check in words, appended to the row's verdict: `floor 0.300 **not met**`. */
function floorText(c: Check): string {
  return `floor ${fixed(c.limit, 3)}${c.ok === true ? '' : ' **not met**'}`;
}

/** A drop check without a paired comparison (threshold mode): pass or regression against the tolerance. */
function dropText(c: Check): string {
  return `${c.ok === true ? 'pass' : '**regression**'} (tolerance ${fixed(c.limit, 3)})`;
}

function candidateValue(s: Summary, metric: Metric): string {
  if (metric === 'pearson' && !isNum(s.pearson_correlation)) {
    return `undefined (${inline(s.pearson_undefined ?? 'n/a', 120)})`;
  }
  const value =
    metric === 'accuracy'
      ? s.accuracy
      : metric === 'pearson'
        ? s.pearson_correlation
        : s.parse_rate;
  return fixed(value);
}

/**
 * The one table above the fold: metric | baseline | candidate | delta | interval | p | verdict. A metric with
 * a paired comparison (decision significance) shows the paired numbers (on the videos both runs parsed);
 * otherwise the run's own figures and the threshold check. Failed requests get a row only when there were
 * some, on either side (`baselineErrors` is known only when the baseline kept per-video predictions).
 */
export function verdictTable(s: Summary, baselineErrors?: number): string {
  const level = Math.round(pairedLevel(s) * 100);
  let anyPaired = false;
  const rows: string[][] = [];
  for (const { metric, name, key } of METRICS) {
    const checks = checksOf(s, metric);
    const drop = checks.find((c) => c.kind === 'drop');
    const floors = checks.filter((c) => c.kind === 'floor').map(floorText);
    if (drop?.paired) {
      anyPaired = true;
      const p = pairedRow(drop);
      rows.push([
        name,
        p.baseline,
        p.candidate,
        p.delta,
        p.ci,
        p.p,
        [p.verdict, ...floors].join('; '),
      ]);
      continue;
    }
    const base = s.baseline?.[key];
    // Parse rate without a baseline or a check says nothing a reader needs above the fold.
    if (metric === 'parse_rate' && !drop && floors.length === 0 && s.parse_rate === 1) continue;
    rows.push([
      name,
      fixed(base),
      candidateValue(s, metric),
      delta(diff(s[metric === 'pearson' ? 'pearson_correlation' : metric], base), true),
      DASH,
      DASH,
      [...(drop ? [dropText(drop)] : []), ...floors].join('; '),
    ]);
  }
  const errors = isNum(s.num_errors) ? s.num_errors : 0;
  if (errors > 0 || (baselineErrors ?? 0) > 0) {
    rows.push([
      'Failed requests',
      baselineErrors === undefined ? DASH : count(baselineErrors),
      `${count(errors)} (${percent(s.error_rate)})`,
      baselineErrors === undefined ? '' : delta(diff(errors, baselineErrors), false, 0),
      DASH,
      DASH,
      '',
    ]);
  }
  const out = [
    table(['Metric', 'Baseline', 'Candidate', 'Delta', `${level}% interval`, 'p', 'Verdict'], rows),
  ];
  if (anyPaired) {
    out.push(
      '',
      `<sub>Paired on the videos both runs parsed: ${level}% bootstrap interval of the delta, exact McNemar p for accuracy.</sub>`,
    );
  }
  return out.join('\n');
}
