import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import type { ComparabilityRecord, RunSettings } from '../core/summary.js';
import type { Logger } from '../log.js';
import { compareSettings, formatComparability } from './comparability.js';

/**
 * Before any result is compared: was the baseline made the same way (dataset and revision, split, prompt,
 * parser, fps, pixels, sampling, max tokens, vLLM version)? A subset is never a difference. An incomparable
 * baseline is refused before GPU time is spent, unless allow-incomparable says to compare anyway.
 */
export function checkComparable(
  config: Pick<Config, 'allowIncomparable'>,
  baseline: BaselineData | null,
  settings: RunSettings,
  vllmVersion: string | null,
  log: Logger,
): ComparabilityRecord | undefined {
  if (!baseline?.settings) return undefined;
  const c = compareSettings(baseline.settings, settings, {
    vllmVersion: { baseline: baseline.vllmVersion ?? null, candidate: vllmVersion },
  });
  const record: ComparabilityRecord = {
    comparable: c.comparable,
    differences: c.differences.map((d) => ({
      key: d.key,
      baseline: d.baseline,
      candidate: d.candidate,
      blocking: d.blocking,
    })),
    unverified: [...c.unverified],
    overridden: !c.comparable && config.allowIncomparable,
  };
  const lines = formatComparability(c);
  if (c.comparable) {
    for (const line of lines) log.info(`baseline comparability: ${line}`);
    return record;
  }
  const message = `the baseline ${baseline.source} was made differently:\n  ${lines.join('\n  ')}`;
  if (!config.allowIncomparable) {
    throw new Error(`${message}
Refusing to compare.`);
  }
  log.warning(`${message}\nComparing anyway (allow-incomparable).`);
  return record;
}
