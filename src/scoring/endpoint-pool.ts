import type { ChatFailure, ChatOutcome, VllmClient } from '../vllm/client.js';
import type { ServerLoad } from '../vllm/metrics.js';
import { AdaptiveLimit } from './adaptive.js';

/**
 * What the scorer needs of one server: chat and a health probe; and, when the server exports them, its load
 * gauges (VllmClient has all three; a server without /metrics reads as null).
 */
export type EndpointClient = Pick<VllmClient, 'chat' | 'probe'> & Partial<Pick<VllmClient, 'load'>>;

/** Failures in a row, with no success in between, after which an endpoint is taken out (when others remain). */
export const KEEPS_FAILING = 8;

/** Throughput is measured over this window: long enough to smooth, short enough to follow a slowdown. */
const RATE_WINDOW_MS = 5_000;

/** A free endpoint is used unless a full one is expected to finish a request this much sooner. */
const WAIT_MARGIN = 1.5;

export class Endpoint {
  inFlight = 0;
  done = 0;
  errors = 0;
  consecutiveFailures = 0;
  removed: string | undefined;
  /** The server's own load, read from its /metrics (watchServerLoad); null until read or without /metrics. */
  load: ServerLoad | null = null;
  private readonly adaptive: AdaptiveLimit | undefined;
  /** Completion times (ms) within the last RATE_WINDOW_MS, for the throughput estimate. */
  private readonly recent: number[] = [];
  private firstCompletion: number | undefined;

  constructor(
    readonly name: string,
    readonly client: EndpointClient,
    private readonly fixedLimit: number | 'auto',
  ) {
    this.adaptive = fixedLimit === 'auto' ? new AdaptiveLimit() : undefined;
  }

  get limit(): number {
    return this.adaptive ? this.adaptive.limit : (this.fixedLimit as number);
  }

  get available(): boolean {
    return this.removed === undefined && this.inFlight < this.limit;
  }

  /** Completions per second over the recent window; undefined until there is something to measure. */
  rate(nowMs: number): number | undefined {
    while (this.recent.length > 0 && (this.recent[0] ?? 0) < nowMs - RATE_WINDOW_MS)
      this.recent.shift();
    if (this.recent.length < 4 || this.firstCompletion === undefined) return undefined;
    const span = Math.min(RATE_WINDOW_MS, nowMs - this.firstCompletion);
    return span > 0 ? (1000 * this.recent.length) / span : undefined;
  }

  /** Read this server's /metrics now; null when it has none or does not answer in time. */
  async readLoad(timeoutMs: number): Promise<ServerLoad | null> {
    this.load = (await this.client.load?.(timeoutMs).catch(() => null)) ?? null;
    return this.load;
  }

  completed(out: ChatOutcome, nowMs: number): void {
    this.done++;
    // Only answers count towards throughput: a server failing fast is not a fast server.
    if (out.ok) {
      this.firstCompletion ??= nowMs;
      this.recent.push(nowMs);
    }
    if (out.ok) this.consecutiveFailures = 0;
    else {
      this.errors++;
      this.consecutiveFailures++;
    }
    this.adaptive?.observe(nowMs, out.latencyMs, this.load?.waiting ?? null);
  }
}

/** Errors that say the endpoint itself is unusable, whatever the video. */
export function endpointFault(error: ChatFailure['error']): string | undefined {
  if (error.status === 404)
    return `answered 404 (${error.message}): wrong model name or the model was unloaded`;
  if (error.status === 401 || error.status === 403)
    return `refused the credentials (HTTP ${error.status}): check api-key`;
  return undefined;
}

/**
 * What a failed request means for its video:
 * - `endpoint-gone`: the endpoint was taken out; the video goes to another endpoint, or, when every live one
 *   has tried it, is recorded as an error (with none left the run is over and nothing is recorded);
 * - `maybe-endpoint`: a server-side failure that may be this endpoint's: another endpoint tries the video
 *   before it counts as an error;
 * - `video`: the video's own failure (4xx, unavailable): recorded as an error now.
 */
