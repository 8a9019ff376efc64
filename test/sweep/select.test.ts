import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/core/metrics.js';
import type { Summary } from '../../src/core/summary.js';
import type { ResultRow } from '../../src/core/types.js';
import { createRng } from '../../src/stats/index.js';
import { checkpointName, stepOf } from '../../src/sweep/checkpoints.js';
import { selectCheckpoint, type CheckpointRun } from '../../src/sweep/select.js';
import { buildSweepSummary } from '../../src/sweep/summary.js';
import { python } from '../helpers/python.js';
import { sweepReference } from '../helpers/sweep.js';

const N = 800;

/**
 * Checkpoints of one training run: video i has a difficulty u_i, and a checkpoint of accuracy level a is
 * right where u_i < a on most videos (neighbouring checkpoints agree, as in training), at random elsewhere;
 * a wrong answer is one off the truth. A few replies do not parse and one request fails.
 */
function trainingCurve(levels: readonly number[], seed = 7): ResultRow[][] {
  const rng = createRng(seed);
  const gt = Array.from({ length: N }, () => 1 + Math.floor(rng.uniform() * 5));
  const u = Array.from({ length: N }, () => rng.uniform());
  return levels.map((a) =>
    gt.map((g, i) => {
      const right = rng.uniform() < 0.8 ? (u[i] as number) < a : rng.uniform() < a;
      const pred = right ? g : g === 5 ? 4 : g + 1;
      const unparsed = rng.uniform() < 0.02;
      return {
        video_url: `https://v.test/${i}.mp4`,
        ground_truth: g,
        output_text: unparsed ? 'no score' : String(pred),
        pred_score: unparsed ? null : pred,
        index: i,
        latency_ms: 1,
        finish_reason: 'stop',
        usage: null,
        error: i === 3 ? { kind: 'http_5xx', status: 500, message: 'boom' } : null,
      } satisfies ResultRow;
    }),
  );
}

function finished(path: string, rows: ResultRow[]): CheckpointRun {
  const m = computeMetrics(rows);
  const summary = {
    accuracy: m.accuracy,
    pearson_correlation: m.pearson,
    num_samples: m.numSamples,
    parse_rate: m.parseRate,
    verdict: 'pass',
    reasons: [],
    checks: [{ metric: 'accuracy', kind: 'drop', delta: 0.01 }],
  } as unknown as Summary;
  return { checkpoint: { path, name: checkpointName(path), step: stepOf(path) }, summary, rows };
}

