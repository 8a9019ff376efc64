import { describe, expect, it } from 'vitest';
import { lookStatistics } from '../../src/sequential/evidence.js';
import { python } from '../helpers/python.js';
import { pairedSample } from './fixtures.js';

// Independent: numpy, from the formulas' sources (Agresti & Min 2005 for paired proportions; the influence
// function of Pearson's r for the correlation delta), and a jackknife of the Pearson delta as a second,
// assumption-light estimate of its spread.
const NUMPY = `
import json, sys
import numpy as np
d = json.load(sys.stdin)
out = []
for pairs in d:
    gt = np.array([p["gt"] for p in pairs], float)
    pc = np.array([np.nan if p["pred_c"] is None else p["pred_c"] for p in pairs], float)
    pb = np.array([np.nan if p["pred_b"] is None else p["pred_b"] for p in pairs], float)
    both = ~np.isnan(pc) & ~np.isnan(pb)
    def am(c, b):
        n = len(c); w = np.sum(c & ~b) + 0.5; l = np.sum(b & ~c) + 0.5; m = n + 2
        return {"delta": float(c.mean() - b.mean()), "centre": float((w - l) / m),
                "se": float(np.sqrt(w + l - (w - l) ** 2 / m) / m)}
    acc = am(pc[both] == gt[both], pb[both] == gt[both])
    parse = am(~np.isnan(pc), ~np.isnan(pb))
    x, y, g = pc[both], pb[both], gt[both]
    rc = np.corrcoef(x, g)[0, 1]; rb = np.corrcoef(y, g)[0, 1]
    def psi(a, r):
        u = (a - a.mean()) / a.std(); v = (g - g.mean()) / g.std()
        return u * v - r / 2 * (u * u + v * v)
    dpsi = psi(x, rc) - psi(y, rb)
    n = len(g)
    se = float(np.sqrt(np.mean(dpsi ** 2) / n))
    jack = np.array([np.corrcoef(np.delete(x, i), np.delete(g, i))[0, 1] - np.corrcoef(np.delete(y, i), np.delete(g, i))[0, 1] for i in range(n)])
    jse = float(np.sqrt((n - 1) / n * np.sum((jack - jack.mean()) ** 2)))
    out.append({"accuracy": acc, "parse": parse, "pearson": {"delta": float(rc - rb), "se": se, "jackknife": jse}})
print(json.dumps(out))
`;

describe('lookStatistics: the delta and its standard error at one look', () => {
  const samples = [
    pairedSample({ n: 400, seed: 1 }),
    pairedSample({ n: 250, seed: 2, agreement: 0.6, changedRight: 0.2, unparsed: 0.05 }),
    pairedSample({ n: 600, seed: 3, agreement: 0.9, changedRight: 0.7 }),
  ];
  const ref = python<
    {
      accuracy: { delta: number; centre: number; se: number };
      parse: { delta: number; centre: number; se: number };
      pearson: { delta: number; se: number; jackknife: number };
    }[]
  >(NUMPY, samples);

  it.each(samples.map((s, i) => [i, s] as const))(
    'sample %i: accuracy and parse rate are numpy’s Agresti-Min, the Pearson delta and its influence-function error numpy’s',
    (i, pairs) => {
      const [acc, r, parse] = lookStatistics(pairs);
      const want = ref[i]!;
      expect(acc?.delta).toBeCloseTo(want.accuracy.delta, 12);
      expect(acc?.centre).toBeCloseTo(want.accuracy.centre, 12);
      expect(acc?.se).toBeCloseTo(want.accuracy.se, 12);
      expect(parse?.delta).toBeCloseTo(want.parse.delta, 12);
      expect(parse?.se).toBeCloseTo(want.parse.se, 12);
      expect(r?.delta).toBeCloseTo(want.pearson.delta, 12);
      expect(r?.se).toBeCloseTo(want.pearson.se, 12);
      // The closed form and the jackknife estimate the same spread.
      expect(Math.abs((r?.se as number) / want.pearson.jackknife - 1)).toBeLessThan(0.1);
    },
  );

  it('no discordant video still has an error of about 1/n, not 0 (a look of agreeing videos rules out nothing by accident)', () => {
    const same = pairedSample({ n: 100, seed: 4, agreement: 1 });
    const [acc, r, parse] = lookStatistics(same);
    expect(acc?.varies).toBe(false);
    expect(acc?.se).toBeGreaterThan(0.5 / 100);
    expect(parse?.se).toBeGreaterThan(0.5 / 100);
    // Identical predictions: the Pearson delta is exactly 0 with no spread, as in the fixed-size bootstrap.
    expect(r?.delta).toBe(0);
    expect(r?.varies).toBe(false);
  });

  it('undefined Pearson (constant candidate) has no error and says why', () => {
    const pairs = pairedSample({ n: 80, seed: 5 }).map((p) => ({
      ...p,
      pred_c: 3,
      correct_c: p.gt === 3,
    }));
    const r = lookStatistics(pairs)[1];
    expect(r?.candidate).toBeNull();
    expect(r?.se).toBeNull();
    expect(r?.note).toMatch(/constant predictions/);
  });
});
