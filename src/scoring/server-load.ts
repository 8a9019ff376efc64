import type { Logger } from '../log.js';
import type { Endpoint } from './endpoint-pool.js';

export interface LoadWatchOptions {
  /** Seconds between reads of every live endpoint's /metrics. */
  pollS: number;
  /** Seconds between the log's load lines. */
  logEveryS?: number;
}

/** One endpoint's load as a log fragment. */
function describeLoad(e: Endpoint, named: boolean): string {
  const l = e.load;
  const who = named ? `${e.name}: ` : '';
  if (!l) return `${who}no metrics`;
  const kv = l.kvCacheUsage === null ? '?' : `${Math.round(100 * l.kvCacheUsage)}%`;
  return `${who}${l.running ?? '?'} running, ${l.waiting ?? '?'} waiting, KV cache ${kv}`;
}

/**
 * Every `pollS` seconds each live endpoint reads its own /metrics (Endpoint.readLoad): its queue depth
 * feeds its `concurrency: auto`, and every `logEveryS` the log shows running/waiting requests and KV-cache
 * use, so a user can tell whether concurrency is too low (nothing waiting, slots idle) or too high (a long
 * queue). The first reading is logged at once, then one every `logEveryS`. The endpoints are the ones actually scored on (with `checkpoint`, the owned server), and a
 * removed endpoint is simply no longer read: nothing is matched by position.
 */
export function watchServerLoad(
  endpoints: readonly Endpoint[],
  log: Logger,
  opts: LoadWatchOptions,
): { stop(): void } {
  const logEveryS = opts.logEveryS ?? 60;
  // The first reading is shown at once (a user learns early that the load can be read), then one a period.
  let lastLog: number | undefined;
  let busy = false;
  const poll = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const live = endpoints.filter((e) => e.removed === undefined);
      const got = await Promise.all(live.map((e) => e.readLoad(5_000)));
      const due = lastLog === undefined || (performance.now() - lastLog) / 1000 >= logEveryS;
      if (due && got.some((l) => l !== null)) {
        lastLog = performance.now();
        const named = endpoints.length > 1;
        log.info(`server load: ${live.map((e) => describeLoad(e, named)).join('; ')}`);
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), opts.pollS * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
