import { freePort } from '../../src/server/free-port.js';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/dataset/csv.js';
import { DatasetError, loadDataset, type DatasetRequest } from '../../src/dataset/index.js';
import { startFakeHub, type FakeHub, type FakeHubOptions } from '../helpers/fake-hub.js';
import { FIXTURE_CSV } from '../helpers/dataset.js';
import { tempDir } from '../helpers/tmp.js';

const ID = 'videophysics/videophy2_test';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const FIXTURE = readFileSync(FIXTURE_CSV);
const FIXTURE_ROWS = parseCsv(FIXTURE, FIXTURE_CSV).rows;
const CSV_REPO = {
  'README.md': '# card',
  '.gitattributes': '*.csv filter=lfs',
  'videophy2_test.csv': FIXTURE,
};

function parquetOf(pcs: number[]): Uint8Array {
  const columnData = [
    { name: 'video_url', data: pcs.map((_, i) => `https://v/${i}.mp4`), type: 'STRING' as const },
    { name: 'pc', data: pcs.map((pc) => BigInt(pc)), type: 'INT64' as const },
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

describe('Hub datasets', () => {
  let hub: FakeHub | undefined;
  let cacheDir = '';
  let cleanup = async () => {};
  beforeEach(async () => ({ dir: cacheDir, cleanup } = await tempDir()));
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
    await cleanup();
  });

  async function serve(options: Partial<FakeHubOptions> = {}): Promise<FakeHub> {
    hub = await startFakeHub({ id: ID, sha: SHA, files: CSV_REPO, ...options });
    return hub;
  }
  const request = (extra: Partial<DatasetRequest> = {}): DatasetRequest => ({
    dataset: ID,
    revision: 'main',
    split: 'test',
    cacheDir,
    hfEndpoint: `${hub?.url ?? 'http://127.0.0.1:9'}/`, // a trailing slash is tolerated
    ...extra,
  });
  const splitDir = () => join(cacheDir, 'datasets', 'videophysics--videophy2_test', SHA, 'test');

  it('downloads the split file into the cache and parses it', async () => {
    await serve();
    const loaded = await loadDataset(request());
    expect(loaded).toMatchObject({
      id: ID,
      kind: 'hub',
      revision: 'main',
      resolvedRevision: SHA,
      split: 'test',
    });
    expect(loaded.rows).toEqual(FIXTURE_ROWS);
    expect(loaded.columns).toContain('');
    expect(loaded.files).toEqual([join(splitDir(), 'videophy2_test.csv')]);
    expect(await readFile(loaded.files[0] ?? '')).toEqual(FIXTURE);
    expect(loaded.notes.join('\n')).toMatch(/downloaded 1 file into /);
    expect(hub?.count('/resolve/')).toBe(1);
    // Written atomically: nothing but the file and the manifest is left behind.
    expect((await readdir(splitDir())).sort()).toEqual(['.manifest.json', 'videophy2_test.csv']);
  });

  it('serves a second load from the cache after one revision request', async () => {
    await serve();
    await loadDataset(request());
    const again = await loadDataset(request());
    expect(again.rows).toEqual(FIXTURE_ROWS);
    expect(hub?.count('/resolve/')).toBe(1);
    expect(hub?.count('/revision/')).toBe(2);
    expect(again.notes.join('\n')).toContain(`served from cache ${splitDir()}`);
  });

  it('records the sha a revision name resolved to (nested for refs/pr/N)', async () => {
    await serve({ refs: { main: SHA, 'v1.0': SHA, 'refs/pr/1': SHA } });
    for (const revision of ['v1.0', 'refs/pr/1']) {
      const loaded = await loadDataset(request({ revision }));
      expect(loaded.resolvedRevision).toBe(SHA);
      const ref = join(
        cacheDir,
        'datasets',
        'videophysics--videophy2_test',
        'refs',
        ...revision.split('/'),
      );
      expect(await readFile(ref, 'utf8')).toBe(SHA);
    }
    expect(hub?.counts.get(`/api/datasets/${ID}/revision/refs%2Fpr%2F1`)).toBe(1);
  });

  it('works offline from the cache, and says so when nothing is cached', async () => {
    await serve();
    await expect(loadDataset(request({ offline: true }))).rejects.toThrow(
      /^offline \(HF_HUB_OFFLINE\) and no cached copy of dataset videophysics\/videophy2_test revision main split test/,
    );
    await loadDataset(request());
    const requests = hub?.count('/');
    await hub?.close();
    hub = undefined;
    const offline = await loadDataset(request({ offline: true, hfEndpoint: 'http://127.0.0.1:9' }));
    expect(offline.rows).toEqual(FIXTURE_ROWS);
    expect(offline.resolvedRevision).toBe(SHA);
    expect(offline.notes.join('\n')).toContain('served from cache');
    await expect(loadDataset(request({ offline: true, revision: 'v2' }))).rejects.toThrow(
      /no cached copy/,
    );
    await expect(loadDataset(request({ offline: true, split: 'train' }))).rejects.toThrow(
      /no cached copy/,
    );
    expect(requests).toBeGreaterThan(0);
  });

  it('an unreachable Hub names the three ways to work without it', async () => {
    // Nothing listens on this loopback port: what an offline runner sees (ECONNREFUSED; ENOTFOUND alike).
    const closed = `http://127.0.0.1:${await freePort()}`;
    const err = (await loadDataset(request({ hfEndpoint: closed })).then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toMatch(
      /cannot reach the Hugging Face Hub at http:\/\/127\.0\.0\.1:\d+ for dataset videophysics\/videophy2_test: .*ECONNREFUSED.*HF_HUB_OFFLINE=1 .*HF_ENDPOINT .*local file as the dataset/,
    );
    await expect(loadDataset(request({ offline: true }))).rejects.toThrow(
      /give a local copy as the dataset \(a \.csv, \.jsonl, \.json or \.parquet file\)/,
    );
  });

  it('explains a gated dataset without ever showing the token', async () => {
    await serve({ gatedToken: 'hf_right_token_123' });
    for (const hfToken of [undefined, 'hf_wrong_token_456']) {
      const error = await loadDataset(request({ hfToken })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetError);
      const message = (error as Error).message;
      expect(message).toMatch(/gated or private/);
      expect(message).toContain('HF_TOKEN');
      expect(message).toContain(ID);
      expect(message).not.toContain('hf_wrong_token_456');
      expect(message).not.toContain('hf_right_token_123');
    }
    const loaded = await loadDataset(request({ hfToken: 'hf_right_token_123' }));
    expect(loaded.rows).toHaveLength(9);
  });

  it('sends the token as a bearer header on every Hub request', async () => {
    await serve();
    await loadDataset(request({ hfToken: 'hf_tok' }));
    expect(hub?.authorizations.length).toBeGreaterThanOrEqual(2);
    expect(new Set(hub?.authorizations)).toEqual(new Set(['Bearer hf_tok']));
  });

  it('names the dataset and the revision when either is not found', async () => {
    await serve();
    await expect(loadDataset(request({ revision: 'no-such-tag' }))).rejects.toThrow(
      /^dataset or revision not found: dataset videophysics\/videophy2_test, revision no-such-tag /,
    );
    await expect(loadDataset(request({ dataset: 'videophysics/nope' }))).rejects.toThrow(
      /^dataset or revision not found: dataset videophysics\/nope, revision main /,
    );
  });

  it("falls back to the Hub's parquet conversion when the repo has no usable file", async () => {
    await serve({
      files: { 'README.md': '#', 'videos.tar': 'x' },
      conversion: { test: [parquetOf([1, 2]), parquetOf([3])] },
    });
    const loaded = await loadDataset(request());
    expect(loaded.rows.map((r) => r.pc)).toEqual([1, 2, 3]);
    expect(loaded.columns).toEqual(['video_url', 'pc']);
    expect(loaded.files.map((f) => f.slice(splitDir().length + 1))).toEqual([
      '0.parquet',
      '1.parquet',
    ]);
    expect(loaded.notes.join('\n')).toMatch(/parquet conversion/);
    const again = await loadDataset(request());
    expect(again.rows).toEqual(loaded.rows);
    expect(hub?.count('/parquet/default/test')).toBe(3); // the list once, the two parts once
  });

  it('lists what the repo holds when there is nothing to read', async () => {
    await serve({ files: { 'README.md': '#', 'videos.tar': 'x' } });
    await expect(loadDataset(request())).rejects.toThrow(
      /split "test" .*the repo holds: README\.md, videos\.tar$/,
    );
  });

  it('concatenates several files in path order, preferring parquet', async () => {
    await serve({
      files: {
        'data/test-00001-of-00002.parquet': parquetOf([4, 5]),
        'data/test-00000-of-00002.parquet': parquetOf([1, 2, 3]),
        'data/train-00000-of-00001.parquet': parquetOf([9]),
        'videophy2_test.csv': FIXTURE,
      },
    });
    const loaded = await loadDataset(request());
    expect(loaded.rows.map((r) => r.pc)).toEqual([1, 2, 3, 4, 5]);
    expect(loaded.notes.join('\n')).toMatch(/downloaded 2 files/);
  });

  it('follows redirects from /resolve/', async () => {
    await serve({ redirect: true });
    const loaded = await loadDataset(request());
    expect(loaded.rows).toEqual(FIXTURE_ROWS);
    expect(hub?.count('/cdn/')).toBe(1);
  });

  it('retries 5xx answers, but at most 3 times', async () => {
    await serve({ failFirst: 2 });
    expect((await loadDataset(request())).rows).toHaveLength(9);
    expect(hub?.count('/revision/')).toBe(3);
    await hub?.close();
    await serve({ failFirst: 3 });
    await expect(loadDataset(request())).rejects.toThrow(/^HTTP 503 from .*\(after 3 attempts\)$/);
    expect(hub?.count('/revision/')).toBe(3);
  });
});
