import type { EvalItem, ResultRow } from '../../src/core/types.js';

/** `n` items to score: video i at https://v.test/i.mp4 (or `url(i)`), truths cycling 1..5. */
export function evalItems(
  n: number,
  url: (i: number) => string = (i) => `https://v.test/${i}.mp4`,
): EvalItem[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    videoUrl: url(i),
    requestUrl: url(i),
    groundTruth: 1 + (i % 5),
    meta: {},
  }));
}

/** A result row for pure tests: answered (pred or null) or failed (error). */
export function row(
  gt: number,
  pred: number | null,
  opts: { error?: boolean; url?: string } = {},
): ResultRow {
  return {
    video_url: opts.url ?? `https://example.test/${Math.random().toString(36).slice(2)}.mp4`,
    ground_truth: gt,
    output_text: pred === null ? 'no digit here' : String(pred),
    pred_score: opts.error ? null : pred,
    index: 0,
    latency_ms: 1,
    finish_reason: opts.error ? null : 'stop',
    usage: null,
    error: opts.error ? { kind: 'http_5xx', status: 500, message: 'boom' } : null,
  };
}

/** Deterministic pseudo-random integers 1..5 with a tunable link to the truth. */
export function syntheticPairs(n: number, seed: number, agreement: number): [number, number][] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  return Array.from({ length: n }, () => {
    const gt = 1 + Math.floor(rand() * 5);
    const pred = rand() < agreement ? gt : 1 + Math.floor(rand() * 5);
    return [gt, pred];
  });
}
