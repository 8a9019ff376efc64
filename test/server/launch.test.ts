import { pidDirFor } from '../../src/config/paths.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SERVER_LOG_NAME,
  startVllm,
  VllmStartError,
  type StartVllmOptions,
} from '../../src/server/index.js';
import { recordingLogger } from '../helpers/logger.js';
import { useTmp } from '../helpers/tmp.js';
import { alive, eventually, fakePids, fakeVllmEnv } from '../helpers/processes.js';

const tmp = useTmp();

/** Options for a server run by the fake `vllm`, with its knobs; everything in a fresh directory. */
function fake(knobs: Record<string, string> = {}, over: Partial<StartVllmOptions> = {}) {
  const dir = tmp();
  const pidsFile = join(dir, 'fake-pids.json');
  const log = recordingLogger();
  const opts: StartVllmOptions = {
    checkpoint: '/checkpoints/candidate',
    servedModelName: 'candidate',
    outputDir: join(dir, 'out'),
    pidDir: pidDirFor(join(dir, 'runner-temp')),
    timeoutS: 60,
    shutdownTimeoutS: 10,
    log,
    env: fakeVllmEnv({ FAKE_VLLM_PIDS_FILE: pidsFile, ...knobs }),
    ...over,
  };
  return { opts, log, pidsFile, dir };
}

