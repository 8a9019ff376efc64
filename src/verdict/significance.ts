/**
 * The significance decision: from each metric's paired delta, its one-sided bootstrap bounds and (for
 * accuracy and parse rate) the one-sided exact McNemar p-values, to pass / improvement / regression /
 * inconclusive. Every decision is a one-sided question, so each is answered with a one-sided test at the
 * level it claims (a two-sided 1 - alpha interval's ends are one-sided bounds at 1 - alpha/2: a rule that
 * reads them runs each test at alpha/2, too strict, and leaves most unchanged checkpoints inconclusive).
 *
 * For each metric, with d the delta (candidate - baseline), t >= 0 the tolerated drop, k the number of
 * metrics in the family (below), L and U the one-sided lower and upper bootstrap bounds (L at level
 * 1 - alpha is the alpha quantile of the resampled deltas; L' and U' are the bounds at 1 - alpha/k), and
 * pWorse / pBetter the one-sided McNemar p-values (accuracy, parse rate; Pearson has only the bootstrap),
 * in this order:
 *
 *   improvement   L' > 0 and pBetter < alpha/k        better than the baseline, shown at alpha/k
 *   regression    U' < -t and pWorse < alpha/k        a drop beyond the tolerance, shown at alpha/k
 *   pass          L >= -t                             a drop beyond the tolerance is ruled out at alpha
 *                                                     (non-inferiority; includes a real drop within it)
 *   inconclusive  otherwise                           neither ruled out nor shown
 *
 * Why regression asks for the bound beyond -t, not "significantly below 0 with the estimate beyond -t" (the
 * rule before): the question is "is it worse by more than the tolerance?", whose null is "the drop is at
 * most t". The old rule calls a checkpoint whose true drop is exactly t (within tolerance) a regression
 * about half the time, and its false-alarm rate at no change is set by t and the sample size, not by alpha;
 * this one calls it a regression at most alpha of the time however large the test set is, and less the
 * smaller the true drop. bench/power.ts prints both rules on the same simulated pairs (README "What the
 * gate can see"): at a true accuracy drop of exactly t = 0.02 on the full set, 50.4% regression under the
 * old rule, 3.2% under this one. The price is power: a drop of 2t is caught in 95% of runs only when t is
 * about 3.6 standard errors of the delta, which is what the default tolerances (0.03 / 0.06) are chosen for.
 *
 * The family. The overall verdict is regression if ANY metric regresses (and improvement if any improves),
 * a union of k one-sided tests: when every metric sits exactly at its tolerance their false alarms add up,
 * to nearly k * alpha (measured: 8.5% at alpha 0.05 with accuracy and Pearson both at their tolerance). So
 * regression and improvement are Bonferroni-corrected, each metric at alpha/k, which keeps the overall
 * false-alarm rate at or below alpha (measured: 4.6%; for "any of k", Holm's first step is the same test).
 * k counts the metrics that can move: a metric on which no video differs between the runs (the parse rate
 * when both parse every reply, as Cosmos Reason 2 does) has a resampled delta of exactly 0, can neither
 * regress nor improve, and costs no share of alpha (Tarone's refinement of Bonferroni). Pass needs EVERY
 * metric to pass, an intersection of tests, whose level is that of each one: no correction, each at alpha.
 * McNemar and the bootstrap must agree for improvement and regression (at the edge they may not, and then
 * neither is claimed); McNemar asks "worse at all?", a question implied by "worse beyond t".
 *
 * Undefined values: no baseline value -> pass (nothing to compare); a value the baseline has but the
 * candidate lost (Pearson of constant predictions) -> regression; no interval -> inconclusive.
 *
 * Overall: regression if any metric regressed, else inconclusive if any is, else improvement if any
 * improved, else pass; with no paired video answered by both runs, inconclusive. An inconclusive verdict
 * carries one line: the smallest drop the data rule out at alpha (-L), the tolerance that is not ruled
 * out, and the paired videos that would decide it (normal approximation, assuming the observed delta and
 * per-video spread stay as they are).
 */
import {
  familySize,
  type MetricEvidence,
  type MetricName,
  type OneSidedBounds,
} from '../stats/evidence.js';
import { normalQuantile } from '../stats/normal.js';

export { familySize, type MetricEvidence, type MetricName, type OneSidedBounds };

export type SignificanceVerdict = 'pass' | 'improvement' | 'regression' | 'inconclusive';

export interface Tolerance {
  accuracy: number;
  pearson: number;
  parseRate: number;
}

export interface SignificanceInput {
  evidence: readonly MetricEvidence[];
  tolerance: Tolerance;
  alpha: number;
  /** Paired videos both runs answered: sample sizes are reported in videos, scaled from each metric's n. */
  pairedVideos: number;
  /** Size of the whole test set (3,397 for VideoPhy-2), to say when no run could decide it. */
  datasetSize?: number;
  /**
   * The bounds are a sequential look's (src/sequential/decide-look.ts): their levels are set by the
   * alpha-spending boundaries, not 1 - alpha and 1 - alpha/k, so they are not checked against alpha.
   */
  sequentialBounds?: boolean;
}

