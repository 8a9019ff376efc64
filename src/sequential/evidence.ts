/**
 * What one interim look knows about each metric: the paired delta and its standard error, in closed form.
 * The boundaries (boundaries.ts) are for a z statistic whose increments are independent, which a delta
 * over a growing prefix of the look order is; a bootstrap at every look would give nearly the same spread
 * at 2,000 times the cost, which the power benchmark (1,000 trials x 20 looks per row) cannot pay.
 *
 * - Accuracy (videos both runs parsed) and parse rate (videos both answered): the difference of paired
 *   proportions with the Agresti-Min adjustment (Statistics in Medicine 24, 2005: half a video added to each
 *   cell of the 2x2 table). With few discordant videos the plain Wald error is near zero and a look of 50
 *   videos that happen to agree would "rule out" any drop; the adjusted one is never below about 1/n.
 * - Pearson (videos both parsed): r(candidate, human) - r(baseline, human), two correlations sharing the
 *   human scores, with the standard error from their influence functions, psi = u v - r (u^2 + v^2) / 2 on
 *   standardized values (the delta method; Hampel et al., Robust Statistics, 1986), differenced per video.
 *
 * Same pairs, same notes and the same `varies` as the fixed-size analysis (src/stats/analyze.ts), so the
 * decision rule reads them the same way.
 */
import { pearson } from '../stats/correlation.js';
import { pearsonNote } from '../stats/analyze.js';
import type { PairedVideo } from '../stats/pairing.js';
import type { MetricName } from '../stats/evidence.js';

export interface LookStatistic {
  metric: MetricName;
  /** Videos the delta is computed on. */
  n: number;
  baseline: number | null;
  candidate: number | null;
  /** Candidate minus baseline, as reported (unadjusted). */
  delta: number | null;
  /** The centre the bounds are built on: the Agresti-Min adjusted delta for proportions, the delta for Pearson. */
  centre: number | null;
  /** Standard error of `centre`; null when undefined (too few videos, a constant side). */
  se: number | null;
  /** Whether any video differs between the runs in what this metric counts. */
  varies: boolean;
  note?: string;
}

function proportions(
  metric: MetricName,
  pairs: readonly PairedVideo[],
  outcome: (p: PairedVideo) => [boolean, boolean],
): LookStatistic {
  const n = pairs.length;
  let c = 0;
  let b = 0;
  let wins = 0;
  let losses = 0;
  for (const p of pairs) {
    const [oc, ob] = outcome(p);
    if (oc) c++;
    if (ob) b++;
    if (oc && !ob) wins++;
    else if (ob && !oc) losses++;
  }
  if (n === 0) {
    return {
      metric,
      n,
      baseline: null,
      candidate: null,
      delta: null,
      centre: null,
      se: null,
      varies: false,
      note: 'no paired video',
    };
  }
  // Agresti-Min: n + 2 videos, half a video more in each discordant cell.
  const m = n + 2;
  const w = wins + 0.5;
  const l = losses + 0.5;
  const centre = (w - l) / m;
  const se = Math.sqrt(Math.max(0, w + l - (w - l) ** 2 / m)) / m;
  return {
    metric,
    n,
    baseline: b / n,
    candidate: c / n,
    delta: c / n - b / n,
    centre,
    se,
    varies: wins + losses > 0,
  };
}

const meanOf = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** Influence of each video on r(x, y) (population moments, as np.std), as a Float64Array. */
function influence(x: readonly number[], y: readonly number[], r: number): Float64Array {
  const n = x.length;
  const mx = meanOf(x);
  const my = meanOf(y);
  const sx = Math.sqrt(meanOf(x.map((v) => (v - mx) ** 2)));
  const sy = Math.sqrt(meanOf(y.map((v) => (v - my) ** 2)));
  const psi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = ((x[i] as number) - mx) / sx;
    const v = ((y[i] as number) - my) / sy;
    psi[i] = u * v - (r / 2) * (u * u + v * v);
  }
  return psi;
}

function pearsonDelta(both: readonly PairedVideo[]): LookStatistic {
  const gt = both.map((p) => p.gt);
  const predC = both.map((p) => p.pred_c as number);
  const predB = both.map((p) => p.pred_b as number);
  const rc = pearson(predC, gt);
  const rb = pearson(predB, gt);
  const varies = both.some((p) => p.pred_c !== p.pred_b);
  const base = { metric: 'pearson' as const, n: both.length, baseline: rb, candidate: rc, varies };
  if (rb === null || rc === null) {
    const noteB = rb === null ? pearsonNote(both, 'pred_b') : undefined;
    const noteC = pearsonNote(both, 'pred_c');
    return {
      ...base,
      delta: null,
      centre: null,
      se: null,
      ...(noteB ? { note: `baseline: ${noteB}` } : noteC ? { note: noteC } : {}),
    };
  }
  const psiC = influence(predC, gt, rc);
  const psiB = influence(predB, gt, rb);
  let ss = 0;
  for (let i = 0; i < both.length; i++) ss += ((psiC[i] as number) - (psiB[i] as number)) ** 2;
  const n = both.length;
  return { ...base, delta: rc - rb, centre: rc - rb, se: Math.sqrt(ss / n / n) };
}

/** The three metrics on the paired videos of one look, in the fixed-size analysis's order. */
export function lookStatistics(pairs: readonly PairedVideo[]): LookStatistic[] {
  const answered = pairs.filter((p) => !p.error_c && !p.error_b);
  const both = answered.filter((p) => p.parsed_c && p.parsed_b);
  const accuracy = proportions('accuracy', both, (p) => [p.correct_c, p.correct_b]);
  return [
    both.length === 0 ? { ...accuracy, note: 'no video parsed by both runs' } : accuracy,
    pearsonDelta(both),
    proportions('parse_rate', answered, (p) => [p.parsed_c, p.parsed_b]),
  ];
}
