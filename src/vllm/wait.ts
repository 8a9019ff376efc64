import type { Logger } from '../log.js';
import { redactUrl, type VllmClient } from './client.js';
import { pollReadiness } from './readiness.js';

export class ServerNotReadyError extends Error {
  override name = 'ServerNotReadyError';
}

/**
 * How long a loopback address may refuse connections before the wait gives up: long enough for a server
 * that is about to bind (vLLM binds its port before it loads the weights), far shorter than server-timeout.
 */
export const REFUSED_GRACE_S = 30;

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

function hostPort(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return url;
  }
}

/**
 * A server the gate was given (base-url): poll until /health or /v1/models answers 200, printing progress
 * every 30 s, and give up after `timeoutS` with the last thing the server said; a loopback address that
 * refuses connections for REFUSED_GRACE_S gives up at once (a wrong port would otherwise wait the whole
 * server-timeout).
 */
export async function waitForServer(
  client: Pick<VllmClient, 'probe' | 'root'>,
  timeoutS: number,
  log: Logger,
  opts: {
    pollMs?: number;
    reportEveryS?: number;
    refusedGraceS?: number;
    signal?: AbortSignal;
  } = {},
): Promise<void> {
  const reportEveryS = opts.reportEveryS ?? 30;
  let announced = false;
  let lastReport = 0;
  const r = await pollReadiness({
    probe: (ms) => client.probe(ms),
    timeoutS,
    pollMs: opts.pollMs ?? 1_000,
    signal: opts.signal,
    refusedGraceS: isLoopback(client.root) ? (opts.refusedGraceS ?? REFUSED_GRACE_S) : undefined,
    onNotReady: (elapsedS, probe) => {
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
    },
  });
  if (r.ready) {
    if (announced) log.info(`Server ready after ${r.elapsedS.toFixed(1)} s`);
    return;
  }
  switch (r.reason) {
    case 'refused':
      throw new ServerNotReadyError(
        `nothing listens on ${hostPort(client.root)}: connection refused for ${Math.round(r.refusedS ?? 0)} s (a starting vLLM accepts connections long before it is ready). Is vLLM running, and on this port? This is an infrastructure error, not a model result.`,
      );
    case 'timeout':
      throw new ServerNotReadyError(
        `server at ${redactUrl(client.root)} did not become ready within server-timeout ${timeoutS} s (last: ${r.detail}). ` +
          'Is vLLM started and listening on that address? This is an infrastructure error, not a model result.',
      );
    case 'cancelled':
    case 'stopped':
      throw new ServerNotReadyError('stopped waiting for the server (cancelled)');
  }
}
