/**
 * Start `vllm serve` as its own process group and wait until it is ready. The server's output goes to a
 * log file (kept with the results); a pid file lets the post step stop a server the main step left
 * behind when it was killed hard.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { maskSecrets, type Logger } from '../log.js';
import { flagValue } from '../config/shell-words.js';
import { formatCommandLine, maskArgs, SECRET_FLAGS, vllmCommandLine } from './args.js';
import { freePort } from './free-port.js';
import { fileSize, tailLines } from './log-tail.js';
import { manageServer, watchChild, type ExitStatus, type ManagedServer } from './managed.js';
import { pidFileIn, writePidFile } from './pid-file.js';
import { waitReady, type StartFailure } from './wait-ready.js';

export const SERVER_LOG_NAME = 'vllm-server.log';
const TAIL_LINES = 100;

export interface StartVllmOptions {
  /** `vllm-command` (default `vllm`), split like a shell would. */
  command?: string;
  /** Local path or Hub model id. */
  checkpoint: string;
  /** Name the server answers to (the request's `model`). Default: the checkpoint, as vLLM itself does. */
  servedModelName?: string;
  /** `splitArgs(vllm-args)`. */
  extraArgs?: readonly string[];
  /** `--seed` (default 0, as vLLM's own CI). */
  seed?: number;
  /** Local video cache: adds `--allowed-local-media-path`. */
  videoCacheDir?: string;
  /** The log goes to `<outputDir>/vllm-server.log` (appended). */
  outputDir: string;
  /** Where to write the pid file (`pidDirFor(RUNNER_TEMP)` in the action); none when unset. */
  pidDir?: string;
  /** server-timeout: seconds until GET /health must answer 200. */
  timeoutS: number;
  /** server-shutdown-timeout: seconds SIGTERM may take before SIGKILL (default 30). */
  shutdownTimeoutS?: number;
  log: Logger;
  /** The server's environment (HF_TOKEN, CUDA_VISIBLE_DEVICES ...). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Masked in the command line, progress lines and errors (the api key, HF_TOKEN). */
  secrets?: readonly (string | undefined)[];
  /** Cancellation while waiting: the server is stopped and startVllm rejects. */
  signal?: AbortSignal;
  /** Default: a free loopback port. */
  port?: number;
  /** Readiness poll interval (default 500 ms, as vLLM's CI) and progress interval (default 30 s). */
  pollMs?: number;
  reportEveryS?: number;
}

/** The server could not be started: an infrastructure error, never a model result. */
export class VllmStartError extends Error {
  override name = 'VllmStartError';
  constructor(
    message: string,
    readonly kind: StartFailure,
    readonly logPath: string,
    readonly logTail: string[],
    readonly exit: ExitStatus | null,
  ) {
    super(message);
  }
}

/** Lines we add to the server log ourselves (start, stop); not part of the server's own tail. */
const NOTE = /^\[videophy-gate\] /;

/**
 * Start `vllm serve` and resolve once GET /health answers 200. Rejects with a VllmStartError (after
 * stopping whatever it started) when the process exits first, when `timeoutS` passes, or on `signal`.
 */
