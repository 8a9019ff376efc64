/**
 * The invariants every fault test checks over the files a run left: every video's obtained outcome is in
 * results.jsonl exactly once and the summary counts the same lines; a run that is broken (incomplete, or
 * more failed requests than max-error-rate allows) never ends as a model verdict, let alone `pass`.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ResultRow } from '../../src/core/types.js';
import type { Summary } from '../../src/core/summary.js';
import { normalizeVideoUrl } from '../../src/core/video-url.js';
import { readResults, readSummary } from './results.js';

/**
 * results.jsonl against summary.json and the dataset's URLs: one line per video the summary counts, no video
 * twice, no video that is not in the dataset, errors counted as written, a complete run holding every video,
 * and no model verdict for a broken run.
 */
export function expectAccounted(
  files: { resultsPath: string; summaryPath: string },
  datasetUrls: Iterable<string>,
  maxErrorRate = 0.05,
): { rows: ResultRow[]; summary: Summary } {
  const rows = readResults(files.resultsPath);
  const summary = readSummary(files.summaryPath);
  const wanted = new Set([...datasetUrls].map((u) => normalizeVideoUrl(u)));
  const seen = new Set<string>();
  for (const r of rows) {
    const url = normalizeVideoUrl(r.video_url);
    expect(seen.has(url), `video twice in results.jsonl: ${url}`).toBe(false);
    seen.add(url);
    expect(wanted.has(url), `video not in the dataset: ${url}`).toBe(true);
  }
  expect(rows.length, 'results.jsonl lines = summary.num_videos').toBe(summary.num_videos);
  expect(rows.filter((r) => r.error !== null).length, 'error rows = summary.num_errors').toBe(
    summary.num_errors,
  );
  if (summary.complete) expect(rows.length, 'a complete run holds every video').toBe(wanted.size);
  if (!summary.complete || summary.error_rate > maxErrorRate + 1e-9) {
    expect(summary.verdict, `broken run: ${summary.reasons.join('; ')}`).toBe('error');
  }
  if (summary.verdict === 'pass') {
    expect(summary.complete).toBe(true);
    expect(summary.error_rate).toBeLessThanOrEqual(maxErrorRate + 1e-9);
  }
  return { rows, summary };
}

/** Fails the current test if any promise rejection went unhandled in this process while it ran. */
export function noUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => void seen.push(reason);
  beforeAll(() => void process.on('unhandledRejection', listener));
  afterAll(() => void process.off('unhandledRejection', listener));
  afterEach(() => {
    const got = seen.splice(0).map((r) => (r instanceof Error ? r.stack : String(r)));
    expect(got, 'unhandled rejections').toEqual([]);
  });
}
