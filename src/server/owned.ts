import { existsSync } from 'node:fs';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import {
  installCleanup,
  recordServer,
  startVllm,
  type ManagedServer,
  type ServerRecord,
} from './index.js';

export interface OwnedServer {
  managed: ManagedServer;
  record: ServerRecord;
  /** Stop the server (whole process group, SIGTERM then SIGKILL) and remove the signal handlers. */
  stop(): Promise<void>;
  /** When the server died during the run: one sentence and the end of its log, for the verdict's reasons. */
  exitNote(): string | undefined;
}

/**
 * A checkpoint that reads as a local path (absolute, ./ or ../, ~, or more than one `/`) but is not there: said
 * before vLLM is spawned, which would otherwise take its time to fail with a Hub lookup error. `org/name` is
 * a Hub model id and is left to vLLM.
 */
export function missingCheckpoint(
  checkpoint: string,
  exists: (path: string) => boolean,
): string | undefined {
  const local =
    /^([/.~]|[A-Za-z]:[\\/])/.test(checkpoint) ||
    checkpoint.split('/').length > 2 ||
    checkpoint.includes('\\');
  if (!local || exists(checkpoint)) return undefined;
  return `'checkpoint': ${checkpoint} does not exist (a local path; a Hub model id looks like org/name). Check the path, or that the training job's output is on this runner.`;
}

/**
 * `checkpoint`: the gate serves the model itself, on a free loopback port with the recipe's flags, waits
 * until /health answers (failing at once with the log tail if vLLM exits), records what served, and makes
 * sure the whole process group dies on every path: normal end, error, cancellation, and (via the pid file)
 * the post step when the main step was killed hard.
 */
export async function startOwnedServer(
  config: Config,
  log: Logger,
  signal: AbortSignal,
): Promise<OwnedServer> {
  const s = config.server;
  if (!s) throw new Error('internal: no checkpoint to serve');
  const missing = missingCheckpoint(s.checkpoint, existsSync);
  if (missing) throw new Error(missing);
  const managed = await startVllm({
    command: s.command,
    checkpoint: s.checkpoint,
    servedModelName: config.model ?? s.checkpoint,
    extraArgs: s.args,
    seed: config.sampling.seed,
    videoCacheDir: config.videoCache,
    outputDir: config.outputDir,
    pidDir: s.pidDir,
    timeoutS: config.serverTimeoutS,
    shutdownTimeoutS: s.shutdownTimeoutS,
    log,
    secrets: [config.apiKey, config.hub.token],
    signal,
    // The server inherits this process's environment (HF_TOKEN, PATH ...), as it would unasked.
    ...(s.env ? { env: { ...process.env, ...s.env } } : {}),
  });
  const uninstall = installCleanup(managed, log);
  try {
    const record = await recordServer(managed.baseUrl, {
      commandLine: managed.commandLine,
      apiKey: config.apiKey,
      path: s.path,
      log,
    });
    if (record.gpu)
      log.info(
        `GPU: ${record.gpu.map((g) => `${g.name} (${g.memory_total_mib} MiB, driver ${g.driver})`).join(', ')}`,
      );
    return {
      managed,
      record,
      stop: async () => {
        await managed.stop();
        uninstall();
      },
      exitNote: () => {
        const exit = managed.exitStatus();
        if (!exit) return undefined;
        return `vLLM exited during the run (${exit.code !== null ? `code ${exit.code}` : `signal ${exit.signal}`}); see ${managed.logPath}. Last lines:\n${managed.logTail(20).join('\n')}`;
      },
    };
  } catch (e) {
    await managed.stop();
    uninstall();
    throw e;
  }
}
