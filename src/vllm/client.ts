import { Agent, request } from 'undici';
import { retryDelayMs, shouldRetryStatus, sleep } from './retry.js';
import type { ErrorKind } from '../core/types.js';

export interface ChatSuccess {
  ok: true;
  content: string | null;
  reasoning: string | null;
  finishReason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
  latencyMs: number;
}

export interface ChatFailure {
  ok: false;
  error: { kind: ErrorKind; status?: number; message: string };
  latencyMs: number;
}

export type ChatOutcome = ChatSuccess | ChatFailure;

export interface ModelInfo {
  id: string;
  root: string | null;
  maxModelLen: number | null;
}

export interface ClientOptions {
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  maxRetries: number;
}

/** vLLM serves /health and /version at the root, the OpenAI API under /v1. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** Credentials in a URL (http://user:pass@host) must not reach a log or summary. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.href.replace(/\/$/, '');
  } catch {
    return '<invalid url>';
  }
}

type Parsed = Omit<ChatSuccess, 'latencyMs'> | Omit<ChatFailure, 'latencyMs'>;

/** A 200 body into what the gate keeps; a body that is not a chat completion is a bad response. */
function parseCompletion(text: string): Parsed {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    return {
      ok: false,
      error: {
        kind: 'bad_response',
        message: `response is not JSON (${(e as Error).message}; ${text.length} bytes)`,
      },
    };
  }
  const choice = Array.isArray(doc.choices)
    ? (doc.choices[0] as Record<string, unknown> | undefined)
    : undefined;
  const message = choice?.message as Record<string, unknown> | undefined;
  if (!choice || !message)
    return {
      ok: false,
      error: { kind: 'bad_response', message: 'response has no choices[0].message' },
    };
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const usage = doc.usage as Record<string, unknown> | undefined;
  return {
    ok: true,
    content: str(message.content),
    // `reasoning` since vLLM PR #27752; `reasoning_content` before (removed in ~0.17).
    reasoning: str(message.reasoning) ?? str(message.reasoning_content),
    finishReason: str(choice.finish_reason),
    usage:
      usage &&
      typeof usage.prompt_tokens === 'number' &&
      typeof usage.completion_tokens === 'number'
        ? { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens }
        : null,
  };
}

/** The server's own words from an error body: `{"error": {"message"}}` (vLLM >= 0.10.1) or `{"message"}` (older). */
function serverMessage(text: string): string {
  try {
    const doc = JSON.parse(text) as {
      error?: { message?: unknown } | string;
      message?: unknown;
      detail?: unknown;
    };
    const m =
      typeof doc.error === 'object' ? doc.error?.message : (doc.error ?? doc.message ?? doc.detail);
    if (typeof m === 'string') return m.slice(0, 500);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200) || '(empty body)';
}

function errorCode(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string }; message?: string };
  return err.code ?? err.cause?.code ?? err.message ?? String(e);
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * The one place that talks to vLLM, over undici's request API with keep-alive. (openai-node cost about 3.8x
 * the CPU and 2.3x the peak RSS per request in a one-off measurement here; its retry policy is kept, in
 * retry.ts.) Each attempt has its own timeout; undici's header/body timeouts follow it, since
 * vLLM sends nothing until a long video request is done.
 */
export class VllmClient {
  readonly root: string;
  private readonly agent: Agent;
  private readonly headers: Record<string, string>;
  private readonly chatUrl: string;

