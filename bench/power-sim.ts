/**
 * Power simulation: what the significance gate sees. Each trial draws n videos with human scores, the
 * baseline judge's answers (power-model.ts) and the candidate's answers given the baseline's (the pair model
 * of src/simulator/pair.ts, as the simulator draws a next checkpoint: the baseline's answer on `agreement`
 * of the videos, the rest changed so that accuracy and Pearson move by the true drops), runs the same
 * analysis and decision the gate runs, and tallies the verdicts. With no true change the share of
 * `regression` is the false-alarm rate; with a true drop it is the power.
 *
 * Every reply parses here (Cosmos Reason 2 answers a bare digit), so the parse-rate check never fires and the
 * rates are those of accuracy and Pearson.
 *
 * Several rules (a decision function with its tolerances) can be tallied on the same simulated pairs: one
 * analysis, so one bootstrap, per pair serves them all, and their differences are not Monte Carlo noise.
 */
import { analyzePairs } from '../src/stats/analyze.js';
import { DEFAULT_RESAMPLES } from '../src/stats/bootstrap.js';
import {
  decideSignificance,
  type SignificanceInput,
  type MetricName,
  type SignificanceVerdict,
  type Tolerance,
} from '../src/verdict/significance.js';
import type { PairedVideo } from '../src/stats/pairing.js';
import { pairAnswer, pairModel, type PairModel } from '../src/simulator/pair.js';
import { baseAnswers, calibrate, GT_WEIGHTS, judgeAnswer, type Judge } from './power-model.js';
import { createRng, type Rng } from '../src/stats/prng.js';
import type { SequentialDesign } from '../src/sequential/design.js';
import { decideLook } from '../src/sequential/decide-look.js';
import { lookStatistics } from '../src/sequential/evidence.js';

export interface PowerOptions {
  n: number;
  /** True population drops of the candidate (positive = worse). */
  trueAccuracyDrop: number;
  truePearsonDrop: number;
  trials: number;
  seed: number;
  alpha?: number;
  tolerance?: Tolerance;
  resamples?: number;
  /** Baseline's population accuracy and Pearson. */
  baseAccuracy?: number;
  basePearson?: number;
  /** Share of videos the candidate answers as the baseline (default 0.75). */
  agreement?: number;
  /** Rules tallied on the same pairs; default the gate's rule at `tolerance`. The first gives `rates`. */
  rules?: readonly PowerRule[];
  /** Sequential designs (stop-early) run on the same pairs, looking at growing prefixes of them. */
  sequential?: readonly SequentialRule[];
}

/** A stop-early design at its tolerances: each trial's pairs are its look order (drawn independently). */
export interface SequentialRule {
  name: string;
  tolerance: Tolerance;
  design: (n: number) => SequentialDesign;
}

export interface SequentialRates {
  name: string;
  rates: VerdictRates;
  /** Share of the n videos scored when the run stopped (1 when it went to the last look): mean and 90th percentile. */
  meanShare: number;
  p90Share: number;
}

/** A decision rule at its own tolerances, as the simulation applies it to each simulated pair. */
export interface PowerRule {
  name: string;
  tolerance: Tolerance;
  decide: (input: SignificanceInput) => {
    verdict: SignificanceVerdict;
    perMetric: readonly { metric: MetricName; verdict: SignificanceVerdict }[];
  };
}

export type VerdictRates = Record<SignificanceVerdict, number>;

export interface RuleRates {
  name: string;
  tolerance: Tolerance;
  rates: VerdictRates;
  flagged: number;
  metricRates: { accuracy: VerdictRates; pearson: VerdictRates };
}

