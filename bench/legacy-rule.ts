/**
 * The significance rule the gate used before the one-sided rule of src/verdict/significance.ts, kept only so that
 * bench/power.ts can print both on the same simulated pairs. Per metric, with [L, U] the TWO-sided
 * bootstrap interval at 1 - alpha and p the two-sided McNemar p: improvement if L > 0 and p < alpha;
 * regression if U < 0, d < -t and p < alpha; pass if L >= -t; else inconclusive. Each question is
 * one-sided, so reading the ends of a two-sided interval runs each at alpha/2.
 */
import type {
  SignificanceInput,
  MetricEvidence,
  MetricName,
  SignificanceVerdict,
  Tolerance,
} from '../src/verdict/significance.js';

const EPS = 1e-9;
const RANK: Record<SignificanceVerdict, number> = {
  regression: 3,
  inconclusive: 2,
  improvement: 1,
  pass: 0,
};

function toleranceOf(metric: MetricName, t: Tolerance): number {
  return metric === 'accuracy' ? t.accuracy : metric === 'pearson' ? t.pearson : t.parseRate;
}

function legacyMetric(e: MetricEvidence, t: number, alpha: number): SignificanceVerdict {
  if (e.baseline === null) return 'pass';
  if (e.candidate === null || e.delta === null) return 'regression';
  if (e.ci === null) return 'inconclusive';
  const significant = e.pValue === null || e.pValue < alpha;
  if (e.ci.lower > 0 && significant) return 'improvement';
  if (e.ci.upper < 0 && e.delta < -t - EPS && significant) return 'regression';
  if (e.ci.lower >= -t - EPS) return 'pass';
  return 'inconclusive';
}

export function legacyDecide(input: SignificanceInput): {
  verdict: SignificanceVerdict;
  perMetric: { metric: MetricName; verdict: SignificanceVerdict }[];
} {
  if (input.pairedVideos === 0) return { verdict: 'inconclusive', perMetric: [] };
  const perMetric = input.evidence.map((e) => ({
    metric: e.metric,
    verdict: legacyMetric(e, toleranceOf(e.metric, input.tolerance), input.alpha),
  }));
  const verdict = perMetric.reduce<SignificanceVerdict>(
    (worst, m) => (RANK[m.verdict] > RANK[worst] ? m.verdict : worst),
    'pass',
  );
  return { verdict, perMetric };
}
