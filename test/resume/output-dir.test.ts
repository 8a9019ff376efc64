import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateWith, writeDataset } from '../helpers/gate.js';
import { readResults } from '../helpers/results.js';
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
    // The rest, and the 4 fidelity probes every run starts with.
    expect(sim.stats.chatRequests - before).toBe(200 - done + 4);
    expect(second.outcome.summary).toMatchObject({
      verdict: 'no-baseline',
      num_videos: 200,
      resumed: done,
      complete: true,
    });
    const rows = readResults(join(dir, 'out', 'results.jsonl'));
    expect(new Set(rows.map((r) => r.video_url)).size).toBe(200);
    expect(rows).toHaveLength(200);
    const fresh = await gateWith({ ...inputs, 'output-dir': join(dir, 'fresh') });
    expect(second.outcome.summary.accuracy).toBe(fresh.outcome.summary.accuracy);
    expect(second.outcome.summary.pearson_correlation).toBe(
      fresh.outcome.summary.pearson_correlation,
    );
  });

  it('a changed setting starts afresh, says which, and keeps the old results aside', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 30);
    const sim = await start({ answerKey: key });
    const inputs = {
      'base-url': sim.baseUrl,
      dataset: path,
      'output-dir': join(dir, 'out'),
    };
    const first = await gateWith(inputs);
    const before = sim.stats.chatRequests;
    const oldResults = readFileSync(join(dir, 'out', 'results.jsonl'), 'utf8');
    const again = await gateWith({ ...inputs, fps: '8' });
    expect(again.log.text()).toMatch(
      /made with other settings \(fps: 16 -> 8; request\.mm_processor_kwargs\.fps: 16 -> 8\): moved to .*previous\/.*-other-fps-request, nothing deleted; starting afresh/,
    );
    // 30 videos and the 4 fidelity probes.
    expect(sim.stats.chatRequests - before).toBe(34);
    const [aside = ''] = readdirSync(join(dir, 'out', 'previous'));
    expect(aside).toMatch(/^\d{4}-\d\d-\d\dT.*-other-fps-request$/);
    const kept = join(dir, 'out', 'previous', aside);
    expect(readFileSync(join(kept, 'results.jsonl'), 'utf8')).toBe(oldResults);
    expect(JSON.parse(readFileSync(join(kept, 'summary.json'), 'utf8'))).toMatchObject({
      verdict: first.outcome.summary.verdict,
      state: 'finished',
      settings: { fps: 16 },
    });
    expect(existsSync(join(kept, 'run.json'))).toBe(true);
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
    // A URL the gate sends as it is written (no space, unicode or '#', which are percent-encoded).
    const bad = [...key.keys()].find((u) => !/[ ’—#]/.test(u)) ?? '';
    const sim = await start({
      answerKey: key,
      faults: { badVideoUrlSubstrings: [encodeURI(bad.slice(-25))] },
    });
    const inputs = {
      'base-url': sim.baseUrl,
      dataset: path,
      'output-dir': join(dir, 'out'),
    };
    const first = await gateWith(inputs);
    expect(first.outcome.summary.num_errors).toBe(1);
    const before = sim.stats.chatRequests;
    const second = await gateWith(inputs);
    expect(sim.stats.chatRequests - before).toBe(1 + 4); // the failed video, and the 4 fidelity probes
    expect(second.log.text()).toMatch(/1 failed earlier and are retried/);
  });

  it('a run that fails before scoring leaves summary.json as an error (state running), not the last pass', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 10);
    const sim = await start({ answerKey: key });
    const out = join(dir, 'out');
    const inputs = {
      'base-url': sim.baseUrl,
      dataset: path,
      'output-dir': out,
    };
    const ok = await gateWith(inputs);
    expect(ok.outcome.summary.verdict).toBe('no-baseline');
    await sim.close();
    // The server is gone: the rerun fails while waiting for it.
    await expect(gateWith({ ...inputs, 'server-timeout': '1' })).rejects.toThrow();
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(summary).toMatchObject({ verdict: 'error', state: 'running', accuracy: null });
    // The finished summary it replaced is kept, and so are the results.
    expect(JSON.parse(readFileSync(join(out, 'summary.previous.json'), 'utf8'))).toMatchObject({
      verdict: 'no-baseline',
      state: 'finished',
    });
    expect(readResults(join(out, 'results.jsonl'))).toHaveLength(10);
    // A crashed run's summary is never kept as "previous": the finished one stays.
    writeFileSync(join(out, 'marker'), '');
    await expect(gateWith({ ...inputs, 'server-timeout': '1' })).rejects.toThrow();
    expect(JSON.parse(readFileSync(join(out, 'summary.previous.json'), 'utf8'))).toMatchObject({
      state: 'finished',
    });
  });
});
