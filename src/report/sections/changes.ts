import type { Comparison, Pair } from '../compare.js';
import { normalizeVideoUrl } from '../../core/video-url.js';
import { count, isNum, NBSP, score } from '../format.js';
import { inline, link, table } from '../text.js';

/** Sizes of the untrusted parts of one line; a line stays under about 600 characters. */
const CAPTION_MAX = 120;
const REPLY_MAX = 60;

/**
 * The URL as the gate sent it to the server (normalizeVideoUrl: unicode percent-encoded, a `#` in the file
 * name as `%23`), so the link opens the file that was scored, not what a browser makes of the raw text.
 */
function requestUrl(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return normalizeVideoUrl(raw);
  } catch {
    return null;
  }
}

function video(p: Pair): string {
  const label = isNum(p.row.index) ? `▶${NBSP}${Math.trunc(p.row.index)}` : '▶';
  return link(label, requestUrl(p.row.video_url));
}

function prediction(pred: number | null, outcome: Pair['now'], reply?: unknown): string {
  if (outcome === 'error') return 'failed';
  if (outcome === 'unparsed') {
    return typeof reply === 'string' && reply.trim() !== ''
      ? `unparsed: “${inline(reply, REPLY_MAX)}”`
      : 'unparsed';
  }
  return score(pred);
}

function line(p: Pair): string[] {
  const meta = p.row.meta ?? {};
  return [
    video(p),
    inline(meta.model_name ?? '', 40),
    inline(meta.caption ?? '', CAPTION_MAX),
    score(p.row.ground_truth),
    prediction(p.baselinePred, p.was),
    prediction(isNum(p.row.pred_score) ? p.row.pred_score : null, p.now, p.row.output_text),
  ];
}

const HEADER = ['video', 'generator', 'caption', 'human', 'baseline', 'candidate'];

function list(title: string, pairs: readonly Pair[], max: number): string {
  if (pairs.length === 0) return `**${title}**: none.`;
  const shown = pairs.slice(0, max);
  const parts = [`**${title}** (${count(pairs.length)})`];
  if (shown.length > 0) parts.push('', table(HEADER, shown.map(line)));
  if (pairs.length > shown.length) {
    parts.push('', `… ${count(pairs.length - shown.length)} more in results.jsonl.`);
  }
  return parts.join('\n');
}

/** The videos that changed most against the baseline, at most `max` per list. */
export function changeLists(c: Comparison, max: number): string {
  return [
    list('Newly wrong', c.newlyWrong, max),
    list('Newly right', c.newlyRight, max),
    list('Largest score moves among videos wrong both times', c.moves, max),
  ].join('\n\n');
}
