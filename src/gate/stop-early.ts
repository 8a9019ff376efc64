/**
 * stop-early in the eval pipeline: the look order and the monitor for this run, or nothing. The rules
 * themselves are pure and live in src/sequential; this file only decides whether they apply and says so.
 */
import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import type { EvalItem, ResultRow } from '../core/types.js';
import type { Logger } from '../log.js';
import { SHARD_ALPHA_SHARE, sequentialDesign } from '../sequential/design.js';
import { formatShard } from '../shard/index.js';
import { SequentialMonitor, type MonitorOptions } from '../sequential/monitor.js';
import type { LookDecision } from '../sequential/decide-look.js';
import { lookOrder } from '../sequential/order.js';
import { decisionMode, tolerances } from './decide.js';

export interface StopEarly {
  options: MonitorOptions;
  monitor: SequentialMonitor;
  /** Position of each video in the look order. */
  position: Map<string, number>;
}

const grouped = (n: number): string => n.toLocaleString('en-US');

/** One line for the log and the report: "look 6 of 20 (1,020 of 3,397 videos): regression". */
export function describeStop(d: LookDecision, planned: number): string {
  return `stopped after ${grouped(d.videos)} of ${grouped(planned)} videos at look ${d.look} of ${d.looks}: ${d.verdict}`;
}

export function startStopEarly(
  config: Pick<Config, 'stopEarly' | 'decision' | 'alpha' | 'thresholds' | 'subsetSeed' | 'shard'>,
  items: readonly EvalItem[],
  baseline: BaselineData | null,
  numRows: number,
  log: Logger,
): StopEarly | undefined {
  if (!config.stopEarly) return undefined;
  if (!baseline) {
    log.warning('stop-early: there is no baseline to compare with, so every video is scored');
    return undefined;
  }
  if (decisionMode(config, baseline) !== 'significance') {
    throw new Error(
      `'stop-early' needs the paired tests (decision significance), but the baseline ${baseline.source} is a ${baseline.kind} without per-video predictions: make the baseline with write-baseline or update-baseline, or set stop-early: false`,
    );
  }
  const order = lookOrder(items, config.subsetSeed);
  const design = sequentialDesign(items.length);
  const shard = config.shard;
  const options: MonitorOptions = {
    order: order.map((i) => i.videoUrl),
    design,
    predictions: baseline.predictions ?? [],
    alpha: shard ? (config.alpha * SHARD_ALPHA_SHARE) / shard.n : config.alpha,
    tolerance: tolerances(config.thresholds),
    datasetSize: Math.max(numRows, 3397),
    ...(shard
      ? { stopOn: ['regression'], finalDecides: false, label: `shard ${formatShard(shard)}` }
      : {}),
  };
  // Every boundary a look can ask for (alpha/k for 1 to 3 metrics, and alpha), computed now: a few seconds
  // of CPU that would otherwise block the event loop at the first look, while replies wait unread and
  // the requests to cancel finish at the server.
  for (const k of [1, 2, 3]) design.boundary(options.alpha / k, 1);
  if (shard)
    log.info(
      `stop-early on shard ${formatShard(shard)}: this shard stops only for a regression, its tests at alpha ${config.alpha} x ${SHARD_ALPHA_SHARE} / ${shard.n}; pass and improvement need every shard's videos, so the merge decides them (at alpha ${config.alpha} x ${1 - SHARD_ALPHA_SHARE})`,
    );
  log.info(
    `stop-early: up to ${design.looks.length} looks, every ${grouped(design.looks[0]?.videos ?? 0)} videos of a seeded order stratified by human score; ${design.spending}`,
  );
  return {
    options,
    monitor: new SequentialMonitor(options),
    position: new Map(options.order.map((url, i) => [url, i])),
  };
}

/** The rows a rerun kept go through the looks first: a run that had already decided scores nothing more. */
export function resumeStopEarly(
  early: StopEarly,
  kept: readonly ResultRow[],
  todo: readonly EvalItem[],
  log: Logger,
): EvalItem[] {
  for (const row of kept) {
    const d = early.monitor.add(row);
    if (d) {
      log.info(
        `stop-early: the ${kept.length} kept results already decide it: ${describeStop(d, early.options.design.planned)}`,
      );
      return [];
    }
  }
  const at = (item: EvalItem): number => early.position.get(item.videoUrl) ?? Infinity;
  return [...todo].sort((a, b) => at(a) - at(b));
}
