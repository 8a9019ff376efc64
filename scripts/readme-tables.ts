/**
 * The README's inputs and outputs tables, generated from src/config/inputs.ts (npm run docs rewrites them
 * between their markers; a test checks the README is up to date).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { INPUTS, OUTPUTS } from '../src/config/inputs.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function inputsTable(): string {
  const rows = INPUTS.map(
    (i) =>
      `| \`${i.name}\` | ${i.default === '' ? '' : `\`${cell(i.default)}\``} | ${cell(i.description)} |`,
  );
  return ['| input | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(): string {
  const rows = OUTPUTS.map((o) => `| \`${o.name}\` | ${cell(o.description)} |`);
  return ['| output | meaning |', '| --- | --- |', ...rows].join('\n');
}

export function withTables(readme: string): string {
  const put = (text: string, name: string, table: string): string => {
    const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!re.test(text))
      throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> markers`);
    return text.replace(re, `$1${table}\n$2`);
  };
  return put(put(readme, 'inputs', inputsTable()), 'outputs', outputsTable());
}

if (process.argv[2] === '--write')
  writeFileSync('README.md', withTables(readFileSync('README.md', 'utf8')));
