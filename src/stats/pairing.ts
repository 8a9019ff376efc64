/**
 * Per-video pairing of a candidate run with a baseline's stored predictions. The key is the video URL as
 * in the dataset (the recipe's key); the caller checks that both runs used the same dataset revision, so
 * within one revision the URL is a stable id. Only videos both runs scored are compared: a subset run pairs
 * with a full-set baseline on the subset's videos.
 */
import type { BaselinePrediction } from '../core/baseline.js';

/** What pairing needs from a candidate result row (a ResultRow fits: its `error` is an object or null). */
export interface CandidatePrediction {
  video_url: string;
  ground_truth: number;
  pred_score: number | null;
  /** Truthy when the request failed after retries (no reply at all). */
  error?: unknown;
}

/** One video scored by both runs. `_c` is the candidate, `_b` the baseline. */
export interface PairedVideo {
  video_url: string;
  gt: number;
  pred_c: number | null;
  pred_b: number | null;
  /** The request failed (infrastructure): the video says nothing about the model. */
  error_c: boolean;
  error_b: boolean;
  /** Answered with a score 1-5. */
  parsed_c: boolean;
  parsed_b: boolean;
  /** Parsed and equal to the human score; false when unparsed or failed. */
  correct_c: boolean;
  correct_b: boolean;
}

export interface GroundTruthMismatch {
  video_url: string;
  candidate: number;
  baseline: number;
}

export interface PairingResult {
  /** In the candidate's order. Mismatched and duplicate videos are not in here. */
  pairs: PairedVideo[];
  counts: {
    paired: number;
    onlyCandidate: number;
    onlyBaseline: number;
    /** Same URL, different human score: a different dataset (or score column), never a model difference. */
    groundTruthMismatch: number;
    /** Repeated URLs (the first occurrence is used). The loader drops duplicates, so these mean a hand-edited file. */
    duplicateCandidate: number;
    duplicateBaseline: number;
  };
  /** The first MAX_LISTED mismatches, for the message. */
  mismatches: GroundTruthMismatch[];
}

const MAX_LISTED = 10;

export function pairResults(
  candidate: readonly CandidatePrediction[],
  baseline: readonly BaselinePrediction[],
): PairingResult {
  const byUrl = new Map<string, BaselinePrediction>();
  let duplicateBaseline = 0;
  for (const p of baseline) {
    if (byUrl.has(p.video_url)) duplicateBaseline++;
    else byUrl.set(p.video_url, p);
  }
  const seen = new Set<string>();
  const pairs: PairedVideo[] = [];
  const mismatches: GroundTruthMismatch[] = [];
  let duplicateCandidate = 0;
  let onlyCandidate = 0;
  let groundTruthMismatch = 0;
  for (const r of candidate) {
    if (seen.has(r.video_url)) {
      duplicateCandidate++;
      continue;
    }
    seen.add(r.video_url);
    const b = byUrl.get(r.video_url);
    if (!b) {
      onlyCandidate++;
      continue;
    }
    if (b.ground_truth !== r.ground_truth) {
      groundTruthMismatch++;
      if (mismatches.length < MAX_LISTED) {
        mismatches.push({
          video_url: r.video_url,
          candidate: r.ground_truth,
          baseline: b.ground_truth,
        });
      }
      continue;
    }
    const error_c = Boolean(r.error);
    const error_b = b.error === true;
    const pred_c = error_c ? null : r.pred_score;
    const pred_b = error_b ? null : b.pred_score;
    pairs.push({
      video_url: r.video_url,
      gt: r.ground_truth,
      pred_c,
      pred_b,
      error_c,
      error_b,
      parsed_c: pred_c !== null,
      parsed_b: pred_b !== null,
      correct_c: pred_c !== null && pred_c === r.ground_truth,
      correct_b: pred_b !== null && pred_b === r.ground_truth,
    });
  }
  // Baseline videos the candidate never saw (a subset run sees a few hundred of a full-set baseline's).
  let matchedBaseline = 0;
  for (const url of seen) if (byUrl.has(url)) matchedBaseline++;
  return {
    pairs,
    counts: {
      paired: pairs.length,
      onlyCandidate,
      onlyBaseline: byUrl.size - matchedBaseline,
      groundTruthMismatch,
      duplicateCandidate,
      duplicateBaseline,
    },
    mismatches,
  };
}

/**
 * Why the pairing cannot support a paired comparison, or null when it can. A ground-truth mismatch means
 * the two runs read different data under the same URLs, so no delta between them means anything.
 */
export function pairingProblem(p: PairingResult): string | null {
  const { groundTruthMismatch, paired } = p.counts;
  if (groundTruthMismatch > 0) {
    const shown = p.mismatches
      .map((m) => `${m.video_url} (candidate ${m.candidate}, baseline ${m.baseline})`)
      .join('; ');
    return `${groundTruthMismatch} video(s) have a different human score in the baseline than in this run, so the baseline was made on different data (dataset revision or score column): ${shown}`;
  }
  if (paired === 0) {
    return `no video of this run is in the baseline's predictions (${p.counts.onlyCandidate} scored here, ${p.counts.onlyBaseline} in the baseline): nothing to pair`;
  }
  return null;
}
