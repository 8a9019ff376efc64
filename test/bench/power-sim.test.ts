import { describe, expect, it } from 'vitest';
import { calibrate, refreshForAgreement, trueMetrics } from '../../bench/power-model.js';
import { decideSignificance } from '../../src/verdict/significance.js';
import { monteCarloSe, simulatePower } from '../../bench/power-sim.js';

describe('power model', () => {
  it('calibrates a judge to the exact population accuracy and Pearson asked for', () => {
    for (const [acc, r] of [
      [0.4, 0.4],
      [0.38, 0.4],
      [0.4, 0.37],
      [0.354, 0.3224],
      [0.42, 0.45],
    ] as const) {
      const m = trueMetrics(calibrate(acc, r));
      expect(Math.abs(m.accuracy - acc)).toBeLessThan(1e-10);
      expect(Math.abs(m.pearson - r)).toBeLessThan(1e-10);
    }
    expect(() => calibrate(0.95, 0.1)).toThrow(
      /no judge of the power model has accuracy 0.95 and Pearson 0.1/,
    );
    expect(() => refreshForAgreement(calibrate(0.4, 0.4), 0.2)).toThrow(
      /agreement must be in \(0\.3\d\d, 1\]/,
    );
  });
});

describe('simulatePower (small size)', () => {
  const opts = { n: 300, trials: 200, seed: 1, resamples: 400 };

  it('raises a false alarm at no change at most alpha (+3 Monte Carlo SE) of the time', () => {
    const r = simulatePower({ ...opts, trueAccuracyDrop: 0, truePearsonDrop: 0 });
    expect(r.truth.candidate.accuracy).toBeCloseTo(r.truth.baseline.accuracy, 12);
    expect(r.rates.regression).toBeLessThanOrEqual(0.05 + 3 * monteCarloSe(0.05, r.trials));
    expect(Math.abs(r.meanAgreement - 0.75)).toBeLessThan(0.01);
    // 300 videos cannot rule out a 2-point drop: mostly inconclusive, rarely pass
    expect(r.rates.inconclusive).toBeGreaterThan(0.8);
    const total = r.rates.pass + r.rates.improvement + r.rates.regression + r.rates.inconclusive;
    expect(total).toBeCloseTo(1, 12);
  });

  it('detects a large drop most of the time, and is deterministic', () => {
    // a drop of 3 tolerances on 1,000 videos: the 97.5% upper bound (alpha shared by 2) is below -0.02
    // in about 85% of runs (normal approximation, accuracy SE about 0.013)
    const big = { ...opts, n: 1000, trials: 40, trueAccuracyDrop: 0.06, truePearsonDrop: 0.06 };
    const r = simulatePower(big);
    expect(r.rates.regression).toBeGreaterThan(0.6);
    expect(r.flagged).toBeGreaterThanOrEqual(r.rates.regression);
    expect(simulatePower(big)).toEqual(r);
    expect(simulatePower({ ...big, seed: 2 })).not.toEqual(r);
  });

  it('tallies several rules on the same pairs, the first as `rates`', () => {
    const strict = { accuracy: 0, pearson: 0, parseRate: 0 };
    const loose = { accuracy: 0.5, pearson: 0.5, parseRate: 0.5 };
    const r = simulatePower({
      ...opts,
      trials: 30,
      trueAccuracyDrop: 0,
      truePearsonDrop: 0,
      rules: [
        { name: 'loose', tolerance: loose, decide: decideSignificance },
        { name: 'strict', tolerance: strict, decide: decideSignificance },
      ],
    });
    expect(r.byRule.map((x) => x.name)).toEqual(['loose', 'strict']);
    expect(r.rates).toEqual(r.byRule[0]!.rates);
    // a 0.5 drop is ruled out on every run (pass, or improvement by chance); a drop of 0 never is
    expect(r.byRule[0]!.rates.pass + r.byRule[0]!.rates.improvement).toBe(1);
    expect(r.byRule[1]!.rates.pass).toBe(0);
  });

  it('names a bad option', () => {
    expect(() => simulatePower({ ...opts, n: 5, trueAccuracyDrop: 0, truePearsonDrop: 0 })).toThrow(
      /n must be an integer >= 10, got 5/,
    );
  });
});
