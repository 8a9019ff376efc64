import { describe, expect, it } from 'vitest';
import { decideAnswer, simulatorPairModel } from '../../src/simulator/behaviour.js';
import { simulatorBaseAnswers, wrongWeights } from '../../src/simulator/base-answers.js';
import { simulatorOptions } from '../../src/simulator/options.js';
import {
  pairAnswer,
  pairModel,
  pairOutcome,
  pairRates,
  pairTable,
  type BaseAnswers,
  type PairSpec,
} from '../../src/simulator/pair.js';
import { parseSimulatorArgs } from '../../src/simulator/args.js';
import { createRng } from '../../src/stats/prng.js';
import { measurePairs } from '../helpers/pair-check.js';
import { python } from '../helpers/python.js';
import { baseAnswers, calibrate } from '../../bench/power-model.js';

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

/** The bench's human-score shares (bench/power-model.ts GT_WEIGHTS), under the simulator's base answers. */
const TRUTH = [0.08, 0.17, 0.27, 0.33, 0.15];
const SIM_BASE: BaseAnswers = simulatorBaseAnswers(
  0.4,
  [0.02, 0.08, 0.5, 0.36, 0.04],
  TRUTH.flatMap((w, i) => Array.from({ length: Math.round(w * 100) }, () => i + 1)),
);

/** The header's model, written again in numpy: the candidate's table and Pearson at tilt θ. */
const NUMPY_MODEL = `
import json, sys
import numpy as np
d = json.load(sys.stdin)
t = np.array(d["truth"], float); t /= t.sum()
A = np.array(d["answers"], float); A /= A.sum(1, keepdims=True)
J = t[:, None] * A
s = np.arange(1, 6)
def pearson(T):
    pg, pc = T.sum(1), T.sum(0)
    eg, ec = pg @ s, pc @ s
    return float((s @ T @ s - eg * ec) / np.sqrt((pg @ s**2 - eg**2) * (pc @ s**2 - ec**2)))
def table(th, r):
    C = np.zeros((5, 5))
    for g in range(5):
        for b in range(5):
            w = A[g] * np.exp(-th * (s - s[g]) ** 2)
            w[g] = 0
            if b != g: w[b] = 0
            if w.sum() == 0:
                w = np.ones(5); w[g] = 0; w[b] = 0
            w /= w.sum()
            if b == g:
                C[g, g] += J[g, b] * (1 - r["changeIfRight"])
                C[g] += J[g, b] * r["changeIfRight"] * w
            else:
                C[g, b] += J[g, b] * (1 - r["changeIfWrong"])
                C[g, g] += J[g, b] * r["changeIfWrong"] * r["rightIfChanged"]
                C[g] += J[g, b] * r["changeIfWrong"] * (1 - r["rightIfChanged"]) * w
    return C
out = []
for m in d["models"]:
    C = table(m["tilt"], m["rates"])
    grid = [pearson(table(th, m["rates"])) for th in np.linspace(-6, 6, 241)]
    out.append({"base": pearson(J), "cand": pearson(C), "acc": float(np.trace(C)), "table": C.tolist(), "grid": grid})
print(json.dumps(out))
`;

