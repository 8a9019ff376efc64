import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmp } from '../helpers/tmp.js';

// The command-line bundle, as a user runs it: `videophy-gate` = node dist/cli/index.js.
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['dist/cli/index.js', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp', ...env },
    timeout: 60_000,
  });
const tmp = useTmp();

describe('videophy-gate CLI (dist/cli/index.js)', () => {
  it('demo: simulator + bundled sample + bundled baseline -> a significant improvement, report printed, files written', () => {
    const dir = tmp();
    const r = cli(['demo', '--output-dir', dir]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // The terminal report, closed by the verdict line; the PR comment's markdown is in report.md.
    expect(r.stdout).toMatch(/^VideoPhy-2 gate: improvement \(significance decision\)$/m);
    expect(r.stdout).toMatch(/^not right before, right now \(\d+\):$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: improvement (exit 0)');
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/### 🚀 VideoPhy-2 gate: improvement/);
    // The verdict table: paired delta, interval and p; the verdict of each metric in its row.
    expect(md).toMatch(
      /^\| Accuracy \| 0\.\d{4} \| 0\.\d{4} \| \S+\s\+0\.\d{4} \| [−+]0\.\d{4}\s…\s\+0\.\d{4} \| 0\.\d{4} \| (pass|improvement) \(lower\s[−+]0\.\d{4}\s≥\s−0\.0300, 95%\) \|$/m,
    );
    // A next checkpoint, not the baseline made strictly better: videos flip both ways.
    const flips =
      /Per video against the baseline: \*\*(\d+) newly wrong\*\*, (\d+) newly right\./.exec(md);
    expect(Number(flips?.[1])).toBeGreaterThan(10);
    expect(Number(flips?.[2])).toBeGreaterThan(Number(flips?.[1]));
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      num_videos: number;
      verdict: string;
      decision: string;
    };
    expect(summary).toMatchObject({
      num_videos: 300,
      verdict: 'improvement',
      decision: 'significance',
    });
  });

  it('demo --checkpoint: the gate starts `videophy-gate serve` as its vLLM, scores, and stops it', () => {
    const dir = tmp();
    const r = cli(['demo', '--checkpoint', '--output-dir', dir]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/vLLM server \(pid \d+\) stopped by SIGTERM/);
    expect(r.stdout).toMatch(/VideoPhy-2 gate: improvement/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      server: { command_line: string };
    };
    expect(summary.server.command_line).toMatch(
      /serve demo\/simulated-critic --host 127\.0\.0\.1 --port \d+/,
    );
  });

  it('demo --regress: a worse simulated checkpoint is a regression, exit status 1', () => {
    const dir = tmp();
    const r = cli(['demo', '--regress', '--output-dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^VideoPhy-2 gate: regression/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: regression (exit 1)');
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/❌ VideoPhy-2 gate: regression/);
    expect(md).toMatch(
      /^\| Accuracy \| .* \| \*\*regression\*\* \(upper\s−0\.\d{4}\s<\s−0\.0300, 97\.5%\) \|$/m,
    );
    const flips = /\*\*(\d+) newly wrong\*\*, (\d+) newly right\./.exec(md);
    expect(Number(flips?.[1])).toBeGreaterThan(10);
    expect(Number(flips?.[1])).toBeGreaterThan(Number(flips?.[2]));
  });

  it('eval: bad flags and unreachable servers are errors (exit 2) with a message naming the cause', () => {
    const unknown = cli(['eval', '--base-url', 'http://127.0.0.1:9/v1', '--no-such-flag', 'x']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe('videophy-gate eval: unknown flag --no-such-flag');
    const bad = cli(['eval', '--base-url', 'http://127.0.0.1:9/v1', '--concurrency', 'many']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      'videophy-gate eval: --concurrency must be an integer between 1 and 4096, got "many"',
    );
    const down = cli([
      'eval',
      '--base-url',
      'http://127.0.0.1:9/v1',
      '--dataset',
      'test/fixtures/videophy2_test_head.csv',
      '--server-timeout',
      '0.5',
      '--output-dir',
      tmp(),
      '--api-key',
      'sk-cli-secret',
    ]);
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(
      /not a model verdict.*did not become ready within --server-timeout 0.5 s/,
    );
    expect(down.stdout + down.stderr).not.toContain('sk-cli-secret');
  });

  it('help lists every command and exits 0; no command exits 2', () => {
    const help = cli(['help']);
    expect(help.status).toBe(0);
    for (const command of [
      'eval',
      'simulate',
      'serve',
      'demo',
      'merge',
      'comment',
      'compare',
      'baseline',
    ])
      expect(help.stdout).toMatch(new RegExp(`^ {2}${command} +${command}\\b`, 'm'));
    expect(cli([]).status).toBe(2);
  });
});
