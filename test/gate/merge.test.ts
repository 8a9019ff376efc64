import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateWith, writeDataset } from '../helpers/gate.js';
import { readResults } from '../helpers/results.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';

const start = useSimulators();
const tmp = useTmp();

describe('sharded matrix jobs and mode merge', () => {
  it('two shards and one merge give one verdict equal to the unsharded run', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 120);
    const sim = await start({ answerKey: key });
    const common = { 'base-url': sim.baseUrl, dataset: path, baseline: join(dir, 'baseline.json') };
    await gateWith({
      ...common,
      'output-dir': join(dir, 'base'),
      'write-baseline': join(dir, 'baseline.json'),
    });
    const s1 = await gateWith({ ...common, shard: '1/2', 'output-dir': join(dir, 's1') });
    const s2 = await gateWith({ ...common, shard: '2/2', 'output-dir': join(dir, 's2') });
    expect(s1.outcome.summary.num_videos + s2.outcome.summary.num_videos).toBe(120);
    expect(s1.outcome.summary.shard).toBe('1/2');
    const merged = await gateWith({
      mode: 'merge',
      'results-dirs': `${join(dir, 's1')}\n${join(dir, 's2')}`,
      baseline: join(dir, 'baseline.json'),
      'output-dir': join(dir, 'merged'),
    });
    const whole = await gateWith({ ...common, 'output-dir': join(dir, 'whole') });
    expect(merged.outcome.summary).toMatchObject({
      verdict: 'pass',
      num_videos: 120,
      complete: true,
      shard: 'merged from 2 shards',
      accuracy: whole.outcome.summary.accuracy,
      pearson_correlation: whole.outcome.summary.pearson_correlation,
    });
    expect(readResults(join(dir, 'merged', 'results.jsonl'))).toHaveLength(120);
  });

  it('refuses a missing shard, a shard run twice, or shards with different settings', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 40);
    const sim = await start({ answerKey: key });
    const common = { 'base-url': sim.baseUrl, dataset: path };
    await gateWith({ ...common, shard: '1/3', 'output-dir': join(dir, 'a') });
    await gateWith({ ...common, shard: '2/3', 'output-dir': join(dir, 'b') });
    await gateWith({ ...common, shard: '3/3', 'output-dir': join(dir, 'c'), fps: '8' });
    const merge = (dirs: string[]) =>
      gateWith({
        mode: 'merge',
        'results-dirs': dirs.map((d) => join(dir, d)).join(','),
        'output-dir': join(dir, 'm'),
      });
    await expect(merge(['a', 'b'])).rejects.toThrow(/cannot merge the shards: .*3/);
    await expect(merge(['a', 'a', 'b'])).rejects.toThrow(/cannot merge the shards/);
    await expect(merge(['a', 'b', 'c'])).rejects.toThrow(/cannot merge the shards: .*fps/);
    await expect(merge(['nope'])).rejects.toThrow(/has no run\.json/);
  });
});
