/**
 * Server faults, injected over real HTTP by the fault proxy in front of the simulator, with the gate run
 * in-process (gateWith) and, for a few, as the Actions runner runs dist/index.js. Each fault has its expected
 * classification: retried and recovered (the numbers equal a clean run's), a per-video error row, or a
 * run-level error. Whatever the fault: never `pass` for a broken run, every obtained outcome on disk once.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalizeVideoUrl } from '../../src/core/video-url.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { runAsActionsRunner } from '../helpers/actions-runner.js';
import {
  plans,
  startFaultProxy,
  type FaultKind,
  type FaultPlan,
  type FaultProxy,
  type FaultProxyOptions,
} from '../helpers/fault-proxy.js';
import { deadPort } from '../helpers/free-port.js';
import { gateWith, writeDataset } from '../helpers/gate.js';
import { useTmp } from '../helpers/tmp.js';
import { expectAccounted, noUnhandledRejections } from '../helpers/accounting.js';

const N = 40;
const tmp = useTmp();
noUnhandledRejections();

/** One dataset, one simulator without faults of its own, and a baseline made by a clean run of both. */
const fx = {
  dir: '',
  dataset: '',
  baseline: '',
  urls: [] as string[],
  sim: undefined as Simulator | undefined,
  clean: { accuracy: 0 as number | null, pearson: 0 as number | null },
};

beforeAll(async () => {
  fx.dir = mkdtempSync(join(tmpdir(), 'videophy-faults-'));
  const { path, key } = writeDataset(fx.dir, N, 7);
  fx.dataset = path;
  fx.urls = [...key.keys()].map((u) => normalizeVideoUrl(u));
  fx.sim = await startSimulator({ answerKey: key, accuracy: 0.5, latencyMs: 2 });
  fx.baseline = join(fx.dir, 'baseline.json');
  const { outcome } = await gateWith({
    'base-url': fx.sim.baseUrl,
    dataset: fx.dataset,
    'write-baseline': fx.baseline,
    'output-dir': join(fx.dir, 'clean'),
  });
  expect(outcome.summary).toMatchObject({ num_videos: N, num_errors: 0, complete: true });
  fx.clean = { accuracy: outcome.summary.accuracy, pearson: outcome.summary.pearson_correlation };
});

afterAll(async () => {
  await fx.sim?.close({ force: true });
  rmSync(fx.dir, { recursive: true, force: true });
});

const proxies: FaultProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

async function proxy(
  plan: FaultPlan | undefined,
  opts: Partial<FaultProxyOptions> = {},
): Promise<FaultProxy> {
  const p = await startFaultProxy({ upstream: fx.sim!.url, plan, ...opts });
  proxies.push(p);
  return p;
}

/** The first `n` videos of the dataset (as the gate sends them). */
const victims = (n: number): ((url: string) => boolean) => {
  const set = new Set(fx.urls.slice(0, n));
  return (url) => set.has(url);
};

async function runThrough(
  plan: FaultPlan | undefined,
  inputs: Record<string, string> = {},
  opts: Partial<FaultProxyOptions> = {},
) {
  const p = await proxy(plan, opts);
  const { outcome, log } = await gateWith({
    'base-url': p.baseUrl,
    dataset: fx.dataset,
    baseline: fx.baseline,
    'output-dir': join(tmp(), 'out'),
    'request-timeout': '1',
    'max-retries': '2',
    ...inputs,
  });
  const acc = expectAccounted(outcome, fx.urls, Number(inputs['max-error-rate'] ?? '0.05'));
  return { ...acc, outcome, log, proxy: p };
}

const RETRIED: FaultKind[] = [
  'reset',
  'hang',
  'http-500',
  'http-502',
  'http-503',
  'http-504',
  'http-429',
];

