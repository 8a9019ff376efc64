import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { VideoCache } from '../../src/video-cache/cache.js';
import { cacheFileName, videoMimeType } from '../../src/video-cache/names.js';
import {
  isLocalMediaRefusal,
  localMediaHint,
  toTransport,
} from '../../src/video-cache/transport.js';
import { VllmClient } from '../../src/vllm/client.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';
import { useVideoServer, videoBytes } from '../helpers/video-server.js';

const tmp = useTmp();
const startSim = useSimulators();
const serve = useVideoServer();
let cache: VideoCache | undefined;
afterEach(async () => {
  await cache?.close();
  cache = undefined;
});

describe('toTransport', () => {
  it('url sends the original, file points at the cached file, data carries its bytes', async () => {
    const srv = await serve();
    // A directory name that needs percent-encoding in a file URL.
    cache = new VideoCache({ dir: `${tmp()}/with space #1` });
    const url = `${srv.url}/videos/clip.mp4`;
    const entry = await cache.ensure(url);
    expect(await toTransport(entry, 'url', url)).toBe(url);
    expect(await toTransport(null, 'url', url)).toBe(url);

    const file = await toTransport(entry, 'file', url);
    expect(file).toMatch(/^file:\/\/\/.*with%20space%20%231\/[0-9a-f]{64}\.mp4$/);
    expect(fileURLToPath(file)).toBe(entry.path);
    expect(readFileSync(fileURLToPath(file)).equals(videoBytes('/videos/clip.mp4'))).toBe(true);

    const data = await toTransport(entry, 'data', url);
    const prefix = 'data:video/mp4;base64,';
    expect(data.startsWith(prefix)).toBe(true);
    expect(
      Buffer.from(data.slice(prefix.length), 'base64').equals(videoBytes('/videos/clip.mp4')),
    ).toBe(true);
  });

  it('file and data need the cached copy', async () => {
    await expect(toTransport(null, 'file', 'https://v.test/a.mp4')).rejects.toThrow(
      "video-transport file needs the cached copy of 'https://v.test/a.mp4'",
    );
  });
});

describe('names', () => {
  it('hash of the URL plus a clean extension, .mp4 by default', () => {
    expect(cacheFileName('https://v.test/a/B.MOV?x=1')).toMatch(/^[0-9a-f]{64}\.mov$/);
    expect(cacheFileName('https://v.test/a/noext')).toMatch(/^[0-9a-f]{64}\.mp4$/);
    expect(cacheFileName('https://v.test/a/x.m/p4')).toMatch(/\.mp4$/);
    expect(cacheFileName('https://v.test/a.mp4')).not.toBe(cacheFileName('https://v.test/b.mp4'));
  });

  it('media types for data URLs never say video/jpeg (which vLLM reads as frames)', () => {
    expect(videoMimeType('x.webm')).toBe('video/webm');
    expect(videoMimeType('x.jpeg')).toBe('video/mp4');
    expect(videoMimeType('x')).toBe('video/mp4');
  });
});

describe('isLocalMediaRefusal', () => {
  it.each([
    ['HTTP 400: Cannot load local files without `--allowed-local-media-path`.', true],
    [
      'HTTP 400: The file path /tmp/x.mp4 must be a subpath of `--allowed-local-media-path /data`.',
      true,
    ],
    ["HTTP 400: This model's maximum context length is 16384 tokens.", false],
    ['connection error: ECONNREFUSED', false],
  ])('%s -> %s', (message, want) => {
    expect(isLocalMediaRefusal(message)).toBe(want);
  });

  it("recognises the simulator's (vLLM's) answer to a file:// video; a data: video is accepted", async () => {
    const srv = await serve();
    const sim = await startSim();
    cache = new VideoCache({ dir: tmp() });
    const url = `${srv.url}/videos/clip.mp4`;
    const entry = await cache.ensure(url);
    const client = new VllmClient({ baseUrl: sim.baseUrl, timeoutMs: 5_000, maxRetries: 0 });
    const ask = (videoUrl: string) =>
      client.chat({
        model: sim.options.model,
        messages: [
          { role: 'user', content: [{ type: 'video_url', video_url: { url: videoUrl } }] },
        ],
      });
    const refused = await ask(await toTransport(entry, 'file', url));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(isLocalMediaRefusal(refused.error.message)).toBe(true);
    expect((await ask(await toTransport(entry, 'data', url))).ok).toBe(true);
    await client.close();
  });

  it('the hint says which flag and which directory', () => {
    expect(localMediaHint('/cache/videos')).toContain('--allowed-local-media-path /cache/videos');
    expect(localMediaHint('/cache/videos')).toContain('video-transport: data');
  });
});
