import { parseScore } from '../core/parse-score.js';
import { ProgressGate, formatProgress } from '../core/progress.js';
import type { EvalItem, ResultRow } from '../core/types.js';
import type { ChatOutcome, VllmClient } from '../vllm/client.js';
import type { Logger } from './logger.js';

export interface ScoreOptions {
  items: readonly EvalItem[];
  concurrency: number;
  client: Pick<VllmClient, 'chat' | 'probe'>;
  buildBody: (item: EvalItem) => Record<string, unknown>;
  /** Called once per finished video, in completion order; must persist the row before returning. */
  onResult: (row: ResultRow) => void;
  /** Stop early once more requests than this have failed: the run can only end as an error anyway. */
  maxErrors: number;
  log: Logger;
  /** External cancellation (SIGTERM/SIGINT of the job). */
  signal?: AbortSignal;
  progressEveryS?: number;
}

export interface ScoreOutcome {
  rows: ResultRow[];
  /** Set when the run stopped for an infrastructure reason; the verdict is then `error`. */
  runError?: string;
  complete: boolean;
  errorsByKind: Record<string, number>;
}

function toRow(item: EvalItem, out: ChatOutcome): ResultRow {
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
  return {
    ...head,
    output_text: out.content,
    pred_score: parseScore(out.content),
    index: item.index,
    latency_ms,
    finish_reason: out.finishReason,
    ...(out.reasoning ? { reasoning: out.reasoning } : {}),
    usage: out.usage,
    error: null,
    meta: item.meta,
  };
}

/**
 * Score every item with `concurrency` requests in flight. Workers pull the next item as soon as one finishes,
 * so the server never idles while work remains. A failure that means the whole server is gone (connection
 * refused after retries and a failed health probe, model not found, auth refused) stops the run at once:
 * retrying 3,000 videos against a dead server would take hours and prove nothing.
 */
export async function scoreVideos(o: ScoreOptions): Promise<ScoreOutcome> {
  const rows: ResultRow[] = [];
  const errorsByKind: Record<string, number> = {};
  const stop = new AbortController();
  const onExternalAbort = (): void => stop.abort();
  o.signal?.addEventListener('abort', onExternalAbort, { once: true });
  if (o.signal?.aborted) stop.abort();
  let runError: string | undefined;
  let next = 0;
  let inFlight = 0;
  let errors = 0;
  let unparsed = 0;
  const total = o.items.length;
  const start = performance.now();
  const progress = new ProgressGate(total, o.progressEveryS ?? 30);
  let probing: Promise<void> | undefined;

  const fail = (message: string): void => {
    if (runError === undefined) runError = message;
    stop.abort();
  };

  const checkServer = (detail: string): Promise<void> => {
    probing ??= o.client.probe().then((p) => {
      probing = undefined;
      if (!p.ready)
        fail(
          `the server stopped answering mid-run (${detail}; health probe: ${p.detail}): an infrastructure error, not a model result`,
        );
    });
    return probing;
  };

  const worker = async (): Promise<void> => {
    while (!stop.signal.aborted && next < total) {
      const item = o.items[next++];
      if (!item) break;
      inFlight++;
      const out = await o.client.chat(o.buildBody(item), stop.signal);
      inFlight--;
      if (!out.ok && out.error.kind === 'aborted') break; // not obtained: nothing to record
      const row = toRow(item, out);
      rows.push(row);
      o.onResult(row);
      if (row.error) {
        errors++;
        errorsByKind[row.error.kind] = (errorsByKind[row.error.kind] ?? 0) + 1;
        const status = row.error.status;
        if (status === 404)
          fail(
            `the server answered 404 for model requests (${row.error.message}): wrong model name or the model was unloaded`,
          );
        else if (status === 401 || status === 403)
          fail(`the server refused the credentials (HTTP ${status}): check api-key`);
        else if (row.error.kind === 'connection' || row.error.kind === 'timeout')
          await checkServer(row.error.message);
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
        o.log.info(
          formatProgress({ done: rows.length, total, errors, unparsed, inFlight, elapsedS }),
        );
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(o.concurrency, Math.max(1, total)) }, worker));
  o.signal?.removeEventListener('abort', onExternalAbort);
  if (o.signal?.aborted && runError === undefined)
    runError = 'the run was cancelled (signal received) before all videos were scored';
  return {
    rows,
    runError,
    complete: rows.length === total && runError === undefined,
    errorsByKind,
  };
}
