// Test helpers for checkpoint sweeps: simulated checkpoint directories, numpy/scipy's reading of a sweep's
// rows, and the servers a sweep may have left behind.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultRow } from '../../src/core/types.js';
import { bundledPath } from '../../src/io/bundled.js';
import type { SweepSummary } from '../../src/sweep/summary.js';
import { python } from './python.js';
import { readResults } from './results.js';

export const SAMPLE = bundledPath('examples/videophy2-sample.csv');
export const BASELINE = bundledPath('examples/baseline.json');

/** A training run's curve against the demo baseline's checkpoint: a rise to step 40, then a decline. */
export const CURVE = [
  { step: 20, agreement: 0.8, accuracyDelta: -0.03 },
  { step: 40, agreement: 0.75, accuracyDelta: 0.08 },
  { step: 60, agreement: 0.75, accuracyDelta: 0.06 },
  { step: 80, agreement: 0.75, accuracyDelta: 0.0 },
] as const;

/**
 * Checkpoint directories root/ckpts/step_N, each with the simulate flags the fake vllm (and `serve`) read
 * from videophy-simulator.args: the demo baseline's simulated checkpoint, changed as that step changes it.
 */
export function simulatedCheckpoints(
  root: string,
  curve: readonly { step: number; agreement: number; accuracyDelta: number }[] = CURVE,
): string[] {
  return curve.map((c) => {
    const dir = join(root, 'ckpts', `step_${c.step}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'videophy-simulator.args'),
      `--answer-key ${SAMPLE} --accuracy 0.4 --seed 0 --agreement ${c.agreement} --accuracy-delta ${c.accuracyDelta}\n`,
    );
    return dir;
  });
}

export const readSweep = (outputDir: string): SweepSummary =>
  JSON.parse(readFileSync(join(outputDir, 'sweep.json'), 'utf8')) as SweepSummary;

export interface SweepReference {
  accuracy: number[];
  pearson: number[];
  wilson: [number, number][];
  fisher: [number, number][];
  best: number;
  p: (number | null)[];
  set: number[];
}

/**
 * numpy and scipy, from the rows alone: each run's accuracy and Pearson (the recipe's mean(gt == pred) and
 * np.corrcoef over parsed replies), Wilson's and Fisher's intervals, the best by accuracy, McNemar's exact
 * p of the best against each (scipy.stats.binomtest on the discordant videos both parsed) and the set the
 * test cannot tell from the best at alpha / m.
 */
export function sweepReference(
  runs: readonly (readonly ResultRow[])[],
  alpha = 0.05,
): SweepReference {
  return python<SweepReference>(
    `
import json, sys
import numpy as np
from scipy import stats
d = json.load(sys.stdin)
alpha = d["alpha"]
runs = d["runs"]
acc, cor, wil, fis = [], [], [], []
for rows in runs:
    ok = [r for r in rows if r["error"] is None and r["pred_score"] is not None]
    g = np.array([r["ground_truth"] for r in ok], float); p = np.array([r["pred_score"] for r in ok], float)
    k = int((g == p).sum()); n = len(ok)
    acc.append(float((g == p).mean())); cor.append(float(np.corrcoef(g, p)[0, 1]))
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=1 - alpha, method="wilson")
    wil.append([ci.low, ci.high])
    fc = stats.pearsonr(g, p).confidence_interval(confidence_level=1 - alpha)
    fis.append([fc.low, fc.high])
best = int(np.argmax(acc))
m = len(runs) - 1
ps, members = [], [best]
def right(rows):
    return {r["video_url"]: r["pred_score"] == r["ground_truth"] for r in rows
            if r["error"] is None and r["pred_score"] is not None}
B = right(runs[best])
for i, rows in enumerate(runs):
    if i == best:
        ps.append(None); continue
    O = right(rows)
    both = [u for u in B if u in O]
    b = sum(1 for u in both if B[u] and not O[u]); c = sum(1 for u in both if O[u] and not B[u])
    p = stats.binomtest(min(b, c), b + c, 0.5).pvalue if b + c > 0 else 1.0
    ps.append(float(p))
    if not (b > c and p < alpha / m):
        members.append(i)
print(json.dumps({"accuracy": acc, "pearson": cor, "wilson": wil, "fisher": fis, "best": best, "p": ps,
                  "set": sorted(members)}))
`,
    { alpha, runs },
  );
}

/** Each ok row's results.jsonl, read where sweep.json says it is. */
export function sweepRows(outputDir: string, sweep: SweepSummary): ResultRow[][] {
  return sweep.rows
    .filter((r) => r.status === 'ok')
    .map((r) => readResults(join(outputDir, r.dir, 'results.jsonl')));
}

/** Live processes whose command line mentions `text` (a test's checkpoint root, on every server's command line): servers left behind. */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (cmdline.includes(text) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}
