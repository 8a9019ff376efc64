/**
 * Untrusted text as inert GitHub markdown. Captions, model replies, model and generator names, URLs and,
 * in the workflow_run pattern, every field of summary.json (it comes from a fork's artifact) go through here.
 */

/**
 * An empty HTML comment splits a text node without adding a character: GitHub's mention, reference and
 * autolink filters see `@` and `org` apart, and what a reader copies is the text as written. A zero-width
 * space did the same but broke lines and travelled with copied text.
 */
const BREAK = '<!-- -->';

// C0/C1 controls and the bidirectional overrides used to make text read differently than it is.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The markdown for a terminal or a log, where HTML is not rendered: without the empty comments that only
 * matter to GitHub's linkers.
 */
export function forTerminal(markdown: string): string {
  return markdown.replaceAll(BREAK, '');
}

/** At most `max` code points (a surrogate pair is never split), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  let kept = '';
  let n = 0;
  for (const ch of text) {
    if (n === max) return `${kept}…`;
    if (n === max - 1) kept = out;
    out += ch;
    n++;
  }
  return out;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/**
 * One line of inert text, safe inside a paragraph, a list item or a table cell: HTML escaped, markdown
 * punctuation backslash-escaped (pipes included, so a cell cannot split), @mentions, #references, bare URLs
 * and emails broken with an empty HTML comment (BREAK) so GitHub neither notifies nor cross-links nor autolinks, `$`
 * escaped so no math renders. Capped before escaping, so the cap is on what a reader sees.
 */
export function inline(value: unknown, max = 300): string {
  const text = truncate(asText(value).replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim(), max);
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]|~$#]/g, '\\$&')
      .replace(/@/g, `@${BREAK}`)
      .replace(/\\#(?=\d)/g, `\\#${BREAK}`)
      .replace(/:\/\//g, `:${BREAK}//`)
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${BREAK}.`)
      // Only the very start can open a block (list item, setext underline) once newlines are folded.
      .replace(/^([-+]|=+$)(?=\s|$)/, '\\$1')
      .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2')
  );
}

/** Characters that could end a link destination, open markup or split a table cell: percent-encoded. */
const HREF_UNSAFE = /[()<>[\]|\\`"'$@ ]/g;

/**
 * An http(s) URL fit for a markdown link destination, or null. Anything else (javascript:, data:, relative,
 * credentials, overlong) is never a link. The URL is normalised by WHATWG URL, so what is linked is what the
 * browser would open.
 */
export function safeHref(value: unknown, maxLength = 2048): string | null {
  if (typeof value !== 'string' || value.length > maxLength) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.href.replace(
    HREF_UNSAFE,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** `[text](url)` when the URL is safe, else the text alone (already-escaped text expected). */
export function link(text: string, url: unknown): string {
  const href = safeHref(url);
  return href === null ? text : `[${text}](${href})`;
}

/** A GFM table; every cell must already be inline-safe (no newline, pipes escaped). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * A folded section. The blank lines matter: without them GitHub (and any CommonMark renderer) treats the
 * markdown inside the HTML block as raw text.
 */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
