import { createHash } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { request, type Dispatcher } from 'undici';

/** A failed download; `retryable` for what may pass on another attempt (network, 408, 429, 5xx). */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly headers: Record<string, string | string[] | undefined> = {},
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadOptions {
  dispatcher: Dispatcher;
  maxBytes: number;
  maxRedirects: number;
  signal?: AbortSignal;
}

export interface Downloaded {
  sha256: string;
  bytes: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Only http(s): a dataset row must not make the runner read `file:///etc/...` or talk ftp. */
export function checkScheme(url: string, what = 'video URL'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError(`video cache: ${what} '${url}' is not a valid URL`, false);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DownloadError(
      `video cache: refusing ${what} '${url}': only http and https URLs are downloaded, not ${parsed.protocol.replace(/:$/, '')}`,
      false,
    );
  }
  return parsed;
}

const mib = (bytes: number): string => `${Math.round((bytes / 2 ** 20) * 10) / 10} MiB`;

function networkError(url: string, e: unknown): DownloadError {
  const err = e as { code?: string; cause?: { code?: string }; message?: string };
  const code = err.code ?? err.cause?.code ?? err.message ?? String(e);
  return new DownloadError(`video cache: downloading '${url}' failed: ${code}`, true);
}

/** GET with redirects followed by hand, so every hop's scheme is checked and the count is capped. */
async function get(url: string, o: DownloadOptions): Promise<Dispatcher.ResponseData> {
  let current = url;
  for (let hop = 0; ; hop++) {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(current, {
        method: 'GET',
        dispatcher: o.dispatcher,
        signal: o.signal,
        headers: { 'user-agent': 'videophy-gate video-cache' },
      });
    } catch (e) {
      throw networkError(url, e);
    }
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode) || typeof location !== 'string') return res;
    await res.body.dump();
    if (hop >= o.maxRedirects) {
      throw new DownloadError(
        `video cache: '${url}' redirected more than ${o.maxRedirects} times (last to '${location}')`,
        false,
      );
    }
    let next: string;
    try {
      next = new URL(location, current).href;
    } catch {
      throw new DownloadError(
        `video cache: '${url}' redirected to an invalid URL '${location}'`,
        false,
      );
    }
    current = checkScheme(next, `redirect of '${url}' to`).href;
  }
}

/**
 * Download `url` into `tmpPath` (created, never overwritten), hashing and counting bytes as they stream by.
 * Stops as soon as the size limit is passed. On any failure the partial file is removed.
 */
export async function downloadTo(
  url: string,
  tmpPath: string,
  o: DownloadOptions,
): Promise<Downloaded> {
  checkScheme(url);
  const res = await get(url, o);
  if (res.statusCode !== 200) {
    await res.body.dump().catch(() => undefined);
    const s = res.statusCode;
    throw new DownloadError(
      `video cache: '${url}' answered HTTP ${s}, expected 200`,
      s === 408 || s === 429 || s >= 500,
      res.headers,
    );
  }
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > o.maxBytes) {
    res.body.destroy();
    throw new DownloadError(
      `video cache: '${url}' is ${mib(declared)}, over the per-file limit of ${mib(o.maxBytes)}`,
      false,
    );
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const file = await open(tmpPath, 'wx');
  try {
    try {
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        bytes += buf.length;
        // Servers may omit or misstate content-length: the limit is enforced on what actually arrives.
        if (bytes > o.maxBytes) {
          throw new DownloadError(
            `video cache: '${url}' is over the per-file limit of ${mib(o.maxBytes)} (stopped after ${mib(bytes)})`,
            false,
          );
        }
        hash.update(buf);
        await file.write(buf);
      }
    } catch (e) {
      throw e instanceof DownloadError ? e : networkError(url, e);
    }
    // On disk before the rename makes it visible: a crash must not leave a short file under a final name.
    await file.sync();
  } catch (e) {
    await file.close().catch(() => undefined);
    await unlink(tmpPath).catch(() => undefined);
    throw e;
  }
  await file.close();
  return { sha256: hash.digest('hex'), bytes };
}
