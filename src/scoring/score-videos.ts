import { parseScore } from '../core/parse-score.js';
import { generatedText } from '../core/reply.js';
import { sentSettings } from '../core/request.js';
import { ProgressGate, formatProgress } from '../core/progress.js';
import type { EvalItem, ResultRow } from '../core/types.js';
import type { ChatOutcome } from '../vllm/client.js';
import {
  EndpointPool,
  KEEPS_FAILING,
  type Endpoint,
  type EndpointClient,
} from './endpoint-pool.js';
import type { Logger } from '../log.js';

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
  /** The server's request queue, when its /metrics can be read (feeds `concurrency: auto`). */
  queueWaiting?: (endpoint: number) => number | null;
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
}

function toRow(item: EvalItem, out: ChatOutcome, vision?: ResultRow['vision']): ResultRow {
  const latency_ms = Math.round(out.latencyMs * 10) / 10;
  // Key order: the recipe's four keys first, so a reader of the recipe's files reads ours.
  const head = { video_url: item.videoUrl, ground_truth: item.groundTruth };
  if (!out.ok) {
    return {
      ...head,
      output_text: null,
      pred_score: null,
      index: item.index,
      latency_ms,
      finish_reason: null,
      usage: null,
      error: out.error,
      meta: item.meta,
    };
  }
  const generated = generatedText(out.content, out.reasoning);
  return {
    ...head,
    output_text: generated.text,
    pred_score: parseScore(generated.text),
    index: item.index,
    latency_ms,
    finish_reason: out.finishReason,
    ...(generated.rebuilt ? { reasoning_split: true } : {}),
    ...(vision ? { vision } : {}),
    usage: out.usage,
    error: null,
    meta: item.meta,
  };
}

/** Errors that say the endpoint itself is unusable, whatever the video. */
function endpointFault(error: NonNullable<ResultRow['error']>): string | undefined {
  if (error.status === 404)
    return `answered 404 (${error.message}): wrong model name or the model was unloaded`;
  if (error.status === 401 || error.status === 403)
    return `refused the credentials (HTTP ${error.status}): check api-key`;
  return undefined;
}

/**
 * Score every item, keeping each endpoint's slots full: whenever a request finishes the next one starts on
 * the least-loaded endpoint, so no server idles while work remains. An endpoint that is gone (connection
 * refused after retries and a failed health probe, 404 for the model, auth refused) or keeps failing is taken
 * out with a warning and its videos go to the others; with none left the run stops at once as an
 * infrastructure error: retrying 3,000 videos against a dead server would take hours and prove nothing.
 */
