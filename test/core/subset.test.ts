import { describe, expect, it } from 'vitest';
import { stratifiedSubset } from '../../src/core/subset.js';
import type { EvalItem } from '../../src/core/types.js';

const items: EvalItem[] = Array.from({ length: 1000 }, (_, i) => {
  const gt =
    1 +
    ((i * 7) % 10 < 1 ? 0 : (i * 7) % 10 < 3 ? 1 : (i * 7) % 10 < 6 ? 2 : (i * 7) % 10 < 9 ? 3 : 4);
  return {
    index: i,
    videoUrl: `https://v.test/${i}.mp4`,
    requestUrl: `https://v.test/${i}.mp4`,
    groundTruth: gt,
    meta: {},
  };
});
const share = (xs: EvalItem[], s: number) =>
  xs.filter((x) => x.groundTruth === s).length / xs.length;

describe('stratifiedSubset', () => {
  it('returns exactly `limit` items, in dataset order, with each score keeping its share', () => {
    const sub = stratifiedSubset(items, 300, 0);
    expect(sub).toHaveLength(300);
    expect(sub.map((x) => x.index)).toEqual([...sub.map((x) => x.index)].sort((a, b) => a - b));
    for (const s of [1, 2, 3, 4, 5])
      expect(Math.abs(share(sub, s) - share(items, s))).toBeLessThanOrEqual(1 / 300);
  });

  it('is deterministic for a seed, different across seeds, and independent of row order', () => {
    const a = stratifiedSubset(items, 100, 3).map((x) => x.videoUrl);
    expect(stratifiedSubset(items, 100, 3).map((x) => x.videoUrl)).toEqual(a);
    expect(stratifiedSubset(items, 100, 4).map((x) => x.videoUrl)).not.toEqual(a);
    const shuffled = [...items].reverse();
    expect(new Set(stratifiedSubset(shuffled, 100, 3).map((x) => x.videoUrl))).toEqual(new Set(a));
  });

  it('limit 0 or >= size means everything', () => {
    expect(stratifiedSubset(items, 0, 0)).toBe(items);
    expect(stratifiedSubset(items, 5000, 0)).toBe(items);
  });

  it('rounds by largest remainder so tiny strata are not lost', () => {
    const sub = stratifiedSubset(items, 10, 0);
    expect(sub).toHaveLength(10);
    expect(new Set(sub.map((x) => x.groundTruth)).size).toBe(5);
  });
});
