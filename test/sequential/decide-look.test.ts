import { describe, expect, it } from 'vitest';
import { sequentialDesign } from '../../src/sequential/design.js';
import { decideLook } from '../../src/sequential/decide-look.js';
import { lookStatistics } from '../../src/sequential/evidence.js';
import { python } from '../helpers/python.js';
import { pairedSample } from './fixtures.js';

const TOL = { accuracy: 0.03, pearson: 0.06, parseRate: 0.03 };
const ALPHA = 0.05;

// The whole look decision, independently: the design's boundaries are checked against scipy's multivariate
// normal CDF (the chance of having crossed by each look must be the Hwang-Shih-DeCani alpha spent by then:
// not the recursion of boundaries.ts), then the statistics come from numpy and the rule is applied as
// decide-look.ts's header states it.
const SCIPY = `
import json, sys
import numpy as np
from scipy.stats import multivariate_normal
d = json.load(sys.stdin)
t = np.array(d["fractions"]); alpha = d["alpha"]; tol = d["tol"]
spend = lambda s, a: a * (1 - np.exp(4 * s)) / (1 - np.exp(4))
def crossed(c):
    k = len(c); tk = t[:k]
    corr = np.sqrt(np.minimum.outer(tk, tk) / np.maximum.outer(tk, tk))
    return 1 - multivariate_normal.cdf(np.array(c), mean=np.zeros(k), cov=corr, abseps=1e-7, releps=1e-7, maxpts=300000 * k)
spent = {}
for level, c in d["boundaries"].items():
    spent[level] = [float(crossed(c[:k + 1]) - spend(t[k], float(level))) for k in range(len(t))]
def bounds(level):
    return d["boundaries"][repr(level)]
def am(c, b):
    n = len(c); w = np.sum(c & ~b) + 0.5; l = np.sum(b & ~c) + 0.5; m = n + 2
    return (w - l) / m, np.sqrt(w + l - (w - l) ** 2 / m) / m, bool(np.sum(c != b) > 0)
out = []
for case in d["cases"]:
    look = case["look"]; pairs = case["pairs"]
    gt = np.array([p["gt"] for p in pairs], float)
    pc = np.array([np.nan if p["pred_c"] is None else p["pred_c"] for p in pairs], float)
    pb = np.array([p["pred_b"] for p in pairs], float)
    both = ~np.isnan(pc)
    x, y, g = pc[both], pb[both], gt[both]
    rc = np.corrcoef(x, g)[0, 1]; rb = np.corrcoef(y, g)[0, 1]
    def psi(a, r):
        u = (a - a.mean()) / a.std(); v = (g - g.mean()) / g.std()
        return u * v - r / 2 * (u * u + v * v)
    rse = np.sqrt(np.mean((psi(x, rc) - psi(y, rb)) ** 2) / len(g))
    metrics = {
        "accuracy": am(x == g, y == g) + (tol["accuracy"],),
        "pearson": (rc - rb, rse, bool(np.any(x != y)), tol["pearson"]),
        "parse_rate": am(~np.isnan(pc), np.ones(len(pc), bool)) + (tol["parseRate"],),
    }
    k = max(1, sum(1 for m in metrics.values() if m[2]))
    cf = bounds(alpha / k)[look - 1]; cp = bounds(alpha)[look - 1]
    per = {}
    for name, (centre, se, varies, tl) in metrics.items():
        if centre - cf * se > 0: v = "improvement"
        elif centre + cf * se < -tl - 1e-9: v = "regression"
        elif centre - cp * se >= -tl - 1e-9: v = "pass"
        else: v = "inconclusive"
        per[name] = {"verdict": v, "upper": centre + cf * se, "lower": centre - cp * se}
    rank = {"regression": 3, "inconclusive": 2, "improvement": 1, "pass": 0}
    overall = max(per.values(), key=lambda m: rank[m["verdict"]])["verdict"]
    out.append({"verdict": overall, "per": per, "family": cf, "pass": cp, "k": k})
print(json.dumps({"cases": out, "spent": spent}))
`;