async function startFailure(opts: StartVllmOptions): Promise<VllmStartError> {
  const e: unknown = await startVllm(opts).then(
    () => {
      throw new Error('startVllm resolved; it should have failed');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(VllmStartError);
  return e as VllmStartError;
}

describe('startVllm with a fake vllm on PATH', () => {
  it('waits for /health, serves the named model, records a pid file, and stop() leaves nothing behind', async () => {
    const { opts, log, pidsFile } = fake(
      { FAKE_VLLM_DELAY_MS: '1200', FAKE_VLLM_CHILD: '1' },
      {
        reportEveryS: 0.3,
        // Not in `secrets`: a credential in vllm-args is known to be one.
        extraArgs: ['--api-key', 'sk-launch-secret', '--reasoning-parser', 'qwen3'],
      },
    );
    const server = await startVllm(opts);
    expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}/v1`);
    // Ready means ready: the model list answers at once.
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as {
      data: { id: string }[];
    };
    expect(models.data.map((m) => m.id)).toEqual(['candidate']);

    // Progress while loading: elapsed and the server's last log line.
    expect(log.text()).toMatch(
      /Still starting vLLM \(\d+ s of 60 s\); last log line: .*Loading weights/,
    );
    expect(log.text()).toMatch(/vLLM ready at http:\/\/127\.0\.0\.1:\d+\/v1 after/);

    // The command line: recipe flags, the chosen port, secrets masked everywhere we print it.
    expect(server.commandLine).toBe(
      `vllm serve /checkpoints/candidate --host 127.0.0.1 --port ${server.port} --served-model-name candidate --seed 0 --max-model-len 16384 --media-io-kwargs '{"video":{"num_frames":-1}}' --api-key *** --reasoning-parser qwen3`,
    );
    expect(log.text()).not.toContain('sk-launch-secret');

    // The server's output is in the output directory; the pid file says which group to stop.
    expect(server.logPath).toBe(join(opts.outputDir, SERVER_LOG_NAME));
    // While it runs the server's own log is untouched (it printed its arguments, key included) ...
    expect(readFileSync(server.logPath, 'utf8')).toMatch(
      /\[fake-vllm\] argv: \["serve".*sk-launch-secret/,
    );
    expect(server.logTail().join('\n')).not.toContain('sk-launch-secret');
    const record = JSON.parse(readFileSync(server.pidFile!, 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({
      pid: server.pid,
      pgid: server.pid,
      command: server.commandLine,
      graceS: 10,
    });
    expect(Date.parse(String(record.startedAt))).not.toBeNaN();

    const pids = fakePids(pidsFile);
    expect(pids).toHaveLength(3); // the fake, its extra child, the simulator
    expect(pids.every(alive)).toBe(true);
    expect(server.exitStatus()).toBeNull();

    const report = await server.stop();
    expect(report).toMatchObject({ alreadyStopped: false, sent: ['SIGTERM'], stopped: true });
    expect(report.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(report.message).toMatch(/stopped by SIGTERM in [\d.]+ s \(killed by SIGTERM\)/);
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(server.pidFile!)).toBe(false);
    // Idempotent: the same report, nothing sent again.
    expect(await server.stop()).toBe(report);
    expect(await server.stopped).toBe(report);
    const kept = readFileSync(server.logPath, 'utf8');
    expect(kept).toMatch(/\[videophy-gate\] .* stopped by SIGTERM/);
    // ... and once it is stopped, the file kept as an artifact has the key masked.
    expect(kept).toMatch(/\[fake-vllm\] argv: \["serve".*"--api-key","\*\*\*"/);
    expect(kept).not.toContain('sk-launch-secret');
  });

  it('a crash during start-up fails at once with the exit code and the last 100 log lines; no process is left', async () => {
    const { opts, pidsFile } = fake({ FAKE_VLLM_CRASH: '1', FAKE_VLLM_CHILD: '1' });
    const started = Date.now();
    const e = await startFailure(opts);
    expect(Date.now() - started).toBeLessThan(30_000); // not the 60 s timeout
    expect(e.kind).toBe('exited');
    expect(e.exit).toEqual({ code: 3, signal: null });
    expect(e.message).toMatch(/^vLLM exited during start-up \(exit code 3\) after [\d.]+ s/);
    expect(e.message).toContain('Command: vllm serve /checkpoints/candidate');
    expect(e.logTail).toHaveLength(100);
    expect(e.logTail.at(-1)).toBe('RuntimeError: CUDA out of memory (fake)');
    expect(e.logTail.at(-2)).toMatch(/crash line 150$/);
    expect(e.logTail[0]).toMatch(/crash line 52$/);
    expect(e.message).toContain(`Last 100 lines of ${e.logPath}:\n`);
    expect(e.message.endsWith(e.logTail.join('\n'))).toBe(true);
    // The extra child the fake started before crashing is gone too, and so is the pid file.
    expect(await eventually(() => fakePids(pidsFile).every((p) => !alive(p)))).toBe(true);
    expect(existsSync(join(opts.pidDir!, `vllm-${fakePids(pidsFile)[0]}.json`))).toBe(false);
  });

  it('a server that never becomes ready is stopped at server-timeout, with the log tail', async () => {
    const { opts, pidsFile } = fake(
      { FAKE_VLLM_DELAY_MS: '60000', FAKE_VLLM_CHILD: '1' },
      { timeoutS: 1.5 },
    );
    const e = await startFailure(opts);
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(
      /vLLM did not become ready within server-timeout 1.5 s \(last: http:\/\/127\.0\.0\.1:\d+\/health: ECONNREFUSED \(nothing listens there yet\)\); the server was stopped/,
    );
    expect(e.logTail.at(-1)).toMatch(/Loading weights/);
    expect(fakePids(pidsFile).filter(alive)).toEqual([]);
  });

  it('SIGTERM ignored: SIGKILL to the whole group after server-shutdown-timeout', async () => {
    const { opts, pidsFile, log } = fake(
      { FAKE_VLLM_IGNORE_TERM: '1', FAKE_VLLM_CHILD: '1' },
      { shutdownTimeoutS: 0.5 },
    );
    const server = await startVllm(opts);
    const pids = fakePids(pidsFile);
    const report = await server.stop();
    expect(report.sent).toEqual(['SIGTERM', 'SIGKILL']);
    expect(report.stopped).toBe(true);
    expect(report.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(report.message).toMatch(
      /did not stop within 0.5 s of SIGTERM \(server-shutdown-timeout\); stopped with SIGKILL/,
    );
    expect(log.text()).toMatch(/warning: .*stopped with SIGKILL/);
    expect(pids.filter(alive)).toEqual([]);
    expect(readFileSync(server.logPath, 'utf8')).toMatch(/SIGTERM ignored/);
  });

  it('cancellation while starting stops the server and rejects', async () => {
    const controller = new AbortController();
    const { opts, pidsFile } = fake(
      { FAKE_VLLM_DELAY_MS: '60000', FAKE_VLLM_CHILD: '1' },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 700);
    const e = await startFailure(opts);
    expect(e.kind).toBe('cancelled');
    expect(fakePids(pidsFile).filter(alive)).toEqual([]);
  });

  it('a server that exits by itself later: exitStatus() says how, stop() reports it had exited', async () => {
    const { opts, pidsFile } = fake();
    const server = await startVllm(opts);
    const [, sim] = fakePids(pidsFile);
    process.kill(sim!, 'SIGKILL'); // the API server dies; the fake exits with its status
    expect(await eventually(() => server.exitStatus() !== null)).toBe(true);
    expect(server.exitStatus()).toEqual({ code: 1, signal: null });
    expect(server.logTail().at(-1)).toMatch(/API server exited \(SIGKILL\)/);
    const report = await server.stop();
    expect(report).toMatchObject({ alreadyStopped: true, sent: [], stopped: true });
    expect(report.message).toMatch(/had already exited \(exit code 1\)/);
  });

  it('no vllm executable: a spawn error that says what to do', async () => {
    const { opts } = fake({}, { command: '/nonexistent/bin/vllm' });
    const e = await startFailure(opts);
    expect(e.kind).toBe('spawn');
    expect(e.message).toMatch(
      /could not start vLLM: \/nonexistent\/bin\/vllm: .*ENOENT.*vllm-command/,
    );
  });
});
