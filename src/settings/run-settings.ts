import { basename } from 'node:path';
import type { Config } from '../config/config.js';
import { PARSER_ID } from '../core/parse-score.js';
import type { Prompt } from '../core/prompt.js';
import { requestTemplate, sentSettings } from '../core/request.js';
import type { RunSettings } from '../core/summary.js';
import type { LoadedDataset } from '../dataset/types.js';

/**
 * How this run is made: recorded in the summary and the baseline, compared before results are compared.
 * `template` is the body sent for a video of unknown size: fps and sampling are read back from it, so an
 * extra-body that overrides them is recorded (and compared) as what the server was asked.
 */
export function runSettings(
  config: Config,
  data: LoadedDataset,
  prompt: Prompt,
  promptPath: string,
  model: string,
  template: Record<string, unknown>,
  visionRule: string,
): RunSettings {
  const sent = sentSettings(template);
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
    vision_rule: visionRule,
    fps: sent.fps ?? config.sampling.fps,
    total_pixels: config.sampling.totalPixels,
    max_tokens: sent.max_tokens ?? config.sampling.maxTokens,
    temperature: sent.temperature ?? config.sampling.temperature,
    sampling_seed: sent.seed ?? config.sampling.seed,
    extra_body: config.sampling.extraBody,
    request: requestTemplate(template),
    limit: config.limit,
    subset_seed: config.subsetSeed,
  };
}
