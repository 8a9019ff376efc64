import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The new user's commands through the bundle, as `videophy-gate` runs them (`npm run build` first).
const cli = (args: string[]) =>
  spawnSync(process.execPath, ['dist/cli/index.js', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp', NO_COLOR: '1' },
    timeout: 60_000,
  });

describe('the commands of issue 12 through dist/cli/index.js', () => {
  it.each([
    [
      ['eval', '--help'],
      0,
      'usage: videophy-gate eval (--base-url URL | --checkpoint PATH) [flags]',
    ],
    [
      ['simulate', '--help'],
      0,
      'usage: videophy-gate simulate [--port 8000] [--accuracy 0.4] [--answer-key FILE] [flags]',
    ],
    [
      ['compare', '--help'],
      0,
      'usage: videophy-gate compare A B [--decision auto] [--max-accuracy-drop 0.03] [--json | --quiet]',
    ],
    [
      ['baseline', 'show', 'examples/baseline.json'],
      0,
      'baseline examples/baseline.json (gate-baseline), created ',
    ],
  ])('%j exits %i, stdout starting %j', (args, status, first) => {
    const r = cli(args);
    expect(r.status, r.stderr).toBe(status);
    expect(r.stdout.split('\n')[0]?.startsWith(first)).toBe(true);
  });

  it('--version is the package version', () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('demo --regres: exit 2, the suggestion first', () => {
    const r = cli(['demo', '--regres']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'videophy-gate demo: unknown flag --regres (did you mean --regress?)',
    );
    expect(r.stdout).toBe('');
  });
});
