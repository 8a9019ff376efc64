import { basename } from 'node:path';
import type { Config } from '../config/config.js';
import { PARSER_ID } from '../core/parse-score.js';
import type { Prompt } from '../core/prompt.js';
import type { RunSettings } from '../core/summary.js';
import type { LoadedDataset } from '../dataset/types.js';

/** How this run is made: recorded in the summary and the baseline, compared before results are compared. */
export function runSettings(
  config: Config,
  data: LoadedDataset,
  prompt: Prompt,
  promptPath: string,
  model: string,
): RunSettings {
  return {
    model,
    // A local file is named by its file name (its content hash is the revision); a Hub dataset by its id.
    dataset: data.kind === 'hub' ? config.dataset : basename(config.dataset),
    dataset_revision: data.revision,
    dataset_resolved_revision: data.resolvedRevision ?? null,
    split: config.split,
    video_column: config.videoColumn,
    score_column: config.scoreColumn,
    prompt_file: promptPath,
    prompt_sha256: prompt.sha256,
    parser: PARSER_ID,
    fps: config.sampling.fps,
    total_pixels: config.sampling.totalPixels,
    max_tokens: config.sampling.maxTokens,
    temperature: config.sampling.temperature,
    sampling_seed: config.sampling.seed,
    extra_body: config.sampling.extraBody,
    limit: config.limit,
    subset_seed: config.subsetSeed,
  };
}