describe('decideLook: the fixed rule at the look’s alpha-spending boundaries', () => {
  const design = sequentialDesign(300);
  const samples = [
    pairedSample({ n: 300, seed: 11 }), // no change
    pairedSample({ n: 300, seed: 12, agreement: 0.55, changedRight: 0.05 }), // a clear drop
    pairedSample({ n: 300, seed: 13, agreement: 0.6, changedRight: 0.8 }), // a clear gain
    pairedSample({ n: 300, seed: 14, agreement: 0.7, changedRight: 0.3, unparsed: 0.04 }), // k = 3
    pairedSample({ n: 300, seed: 15, agreement: 0.9, changedRight: 0.4 }), // close to the baseline
  ];
  const cases = samples.flatMap((pairs) =>
    design.looks.map((l) => ({ look: l.index, pairs: pairs.slice(0, l.videos) })),
  );
  // Python's repr of the level is the key it looks the boundaries up by.
  const levels = [ALPHA, ALPHA / 2, ALPHA / 3];
  const boundaries = Object.fromEntries(
    levels.map((level) => [
      String(level),
      design.looks.map((l) => design.boundary(level, l.index)),
    ]),
  );
  const { cases: ref, spent } = python<{
    cases: {
      verdict: string;
      per: Record<string, { verdict: string; upper: number; lower: number }>;
      family: number;
      pass: number;
      k: number;
    }[];
    spent: Record<string, number[]>;
  }>(SCIPY, {
    fractions: design.looks.map((l) => l.fraction),
    alpha: ALPHA,
    tol: TOL,
    boundaries,
    cases,
  });

  it('the boundaries spend alpha, alpha/2 and alpha/3 by Hwang-Shih-DeCani gamma -4 at every look (scipy)', () => {
    for (const level of levels)
      for (const off of spent[String(level)]!) expect(Math.abs(off)).toBeLessThan(1e-5);
  });

  it('plans 6 looks of 50 videos for 300', () => {
    expect(design.looks.map((l) => l.videos)).toEqual([50, 100, 150, 200, 250, 300]);
  });

  it('every look of five samples: the same boundaries, bounds and verdicts as scipy + numpy', () => {
    const seen = new Set<string>();
    cases.forEach((c, i) => {
      const want = ref[i]!;
      const got = decideLook({
        statistics: lookStatistics(c.pairs),
        design,
        look: c.look,
        alpha: ALPHA,
        tolerance: TOL,
        pairedVideos: c.pairs.length,
      });
      expect(got.boundaries.family).toBe(want.family);
      expect(got.boundaries.pass).toBe(want.pass);
      expect(got.verdict).toBe(want.verdict);
      for (const m of got.perMetric) {
        const w = want.per[m.metric]!;
        expect(m.verdict).toBe(w.verdict);
        expect(m.bounds?.familyUpper).toBeCloseTo(w.upper, 10);
        expect(m.bounds?.lower).toBeCloseTo(w.lower, 10);
      }
      seen.add(got.verdict);
    });
    // The samples reach every verdict, so each branch of the rule was compared.
    expect([...seen].sort()).toEqual(['improvement', 'inconclusive', 'pass', 'regression']);
    expect(ref.some((r) => r.k === 3)).toBe(true);
  });

  it('an early look needs more than the last: the same data decide at the last look and not at the first', () => {
    const pairs = pairedSample({ n: 300, seed: 16, agreement: 0.75, changedRight: 0.25 });
    const at = (look: number, videos: number) =>
      decideLook({
        statistics: lookStatistics(pairs.slice(0, videos)),
        design,
        look,
        alpha: ALPHA,
        tolerance: TOL,
        pairedVideos: videos,
      });
    const first = at(1, 300);
    const last = at(6, 300);
    expect(first.boundaries.family).toBeGreaterThan(last.boundaries.family);
    expect(first.boundaries.pass).toBeGreaterThan(last.boundaries.pass);
  });
});
