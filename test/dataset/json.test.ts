import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/dataset/json.js';
import { parseJsonl } from '../../src/dataset/jsonl.js';
import { DatasetError } from '../../src/dataset/types.js';

describe('parseJsonl', () => {
  it('reads one object per line, skipping blank lines, with CRLF and a BOM', () => {
    const text = '\uFEFF{"a":1}\r\n\r\n  \n{"a":2,"b":"x"}\n';
    expect(parseJsonl(text, 'f.jsonl')).toEqual({
      columns: ['a', 'b'],
      rows: [{ a: 1 }, { a: 2, b: 'x' }],
    });
    expect(parseJsonl(Buffer.from(text), 'f.jsonl').rows).toHaveLength(2);
  });

  it('names the file and line of invalid JSON, with the parser message', () => {
    const text = '{"a":1}\n\n{"a":2,}\n';
    expect(() => parseJsonl(text, 'rows.jsonl')).toThrow(DatasetError);
    expect(() => parseJsonl(text, 'rows.jsonl')).toThrow(/^rows\.jsonl:3: invalid JSON \(.+\)$/);
  });

  it('names the line and the type of a line that is not an object', () => {
    expect(() => parseJsonl('{"a":1}\n[1,2]\n', 'r.jsonl')).toThrow(
      'r.jsonl:2: expected one JSON object per line, found an array',
    );
    expect(() => parseJsonl('null\n', 'r.jsonl')).toThrow(
      'r.jsonl:1: expected one JSON object per line, found null',
    );
    expect(() => parseJsonl('"s"\n', 'r.jsonl')).toThrow(/found a string$/);
  });

  it('gives no rows for an empty file', () => {
    expect(parseJsonl('', 'e.jsonl')).toEqual({ columns: [], rows: [] });
  });
});

describe('parseJson', () => {
  const rows = [
    { a: 1, b: 'x' },
    { a: 2, c: null },
  ];

  it('reads an array of objects, or one under "rows" or "data"', () => {
    const expected = { columns: ['a', 'b', 'c'], rows };
    expect(parseJson(JSON.stringify(rows), 'f.json')).toEqual(expected);
    expect(parseJson(JSON.stringify({ rows }), 'f.json')).toEqual(expected);
    expect(parseJson(JSON.stringify({ data: rows, meta: 1 }), 'f.json')).toEqual(expected);
  });

  it('unwraps rows as the Hub dataset viewer API returns them', () => {
    const viewer = { rows: rows.map((row, row_idx) => ({ row_idx, row, truncated_cells: [] })) };
    expect(parseJson(JSON.stringify(viewer), 'v.json').rows).toEqual(rows);
  });

  it('says what it found when the shape is wrong', () => {
    expect(() => parseJson('{"items": []}', 'x.json')).toThrow(
      'x.json: expected a JSON array of row objects (or an object with a "rows" or "data" array), found an object with keys items',
    );
    expect(() => parseJson('42', 'x.json')).toThrow(/found a number$/);
    expect(() => parseJson('[{"a":1}, 3]', 'x.json')).toThrow(
      'x.json: row 2 is a number, expected an object',
    );
    expect(() => parseJson('[{"a":1},', 'x.json')).toThrow(/^x\.json: invalid JSON \(/);
  });

  it('reports invalid UTF-8 by byte offset', () => {
    const bytes = Buffer.concat([Buffer.from('[{"a":"'), Buffer.from([0xff]), Buffer.from('"}]')]);
    expect(() => parseJson(bytes, 'u.json')).toThrow(/^u\.json: invalid UTF-8 at byte offset 7 /);
  });
});
