import { describe, expect, it } from 'vitest';
import type { Thresholds } from '../../src/config/config.js';
import type { BaselineData } from '../../src/core/baseline.js';
import { computeMetrics, type Metrics } from '../../src/core/metrics.js';
import { decideVerdict } from '../../src/verdict/threshold.js';
import { row } from '../helpers/rows.js';

const T: Thresholds = { maxAccuracyDrop: 0.02, maxPearsonDrop: 0.02, maxErrorRate: 0.05 };

function metrics(over: Partial<Metrics>): Metrics {
  return { ...computeMetrics([row(1, 1), row(2, 3), row(3, 3), row(4, 5), row(5, 5)]), ...over };
}

function baseline(
  acc: number | null,
  pearson: number | null,
  parseRate: number | null = null,
): BaselineData {
  return {
    source: 'b.json',
    kind: 'gate-baseline',
    accuracy: acc,
    pearson,
    parseRate,
    numSamples: 100,
  };
}

const input = (m: Partial<Metrics>, b: BaselineData | null, t: Partial<Thresholds> = {}) => ({
  metrics: metrics(m),
  baseline: b,
  thresholds: { ...T, ...t },
  numRows: 100,
  numSkipped: 0,
});

describe('decideVerdict', () => {
  it.each([
    ['same numbers', { accuracy: 0.4, pearson: 0.4 }, baseline(0.4, 0.4), 'pass'],
    [
      'a drop of exactly the tolerance (float noise included) passes',
      { accuracy: 0.38, pearson: 0.38 },
      baseline(0.4, 0.4),
      'pass',
    ],
    [
      'accuracy drop beyond tolerance',
      { accuracy: 0.379, pearson: 0.4 },
      baseline(0.4, 0.4),
      'regression',
    ],
    [
      'pearson drop beyond tolerance',
      { accuracy: 0.4, pearson: 0.37 },
      baseline(0.4, 0.4),
      'regression',
    ],
    ['improvement passes', { accuracy: 0.5, pearson: 0.5 }, baseline(0.4, 0.4), 'pass'],
    ['no baseline', { accuracy: 0.1, pearson: 0.1 }, null, 'no-baseline'],
    [
      'parse-rate drop beyond the accuracy tolerance',
      { accuracy: 0.4, pearson: 0.4, parseRate: 0.9 },
      baseline(0.4, 0.4, 0.95),
      'regression',
    ],
    [
      'candidate Pearson undefined against a defined baseline',
      { accuracy: 0.4, pearson: null, pearsonUndefined: 'constant predictions (every reply is 3)' },
      baseline(0.4, 0.4),
      'regression',
    ],
    [
      'baseline Pearson undefined is not held against the candidate',
      { accuracy: 0.4, pearson: 0.1 },
      baseline(0.4, null),
      'pass',
    ],
  ] as const)('%s', (_name, m, b, expected) => {
    expect(decideVerdict(input(m, b)).verdict).toBe(expected);
  });

  it('floors apply with and without a baseline', () => {
    expect(decideVerdict(input({ accuracy: 0.3 }, null, { minAccuracy: 0.35 })).verdict).toBe(
      'regression',
    );
    expect(
      decideVerdict(
        input({ accuracy: 0.36, pearson: 0.2 }, null, { minAccuracy: 0.35, minPearson: 0.25 }),
      ).reasons,
    ).toEqual(['pearson 0.2000 is below the floor 0.2500']);
    expect(
      decideVerdict(
        input({ pearson: null, pearsonUndefined: 'constant predictions' }, null, {
          minPearson: 0.1,
        }),
      ).reasons[0],
    ).toMatch(/undefined \(constant predictions\)/);
  });

  it('names the metric, the drop and the limit in the reason', () => {
    const v = decideVerdict(input({ accuracy: 0.35, pearson: 0.4 }, baseline(0.4, 0.4)));
    expect(v.reasons).toEqual([
      'accuracy dropped 0.0500 (0.4000 → 0.3500), more than the allowed 0.0200',
    ]);
    expect(v.checks.find((c) => c.metric === 'accuracy')?.delta).toBeCloseTo(-0.05, 12);
  });

  it('an error rate above max-error-rate is an infrastructure error, never a pass or a regression', () => {
    const rows = [
      ...Array.from({ length: 90 }, () => row(3, 3)),
      ...Array.from({ length: 10 }, () => row(3, null, { error: true })),
    ];
    const v = decideVerdict({
      metrics: computeMetrics(rows),
      baseline: baseline(0.1, 0.1),
      thresholds: T,
      numRows: 100,
      numSkipped: 0,
    });
    expect(v.verdict).toBe('error');
    expect(v.reasons[0]).toMatch(
      /10 of 100 requests failed .*infrastructure error, not a model result/,
    );
  });

  it('a run error wins over good numbers; too many invalid rows is an error', () => {
    expect(
      decideVerdict({ ...input({}, baseline(0.1, 0.1)), runError: 'server died' }).verdict,
    ).toBe('error');
    expect(decideVerdict({ ...input({}, baseline(0.1, 0.1)), numSkipped: 6 }).reasons[0]).toMatch(
      /6 of 100 dataset rows were invalid/,
    );
    expect(decideVerdict({ ...input({}, baseline(0.1, 0.1)), numSkipped: 5 }).verdict).toBe('pass');
  });

  it('a model that answers but never parses is a regression even without a baseline', () => {
    const v = decideVerdict({
      metrics: computeMetrics([row(3, null), row(4, null)]),
      baseline: null,
      thresholds: T,
      numRows: 2,
      numSkipped: 0,
    });
    expect(v.verdict).toBe('regression');
    expect(v.reasons[0]).toMatch(/never with a score/);
  });

  it('nothing evaluated is an error', () => {
    expect(
      decideVerdict({
        metrics: computeMetrics([]),
        baseline: null,
        thresholds: T,
        numRows: 0,
        numSkipped: 0,
      }).verdict,
    ).toBe('error');
  });
});
