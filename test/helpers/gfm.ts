import { Marked, type Token, type Tokens } from 'marked';
import { expect } from 'vitest';

/** GitHub-flavoured markdown as a real renderer sees it (marked, GFM on). */
const gfm = new Marked({ gfm: true });

export const toHtml = (md: string): string => gfm.parse(md, { async: false });

function walk(tokens: readonly Token[], out: Token[] = []): Token[] {
  for (const t of tokens) {
    out.push(t);
    const children = (t as { tokens?: Token[] }).tokens;
    if (children) walk(children, out);
  }
  return out;
}

/** Every token of the document, depth first. */
export const tokens = (md: string): Token[] => walk(gfm.lexer(md));

export const tables = (md: string): Tokens.Table[] =>
  tokens(md).filter((t): t is Tokens.Table => t.type === 'table');

/** Pipes that split cells: those not escaped by an odd number of backslashes. */
export function cellPipes(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '|') continue;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && line[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) n++;
  }
  return n;
}

const count = (s: string, needle: string): number => s.split(needle).length - 1;

/**
 * The structural checks every rendered report must pass: each table line has exactly its header's cells,
 * the tables parse as tables, <details> and <summary> are balanced, the only HTML comment but empty ones is the marker,
 * every link is http(s), and no tag but ours reaches the HTML.
 */
export function expectWellFormed(md: string): { html: string; tables: Tokens.Table[] } {
  const lines = md.split('\n');
  let columns = 0;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      columns = 0;
      continue;
    }
    if (columns === 0) columns = cellPipes(line);
    else expect(cellPipes(line), `cells of: ${line.slice(0, 200)}`).toBe(columns);
  }
  const tableLines = lines.filter((l) => /^\| --- \|/.test(l)).length;
  const parsed = tables(md);
  expect(parsed.length).toBe(tableLines);
  for (const t of parsed) for (const r of t.rows) expect(r.length).toBe(t.header.length);

  const html = toHtml(md);
  expect(count(html, '<table>')).toBe(tableLines);
  expect(count(md, '<details>')).toBe(count(md, '</details>'));
  expect(count(html, '<details>')).toBe(count(html, '</details>'));
  expect(count(html, '<summary>')).toBe(count(html, '</summary>'));
  // The marker is the only comment with content; the others are inline()'s empty separators.
  expect(html.replace(/<!-- -->/g, '').split('<!--').length - 1).toBe(1);
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]*)"/g)) expect(m[1]).toMatch(/^https?:\/\//);
  const allowed = new Set([
    'a',
    'blockquote',
    'code',
    'del',
    'details',
    'em',
    'h3',
    'li',
    'p',
    'pre',
    'strong',
    'sub',
    'summary',
    'table',
    'tbody',
    'td',
    'th',
    'thead',
    'tr',
    'ul',
  ]);
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)/g))
    expect(allowed).toContain(m[1]!.toLowerCase());
  return { html, tables: parsed };
}
