import { COMMENT_LIMIT, commentMarker } from '../github/comment-marker.js';
import { analyse, compose, shrinking } from './compose.js';
import { headline } from './sections/headline.js';
import { verdictTable } from './sections/verdict.js';
import type { ListSizes, ReportInput } from './types.js';

/** The job summary of one step may hold 1 MiB. */
export const SUMMARY_LIMIT = 1024 * 1024;

export interface RenderOptions {
  /** Largest allowed size, as counted by `measure`. */
  limit: number;
  measure: (markdown: string) => number;
  /** List sizes to start from (shrunk as needed). */
  sizes: ListSizes;
}

/**
 * JavaScript string length counts UTF-16 units, never fewer than the code points GitHub counts, so a body
 * that passes here passes there.
 */
const characters = (s: string): number => s.length;
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

export const COMMENT_OPTIONS: RenderOptions = {
  limit: COMMENT_LIMIT,
  measure: characters,
  sizes: { changes: 10, slices: 25, charts: true },
};

export const SUMMARY_OPTIONS: RenderOptions = {
  limit: SUMMARY_LIMIT,
  measure: utf8Bytes,
  sizes: { changes: 50, slices: 200, charts: true },
};

/**
 * Render, measure, and re-render with shorter lists until it fits: never cut, so the markup is always whole.
 * If even the list-free report does not fit (a limit far below any real one), the headline and metrics are
 * what remains.
 */
export function renderWithin(input: ReportInput, options: RenderOptions): string {
  const analysis = analyse(input);
  for (const sizes of shrinking(options.sizes)) {
    const md = compose(input, analysis, sizes);
    if (options.measure(md) <= options.limit) return md;
  }
  const note = '\n\nThe full report did not fit here; see the job summary and summary.json.\n';
  const short = `${commentMarker(input.tag)}\n${headline(input.summary)}\n\n${verdictTable(input.summary)}${note}`;
  if (options.measure(short) <= options.limit) return short;
  return `${commentMarker(input.tag)}\n${headline(input.summary).split('\n')[0] ?? ''}\n`;
}

/** The sticky pull-request comment (at most 65,536 characters). Pure. */
export function renderComment(input: ReportInput, options: Partial<RenderOptions> = {}): string {
  return renderWithin(input, { ...COMMENT_OPTIONS, ...options });
}

/** The same report for the job summary and the terminal, with longer lists (at most 1 MiB). Pure. */
export function renderReport(input: ReportInput, options: Partial<RenderOptions> = {}): string {
  return renderWithin(input, { ...SUMMARY_OPTIONS, ...options });
}
