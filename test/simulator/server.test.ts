import { describe, expect, it } from 'vitest';
import { useSimulators } from '../helpers/simulators.js';
import { startSimulator } from '../../src/simulator/index.js';
import { chatBody, MODEL, post, YOYO } from '../helpers/chat.js';

const start = useSimulators();

describe('simulator endpoints (shapes as in vllm-protocol.md)', () => {
  it('answers a chat completion with every key vLLM sends', async () => {
    const sim = await start();
    const a = await post(sim, chatBody(YOYO));
    expect(a.status).toBe(200);
    const json = a.json as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(
      [
        'id',
        'object',
        'created',
        'model',
        'choices',
        'service_tier',
        'system_fingerprint',
        'usage',
        'prompt_logprobs',
        'kv_transfer_params',
      ].sort(),
    );
    expect(json).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-[0-9a-f]{32}$/) as unknown,
      object: 'chat.completion',
      created: expect.any(Number) as unknown,
      model: MODEL,
      service_tier: null,
      system_fingerprint: null,
      prompt_logprobs: null,
      kv_transfer_params: null,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: expect.stringMatching(/^[1-5]\.?\n?$/) as unknown,
            refusal: null,
            annotations: null,
            audio: null,
            function_call: null,
            tool_calls: [],
            reasoning: null,
          },
          logprobs: null,
          finish_reason: 'stop',
          stop_reason: null,
        },
      ],
    });
    const usage = json.usage as Record<string, number | null>;
    expect(Object.keys(usage).sort()).toEqual(
      ['completion_tokens', 'prompt_tokens', 'prompt_tokens_details', 'total_tokens'].sort(),
    );
    expect(usage.prompt_tokens).toBeGreaterThan(6000);
    expect(usage.prompt_tokens).toBeLessThan(6500);
    expect(usage.total_tokens).toBe((usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0));
    expect(usage.prompt_tokens_details).toBeNull();
    expect(sim.stats).toMatchObject({ chatRequests: 1, completed: 1, byStatus: { 200: 1 } });
  });

  it('GET /version and /v1/models', async () => {
    const sim = await start({ version: '0.11.2', maxModelLen: 8192, root: '/models/cosmos' });
    expect(await (await fetch(`${sim.url}/version`)).json()).toEqual({ version: '0.11.2' });
    const models = (await (await fetch(`${sim.baseUrl}/models`)).json()) as {
      object: string;
      data: Record<string, unknown>[];
    };
    expect(models.object).toBe('list');
    expect(models.data).toHaveLength(1);
    expect(models.data[0]).toMatchObject({
      id: MODEL,
      object: 'model',
      created: expect.any(Number) as unknown,
      owned_by: 'vllm',
      root: '/models/cosmos',
      parent: null,
      max_model_len: 8192,
      permission: [{ object: 'model_permission', allow_sampling: true, group: null }],
    });
  });

  it('root defaults to the served model name', async () => {
    const sim = await start({ model: 'my-critic' });
    const models = (await (await fetch(`${sim.baseUrl}/models`)).json()) as {
      data: { id: string; root: string }[];
    };
    expect(models.data[0]).toMatchObject({ id: 'my-critic', root: 'my-critic' });
  });

  it('/health is 503 while loading, then 200 with an empty body; /v1 is 503 JSON meanwhile', async () => {
    const sim = await start({ readyAfterMs: 300 });
    const early = await fetch(`${sim.url}/health`);
    expect(early.status).toBe(503);
    await early.text();
    const chat = await post(sim, chatBody(YOYO));
    expect(chat.status).toBe(503);
    expect(chat.json).toEqual({
      error: {
        message: expect.any(String) as unknown,
        type: 'ServiceUnavailableError',
        param: null,
        code: 503,
      },
    });
    let status = 503;
    const deadline = Date.now() + 5000;
    while (status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const res = await fetch(`${sim.url}/health`);
      status = res.status;
      if (status === 200) expect(await res.text()).toBe('');
      else await res.text();
    }
    expect(status).toBe(200);
    expect((await post(sim, chatBody(YOYO))).status).toBe(200);
  });

  it('GET /metrics exposes running, waiting and KV-cache gauges labelled by model', async () => {
    const sim = await start({ latencyMs: 200, capacity: 1 });
    const inflight = [post(sim, chatBody(YOYO)), post(sim, chatBody(`${YOYO}?b`))];
    while (sim.stats.waiting < 1) await new Promise((r) => setTimeout(r, 5));
    const res = await fetch(`${sim.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const label = `{model_name="${MODEL}",engine="0"}`;
    expect(text).toContain(`vllm:num_requests_running${label} 1.0`);
    expect(text).toContain(`vllm:num_requests_waiting${label} 1.0`);
    expect(text).toContain(`vllm:kv_cache_usage_perc${label} 1.0`);
    expect(text).toContain('# TYPE vllm:num_requests_waiting gauge');
    await Promise.all(inflight);
    const after = await (await fetch(`${sim.url}/metrics`)).text();
    expect(after).toContain(`vllm:num_requests_running${label} 0.0`);
    expect(after).toMatch(/vllm:prompt_tokens_total\{[^}]*\} \d{5}/);
  });

  it('unknown paths are 404 {"detail":"Not Found"}, wrong methods 405', async () => {
    const sim = await start();
    const res = await fetch(`${sim.url}/v1/completions/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: 'Not Found' });
    const wrong = await fetch(`${sim.baseUrl}/chat/completions`);
    expect(wrong.status).toBe(405);
    expect(await wrong.json()).toEqual({ detail: 'Method Not Allowed' });
  });

  it('with an api key, /v1/* needs the bearer token; /health does not', async () => {
    const sim = await start({ apiKey: 'sekret' });
    const none = await post(sim, chatBody(YOYO));
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: 'Unauthorized' });
    const wrong = await post(sim, chatBody(YOYO), { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const ok = await post(sim, chatBody(YOYO), { authorization: 'Bearer sekret' });
    expect(ok.status).toBe(200);
    const models = await fetch(`${sim.baseUrl}/models`);
    expect(models.status).toBe(401);
    await models.text();
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    expect(sim.stats.byStatus).toEqual({ 401: 2, 200: 1 });
  });

  it('records request bodies when asked', async () => {
    const sim = await start({ record: true });
    const body = chatBody(YOYO);
    await post(sim, body);
    await post(sim, '{not json');
    expect(sim.recorded).toEqual([body, '{not json']);
  });

  it('binds the port it is given and reports its URLs', async () => {
    const probe = await startSimulator();
    const port = probe.port;
    await probe.close();
    const sim = await start({ port });
    expect(sim.port).toBe(port);
    expect(sim.url).toBe(`http://127.0.0.1:${port}`);
    expect(sim.baseUrl).toBe(`http://127.0.0.1:${port}/v1`);
  });
});
