/**
 * Continuous batching, reduced to what a client can observe: at most `capacity` requests are served
 * at once; the rest wait in arrival order (vLLM never answers 429 for load, it queues). A request
 * whose client went away leaves the queue, as vLLM aborts requests on disconnect.
 */

export interface SlotCounts {
  inFlight: number;
  maxInFlight: number;
  waiting: number;
}

export class SlotQueue {
  readonly counts: SlotCounts = { inFlight: 0, maxInFlight: 0, waiting: 0 };
  private readonly queue: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  /** Resolves once a slot is held; rejects if `signal` aborts while waiting. Call release() after. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new Error('aborted'));
    if (this.counts.inFlight < this.capacity) {
      this.take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.counts.waiting--;
        this.take();
        resolve();
      };
      const onAbort = () => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) {
          this.queue.splice(i, 1);
          this.counts.waiting--;
        }
        reject(new Error('aborted'));
      };
      this.queue.push(grant);
      this.counts.waiting++;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Frees a slot and hands it to the oldest waiting request, if any. */
  release(): void {
    this.counts.inFlight--;
    this.queue.shift()?.();
  }

  private take(): void {
    this.counts.inFlight++;
    if (this.counts.inFlight > this.counts.maxInFlight)
      this.counts.maxInFlight = this.counts.inFlight;
  }
}
