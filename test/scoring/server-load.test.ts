import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EndpointPool } from '../../src/scoring/endpoint-pool.js';
import { scoreVideos } from '../../src/scoring/score-videos.js';
import { watchServerLoad } from '../../src/scoring/server-load.js';
import { VllmClient } from '../../src/vllm/client.js';
import { chatBody, MODEL, YOYO } from '../helpers/chat.js';
import { recordingLogger } from '../helpers/logger.js';
import { evalItems } from '../helpers/rows.js';
import { eventually } from '../helpers/processes.js';
import { useSimulators } from '../helpers/simulators.js';

// Each endpoint reads its own /metrics over HTTP: a real simulator (vLLM's gauges) beside a server that has
// no /metrics, so an endpoint's load can only come from its own server.
const start = useSimulators();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

function clientFor(baseUrl: string): VllmClient {
  const c = new VllmClient({ baseUrl, timeoutMs: 10_000, maxRetries: 0 });
  closers.push(() => c.close());
  return c;
}

/** A server without /metrics (404), counting what is asked of it. */
async function noMetrics(): Promise<{ baseUrl: string; metricsAsked: () => number }> {
  let asked = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') asked++;
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, metricsAsked: () => asked };
}

describe('each endpoint reads its own /metrics', () => {
  it('the load of a busy simulator lands on its endpoint, by name; the other has none', async () => {
    const sim = await start({ model: MODEL, capacity: 1, latencyMs: 400 });
    const plain = await noMetrics();
    const pool = new EndpointPool(
      [
        { name: 'plain', client: clientFor(plain.baseUrl) },
        { name: 'sim', client: clientFor(sim.baseUrl) },
      ],
      4,
    );
    const [plainE, simE] = pool.endpoints;
    const log = recordingLogger();
    const watch = watchServerLoad(pool.endpoints, log, { pollS: 0.05, logEveryS: 3600 });
    // Three requests at capacity 1: one running, two waiting on the simulator.
    const busy = [1, 2, 3].map(() => simE!.client.chat(chatBody(YOYO)));
    try {
      expect(await eventually(() => simE!.load?.waiting === 2, 5_000)).toBe(true);
      expect(simE!.load?.running).toBe(1);
      expect(plainE!.load).toBeNull();
      expect(plain.metricsAsked()).toBeGreaterThan(0);
      // The first reading is logged at once, each endpoint under its own name.
      const line = log.lines.find((l) => l.startsWith('info: server load:'));
      expect(line).toMatch(
        /^info: server load: plain: no metrics; sim: \d running, \d waiting, KV cache \d+%$/,
      );
    } finally {
      watch.stop();
      await Promise.all(busy);
    }
  });

  it('an endpoint taken out is no longer read; the others still are', async () => {
    const sim = await start({ model: MODEL });
    const plain = await noMetrics();
    const pool = new EndpointPool(
      [
        { name: 'plain', client: clientFor(plain.baseUrl) },
        { name: 'sim', client: clientFor(sim.baseUrl) },
      ],
      4,
    );
    const [plainE, simE] = pool.endpoints;
    pool.takeOut(plainE!, 'gone');
    const watch = watchServerLoad(pool.endpoints, recordingLogger(), { pollS: 0.05 });
    try {
      expect(await eventually(() => simE!.load !== null, 5_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(plain.metricsAsked()).toBe(0);
    } finally {
      watch.stop();
    }
  });

  it('scoreVideos watches the endpoints it scores on (as with checkpoint, where base-url is empty)', async () => {
    const sim = await start({ model: MODEL, capacity: 2, latencyMs: 150 });
    const log = recordingLogger();
    const items = evalItems(12, (i) => `${YOYO}?${i}`);
    const outcome = await scoreVideos({
      items,
      endpoints: [{ name: 'owned', client: clientFor(sim.baseUrl) }],
      concurrency: 'auto',
      buildBody: (item) => chatBody(item.requestUrl),
      onResult: () => {},
      maxErrors: 0,
      log,
      progressEveryS: 3600,
      watchLoad: { pollS: 0.05 },
    });
    expect(outcome.complete).toBe(true);
    // One endpoint: the line does not name it.
    expect(log.text()).toMatch(/^info: server load: 2 running, \d+ waiting, KV cache \d+%$/m);
  });
});
