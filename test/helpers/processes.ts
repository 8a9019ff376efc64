// Test helpers: the fake `vllm` on PATH, and whether a process is really still alive.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const FAKE_VLLM_DIR = join(REPO, 'test', 'fixtures', 'fake-vllm');

/**
 * The environment for a server started in a test: the fake `vllm` first on PATH, then the directory of the
 * node running the tests (the fake's `#!/usr/bin/env node`), then the rest; plus the fake's knobs.
 */
export function fakeVllmEnv(knobs: Record<string, string> = {}): NodeJS.ProcessEnv {
  const path = [FAKE_VLLM_DIR, dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
  return { ...process.env, PATH: path, ...knobs };
}

/**
 * Alive and not a zombie. A killed process whose parent has exited stays a zombie until init reaps it,
 * which the init of some containers never does; a zombie holds no memory and no GPU.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self/stat')) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Poll `ok` until true or `ms` pass (a generous bound, not a timing assertion). */
export async function eventually(ok: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (ok()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return ok();
}

/** The fake's own pid and its children's, as it wrote them to FAKE_VLLM_PIDS_FILE. */
export function fakePids(pidsFile: string): number[] {
  const doc = JSON.parse(readFileSync(pidsFile, 'utf8')) as { pid: number; children: number[] };
  return [doc.pid, ...doc.children];
}
