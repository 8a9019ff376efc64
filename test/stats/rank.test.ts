import { describe, expect, it } from 'vitest';
import { pearson, pearsonFromSums } from '../../src/stats/correlation.js';
import { averageRanks, meanAbsoluteError, spearman } from '../../src/stats/rank.js';
import { python } from '../helpers/python.js';
import { syntheticPairs } from '../helpers/rows.js';

const SCIPY = `
import json, sys
import numpy as np
from scipy.stats import spearmanr, rankdata
out = []
for pairs in json.load(sys.stdin):
    x = np.array([p[0] for p in pairs], dtype=float)
    y = np.array([p[1] for p in pairs], dtype=float)
    out.append({
        "pearson": float(np.corrcoef(x, y)[0, 1]),
        "spearman": float(spearmanr(x, y).statistic),
        "mae": float(np.mean(np.abs(y - x))),
        "ranks": rankdata(y).tolist(),
    })
print(json.dumps(out))
`;

describe('pearson, spearman, mean absolute error', () => {
  const sets = [
    syntheticPairs(3397, 1, 0.35),
    syntheticPairs(300, 2, 0.5),
    syntheticPairs(50, 3, 0.1),
    syntheticPairs(7, 4, 0.9),
    // real-valued, with ties
    [
      [0.5, 1.5],
      [2.25, 1.5],
      [3, -1],
      [3, 4.75],
      [10, 2],
      [-4, 1.5],
    ] as [number, number][],
  ];
  const ref = python<{ pearson: number; spearman: number; mae: number; ranks: number[] }[]>(
    SCIPY,
    sets,
  );

  it('match np.corrcoef, scipy.stats.spearmanr (ties averaged) and numpy on fixed data', () => {
    sets.forEach((pairs, i) => {
      const x = pairs.map((p) => p[0]);
      const y = pairs.map((p) => p[1]);
      const r = ref[i]!;
      expect(Math.abs(pearson(x, y)! - r.pearson)).toBeLessThan(1e-12);
      expect(Math.abs(spearman(x, y)! - r.spearman)).toBeLessThan(1e-12);
      expect(Math.abs(meanAbsoluteError(x, y)! - r.mae)).toBeLessThan(1e-12);
      expect(Array.from(averageRanks(y))).toEqual(r.ranks);
    });
  });

  it('pearsonFromSums (the bootstrap path) agrees with the two-pass formula', () => {
    const pairs = sets[0]!;
    let sx = 0,
      sy = 0,
      sxx = 0,
      syy = 0,
      sxy = 0;
    for (const [x, y] of pairs) {
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    const r = pearsonFromSums(pairs.length, sx, sy, sxx, syy, sxy);
    expect(Math.abs(r! - ref[0]!.pearson)).toBeLessThan(1e-12);
  });

  it('are null where numpy and scipy give NaN, and check their input', () => {
    expect(pearson([1, 2, 3], [3, 3, 3])).toBeNull();
    expect(pearson([1], [2])).toBeNull();
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNull();
    expect(pearsonFromSums(3, 9, 6, 27, 14, 18)).toBeNull(); // x constant 3
    expect(meanAbsoluteError([], [])).toBeNull();
    expect(() => pearson([1, 2], [1])).toThrow(/same length, got 2 and 1/);
    expect(() => spearman([1, NaN], [1, 2])).toThrow(/value 1 is NaN/);
  });
});
