import { afterEach, describe, expect, it } from 'vitest';
import type { ResultRow } from '../../src/core/types.js';
import { nextLimit, AdaptiveLimit } from '../../src/scoring/adaptive.js';
import { scoreVideos } from '../../src/scoring/score-videos.js';
import type { Simulator, SimulatorOptionsInput } from '../../src/simulator/index.js';
import { VllmClient } from '../../src/vllm/client.js';
import { recordingLogger } from '../helpers/logger.js';
import { evalItems } from '../helpers/rows.js';
import { useSimulators } from '../helpers/simulators.js';

const start = useSimulators();
const clients: VllmClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

const items = evalItems;

async function servers(
  ...opts: (SimulatorOptionsInput & { maxRetries?: number })[]
): Promise<{ sims: Simulator[]; endpoints: { name: string; client: VllmClient }[] }> {
  const sims = await Promise.all(opts.map(({ maxRetries: _, ...o }) => start(o)));
  const endpoints = sims.map((s, i) => {
    const client = new VllmClient({
      baseUrl: s.baseUrl,
      timeoutMs: 3_000,
      maxRetries: opts[i]?.maxRetries ?? 1,
    });
    clients.push(client);
    return { name: `ep${i + 1}`, client };
  });
  return { sims, endpoints };
}

async function run(
  endpoints: { name: string; client: VllmClient }[],
  n: number,
  concurrency: number | 'auto',
  onResult?: (all: ResultRow[]) => void,
) {
  const written: ResultRow[] = [];
  const log = recordingLogger();
  const outcome = await scoreVideos({
    items: items(n),
    endpoints,
    concurrency,
    buildBody: (item) => ({
      model: 'nvidia/Cosmos-Reason2-8B',
      messages: [
        { role: 'user', content: [{ type: 'video_url', video_url: { url: item.requestUrl } }] },
      ],
    }),
    onResult: (r) => {
      written.push(r);
      onResult?.(written);
    },
    maxErrors: n,
    log,
    progressEveryS: 3600,
  });
  return { outcome, written, log };
}

describe('scoreVideos over several endpoints', () => {
  it('spreads work, keeps `concurrency` in flight per endpoint, scores each video once', async () => {
    const { sims, endpoints } = await servers({ latencyMs: 5 }, { latencyMs: 5 });
    const { outcome, log } = await run(endpoints, 200, 4);
    expect(outcome.complete).toBe(true);
    expect(new Set(outcome.rows.map((r) => r.index)).size).toBe(200);
    for (const s of sims) {
      expect(s.stats.maxInFlight).toBeLessThanOrEqual(4);
      expect(s.stats.completed).toBeGreaterThan(60);
    }
    expect(log.text()).toMatch(/ep1: \d+\/4 in flight, \d+ done, 0 errors; ep2:/);
  });

  it('a 3x slower endpoint gets about a third of the work of a fast one (no head-of-line blocking)', async () => {
    const { sims, endpoints } = await servers(
      // Latencies well above a request's own cost on a loaded 2-core runner (at 10 ms the fixed overhead
      // made the fast endpoint look less than 2x as fast under a concurrent test run).
      { latencyMs: 90, capacity: 4 },
      { latencyMs: 30, capacity: 4 },
    );
    await run(endpoints, 240, 4);
    const [slow, fast] = sims.map((s) => s.stats.completed);
    expect((slow ?? 0) + (fast ?? 0)).toBe(240);
    expect((fast ?? 0) / (slow ?? 1)).toBeGreaterThan(2);
  });

  it('an endpoint that dies mid-run is taken out with a warning and its videos go to the other', async () => {
    const { sims, endpoints } = await servers({ latencyMs: 5 }, { latencyMs: 5 });
    let killed = false;
    const { outcome, log } = await run(endpoints, 300, 4, (all) => {
      if (all.length === 50 && !killed) {
        killed = true;
        void sims[0]?.close({ force: true });
      }
    });
    expect(outcome.complete).toBe(true);
    expect(outcome.runError).toBeUndefined();
    expect(outcome.rows.filter((r) => r.error)).toEqual([]);
    expect(new Set(outcome.rows.map((r) => r.index)).size).toBe(300);
    expect(outcome.removedEndpoints.map((e) => e.name)).toEqual(['ep1']);
    expect(log.text()).toMatch(
      /warning: endpoint ep1 taken out: stopped answering mid-run .* its videos go to the 1 others/,
    );
  });

  it('an endpoint that keeps failing is taken out; the run completes on the others', async () => {
    const { sims, endpoints } = await servers(
      { faults: { serverErrorRate: 1 }, maxRetries: 0 },
      { latencyMs: 5 },
    );
    const { outcome } = await run(endpoints, 200, 2);
    expect(outcome.removedEndpoints[0]?.reason).toMatch(
      /8 requests in a row failed \(last: HTTP 500/,
    );
    expect(outcome.complete).toBe(true);
    // Videos that failed on the broken endpoint were scored by the other: no error row at all.
    expect(outcome.rows.filter((r) => r.error)).toEqual([]);
    expect(sims[0]?.stats.chatRequests).toBe(8);
  });

  it('with every endpoint gone the run is an infrastructure error', async () => {
    const { sims, endpoints } = await servers({ latencyMs: 5 }, { latencyMs: 5 });
    const { outcome } = await run(endpoints, 300, 4, (all) => {
      if (all.length === 30) for (const s of sims) void s.close({ force: true });
    });
    expect(outcome.complete).toBe(false);
    expect(outcome.runError).toMatch(
      /every endpoint was taken out .*infrastructure error, not a model result/,
    );
  });

  it('concurrency auto grows in-flight requests while throughput grows', async () => {
    const { sims, endpoints } = await servers({ latencyMs: 20, capacity: 64 });
    await run(endpoints, 600, 'auto');
    expect(sims[0]?.stats.maxInFlight).toBeGreaterThan(8);
  });
});

describe('adaptive limit', () => {
  const o = { initial: 8, min: 1, max: 64, window: 10 };
  it.each([
    [
      'first window with an empty queue grows',
      8,
      undefined,
      { throughput: 10, latencyMs: 100 },
      0,
      12,
    ],
    ['first window with a queue holds', 8, undefined, { throughput: 10, latencyMs: 100 }, 5, 8],
    [
      'throughput gain, empty queue: grow',
      8,
      { throughput: 10, latencyMs: 100 },
      { throughput: 12, latencyMs: 105 },
      0,
      12,
    ],
    [
      'throughput gain but the server queues: hold',
      8,
      { throughput: 10, latencyMs: 100 },
      { throughput: 12, latencyMs: 105 },
      3,
      8,
    ],
    [
      'latency up without gain: shrink',
      8,
      { throughput: 10, latencyMs: 100 },
      { throughput: 10, latencyMs: 150 },
      null,
      6,
    ],
    [
      'flat: hold',
      8,
      { throughput: 10, latencyMs: 100 },
      { throughput: 10.2, latencyMs: 110 },
      null,
      8,
    ],
    [
      'never above max',
      60,
      { throughput: 10, latencyMs: 100 },
      { throughput: 20, latencyMs: 100 },
      0,
      64,
    ],
  ] as const)('%s', (_n, limit, prev, cur, queue, expected) => {
    expect(nextLimit(limit, prev, cur, queue, o)).toBe(expected);
  });

  it('decides once per window of completions', () => {
    const a = new AdaptiveLimit(o);
    for (let i = 0; i < 9; i++) a.observe(100 * i, 50, 0);
    expect(a.limit).toBe(8);
    a.observe(1000, 50, 0);
    expect(a.limit).toBe(12);
  });
});
