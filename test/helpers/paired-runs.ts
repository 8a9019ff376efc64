// Two simulated runs on the same videos, for the paired statistics' tests (stats and verdict).
import type { BaselinePrediction } from '../../src/core/baseline.js';
import type { CandidatePrediction } from '../../src/stats/pairing.js';
import { createRng } from '../../src/stats/prng.js';

/** Two runs on n videos with the same accuracy (52%), unless `drop` turns some of the candidate's right answers wrong. */
export function pairedRuns(
  n: number,
  seed: number,
  opts: { agree: number; missC?: number; errC?: number; drop?: number },
) {
  const rng = createRng(seed);
  const candidate: CandidatePrediction[] = [];
  const baseline: BaselinePrediction[] = [];
  for (let i = 0; i < n; i++) {
    const gt = 1 + rng.below(5);
    // each run: right with probability 0.4 + 0.6 / 5, else a random score; the candidate copies the
    // baseline on `agree` of the videos and draws its own answer (same distribution) on the rest
    const answer = (): number => (rng.uniform() < 0.4 ? gt : 1 + rng.below(5));
    const b = answer();
    let c = rng.uniform() < opts.agree ? b : answer();
    // a "drop": some right answers become wrong
    if (opts.drop && c === gt && rng.uniform() < opts.drop) c = gt === 5 ? 4 : gt + 1;
    const url = `https://example.test/v${i}.mp4`;
    const err = rng.uniform() < (opts.errC ?? 0);
    candidate.push({
      video_url: url,
      ground_truth: gt,
      pred_score: err || rng.uniform() < (opts.missC ?? 0) ? null : c,
      error: err ? { kind: 'timeout', message: 't' } : null,
    });
    baseline.push({ video_url: url, ground_truth: gt, pred_score: b });
  }
  return { candidate, baseline };
}
