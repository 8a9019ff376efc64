import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { loadBaseline } from '../baseline/load.js';
import { writeJsonFile } from '../io/json-file.js';
import type { Logger } from '../log.js';
import { byStep, type SweepCheckpoint } from './checkpoints.js';
import { finishSweep, type SweepOutcome } from './finish-sweep.js';
import { readFinishedRun } from './reuse.js';
import type { CheckpointRun } from './select.js';
import { runningSweep, SWEEP_FILE, SWEEP_SCHEMA, type SweepSummary } from './summary.js';

/** Whether any of the directories holds a sweep.json (a sweep job's output-dir): then merge and comment read sweeps. */
export function holdsSweep(dirs: readonly string[]): boolean {
  return dirs.some((d) => existsSync(join(d, SWEEP_FILE)));
}

export function readSweep(dir: string): SweepSummary {
  const path = join(dir, SWEEP_FILE);
  let doc: Partial<SweepSummary> & { state?: unknown };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as typeof doc;
  } catch (e) {
    throw new Error(
      `cannot merge ${dir}: ${existsSync(path) ? `${path} is not JSON (${(e as Error).message})` : `no ${SWEEP_FILE}: give only sweep output directories (checkpoints), or only shards`}`,
    );
  }
  // In mode comment the file is a fork's artifact: each row must at least be an object with a name.
  const rowsOk =
    Array.isArray(doc.rows) &&
    doc.rows.every(
      (r: unknown) =>
        typeof r === 'object' && r !== null && typeof (r as { name?: unknown }).name === 'string',
    );
  if (doc.schema !== SWEEP_SCHEMA || !rowsOk)
    throw new Error(
      doc.state === 'running'
        ? `cannot merge ${dir}: its sweep did not finish (${SWEEP_FILE} says state: running); rerun that job`
        : `cannot merge ${dir}: ${path} is not a videophy-gate sweep`,
    );
  return doc as SweepSummary;
}

/**
 * mode merge over sweeps: a matrix of jobs, each sweeping some checkpoints (typically one), combined into one
 * sweep report and one pick. Each checkpoint's finished run is read where its job left it (its summary and
 * verdict against that job's baseline); a checkpoint in two jobs is refused unless only one has a result.
 */
export async function mergeSweeps(config: Config, log: Logger): Promise<SweepOutcome> {
  const startedAt = new Date();
  const sweeps = config.resultsDirs.map((from) => ({ from, sweep: readSweep(from) }));
  writeJsonFile(join(config.outputDir, SWEEP_FILE), runningSweep(startedAt));
  const found = new Map<string, { run: CheckpointRun; dir: string; from: string }>();
  for (const { from, sweep } of sweeps) {
    for (const row of sweep.rows) {
      const checkpoint: SweepCheckpoint = {
        name: String(row.name),
        path: String(row.path),
        step: typeof row.step === 'number' ? row.step : null,
      };
      const dir = resolve(from, String(row.dir));
      const finished = row.status === 'ok' ? readFinishedRun(dir, checkpoint) : null;
      const run: CheckpointRun = finished ?? {
        checkpoint,
        error:
          row.status === 'ok'
            ? `its results in ${dir} are missing or unfinished`
            : String(row.error ?? 'error'),
      };
      const other = found.get(checkpoint.name);
      if (other?.run.summary && run.summary)
        throw new Error(
          `cannot merge: checkpoint ${checkpoint.name} has results in both ${other.from} and ${from}; give each checkpoint to one job`,
        );
      if (!other?.run.summary) found.set(checkpoint.name, { run, dir, from });
    }
  }
  const entries = [...found.values()].sort((a, b) => byStep(a.run.checkpoint, b.run.checkpoint));
  log.info(
    `Merged ${config.resultsDirs.length} sweep directories: ${entries.length} checkpoints (${entries.map((e) => e.run.checkpoint.name).join(', ')})`,
  );
  return finishSweep(
    config,
    {
      runs: entries.map((e) => e.run),
      where: entries.map((e) => ({ dir: e.dir, reused: true })),
      baseline: loadBaseline(config, log),
      startedAt,
    },
    log,
  );
}
