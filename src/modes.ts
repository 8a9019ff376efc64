/**
 * The action's three modes and their sweeps, as main.ts and cli.ts call them: eval (src/gate/run-gate.ts, or
 * a checkpoint sweep, src/sweep), merge (shards or sweeps) and comment (a finished run or sweep).
 */
import type { Config } from './config/config.js';
import { loadFinishedRun } from './gate/comment-mode.js';
import type { GateOutcome } from './gate/finish.js';
import { mergeShards } from './gate/merge.js';
import { runGate, type GateDeps } from './gate/run-gate.js';
import { loadFinishedSweep } from './sweep/comment-sweep.js';
import { holdsSweep, mergeSweeps } from './sweep/merge-sweep.js';
import { runSweep } from './sweep/run-sweep.js';
import type { SweepSummary } from './sweep/summary.js';

export type { GateDeps } from './gate/run-gate.js';

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
