/**
 * Backoff for the retries the gate still runs itself: video downloads into the cache (src/video-cache) and
 * the wait for a starting server. Chat completions and /v1/models retry inside the `openai` client, with the
 * same numbers (openai-node src/client.ts retryRequest / calculateDefaultRetryTimeoutMillis): wait
 * `retry-after-ms`, else `retry-after` (seconds or an HTTP date) when it is within 0-60 s, else back off
 * 0.5 s x 2^n capped at 8 s, minus up to 25% jitter, so a download and a request back off alike.
 */

export type Headers = Record<string, string | string[] | undefined>;

const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const MAX_SERVER_DELAY_MS = 60_000;

/** Delay before retry number `retry` (0 = the first retry). `random` in [0, 1) supplies the jitter. */
export function retryDelayMs(retry: number, headers: Headers, now: number, random: number): number {
  const ms = Number.parseFloat(header(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0 && ms < MAX_SERVER_DELAY_MS) return ms;
  const after = header(headers, 'retry-after');
  if (after !== undefined) {
    const seconds = Number.parseFloat(after);
    const fromHeader = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - now;
    if (Number.isFinite(fromHeader) && fromHeader >= 0 && fromHeader < MAX_SERVER_DELAY_MS)
      return fromHeader;
  }
  const backoff = Math.min(0.5 * 2 ** retry, 8) * 1000;
  return backoff * (1 - random * 0.25);
}

/** Sleep that ends early (resolving false) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
