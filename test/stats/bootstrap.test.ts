import { describe, expect, it } from 'vitest';
import {
  oneSidedBound,
  pairedBootstrap,
  pairedValues,
  quantileSorted,
  toColumns,
} from '../../src/stats/bootstrap.js';
import type { PairedVideo } from '../../src/stats/pairing.js';
import { drawPairs, powerPair } from '../../bench/power-sim.js';
import { createRng, type Rng } from '../../src/stats/prng.js';
import { python } from '../helpers/python.js';

let serial = 0;
function pair(
  gt: number,
  c: number | null,
  b: number | null,
  opts: { errC?: boolean; errB?: boolean } = {},
): PairedVideo {
  return {
    video_url: `v${serial++}`,
    gt,
    pred_c: opts.errC ? null : c,
    pred_b: opts.errB ? null : b,
    error_c: opts.errC ?? false,
    error_b: opts.errB ?? false,
    parsed_c: !opts.errC && c !== null,
    parsed_b: !opts.errB && b !== null,
    correct_c: !opts.errC && c === gt,
    correct_b: !opts.errB && b === gt,
  };
}

/**
 * n videos from the power model: baseline judge at 0.40 / 0.40, candidate from the pair model (75%
 * agreement) with a known true delta; each reply independently unparsed with probability missC / missB.
 */
function synthetic(
  rng: Rng,
  n: number,
  cand: ReturnType<typeof powerPair>,
  missC = 0,
  missB = 0,
): PairedVideo[] {
  const drawn = new Array<PairedVideo>(n);
  drawPairs(rng, n, cand.base, cand.pair, drawn);
  return drawn.map((v) =>
    pair(v.gt, rng.uniform() < missC ? null : v.pred_c, rng.uniform() < missB ? null : v.pred_b),
  );
}

describe('pairedValues / toColumns', () => {
  it('takes accuracy and Pearson on the videos both parsed, parse rate on those both answered, and drops failed requests', () => {
    const pairs = [
      pair(3, 3, 3),
      pair(4, 4, 2),
      pair(5, 4, 5),
      pair(2, 2, 1),
      pair(1, null, 1), // candidate unparsed: out of accuracy, in parse rate
      pair(2, 3, null), // baseline unparsed
      pair(5, 5, 5, { errB: true }), // baseline request failed: out of everything
    ];
    const cols = toColumns(pairs);
    expect(cols.n).toBe(6);
    const v = pairedValues(cols);
    expect(v).toMatchObject({ answered: 6, bothParsed: 4 });
    expect(v.parseRate).toEqual({ candidate: 5 / 6, baseline: 5 / 6 });
    expect(v.accuracy).toEqual({ candidate: 3 / 4, baseline: 2 / 4 });
    const ref = python<[number, number]>(
      `
import json, sys
import numpy as np
d = json.load(sys.stdin)
print(json.dumps([float(np.corrcoef(d["gt"], d["c"])[0, 1]), float(np.corrcoef(d["gt"], d["b"])[0, 1])]))
`,
      { gt: [3, 4, 5, 2], c: [3, 4, 4, 2], b: [3, 2, 5, 1] },
    );
    expect(Math.abs(v.pearson.candidate! - ref[0])).toBeLessThan(1e-12);
    expect(Math.abs(v.pearson.baseline! - ref[1])).toBeLessThan(1e-12);
  });
});

describe('quantileSorted', () => {
  it("is numpy.quantile's default (linear)", () => {
    const xs = Array.from({ length: 37 }, (_, i) => Math.sin(i) * 3).sort((a, b) => a - b);
    const ps = [0, 0.025, 0.1, 0.5, 0.975, 1];
    const ref = python<number[]>(
      'import json, sys\nimport numpy as np\nd = json.load(sys.stdin)\nprint(json.dumps([float(np.quantile(d["xs"], p)) for p in d["ps"]]))',
      { xs, ps },
    );
    ps.forEach((p, i) => expect(quantileSorted(xs, p)).toBeCloseTo(ref[i]!, 14));
  });
});