describe('selectCheckpoint: the best, and the set the paired tests cannot tell from it', () => {
  it('by accuracy: metrics and intervals as numpy/scipy, McNemar p and the set as scipy.stats.binomtest', () => {
    // A rise, then an overfitting decline: step 40 best, step 60 close to it, the rest clearly worse.
    const levels = [0.3, 0.42, 0.41, 0.36, 0.33];
    const curve = trainingCurve(levels);
    const runs = curve.map((rows, i) => finished(`ckpt/step_${(i + 1) * 20}`, rows));
    const got = selectCheckpoint(runs, { selectBy: 'accuracy', alpha: 0.05 });
    const ref = sweepReference(curve);
    expect(got.best).toBe(ref.best);
    expect(got.comparisons).toBe(4);
    got.rows.forEach((r, i) => {
      expect(r.accuracy).toBeCloseTo(ref.accuracy[i] as number, 12);
      expect(r.pearson).toBeCloseTo(ref.pearson[i] as number, 12);
      expect(r.accuracy_interval?.[0]).toBeCloseTo(ref.wilson[i]?.[0] as number, 9);
      expect(r.accuracy_interval?.[1]).toBeCloseTo(ref.wilson[i]?.[1] as number, 9);
      expect(r.pearson_interval?.[0]).toBeCloseTo(ref.fisher[i]?.[0] as number, 9);
      expect(r.pearson_interval?.[1]).toBeCloseTo(ref.fisher[i]?.[1] as number, 9);
      if (i !== ref.best) expect(r.versus_best?.mcnemar_p).toBeCloseTo(ref.p[i] as number, 10);
    });
    const set = got.rows.flatMap((r, i) => (r.indistinguishable ? [i] : []));
    expect(set).toEqual(ref.set);
    // The data were made so that the set is neither everything nor the best alone.
    expect(set.length).toBeGreaterThan(1);
    expect(set.length).toBeLessThan(levels.length);
    expect(got.rule).toMatch(/McNemar .* 0\.0125 \(alpha 0\.05 \/ 4 comparisons\)/);
  });

  it("by pearson: the set from the paired bootstrap interval, as numpy's percentile bootstrap puts it", () => {
    const curve = trainingCurve([0.3, 0.4, 0.39, 0.37]);
    const runs = curve.map((rows, i) => finished(`ckpt/step_${(i + 1) * 20}`, rows));
    const got = selectCheckpoint(runs, { selectBy: 'pearson', alpha: 0.05 });
    const best = got.best as number;
    const pearsons = got.rows.map((r) => r.pearson as number);
    expect(best).toBe(pearsons.indexOf(Math.max(...pearsons)));
    const ref = python<[number, number][]>(
      `
import json, sys
import numpy as np
d = json.load(sys.stdin)
runs, best, level = d["runs"], d["best"], d["level"]
rng = np.random.default_rng(1)
def col(rows):
    return {r["video_url"]: r["pred_score"] for r in rows if r["error"] is None and r["pred_score"] is not None}
B = col(runs[best]); gt = {r["video_url"]: r["ground_truth"] for r in runs[best]}
out = []
for i, rows in enumerate(runs):
    if i == best:
        out.append([0, 0]); continue
    O = col(rows); both = [u for u in B if u in O]
    g = np.array([gt[u] for u in both], float); b = np.array([B[u] for u in both], float); o = np.array([O[u] for u in both], float)
    idx = rng.integers(0, len(both), size=(8000, len(both)))
    def r(x, y):
        xm = x - x.mean(1, keepdims=True); ym = y - y.mean(1, keepdims=True)
        return (xm * ym).sum(1) / np.sqrt((xm ** 2).sum(1) * (ym ** 2).sum(1))
    dl = r(g[idx], b[idx]) - r(g[idx], o[idx])
    out.append([float(np.quantile(dl, (1 - level) / 2)), float(np.quantile(dl, (1 + level) / 2))])
print(json.dumps(out))
`,
      { runs: curve, best, level: got.comparison_level },
    );
    got.rows.forEach((r, i) => {
      if (i === best) return;
      const [lo, hi] = r.versus_best?.pearson_interval ?? [NaN, NaN];
      // Two bootstraps with other random draws: the ends agree to Monte Carlo error.
      expect(Math.abs(lo - (ref[i]?.[0] as number))).toBeLessThan(0.004);
      expect(Math.abs(hi - (ref[i]?.[1] as number))).toBeLessThan(0.004);
      expect(r.indistinguishable).toBe(lo <= 0);
    });
  });

  it('a checkpoint without a result is an error row, never the best, and not one of the comparisons', () => {
    const curve = trainingCurve([0.3, 0.4, 0.35]);
    const runs: CheckpointRun[] = [
      finished('c/step_20', curve[0] as ResultRow[]),
      {
        checkpoint: { path: 'c/step_40', name: 'step_40', step: 40 },
        error: 'vLLM exited (code 3)',
      },
      finished('c/step_60', curve[2] as ResultRow[]),
      finished('c/step_80', curve[1] as ResultRow[]),
    ];
    const got = selectCheckpoint(runs, { selectBy: 'accuracy', alpha: 0.05 });
    expect(got.best).toBe(3);
    expect(got.comparisons).toBe(2);
    expect(got.rows[1]).toMatchObject({
      status: 'error',
      error: 'vLLM exited (code 3)',
      verdict: 'error',
      indistinguishable: false,
    });
    const none = selectCheckpoint([runs[1] as CheckpointRun], {
      selectBy: 'accuracy',
      alpha: 0.05,
    });
    expect(none.best).toBeNull();
  });

  it('select-by pearson with Pearson undefined for every finished checkpoint: no best, and the reason says why (not "no result")', () => {
    const curve = trainingCurve([0.3, 0.4]);
    // Every reply of both checkpoints is 3: Pearson is undefined, accuracy is not.
    const constant = curve.map((rows) =>
      rows.map((r) => (r.pred_score === null ? r : { ...r, pred_score: 3, output_text: '3' })),
    );
    const runs = constant.map((rows, i) => {
      const run = finished(`c/step_${(i + 1) * 20}`, rows);
      const why = computeMetrics(rows).pearsonUndefined;
      return { ...run, summary: { ...run.summary, pearson_undefined: why } as Summary };
    });
    const got = selectCheckpoint(runs, { selectBy: 'pearson', alpha: 0.05 });
    expect(got.best).toBeNull();
    expect(got.rows.every((r) => r.status === 'ok' && r.pearson === null)).toBe(true);
    const summary = buildSweepSummary(
      got,
      got.rows.map((r) => ({ dir: r.name, reused: false })),
      new Date(0),
      new Date(0),
    );
    expect(summary.verdict).toBe('error');
    expect(summary.reasons[0]).toBe(
      'no checkpoint has a pearson to rank by: step_20: constant predictions (every reply is 3); step_40: constant predictions (every reply is 3)',
    );
    // By accuracy the same runs do have a best.
    expect(selectCheckpoint(runs, { selectBy: 'accuracy', alpha: 0.05 }).best).not.toBeNull();
  });

  it('a finished checkpoint with nothing to rank by (no reply parsed) is listed, not compared, and never "≈ best"', () => {
    const curve = trainingCurve([0.3, 0.4, 0.35]);
    const silent = (curve[2] as ResultRow[]).map((r) =>
      r.error ? r : { ...r, pred_score: null, output_text: 'I cannot judge this video.' },
    );
    const runs = [
      finished('c/step_20', curve[0] as ResultRow[]),
      finished('c/step_40', curve[1] as ResultRow[]),
      finished('c/step_60', silent),
    ];
    const got = selectCheckpoint(runs, { selectBy: 'accuracy', alpha: 0.05 });
    expect(got.best).toBe(1);
    expect(got.comparisons).toBe(1);
    expect(got.rows[2]).toMatchObject({ status: 'ok', accuracy: null, indistinguishable: false });
    expect(got.rows[2]?.versus_best).toBeUndefined();
    expect(got.rule).toMatch(/0\.0500 \(alpha 0\.05 \/ 1 comparisons\)/);
  });
});
