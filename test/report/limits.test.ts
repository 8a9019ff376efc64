import { describe, expect, it } from 'vitest';
import { COMMENT_LIMIT } from '../../src/github/comment-marker.js';
import { SUMMARY_LIMIT, renderComment, renderReport } from '../../src/report/index.js';
import { expectWellFormed, tokens } from '../helpers/gfm.js';
import { makeInput, type VideoSpec } from '../helpers/report-input.js';

/** 5 KB of caption that escapes to more (every `|`, `<` and `&` grows), shared so memory stays small. */
const LONG = '<b>|&*_ '.repeat(640);

/**
 * 20,000 videos, every one changed, each with its own 5 KB caption; 800 generators and categories of 25
 * videos each (big enough to be ranked as worse).
 */
function huge(): VideoSpec[] {
  return Array.from({ length: 20_000 }, (_, i) => ({
    gt: 1 + (i % 5),
    base: 1 + (i % 5),
    cand: 1 + ((i + 1 + (i % 3)) % 5),
    meta: {
      caption: `${i} ${LONG}`,
      model_name: `generator-${Math.floor(i / 25)} ${LONG.slice(0, 300)}`,
      category: `category-${Math.floor(i / 25)} ${LONG.slice(0, 300)}`,
      is_hard: String(i % 2),
    },
  }));
}

describe('size limits', () => {
  const input = makeInput(huge());

  it('a comment on 20,000 changed videos with 5 KB captions stays under 65,536 characters, whole', () => {
    const md = renderComment(input);
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const { tables } = expectWellFormed(md);
    expect(tokens(md).some((t) => t.type === 'code' && t.lang === 'mermaid')).toBe(true);
    expect(md).toContain('**Newly wrong** (20,000)');
    expect(md).toMatch(/… 19,99\d more in results\.jsonl\./);
    expect(md).toMatch(/… [\d,]+ more slices not shown \([\d,]+ of them worse\)\./);
    // Shortened, not emptied: the slices that got worse are still the first rows shown.
    // verdict, confusion, three breakdowns, newly wrong, settings.
    expect(tables.length).toBeGreaterThanOrEqual(7);
    expect(md).toMatch(/^\| 🔻 generator-\d+ /m);
    expect(md.trimEnd().endsWith('</sub>')).toBe(true);
  });

  it('the job summary of the same run stays under 1 MiB and shows more', () => {
    const md = renderReport(input);
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(md.length).toBeGreaterThan(renderComment(input).length);
    expectWellFormed(md);
  });

  it.each([30_000, 12_000, 6_000, 3_000])(
    'a limit of %i drops list items, then charts, and is still well formed',
    (limit) => {
      const md = renderComment(input, { limit });
      expect(md.length).toBeLessThanOrEqual(limit);
      expectWellFormed(md);
      expect(
        md.startsWith('<!-- videophy-gate: videophy-gate -->\n### ❌ VideoPhy-2 gate: regression'),
      ).toBe(true);
      expect(md).toMatch(/^\| Accuracy \| /m);
    },
  );

  it('below what the list-free report needs, the headline and metrics remain', () => {
    const md = renderComment(input, { limit: 1_500 });
    expect(md.length).toBeLessThanOrEqual(1_500);
    expect(md).toContain('The full report did not fit here');
    expectWellFormed(md);
  });
});
