import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadDataset, type DatasetRequest } from '../../src/dataset/index.js';
import { FIXTURE_CSV } from '../helpers/dataset.js';
import { unreachableUrl } from '../helpers/free-port.js';
import { tempDir } from '../helpers/tmp.js';

const base: Omit<DatasetRequest, 'dataset'> = {
  revision: 'main',
  split: 'test',
  cacheDir: '/nonexistent-cache',
  hfEndpoint: 'http://127.0.0.1:9',
};

describe('loadDataset routing', () => {
  let dir = '';
  let cleanup = async () => {};
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await copyFile(FIXTURE_CSV, join(dir, 'VideoPhy2.CSV'));
  });
  afterAll(() => cleanup());

  it('treats a data extension as a local file, case-insensitively', async () => {
    const loaded = await loadDataset({ ...base, dataset: join(dir, 'VideoPhy2.CSV') });
    expect(loaded).toMatchObject({ kind: 'csv', revision: 'local', split: 'test' });
    expect(loaded.rows).toHaveLength(9);
  });

  it('says which file is missing and what was expected', async () => {
    const path = join(dir, 'missing.parquet');
    await expect(loadDataset({ ...base, dataset: path })).rejects.toThrow(
      new DatasetError(
        `dataset file not found: ${path} (expected a local .csv/.jsonl/.json/.parquet file or a Hugging Face dataset id like owner/name)`,
      ),
    );
  });

  it('refuses values that are neither a data file nor owner/name', async () => {
    for (const dataset of ['videophy2_test', 'a/b/c', '', './data/rows.txt', 'owner/../x']) {
      await expect(loadDataset({ ...base, dataset })).rejects.toThrow(
        /^cannot load dataset .*: expected a local \.csv\/\.jsonl\/\.json\/\.parquet file or a Hugging Face dataset id like owner\/name$/,
      );
    }
  });

  it('sends owner/name to the Hub (here: unreachable, so the error names the request)', async () => {
    const ep = await unreachableUrl();
    const error = await loadDataset({
      ...base,
      dataset: 'videophysics/videophy2_test',
      hfEndpoint: `${ep}/`,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toContain(
      `request to ${ep}/api/datasets/videophysics/videophy2_test/revision/main failed after 3 attempts: fetch failed (ECONNREFUSED)`,
    );
  });
});
