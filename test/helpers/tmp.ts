import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh temporary directory per call, removed after the test. */
export function useTmp(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'videophy-gate-test-'));
    dirs.push(d);
    return d;
  };
}

/** A fresh temp directory for a whole file's tests (beforeAll), removed by the returned cleanup (afterAll). */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'videophy-gate-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
