import { describe, expect, it } from 'vitest';
import { calibrate, trueMetrics } from '../../bench/power-model.js';
import { decideSignificance } from '../../src/verdict/significance.js';
import type { PairedVideo } from '../../src/stats/pairing.js';
import { createRng } from '../../src/stats/prng.js';
import { drawPairs, monteCarloSe, powerPair, simulatePower } from '../../bench/power-sim.js';
import { measurePairs } from '../helpers/pair-check.js';

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
  });
});

describe('the candidate: the pair model (src/simulator/pair.ts) around the baseline judge', () => {
  /** K samples of n videos as the bench draws them; numpy measures agreement and both deltas per sample. */
  function measured(drop: { acc: number; r: number; agreement: number }, k = 20, n = 20_000) {
    const { base, pair } = powerPair({
      trueAccuracyDrop: drop.acc,
      truePearsonDrop: drop.r,
      agreement: drop.agreement,
    });
    const rng = createRng(7);
    const videos = new Array<PairedVideo>(n);
    const g: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < k; i++) {
      drawPairs(rng, n, base, pair, videos);
      for (const v of videos) {
        g.push(v.gt);
        b.push(v.pred_b!);
        c.push(v.pred_c!);
      }
    }
    return { pair, ...measurePairs(k, g, b, c) };
  }

  it.each([
    { acc: 0, r: 0, agreement: 0.75 },
    { acc: 0.04, r: 0, agreement: 0.75 },
    { acc: 0, r: 0.06, agreement: 0.9 },
    { acc: 0.03, r: 0.06, agreement: 0.75 },
  ])(
    'agrees on the asked share and drops accuracy and Pearson by the true drops (numpy, 4 Monte Carlo SE): %o',
    (drop) => {
      const s = measured(drop);
      expect(s.pair.candidate.accuracy - s.pair.base.accuracy).toBeCloseTo(-drop.acc, 12);
      expect(s.pair.candidate.pearson - s.pair.base.pearson).toBeCloseTo(-drop.r, 11);
      expect(Math.abs(s.agree.mean - drop.agreement)).toBeLessThan(4 * s.agree.se);
      expect(Math.abs(s.acc.mean + drop.acc)).toBeLessThan(4 * s.acc.se);
      expect(Math.abs(s.r.mean + drop.r)).toBeLessThan(4 * s.r.se);
      expect(s.r.se).toBeLessThan(0.002);
    },
  );

  it('can fail: a Pearson-only drop is not an accuracy drop, nor a larger Pearson drop', () => {
    const s = measured({ acc: 0, r: 0.03, agreement: 0.75 });
    expect(Math.abs(s.r.mean + 0.03)).toBeLessThan(4 * s.r.se);
    expect(Math.abs(s.r.mean + 0.04)).toBeGreaterThan(4 * s.r.se);
    expect(Math.abs(s.acc.mean + 0.02)).toBeGreaterThan(4 * s.acc.se);
  });

  it('names a drop the pair model cannot make', () => {
    expect(() => powerPair({ trueAccuracyDrop: 0, truePearsonDrop: 0.12, agreement: 0.9 })).toThrow(
      /a Pearson change of -0.12 is impossible at agreement 0.9/,
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
    // The gate's own deltas on the drawn pairs average to the truth (0): SE about 0.014 / sqrt(200).
    expect(Math.abs(r.meanDelta.accuracy)).toBeLessThan(0.005);
    expect(Math.abs(r.meanDelta.pearson)).toBeLessThan(0.008);
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
