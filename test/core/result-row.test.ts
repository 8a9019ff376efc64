import { describe, expect, it } from 'vitest';
import { resultRow, visionSent } from '../../src/core/result-row.js';
import type { EvalItem } from '../../src/core/types.js';

const item: EvalItem = {
  index: 7,
  videoUrl: 'https://v.test/a%23b.mp4',
  requestUrl: 'https://v.test/a%23b.mp4',
  groundTruth: 4,
  meta: { caption: 'a ball falls' },
};

describe('resultRow', () => {
  it('an answer: the recipe keys first, the score parsed, usage and vision kept', () => {
    const row = resultRow(
      item,
      {
        ok: true,
        content: '4',
        reasoning: null,
        finishReason: 'stop',
        usage: { prompt_tokens: 900, completion_tokens: 1 },
        latencyMs: 123.456,
      },
      { fps: 16, shortest_edge: 200704, longest_edge: 401408 },
    );
    expect(Object.keys(row).slice(0, 4)).toEqual([
      'video_url',
      'ground_truth',
      'output_text',
      'pred_score',
    ]);
    expect(row).toMatchObject({
      pred_score: 4,
      index: 7,
      latency_ms: 123.5,
      finish_reason: 'stop',
      error: null,
      vision: { fps: 16 },
      meta: { caption: 'a ball falls' },
    });
    expect(row.reasoning_split).toBeUndefined();
  });

  it('a reply a reasoning parser split is rebuilt before it is parsed, and says so', () => {
    const row = resultRow(item, {
      ok: true,
      content: null,
      reasoning: '3',
      finishReason: 'stop',
      usage: null,
      latencyMs: 1,
    });
    expect(row.pred_score).toBe(3);
    expect(row.reasoning_split).toBe(true);
    expect(row.vision).toBeUndefined();
  });

  it('a failure: no text, no score, the error kept with its status', () => {
    const row = resultRow(item, {
      ok: false,
      error: { kind: 'http_5xx', status: 503, message: 'overloaded' },
      latencyMs: 50,
    });
    expect(row).toMatchObject({
      output_text: null,
      pred_score: null,
      usage: null,
      finish_reason: null,
      error: { kind: 'http_5xx', status: 503, message: 'overloaded' },
    });
  });

  it('an unparseable answer has no score and no error', () => {
    const row = resultRow(item, {
      ok: true,
      content: 'The physics looks fine.',
      reasoning: null,
      finishReason: 'stop',
      usage: null,
      latencyMs: 1,
    });
    expect(row.pred_score).toBeNull();
    expect(row.error).toBeNull();
  });
});

describe('visionSent', () => {
  it('reads fps and the pixel limits from the request body; absent ones are null', () => {
    expect(
      visionSent({
        mm_processor_kwargs: { fps: 2, size: { shortest_edge: 10, longest_edge: 20 } },
      }),
    ).toEqual({ fps: 2, shortest_edge: 10, longest_edge: 20 });
    expect(visionSent({})).toEqual({ fps: null, shortest_edge: null, longest_edge: null });
  });
});
