import { globSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { loadBaseline } from '../baseline/load.js';
import { checkOutputDir, runGate, type GateDeps } from '../gate/run-gate.js';
import { writeJsonFile } from '../io/json-file.js';
import { labelledLogger, type Logger } from '../log.js';
import { expandCheckpoints, type SweepCheckpoint } from './checkpoints.js';
import { finishSweep, type SweepOutcome } from './finish-sweep.js';
import { recordFinished, reusableRun, sweepFingerprint } from './reuse.js';
import type { CheckpointRun } from './select.js';
import { runningSweep, SWEEP_FILE } from './summary.js';

/**
 * One checkpoint's run as the gate's own eval: served from the sweep's server template on its GPU group,
 * results in output-dir/<name>. It writes no baseline (finishSweep writes the best's), and a baseline the
 * sweep itself will write may be absent.
 */
export function checkpointConfig(
  config: Config,
  checkpoint: SweepCheckpoint,
  gpus: string | undefined,
): Config {
  const server = config.server;
  if (!server) throw new Error('internal: a sweep without a server template');
  const writesBaseline = config.updateBaseline || config.writeBaseline !== undefined;
  return {
    ...config,
    server: {
      ...server,
      checkpoint: checkpoint.path,
      ...(gpus !== undefined ? { env: { ...server.env, CUDA_VISIBLE_DEVICES: gpus } } : {}),
    },
    outputDir: join(config.outputDir, checkpoint.name),
    updateBaseline: false,
    writeBaseline: undefined,
    baselineExplicit: config.baselineExplicit && !writesBaseline,
  };
}

/** Run `work` over the items, at most one per slot at a time (a slot: a GPU group), results in item order. */
async function inSlots<T, S, R>(
  items: readonly T[],
  slots: readonly S[],
  work: (item: T, slot: S) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    slots.map(async (slot) => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T, slot);
      }
    }),
  );
  return results;
}

/**
 * mode eval with `checkpoints`: each checkpoint served, scored and stopped through runGate (the owned-server
 * lifecycle, resume and verdict of a single run), one per GPU group at a time; a checkpoint that fails is
 * an error row and the sweep goes on. Then the pick (select.ts) and the best's verdict (finish-sweep.ts).
 */
export async function runSweep(config: Config, deps: GateDeps): Promise<SweepOutcome> {
  const { log } = deps;
  const sweep = config.sweep;
  if (!sweep) throw new Error('internal: runSweep without checkpoints');
  const startedAt = new Date();
  const checkpoints = expandCheckpoints(
    sweep.entries,
    (pattern) => globSync(pattern).map(String),
    process.cwd(),
  );
  // Before any server starts: output-dir and the baseline's target writable, a named baseline present.
  checkOutputDir(config);
  const baseline = loadBaseline(config, log);
  writeJsonFile(join(config.outputDir, SWEEP_FILE), runningSweep(startedAt));
  const slots = sweep.gpuGroups.length > 0 ? sweep.gpuGroups : [undefined];
  log.info(
    `Checkpoint sweep: ${checkpoints.length} checkpoints (${checkpoints.map((c) => c.name).join(', ')}), ${slots.length > 1 ? `${slots.length} side by side (CUDA_VISIBLE_DEVICES ${sweep.gpuGroups.join(' | ')})` : 'one at a time'}`,
  );
  const side = slots.length > 1;
  const ran = await inSlots(checkpoints, slots, async (checkpoint, gpus) => {
    const dir = join(config.outputDir, checkpoint.name);
    const fingerprint = sweepFingerprint(config, checkpoint);
    const reused = reusableRun(dir, checkpoint, fingerprint);
    if (reused) {
      log.info(`${checkpoint.name}: finished earlier with the same settings, reused (${dir})`);
      return { run: reused, reused: true };
    }
    if (deps.signal?.aborted)
      return { run: { checkpoint, error: 'cancelled before it started' }, reused: false };
    log.info(`${checkpoint.name}: serving ${checkpoint.path}${gpus ? ` on GPUs ${gpus}` : ''}`);
    const runLog: Logger = side ? labelledLogger(log, checkpoint.name) : log;
    try {
      const outcome = await runGate(checkpointConfig(config, checkpoint, gpus), {
        ...deps,
        log: runLog,
      });
      const run: CheckpointRun = { checkpoint, summary: outcome.summary, rows: outcome.rows };
      if (outcome.summary.verdict !== 'error') recordFinished(dir, checkpoint, fingerprint);
      else log.warning(`${checkpoint.name}: ended in error: ${outcome.summary.reasons[0] ?? ''}`);
      return { run, reused: false };
    } catch (e) {
      const message = (e as Error).message;
      log.warning(`${checkpoint.name}: no result (${message}); the sweep goes on`);
      return { run: { checkpoint, error: message }, reused: false };
    }
  });
  return finishSweep(
    config,
    {
      runs: ran.map((r) => r.run),
      where: ran.map((r, i) => ({
        dir: join(config.outputDir, checkpoints[i]?.name ?? ''),
        reused: r.reused,
      })),
      baseline,
      startedAt,
      ...(deps.signal?.aborted
        ? {
            incomplete:
              'the sweep was cancelled: rerun it to resume (finished checkpoints are reused)',
          }
        : {}),
    },
    log,
  );
}