describe('a transient fault is retried and the run recovers with the clean run numbers', () => {
  for (const kind of RETRIED) {
    it(`${kind} on the first attempt of 3 videos: retried, no error, verdict pass`, async () => {
      const { summary, proxy: p } = await runThrough(
        plans.firstAttempts(kind, victims(3)),
        {},
        {
          retryAfterS: 0,
        },
      );
      expect(p.counts[kind]).toBe(3);
      expect(p.chatRequests).toBe(N + 3);
      expect(summary).toMatchObject({
        verdict: 'pass',
        complete: true,
        num_videos: N,
        num_errors: 0,
        accuracy: fx.clean.accuracy,
        pearson_correlation: fx.clean.pearson,
      });
    });
  }

  it('429 with Retry-After: the retry waits as long as the server asked', async () => {
    const sent = new Map<string, number[]>();
    const first = victims(2);
    const plan: FaultPlan = (r) => {
      sent.set(r.url, [...(sent.get(r.url) ?? []), performance.now()]);
      return first(r.url) && r.attempt === 0 ? 'http-429' : undefined;
    };
    const { summary } = await runThrough(plan, {}, { retryAfterS: 2 });
    expect(summary).toMatchObject({ verdict: 'pass', num_errors: 0 });
    for (const url of fx.urls.slice(0, 2)) {
      const [t0, t1] = sent.get(url) ?? [];
      // Without the header the first backoff is at most 0.5 s; Retry-After: 2 must win.
      expect((t1 ?? 0) - (t0 ?? 0)).toBeGreaterThanOrEqual(1_500);
    }
  });

  it('a short burst of 502s (a proxy restarting) is absorbed by the retries', async () => {
    // 3 consecutive requests, each a different video's first attempt (4 in flight, retries come later).
    const { summary, proxy: p } = await runThrough(plans.burst('http-502', 10, 3), {
      concurrency: '4',
    });
    expect(p.counts['http-502']).toBe(3);
    expect(summary).toMatchObject({ verdict: 'pass', num_errors: 0, num_videos: N });
  });
});

describe('a fault that persists for one video is that video’s error row; the run goes on', () => {
  const cases: [FaultKind, string, RegExp][] = [
    ['reset', 'connection', /connection error/],
    ['hang', 'timeout', /no answer within request-timeout 0.5 s/],
    ['http-500', 'http_5xx', /HTTP 500: EngineCore/],
    ['http-502', 'http_5xx', /HTTP 502/],
    ['http-503', 'http_5xx', /HTTP 503/],
    ['http-504', 'http_5xx', /HTTP 504/],
    ['http-429', 'http_4xx', /HTTP 429/],
    ['truncated-json', 'bad_response', /response is not JSON/],
    ['no-choices', 'bad_response', /no choices\[0\]\.message/],
  ];
  for (const [kind, errorKind, message] of cases) {
    it(`${kind} on every attempt for 1 of ${N} videos: one ${errorKind} row, the rest scored`, async () => {
      const victim = fx.urls[0] ?? '';
      const { rows, summary } = await runThrough(
        plans.always(kind, (u) => u === victim),
        {
          'max-accuracy-drop': '1',
          'max-pearson-drop': '2',
          'max-retries': '1',
          'request-timeout': '0.5',
        },
        { retryAfterS: 0 },
      );
      expect(summary).toMatchObject({ complete: true, num_videos: N, num_errors: 1 });
      expect(summary.verdict).toBe('pass');
      const bad = rows.filter((r) => r.error);
      expect(bad.map((r) => normalizeVideoUrl(r.video_url))).toEqual([victim]);
      expect(bad[0]?.error?.kind).toBe(errorKind);
      expect(bad[0]?.error?.message).toMatch(message);
      expect(bad[0]).toMatchObject({ output_text: null, pred_score: null });
    });
  }
});

describe('a fault on more videos than max-error-rate allows: verdict error, never a model verdict', () => {
  for (const kind of [...RETRIED, 'truncated-json', 'no-choices', 'echo-auth'] as FaultKind[]) {
    it(`${kind} on 4 of ${N} videos (10% > 5%)`, async () => {
      // One request at a time: a connection error's health probe never overlaps the early stop (that
      // overlap is the bug shown under 'a failure still being handled when the last answer arrives').
      const { summary } = await runThrough(
        plans.always(kind, victims(4)),
        { 'max-retries': '0', 'request-timeout': '0.5', concurrency: '1' },
        { retryAfterS: 0 },
      );
      expect(summary.verdict).toBe('error');
      expect(summary.reasons.join(' ')).toMatch(/max-error-rate/);
      expect(summary.num_errors).toBeGreaterThanOrEqual(3);
    });
  }

  it('a long burst of 503s on consecutive requests (the retries land in it too)', async () => {
    const { summary, proxy: p } = await runThrough(plans.burst('http-503', 8, 400), {
      'max-retries': '1',
      concurrency: '4',
    });
    expect(p.counts['http-503']).toBeGreaterThan(3);
    expect(summary.verdict).toBe('error');
    expect(summary.reasons.join(' ')).toMatch(/503/);
  });

  it('random faults at a 30% rate: whatever the mix, an error and every outcome accounted for', async () => {
    // No connection errors in the mix: their health probe can overlap the early stop, the bug shown
    // under 'a failure still being handled when the last answer arrives'.
    const { summary } = await runThrough(
      plans.rate(0.3, ['http-500', 'http-502', 'http-503', 'truncated-json', 'no-choices'], 11),
      { 'max-retries': '0' },
    );
    expect(summary.verdict).toBe('error');
  });
});

