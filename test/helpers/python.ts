import { spawnSync } from 'node:child_process';

/**
 * Run python3 as an independent reference implementation (numpy, scipy, the recipe's own regex).
 * CI has python3 with numpy and scipy; a machine without them fails loudly rather than skipping silently.
 */
export function python<T>(code: string, input: unknown): T {
  const res = spawnSync('python3', ['-c', code], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw new Error(`python3 is needed for cross-checks: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`python3 failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as T;
}
