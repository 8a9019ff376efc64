import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { VllmClient } from '../../src/vllm/client.js';
import { retryDelayMs, shouldRetryStatus } from '../../src/vllm/retry.js';

describe('retry policy (after openai-node)', () => {
  it.each([
    [408, {}, true],
    [409, {}, true],
    [429, {}, true],
    [500, {}, true],
    [503, {}, true],
    [400, {}, false],
    [404, {}, false],
    [422, {}, false],
    [400, { 'x-should-retry': 'true' }, true],
    [503, { 'x-should-retry': 'false' }, false],
  ] as const)('status %i with %j: retry %s', (status, headers, expected) => {
    expect(shouldRetryStatus(status, headers)).toBe(expected);
  });

  it('honours retry-after-ms, then retry-after (seconds or date) within 0-60 s, else capped backoff with jitter', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayMs(0, { 'retry-after-ms': '250' }, now, 0.5)).toBe(250);
    expect(retryDelayMs(0, { 'retry-after': '2' }, now, 0.5)).toBe(2000);
    expect(retryDelayMs(0, { 'retry-after': new Date(now + 3000).toUTCString() }, now, 0.5)).toBe(
      3000,
    );
    expect(retryDelayMs(0, { 'retry-after': '120' }, now, 0)).toBe(500); // out of range: backoff
    expect(retryDelayMs(0, {}, now, 0)).toBe(500);
    expect(retryDelayMs(2, {}, now, 0)).toBe(2000);
    expect(retryDelayMs(10, {}, now, 0)).toBe(8000);
    expect(retryDelayMs(10, {}, now, 0.999)).toBeCloseTo(8000 * (1 - 0.999 * 0.25), 6);
  });
});

/** A server scripted per request: each entry answers one request in turn (a proxy, a broken server...). */
type Script = ((res: import('node:http').ServerResponse) => void)[];
let server: Server | undefined;
const times: number[] = [];
async function scripted(script: Script): Promise<string> {
  times.length = 0;
  let i = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      times.push(performance.now());
      const step = script[Math.min(i++, script.length - 1)];
      step?.(res);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
}
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const ok = (res: import('node:http').ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      choices: [{ index: 0, message: { role: 'assistant', content: '3' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    }),
  );

describe('VllmClient retries over real HTTP', () => {
  it('waits as a 429 Retry-After says, then succeeds', async () => {
    const base = await scripted([
      (res) =>
        res.writeHead(429, { 'retry-after-ms': '200' }).end('{"error": {"message": "slow down"}}'),
      ok,
    ]);
    const client = new VllmClient({ baseUrl: base, timeoutMs: 5000, maxRetries: 3 });
    const out = await client.chat({ model: 'm' });
    await client.close();
    expect(out).toMatchObject({ ok: true, content: '3' });
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('x-should-retry: false stops retries; the server message is kept', async () => {
    const base = await scripted([
      (res) =>
        res
          .writeHead(503, { 'x-should-retry': 'false' })
          .end('{"object": "error", "message": "engine dead", "code": 503}'),
    ]);
    const client = new VllmClient({ baseUrl: base, timeoutMs: 5000, maxRetries: 3 });
    const out = await client.chat({ model: 'm' });
    await client.close();
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'http_5xx', status: 503, message: 'HTTP 503: engine dead' },
    });
    expect(times).toHaveLength(1);
  });

  it('a reset connection is retried; truncated JSON and a body without choices are bad responses', async () => {
    const base = await scripted([
      (res) => res.socket?.destroy(),
      (res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [{"mess'),
      (res) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"object": "chat.completion"}'),
    ]);
    const client = new VllmClient({ baseUrl: base, timeoutMs: 5000, maxRetries: 2 });
    const first = await client.chat({ model: 'm' });
    expect(first).toMatchObject({ ok: false, error: { kind: 'bad_response' } });
    if (!first.ok) expect(first.error.message).toMatch(/not JSON/);
    expect(times).toHaveLength(2);
    expect(await client.chat({ model: 'm' })).toMatchObject({
      ok: false,
      error: { kind: 'bad_response', message: 'response has no choices[0].message' },
    });
    await client.close();
  });

  it('reads reasoning (and the older reasoning_content) when content is null', async () => {
    const base = await scripted([
      (res) =>
        res.writeHead(200).end(
          JSON.stringify({
            choices: [
              { message: { content: null, reasoning: 'thinking... 4' }, finish_reason: 'length' },
            ],
          }),
        ),
      (res) =>
        res.writeHead(200).end(
          JSON.stringify({
            choices: [
              { message: { content: null, reasoning_content: 'old 2' }, finish_reason: 'stop' },
            ],
          }),
        ),
    ]);
    const client = new VllmClient({ baseUrl: base, timeoutMs: 5000, maxRetries: 0 });
    expect(await client.chat({})).toMatchObject({
      ok: true,
      content: null,
      reasoning: 'thinking... 4',
      finishReason: 'length',
      usage: null,
    });
    expect(await client.chat({})).toMatchObject({ ok: true, content: null, reasoning: 'old 2' });
    await client.close();
  });
});