  constructor(private readonly opts: ClientOptions) {
    this.root = serverRoot(opts.baseUrl);
    this.chatUrl = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.agent = new Agent({
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      keepAliveTimeout: 60_000,
    });
    this.headers = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};
  }

  async chat(body: Record<string, unknown>, signal?: AbortSignal): Promise<ChatOutcome> {
    const start = performance.now();
    const payload = JSON.stringify(body);
    const headers = { ...this.headers, 'content-type': 'application/json' };
    const fail = (error: ChatFailure['error']): ChatFailure => ({
      ok: false,
      latencyMs: performance.now() - start,
      error,
    });
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(this.opts.timeoutMs);
      let res: {
        status: number;
        headers: Record<string, string | string[] | undefined>;
        text: string;
      };
      try {
        const r = await request(this.chatUrl, {
          method: 'POST',
          body: payload,
          headers,
          dispatcher: this.agent,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        res = { status: r.statusCode, headers: r.headers, text: await r.body.text() };
      } catch (e) {
        if (signal?.aborted) return fail({ kind: 'aborted', message: 'aborted' });
        const code = errorCode(e);
        const timedOut = timeout.aborted || TIMEOUT_CODES.has(code);
        const error: ChatFailure['error'] = timedOut
          ? {
              kind: 'timeout',
              message: `no answer within request-timeout ${this.opts.timeoutMs / 1000} s (attempt ${attempt + 1})`,
            }
          : { kind: 'connection', message: `connection error: ${code} (attempt ${attempt + 1})` };
        if (attempt >= this.opts.maxRetries) return fail(error);
        if (!(await sleep(retryDelayMs(attempt, {}, Date.now(), Math.random()), signal)))
          return fail({ kind: 'aborted', message: 'aborted' });
        continue;
      }
      if (res.status >= 200 && res.status < 300)
        return { latencyMs: performance.now() - start, ...parseCompletion(res.text) };
      const error: ChatFailure['error'] = {
        kind: res.status >= 500 ? 'http_5xx' : 'http_4xx',
        status: res.status,
        message: `HTTP ${res.status}: ${this.mask(serverMessage(res.text))}`,
      };
      if (attempt >= this.opts.maxRetries || !shouldRetryStatus(res.status, res.headers))
        return fail(error);
      if (!(await sleep(retryDelayMs(attempt, res.headers, Date.now(), Math.random()), signal)))
        return fail({ kind: 'aborted', message: 'aborted' });
    }
  }

  /** GET /v1/models. Throws with the server's answer when it is not a model list. */
  async models(): Promise<ModelInfo[]> {
    const res = await this.get(`${this.opts.baseUrl.replace(/\/+$/, '')}/models`);
    if (res.status !== 200)
      throw new Error(`GET /v1/models answered HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    const doc = JSON.parse(res.body) as { data?: Array<Record<string, unknown>> };
    if (!Array.isArray(doc.data)) throw new Error('GET /v1/models: response has no data list');
    return doc.data.map((m) => ({
      id: String(m.id),
      root: typeof m.root === 'string' ? m.root : null,
      maxModelLen: typeof m.max_model_len === 'number' ? m.max_model_len : null,
    }));
  }

  /** GET /version (vLLM only; other OpenAI-compatible servers answer 404: null). */
  async version(): Promise<string | null> {
    try {
      const res = await this.get(`${this.root}/version`);
      if (res.status !== 200) return null;
      const v = (JSON.parse(res.body) as { version?: unknown }).version;
      return typeof v === 'string' ? v : null;
    } catch {
      return null;
    }
  }

  /** One readiness probe: /health, else /v1/models (servers behind a proxy may only expose /v1). */
  async probe(timeoutMs = 5_000): Promise<{ ready: boolean; detail: string }> {
    for (const url of [`${this.root}/health`, `${this.opts.baseUrl.replace(/\/+$/, '')}/models`]) {
      try {
        const res = await this.get(url, timeoutMs);
        if (res.status === 200) return { ready: true, detail: `${redactUrl(url)} answered 200` };
        if (res.status === 401 || res.status === 403) {
          return {
            ready: false,
            detail: `${redactUrl(url)} answered HTTP ${res.status}: check api-key`,
          };
        }
        if (url.endsWith('/models'))
          return { ready: false, detail: `${redactUrl(url)} answered HTTP ${res.status}` };
      } catch (e) {
        if (url.endsWith('/models')) {
          return {
            ready: false,
            detail: `${redactUrl(url)}: ${errorCode(e)}`,
          };
        }
      }
    }
    return { ready: false, detail: 'not ready' };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** A server may echo the request (Authorization included) in its error: the key never goes further. */
  private mask(text: string): string {
    const key = this.opts.apiKey;
    return key && key.length >= 3 ? text.split(key).join('***') : text;
  }

  private async get(url: string, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
    const res = await request(url, {
      headers: this.headers,
      dispatcher: this.agent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.statusCode, body: await res.body.text() };
  }
}