describe('pairModel: agreement, accuracy and Pearson as asked', () => {
  const specs: PairSpec[] = [
    { agreement: 0.75, accuracyDelta: 0, pearsonDelta: 0 },
    { agreement: 0.75, accuracyDelta: -0.04, pearsonDelta: 0 },
    { agreement: 0.75, accuracyDelta: 0, pearsonDelta: -0.06 },
    { agreement: 0.75, accuracyDelta: 0.05, pearsonDelta: 0.02 },
    { agreement: 0.9, accuracyDelta: -0.02, pearsonDelta: -0.04 },
    { agreement: 0.75, accuracyDelta: -0.04 }, // untilted: Pearson as the base's answers carry it
  ];

  it.each([
    ['the simulator', SIM_BASE],
    ['the power bench', baseAnswers(calibrate(0.4, 0.4))],
  ] as const)(
    'around %s base: the asked population changes exactly, and numpy builds the same candidate table from the header',
    (_, baseTable) => {
      const models = specs.map((spec) => pairModel(baseTable, spec));
      const ref = python<
        { base: number; cand: number; acc: number; table: number[][]; grid: number[] }[]
      >(NUMPY_MODEL, {
        ...baseTable,
        models: models.map((m) => ({ tilt: m.tilt, rates: m.rates })),
      });
      models.forEach((m, i) => {
        const spec = specs[i]!;
        const r = ref[i]!;
        expect(m.candidate.agreement).toBeCloseTo(spec.agreement, 12);
        expect(m.candidate.accuracy - m.base.accuracy).toBeCloseTo(spec.accuracyDelta, 12);
        if (spec.pearsonDelta !== undefined) {
          expect(m.candidate.pearson - m.base.pearson).toBeCloseTo(spec.pearsonDelta, 11);
        } else expect(m.tilt).toBe(0);
        // numpy, from the header's formula at the same tilt and rates
        expect(Math.abs(m.base.pearson - r.base)).toBeLessThan(1e-12);
        expect(Math.abs(m.candidate.pearson - r.cand)).toBeLessThan(1e-12);
        expect(Math.abs(m.candidate.accuracy - r.acc)).toBeLessThan(1e-12);
        m.table.forEach((row, g) =>
          row.forEach((x, c) => expect(x).toBeCloseTo(r.table[g]![c]!, 12)),
        );
        // The header's claim bisection rests on: Pearson rises with θ.
        r.grid.slice(1).forEach((p, k) => expect(p).toBeGreaterThanOrEqual(r.grid[k]! - 1e-12));
      });
      // Untilted, a 4-point accuracy drop also drops Pearson: holding it (pearsonDelta 0) is a real constraint.
      const untilted = models[5]!;
      expect(untilted.candidate.pearson - untilted.base.pearson).toBeLessThan(-0.02);
    },
  );

  it('throws for a Pearson change the tilt cannot reach, naming what it can', () => {
    expect(() =>
      pairModel(SIM_BASE, { agreement: 0.9, accuracyDelta: 0, pearsonDelta: 0.2 }),
    ).toThrow(
      /a Pearson change of 0.2 is impossible at agreement 0.9 .*\(possible: -0\.\d{4} to 0\.\d{4}\)/,
    );
    expect(() =>
      pairModel(SIM_BASE, { agreement: 1, accuracyDelta: 0, pearsonDelta: -0.01 }),
    ).toThrow(/possible: 0.0000 to 0.0000/);
    expect(
      pairModel(SIM_BASE, { agreement: 1, accuracyDelta: 0, pearsonDelta: 0 }).tilt,
    ).toBeDefined();
  });

  it('with no Pearson change asked, draws the wrong scores exactly as the simulated base draws its own', () => {
    const m = pairModel(SIM_BASE, { agreement: 0.75, accuracyDelta: 0.03 });
    const dist = [0.02, 0.08, 0.5, 0.36, 0.04] as const;
    for (let g = 1; g <= 5; g++) {
      for (let b = 1; b <= 5; b++) {
        const w = wrongWeights(dist, g, b === g ? [] : [b]);
        const total = w.reduce((s, x) => s + x, 0);
        w.forEach((x, c) => expect(m.wrong[g - 1]![b - 1]![c]).toBeCloseTo(x / total, 14));
      }
    }
  });

  /**
   * K independent samples of n videos: base answers drawn from SIM_BASE, the candidate by pairAnswer; numpy
   * measures each sample's agreement, accuracy delta and Pearson delta (np.corrcoef).
   */
  function measured(spec: PairSpec, seed: number, k = 20, n = 20_000) {
    const m = pairModel(SIM_BASE, spec);
    const rng = createRng(seed);
    const cum = (xs: readonly number[]): number[] => {
      const total = xs.reduce((s, x) => s + x, 0);
      let acc = 0;
      return xs.map((x) => (acc += x / total));
    };
    const draw = (c: number[]): number => {
      const u = rng.uniform();
      const i = c.findIndex((x) => u < x);
      return (i < 0 ? 4 : i) + 1;
    };
    const tc = cum(SIM_BASE.truth);
    const ac = SIM_BASE.answers.map(cum);
    const g: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < k * n; i++) {
      const gi = draw(tc);
      const bi = draw(ac[gi - 1]!);
      g.push(gi);
      b.push(bi);
      c.push(pairAnswer(m, gi, bi, rng.uniform(), rng.uniform(), rng.uniform()));
    }
    return { model: m, ...measurePairs(k, g, b, c) };
  }

  it.each([
    { agreement: 0.75, accuracyDelta: -0.04, pearsonDelta: 0 },
    { agreement: 0.75, accuracyDelta: 0, pearsonDelta: -0.06 },
    { agreement: 0.9, accuracyDelta: 0.03, pearsonDelta: 0.02 },
  ])(
    'drawn candidates agree, and move accuracy and Pearson, as asked within Monte Carlo error: %o',
    (spec) => {
      const s = measured(spec, 11);
      // 20 samples of 20,000 videos: within 4 standard errors of the mean (and a plain bound as well).
      expect(Math.abs(s.agree.mean - spec.agreement)).toBeLessThan(Math.max(4 * s.agree.se, 1e-4));
      expect(Math.abs(s.acc.mean - spec.accuracyDelta)).toBeLessThan(4 * s.acc.se);
      expect(Math.abs(s.r.mean - spec.pearsonDelta)).toBeLessThan(4 * s.r.se);
      expect(Math.abs(s.r.mean - spec.pearsonDelta)).toBeLessThan(0.003);
      expect(s.r.se).toBeLessThan(0.002);
    },
  );

  it('the same check catches a candidate that does not hold Pearson (untilted, accuracy -0.04)', () => {
    const s = measured({ agreement: 0.75, accuracyDelta: -0.04 }, 12);
    const natural = s.model.candidate.pearson - s.model.base.pearson;
    expect(Math.abs(s.r.mean - natural)).toBeLessThan(4 * s.r.se);
    // Asked for 0, this candidate would fail the check above by far.
    expect(Math.abs(s.r.mean - 0)).toBeGreaterThan(8 * s.r.se);
  });
});

