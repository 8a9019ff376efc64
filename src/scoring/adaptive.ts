/**
 * `concurrency: auto`: how many requests to keep in flight on one endpoint. vLLM queues what it cannot batch,
 * so more in flight only helps while the server has free batch slots. Each window of completions compares
 * throughput and latency with the previous window: grow while throughput grows and the server's queue is
 * empty; shrink when latency rises without a throughput gain (requests are only waiting); else hold.
 * Pure: observations in, a limit out.
 */
export interface AdaptiveOptions {
  initial: number;
  min: number;
  max: number;
  /** Completions per decision window. */
  window: number;
}

export const DEFAULT_ADAPTIVE: AdaptiveOptions = { initial: 8, min: 1, max: 256, window: 32 };

interface Window {
  throughput: number;
  latencyMs: number;
}

export class AdaptiveLimit {
  limit: number;
  private count = 0;
  private latencySum = 0;
  private startedAt: number | undefined;
  private previous: Window | undefined;

  constructor(private readonly o: AdaptiveOptions = DEFAULT_ADAPTIVE) {
    this.limit = o.initial;
  }

  /** Record one completion; `queueWaiting` is the server's waiting count when known (null when not). */
  observe(nowMs: number, latencyMs: number, queueWaiting: number | null): void {
    this.startedAt ??= nowMs - latencyMs;
    this.count++;
    this.latencySum += latencyMs;
    if (this.count < Math.max(this.o.window, this.limit)) return;
    const elapsed = Math.max(1, nowMs - this.startedAt);
    const current: Window = {
      throughput: (1000 * this.count) / elapsed,
      latencyMs: this.latencySum / this.count,
    };
    this.limit = nextLimit(this.limit, this.previous, current, queueWaiting, this.o);
    this.previous = current;
    this.count = 0;
    this.latencySum = 0;
    this.startedAt = nowMs;
  }
}

export function nextLimit(
  limit: number,
  previous: Window | undefined,
  current: Window,
  queueWaiting: number | null,
  o: AdaptiveOptions,
): number {
  const clamp = (x: number): number => Math.max(o.min, Math.min(o.max, x));
  if (previous === undefined) return queueWaiting ? limit : clamp(Math.ceil(limit * 1.5));
  const gained = current.throughput > previous.throughput * 1.05;
  const slower = current.latencyMs > previous.latencyMs * 1.3;
  if (gained && !queueWaiting) return clamp(Math.ceil(limit * 1.5));
  if (slower && !gained) return clamp(Math.floor(limit * 0.75));
  return limit;
}
