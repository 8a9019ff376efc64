import { createHash } from 'node:crypto';

/** Kept apart from the subset's rank (core/subset.ts) so which videos a subset keeps and how they are dealt out are unrelated. */
const DOMAIN = 'videophy-gate/shard';

function rank(videoUrl: string): string {
  return createHash('sha256').update(`${DOMAIN}\u0000${videoUrl}`).digest('hex');
}

/**
 * The 0-based shard of each video: videos sorted by a hash of their URL are dealt out in turn, so every
 * video lands in exactly one shard, shards differ in size by at most one (the slowest matrix job sets the
 * wall time), and the result does not depend on row order. Equal URLs (not expected: the dataset
 * selection drops duplicates) fall back to input order so the function stays total.
 */
export function shardAssignment(videoUrls: readonly string[], n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`shard count must be a whole number >= 1, got ${n}`);
  const order = videoUrls
    .map((url, pos) => ({ pos, r: rank(url) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : a.pos - b.pos));
  const shardOf = new Array<number>(videoUrls.length);
  order.forEach(({ pos }, k) => {
    shardOf[pos] = k % n;
  });
  return shardOf;
}

/** The items of shard `i` of `n` (1-based), in their original order. */
export function selectShard<T extends { videoUrl: string }>(
  items: readonly T[],
  i: number,
  n: number,
): T[] {
  if (!Number.isSafeInteger(i) || i < 1 || i > n)
    throw new Error(`shard ${i}/${n}: expected 1 <= i <= n`);
  const shardOf = shardAssignment(
    items.map((item) => item.videoUrl),
    n,
  );
  return items.filter((_, pos) => shardOf[pos] === i - 1);
}
