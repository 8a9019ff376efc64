import { count, delta, fixed } from '../format.js';
import { MIN_SLICE_VIDEOS, type Breakdown, type Slice } from '../slices.js';
import { inline, table } from '../text.js';

function row(s: Slice): string[] {
  return [
    `${s.worse ? '🔻 ' : ''}${inline(s.label, 80)}${s.small ? ' (small)' : ''}`,
    count(s.videos),
    fixed(s.baseline),
    fixed(s.candidate),
    delta(s.delta, true),
    `${count(s.newlyWrong)} / ${count(s.newlyRight)}`,
  ];
}

/** One table per column, worst slice first, at most `maxRows` rows each. */
export function breakdownTables(list: readonly Breakdown[], maxRows: number): string {
  const parts: string[] = [];
  if (list.some((b) => b.slices.some((s) => s.small))) {
    parts.push(
      `Slices of fewer than ${MIN_SLICE_VIDEOS} videos are marked (small), listed last and never counted as worse.`,
      '',
    );
  }
  for (const b of list) {
    const shown = b.slices.slice(0, maxRows);
    parts.push(`**By ${b.title.toLowerCase()}** (\`${b.column}\`)`, '');
    if (shown.length > 0) {
      parts.push(
        table(
          [b.title, 'videos', 'baseline', 'candidate', 'delta', 'newly wrong / right'],
          shown.map(row),
        ),
      );
    }
    const rest = b.slices.length - shown.length;
    if (rest > 0) {
      const hiddenWorse = b.slices.slice(shown.length).filter((s) => s.worse).length;
      parts.push(
        '',
        `… ${count(rest)} more ${rest === 1 ? 'slice' : 'slices'} not shown` +
          (hiddenWorse > 0 ? ` (${count(hiddenWorse)} of them worse)` : '') +
          '.',
      );
    }
    parts.push('');
  }
  return parts.join('\n').trimEnd();
}

/** "Generator ray2 (🔴 −0.0800)": the slices that got worse, for the compact top of the report. */
export function worseSlices(list: readonly Breakdown[], max: number): string[] {
  const worse = list.flatMap((b) => b.slices.filter((s) => s.worse).map((s) => ({ b, s })));
  worse.sort((x, y) => (x.s.delta ?? 0) - (y.s.delta ?? 0));
  return worse
    .slice(0, max)
    .map(({ b, s }) => `${b.title.toLowerCase()} ${inline(s.label, 60)} (${delta(s.delta, true)})`);
}
