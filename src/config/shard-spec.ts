/** Which part of the work a matrix job does: shard `i` of `n`, 1-based as users count matrix jobs. */
export interface ShardSpec {
  i: number;
  n: number;
}

const SHAPE = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;

/**
 * The `shard` input: `i/n` with 1 <= i <= n, e.g. `2/4` (in a workflow: `${{ matrix.shard }}/4`).
 * Empty means no sharding and gives null.
 */
export function parseShard(text: string): ShardSpec | null {
  if (text.trim() === '') return null;
  const m = SHAPE.exec(text);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(i) || !Number.isSafeInteger(n)) {
    throw new Error(`'shard' input must be i/n with whole numbers, e.g. 2/4, but got '${text}'`);
  }
  if (n < 1)
    throw new Error(
      `'shard' input must have at least 1 shard (i/n with n >= 1), but got '${text}'`,
    );
  if (i < 1 || i > n) {
    throw new Error(
      `'shard' input must have 1 <= i <= n (shards are numbered from 1), but got '${text}'`,
    );
  }
  return { i, n };
}

export const formatShard = (s: ShardSpec): string => `${s.i}/${s.n}`;
