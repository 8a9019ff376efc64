import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CachedVideo } from './cache.js';
import type { VideoTransport } from '../config/video-transport.js';
import { videoMimeType } from './names.js';

/**
 * The URL to put in the request's video part. `file` needs a server on the same machine started with
 * --allowed-local-media-path (a directory containing the cache); `data` sends the bytes base64-encoded
 * in the request body (a third larger than the file, held in memory while the request is in flight).
 */
export async function toTransport(
  entry: CachedVideo | null,
  transport: VideoTransport,
  originalUrl: string,
): Promise<string> {
  if (transport === 'url') return originalUrl;
  if (!entry)
    throw new Error(`video-transport ${transport} needs the cached copy of '${originalUrl}'`);
  if (transport === 'file') return pathToFileURL(entry.path).href;
  const bytes = await readFile(entry.path);
  return `data:${videoMimeType(basename(entry.path))};base64,${bytes.toString('base64')}`;
}

/**
 * vLLM's 400 for a file:// video without --allowed-local-media-path ("Cannot load local files without
 * `--allowed-local-media-path`.") or outside it ("... must be a subpath of `--allowed-local-media-path ...`").
 */
export function isLocalMediaRefusal(errorMessage: string): boolean {
  return /allowed-local-media-path|Cannot load local files/i.test(errorMessage);
}

/** What to tell the user when isLocalMediaRefusal matched. */
export function localMediaHint(cacheDir: string): string {
  return (
    `the server refused a file:// video: start vLLM on this machine with --allowed-local-media-path ${cacheDir} ` +
    `(or a parent directory), or set video-transport: data to send the bytes in the request`
  );
}
