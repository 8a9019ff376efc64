import { describe, expect, it } from 'vitest';
import { parseScore, pyStrip } from '../../src/core/parse-score.js';
import { python } from '../helpers/python.js';

// The recipe's function, verbatim, as the reference.
const RECIPE = `
import json, re, sys
def parse_score(output_text):
    for line in output_text.strip().split("\\n"):
        m = re.match(r"^([1-5])\\.?\\s*$", line.strip())
        if m:
            return int(m.group(1))
    return None
print(json.dumps([parse_score(t) for t in json.load(sys.stdin)]))
`;

const CASES: [string, number | null][] = [
  ['4', 4],
  ['4.', 4],
  ['  3  ', 3],
  ['5\n', 5],
  ['\n\n2.\n', 2],
  ['The score is 4', null],
  ['4/5', null],
  ['<answer>4</answer>', null],
  ['Reasoning first.\n3\nMore text', 3],
  ['6', null],
  ['0', null],
  ['4..', null],
  ['4.5', null],
  ['', null],
  ['1\r\n', 1],
  ['\u00a05\u00a0', 5],
  ['\u3000 2', 2],
  ['3\u0085', 3],
  ['\u001c4', 4],
  ['\ufeff4', null],
  ['４', null],
  ['x\n 1 . ', null],
  ['x\n 1. \t', 1],
  ['2\n3', 2],
];

describe('parseScore (the recipe rule)', () => {
  it.each(CASES)('%j -> %s', (text, expected) => {
    expect(parseScore(text)).toBe(expected);
  });

  it('agrees with the recipe code run by python3 on every case and on generated noise', () => {
    const pieces = [
      '1',
      '2',
      '5',
      '7',
      '.',
      ' ',
      '\n',
      '\t',
      '\r',
      'a',
      '\u00a0',
      '\ufeff',
      '\u2028',
      '\u0085',
      '\u001f',
      '..',
    ];
    const generated: string[] = [];
    let state = 12345;
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const len = 1 + (i % 7);
      for (let j = 0; j < len; j++) {
        state = (state * 1103515245 + 12345) % 2147483648;
        s += pieces[state % pieces.length];
      }
      generated.push(s);
    }
    const texts = [...CASES.map((c) => c[0]), ...generated];
    const expected = python<(number | null)[]>(RECIPE, texts);
    const mismatches = texts.filter((t, i) => parseScore(t) !== expected[i]);
    expect(mismatches).toEqual([]);
    // The corpus must exercise both outcomes, or the comparison proves little.
    expect(expected.filter((x) => x !== null).length).toBeGreaterThan(100);
    expect(expected.filter((x) => x === null).length).toBeGreaterThan(100);
  });

  it('null and undefined output parse to null', () => {
    expect(parseScore(null)).toBeNull();
    expect(parseScore(undefined)).toBeNull();
  });

  it('pyStrip keeps U+FEFF like Python and strips U+0085 like Python', () => {
    expect(pyStrip('\ufeffx')).toBe('\ufeffx');
    expect(pyStrip('\u0085x\u0085')).toBe('x');
  });
});
