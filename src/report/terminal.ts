/**
 * The report for a terminal: a compact plain-text view of a run's Summary (verdict, the metric table with
 * its intervals, the top flips, where the files are). The PR comment's markdown is for GitHub; in a
 * terminal its HTML comments, <details> and entities are noise, and the verdict would sit in the middle.
 * Pure: colour is an option the caller decides (TTY and NO_COLOR), not something read here.
 */
import type { BaselinePrediction } from '../core/baseline.js';
import type { Summary } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import type { Check, Verdict } from '../verdict/threshold.js';
import { compare, type Pair } from './compare.js';
import { isNum } from './format.js';
import { stopEarlyText } from './sections/headline.js';

export interface TerminalOptions {
  color: boolean;
  /** The candidate's rows and the baseline's per-video predictions, for the flips (optional). */
  rows?: readonly ResultRow[];
  predictions?: readonly BaselinePrediction[];
  /** Labelled paths shown under "files", in order. */
  files?: readonly { label: string; path: string }[];
  /** How many flips of each direction to list (default 5). */
  flips?: number;
}

const ANSI = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;
type Style = keyof typeof ANSI;

function painter(color: boolean): (text: string, ...styles: Style[]) => string {
  return (text, ...styles) =>
    color && styles.length > 0
      ? `${styles.map((s) => `\x1b[${ANSI[s]}m`).join('')}${text}\x1b[0m`
      : text;
}

/**
 * A string from summary.json or a results row, safe to print: the files may come from an untrusted run
 * (mode comment), and a control character could move the cursor or rewrite the terminal's title.
 */
export function plain(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : value == null ? '' : JSON.stringify(value);
  // eslint-disable-next-line no-control-regex
  const s = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const VERDICT_STYLE: Record<Verdict, Style> = {
  pass: 'green',
  improvement: 'green',
  regression: 'red',
  error: 'red',
  inconclusive: 'yellow',
  'no-baseline': 'yellow',
};

/** The closing line of every CLI run: what a script or a human scrolling up looks for. */
export function verdictLine(verdict: string, exitCode: number, color = false): string {
  const paint = painter(color);
  const style: Style = VERDICT_STYLE[verdict as Verdict] ?? 'red';
  return `verdict: ${paint(plain(verdict, 40), 'bold', style)} (exit ${exitCode})`;
}

const num = (x: unknown, digits = 4): string => (isNum(x) ? x.toFixed(digits) : '-');
const signed = (x: unknown, digits = 4): string =>
  isNum(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : '-';

const METRIC_NAME: Record<Check['metric'], string> = {
  accuracy: 'accuracy',
  pearson: 'pearson',
  parse_rate: 'parse rate',
};

function checkCells(c: Check): string[] {
  const ci = c.paired?.ci;
  const interval = ci
    ? `${signed(ci.lower, 3)} to ${signed(ci.upper, 3)} (${Math.round(ci.level * 100)}%)`
    : '-';
  const rule = c.kind === 'floor' ? `floor ${num(c.limit, 3)}` : `max drop ${num(c.limit, 3)}`;
  const status = c.paired ? c.paired.verdict : c.ok ? 'ok' : 'failed';
  return [
    METRIC_NAME[c.metric] ?? plain(c.metric, 20),
    num(c.baseline),
    num(c.candidate),
    signed(c.delta),
    interval,
    rule,
    status,
  ];
}

/** Left-aligned columns separated by two spaces (the first column of numbers right-aligned reads badly). */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function metricTable(s: Summary, paint: ReturnType<typeof painter>): string[] {
  const header = ['metric', 'baseline', 'candidate', 'delta', 'interval', 'rule', 'check'];
  const drops = s.checks.filter((c) => c.kind === 'drop');
  const floors = s.checks.filter((c) => c.kind === 'floor');
  const rows: string[][] = [...drops, ...floors].map(checkCells);
  // Without a baseline there are no drop checks: still show what was measured.
  for (const [metric, value] of [
    ['accuracy', s.accuracy],
    ['pearson', s.pearson_correlation],
    ['parse rate', s.parse_rate],
  ] as const) {
    if (!rows.some((r) => r[0] === metric))
      rows.push([metric, '-', num(value), '-', '-', '-', '-']);
  }
  const [head, ...body] = columns([header, ...rows]);
  return [
    paint(head ?? '', 'dim'),
    ...body.map((line, i) => {
      const check = rows[i]?.[6];
      return check === 'regression' || check === 'failed' ? paint(line, 'red') : line;
    }),
  ];
}

/** The end of a long URL: the file name tells videos apart, the host does not. */
const tail = (s: string, max: number): string => (s.length > max ? `…${s.slice(-(max - 1))}` : s);

const outcome = (pred: number | null): string => (pred === null ? 'unparsed' : String(pred));

function flipLines(
  title: string,
  pairs: readonly Pair[],
  n: number,
  paint: ReturnType<typeof painter>,
): string[] {
  if (pairs.length === 0) return [];
  const shown = pairs.slice(0, n).map((p) => {
    const cand = isNum(p.row.pred_score) ? p.row.pred_score : null;
    return `  #${p.row.index} human ${p.row.ground_truth}: ${outcome(p.baselinePred)} -> ${outcome(cand)}  ${tail(plain(p.row.video_url, 2048), 80)}`;
  });
  const more = pairs.length > n ? [paint(`  ... and ${pairs.length - n} more`, 'dim')] : [];
  return [`${title} (${pairs.length}):`, ...shown, ...more];
}

/** The terminal report, without the closing verdict line (the caller knows the exit status). */
export function renderTerminal(s: Summary, o: TerminalOptions): string {
  const paint = painter(o.color);
  const style = VERDICT_STYLE[s.verdict] ?? 'red';
  const lines: string[] = [];
  lines.push(
    `${paint('VideoPhy-2 gate:', 'bold')} ${paint(plain(s.verdict, 40), 'bold', style)}${s.decision ? paint(` (${s.decision} decision)`, 'dim') : ''}`,
  );
  for (const r of s.reasons ?? []) lines.push(`  - ${plain(r, 400)}`);
  const settings = s.settings ?? ({} as Partial<Summary['settings']>);
  lines.push('');
  lines.push(
    `model ${plain(settings.model ?? 'unknown', 80)} on ${plain(settings.dataset ?? 'unknown', 80)}: ${s.num_videos} videos, ${s.num_samples} parsed, ${s.num_errors} errors, ${s.num_unparsed} unparsed${s.num_skipped_rows ? `, ${s.num_skipped_rows} rows skipped` : ''}`,
  );
  if (s.baseline) {
    lines.push(
      `baseline ${plain(s.baseline.source, 120)} (${plain(s.baseline.kind, 30)}, ${s.baseline.num_samples} parsed)`,
    );
  }
  if (s.comparability && s.comparability.differences.length > 0) {
    const keys = s.comparability.differences.map((d) => plain(d.key, 40)).join(', ');
    lines.push(paint(`settings differ from the baseline's: ${keys}`, 'yellow'));
  }
  if (s.run_error) lines.push(paint(`run error: ${plain(s.run_error, 400)}`, 'red'));
  const early = stopEarlyText(s);
  if (early) lines.push(plain(early, 400));
  lines.push('');
  lines.push(...metricTable(s, paint));
  if (s.significance?.explanation) {
    lines.push('');
    lines.push(plain(s.significance.explanation, 600));
  }
  if (o.rows && o.predictions && o.predictions.length > 0) {
    const c = compare(o.rows, o.predictions);
    const n = o.flips ?? 5;
    for (const list of [
      flipLines('right before, not now', c.newlyWrong, n, paint),
      flipLines('not right before, right now', c.newlyRight, n, paint),
    ])
      if (list.length > 0) lines.push('', ...list);
  }
  if (o.files && o.files.length > 0) {
    lines.push('');
    const width = Math.max(...o.files.map((f) => f.label.length));
    for (const f of o.files) lines.push(`${f.label.padEnd(width)}  ${f.path}`);
  }
  return lines.join('\n');
}
