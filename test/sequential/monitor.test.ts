import { describe, expect, it } from 'vitest';
import type { BaselineData, BaselinePrediction } from '../../src/core/baseline.js';
import { computeMetrics } from '../../src/core/metrics.js';
import type { ResultRow } from '../../src/core/types.js';
import { sequentialDesign } from '../../src/sequential/design.js';
import { decideLook } from '../../src/sequential/decide-look.js';
import { lookStatistics } from '../../src/sequential/evidence.js';
import {
  replaySequential,
  SequentialMonitor,
  type MonitorOptions,
} from '../../src/sequential/monitor.js';
import type { PairedVideo } from '../../src/stats/pairing.js';
import { createRng } from '../../src/stats/prng.js';
import { decide } from '../../src/gate/decide.js';
import { row } from '../helpers/rows.js';
import { pairedSample } from './fixtures.js';

const TOL = { accuracy: 0.03, pearson: 0.06, parseRate: 0.03 };

function asRun(pairs: readonly PairedVideo[]): {
  rows: ResultRow[];
  predictions: BaselinePrediction[];
} {
  return {
    rows: pairs.map((p, i) => ({ ...row(p.gt, p.pred_c, { url: p.video_url }), index: i })),
    predictions: pairs.map((p) => ({
      video_url: p.video_url,
      ground_truth: p.gt,
      pred_score: p.pred_b,
    })),
  };
}

function options(pairs: readonly PairedVideo[], predictions: BaselinePrediction[]): MonitorOptions {
  return {
    order: pairs.map((p) => p.video_url),
    design: sequentialDesign(pairs.length),
    predictions,
    alpha: 0.05,
    tolerance: TOL,
  };
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rng = createRng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('SequentialMonitor', () => {
  // A broken checkpoint: right on 15% of the videos it changed.
  const broken = pairedSample({ n: 600, seed: 21, agreement: 0.5, changedRight: 0.05 });
  const run = asRun(broken);
  const o = options(broken, run.predictions);

  it('stops at the first look whose verdict is not inconclusive, on exactly that look’s prefix', () => {
    const out = replaySequential(run.rows, o);
    const firstDecisive = o.design.looks.find(
      (l) =>
        decideLook({
          statistics: lookStatistics(broken.slice(0, l.videos)),
          design: o.design,
          look: l.index,
          alpha: 0.05,
          tolerance: TOL,
          pairedVideos: l.videos,
        }).verdict !== 'inconclusive',
    );
    expect(firstDecisive).toBeDefined();
    expect(firstDecisive!.index).toBeLessThan(o.design.looks.length);
    expect(out.stopped?.look).toBe(firstDecisive!.index);
    expect(out.stopped?.verdict).toBe('regression');
    expect(out.taken.map((t) => t.look)).toEqual(
      Array.from({ length: firstDecisive!.index }, (_, i) => i + 1),
    );
  });

  it('in any arrival order: the same looks, the same stop (rows beyond a prefix wait for their look)', () => {
    const inOrder = replaySequential(run.rows, o);
    for (const seed of [1, 2, 3]) {
      const out = replaySequential(shuffled(run.rows, seed), o);
      expect(out.stopped?.look).toBe(inOrder.stopped?.look);
      expect(out.stopped?.perMetric).toEqual(inOrder.stopped?.perMetric);
    }
  });

  it('takes no look while a video of its prefix is missing, however many later ones are in', () => {
    const m = new SequentialMonitor(o);
    const first = o.design.looks[0]!.videos;
    run.rows.slice(0, first * 3).forEach((r, i) => {
      if (i !== 3) expect(m.add(r)).toBeUndefined();
    });
    expect(m.result().taken).toEqual([]);
    const stop = m.add(run.rows[3]!);
    expect(stop?.verdict).toBe('regression');
    // Once stopped, it stays stopped at that look.
    expect(m.add(run.rows[5]!)).toBe(stop);
  });

  it('a failed request counts as scored and is left out of the pairs', () => {
    const rows = run.rows.map((r, i) =>
      i % 10 === 0
        ? { ...r, pred_score: null, error: { kind: 'timeout' as const, message: 't' } }
        : r,
    );
    const out = replaySequential(rows, o);
    expect(out.taken[0]?.videos).toBe(o.design.looks[0]!.videos);
    const acc = out.last?.perMetric.find((m) => m.metric === 'accuracy');
    expect(acc?.n).toBeLessThan(out.last!.videos);
  });

  it('a run no earlier look could decide is decided at the last look, which is not a stop', () => {
    const better = pairedSample({ n: 300, seed: 24, agreement: 0.6, changedRight: 0.4 });
    const r = asRun(better);
    const out = replaySequential(r.rows, options(better, r.predictions));
    expect(out.stopped).toBeUndefined();
    expect(out.taken.map((t) => t.verdict)).toEqual([
      ...Array<string>(5).fill('inconclusive'),
      'improvement',
    ]);
    expect(out.last?.look).toBe(6);
  });

  it('decide(): the verdict of the look, its reasons and the record summary.json keeps', () => {
    const baseline: BaselineData = {
      source: 'baseline.json',
      kind: 'gate-baseline',
      accuracy: 0.4,
      pearson: 0.4,
      parseRate: 1,
      numSamples: 600,
      predictions: run.predictions,
    };
    const stop = replaySequential(run.rows, o).stopped!;
    // What a run has when it stops: the look's prefix and a few more finished in flight.
    const obtained = run.rows.slice(0, stop.videos + 7);
    const d = decide(
      {
        alpha: 0.05,
        decision: 'auto',
        thresholds: { maxAccuracyDrop: 0.03, maxPearsonDrop: 0.06, maxErrorRate: 0.05 },
      },
      {
        metrics: computeMetrics(obtained),
        rows: obtained,
        baseline,
        numRows: 600,
        numSkipped: 0,
        sequential: o,
      },
    );
    expect(d.verdict).toBe('regression');
    expect(d.reasons[0]).toBe(
      `stopped early after ${stop.videos} of 600 videos at look ${stop.look} of ${stop.looks} (stop-early)`,
    );
    expect(d.significance?.sequential).toMatchObject({
      look: stop.look,
      looks: 12,
      videos: stop.videos,
      planned: 600,
      stopped: true,
    });
    // The paired counts are the look's videos, not the 7 beyond it.
    expect(d.significance?.paired).toBe(stop.videos);
    const acc = d.checks.find((c) => c.metric === 'accuracy');
    expect(acc?.paired?.bound?.level).toBeCloseTo(
      stop.perMetric.find((m) => m.metric === 'accuracy')!.bound!.level,
      12,
    );
  });
});
