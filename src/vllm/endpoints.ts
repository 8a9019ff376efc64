import type { Logger } from '../log.js';
import { VllmClient, redactUrl, type ModelInfo } from './client.js';
import { waitForServer } from './wait.js';

export interface ConnectOptions {
  baseUrls: string[];
  apiKey?: string;
  /** Served model name to use; undefined = the first id of GET /v1/models. */
  model?: string;
  requestTimeoutS: number;
  maxRetries: number;
  serverTimeoutS: number;
  /** The servers were just waited for (the one the gate started): connect without a second wait. */
  ready?: boolean;
}

export interface Connected {
  endpoints: { name: string; client: VllmClient }[];
  model: string;
  modelInfo: ModelInfo;
  vllmVersion: string | null;
  close(): Promise<void>;
}

function pickModel(models: ModelInfo[], wanted: string | undefined, where: string): ModelInfo {
  if (models.length === 0)
    throw new Error(`${where}: GET /v1/models lists no model: the server serves nothing`);
  const found = wanted === undefined ? models[0] : models.find((m) => m.id === wanted);
  if (!found) {
    throw new Error(
      `model '${wanted}' is not served by ${where}; it serves: ${models.map((m) => `'${m.id}'`).join(', ')} (set the 'model' input to one of them, or leave it empty)`,
    );
  }
  return found;
}

/**
 * Wait for every endpoint (in parallel, each up to server-timeout) and agree on the model. An endpoint that
 * never becomes ready, or serves another model, is left out with a warning; with none left, the first
 * failure is the error. With one endpoint this is simply: wait, then check the model.
 */
export async function connectEndpoints(
  o: ConnectOptions,
  log: Logger,
  signal?: AbortSignal,
): Promise<Connected> {
  const all = o.baseUrls.map((url) => ({
    name: redactUrl(url),
    client: new VllmClient({
      baseUrl: url,
      apiKey: o.apiKey,
      timeoutMs: o.requestTimeoutS * 1000,
      maxRetries: o.maxRetries,
    }),
  }));
  const closeAll = async (): Promise<void> => {
    await Promise.all(all.map((e) => e.client.close()));
  };
  try {
    const waits = await Promise.allSettled(
      all.map((e) =>
        o.ready ? Promise.resolve() : waitForServer(e.client, o.serverTimeoutS, log, { signal }),
      ),
    );
    let ready = all.filter((_, i) => waits[i]?.status === 'fulfilled');
    const firstFailure = waits.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (ready.length === 0) throw firstFailure?.reason ?? new Error('no endpoint');
    waits.forEach((w, i) => {
      if (w.status === 'rejected')
        log.warning(`endpoint ${all[i]?.name} left out: ${(w.reason as Error).message}`);
    });
    const first = ready[0] as (typeof all)[number];
    const modelInfo = pickModel(await first.client.models(), o.model, first.name);
    const others = await Promise.all(
      ready.slice(1).map(async (e) => {
        try {
          pickModel(await e.client.models(), modelInfo.id, e.name);
          return e;
        } catch (err) {
          log.warning(`endpoint ${e.name} left out: ${(err as Error).message}`);
          return undefined;
        }
      }),
    );
    ready = [first, ...others.filter((e): e is (typeof all)[number] => e !== undefined)];
    return {
      endpoints: ready,
      model: modelInfo.id,
      modelInfo,
      vllmVersion: await first.client.version(),
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
