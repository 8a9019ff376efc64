import { resultRow, visionSent } from '../core/result-row.js';
import { ProgressGate, formatProgress } from '../core/progress.js';
import type { EvalItem, ResultRow } from '../core/types.js';
import type { ChatOutcome } from '../vllm/client.js';
import type { Logger } from '../log.js';
import { EndpointPool, type Endpoint, type EndpointClient } from './endpoint-pool.js';
import { ErrorBudget } from './error-budget.js';
import { WorkQueue } from './dispatch.js';
import { watchServerLoad, type LoadWatchOptions } from './server-load.js';

export interface ScoreOptions {
  items: readonly EvalItem[];
  /** One or more servers; requests go to the one with the fewest in flight. */
  endpoints: { name: string; client: EndpointClient }[];
  /** Requests in flight per endpoint, or `auto` (adaptive, see adaptive.ts). */
  concurrency: number | 'auto';
  /** The request body for a video; may wait (a video cache download) and may throw (video unavailable). */
  buildBody: (item: EvalItem) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** A per-video error that means the whole run cannot succeed (e.g. file:// refused): the message to stop with. */
  fatal?: (error: NonNullable<ResultRow['error']>) => string | undefined;
  /** Called once per finished video, in completion order; must persist the row before returning. */
  onResult: (row: ResultRow) => void;
  /** Stop early once more requests than this have failed: the run can only end as an error anyway. */
  maxErrors: number;
  log: Logger;
  /** External cancellation (SIGTERM/SIGINT of the job). */
  signal?: AbortSignal;
  progressEveryS?: number;
  /** Read each endpoint's /metrics while scoring (feeds `concurrency: auto`, logs the load); off without. */
  watchLoad?: LoadWatchOptions;
  /**
   * Asked after each recorded row (stop-early): a message ends the run at once, cancelling the requests in
   * flight (their videos are simply not scored), and is returned as `stoppedEarly`, not as an error.
   */
  stopWhen?: (row: ResultRow) => string | undefined;
}

export interface ScoreOutcome {
  rows: ResultRow[];
  /** Set when the run stopped for an infrastructure reason; the verdict is then `error`. */
  runError?: string;
  complete: boolean;
  errorsByKind: Record<string, number>;
  /** Endpoints taken out during the run, with why. */
  removedEndpoints: { name: string; reason: string }[];
  /** Seconds from the first request sent to the last answer: the makespan the benchmark compares. */
  scoringS: number;
  /** Why the run stopped before every video (stopWhen), when it did. */
  stoppedEarly?: string;
  /** Requests in flight when it stopped, cancelled. */
  cancelled: number;
}

/**
 * Score every item, keeping each endpoint's slots full: whenever a request finishes the next one starts on
 * the best endpoint (dispatch.ts, endpoint-pool.ts), so no server idles while work remains. A failure goes
 * through the pool's failure policy: an endpoint that is gone or keeps failing is taken out with a warning
 * and its videos go to the others; with none left the run stops at once as an infrastructure error
 * (retrying 3,000 videos against a dead server would take hours and prove nothing). Rows are built in the
 * core (result-row.ts), counted against the error budget (error-budget.ts) and persisted as they arrive.
 */
export async function scoreVideos(o: ScoreOptions): Promise<ScoreOutcome> {
  const pool = new EndpointPool(o.endpoints, o.concurrency);
  const queue = new WorkQueue(o.items, pool);
  const budget = new ErrorBudget(o.maxErrors, o.items.length);
  const rows: ResultRow[] = [];
  const stop = new AbortController();
  const onExternalAbort = (): void => stop.abort();
  o.signal?.addEventListener('abort', onExternalAbort, { once: true });
  if (o.signal?.aborted) stop.abort();
  let runError: string | undefined;
  let stoppedEarly: string | undefined;
  let cancelled = 0;
  // A video stays pending until its outcome is handled (a health probe may still be running after the
  // endpoint's slot is free): the run must not end, nor the results file close, before that.
  let pending = 0;
  const vision = new Map<number, NonNullable<ResultRow['vision']>>();
  const start = performance.now();
  const progress = new ProgressGate(o.items.length, o.progressEveryS ?? 30);
  const load = o.watchLoad ? watchServerLoad(pool.endpoints, o.log, o.watchLoad) : undefined;

  const fail = (message: string): void => {
    runError ??= message;
    stop.abort();
  };

  const onTakenOut = (e: Endpoint, reason: string): void => {
    const left = pool.live().length;
    if (left === 0) {
      fail(
        o.endpoints.length === 1
          ? `the server ${reason}: an infrastructure error, not a model result`
          : `every endpoint was taken out (last: ${e.name} ${reason}): an infrastructure error, not a model result`,
      );
    } else {
      o.log.warning(`endpoint ${e.name} taken out: ${reason}; its videos go to the ${left} others`);
    }
  };

  const record = (item: EvalItem, out: ChatOutcome): void => {
    const row = resultRow(item, out, vision.get(item.index));
    try {
      o.onResult(row);
    } catch (err) {
      // A full disk or a vanished output directory: nothing more can be kept, so nothing more is asked.
      fail(`cannot record results: ${(err as Error).message}`);
      return;
    }
    rows.push(row);
    if (row.error) {
      const fatal = o.fatal?.(row.error);
      if (fatal) fail(fatal);
    }
    const spent = budget.count(row);
    if (spent) fail(spent);
    const decided = stop.signal.aborted ? undefined : o.stopWhen?.(row);
    if (decided) {
      stoppedEarly = decided;
      cancelled = pool.inFlight();
      stop.abort();
    }
    const elapsedS = (performance.now() - start) / 1000;
    if (progress.shouldLog(rows.length, elapsedS)) {
      const line = formatProgress({
        done: rows.length,
        total: o.items.length,
        errors: budget.errors,
        unparsed: budget.unparsed,
        inFlight: pool.inFlight(),
        elapsedS,
      });
      o.log.info(o.endpoints.length > 1 ? `${line} | ${pool.describe()}` : line);
    }
  };

  const handle = async (item: EvalItem, e: Endpoint, out: ChatOutcome): Promise<void> => {
    if (out.ok) return record(item, out);
    if (out.error.kind === 'aborted') return; // not obtained: nothing to record
    const action = await pool.judgeFailure(e, out.error, onTakenOut);
    if (action === 'video') return record(item, out);
    if (queue.retry(item, e, out)) return;
    // No endpoint left to try it: a video whose endpoint went away is not the video's error when the run
    // is over anyway (no endpoint left at all).
    if (action === 'endpoint-gone' && pool.live().length === 0) return;
    record(item, out);
  };

  const send = async (e: Endpoint, item: EvalItem): Promise<ChatOutcome> => {
    let body: Record<string, unknown>;
    try {
      body = await o.buildBody(item);
      vision.set(item.index, visionSent(body));
    } catch (err) {
      return {
        ok: false,
        latencyMs: 0,
        error: { kind: 'video_unavailable', message: (err as Error).message },
      };
    }
    return e.client.chat(body, stop.signal);
  };

  try {
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (!stop.signal.aborted) {
          const step = queue.take(performance.now());
          if (step.kind === 'wait') break;
          if (step.kind === 'record') {
            record(step.item, step.failure);
            continue;
          }
          const { item, endpoint: e } = step;
          e.inFlight++;
          pending++;
          void send(e, item)
            .then(async (out) => {
              e.inFlight--;
              e.completed(out, performance.now());
              await handle(item, e, out);
            })
            .catch((err: unknown) =>
              fail(`internal error while scoring ${item.videoUrl}: ${(err as Error).message}`),
            )
            .finally(() => {
              pending--;
              pump();
            });
        }
        if (pending === 0) resolve();
      };
      pump();
    });
  } finally {
    load?.stop();
    o.signal?.removeEventListener('abort', onExternalAbort);
  }
  if (o.signal?.aborted && runError === undefined)
    runError = 'the run was cancelled (signal received) before all videos were scored';
  return {
    rows,
    runError,
    complete: rows.length === o.items.length && runError === undefined,
    errorsByKind: budget.byKind,
    removedEndpoints: pool.removed,
    scoringS: (performance.now() - start) / 1000,
    ...(stoppedEarly ? { stoppedEarly } : {}),
    cancelled,
  };
}
