/**
 * The soak run at a small size (the full one is `npx tsx bench/soak.ts`): 1,500 videos at concurrency 64
 * with about 5% of requests faulted, half by the simulator itself (500s, unparseable, reasoning-only and
 * length-capped replies) and half by the fault proxy (resets, hangs, 502/503/504, 429, truncated JSON, no
 * choices). Every video must be in results.jsonl exactly once, and nothing may reject unhandled.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeVideoUrl } from '../../src/core/video-url.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import {
  plans,
  SOAK_PROXY_FAULTS,
  startFaultProxy,
  type FaultProxy,
} from '../helpers/fault-proxy.js';
import { gateWith, writeDataset } from '../helpers/gate.js';
import { useTmp } from '../helpers/tmp.js';
import { expectAccounted, noUnhandledRejections } from '../helpers/accounting.js';

const tmp = useTmp();
noUnhandledRejections();

let sim: Simulator | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await sim?.close({ force: true });
});

describe('soak (small): 1,500 videos, concurrency 64, 5% faults', () => {
  it('every video accounted for exactly once, the run complete, nothing unhandled', async () => {
    const N = 1_500;
    const rate = 0.05;
    const dir = tmp();
    const { path, key } = writeDataset(dir, N, 31);
    sim = await startSimulator({
      answerKey: key,
      latencyMs: { min: 0, max: 4 },
      faults: {
        serverErrorRate: rate * 0.3,
        unparseableRate: rate * 0.1,
        reasoningOnlyRate: rate * 0.05,
        lengthRate: rate * 0.05,
      },
    });
    proxy = await startFaultProxy({
      upstream: sim.url,
      plan: plans.rate(rate / 2, SOAK_PROXY_FAULTS, 2026),
      retryAfterS: 0,
    });
    const { outcome } = await gateWith({
      'base-url': proxy.baseUrl,
      dataset: path,
      'output-dir': join(dir, 'out'),
      concurrency: '64',
      'request-timeout': '1',
      'max-retries': '3',
    });
    const { rows, summary } = expectAccounted(
      outcome,
      [...key.keys()].map((u) => normalizeVideoUrl(u)),
    );
    expect(rows).toHaveLength(N);
    expect(summary).toMatchObject({ complete: true, verdict: 'no-baseline', num_videos: N });
    // Faults of every kind happened; only the non-retried one (a JSON 200 that is not a completion) and the
    // rare video unlucky on every attempt end as error rows. A 200 cut mid-JSON is retried like a 5xx: it
    // is an error row only for a video cut on all 4 attempts.
    for (const kind of SOAK_PROXY_FAULTS) expect(proxy.counts[kind], kind).toBeGreaterThan(0);
    expect(sim.stats.byStatus[500] ?? 0).toBeGreaterThan(0);
    const bad = rows.filter((r) => r.error?.kind === 'bad_response');
    const noChoices = bad.filter((r) => /no choices\[0\]\.message/.test(r.error?.message ?? ''));
    const cut = bad.filter((r) =>
      /response is not JSON.*\(attempt 4\)/.test(r.error?.message ?? ''),
    );
    expect(noChoices).toHaveLength(proxy.counts['no-choices']);
    expect(noChoices.length + cut.length).toBe(bad.length);
    expect(cut.length * 4).toBeLessThanOrEqual(proxy.counts['truncated-json']);
    expect(summary.errors_by_kind.bad_response).toBe(bad.length);
    expect(summary.num_errors).toBeLessThanOrEqual(bad.length + 3);
    expect(summary.num_unparsed).toBeGreaterThan(0);
  }, 60_000);
});
