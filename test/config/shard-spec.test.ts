import { describe, expect, it } from 'vitest';
import { formatShard, parseShard } from '../../src/config/shard-spec.js';

describe('parseShard', () => {
  it.each([
    ['1/1', { i: 1, n: 1 }],
    ['2/4', { i: 2, n: 4 }],
    [' 4 / 4 ', { i: 4, n: 4 }],
  ])('%j is %j', (text, want) => {
    expect(parseShard(text)).toEqual(want);
    expect(formatShard(want)).toBe(text.replace(/\s/g, ''));
  });

  it('empty means no sharding', () => {
    expect(parseShard('')).toBeNull();
    expect(parseShard('  ')).toBeNull();
  });

  it.each([
    ['0/4', /'shard' input must have 1 <= i <= n .* got '0\/4'/],
    ['5/4', /'shard' input must have 1 <= i <= n .* got '5\/4'/],
    ['1/0', /'shard' input must have at least 1 shard .* got '1\/0'/],
    ['2', /'shard' input must be i\/n with whole numbers, e.g. 2\/4, but got '2'/],
    ['1.5/4', /'shard' input must be i\/n .* got '1.5\/4'/],
    ['-1/4', /'shard' input must be i\/n .* got '-1\/4'/],
    ['a/b', /'shard' input must be i\/n .* got 'a\/b'/],
    ['1/99999999999999999999', /'shard' input must be i\/n with whole numbers/],
  ])('%j is refused, naming the input and the value', (text, message) => {
    expect(() => parseShard(text)).toThrow(message);
  });
});
