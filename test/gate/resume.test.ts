import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateWith, readRows, writeDataset } from '../helpers/gate.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';

const start = useSimulators();
const tmp = useTmp();

describe('resume in the same output directory', () => {
  it('a run cancelled halfway is resumed: only the rest is sent, the numbers equal an uninterrupted run', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 200);
    const sim = await start({ answerKey: key, latencyMs: 5 });
    const inputs = {
      'base-url': sim.baseUrl,
      dataset: path,
      baseline: join(dir, 'none.json'),
      'output-dir': join(dir, 'out'),
      concurrency: '4',
    };
    const ac = new AbortController();
    const timer = setInterval(() => sim.stats.completed >= 100 && ac.abort(), 2);
    const first = await gateWith(inputs, ac.signal);
    clearInterval(timer);
    expect(first.outcome.summary.verdict).toBe('error');
    const done = first.outcome.summary.num_videos;
    expect(done).toBeGreaterThanOrEqual(50);
    expect(done).toBeLessThan(200);
    // Killed mid-write: a torn last line.
    appendFileSync(join(dir, 'out', 'results.jsonl'), '{"video_url": "https://torn');
    const before = sim.stats.chatRequests;
    const second = await gateWith(inputs);
    expect(second.log.text()).toMatch(/dropped a torn last line/);
    expect(second.log.text()).toMatch(
      new RegExp(`resuming: ${done} of 200 videos already scored, ${200 - done} to do`),
    );
    expect(sim.stats.chatRequests - before).toBe(200 - done);
    expect(second.outcome.summary).toMatchObject({
      verdict: 'no-baseline',
      num_videos: 200,
      resumed: done,
      complete: true,
    });
    const rows = readRows(join(dir, 'out', 'results.jsonl'));
    expect(new Set(rows.map((r) => r.video_url)).size).toBe(200);
    expect(rows).toHaveLength(200);
    const fresh = await gateWith({ ...inputs, 'output-dir': join(dir, 'fresh') });
    expect(second.outcome.summary.accuracy).toBe(fresh.outcome.summary.accuracy);
    expect(second.outcome.summary.pearson_correlation).toBe(
      fresh.outcome.summary.pearson_correlation,
    );
  });

  it('a changed setting starts afresh and says which', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 30);
    const sim = await start({ answerKey: key });
    const inputs = {
      'base-url': sim.baseUrl,
      dataset: path,
      baseline: join(dir, 'none.json'),
      'output-dir': join(dir, 'out'),
    };
    await gateWith(inputs);
    const before = sim.stats.chatRequests;
    const again = await gateWith({ ...inputs, fps: '8' });
    expect(again.log.text()).toMatch(
      /made with other settings \(fps: 16 -> 8; request\.mm_processor_kwargs\.fps: 16 -> 8\): starting afresh/,
    );
    expect(sim.stats.chatRequests - before).toBe(30);
    expect(again.outcome.summary.resumed).toBe(0);
    expect(
      readFileSync(join(dir, 'out', 'results.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(30);
  });

  it('a finished run rerun sends nothing; failed videos are retried', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 40);
    const bad = [...key.keys()].find((u) => !/[ ’—]/.test(u)) ?? '';
    const sim = await start({
      answerKey: key,
      faults: { badVideoUrlSubstrings: [encodeURI(bad.slice(-25))] },
    });
    const inputs = {
      'base-url': sim.baseUrl,
      dataset: path,
      baseline: join(dir, 'none.json'),
      'output-dir': join(dir, 'out'),
    };
    const first = await gateWith(inputs);
    expect(first.outcome.summary.num_errors).toBe(1);
    const before = sim.stats.chatRequests;
    const second = await gateWith(inputs);
    expect(sim.stats.chatRequests - before).toBe(1);
    expect(second.log.text()).toMatch(/1 failed earlier and are retried/);
  });
});
