import { describe, expect, it } from 'vitest';
import { renderComment } from '../../src/report/index.js';
import { sweepChart } from '../../src/report/sections/sweep.js';
import { renderSweepTerminal } from '../../src/report/terminal-sweep.js';
import type { SweepSummary } from '../../src/sweep/summary.js';
import { expectWellFormed } from '../helpers/gfm.js';
import { makeInput, videos } from '../helpers/report-input.js';

const EVIL = '<img src=x onerror=alert(1)> | @octocat `x` ](javascript:alert(1)) "q" \u202e';

type Row = SweepSummary['rows'][number];
const row = (over: Partial<Row>): Row => ({
  name: 'step_20',
  path: 'ckpt/step_20',
  step: 20,
  status: 'ok',
  accuracy: 0.35,
  accuracy_interval: [0.33, 0.37],
  pearson: 0.3,
  pearson_interval: [0.27, 0.33],
  parse_rate: 0.99,
  num_samples: 3000,
  verdict: 'pass',
  accuracy_delta: 0.01,
  pearson_delta: -0.02,
  best: false,
  indistinguishable: false,
  dir: 'step_20',
  reused: false,
  ...over,
});

/** A sweep.json as a fork's artifact could carry it: names, paths and errors chosen to break out. */
function hostileSweep(): SweepSummary {
  return {
    schema: 'videophy-gate/sweep',
    version: 1,
    select_by: 'accuracy',
    alpha: 0.05,
    comparisons: 2,
    comparison_level: 0.975,
    rule: `indistinguishable: ${EVIL}`,
    verdict: 'pass',
    reasons: [],
    best: EVIL,
    best_checkpoint: EVIL,
    indistinguishable: [EVIL],
    rows: [
      row({
        name: `${EVIL}a`,
        path: EVIL,
        step: null,
        versus_best: {
          paired: 3000,
          accuracy_delta: 0.05,
          mcnemar_p: 0.00001,
          pearson_delta: 0.01,
          pearson_interval: [0, 0.02],
        },
      }),
      row({
        name: EVIL,
        path: EVIL,
        step: 40,
        best: true,
        indistinguishable: true,
        accuracy: 0.41,
      }),
      row({
        name: 'step_60',
        status: 'error',
        error: `${EVIL}\n# heading`,
        accuracy: null,
        verdict: 'error',
      }),
      row({
        name: 'step_80',
        step: 80,
        indistinguishable: true,
        accuracy: 0.4,
        versus_best: {
          paired: 3000,
          accuracy_delta: 0.01,
          mcnemar_p: 0.3,
          pearson_delta: 0,
          pearson_interval: null,
        },
      }),
    ],
    started_at: '2026-01-01T00:00:00Z',
    finished_at: '2026-01-01T01:00:00Z',
  };
}

describe('the sweep section of the report', () => {
  it('hostile names, paths and errors stay inert text; the tables stay whole', () => {
    const md = renderComment({ ...makeInput(videos(30)), sweep: hostileSweep() });
    const { html } = expectWellFormed(md);
    expect(html).not.toMatch(/<img|href="javascript/);
    expect(md).not.toMatch(/@octocat/);
    expect(md).toMatch(/^\| ★ best \| &lt;img src=x onerror=alert\(1\)&gt; \\\| @<!-- -->octocat/m);
    expect(md).toMatch(/^\| ⚠️ error \| step\\_60 \|/m);
  });

  it('the chart: steps as x labels (names reduced to letters and digits), the best and the set marked', () => {
    const chart = sweepChart(hostileSweep());
    expect(chart).toMatch(/^ {4}x-axis \["imgsrcxonerroral", "40 ★", "80 ≈"\]$/m);
    // The axis spans the data; a bar outside the set stands at its floor (not drawn).
    expect(chart).toMatch(/^ {4}y-axis 0\.2 --> 0\.5$/m);
    expect(chart).toMatch(/^ {4}bar \[0\.2, 0\.4100, 0\.4000\]$/m);
    expect(chart).toMatch(/^ {4}line "accuracy" \[0\.3500, 0\.4100, 0\.4000\]$/m);
    // Nothing but the fixed title's text between quotes: no name reaches it.
    expect(chart.split('\n')[2]).toBe(
      '    title "Accuracy and Pearson by step (★ best, ≈ indistinguishable)"',
    );
  });

  it('the terminal table: no control character of a name reaches the terminal', () => {
    const text = renderSweepTerminal({
      ...hostileSweep(),
      rows: [row({ name: 'a\u001b[2Jb', best: true })],
    });
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/^\* a \[2Jb +accuracy 0\.3500 \[0\.330, 0\.370\]/m);
  });

  it("the pick's correction: stated with its level, or flagged as not made (the artifact's reason escaped)", () => {
    const base = hostileSweep();
    const decision = {
      picked_from: 3,
      verdict: 'inconclusive' as const,
      reasons: [],
      checks: [],
      changed: true,
    };
    const corrected = renderComment({
      ...makeInput(videos(30)),
      sweep: { ...base, best_decision: { ...decision, alpha: 0.05 / 3 } },
    });
    expect(corrected).toMatch(
      /its own against the baseline, with pass and improvement decided at alpha 0\.0167 because it is the best of 3 \(a pick flatters its own numbers\)\./,
    );
    const plain = renderComment({ ...makeInput(videos(30)), sweep: base });
    expect(plain).toMatch(/the verdict above is its own against the baseline\. /);
    const flagged = renderComment({
      ...makeInput(videos(30)),
      sweep: {
        ...base,
        best_decision: { ...decision, alpha: 0.05, changed: false, uncorrected: EVIL },
      },
    });
    const { html } = expectWellFormed(flagged);
    expect(html).not.toMatch(/<img|href="javascript/);
    expect(flagged).toMatch(/, not corrected for being the best of 3 \(&lt;img src=x/);
  });
});
