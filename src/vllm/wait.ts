import type { Logger } from '../run/logger.js';
import { redactUrl, type VllmClient } from './client.js';
import { sleep } from '../core/backoff.js';

export class ServerNotReadyError extends Error {
  override name = 'ServerNotReadyError';
}

/**
 * Servers start slowly (weights, compile, CUDA graphs: minutes). Poll until /health or /v1/models answers
 * 200, printing progress every 30 s, and give up after `timeoutS` with the last thing the server said.
 */
export async function waitForServer(
  client: Pick<VllmClient, 'probe' | 'root'>,
  timeoutS: number,
  log: Logger,
  opts: { pollMs?: number; reportEveryS?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const pollMs = opts.pollMs ?? 1_000;
  const reportEveryS = opts.reportEveryS ?? 30;
  const start = performance.now();
  let lastReport = 0;
  let announced = false;
  for (;;) {
    if (opts.signal?.aborted)
      throw new ServerNotReadyError('stopped waiting for the server (cancelled)');
    const probe = await client.probe(Math.min(5_000, Math.max(500, timeoutS * 1000)));
    if (probe.ready) {
      if (announced)
        log.info(`Server ready after ${((performance.now() - start) / 1000).toFixed(1)} s`);
      return;
    }
    const elapsedS = (performance.now() - start) / 1000;
    if (elapsedS >= timeoutS) {
      throw new ServerNotReadyError(
        `server at ${redactUrl(client.root)} did not become ready within server-timeout ${timeoutS} s (last: ${probe.detail}). ` +
          'Is vLLM started and listening on that address? This is an infrastructure error, not a model result.',
      );
    }
    if (!announced) {
      log.info(
        `Waiting for the server at ${redactUrl(client.root)} (up to ${timeoutS} s): ${probe.detail}`,
      );
      announced = true;
      lastReport = elapsedS;
    } else if (elapsedS - lastReport >= reportEveryS) {
      log.info(`Still waiting for the server (${Math.round(elapsedS)} s): ${probe.detail}`);
      lastReport = elapsedS;
    }
    await sleep(Math.min(pollMs, Math.max(0, timeoutS * 1000 - elapsedS * 1000)), opts.signal);
  }
}
