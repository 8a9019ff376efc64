import { describe, expect, it } from 'vitest';
import { chooseSplitFiles, namesSplit } from '../../src/dataset/hub-files.js';

describe('chooseSplitFiles', () => {
  it('finds the split named between non-letters in a file or directory name', () => {
    for (const path of [
      'test.csv',
      'videophy2_test.csv',
      'data/test-00000-of-00001.parquet',
      'test/xyz.parquet',
    ]) {
      expect(chooseSplitFiles([path, 'other/train.csv', 'README.md'], 'test')).toEqual([path]);
    }
    expect(namesSplit('contest.csv', 'test')).toBe(false);
    expect(namesSplit('tests/a.csv', 'test')).toBe(false);
    expect(namesSplit('data/eval.jsonl', 'test')).toBe(true); // a `datasets` synonym of test
    expect(namesSplit('hard_test_v2.json', 'hard_test')).toBe(true); // custom split names match literally
  });

  it('prefers parquet, then csv, jsonl, json, and sorts by path', () => {
    const paths = [
      'data/test-00001-of-00002.parquet',
      'videophy2_test.csv',
      'data/test-00000-of-00002.parquet',
      'data/train-00000-of-00001.parquet',
    ];
    expect(chooseSplitFiles(paths, 'test')).toEqual([
      'data/test-00000-of-00002.parquet',
      'data/test-00001-of-00002.parquet',
    ]);
    expect(chooseSplitFiles(['b_test.json', 'a_test.jsonl'], 'test')).toEqual(['a_test.jsonl']);
  });

  it('uses a lone data file whatever its name, unless it names another split', () => {
    expect(chooseSplitFiles(['README.md', 'videophy2.csv'], 'test')).toEqual(['videophy2.csv']);
    expect(chooseSplitFiles(['README.md', 'train.csv'], 'test')).toEqual([]);
  });

  it('ignores hidden files and non-data files', () => {
    expect(
      chooseSplitFiles(['.cache/test.csv', '__pycache__/test.json', 'test.tar', 'test.md'], 'test'),
    ).toEqual([]);
  });
});
