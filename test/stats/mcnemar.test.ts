import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../../src/stats/mcnemar.js';
import { createRng } from '../../src/stats/prng.js';
import { python } from '../helpers/python.js';

const SCIPY_ONE_SIDED = `
import json, sys
from scipy.stats import binomtest
out = []
for b, c in json.load(sys.stdin):
    if b + c == 0:
        out.append([1.0, 1.0])
    else:
        out.append([binomtest(c, b + c, 0.5, alternative='less').pvalue, binomtest(c, b + c, 0.5, alternative='greater').pvalue])
print(json.dumps(out))
`;

const SCIPY = `
import json, sys
from scipy.stats import binomtest
print(json.dumps([binomtest(min(b, c), b + c, 0.5).pvalue if b + c > 0 else 1.0 for b, c in json.load(sys.stdin)]))
`;

describe('mcnemarExact', () => {
  it("equals scipy's exact binomial test on many (b, c), small to 10,000 discordant pairs", () => {
    const cases: [number, number][] = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 5],
      [2, 9],
      [5, 5],
      [5, 6],
      [6, 5],
      [0, 30],
      [10, 25],
      [40, 60],
      [100, 130],
      [250, 300],
      [700, 800],
      [1000, 1000],
      [1000, 1001],
      [1500, 1650],
      [2400, 2600],
      [4900, 5100],
      [4000, 6000],
      [10, 1100],
      [0, 1200],
      [3000, 3200],
    ];
    const rng = createRng(11);
    for (let i = 0; i < 60; i++) {
      const n = 1 + rng.below(10_000);
      const b = rng.below(n + 1);
      cases.push([b, n - b]);
    }
    const ref = python<number[]>(SCIPY, cases);
    cases.forEach(([b, c], i) => {
      const p = mcnemarExact(b, c).pValue;
      const want = ref[i]!;
      if (want > 1e-300) expect(Math.abs(p - want) / want, `b=${b} c=${c}`).toBeLessThan(1e-9);
      else expect(p, `b=${b} c=${c}`).toBeLessThan(1e-290);
    });
  });

  it("gives the one-sided p-values of scipy's binomtest (candidate wins c: 'less' is worse, 'greater' better)", () => {
    const cases: [number, number][] = [
      [0, 0],
      [0, 1],
      [1, 0],
      [5, 5],
      [5, 6],
      [6, 5],
      [0, 30],
      [30, 0],
      [10, 25],
      [25, 10],
      [130, 100],
      [800, 700],
      [1000, 1000],
      [1650, 1500],
      [6000, 4000],
      [1100, 10],
    ];
    const rng = createRng(12);
    for (let i = 0; i < 60; i++) {
      const n = 1 + rng.below(8_000);
      const b = rng.below(n + 1);
      cases.push([b, n - b]);
    }
    const ref = python<[number, number][]>(SCIPY_ONE_SIDED, cases);
    const close = (got: number, want: number, what: string): void => {
      if (want > 1e-300) expect(Math.abs(got - want) / want, what).toBeLessThan(1e-9);
      else expect(got, what).toBeLessThan(1e-290);
    };
    cases.forEach(([b, c], i) => {
      const r = mcnemarExact(b, c);
      close(r.pWorse, ref[i]![0], `worse b=${b} c=${c}`);
      close(r.pBetter, ref[i]![1], `better b=${b} c=${c}`);
    });
  });

  it('is symmetric, 1 when balanced, and names a bad count', () => {
    expect(mcnemarExact(3, 17).pValue).toBe(mcnemarExact(17, 3).pValue);
    expect(mcnemarExact(0, 0)).toEqual({ b: 0, c: 0, pValue: 1, pWorse: 1, pBetter: 1 });
    // 0 of 5 discordant pairs won: P(X <= 0) = 0.5^5 is evidence of worse, none of better
    expect(mcnemarExact(5, 0).pWorse).toBeCloseTo(0.03125, 15);
    expect(mcnemarExact(5, 0).pBetter).toBe(1);
    expect(mcnemarExact(40, 41).pValue).toBe(1);
    // 0 of 5 discordant pairs won: 2 * 0.5^5
    expect(mcnemarExact(5, 0).pValue).toBeCloseTo(0.0625, 15);
    expect(() => mcnemarExact(-1, 2)).toThrow(/b must be a non-negative integer count, got -1/);
    expect(() => mcnemarExact(1, 2.5)).toThrow(/c must be a non-negative integer count, got 2.5/);
  });
});
