/** The gate's pipelines: eval (run-gate.ts) and merge (merge.ts); the action, the CLI and scripts call runMode. */
import type { Config } from '../config/config.js';
import type { GateOutcome } from './finish.js';
import { loadFinishedRun } from './comment-mode.js';
import { mergeShards } from './merge.js';
import { runGate, type GateDeps } from './run-gate.js';

export { runGate, type GateDeps } from './run-gate.js';
export type { GateOutcome } from './finish.js';

export async function runMode(config: Config, deps: GateDeps): Promise<GateOutcome> {
  switch (config.mode) {
    case 'eval':
      return runGate(config, deps);
    case 'merge':
      return mergeShards(config, deps.log);
    case 'comment':
      return loadFinishedRun(config, deps.log);
  }
}
