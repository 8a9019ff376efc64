import { createHash } from 'node:crypto';

const DEFAULT_EXT = '.mp4';
/** An extension is only letters and digits: nothing from the URL that could name a directory reaches the disk. */
const EXT = /\.([A-Za-z0-9]{1,8})$/;

/**
 * The cache file for a URL: sha256 of the URL plus the extension of its last path segment (.mp4 when it has
 * none). Never derived from the URL's path itself, so `https://h/../../etc/passwd` cannot leave the cache
 * directory and two URLs never collide on a name.
 */
export function cacheFileName(url: string): string {
  const hash = createHash('sha256').update(url).digest('hex');
  let ext = DEFAULT_EXT;
  try {
    const path = new URL(url).pathname;
    const m = EXT.exec(path.slice(path.lastIndexOf('/') + 1));
    if (m?.[1]) ext = `.${m[1].toLowerCase()}`;
  } catch {
    // Not a URL: ensure() refuses it before a name is needed; the default keeps this function total.
  }
  return `${hash}${ext}`;
}

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
};

/**
 * Media type for a data: URL. vLLM decodes any `data:video/<x>;base64` as a video file except
 * `video/jpeg` (comma-separated JPEG frames), so an unknown extension is sent as video/mp4.
 */
export function videoMimeType(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot >= 0 ? MIME[fileName.slice(dot).toLowerCase()] : undefined) ?? 'video/mp4';
}
