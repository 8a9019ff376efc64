/**
 * Deterministic paired bootstrap of the three deltas (candidate minus baseline) the gate decides on.
 *
 * The population resampled is the videos both runs answered (a failed request is infrastructure and says
 * nothing about either model). Each resample draws that many videos with replacement, the same draw for
 * both runs, and recomputes on it:
 *
 * - parse rate: share of answered videos with a score 1-5, candidate minus baseline.
 * - accuracy: on the videos BOTH runs parsed, mean(pred_c == gt) - mean(pred_b == gt).
 * - Pearson: on the same both-parsed videos, r(gt, pred_c) - r(gt, pred_b).
 *
 * Why accuracy and Pearson use the both-parsed videos (the honest definition): the recipe's accuracy leaves
 * unparsed replies out, so each run's own accuracy has its own denominator, and a checkpoint that stops
 * answering on hard videos looks better on the easy rest. Restricting both runs to the same videos removes
 * that selection from the comparison: whichever videos one run skipped, the other is judged without them
 * too. Counting unparsed as wrong instead would mix two failures (wrong answers, no answers) into one number
 * that matches no accuracy the recipe reports, and would charge a parse drop twice once the parse rate is
 * checked too. So the abstention is measured where it belongs, by the parse-rate delta with its own test
 * and tolerance. (When both runs parse every reply, as Cosmos Reason 2 usually does, all definitions agree.)
 *
 * Interval: percentile, the (1-level)/2 and (1+level)/2 quantiles of the resampled deltas with numpy's
 * default linear interpolation. The sorted resampled deltas are kept too, so that the one-sided bounds the
 * decision uses (the alpha and 1 - alpha quantiles, and those at alpha / k for a family of k metrics) come
 * from the same resamples as the interval: one bootstrap serves every level. Resamples where a delta is undefined (Pearson with constant predictions on
 * the resample, accuracy with no both-parsed video) are skipped for that delta and counted.
 *
 * Speed: 3,397 videos x 2,000 resamples is ~7 million draws; each is one typed-array increment (videos are
 * grouped into kinds, see groupKinds), and nothing is allocated per resample.
 */
import { pearsonFromSums } from './correlation.js';
import type { PairedVideo } from './pairing.js';
import { createRng } from './prng.js';

export const DEFAULT_RESAMPLES = 2000;
/** Fixed so that a rerun of the same predictions gives the same interval to the last digit. */
export const DEFAULT_SEED = 20250417;

/** The paired videos both runs answered, as columns. Values of videos not parsed by both are 0 in gt/pred/correct. */
export interface PairColumns {
  n: number;
  parsedC: Uint8Array;
  parsedB: Uint8Array;
  both: Uint8Array;
  correctC: Uint8Array;
  correctB: Uint8Array;
  gt: Float64Array;
  predC: Float64Array;
  predB: Float64Array;
}

export function toColumns(pairs: readonly PairedVideo[]): PairColumns {
  const answered = pairs.filter((p) => !p.error_c && !p.error_b);
  const n = answered.length;
  const cols: PairColumns = {
    n,
    parsedC: new Uint8Array(n),
    parsedB: new Uint8Array(n),
    both: new Uint8Array(n),
    correctC: new Uint8Array(n),
    correctB: new Uint8Array(n),
    gt: new Float64Array(n),
    predC: new Float64Array(n),
    predB: new Float64Array(n),
  };
  answered.forEach((p, i) => {
    cols.parsedC[i] = p.parsed_c ? 1 : 0;
    cols.parsedB[i] = p.parsed_b ? 1 : 0;
    if (p.pred_c !== null && p.pred_b !== null) {
      cols.both[i] = 1;
      cols.correctC[i] = p.correct_c ? 1 : 0;
      cols.correctB[i] = p.correct_b ? 1 : 0;
      cols.gt[i] = p.gt;
      cols.predC[i] = p.pred_c;
      cols.predB[i] = p.pred_b;
    }
  });
  return cols;
}

/**
 * The sums every statistic here is computed from, over a sample or a resample, as one Float64Array indexed
 * by these positions (reused across resamples: nothing is allocated in the loop).
 */
const F = {
  parsedC: 0,
  parsedB: 1,
  both: 2,
  correctC: 3,
  correctB: 4,
  g: 5,
  gg: 6,
  c: 7,
  cc: 8,
  b: 9,
  bb: 10,
  gc: 11,
  gb: 12,
} as const;
const FIELDS = 13;

