/**
 * Wait for the vLLM server the gate started, as vLLM's own CI does: probe every 0.5 s until GET /health
 * answers 200, failing at once when the process exits, at the timeout, or on cancellation; progress
 * (elapsed, last log line) every 30 s, since loading and compiling an 8B model takes minutes. The loop and
 * the probe are the ones every server is waited for with (vllm/readiness.ts, VllmClient.probe); the process
 * watch and the messages are this file's.
 */
import type { Logger } from '../log.js';
import { VllmClient } from '../vllm/client.js';
import { pollReadiness } from '../vllm/readiness.js';
import { describeExit, type ChildWatch } from './managed.js';

export type StartFailure = 'spawn' | 'exited' | 'timeout' | 'cancelled';

export interface WaitReadyOptions {
  port: number;
  watch: ChildWatch;
  timeoutS: number;
  pollMs: number;
  reportEveryS: number;
  log: Logger;
  lastLogLine: () => string | undefined;
  signal?: AbortSignal;
}

/** undefined once ready; otherwise why not (the caller stops the server and reports). */
export async function waitReady(
  o: WaitReadyOptions,
): Promise<{ kind: StartFailure; message: string } | undefined> {
  const { state } = o.watch;
  const baseUrl = `http://127.0.0.1:${o.port}/v1`;
  // No api key: vLLM's --api-key guards /v1, never /health.
  const client = new VllmClient({ baseUrl, timeoutMs: 5_000, maxRetries: 0 });
  let lastReport = 0;
  try {
    const r = await pollReadiness({
      probe: (ms) => client.probe(ms),
      timeoutS: o.timeoutS,
      pollMs: o.pollMs,
      signal: o.signal,
      wake: o.watch.ended,
      stopIf: () => {
        if (state.spawnError) return `vLLM process error: ${state.spawnError.message}`;
        if (state.exit) return `vLLM exited during start-up (${describeExit(state.exit)})`;
        return undefined;
      },
      onNotReady: (elapsedS) => {
        if (elapsedS - lastReport < o.reportEveryS) return;
        lastReport = elapsedS;
        const last = o.lastLogLine()?.slice(0, 300) ?? '(no output yet)';
        o.log.info(
          `Still starting vLLM (${Math.round(elapsedS)} s of ${o.timeoutS} s); last log line: ${last}`,
        );
      },
    });
    const after = `${r.elapsedS.toFixed(1)} s`;
    if (r.ready) {
      o.log.info(`vLLM ready at ${baseUrl} after ${after}`);
      return undefined;
    }
    switch (r.reason) {
      case 'stopped':
        return {
          kind: 'exited',
          message: state.spawnError
            ? r.detail
            : `${r.detail} after ${after}, before GET /health answered 200`,
        };
      case 'cancelled':
        return {
          kind: 'cancelled',
          message: `cancelled while vLLM was starting (after ${after}); the server was stopped`,
        };
      case 'timeout':
      case 'refused':
        return {
          kind: 'timeout',
          message: `vLLM did not become ready within server-timeout ${o.timeoutS} s (last: ${r.detail}); the server was stopped`,
        };
    }
  } finally {
    await client.close();
  }
}
