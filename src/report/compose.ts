import { commentMarker } from '../github/comment-marker.js';
import { compare, type Comparison } from './compare.js';
import { count } from './format.js';
import { breakdownTables, worseSlices } from './sections/breakdowns.js';
import { changeLists } from './sections/changes.js';
import { confusionTable, distributionChart } from './sections/distribution.js';
import { headline } from './sections/headline.js';
import { trendChart } from './sections/significance.js';
import { footer, settingsDiff, settingsTable } from './sections/settings.js';
import { sweepSection } from './sections/sweep.js';
import { verdictTable } from './sections/verdict.js';
import { breakdowns, type Breakdown } from './slices.js';
import { details } from './text.js';
import type { ListSizes, ReportInput } from './types.js';

/** The gate's allowed accuracy drop: a slice that dropped more than the whole run may is marked worse. */
function tolerance(input: ReportInput): number {
  const check = input.summary.checks?.find((c) => c.metric === 'accuracy' && c.kind === 'drop');
  return typeof check?.limit === 'number' && Number.isFinite(check.limit) ? check.limit : 0.02;
}

/** What the renders share: the per-video analysis is done once, whatever the list sizes. */
export interface Analysis {
  comparison?: Comparison;
  breakdowns: Breakdown[];
}

export function analyse(input: ReportInput): Analysis {
  const predictions = input.baseline?.predictions;
  if (!predictions || predictions.length === 0) return { breakdowns: [] };
  const comparison = compare(input.rows, predictions);
  if (comparison.pairs.length === 0) return { comparison, breakdowns: [] };
  return { comparison, breakdowns: breakdowns(comparison.pairs, tolerance(input)) };
}

/** The per-video line under the verdict table: how many flipped, and which slices got worse. */
function perVideoLine(c: Comparison, list: Breakdown[], numVideos: unknown): string {
  const worse = worseSlices(list, 5);
  const total = list.reduce((n, b) => n + b.slices.filter((s) => s.worse).length, 0);
  // The paired count only when it is not the run's own size (already in the line above the table).
  const paired = c.pairs.length === numVideos ? '' : ` (${count(c.pairs.length)} paired)`;
  const parts = [
    `Per video against the baseline${paired}: **${count(c.newlyWrong.length)} newly wrong**, ${count(c.newlyRight.length)} newly right.`,
  ];
  if (worse.length > 0) {
    parts.push(
      ` Worse slices: ${worse.join('; ')}${total > worse.length ? `; … ${count(total - worse.length)} more` : ''}.`,
    );
  }
  return parts.join('');
}

function coverage(c: Comparison): string[] {
  const notes: string[] = [];
  if (c.candidateOnly > 0 || c.baselineOnly > 0) {
    notes.push(
      `${count(c.candidateOnly)} videos of this run are not in the baseline and ${count(c.baselineOnly)} baseline videos are not in this run; only the ${count(c.pairs.length)} in both are compared.`,
    );
  }
  if (c.truthMismatch > 0) {
    notes.push(
      `⚠️ ${count(c.truthMismatch)} paired videos have a different human score in the baseline (another dataset revision?).`,
    );
  }
  return notes;
}

/**
 * The whole report for given list sizes. Above the fold: the verdict line, one table (verdict.ts) and the
 * per-video flip line; everything else folded, and no number shown twice. Every section is complete
 * markdown on its own.
 */
export function compose(input: ReportInput, analysis: Analysis, sizes: ListSizes): string {
  const s = input.summary;
  const c = analysis.comparison;
  const out = [
    commentMarker(input.tag),
    headline(s, { reasons: 'table' }),
    '',
    verdictTable(s, c?.baselineErrors),
  ];
  if (c && c.pairs.length > 0) out.push('', perVideoLine(c, analysis.breakdowns, s.num_videos));
  if (input.sweep) out.push('', sweepSection(input.sweep, sizes.charts));
  const diff = settingsDiff(s, input.baseline);
  if (diff.length > 0) {
    out.push(
      '',
      `⚠️ Not like for like: the baseline differs in ${diff.length === 1 ? 'one setting' : `${diff.length} settings`} (see Run settings).`,
    );
  }
  if (sizes.charts) {
    out.push(
      '',
      details(
        'Confusion matrix and score distribution',
        `${distributionChart(s)}\n\n${confusionTable(s)}`,
      ),
    );
  }
  if (analysis.breakdowns.length > 0) {
    const worse = analysis.breakdowns.reduce(
      (n, b) => n + b.slices.filter((x) => x.worse).length,
      0,
    );
    out.push(
      '',
      details(
        `Accuracy by generator, category and difficulty (${worse === 0 ? 'no slice worse' : `${count(worse)} ${worse === 1 ? 'slice' : 'slices'} worse`})`,
        breakdownTables(analysis.breakdowns, sizes.slices),
      ),
    );
  }
  if (c && c.pairs.length > 0) {
    out.push(
      '',
      details('Videos that changed', [...coverage(c), changeLists(c, sizes.changes)].join('\n\n')),
    );
  } else if (input.baseline && !input.baseline.predictions?.length) {
    out.push('', 'The baseline has no per-video predictions, so no per-video comparison.');
  }
  const trend = trendChart(input.baseline?.history, s);
  if (trend && sizes.charts) out.push('', details('Trend across checkpoints', trend));
  out.push('', details('Run settings', settingsTable(s, input.baseline)));
  const links = footer(input.links);
  if (links) out.push('', links);
  return out.join('\n') + '\n';
}

/**
 * Sizes to try, largest first: the lists shrink, then the charts go. The last one holds no list at all;
 * what remains (headline, a few reasons, the metrics table, settings) is a few kilobytes whatever the input.
 */
export function* shrinking(start: ListSizes): Generator<ListSizes> {
  let { changes, slices } = start;
  yield start;
  while (changes > 0) {
    changes = Math.floor(changes / 2);
    yield { ...start, changes };
  }
  while (slices > 0) {
    slices = Math.floor(slices / 2);
    yield { ...start, changes, slices };
  }
  yield { changes: 0, slices: 0, charts: false };
}
