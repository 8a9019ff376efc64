import { afterEach, describe, expect, it } from 'vitest';
import type { ResultRow } from '../../src/core/types.js';
import { scoreVideos } from '../../src/scoring/score-videos.js';
import type { Simulator } from '../../src/simulator/index.js';
import { useSimulators } from '../helpers/simulators.js';
import { VllmClient } from '../../src/vllm/client.js';
import { recordingLogger } from '../helpers/logger.js';
import { evalItems } from '../helpers/rows.js';
import { eventually } from '../helpers/processes.js';

const items = evalItems;

const start = useSimulators();
let sim: Simulator | undefined;
let client: VllmClient | undefined;
afterEach(async () => {
  await client?.close();
  sim = client = undefined;
});

async function run(
  n: number,
  opts: {
    maxErrors?: number;
    signal?: AbortSignal;
    concurrency?: number;
    onResult?: (r: ResultRow, all: ResultRow[]) => void;
    stopWhen?: (r: ResultRow) => string | undefined;
  } = {},
) {
  const written: ResultRow[] = [];
  const log = recordingLogger();
  const model = sim!.options.model;
  const outcome = await scoreVideos({
    items: items(n),
    concurrency: opts.concurrency ?? 8,
    endpoints: [{ name: 'sim', client: client! }],
    buildBody: (item) => ({
      model,
      messages: [
        { role: 'user', content: [{ type: 'video_url', video_url: { url: item.requestUrl } }] },
      ],
    }),
    onResult: (r) => {
      written.push(r);
      opts.onResult?.(r, written);
    },
    maxErrors: opts.maxErrors ?? n,
    log,
    signal: opts.signal,
    progressEveryS: 3600,
    ...(opts.stopWhen ? { stopWhen: opts.stopWhen } : {}),
  });
  return { outcome, written, log };
}

describe('scoreVideos', () => {
  it('scores every video once, writes each row as it finishes, logs progress by tenths', async () => {
    sim = await start({ latencyMs: { min: 0, max: 5 } });
    client = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 5_000, maxRetries: 0 });
    const { outcome, written, log } = await run(200);
    expect(outcome.complete).toBe(true);
    expect(outcome.runError).toBeUndefined();
    expect(written).toEqual(outcome.rows);
    expect(new Set(written.map((r) => r.index)).size).toBe(200);
    expect(sim.stats.maxInFlight).toBeLessThanOrEqual(8);
    expect(log.lines.filter((l) => /videos \(\d+\.\d%\)/.test(l))).toHaveLength(10);
  });

  it('one bad video is an error row and the run goes on', async () => {
    sim = await start({ faults: { badVideoUrlSubstrings: ['/7.mp4'] } });
    client = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 5_000, maxRetries: 0 });
    const { outcome } = await run(20);
    expect(outcome.complete).toBe(true);
    expect(outcome.rows.filter((r) => r.error).map((r) => [r.index, r.error?.status])).toEqual([
      [7, 400],
    ]);
    expect(outcome.errorsByKind).toEqual({ http_4xx: 1 });
  });

  it('a server that dies mid-run ends the run as an error quickly, keeping every finished row', async () => {
    sim = await start({ latencyMs: 5 });
    client = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 2_000, maxRetries: 1 });
    let killed = false;
    const { outcome, written } = await run(400, {
      onResult: (_r, all) => {
        if (all.length === 50 && !killed) {
          killed = true;
          void sim!.close({ force: true });
        }
      },
    });
    expect(outcome.complete).toBe(false);
    expect(outcome.runError).toMatch(/server stopped answering mid-run .*infrastructure error/);
    expect(written.filter((r) => !r.error).length).toBeGreaterThanOrEqual(50);
    expect(written.length).toBeLessThan(400);
    expect(written).toEqual(outcome.rows);
  });

  it('stops early once errors exceed the budget', async () => {
    sim = await start({ faults: { serverErrorRate: 1 } });
    client = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 2_000, maxRetries: 0 });
    const { outcome } = await run(300, { maxErrors: 5, concurrency: 2 });
    expect(outcome.runError).toMatch(
      /6 requests failed after retries, more than max-error-rate allows \(5 of 300\)/,
    );
    expect(outcome.rows.length).toBeLessThan(20);
  });

  it('cancellation keeps what finished and says the run was cancelled', async () => {
    sim = await start({ latencyMs: 20 });
    client = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 5_000, maxRetries: 0 });
    const ac = new AbortController();
    const { outcome, written } = await run(500, {
      signal: ac.signal,
      onResult: (_r, all) => all.length === 30 && ac.abort(),
    });
    expect(outcome.runError).toMatch(/cancelled/);
    expect(outcome.complete).toBe(false);
    expect(written.length).toBeGreaterThanOrEqual(30);
    expect(written.every((r) => r.error === null)).toBe(true);
  });

  it('stopWhen (stop-early) ends the run at once: requests in flight are cancelled at the server, not waited for, and it is no error', async () => {
    sim = await start({ latencyMs: { min: 200, max: 400 } });
    client = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 30_000, maxRetries: 0 });
    let asked = 0;
    const t0 = performance.now();
    const { outcome, written } = await run(400, {
      concurrency: 16,
      stopWhen: () => (++asked === 20 ? 'decided' : undefined),
    });
    const elapsedMs = performance.now() - t0;
    expect(outcome.stoppedEarly).toBe('decided');
    expect(outcome.runError).toBeUndefined();
    expect(outcome.complete).toBe(false);
    expect(asked).toBe(20); // not asked again once it said stop
    expect(written.length).toBe(20);
    expect(outcome.cancelled).toBeGreaterThan(0);
    // Waiting for the cancelled requests would take up to their 400 ms; the run ended well before.
    expect(sim.stats.chatRequests).toBeLessThan(60);
    // The server sees the cancelled requests go (a reply already on its way under load is dropped by the
    // client instead, and a request not yet written never arrives).
    expect(await eventually(() => sim!.stats.aborted > 0)).toBe(true);
    expect(sim.stats.aborted).toBeLessThanOrEqual(outcome.cancelled);
    expect(sim.stats.completed).toBeLessThanOrEqual(20 + outcome.cancelled - sim.stats.aborted);
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('wrong model name mid-run stops at once', async () => {
    sim = await start({ model: 'served' });
    client = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 5_000, maxRetries: 0 });
    const written: ResultRow[] = [];
    const outcome = await scoreVideos({
      items: items(100),
      concurrency: 4,
      endpoints: [{ name: 'sim', client }],
      maxErrors: 100,
      log: recordingLogger(),
      buildBody: () => ({ model: 'other', messages: [{ role: 'user', content: 'x' }] }),
      onResult: (r) => written.push(r),
    });
    expect(outcome.runError).toMatch(/404 .*wrong model name/);
    expect(written.length).toBeLessThanOrEqual(4);
  });
});
