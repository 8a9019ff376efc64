import { describe, expect, it } from 'vitest';
import type { BaselinePrediction } from '../../src/core/baseline.js';
import { pairingProblem, pairResults, type CandidatePrediction } from '../../src/stats/pairing.js';

const cand = (
  url: string,
  gt: number,
  pred: number | null,
  error = false,
): CandidatePrediction => ({
  video_url: url,
  ground_truth: gt,
  pred_score: pred,
  error: error ? { kind: 'http_5xx', message: 'boom' } : null,
});
const base = (url: string, gt: number, pred: number | null, error = false): BaselinePrediction => ({
  video_url: url,
  ground_truth: gt,
  pred_score: pred,
  ...(error ? { error: true } : {}),
});

describe('pairResults', () => {
  it('pairs by video URL and derives parsed / correct / error flags for both runs', () => {
    const r = pairResults(
      [
        cand('a', 3, 3),
        cand('b', 4, null),
        cand('c', 2, 5),
        cand('d', 5, null, true),
        cand('x', 1, 1),
      ],
      [base('d', 5, 5), base('c', 2, 2), base('b', 4, 4), base('a', 3, null), base('y', 2, 2)],
    );
    expect(r.counts).toEqual({
      paired: 4,
      onlyCandidate: 1,
      onlyBaseline: 1,
      groundTruthMismatch: 0,
      duplicateCandidate: 0,
      duplicateBaseline: 0,
    });
    expect(r.pairs.map((p) => p.video_url)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.pairs[0]).toEqual({
      video_url: 'a',
      gt: 3,
      pred_c: 3,
      pred_b: null,
      error_c: false,
      error_b: false,
      parsed_c: true,
      parsed_b: false,
      correct_c: true,
      correct_b: false,
    });
    expect(r.pairs[1]).toMatchObject({
      parsed_c: false,
      correct_c: false,
      parsed_b: true,
      correct_b: true,
    });
    expect(r.pairs[2]).toMatchObject({ correct_c: false, correct_b: true });
    // a failed request is neither parsed nor correct, and is flagged as an error (not as unparsed)
    expect(r.pairs[3]).toMatchObject({
      error_c: true,
      pred_c: null,
      parsed_c: false,
      correct_c: false,
      error_b: false,
    });
    expect(pairingProblem(r)).toBeNull();
  });

  it('refuses videos whose human score differs: a different dataset, not a model difference', () => {
    const r = pairResults([cand('a', 3, 3), cand('b', 4, 4)], [base('a', 3, 3), base('b', 2, 4)]);
    expect(r.counts.paired).toBe(1);
    expect(r.counts.groundTruthMismatch).toBe(1);
    expect(r.mismatches).toEqual([{ video_url: 'b', candidate: 4, baseline: 2 }]);
    expect(pairingProblem(r)).toMatch(
      /1 video\(s\) have a different human score in the baseline .* different data .*: b \(candidate 4, baseline 2\)/,
    );
  });

  it('pairs a subset run with a full baseline on the subset, and counts duplicates once', () => {
    const full = Array.from({ length: 100 }, (_, i) => base(`v${i}`, 1 + (i % 5), 3));
    const subset = [cand('v3', 4, 4), cand('v50', 1, 2), cand('v3', 4, 4)];
    const r = pairResults(subset, [...full, base('v50', 1, 1)]);
    expect(r.counts).toMatchObject({
      paired: 2,
      onlyCandidate: 0,
      onlyBaseline: 98,
      duplicateCandidate: 1,
      duplicateBaseline: 1,
    });
    expect(r.pairs[1]).toMatchObject({ video_url: 'v50', pred_b: 3 }); // the first baseline entry wins
  });

  it('says when nothing pairs', () => {
    const r = pairResults([cand('a', 3, 3)], [base('b', 3, 3)]);
    expect(pairingProblem(r)).toBe(
      "no video of this run is in the baseline's predictions (1 scored here, 1 in the baseline): nothing to pair",
    );
  });
});
