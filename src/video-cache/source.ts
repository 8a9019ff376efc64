import type { Config } from '../config/config.js';
import type { EvalItem, ResultRow } from '../core/types.js';
import { videoUrlScheme } from '../core/video-url.js';
import type { Logger } from '../log.js';
import type { VideoMeta } from '../vision/index.js';
import { readMp4Info } from '../vision/mp4-info.js';
import { mp4InfoFromFile } from './file-source.js';
import { httpByteSource } from './range-source.js';
import { VideoCache, isLocalMediaRefusal, localMediaHint, toTransport } from './index.js';

/** A video as the request will carry it: the URL, and its frames when the gate has the file. */
export interface PreparedVideo {
  url: string;
  /** Frame count, rate and size from the cached file's moov box; null when unknown (URL transport). */
  meta: VideoMeta | null;
}

export interface VideoSource {
  /** The URL to put in the request for this video, and what is known of its frames. */
  prepare(item: EvalItem): Promise<PreparedVideo>;
  /** A per-video error that means no video can succeed (the server refuses file:// URLs). */
  fatal(error: NonNullable<ResultRow['error']>): string | undefined;
  close(): Promise<void>;
}

/**
 * Where the server gets each video. Without `video-cache` it fetches the dataset URL itself. With it, the
 * gate downloads every video once per runner, in scoring order and ahead of the requests, and sends the
 * original URL, a file:// path into the cache or the bytes inline (`video-transport`). A download that
 * fails falls back to the original URL when the transport allows it, so the server can still try.
 */
export function videoSource(
  config: Pick<Config, 'videoCache' | 'videoMetadata' | 'videoTransport'>,
  todo: readonly EvalItem[],
  log: Logger,
): VideoSource {
  let unreadable = 0;
  const unknown = (where: string, e: unknown): null => {
    if (unreadable++ === 0)
      log.warning(
        `cannot read the frames of ${where} (${(e as Error).message}); such videos get the default pixel limit (2 x total-pixels)`,
      );
    return null;
  };
  /** The moov box over HTTP Range (video-metadata: range): a few KB instead of the video. */
  const rangeMeta = async (url: string): Promise<VideoMeta | null> => {
    try {
      return await readMp4Info(await httpByteSource(url, { timeoutMs: 30_000 }));
    } catch (e) {
      return unknown(url, e);
    }
  };
  if (!config.videoCache) {
    if (config.videoTransport !== 'url') {
      throw new Error(
        `video-transport ${config.videoTransport} needs video-cache: a directory to download the videos into`,
      );
    }
    return {
      prepare: async (item) => ({
        url: item.requestUrl,
        meta:
          config.videoMetadata === 'range' && videoUrlScheme(item.requestUrl) === 'http'
            ? await rangeMeta(item.requestUrl)
            : null,
      }),
      fatal: () => undefined,
      close: () => {
        if (unreadable > 1)
          log.warning(`${unreadable} videos had no readable MP4 frames (default pixel limit)`);
        return Promise.resolve();
      },
    };
  }
  const cache = new VideoCache({ dir: config.videoCache });
  const transport = config.videoTransport;
  let cacheDir = config.videoCache;
  void cache.directory().then(
    (d) => (cacheDir = d),
    () => undefined,
  );
  // Start every download now, in scoring order; the cache runs a few at a time and shares a download with
  // the request that later asks for the same video. Those not started when the run ends (stop-early, a
  // cancelled job, a dead server) are cancelled by close(), not fetched for nothing.
  const ahead = new AbortController();
  for (const item of todo) {
    if (videoUrlScheme(item.requestUrl) === 'http')
      void cache.ensure(item.requestUrl, ahead.signal).catch(() => undefined);
  }
  let fallbacks = 0;
  /** The file's frames decide the exact per-video pixel limits (vision/plan.ts); unreadable: the default. */
  const metaOf = async (path: string): Promise<VideoMeta | null> => {
    if (config.videoMetadata === 'none') return null;
    try {
      return await mp4InfoFromFile(path);
    } catch (e) {
      return unknown(path, e);
    }
  };
  return {
    async prepare(item) {
      if (videoUrlScheme(item.requestUrl) !== 'http') return { url: item.requestUrl, meta: null };
      try {
        const cached = await cache.ensure(item.requestUrl);
        const [url, meta] = await Promise.all([
          toTransport(cached, transport, item.requestUrl),
          metaOf(cached.path),
        ]);
        return { url, meta };
      } catch (e) {
        if (transport !== 'url')
          throw new Error(
            `video not available for video-transport ${transport}: ${(e as Error).message}`,
          );
        if (fallbacks++ === 0)
          log.warning(
            `video cache: ${(e as Error).message}; sending the URL instead (further fallbacks are counted in the log at the end)`,
          );
        return { url: item.requestUrl, meta: null };
      }
    },
    fatal: (error) =>
      error.status === 400 && isLocalMediaRefusal(error.message)
        ? localMediaHint(cacheDir)
        : undefined,
    async close() {
      ahead.abort();
      if (unreadable > 1)
        log.warning(
          `video cache: ${unreadable} videos had no readable MP4 frames (default pixel limit)`,
        );
      if (fallbacks > 1)
        log.warning(
          `video cache: ${fallbacks} videos were sent by URL because their download failed`,
        );
      const s = cache.stats;
      log.info(
        `video cache ${cacheDir}: ${s.hits} hits, ${s.downloads} downloads (${(s.bytesDownloaded / 2 ** 20).toFixed(1)} MiB), ${s.failures} failures`,
      );
      await cache.close();
    },
  };
}
