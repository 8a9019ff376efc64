import { pidDirFor } from '../../src/config/paths.js';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killFromPidFile, postStep } from '../../src/server/index.js';
import { recordingLogger } from '../helpers/logger.js';
import { useTmp } from '../helpers/tmp.js';
import { alive, eventually, fakePids, fakeVllmEnv, REPO } from '../helpers/processes.js';

const tmp = useTmp();

interface Controlled {
  child: ReturnType<typeof spawn>;
  ready: { pid: number; pidFile: string };
  pids: number[];
  runnerTemp: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start test/helpers/server-controller.ts (a process owning a server through src/server) and wait for READY. */
async function controller(
  knobs: Record<string, string>,
  opts: { graceS?: number; then?: 'wait' | 'exit' } = {},
): Promise<Controlled> {
  const dir = tmp();
  const runnerTemp = join(dir, 'runner-temp');
  const pidsFile = join(dir, 'fake-pids.json');
  const config = { outputDir: join(dir, 'out'), pidDir: pidDirFor(runnerTemp), ...opts };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/server-controller.ts', JSON.stringify(config)],
    {
      cwd: REPO,
      env: fakeVllmEnv({ FAKE_VLLM_PIDS_FILE: pidsFile, FAKE_VLLM_CHILD: '1', ...knobs }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  await eventually(() => gone || /^READY /m.test(out), 25_000);
  const line = /^READY (.*)$/m.exec(out)?.[1];
  expect(line, out).toBeDefined();
  const ready = JSON.parse(line!) as Controlled['ready'];
  return { child, ready, pids: fakePids(pidsFile), runnerTemp, output: () => out, exited };
}

describe('cleanup when the process owning the server goes away', () => {
  it('SIGTERM to the owner (job cancelled): the whole server group is stopped, then the owner exits', async () => {
    const c = await controller({});
    expect(c.pids).toHaveLength(3);
    expect(c.pids.every(alive)).toBe(true);
    c.child.kill('SIGTERM');
    expect(await c.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(c.output()).toMatch(/SIGTERM received: stopping the vLLM server/);
    expect(c.pids.filter(alive)).toEqual([]);
    expect(existsSync(c.ready.pidFile)).toBe(false);
  });

  it('SIGINT, then SIGTERM while the server ignores SIGTERM: the second signal SIGKILLs the group', async () => {
    const c = await controller({ FAKE_VLLM_IGNORE_TERM: '1' }, { graceS: 60 });
    c.child.kill('SIGINT');
    await eventually(() => /SIGINT received/.test(c.output()));
    c.child.kill('SIGTERM');
    expect(await c.exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(c.output()).toMatch(/SIGTERM received again: killing the vLLM server/);
    expect(c.pids.filter(alive)).toEqual([]);
  });

  it('the owner exits without stopping the server: the exit handler kills the group', async () => {
    const c = await controller({}, { then: 'exit' });
    expect(await c.exited).toEqual({ code: 0, signal: null });
    expect(await eventually(() => c.pids.every((p) => !alive(p)))).toBe(true);
  });

  it('the owner is SIGKILLed: the server survives it, and killFromPidFile stops it (SIGKILL when SIGTERM is ignored)', async () => {
    const c = await controller({ FAKE_VLLM_IGNORE_TERM: '1' });
    c.child.kill('SIGKILL');
    await c.exited;
    // Nothing could run in the owner: the server is still there, which is what the post step is for.
    expect(c.pids.every(alive)).toBe(true);
    const log = recordingLogger();
    const report = await killFromPidFile(c.ready.pidFile, 0.5, log);
    expect(report).toMatchObject({
      found: true,
      wasRunning: true,
      sent: ['SIGTERM', 'SIGKILL'],
      stopped: true,
    });
    expect(log.text()).toMatch(
      /warning: vLLM server \(pid \d+, started .*: vllm serve controller-ckpt .*\) was still running/,
    );
    expect(c.pids.filter(alive)).toEqual([]);
    expect(existsSync(c.ready.pidFile)).toBe(false);
    // Run again: nothing to do.
    expect(await killFromPidFile(c.ready.pidFile, 0.5, log)).toMatchObject({
      found: false,
      stopped: true,
    });
  });

  it('the post step entry (src/post.ts, RUNNER_TEMP) stops a server the SIGKILLed main step left', async () => {
    const c = await controller({});
    c.child.kill('SIGKILL');
    await c.exited;
    expect(c.pids.every(alive)).toBe(true);
    const post = spawnSync(process.execPath, ['--import', 'tsx', 'src/post.ts'], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', RUNNER_TEMP: c.runnerTemp },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(post.status, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toMatch(/::warning::vLLM server \(pid \d+.*was still running.*SIGTERM/);
    expect(c.pids.filter(alive)).toEqual([]);
    expect(existsSync(c.ready.pidFile)).toBe(false);
  });
});

describe('post step edge cases', () => {
  it('no RUNNER_TEMP, no pid directory, an unreadable pid file: never fails', async () => {
    const log = recordingLogger();
    await postStep(undefined, log);
    await postStep(tmp(), log);
    expect(log.lines.filter((l) => !l.startsWith('debug:'))).toEqual([]);

    const runnerTemp = tmp();
    const dir = pidDirFor(runnerTemp);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'vllm-123.json'), '{"pid": 1, "pgid": 1}');
    writeFileSync(join(dir, 'vllm-456.json'), 'not json');
    await postStep(runnerTemp, log);
    expect(log.text()).toMatch(/warning: pid file .*vllm-123.json has no valid pid and pgid/);
    expect(log.text()).toMatch(/warning: pid file .*vllm-456.json is not JSON/);
    expect(existsSync(join(dir, 'vllm-123.json'))).toBe(false);
    expect(existsSync(join(dir, 'vllm-456.json'))).toBe(false);
  });

  it('a pid file whose group is gone is removed without a warning', async () => {
    const dir = tmp();
    const path = join(dir, 'vllm-1.json');
    // A finished process: its pid is its own group id, and nothing is left in it.
    const done = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {
      encoding: 'utf8',
    });
    const pid = Number(done.stdout.trim());
    writeFileSync(path, JSON.stringify({ pid, pgid: pid, startedAt: '', command: 'x', graceS: 1 }));
    const log = recordingLogger();
    const report = await killFromPidFile(path, undefined, log);
    expect(report).toMatchObject({ found: true, wasRunning: false, sent: [], stopped: true });
    expect(log.text()).toMatch(/^info: .*had already exited$/);
    expect(existsSync(path)).toBe(false);
  });
});
