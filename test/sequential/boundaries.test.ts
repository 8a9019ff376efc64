import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../src/stats/normal.js';
import {
  hwangShihDeCaniSpending,
  obrienFlemingSpending,
  pocockSpending,
  spendingBoundaries,
  type SpendingFunction,
} from '../../src/sequential/boundaries.js';
import { python } from '../helpers/python.js';

// Independent check: scipy's multivariate normal CDF (Genz's method) gives the chance that the Z process
// (corr sqrt(t_i / t_j)) has crossed one of the first k boundaries; it must equal the alpha spent by look k.
const SCIPY = `
import json, sys
import numpy as np
from scipy.stats import multivariate_normal
d = json.load(sys.stdin)
t = np.array(d["t"]); c = np.array(d["c"])
out = []
for k in range(1, len(t) + 1):
    tk = t[:k]
    corr = np.sqrt(np.minimum.outer(tk, tk) / np.maximum.outer(tk, tk))
    upper = np.where(np.isfinite(c[:k]), c[:k], 40.0)
    stay = multivariate_normal.cdf(upper, mean=np.zeros(k), cov=corr, allow_singular=True,
        abseps=1e-7, releps=1e-7, maxpts=2000000 * k)
    out.append(1.0 - float(stay))
print(json.dumps(out))
`;

const crossedByLook = (t: number[], c: number[]): number[] =>
  python<number[]>(SCIPY, { t, c: c.map((x) => (Number.isFinite(x) ? x : 1e9)) });

describe('alpha-spending boundaries', () => {
  it('one look is the fixed-size one-sided test', () => {
    expect(spendingBoundaries([1], 0.05)[0]).toBeCloseTo(normalQuantile(0.95), 9);
  });

  it('match the published Lan-DeMets values (gsDesign sfLDOF / sfLDPocock, 5 equal looks, one-sided 0.025)', () => {
    const t = [0.2, 0.4, 0.6, 0.8, 1];
    const obf = spendingBoundaries(t, 0.025, obrienFlemingSpending);
    [4.8769, 3.3569, 2.6803, 2.2898, 2.031].forEach((v, i) => expect(obf[i]).toBeCloseTo(v, 3));
    const pocock = spendingBoundaries(t, 0.025, pocockSpending);
    [2.438, 2.4268, 2.4101, 2.3966, 2.3859].forEach((v, i) => expect(pocock[i]).toBeCloseTo(v, 3));
  });

  it('Hwang-Shih-DeCani gamma -4 matches gsDesign (default design, 3 equal looks, one-sided 0.025: 3.0107, 2.5465, 1.9992)', () => {
    const c = spendingBoundaries([1 / 3, 2 / 3, 1], 0.025, hwangShihDeCaniSpending(-4));
    [3.0107, 2.5465, 1.9992].forEach((v, i) => expect(c[i]).toBeCloseTo(v, 3));
    expect(() => hwangShihDeCaniSpending(0)).toThrow(/gamma/);
  });

  it.each([
    ['O’Brien-Fleming', obrienFlemingSpending],
    ['Pocock', pocockSpending],
    ['Hwang-Shih-DeCani gamma -4', hwangShihDeCaniSpending(-4)],
  ] as [string, SpendingFunction][])(
    '%s at unequal looks: the chance of having stopped by each look is the alpha spent (scipy)',
    (_, spend) => {
      const t = [0.1, 0.25, 0.5, 0.8, 1];
      const alpha = 0.05;
      const c = spendingBoundaries(t, alpha, spend);
      const crossed = crossedByLook(t, c);
      t.forEach((tk, k) => expect(crossed[k]).toBeCloseTo(spend(tk, alpha), 4));
      expect(crossed.at(-1)).toBeCloseTo(alpha, 4);
    },
  );

  it('boundaries fall as information grows; the last is above the fixed-size z (alpha was spent early)', () => {
    const c = spendingBoundaries([0.25, 0.5, 0.75, 1], 0.05);
    for (let i = 1; i < c.length; i++) expect(c[i]).toBeLessThan(c[i - 1] as number);
    expect(c.at(-1)).toBeGreaterThan(normalQuantile(0.95));
  });

  it('refuses fractions that do not increase within (0, 1] and an alpha outside (0, 0.5)', () => {
    expect(() => spendingBoundaries([0.5, 0.5], 0.05)).toThrow(/must increase/);
    expect(() => spendingBoundaries([0, 1], 0.05)).toThrow(/must increase/);
    expect(() => spendingBoundaries([1], 0.7)).toThrow(/alpha/);
  });
});
