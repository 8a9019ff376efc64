import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchServerLoad, parsePrometheus, serverLoad } from '../../src/vllm/metrics.js';
import { VllmClient } from '../../src/vllm/client.js';
import { deadPort } from '../helpers/free-port.js';
import { useSimulators } from '../helpers/simulators.js';

/** Shaped like GET /metrics of vLLM 0.11 with data parallelism 2 (two engines), trimmed. */
const VLLM_METRICS = `# HELP python_gc_objects_collected_total Objects collected during gc
# TYPE python_gc_objects_collected_total counter
python_gc_objects_collected_total{generation="0"} 12345.0
python_gc_objects_collected_total{generation="1"} 678.0
# HELP process_virtual_memory_bytes Virtual memory size in bytes.
# TYPE process_virtual_memory_bytes gauge
process_virtual_memory_bytes 1.2345678848e+010
# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="nvidia/Cosmos-Reason2-8B"} 12.0
vllm:num_requests_running{engine="1",model_name="nvidia/Cosmos-Reason2-8B"} 11.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{engine="0",model_name="nvidia/Cosmos-Reason2-8B"} 3.0
vllm:num_requests_waiting{engine="1",model_name="nvidia/Cosmos-Reason2-8B"} 0.0
# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{engine="0",model_name="nvidia/Cosmos-Reason2-8B"} 0.75
vllm:kv_cache_usage_perc{engine="1",model_name="nvidia/Cosmos-Reason2-8B"} 0.25
# HELP vllm:prefix_cache_hits_total Prefix cache hits, in terms of number of cached tokens.
# TYPE vllm:prefix_cache_hits_total counter
vllm:prefix_cache_hits_total{engine="0",model_name="nvidia/Cosmos-Reason2-8B"} 0.0
# HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
# TYPE vllm:e2e_request_latency_seconds histogram
vllm:e2e_request_latency_seconds_bucket{engine="0",le="0.3",model_name="nvidia/Cosmos-Reason2-8B"} 0.0
vllm:e2e_request_latency_seconds_bucket{engine="0",le="2.5",model_name="nvidia/Cosmos-Reason2-8B"} 4.0
vllm:e2e_request_latency_seconds_bucket{engine="0",le="+Inf",model_name="nvidia/Cosmos-Reason2-8B"} 57.0
vllm:e2e_request_latency_seconds_count{engine="0",model_name="nvidia/Cosmos-Reason2-8B"} 57.0
vllm:e2e_request_latency_seconds_sum{engine="0",model_name="nvidia/Cosmos-Reason2-8B"} 412.5
# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{engine="1",le="+Inf",model_name="nvidia/Cosmos-Reason2-8B"} 51.0
vllm:time_to_first_token_seconds_sum{engine="1",model_name="nvidia/Cosmos-Reason2-8B"} NaN
# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig
# TYPE vllm:cache_config_info gauge
vllm:cache_config_info{block_size="16",cache_dtype="auto",engine="0",prefix_caching_hash_algo="builtin",swap_space_bytes="4294967296"} 1.0
# HELP vllm:lora_requests_info Running stats on lora requests.
# TYPE vllm:lora_requests_info gauge
vllm:lora_requests_info{max_lora="0",running_lora_adapters="",waiting_lora_adapters=""} 1.7e+09
`;