export interface PairedValues {
  /** Videos both answered (parse rate's denominator) and both parsed (accuracy's and Pearson's). */
  answered: number;
  bothParsed: number;
  parseRate: { candidate: number | null; baseline: number | null };
  accuracy: { candidate: number | null; baseline: number | null };
  pearson: { candidate: number | null; baseline: number | null };
}

const at = (s: Float64Array, f: number): number => s[f] as number;

function valuesOf(n: number, s: Float64Array): PairedValues {
  const k = at(s, F.both);
  return {
    answered: n,
    bothParsed: k,
    parseRate: {
      candidate: n > 0 ? at(s, F.parsedC) / n : null,
      baseline: n > 0 ? at(s, F.parsedB) / n : null,
    },
    accuracy: {
      candidate: k > 0 ? at(s, F.correctC) / k : null,
      baseline: k > 0 ? at(s, F.correctB) / k : null,
    },
    pearson: {
      candidate: pearsonFromSums(k, at(s, F.g), at(s, F.c), at(s, F.gg), at(s, F.cc), at(s, F.gc)),
      baseline: pearsonFromSums(k, at(s, F.g), at(s, F.b), at(s, F.gg), at(s, F.bb), at(s, F.gb)),
    },
  };
}

/**
 * Videos with the same (flags, gt, pred_c, pred_b) are interchangeable in every sum; with scores 1-5 there
 * are at most a few hundred such kinds. `contrib` holds each kind's row of FIELDS contributions, so the sums
 * of a (re)sample are counts x contrib.
 */
interface Kinds {
  kindOf: Uint32Array;
  count: number;
  contrib: Float64Array;
}