export async function scoreVideos(o: ScoreOptions): Promise<ScoreOutcome> {
  const pool = new EndpointPool(o.endpoints, o.concurrency);
  const rows: ResultRow[] = [];
  const errorsByKind: Record<string, number> = {};
  const removedEndpoints: ScoreOutcome['removedEndpoints'] = [];
  const stop = new AbortController();
  const onExternalAbort = (): void => stop.abort();
  o.signal?.addEventListener('abort', onExternalAbort, { once: true });
  if (o.signal?.aborted) stop.abort();
  let runError: string | undefined;
  let next = 0;
  let errors = 0;
  let unparsed = 0;
  const retry: EvalItem[] = [];
  let pending = 0;
  const triedOn = new Map<number, Set<Endpoint>>();
  const lastFailure = new Map<number, ChatOutcome>();
  // What each video's request asked of the frame sampler (it may differ per video), for its results row.
  const visionSent = new Map<number, NonNullable<ResultRow['vision']>>();
  const total = o.items.length;
  const start = performance.now();
  const progress = new ProgressGate(total, o.progressEveryS ?? 30);

  const fail = (message: string): void => {
    if (runError === undefined) runError = message;
    stop.abort();
  };

  const takeOut = (e: Endpoint, reason: string): void => {
    if (e.removed !== undefined) return;
    e.removed = reason;
    removedEndpoints.push({ name: e.name, reason });
    if (pool.live().length === 0) {
      fail(
        o.endpoints.length === 1
          ? `the server ${reason}: an infrastructure error, not a model result`
          : `every endpoint was taken out (last: ${e.name} ${reason}): an infrastructure error, not a model result`,
      );
    } else {
      o.log.warning(
        `endpoint ${e.name} taken out: ${reason}; its videos go to the ${pool.live().length} others`,
      );
    }
  };

  /** Give a video another endpoint when its failure was the endpoint's; false when none is left to try. */
  const requeue = (item: EvalItem, e: Endpoint, out: ChatOutcome): boolean => {
    lastFailure.set(item.index, out);
    const tried = triedOn.get(item.index) ?? new Set<Endpoint>();
    tried.add(e);
    triedOn.set(item.index, tried);
    if (pool.live().some((x) => !tried.has(x))) {
      retry.push(item);
      return true;
    }
    return false;
  };

  const record = (item: EvalItem, out: ChatOutcome): void => {
    const row = toRow(item, out, visionSent.get(item.index));
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
      errors++;
      errorsByKind[row.error.kind] = (errorsByKind[row.error.kind] ?? 0) + 1;
      if (errors > o.maxErrors) {
        fail(
          `${errors} requests failed after retries, more than max-error-rate allows (${o.maxErrors} of ${total}); stopped early. Last error: ${row.error.message}`,
        );
      }
    } else if (row.pred_score === null) {
      unparsed++;
    }
    const elapsedS = (performance.now() - start) / 1000;
    if (progress.shouldLog(rows.length, elapsedS)) {
      const line = formatProgress({
        done: rows.length,
        total,
        errors,
        unparsed,
        inFlight: pool.inFlight(),
        elapsedS,
      });
      o.log.info(o.endpoints.length > 1 ? `${line} | ${pool.describe()}` : line);
    }
  };

  const handle = async (item: EvalItem, e: Endpoint, out: ChatOutcome): Promise<void> => {
    if (out.ok) return record(item, out);
    if (out.error.kind === 'aborted') return; // not obtained: nothing to record
    const error = out.error;
    const fault = endpointFault(error);
    if (fault) {
      takeOut(e, fault);
      if (!requeue(item, e, out) && pool.live().length > 0) record(item, out);
      return;
    }
    if (error.kind === 'connection' || error.kind === 'timeout') {
      const probe = await e.client.probe();
      if (!probe.ready) {
        takeOut(e, `stopped answering mid-run (${error.message}; health probe: ${probe.detail})`);
        if (!requeue(item, e, out) && pool.live().length > 0) record(item, out);
        return;
      }
    }
    if (e.consecutiveFailures >= KEEPS_FAILING && pool.live().length > 1) {
      takeOut(e, `${e.consecutiveFailures} requests in a row failed (last: ${error.message})`);
    }
    // A server-side failure may be this endpoint's, not the video's: let another endpoint try the video
    // before it counts as an error (4xx is the request's own fault and is not tried again).
    if (error.kind !== 'http_4xx' && error.kind !== 'video_unavailable' && requeue(item, e, out))
      return;
    record(item, out);
  };

  const send = async (e: Endpoint, item: EvalItem): Promise<ChatOutcome> => {
    let body: Record<string, unknown>;
    try {
      body = await o.buildBody(item);
      const sent = sentSettings(body);
      visionSent.set(item.index, {
        fps: sent.fps,
        shortest_edge: sent.shortest_edge,
        longest_edge: sent.longest_edge,
      });
    } catch (err) {
      return {
        ok: false,
        latencyMs: 0,
        error: { kind: 'video_unavailable', message: (err as Error).message },
      };
    }
    return e.client.chat(body, stop.signal);
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (!stop.signal.aborted) {
        const item = retry[0] ?? o.items[next];
        if (!item) break;
        const tried = triedOn.get(item.index);
        const failure = lastFailure.get(item.index);
        if (tried && failure && !pool.live().some((x) => !tried.has(x))) {
          // Every endpoint still in the pool already failed this video: it is a per-video error after all.
          retry.shift();
          record(item, failure);
          continue;
        }
        const e = pool.pick(performance.now(), tried);
        if (!e) break;
        if (retry[0] === item) retry.shift();
        else next++;
        e.inFlight++;
        // A video stays pending until its outcome is handled (a health probe may still be running after the
        // endpoint's slot is free): the run must not end, nor the results file close, before that.
        pending++;
        void send(e, item)
          .then(async (out) => {
            e.inFlight--;
            e.completed(
              out,
              performance.now(),
              o.queueWaiting?.(o.endpoints.findIndex((x) => x.client === e.client)) ?? null,
            );
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

  o.signal?.removeEventListener('abort', onExternalAbort);
  if (o.signal?.aborted && runError === undefined)
    runError = 'the run was cancelled (signal received) before all videos were scored';
  return {
    rows,
    runError,
    complete: rows.length === total && runError === undefined,
    errorsByKind,
    removedEndpoints,
    scoringS: (performance.now() - start) / 1000,
  };
}
