import { describe, expect, it } from 'vitest';
import { decideAnswer } from '../../src/simulator/behaviour.js';
import { simulatorOptions } from '../../src/simulator/options.js';
import { pairOutcome, pairRates, pairTable } from '../../src/simulator/pair.js';
import { parseSimulatorArgs } from '../../src/simulator/args.js';

describe('pairRates', () => {
  it.each([
    [0.4, 0.75, 0.02],
    [0.4, 0.75, -0.05],
    [0.4, 0.75, 0.1], // beyond uniform churn: every changed wrong answer becomes right
    [0.4, 0.75, -0.2], // beyond uniform churn the other way: nothing becomes right
    [0.6, 0.9, 0],
  ])('around accuracy %d, agreement %d, change %d: the shares add up', (a, agreement, d) => {
    const r = pairRates(a, { agreement, accuracyDelta: d });
    expect(r.newlyRight - r.newlyWrong).toBeCloseTo(d, 12);
    expect(r.newlyWrong + r.newlyRight + r.otherWrong).toBeCloseTo(1 - agreement, 12);
    for (const x of [r.changeIfRight, r.changeIfWrong, r.rightIfChanged]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
    // The conditional rates give back the shares.
    expect(a * r.changeIfRight).toBeCloseTo(r.newlyWrong, 12);
    expect((1 - a) * r.changeIfWrong * r.rightIfChanged).toBeCloseTo(r.newlyRight, 12);
  });

  it('pairTable: the 2x2 table sums to 1 with the base and candidate accuracies as margins', () => {
    const t = pairTable(0.4, { agreement: 0.75, accuracyDelta: -0.05 });
    expect(t.bothRight + t.newlyWrong + t.newlyRight + t.bothWrong).toBeCloseTo(1, 12);
    expect(t.bothRight + t.newlyWrong).toBeCloseTo(0.4, 12);
    expect(t.bothRight + t.newlyRight).toBeCloseTo(0.35, 12);
    // Uniform churn: a quarter of the right answers change.
    expect(t.newlyWrong).toBeCloseTo(0.1, 12);
  });

  it('rejects a change the churn cannot make, naming what is possible', () => {
    expect(() => pairRates(0.4, { agreement: 0.95, accuracyDelta: 0.1 })).toThrow(
      /impossible at agreement 0.95 around accuracy 0.4 \(possible: -0.0500 to 0.0500\)/,
    );
    expect(() => pairRates(0.4, { agreement: 0, accuracyDelta: 0 })).toThrow(/agreement/);
    // Churn 0.9 and +0.55: 0.725 of the videos would have to become right, of 0.6 wrong ones.
    expect(() => pairRates(0.4, { agreement: 0.1, accuracyDelta: 0.55 })).toThrow(
      /needs more videos to change than there are wrong answers/,
    );
  });

  it('pairOutcome keeps a video unless its draw falls in the change band', () => {
    const r = pairRates(0.4, { agreement: 0.75, accuracyDelta: 0 }); // rightIfChanged 2/3
    expect(pairOutcome(true, r, 0.99, 0)).toBe('same');
    expect(pairOutcome(true, r, 0, 0)).toBe('newly-wrong');
    expect(pairOutcome(false, r, 0, 0)).toBe('newly-right');
    expect(pairOutcome(false, r, 0, 0.999)).toBe('other-wrong');
  });
});

describe('a paired simulated checkpoint', () => {
  const n = 20_000;
  const urls = Array.from({ length: n }, (_, i) => `https://videos.example/pair/${i}.mp4`);
  const answerKey = new Map(urls.map((u, i) => [u, 1 + (i % 5)]));
  const base = simulatorOptions({ answerKey, accuracy: 0.4, seed: 3 });

  it.each([0.03, -0.05])(
    'agrees with its base on ~75%% of videos and moves accuracy by ~%d',
    (accuracyDelta) => {
      const cand = simulatorOptions({
        answerKey,
        accuracy: 0.4,
        seed: 3,
        pair: { agreement: 0.75, accuracyDelta },
      });
      let same = 0;
      let rightBase = 0;
      let rightCand = 0;
      let newlyWrong = 0;
      let newlyRight = 0;
      for (const u of urls) {
        const t = answerKey.get(u);
        const b = decideAnswer(base, u);
        const c = decideAnswer(cand, u);
        if (b === c) same++;
        if (b === t) rightBase++;
        if (c === t) rightCand++;
        if (b === t && c !== t) newlyWrong++;
        if (b !== t && c === t) newlyRight++;
      }
      const r = pairRates(0.4, { agreement: 0.75, accuracyDelta });
      // Binomial standard errors at n = 20,000 are about 0.003; 0.012 is four of them.
      expect(same / n).toBeCloseTo(0.75, 1);
      expect(Math.abs(same / n - 0.75)).toBeLessThan(0.012);
      expect(Math.abs(rightBase / n - 0.4)).toBeLessThan(0.012);
      expect(Math.abs((rightCand - rightBase) / n - accuracyDelta)).toBeLessThan(0.012);
      expect(Math.abs(newlyWrong / n - r.newlyWrong)).toBeLessThan(0.012);
      expect(Math.abs(newlyRight / n - r.newlyRight)).toBeLessThan(0.012);
    },
  );

  it('leaves the base checkpoint as it was (pair draws are separate)', () => {
    const cand = simulatorOptions({
      answerKey,
      accuracy: 0.4,
      seed: 3,
      pair: { agreement: 1, accuracyDelta: 0 },
    });
    expect(urls.slice(0, 500).every((u) => decideAnswer(cand, u) === decideAnswer(base, u))).toBe(
      true,
    );
  });

  it('is set from the command line; an impossible pair names the option', () => {
    expect(parseSimulatorArgs(['--accuracy-delta', '0.02']).options.pair).toEqual({
      agreement: 0.75,
      accuracyDelta: 0.02,
    });
    expect(
      parseSimulatorArgs(['--agreement', '0.8', '--accuracy-delta', '-0.03']).options.pair,
    ).toEqual({ agreement: 0.8, accuracyDelta: -0.03 });
    expect(() => parseSimulatorArgs(['--agreement', '1.5'])).toThrow(/--agreement must be/);
    expect(() =>
      simulatorOptions({ accuracy: 0.4, pair: { agreement: 0.99, accuracyDelta: 0.2 } }),
    ).toThrow(/simulator options: pair: an accuracy change of 0.2 is impossible/);
  });
});
