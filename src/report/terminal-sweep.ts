import type { SweepSummary } from '../sweep/summary.js';
import { fixed, isNum } from './format.js';
import { plain } from './terminal.js';

const ci = (x: unknown): string =>
  Array.isArray(x) && isNum(x[0]) && isNum(x[1]) ? `[${x[0].toFixed(3)}, ${x[1].toFixed(3)}]` : '';

/** The sweep for a terminal: one aligned line per checkpoint, `*` the best, `~` indistinguishable from it. */
export function renderSweepTerminal(s: SweepSummary): string {
  const rows = Array.isArray(s.rows) ? s.rows : [];
  const width = Math.max(10, ...rows.map((r) => plain(r.name, 40).length));
  const lines = rows.map((r) => {
    const tag = r.status !== 'ok' ? '!' : r.best ? '*' : r.indistinguishable ? '~' : ' ';
    const name = plain(r.name, 40).padEnd(width);
    if (r.status !== 'ok') return `${tag} ${name}  error: ${plain(r.error, 160)}`;
    return `${tag} ${name}  accuracy ${fixed(r.accuracy)} ${ci(r.accuracy_interval).padEnd(16)}  Pearson ${fixed(r.pearson)} ${ci(r.pearson_interval).padEnd(16)}  ${plain(r.verdict, 20)}`;
  });
  return [
    `checkpoint sweep (best by ${plain(s.select_by, 10)}: * best, ~ indistinguishable from it, ! no result)`,
    ...lines,
  ].join('\n');
}