export type FailureAction = 'endpoint-gone' | 'maybe-endpoint' | 'video';

/**
 * Where the next request goes: the endpoint expected to finish it first, estimated as
 * (requests in flight + 1) / throughput (Little's law), until throughputs are measured simply the one with
 * the fewest in flight. When that endpoint is full the request waits for it rather than joining a slower
 * server's queue: at the end of a run a request queued behind a slow replica is what makes the tail.
 */
export class EndpointPool {
  readonly endpoints: Endpoint[];

  /** Endpoints taken out during the run, with why, in the order it happened. */
  readonly removed: { name: string; reason: string }[] = [];

  constructor(clients: { name: string; client: EndpointClient }[], limit: number | 'auto') {
    this.endpoints = clients.map((c) => new Endpoint(c.name, c.client, limit));
  }

  live(): Endpoint[] {
    return this.endpoints.filter((e) => e.removed === undefined);
  }

  /** Take an endpoint out; false when it already was. Its videos in flight finish or fail as they will. */
  takeOut(e: Endpoint, reason: string): boolean {
    if (e.removed !== undefined) return false;
    e.removed = reason;
    this.removed.push({ name: e.name, reason });
    return true;
  }

  /**
   * The failure policy: an endpoint that is gone (404 for the model, credentials refused, or a connection
   * failure with a failed health probe) is taken out; one that failed KEEPS_FAILING requests in a row is
   * taken out while others remain. `onTakenOut` hears of each removal (to warn, or to end the run when
   * none is left).
   */
  async judgeFailure(
    e: Endpoint,
    error: ChatFailure['error'],
    onTakenOut: (e: Endpoint, reason: string) => void,
  ): Promise<FailureAction> {
    const takeOut = (reason: string): void => {
      if (this.takeOut(e, reason)) onTakenOut(e, reason);
    };
    const fault = endpointFault(error);
    if (fault) {
      takeOut(fault);
      return 'endpoint-gone';
    }
    if (error.kind === 'connection' || error.kind === 'timeout') {
      const probe = await e.client.probe();
      if (!probe.ready) {
        takeOut(`stopped answering mid-run (${error.message}; health probe: ${probe.detail})`);
        return 'endpoint-gone';
      }
    }
    if (e.consecutiveFailures >= KEEPS_FAILING && this.live().length > 1) {
      takeOut(`${e.consecutiveFailures} requests in a row failed (last: ${error.message})`);
    }
    // 4xx is the request's own fault and an unavailable video is the video's: not tried again.
    return error.kind === 'http_4xx' || error.kind === 'video_unavailable'
      ? 'video'
      : 'maybe-endpoint';
  }

  /** The endpoint for the next request, or undefined to wait for a completion (or when none is left). */
  pick(nowMs: number, exclude?: ReadonlySet<Endpoint>): Endpoint | undefined {
    const candidates = this.endpoints.filter((e) => e.removed === undefined && !exclude?.has(e));
    const rates = candidates.map((e) => e.rate(nowMs));
    const measured = rates.every((r) => r !== undefined && r > 0);
    const cost = (e: Endpoint, i: number): number =>
      measured ? (e.inFlight + 1) / (rates[i] as number) : e.inFlight / e.limit;
    let best = Infinity;
    let free: { e: Endpoint; cost: number } | undefined;
    candidates.forEach((e, i) => {
      const c = cost(e, i);
      best = Math.min(best, c);
      if (e.available && (!free || c < free.cost)) free = { e, cost: c };
    });
    // Wait for a full endpoint only when it is clearly faster: throughput estimates are noisy, and a free
    // slot left unused on an equal server is lost time.
    return free && free.cost <= best * WAIT_MARGIN ? free.e : undefined;
  }

  inFlight(): number {
    return this.endpoints.reduce((a, e) => a + e.inFlight, 0);
  }

  describe(): string {
    return this.endpoints
      .map(
        (e) =>
          `${e.name}: ${e.removed ? 'out' : `${e.inFlight}/${e.limit} in flight`}, ${e.done} done, ${e.errors} errors`,
      )
      .join('; ');
  }
}
