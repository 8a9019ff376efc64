import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runningSummary } from '../core/summary.js';
import { writeJsonFile } from './json-file.js';

/** The files of one run in its output directory (what is set aside together). */
const RUN_FILES = ['results.jsonl', 'run.json', 'report.md'];

/**
 * Mark the run as under way: summary.json becomes `verdict: error, state: running` (atomically), so no
 * stale verdict survives a crash. The finished summary it replaces is kept as summary.previous.json (and
 * goes with its results if those are set aside); it is returned, or null.
 */
export function markRunning(outputDir: string, startedAt: Date): string | null {
  const path = join(outputDir, 'summary.json');
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : null;
  const finished = previous !== null && !/"state":\s*"running"/.test(previous);
  if (finished) writeFileSync(join(outputDir, 'summary.previous.json'), previous);
  writeJsonFile(path, runningSummary(startedAt));
  return finished ? previous : null;
}

/**
 * Move a previous run's files out of the way, never deleting them: into
 * `previous/<when>-<why>/` under the output directory. Returns that directory.
 */
export function setAside(
  outputDir: string,
  why: string,
  when: Date,
  previousSummary: string | null,
): string {
  const stamp = when.toISOString().replace(/[:.]/g, '-');
  const slug =
    why
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'other';
  let dir = join(outputDir, 'previous', `${stamp}-${slug}`);
  for (let i = 2; existsSync(dir); i++) dir = join(outputDir, 'previous', `${stamp}-${slug}-${i}`);
  mkdirSync(dir, { recursive: true });
  for (const name of RUN_FILES) {
    const from = join(outputDir, name);
    if (existsSync(from)) renameSync(from, join(dir, name));
  }
  if (previousSummary !== null) writeFileSync(join(dir, 'summary.json'), previousSummary);
  return dir;
}
