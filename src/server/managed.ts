/**
 * A running server we own: its process group, how its main process ended, and stopping all of it once
 * (SIGTERM, SIGKILL after the grace period), with a report of what that took.
 */
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../log.js';
import { removePidFile } from './pid-file.js';
import { groupMembers, signalGroup, stopGroup } from './process-group.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StopReport {
  /** No live process was left when stop() began (the server had exited by itself). */
  alreadyStopped: boolean;
  /** Signals sent to the process group, in order. */
  sent: NodeJS.Signals[];
  /** No live process is left in the group. */
  stopped: boolean;
  waitedMs: number;
  /** How the server's main process ended, when known. */
  exit: ExitStatus | null;
  /** One line for the log. */
  message: string;
}

export interface ManagedServer {
  /** OpenAI-compatible endpoint: http://127.0.0.1:PORT/v1 (what `base-url` would be). */
  baseUrl: string;
  port: number;
  /** Process id of `vllm`, also its process group id. */
  pid: number;
  logPath: string;
  pidFile: string | undefined;
  /** The command line with secrets masked. */
  commandLine: string;
  servedModelName: string;
  /** SIGTERM to the group, SIGKILL after the grace period. Idempotent; never rejects. */
  stop(): Promise<StopReport>;
  /** Settles when stop() has finished, whoever called it. */
  readonly stopped: Promise<StopReport>;
  /** SIGKILL to the group now, synchronously (process 'exit' handlers, a second cancellation signal). */
  kill(): void;
  /** How the main process ended, or null while it runs (a server that dies mid-run). */
  exitStatus(): ExitStatus | null;
  /** The last lines this server wrote to its log (masked). */
  logTail(lines?: number): string[];
}

export const describeExit = (e: ExitStatus): string =>
  e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the child did: exited (and how) or failed to spawn; `ended` resolves on either. */
export interface ChildWatch {
  state: { exit: ExitStatus | null; spawnError: NodeJS.ErrnoException | null };
  ended: Promise<void>;
}

export function watchChild(child: ChildProcess): ChildWatch {
  const state: ChildWatch['state'] = { exit: null, spawnError: null };
  const ended = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      state.exit = { code, signal };
      resolve();
    });
    child.once('error', (e) => {
      state.spawnError = e;
      resolve();
    });
  });
  return { state, ended };
}

export interface ManageOptions {
  pid: number;
  port: number;
  watch: ChildWatch;
  logPath: string;
  pidFile: string | undefined;
  commandLine: string;
  servedModelName: string;
  graceS: number;
  log: Logger;
  /** Lines of this run's log, masked. */
  tail: (n: number) => string[];
  /** Append a line of our own to the server log. */
  note: (text: string) => void;
  /** Mask secrets in the log file, once nothing writes to it any more. */
  scrub: () => void;
}

export function manageServer(o: ManageOptions): ManagedServer {
  const { pid, watch, log } = o;
  const who = `vLLM server (pid ${pid})`;
  let stopping: Promise<StopReport> | undefined;
  let settle: (r: StopReport) => void = () => undefined;
  const stopped = new Promise<StopReport>((resolve) => (settle = resolve));

  const describe = async (): Promise<StopReport> => {
    const g = await stopGroup(pid, o.graceS);
    // The main process usually ends first; give its exit event a moment to arrive for the report.
    if (g.gone && watch.state.exit === null) await Promise.race([watch.ended, sleep(1_000)]);
    const exit = watch.state.exit;
    const how = exit ? ` (${describeExit(exit)})` : '';
    const secs = (g.waitedMs / 1000).toFixed(1);
    let message: string;
    if (g.found === 0) message = `${who} had already exited${how}`;
    else if (!g.gone)
      message = `${who}: processes ${groupMembers(pid).join(', ')} of its group are still alive after SIGKILL; the post step will try again`;
    else if (g.sent.includes('SIGKILL'))
      message = `${who} did not stop within ${o.graceS} s of SIGTERM (server-shutdown-timeout); stopped with SIGKILL after ${secs} s`;
    else message = `${who} stopped by SIGTERM in ${secs} s${how}`;
    if (g.gone && o.pidFile) removePidFile(o.pidFile);
    return {
      alreadyStopped: g.found === 0,
      sent: g.sent,
      stopped: g.gone,
      waitedMs: g.waitedMs,
      exit,
      message,
    };
  };

  const doStop = async (): Promise<StopReport> => {
    let report: StopReport;
    try {
      report = await describe();
    } catch (e) {
      report = {
        alreadyStopped: false,
        sent: [],
        stopped: false,
        waitedMs: 0,
        exit: watch.state.exit,
        message: `${who}: could not stop it: ${(e as Error).message}`,
      };
    }
    o.note(report.message);
    if (report.stopped) o.scrub();
    if (report.stopped && !report.sent.includes('SIGKILL')) log.info(report.message);
    else log.warning(report.message);
    settle(report);
    return report;
  };

  return {
    baseUrl: `http://127.0.0.1:${o.port}/v1`,
    port: o.port,
    pid,
    logPath: o.logPath,
    pidFile: o.pidFile,
    commandLine: o.commandLine,
    servedModelName: o.servedModelName,
    stop: () => (stopping ??= doStop()),
    stopped,
    kill: () => {
      try {
        signalGroup(pid, 'SIGKILL');
      } catch {
        // Nothing more can be done synchronously; the pid file stays for the post step.
      }
    },
    exitStatus: () => watch.state.exit,
    logTail: (n = 100) => o.tail(n),
  };
}
