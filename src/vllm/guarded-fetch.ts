import { Agent, Headers, Response, fetch as undiciFetch } from 'undici';

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
 * It is undici's fetch with our own Agent rather than Node's global fetch: vLLM sends no header until a video
 * request is done, and Node's global dispatcher gives up on headers after 300 s while request-timeout defaults
 * to 600 s (openai-node's own advice, src/client.ts ClientOptions.timeout). The Agent's pool is unbounded per
 * origin (undici lib/dispatcher/pool.js: `connections` null), so 256 concurrent requests get 256 sockets.
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

type Init = RequestInit & { [CALL_STATE]?: CallState; dispatcher?: Agent };

export function guardedFetch(agent: Agent): typeof globalThis.fetch {
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const { [CALL_STATE]: state, ...rest } = (init ?? {}) as Init;
    if (state) state.attempts++;
    const res = await undiciFetch(input as string, {
      ...(rest as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    });
    // The whole body, inside the attempt (openai's per-attempt timer and abort still cover it).
    const text = await res.text();
    const headers = new Headers(res.headers);
    // The body is decoded text now: the wire's encoding and length no longer describe it.
    headers.delete('content-encoding');
    headers.delete('content-length');
    if (!res.ok) {
      if (state) state.errorText = text.slice(0, ERROR_TEXT_LIMIT);
      return new Response(text, { status: res.status, statusText: res.statusText, headers });
    }
    try {
      JSON.parse(text);
    } catch (e) {
      const why = `response is not JSON (${(e as Error).message}; ${text.length} bytes)`;
      if (state) state.badJson = why;
      headers.set('x-should-retry', 'true');
      headers.set(BAD_JSON_HEADER, '1');
      headers.set('content-type', 'application/json');
      return new Response(JSON.stringify({ error: { message: why, type: 'BadResponse' } }), {
        status: 502,
        headers,
      });
    }
    // vLLM says application/json; a proxy may not, and openai would then hand back the text unparsed.
    headers.set('content-type', 'application/json');
    return new Response(text, { status: res.status, statusText: res.statusText, headers });
  };
  return guarded;
}
