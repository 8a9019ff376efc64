import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import type { BaselineData } from '../../src/core/baseline.js';
import { computeMetrics } from '../../src/core/metrics.js';
import type { Summary } from '../../src/core/summary.js';
import type { ResultRow } from '../../src/core/types.js';
import { decide } from '../../src/gate/decide.js';
import { bestDecision, withBestDecision } from '../../src/sweep/best-verdict.js';
import { pairedRuns } from '../helpers/paired-runs.js';
import { python } from '../helpers/python.js';

const config: Pick<Config, 'alpha' | 'decision' | 'thresholds'> = {
  alpha: 0.05,
  decision: 'auto',
  thresholds: { maxAccuracyDrop: 0.03, maxPearsonDrop: 0.06, maxErrorRate: 0.05 },
};

/** A checkpoint's finished run against a baseline with predictions, its summary decided as the gate does. */
function checkpointRun(seed: number, drop: number) {
  const { candidate, baseline } = pairedRuns(3397, seed, { agree: 0.8, drop });
  const rows: ResultRow[] = candidate.map((c, index) => ({
    ...c,
    output_text: String(c.pred_score),
    index,
    latency_ms: 1,
    finish_reason: 'stop',
    usage: null,
    // pairedRuns makes no failed request unless asked (errC).
    error: null,
  }));
  const base: BaselineData = {
    source: 'baseline.json',
    kind: 'gate-baseline',
    accuracy: null,
    pearson: null,
    parseRate: null,
    numSamples: baseline.length,
    predictions: baseline,
  };
  const d = decide(config, {
    metrics: computeMetrics(rows),
    rows,
    baseline: base,
    numRows: rows.length,
    numSkipped: 0,
  });
  const summary = {
    verdict: d.verdict,
    reasons: d.reasons,
    checks: d.checks,
    decision: d.decision,
    significance: d.significance,
    num_rows: rows.length,
    num_skipped_rows: 0,
    accuracy: computeMetrics(rows).accuracy,
  } as unknown as Summary;
  return { summary, rows, baseline: base };
}

describe('bestDecision: the best of M is decided at alpha / M for pass and improvement', () => {
  it('a best that passes as a lone checkpoint but not at alpha / 5 is inconclusive for the job; the bound read is at 1 - alpha / 5', () => {
    // An accuracy drop near the tolerance of 0.03: the lone test (bound -0.029 at 95%) passes it.
    const run = checkpointRun(3, 0.05);
    expect(run.summary.verdict).toBe('pass');
    const d = bestDecision(config, run, run.baseline, 5);
    expect(d).toMatchObject({
      picked_from: 5,
      alpha: 0.01,
      verdict: 'inconclusive',
      changed: true,
    });
    expect(d?.reasons[0]).toBe(
      "the best of 5 checkpoints, picked on these videos: pass and improvement decided at alpha 0.05 / 5 = 0.01 (a lone checkpoint's verdict would be pass)",
    );
    const accuracy = d?.checks.find((c) => c.metric === 'accuracy');
    expect(accuracy?.paired?.bound).toMatchObject({ side: 'lower', against: -0.03 });
    expect(accuracy?.paired?.bound?.level).toBeCloseTo(1 - 0.01, 12);
    // The lower bound at 1 - alpha / 5 is the alpha / 5 quantile of a paired bootstrap of the accuracy
    // delta (on the videos both parsed): numpy's, to Monte Carlo error, and below the tolerance.
    const both = run.rows.flatMap((r, i) => {
      const b = run.baseline.predictions?.[i];
      return r.pred_score !== null && b?.pred_score != null
        ? [[Number(r.pred_score === r.ground_truth), Number(b.pred_score === b.ground_truth)]]
        : [];
    });
    const numpy = python<number>(
      `
import json, sys
import numpy as np
d = np.array(json.load(sys.stdin), float)
rng = np.random.default_rng(5)
idx = rng.integers(0, len(d), size=(10000, len(d)))
deltas = d[idx, 0].mean(1) - d[idx, 1].mean(1)
print(json.dumps(float(np.quantile(deltas, 0.01))))
`,
      both,
    );
    expect(Math.abs((accuracy?.paired?.bound?.value ?? NaN) - numpy)).toBeLessThan(0.003);
    expect(numpy).toBeLessThan(-0.03);
    // The job's summary takes the corrected decision; the run's own stays as it was.
    const job = withBestDecision(run.summary, d);
    expect(job.verdict).toBe('inconclusive');
    expect(job.significance?.alpha).toBe(0.01);
    expect(run.summary.verdict).toBe('pass');
  });

  it('a clear pass stays a pass (changed false); one checkpoint, a regression or no baseline change nothing or say so', () => {
    const clear = checkpointRun(3, 0);
    expect(clear.summary.verdict).toBe('pass');
    expect(bestDecision(config, clear, clear.baseline, 5)).toMatchObject({
      verdict: 'pass',
      changed: false,
      alpha: 0.01,
    });
    // Nothing was picked from: a lone checkpoint's verdict.
    expect(bestDecision(config, clear, clear.baseline, 1)).toBeUndefined();
    // A regression is not flattered by the pick: kept as decided.
    const worse = checkpointRun(1, 0.08);
    expect(worse.summary.verdict).toBe('regression');
    expect(bestDecision(config, worse, worse.baseline, 5)).toBeUndefined();
    // A merge job without the runs' baseline cannot decide it again: the pass stands, flagged.
    const flagged = bestDecision(config, clear, null, 5);
    expect(flagged).toMatchObject({ verdict: 'pass', changed: false, alpha: 0.05 });
    expect(flagged?.uncorrected).toMatch(/no baseline with per-video predictions/);
    expect(flagged?.reasons[0]).toMatch(/its pass is NOT corrected for the pick/);
    // Nor with another baseline than the one its run was decided against.
    const other = checkpointRun(2, 0.2);
    const mismatch = bestDecision(config, clear, other.baseline, 5);
    expect(mismatch?.uncorrected).toMatch(/not the baseline it was decided against/);
  });
});
