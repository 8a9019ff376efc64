import type { Summary } from '../../core/summary.js';
import type { Verdict } from '../../verdict/threshold.js';
import { count, duration, shortRevision } from '../format.js';
import { inline } from '../text.js';

const ICON: Record<Verdict, string> = {
  pass: '✅',
  improvement: '🚀',
  inconclusive: '🟡',
  regression: '❌',
  'no-baseline': 'ℹ️',
  error: '⚠️',
};

const TITLE: Record<Verdict, string> = {
  pass: 'pass',
  improvement: 'improvement',
  inconclusive: 'inconclusive (not enough evidence either way)',
  regression: 'regression',
  'no-baseline': 'no baseline',
  error: 'error (infrastructure, not a model result)',
};

/** Reasons are few by construction; a hostile summary.json could still carry thousands. */
const MAX_REASONS = 10;

function verdictOf(s: Summary): Verdict | undefined {
  return Object.hasOwn(ICON, s.verdict) ? s.verdict : undefined;
}

/** The evaluated selection: rows minus the invalid and duplicate ones. */
function selected(s: Summary): number {
  return s.num_rows - s.num_skipped_rows - s.num_duplicate_rows;
}

/** The verdict's reasons as list items, at most `max` (and MAX_REASONS). */
function reasonList(s: Summary, max = MAX_REASONS): string {
  const reasons = Array.isArray(s.reasons) ? s.reasons : [];
  const shown = Math.min(max, MAX_REASONS);
  const lines = reasons.slice(0, shown).map((r) => `- ${inline(r, 400)}`);
  if (reasons.length > MAX_REASONS && shown === MAX_REASONS)
    lines.push(`- … ${reasons.length - MAX_REASONS} more in summary.json`);
  return lines.join('\n');
}

/**
 * stop-early: where the verdict was reached, and what stopping saved (summary.significance.sequential).
 * Fields are checked one by one: the summary may come from a file of another version.
 */
export function stopEarlyText(s: Summary): string | null {
  const q = s.significance?.sequential;
  const numbers = q && [q.look, q.looks, q.videos, q.planned];
  if (!q || !numbers?.every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
  const where = `at look ${q.look} of ${q.looks}, on the first ${count(q.videos)} of ${count(q.planned)} videos of a seeded order stratified by human score`;
  if (!q.stopped) return `stop-early: no look before the last was certain; decided ${where}.`;
  const saved = q.saved;
  const gpu =
    saved && typeof saved.seconds === 'number'
      ? `; about ${duration(saved.seconds)} of GPU time saved (${count(saved.videos)} videos not scored, at this run's measured throughput)`
      : saved
        ? `; ${count(saved.videos)} videos not scored`
        : '';
  return `Stopped early (stop-early): decided ${where}${gpu}.`;
}

/**
 * Which reasons the comment shows: all of them for an error or a run without baseline (no table row says
 * why), the first for an inconclusive run (how many videos would decide it), none otherwise: each reason
 * of a pass, a regression or an improvement restates a row of the verdict table.
 */
const SHOWN_REASONS: Partial<Record<Verdict, number>> = {
  error: MAX_REASONS,
  'no-baseline': MAX_REASONS,
  inconclusive: 1,
};

/**
 * Title, what was evaluated, whether the run was partial and why the verdict is what it is (`reasons`:
 * 'all', or 'table' to leave out the reasons the verdict table already says, as in SHOWN_REASONS).
 */
export function headline(s: Summary, opts: { reasons?: 'all' | 'table' } = {}): string {
  const v = verdictOf(s);
  const set = s.settings;
  // Each part is capped on its own, so a long revision cannot cut the closing parenthesis.
  const asked = inline(shortRevision(set.dataset_revision), 40);
  const revision = set.dataset_resolved_revision
    ? set.dataset_resolved_revision === set.dataset_revision
      ? asked
      : `${asked} (${inline(shortRevision(set.dataset_resolved_revision), 40)})`
    : asked;
  const subset =
    set.limit > 0 ? ` (subset of ${count(selected(s))}, seed ${inline(set.subset_seed, 20)})` : '';
  // Fields of newer summaries (sharded and resumed runs); absent from older summary.json files.
  const extra = s as Partial<Pick<Summary, 'shard' | 'resumed'>>;
  const shard =
    typeof extra.shard === 'string' && extra.shard ? ` · shard ${inline(extra.shard, 40)}` : '';
  const resumed =
    typeof extra.resumed === 'number' && extra.resumed > 0
      ? ` · ${count(extra.resumed)} resumed from an earlier run`
      : '';
  const lines = [
    `### ${v ? ICON[v] : '❔'} VideoPhy-2 gate: ${v ? TITLE[v] : inline(s.verdict, 40)}`,
    '',
    `**${inline(set.model, 120)}** on ${inline(set.dataset, 120)} @ ${revision}, split ${inline(set.split, 40)} · ` +
      `${count(s.num_videos)} videos${subset} · ${duration(s.duration_s)}${shard}${resumed}`,
  ];
  const reasons = reasonList(
    s,
    opts.reasons === 'table' ? (v ? (SHOWN_REASONS[v] ?? 0) : MAX_REASONS) : MAX_REASONS,
  );
  if (reasons !== '') lines.push('', reasons);
  const early = stopEarlyText(s);
  if (early) lines.push('', `> ${early}`);
  else if (s.complete === false) {
    lines.push('', `> Partial run: ${count(s.num_videos)} of ${count(selected(s))} videos scored.`);
  }
  if (s.num_skipped_rows + s.num_duplicate_rows > 0) {
    lines.push(
      '',
      `Skipped dataset rows: ${count(s.num_skipped_rows)} invalid, ${count(s.num_duplicate_rows)} duplicate (listed in summary.json).`,
    );
  }
  return lines.join('\n');
}
