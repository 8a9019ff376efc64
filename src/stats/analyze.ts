/**
 * From paired videos to the evidence the decision reads: point values of both runs on the same videos, exact
 * McNemar tests, bootstrap intervals, and the per-video spread for sample-size estimates; plus Spearman and
 * mean absolute error, reported but not decided on. See bootstrap.ts for why accuracy and Pearson are taken
 * on the videos both runs parsed and the parse rate on the videos both answered.
 */
import {
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  oneSidedBound,
  pairedBootstrap,
  pairedValues,
  toColumns,
  type BootstrapInterval,
  type BootstrapResult,
  type PairedValues,
} from './bootstrap.js';
import { familySize, type MetricEvidence, type OneSidedBounds } from './evidence.js';
import { mcnemarExact, type McNemarResult } from './mcnemar.js';
import type { PairedVideo } from './pairing.js';
import { meanAbsoluteError, spearman } from './rank.js';

export interface AnalyzeOptions {
  /** Significance level; the reported intervals are two-sided at 1 - alpha, the decisive bounds one-sided. Default 0.05. */
  alpha?: number;
  resamples?: number;
  seed?: number;
}

/** McNemar on one binary outcome: `wins` = candidate only, `losses` = baseline only. */
export interface PairedTest extends McNemarResult {
  wins: number;
  losses: number;
}

export interface Reported {
  candidate: number | null;
  baseline: number | null;
  delta: number | null;
}

export interface PairedAnalysis {
  /** Paired videos, then those both answered (no failed request) and those both parsed. */
  paired: number;
  answered: number;
  bothParsed: number;
  /** Paired videos left out because a request failed in either run. */
  excludedErrors: number;
  values: PairedValues;
  /** McNemar on correct (both-parsed videos) and on parsed (both-answered videos). */
  mcnemar: { accuracy: PairedTest; parseRate: PairedTest };
  bootstrap: BootstrapResult;
  /** On the both-parsed videos; reported only. */
  spearman: Reported;
  meanAbsoluteError: Reported;
  evidence: MetricEvidence[];
}

function pairedTest(
  pairs: readonly PairedVideo[],
  outcome: (p: PairedVideo) => [boolean, boolean],
): PairedTest {
  let wins = 0;
  let losses = 0;
  for (const p of pairs) {
    const [c, b] = outcome(p);
    if (c && !b) wins++;
    else if (b && !c) losses++;
  }
  return { ...mcnemarExact(losses, wins), wins, losses };
}

/** sd of one video's difference in a binary outcome: values -1, 0, +1 with the observed frequencies. */
function binarySd(t: PairedTest, n: number): number | null {
  if (n === 0) return null;
  const mean = (t.wins - t.losses) / n;
  return Math.sqrt(Math.max(0, (t.wins + t.losses) / n - mean * mean));
}

const ciOf = (i: BootstrapInterval, level: number): MetricEvidence['ci'] =>
  i.lower === null || i.upper === null ? null : { lower: i.lower, upper: i.upper, level };

/**
 * The one-sided bounds src/verdict/significance.ts reads, at 1 - alpha and at 1 - alpha/k, from the same
 * resamples.
 */
function boundsOf(i: BootstrapInterval, alpha: number, k: number): OneSidedBounds | null {
  const lower = oneSidedBound(i, 'lower', 1 - alpha);
  const upper = oneSidedBound(i, 'upper', 1 - alpha);
  const familyLower = oneSidedBound(i, 'lower', 1 - alpha / k);
  const familyUpper = oneSidedBound(i, 'upper', 1 - alpha / k);
  if (lower === null || upper === null || familyLower === null || familyUpper === null) return null;
  return { lower, upper, level: 1 - alpha, familyLower, familyUpper, familyLevel: 1 - alpha / k };
}

const delta = (c: number | null, b: number | null): number | null =>
  c === null || b === null ? null : c - b;

export function pearsonNote(
  both: readonly PairedVideo[],
  side: 'pred_c' | 'pred_b',
): string | undefined {
  if (both.length < 2) return 'fewer than 2 videos parsed by both runs';
  const first = both[0]?.[side];
  if (both.every((p) => p[side] === first)) return `constant predictions (every reply is ${first})`;
  if (both.every((p) => p.gt === both[0]?.gt)) return 'constant human scores on the paired videos';
  return undefined;
}

