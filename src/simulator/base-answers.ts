/**
 * How the simulated base checkpoint answers, as the tables the pair model (pair.ts) works on: the truth
 * shares of the answer key, and per true score the truth with probability `accuracy`, else a wrong score
 * drawn from `distribution` without the truth, neighbours of the truth doubled (behaviour.ts draws exactly
 * these). Pure; options.ts checks a pair against it and behaviour.ts draws from it.
 */
import type { BaseAnswers } from './pair.js';

export type Distribution = readonly [number, number, number, number, number];

/**
 * Weights of the wrong scores for `truth` (neighbours of the truth doubled), zero at the truth and at every
 * score of `avoid`; uniform over the other scores when `distribution` puts no weight on them.
 */
export function wrongWeights(
  distribution: Distribution,
  truth: number,
  avoid: readonly number[] = [],
): number[] {
  const excluded = (score: number): boolean => score === truth || avoid.includes(score);
  const weights = distribution.map((p, i) => {
    const score = i + 1;
    if (excluded(score)) return 0;
    return Math.abs(score - truth) === 1 ? 2 * p : p;
  });
  if (weights.some((w) => w > 0)) return weights;
  return [1, 2, 3, 4, 5].map((s) => (excluded(s) ? 0 : 1));
}

/** Counts of the true scores 1..5 among the answer key's valid (integer 1..5) values (pair.ts normalises). */
export function truthCounts(values: Iterable<number>): number[] {
  const counts = [0, 0, 0, 0, 0];
  for (const t of values) {
    if (Number.isInteger(t) && t >= 1 && t <= 5) counts[t - 1] = (counts[t - 1] as number) + 1;
  }
  return counts;
}

/** The base checkpoint's answer table for the pair model. */
export function simulatorBaseAnswers(
  accuracy: number,
  distribution: Distribution,
  truthValues: Iterable<number>,
): BaseAnswers {
  return {
    truth: truthCounts(truthValues),
    answers: [1, 2, 3, 4, 5].map((g) => {
      const w = wrongWeights(distribution, g);
      const total = w.reduce((s, x) => s + x, 0);
      return w.map((x, i) => (i + 1 === g ? accuracy : ((1 - accuracy) * x) / total));
    }),
  };
}