export interface PowerResult {
  n: number;
  trials: number;
  seed: number;
  alpha: number;
  tolerance: Tolerance;
  resamples: number;
  /** Population values of the baseline judge and the pair model's candidate (what the deltas estimate). */
  truth: {
    baseline: { accuracy: number; pearson: number };
    candidate: { accuracy: number; pearson: number };
  };
  /** Share of trials per overall verdict. */
  rates: VerdictRates;
  /** Share of trials whose verdict was regression or inconclusive: the gate did not let it pass silently. */
  flagged: number;
  /** Per metric: share of trials with each verdict for that metric alone. */
  metricRates: { accuracy: VerdictRates; pearson: VerdictRates };
  /**
   * Per metric: mean distance from the delta to its one-sided lower bound at 1 - alpha (the pass test's). A
   * tolerance below it is one the sample size usually cannot confirm: an unchanged checkpoint then mostly
   * reads inconclusive.
   */
  meanLowerMargin: { accuracy: number; pearson: number };
  /** What the plain threshold would say: a point-estimate drop beyond the tolerance in either metric. */
  thresholdRegression: number;
  /** Mean share of videos answered alike by the two checkpoints. */
  meanAgreement: number;
  /** Mean over trials of the candidate-minus-baseline accuracy and Pearson on the drawn videos. */
  meanDelta: { accuracy: number; pearson: number };
  /** Every rule's tallies, in the order given (the first is also `rates`, `flagged`, `metricRates`). */
  byRule: RuleRates[];
  bySequential: SequentialRates[];
}

/** The verdict a sequential design reaches on these pairs (their order is the look order) and the share scored. */
export function runSequential(
  pairs: readonly PairedVideo[],
  design: SequentialDesign,
  tolerance: Tolerance,
  alpha: number,
): { verdict: SignificanceVerdict; share: number } {
  for (const look of design.looks) {
    const prefix = pairs.slice(0, look.videos);
    const d = decideLook({
      statistics: lookStatistics(prefix),
      design,
      look: look.index,
      alpha,
      tolerance,
      pairedVideos: prefix.length,
    });
    if (d.verdict !== 'inconclusive' || look.index === design.looks.length)
      return { verdict: d.verdict, share: look.fraction };
  }
  throw new Error('runSequential: a design without looks');
}

const DEFAULT_TOLERANCE: Tolerance = { accuracy: 0.02, pearson: 0.02, parseRate: 0.02 };
const zero = (): VerdictRates => ({ pass: 0, improvement: 0, regression: 0, inconclusive: 0 });

function drawTruth(rng: Rng): number {
  let u = rng.uniform();
  for (let k = 0; k < GT_WEIGHTS.length - 1; k++) {
    u -= GT_WEIGHTS[k] as number;
    if (u < 0) return k + 1;
  }
  return GT_WEIGHTS.length;
}

/**
 * n paired videos into `out`: a human score, the baseline judge's answer, and the candidate's answer given
 * it (pairAnswer, three uniforms of its own per video). Returns the share answered alike.
 */
export function drawPairs(
  rng: Rng,
  n: number,
  base: Judge,
  pair: PairModel,
  out: PairedVideo[],
): number {
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const gt = drawTruth(rng);
    const pb = judgeAnswer(base, gt, rng.uniform(), rng.normal());
    const pc = pairAnswer(pair, gt, pb, rng.uniform(), rng.uniform(), rng.uniform());
    if (pb === pc) agree++;
    out[i] = {
      video_url: String(i),
      gt,
      pred_c: pc,
      pred_b: pb,
      error_c: false,
      error_b: false,
      parsed_c: true,
      parsed_b: true,
      correct_c: pc === gt,
      correct_b: pb === gt,
    };
  }
  return agree / n;
}

/** The baseline judge and the pair model of a candidate with the given true drops. */
export function powerPair(o: {
  trueAccuracyDrop: number;
  truePearsonDrop: number;
  baseAccuracy?: number;
  basePearson?: number;
  agreement?: number;
}): { base: Judge; pair: PairModel } {
  const base = calibrate(o.baseAccuracy ?? 0.4, o.basePearson ?? 0.4);
  const pair = pairModel(baseAnswers(base), {
    agreement: o.agreement ?? 0.75,
    accuracyDelta: -o.trueAccuracyDrop,
    pearsonDelta: -o.truePearsonDrop,
  });
  return { base, pair };
}

