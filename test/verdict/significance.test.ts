import { describe, expect, it } from 'vitest';
import { python } from '../helpers/python.js';
import { normalQuantile } from '../../src/stats/normal.js';
import {
  decideSignificance,
  familySize,
  requiredSampleSize,
  type MetricEvidence,
  type MetricName,
  type SignificanceVerdict,
} from '../../src/verdict/significance.js';

const TOL = { accuracy: 0.02, pearson: 0.02, parseRate: 0.02 };

/**
 * Evidence with one-sided bounds `b` = [L, U] at 95% and, for a family of k metrics, `f` = [L', U'] at
 * 1 - 0.05/k (default: the same as b, k = 1). pw / pb: one-sided McNemar p (worse / better).
 */
function ev(o: {
  metric?: MetricName;
  d: number;
  b: [number, number] | null;
  f?: [number, number];
  k?: number;
  pw?: number | null;
  pb?: number | null;
  n?: number;
  sd?: number;
  varies?: boolean;
}): MetricEvidence {
  const k = o.k ?? 1;
  const pearson = o.metric === 'pearson';
  const f = o.f ?? o.b;
  return {
    metric: o.metric ?? 'accuracy',
    n: o.n ?? 3397,
    baseline: 0.4,
    candidate: 0.4 + o.d,
    delta: o.d,
    ci: o.b ? { lower: o.b[0] - 0.003, upper: o.b[1] + 0.003, level: 0.95 } : null,
    bounds:
      o.b && f
        ? {
            lower: o.b[0],
            upper: o.b[1],
            level: 0.95,
            familyLower: f[0],
            familyUpper: f[1],
            familyLevel: 1 - 0.05 / k,
          }
        : null,
    pValue: pearson ? null : 0.5,
    pWorse: pearson ? null : o.pw === undefined ? 0.5 : o.pw,
    pBetter: pearson ? null : o.pb === undefined ? 0.5 : o.pb,
    varies: o.varies ?? true,
    sdPerVideo: o.sd ?? 0.5,
  };
}

const decide = (
  evidence: MetricEvidence[],
  extra: { pairedVideos?: number; datasetSize?: number } = {},
) =>
  decideSignificance({
    evidence,
    tolerance: TOL,
    alpha: 0.05,
    pairedVideos: extra.pairedVideos ?? 3397,
    ...extra,
  });

