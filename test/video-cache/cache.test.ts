import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, truncateSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VideoCache, type VideoCacheOptions } from '../../src/video-cache/cache.js';
import { readManifest } from '../../src/video-cache/manifest.js';
import { useTmp } from '../helpers/tmp.js';
import { useVideoServer, videoBytes } from '../helpers/video-server.js';

const tmp = useTmp();
const serve = useVideoServer();
const caches: VideoCache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.close()));
});
const open = (o: VideoCacheOptions) => {
  const c = new VideoCache(o);
  caches.push(c);
  return c;
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Files in the cache directory other than the manifest: what a failure must not leave behind. */
const videosIn = (dir: string) => readdirSync(dir).filter((f) => f !== 'manifest.jsonl');

describe('VideoCache', () => {
  it('a download cancelled while it waits for a slot (the run stopped) is not fetched and not a failure', async () => {
    const srv = await serve();
    const cache = open({ dir: tmp(), concurrency: 1 });
    const first = cache.ensure(`${srv.url}/slow/a.mp4`);
    const ahead = new AbortController();
    const queued = cache.ensure(`${srv.url}/slow/b.mp4`, ahead.signal);
    ahead.abort();
    await expect(queued).rejects.toThrow(/download of '.*\/slow\/b.mp4' was cancelled/);
    await first;
    expect(srv.count('/slow/b.mp4')).toBe(0);
    expect(cache.stats).toMatchObject({ downloads: 1, failures: 0 });
  });

  it('downloads once, records the checksum, and serves the copy afterwards', async () => {
    const srv = await serve();
    const dir = tmp();
    const cache = open({ dir });
    const url = `${srv.url}/videos/a.mp4`;
    const first = await cache.ensure(url);
    const bytes = videoBytes('/videos/a.mp4');
    expect(first).toMatchObject({ sha256: sha(bytes), bytes: bytes.length, fromCache: false });
    expect(readFileSync(first.path).equals(bytes)).toBe(true);
    const again = await cache.ensure(url);
    expect(again).toEqual({ ...first, fromCache: true });
    expect(srv.count('/videos/a.mp4')).toBe(1);
    expect(cache.stats).toEqual({
      hits: 1,
      downloads: 1,
      bytesDownloaded: bytes.length,
      failures: 0,
    });
    const manifest = await readManifest(join(dir, 'manifest.jsonl'));
    expect(manifest.get(url)).toMatchObject({ url, sha256: sha(bytes), bytes: bytes.length });
    expect(manifest.get(url)?.file).toMatch(/^[0-9a-f]{64}\.mp4$/);
    expect(videosIn(dir)).toEqual([manifest.get(url)?.file]);
  });

  it('a new cache object on the same directory (a later job) finds the copy', async () => {
    const srv = await serve();
    const dir = tmp();
    const url = `${srv.url}/videos/b.webm`;
    const first = await open({ dir }).ensure(url);
    expect(first.path.endsWith('.webm')).toBe(true);
    const later = await open({ dir }).ensure(url);
    expect(later).toEqual({ ...first, fromCache: true });
    expect(srv.count('/videos/b.webm')).toBe(1);
  });

  it('downloads again when the copy was damaged (size differs from the manifest)', async () => {
    const srv = await serve();
    const dir = tmp();
    const url = `${srv.url}/videos/c.mp4`;
    const first = await open({ dir }).ensure(url);
    truncateSync(first.path, 10);
    const again = await open({ dir }).ensure(url);
    expect(again).toEqual({ ...first, fromCache: false });
    expect(srv.count('/videos/c.mp4')).toBe(2);
  });

  it('adopts a whole file that missed its manifest line (killed between rename and record)', async () => {
    const srv = await serve();
    const dir = tmp();
    const url = `${srv.url}/videos/d.mp4`;
    const first = await open({ dir }).ensure(url);
    unlinkSync(join(dir, 'manifest.jsonl'));
    const again = await open({ dir }).ensure(url);
    expect(again).toEqual({ ...first, fromCache: true });
    expect(srv.count('/videos/d.mp4')).toBe(1);
    expect((await readManifest(join(dir, 'manifest.jsonl'))).get(url)?.sha256).toBe(first.sha256);
  });

  it('the same URL asked for at once is downloaded once', async () => {
    const srv = await serve();
    const cache = open({ dir: tmp() });
    const url = `${srv.url}/slow/same.mp4`;
    const got = await Promise.all([cache.ensure(url), cache.ensure(url), cache.ensure(url)]);
    expect(srv.count('/slow/same.mp4')).toBe(1);
    expect(new Set(got.map((g) => g.path)).size).toBe(1);
  });

  it('runs at most `concurrency` downloads at once', async () => {
    const srv = await serve();
    const cache = open({ dir: tmp(), concurrency: 2 });
    const urls = Array.from({ length: 6 }, (_, k) => `${srv.url}/slow/${k}.mp4`);
    const got = await Promise.all(urls.map((u) => cache.ensure(u)));
    expect(got.every((g) => !g.fromCache)).toBe(true);
    expect(srv.maxActive).toBe(2);
  });

  it('retries a 500 and succeeds; gives up after the retries naming the URL', async () => {
    const srv = await serve();
    const cache = open({ dir: tmp(), retries: 2 });
    const ok = await cache.ensure(`${srv.url}/flaky/e.mp4`);
    expect(ok.sha256).toBe(sha(videoBytes('/flaky/e.mp4')));
    expect(srv.count('/flaky/e.mp4')).toBe(2);
    const down = `${srv.url}/always500`;
    await expect(cache.ensure(down)).rejects.toThrow(
      `video cache: '${down}' answered HTTP 500, expected 200 (after 3 attempts)`,
    );
    expect(srv.count('/always500')).toBe(3);
  });

  it('does not retry a 404', async () => {
    const srv = await serve();
    const cache = open({ dir: tmp() });
    await expect(cache.ensure(`${srv.url}/missing`)).rejects.toThrow('answered HTTP 404');
    expect(srv.count('/missing')).toBe(1);
    expect(cache.stats.failures).toBe(1);
  });

  it('refuses a file over the limit, declared or streamed, and leaves no partial file', async () => {
    const srv = await serve();
    const dir = tmp();
    const cache = open({ dir, maxBytes: 1_000_000 });
    await expect(cache.ensure(`${srv.url}/big`)).rejects.toThrow(
      `video cache: '${srv.url}/big' is 9.5 MiB, over the per-file limit of 1 MiB`,
    );
    await expect(cache.ensure(`${srv.url}/big-chunked`)).rejects.toThrow(
      /video cache: 'http:\/\/127\.0\.0\.1:\d+\/big-chunked' is over the per-file limit of 1 MiB \(stopped after/,
    );
    expect(srv.count('/big-chunked')).toBe(1);
    expect(videosIn(dir)).toEqual([]);
  });

  it('times out a transfer that stalls, and leaves no partial file', async () => {
    const srv = await serve();
    const dir = tmp();
    const cache = open({ dir, timeoutMs: 200, retries: 0 });
    await expect(cache.ensure(`${srv.url}/stall`)).rejects.toThrow(
      /'http:\/\/127\.0\.0\.1:\d+\/stall' failed: UND_ERR_BODY_TIMEOUT/,
    );
    expect(videosIn(dir)).toEqual([]);
  });

  it('follows redirects up to 5, and not to another scheme', async () => {
    const srv = await serve();
    const cache = open({ dir: tmp() });
    const url = `${srv.url}/redirect?to=/videos/f.mp4`;
    expect((await cache.ensure(url)).sha256).toBe(sha(videoBytes('/videos/f.mp4')));
    await expect(cache.ensure(`${srv.url}/loop`)).rejects.toThrow(
      `video cache: '${srv.url}/loop' redirected more than 5 times (last to '/loop')`,
    );
    expect(srv.count('/loop')).toBe(6);
    await expect(cache.ensure(`${srv.url}/to-file`)).rejects.toThrow(
      `video cache: refusing redirect of '${srv.url}/to-file' to 'file:///etc/passwd': only http and https URLs are downloaded, not file`,
    );
  });

  it.each([
    'ftp://127.0.0.1/a.mp4',
    'file:///etc/passwd',
    'data:video/mp4;base64,AAAA',
    'not a url',
  ])('refuses %s, naming it', async (url) => {
    const dir = tmp();
    const cache = open({ dir });
    await expect(cache.ensure(url)).rejects.toThrow(`'${url}'`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd.mp4',
    '/a/..%2f..%2f..%2fevil.sh',
    '/x/..%5c..%5cwin.ini',
  ])('names the file for %s by hash, inside the cache directory', async (path) => {
    const srv = await serve();
    const dir = tmp();
    const cache = open({ dir });
    const got = await cache.ensure(`${srv.url}${path}`);
    expect(dirname(got.path)).toBe(await cache.directory());
    expect(got.path.slice(dirname(got.path).length + 1)).toMatch(/^[0-9a-f]{64}\.[a-z0-9]{1,8}$/);
    expect(videosIn(dir)).toHaveLength(1);
  });

  it('checks its options', () => {
    expect(() => new VideoCache({ dir: 'x', maxBytes: 0 })).toThrow(
      'video cache: maxBytes must be a whole number >= 1, got 0',
    );
    expect(() => new VideoCache({ dir: 'x', concurrency: 0 })).toThrow(
      'concurrency must be a whole number >= 1',
    );
  });
});
