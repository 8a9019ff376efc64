import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { runAsActionsRunner } from '../helpers/actions-runner.js';
import { useTmp } from '../helpers/tmp.js';
import { alive, eventually, fakePids, fakeVllmEnv } from '../helpers/processes.js';

// The checkpoint mode through the bundles, as the runner runs them: dist/index.js starts the fake `vllm`
// (first on PATH), and dist/post/index.js is the post step.
const tmp = useTmp();
const env = (dir: string, knobs: Record<string, string> = {}): Record<string, string> => {
  const e = fakeVllmEnv({
    FAKE_VLLM_PIDS_FILE: join(dir, 'pids.json'),
    FAKE_VLLM_CHILD: '1',
    ...knobs,
  });
  return {
    PATH: e.PATH ?? '',
    ...knobs,
    FAKE_VLLM_PIDS_FILE: join(dir, 'pids.json'),
    FAKE_VLLM_CHILD: '1',
  };
};

describe('checkpoint: the action owns the vLLM server', () => {
  it('starts vllm serve, scores, records the command line, and leaves no process behind', async () => {
    const dir = tmp();
    const r = await runAsActionsRunner(
      'dist/index.js',
      {
        checkpoint: 'org/critic-8b',
        dataset: 'test/fixtures/videophy2_test_head.csv',
        'output-dir': dir,
        'vllm-args': '--max-num-seqs 16 --api-key sk-owned-secret',
        'server-timeout': '30',
      },
      { env: env(dir) },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.verdict).toBe('no-baseline');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      settings: { model: string };
      server: { command_line: string };
    };
    expect(summary.settings.model).toBe('org/critic-8b');
    expect(summary.server.command_line).toMatch(
      /vllm serve org\/critic-8b --host 127\.0\.0\.1 --port \d+ .*--max-num-seqs 16/,
    );
    expect(summary.server.command_line).toMatch(/--media-io-kwargs/);
    expect(summary.server.command_line).not.toContain('sk-owned-secret');
    expect(r.stdout).not.toMatch(/^(?!::add-mask::).*sk-owned-secret/m);
    // The key inside vllm-args is registered with the runner, so it is masked in every later line too.
    expect(r.stdout).toMatch(/^::add-mask::sk-owned-secret$/m);
    expect(existsSync(join(dir, 'vllm-server.log'))).toBe(true);
    const pids = fakePids(join(dir, 'pids.json'));
    expect(await eventually(() => pids.every((p) => !alive(p)))).toBe(true);
  });

  it("the owned server's /metrics is read while scoring: the load reaches concurrency auto and the log", async () => {
    // The watcher once read the base-url list, empty with checkpoint: no queue data, no load lines.
    const dir = tmp();
    const r = await runAsActionsRunner(
      'dist/index.js',
      {
        checkpoint: 'org/critic-8b',
        dataset: 'test/fixtures/videophy2_test_head.csv',
        'output-dir': dir,
        concurrency: 'auto',
        'server-timeout': '30',
      },
      { env: env(dir, { FAKE_VLLM_SIM_ARGS: '--latency-ms 1500 --capacity 2' }) },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // The first reading comes after 5 s (the poll period with concurrency auto), two requests running.
    expect(r.stdout).toMatch(/^server load: 2 running, \d+ waiting, KV cache \d+%$/m);
  });

  it('a server that crashes during start-up fails at once with its exit code and log tail', async () => {
    const dir = tmp();
    const r = await runAsActionsRunner(
      'dist/index.js',
      {
        checkpoint: 'org/critic',
        dataset: 'test/fixtures/videophy2_test_head.csv',
        'output-dir': dir,
        'server-timeout': '60',
      },
      { env: env(dir, { FAKE_VLLM_CRASH: '1' }) },
    );
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(
      /::error::.*not a model verdict.*vLLM exited during start-up \(exit code 3\).*Last 100 lines of .*vllm-server\.log.*CUDA out of memory/,
    );
  });

  it('the post step stops a server left running by a main step that was SIGKILLed', async () => {
    const dir = tmp();
    const e = env(dir);
    const r = await runAsActionsRunner(
      'dist/index.js',
      {
        checkpoint: 'org/critic',
        dataset: 'test/fixtures/videophy2_test_head.csv',
        'output-dir': dir,
        'server-timeout': '30',
      },
      {
        env: { ...e, FAKE_VLLM_DELAY_MS: '60000' },
        killWhen: () => existsSync(join(dir, 'pids.json')),
      },
    );
    expect(r.code).toBeNull();
    const pids = fakePids(join(dir, 'pids.json'));
    expect(pids.some((p) => alive(p))).toBe(true);
    const pidDir = join(r.dir, 'videophy-gate-servers');
    expect(readdirSync(pidDir).length).toBe(1);
    const post = spawnSync(process.execPath, ['dist/post/index.js'], {
      env: { PATH: e.PATH ?? '', RUNNER_TEMP: r.dir },
      encoding: 'utf8',
    });
    expect(post.status).toBe(0);
    expect(await eventually(() => pids.every((p) => !alive(p)))).toBe(true);
    expect(readdirSync(pidDir)).toEqual([]);
  });

  it('SIGTERM to the action mid-run (a cancelled job) stops the server group; results so far are kept', async () => {
    const dir = tmp();
    const r = await runAsActionsRunner(
      'dist/index.js',
      {
        checkpoint: 'org/critic',
        dataset: 'test/fixtures/videophy2_test_head.csv',
        'output-dir': dir,
        'vllm-args': '--latency-ms 300',
        concurrency: '2',
      },
      { env: env(dir), killAfter: (out) => (/Scoring 9 videos/.test(out) ? 'SIGTERM' : undefined) },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SIGTERM received/);
    const pids = fakePids(join(dir, 'pids.json'));
    expect(await eventually(() => pids.every((p) => !alive(p)))).toBe(true);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      complete: boolean;
      verdict: string;
    };
    expect(summary).toMatchObject({ complete: false, verdict: 'error' });
  });
});
