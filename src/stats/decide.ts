/**
 * The significance decision: from each metric's paired delta, its interval and (for accuracy and parse rate)
 * the exact McNemar p-value, to pass / improvement / regression / inconclusive.
 *
 * For each metric, with d the delta (candidate - baseline), [L, U] the bootstrap interval at level
 * 1 - alpha, p the McNemar p-value (accuracy and parse rate; Pearson has only the interval) and t >= 0 the
 * tolerated drop, in this order:
 *
 *   improvement   L > 0 and p < alpha                  significantly better (any size)
 *   regression    U < 0 and d < -t and p < alpha       significantly worse, and the best estimate of the
 *                                                      drop is beyond the tolerance
 *   pass          L >= -t                              a drop beyond the tolerance is ruled out (this
 *                                                      includes a real drop that is within tolerance)
 *   inconclusive  otherwise                            the interval reaches below -t: a drop beyond the
 *                                                      tolerance is possible but has not been shown
 *
 * Why these: "significantly worse" alone would fail a checkpoint for a real but harmless 0.3-point drop on
 * the full set; "the whole interval beyond the tolerance" would rarely fire (at n = 3,397, with a tolerance
 * of 2 accuracy points, it catches a true 3.5-point drop only half the time). Requiring significance and a point estimate beyond the
 * tolerance keeps each metric's false-alarm rate at no change at or below alpha / 2 (one tail), so at most
 * about alpha over accuracy and Pearson together (bench/power.ts measures it), and makes a drop of exactly
 * the tolerance a coin flip, as with the plain threshold. Pass demands the interval to rule the drop out, so
 * a small subset that cannot see a 2-point drop says inconclusive instead of pass. When McNemar and the
 * bootstrap disagree (only at the edge) neither improvement nor regression is claimed.
 *
 * Undefined values: no baseline value -> pass (nothing to compare); a value the baseline has but the
 * candidate lost (Pearson of constant predictions) -> regression; no interval -> inconclusive.
 *
 * Overall: regression if any metric regressed, else inconclusive if any is, else improvement if any
 * improved, else pass; with no paired video answered by both runs, inconclusive. An inconclusive verdict
 * carries one sentence with the sample size that would decide it (normal approximation, assuming the
 * observed delta and per-video spread stay as they are).
 */
import { normalQuantile } from './normal.js';

export type MetricName = 'accuracy' | 'pearson' | 'parse_rate';
export type SignificanceVerdict = 'pass' | 'improvement' | 'regression' | 'inconclusive';

/** What the decision needs to know about one metric's comparison (built by analyzePairs). */
export interface MetricEvidence {
  metric: MetricName;
  /** Videos the delta is computed on (both parsed for accuracy and Pearson, both answered for parse rate). */
  n: number;
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  /** Bootstrap percentile interval of the delta at `level` (must equal 1 - alpha). */
  ci: { lower: number; upper: number; level: number } | null;
  /** Exact McNemar p-value (accuracy, parse rate); null for Pearson. */
  pValue: number | null;
  /** Standard deviation of one video's contribution to the delta, for the sample-size estimate. */
  sdPerVideo: number | null;
  /** Why a value is undefined, when one is. */
  note?: string;
}

export interface Tolerance {
  accuracy: number;
  pearson: number;
  parseRate: number;
}

export interface DecideInput {
  evidence: readonly MetricEvidence[];
  tolerance: Tolerance;
  alpha: number;
  /** Paired videos both runs answered: sample sizes are reported in videos, scaled from each metric's n. */
  pairedVideos: number;
  /** Size of the whole test set (3,397 for VideoPhy-2), to say when no run could decide it. */
  datasetSize?: number;
}

export interface MetricDecision extends MetricEvidence {
  verdict: SignificanceVerdict;
  tolerance: number;
  /** For inconclusive: paired videos that would decide it; null when none would (or not inconclusive). */
  requiredVideos: number | null;
  /** One line for the report. */
  reason: string;
}

export interface SignificanceDecision {
  verdict: SignificanceVerdict;
  /** The lines behind the verdict (for inconclusive, the one-sentence explanation first). */
  reasons: string[];
  perMetric: MetricDecision[];
  /** For inconclusive: one sentence, with "about N videos would decide it". */
  explanation?: string;
}

