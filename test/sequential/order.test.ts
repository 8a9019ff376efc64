import { describe, expect, it } from 'vitest';
import { lookOrder } from '../../src/sequential/order.js';
import { lookSchedule, sequentialDesign } from '../../src/sequential/design.js';
import { evalItems } from '../helpers/rows.js';

describe('lookOrder: the seeded, stratified order a stop-early run scores in', () => {
  // Uneven strata, as VideoPhy-2's human scores are.
  const items = evalItems(997).map((it, i) => ({
    ...it,
    groundTruth: [1, 2, 2, 3, 3, 3, 4, 4, 5][i % 9]!,
  }));

  it('every prefix holds each human score in its share of the run, within one video', () => {
    const order = lookOrder(items, 7);
    expect(new Set(order.map((i) => i.videoUrl)).size).toBe(items.length);
    const total = new Map<number, number>();
    for (const it of items) total.set(it.groundTruth, (total.get(it.groundTruth) ?? 0) + 1);
    const seen = new Map<number, number>();
    order.forEach((it, k) => {
      seen.set(it.groundTruth, (seen.get(it.groundTruth) ?? 0) + 1);
      for (const [score, n] of total) {
        const share = ((k + 1) * n) / items.length;
        expect(Math.abs((seen.get(score) ?? 0) - share)).toBeLessThanOrEqual(1.5);
      }
    });
  });

  it('is the same for the same seed whatever the row order, and another for another seed', () => {
    const a = lookOrder(items, 7).map((i) => i.videoUrl);
    const b = lookOrder([...items].reverse(), 7).map((i) => i.videoUrl);
    expect(b).toEqual(a);
    const c = lookOrder(items, 8).map((i) => i.videoUrl);
    expect(c).not.toEqual(a);
    // Random within a score: not the dataset order.
    const ones = a.filter((u) => items.find((i) => i.videoUrl === u)?.groundTruth === 1);
    const sorted = [...ones].sort(
      (x, y) => Number(x.match(/\d+/)?.[0]) - Number(y.match(/\d+/)?.[0]),
    );
    expect(ones).not.toEqual(sorted);
  });
});

describe('the look schedule', () => {
  it('every 5% of the full set, fewer looks for small runs, the last on every video', () => {
    const full = lookSchedule(3397);
    expect(full).toHaveLength(20);
    expect(full[0]).toEqual({ index: 1, videos: 170, fraction: 170 / 3397 });
    expect(full.at(-1)?.videos).toBe(3397);
    expect(lookSchedule(300).map((l) => l.videos)).toEqual([50, 100, 150, 200, 250, 300]);
    expect(lookSchedule(40)).toEqual([{ index: 1, videos: 40, fraction: 1 }]);
    for (let i = 1; i < full.length; i++)
      expect(full[i]!.videos - full[i - 1]!.videos).toBeGreaterThanOrEqual(50);
    expect(() => lookSchedule(0)).toThrow(/at least 1/);
  });

  it('one look is the fixed-size test; the last boundary of 20 looks stays within 0.15 of it', () => {
    expect(sequentialDesign(40).boundary(0.05, 1)).toBeCloseTo(1.6449, 4);
    const d = sequentialDesign(3397);
    const last = d.boundary(0.025, 20);
    expect(last).toBeGreaterThan(1.96);
    expect(last - 1.96).toBeLessThan(0.15);
    expect(() => d.boundary(0.05, 21)).toThrow(/not one of the 20/);
  });
});