describe('decideSignificance: the one-sided rule, metric by metric (tolerance 0.02, alpha 0.05)', () => {
  const table: { what: string; e: MetricEvidence; want: SignificanceVerdict }[] = [
    {
      what: 'better: lower bound above 0, McNemar one-sided p < alpha',
      e: ev({ d: 0.03, b: [0.015, 0.045], pb: 0.001 }),
      want: 'improvement',
    },
    {
      what: 'lower bound above 0 but McNemar (one-sided) not below alpha',
      e: ev({ d: 0.02, b: [0.001, 0.04], pb: 0.07 }),
      want: 'pass',
    },
    {
      what: 'a drop beyond the tolerance shown: upper bound below -t',
      e: ev({ d: -0.04, b: [-0.055, -0.025], pw: 0.0001 }),
      want: 'regression',
    },
    {
      what: 'significantly worse and estimate beyond -t, but upper bound above -t (the old rule said regression)',
      e: ev({ d: -0.025, b: [-0.037, -0.013], pw: 0.001 }),
      want: 'inconclusive',
    },
    {
      what: 'real drop within tolerance, larger drop ruled out',
      e: ev({ d: -0.01, b: [-0.018, -0.002], pw: 0.01 }),
      want: 'pass',
    },
    {
      what: 'real drop within tolerance, larger drop not ruled out',
      e: ev({ d: -0.015, b: [-0.028, -0.002], pw: 0.03 }),
      want: 'inconclusive',
    },
    {
      what: 'bootstrap and McNemar disagree at the edge',
      e: ev({ d: -0.04, b: [-0.055, -0.021], pw: 0.06 }),
      want: 'inconclusive',
    },
    { what: 'no change, full set', e: ev({ d: 0, b: [-0.012, 0.012], pw: 0.5 }), want: 'pass' },
    {
      what: 'no change, small subset',
      e: ev({ d: 0, b: [-0.048, 0.048], n: 300 }),
      want: 'inconclusive',
    },
    {
      what: 'lower bound at -t up to float noise',
      e: ev({ d: -0.005, b: [0.38 - 0.4, 0.01] }),
      want: 'pass',
    },
    {
      what: 'upper bound at -t (float noise) is not beyond it',
      e: ev({ d: -0.03, b: [-0.04, 0.38 - 0.4], pw: 0.001 }),
      want: 'inconclusive',
    },
    {
      what: 'Pearson (bootstrap only) beyond tolerance',
      e: ev({ metric: 'pearson', d: -0.05, b: [-0.07, -0.03] }),
      want: 'regression',
    },
    {
      what: 'Pearson better',
      e: ev({ metric: 'pearson', d: 0.03, b: [0.01, 0.05] }),
      want: 'improvement',
    },
    {
      what: 'parse rate drop beyond tolerance',
      e: ev({ metric: 'parse_rate', d: -0.05, b: [-0.06, -0.04], pw: 1e-9 }),
      want: 'regression',
    },
    { what: 'no bound', e: ev({ d: -0.01, b: null }), want: 'inconclusive' },
  ];
  for (const { what, e, want } of table) {
    it(`${what} -> ${want}`, () => {
      expect(decide([e]).perMetric[0]!.verdict).toBe(want);
      expect(decide([e]).verdict).toBe(want);
    });
  }

  it('regression and improvement read the bounds at alpha/k; pass reads the bound at alpha', () => {
    // Two metrics that can move: regression needs U' (97.5%) < -t; U (95%) alone does not do.
    const acc = ev({ d: -0.04, b: [-0.052, -0.023], f: [-0.055, -0.018], k: 2, pw: 0.001 });
    const r = ev({ metric: 'pearson', d: 0, b: [-0.015, 0.015], f: [-0.018, 0.018], k: 2 });
    const two = decide([acc, r]);
    expect(two.familySize).toBe(2);
    expect(two.perMetric.map((m) => m.verdict)).toEqual(['inconclusive', 'pass']);
    // McNemar at alpha/k too: p = 0.03 is below 0.05 but not below 0.025.
    const shown = { ...acc, bounds: { ...acc.bounds!, familyUpper: -0.021 } };
    expect(decide([shown, r]).verdict).toBe('regression');
    expect(decide([{ ...shown, pWorse: 0.03 }, r]).verdict).toBe('inconclusive');
    // A metric that cannot move (no video differs) does not take a share of alpha.
    expect(familySize([acc, r, ev({ metric: 'parse_rate', d: 0, b: [0, 0], varies: false })])).toBe(
      2,
    );
    expect(familySize([ev({ d: 0, b: [0, 0], varies: false })])).toBe(1);
  });

  it('undefined values: the candidate lost a value -> regression; the baseline has none -> not compared', () => {
    const lost: MetricEvidence = {
      ...ev({ metric: 'pearson', d: 0, b: null }),
      candidate: null,
      delta: null,
      note: 'constant predictions (every reply is 3)',
    };
    const r = decide([lost]);
    expect(r.verdict).toBe('regression');
    expect(r.reasons[0]).toBe(
      'Pearson is undefined for the candidate on the paired videos (constant predictions (every reply is 3)); baseline 0.400',
    );
    const none: MetricEvidence = {
      ...ev({ metric: 'pearson', d: 0, b: null }),
      baseline: null,
      delta: null,
    };
    expect(decide([none]).verdict).toBe('pass');
    expect(decide([none]).perMetric[0]!.reason).toMatch(/baseline has no value .* not compared/);
  });

  it('never passes on nothing: no video answered by both runs is inconclusive', () => {
    const none: MetricEvidence = {
      ...ev({ d: 0, b: null }),
      baseline: null,
      candidate: null,
      delta: null,
      n: 0,
    };
    const r = decide([none], { pairedVideos: 0 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.explanation).toBe(
      'Inconclusive: no video was answered in both runs, so there is nothing to compare.',
    );
  });

  it('combines metrics: regression > inconclusive > improvement > pass', () => {
    const k = 3;
    const reg = ev({ d: -0.04, b: [-0.05, -0.03], k, pw: 0.0001 });
    const inc = ev({ metric: 'pearson', d: 0, b: [-0.03, 0.03], k });
    const imp = ev({ metric: 'parse_rate', d: 0.03, b: [0.01, 0.05], k, pb: 0.001 });
    const ok = ev({ metric: 'parse_rate', d: 0, b: [-0.01, 0.01], k, pb: 1 });
    expect(decide([reg, inc, imp]).verdict).toBe('regression');
    expect(decide([reg, inc, imp]).reasons).toEqual([decide([reg, inc, imp]).perMetric[0]!.reason]);
    expect(decide([inc, imp, ok]).verdict).toBe('inconclusive');
    expect(decide([{ ...imp, metric: 'accuracy' }, ok, { ...ok, metric: 'pearson' }]).verdict).toBe(
      'improvement',
    );
  });

  it('writes the lines the report shows, with the one-sided bound each verdict rests on', () => {
    const k = 2;
    const reg = ev({ d: -0.04, b: [-0.052, -0.028], f: [-0.055, -0.025], k, pw: 0.00002 });
    const flat = ev({ metric: 'pearson', d: 0.004, b: [-0.012, 0.02], k });
    const r = decide([reg, flat]);
    expect(r.reasons).toEqual([
      'accuracy dropped 0.040 (0.400 → 0.360, 3,397 videos): a drop beyond the allowed 0.020 is shown, one-sided 97.5% upper bound -0.025 < -0.020, McNemar one-sided p < 0.0001, alpha 0.05 shared by 2 metrics',
    ]);
    expect(r.perMetric[0]!.bound).toEqual({
      side: 'upper',
      value: -0.025,
      level: 0.975,
      against: -0.02,
    });
    const pass = decide([ev({ metric: 'pearson', d: 0.004, b: [-0.012, 0.02] })]);
    expect(pass.reasons).toEqual([
      'Pearson +0.004 (0.400 → 0.404, 3,397 videos): a drop beyond 0.020 is ruled out, one-sided 95% lower bound -0.012 ≥ -0.020',
    ]);
    expect(pass.perMetric[0]!.bound).toEqual({
      side: 'lower',
      value: -0.012,
      level: 0.95,
      against: -0.02,
    });
    const imp = decide([ev({ d: 0.03, b: [0.015, 0.045], pb: 0.001 })]);
    expect(imp.reasons[0]).toBe(
      'accuracy improved +0.030 (0.400 → 0.430, 3,397 videos): one-sided 95% lower bound +0.015 > +0.000, McNemar one-sided p = 0.0010',
    );
  });
});

describe('inconclusive: one line, what is ruled out and what is not, and the videos that would decide it', () => {
  it('on a 300-video subset with no change: about 1,700 videos (normal approximation, one-sided)', () => {
    // sd 0.5 (25% discordant), z(0.95) = 1.645, gap 0.02: (1.645 * 0.5 / 0.02)^2 = 1691 -> 1,700
    const r = decide([ev({ d: 0, b: [-0.048, 0.048], n: 300 })], { pairedVideos: 300 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.explanation).toBe(
      'Inconclusive on 300 paired videos: for accuracy (+0.000) a drop of more than 0.048 is ruled out; 0.020 is not: about 1,700 videos would decide it.',
    );
    expect(r.reasons[0]).toBe(r.explanation);
    expect(r.reasons[1]).toBe(
      'accuracy +0.000 (0.400 → 0.400, 300 videos): a drop beyond 0.020 is neither ruled out (one-sided 95% lower bound -0.048 < -0.020) nor shown (one-sided 95% upper bound +0.048 ≥ -0.020)',
    );
    expect(r.perMetric[0]!.requiredVideos).toBe(1700);
  });

  it('scales from both-parsed videos to paired videos, takes the larger need, and says when the test set is too small', () => {
    const acc = ev({ d: -0.01, b: [-0.024, 0.004], k: 2, n: 3000 }); // gap 0.01 → (1.645*0.5/0.01)^2 = 6764
    const r = decide([acc, ev({ metric: 'pearson', d: 0.0, b: [-0.021, 0.021], k: 2, sd: 0.6 })], {
      pairedVideos: 3397,
      datasetSize: 3397,
    });
    // 6764 * 3397 / 3000 = 7,659 → 7,700; Pearson needs (1.645 * 0.6 / 0.02)^2 = 2435 < 3,397 → 3,400
    expect(r.perMetric.map((m) => m.requiredVideos)).toEqual([7700, 3400]);
    expect(r.explanation).toBe(
      'Inconclusive on 3,397 paired videos: for accuracy (-0.010) a drop of more than 0.024 is ruled out; 0.020 is not, and for Pearson (+0.000) a drop of more than 0.021 is ruled out; 0.020 is not: about 7,700 videos would decide it, more than the 3,397 in the test set, so only a wider tolerance can.',
    );
  });

  it('says when there is no bound', () => {
    expect(decide([ev({ d: -0.01, b: null })]).explanation).toMatch(
      /accuracy has no bootstrap bound: the paired videos are too few to compute one\.$/,
    );
  });

  it('says so when the change sits at the tolerance', () => {
    const r = decide([ev({ d: -0.02, b: [-0.045, 0.005] })]);
    expect(r.explanation).toMatch(
      /no number of videos would decide it, because the observed change sits at the tolerance\.$/,
    );
  });
});

describe('normal quantiles the one-sided tests use', () => {
  it('equal scipy.stats.norm.ppf at 1 - alpha and 1 - alpha/k', () => {
    const ps = [0.95, 0.975, 1 - 0.05 / 3, 0.9, 0.995, 0.999];
    const ref = python<number[]>(
      'import json, sys\nfrom scipy.stats import norm\nprint(json.dumps([float(norm.ppf(p)) for p in json.load(sys.stdin)]))',
      ps,
    );
    ps.forEach((p, i) =>
      expect(Math.abs(normalQuantile(p) - ref[i]!), `p=${p}`).toBeLessThan(1e-12),
    );
  });
});

describe('requiredSampleSize', () => {
  const z95 = 1.6448536269514722; // scipy.stats.norm.ppf(0.95)
  const z975 = 1.959963984540054; // scipy.stats.norm.ppf(0.975)
  it('is the one-sided normal-approximation size for L to reach -t (pass) or U to fall below -t (regression)', () => {
    // within tolerance: the 1 - alpha lower bound reaches -t
    expect(
      requiredSampleSize({ delta: -0.005, sdPerVideo: 0.5, tolerance: 0.02, alpha: 0.05 }),
    ).toBe(Math.ceil(((z95 * 0.5) / 0.015) ** 2));
    // beyond tolerance: the 1 - alpha/k upper bound falls below -t
    expect(
      requiredSampleSize({
        delta: -0.03,
        sdPerVideo: 0.5,
        tolerance: 0.02,
        alpha: 0.05,
        familySize: 2,
      }),
    ).toBe(Math.ceil(((z975 * 0.5) / 0.01) ** 2));
    expect(
      requiredSampleSize({ delta: -0.02, sdPerVideo: 0.5, tolerance: 0.02, alpha: 0.05 }),
    ).toBeNull();
    expect(
      requiredSampleSize({ delta: 0, sdPerVideo: 0, tolerance: 0.02, alpha: 0.05 }),
    ).toBeNull();
  });
});

describe('decideSignificance input checks', () => {
  it('names what it expected', () => {
    const e = ev({ d: 0, b: [-0.01, 0.01] });
    expect(() =>
      decideSignificance({ evidence: [e], tolerance: TOL, alpha: 0.1, pairedVideos: 10 }),
    ).toThrow(/the accuracy interval has level 0.95; with alpha 0.1 it must be 0.9/);
    expect(() =>
      decideSignificance({
        evidence: [{ ...e, ci: null }],
        tolerance: TOL,
        alpha: 0.1,
        pairedVideos: 10,
      }),
    ).toThrow(
      /the accuracy bounds have levels 0.95 \/ 0.95; with alpha 0.1 and 1 metrics that can move they must be 0.9 \/ 0.9/,
    );
    expect(() =>
      decideSignificance({ evidence: [e], tolerance: TOL, alpha: 5, pairedVideos: 10 }),
    ).toThrow(/alpha must be between 0 and 1 \(e.g. 0.05\), got 5/);
    expect(() =>
      decideSignificance({
        evidence: [e],
        tolerance: { ...TOL, pearson: -1 },
        alpha: 0.05,
        pairedVideos: 10,
      }),
    ).toThrow(/tolerance.pearson must be >= 0, got -1/);
  });
});
