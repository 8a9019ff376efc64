/** What served the run, for summary.json, the report and the baseline's comparability fields. */
import type { Logger } from '../log.js';
import { VllmClient } from '../vllm/client.js';
import { queryGpus, type GpuInfo } from './nvidia-smi.js';

export interface ServerRecord {
  vllm_version: string | null;
  models: { id: string; root: string | null; max_model_len: number | null }[];
  /** Masked. */
  command_line: string;
  /** Present when nvidia-smi was on the PATH and answered. */
  gpu?: GpuInfo[];
}

export interface RecordOptions {
  /** ManagedServer.commandLine (already masked). */
  commandLine: string;
  apiKey?: string;
  /** The PATH to look for nvidia-smi on; unset: no GPU query. */
  path?: string;
  /** Where a failing nvidia-smi is reported (a warning: the run does not depend on it). */
  log?: Logger;
}

/** GET /version, GET /v1/models and, when on the PATH, nvidia-smi. `baseUrl` is the /v1 endpoint. */
export async function recordServer(baseUrl: string, opts: RecordOptions): Promise<ServerRecord> {
  const client = new VllmClient({ baseUrl, apiKey: opts.apiKey, timeoutMs: 30_000, maxRetries: 0 });
  try {
    const [version, models, gpu] = await Promise.all([
      client.version(),
      client.models(),
      opts.path === undefined
        ? undefined
        : queryGpus(opts.path).catch((e: Error) => {
            opts.log?.warning(`GPU not recorded: ${e.message}`);
            return undefined;
          }),
    ]);
    return {
      vllm_version: version,
      models: models.map((m) => ({ id: m.id, root: m.root, max_model_len: m.maxModelLen })),
      command_line: opts.commandLine,
      ...(gpu ? { gpu } : {}),
    };
  } finally {
    await client.close();
  }
}