describe('replies that are not a score are answers, not errors', () => {
  it('content null with prose in reasoning: the generation is rebuilt from reasoning, unparsed, never a pass', async () => {
    const { rows, summary } = await runThrough(plans.always('reasoning-only', victims(3)));
    expect(summary).toMatchObject({ complete: true, num_errors: 0, num_unparsed: 3 });
    const odd = rows.filter((r) => r.reasoning_split === true);
    expect(odd).toHaveLength(3);
    for (const r of odd) {
      expect(r).toMatchObject({ error: null, pred_score: null, finish_reason: 'stop' });
      // "Let me think. 4" has no line that is a lone digit: the recipe would not parse it either.
      expect(r.output_text).toMatch(/^Let me think\. [1-5]\.?\n?$/);
    }
    // The model stopped answering on some videos: a model verdict (parse rate), not an infrastructure error.
    expect(['regression', 'inconclusive']).toContain(summary.verdict);
    expect(summary.reasons.join(' ')).toMatch(/parse rate/);
  });

  it('finish_reason length: unparsed, finish_reason kept, never a pass', async () => {
    const { rows, summary } = await runThrough(plans.always('length', victims(3)));
    expect(summary).toMatchObject({ complete: true, num_errors: 0, num_unparsed: 3 });
    expect(rows.filter((r) => r.finish_reason === 'length')).toHaveLength(3);
    expect(['regression', 'inconclusive']).toContain(summary.verdict);
  });

  it('a reply body of several MB is read whole, parsed and kept', async () => {
    const { rows, summary, outcome } = await runThrough(
      plans.always('huge', victims(2)),
      {},
      {
        hugeBytes: 4_000_000,
      },
    );
    expect(summary).toMatchObject({ verdict: 'pass', num_errors: 0, num_unparsed: 0 });
    const big = rows.filter((r) => (r.output_text?.length ?? 0) > 4_000_000);
    expect(big).toHaveLength(2);
    for (const r of big) expect(r.pred_score).toBe(Number(r.output_text?.[0]));
    expect(statSync(outcome.resultsPath).size).toBeGreaterThan(8_000_000);
  });
});

describe('the server goes away or serves another model: a run-level error', () => {
  it('connection refused mid-run (server killed): partial, error, nothing lost', async () => {
    const { summary, proxy: p } = await runThrough(plans.schedule({ 15: 'refuse' }), {
      concurrency: '4',
      'max-retries': '1',
    });
    expect(p.counts.refuse).toBe(1);
    expect(summary).toMatchObject({ verdict: 'error', complete: false });
    expect(summary.reasons.join(' ')).toMatch(/stopped answering mid-run.*ECONNREFUSED/);
    expect(summary.num_videos).toBeGreaterThanOrEqual(10);
    expect(summary.num_videos).toBeLessThan(N);
  });

  it('404 for the model mid-run (model unloaded): error at once, says wrong model', async () => {
    const { summary, proxy: p } = await runThrough((r) => (r.n >= 12 ? 'wrong-model' : undefined), {
      concurrency: '4',
    });
    expect(summary).toMatchObject({ verdict: 'error', complete: false });
    expect(summary.reasons.join(' ')).toMatch(/404.*wrong model name/);
    // Stopped at once: a handful of requests in flight, not one per remaining video.
    expect(p.counts['wrong-model']).toBeLessThanOrEqual(8);
  });

  it('the model input names a model the server does not serve: refused before any request', async () => {
    const p = await proxy(undefined);
    await expect(
      gateWith({
        'base-url': p.baseUrl,
        dataset: fx.dataset,
        baseline: fx.baseline,
        model: 'someone/else',
        'output-dir': join(tmp(), 'out'),
      }),
    ).rejects.toThrow(
      /model 'someone\/else' is not served by .*it serves: 'nvidia\/Cosmos-Reason2-8B'/,
    );
    expect(p.chatRequests).toBe(0);
  });

  it('nothing listening at all: a server-timeout error, no verdict', async () => {
    await expect(
      gateWith({
        'base-url': `http://127.0.0.1:${await deadPort()}/v1`,
        dataset: fx.dataset,
        baseline: fx.baseline,
        'server-timeout': '1',
        'output-dir': join(tmp(), 'out'),
      }),
    ).rejects.toThrow(/did not become ready within server-timeout 1 s.*ECONNREFUSED/);
  });

  it('503 while the model loads is waited out, then the run is clean', async () => {
    const { path, key } = writeDataset(tmp(), 20, 3);
    const sim = await startSimulator({ answerKey: key, readyAfterMs: 1_200 });
    try {
      const { outcome } = await gateWith({
        'base-url': sim.baseUrl,
        dataset: path,
        'output-dir': join(tmp(), 'out'),
      });
      expect(outcome.summary).toMatchObject({ verdict: 'no-baseline', num_errors: 0 });
      expectAccounted(outcome, key.keys());
    } finally {
      await sim.close({ force: true });
    }
  });
});

