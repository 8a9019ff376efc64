import { describe, expect, it } from 'vitest';
import { useSimulators } from '../helpers/simulators.js';
import {
  decideFault,
  decideLatencyMs,
  simulatorOptions,
  type FaultKind,
} from '../../src/simulator/index.js';
import { chatBody, completion, pool, post, syntheticUrls, YOYO } from '../helpers/chat.js';

const start = useSimulators();

describe('capacity', () => {
  it('serves at most `capacity` at once and queues the rest', async () => {
    const sim = await start({ capacity: 2, latencyMs: 50 });
    let maxWaiting = 0;
    const watch = setInterval(() => (maxWaiting = Math.max(maxWaiting, sim.stats.waiting)), 1);
    const replies = await Promise.all(syntheticUrls(6).map((u) => post(sim, chatBody(u))));
    clearInterval(watch);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(sim.stats.maxInFlight).toBe(2);
    expect(maxWaiting).toBeGreaterThan(0);
    expect(sim.stats).toMatchObject({ chatRequests: 6, completed: 6, inFlight: 0, waiting: 0 });
  });

  it('a latency range is drawn per URL and attempt, within its bounds', async () => {
    const opts = simulatorOptions({ latencyMs: { min: 20, max: 40 } });
    const draws = syntheticUrls(200).map((u) => decideLatencyMs(opts, u, 0));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...draws)).toBeLessThan(40);
    expect(new Set(draws).size).toBeGreaterThan(150);
    expect(decideLatencyMs(opts, YOYO, 1)).toBe(decideLatencyMs(opts, YOYO, 1));
    const sim = await start({ latencyMs: { min: 20, max: 40 } });
    const t0 = performance.now();
    await post(sim, chatBody(YOYO));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
  });

  it('a client that gives up leaves the queue', async () => {
    const sim = await start({ capacity: 1, latencyMs: 300 });
    const first = post(sim, chatBody(YOYO));
    const abort = new AbortController();
    const second = fetch(`${sim.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(chatBody(`${YOYO}?2`)),
      signal: abort.signal,
    });
    while (sim.stats.waiting < 1) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    await expect(second).rejects.toThrow();
    while (sim.stats.waiting > 0) await new Promise((r) => setTimeout(r, 5));
    expect((await first).status).toBe(200);
    expect(sim.stats.waiting).toBe(0);
  });
});

describe('faults', () => {
  it('pure decisions honour the configured rates', () => {
    const rates = {
      serverErrorRate: 0.1,
      badRequestRate: 0.05,
      unparseableRate: 0.1,
      reasoningOnlyRate: 0.05,
      lengthRate: 0.1,
    };
    const opts = simulatorOptions({ faults: rates });
    const n = 20_000;
    const counts: Record<FaultKind, number> = {
      none: 0,
      'server-error': 0,
      'bad-request': 0,
      unparseable: 0,
      'reasoning-only': 0,
      length: 0,
    };
    for (const u of syntheticUrls(n)) counts[decideFault(opts, u, 0)]++;
    const expected: Record<FaultKind, number> = {
      none: 0.6,
      'server-error': 0.1,
      'bad-request': 0.05,
      unparseable: 0.1,
      'reasoning-only': 0.05,
      length: 0.1,
    };
    for (const [kind, p] of Object.entries(expected)) {
      const se = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(counts[kind as FaultKind] / n - p)).toBeLessThan(4 * se);
    }
  });

  it('over HTTP: 500s, 400s and odd replies in roughly the configured shares', async () => {
    const sim = await start({
      faults: {
        serverErrorRate: 0.2,
        unparseableRate: 0.2,
        reasoningOnlyRate: 0.2,
        lengthRate: 0.2,
      },
    });
    const n = 500;
    const replies = await pool(syntheticUrls(n), 32, (u) => post(sim, chatBody(u)));
    const share = (pred: (r: (typeof replies)[number]) => boolean) =>
      replies.filter(pred).length / n;
    const se = Math.sqrt((0.2 * 0.8) / n);
    const msg = (r: (typeof replies)[number]) => completion(r).choices[0];
    expect(Math.abs(share((r) => r.status === 500) - 0.2)).toBeLessThan(4 * se);
    const ok = (r: (typeof replies)[number]) => r.status === 200;
    const reasoningOnly = share((r) => ok(r) && msg(r)?.message.content === null);
    const length = share((r) => ok(r) && msg(r)?.finish_reason === 'length');
    const unparseable = share(
      (r) =>
        ok(r) && msg(r)?.finish_reason === 'stop' && !/\d/.test(msg(r)?.message.content ?? '1'),
    );
    for (const s of [reasoningOnly, length, unparseable])
      expect(Math.abs(s - 0.2)).toBeLessThan(4 * se);
    expect(sim.stats.byStatus[500]).toBe(replies.filter((r) => r.status === 500).length);
  });

  it('shapes: 500 InternalServerError, reasoning-only, length', async () => {
    const only = (kind: string) => ({ [kind]: 1 });
    const e500 = await start({ faults: only('serverErrorRate') });
    const r500 = await post(e500, chatBody(YOYO));
    expect(r500).toMatchObject({
      status: 500,
      json: { error: { type: 'InternalServerError', code: 500, param: null } },
    });
    const reason = await start({ faults: only('reasoningOnlyRate') });
    const rr = completion(await post(reason, chatBody(YOYO))).choices[0]?.message;
    expect(rr?.content).toBeNull();
    expect(rr?.reasoning).toMatch(/\n[1-5]\.?\n?$/);
    const len = await start({ faults: only('lengthRate') });
    const rl = completion(await post(len, chatBody(YOYO, { max_tokens: 64 })));
    expect(rl.choices[0]?.finish_reason).toBe('length');
    expect(rl.choices[0]?.message.content).not.toMatch(/\d/);
    expect(rl.usage.completion_tokens).toBe(64);
    const bad = await start({ faults: only('badRequestRate') });
    const rb = await post(bad, chatBody(YOYO));
    expect(rb).toMatchObject({ status: 400, json: { error: { type: 'BadRequestError' } } });
  });

  it('a retry of the same URL can succeed (faults depend on the attempt number)', async () => {
    const sim = await start({ faults: { serverErrorRate: 0.5 } });
    const urls = syntheticUrls(40);
    const first = await pool(urls, 8, (u) => post(sim, chatBody(u)));
    const failed = urls.filter((_, i) => first[i]?.status === 500);
    expect(failed.length).toBeGreaterThan(5);
    const retried = await pool(failed, 8, (u) => post(sim, chatBody(u)));
    expect(retried.some((r) => r.status === 200)).toBe(true);
    // Same seed, same order of attempts: a fresh server fails the same first attempts.
    const again = await start({ faults: { serverErrorRate: 0.5 } });
    const replay = await pool(urls, 8, (u) => post(again, chatBody(u)));
    expect(replay.map((r) => r.status)).toEqual(first.map((r) => r.status));
  });
});

describe('shutdown', () => {
  it('close({ force: true }) drops a request in flight: the client sees a connection error', async () => {
    const sim = await start({ latencyMs: 5000 });
    const pending = post(sim, chatBody(YOYO));
    while (sim.stats.inFlight < 1) await new Promise((r) => setTimeout(r, 5));
    await sim.close({ force: true });
    await expect(pending).rejects.toThrow(/fetch failed|socket|terminated/i);
    await expect(fetch(`${sim.url}/health`)).rejects.toThrow();
  });

  it('a graceful close lets the request in flight finish', async () => {
    const sim = await start({ latencyMs: 100 });
    const pending = post(sim, chatBody(YOYO));
    while (sim.stats.inFlight < 1) await new Promise((r) => setTimeout(r, 5));
    const closed = sim.close();
    expect((await pending).status).toBe(200);
    await closed;
  });
});
