/**
 * Which checkpoints a rerun of the sweep may skip. A checkpoint's directory holds a finished run (summary.json
 * `state: finished`, complete, not an error) and `sweep-entry.json`, written when that run finished, with a
 * fingerprint of what its result depends on: the checkpoint, how it was served and scored, the thresholds and
 * the baseline's bytes. Same fingerprint: its summary and rows are reused without starting a server. Anything
 * else is run again through the gate, which itself resumes a half-done results.jsonl (src/resume) or sets
 * the old one aside; nothing is deleted.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Summary } from '../core/summary.js';
import { readResultsIfPresent } from '../io/results-reader.js';
import { writeJsonFile } from '../io/json-file.js';
import { canonicalJson } from '../settings/table.js';
import type { SweepCheckpoint } from './checkpoints.js';
import type { CheckpointRun } from './select.js';

export const ENTRY_FILE = 'sweep-entry.json';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const fileHash = (path: string | undefined): string | null =>
  path && existsSync(path) ? sha256(readFileSync(path)) : null;

/** What a checkpoint's finished result depends on (not where it runs: output-dir, GPU group, tokens). */
export function sweepFingerprint(config: Config, checkpoint: SweepCheckpoint): string {
  return sha256(
    canonicalJson({
      checkpoint: checkpoint.path,
      model: config.model ?? null,
      command: config.server?.command ?? null,
      args: config.server?.args ?? [],
      dataset: config.dataset,
      dataset_revision: config.datasetRevision,
      split: config.split,
      columns: [config.videoColumn, config.scoreColumn],
      allow_non_http_videos: config.allowNonHttpVideos,
      prompt: config.promptFile ?? null,
      prompt_sha256: fileHash(config.promptFile),
      limit: config.limit,
      subset_seed: config.subsetSeed,
      sampling: config.sampling,
      video_metadata: config.videoMetadata,
      video_transport: config.videoTransport,
      fidelity_check: config.fidelityCheck,
      thresholds: config.thresholds,
      decision: config.decision,
      alpha: config.alpha,
      allow_incomparable: config.allowIncomparable,
      baseline_sha256: fileHash(config.baselinePath),
    }),
  );
}

const readJson = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
};

/** A finished run of the checkpoint in `dir`, whatever made it: its summary and rows in dataset order. */
export function readFinishedRun(dir: string, checkpoint: SweepCheckpoint): CheckpointRun | null {
  const summary = readJson(join(dir, 'summary.json')) as Summary | undefined;
  if (summary?.state !== 'finished' || !summary.complete || summary.verdict === 'error')
    return null;
  // Results set aside (or never written) leave a summary without rows: nothing to reuse.
  const read = readResultsIfPresent(join(dir, 'results.jsonl'));
  if (!read || read.problems.length > 0 || read.rows.length !== summary.num_videos) return null;
  return { checkpoint, summary, rows: [...read.rows].sort((a, b) => a.index - b.index) };
}

/** The finished run to reuse, or null: only when it was made with this very fingerprint. */
export function reusableRun(
  dir: string,
  checkpoint: SweepCheckpoint,
  fingerprint: string,
): CheckpointRun | null {
  const entry = readJson(join(dir, ENTRY_FILE)) as { fingerprint?: unknown } | undefined;
  if (entry?.fingerprint !== fingerprint) return null;
  return readFinishedRun(dir, checkpoint);
}

export function recordFinished(
  dir: string,
  checkpoint: SweepCheckpoint,
  fingerprint: string,
): void {
  writeJsonFile(join(dir, ENTRY_FILE), { checkpoint: checkpoint.path, fingerprint });
}
