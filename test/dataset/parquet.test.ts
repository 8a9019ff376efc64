import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../src/dataset/parquet.js';
import { DatasetError } from '../../src/dataset/types.js';
import { tempDir } from '../helpers/tmp.js';

describe('readParquet', () => {
  let dir = '';
  let cleanup = async () => {};
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('turns int64 into Number only when exact, and keeps nulls and schema order', async () => {
    const file = join(dir, 'ints.parquet');
    parquetWriteFile({
      filename: file,
      columnData: [
        { name: 'z', data: ['a', null, 'c'], type: 'STRING' },
        { name: 'big', data: [1n, 2n ** 60n, -(2n ** 53n)], type: 'INT64' },
      ],
    });
    const { columns, rows } = await readParquet(file);
    expect(columns).toEqual(['z', 'big']);
    expect(rows).toEqual([
      { z: 'a', big: 1 },
      { z: null, big: 2n ** 60n },
      { z: 'c', big: -(2n ** 53n) },
    ]);
  });

  it('wraps an unreadable file in a DatasetError naming it', async () => {
    const file = join(dir, 'broken.parquet');
    await writeFile(file, 'not parquet at all');
    await expect(readParquet(file)).rejects.toThrow(DatasetError);
    await expect(readParquet(file)).rejects.toThrow(/broken\.parquet: cannot read parquet \(/);
  });
});