/** The one-sided bound a decision rests on, for the report: "lower ≥ -t", "upper < -t", "lower > 0". */
export interface DecisiveBound {
  side: 'lower' | 'upper';
  value: number;
  level: number;
  /** What it was compared with: -t (pass, regression, inconclusive) or 0 (improvement). */
  against: number;
}

export interface MetricDecision extends MetricEvidence {
  verdict: SignificanceVerdict;
  tolerance: number;
  /** The bound the verdict rests on (for inconclusive: the pass bound that did not clear -t); null without one. */
  bound: DecisiveBound | null;
  /** For inconclusive: paired videos that would decide it; null when none would (or not inconclusive). */
  requiredVideos: number | null;
  /** One line for the report. */
  reason: string;
}

export interface SignificanceDecision {
  verdict: SignificanceVerdict;
  /** The lines behind the verdict (for inconclusive, the one-line explanation first). */
  reasons: string[];
  perMetric: MetricDecision[];
  /** Metrics regression and improvement share alpha among (alpha/k each). */
  familySize: number;
  /** For inconclusive: one line, with "about N videos would decide it". */
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
/**
 * 0.95 -> "95%", 0.975 -> "97.5%", 0.98333 -> "98.3%"; a sequential look's levels near 1 keep the digits
 * that tell them from certainty: 0.99990 -> "99.99%", not "100%".
 */
export function levelText(level: number): string {
  for (let digits = 1; digits < 6; digits++) {
    const shown = Number((level * 100).toFixed(digits));
    if (shown < 100 || level >= 1) return `${shown.toString()}%`;
  }
  return `${(level * 100).toFixed(6)}%`;
}
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
 * Sample size (in the metric's own units) at which the one-sided test would decide, if the observed delta
 * and per-video spread held: for a delta within tolerance, when L = d - z(1-alpha)*sd/sqrt(n) reaches -t
 * (pass); for a delta beyond it, when U' = d + z(1-alpha/k)*sd/sqrt(n) falls below -t (regression). Null
 * when no size would: the delta sits at the tolerance itself, or the spread is zero or unknown.
 */
export function requiredSampleSize(i: {
  delta: number;
  sdPerVideo: number;
  tolerance: number;
  alpha: number;
  /** Metrics sharing alpha for regression (default 1). */
  familySize?: number;
}): number | null {
  if (!(i.sdPerVideo > 0) || !Number.isFinite(i.sdPerVideo) || !Number.isFinite(i.delta)) {
    return null;
  }
  const beyond = i.delta < -i.tolerance - EPS;
  const z = normalQuantile(1 - (beyond ? i.alpha / (i.familySize ?? 1) : i.alpha));
  const gap = Math.abs(i.delta + i.tolerance);
  if (!(gap > EPS)) return null;
  return Math.ceil(((z * i.sdPerVideo) / gap) ** 2);
}

function toleranceOf(metric: MetricName, t: Tolerance): number {
  return metric === 'accuracy' ? t.accuracy : metric === 'pearson' ? t.pearson : t.parseRate;
}

/** A bound that rounds to the value it is compared with is shown to four decimals: "-0.0301 < -0.030". */
function boundText(b: DecisiveBound, op: string): string {
  const value =
    signed(b.value) === signed(b.against)
      ? `${b.value >= 0 ? '+' : '-'}${Math.abs(b.value).toFixed(4)}`
      : signed(b.value);
  return `one-sided ${levelText(b.level)} ${b.side} bound ${value} ${op} ${signed(b.against)}`;
}

function decideMetric(e: MetricEvidence, input: SignificanceInput, k: number): MetricDecision {
  const { alpha } = input;
  const familyAlpha = alpha / k;
  const t = toleranceOf(e.metric, input.tolerance);
  const name = NAMES[e.metric];
  const out = (
    verdict: SignificanceVerdict,
    reason: string,
    bound: DecisiveBound | null = null,
    requiredVideos: number | null = null,
  ): MetricDecision => ({ ...e, verdict, tolerance: t, bound, requiredVideos, reason });
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
  const values = `${fixed(e.baseline)} → ${fixed(e.candidate)}, ${grouped(e.n)} videos`;
  const b = e.bounds;
  if (b === null) {
    return out(
      'inconclusive',
      `${name} ${signed(d)} (${values}): no bootstrap resample gave a defined delta, so there is no bound`,
    );
  }
  const split = k > 1 ? `, alpha ${alpha} shared by ${k} metrics` : '';
  const mcnemar = (p: number | null): string =>
    p === null ? '' : `, McNemar one-sided ${pText(p)}`;
  const improved: DecisiveBound = {
    side: 'lower',
    value: b.familyLower,
    level: b.familyLevel,
    against: 0,
  };
  if (b.familyLower > 0 && (e.pBetter === null || e.pBetter < familyAlpha)) {
    return out(
      'improvement',
      `${name} improved ${signed(d)} (${values}): ${boundText(improved, '>')}${mcnemar(e.pBetter)}${split}`,
      improved,
    );
  }
  const regressed: DecisiveBound = {
    side: 'upper',
    value: b.familyUpper,
    level: b.familyLevel,
    against: -t,
  };
  if (b.familyUpper < -t - EPS && (e.pWorse === null || e.pWorse < familyAlpha)) {
    return out(
      'regression',
      `${name} dropped ${fixed(-d)} (${values}): a drop beyond the allowed ${fixed(t)} is shown, ${boundText(regressed, '<')}${mcnemar(e.pWorse)}${split}`,
      regressed,
    );
  }
  const pass: DecisiveBound = { side: 'lower', value: b.lower, level: b.level, against: -t };
  if (b.lower >= -t - EPS) {
    return out(
      'pass',
      `${name} ${signed(d)} (${values}): a drop beyond ${fixed(t)} is ruled out, ${boundText(pass, '≥')}`,
      pass,
    );
  }
  const needed =
    e.sdPerVideo === null
      ? null
      : requiredSampleSize({
          delta: d,
          sdPerVideo: e.sdPerVideo,
          tolerance: t,
          alpha,
          familySize: k,
        });
  // From the metric's units (both-parsed videos) to paired videos, and never fewer than are already in.
  const videos =
    needed === null || e.n === 0
      ? null
      : roughly(Math.max(needed * (input.pairedVideos / e.n), input.pairedVideos + 1));
  return out(
    'inconclusive',
    `${name} ${signed(d)} (${values}): a drop beyond ${fixed(t)} is neither ruled out (${boundText(pass, '<')}) nor shown (${boundText(regressed, '≥')})`,
    pass,
    videos,
  );
}

/** "a drop of more than 0.031 is ruled out; 0.020 is not" (L is below -t here, so -L > t). */
const ruledOut = (lower: number, t: number): string =>
  `a drop of more than ${fixed(-lower)} is ruled out; ${fixed(t)} is not`;

function explainInconclusive(inconclusive: MetricDecision[], input: SignificanceInput): string {
  const parts = inconclusive.map((m) =>
    m.bounds
      ? `for ${NAMES[m.metric]} (${signed(m.delta ?? NaN)}) ${ruledOut(m.bounds.lower, m.tolerance)}`
      : `${NAMES[m.metric]} has no bootstrap bound`,
  );
  const sizes = inconclusive.map((m) => m.requiredVideos);
  let decide: string;
  if (inconclusive.some((m) => m.bounds === null)) {
    decide = 'the paired videos are too few to compute one';
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
  return `Inconclusive on ${grouped(input.pairedVideos)} paired videos: ${parts.join(', and ')}: ${decide}.`;
}

const RANK: Record<SignificanceVerdict, number> = {
  regression: 3,
  inconclusive: 2,
  improvement: 1,
  pass: 0,
};

export function decideSignificance(input: SignificanceInput): SignificanceDecision {
  if (!(input.alpha > 0 && input.alpha < 1)) {
    throw new Error(
      `decideSignificance: alpha must be between 0 and 1 (e.g. 0.05), got ${input.alpha}`,
    );
  }
  for (const [k, v] of Object.entries(input.tolerance)) {
    if (!(v >= 0)) throw new Error(`decideSignificance: tolerance.${k} must be >= 0, got ${v}`);
  }
  const k = familySize(input.evidence);
  for (const e of input.evidence) {
    if (e.ci && Math.abs(e.ci.level - (1 - input.alpha)) > 1e-9) {
      throw new Error(
        `decideSignificance: the ${e.metric} interval has level ${e.ci.level}; with alpha ${input.alpha} it must be ${1 - input.alpha} (bootstrap with level: 1 - alpha)`,
      );
    }
    if (
      e.bounds &&
      !input.sequentialBounds &&
      (Math.abs(e.bounds.level - (1 - input.alpha)) > 1e-9 ||
        Math.abs(e.bounds.familyLevel - (1 - input.alpha / k)) > 1e-9)
    ) {
      throw new Error(
        `decideSignificance: the ${e.metric} bounds have levels ${e.bounds.level} / ${e.bounds.familyLevel}; with alpha ${input.alpha} and ${k} metrics that can move they must be ${1 - input.alpha} / ${1 - input.alpha / k}`,
      );
    }
  }
  if (input.pairedVideos === 0) {
    // Every metric would read "not compared"; that must not add up to a pass.
    const explanation =
      'Inconclusive: no video was answered in both runs, so there is nothing to compare.';
    return {
      verdict: 'inconclusive',
      reasons: [explanation],
      perMetric: [],
      familySize: k,
      explanation,
    };
  }
  const perMetric = input.evidence.map((e) => decideMetric(e, input, k));
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
    return { verdict, reasons: [explanation, ...matching], perMetric, familySize: k, explanation };
  }
  return {
    verdict,
    reasons: verdict === 'pass' ? perMetric.map((m) => m.reason) : matching,
    perMetric,
    familySize: k,
  };
}
