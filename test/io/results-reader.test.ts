import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults, readResultsIfPresent, truncateTorn } from '../../src/io/results-reader.js';
import { ResultsFile } from '../../src/io/results-file.js';
import { row } from '../helpers/rows.js';
import { useTmp } from '../helpers/tmp.js';

const tmp = useTmp();
const line = (r: unknown): string => `${JSON.stringify(r)}\n`;

/** A results file written by the real writer, as a killed run leaves it. */
function written(dir: string, rows: ReturnType<typeof row>[]): string {
  const path = join(dir, 'results.jsonl');
  const file = new ResultsFile(path);
  for (const r of rows) file.append(r);
  file.close();
  return path;
}

describe('readResults', () => {
  it('reads the rows the writer wrote, in order', () => {
    const rows = [
      row(3, 3, { url: 'https://v.test/a.mp4' }),
      row(4, null, { url: 'https://v.test/b.mp4' }),
    ];
    const got = readResults(written(tmp(), rows));
    expect(got).toEqual({ rows, tornLastLine: false, problems: [], duplicates: 0 });
  });

  it('drops a last line cut short mid-write, and truncateTorn cuts it off the file', () => {
    const path = written(tmp(), [row(3, 3, { url: 'https://v.test/a.mp4' })]);
    const whole = readFileSync(path, 'utf8');
    const next = line(row(2, 2, { url: 'https://v.test/b.mp4' }));
    appendFileSync(path, next.slice(0, 40));
    const got = readResults(path);
    expect(got.tornLastLine).toBe(true);
    expect(got.problems).toEqual([]);
    expect(got.rows.map((r) => r.video_url)).toEqual(['https://v.test/a.mp4']);
    expect(truncateTorn(path)).toBe(40);
    expect(readFileSync(path, 'utf8')).toBe(whole);
    expect(truncateTorn(path)).toBe(0);
  });

  it('treats a complete row without its newline as torn (an append would run into it)', () => {
    const dir = tmp();
    const path = join(dir, 'r.jsonl');
    const a = line(row(3, 3, { url: 'https://v.test/a.mp4' }));
    writeFileSync(path, a + JSON.stringify(row(1, 1, { url: 'https://v.test/b.mp4' })));
    expect(readResults(path)).toMatchObject({ tornLastLine: true, problems: [] });
    truncateTorn(path);
    expect(readFileSync(path, 'utf8')).toBe(a);
  });

  it('treats an invalid last line that has a newline as torn (NUL padding after a crash)', () => {
    const path = join(tmp(), 'r.jsonl');
    const a = line(row(3, 3, { url: 'https://v.test/a.mp4' }));
    writeFileSync(path, `${a}\u0000\u0000\u0000\n`);
    expect(readResults(path)).toMatchObject({ tornLastLine: true, problems: [] });
    expect(truncateTorn(path)).toBe(4);
    expect(readFileSync(path, 'utf8')).toBe(a);
  });

  it('a file that is only a torn line has no rows and truncates to empty', () => {
    const path = join(tmp(), 'r.jsonl');
    writeFileSync(path, '{"video_url": "https://v.te');
    expect(readResults(path)).toEqual({
      rows: [],
      tornLastLine: true,
      problems: [],
      duplicates: 0,
    });
    truncateTorn(path);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('an invalid line before the last is a problem naming the file and line', () => {
    const path = join(tmp(), 'r.jsonl');
    const a = line(row(3, 3, { url: 'https://v.test/a.mp4' }));
    const b = line(row(2, 2, { url: 'https://v.test/b.mp4' }));
    writeFileSync(path, `${a}{oops\n${b}`);
    const got = readResults(path);
    expect(got.tornLastLine).toBe(false);
    expect(got.rows).toHaveLength(2);
    expect(got.problems).toHaveLength(1);
    expect(got.problems[0]).toContain(`results file ${path} line 2: not valid JSON`);
    // Only a torn last line is cut: a damaged middle is left for a person to look at.
    expect(truncateTorn(path)).toBe(0);
  });

  it('rows without the recipe keys are problems naming the line and the keys', () => {
    const path = join(tmp(), 'r.jsonl');
    writeFileSync(
      path,
      line({ video_url: 'https://v.test/a.mp4', ground_truth: 3, output_text: '3' }) +
        line({ video_url: '', ground_truth: '3', output_text: 3, pred_score: 3 }) +
        line([1, 2]) +
        line(row(2, 2, { url: 'https://v.test/b.mp4' })),
    );
    const got = readResults(path);
    expect(got.rows.map((r) => r.video_url)).toEqual(['https://v.test/b.mp4']);
    expect(got.problems).toEqual([
      `results file ${path} line 1: missing or invalid pred_score (a number or null)`,
      `results file ${path} line 2: missing or invalid video_url (a non-empty string), ground_truth (a number), output_text (a string or null)`,
      `results file ${path} line 3: expected a JSON object, got an array`,
    ]);
  });

  it('accepts the recipe-only keys, and keeps the last row of a video written twice', () => {
    const path = join(tmp(), 'r.jsonl');
    const failed = row(3, null, { url: 'https://v.test/a.mp4', error: true });
    const retried = row(3, 4, { url: 'https://v.test/a.mp4' });
    const recipe = {
      video_url: 'https://v.test/c.mp4',
      ground_truth: 5,
      output_text: '5',
      pred_score: 5,
    };
    writeFileSync(path, line(failed) + line(recipe) + '\n' + line(retried));
    const got = readResults(path);
    expect(got.rows).toEqual([recipe, retried]);
    expect(got.duplicates).toBe(1);
    expect(got.problems).toEqual([]);
  });

  it('names the file when it cannot be read; readResultsIfPresent gives null for no file', () => {
    const path = join(tmp(), 'absent.jsonl');
    expect(() => readResults(path)).toThrow(`cannot read results file ${path}`);
    expect(readResultsIfPresent(path)).toBeNull();
  });
});
