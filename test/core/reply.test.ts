import { describe, expect, it } from 'vitest';
import { parseScore } from '../../src/core/parse-score.js';
import { generatedText } from '../../src/core/reply.js';
import { qwen3ReasoningSplit } from '../../src/simulator/behaviour.js';
import { mulberry32 } from '../../scripts/synthetic.js';

describe('generatedText: the generation as the offline script saw it', () => {
  it('no reasoning field: the content as sent', () => {
    expect(generatedText('4', null)).toEqual({ text: '4', rebuilt: false });
    expect(generatedText(null, null)).toEqual({ text: null, rebuilt: false });
  });

  it('a bare answer the qwen3 parser put in reasoning (content null) parses as the recipe would', () => {
    const split = qwen3ReasoningSplit('4');
    expect(split).toEqual({ reasoning: '4', content: null });
    const g = generatedText(split.content, split.reasoning);
    expect(g).toEqual({ text: '4', rebuilt: true });
    expect(parseScore(g.text)).toBe(4);
  });

  it('thinking then an answer: the partition is undone exactly', () => {
    const generation = 'The ball bounces.\n3 frames look odd\n</think>\n\n2';
    const split = qwen3ReasoningSplit(generation);
    expect(split).toEqual({
      reasoning: 'The ball bounces.\n3 frames look odd\n',
      content: '\n\n2',
    });
    expect(generatedText(split.content, split.reasoning).text).toBe(generation);
    // A lone digit inside the thinking comes first, as in the offline parse of the whole generation.
    const early = qwen3ReasoningSplit('Let me rate it.\n5\n</think>\n\n2');
    expect(parseScore(generatedText(early.content, early.reasoning).text)).toBe(5);
  });

  it('the one ambiguity: "</think>" with nothing after it reads as an unclosed thought', () => {
    // Offline, "4</think>" has no lone-digit line; the server sends reasoning "4", content null, exactly
    // what it sends for an unclosed "4". The reply is then taken as "4" (the likelier generation).
    expect(qwen3ReasoningSplit('4</think>')).toEqual(qwen3ReasoningSplit('4'));
    expect(parseScore('4</think>')).toBeNull();
  });

  it('for any generation, parse(rebuilt split) equals parse(generation): 3,000 random generations', () => {
    const rand = mulberry32(7);
    const pieces = ['4', '3.', ' 2 ', 'The ball falls.', '</think>', '', '\n', 'Score: 4', '5\n'];
    for (let t = 0; t < 3000; t++) {
      const n = 1 + Math.floor(rand() * 6);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(pieces[Math.floor(rand() * pieces.length)] ?? '');
      // Qwen3-VL templates put <think> in the prompt; an older template's model generates it first. The
      // parser strips it (and whatever precedes it: text before a mid-reply <think> is lost on the server,
      // which no client can undo; models do not emit that).
      const generation = (rand() < 0.2 ? '<think>\n' : '') + parts.join(rand() < 0.5 ? '\n' : '');
      const split = qwen3ReasoningSplit(generation);
      // The one case the split loses: `</think>` with nothing after it (content null, as with no `</think>`).
      if (split.content === null && generation.includes('</think>')) continue;
      const g = generatedText(split.content, split.reasoning);
      expect(parseScore(g.text), JSON.stringify(generation)).toBe(parseScore(generation));
    }
  });
});
