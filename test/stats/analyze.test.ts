import { describe, expect, it } from 'vitest';
import { analyzePairs } from '../../src/stats/analyze.js';
import { pairResults } from '../../src/stats/pairing.js';
import { pairedRuns as runs } from '../helpers/paired-runs.js';
import { python } from '../helpers/python.js';

const REFERENCE = `
import json, sys
import numpy as np
from scipy.stats import binomtest, spearmanr
d = json.load(sys.stdin)
ans = [p for p in d if not p["err_c"]]
both = [p for p in ans if p["c"] is not None and p["b"] is not None]
gt = np.array([p["gt"] for p in both], float); c = np.array([p["c"] for p in both], float); b = np.array([p["b"] for p in both], float)
wins = int(np.sum((c == gt) & (b != gt))); losses = int(np.sum((b == gt) & (c != gt)))
pw = sum(1 for p in ans if p["c"] is not None and p["b"] is None); pl = sum(1 for p in ans if p["b"] is not None and p["c"] is None)
print(json.dumps({
  "answered": len(ans), "both": len(both),
  "acc_c": float(np.mean(c == gt)), "acc_b": float(np.mean(b == gt)),
  "r_c": float(np.corrcoef(gt, c)[0, 1]), "r_b": float(np.corrcoef(gt, b)[0, 1]),
  "wins": wins, "losses": losses, "p_acc": binomtest(min(wins, losses), wins + losses, 0.5).pvalue,
  "p_acc_worse": binomtest(wins, wins + losses, 0.5, alternative="less").pvalue,
  "p_acc_better": binomtest(wins, wins + losses, 0.5, alternative="greater").pvalue,
  "parse_c": sum(p["c"] is not None for p in ans) / len(ans), "parse_b": sum(p["b"] is not None for p in ans) / len(ans),
  "p_parse": binomtest(min(pw, pl), pw + pl, 0.5).pvalue,
  "rho_c": float(spearmanr(gt, c).statistic), "rho_b": float(spearmanr(gt, b).statistic),
  "mae_c": float(np.mean(np.abs(c - gt))), "mae_b": float(np.mean(np.abs(b - gt))),
}))
`;

describe('analyzePairs', () => {
  it('matches numpy/scipy on the same pairs: both-parsed accuracy and Pearson, McNemar, parse rate, Spearman, MAE', () => {
    const { candidate, baseline } = runs(1500, 3, {
      agree: 0.75,
      missC: 0.05,
      errC: 0.01,
      drop: 0.1,
    });
    const { pairs } = pairResults(candidate, baseline);
    const a = analyzePairs(pairs, { resamples: 300 });
    const ref = python<Record<string, number>>(
      REFERENCE,
      pairs.map((p) => ({ gt: p.gt, c: p.pred_c, b: p.pred_b, err_c: p.error_c })),
    );
    expect(a.answered).toBe(ref.answered);
    expect(a.bothParsed).toBe(ref.both);
    expect(a.excludedErrors).toBe(1500 - ref.answered!);
    expect(a.values.accuracy.candidate).toBeCloseTo(ref.acc_c!, 14);
    expect(a.values.accuracy.baseline).toBeCloseTo(ref.acc_b!, 14);
    expect(a.values.pearson.candidate).toBeCloseTo(ref.r_c!, 12);
    expect(a.values.pearson.baseline).toBeCloseTo(ref.r_b!, 12);
    expect(a.mcnemar.accuracy).toMatchObject({ wins: ref.wins, losses: ref.losses });
    expect(Math.abs(a.mcnemar.accuracy.pValue - ref.p_acc!) / ref.p_acc!).toBeLessThan(1e-9);
    expect(a.values.parseRate.candidate).toBeCloseTo(ref.parse_c!, 14);
    expect(a.values.parseRate.baseline).toBeCloseTo(ref.parse_b!, 14);
    expect(Math.abs(a.mcnemar.parseRate.pValue - ref.p_parse!) / ref.p_parse!).toBeLessThan(1e-9);
    expect(a.spearman.candidate).toBeCloseTo(ref.rho_c!, 12);
    expect(a.spearman.baseline).toBeCloseTo(ref.rho_b!, 12);
    expect(a.meanAbsoluteError.candidate).toBeCloseTo(ref.mae_c!, 14);
    expect(a.meanAbsoluteError.baseline).toBeCloseTo(ref.mae_b!, 14);
    // the evidence carries the same numbers, with the interval at 1 - alpha
    const acc = a.evidence.find((e) => e.metric === 'accuracy')!;
    expect(acc.delta).toBeCloseTo(ref.acc_c! - ref.acc_b!, 14);
    expect(acc.ci!.level).toBe(0.95);
    expect(Math.abs(acc.pWorse! - ref.p_acc_worse!) / ref.p_acc_worse!).toBeLessThan(1e-9);
    expect(Math.abs(acc.pBetter! - ref.p_acc_better!) / ref.p_acc_better!).toBeLessThan(1e-9);
    // every metric can move here (some videos parsed by one run only): alpha is shared by 3
    expect(a.evidence.map((e) => e.varies)).toEqual([true, true, true]);
    expect(acc.bounds).toMatchObject({ level: 0.95, familyLevel: 1 - 0.05 / 3 });
    expect(acc.n).toBe(ref.both);
    // per-video sd of a -1/0/+1 difference
    const k = ref.both!;
    const mean = (ref.wins! - ref.losses!) / k;
    expect(acc.sdPerVideo).toBeCloseTo(Math.sqrt((ref.wins! + ref.losses!) / k - mean * mean), 14);
  });

  it('says why Pearson is undefined', () => {
    const { candidate, baseline } = runs(50, 4, { agree: 0.7 });
    const constant = candidate.map((r) => ({ ...r, pred_score: 3 }));
    const a = analyzePairs(pairResults(constant, baseline).pairs, { resamples: 50 });
    const r = a.evidence.find((e) => e.metric === 'pearson')!;
    expect(r.candidate).toBeNull();
    expect(r.note).toBe('constant predictions (every reply is 3)');
  });
});

