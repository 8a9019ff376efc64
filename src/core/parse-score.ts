/**
 * The recipe's parser, exactly (cosmos-cookbook inference_videophy2.py):
 *
 *     for line in output_text.strip().split("\n"):
 *         m = re.match(r"^([1-5])\.?\s*$", line.strip())
 *         if m: return int(m.group(1))
 *     return None
 *
 * Python's str.strip() and re's \s use Unicode whitespace as str.isspace() defines it, which differs from
 * JavaScript's trim() (JS strips U+FEFF, Python does not; Python strips U+001C-U+001F and U+0085, JS does not).
 * To be exact to the recipe we use Python's set. test/core/parse-score.test.ts checks against python3 itself.
 */
const PY_SPACE =
  '\\t\\n\\x0b\\x0c\\r\\x1c\\x1d\\x1e\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const SCORE_LINE = new RegExp(`^([1-5])\\.?[${PY_SPACE}]*$`);

export const PARSER_ID = 'recipe-lone-digit-v1';

export function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

export function parseScore(outputText: string | null | undefined): number | null {
  if (outputText == null) return null;
  for (const line of pyStrip(outputText).split('\n')) {
    const m = SCORE_LINE.exec(pyStrip(line));
    if (m) return Number(m[1]);
  }
  return null;
}