function groupKinds(cols: PairColumns): Kinds {
  const ids = new Map<number | string, number>();
  const rows: number[][] = [];
  const kindOf = new Uint32Array(cols.n);
  const small = (x: number): boolean => Number.isInteger(x) && x >= 0 && x < 16;
  for (let i = 0; i < cols.n; i++) {
    const flags =
      (cols.parsedC[i] as number) |
      ((cols.parsedB[i] as number) << 1) |
      ((cols.both[i] as number) << 2) |
      ((cols.correctC[i] as number) << 3) |
      ((cols.correctB[i] as number) << 4);
    const g = cols.gt[i] as number;
    const c = cols.predC[i] as number;
    const b = cols.predB[i] as number;
    // Scores 0-15 pack into one integer key (fast); anything else falls back to a string key.
    const key =
      small(g) && small(c) && small(b)
        ? flags | (g << 5) | (c << 9) | (b << 13)
        : `${flags},${g},${c},${b}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = rows.length;
      ids.set(key, id);
      const row = new Array<number>(FIELDS).fill(0);
      row[F.parsedC] = cols.parsedC[i] as number;
      row[F.parsedB] = cols.parsedB[i] as number;
      row[F.both] = cols.both[i] as number;
      row[F.correctC] = cols.correctC[i] as number;
      row[F.correctB] = cols.correctB[i] as number;
      row[F.g] = g;
      row[F.gg] = g * g;
      row[F.c] = c;
      row[F.cc] = c * c;
      row[F.b] = b;
      row[F.bb] = b * b;
      row[F.gc] = g * c;
      row[F.gb] = g * b;
      rows.push(row);
    }
    kindOf[i] = id;
  }
  return { kindOf, count: rows.length, contrib: Float64Array.from(rows.flat()) };
}

/** sums = counts x contrib, into `out`. */
function sumKinds(k: Kinds, counts: Uint32Array, out: Float64Array): void {
  out.fill(0);
  const { contrib } = k;
  for (let t = 0; t < k.count; t++) {
    const w = counts[t] as number;
    if (w === 0) continue;
    const base = t * FIELDS;
    for (let f = 0; f < FIELDS; f++)
      out[f] = (out[f] as number) + w * (contrib[base + f] as number);
  }
}

/** Both runs' parse rate, accuracy and Pearson on the paired videos (the point estimates). */
export function pairedValues(cols: PairColumns): PairedValues {
  const kinds = groupKinds(cols);
  const counts = new Uint32Array(kinds.count);
  for (let i = 0; i < cols.n; i++) {
    const k = kinds.kindOf[i] as number;
    counts[k] = (counts[k] as number) + 1;
  }
  const sums = new Float64Array(FIELDS);
  sumKinds(kinds, counts, sums);
  return valuesOf(cols.n, sums);
}

const minus = (x: { candidate: number | null; baseline: number | null }): number | null =>
  x.candidate === null || x.baseline === null ? null : x.candidate - x.baseline;

export interface BootstrapInterval {
  /** The delta on the sample itself. */
  estimate: number | null;
  /** Percentile interval; null when no resample gave a defined delta. */
  lower: number | null;
  upper: number | null;
  /** Standard deviation of the resampled deltas (bootstrap standard error). */
  se: number | null;
  /** Resamples with a defined delta, and those skipped. */
  valid: number;
  skipped: number;
  /** The `valid` resampled deltas, ascending (for one-sided bounds at any level: oneSidedBound). */
  sorted: Float64Array;
}

/**
 * One-sided percentile bound at `level` from the resampled deltas: the lower bound is the (1 - level)
 * quantile, the upper the `level` quantile (so the two at 0.95 are the ends of the two-sided 90% interval).
 * Null when no resample gave a defined delta.
 */
export function oneSidedBound(
  i: BootstrapInterval,
  side: 'lower' | 'upper',
  level: number,
): number | null {
  if (i.valid === 0) return null;
  return quantileSorted(i.sorted, side === 'lower' ? 1 - level : level);
}

export interface BootstrapResult {
  resamples: number;
  seed: number;
  level: number;
  /** Videos resampled (answered by both). */
  n: number;
  accuracy: BootstrapInterval;
  pearson: BootstrapInterval;
  parseRate: BootstrapInterval;
}

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  /** Confidence level of the interval; use 1 - alpha to match a two-sided test at alpha. */
  level?: number;
}

/** numpy.quantile's default (linear) on sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

function interval(
  estimate: number | null,
  draws: Float64Array,
  valid: number,
  total: number,
  level: number,
): BootstrapInterval {
  if (valid === 0) {
    return {
      estimate,
      lower: null,
      upper: null,
      se: null,
      valid,
      skipped: total,
      sorted: new Float64Array(0),
    };
  }
  const xs = draws.subarray(0, valid).sort();
  let mean = 0;
  for (let i = 0; i < valid; i++) mean += xs[i] as number;
  mean /= valid;
  let ss = 0;
  for (let i = 0; i < valid; i++) ss += ((xs[i] as number) - mean) ** 2;
  return {
    estimate,
    lower: quantileSorted(xs, (1 - level) / 2),
    upper: quantileSorted(xs, (1 + level) / 2),
    se: valid > 1 ? Math.sqrt(ss / (valid - 1)) : 0,
    valid,
    skipped: total - valid,
    sorted: xs,
  };
}

export function pairedBootstrap(cols: PairColumns, opts: BootstrapOptions = {}): BootstrapResult {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const seed = opts.seed ?? DEFAULT_SEED;
  const level = opts.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`pairedBootstrap: resamples must be a positive integer, got ${resamples}`);
  }
  if (!(level > 0 && level < 1)) {
    throw new Error(`pairedBootstrap: level must be between 0 and 1 (e.g. 0.95), got ${level}`);
  }
  const point = pairedValues(cols);
  const n = cols.n;
  const acc = new Float64Array(resamples);
  const cor = new Float64Array(resamples);
  const par = new Float64Array(resamples);
  let nAcc = 0;
  let nCor = 0;
  let nPar = 0;
  if (n > 0) {
    const kinds = groupKinds(cols);
    const { kindOf } = kinds;
    const counts = new Uint32Array(kinds.count);
    const draws = new Uint32Array(n);
    const s = new Float64Array(FIELDS);
    const rng = createRng(seed);
    for (let r = 0; r < resamples; r++) {
      counts.fill(0);
      rng.fillBelow(draws, n);
      for (let j = 0; j < n; j++) {
        const k = kindOf[draws[j] as number] as number;
        counts[k] = (counts[k] as number) + 1;
      }
      sumKinds(kinds, counts, s);
      par[nPar++] = (at(s, F.parsedC) - at(s, F.parsedB)) / n;
      const k = at(s, F.both);
      if (k > 0) acc[nAcc++] = (at(s, F.correctC) - at(s, F.correctB)) / k;
      const g = at(s, F.g);
      const gg = at(s, F.gg);
      const rc = pearsonFromSums(k, g, at(s, F.c), gg, at(s, F.cc), at(s, F.gc));
      const rb = pearsonFromSums(k, g, at(s, F.b), gg, at(s, F.bb), at(s, F.gb));
      if (rc !== null && rb !== null) cor[nCor++] = rc - rb;
    }
  }
  return {
    resamples,
    seed,
    level,
    n,
    accuracy: interval(minus(point.accuracy), acc, nAcc, resamples, level),
    pearson: interval(minus(point.pearson), cor, nCor, resamples, level),
    parseRate: interval(minus(point.parseRate), par, nPar, resamples, level),
  };
}
