/**
 * The pid file of a running server, so a later process (the action's post step) can stop a server the
 * main step left running when it was killed hard. One file per server in a directory: two gate steps in
 * one job each leave their own.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PidRecord {
  pid: number;
  pgid: number;
  startedAt: string;
  /** Masked command line. */
  command: string;
  /** server-shutdown-timeout: how long SIGTERM may take before SIGKILL. */
  graceS: number;
  logPath: string;
}

/** Where the action keeps pid files: `<RUNNER_TEMP>/videophy-gate-servers`, cleared by the runner per job. */

export const pidFileIn = (dir: string, pid: number): string => join(dir, `vllm-${pid}.json`);

/** Written atomically: a post step never reads half a file. */
export function writePidFile(path: string, record: PidRecord): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(tmp, path);
}

/** The record, or undefined when there is no file; a file that is not a pid record throws with its path. */
export function readPidFile(path: string): PidRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`could not read pid file ${path}: ${(e as Error).message}`);
  }
  let doc: Partial<PidRecord>;
  try {
    doc = JSON.parse(text) as Partial<PidRecord>;
  } catch (e) {
    throw new Error(`pid file ${path} is not JSON: ${(e as Error).message}`);
  }
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x > 1;
  if (!ok(doc.pid) || !ok(doc.pgid))
    throw new Error(`pid file ${path} has no valid pid and pgid: ${text.slice(0, 200)}`);
  return {
    pid: doc.pid,
    pgid: doc.pgid,
    startedAt: String(doc.startedAt ?? ''),
    command: String(doc.command ?? ''),
    graceS: typeof doc.graceS === 'number' && doc.graceS >= 0 ? doc.graceS : 30,
    logPath: String(doc.logPath ?? ''),
  };
}

export function removePidFile(path: string): void {
  rmSync(path, { force: true });
}

/** Pid files in `dir` (none when the directory does not exist). */
export function listPidFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /^vllm-\d+\.json$/.test(f))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
