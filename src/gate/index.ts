/** The gate's pipelines: eval (run-gate.ts), merge (merge.ts) and their sweeps (src/sweep); the action, the CLI and scripts call runMode. */
import type { Config } from '../config/config.js';
import type { GateOutcome } from './finish.js';
import { loadFinishedRun } from './comment-mode.js';
import { mergeShards } from './merge.js';
import { runGate, type GateDeps } from './run-gate.js';
import { runSweep } from '../sweep/run-sweep.js';
import { holdsSweep, mergeSweeps } from '../sweep/merge-sweep.js';
import { loadFinishedSweep } from '../sweep/comment-sweep.js';
import type { SweepSummary } from '../sweep/summary.js';

export { runGate, type GateDeps } from './run-gate.js';
export type { GateOutcome } from './finish.js';

/** What a mode returns: a run's outcome; a sweep's is its best checkpoint's, with the whole sweep beside it. */
export type ModeOutcome = GateOutcome & { sweep?: SweepSummary; sweepPath?: string };

export async function runMode(config: Config, deps: GateDeps): Promise<ModeOutcome> {
  switch (config.mode) {
    case 'eval':
      return config.sweep ? runSweep(config, deps) : runGate(config, deps);
    case 'merge':
      return holdsSweep(config.resultsDirs)
        ? mergeSweeps(config, deps.log)
        : mergeShards(config, deps.log);
    case 'comment':
      return holdsSweep([config.resultsDirs[0] ?? config.outputDir])
        ? loadFinishedSweep(config, deps.log)
        : loadFinishedRun(config, deps.log);
  }
}
