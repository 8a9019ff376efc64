/**
 * Cleanup on every path. In the process that started the server: cancellation signals and process exit
 * stop its group. Afterwards (the action's post step): pid files left by a main step killed too hard to
 * run its own cleanup.
 */
import type { Logger } from '../log.js';
import type { ManagedServer } from './managed.js';
import { listPidFiles, readPidFile, removePidFile } from './pid-file.js';
import { stopGroup } from './process-group.js';

export interface CleanupOptions {
  /**
   * After a signal has stopped the server, end this process by that signal. For processes with no
   * cancellation handling of their own; the action and the CLI end the run themselves (false, default).
   */
  exitOnSignal?: boolean;
}

/**
 * SIGINT/SIGTERM: stop the server group (SIGTERM, SIGKILL after the grace period); a second signal
 * SIGKILLs it at once (the runner's cancellation sends SIGINT, then SIGTERM 7.5 s later). Process exit
 * with the server still running: SIGKILL, synchronously, since nothing can be awaited there. Uninstalls
 * itself once the server is stopped; returns the uninstaller for callers that want it earlier.
 */
export function installCleanup(
  server: ManagedServer,
  log: Logger,
  opts: CleanupOptions = {},
): () => void {
  let signals = 0;
  let stopped = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      log.warning(
        `${signal} received again: killing the vLLM server (SIGKILL to process group ${server.pid})`,
      );
      server.kill();
      return;
    }
    log.warning(`${signal} received: stopping the vLLM server (process group ${server.pid})`);
    void server.stop().then(() => {
      if (!opts.exitOnSignal) return;
      uninstall();
      process.kill(process.pid, signal);
    });
  };
  const onExit = (): void => {
    if (!stopped) server.kill();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  const uninstall = (): void => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('exit', onExit);
  };
  void server.stopped.then((report) => {
    stopped = report.stopped;
    // Keep the signal handlers while a signal-initiated stop is about to re-raise.
    if (!(opts.exitOnSignal && signals > 0)) uninstall();
  });
  return uninstall;
}

export interface PidFileCleanup {
  path: string;
  /** A pid file was there. */
  found: boolean;
  /** Its process group still had live processes. */
  wasRunning: boolean;
  sent: NodeJS.Signals[];
  /** Nothing of it is left running (the file is then removed). */
  stopped: boolean;
  message: string;
}

/**
 * Stop the server a pid file names, if its process group still runs: SIGTERM, then SIGKILL after
 * `graceS` (default: the grace period recorded in the file). Removes the file once nothing is left.
 * No file: nothing to do. Throws only for an unreadable file system; a bad file is removed with a warning.
 */
export async function killFromPidFile(
  path: string,
  graceS: number | undefined,
  log: Logger,
): Promise<PidFileCleanup> {
  const none = { path, sent: [], wasRunning: false };
  let record;
  try {
    record = readPidFile(path);
  } catch (e) {
    log.warning(`${(e as Error).message}; removing it`);
    removePidFile(path);
    return { ...none, found: true, stopped: true, message: (e as Error).message };
  }
  if (!record) return { ...none, found: false, stopped: true, message: `no pid file at ${path}` };
  const g = await stopGroup(record.pgid, graceS ?? record.graceS);
  const what = `vLLM server (pid ${record.pid}, started ${record.startedAt}: ${record.command})`;
  let message: string;
  if (g.found === 0) message = `${what} had already exited`;
  else if (!g.gone)
    message = `${what} was still running and is still alive after ${g.sent.join(' and ')}; see ${record.logPath}`;
  else
    message = `${what} was still running (the main step did not stop it); stopped with ${g.sent.join(', then ')} after ${(g.waitedMs / 1000).toFixed(1)} s`;
  if (g.gone) removePidFile(path);
  if (g.found === 0) log.info(message);
  else log.warning(message);
  return { path, found: true, wasRunning: g.found > 0, sent: g.sent, stopped: g.gone, message };
}

/** killFromPidFile for every pid file in `dir` (the action's post step). */
export async function killServersIn(
  dir: string,
  graceS: number | undefined,
  log: Logger,
): Promise<PidFileCleanup[]> {
  const reports: PidFileCleanup[] = [];
  for (const path of listPidFiles(dir)) reports.push(await killFromPidFile(path, graceS, log));
  return reports;
}