export async function startVllm(opts: StartVllmOptions): Promise<ManagedServer> {
  const { log } = opts;
  // Credentials given in vllm-args are secrets too: vLLM prints its non-default arguments at start-up.
  const secrets = [
    ...(opts.secrets ?? []),
    ...SECRET_FLAGS.map((f) => flagValue(opts.extraArgs ?? [], f)),
  ];
  const mask = (s: string) => maskSecrets(s, secrets);
  const port = opts.port ?? (await freePort());
  const servedModelName = opts.servedModelName ?? opts.checkpoint;
  const argv = vllmCommandLine({
    command: opts.command ?? 'vllm',
    checkpoint: opts.checkpoint,
    port,
    servedModelName,
    extraArgs: opts.extraArgs ?? [],
    seed: opts.seed ?? 0,
    ...(opts.videoCacheDir ? { videoCacheDir: opts.videoCacheDir } : {}),
  });
  const commandLine = formatCommandLine(maskArgs(argv, secrets));

  mkdirSync(opts.outputDir, { recursive: true });
  const logPath = join(opts.outputDir, SERVER_LOG_NAME);
  const note = (text: string) => {
    try {
      appendFileSync(logPath, `[videophy-gate] ${new Date().toISOString()} ${mask(text)}\n`);
    } catch {
      // The note is a courtesy; the server's own output is what matters.
    }
  };
  note(`starting: ${commandLine}`);
  const from = fileSize(logPath); // this run's output starts here (the file is appended to)
  const tail = (n: number) =>
    tailLines(logPath, n + 4, from)
      .filter((l) => !NOTE.test(l))
      .slice(-n)
      .map(mask);

  let fd: number;
  try {
    fd = openSync(logPath, 'a');
  } catch (e) {
    throw new Error(`could not open the server log ${logPath}: ${(e as Error).message}`);
  }
  const [file, ...args] = argv as [string, ...string[]];
  let child: ChildProcess;
  try {
    // detached: its own process group, so one signal reaches vLLM's engine and worker processes too.
    child = spawn(file, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: opts.env,
      cwd: opts.cwd,
    });
  } finally {
    closeSync(fd); // the child has its own copy
  }
  const watch = watchChild(child);
  const pid = child.pid;
  if (pid === undefined) {
    await watch.ended;
    const e = watch.state.spawnError;
    const hint =
      e?.code === 'ENOENT'
        ? ` (is vLLM installed on this runner? set vllm-command to its path, e.g. /opt/venv/bin/vllm)`
        : '';
    throw new VllmStartError(
      `could not start vLLM: ${file}: ${e?.message ?? 'no process id'}${hint}. Command: ${commandLine}`,
      'spawn',
      logPath,
      [],
      null,
    );
  }
  // Our event loop must not wait for the server: stop() (or an exit handler) ends it.
  child.unref();

  const graceS = opts.shutdownTimeoutS ?? 30;
  let pidFile: string | undefined;
  if (opts.pidDir) {
    pidFile = pidFileIn(opts.pidDir, pid);
    try {
      writePidFile(pidFile, {
        pid,
        pgid: pid,
        startedAt: new Date().toISOString(),
        command: commandLine,
        graceS,
        logPath,
      });
    } catch (e) {
      log.warning(
        `could not write the pid file ${pidFile} (${(e as Error).message}); a server left running by a killed step will not be stopped by the post step`,
      );
      pidFile = undefined;
    }
  }

  // The log is kept as an artifact: once the server is gone, no secret it printed stays in the file.
  const scrub = () => {
    if (!secrets.some((x) => typeof x === 'string' && x.length >= 3)) return;
    try {
      const text = readFileSync(logPath, 'utf8');
      const masked = mask(text);
      if (masked !== text) writeFileSync(logPath, masked);
    } catch (e) {
      log.warning(`could not mask secrets in ${logPath}: ${(e as Error).message}`);
    }
  };
  const server = manageServer({
    pid,
    port,
    watch,
    logPath,
    pidFile,
    commandLine,
    servedModelName,
    graceS,
    log,
    tail,
    note,
    scrub,
  });
  log.info(
    `Starting vLLM on 127.0.0.1:${port} (up to ${opts.timeoutS} s; log: ${logPath}): ${commandLine}`,
  );
  // Until the caller holds the server (and installs its own cleanup), an exit must not leave it behind.
  const onExit = () => server.kill();
  process.on('exit', onExit);
  let failure: Awaited<ReturnType<typeof waitReady>>;
  try {
    failure = await waitReady({
      port,
      watch,
      timeoutS: opts.timeoutS,
      pollMs: opts.pollMs ?? 500,
      reportEveryS: opts.reportEveryS ?? 30,
      log,
      lastLogLine: () => tail(1)[0],
      signal: opts.signal,
    });
  } finally {
    process.removeListener('exit', onExit);
  }
  if (!failure) return server;

  await server.stop();
  const lines = tail(TAIL_LINES);
  const shown = lines.length
    ? `\nLast ${lines.length} lines of ${logPath}:\n${lines.join('\n')}`
    : `\n${logPath} is empty.`;
  throw new VllmStartError(
    `${mask(failure.message)}. Command: ${commandLine}${shown}`,
    failure.kind,
    logPath,
    lines,
    watch.state.exit,
  );
}
