import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv, uniqueNames } from '../../src/dataset/csv.js';
import { DatasetError } from '../../src/dataset/types.js';
import { FIXTURE_CSV, pythonCsvHeader, pythonCsvRows } from '../helpers/dataset.js';

const fixtureBytes = readFileSync(FIXTURE_CSV);

describe('parseCsv on the real VideoPhy-2 head', () => {
  const { columns, rows } = parseCsv(fixtureBytes, FIXTURE_CSV);

  it('keeps all 16 header names, including the empty one, in file order', () => {
    expect(columns).toEqual(pythonCsvHeader(FIXTURE_CSV));
    expect(columns).toHaveLength(16);
    expect(columns[12]).toBe('category');
    expect(columns[13]).toBe('');
    expect(columns[14]).toBe('metadata_rules');
  });

  it('reads the 9 rows exactly as Python csv.DictReader does', () => {
    expect(rows).toHaveLength(9);
    expect(rows).toEqual(pythonCsvRows(FIXTURE_CSV));
  });

  it('keeps quoted commas, doubled quotes and ; in URLs intact', () => {
    expect(rows.map((r) => r.pc)).toEqual(['2', '2', '4', '5', '3', '4', '3', '2', '3']);
    expect(rows[0]?.video_url).toBe(
      'https://videophysics2testvideos.s3.us-east-2.amazonaws.com/hunyuan_xdit/' +
        'A_yo-yo_is_tossed_against_a_brick_wall;_it_bounces_back_without_sustaining_visible_damage.mp4',
    );
    expect(rows[1]?.caption).toBe(
      'A bulldozer clears debris from a construction site, moving it into a dumpster.',
    );
    expect(rows[1]?.physics_rules_unfollowed).toBe(
      `["The front-end loader's bucket changes shape as it scoops debris."]`,
    );
    expect(rows[0]?.['']).toBe('');
    expect(rows[0]?.model_name).toBe('hunyuan');
  });
});

describe('parseCsv edge cases', () => {
  it('strips a UTF-8 BOM (bytes or string) from the first header name', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n1,2\n')]);
    expect(parseCsv(bytes, 'f.csv').columns).toEqual(['a', 'b']);
    expect(parseCsv('\uFEFFa,b\n1,2\n', 'f.csv').rows).toEqual([{ a: '1', b: '2' }]);
  });

  it('reads CRLF files, and quoted fields holding newlines, commas and quotes', () => {
    const text = 'a,b\r\n"x\r\ny","1, ""two"""\r\n3,4\r\n';
    expect(parseCsv(text, 'f.csv').rows).toEqual([
      { a: 'x\r\ny', b: '1, "two"' },
      { a: '3', b: '4' },
    ]);
    expect(parseCsv('a,b\n"x\ny",2', 'f.csv').rows).toEqual([{ a: 'x\ny', b: '2' }]);
  });

  it('names the row, the line and both counts when a row has the wrong number of fields', () => {
    const text = 'a,b,c\n1,"multi\nline",3\n\n4,5\n';
    expect(() => parseCsv(text, 'data/x.csv')).toThrow(
      new DatasetError(
        "data/x.csv: data row 2 (line 5) has 2 fields, expected 3 (the header's count)",
      ),
    );
    expect(() => parseCsv('a,b\r\n1,2\r\n1,2,3\r\n', 'y.csv')).toThrow(
      /data row 2 \(line 3\) has 3 fields, expected 2/,
    );
  });

  it('reports invalid UTF-8 with the file and the byte offset', () => {
    const bytes = Buffer.concat([
      Buffer.from('a,b\n1,'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]);
    expect(() => parseCsv(bytes, 'bad.csv')).toThrow(DatasetError);
    expect(() => parseCsv(bytes, 'bad.csv')).toThrow(
      /^bad\.csv: invalid UTF-8 at byte offset 6 \(line 2, bytes c3 28/,
    );
    const lone = Buffer.from([0x61, 0x0a, 0xff]);
    expect(() => parseCsv(lone, 'lone.csv')).toThrow(/byte offset 2 \(line 2/);
    const truncated = Buffer.from([0x61, 0x2c, 0xe2, 0x80]);
    expect(() => parseCsv(truncated, 't.csv')).toThrow(/byte offset 2 \(line 1/);
  });

  it('accepts valid multi-byte UTF-8 (’ and — appear in real URLs)', () => {
    const { rows } = parseCsv(Buffer.from('u\nhttps://x/It’s—fine.mp4\n'), 'u.csv');
    expect(rows).toEqual([{ u: 'https://x/It’s—fine.mp4' }]);
  });

  it('gives no rows for an empty file and for a header-only file', () => {
    expect(parseCsv('', 'e.csv')).toEqual({ columns: [], rows: [] });
    expect(parseCsv(Buffer.alloc(0), 'e.csv')).toEqual({ columns: [], rows: [] });
    expect(parseCsv('a,,b\n', 'h.csv')).toEqual({ columns: ['a', '', 'b'], rows: [] });
  });

  it('keeps duplicate header names apart instead of overwriting cells', () => {
    expect(uniqueNames(['a', '', 'a', '', 'a_2'])).toEqual(['a', '', 'a_2', '_2', 'a_2_2']);
    expect(parseCsv('x,,\n1,2,3\n', 'd.csv').rows).toEqual([{ x: '1', '': '2', _2: '3' }]);
  });

  it('wraps malformed quoting in a DatasetError naming the file', () => {
    expect(() => parseCsv('a,b\n"x"y,2\n', 'q.csv')).toThrow(/^q\.csv: malformed CSV \(/);
  });
});
