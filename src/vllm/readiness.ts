/**
 * The one readiness loop, for a server the gate started (server/wait-ready.ts: its process may exit) and
 * for one it was given (vllm/wait.ts: a wrong port refuses connections). Both probe the same way
 * (VllmClient.probe: GET /health, else /v1/models) and pause between probes; what they say about it is
 * theirs. Servers start slowly (weights, compile, CUDA graphs: minutes), so the pause is short and progress
 * is the caller's to report.
 */

export interface ProbeResult {
  ready: boolean;
  detail: string;
  /** Nothing accepted the connection (ECONNREFUSED). */
  refused?: boolean;
}

export interface ReadinessOptions {
  probe: (timeoutMs: number) => Promise<ProbeResult>;
  timeoutS: number;
  pollMs: number;
  signal?: AbortSignal;
  /** A reason to stop waiting now (the server's process exited), checked before and after each probe. */
  stopIf?: () => string | undefined;
  /** Resolves when waiting has become pointless (the process ended): cuts a pause short. */
  wake?: Promise<unknown>;
  /** Give up once connections have been refused for this long; never without. */
  refusedGraceS?: number;
  /** After each probe that was not ready, with the seconds waited so far. */
  onNotReady?: (elapsedS: number, probe: ProbeResult) => void;
}

export type Readiness =
  | { ready: true; elapsedS: number; detail: string }
  | {
      ready: false;
      reason: 'timeout' | 'refused' | 'cancelled' | 'stopped';
      /** The last probe's detail, or the stop reason. */
      detail: string;
      elapsedS: number;
      /** With `refused`: for how long. */
      refusedS?: number;
    };

export async function pollReadiness(o: ReadinessOptions): Promise<Readiness> {
  const start = performance.now();
  const elapsedS = (): number => (performance.now() - start) / 1000;
  const leftMs = (): number => o.timeoutS * 1000 - elapsedS() * 1000;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => (onAbort = resolve));
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let refusedSince: number | undefined;
  try {
    for (;;) {
      const stopped = o.stopIf?.();
      if (stopped !== undefined)
        return { ready: false, reason: 'stopped', detail: stopped, elapsedS: elapsedS() };
      if (o.signal?.aborted)
        return { ready: false, reason: 'cancelled', detail: 'cancelled', elapsedS: elapsedS() };
      const probe = await o.probe(Math.max(250, Math.min(5_000, leftMs())));
      // Ready while the process has exited is someone else on the port: the next round says stopped.
      if (probe.ready && o.stopIf?.() === undefined)
        return { ready: true, elapsedS: elapsedS(), detail: probe.detail };
      refusedSince = probe.refused ? (refusedSince ?? elapsedS()) : undefined;
      if (
        o.refusedGraceS !== undefined &&
        refusedSince !== undefined &&
        elapsedS() - refusedSince >= o.refusedGraceS
      )
        return {
          ready: false,
          reason: 'refused',
          detail: probe.detail,
          elapsedS: elapsedS(),
          refusedS: elapsedS() - refusedSince,
        };
      if (leftMs() <= 0)
        return { ready: false, reason: 'timeout', detail: probe.detail, elapsedS: elapsedS() };
      o.onNotReady?.(elapsedS(), probe);
      const pause = Math.max(0, Math.min(o.pollMs, leftMs()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise((r) => (timer = setTimeout(r, pause))),
        ...(o.wake ? [o.wake] : []),
        aborted,
      ]);
      clearTimeout(timer);
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}