describe('parsePrometheus', () => {
  it('reads samples, labels and special values of a vLLM /metrics page, skipping comments', () => {
    const samples = parsePrometheus(VLLM_METRICS);
    expect(samples).toHaveLength(19);
    expect(samples[0]).toEqual({
      name: 'python_gc_objects_collected_total',
      labels: { generation: '0' },
      value: 12345,
    });
    expect(samples.find((s) => s.name === 'process_virtual_memory_bytes')).toEqual({
      name: 'process_virtual_memory_bytes',
      labels: {},
      value: 12345678848,
    });
    const inf = samples.find((s) => s.labels.le === '+Inf');
    expect(inf?.labels).toEqual({
      engine: '0',
      le: '+Inf',
      model_name: 'nvidia/Cosmos-Reason2-8B',
    });
    const ttft = samples.find((s) => s.name === 'vllm:time_to_first_token_seconds_sum');
    expect(Number.isNaN(ttft?.value)).toBe(true);
    expect(samples.at(-1)?.labels.running_lora_adapters).toBe('');
  });

  it('unescapes label values and reads infinities, signs and timestamps', () => {
    const text = [
      'm{path="C:\\\\dir",q="say \\"hi\\"",nl="a\\nb",odd="\\x"} +Inf 1700000000000',
      'm{ a = "1" , } -Inf',
      'n -1.5e-3',
      'n_total .5',
      '# EOF',
    ].join('\r\n');
    expect(parsePrometheus(text)).toEqual([
      {
        name: 'm',
        labels: { path: 'C:\\dir', q: 'say "hi"', nl: 'a\nb', odd: '\\x' },
        value: Infinity,
        timestampMs: 1700000000000,
      },
      { name: 'm', labels: { a: '1' }, value: -Infinity },
      { name: 'n', labels: {}, value: -0.0015 },
      { name: 'n_total', labels: {}, value: 0.5 },
    ]);
  });

  it.each([
    ['m{a="1" 3', /metrics line 1: expected ',' or '}' after label a/],
    ['m{a="1} 3', /metrics line 1: unterminated value of label a/],
    ['m 3 4 5', /metrics line 1: expected '<value> \[timestamp\]' after m, got '3 4 5'/],
    ['\n\nm abc', /metrics line 3: expected '<value> \[timestamp\]'/],
    ['m', /metrics line 1: expected '<value>/],
    ['{a="1"} 3', /metrics line 1: expected a metric name/],
    ['m 1 soon', /metrics line 1: timestamp 'soon' is not a number/],
  ])('names the line of a malformed sample: %j', (text, message) => {
    expect(() => parsePrometheus(text)).toThrow(message);
  });
});

describe('serverLoad', () => {
  it('sums running and waiting over engines; KV-cache use is their mean and max', () => {
    expect(serverLoad(VLLM_METRICS)).toEqual({
      running: 23,
      waiting: 3,
      kvCacheUsage: 0.5,
      kvCacheUsageMax: 0.75,
    });
  });

  it('reads the older gpu_cache_usage_perc name', () => {
    const text =
      'vllm:gpu_cache_usage_perc{model_name="m"} 0.4\nvllm:num_requests_running{model_name="m"} 2\n';
    expect(serverLoad(text)).toEqual({
      running: 2,
      waiting: null,
      kvCacheUsage: 0.4,
      kvCacheUsageMax: 0.4,
    });
  });

  it('is null for metrics of something that is not vLLM', () => {
    expect(serverLoad('# HELP up x\nup 1\n')).toBeNull();
  });
});

const startSim = useSimulators();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server that answers every path with `status` and `body`. */
async function plain(status: number, body: string): Promise<string> {
  const srv = createServer((_req, res) => res.writeHead(status).end(body));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  servers.push(srv);
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

describe('fetchServerLoad', () => {
  it('reads the simulator: idle, then with requests running and queued', async () => {
    const sim = await startSim({ capacity: 2, latencyMs: 2_000 });
    expect(await fetchServerLoad(sim.url, 5_000)).toEqual({
      running: 0,
      waiting: 0,
      kvCacheUsage: 0,
      kvCacheUsageMax: 0,
    });
    const client = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 10_000, maxRetries: 0 });
    const body = {
      model: sim.options.model,
      messages: [
        {
          role: 'user',
          content: [{ type: 'video_url', video_url: { url: 'https://v.test/a.mp4' } }],
        },
      ],
    };
    const stop = new AbortController();
    const pending = Array.from({ length: 5 }, () => client.chat(body, stop.signal));
    // Wait until the simulator has all five (no clock: poll its own counters).
    while (sim.stats.inFlight + sim.stats.waiting < 5) await new Promise((r) => setTimeout(r, 5));
    expect(await fetchServerLoad(`${sim.url}/`, 5_000)).toEqual({
      running: 2,
      waiting: 3,
      kvCacheUsage: 1,
      kvCacheUsageMax: 1,
    });
    stop.abort();
    await Promise.all(pending);
    await client.close();
  });

  it('is null without /metrics (404), with a non-vLLM page, or with nobody listening', async () => {
    expect(await fetchServerLoad(await plain(404, '{"detail":"Not Found"}'), 2_000)).toBeNull();
    expect(await fetchServerLoad(await plain(200, '<html>proxy</html>'), 2_000)).toBeNull();
    expect(await fetchServerLoad(await plain(200, 'up 1\n'), 2_000)).toBeNull();
    expect(await fetchServerLoad(`http://127.0.0.1:${await deadPort()}`, 2_000)).toBeNull();
  });
});
