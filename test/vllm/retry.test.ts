/**
 * The client's retries, timeouts and error reports over real HTTP, against a server scripted per request
 * (a proxy, a broken server...). The retry loop is openai-node's; what is ours is asserted here: which faults
 * are retried, how often, how long it waits, and what the gate is told in the end.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { VllmClient } from '../../src/vllm/client.js';
import { deadPort } from '../helpers/free-port.js';

type Step = (res: ServerResponse, req: IncomingMessage) => void;
let server: Server | undefined;
const times: number[] = [];
const seen: IncomingMessage['headers'][] = [];
const bodies: string[] = [];
/** Each step answers one request in turn; the last one answers all the rest. */
async function scripted(script: Step[]): Promise<string> {
  times.length = 0;
  seen.length = 0;
  bodies.length = 0;
  let i = 0;
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      times.push(performance.now());
      seen.push(req.headers);
      bodies.push(text);
      script[Math.min(i++, script.length - 1)]?.(res, req);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
}
let client: VllmClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});
const connect = (
  baseUrl: string,
  maxRetries: number,
  extra: { timeoutMs?: number; apiKey?: string } = {},
) => (client = new VllmClient({ baseUrl, timeoutMs: 5_000, maxRetries, ...extra }));

const ok: Step = (res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      choices: [{ index: 0, message: { role: 'assistant', content: '3' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    }),
  );
const status =
  (code: number, body: string, headers: Record<string, string> = {}): Step =>
  (res) =>
    res.writeHead(code, { 'content-type': 'application/json', ...headers }).end(body);
const truncated: Step = (res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [{"mess');
const hang: Step = () => undefined;
const gap = (i: number): number => (times[i + 1] ?? 0) - (times[i] ?? 0);

describe('what is retried, and how long the client waits', () => {
  it('a 429 with retry-after-ms is waited out, then succeeds', async () => {
    connect(
      await scripted([
        status(429, '{"error": {"message": "slow down"}}', { 'retry-after-ms': '200' }),
        ok,
      ]),
      3,
    );
    expect(await client!.chat({ model: 'm' })).toMatchObject({ ok: true, content: '3' });
    expect(times).toHaveLength(2);
    expect(gap(0)).toBeGreaterThanOrEqual(190);
  });

  it('a 429 with Retry-After in seconds waits that long (the default first backoff is <= 0.5 s)', async () => {
    connect(await scripted([status(429, '{}', { 'retry-after': '1' }), ok]), 3);
    expect((await client!.chat({ model: 'm' })).ok).toBe(true);
    expect(gap(0)).toBeGreaterThanOrEqual(950);
  });

  it('a 5xx is retried with backoff, then reported with the server message and the attempt count', async () => {
    connect(
      await scripted([status(500, '{"error": {"message": "EngineCore died", "code": 500}}')]),
      2,
    );
    expect(await client!.chat({ model: 'm' })).toMatchObject({
      ok: false,
      error: { kind: 'http_5xx', status: 500, message: 'HTTP 500: EngineCore died (attempt 3)' },
    });
    expect(times).toHaveLength(3);
    // 0.5 s then 1 s, each minus up to 25% jitter.
    expect(gap(0)).toBeGreaterThanOrEqual(370);
    expect(gap(1)).toBeGreaterThanOrEqual(740);
  });

  it('a 400 is not retried; the message is the server’s (new and pre-0.10.1 formats)', async () => {
    connect(
      await scripted([
        status(
          400,
          '{"error": {"message": "This model\'s maximum context length is 32768 tokens", "type": "BadRequestError", "code": 400}}',
        ),
        status(422, '{"object": "error", "message": "could not decode video", "code": 422}'),
      ]),
      3,
    );
    expect(await client!.chat({ model: 'm' })).toMatchObject({
      ok: false,
      error: {
        kind: 'http_4xx',
        status: 400,
        message: "HTTP 400: This model's maximum context length is 32768 tokens (attempt 1)",
      },
    });
    expect(await client!.chat({ model: 'm' })).toMatchObject({
      ok: false,
      error: {
        kind: 'http_4xx',
        status: 422,
        message: 'HTTP 422: could not decode video (attempt 1)',
      },
    });
    expect(times).toHaveLength(2);
  });

  it('x-should-retry: false stops retries of a 503', async () => {
    connect(
      await scripted([
        status(503, '{"object": "error", "message": "engine dead", "code": 503}', {
          'x-should-retry': 'false',
        }),
      ]),
      3,
    );
    expect(await client!.chat({ model: 'm' })).toMatchObject({
      ok: false,
      error: { kind: 'http_5xx', status: 503, message: 'HTTP 503: engine dead (attempt 1)' },
    });
    expect(times).toHaveLength(1);
  });

  it('a reset connection is retried', async () => {
    connect(await scripted([(res) => res.socket?.destroy(), ok]), 2);
    expect((await client!.chat({ model: 'm' })).ok).toBe(true);
    expect(times).toHaveLength(2);
  });

  it('a reset on every attempt is a connection error naming the code and the attempts', async () => {
    connect(await scripted([(res) => res.socket?.destroy()]), 1);
    const out = await client!.chat({ model: 'm' });
    expect(out).toMatchObject({ ok: false, error: { kind: 'connection' } });
    if (!out.ok) expect(out.error.message).toMatch(/^connection error: \S+ \(attempt 2\)$/);
    expect(times).toHaveLength(2);
  });

  it('connection refused is retried, then a connection error', async () => {
    connect(`http://127.0.0.1:${await deadPort()}/v1`, 1);
    const t0 = performance.now();
    expect(await client!.chat({ model: 'm' })).toMatchObject({
      ok: false,
      error: { kind: 'connection', message: 'connection error: ECONNREFUSED (attempt 2)' },
    });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(370); // one backoff
  });

  it('a 200 cut mid-JSON is retried as transient, then succeeds', async () => {
    connect(await scripted([truncated, ok]), 2);
    expect(await client!.chat({ model: 'm' })).toMatchObject({ ok: true, content: '3' });
    expect(times).toHaveLength(2);
    expect(gap(0)).toBeGreaterThanOrEqual(370); // the same backoff as a 5xx
  });

  it('a 200 cut mid-JSON on every attempt is a bad_response after max-retries', async () => {
    connect(await scripted([truncated]), 2);
    const out = await client!.chat({ model: 'm' });
    expect(out).toMatchObject({ ok: false, error: { kind: 'bad_response' } });
    if (!out.ok) {
      expect(out.error.message).toMatch(/^response is not JSON \(.+; 19 bytes\) \(attempt 3\)$/);
      expect(out.error.status).toBeUndefined();
    }
    expect(times).toHaveLength(3);
  });

  it('a JSON 200 without choices[0].message is a bad_response, not retried', async () => {
    connect(await scripted([status(200, '{"object": "chat.completion"}'), ok]), 2);
    expect(await client!.chat({ model: 'm' })).toMatchObject({
      ok: false,
      error: { kind: 'bad_response', message: 'response has no choices[0].message' },
    });
    expect(times).toHaveLength(1);
  });
});

describe('timeouts and cancellation', () => {
  it('the timeout is per attempt: a hung first attempt is retried', async () => {
    connect(await scripted([hang, ok]), 1, { timeoutMs: 300 });
    expect((await client!.chat({ model: 'm' })).ok).toBe(true);
    expect(times).toHaveLength(2);
    expect(gap(0)).toBeGreaterThanOrEqual(300 + 370);
  });

  it('a timeout on every attempt is reported as timeout with the attempts', async () => {
    connect(await scripted([hang]), 1, { timeoutMs: 300 });
    expect(await client!.chat({ model: 'm' })).toMatchObject({
      ok: false,
      error: { kind: 'timeout', message: 'no answer within request-timeout 0.3 s (attempt 2)' },
    });
  });

  it('abort during a request and during a retry wait: aborted at once, nothing more sent', async () => {
    connect(await scripted([hang]), 3);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    let t0 = performance.now();
    expect(await client!.chat({ model: 'm' }, ac.signal)).toMatchObject({
      ok: false,
      error: { kind: 'aborted' },
    });
    expect(performance.now() - t0).toBeLessThan(1_000);
    await client!.close();
    server?.closeAllConnections();

    connect(await scripted([status(429, '{}', { 'retry-after': '30' })]), 3);
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 200);
    t0 = performance.now();
    expect(await client!.chat({ model: 'm' }, ac2.signal)).toMatchObject({
      ok: false,
      error: { kind: 'aborted' },
    });
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(times).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('256 requests in flight reach the server at once: no socket cap, no serialisation', async () => {
    // The server answers nothing until all 256 are open; a pool capped below that would never get there.
    const waiting: ServerResponse[] = [];
    const sockets = new Set<unknown>();
    connect(
      await scripted([
        (res, req) => {
          sockets.add(req.socket);
          waiting.push(res);
          if (waiting.length === 256) for (const r of waiting.splice(0)) ok(r, req);
        },
      ]),
      0,
      { timeoutMs: 20_000 },
    );
    const outs = await Promise.all(Array.from({ length: 256 }, () => client!.chat({ model: 'm' })));
    expect(outs.every((o) => o.ok)).toBe(true);
    expect(sockets.size).toBe(256);
  });
});

describe('readiness probe', () => {
  it('a 200 from /health (empty body) is ready, without asking /v1/models', async () => {
    const paths: string[] = [];
    connect(
      await scripted([
        (res, req) => {
          paths.push(req.url ?? '');
          if (req.url === '/health') res.writeHead(200).end();
          else status(500, '{}')(res, req);
        },
      ]),
      0,
    );
    expect(await client!.probe()).toEqual({
      ready: true,
      detail: `${client!.root}/health answered 200`,
    });
    expect(paths).toEqual(['/health']);
  });

  it('no /health behind a proxy: /v1/models decides, 401 says check api-key', async () => {
    connect(await scripted([status(404, '{}'), status(401, '{"error": {"message": "no"}}')]), 3);
    expect(await client!.probe()).toEqual({
      ready: false,
      detail: `${client!.root}/v1/models answered HTTP 401: check api-key`,
    });
    expect(times).toHaveLength(2);
  });
});

describe('credentials', () => {
  it('the api key is sent as a bearer token and masked out of an echoed error', async () => {
    const key = 'sk-secret-123';
    connect(
      await scripted([
        (res, req) =>
          status(
            400,
            JSON.stringify({
              error: { message: `bad request; headers were ${JSON.stringify(req.headers)}` },
            }),
          )(res, req),
      ]),
      0,
      { apiKey: key },
    );
    const out = await client!.chat({ model: 'm' });
    expect(seen[0]?.authorization).toBe(`Bearer ${key}`);
    expect(out).toMatchObject({ ok: false, error: { kind: 'http_4xx', status: 400 } });
    if (!out.ok) {
      expect(out.error.message).toContain('Bearer ***');
      expect(out.error.message).not.toContain(key);
    }
  });

  it('without an api key no Authorization header is sent, whatever OPENAI_API_KEY says', async () => {
    const before = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-a-real-openai-key';
    try {
      connect(await scripted([ok]), 0);
      expect((await client!.chat({ model: 'm' })).ok).toBe(true);
      expect((await client!.models().catch(() => [])).length).toBe(0);
    } finally {
      if (before === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = before;
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const h of seen) expect(h.authorization).toBeUndefined();
  });
});

describe('what vLLM adds to a completion', () => {
  it('reads reasoning (and the older reasoning_content) when content is null, without a JSON content-type', async () => {
    connect(
      await scripted([
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
              usage: { prompt_tokens: 6287, completion_tokens: 10, total_tokens: 6297 },
            }),
          ),
      ]),
      0,
    );
    expect(await client!.chat({})).toMatchObject({
      ok: true,
      content: null,
      reasoning: 'thinking... 4',
      finishReason: 'length',
      usage: null,
    });
    expect(await client!.chat({})).toMatchObject({
      ok: true,
      content: null,
      reasoning: 'old 2',
      usage: { prompt_tokens: 6287, completion_tokens: 10 },
    });
  });

  it('sends vLLM-only fields and video_url parts as given', async () => {
    connect(await scripted([ok]), 0);
    const body = {
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'video_url', video_url: { url: 'https://v/a.mp4' } }] },
      ],
      top_k: 20,
      repetition_penalty: 1.0,
      mm_processor_kwargs: { fps: 16 },
      media_io_kwargs: { video: { num_frames: -1 } },
      chat_template_kwargs: { enable_thinking: false },
    };
    expect((await client!.chat(body)).ok).toBe(true);
    expect(JSON.parse(bodies[0] ?? '')).toEqual(body);
    expect(seen[0]?.['content-type']).toMatch(/application\/json/);
  });
});
