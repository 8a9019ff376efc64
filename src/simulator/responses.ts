/**
 * JSON and text bodies with the exact shapes vLLM's OpenAI-compatible server returns
 * (see /work/shared/reference/vllm-protocol.md). Every key vLLM sends is present, nulls included,
 * so clients that check for a key's presence behave as they would against the real server.
 */
import { randomUUID } from 'node:crypto';
import type { SimulatorOptions } from './options.js';

/** v0.10.1+ error envelope. */
export function errorBody(status: number, type: string, message: string) {
  return { error: { message, type, param: null, code: status } };
}

export interface CompletionParts {
  model: string;
  content: string | null;
  reasoning: string | null;
  finishReason: 'stop' | 'length';
  promptTokens: number;
  completionTokens: number;
  /** false: answer without `usage`, as some OpenAI-compatible proxies do. */
  usage?: boolean;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function chatCompletionBody(p: CompletionParts) {
  return {
    id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
    object: 'chat.completion',
    created: nowSeconds(),
    model: p.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: p.content,
          refusal: null,
          annotations: null,
          audio: null,
          function_call: null,
          tool_calls: [],
          reasoning: p.reasoning,
        },
        logprobs: null,
        finish_reason: p.finishReason,
        stop_reason: null,
      },
    ],
    service_tier: null,
    system_fingerprint: null,
    ...(p.usage === false
      ? {}
      : {
          usage: {
            prompt_tokens: p.promptTokens,
            total_tokens: p.promptTokens + p.completionTokens,
            completion_tokens: p.completionTokens,
            prompt_tokens_details: null,
          },
        }),
    prompt_logprobs: null,
    kv_transfer_params: null,
  };
}

/** GET /v1/models: vLLM lists one ModelCard with one default ModelPermission. */
export function modelsBody(opts: SimulatorOptions) {
  const created = nowSeconds();
  return {
    object: 'list',
    data: [
      {
        id: opts.model,
        object: 'model',
        created,
        owned_by: 'vllm',
        root: opts.root,
        parent: null,
        max_model_len: opts.maxModelLen,
        permission: [
          {
            id: `modelperm-${randomUUID().replaceAll('-', '')}`,
            object: 'model_permission',
            created,
            allow_create_engine: false,
            allow_sampling: true,
            allow_logprobs: true,
            allow_search_indices: false,
            allow_view: true,
            allow_fine_tuning: false,
            organization: '*',
            group: null,
            is_blocking: false,
          },
        ],
      },
    ],
  };
}

export interface MetricsSnapshot {
  running: number;
  waiting: number;
  promptTokens: number;
  generationTokens: number;
  e2eSecondsSum: number;
  e2eCount: number;
}

/** Prometheus float formatting as prometheus_client does it (`1.0`, not `1`). */
const num = (x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(x));

/** GET /metrics: the gauges a client or autoscaler watches, labelled like vLLM (model_name, engine). */
export function metricsText(opts: SimulatorOptions, m: MetricsSnapshot): string {
  const labels = `model_name=${JSON.stringify(opts.model)},engine="0"`;
  // With unbounded capacity there is no KV budget to speak of; pretend 256 sequences fill it.
  const slots = Number.isFinite(opts.capacity) ? opts.capacity : 256;
  const kv = Math.min(1, m.running / slots);
  const lines = [
    [
      'vllm:num_requests_running',
      'gauge',
      'Number of requests in model execution batches.',
      m.running,
    ],
    [
      'vllm:num_requests_waiting',
      'gauge',
      'Number of requests waiting to be processed.',
      m.waiting,
    ],
    ['vllm:kv_cache_usage_perc', 'gauge', 'KV-cache usage. 1 means 100 percent usage.', kv],
    ['vllm:prompt_tokens_total', 'counter', 'Number of prefill tokens processed.', m.promptTokens],
    [
      'vllm:generation_tokens_total',
      'counter',
      'Number of generation tokens processed.',
      m.generationTokens,
    ],
  ] as const;
  const out: string[] = [];
  for (const [name, type, help, value] of lines) {
    out.push(
      `# HELP ${name} ${help}`,
      `# TYPE ${name} ${type}`,
      `${name}{${labels}} ${num(value)}`,
    );
  }
  const e2e = 'vllm:e2e_request_latency_seconds';
  out.push(
    `# HELP ${e2e} Histogram of e2e request latency in seconds.`,
    `# TYPE ${e2e} histogram`,
    `${e2e}_bucket{${labels},le="+Inf"} ${num(m.e2eCount)}`,
    `${e2e}_count{${labels}} ${num(m.e2eCount)}`,
    `${e2e}_sum{${labels}} ${num(m.e2eSecondsSum)}`,
  );
  return out.join('\n') + '\n';
}
