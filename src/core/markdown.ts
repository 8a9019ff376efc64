/**
 * Untrusted text (model names, captions, model replies, server messages) rendered as inert markdown:
 * HTML and markdown metacharacters escaped, @mentions neutralised, newlines folded, length capped.
 */
export function escapeMarkdown(text: string, maxLength = 300): string {
  const capped = text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
  return capped
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b');
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
