import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/dataset/index.js';
import type { DatasetRequest, LoadedDataset } from '../../src/dataset/types.js';
import { FIXTURE_CSV, pythonCsvHeader, pythonCsvRows } from '../helpers/dataset.js';
import { tempDir } from '../helpers/tmp.js';

const INTEGER_COLUMNS = new Set(['sa', 'pc', 'joint', 'is_hard']);

/** The fixture's rows typed as the Hub's parquet has them: scores as integers, the rest text. */
function typedRows(): Record<string, unknown>[] {
  return pythonCsvRows(FIXTURE_CSV).map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, INTEGER_COLUMNS.has(k) ? Number(v) : v]),
    ),
  );
}

function request(dataset: string): DatasetRequest {
  return {
    dataset,
    revision: 'main',
    split: 'test',
    cacheDir: '/nonexistent-cache',
    hfEndpoint: 'http://127.0.0.1:9',
  };
}

describe('the four local formats give the same rows', () => {
  const columns = pythonCsvHeader(FIXTURE_CSV);
  const rows = typedRows();
  let dir = '';
  let cleanup = async () => {};
  const byFormat = new Map<string, LoadedDataset>();
  const loaded = (ext: string): LoadedDataset => {
    const d = byFormat.get(ext);
    if (!d) throw new Error(`${ext} not loaded`);
    return d;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await copyFile(FIXTURE_CSV, join(dir, 'rows.csv'));
    await writeFile(
      join(dir, 'rows.jsonl'),
      rows.map((r) => JSON.stringify(r)).join('\r\n') + '\n',
    );
    await writeFile(join(dir, 'rows.json'), JSON.stringify(rows, null, 2));
    parquetWriteFile({
      filename: join(dir, 'rows.parquet'),
      columnData: columns.map((name) =>
        INTEGER_COLUMNS.has(name)
          ? { name, data: rows.map((r) => BigInt(r[name] as number)), type: 'INT64' as const }
          : { name, data: rows.map((r) => r[name] as string), type: 'STRING' as const },
      ),
    });
    for (const ext of ['csv', 'jsonl', 'json', 'parquet']) {
      byFormat.set(ext, await loadDataset(request(join(dir, `rows.${ext}`))));
    }
  });
  afterAll(() => cleanup());

  it('parquet scores really are int64 on disk (hyparquet gives BigInt)', async () => {
    const raw = await parquetReadObjects({
      file: await asyncBufferFromFile(join(dir, 'rows.parquet')),
    });
    expect(typeof raw[0]?.pc).toBe('bigint');
  });

  it('JSONL, JSON and parquet rows are identical, with pc as a Number', () => {
    expect(loaded('jsonl').rows).toEqual(rows);
    expect(loaded('json').rows).toEqual(rows);
    expect(loaded('parquet').rows).toEqual(rows);
    expect(loaded('parquet').rows.map((r) => r.pc)).toEqual([2, 2, 4, 5, 3, 4, 3, 2, 3]);
  });

  it('CSV rows are the same rows as text', () => {
    const asText = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])),
    );
    expect(loaded('csv').rows).toEqual(asText);
  });

  it('every reader reports the 16 columns in file order, the empty name included', () => {
    for (const ext of ['csv', 'jsonl', 'json', 'parquet'])
      expect(loaded(ext).columns).toEqual(columns);
  });

  it('records provenance: kind, revision local, content hash, split as given, the file', () => {
    for (const ext of ['csv', 'jsonl', 'json', 'parquet']) {
      const d = loaded(ext);
      expect(d).toMatchObject({
        kind: ext,
        revision: 'local',
        split: 'test',
        files: [join(dir, `rows.${ext}`)],
      });
      expect(d.id).toBe(join(dir, `rows.${ext}`));
      // The content hash stands in for a commit: independent of where the file lies.
      const digest = createHash('sha256')
        .update(readFileSync(join(dir, `rows.${ext}`)))
        .digest('hex');
      expect(d.resolvedRevision).toBe(`sha256:${digest}`);
    }
  });
});