export function simulatePower(o: PowerOptions): PowerResult {
  const alpha = o.alpha ?? 0.05;
  const tolerance = o.tolerance ?? DEFAULT_TOLERANCE;
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(o.n) || o.n < 10)
    throw new Error(`simulatePower: n must be an integer >= 10, got ${o.n}`);
  if (!Number.isInteger(o.trials) || o.trials < 1) {
    throw new Error(`simulatePower: trials must be a positive integer, got ${o.trials}`);
  }
  const { base, pair } = powerPair(o);

  const rules: readonly PowerRule[] = o.rules ?? [
    { name: 'gate', tolerance, decide: decideSignificance },
  ];
  if (rules.length === 0) throw new Error('simulatePower: rules must name at least one rule');
  const rng = createRng(o.seed);
  const pairs: PairedVideo[] = new Array<PairedVideo>(o.n);
  const tallies = rules.map(() => ({
    counts: zero(),
    metricCounts: { accuracy: zero(), pearson: zero() },
  }));
  const sequential = (o.sequential ?? []).map((rule) => ({
    rule,
    design: rule.design(o.n),
    counts: zero(),
    shares: [] as number[],
  }));
  const margin = { accuracy: 0, pearson: 0 };
  let threshold = 0;
  let agreement = 0;
  const deltaSum = { accuracy: 0, pearson: 0 };
  for (let t = 0; t < o.trials; t++) {
    agreement += drawPairs(rng, o.n, base, pair, pairs);
    const analysis = analyzePairs(pairs, { alpha, resamples });
    rules.forEach((rule, i) => {
      const decision = rule.decide({
        evidence: analysis.evidence,
        tolerance: rule.tolerance,
        alpha,
        pairedVideos: analysis.answered,
      });
      const tally = tallies[i] as (typeof tallies)[number];
      tally.counts[decision.verdict]++;
      for (const m of decision.perMetric) {
        if (m.metric === 'accuracy' || m.metric === 'pearson')
          tally.metricCounts[m.metric][m.verdict]++;
      }
    });
    for (const s of sequential) {
      const { verdict, share } = runSequential(pairs, s.design, s.rule.tolerance, alpha);
      s.counts[verdict]++;
      s.shares.push(share);
    }
    for (const e of analysis.evidence) {
      if ((e.metric === 'accuracy' || e.metric === 'pearson') && e.delta !== null) {
        deltaSum[e.metric] += e.delta;
        if (e.bounds) margin[e.metric] += e.delta - e.bounds.lower;
      }
    }
    const delta = (metric: string): number | null =>
      analysis.evidence.find((e) => e.metric === metric)?.delta ?? null;
    const beyond = (d: number | null, tol: number): boolean => d === null || d < -tol - 1e-9;
    if (
      beyond(delta('accuracy'), tolerance.accuracy) ||
      beyond(delta('pearson'), tolerance.pearson)
    ) {
      threshold++;
    }
  }
  const share = (k: number): number => k / o.trials;
  const shares = (c: VerdictRates): VerdictRates => ({
    pass: share(c.pass),
    improvement: share(c.improvement),
    regression: share(c.regression),
    inconclusive: share(c.inconclusive),
  });
  const byRule: RuleRates[] = rules.map((rule, i) => {
    const tally = tallies[i] as (typeof tallies)[number];
    return {
      name: rule.name,
      tolerance: rule.tolerance,
      rates: shares(tally.counts),
      flagged: share(tally.counts.regression + tally.counts.inconclusive),
      metricRates: {
        accuracy: shares(tally.metricCounts.accuracy),
        pearson: shares(tally.metricCounts.pearson),
      },
    };
  });
  const first = byRule[0] as RuleRates;
  return {
    n: o.n,
    trials: o.trials,
    seed: o.seed,
    alpha,
    tolerance,
    resamples,
    truth: {
      baseline: { accuracy: pair.base.accuracy, pearson: pair.base.pearson },
      candidate: { accuracy: pair.candidate.accuracy, pearson: pair.candidate.pearson },
    },
    rates: first.rates,
    flagged: first.flagged,
    metricRates: first.metricRates,
    meanLowerMargin: { accuracy: share(margin.accuracy), pearson: share(margin.pearson) },
    thresholdRegression: share(threshold),
    meanAgreement: agreement / o.trials,
    meanDelta: { accuracy: share(deltaSum.accuracy), pearson: share(deltaSum.pearson) },
    byRule,
    bySequential: sequential.map((s) => {
      const sorted = [...s.shares].sort((a, b) => a - b);
      return {
        name: s.rule.name,
        rates: shares(s.counts),
        meanShare: sorted.reduce((a, b) => a + b, 0) / sorted.length,
        p90Share: sorted[Math.ceil(0.9 * sorted.length) - 1] as number,
      };
    }),
  };
}

/** Monte Carlo standard error of a rate estimated from `trials` independent trials. */
export function monteCarloSe(rate: number, trials: number): number {
  return Math.sqrt((rate * (1 - rate)) / trials);
}
