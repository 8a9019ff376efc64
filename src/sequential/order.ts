import { createHash } from 'node:crypto';
import type { EvalItem } from '../core/types.js';

/** Kept apart from the subset's and the shards' ranks: which videos a run has and the order it scores them are unrelated. */
const DOMAIN = 'videophy-gate/look-order';

function rank(seed: number, videoUrl: string): string {
  return createHash('sha256').update(`${DOMAIN}\u0000${seed}\u0000${videoUrl}`).digest('hex');
}

/**
 * The order a stop-early run scores its videos in: seeded and random within each human score, and
 * interleaved so that every prefix holds each score in its share of the run (within one video). Each look
 * (design.ts) then reads a representative sample, not the easy videos or one score's: the k-th video of a
 * score holding s of the n videos sits at (k + 1/2) / s of the way, and the order is by that position. The
 * same items and seed always give the same order, whatever the row order.
 */
export function lookOrder<T extends Pick<EvalItem, 'videoUrl' | 'groundTruth'>>(
  items: readonly T[],
  seed: number,
): T[] {
  const strata = new Map<number, { item: T; r: string }[]>();
  for (const item of items) {
    const group = strata.get(item.groundTruth) ?? [];
    group.push({ item, r: rank(seed, item.videoUrl) });
    strata.set(item.groundTruth, group);
  }
  const placed: { item: T; at: number; score: number; r: string }[] = [];
  for (const [score, group] of strata) {
    group.sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
    group.forEach(({ item, r }, k) =>
      placed.push({ item, at: (k + 0.5) / group.length, score, r }),
    );
  }
  placed.sort((a, b) => a.at - b.at || a.score - b.score || (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
  return placed.map((p) => p.item);
}