export function analyzePairs(
  pairs: readonly PairedVideo[],
  opts: AnalyzeOptions = {},
): PairedAnalysis {
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) {
    throw new Error(`analyzePairs: alpha must be between 0 and 1 (e.g. 0.05), got ${alpha}`);
  }
  const level = 1 - alpha;
  const answeredPairs = pairs.filter((p) => !p.error_c && !p.error_b);
  const both = answeredPairs.filter((p) => p.parsed_c && p.parsed_b);
  const cols = toColumns(pairs);
  const values = pairedValues(cols);
  const bootstrap = pairedBootstrap(cols, {
    resamples: opts.resamples ?? DEFAULT_RESAMPLES,
    seed: opts.seed ?? DEFAULT_SEED,
    level,
  });
  const accuracyTest = pairedTest(both, (p) => [p.correct_c, p.correct_b]);
  const parseTest = pairedTest(answeredPairs, (p) => [p.parsed_c, p.parsed_b]);

  const gt = both.map((p) => p.gt);
  const predC = both.map((p) => p.pred_c as number);
  const predB = both.map((p) => p.pred_b as number);
  const sp = { candidate: spearman(gt, predC), baseline: spearman(gt, predB) };
  const mae = { candidate: meanAbsoluteError(gt, predC), baseline: meanAbsoluteError(gt, predB) };

  const k = values.bothParsed;
  const pearsonSe = bootstrap.pearson.se;
  const noteC = pearsonNote(both, 'pred_c');
  const noteB = pearsonNote(both, 'pred_b');
  const predsDiffer = both.some((p) => p.pred_c !== p.pred_b);
  const base: Omit<MetricEvidence, 'bounds'>[] = [
    {
      metric: 'accuracy',
      n: k,
      baseline: values.accuracy.baseline,
      candidate: values.accuracy.candidate,
      delta: delta(values.accuracy.candidate, values.accuracy.baseline),
      ci: ciOf(bootstrap.accuracy, level),
      pValue: accuracyTest.pValue,
      pWorse: accuracyTest.pWorse,
      pBetter: accuracyTest.pBetter,
      varies: accuracyTest.wins + accuracyTest.losses > 0,
      sdPerVideo: binarySd(accuracyTest, k),
      ...(k === 0 ? { note: 'no video parsed by both runs' } : {}),
    },
    {
      metric: 'pearson',
      n: k,
      baseline: values.pearson.baseline,
      candidate: values.pearson.candidate,
      delta: delta(values.pearson.candidate, values.pearson.baseline),
      ci: ciOf(bootstrap.pearson, level),
      pValue: null,
      pWorse: null,
      pBetter: null,
      varies: predsDiffer,
      sdPerVideo: pearsonSe === null ? null : pearsonSe * Math.sqrt(k),
      ...(values.pearson.baseline === null && noteB
        ? { note: `baseline: ${noteB}` }
        : values.pearson.candidate === null && noteC
          ? { note: noteC }
          : {}),
    },
    {
      metric: 'parse_rate',
      n: values.answered,
      baseline: values.parseRate.baseline,
      candidate: values.parseRate.candidate,
      delta: delta(values.parseRate.candidate, values.parseRate.baseline),
      ci: ciOf(bootstrap.parseRate, level),
      pValue: parseTest.pValue,
      pWorse: parseTest.pWorse,
      pBetter: parseTest.pBetter,
      varies: parseTest.wins + parseTest.losses > 0,
      sdPerVideo: binarySd(parseTest, values.answered),
    },
  ];
  // The family is known only once every metric's `varies` is: then each gets its bounds at alpha/k.
  const family = familySize(base);
  const intervals = [bootstrap.accuracy, bootstrap.pearson, bootstrap.parseRate];
  const evidence: MetricEvidence[] = base.map((e, i) => ({
    ...e,
    bounds: boundsOf(intervals[i] as BootstrapInterval, alpha, family),
  }));
  return {
    paired: pairs.length,
    answered: values.answered,
    bothParsed: k,
    excludedErrors: pairs.length - values.answered,
    values,
    mcnemar: { accuracy: accuracyTest, parseRate: parseTest },
    bootstrap,
    spearman: { ...sp, delta: delta(sp.candidate, sp.baseline) },
    meanAbsoluteError: { ...mae, delta: delta(mae.candidate, mae.baseline) },
    evidence,
  };
}
