import { PARSER_ID } from '../../src/core/parse-score.js';
import { VISION_RULE } from '../../src/vision/rule.js';
import type { RunSettings } from '../../src/core/summary.js';

/** Settings of a typical run (the real parser id), for the settings, shard and report tests. */
export const settings: RunSettings = {
  model: 'nvidia/Cosmos-Reason2-8B',
  dataset: 'videophysics/videophy2_test',
  dataset_revision: 'main',
  dataset_resolved_revision: 'abc123',
  split: 'test',
  video_column: 'video_url',
  score_column: 'pc',
  prompt_file: '/runner/a/prompts/video_reward.yaml',
  prompt_sha256: 'f'.repeat(64),
  parser: PARSER_ID,
  vision_rule: VISION_RULE,
  fps: 16,
  total_pixels: 6422528,
  max_tokens: 2048,
  temperature: 0,
  sampling_seed: 1,
  extra_body: { top_p: 0.8, top_k: 20, chat_template_kwargs: { enable_thinking: false } },
  limit: 0,
  subset_seed: 0,
};
