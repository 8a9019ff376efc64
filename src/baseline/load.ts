import { resolve } from 'node:path';
import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import { readBaseline } from './file.js';
import type { Logger } from '../log.js';

/**
 * No baseline file. A path the user named is a mistake to report (a typo would otherwise pass every pull
 * request as no-baseline), unless this run writes it (update-baseline, or write-baseline to the same path:
 * the first run on main); the default
 * path absent is no-baseline, a warning on pull requests (it passes the check) and a notice elsewhere.
 */
/** What loading the baseline reads of the Config. */
type BaselineConfig = Pick<
  Config,
  'baselineExplicit' | 'baselinePath' | 'github' | 'updateBaseline' | 'writeBaseline'
>;

function missingBaseline(config: BaselineConfig, log: Logger): void {
  const writesIt =
    config.updateBaseline ||
    (config.writeBaseline !== undefined &&
      resolve(config.writeBaseline) === resolve(config.baselinePath));
  if (config.baselineExplicit && !writesIt) {
    throw new Error(
      `'baseline': ${config.baselinePath} does not exist. Check the path; to make the first baseline, run on the default branch with update-baseline: true (or write-baseline: PATH).`,
    );
  }
  const message = `No baseline at ${config.baselinePath}: the verdict will be no-baseline, which does not fail the check (make one with update-baseline: true on the default branch, or write-baseline).`;
  if (/^pull_request/.test(config.github.eventName ?? '')) log.warning(message);
  else log.notice(message);
}

/** The baseline of an eval or merge run, or null (no-baseline) when the default path holds none. */
export function loadBaseline(config: BaselineConfig, log: Logger): BaselineData | null {
  const baseline = readBaseline(config.baselinePath);
  if (!baseline) missingBaseline(config, log);
  return baseline;
}
