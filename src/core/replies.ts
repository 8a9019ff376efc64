import type { ResultRow } from './types.js';

/**
 * What the answered requests cost and how they came back, for summary.json and the report: the prompt-token
 * distribution (a video is thousands of tokens; a shift means the server saw other frames or pixels than
 * the baseline's run did), and how many replies the server's reasoning parser had split (core/reply.ts).
 */
export interface ReplyStats {
  /** Answered requests whose reply was split by a reasoning parser and rebuilt before parsing. */
  reasoning_split: number;
  /** Answered requests that stopped at max_tokens. */
  finish_length: number;
  /** usage.prompt_tokens over the answered requests that reported usage; null when none did. */
  prompt_tokens: {
    count: number;
    min: number;
    p10: number;
    median: number;
    p90: number;
    max: number;
    mean: number;
  } | null;
}

/** Nearest-rank percentile of sorted values (an observed value, never an interpolation). */
function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? NaN;
}

export function replyStats(rows: readonly ResultRow[]): ReplyStats {
  const answered = rows.filter((r) => r.error === null);
  const tokens = answered
    .map((r) => r.usage?.prompt_tokens)
    .filter((t): t is number => typeof t === 'number' && Number.isFinite(t))
    .sort((a, b) => a - b);
  const sum = tokens.reduce((a, b) => a + b, 0);
  return {
    reasoning_split: answered.filter((r) => r.reasoning_split === true).length,
    finish_length: answered.filter((r) => r.finish_reason === 'length').length,
    prompt_tokens:
      tokens.length === 0
        ? null
        : {
            count: tokens.length,
            min: tokens[0] ?? NaN,
            p10: nearestRank(tokens, 10),
            median: nearestRank(tokens, 50),
            p90: nearestRank(tokens, 90),
            max: tokens[tokens.length - 1] ?? NaN,
            mean: Math.round((sum / tokens.length) * 10) / 10,
          },
  };
}
