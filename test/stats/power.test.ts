import { describe, expect, it } from 'vitest';
import { calibrate, refreshForAgreement, trueMetrics } from '../../src/stats/power-model.js';
import { monteCarloSe, simulatePower } from '../../src/stats/power.js';

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
    const big = { ...opts, trials: 60, trueAccuracyDrop: 0.06, truePearsonDrop: 0.06 };
    const r = simulatePower(big);
    expect(r.rates.regression).toBeGreaterThan(0.5);
    expect(r.flagged).toBeGreaterThanOrEqual(r.rates.regression);
    expect(simulatePower(big)).toEqual(r);
    expect(simulatePower({ ...big, seed: 2 })).not.toEqual(r);
  });

  it('names a bad option', () => {
    expect(() => simulatePower({ ...opts, n: 5, trueAccuracyDrop: 0, truePearsonDrop: 0 })).toThrow(
      /n must be an integer >= 10, got 5/,
    );
  });
});
