/**
 * The sequential decision as rows arrive, and the same decision replayed from a results file: data in,
 * decision out. Look j reads exactly the first n_j videos of the look order (order.ts), and is taken once
 * every one of them has a row (failed requests included: they count as scored and are left out of the
 * pairs, as in the fixed-size analysis). Rows that finish beyond the prefix wait for their look; they never
 * enter an earlier one, so which videos a look reads does not depend on which requests were fast, and a
 * replay from results.jsonl, in any order, takes the same looks and stops at the same one.
 */
import type { BaselinePrediction } from '../core/baseline.js';
import type { ResultRow } from '../core/types.js';
import { pairResults } from '../stats/pairing.js';
import type { SignificanceVerdict, Tolerance } from '../verdict/significance.js';
import type { SequentialDesign } from './design.js';
import { decideLook, type LookDecision } from './decide-look.js';
import { lookStatistics } from './evidence.js';

export interface MonitorOptions {
  /** Video URLs in the look order (the planned videos: their count is the design's). */
  order: readonly string[];
  design: SequentialDesign;
  predictions: readonly BaselinePrediction[];
  alpha: number;
  tolerance: Tolerance;
  datasetSize?: number;
  /** Verdicts a look may stop on (default all three); a shard stops only for a regression. */
  stopOn?: readonly SignificanceVerdict[];
  /** Whether the last look decides a run that never stopped (default true; a shard's is the merge's). */
  finalDecides?: boolean;
  /** Who looked, for the reasons: e.g. "shard 2/4". */
  label?: string;
}

const STOP_ON: readonly SignificanceVerdict[] = ['regression', 'improvement', 'pass'];

export interface SequentialOutcome {
  /** The look the run stopped at (its verdict is not inconclusive), if it stopped before the last. */
  stopped?: LookDecision;
  /** The last look taken (the stopping one, or the final look of a run that scored everything). */
  last?: LookDecision;
  /** Looks taken, in order: look, verdict. */
  taken: { look: number; videos: number; verdict: LookDecision['verdict'] }[];
}

export class SequentialMonitor {
  private readonly rows = new Map<string, ResultRow>();
  private readonly outcome: SequentialOutcome = { taken: [] };
  /** Length of the order's prefix that has rows. */
  private filled = 0;
  private next = 1;

  constructor(private readonly o: MonitorOptions) {
    if (o.order.length !== o.design.planned)
      throw new Error(
        `the look order has ${o.order.length} videos but the design plans ${o.design.planned}`,
      );
  }

  /** Record a row; returns the look that stops the run when this row completes one. */
  add(row: ResultRow): LookDecision | undefined {
    if (this.outcome.stopped) return this.outcome.stopped;
    this.rows.set(row.video_url, row);
    const { order, design } = this.o;
    while (this.filled < order.length && this.rows.has(order[this.filled] as string)) this.filled++;
    while (this.next <= design.looks.length) {
      const look = design.looks[this.next - 1];
      if (!look || this.filled < look.videos) break;
      const decision = this.take(this.next, look.videos);
      this.next++;
      const stops = (this.o.stopOn ?? STOP_ON).includes(decision?.verdict ?? 'inconclusive');
      if (decision && stops && look.index < design.looks.length) {
        this.outcome.stopped = decision;
        return decision;
      }
    }
    return undefined;
  }

  result(): SequentialOutcome {
    return { ...this.outcome, taken: [...this.outcome.taken] };
  }

  private take(index: number, videos: number): LookDecision | undefined {
    const prefix = this.o.order.slice(0, videos).map((url) => this.rows.get(url) as ResultRow);
    const pairing = pairResults(prefix, this.o.predictions);
    // A baseline for other data is an error the final decision reports; no look can stop on it.
    if (pairing.counts.groundTruthMismatch > 0) return undefined;
    const decision = decideLook({
      statistics: lookStatistics(pairing.pairs),
      design: this.o.design,
      look: index,
      alpha: this.o.alpha,
      tolerance: this.o.tolerance,
      pairedVideos: pairing.pairs.filter((p) => !p.error_c && !p.error_b).length,
      ...(this.o.datasetSize !== undefined ? { datasetSize: this.o.datasetSize } : {}),
    });
    this.outcome.last = decision;
    this.outcome.taken.push({ look: index, videos, verdict: decision.verdict });
    return decision;
  }
}

/** The decision a results file holds: every row replayed through a fresh monitor. */
export function replaySequential(rows: readonly ResultRow[], o: MonitorOptions): SequentialOutcome {
  const monitor = new SequentialMonitor(o);
  for (const row of rows) if (monitor.add(row)) break;
  return monitor.result();
}
