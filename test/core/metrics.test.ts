import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/core/metrics.js';
import { python } from '../helpers/python.js';
import { row, syntheticPairs } from '../helpers/rows.js';

// The recipe's compute_metrics, as numpy does it.
const NUMPY = `
import json, sys
import numpy as np
out = []
for pairs in json.load(sys.stdin):
    gt = np.array([p[0] for p in pairs], dtype=float)
    pred = np.array([p[1] for p in pairs], dtype=float)
    out.append([float(np.mean(gt == pred)), float(np.corrcoef(gt, pred)[0, 1])])
print(json.dumps(out))
`;

describe('computeMetrics', () => {
  it('matches numpy (accuracy, np.corrcoef) on synthetic data of several sizes and agreements', () => {
    const sets = [
      syntheticPairs(3397, 1, 0.35),
      syntheticPairs(300, 2, 0.5),
      syntheticPairs(50, 3, 0.1),
      syntheticPairs(7, 4, 0.9),
    ];
    const ref = python<[number, number][]>(NUMPY, sets);
    sets.forEach((pairs, i) => {
      const m = computeMetrics(pairs.map(([g, p]) => row(g, p)));
      const [acc, r] = ref[i] ?? [NaN, NaN];
      expect(m.accuracy).toBe(acc);
      expect(Math.abs((m.pearson ?? NaN) - r)).toBeLessThan(1e-12);
      expect(m.numSamples).toBe(pairs.length);
    });
  });

  it('excludes unparsed and failed rows exactly as the recipe does, and counts them', () => {
    const rows = [
      row(3, 3),
      row(4, 2),
      row(5, 5),
      row(2, null),
      row(1, null, { error: true }),
      row(4, 4),
    ];
    const m = computeMetrics(rows);
    const ref = python<[number, number][]>(NUMPY, [
      [
        [3, 3],
        [4, 2],
        [5, 5],
        [4, 4],
      ],
    ]);
    expect(m.accuracy).toBe(ref[0]?.[0]);
    expect(Math.abs((m.pearson ?? NaN) - (ref[0]?.[1] ?? NaN))).toBeLessThan(1e-12);
    expect(m).toMatchObject({ numSamples: 4, numVideos: 6, numErrors: 1, numUnparsed: 1 });
    expect(m.parseRate).toBe(4 / 5);
    expect(m.errorRate).toBe(1 / 6);
  });

  it('says why Pearson is undefined instead of returning NaN', () => {
    const constant = computeMetrics([row(1, 3), row(4, 3), row(5, 3)]);
    expect(constant.pearson).toBeNull();
    expect(constant.pearsonUndefined).toMatch(/constant predictions \(every reply is 3\)/);
    expect(constant.accuracy).toBe(0);
    expect(computeMetrics([row(2, 2)]).pearsonUndefined).toMatch(/fewer than 2/);
    expect(computeMetrics([row(2, 1), row(2, 3)]).pearsonUndefined).toMatch(
      /constant ground truth/,
    );
    const none = computeMetrics([row(2, null), row(3, null)]);
    expect(none.accuracy).toBeNull();
    expect(none.parseRate).toBe(0);
  });

  it('fills the confusion matrix (truth x prediction) and both distributions', () => {
    const m = computeMetrics([row(1, 2), row(1, 2), row(5, 5), row(3, 4)]);
    expect(m.confusion[0]).toEqual([0, 2, 0, 0, 0]);
    expect(m.confusion[4]).toEqual([0, 0, 0, 0, 1]);
    expect(m.confusion[2]).toEqual([0, 0, 0, 1, 0]);
    expect(m.predicted).toEqual([0, 2, 0, 1, 1]);
    expect(m.human).toEqual([2, 0, 1, 0, 1]);
  });
});