/** Float noise (0.38 - 0.40 = -0.020000000000000018) must not tip a comparison with the tolerance. */
const EPS = 1e-9;

const NAMES: Record<MetricName, string> = {
  accuracy: 'accuracy',
  pearson: 'Pearson',
  parse_rate: 'parse rate',
};

const signed = (x: number): string => `${x >= 0 ? '+' : '-'}${Math.abs(x).toFixed(3)}`;
const fixed = (x: number): string => x.toFixed(3);
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
function pText(p: number): string {
  return p < 0.0001 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`;
}

/** Round up to two significant digits: "about 4,900", not "about 4,873". */
function roughly(n: number): number {
  if (n < 100) return Math.ceil(n);
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / unit) * unit;
}

/**
 * Sample size (in the metric's own units) at which the interval would stop straddling the tolerance, if the
 * observed delta and per-video spread held: for a delta within tolerance, when L = d - z*sd/sqrt(n) reaches
 * -t (pass); for a delta beyond it, when U = d + z*sd/sqrt(n) falls below 0 (regression). Null when no size
 * would: the delta sits at the tolerance itself, or the spread is zero or unknown.
 */
export function requiredSampleSize(i: {
  delta: number;
  sdPerVideo: number;
  tolerance: number;
  alpha: number;
}): number | null {
  if (!(i.sdPerVideo > 0) || !Number.isFinite(i.sdPerVideo) || !Number.isFinite(i.delta)) {
    return null;
  }
  const z = normalQuantile(1 - i.alpha / 2);
  const gap = i.delta < -i.tolerance - EPS ? -i.delta : i.delta + i.tolerance;
  if (!(gap > EPS)) return null;
  return Math.ceil(((z * i.sdPerVideo) / gap) ** 2);
}

function toleranceOf(metric: MetricName, t: Tolerance): number {
  return metric === 'accuracy' ? t.accuracy : metric === 'pearson' ? t.pearson : t.parseRate;
}

function describeCi(e: MetricEvidence): string {
  const ci = e.ci
    ? `${Math.round(e.ci.level * 100)}% CI ${signed(e.ci.lower)} to ${signed(e.ci.upper)}`
    : 'no interval';
  const p = e.pValue === null ? '' : `, McNemar ${pText(e.pValue)}`;
  return `${ci}${p}, ${grouped(e.n)} videos`;
}

function decideMetric(e: MetricEvidence, input: DecideInput): MetricDecision {
  const { alpha } = input;
  const t = toleranceOf(e.metric, input.tolerance);
  const name = NAMES[e.metric];
  const out = (
    verdict: SignificanceVerdict,
    reason: string,
    requiredVideos: number | null = null,
  ) => ({
    ...e,
    verdict,
    tolerance: t,
    requiredVideos,
    reason,
  });
  if (e.baseline === null) {
    return out(
      'pass',
      `${name}: the baseline has no value on the paired videos${e.note ? ` (${e.note})` : ''}; not compared`,
    );
  }
  if (e.candidate === null || e.delta === null) {
    return out(
      'regression',
      `${name} is undefined for the candidate on the paired videos (${e.note ?? 'no value'}); baseline ${fixed(e.baseline)}`,
    );
  }
  const d = e.delta;
  const values = `${fixed(e.baseline)} → ${fixed(e.candidate)}`;
  if (e.ci === null) {
    return out(
      'inconclusive',
      `${name} ${signed(d)} (${values}): no bootstrap resample gave a defined delta, so there is no interval`,
    );
  }
  const { lower, upper } = e.ci;
  const significant = e.pValue === null || e.pValue < alpha;
  const detail = `${values}; ${describeCi(e)}`;
  if (lower > 0 && significant) {
    return out('improvement', `${name} improved ${signed(d)} (${detail})`);
  }
  if (upper < 0 && d < -t - EPS && significant) {
    return out(
      'regression',
      `${name} dropped ${fixed(-d)} (${detail}), beyond the allowed ${fixed(t)}`,
    );
  }
  if (lower >= -t - EPS) {
    return out('pass', `${name} ${signed(d)} (${detail}): a drop beyond ${fixed(t)} is ruled out`);
  }
  const needed =
    e.sdPerVideo === null
      ? null
      : requiredSampleSize({ delta: d, sdPerVideo: e.sdPerVideo, tolerance: t, alpha });
  // From the metric's units (both-parsed videos) to paired videos, and never fewer than are already in.
  const videos =
    needed === null || e.n === 0
      ? null
      : roughly(Math.max(needed * (input.pairedVideos / e.n), input.pairedVideos + 1));
  return out(
    'inconclusive',
    `${name} ${signed(d)} (${detail}) cannot rule out a drop beyond ${fixed(t)} nor show one`,
    videos,
  );
}

function explainInconclusive(inconclusive: MetricDecision[], input: DecideInput): string {
  const parts = inconclusive.map((m) =>
    m.ci
      ? `${NAMES[m.metric]} ${signed(m.delta ?? NaN)} (${Math.round(m.ci.level * 100)}% CI ${signed(m.ci.lower)} to ${signed(m.ci.upper)})`
      : `${NAMES[m.metric]} (no interval)`,
  );
  const tolerances = [...new Set(inconclusive.map((m) => fixed(m.tolerance)))].join(' / ');
  const sizes = inconclusive.map((m) => m.requiredVideos);
  let decide: string;
  if (inconclusive.some((m) => m.ci === null)) {
    decide = 'the paired videos are too few to compute an interval';
  } else if (sizes.some((s) => s === null)) {
    decide =
      'no number of videos would decide it, because the observed change sits at the tolerance';
  } else {
    const n = Math.max(...(sizes as number[]));
    decide =
      n > 1_000_000
        ? 'more than a million videos would decide it'
        : `about ${grouped(n)} videos would decide it`;
    if (input.datasetSize !== undefined && n > input.datasetSize) {
      decide += `, more than the ${grouped(input.datasetSize)} in the test set, so only a wider tolerance can`;
    }
  }
  return `Inconclusive: on ${grouped(input.pairedVideos)} paired videos, ${parts.join(' and ')} can neither rule out nor show a drop beyond the tolerance (${tolerances}); ${decide}.`;
}

const RANK: Record<SignificanceVerdict, number> = {
  regression: 3,
  inconclusive: 2,
  improvement: 1,
  pass: 0,
};

export function decideSignificance(input: DecideInput): SignificanceDecision {
  if (!(input.alpha > 0 && input.alpha < 1)) {
    throw new Error(
      `decideSignificance: alpha must be between 0 and 1 (e.g. 0.05), got ${input.alpha}`,
    );
  }
  for (const [k, v] of Object.entries(input.tolerance)) {
    if (!(v >= 0)) throw new Error(`decideSignificance: tolerance.${k} must be >= 0, got ${v}`);
  }
  for (const e of input.evidence) {
    if (e.ci && Math.abs(e.ci.level - (1 - input.alpha)) > 1e-9) {
      throw new Error(
        `decideSignificance: the ${e.metric} interval has level ${e.ci.level}; with alpha ${input.alpha} it must be ${1 - input.alpha} (bootstrap with level: 1 - alpha)`,
      );
    }
  }
  if (input.pairedVideos === 0) {
    // Every metric would read "not compared"; that must not add up to a pass.
    const explanation =
      'Inconclusive: no video was answered in both runs, so there is nothing to compare.';
    return { verdict: 'inconclusive', reasons: [explanation], perMetric: [], explanation };
  }
  const perMetric = input.evidence.map((e) => decideMetric(e, input));
  const verdict = perMetric.reduce<SignificanceVerdict>(
    (worst, m) => (RANK[m.verdict] > RANK[worst] ? m.verdict : worst),
    'pass',
  );
  const matching = perMetric.filter((m) => m.verdict === verdict).map((m) => m.reason);
  if (verdict === 'inconclusive') {
    const explanation = explainInconclusive(
      perMetric.filter((m) => m.verdict === 'inconclusive'),
      input,
    );
    return { verdict, reasons: [explanation, ...matching], perMetric, explanation };
  }
  return {
    verdict,
    reasons: verdict === 'pass' ? perMetric.map((m) => m.reason) : matching,
    perMetric,
  };
}
