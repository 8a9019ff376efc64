import { parseScore } from './parse-score.js';
import { generatedText } from './reply.js';
import { sentSettings } from './request.js';
import type { ErrorKind, EvalItem, ResultRow } from './types.js';

/** What the scorer got back for one video: an answer, or why there is none. */
export type ScoredOutcome =
  | {
      ok: true;
      content: string | null;
      reasoning: string | null;
      finishReason: string | null;
      usage: { prompt_tokens: number; completion_tokens: number } | null;
      latencyMs: number;
    }
  | { ok: false; error: { kind: ErrorKind; status?: number; message: string }; latencyMs: number };

/** What a request asked of the frame sampler (it may differ per video), for the video's results row. */
export function visionSent(body: Record<string, unknown>): NonNullable<ResultRow['vision']> {
  const sent = sentSettings(body);
  return { fps: sent.fps, shortest_edge: sent.shortest_edge, longest_edge: sent.longest_edge };
}

/**
 * One line of results.jsonl. Key order: the recipe's four keys first, so a reader of the recipe's files
 * reads ours. A reply split by a reasoning parser is rebuilt before it is parsed (reply.ts).
 */
export function resultRow(
  item: EvalItem,
  out: ScoredOutcome,
  vision?: ResultRow['vision'],
): ResultRow {
  const latency_ms = Math.round(out.latencyMs * 10) / 10;
  const head = { video_url: item.videoUrl, ground_truth: item.groundTruth };
  if (!out.ok) {
    return {
      ...head,
      output_text: null,
      pred_score: null,
      index: item.index,
      latency_ms,
      finish_reason: null,
      usage: null,
      error: out.error,
      meta: item.meta,
    };
  }
  const generated = generatedText(out.content, out.reasoning);
  return {
    ...head,
    output_text: generated.text,
    pred_score: parseScore(generated.text),
    index: item.index,
    latency_ms,
    finish_reason: out.finishReason,
    ...(generated.rebuilt ? { reasoning_split: true } : {}),
    ...(vision ? { vision } : {}),
    usage: out.usage,
    error: null,
    meta: item.meta,
  };
}