describe('a paired simulated checkpoint with a Pearson change', () => {
  const n = 20_000;
  const urls = Array.from({ length: n }, (_, i) => `https://videos.example/pearson/${i}.mp4`);
  const answerKey = new Map(urls.map((u, i) => [u, 1 + (i % 5)]));
  const base = simulatorOptions({ answerKey, accuracy: 0.4, seed: 4 });

  it('moves Pearson by pearsonDelta (numpy on the served answers) at the asked agreement and accuracy', () => {
    const pair = { agreement: 0.75, accuracyDelta: -0.03, pearsonDelta: 0.03 };
    const cand = simulatorOptions({ answerKey, accuracy: 0.4, seed: 4, pair });
    const g = urls.map((u) => answerKey.get(u)!);
    const b = urls.map((u) => decideAnswer(base, u));
    const c = urls.map((u) => decideAnswer(cand, u));
    const r = python<{ agree: number; acc: number; r: number }>(
      `
import json, sys
import numpy as np
d = json.load(sys.stdin)
g, b, c = (np.array(d[x]) for x in ("g", "b", "c"))
print(json.dumps({"agree": float(np.mean(b == c)), "acc": float(np.mean(c == g) - np.mean(b == g)),
  "r": float(np.corrcoef(g, c)[0, 1] - np.corrcoef(g, b)[0, 1])}))
`,
      { g, b, c },
    );
    const m = simulatorPairModel(cand);
    expect(m.candidate.pearson - m.base.pearson).toBeCloseTo(0.03, 11);
    // One sample of 20,000: binomial SE about 0.003 for the shares; the Pearson delta's SE is about 0.004.
    expect(Math.abs(r.agree - 0.75)).toBeLessThan(0.012);
    expect(Math.abs(r.acc + 0.03)).toBeLessThan(0.012);
    expect(Math.abs(r.r - 0.03)).toBeLessThan(0.016);
    // Without the Pearson change the same pair lowers Pearson instead.
    const plain = simulatorPairModel(
      simulatorOptions({
        answerKey,
        accuracy: 0.4,
        seed: 4,
        pair: { ...pair, pearsonDelta: undefined },
      }),
    );
    expect(plain.candidate.pearson - plain.base.pearson).toBeLessThan(-0.01);
  });

  it('is set with --pearson-delta; needs an answer key; an impossible one names the option', () => {
    expect(parseSimulatorArgs(['--pearson-delta', '-0.02']).options.pair).toEqual({
      agreement: 0.75,
      accuracyDelta: 0,
      pearsonDelta: -0.02,
    });
    expect(
      parseSimulatorArgs([
        '--pearson-delta',
        '0.01',
        '--agreement',
        '0.8',
        '--accuracy-delta',
        '0.02',
      ]).options.pair,
    ).toEqual({ agreement: 0.8, accuracyDelta: 0.02, pearsonDelta: 0.01 });
    expect(() => parseSimulatorArgs(['--pearson-delta', 'x'])).toThrow(/--pearson-delta must be/);
    expect(() =>
      simulatorOptions({
        accuracy: 0.4,
        pair: { agreement: 0.75, accuracyDelta: 0, pearsonDelta: 0 },
      }),
    ).toThrow(/simulator options: pair: a Pearson change needs an answer key/);
    expect(() =>
      simulatorOptions({
        answerKey,
        accuracy: 0.4,
        pair: { agreement: 0.95, accuracyDelta: 0, pearsonDelta: 0.3 },
      }),
    ).toThrow(/simulator options: pair: a Pearson change of 0.3 is impossible/);
  });
});
