import { vi } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** First line written to stderr (what a user reads first of an error). */
  firstError: string;
}

/**
 * `videophy-gate ...argv` in-process: console output captured as a user would see it (log to stdout,
 * warn and error to stderr). NO_COLOR keeps the text plain whatever the test runner's stdout is.
 */
export async function cli(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const text = (args: unknown[]): string => args.map(String).join(' ');
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(text(a)));
  const warn = vi.spyOn(console, 'warn').mockImplementation((...a) => void err.push(text(a)));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(text(a)));
  try {
    const code = await runCli(argv, { HOME: '/tmp', NO_COLOR: '1', ...env });
    const stderr = err.join('\n');
    return { code, stdout: out.join('\n'), stderr, firstError: stderr.split('\n')[0] ?? '' };
  } finally {
    log.mockRestore();
    warn.mockRestore();
    error.mockRestore();
  }
}
