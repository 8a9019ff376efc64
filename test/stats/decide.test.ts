import { describe, expect, it } from 'vitest';
import {
  decideSignificance,
  requiredSampleSize,
  type MetricEvidence,
  type MetricName,
  type SignificanceVerdict,
} from '../../src/stats/decide.js';

const TOL = { accuracy: 0.02, pearson: 0.02, parseRate: 0.02 };

function ev(o: {
  metric?: MetricName;
  d: number;
  ci: [number, number] | null;
  p?: number | null;
  n?: number;
  sd?: number;
}): MetricEvidence {
  return {
    metric: o.metric ?? 'accuracy',
    n: o.n ?? 3397,
    baseline: 0.4,
    candidate: 0.4 + o.d,
    delta: o.d,
    ci: o.ci ? { lower: o.ci[0], upper: o.ci[1], level: 0.95 } : null,
    pValue: o.p === undefined ? (o.metric === 'pearson' ? null : 0.5) : o.p,
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

describe('decideSignificance: the rule, metric by metric (tolerance 0.02, alpha 0.05)', () => {
  const table: { what: string; e: MetricEvidence; want: SignificanceVerdict }[] = [
    {
      what: 'significantly better',
      e: ev({ d: 0.03, ci: [0.015, 0.045], p: 0.001 }),
      want: 'improvement',
    },
    {
      what: 'interval above 0 but McNemar not significant',
      e: ev({ d: 0.02, ci: [0.001, 0.04], p: 0.07 }),
      want: 'pass',
    },
    {
      what: 'significantly worse, beyond tolerance',
      e: ev({ d: -0.03, ci: [-0.045, -0.015], p: 0.001 }),
      want: 'regression',
    },
    {
      what: 'significantly worse, beyond tolerance, interval straddles -t',
      e: ev({ d: -0.025, ci: [-0.04, -0.01], p: 0.002 }),
      want: 'regression',
    },
    {
      what: 'real drop within tolerance, larger drop ruled out',
      e: ev({ d: -0.01, ci: [-0.018, -0.002], p: 0.01 }),
      want: 'pass',
    },
    {
      what: 'real drop within tolerance, larger drop not ruled out',
      e: ev({ d: -0.015, ci: [-0.03, -0.001], p: 0.03 }),
      want: 'inconclusive',
    },
    {
      what: 'point beyond tolerance, not significant',
      e: ev({ d: -0.03, ci: [-0.09, 0.03], p: 0.3 }),
      want: 'inconclusive',
    },
    {
      what: 'bootstrap and McNemar disagree at the edge',
      e: ev({ d: -0.03, ci: [-0.05, -0.001], p: 0.06 }),
      want: 'inconclusive',
    },
    { what: 'no change, full set', e: ev({ d: 0, ci: [-0.015, 0.015], p: 1 }), want: 'pass' },
    {
      what: 'no change, small subset',
      e: ev({ d: 0, ci: [-0.06, 0.06], p: 1, n: 300 }),
      want: 'inconclusive',
    },
    {
      what: 'lower bound at -t up to float noise',
      e: ev({ d: -0.005, ci: [0.38 - 0.4, 0.01], p: 0.4 }),
      want: 'pass',
    },
    {
      what: 'drop of exactly t (float noise) is not beyond it',
      e: ev({ d: 0.38 - 0.4, ci: [-0.035, -0.005], p: 0.001 }),
      want: 'inconclusive',
    },
    {
      what: 'Pearson (no McNemar) beyond tolerance',
      e: ev({ metric: 'pearson', d: -0.04, ci: [-0.06, -0.02] }),
      want: 'regression',
    },
    {
      what: 'Pearson significantly better',
      e: ev({ metric: 'pearson', d: 0.03, ci: [0.01, 0.05] }),
      want: 'improvement',
    },
    {
      what: 'parse rate drop beyond tolerance',
      e: ev({ metric: 'parse_rate', d: -0.05, ci: [-0.06, -0.04], p: 1e-9 }),
      want: 'regression',
    },
    { what: 'no interval', e: ev({ d: -0.01, ci: null }), want: 'inconclusive' },
  ];
  for (const { what, e, want } of table) {
    it(`${what} -> ${want}`, () => {
      expect(decide([e]).perMetric[0]!.verdict).toBe(want);
      expect(decide([e]).verdict).toBe(want);
    });
  }

  it('undefined values: the candidate lost a value -> regression; the baseline has none -> not compared', () => {
    const lost: MetricEvidence = {
      ...ev({ metric: 'pearson', d: 0, ci: null }),
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
      ...ev({ metric: 'pearson', d: 0, ci: null }),
      baseline: null,
      delta: null,
    };
    expect(decide([none]).verdict).toBe('pass');
    expect(decide([none]).perMetric[0]!.reason).toMatch(/baseline has no value .* not compared/);
  });

  it('never passes on nothing: no video answered by both runs is inconclusive', () => {
    const none: MetricEvidence = {
      ...ev({ d: 0, ci: null }),
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
    const reg = ev({ d: -0.03, ci: [-0.045, -0.015], p: 0.001 });
    const inc = ev({ metric: 'pearson', d: 0, ci: [-0.03, 0.03] });
    const imp = ev({ metric: 'parse_rate', d: 0.03, ci: [0.01, 0.05], p: 0.001 });
    const ok = ev({ metric: 'parse_rate', d: 0, ci: [-0.01, 0.01], p: 1 });
    expect(decide([reg, inc, imp]).verdict).toBe('regression');
    expect(decide([reg, inc]).reasons).toEqual([decide([reg]).perMetric[0]!.reason]);
    expect(decide([inc, imp]).verdict).toBe('inconclusive');
    expect(decide([{ ...imp, metric: 'accuracy' }, ok]).verdict).toBe('improvement');
    expect(decide([ok]).reasons).toHaveLength(1);
  });

  it('writes the lines the report shows', () => {
    const r = decide([ev({ d: -0.03, ci: [-0.045, -0.015], p: 0.00002 })]);
    expect(r.reasons).toEqual([
      'accuracy dropped 0.030 (0.400 → 0.370; 95% CI -0.045 to -0.015, McNemar p < 0.0001, 3,397 videos), beyond the allowed 0.020',
    ]);
    const pass = decide([ev({ metric: 'pearson', d: 0.004, ci: [-0.012, 0.02] })]);
    expect(pass.reasons).toEqual([
      'Pearson +0.004 (0.400 → 0.404; 95% CI -0.012 to +0.020, 3,397 videos): a drop beyond 0.020 is ruled out',
    ]);
  });
});

describe('inconclusive: one sentence with the sample size that would decide it', () => {
  it('on a 300-video subset with no change: about 2,500 videos (normal approximation)', () => {
    // sd 0.5 (25% discordant), z = 1.96, gap 0.02: (1.96 * 0.5 / 0.02)^2 = 2401 -> rounded up to 2,500
    const r = decide([ev({ d: 0, ci: [-0.057, 0.057], p: 1, n: 300 })], { pairedVideos: 300 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.explanation).toBe(
      'Inconclusive: on 300 paired videos, accuracy +0.000 (95% CI -0.057 to +0.057) can neither rule out nor show a drop beyond the tolerance (0.020); about 2,500 videos would decide it.',
    );
    expect(r.reasons[0]).toBe(r.explanation);
    expect(r.perMetric[0]!.requiredVideos).toBe(2500);
  });

  it('scales from both-parsed videos to paired videos, takes the larger need, and says when the test set is too small', () => {
    const acc = ev({ d: -0.01, ci: [-0.027, 0.007], p: 0.25, n: 3000 }); // gap 0.01 → 9604 both-parsed
    const r = decide([acc, ev({ metric: 'pearson', d: 0.0, ci: [-0.025, 0.025], sd: 0.6 })], {
      pairedVideos: 3397,
      datasetSize: 3397,
    });
    // 9604 * 3397 / 3000 = 10,875 → 11,000; Pearson needs (1.96 * 0.6 / 0.02)^2 = 3458 → 3,500
    expect(r.perMetric.map((m) => m.requiredVideos)).toEqual([11000, 3500]);
    expect(r.explanation).toMatch(
      /accuracy -0.010 \(95% CI -0.027 to \+0.007\) and Pearson \+0.000 \(95% CI -0.025 to \+0.025\) can neither rule out nor show a drop beyond the tolerance \(0.020\); about 11,000 videos would decide it, more than the 3,397 in the test set, so only a wider tolerance can\.$/,
    );
  });

  it('says when there is no interval', () => {
    expect(decide([ev({ d: -0.01, ci: null })]).explanation).toMatch(
      /accuracy \(no interval\) can neither .*; the paired videos are too few to compute an interval\.$/,
    );
  });

  it('says so when the change sits at the tolerance', () => {
    const r = decide([ev({ d: -0.02, ci: [-0.05, 0.01], p: 0.2 })]);
    expect(r.explanation).toMatch(
      /no number of videos would decide it, because the observed change sits at the tolerance\.$/,
    );
  });
});

describe('requiredSampleSize', () => {
  it('is the normal-approximation size for the interval to leave -t (pass) or 0 (regression)', () => {
    // within tolerance: lower bound reaches -t
    expect(
      requiredSampleSize({ delta: -0.005, sdPerVideo: 0.5, tolerance: 0.02, alpha: 0.05 }),
    ).toBe(Math.ceil(((1.959963984540054 * 0.5) / 0.015) ** 2));
    // beyond tolerance: upper bound falls below 0
    expect(
      requiredSampleSize({ delta: -0.03, sdPerVideo: 0.5, tolerance: 0.02, alpha: 0.05 }),
    ).toBe(Math.ceil(((1.959963984540054 * 0.5) / 0.03) ** 2));
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
    const e = ev({ d: 0, ci: [-0.01, 0.01] });
    expect(() =>
      decideSignificance({ evidence: [e], tolerance: TOL, alpha: 0.1, pairedVideos: 10 }),
    ).toThrow(/the accuracy interval has level 0.95; with alpha 0.1 it must be 0.9/);
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
