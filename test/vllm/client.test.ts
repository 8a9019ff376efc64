import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { useSimulators } from '../helpers/simulators.js';
import { VllmClient, redactUrl, serverRoot } from '../../src/vllm/client.js';
import { waitForServer } from '../../src/vllm/wait.js';
import { deadPort } from '../helpers/free-port.js';
import { recordingLogger } from '../helpers/logger.js';

const body = (model: string, url = 'https://v.test/a.mp4') => ({
  model,
  messages: [
    {
      role: 'user',
      content: [
        { type: 'video_url', video_url: { url } },
        { type: 'text', text: 'rate' },
      ],
    },
  ],
  max_tokens: 16,
});

const start = useSimulators();
let sim: Simulator | undefined;
let client: VllmClient | undefined;
afterEach(async () => {
  await client?.close();
  sim = client = undefined;
});

const connect = (
  s: Simulator,
  extra: Partial<{ apiKey: string; maxRetries: number; timeoutMs: number }> = {},
) => new VllmClient({ baseUrl: s.baseUrl, timeoutMs: 5_000, maxRetries: 3, ...extra });

describe('VllmClient against the simulator (real HTTP)', () => {
  it('returns content, finish reason and usage of a completion', async () => {
    sim = await start({ record: true });
    client = connect(sim);
    const out = await client.chat(body(sim.options.model));
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.content).toMatch(/^[1-5]/);
    expect(out.finishReason).toBe('stop');
    expect(out.usage?.prompt_tokens).toBeGreaterThan(1000);
    expect(sim.recorded).toHaveLength(1);
  });

  it('a 400 is a per-request error that is not retried', async () => {
    sim = await start({ faults: { badVideoUrlSubstrings: ['broken'] } });
    client = connect(sim);
    const out = await client.chat(body(sim.options.model, 'https://v.test/broken.mp4'));
    expect(out).toMatchObject({ ok: false, error: { kind: 'http_4xx', status: 400 } });
    expect(sim.stats.chatRequests).toBe(1);
  });

  it('5xx is retried with backoff and recovers when a retry succeeds', async () => {
    sim = await start({ faults: { serverErrorRate: 0.5 }, seed: 3 });
    client = connect(sim, { maxRetries: 6 });
    const outs = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client!.chat(body(sim!.options.model, `https://v.test/${i}.mp4`)),
      ),
    );
    expect(outs.every((o) => o.ok)).toBe(true);
    expect(sim.stats.byStatus[500] ?? 0).toBeGreaterThan(0);
    expect(sim.stats.chatRequests).toBe(8 + (sim.stats.byStatus[500] ?? 0));
  });

  it('max-retries 0 means one attempt', async () => {
    sim = await start({ faults: { serverErrorRate: 1 } });
    client = connect(sim, { maxRetries: 0 });
    const out = await client.chat(body(sim.options.model));
    expect(out).toMatchObject({ ok: false, error: { kind: 'http_5xx', status: 500 } });
    expect(sim.stats.chatRequests).toBe(1);
  });

  it('wrong model: 404 with the server message', async () => {
    sim = await start();
    client = connect(sim);
    const out = await client.chat(body('other/model'));
    expect(out).toMatchObject({ ok: false, error: { kind: 'http_4xx', status: 404 } });
    if (!out.ok) expect(out.error.message).toMatch(/other\/model/);
  });

  it('connection refused is classified as connection', async () => {
    client = new VllmClient({
      baseUrl: `http://127.0.0.1:${await deadPort()}/v1`,
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    const out = await client.chat(body('m'));
    expect(out).toMatchObject({ ok: false, error: { kind: 'connection' } });
  });

  it('a request slower than the timeout is a timeout', async () => {
    sim = await start({ latencyMs: 2_000 });
    client = connect(sim, { timeoutMs: 200, maxRetries: 0 });
    const out = await client.chat(body(sim.options.model));
    expect(out).toMatchObject({ ok: false, error: { kind: 'timeout' } });
  });

  it('sends the api key as a bearer token', async () => {
    sim = await start({ apiKey: 'sk-secret-123' });
    client = connect(sim, { apiKey: 'sk-secret-123' });
    expect((await client.chat(body(sim.options.model))).ok).toBe(true);
    expect((await client.models())[0]?.id).toBe(sim.options.model);
    const anonymous = connect(sim, { maxRetries: 0 });
    expect(await anonymous.chat(body(sim.options.model))).toMatchObject({
      ok: false,
      error: { status: 401 },
    });
    await anonymous.close();
  });

  it('models, version and readiness probe', async () => {
    sim = await start({ version: '0.11.2', maxModelLen: 32768 });
    client = connect(sim);
    expect(await client.models()).toEqual([
      { id: sim.options.model, root: sim.options.root, maxModelLen: 32768 },
    ]);
    expect(await client.version()).toBe('0.11.2');
    expect((await client.probe()).ready).toBe(true);
  });
});

describe('waitForServer', () => {
  it('waits through the loading phase, then returns', async () => {
    sim = await start({ readyAfterMs: 600 });
    client = connect(sim);
    const log = recordingLogger();
    await waitForServer(client, 10, log, { pollMs: 100 });
    expect(log.text()).toMatch(/Waiting for the server/);
    expect(log.text()).toMatch(/Server ready after/);
  });

  it('gives up after server-timeout with a message that says it is infrastructure', async () => {
    client = new VllmClient({
      baseUrl: `http://127.0.0.1:${await deadPort()}/v1`,
      timeoutMs: 1_000,
      maxRetries: 0,
    });
    await expect(waitForServer(client, 0.5, recordingLogger(), { pollMs: 100 })).rejects.toThrow(
      /did not become ready within server-timeout 0.5 s \(last: .*ECONNREFUSED.*\).*infrastructure error/,
    );
  });
});

describe('mistakes that fail fast with the remedy', () => {
  it('a loopback port that refuses connections: "nothing listens" after the grace, not the whole server-timeout', async () => {
    const port = await deadPort();
    client = new VllmClient({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      timeoutMs: 1_000,
      maxRetries: 0,
    });
    // server-timeout 900 s: this message comes from the refused-connection path after the grace (0.5 s here).
    await expect(
      waitForServer(client, 900, recordingLogger(), { pollMs: 100, refusedGraceS: 0.5 }),
    ).rejects.toThrow(
      new RegExp(
        `^nothing listens on 127\\.0\\.0\\.1:${port}: connection refused for \\d+ s .*Is vLLM running, and on this port\\?`,
      ),
    );
  });

  it('a base-url without /v1: the 404 names the path requested and suggests .../v1', async () => {
    sim = await start();
    client = new VllmClient({ baseUrl: sim.url, timeoutMs: 5_000, maxRetries: 0 });
    await expect(client.models()).rejects.toThrow(
      new RegExp(
        `^GET ${sim.url.replace(/[.]/g, '\\.')}/models answered HTTP 404: .*did you mean 'base-url' ${sim.url.replace(/[.]/g, '\\.')}/v1\\?`,
      ),
    );
    const good = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 5_000, maxRetries: 0 });
    await expect(good.models()).resolves.toHaveLength(1);
    await good.close();
  });
});

describe('URL helpers', () => {
  it('serverRoot strips /v1, redactUrl hides credentials', () => {
    expect(serverRoot('http://h:8000/v1/')).toBe('http://h:8000');
    expect(redactUrl('http://user:pw@h:8000/v1')).toBe('http://***@h:8000/v1');
    expect(redactUrl('http://h:8000/v1')).toBe('http://h:8000/v1');
  });
});
