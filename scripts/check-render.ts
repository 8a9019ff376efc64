/**
 * Renders the example comments as GitHub would and fails on what a reviewer would see broken: the markdown
 * through marked (GFM), GitHub's stylesheet (github-markdown-css), every ```mermaid block through the real
 * mermaid package in headless Chromium. Fails on a Mermaid parse or render error, on a link whose URL is
 * not what the gate sends (a fragment, an unencoded character, anything but http(s)) and on zero-width
 * characters in the visible text. Writes a screenshot per file next to the output (for a human look).
 *
 * Run: npm run check:render [-- FILE.md ...] (default examples/comment.md examples/comment-regression.md examples/comment-sweep.md);
 * RENDER_THEME=dark for GitHub's dark mode.
 * Needs Chromium (Debian's `chromium`; CHROMIUM=/path to override); puppeteer-core never downloads one.
 * Screenshots go to $RENDER_OUT or a temporary directory.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Marked } from 'marked';
import puppeteer from 'puppeteer-core';
import { normalizeVideoUrl } from '../src/core/video-url.js';

const require = createRequire(import.meta.url);
const files = process.argv.slice(2).filter((a) => a !== '--');
const inputs =
  files.length > 0
    ? files
    : ['examples/comment.md', 'examples/comment-regression.md', 'examples/comment-sweep.md'];
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `check-render: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM)`,
  );
  process.exit(2);
}
const outDir = process.env.RENDER_OUT ?? mkdtempSync(join(tmpdir(), 'videophy-render-'));
const mermaidJs = readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
// RENDER_THEME=dark: GitHub's dark stylesheet and Mermaid's dark theme, as a reader in dark mode sees it.
const dark = process.env.RENDER_THEME === 'dark';
const css = readFileSync(
  require.resolve(`github-markdown-css/github-markdown-${dark ? 'dark' : 'light'}.css`),
  'utf8',
);
const gfm = new Marked({ gfm: true });

/** A link is broken when it is not exactly what normalizeVideoUrl would send, or carries a fragment. */
function linkProblem(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `scheme ${url.protocol}`;
  if (url.hash !== '') return `fragment ${url.hash} (a # in a file name must be %23)`;
  if (/[^\x21-\x7e]/.test(href)) return 'unencoded character';
  if (normalizeVideoUrl(href) !== href) return `not normalised (${normalizeVideoUrl(href)})`;
  return null;
}

interface Diagram {
  ok: boolean;
  error?: string;
  legend?: string[];
}

/**
 * Runs in the page (plain JavaScript: this script is typed for Node, not the DOM): renders each mermaid
 * block with the real package in place of its code block, and reports errors and legend entries.
 */
const RENDER_DIAGRAMS = `(async () => {
  mermaid.initialize({ startOnLoad: false, theme: window.MERMAID_THEME });
  const out = [];
  const blocks = [...document.querySelectorAll('pre > code.language-mermaid')];
  for (const [i, code] of blocks.entries()) {
    const text = code.textContent ?? '';
    try {
      await mermaid.parse(text);
      const { svg } = await mermaid.render('d' + i, text);
      const div = document.createElement('div');
      div.innerHTML = svg;
      code.parentElement.replaceWith(div);
      out.push({ ok: true, legend: [...div.querySelectorAll('.legend text')].map((t) => t.textContent) });
    } catch (e) {
      out.push({ ok: false, error: String(e && e.message ? e.message : e) });
    }
  }
  return out;
})()`;

const page = (body: string): string => `<!doctype html><html><head><meta charset="utf-8">
<style>${css}\n.markdown-body{box-sizing:border-box;max-width:980px;margin:0 auto;padding:32px}body{background:${dark ? '#0d1117' : '#fff'}}</style>
</head><body><article class="markdown-body">${body}</article></body></html>`;

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  // The CI container runs as root, where Chromium's sandbox cannot start.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
let failures = 0;
try {
  for (const file of inputs) {
    const md = readFileSync(file, 'utf8');
    const problems: string[] = [];
    const zeroWidth = md.match(/[\u200b-\u200d\u2060\ufeff]/g);
    if (zeroWidth) problems.push(`${zeroWidth.length} zero-width characters in the text`);
    const html = gfm.parse(md, { async: false });
    const tab = await browser.newPage();
    await tab.setViewport({ width: 1024, height: 800 });
    await tab.setContent(page(html), { waitUntil: 'load' });
    await tab.addScriptTag({ content: mermaidJs });
    await tab.evaluate(`window.MERMAID_THEME = ${JSON.stringify(dark ? 'dark' : 'default')}`);
    // What GitHub does: each ```mermaid block becomes a diagram; a parse error is an error box there.
    const diagrams = (await tab.evaluate(RENDER_DIAGRAMS)) as Diagram[];
    diagrams.forEach((d, i) => {
      if (!d.ok) problems.push(`mermaid block ${i + 1}: ${d.error}`);
    });
    const hrefs = (await tab.evaluate(
      "[...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))",
    )) as string[];
    for (const href of hrefs) {
      const problem = linkProblem(href);
      if (problem) problems.push(`link ${href.slice(0, 160)}: ${problem}`);
    }
    // What a reviewer sees first (folds closed), then every fold open, as a reviewer would open them.
    const name = basename(file, '.md');
    await tab.screenshot({ path: join(outDir, `${name}-top.png`) });
    await tab.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
    const chart = await tab.$('svg');
    if (chart) await chart.screenshot({ path: join(outDir, `${name}-chart.png`) });
    const shot = join(outDir, `${name}.png`);
    await tab.screenshot({ path: shot, fullPage: true });
    const legends = diagrams.map((d) => (d.legend ?? []).join(', ')).join(' | ');
    console.log(
      `${file}: ${diagrams.length} diagrams (legend: ${legends || 'none'}), ${hrefs.length} links, screenshot ${shot}`,
    );
    for (const p of problems) console.error(`  ✗ ${p}`);
    failures += problems.length;
    await tab.close();
  }
} finally {
  await browser.close();
}
if (failures > 0) {
  console.error(`check-render: ${failures} problems`);
  process.exit(1);
}
console.log('check-render: ok');
