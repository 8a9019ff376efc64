import { describe, expect, it } from 'vitest';
import { checkShardsCover, type ShardResults } from '../../src/shard/cover.js';
import { selectShard } from '../../src/shard/select.js';
import { settings } from '../helpers/settings.js';

const urls = Array.from({ length: 40 }, (_, k) => `https://v.test/${k}.mp4`);
const items = urls.map((videoUrl) => ({ videoUrl }));

/** The results of shard i/n as a finished matrix job leaves them. */
function shard(i: number, n: number, extra: Partial<ShardResults> = {}): ShardResults {
  const mine = selectShard(items, i, n).map((x) => x.videoUrl);
  return {
    label: `shard-${i}`,
    settings,
    shard: { i, n },
    rows: mine.map((video_url) => ({ video_url })),
    itemsUrls: mine,
    ...extra,
  };
}

const three = () => [shard(1, 3), shard(2, 3), shard(3, 3)];

describe('checkShardsCover', () => {
  it('finds nothing wrong with complete shards, with or without the selection', () => {
    expect(checkShardsCover({ shards: three() })).toEqual([]);
    expect(checkShardsCover({ shards: three(), selectionUrls: urls })).toEqual([]);
    expect(
      checkShardsCover({ shards: three().reverse(), selectionUrls: [...urls].reverse() }),
    ).toEqual([]);
  });

  it('names the keys when a shard ran with different settings', () => {
    const odd = shard(2, 3, { settings: { ...settings, model: 'other', fps: 8 } });
    expect(checkShardsCover({ shards: [shard(1, 3), odd, shard(3, 3)] })).toEqual([
      'shard 2/3 (shard-2) was run with different settings than shard 1/3 (shard-1): model: "nvidia/Cosmos-Reason2-8B" -> "other"; fps: 16 -> 8',
    ]);
  });

  it('names missing shard indices', () => {
    expect(checkShardsCover({ shards: [shard(1, 4), shard(3, 4)] })).toEqual([
      "missing shards 2/4, 4/4: every shard's results directory is needed for a merge",
    ]);
  });

  it('with the selection, a missing shard also shows as videos without a result', () => {
    const problems = checkShardsCover({ shards: [shard(1, 2)], selectionUrls: urls });
    expect(problems[0]).toBe(
      "missing shard 2/2: every shard's results directory is needed for a merge",
    );
    expect(problems[1]).toMatch(
      /^20 of 40 videos of the dataset selection have no result in any shard: 'https/,
    );
  });

  it('names a shard given twice and shard counts that disagree', () => {
    expect(checkShardsCover({ shards: [shard(1, 2), shard(1, 2), shard(2, 2)] })).toContain(
      'shard 1/2 is given more than once: shard 1/2 (shard-1), shard 1/2 (shard-1)',
    );
    expect(checkShardsCover({ shards: [shard(1, 2), shard(2, 3)] })).toContain(
      'the shards disagree on the number of shards (2 vs 3): shard 1/2 (shard-1), shard 2/3 (shard-2)',
    );
  });

  it('names a video that has results in two shards', () => {
    const s1 = shard(1, 2);
    const s2 = shard(2, 2);
    const stray = s1.itemsUrls[0] as string;
    const s2b = { ...s2, rows: [...s2.rows, { video_url: stray }] };
    const problems = checkShardsCover({ shards: [s1, s2b] });
    expect(problems).toContain(
      `1 video has results in more than one shard (e.g. '${stray}' in shard 1/2 (shard-1) and shard 2/2 (shard-2))`,
    );
    expect(problems).toContain(
      `shard 2/2 (shard-2) has 1 result for videos it was not given: '${stray}'`,
    );
  });

  it('names a shard that stopped early', () => {
    const s2 = shard(2, 2);
    const cut = { ...s2, rows: s2.rows.slice(2) };
    const missing = s2.itemsUrls
      .slice(0, 2)
      .map((u) => `'${u}'`)
      .join(', ');
    expect(checkShardsCover({ shards: [shard(1, 2), cut] })).toEqual([
      `shard 2/2 (shard-2) has no result for 2 of its 20 videos (the job stopped early?): ${missing}`,
    ]);
  });

  it('finds shards made from a different selection (e.g. another limit)', () => {
    const fewer = urls.slice(0, 30).map((videoUrl) => ({ videoUrl }));
    const mine = selectShard(fewer, 2, 2).map((x) => x.videoUrl);
    const other = {
      ...shard(2, 2),
      rows: mine.map((video_url) => ({ video_url })),
      itemsUrls: mine,
    };
    const problems = checkShardsCover({ shards: [shard(1, 2), other], selectionUrls: urls });
    expect(
      problems.some((p) => p.startsWith('shard 2/2 (shard-2) was given a different set of videos')),
    ).toBe(true);
    expect(
      problems.some((p) => /videos of the dataset selection have no result in any shard/.test(p)),
    ).toBe(true);
  });

  it('names results outside the selection, and a run that was not sharded', () => {
    const s2 = shard(2, 2);
    const foreign = { ...s2, rows: [...s2.rows, { video_url: 'https://v.test/x.mp4' }] };
    expect(checkShardsCover({ shards: [shard(1, 2), foreign], selectionUrls: urls })).toContain(
      "1 result is for videos outside the dataset selection: 'https://v.test/x.mp4'",
    );
    expect(checkShardsCover({ shards: [{ ...shard(1, 1), shard: null, label: 'out' }] })).toEqual([
      'results #1 (out) was not a sharded run (no shard i/n recorded)',
    ]);
    expect(checkShardsCover({ shards: [] })).toEqual(['no shard results to merge']);
  });
});
