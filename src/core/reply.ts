/**
 * The text the recipe's rule is applied to. The recipe runs vLLM offline and parses the whole generation
 * (`outputs[0].outputs[0].text.strip()` in inference_videophy2.py): offline vLLM has no reasoning parser. A
 * server started with `--reasoning-parser qwen3` (as Cosmos Reason 2's own README serves it) splits that
 * generation: `Qwen3ReasoningParser.extract_reasoning` takes `reasoning, _, content = text.partition("</think>")`
 * and returns `content or None` (`reasoning_content` was the field's name before vLLM PR #27752); a
 * generation without `</think>` lands entirely in `reasoning` and `content` is null
 * (vllm/reasoning/qwen3_reasoning_parser.py, read at commit 00a4c6a). Parsing `content` alone would then call
 * every bare "4" unparsed and the verdict a regression caused by a server flag. The partition is undone
 * exactly: reasoning, the `</think>` it removed, then the content; the recipe's rule then sees the lines in
 * the order the offline script saw them. (A leading `<think>` the parser strips is not restored: it is never
 * a lone digit line, so the parse is the same.)
 */
export interface GeneratedText {
  /** The generation as the offline script would have seen it (null when the server sent no text). */
  text: string | null;
  /** True when the server's reasoning parser had split the reply and `text` was rebuilt from its parts. */
  rebuilt: boolean;
}

const THINK_END = '</think>';

export function generatedText(
  content: string | null | undefined,
  reasoning: string | null | undefined,
): GeneratedText {
  const c = content ?? null;
  // An empty reasoning string still means the parser split the text (at a `</think>` that came first).
  if (reasoning == null) return { text: c, rebuilt: false };
  if (c === null || c === '') return { text: reasoning, rebuilt: true };
  return { text: `${reasoning}${THINK_END}${c}`, rebuilt: true };
}
