import { describe, expect, it } from 'vitest';
import { describeRows, parseGroundTruth, selectRows } from '../../src/core/rows.js';

describe('selectRows', () => {
  it('keeps valid rows, reports each invalid one by 1-based row number and reason', () => {
    const rows = [
      {
        video_url: 'https://v.test/a b’c.mp4',
        pc: '3',
        caption: 'x',
        model_name: 'wan',
        is_hard: '0',
      },
      { video_url: '', pc: '3' },
      { video_url: 'https://v.test/c.mp4', pc: '6' },
      { video_url: 'https://v.test/d.mp4', pc: '3.5' },
      { video_url: 'https://v.test/e.mp4', pc: '' },
      { video_url: 'https://v.test/f.mp4', pc: 0 },
      { video_url: 'https://v.test/g.mp4', pc: 4 },
      { video_url: 'https://v.test/g.mp4', pc: 4 },
      { video_url: 'not a url', pc: 2 },
      { video_url: 'https://v.test/h.mp4', pc: '5.0' },
    ];
    const sel = selectRows(rows, 'video_url', 'pc');
    expect(sel.items.map((i) => [i.index, i.groundTruth])).toEqual([
      [0, 3],
      [6, 4],
      [9, 5],
    ]);
    expect(sel.items[0]).toMatchObject({
      videoUrl: 'https://v.test/a b’c.mp4',
      requestUrl: 'https://v.test/a%20b%E2%80%99c.mp4',
      meta: { caption: 'x', model_name: 'wan', is_hard: '0' },
    });
    expect(sel.skipped).toEqual([
      { row: 2, reason: "no video URL in column 'video_url'" },
      { row: 3, reason: 'score "6" is not an integer 1-5 in column \'pc\'' },
      { row: 4, reason: 'score "3.5" is not an integer 1-5 in column \'pc\'' },
      { row: 5, reason: "empty score in column 'pc'" },
      { row: 6, reason: "score 0 is not an integer 1-5 in column 'pc'" },
      { row: 9, reason: 'video URL not a valid URL: "not a url"' },
    ]);
    expect(sel.duplicates).toEqual([{ row: 8, reason: 'duplicate of row 7 (same video URL)' }]);
  });

  it('parseGroundTruth accepts integers as numbers or strings only', () => {
    expect(parseGroundTruth(' 4 ')).toBe(4);
    expect(parseGroundTruth(null)).toBe('empty score');
    expect(parseGroundTruth('abc')).toMatch(/not an integer/);
  });

  it('describeRows caps the list', () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ row: i + 1, reason: 'r' }));
    expect(describeRows(rows, 3)).toBe('rows 1, 2, 3 and 22 more');
    expect(describeRows([{ row: 7, reason: 'r' }])).toBe('row 7');
  });
});
