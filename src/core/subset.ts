import { createHash } from 'node:crypto';
import type { EvalItem } from './types.js';

/** A stable pseudo-random rank for a video under a seed; independent of row order and of other rows. */
function rank(seed: number, videoUrl: string): string {
  return createHash('sha256').update(`${seed}\u0000${videoUrl}`).digest('hex');
}

/**
 * Deterministic subset of `limit` items, stratified by ground-truth score: each score keeps its share of the
 * dataset (largest-remainder rounding), and within a score the items with the smallest hash rank under `seed`
 * are taken. The same dataset, limit and seed always give the same videos, in dataset order.
 */
export function stratifiedSubset(items: EvalItem[], limit: number, seed: number): EvalItem[] {
  if (limit <= 0 || limit >= items.length) return items;
  const strata = new Map<number, EvalItem[]>();
  for (const item of items) {
    const group = strata.get(item.groundTruth) ?? [];
    group.push(item);
    strata.set(item.groundTruth, group);
  }
  const scores = [...strata.keys()].sort((a, b) => a - b);
  const exact = scores.map((s) => ((strata.get(s)?.length ?? 0) * limit) / items.length);
  const quota = exact.map(Math.floor);
  let left = limit - quota.reduce((a, b) => a + b, 0);
  // Hand out the remaining slots by largest fractional part; ties go to the lower score (deterministic).
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    quota[i] = (quota[i] ?? 0) + 1;
    left--;
  }
  const chosen = new Set<number>();
  scores.forEach((score, i) => {
    const group = (strata.get(score) ?? [])
      .map((item) => ({ item, r: rank(seed, item.videoUrl) }))
      .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
    for (const { item } of group.slice(0, quota[i])) chosen.add(item.index);
  });
  return items.filter((item) => chosen.has(item.index));
}
