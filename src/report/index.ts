/** The report: a pure function from a run's summary, rows and baseline to GitHub markdown. */
export { SUMMARY_LIMIT, renderComment, renderReport, type RenderOptions } from './render.js';
export { forTerminal, inline, safeHref, truncate } from './text.js';
export type { ListSizes, ReportBaseline, ReportInput, ReportLinks } from './types.js';