describe('pairedBootstrap', () => {
  const worse = powerPair({ trueAccuracyDrop: 0.03, truePearsonDrop: 0.04 });
  const pairs = synthetic(createRng(5), 600, worse, 0.03, 0.01);
  const cols = toColumns(pairs);

  it('is deterministic: the same seed gives the same interval to the last digit, another seed another', () => {
    const a = pairedBootstrap(cols, { resamples: 500, seed: 9 });
    const b = pairedBootstrap(cols, { resamples: 500, seed: 9 });
    const c = pairedBootstrap(cols, { resamples: 500, seed: 10 });
    expect(b).toEqual(a);
    expect(c.accuracy.lower).not.toBe(a.accuracy.lower);
    expect(c.pearson.upper).not.toBe(a.pearson.upper);
    // the estimate is the sample's, whatever the seed
    expect(c.accuracy.estimate).toBe(a.accuracy.estimate);
    const v = pairedValues(cols);
    expect(a.accuracy.estimate).toBe(v.accuracy.candidate! - v.accuracy.baseline!);
    expect(a).toMatchObject({ resamples: 500, seed: 9, level: 0.95, n: 600 });
  });

  it('brackets the estimate, and a wider level gives a wider interval', () => {
    const r95 = pairedBootstrap(cols);
    const r80 = pairedBootstrap(cols, { level: 0.8 });
    for (const k of ['accuracy', 'pearson', 'parseRate'] as const) {
      const i = r95[k];
      expect(i.lower!).toBeLessThanOrEqual(i.estimate!);
      expect(i.upper!).toBeGreaterThanOrEqual(i.estimate!);
      expect(i.valid + i.skipped).toBe(2000);
      expect(r80[k].upper! - r80[k].lower!).toBeLessThan(i.upper! - i.lower!);
    }
  });

  it('gives one-sided bounds from the same resamples: at 0.95 they are the ends of the 90% interval', () => {
    const r95 = pairedBootstrap(cols, { resamples: 1000, seed: 3 });
    const r90 = pairedBootstrap(cols, { resamples: 1000, seed: 3, level: 0.9 });
    for (const k of ['accuracy', 'pearson', 'parseRate'] as const) {
      // equal up to the float rounding of 1 - 0.95 against (1 - 0.9) / 2
      expect(oneSidedBound(r95[k], 'lower', 0.95)).toBeCloseTo(r90[k].lower!, 14);
      expect(oneSidedBound(r95[k], 'upper', 0.95)).toBeCloseTo(r90[k].upper!, 14);
      expect(oneSidedBound(r95[k], 'lower', 0.975)).toBeCloseTo(r95[k].lower!, 14);
      expect(oneSidedBound(r95[k], 'upper', 0.975)).toBeCloseTo(r95[k].upper!, 14);
      expect(oneSidedBound(r95[k], 'lower', 0.95)).toBeGreaterThan(r95[k].lower!);
      expect(r95[k].sorted).toHaveLength(r95[k].valid);
    }
  });

  it('skips and counts resamples where a delta is undefined', () => {
    // candidate answers 3 except once: many resamples miss the one 4, leaving its Pearson undefined
    const few = toColumns([
      pair(1, 3, 1),
      pair(2, 3, 2),
      pair(4, 4, 3),
      pair(5, 3, 5),
      pair(3, 3, 4),
      pair(2, 3, 1),
    ]);
    const r = pairedBootstrap(few, { resamples: 400, seed: 1 });
    expect(r.pearson.skipped).toBeGreaterThan(50);
    expect(r.pearson.valid + r.pearson.skipped).toBe(400);
    expect(r.accuracy.skipped).toBe(0);
    const none = pairedBootstrap(toColumns([]), { resamples: 10 });
    expect(none.accuracy).toEqual({
      estimate: null,
      lower: null,
      upper: null,
      se: null,
      valid: 0,
      skipped: 10,
      sorted: new Float64Array(0),
    });
    expect(oneSidedBound(none.accuracy, 'lower', 0.95)).toBeNull();
  });

  it('names a bad option', () => {
    expect(() => pairedBootstrap(cols, { resamples: 0 })).toThrow(
      /resamples must be a positive integer, got 0/,
    );
    expect(() => pairedBootstrap(cols, { level: 95 })).toThrow(
      /level must be between 0 and 1 \(e.g. 0.95\), got 95/,
    );
  });

  it('covers the true deltas in about 95% of 200 synthetic experiments', () => {
    // Known truth: the power model's exact population values; parse rates 0.96 vs 0.99 independent of
    // the answer, so the true parse-rate delta is -0.03 and the both-parsed accuracy delta is the judges'.
    const { base: tb, candidate: tc } = worse.pair;
    const truth = {
      accuracy: tc.accuracy - tb.accuracy,
      pearson: tc.pearson - tb.pearson,
      parseRate: -0.03,
    };
    const rng = createRng(2024);
    const hits = { accuracy: 0, pearson: 0, parseRate: 0 };
    const reps = 200;
    for (let rep = 0; rep < reps; rep++) {
      const r = pairedBootstrap(toColumns(synthetic(rng, 400, worse, 0.04, 0.01)), {
        resamples: 400,
        seed: rep,
      });
      for (const k of ['accuracy', 'pearson', 'parseRate'] as const) {
        if (r[k].lower! <= truth[k] && truth[k] <= r[k].upper!) hits[k]++;
      }
    }
    // 95% of 200 has a binomial SD of 1.5 points: accept 89-99.5%.
    for (const k of ['accuracy', 'pearson', 'parseRate'] as const) {
      expect(hits[k] / reps, k).toBeGreaterThanOrEqual(0.89);
      expect(hits[k] / reps, k).toBeLessThanOrEqual(0.995);
    }
  });
});
