/**
 * A server's process group: who is still alive in it, and stopping all of it (SIGTERM, a grace period,
 * SIGKILL). vLLM forks engine and worker processes that hold the GPU; killing only the leader leaks them.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Linux `/proc/<pid>/stat`: fields after the command name, which may itself contain spaces and ')'. */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone between readdir and read
  }
}

/**
 * Live (non-zombie) processes of group `pgid`. A killed process whose parent has gone stays a zombie until
 * init reaps it, and containers often run an init that never does; a zombie holds no memory and no GPU,
 * so it counts as gone. Without /proc (macOS) the group exists while kill(-pgid, 0) succeeds.
 */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM' ? [pgid] : [];
    }
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    // fields[0] = state, fields[2] = pgrp
    if (fields && fields[2] === String(pgid) && fields[0] !== 'Z' && fields[0] !== 'X')
      members.push(Number(entry));
  }
  return members;
}

export const groupAlive = (pgid: number): boolean => groupMembers(pgid).length > 0;

/** Signal every process of the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  // kill(-1) signals every process we may signal, kill(-0) our own group: never from a bad record.
  if (!Number.isSafeInteger(pgid) || pgid <= 1)
    throw new Error(`refusing to signal process group ${pgid}: not a server's group`);
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw new Error(`could not send ${signal} to process group ${pgid}: ${(e as Error).message}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pgid: number, ms: number, pollMs: number): Promise<boolean> {
  const end = performance.now() + ms;
  for (;;) {
    if (!groupAlive(pgid)) return true;
    if (performance.now() >= end) return false;
    await sleep(Math.min(pollMs, Math.max(1, end - performance.now())));
  }
}

export interface GroupStopReport {
  pgid: number;
  /** Live processes found when stopping began (0: nothing was running). */
  found: number;
  sent: NodeJS.Signals[];
  /** No live process is left in the group. */
  gone: boolean;
  waitedMs: number;
}

/** After SIGKILL the kernel still tears down GPU contexts; give it this long to make the processes vanish. */
const AFTER_KILL_MS = 10_000;

/** SIGTERM to the whole group, up to `graceS` for it to exit, then SIGKILL to whatever is left. */
export async function stopGroup(
  pgid: number,
  graceS: number,
  opts: { pollMs?: number } = {},
): Promise<GroupStopReport> {
  const pollMs = opts.pollMs ?? 100;
  const start = performance.now();
  const found = groupMembers(pgid).length;
  const sent: NodeJS.Signals[] = [];
  const report = (gone: boolean): GroupStopReport => ({
    pgid,
    found,
    sent,
    gone,
    waitedMs: Math.round(performance.now() - start),
  });
  if (found === 0) return report(true);
  if (signalGroup(pgid, 'SIGTERM')) sent.push('SIGTERM');
  if (await waitGone(pgid, graceS * 1000, pollMs)) return report(true);
  if (signalGroup(pgid, 'SIGKILL')) sent.push('SIGKILL');
  return report(await waitGone(pgid, AFTER_KILL_MS, pollMs));
}
