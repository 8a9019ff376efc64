import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, realpath, rename, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Agent } from 'undici';
import { retryDelayMs, sleep } from '../core/backoff.js';
import { DownloadError, checkScheme, downloadTo } from './download.js';
import { createLimiter, type Limiter } from './limiter.js';
import { appendManifest, readManifest, type ManifestEntry } from './manifest.js';
import { cacheFileName } from './names.js';

export interface VideoCacheOptions {
  /** Cache directory (created if missing). */
  dir: string;
  /** Largest file accepted, in bytes. Default 200 MiB. */
  maxBytes?: number;
  /** Downloads at once, across all ensure() calls. Default 4. */
  concurrency?: number;
  /** Retries per video after the first attempt, for network errors, 408, 429 and 5xx. Default 3. */
  retries?: number;
  /** Per attempt: connecting, waiting for headers, and any pause in the body. Default 60 s. */
  timeoutMs?: number;
}

/** A video on local disk. */
export interface CachedVideo {
  /** Absolute path with symlinks resolved (what vLLM's --allowed-local-media-path check compares). */
  path: string;
  sha256: string;
  bytes: number;
  /** True when no download was needed. */
  fromCache: boolean;
}

export interface VideoCacheStats {
  hits: number;
  downloads: number;
  bytesDownloaded: number;
  failures: number;
}

export const DEFAULT_MAX_BYTES = 200 * 2 ** 20;
const MAX_REDIRECTS = 5;
const MANIFEST = 'manifest.jsonl';

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

/**
 * Videos downloaded once per runner and kept under `dir`, so the GPU server reads them from disk instead of
 * fetching them itself on the critical path. Files are named by a hash of the URL, written to a temp file
 * and renamed into place, and recorded with their SHA-256 in manifest.jsonl. Constructing does no I/O.
 */
export class VideoCache {
  readonly stats: VideoCacheStats = { hits: 0, downloads: 0, bytesDownloaded: 0, failures: 0 };
  private readonly maxBytes: number;
  private readonly retries: number;
  private readonly agent: Agent;
  private readonly limit: Limiter;
  private readonly inflight = new Map<string, Promise<CachedVideo>>();
  private opened: Promise<{ dir: string; manifest: Map<string, ManifestEntry> }> | undefined;

  constructor(private readonly opts: VideoCacheOptions) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.retries = opts.retries ?? 3;
    const timeoutMs = opts.timeoutMs ?? 60_000;
    for (const [name, v, min] of [
      ['maxBytes', this.maxBytes, 1],
      ['retries', this.retries, 0],
      ['timeoutMs', timeoutMs, 1],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < min)
        throw new TypeError(`video cache: ${name} must be a whole number >= ${min}, got ${v}`);
    }
    this.limit = createLimiter(opts.concurrency ?? 4);
    this.agent = new Agent({
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  /** The cache directory, absolute with symlinks resolved (created on first use). */
  async directory(): Promise<string> {
    return (await this.open()).dir;
  }

  /**
   * The local copy of `url`, downloading it if needed. Concurrent calls for one URL share one download.
   * Rejects, naming the URL, when it is not http(s), too large, or still failing after the retries.
   */
  ensure(url: string, signal?: AbortSignal): Promise<CachedVideo> {
    const running = this.inflight.get(url);
    if (running) return running;
    const job = this.resolve(url, signal).finally(() => this.inflight.delete(url));
    this.inflight.set(url, job);
    return job;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private open(): Promise<{ dir: string; manifest: Map<string, ManifestEntry> }> {
    this.opened ??= (async () => {
      const wanted = resolve(this.opts.dir);
      try {
        await mkdir(wanted, { recursive: true });
      } catch (e) {
        throw new Error(`video cache: cannot create directory ${wanted}: ${(e as Error).message}`);
      }
      const dir = await realpath(wanted);
      return { dir, manifest: await readManifest(join(dir, MANIFEST)) };
    })();
    // A failed open (unwritable dir) is reported to every caller, not retried per video.
    return this.opened;
  }

  private async resolve(url: string, signal?: AbortSignal): Promise<CachedVideo> {
    checkScheme(url);
    const { dir, manifest } = await this.open();
    const file = cacheFileName(url);
    const path = join(dir, file);
    const known = manifest.get(url);
    const size = await sizeOf(path);
    if (known && known.file === file && size === known.bytes) {
      this.stats.hits++;
      return { path, sha256: known.sha256, bytes: known.bytes, fromCache: true };
    }
    if (!known && size !== null) {
      // Renamed into place but the run died before the manifest line: the file is whole (rename comes
      // after the last byte), so record it rather than download it again.
      const { sha256, bytes } = await hashFile(path);
      await this.record(dir, manifest, {
        url,
        file,
        sha256,
        bytes,
        time: new Date().toISOString(),
      });
      this.stats.hits++;
      return { path, sha256, bytes, fromCache: true };
    }
    // Cancelled while it waited for a slot (the run stopped): no download, and no failure to count.
    return this.limit(() =>
      signal?.aborted
        ? Promise.reject(new Error(`video cache: download of '${url}' was cancelled`))
        : this.download(url, dir, manifest, signal),
    );
  }

  private async download(
    url: string,
    dir: string,
    manifest: Map<string, ManifestEntry>,
    signal?: AbortSignal,
  ): Promise<CachedVideo> {
    const file = cacheFileName(url);
    const path = join(dir, file);
    for (let attempt = 0; ; attempt++) {
      // Per attempt and per process: two runners sharing the directory never write the same temp file.
      const tmp = join(dir, `.partial-${file}-${process.pid}-${randomBytes(4).toString('hex')}`);
      try {
        const got = await downloadTo(url, tmp, {
          dispatcher: this.agent,
          maxBytes: this.maxBytes,
          maxRedirects: MAX_REDIRECTS,
          signal,
        });
        await rename(tmp, path);
        await this.record(dir, manifest, { url, file, ...got, time: new Date().toISOString() });
        this.stats.downloads++;
        this.stats.bytesDownloaded += got.bytes;
        return { path, ...got, fromCache: false };
      } catch (e) {
        if (signal?.aborted)
          throw new Error(`video cache: download of '${url}' was cancelled`, { cause: e });
        const retryable = e instanceof DownloadError && e.retryable;
        if (!retryable || attempt >= this.retries) {
          this.stats.failures++;
          const tries = attempt + 1;
          const message = (e as Error).message;
          throw new Error(retryable ? `${message} (after ${tries} attempts)` : message, {
            cause: e,
          });
        }
        const headers = e instanceof DownloadError ? e.headers : {};
        if (!(await sleep(retryDelayMs(attempt, headers, Date.now(), Math.random()), signal)))
          throw new Error(`video cache: download of '${url}' was cancelled`, { cause: e });
      }
    }
  }

  private async record(
    dir: string,
    manifest: Map<string, ManifestEntry>,
    entry: ManifestEntry,
  ): Promise<void> {
    manifest.set(entry.url, entry);
    await appendManifest(join(dir, MANIFEST), entry);
  }
}
