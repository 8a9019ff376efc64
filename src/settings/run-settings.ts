import type { Config } from '../config/config.js';
import type { Prompt } from '../core/prompt.js';
import { sentSettings } from '../core/request.js';
import type { RunSettings } from '../core/summary.js';
import type { LoadedDataset } from '../dataset/types.js';
import { readSettings } from './table.js';

/**
 * How this run is made: recorded in the summary and the baseline, compared before results are compared.
 * `template` is the body sent for a video of unknown size: fps and sampling are read back from it, so an
 * extra-body that overrides them is recorded (and compared) as what the server was asked. Each setting is
 * read as its row in table.ts says.
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
  return readSettings({
    config,
    data,
    prompt,
    promptPath,
    model,
    template,
    sent: sentSettings(template),
    visionRule,
  });
}
