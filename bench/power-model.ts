/**
 * The base checkpoint of the power simulation: a synthetic judge of VideoPhy-2 with exactly known accuracy and
 * Pearson.
 *
 * Human scores follow a VideoPhy-2-like distribution (GT_WEIGHTS, as scripts/synthetic.ts). A judge (h, beta)
 * recognises the true score outright with probability h; otherwise it reads a noisy latent
 * y = beta * (g - 3) + e, e ~ N(0, 1), and answers 1 + (number of CUTPOINTS below y). The cut points make
 * it answer mostly 3 and 4 (about 34% and 39%), as published Cosmos Reason checkpoints do. Because the
 * conditional P(pred | truth) is explicit, a judge's population accuracy and Pearson are computed exactly,
 * and calibrate() finds the judge with a given (accuracy, Pearson): the baseline at 0.40 / 0.40.
 *
 * The candidate is not a second judge: it is this judge's checkpoint changed as the simulator changes one
 * (src/simulator/pair.ts, the same agreement, accuracy change and Pearson change knobs), drawn given the
 * base's answer per video; baseAnswers() is the table that model works on.
 */
import { normalCdf } from '../src/stats/normal.js';
import { tablePearson, type BaseAnswers } from '../src/simulator/pair.js';

export const GT_WEIGHTS = [0.08, 0.17, 0.27, 0.33, 0.15] as const;
export const CUTPOINTS = [-1.9, -1.0, 0.1, 1.45] as const;

export interface Judge {
  /** Probability of recognising the true score outright. */
  h: number;
  /** Slope of the latent reading on the true score. */
  beta: number;
}

/** The judge's answer for truth g given the per-video draws u (uniform) and e (normal). */
export function judgeAnswer(j: Judge, g: number, u: number, e: number): number {
  if (u < j.h) return g;
  const y = j.beta * (g - 3) + e;
  let pred = 1;
  for (const c of CUTPOINTS) if (y > c) pred++;
  return pred;
}

/** P(pred = k + 1 | truth = g) for k = 0..4. */
export function answerDistribution(j: Judge, g: number): number[] {
  const m = j.beta * (g - 3);
  const cuts = [-Infinity, ...CUTPOINTS, Infinity];
  return [0, 1, 2, 3, 4].map((k) => {
    const latent = normalCdf((cuts[k + 1] as number) - m) - normalCdf((cuts[k] as number) - m);
    return (1 - j.h) * latent + (k + 1 === g ? j.h : 0);
  });
}

export interface TrueMetrics {
  accuracy: number;
  pearson: number;
}

/** Population accuracy and Pearson of the judge, exact up to normalCdf's ~1e-15. */
export function trueMetrics(j: Judge): TrueMetrics {
  // The joint table P(truth, answer); its Pearson is the one the simulator's pair model uses.
  const table = GT_WEIGHTS.map((w, gi) => answerDistribution(j, gi + 1).map((pk) => w * pk));
  const accuracy = table.reduce((a, row, gi) => a + (row[gi] as number), 0);
  return { accuracy, pearson: tablePearson(table) };
}

/** The baseline judge of the simulation, found by calibrate(0.40, 0.40) from this start. */
const START: Judge = { h: 0.117, beta: 0.291 };

/**
 * The judge with the given population accuracy and Pearson (Newton's method on (h, beta)). Throws when the
 * model cannot reach them (e.g. Pearson far above what a 40%-accurate judge of this kind can have).
 */
export function calibrate(accuracy: number, pearson: number, start: Judge = START): Judge {
  let x = { ...start };
  const f = (j: Judge): [number, number] => {
    const m = trueMetrics(j);
    return [m.accuracy - accuracy, m.pearson - pearson];
  };
  for (let iter = 0; iter < 50; iter++) {
    const [f1, f2] = f(x);
    if (Math.abs(f1) < 1e-12 && Math.abs(f2) < 1e-12) return x;
    const d = 1e-6;
    const [a1, a2] = f({ h: x.h + d, beta: x.beta });
    const [b1, b2] = f({ h: x.h, beta: x.beta + d });
    const j11 = (a1 - f1) / d;
    const j21 = (a2 - f2) / d;
    const j12 = (b1 - f1) / d;
    const j22 = (b2 - f2) / d;
    const det = j11 * j22 - j12 * j21;
    if (!Number.isFinite(det) || det === 0) break;
    x = {
      h: x.h - (j22 * f1 - j12 * f2) / det,
      beta: x.beta - (-j21 * f1 + j11 * f2) / det,
    };
    if (!(x.h >= 0 && x.h < 1 && x.beta > 0)) break;
  }
  throw new Error(
    `calibrate: no judge of the power model has accuracy ${accuracy} and Pearson ${pearson} (it reaches accuracy from about 0.34 to 0.5, with Pearson within about 0.1 of the accuracy)`,
  );
}

/** The judge's answers as the pair model's base table: the human scores' shares and P(answer | truth). */
export function baseAnswers(j: Judge): BaseAnswers {
  return { truth: [...GT_WEIGHTS], answers: [1, 2, 3, 4, 5].map((g) => answerDistribution(j, g)) };
}
