import type { Summary } from '../../core/summary.js';
import { count, isNum } from '../format.js';
import { table } from '../text.js';

const SCORES = [1, 2, 3, 4, 5] as const;

/** Human bars, candidate line: CSS names, so no `#` (an issue reference outside a code block) appears. */
const PALETTE = 'steelblue, darkorange';

/** Only finite non-negative numbers reach a table or the chart: nothing else can end a code block. */
const cellValue = (x: unknown): number => (isNum(x) && x >= 0 ? Math.round(x) : 0);

function counts(xs: unknown): number[] {
  return SCORES.map((_, i) => cellValue(Array.isArray(xs) ? (xs as unknown[])[i] : undefined));
}

/** Ground truth rows x prediction columns, the diagonal (agreement) in bold. */
export function confusionTable(s: Summary): string {
  const m = Array.isArray(s.confusion_matrix) ? s.confusion_matrix : [];
  const rows = SCORES.map((gt, i) => {
    const line = counts(m[i]);
    return [
      `**${gt}**`,
      ...line.map((n, j) => (i === j ? `**${count(n)}**` : count(n))),
      count(line.reduce((a, b) => a + b, 0)),
    ];
  });
  const predicted = counts(s.predicted_distribution);
  rows.push(['total', ...predicted.map(count), count(predicted.reduce((a, b) => a + b, 0))]);
  return [
    table(['human ↓ · candidate →', ...SCORES.map(String), 'total'], rows),
    '',
    `Parsed replies only; ${count(s.num_unparsed)} unparsed and ${count(s.num_errors)} failed requests are not in the matrix.`,
  ].join('\n');
}

/** A tick above the tallest bar, on a round number, so the chart does not touch its frame. */
function axisMax(values: number[]): number {
  const top = Math.max(1, ...values);
  const step = 10 ** Math.max(0, Math.floor(Math.log10(top)) - 1);
  return Math.ceil((top * 1.1) / step) * step;
}

/**
 * Human vs candidate score counts as a Mermaid xychart that GitHub renders: bars for the human scores, a line
 * for the candidate's, both named so Mermaid (11.x, `showLegend` on by default) draws a legend. Mermaid's
 * xychart has no grouped bars (two bar series are drawn on top of each other), hence a line for the second.
 * The counts themselves are the confusion matrix's totals, so no table repeats them here.
 */
export function distributionChart(s: Summary): string {
  const human = counts(s.human_distribution);
  const model = counts(s.predicted_distribution);
  return [
    '```mermaid',
    // The default palette draws the first series in a pale lavender that the light theme nearly hides:
    // a mid blue and an orange read on both GitHub themes (frontmatter config, Mermaid >= 10.5).
    '---',
    'config:',
    '  themeVariables:',
    '    xyChart:',
    `      plotColorPalette: "${PALETTE}"`,
    '---',
    'xychart-beta',
    '    title "Videos per score (parsed replies)"',
    `    x-axis "score" [${SCORES.map((n) => `"${n}"`).join(', ')}]`,
    `    y-axis "videos" 0 --> ${axisMax([...human, ...model])}`,
    `    bar "human" [${human.join(', ')}]`,
    `    line "candidate" [${model.join(', ')}]`,
    '```',
  ].join('\n');
}
