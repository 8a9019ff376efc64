import type { Logger } from '../log.js';
import { serverRoot } from '../vllm/client.js';
import { fetchServerLoad, type ServerLoad } from '../vllm/metrics.js';

/**
 * Reads each server's /metrics every `pollS` seconds: the queue depth feeds `concurrency: auto`, and once a
 * minute the log shows running/waiting requests and KV-cache use, so a user can tell whether concurrency is
 * too low (nothing waiting, slots idle) or too high (a long queue). Servers without /metrics are skipped.
 */
export function watchServerLoad(
  baseUrls: string[],
  log: Logger,
  opts: { pollS?: number; logEveryS?: number } = {},
) {
  const loads: (ServerLoad | null)[] = baseUrls.map(() => null);
  const pollS = opts.pollS ?? 10;
  const logEveryS = opts.logEveryS ?? 60;
  let lastLog = performance.now();
  let busy = false;
  const poll = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const got = await Promise.all(
        baseUrls.map((u) => fetchServerLoad(serverRoot(u), 5_000).catch(() => null)),
      );
      got.forEach((l, i) => (loads[i] = l));
      if ((performance.now() - lastLog) / 1000 >= logEveryS && got.some((l) => l !== null)) {
        lastLog = performance.now();
        const parts = got.map((l, i) =>
          l
            ? `${baseUrls.length > 1 ? `#${i + 1} ` : ''}${l.running ?? '?'} running, ${l.waiting ?? '?'} waiting, KV cache ${l.kvCacheUsage === null ? '?' : `${Math.round(100 * l.kvCacheUsage)}%`}`
            : `#${i + 1} no metrics`,
        );
        log.info(`server load: ${parts.join('; ')}`);
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), pollS * 1000);
  timer.unref();
  return {
    queueWaiting: (i: number): number | null => loads[i]?.waiting ?? null,
    stop: () => clearInterval(timer),
  };
}
