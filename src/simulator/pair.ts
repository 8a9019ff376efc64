/**
 * A realistic pair of checkpoints: the candidate gives the base checkpoint's answer on a chosen share of the
 * videos (consecutive checkpoints of one training run agree on about 75%) and changes it on the rest, so
 * that its accuracy moves by a chosen amount and, optionally, its Pearson correlation by another. Pure: the
 * simulator (behaviour.ts) and the power bench (bench/power-sim.ts) draw the candidate from this one model.
 *
 * Which videos change (pairRates): each video changes its answer with a probability that does not depend on
 * whether the base was right (`churn` q = 1 - agreement), as long as that can reach the accuracy change. A
 * changed right answer is newly wrong; a changed wrong answer is newly right with probability
 * `rightIfChanged`, else another wrong score (other-wrong). So newly wrong = a·q and newly right =
 * (1 - a)·q·h, and h follows from the change d: h = (d + a·q) / ((1 - a)·q). When h would leave [0, 1] the
 * churn is shifted between right and wrong videos instead, keeping the total agreement.
 *
 * Which wrong score a changed video gets (pairModel): that choice moves Pearson and nothing else. Whether
 * the candidate is right (c = g) and whether it agrees with the base (c = b) are fixed by the outcome above
 * (a newly wrong answer is neither the truth nor, since the base was right, the base's; an other-wrong one
 * excludes both), so accuracy and agreement are untouched by it; but a wrong 4 for a true 5 and a wrong 1
 * for a true 5 are not the same to a correlation. The wrong score of a changed video of truth g is drawn
 * from the base's own wrong answers at g, w0(c | g) = P(base = c | truth = g) for c ≠ g (for an
 * other-wrong video, the base's answer b left out too), tilted towards or away from the truth:
 *
 *   P(c | g, changed) ∝ w0(c | g) · exp(−θ (c − g)²)
 *
 * θ = 0 is "as the base's answers give" (the default, when no Pearson change is asked: Pearson then moves
 * as the accuracy change carries it, and `candidate.pearson` says by how much); θ > 0 pulls wrong answers
 * towards the truth (Pearson up), θ < 0 pushes them away (Pearson down), θ → ±∞ gives the nearest or the
 * farthest wrong score. One parameter keeps the change spread over every truth, as a retrained checkpoint's
 * would be, instead of moving a few cells. The candidate's joint table P(truth, candidate) is linear in
 * these draws, so its population Pearson is exact for a given θ; it rises with θ (checked on a grid of θ,
 * with the bench's and the simulator's base tables, by a numpy version of this model in
 * test/simulator/pair.test.ts) and θ is found by bisection to give base Pearson + pearsonDelta to about
 * 1e-12. A sample of n videos estimates that Pearson with a bias of order
 * 1/n (the sample correlation is a ratio), so the asked change holds in expectation up to that: well under
 * 1e-4 at the 3,397 videos of the test split.
 *
 * Why this and not a second judge re-drawn on some videos (the power bench's earlier coupling): that model
 * set the agreement only through the judge's own self-agreement, could only reach the (accuracy, Pearson)
 * pairs its judge family has (not accuracy 0.34 with Pearson 0.40, say), and was a second model beside the
 * simulator's. Here agreement, accuracy change and Pearson change are three separate knobs on one model.
 */

