/**
 * Wait for a starting server as vLLM's own CI does: GET /health every 0.5 s until 200, failing at once
 * when the process exits, at the timeout, or on cancellation; progress (elapsed, last log line) every
 * 30 s, since loading and compiling an 8B model takes minutes.
 */
import type { Logger } from '../log.js';
import { healthOk } from './health.js';
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
  const start = performance.now();
  const elapsedS = () => (performance.now() - start) / 1000;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => (onAbort = resolve));
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let lastReport = 0;
    for (;;) {
      if (state.spawnError)
        return { kind: 'exited', message: `vLLM process error: ${state.spawnError.message}` };
      if (state.exit)
        return {
          kind: 'exited',
          message: `vLLM exited during start-up (${describeExit(state.exit)}) after ${elapsedS().toFixed(1)} s, before GET /health answered 200`,
        };
      if (o.signal?.aborted)
        return {
          kind: 'cancelled',
          message: `cancelled while vLLM was starting (after ${elapsedS().toFixed(1)} s); the server was stopped`,
        };
      const leftMs = () => o.timeoutS * 1000 - elapsedS() * 1000;
      const health = await healthOk(o.port, Math.max(250, Math.min(5_000, leftMs())));
      // A 200 while our process has exited is someone else on the port.
      if (health.ok && !state.exit) {
        o.log.info(`vLLM ready at http://127.0.0.1:${o.port}/v1 after ${elapsedS().toFixed(1)} s`);
        return undefined;
      }
      if (leftMs() <= 0)
        return {
          kind: 'timeout',
          message: `vLLM did not become ready within server-timeout ${o.timeoutS} s (last: ${health.detail}); the server was stopped`,
        };
      if (elapsedS() - lastReport >= o.reportEveryS) {
        lastReport = elapsedS();
        const last = o.lastLogLine()?.slice(0, 300) ?? '(no output yet)';
        o.log.info(
          `Still starting vLLM (${Math.round(elapsedS())} s of ${o.timeoutS} s); last log line: ${last}`,
        );
      }
      const pause = Math.max(0, Math.min(o.pollMs, leftMs()));
      await Promise.race([new Promise((r) => setTimeout(r, pause)), o.watch.ended, aborted]);
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}
