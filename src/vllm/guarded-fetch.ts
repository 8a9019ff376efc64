import { request, type Agent } from 'undici';

/**
 * The `fetch` the `openai` client calls, once per attempt. It does three things openai-node cannot be told to do:
 *
 * 1. A 200 whose body is not JSON (a proxy cut it) becomes a retryable answer. openai-node (7.59.0,
 *    src/internal/parse.ts defaultParseResponse) reads a 2xx body only after its retry loop has finished with
 *    it, so a `JSON.parse` failure there is a bare SyntaxError, never retried. Reading the body here, inside the
 *    attempt, turns it into a 502 with `x-should-retry: true` that openai's own loop retries with its own
 *    backoff; after the last attempt it is an APIError carrying BAD_JSON_HEADER, which the client reports as
 *    `bad_response`. (An outer loop around `create()` would need its own backoff and would not know how many
 *    attempts openai had spent.) A body cut by a reset fails here too, inside the attempt: a connection error,
 *    retried, where openai alone would have thrown it from the parse.
 * 2. It keeps the raw text of error answers: openai's APIError keeps only the inner `error` object, so the
 *    server's message in vLLM's pre-0.10.1 format (`{"object": "error", "message": ...}`) would be lost.
 * 3. It counts attempts per call (CallState), so a final error can say how many were made.
 *
 * Underneath it is undici's `request` on our own keep-alive Agent, not a WHATWG fetch:
 * - Node's global fetch gives up on response headers after 300 s, and vLLM sends none until a video request
 *   is done, while request-timeout defaults to 600 s (openai-node's own advice, src/client.ts
 *   ClientOptions.timeout: bring an undici Agent). The Agent's timeouts sit just above openai's own.
 * - CPU: fetch builds a Request, a Response and WHATWG streams per exchange; `request` plus a buffered
 *   Response-like object (the body has to be read here anyway) halved the client's CPU per video and cut its
 *   peak RSS by a third in the bench (README, Speed). openai reads only status/ok/headers/url/text() of it.
 * - The Agent's pool is unbounded per origin (undici lib/dispatcher/pool.js: `connections` null): 256
 *   requests in flight get 256 sockets (test/vllm/retry.test.ts, 'concurrency').
 */

/** Marks the synthetic 502 that stands for an unparseable 200. */
export const BAD_JSON_HEADER = 'x-videophy-gate-bad-json';

/** Per chat() call, passed to this fetch through openai's per-request `fetchOptions`. */
export interface CallState {
  attempts: number;
  /** The last error answer's body (first 4 KB), for the server's own words. */
  errorText?: string;
  /** Why the last 200 could not be parsed. */
  badJson?: string;
}

export const CALL_STATE = Symbol('videophy-gate call state');

const ERROR_TEXT_LIMIT = 4096;

type Init = RequestInit & { [CALL_STATE]?: CallState };

/**
 * A finished exchange in the shape openai reads (status, ok, headers, url, text(); body null, which its
 * stream cancel accepts), without a WHATWG stream per response.
 */
function buffered(url: string, status: number, headers: Headers, text: string): Response {
  const ok = status >= 200 && status < 300;
  return {
    status,
    ok,
    statusText: '',
    headers,
    url,
    redirected: false,
    type: 'basic',
    body: null,
    bodyUsed: false,
    text: () => Promise.resolve(text),
    json: () => Promise.resolve(JSON.parse(text) as unknown),
  } as unknown as Response;
}

/** openai hands over a Headers object; undici's request takes a plain record. */
function toRecord(h: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v));
  else if (h)
    for (const [k, v] of Object.entries(h as Record<string, string>)) out[k.toLowerCase()] = v;
  return out;
}

export function guardedFetch(agent: Agent): typeof globalThis.fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const { [CALL_STATE]: state, method, headers: sent, body, signal } = (init ?? {}) as Init;
    if (state) state.attempts++;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const res = await request(url, {
      method: method ?? 'GET',
      headers: toRecord(sent),
      body: body as string | undefined,
      signal: signal ?? undefined,
      dispatcher: agent,
    });
    // The whole body, inside the attempt (openai's per-attempt timer and abort still cover it).
    const text = await res.body.text();
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined || k === 'content-length') continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      if (state) state.errorText = text.slice(0, ERROR_TEXT_LIMIT);
      return buffered(url, res.statusCode, headers, text);
    }
    try {
      JSON.parse(text);
    } catch (e) {
      const why = `response is not JSON (${(e as Error).message}; ${text.length} bytes)`;
      if (state) state.badJson = why;
      headers.set('x-should-retry', 'true');
      headers.set(BAD_JSON_HEADER, '1');
      headers.set('content-type', 'application/json');
      return buffered(
        url,
        502,
        headers,
        JSON.stringify({ error: { message: why, type: 'BadResponse' } }),
      );
    }
    // vLLM says application/json; a proxy may not, and openai would then hand back the text unparsed.
    headers.set('content-type', 'application/json');
    return buffered(url, res.statusCode, headers, text);
  };
}
