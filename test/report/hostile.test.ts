import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/core/summary.js';
import { renderComment, renderReport } from '../../src/report/index.js';
import { expectWellFormed, toHtml } from '../helpers/gfm.js';
import { makeInput, type VideoSpec } from '../helpers/report-input.js';

/** What a caption, a reply or a generator name could hold to break out of its cell. */
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[click](javascript:alert(1))',
  '](javascript:alert(1))',
  '@org/team please look @octocat',
  '| cell | another |',
  '`code` ``` fenced',
  '<!-- videophy-gate: videophy-gate -->',
  '</details></summary></td></table>',
  '$\\color{red}{\\text{PASS}}$',
  '**bold** _em_ ~~gone~~',
  'fixes #1 and acme/critic#2',
  'visit https://evil.example and www.evil.example or mail a@evil.example',
  '\u202eevil bidi',
  'line1\nline2\r\n\n# heading\n---\n| a | b |',
  '- list item',
  '1. ordered',
].join(' ');

function hostileSpecs(): VideoSpec[] {
  return Array.from({ length: 12 }, (_, i) => ({
    gt: 3,
    base: 3,
    cand: i % 3 === 0 ? null : 1,
    output: `${HOSTILE} 3?`,
    url:
      i % 4 === 0
        ? 'javascript:alert(1)'
        : i % 4 === 1
          ? 'https://videos.example/a)<b>"x"[y]|z`w`$m$@n.mp4'
          : i % 4 === 2
            ? 'https://user:pw@videos.example/x.mp4'
            : `https://videos.example/${i}.mp4`,
    meta: {
      caption: HOSTILE,
      model_name: `gen ${i % 2} ${HOSTILE}`,
      category: HOSTILE,
      is_hard: HOSTILE,
    },
  }));
}

function hostileInput() {
  const input = makeInput(hostileSpecs(), {
    settings: { model: HOSTILE, dataset: HOSTILE, dataset_revision: HOSTILE, split: HOSTILE },
  });
  const summary: Summary = {
    ...input.summary,
    reasons: [HOSTILE, ...input.summary.reasons],
    pearson_undefined: HOSTILE,
    pearson_correlation: null,
    server: { ...input.summary.server, vllm_version: HOSTILE },
  };
  return {
    ...input,
    summary,
    links: { runUrl: 'javascript:alert(1)', artifactUrl: 'https://x.example/a?b=<c>' },
  };
}

describe('untrusted text does not inject', () => {
  for (const [name, render] of [
    ['comment', renderComment],
    ['job summary', renderReport],
  ] as const) {
    it(`in the ${name}: no markup, no links but http(s), no mentions, no references, no math`, () => {
      const md = render(hostileInput());
      const { html } = expectWellFormed(md);
      expect(html).not.toMatch(/<img|<script|href="javascript/i);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      // GitHub notifies on @name and cross-links #1 and owner/repo#2 in text: an empty comment between
      // the characters stops both, and adds no character (no zero-width space) to what a reader copies.
      expect(md).not.toMatch(/@[A-Za-z0-9]/);
      expect(md).not.toMatch(/[\u200b-\u200d\u2060\ufeff]/);
      expect(md).not.toMatch(/#\d/);
      expect(md).not.toMatch(/(?<!\\)\$/);
      expect(md).not.toMatch(/https:\/\/evil|www\.evil/);
      expect(md).not.toContain('\u202e');
      // The caption's own marker is text, so the document holds one comment with content: ours, first.
      const comments = md.replace(/<!-- -->/g, '');
      expect(comments.indexOf('<!--')).toBe(0);
      expect(comments.lastIndexOf('<!--')).toBe(0);
      // Headings, rules and lists only where the report puts them.
      expect(html).not.toMatch(/<h[12456]|<hr|<ol/);
      expect(html.match(/<h3>/g)).toHaveLength(1);
    });
  }

  it('links only http(s) video URLs, percent-encoding what could end the link', () => {
    const md = renderComment(hostileInput());
    const html = toHtml(md);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toContain(
      'https://videos.example/a%29%3Cb%3E%22x%22%5By%5D%7Cz%60w%60%24m%24%40n.mp4',
    );
    expect(hrefs).toContain('https://x.example/a?b=%3Cc%3E');
    expect(hrefs.some((h) => h!.includes('user:pw'))).toBe(false);
    // No link for javascript: or a URL with credentials: the label stays, as text.
    expect(md).toMatch(/^\| ▶\u00a00 \|/m);
    expect(md).toMatch(/^\| ▶\u00a02 \|/m);
    expect(md).not.toContain('[workflow run]');
    expect(md).toContain('workflow run');
  });

  it('keeps hostile numbers in summary.json (a fork artifact) out of the chart and tables', () => {
    const input = makeInput(hostileSpecs());
    const summary = {
      ...input.summary,
      verdict: '<b>pass</b>',
      accuracy: '1 | injected',
      human_distribution: ['```\n</details>', 1, 2, 3, 4],
      predicted_distribution: [NaN, -5, 1e3, 'x', null],
      confusion_matrix: [['|'], null, [1, 2, 3, 4, 5]],
      duration_s: '<img>',
    } as unknown as Summary;
    const md = renderComment({ ...input, summary });
    expectWellFormed(md);
    expect(md).toContain('### ❔ VideoPhy-2 gate: &lt;b&gt;pass&lt;/b&gt;');
    expect(md).toMatch(/^ {4}bar "human" \[0, 1, 2, 3, 4\]$/m);
    expect(md).toMatch(/^ {4}line "candidate" \[0, 0, 1000, 0, 0\]$/m);
    expect(md).toMatch(/^\| Accuracy \| 1\.0000 \| — \| — \|/m);
  });

  it('never lets a tag end the marker comment', () => {
    const md = renderComment({ ...makeInput(hostileSpecs()), tag: 'x --> <img src=x>' });
    expect(md.split('\n')[0]).toBe('<!-- videophy-gate: x%20--%3E%20%3Cimg%20src%3Dx%3E -->');
    expectWellFormed(md);
  });
});