export interface PairSpec {
  /** Share of videos on which the candidate gives the base checkpoint's answer, in (0, 1]. */
  agreement: number;
  /** Candidate accuracy minus base accuracy (expected, over the videos with a known truth). */
  accuracyDelta: number;
  /**
   * Candidate Pearson minus base Pearson (expected, over the videos with a known truth; 0 keeps the base's).
   * Omitted: the changed videos' wrong scores are drawn as the base's own wrong answers (θ = 0), and Pearson
   * moves as the accuracy change carries it.
   */
  pearsonDelta?: number;
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

/** The scores, 1..5; tables below are indexed by score − 1. */
const SCORES = [1, 2, 3, 4, 5] as const;

/** How the base checkpoint answers: the human scores' shares and its answer distribution per true score. */
export interface BaseAnswers {
  /** P(truth = g), g = 1..5 (normalised here). */
  truth: readonly number[];
  /** answers[g − 1][b − 1] = P(base answers b | truth g) (each row with a positive truth share normalised). */
  answers: readonly (readonly number[])[];
}

export interface PairModel {
  spec: PairSpec;
  rates: PairRates;
  /** θ of the header: 0 = wrong scores as the base's, > 0 towards the truth, < 0 away from it. */
  tilt: number;
  /**
   * wrong[g − 1][b − 1][c − 1]: P(candidate c | truth g, base b, the video changed to a wrong score): b = g
   * is a newly wrong video, b ≠ g an other-wrong one. Zero at c = g and c = b.
   */
  wrong: number[][][];
  /** Population values (the candidate's are what a drawn candidate has in expectation). */
  base: { accuracy: number; pearson: number };
  candidate: { accuracy: number; pearson: number; agreement: number };
  /** table[g − 1][c − 1] = P(truth g, candidate c). */
  table: number[][];
}

/** Bisection bracket of θ: at |θ| = 40 a score one step further from the truth weighs e^-40 as much. */
const TILT_LIMIT = 40;

/** Population Pearson of a 5x5 joint table P(truth g, answer p); NaN when either side is constant. */
export function tablePearson(table: readonly (readonly number[])[]): number {
  let m = 0;
  let eg = 0;
  let egg = 0;
  let ep = 0;
  let epp = 0;
  let egp = 0;
  table.forEach((row, gi) => {
    row.forEach((w, pi) => {
      const g = gi + 1;
      const p = pi + 1;
      m += w;
      eg += w * g;
      egg += w * g * g;
      ep += w * p;
      epp += w * p * p;
      egp += w * g * p;
    });
  });
  eg /= m;
  ep /= m;
  const vg = egg / m - eg * eg;
  const vp = epp / m - ep * ep;
  if (!(vg > 1e-15 && vp > 1e-15)) return NaN;
  return (egp / m - eg * ep) / Math.sqrt(vg * vp);
}

function normalised(xs: readonly number[], what: string): number[] {
  if (xs.length !== 5 || !xs.every((x) => Number.isFinite(x) && x >= 0)) {
    throw new Error(`pair: ${what} must be 5 non-negative numbers, got ${JSON.stringify(xs)}`);
  }
  const total = xs.reduce((s, x) => s + x, 0);
  if (!(total > 0)) throw new Error(`pair: ${what} must have a positive sum`);
  return xs.map((x) => x / total);
}

/**
 * The candidate's wrong-score distributions at tilt θ: per truth g and base answer b, w0(c | g) ·
 * exp(−θ (c − g)²) over c ∉ {g, b}, normalised; uniform over those scores when the base is never wrong
 * there (w0 all zero).
 */
function wrongScores(answers: readonly (readonly number[])[], theta: number): number[][][] {
  return SCORES.map((g) => {
    const w0 = answers[g - 1] as readonly number[];
    return SCORES.map((b) => {
      const eligible = SCORES.map((c) => c !== g && c !== b && (w0[c - 1] as number) > 0);
      const exps = SCORES.map((c) => -theta * (c - g) * (c - g));
      // Relative to the largest exponent, so that a large |θ| gives the limit, not 0/0.
      const top = Math.max(...exps.filter((_, i) => eligible[i]));
      const w = SCORES.map((c, i) =>
        eligible[i] ? (w0[c - 1] as number) * Math.exp((exps[i] as number) - top) : 0,
      );
      const total = w.reduce((s, x) => s + x, 0);
      if (total > 0) return w.map((x) => x / total);
      const others = SCORES.filter((c) => c !== g && c !== b).length;
      return SCORES.map((c) => (c !== g && c !== b ? 1 / others : 0));
    });
  });
}

/** P(truth g, candidate c) from the base's joint table, the rates and the wrong-score distributions. */
function candidateTable(joint: number[][], r: PairRates, wrong: number[][][]): number[][] {
  const out = SCORES.map(() => [0, 0, 0, 0, 0]);
  joint.forEach((row, gi) => {
    const o = out[gi] as number[];
    row.forEach((m, bi) => {
      if (m === 0) return;
      const w = (wrong[gi] as number[][])[bi] as number[];
      if (gi === bi) {
        o[bi] = (o[bi] as number) + m * (1 - r.changeIfRight);
        w.forEach((x, ci) => (o[ci] = (o[ci] as number) + m * r.changeIfRight * x));
      } else {
        o[bi] = (o[bi] as number) + m * (1 - r.changeIfWrong);
        o[gi] = (o[gi] as number) + m * r.changeIfWrong * r.rightIfChanged;
        const other = r.changeIfWrong * (1 - r.rightIfChanged);
        w.forEach((x, ci) => (o[ci] = (o[ci] as number) + m * other * x));
      }
    });
  });
  return out;
}

/**
 * The pair model around a base checkpoint that answers as `base` says: the rates of pairRates and the tilt θ
 * that gives the asked Pearson change (header). Throws when the agreement, accuracy or Pearson change cannot
 * be had, naming the Pearson changes that can.
 */
export function pairModel(base: BaseAnswers, spec: PairSpec): PairModel {
  const truth = normalised(base.truth, 'truth shares');
  if (base.answers.length !== 5)
    throw new Error('pair: answers must have a row per true score 1..5');
  const answers = base.answers.map((row, gi) =>
    (truth[gi] as number) > 0 ? normalised(row, `answers at truth ${gi + 1}`) : [0, 0, 0, 0, 0],
  );
  const joint = answers.map((row, gi) => row.map((p) => (truth[gi] as number) * p));
  const accuracy = joint.reduce((s, row, gi) => s + (row[gi] as number), 0);
  const basePearson = tablePearson(joint);
  const rates = pairRates(accuracy, spec);
  const at = (theta: number): { wrong: number[][][]; table: number[][]; pearson: number } => {
    const wrong = wrongScores(answers, theta);
    const table = candidateTable(joint, rates, wrong);
    return { wrong, table, pearson: tablePearson(table) };
  };
  let tilt = 0;
  let found = at(0);
  const asked = spec.pearsonDelta;
  if (asked !== undefined) {
    if (!Number.isFinite(asked))
      throw new Error(`pair: Pearson delta must be a number, got ${asked}`);
    if (!Number.isFinite(basePearson)) {
      throw new Error(
        'pair: a Pearson change needs a base whose Pearson is defined (truths and answers that vary)',
      );
    }
    const target = basePearson + asked;
    const lo = at(-TILT_LIMIT);
    const hi = at(TILT_LIMIT);
    const least = Math.min(lo.pearson, hi.pearson) - basePearson;
    const most = Math.max(lo.pearson, hi.pearson) - basePearson;
    if (!(asked >= least - 1e-9 && asked <= most + 1e-9)) {
      throw new Error(
        `pair: a Pearson change of ${asked} is impossible at agreement ${spec.agreement} with an accuracy ` +
          `change of ${spec.accuracyDelta} around this base (possible: ${least.toFixed(4)} to ` +
          `${most.toFixed(4)}); lower the agreement or the change`,
      );
    }
    // Pearson rises with θ (header); bisection keeps the side below the target at `down`.
    let down = lo.pearson <= hi.pearson ? -TILT_LIMIT : TILT_LIMIT;
    let up = -down;
    found = lo.pearson <= hi.pearson ? lo : hi;
    tilt = down;
    for (let i = 0; i < 200 && Math.abs(found.pearson - target) > 1e-13; i++) {
      tilt = (down + up) / 2;
      found = at(tilt);
      if (found.pearson < target) down = tilt;
      else up = tilt;
    }
  }
  return {
    spec,
    rates,
    tilt,
    wrong: found.wrong,
    base: { accuracy, pearson: basePearson },
    candidate: {
      accuracy: found.table.reduce((s, row, gi) => s + (row[gi] as number), 0),
      pearson: found.pearson,
      agreement: 1 - rates.newlyWrong - rates.newlyRight - rates.otherWrong,
    },
    table: found.table,
  };
}

/** Index drawn from weights that sum to 1 with one uniform (the simulator's rule: skips zero weights). */
function pickScore(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    acc += w;
    if (u < acc && w > 0) return i + 1;
  }
  for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i + 1;
  throw new Error('pair: no score to draw from');
}

/**
 * The candidate's score for a video of truth `truth` that the base answered `base`, from three uniforms in
 * [0, 1) drawn for the video (independent of the base's own draws): u1 and u2 decide the outcome
 * (pairOutcome), u3 the wrong score of a changed video.
 */
export function pairAnswer(
  m: PairModel,
  truth: number,
  base: number,
  u1: number,
  u2: number,
  u3: number,
): number {
  switch (pairOutcome(base === truth, m.rates, u1, u2)) {
    case 'same':
      return base;
    case 'newly-right':
      return truth;
    case 'newly-wrong':
    case 'other-wrong':
      return pickScore((m.wrong[truth - 1] as number[][])[base - 1] as number[], u3);
  }
}
