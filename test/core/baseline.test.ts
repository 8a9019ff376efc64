import { describe, expect, it } from 'vitest';
import { BASELINE_SCHEMA, makeBaselineFile, parseBaseline } from '../../src/core/baseline.js';
import { SUMMARY_SCHEMA, type Summary } from '../../src/core/summary.js';
import { row } from '../helpers/rows.js';

const summary = {
  accuracy: 0.4,
  pearson_correlation: 0.35,
  num_samples: 3,
  schema: SUMMARY_SCHEMA,
  version: 1,
  parse_rate: 0.9,
} as unknown as Summary;

describe('parseBaseline', () => {
  it("reads this project's baseline file with per-video predictions", () => {
    const file = makeBaselineFile(
      summary,
      [
        row(3, 3, { url: 'a' }),
        row(4, null, { url: 'b' }),
        row(2, null, { url: 'c', error: true }),
      ],
      new Date(0),
    );
    const b = parseBaseline(JSON.stringify(file), 'b.json');
    expect(b).toMatchObject({
      kind: 'gate-baseline',
      accuracy: 0.4,
      pearson: 0.35,
      parseRate: 0.9,
      numSamples: 3,
      createdAt: '1970-01-01T00:00:00.000Z',
    });
    expect(b.predictions).toEqual([
      { video_url: 'a', ground_truth: 3, pred_score: 3 },
      { video_url: 'b', ground_truth: 4, pred_score: null },
      { video_url: 'c', ground_truth: 2, pred_score: null, error: true },
    ]);
    expect(b.history).toEqual([
      {
        created_at: '1970-01-01T00:00:00.000Z',
        model: 'unknown',
        accuracy: 0.4,
        pearson_correlation: 0.35,
        parse_rate: 0.9,
        num_samples: 3,
        verdict: undefined,
      },
    ]);
  });

  it('carries the history forward, this run last, keeping the newest `keep`', () => {
    const past = [1, 2, 3].map((i) => ({
      created_at: `t${i}`,
      model: `m${i}`,
      accuracy: i / 10,
      pearson_correlation: null,
      parse_rate: null,
      num_samples: i,
      verdict: 'pass',
    }));
    const file = makeBaselineFile(summary, [], new Date(0), past, 3);
    expect(file.history?.map((h) => h.model)).toEqual(['m2', 'm3', 'unknown']);
  });

  it("accepts the recipe summary.json and this project's summary.json", () => {
    expect(
      parseBaseline(
        '{"accuracy": 0.354, "pearson_correlation": 0.3224, "num_samples": 3397}',
        's.json',
      ),
    ).toMatchObject({
      kind: 'recipe-summary',
      accuracy: 0.354,
      pearson: 0.3224,
      numSamples: 3397,
      parseRate: null,
    });
    expect(parseBaseline(JSON.stringify(summary), 's.json').kind).toBe('gate-summary');
    expect(
      parseBaseline(
        '\ufeff{"accuracy": 0.3, "pearson_correlation": null, "num_samples": 1}',
        's.json',
      ).pearson,
    ).toBeNull();
  });

  it.each([
    [
      '{"accuracy": 0.3, "pearson_correlation": NaN, "num_samples": 10}',
      /b\.json is not valid JSON.*contains NaN.*replace it with null/,
    ],
    [
      '{"schema": "videophy-gate/baseline", "version": 2}',
      /b\.json has version 2; this videophy-gate reads version 1/,
    ],
    ['{"schema": "other/thing"}', /unknown schema "other\/thing"/],
    ['{"accuracy": 0.3}', /not a videophy-gate baseline .* found keys accuracy/],
    ['[1,2]', /expected a JSON object/],
    [
      '{"accuracy": "0.3", "pearson_correlation": 0.1, "num_samples": 3}',
      /'accuracy' must be a number, got "0.3"/,
    ],
    [
      '{"accuracy": 0.3, "pearson_correlation": 0.1, "num_samples": -1}',
      /'num_samples' must be a non-negative integer/,
    ],
    [
      `{"schema": "${BASELINE_SCHEMA}", "version": 1, "summary": {"accuracy": 0.3, "pearson_correlation": 0.1, "num_samples": 3}, "predictions": [{"video_url": 3}]}`,
      /predictions\[0\] must have a string 'video_url'/,
    ],
    ['{"accuracy": 0.3, "pearson', /b\.json is not valid JSON/],
  ])('refuses %s with a message naming the file and what was expected', (text, message) => {
    expect(() => parseBaseline(text, 'b.json')).toThrow(message);
  });
});
