import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalItem } from '../../src/core/types.js';
import { ResultsFile } from '../../src/io/results-file.js';
import { readResults, truncateTorn } from '../../src/io/results-reader.js';
import { planResume } from '../../src/resume/plan.js';
import { row } from '../helpers/rows.js';
import { useTmp } from '../helpers/tmp.js';

const tmp = useTmp();

const item = (k: number, gt = 3): EvalItem => ({
  index: k,
  videoUrl: `https://v.test/${k}.mp4`,
  requestUrl: `https://v.test/${k}.mp4`,
  groundTruth: gt,
  meta: {},
});
const items = [item(0), item(1), item(2), item(3), item(4)];
const url = (k: number) => `https://v.test/${k}.mp4`;

describe('planResume', () => {
  it('keeps answered rows (parsed or not), retries failed ones, scores the rest', () => {
    const existing = [
      row(3, 3, { url: url(0) }),
      row(3, null, { url: url(1) }),
      row(3, null, { url: url(2), error: true }),
    ];
    const plan = planResume(existing, items, true);
    expect(plan.keep.map((r) => r.video_url)).toEqual([url(0), url(1)]);
    expect(plan.todo.map((i) => i.index)).toEqual([2, 3, 4]);
    expect(plan.retried).toBe(1);
    expect(plan.dropped).toBe(0);
    expect(plan.reason).toBe(
      'resuming: 2 of 5 videos already scored, 3 to do (1 failed earlier and are retried)',
    );
  });

  it('starts afresh when the settings differ, and says so', () => {
    const plan = planResume([row(3, 3, { url: url(0) })], items, false);
    expect(plan.keep).toEqual([]);
    expect(plan.todo).toEqual(items);
    expect(plan.dropped).toBe(1);
    expect(plan.reason).toContain('the settings differ');
  });

  it('without previous rows, everything is to do', () => {
    const plan = planResume([], items, true);
    expect(plan.todo).toEqual(items);
    expect(plan.reason).toBe('no previous results: scoring every video');
  });

  it('drops rows outside the selection and rows whose ground truth changed', () => {
    const existing = [
      row(3, 3, { url: url(0) }),
      row(5, 5, { url: url(1) }),
      row(3, 3, { url: 'https://v.test/elsewhere.mp4' }),
    ];
    const plan = planResume(existing, items, true);
    expect(plan.keep.map((r) => r.video_url)).toEqual([url(0)]);
    expect(plan.todo.map((i) => i.index)).toEqual([1, 2, 3, 4]);
    expect(plan.dropped).toBe(2);
    expect(plan.reason).toContain('1 have a different ground truth now');
    expect(plan.reason).toContain('1 previous rows are not in this selection');
  });

  it('a finished run leaves nothing to do', () => {
    const existing = items.map((i) => row(3, 4, { url: i.videoUrl }));
    const plan = planResume(existing, items, true);
    expect(plan.todo).toEqual([]);
    expect(plan.keep).toHaveLength(5);
  });
});

describe('resume after a kill at 50% (results file on disk)', () => {
  it('the rerun has only the other half to do, and appends cleanly after the torn line', () => {
    const many = Array.from({ length: 10 }, (_, k) => item(k));
    const path = join(tmp(), 'results.jsonl');
    const file = new ResultsFile(path);
    for (const it of many.slice(0, 5)) file.append(row(3, 3, { url: it.videoUrl }));
    file.close();
    appendFileSync(path, JSON.stringify(row(3, 3, { url: url(5) })).slice(0, 30));

    const read = readResults(path);
    expect(read.tornLastLine).toBe(true);
    const plan = planResume(read.rows, many, true);
    expect(plan.todo.map((i) => i.index)).toEqual([5, 6, 7, 8, 9]);

    truncateTorn(path);
    appendFileSync(path, `${JSON.stringify(row(3, 4, { url: url(5) }))}\n`);
    const after = readResults(path);
    expect(after).toMatchObject({ tornLastLine: false, problems: [] });
    expect(after.rows).toHaveLength(6);
  });
});
