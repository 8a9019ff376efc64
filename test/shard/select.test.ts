import { describe, expect, it } from 'vitest';
import { selectShard, shardAssignment } from '../../src/shard/select.js';

const items = Array.from({ length: 101 }, (_, k) => ({
  videoUrl: `https://v.test/video-${k}.mp4`,
  index: k,
}));

describe('selectShard', () => {
  it('covers every item exactly once across the shards, sizes within one', () => {
    for (const n of [1, 2, 3, 4, 7]) {
      const shards = Array.from({ length: n }, (_, k) => selectShard(items, k + 1, n));
      const all = shards.flat().map((x) => x.index);
      expect(all.sort((a, b) => a - b)).toEqual(items.map((x) => x.index));
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('keeps the input order inside a shard', () => {
    const shard = selectShard(items, 2, 3).map((x) => x.index);
    expect(shard).toEqual([...shard].sort((a, b) => a - b));
  });

  it('does not depend on row order: a reordered dataset gives the same shard', () => {
    const reversed = [...items].reverse();
    for (let i = 1; i <= 4; i++) {
      const a = selectShard(items, i, 4)
        .map((x) => x.videoUrl)
        .sort();
      const b = selectShard(reversed, i, 4)
        .map((x) => x.videoUrl)
        .sort();
      expect(b).toEqual(a);
    }
  });

  it('is not a slice by position', () => {
    const first = selectShard(items, 1, 2).map((x) => x.index);
    expect(first).not.toEqual(items.slice(0, first.length).map((x) => x.index));
    expect(first).not.toEqual(items.filter((x) => x.index % 2 === 0).map((x) => x.index));
  });

  it('1/1 is everything; an empty list gives empty shards', () => {
    expect(selectShard(items, 1, 1)).toEqual(items);
    expect(selectShard([], 2, 3)).toEqual([]);
    expect(shardAssignment([], 3)).toEqual([]);
  });

  it('refuses an impossible shard', () => {
    expect(() => selectShard(items, 0, 2)).toThrow('shard 0/2: expected 1 <= i <= n');
    expect(() => selectShard(items, 3, 2)).toThrow('shard 3/2');
    expect(() => shardAssignment([], 0)).toThrow('shard count must be a whole number >= 1, got 0');
  });
});
