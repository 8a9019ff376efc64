import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import { BAD_JSON_HEADER, CALL_STATE, guardedFetch, type CallState } from './guarded-fetch.js';
import type { ScoredOutcome } from '../core/result-row.js';
import { fetchServerLoad, type ServerLoad } from './metrics.js';

/** What one chat request gave: the outcome the scorer turns into a results row (core/result-row.ts). */
export type ChatSuccess = Extract<ScoredOutcome, { ok: true }>;
export type ChatFailure = Extract<ScoredOutcome, { ok: false }>;
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

/** A 404 for /models at a base URL without /v1: vLLM serves the OpenAI API under /v1. */
export function missingV1Hint(baseUrl: string, status: number): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (status !== 404 || /\/v1$/.test(base)) return '';
  return `. vLLM serves the OpenAI API under /v1: did you mean 'base-url' ${redactUrl(`${base}/v1`)}?`;
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

/** A parsed 200 into what the gate keeps; a body that is not a chat completion is a bad response. */
function readCompletion(doc: unknown): Parsed {
  const d = (doc ?? {}) as Record<string, unknown>;
  const choice = Array.isArray(d.choices)
    ? (d.choices[0] as Record<string, unknown> | undefined)
    : undefined;
  const message = choice?.message as Record<string, unknown> | undefined;
  if (!choice || !message || typeof message !== 'object')
    return {
      ok: false,
      error: { kind: 'bad_response', message: 'response has no choices[0].message' },
    };
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const usage = d.usage as Record<string, unknown> | undefined;
  return {
    ok: true,
    content: str(message.content),
    // `reasoning` since vLLM PR #27752; `reasoning_content` before (removed in ~0.17). Neither is in
    // openai's types: read off the parsed object as vLLM sent it.
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

/**
 * The server's own words from an error body: `{"error": {"message"}}` (vLLM >= 0.10.1; also openai's
 * APIError.error) or `{"message"}` (older; openai drops it) or FastAPI's `{"detail"}`.
 */
function serverMessage(inner: unknown, text: string | undefined): string {
  const fromInner = (inner as { message?: unknown } | undefined)?.message;
  if (typeof fromInner === 'string') return fromInner.slice(0, 500);
  if (text === undefined) return '(empty body)';
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

/** The most specific code in an error's cause chain (openai wraps fetch's TypeError, which wraps the socket's). */
function errorCode(e: unknown): string {
  let err = e as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
  let last = '';
  for (let depth = 0; err && depth < 6; depth++, err = err.cause as typeof err) {
    if (typeof err.code === 'string') return err.code;
    if (typeof err.message === 'string' && err.message !== '') last = err.message;
  }
  return last || String(e);
}

/** The synthetic 502 guardedFetch made of an unparseable 200 (openai types its headers loosely). */
function isBadJson(e: { headers?: unknown }): boolean {
  const headers = e.headers as { get?: (name: string) => string | null } | undefined;
  return typeof headers?.get === 'function' && headers.get(BAD_JSON_HEADER) != null;
}

type FetchOptions = NonNullable<Parameters<OpenAI['models']['list']>[0]>['fetchOptions'];

/** The per-call state rides in openai's per-request fetchOptions, which it hands to every attempt's fetch. */
const carrying = (state: CallState): FetchOptions => ({ [CALL_STATE]: state }) as FetchOptions;

/** vLLM accepts no credentials in the URL and fetch refuses them; undici's request ignored them too. */
function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href.replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/**
 * The one place that talks to vLLM. /v1/chat/completions and /v1/models go through the `openai` package
 * (its retries with Retry-After, per-attempt timeouts, typed errors), over guardedFetch (see there: an
 * unparseable 200 is retried, error bodies are kept, attempts are counted). /health and /version are not
 * OpenAI endpoints: plain fetch on the same keep-alive pool.
 */
export class VllmClient {
  readonly root: string;
  private readonly agent: Agent;
  private readonly openai: OpenAI;
  private readonly headers: Record<string, string>;

  constructor(private readonly opts: ClientOptions) {
    this.root = serverRoot(opts.baseUrl);
    // openai's own timer ends each attempt; undici's header/body timeouts only have to stay out of its
    // way (their 300 s defaults would cut a 600 s request-timeout short).
    const transportTimeout = opts.timeoutMs + 1_000;
    this.agent = new Agent({
      headersTimeout: transportTimeout,
      bodyTimeout: transportTimeout,
      keepAliveTimeout: 60_000,
    });
    this.headers = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};
    this.openai = new OpenAI({
      baseURL: withoutCredentials(opts.baseUrl),
      // Everything explicit: openai otherwise reads OPENAI_API_KEY, OPENAI_ORG_ID, ... from the environment,
      // and a workflow's real OpenAI key must never be sent to a vLLM server.
      apiKey: opts.apiKey ?? 'unused',
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      // No key: no Authorization header at all, as before (null removes the header openai would add).
      ...(opts.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
      timeout: Math.max(1, Math.round(opts.timeoutMs)),
      maxRetries: opts.maxRetries,
      fetch: guardedFetch(this.agent),
      logLevel: 'off',
    });
  }

  async chat(body: Record<string, unknown>, signal?: AbortSignal): Promise<ChatOutcome> {
    const start = performance.now();
    const state: CallState = { attempts: 0 };
    try {
      // vLLM's fields (top_k, repetition_penalty, mm_processor_kwargs, media_io_kwargs, chat_template_kwargs,
      // video_url parts) are not in openai's types; it sends the body as given.
      const doc = await this.openai.chat.completions.create(
        body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
        {
          signal,
          fetchOptions: carrying(state),
        },
      );
      return { latencyMs: performance.now() - start, ...readCompletion(doc) };
    } catch (e) {
      return {
        ok: false,
        latencyMs: performance.now() - start,
        error: this.describe(e, state, signal),
      };
    }
  }

  /** An error thrown by openai into the gate's error kinds, with the server's words and the attempts made. */
  private describe(e: unknown, state: CallState, signal?: AbortSignal): ChatFailure['error'] {
    const attempts = `(attempt ${Math.max(1, state.attempts)})`;
    if (e instanceof APIUserAbortError || signal?.aborted)
      return { kind: 'aborted', message: 'aborted' };
    if (e instanceof APIConnectionTimeoutError)
      return {
        kind: 'timeout',
        message: `no answer within request-timeout ${this.opts.timeoutMs / 1000} s ${attempts}`,
      };
    if (e instanceof APIConnectionError)
      return {
        kind: 'connection',
        message: this.mask(`connection error: ${errorCode(e.cause ?? e)} ${attempts}`),
      };
    if (e instanceof APIError && typeof e.status === 'number') {
      if (isBadJson(e))
        return { kind: 'bad_response', message: `${state.badJson ?? e.message} ${attempts}` };
      return {
        kind: e.status >= 500 ? 'http_5xx' : 'http_4xx',
        status: e.status,
        message: `HTTP ${e.status}: ${this.mask(serverMessage(e.error, state.errorText))} ${attempts}`,
      };
    }
    // Not an HTTP exchange that went wrong (openai rejected the call itself): say what it said.
    return { kind: 'bad_response', message: this.mask(`client error: ${errorCode(e)}`) };
  }

  /** GET /v1/models. Throws with the server's answer when it is not a model list. */
  async models(): Promise<ModelInfo[]> {
    const state: CallState = { attempts: 0 };
    let page: Awaited<ReturnType<OpenAI['models']['list']>>;
    try {
      page = await this.openai.models.list({
        timeout: 30_000,
        fetchOptions: carrying(state),
      });
    } catch (e) {
      const url = redactUrl(`${this.opts.baseUrl.replace(/\/+$/, '')}/models`);
      if (e instanceof APIError && typeof e.status === 'number')
        throw new Error(
          `GET ${url} answered HTTP ${e.status}: ${this.mask(serverMessage(e.error, state.errorText)).slice(0, 300)}${missingV1Hint(this.opts.baseUrl, e.status)}`,
          { cause: e },
        );
      throw new Error(`GET ${url}: ${this.mask(errorCode(e))}`, { cause: e });
    }
    // `root` and `max_model_len` are vLLM's additions, not in openai's Model type.
    const raw = (page as unknown as { body?: { data?: unknown } }).body;
    if (!Array.isArray(raw?.data)) throw new Error('GET /v1/models: response has no data list');
    return (raw.data as Array<Record<string, unknown>>).map((m) => ({
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

  /**
   * One readiness probe: /health, else /v1/models (servers behind a proxy may only expose /v1). `refused`:
   * nothing accepted the connection (ECONNREFUSED), which on a loopback address means nothing listens.
   */
  async probe(timeoutMs = 5_000): Promise<{ ready: boolean; detail: string; refused?: boolean }> {
    const health = `${this.root}/health`;
    try {
      const res = await this.get(health, timeoutMs);
      if (res.status === 200) return { ready: true, detail: `${redactUrl(health)} answered 200` };
      if (res.status === 401 || res.status === 403)
        return {
          ready: false,
          detail: `${redactUrl(health)} answered HTTP ${res.status}: check api-key`,
        };
    } catch (e) {
      // Refused on the server's port: /v1/models is on the same port, nothing to ask.
      const code = errorCode(e);
      if (code === 'ECONNREFUSED')
        return {
          ready: false,
          detail: `${redactUrl(health)}: ECONNREFUSED (nothing listens there yet)`,
          refused: true,
        };
      // not there: ask /v1/models (a proxy may only expose /v1)
    }
    const models = `${this.opts.baseUrl.replace(/\/+$/, '')}/models`;
    try {
      await this.openai.models.list({ timeout: Math.max(1, Math.round(timeoutMs)), maxRetries: 0 });
      return { ready: true, detail: `${redactUrl(models)} answered 200` };
    } catch (e) {
      if (e instanceof APIError && typeof e.status === 'number' && !isBadJson(e)) {
        const hint = e.status === 401 || e.status === 403 ? ': check api-key' : '';
        return { ready: false, detail: `${redactUrl(models)} answered HTTP ${e.status}${hint}` };
      }
      if (e instanceof APIError && typeof e.status === 'number')
        return { ready: false, detail: `${redactUrl(models)}: response is not JSON` };
      const code = errorCode(e);
      return {
        ready: false,
        detail: `${redactUrl(models)}: ${this.mask(code)}`,
        ...(/ECONNREFUSED/.test(code) ? { refused: true } : {}),
      };
    }
  }

  /** This server's load gauges from its /metrics; null without them (progress must never fail a run). */
  load(timeoutMs = 5_000): Promise<ServerLoad | null> {
    return fetchServerLoad(withoutCredentials(this.root), timeoutMs, {
      headers: this.headers,
      dispatcher: this.agent,
    });
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
    // Not guardedFetch: /health answers 200 with an empty body, which is not JSON and must not be retried.
    const res = await undiciFetch(withoutCredentials(url), {
      headers: this.headers,
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher: this.agent,
    });
    return { status: res.status, body: await res.text() };
  }
}
