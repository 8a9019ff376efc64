import { describe, expect, it } from 'vitest';
import { forTerminal, inline, safeHref, truncate } from '../../src/report/index.js';
import { toHtml } from '../helpers/gfm.js';

/** What inline() puts between characters GitHub would link: an empty comment, no zero-width space. */
const Z = '<!-- -->';

describe('inline', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['a | b', 'a \\| b'],
    ['[x](javascript:alert(1))', '\\[x\\](javascript:alert(1))'],
    ['`code`', '\\`code\\`'],
    ['*b* _i_ ~s~', '\\*b\\* \\_i\\_ \\~s\\~'],
    ['@org/team', `@${Z}org/team`],
    ['see #12', `see \\#${Z}12`],
    ['$x$', '\\$x\\$'],
    ['https://evil.example', `https:${Z}//evil.example`],
    ['www.evil.example', `www${Z}.evil.example`],
    ['a\r\nb\n\nc\td', 'a b c d'],
    ['- item', '\\- item'],
    ['3. item', '3\\. item'],
    ['0.11.0', '0.11.0'],
    ['===', '\\==='],
    ['&lt;', '&amp;lt;'],
    ['\u202eabc\u0000', 'abc'],
    [42, '42'],
    [null, ''],
    [{ a: 1 }, '{"a":1}'],
  ])('%j -> %j', (input, expected) => {
    expect(inline(input)).toBe(expected);
  });

  it('renders back to the original text, as text', () => {
    const raw = '<b>x</b> | [a](b) `c` *d* _e_ ~f~ $g$ \\h &amp;';
    expect(toHtml(inline(raw))).toBe(
      '<p>&lt;b&gt;x&lt;/b&gt; | [a](b) `c` *d* _e_ ~f~ $g$ \\h &amp;amp;</p>\n',
    );
  });

  it('caps what the reader sees, not the escaped form', () => {
    expect(inline('<'.repeat(50), 10)).toBe(`${'&lt;'.repeat(9)}…`);
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair', () => {
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('😀😀😀', 3)).toBe('😀😀😀');
  });
});

describe('safeHref', () => {
  it.each([
    ['javascript:alert(1)', null],
    ['JAVASCRIPT:alert(1)', null],
    ['data:text/html,<script>', null],
    ['vbscript:x', null],
    ['/relative/path.mp4', null],
    ['//evil.example/x', null],
    ['https://user:pass@host.example/x', null],
    ['not a url', null],
    [42, null],
    ['https://h.example/a b.mp4', 'https://h.example/a%20b.mp4'],
    ['https://h.example/a)b(c', 'https://h.example/a%29b%28c'],
    ['https://h.example/a"><img>', 'https://h.example/a%22%3E%3Cimg%3E'],
    ['https://h.example/x?q=[1]|2', 'https://h.example/x?q=%5B1%5D%7C2'],
    ["https://h.example/A_yo-yo;_it's.mp4", 'https://h.example/A_yo-yo;_it%27s.mp4'],
    ['https://h.example/a’—b', 'https://h.example/a%E2%80%99%E2%80%94b'],
    ['  HTTP://H.Example/x  ', 'http://h.example/x'],
  ])('%j -> %j', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });

  it('does not link an overlong URL', () => {
    expect(safeHref(`https://h.example/${'a'.repeat(3000)}`)).toBeNull();
  });
});

describe('forTerminal', () => {
  it('drops the empty comments (only GitHub needs them), nothing else', () => {
    expect(forTerminal(`${inline('@org see #12')} <!-- kept -->`)).toBe(
      '@org see \\#12 <!-- kept -->',
    );
  });
});