/**
 * An independent paired bootstrap in numpy (its own generator, its own code): the one-sided bounds are the
 * alpha and 1 - alpha quantiles of the resampled deltas (numpy's default linear interpolation).
 */
const NUMPY_BOOTSTRAP = `
import json, sys
import numpy as np
d = json.load(sys.stdin)
gt = np.array(d["gt"], float); c = np.array(d["c"], float); b = np.array(d["b"], float)
pc = np.array(d["pc"], bool); pb = np.array(d["pb"], bool)
n = len(gt); B = d["B"]
rng = np.random.default_rng(12345)
acc, cor, par = [], [], []
for _ in range(B):
    i = rng.integers(0, n, n)
    both = pc[i] & pb[i]
    g, x, y = gt[i][both], c[i][both], b[i][both]
    par.append(pc[i].mean() - pb[i].mean())
    acc.append(np.mean(x == g) - np.mean(y == g))
    cor.append(np.corrcoef(g, x)[0, 1] - np.corrcoef(g, y)[0, 1])
out = {}
for name, v in (("accuracy", acc), ("pearson", cor), ("parse_rate", par)):
    v = np.array(v)
    out[name] = {"se": float(v.std(ddof=1)), "q": [float(np.quantile(v, p)) for p in d["ps"]]}
print(json.dumps(out))
`;

describe('one-sided bounds', () => {
  it('are the quantiles an independent numpy bootstrap finds on the same fixed data (within Monte Carlo error)', () => {
    const { candidate, baseline } = runs(500, 21, { agree: 0.75, missC: 0.06, drop: 0.08 });
    const { pairs } = pairResults(candidate, baseline);
    const B = 20_000;
    const a = analyzePairs(pairs, { resamples: B });
    const k = a.evidence.filter((e) => e.varies).length;
    expect(k).toBe(3);
    const ps = [0.05, 0.95, 0.05 / k, 1 - 0.05 / k];
    const ref = python<Record<string, { se: number; q: number[] }>>(NUMPY_BOOTSTRAP, {
      gt: pairs.map((p) => p.gt),
      c: pairs.map((p) => p.pred_c ?? 0),
      b: pairs.map((p) => p.pred_b ?? 0),
      pc: pairs.map((p) => p.parsed_c),
      pb: pairs.map((p) => p.parsed_b),
      B,
      ps,
    });
    for (const e of a.evidence) {
      const r = ref[e.metric]!;
      const got = [e.bounds!.lower, e.bounds!.upper, e.bounds!.familyLower, e.bounds!.familyUpper];
      // Two independent bootstraps of 20,000: a tail quantile's Monte Carlo SD is about 0.02 SE each,
      // so 0.12 SE is over four SDs of their difference, and far below the 0.4 SE that separates the
      // 95% from the 98.3% bound. The parse-rate delta moves in steps of 1/n: allow one step.
      const allowed = Math.max(0.12 * r.se, 1.01 / e.n);
      got.forEach((g, i) =>
        expect(Math.abs(g - r.q[i]!), `${e.metric} q${ps[i]}`).toBeLessThan(allowed),
      );
      expect(e.bounds!.lower).toBeGreaterThan(e.bounds!.familyLower);
      expect(e.bounds!.upper).toBeLessThan(e.bounds!.familyUpper);
      // the one-sided 95% bounds are the ends of the two-sided 90% interval, inside the reported 95% one
      expect(e.bounds!.lower).toBeGreaterThan(e.ci!.lower);
      expect(e.bounds!.upper).toBeLessThan(e.ci!.upper);
    }
  });

  it('leave a metric nothing moved out of the family: every reply parsed -> alpha is shared by 2', () => {
    const { candidate, baseline } = runs(400, 22, { agree: 0.75 });
    const a = analyzePairs(pairResults(candidate, baseline).pairs, { resamples: 200 });
    expect(a.evidence.map((e) => e.varies)).toEqual([true, true, false]);
    expect(a.evidence[0]!.bounds).toMatchObject({ level: 0.95, familyLevel: 0.975 });
    const parse = a.evidence[2]!;
    expect(parse.bounds).toMatchObject({ lower: 0, upper: 0, familyLower: 0, familyUpper: 0 });
  });
});
