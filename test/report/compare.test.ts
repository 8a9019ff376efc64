import { describe, expect, it } from 'vitest';
import type { BaselinePrediction } from '../../src/core/baseline.js';
import { compare } from '../../src/report/compare.js';
import { breakdowns } from '../../src/report/slices.js';
import { row } from '../helpers/rows.js';

const url = (i: number): string => `https://v.example/${i}.mp4`;
const base = (i: number, gt: number, pred: number | null, error = false): BaselinePrediction => ({
  video_url: url(i),
  ground_truth: gt,
  pred_score: pred,
  ...(error ? { error: true } : {}),
});
const cand = (i: number, gt: number, pred: number | null, opts: { error?: boolean } = {}) => ({
  ...row(gt, pred, { url: url(i), ...opts }),
  index: i,
});

describe('compare', () => {
  it('classifies flips; failed requests are never newly wrong or newly right', () => {
    const c = compare(
      [
        cand(0, 3, 1), // right -> wrong
        cand(1, 3, null), // right -> unparsed: newly wrong (the model stopped answering)
        cand(2, 3, 3), // wrong -> right
        cand(3, 3, 3), // unparsed -> right
        cand(4, 3, null, { error: true }), // right -> failed request: not the model
        cand(5, 3, 3), // failed before -> right: not a fix
        cand(6, 3, 3), // right -> right
        cand(7, 3, 3), // not in the baseline
      ],
      [
        base(0, 3, 3),
        base(1, 3, 3),
        base(2, 3, 5),
        base(3, 3, null),
        base(4, 3, 3),
        base(5, 3, null, true),
        base(6, 3, 3),
        base(99, 3, 3), // not in this run
      ],
    );
    expect(c.pairs).toHaveLength(7);
    expect(c.candidateOnly).toBe(1);
    expect(c.baselineOnly).toBe(1);
    expect(c.baselineErrors).toBe(1);
    // Worst miss first: unparsed counts as the farthest.
    expect(c.newlyWrong.map((p) => p.row.index)).toEqual([1, 0]);
    expect(c.newlyRight.map((p) => p.row.index)).toEqual([3, 2]);
    // Every move here is a flip, already listed: moves are only the videos wrong both times.
    expect(c.moves).toEqual([]);
  });

  it('orders moves (wrong both times, another score) by size, then by dataset position', () => {
    const c = compare(
      [cand(0, 3, 2), cand(1, 3, 5), cand(2, 3, 4), cand(3, 3, 1), cand(4, 3, 3), cand(5, 3, 1)],
      [base(0, 3, 1), base(1, 3, 1), base(2, 3, 1), base(3, 3, 5), base(4, 3, 1), base(5, 3, 3)],
    );
    // 4 and 5 flipped (newly right, newly wrong): listed there, not again as moves.
    expect(c.newlyRight.map((p) => p.row.index)).toEqual([4]);
    expect(c.newlyWrong.map((p) => p.row.index)).toEqual([5]);
    expect(c.moves.map((p) => p.row.index)).toEqual([1, 3, 2, 0]);
  });

  it('matches by URL only once, and counts changed human scores', () => {
    const c = compare(
      [cand(0, 2, 2), cand(0, 2, 2), cand(1, 4, 4)],
      [base(0, 3, 3), base(1, 4, 4)],
    );
    expect(c.pairs).toHaveLength(2);
    expect(c.truthMismatch).toBe(1);
  });
});

describe('breakdowns', () => {
  const meta = (gen: string, hard: string) => ({ model_name: gen, category: 'c', is_hard: hard });
  const rows = [
    { ...cand(0, 3, 1), meta: meta('a', '1') },
    { ...cand(1, 3, 3), meta: meta('a', '1') },
    { ...cand(2, 3, 3), meta: meta('b', 'false') },
    { ...cand(3, 3, 3), meta: {} },
  ];
  const preds = [base(0, 3, 3), base(1, 3, 3), base(2, 3, 1), base(3, 3, 3)];

  it('computes accuracy per slice on both sides, worst first, worse beyond the tolerance', () => {
    const [gen, cat, hard] = breakdowns(compare(rows, preds).pairs, 0.02, 1);
    expect(gen!.column).toBe('model_name');
    expect(gen!.slices).toEqual([
      {
        label: 'a',
        videos: 2,
        baseline: 1,
        candidate: 0.5,
        delta: -0.5,
        newlyWrong: 1,
        newlyRight: 0,
        worse: true,
        small: false,
      },
      {
        label: 'b',
        videos: 1,
        baseline: 0,
        candidate: 1,
        delta: 1,
        newlyWrong: 0,
        newlyRight: 1,
        worse: false,
        small: false,
      },
    ]);
    expect(cat!.slices).toHaveLength(1);
    expect(hard!.slices.map((s) => s.label)).toEqual(['hard', 'not hard']);
  });

  it('never ranks a slice under the minimum size as worse, and lists it last', () => {
    // 25 videos of `big` (one flip to wrong: -0.04) and 5 of `tiny` (all five right to wrong: -1).
    const many = Array.from({ length: 30 }, (_, i) => ({
      ...cand(i, 3, i === 0 || i >= 25 ? 1 : 3),
      meta: { model_name: i < 25 ? 'big' : 'tiny' },
    }));
    const truth = Array.from({ length: 30 }, (_, i) => base(i, 3, 3));
    const [gen] = breakdowns(compare(many, truth).pairs, 0.02);
    expect(gen!.slices.map((s) => [s.label, s.videos, s.worse, s.small])).toEqual([
      ['big', 25, true, false],
      ['tiny', 5, false, true],
    ]);
    expect(gen!.slices[1]!.delta).toBe(-1);
  });

  it('a drop within the tolerance is not worse', () => {
    const [gen] = breakdowns(compare(rows, preds).pairs, 0.5, 1);
    expect(gen!.slices[0]!.worse).toBe(false);
  });

  it('leaves out columns no row has', () => {
    expect(breakdowns(compare([cand(0, 3, 3)], [base(0, 3, 3)]).pairs, 0.02)).toEqual([]);
  });
});
