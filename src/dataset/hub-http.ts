/**
 * The HTTP side of the Hub client: GET with status checks, bounded retries of 5xx answers and
 * connection errors (3 attempts, short backoff), JSON bodies and atomic file downloads. The token
 * goes only into the Authorization header: never into a URL, a message or a log.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tempPathFor } from './hub-cache.js';
import { messageOf } from './table.js';
import { DatasetError } from './types.js';

/** Waits between attempts; its length + 1 is the number of attempts. */
export const RETRY_DELAYS_MS: readonly number[] = [300, 1_000];

export interface HubGet {
  /** Sent as `Authorization: Bearer`; leave undefined for hosts other than the Hub endpoint. */
  token?: string | undefined;
  timeoutMs?: number;
}

/** A non-2xx answer. `errorCode` is the Hub's X-Error-Code (GatedRepo, RepoNotFound ...). */
export class HubStatusError extends DatasetError {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly errorCode: string | undefined,
    detail: string,
  ) {
    super(`HTTP ${status} from ${url}${detail ? `: ${detail}` : ''}`);
  }
}

/** GET and parse JSON. */
export async function getJson(url: string, opts: HubGet = {}): Promise<unknown> {
  return withRetries(url, async () => {
    const res = await getOnce(url, opts);
    const text = await res.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new DatasetError(`unexpected answer from ${url}: not JSON (${text.slice(0, 80)})`);
    }
  });
}

/** GET `url` (following redirects) into `dest` via a temp file + rename. */
export async function download(url: string, dest: string, opts: HubGet = {}): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  await withRetries(url, async () => {
    const res = await getOnce(url, { timeoutMs: 30 * 60_000, ...opts });
    const temp = tempPathFor(dest);
    try {
      const body = res.body ? Readable.fromWeb(res.body) : Readable.from([]);
      await pipeline(body, createWriteStream(temp));
      await rename(temp, dest);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  });
}

async function getOnce(url: string, { token, timeoutMs = 60_000 }: HubGet): Promise<Response> {
  const headers: Record<string, string> = { 'user-agent': 'videophy-gate' };
  if (token) headers.authorization = `Bearer ${token}`;
  // fetch drops the Authorization header when a redirect leaves the origin (e.g. to a CDN).
  const res = await fetch(url, {
    headers,
    redirect: 'follow',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.ok) return res;
  let detail = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
  if (token) detail = detail.split(token).join('***');
  throw new HubStatusError(res.status, url, res.headers.get('x-error-code') ?? undefined, detail);
}

/** The Hub could not be reached at all (DNS, refused, reset): an offline runner, a proxy, a typo in HF_ENDPOINT. */
export class HubNetworkError extends DatasetError {
  override name = 'HubNetworkError';
}

/** Runs `attempt` until it succeeds, retrying 5xx answers and network errors only. */
async function withRetries<T>(url: string, attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = error instanceof HubStatusError ? error.status >= 500 : !isFinal(error);
      const delay = RETRY_DELAYS_MS[i];
      if (!retryable) throw error;
      if (delay === undefined) {
        const attempts = `after ${i + 1} attempts`;
        if (error instanceof HubStatusError) {
          error.message = `${error.message} (${attempts})`;
          throw error;
        }
        throw new HubNetworkError(`request to ${url} failed ${attempts}: ${networkReason(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Our own errors and local file-system errors (they carry a path) are not worth retrying. */
function isFinal(error: unknown): boolean {
  return error instanceof DatasetError || (error instanceof Error && 'path' in error);
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED ...) in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${messageOf(error)} (${detail})` : messageOf(error);
}
