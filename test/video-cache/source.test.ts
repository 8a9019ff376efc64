import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toCsv, VIDEOPHY2_HEADER } from '../../scripts/synthetic.js';
import { gateWith } from '../helpers/gate.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';
import { readResults } from '../helpers/results.js';
import { visionRequest } from '../../src/vision/index.js';
import { PROBE_ASSET, PROBE_META } from '../../src/vision/probe.js';

const start = useSimulators();
const tmp = useTmp();
let files: Server | undefined;
const hits = new Map<string, number>();
const ranges: string[] = [];
afterEach(async () => {
  files?.closeAllConnections();
  await new Promise<void>((r) => (files ? files.close(() => r()) : r()));
  files = undefined;
  hits.clear();
  ranges.length = 0;
});

/** A host for the videos (the S3 bucket's stand-in), counting downloads per path. */
async function videoHost(): Promise<string> {
  files = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    const bytes = req.url?.startsWith('/real/')
      ? readFileSync(PROBE_ASSET)
      : Buffer.from(`fake mp4 bytes of ${req.url}`);
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    // /real/ honours Range as S3 does; everything else answers the whole body.
    if (range && req.url?.startsWith('/real/')) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), bytes.length - 1);
      ranges.push(`${start}-${end}`);
      res
        .writeHead(206, {
          'content-type': 'video/mp4',
          'content-range': `bytes ${start}-${end}/${bytes.length}`,
        })
        .end(bytes.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { 'content-type': 'video/mp4' }).end(bytes);
  });
  await new Promise<void>((r) => files!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(files.address() as { port: number }).port}`;
}

/** Bodies of the scored requests (the fidelity probes, one token each, left out). */
const scored = (recorded: unknown[]) =>
  recorded.filter((b) => (b as { max_tokens?: number }).max_tokens !== 1) as {
    messages: { content: { video_url?: { url: string } }[] }[];
    mm_processor_kwargs: { fps: number; size: { shortest_edge: number; longest_edge: number } };
  }[];

function dataset(dir: string, host: string, n: number, folder = 'v'): string {
  const rows = Array.from({ length: n }, (_, i) =>
    Object.fromEntries(
      VIDEOPHY2_HEADER.map((h) => [
        h,
        h === 'video_url' ? `${host}/${folder}/${i}.mp4` : h === 'pc' ? String(1 + (i % 5)) : '',
      ]),
    ),
  );
  const path = join(dir, 'd.csv');
  writeFileSync(path, toCsv(rows));
  return path;
}

describe('video cache', () => {
  it('downloads each video once per runner and sends it inline with video-transport data', async () => {
    const dir = tmp();
    const host = await videoHost();
    const path = dataset(dir, host, 12);
    const sim = await start({ record: true });
    const inputs = {
      'base-url': sim.baseUrl,
      dataset: path,
      'video-cache': join(dir, 'cache'),
      'video-transport': 'data',
    };
    const first = await gateWith({ ...inputs, 'output-dir': join(dir, 'a') });
    expect(first.outcome.summary.num_errors).toBe(0);
    const second = await gateWith({ ...inputs, 'output-dir': join(dir, 'b') });
    expect(second.outcome.summary.num_errors).toBe(0);
    expect([...hits.values()].every((h) => h === 1)).toBe(true);
    expect(hits.size).toBe(12);
    const urls = scored(sim.recorded).map((b) => b.messages[1]?.content[0]?.video_url?.url ?? '');
    expect(urls.every((u) => u.startsWith('data:video/mp4;base64,'))).toBe(true);
    expect(Buffer.from(urls[0]?.split(',')[1] ?? '', 'base64').toString()).toMatch(
      /^fake mp4 bytes of \/v\/\d+\.mp4$/,
    );
    expect(second.log.text()).toMatch(/video cache .*: 12 hits, 0 downloads/);
  });

  it('a cached MP4 gets the exact per-video pixel limits its frames need; unreadable ones the default', async () => {
    const dir = tmp();
    const host = await videoHost();
    dataset(dir, host, 3, 'real');
    const sim = await start({ record: true });
    const { outcome, log } = await gateWith({
      'base-url': sim.baseUrl,
      dataset: join(dir, 'd.csv'),
      'output-dir': join(dir, 'out'),
      'video-cache': join(dir, 'cache'),
    });
    expect(outcome.summary.num_errors).toBe(0);
    const plan = visionRequest(PROBE_META, { fps: 16, totalPixels: 6422528 });
    expect(plan.exact).toBe(true);
    const bodies = scored(sim.recorded);
    expect(bodies).toHaveLength(3);
    for (const b of bodies) {
      expect(b.mm_processor_kwargs.fps).toBe(plan.request.fps);
      expect(b.mm_processor_kwargs.size).toEqual(plan.request.size);
    }
    // What was asked is in every results row.
    for (const r of readResults(join(dir, 'out', 'results.jsonl'))) {
      expect(r.vision).toEqual({ fps: plan.request.fps, ...plan.request.size });
    }
    expect(log.text()).not.toMatch(/cannot read the frames/);
  });

  it('video-metadata range: the moov box over HTTP Range (one small read each), exact limits without a cache', async () => {
    const dir = tmp();
    const host = await videoHost();
    dataset(dir, host, 3, 'real');
    const sim = await start({ record: true });
    const { outcome, log } = await gateWith({
      'base-url': sim.baseUrl,
      dataset: join(dir, 'd.csv'),
      'output-dir': join(dir, 'out'),
      'video-metadata': 'range',
    });
    expect(outcome.summary.num_errors).toBe(0);
    const plan = visionRequest(PROBE_META, { fps: 16, totalPixels: 6422528 });
    for (const b of scored(sim.recorded))
      expect(b.mm_processor_kwargs.size).toEqual(plan.request.size);
    // A faststart file: its head holds moov, so one ranged read per video, never the whole file.
    const last = readFileSync(PROBE_ASSET).length - 1; // the 64 KB head request, clamped to the file
    expect(ranges).toEqual([`0-${last}`, `0-${last}`, `0-${last}`]);
    expect([...hits.keys()].every((k) => k.startsWith('/real/'))).toBe(true);
    expect(log.text()).not.toMatch(/cannot read the frames/);
  });

  it('video-metadata range on a host without byte ranges: the default limit, one warning', async () => {
    const dir = tmp();
    const host = await videoHost();
    dataset(dir, host, 3);
    const sim = await start({ record: true });
    const { outcome, log } = await gateWith({
      'base-url': sim.baseUrl,
      dataset: join(dir, 'd.csv'),
      'output-dir': join(dir, 'out'),
      'video-metadata': 'range',
    });
    expect(outcome.summary.num_errors).toBe(0);
    for (const b of scored(sim.recorded))
      expect(b.mm_processor_kwargs.size.longest_edge).toBe(2 * 6422528);
    expect(log.text()).toMatch(/warning: cannot read the frames of .*does not serve byte ranges/);
    expect(log.text()).toMatch(/warning: 3 videos had no readable MP4 frames/);
  });

  it('file:// refused by a server without --allowed-local-media-path stops the run with how to fix it', async () => {
    const dir = tmp();
    const host = await videoHost();
    const path = dataset(dir, host, 30);
    const sim = await start();
    const { outcome } = await gateWith({
      'base-url': sim.baseUrl,
      dataset: path,
      'output-dir': dir,
      'video-cache': join(dir, 'cache'),
      'video-transport': 'file',
    });
    expect(outcome.summary.verdict).toBe('error');
    expect(outcome.summary.reasons.join(' ')).toMatch(
      /start vLLM on this machine with --allowed-local-media-path .*cache/,
    );
  });

  it('video-transport file or data without video-cache is refused', async () => {
    const dir = tmp();
    const sim = await start();
    await expect(
      gateWith({
        'base-url': sim.baseUrl,
        dataset: 'test/fixtures/videophy2_test_head.csv',
        'output-dir': dir,
        'video-transport': 'data',
      }),
    ).rejects.toThrow(/video-transport data needs video-cache/);
  });
});

describe('several endpoints through the gate', () => {
  it('base-url with two servers spreads the videos over both', async () => {
    const dir = tmp();
    const [a, b] = await Promise.all([start({ latencyMs: 2 }), start({ latencyMs: 2 })]);
    const { outcome } = await gateWith({
      'base-url': `${a.baseUrl}\n${b.baseUrl}`,
      dataset: 'test/fixtures/videophy2_test_head.csv',
      'output-dir': dir,
      concurrency: '1',
    });
    expect(outcome.summary.num_videos).toBe(9);
    expect(a.stats.completed).toBeGreaterThan(0);
    expect(b.stats.completed).toBeGreaterThan(0);
    expect(outcome.summary.server.base_url).toBe(`${a.baseUrl}, ${b.baseUrl}`);
  });

  it('an endpoint that never becomes ready is left out with a warning', async () => {
    const dir = tmp();
    const a = await start();
    const { outcome, log } = await gateWith({
      'base-url': `${a.baseUrl},http://127.0.0.1:9/v1`,
      dataset: 'test/fixtures/videophy2_test_head.csv',
      'output-dir': dir,
      'server-timeout': '0.5',
    });
    expect(outcome.summary.num_errors).toBe(0);
    expect(log.text()).toMatch(
      /warning: endpoint http:\/\/127.0.0.1:9\/v1 left out: server at .* did not become ready/,
    );
  });
});