describe('a failure still being handled when the last answer arrives', () => {
  // Fixed (found by this suite): scoreVideos resolves once no request is in flight, but a failed request's handler may still be awaiting the health probe (connection error or timeout); its row is recorded after results.jsonl was closed: "results file ... is closed" as an unhandled rejection (a crash in dist), and the video is missing from results and summary.
  it('a connection error among the last videos, with a slow health probe: its row is kept, nothing unhandled', async () => {
    // The last 4 videos are in flight together: one fails at once (reset), its health probe takes
    // 600 ms, the other three answer after 200 ms: the last answer arrives while the failure is handled.
    const victim = fx.urls[N - 3] ?? '';
    const others = new Set(fx.urls.slice(N - 4).filter((u) => u !== victim));
    const { rows, summary } = await runThrough(
      plans.always('reset', (u) => u === victim),
      { 'max-retries': '0', concurrency: '4', 'max-accuracy-drop': '1', 'max-pearson-drop': '2' },
      { probeDelayMs: 600, chatDelayMs: (r) => (others.has(r.url) ? 200 : 0) },
    );
    // Let the late handler finish inside this test, so what it does is seen here.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(rows.map((r) => normalizeVideoUrl(r.video_url))).toContain(victim);
    expect(summary).toMatchObject({ complete: true, num_videos: N, num_errors: 1 });
  });
});

describe('two replicas, one of them broken', () => {
  for (const kind of ['http-503', 'reset', 'truncated-json'] as FaultKind[]) {
    it(`one replica answers ${kind} to everything: its videos go to the other, each video once`, async () => {
      const broken = await proxy(plans.always(kind, () => true));
      const healthy = await proxy(undefined);
      const { outcome } = await gateWith({
        'base-url': `${broken.baseUrl},${healthy.baseUrl}`,
        dataset: fx.dataset,
        baseline: fx.baseline,
        'output-dir': join(tmp(), 'out'),
        'max-retries': '1',
        concurrency: '4',
      });
      const { summary } = expectAccounted(outcome, fx.urls);
      expect(broken.counts[kind]).toBeGreaterThan(0);
      // A failure on one endpoint is retried on the other before it counts as the video's error.
      expect(summary).toMatchObject({
        verdict: 'pass',
        num_errors: 0,
        accuracy: fx.clean.accuracy,
      });
    });
  }
});

describe('dist/index.js under server faults, as the Actions runner runs it', () => {
  const ENTRY = 'dist/index.js';
  const inputs = (p: FaultProxy, extra: Record<string, string> = {}) => ({
    'base-url': p.baseUrl,
    dataset: fx.dataset,
    baseline: fx.baseline,
    'output-dir': join(tmp(), 'out'),
    'request-timeout': '1',
    'max-retries': '2',
    ...extra,
  });

  it('resets, 502s and 429s on first attempts: recovered, exit 0, verdict pass', async () => {
    const p = await proxy(
      plans.first(
        plans.firstAttempts('reset', victims(2)),
        plans.firstAttempts('http-502', (u) => u === fx.urls[5]),
        plans.firstAttempts('http-429', (u) => u === fx.urls[6]),
      ),
      { retryAfterS: 0 },
    );
    const r = await runAsActionsRunner(ENTRY, inputs(p));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'pass', 'num-errors': '0', 'num-samples': `${N}` });
    expect(p.chatRequests).toBe(N + 4);
    expectAccounted(
      { resultsPath: r.outputs['results-path']!, summaryPath: r.outputs['summary-path']! },
      fx.urls,
    );
  });

  it('503 on most requests: exit 1, verdict error, an infrastructure annotation', async () => {
    const p = await proxy(plans.rate(0.8, ['http-503'], 5));
    const r = await runAsActionsRunner(ENTRY, inputs(p, { 'max-retries': '1' }));
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(
      /::error::Infrastructure error, not a model regression: .*max-error-rate/,
    );
    expectAccounted(
      { resultsPath: r.outputs['results-path']!, summaryPath: r.outputs['summary-path']! },
      fx.urls,
    );
  });

  it('the server killed mid-run (connection refused): exit 1, partial summary, results on disk', async () => {
    const p = await proxy(plans.schedule({ 20: 'refuse' }));
    const r = await runAsActionsRunner(ENTRY, inputs(p, { concurrency: '4', 'max-retries': '1' }));
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(/::error::Infrastructure error.*stopped answering mid-run/);
    const { summary } = expectAccounted(
      { resultsPath: r.outputs['results-path']!, summaryPath: r.outputs['summary-path']! },
      fx.urls,
    );
    expect(summary.complete).toBe(false);
    expect(summary.num_videos).toBeGreaterThanOrEqual(15);
  });
});
