/** How a video reaches the server: its original URL, a file:// URL into the cache, or its bytes inline. */
export type VideoTransport = 'url' | 'file' | 'data';

const TRANSPORTS: readonly VideoTransport[] = ['url', 'file', 'data'];

/** The `video-transport` input. */
export function parseVideoTransport(text: string): VideoTransport {
  const t = text.trim().toLowerCase();
  if (t === '') return 'url';
  if ((TRANSPORTS as readonly string[]).includes(t)) return t as VideoTransport;
  throw new Error(`'video-transport' input must be one of url, file, data, but got '${text}'`);
}
