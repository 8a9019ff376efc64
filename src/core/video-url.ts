/**
 * Video URLs in VideoPhy-2 contain spaces, unicode (’, —), `;`, `,`, `'` and `+`. vLLM fetches the URL
 * itself, so it must arrive as a valid RFC 3986 URL: one public run lost 7 videos to raw unicode.
 * The WHATWG parser percent-encodes what must be encoded and leaves existing `%XX` escapes alone,
 * so encoding an already-encoded URL is a no-op. `;`, `,`, `'` and `+` are legal in a path (RFC 3986 sub-delims)
 * and stay as they are.
 * A `#` is part of the file name (`..._wall_#48..mp4` in the sample), never a fragment: a dataset lists files,
 * and an HTTP client drops the fragment, so unencoded it would fetch `..._wall_` instead. It is sent as `%23`.
 */
export function normalizeVideoUrl(raw: string): string {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(trimmed.replace(/#/g, '%23'));
  } catch {
    throw new Error(`not a valid URL: ${JSON.stringify(trimmed.slice(0, 200))}`);
  }
  return url.href;
}

/** Schemes vLLM accepts for a video part (anything else is a 400 from the server). */
export function videoUrlScheme(url: string): 'http' | 'data' | 'file' | 'other' {
  if (/^https?:/i.test(url)) return 'http';
  if (/^data:/i.test(url)) return 'data';
  if (/^file:/i.test(url)) return 'file';
  return 'other';
}
