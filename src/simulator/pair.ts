/**
 * A realistic pair of checkpoints: the candidate gives the base checkpoint's answer on a chosen share of the
 * videos (consecutive checkpoints of one training run agree on about 75%) and changes it on the rest, so
 * that its accuracy moves by a chosen amount. Pure: the simulator (behaviour.ts) and the power model draw
 * from the same rates.
 *
 * The model: each video changes its answer with a probability that does not depend on whether the base was
 * right (`churn` = 1 - agreement), as long as that can reach the accuracy change. A changed right answer is
 * newly wrong; a changed wrong answer is newly right with probability `rightIfChanged`, else another wrong
 * score. So newly wrong = a·churn and newly right = (1 - a)·churn·h, and h follows from the change d:
 * h = (d + a·churn) / ((1 - a)·churn). When h would leave [0, 1] the churn is shifted between right and
 * wrong videos instead, keeping the total agreement.
 */

export interface PairSpec {
  /** Share of videos on which the candidate gives the base checkpoint's answer, in (0, 1]. */
  agreement: number;
  /** Candidate accuracy minus base accuracy (expected, over the videos with a known truth). */
  accuracyDelta: number;
}

export interface PairRates {
  /** Probability that a video the base got right changes (and so becomes wrong). */
  changeIfRight: number;
  /** Probability that a video the base got wrong changes its answer. */
  changeIfWrong: number;
  /** Of the changed wrong answers, the share that become right. */
  rightIfChanged: number;
  /** Shares of all videos: right then wrong, wrong then right, wrong then a different wrong score. */
  newlyWrong: number;
  newlyRight: number;
  otherWrong: number;
}

export type PairOutcome = 'same' | 'newly-wrong' | 'newly-right' | 'other-wrong';

export const DEFAULT_AGREEMENT = 0.75;

const EPS = 1e-12;

/** The rates that give `spec` around a base checkpoint of accuracy `baseAccuracy`; throws when none can. */
export function pairRates(baseAccuracy: number, spec: PairSpec): PairRates {
  const a = baseAccuracy;
  const { agreement, accuracyDelta: d } = spec;
  if (!(a > 0 && a < 1)) throw new Error(`pair: the base accuracy must be in (0, 1), got ${a}`);
  if (!(agreement > 0 && agreement <= 1)) {
    throw new Error(`pair: agreement must be in (0, 1], got ${agreement}`);
  }
  if (!Number.isFinite(d)) throw new Error(`pair: accuracy delta must be a number, got ${d}`);
  const q = 1 - agreement;
  // The change cannot exceed the churn, nor take accuracy out of [0, 1].
  const most = Math.min(q, 1 - a);
  const least = -Math.min(q, a);
  if (d > most + EPS || d < least - EPS) {
    throw new Error(
      `pair: an accuracy change of ${d} is impossible at agreement ${agreement} around accuracy ${a} ` +
        `(possible: ${least.toFixed(4)} to ${most.toFixed(4)}); lower the agreement or the change`,
    );
  }
  let newlyWrong: number;
  let newlyRight: number;
  let otherWrong: number;
  const h = q > 0 ? (d + a * q) / ((1 - a) * q) : 0;
  if (q === 0) {
    newlyWrong = newlyRight = otherWrong = 0;
  } else if (h >= 0 && h <= 1) {
    newlyWrong = a * q;
    newlyRight = (1 - a) * q * h;
    otherWrong = (1 - a) * q * (1 - h);
  } else if (h > 1) {
    // Every changed wrong answer becomes right; fewer right answers change.
    newlyWrong = (q - d) / 2;
    newlyRight = (q + d) / 2;
    otherWrong = 0;
  } else {
    // No changed wrong answer becomes right; more right answers change.
    newlyWrong = -d;
    newlyRight = 0;
    otherWrong = q + d;
  }
  const changedWrong = newlyRight + otherWrong;
  // A churn above what one side holds (agreement below 1 - a, say) cannot keep the agreement asked for.
  if (newlyWrong > a + EPS || changedWrong > 1 - a + EPS) {
    throw new Error(
      `pair: agreement ${agreement} with an accuracy change of ${d} around accuracy ${a} needs more ` +
        `videos to change than there are ${newlyWrong > a + EPS ? 'right' : 'wrong'} answers; raise the agreement`,
    );
  }
  return {
    changeIfRight: Math.min(1, newlyWrong / a),
    changeIfWrong: Math.min(1, changedWrong / (1 - a)),
    rightIfChanged: changedWrong > 0 ? newlyRight / changedWrong : 0,
    newlyWrong,
    newlyRight,
    otherWrong,
  };
}

/**
 * What happens to one video, from whether the base was right and two uniforms in [0, 1) drawn for it
 * (independent of the base's own draws).
 */
export function pairOutcome(baseRight: boolean, r: PairRates, u1: number, u2: number): PairOutcome {
  if (baseRight) return u1 < r.changeIfRight ? 'newly-wrong' : 'same';
  if (u1 >= r.changeIfWrong) return 'same';
  return u2 < r.rightIfChanged ? 'newly-right' : 'other-wrong';
}

/**
 * The 2x2 table of the pair (shares of all videos): what a power model samples McNemar's discordant cells
 * from. bothWrong includes the videos wrong twice with a different score (otherWrong).
 */
export function pairTable(
  baseAccuracy: number,
  spec: PairSpec,
): { bothRight: number; newlyWrong: number; newlyRight: number; bothWrong: number } {
  const r = pairRates(baseAccuracy, spec);
  return {
    bothRight: baseAccuracy - r.newlyWrong,
    newlyWrong: r.newlyWrong,
    newlyRight: r.newlyRight,
    bothWrong: 1 - baseAccuracy - r.newlyRight,
  };
}
