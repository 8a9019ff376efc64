import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { markRunning, setAside } from '../io/output-dir.js';
import type { Config } from '../config/config.js';
import type { ResultRow } from '../core/types.js';
import { loadBaseline } from '../baseline/load.js';
import { ResultsFile } from '../io/results-file.js';
import { readResults } from '../io/results-reader.js';
import { readRunFile, type RunFile } from '../io/run-file.js';
import type { Logger } from '../log.js';
import { checkShardsCover } from '../shard/index.js';
import { checkComparable } from '../settings/check-baseline.js';
import { finishRun, type GateOutcome } from './finish.js';
import type { BaselineData } from '../core/baseline.js';
import { SHARD_ALPHA_SHARE, sequentialDesign } from '../sequential/design.js';
import { replaySequential, type MonitorOptions } from '../sequential/monitor.js';
import { tolerances } from './decide.js';

/** A shard that ran stop-early, replayed: its looks' options, and whether one of them stopped it. */
function replayShard(
  config: Config,
  run: RunFile,
  rows: readonly ResultRow[],
  baseline: BaselineData | null,
): { options: MonitorOptions; stopped: boolean } | undefined {
  const early = run.stop_early;
  if (!early || !baseline?.predictions?.length) return undefined;
  const options: MonitorOptions = {
    order: early.order,
    design: sequentialDesign(early.order.length),
    predictions: baseline.predictions,
    alpha: early.alpha,
    tolerance: tolerances(config.thresholds),
    datasetSize: Math.max(run.num_rows, 3397),
    stopOn: early.stop_on,
    finalDecides: false,
    ...(early.label ? { label: early.label } : {}),
  };
  return { options, stopped: replaySequential(rows, options).stopped !== undefined };
}

/**
 * mode merge: the results directories of a sharded run (one per matrix job, e.g. downloaded artifacts) become
 * one results.jsonl, one summary and one verdict. Refused unless the shards were made with the same settings
 * and together cover their selection exactly once.
 */
export async function mergeShards(config: Config, log: Logger): Promise<GateOutcome> {
  const startedAt = new Date();
  // First of all: no earlier verdict in output-dir may survive a merge that fails.
  const previousSummary = markRunning(config.outputDir, startedAt);
  const shards = config.resultsDirs.map((dir) => {
    const run = readRunFile(dir);
    if (!run)
      throw new Error(
        `results directory ${dir} has no run.json: is it the output-dir of a videophy-gate shard?`,
      );
    const read = readResults(join(dir, 'results.jsonl'));
    if (read.problems.length > 0)
      throw new Error(`cannot merge ${dir}: ${read.problems.slice(0, 3).join('; ')}`);
    if (read.tornLastLine) log.warning(`${dir}/results.jsonl: dropped a torn last line`);
    return { dir, run, rows: read.rows };
  });
  // stop-early: a shard may have stopped at a look with a regression (the same looks, replayed from its
  // rows); the merge then ends as that regression, and that shard's missing videos are not a gap.
  const baseline = loadBaseline(config, log);
  const replays = shards.map((s) => replayShard(config, s.run, s.rows, baseline));
  const problems = checkShardsCover({
    shards: shards.map((s, i) => ({
      label: s.dir,
      settings: s.run.settings,
      shard: s.run.shard,
      rows: s.rows,
      itemsUrls: s.run.items,
      stoppedEarly: replays[i]?.stopped === true,
    })),
  });
  if (problems.length > 0) throw new Error(`cannot merge the shards: ${problems.join('; ')}`);
  const first = shards[0]?.run as RunFile;
  const rows: ResultRow[] = shards.flatMap((s) => s.rows).sort((a, b) => a.index - b.index);
  // A run's files already in output-dir are the user's: moved aside, never overwritten.
  if (existsSync(join(config.outputDir, 'results.jsonl'))) {
    const aside = setAside(config.outputDir, 'before-merge', startedAt, previousSummary);
    log.notice(`${config.outputDir} held results of another run: moved to ${aside}`);
  }
  const results = new ResultsFile(join(config.outputDir, 'results.jsonl'));
  try {
    for (const row of rows) results.append(row);
  } finally {
    results.close();
  }
  log.info(`Merged ${shards.length} shards: ${rows.length} videos`);
  const stopped = replays.find((r) => r?.stopped);
  // The shards' early looks spent part of alpha: the merge's own tests get the rest.
  const spent = replays.some((r) => r !== undefined);
  const alpha = spent ? config.alpha * (1 - SHARD_ALPHA_SHARE) : config.alpha;
  if (stopped)
    log.info(`stop-early: ${stopped.options.label ?? 'a shard'} stopped early with a regression`);
  else if (spent)
    log.info(
      `stop-early: the shards' early looks spent alpha ${config.alpha} x ${SHARD_ALPHA_SHARE}; the merged tests run at alpha ${Number(alpha.toPrecision(6))}`,
    );
  if (!baseline)
    log.notice(`No baseline at ${config.baselinePath}: the verdict will be no-baseline.`);
  const comparability = checkComparable(
    config,
    baseline,
    first.settings,
    first.server.vllm_version,
    log,
  );
  const errorsByKind: Record<string, number> = {};
  for (const r of rows)
    if (r.error) errorsByKind[r.error.kind] = (errorsByKind[r.error.kind] ?? 0) + 1;
  const expected = shards.reduce((n, s) => n + s.run.items.length, 0);
  return finishRun(
    { ...config, writeBaseline: config.writeBaseline, alpha },
    {
      ...(stopped ? { sequential: stopped.options, stoppedEarly: true } : {}),
      rows,
      baseline,
      numRows: first.num_rows,
      skipped: [],
      duplicates: [],
      errorsByKind,
      complete: rows.length === expected,
      runError:
        rows.length === expected || stopped
          ? undefined
          : `the shards hold ${rows.length} of ${expected} videos: a shard did not finish`,
      settings: first.settings,
      server: {
        ...first.server,
        base_url: [...new Set(shards.map((s) => s.run.server.base_url))].join(', '),
      },
      startedAt,
      scoringS: 0,
      removedEndpoints: [],
      resumed: 0,
      shard: `merged from ${shards.length} shards`,
      comparability,
    },
    log,
  );
}
