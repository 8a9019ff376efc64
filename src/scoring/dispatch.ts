import type { EvalItem } from '../core/types.js';
import type { ChatOutcome } from '../vllm/client.js';
import type { Endpoint, EndpointPool } from './endpoint-pool.js';

/** The next step of the scoring loop. */
export type NextStep =
  /** Send this video to this endpoint. */
  | { kind: 'send'; item: EvalItem; endpoint: Endpoint }
  /** Every endpoint still in the pool failed this video: it is a per-video error after all. */
  | { kind: 'record'; item: EvalItem; failure: ChatOutcome }
  /** Nothing can start now: wait for a completion (or, with nothing in flight, the run is over). */
  | { kind: 'wait' };

/**
 * Which video goes next, and where. Videos given back for another endpoint (`retry`) go before new ones, to
 * the endpoints that have not tried them; the order of new videos is the order given.
 */
export class WorkQueue {
  private next = 0;
  private readonly retries: EvalItem[] = [];
  private readonly triedOn = new Map<number, Set<Endpoint>>();
  private readonly lastFailure = new Map<number, ChatOutcome>();

  constructor(
    private readonly items: readonly EvalItem[],
    private readonly pool: EndpointPool,
  ) {}

  take(nowMs: number): NextStep {
    const item = this.retries[0] ?? this.items[this.next];
    if (!item) return { kind: 'wait' };
    const tried = this.triedOn.get(item.index);
    const failure = this.lastFailure.get(item.index);
    if (tried && failure && !this.untried(tried)) {
      this.retries.shift();
      return { kind: 'record', item, failure };
    }
    const endpoint = this.pool.pick(nowMs, tried);
    if (!endpoint) return { kind: 'wait' };
    if (this.retries[0] === item) this.retries.shift();
    else this.next++;
    return { kind: 'send', item, endpoint };
  }

  /**
   * Give a video another endpoint after its failure on `e`; false when every live endpoint has tried it
   * (the failure is then the video's to record).
   */
  retry(item: EvalItem, e: Endpoint, failure: ChatOutcome): boolean {
    this.lastFailure.set(item.index, failure);
    const tried = this.triedOn.get(item.index) ?? new Set<Endpoint>();
    tried.add(e);
    this.triedOn.set(item.index, tried);
    if (!this.untried(tried)) return false;
    this.retries.push(item);
    return true;
  }

  private untried(tried: ReadonlySet<Endpoint>): boolean {
    return this.pool.live().some((x) => !tried.has(x));
  }
}
