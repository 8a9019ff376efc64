/**
 * The plan of a sequential run: when to look and where the boundaries are. Looks are at fixed counts of
 * the look order's prefix (order.ts), planned from the number of videos the run was asked to score, so a
 * rerun, a resume or a replay of the results file looks at exactly the same videos and decides the same.
 *
 * - Looks: every 5% of the planned videos (20 looks), fewer when that would put fewer than 50 videos
 *   between looks (a 300-video subset looks 6 times): the normal approximation behind the boundaries and
 *   the standard errors (evidence.ts) wants tens of discordant videos, not a handful.
 * - Spending: Hwang-Shih-DeCani with gamma -4 (boundaries.ts). O'Brien-Fleming spends almost nothing before
 *   half the videos, so a checkpoint broken beyond doubt still costs 30% of the set; Pocock spends evenly
 *   and pays for it at the last look (its final boundary is far above the fixed-size z, costing power on the
 *   full set, where most verdicts are reached). gamma -4 keeps the last of 20 boundaries about 0.13 above
 *   the fixed-size z (1.77 against 1.64 at 0.05; 2.10 against 1.96 at 0.025), power within a point or two
 *   of the fixed test, and still stops a catastrophe at the first look. Measured in bench/power.ts (README "Stopping early"), on the pair model, against both neighbours.
 */
import {
  hwangShihDeCaniSpending,
  spendingBoundaries,
  type SpendingFunction,
} from './boundaries.js';

export const MAX_LOOKS = 20;
export const MIN_VIDEOS_PER_LOOK = 50;
export const SPENDING_GAMMA = -4;
export const SPENDING_NAME = `Hwang-Shih-DeCani alpha spending, gamma ${SPENDING_GAMMA}`;

/**
 * Shards (a matrix of jobs, merged later): a shard sees only its part, so it may stop only for a
 * regression, and its tests share this part of alpha with the other shards (Bonferroni: alpha x 0.1 / n
 * each); the merge's fixed-size decision runs at the rest, alpha x 0.9, so that over the shards' early
 * stops and the merge together a false alarm stays below alpha.
 */
export const SHARD_ALPHA_SHARE = 0.1;

export interface Look {
  /** 1-based. */
  index: number;
  /** Videos of the look order's prefix this look reads. */
  videos: number;
  /** Information fraction: videos / planned. */
  fraction: number;
}

export interface SequentialDesign {
  planned: number;
  looks: readonly Look[];
  spending: string;
  /** Upper boundary (z) at look `index` (1-based) of a one-sided test at `level` (alpha spent over all looks). */
  boundary(level: number, index: number): number;
}

export function lookSchedule(planned: number): Look[] {
  if (!Number.isSafeInteger(planned) || planned < 1)
    throw new Error(`a sequential design needs at least 1 planned video, got ${planned}`);
  const count = Math.max(1, Math.min(MAX_LOOKS, Math.floor(planned / MIN_VIDEOS_PER_LOOK)));
  return Array.from({ length: count }, (_, i) => {
    const videos = i === count - 1 ? planned : Math.round(((i + 1) * planned) / count);
    return { index: i + 1, videos, fraction: videos / planned };
  });
}

/** The design for `planned` videos; boundaries are computed once per level (about 0.1 s per look) and kept. */
export function sequentialDesign(
  planned: number,
  spend: SpendingFunction = hwangShihDeCaniSpending(SPENDING_GAMMA),
  spending = SPENDING_NAME,
): SequentialDesign {
  const looks = lookSchedule(planned);
  const fractions = looks.map((l) => l.fraction);
  const byLevel = new Map<number, number[]>();
  return {
    planned,
    looks,
    spending,
    boundary(level, index) {
      let c = byLevel.get(level);
      if (c === undefined) {
        c = spendingBoundaries(fractions, level, spend);
        byLevel.set(level, c);
      }
      const z = c[index - 1];
      if (z === undefined)
        throw new Error(`look ${index} is not one of the ${looks.length} planned`);
      return z;
    },
  };
}
